"""The perceptron screen as a user drives it: one update per n, hand nudges, drawing = neuron."""

from __future__ import annotations

import numpy as np
from textual.widgets import Static

from algorithms.perceptron import line_equation
from screens.perceptron import (
    ARROW_RGB,
    FRUIT_CLASS,
    LINE_RGB,
    NUDGE,
    OLD_LINE_RGB,
    PerceptronScreen,
)
from tui import palette
from tui.app import LearnLoopApp
from tui.widgets.metrics_bar import MetricsBar
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def perceptron_app(**kw) -> LearnLoopApp:
    return LearnLoopApp("perceptron", seed=0, autoplay=False, **kw)


def card_text(screen: PerceptronScreen) -> str:
    return str(screen.query_one("#perceptron-card", Static).content)


def ink_pixels(canvas: PixelCanvas, rgb) -> tuple[np.ndarray, np.ndarray]:
    """Data coordinates of the pixels inked in colour ``rgb``."""
    code = canvas._ink_index.get(rgb)
    if code is None:
        return np.empty(0), np.empty(0)
    rows, cols = np.nonzero(canvas._ink == code)
    xs, ys = canvas.pixel_centers()
    return xs[cols], ys[rows]


async def test_n_makes_one_update_on_the_next_mistake_and_marks_it():
    app = perceptron_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        w, b = sim.w, sim.b
        await pilot.press("n")
        await pilot.pause()
        assert sim.updates == 1
        last = sim.last
        s = 1.0 if last.label == 1 else -1.0
        assert s * (sim.X[last.index] @ w + b) <= 0  # it was a mistake before the update
        np.testing.assert_allclose(sim.w, w + sim.lr * s * sim.X[last.index])
        canvas = screen.query_one(PixelCanvas)
        col, row = canvas.data_to_cell(*sim.X[last.index])
        assert canvas._cursor == (row, col)  # the fruit learned from is marked …
        assert canvas._points_glyphs[(row, col)].bold  # … and drawn bold
        assert sum(g.bold for g in canvas._points_glyphs.values()) == 1
        assert len(ink_pixels(canvas, OLD_LINE_RGB)[0]) > 0  # the old line stays in grey
        kind = "lemon" if last.label == 1 else "apple"
        assert f"{kind} #{last.index + 1}" in card_text(screen)
        await pilot.press("b")
        assert sim.updates == 0 and np.array_equal(sim.w, w)


async def test_drawn_line_background_and_fruit_are_the_neurons():
    app = perceptron_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(2)
        await pilot.pause()
        sim = screen.sim
        canvas = screen.query_one(PixelCanvas)
        w1, w2 = sim.w
        norm = np.hypot(w1, w2)
        pixel = (canvas.extent[1] - canvas.extent[0]) / canvas.pixel_size[0]
        xs, ys = ink_pixels(canvas, LINE_RGB)
        assert len(xs) > 10
        assert np.all(np.abs(w1 * xs + w2 * ys + sim.b) / norm <= 1.5 * pixel)
        ax, ay = ink_pixels(canvas, ARROW_RGB)  # the weight vector starts on the line, points to lemons
        assert len(ax) and np.all(w1 * ax + w2 * ay + sim.b >= -1.5 * pixel * norm)
        # the background: lemon shades exactly where w·x + b > 0 (checked at every pixel centre)
        px, py = canvas.pixel_centers()
        gx, gy = np.meshgrid(px, py)
        lemon = w1 * gx + w2 * gy + sim.b > 0
        levels = len(canvas._palette)
        assert np.array_equal(canvas._heat >= levels // 2, lemon)
        # every fruit is drawn at its place with its kind's glyph class
        cells = [canvas.data_to_cell(x, y)[::-1] for x, y in sim.X]
        for cell, label in zip(cells, sim.y):
            assert cell in canvas._points_glyphs
            if cells.count(cell) == 1:  # (two fruit may share a cell; the later one shows)
                assert canvas._points_glyphs[cell].char == palette.class_glyph(FRUIT_CLASS[int(label)])
        chars = {g.char for g in canvas._points_glyphs.values()}
        assert chars == {palette.class_glyph(FRUIT_CLASS[0]), palette.class_glyph(FRUIT_CLASS[1])}
        assert line_equation(w1, w2, sim.b) in card_text(screen)


async def test_keys_nudge_each_number_and_accuracy_follows():
    app = perceptron_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        w, b = sim.w, sim.b
        await pilot.press("d", "d", "s", "x", "z", "z")
        await pilot.pause()
        np.testing.assert_allclose(sim.w, w + [2 * NUDGE, -NUDGE])
        assert abs(sim.b - (b - NUDGE)) < 1e-12
        right = np.mean((sim.X @ sim.w + sim.b > 0) == (sim.y == 1))
        assert screen.query_one(MetricsBar).metrics["accuracy"] == f"{right:.1%}"
        await pilot.press("a", "w")
        np.testing.assert_allclose(sim.w, w + [NUDGE, 0], atol=1e-12)
        await pilot.press("b")  # undoes the last nudge
        np.testing.assert_allclose(sim.w, w + [NUDGE, -NUDGE], atol=1e-12)


async def test_learning_until_sorted_then_n_changes_nothing():
    app = perceptron_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        screen.advance(200)
        await pilot.pause()
        assert sim.converged and sim.accuracy == 1.0 and sim.updates <= sim.bound
        text = card_text(screen)
        assert "100.0%" in text and "✔" in text and "nothing to learn" in text
        w = sim.w
        await pilot.press("n")
        assert np.array_equal(sim.w, w)
        assert screen.query_one(MetricsBar).metrics["state"] == "sorted"


async def test_overlapping_fruit_from_the_command_line():
    options = {"margin": -0.3, "n_points": 100}
    app = perceptron_app(options=options)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.sim.margin == -0.3 and len(screen.sim.y) == 100
        assert screen.query_one(ParamPanel).value("margin") == -0.3
        if not screen.sim.separable:
            assert "no line sorts all" in card_text(screen)
            assert screen.query_one(MetricsBar).metrics["state"] == "no line fits"


async def test_typed_bad_margin_is_refused_with_a_message():
    app = perceptron_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("margin")
        await pilot.press("p", "enter")
        panel._input.value = "5"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.margin == 0.1


async def test_zero_start_has_no_line_and_the_first_update_draws_one():
    app = perceptron_app(options={"start": "zero"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        canvas = screen.query_one(PixelCanvas)
        assert "no line yet" in card_text(screen)
        assert len(ink_pixels(canvas, LINE_RGB)[0]) == 0
        await pilot.press("n")
        await pilot.pause()
        assert "no line yet" not in card_text(screen)
        sim = screen.sim
        for _ in range(50):  # the first lines often lie off the plot: the bias input 1 dwarfs x
            if sim.line(canvas.extent) is not None or sim.converged:
                break
            assert len(ink_pixels(canvas, LINE_RGB)[0]) == 0
            await pilot.press("n")
            await pilot.pause()
        assert sim.line(canvas.extent) is not None
        assert len(ink_pixels(canvas, LINE_RGB)[0]) > 0


async def test_small_terminal_writes_the_line_on_the_canvas():
    app = perceptron_app()
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-tiny")
        await pilot.press("n", "d")
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        w1, w2 = screen.sim.w
        assert line_equation(w1, w2, screen.sim.b)[:12] in canvas.row_text(1)


async def test_monochrome_fruit_use_ascii_glyphs(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = perceptron_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        await pilot.press("n")
        await pilot.pause()
        canvas = app.screen.query_one(PixelCanvas)
        canvas.flush()
        rows = "".join(canvas.row_text(y) for y in range(canvas.size.height))
        assert palette.class_glyph(FRUIT_CLASS[0], True) in rows and palette.class_glyph(FRUIT_CLASS[1], True) in rows

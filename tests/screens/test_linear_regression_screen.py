"""The linear-regression screen as a user drives it: cursor, points, mouse, drawing = model."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.regression import least_squares_line
from tui import palette
from tui.app import LearnLoopApp
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def app_for(**kw) -> LearnLoopApp:
    return LearnLoopApp("linear-regression", seed=0, autoplay=False, **kw)


def inked(canvas: PixelCanvas, color) -> np.ndarray:
    code = canvas._ink_index.get(color)
    return np.zeros_like(canvas._ink, dtype=bool) if code is None else canvas._ink == code


async def test_cursor_adds_and_removes_students_and_the_fit_follows():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        n0 = len(sim.hours)
        await pilot.press("o")  # first press only shows the cursor and says how
        assert len(sim.hours) == n0 and screen.cursor.cell is not None
        await pilot.press("up", "up", "right", "o")
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        hours, score = canvas.cell_to_data(*screen.cursor.cell)
        assert len(sim.hours) == n0 + 1
        assert sim.hours[-1] == pytest.approx(hours) and sim.scores[-1] == pytest.approx(score)
        # the best line is recomputed for the new data
        assert sim.best == pytest.approx(least_squares_line(sim.hours, sim.scores))
        await pilot.press("x")  # removes the student nearest the cursor: the one just added
        assert len(sim.hours) == n0 and score not in sim.scores
        await pilot.press("b")  # step back undoes the removal
        assert len(sim.hours) == n0 + 1


async def test_mouse_click_adds_right_click_removes():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sim = app.screen.sim
        n0 = len(sim.hours)
        await pilot.click(PixelCanvas, offset=(40, 12))
        await pilot.pause()
        assert len(sim.hours) == n0 + 1
        await pilot.click(PixelCanvas, offset=(40, 12), button=3)
        await pilot.pause()
        assert len(sim.hours) == n0


async def test_outside_the_axes_a_point_is_refused_with_a_message():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("left")
        row = screen.cursor.cell[1]
        screen.cursor.cell = (1, row)  # as if moved far left: into the label margin, left of 0 hours
        await pilot.press("left")
        assert screen.cursor.cell == (0, row)
        n0 = len(screen.sim.hours)
        await pilot.press("o")
        await pilot.pause()
        assert len(screen.sim.hours) == n0
        assert any("hours studied" in n.message for n in app._notifications)


async def test_drawn_line_residuals_and_best_line_match_the_model():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(5)
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        sim = screen.sim
        # the white line passes through the pixel of the model's prediction at several hours
        white = inked(canvas, palette.HIGHLIGHT)
        for h in (1.0, 4.0, 8.0):
            px, py = canvas.data_to_pixel(h, sim.w * h + sim.b)
            assert white[max(py - 1, 0) : py + 2, px].any()
        # one dashed pink segment per student: pink ink in the student's column between point and line
        pink = inked(canvas, palette.NEGATIVE)
        for h, s, p in zip(sim.hours, sim.scores, sim.predictions):
            px, py_s = canvas.data_to_pixel(h, s)
            _, py_p = canvas.data_to_pixel(h, p)
            lo, hi = sorted((py_s, py_p))
            if hi - lo > 3:
                column = pink[lo : hi + 1, px]
                assert column.any() and not column.all()  # dashed, not solid
        muted_before = inked(canvas, palette.MUTED).sum()
        await pilot.press("g")
        await pilot.pause()
        assert screen.show_best and screen.param_panel.value("show_best") is True
        assert inked(canvas, palette.MUTED).sum() > muted_before  # the grey least-squares line


async def test_play_converges_and_the_card_says_so():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(2500)
        await pilot.pause()
        assert screen.sim.converged
        card = str(screen.query_one("#linreg-card").render())
        assert "least-squares" in card
        assert screen.metrics()["MSE"] == screen.metrics()["best"]


async def test_too_large_learning_rate_diverges_as_a_state_and_reset_recovers():
    app = app_for(options={"lr": 3.0})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(500)
        await pilot.pause()
        assert screen.diverged and screen.has_class("-diverged")
        await pilot.press("r")
        await pilot.pause()
        assert not screen.diverged and screen.sim.t == 0


async def test_typed_bad_value_gets_a_message_and_the_old_value_stays():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(ParamPanel)
        await pilot.press("p")
        panel.selected = 0
        await pilot.press("enter", *"99", "enter")
        await pilot.pause()
        assert panel.error and panel.value("lr") == 0.5 and app.screen.sim.lr == 0.5

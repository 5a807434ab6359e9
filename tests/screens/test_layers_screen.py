"""The layers screen as a user drives it: a/d change the hidden layer, each neuron's line is drawn
where its weights put it, the heat map is the network's answer."""

from __future__ import annotations

import numpy as np
from textual.widgets import Static

from screens.layers import BEST_LINE_COLOR, NEURON_COLORS
from tui.app import LearnLoopApp
from tui.widgets.metrics_bar import MetricsBar
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def layers_app(**kw) -> LearnLoopApp:
    return LearnLoopApp("layers", seed=0, autoplay=False, **kw)


def ink_pixels(canvas: PixelCanvas, rgb) -> tuple[np.ndarray, np.ndarray]:
    code = canvas._ink_index.get(rgb)
    if code is None:
        return np.empty(0), np.empty(0)
    rows, cols = np.nonzero(canvas._ink == code)
    xs, ys = canvas.pixel_centers()
    return xs[cols], ys[rows]


async def test_a_and_d_add_and_remove_neurons_within_1_to_8():
    app = layers_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        panel = screen.query_one(ParamPanel)
        assert sim.neurons == 1
        await pilot.press("d")  # already at the minimum: nothing changes
        assert sim.neurons == 1
        await pilot.press("a", "a")
        await pilot.pause()
        assert sim.neurons == 3 and sim.model.sizes == (2, 3, 1) and panel.value("neurons") == 3
        card = str(screen.query_one("#layers-card", Static).content)
        assert "3 hidden neurons" in card and all(f"{i} " in card for i in (1, 2, 3))
        for _ in range(10):
            await pilot.press("a")
        assert sim.neurons == 8
        await pilot.press("d")
        assert sim.neurons == 7 and screen.query_one(MetricsBar).metrics["neurons"] == "7"
        # the knob does the same
        screen.set_param("neurons", 2)
        await pilot.pause()
        assert sim.neurons == 2


async def test_each_neurons_line_is_drawn_where_its_weights_put_it():
    app = layers_app(options={"neurons": 4})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(40)
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        pixel = (canvas.extent[1] - canvas.extent[0]) / canvas.pixel_size[0]
        drawn = 0
        for i, (w1, w2, b, _) in enumerate(screen.sim.neuron_lines()):
            xs, ys = ink_pixels(canvas, NEURON_COLORS[i])
            if screen.sim.neuron_segments(canvas.extent)[i] is None:
                continue
            drawn += 1
            assert len(xs) > 0
            # a later line may paint over an earlier one, so only check that what shows lies on it
            assert np.all(np.abs(w1 * xs + w2 * ys + b) / np.hypot(w1, w2) <= 1.5 * pixel), i
        assert drawn >= 2


async def test_heat_map_is_the_networks_probability_and_the_best_line_toggles():
    app = layers_app(options={"neurons": 3})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(60)
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        w, h = canvas.pixel_size
        pts = np.stack(np.meshgrid(*canvas.pixel_centers()), axis=-1).reshape(-1, 2)
        probs = screen.sim.model.predict_proba(pts).reshape(h, w)
        levels = len(canvas._palette)
        expected = np.clip((probs * levels).astype(int), 0, levels - 1)
        assert np.mean(canvas._heat == expected) > 0.99
        assert len(ink_pixels(canvas, BEST_LINE_COLOR)[0]) == 0
        await pilot.press("g")
        await pilot.pause()
        xs, ys = ink_pixels(canvas, BEST_LINE_COLOR)
        (bw1, bw2), bb = screen.sim.best_line
        assert len(xs) > 0
        pixel = (canvas.extent[1] - canvas.extent[0]) / w
        assert np.all(np.abs(bw1 * xs + bw2 * ys + bb) / np.hypot(bw1, bw2) <= 1.5 * pixel)
        await pilot.press("g")
        await pilot.pause()
        assert len(ink_pixels(canvas, BEST_LINE_COLOR)[0]) == 0


async def test_network_diagram_and_metrics_follow_the_model():
    app = layers_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a", "n", "n")
        await pilot.pause()
        diagram = screen.query_one(NetworkDiagram)
        assert diagram._sizes == (2, 2, 1)
        np.testing.assert_allclose(diagram._weights[0], screen.sim.model.weights[0])
        metrics = screen.query_one(MetricsBar).metrics
        assert metrics["accuracy"] == f"{screen.sim.accuracy:.1%}"
        assert metrics["best line"] == f"{screen.sim.best_line_accuracy:.1%}"
        assert metrics["epoch"] == "2"


async def test_one_neuron_stays_at_or_below_the_best_line_and_three_close_the_ring():
    app = layers_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(150)
        assert screen.sim.accuracy_history.max() <= screen.sim.best_line_accuracy
        await pilot.press("a", "a")
        screen.advance(400)
        await pilot.pause()
        assert screen.sim.accuracy >= 0.95
        assert "enough lines" in str(screen.query_one("#layers-card", Static).content)


async def test_step_back_and_bad_typed_value():
    app = layers_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(5)
        loss = screen.sim.loss
        await pilot.press("n", "b")
        assert screen.sim.epoch == 5 and screen.sim.loss == loss
        panel = screen.query_one(ParamPanel)
        panel.select("neurons")
        await pilot.press("p", "enter")
        panel._input.value = "12"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.neurons == 1


async def test_reset_keeps_the_chosen_number_of_neurons():
    app = layers_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a", "a", "n", "n", "r")
        await pilot.pause()
        assert screen.sim.epoch == 0 and screen.sim.neurons == 3

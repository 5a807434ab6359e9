"""The relu-triangle screen: scrubbing keys and knob, the drawn fences are the neurons', reset."""

from __future__ import annotations

import numpy as np

from algorithms.relu_triangle import line_distance
from screens.relu_triangle import HINGE_COLORS, NEURON_COLORS
from tui.app import LearnLoopApp
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def app_() -> LearnLoopApp:
    return LearnLoopApp("relu-triangle", seed=0, autoplay=False)


async def test_scrub_keys_move_through_training_and_back():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        await pilot.press("right", "right", "right")
        assert sim.epoch == 30 and sim.trained_epochs == 30
        await pilot.press("left")
        assert sim.epoch == 20 and sim.trained_epochs == 30
        await pilot.press("b")
        assert sim.epoch == 19
        await pilot.press("end")
        assert sim.epoch == 30
        await pilot.press("home")
        assert sim.epoch == 0 and sim.trained_epochs == 30
        await pilot.pause()
        assert screen.param_panel.value("epoch") == 0
        await pilot.press("n")
        assert sim.epoch == 1 and sim.trained_epochs == 30  # replayed, not retrained
        plot = screen.query_one(LinePlot)
        assert plot._marker_x == 1


async def test_epoch_knob_scrubs_and_trains_ahead():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("epoch")
        await pilot.press("p", "enter")
        panel._input.value = "250"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.sim.epoch == 250 and screen.sim.trained_epochs == 250
        assert screen.sim.accuracy >= 0.95
        panel._input.value = ""
        await pilot.press("enter")
        panel._input.value = "-3"
        await pilot.press("enter")
        await pilot.pause()
        assert panel.error and screen.sim.epoch == 250


async def test_drawn_lines_are_the_neurons_fences_and_hinges_toggle():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.sim.scrub(300)
        screen.refresh_view()
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        xs, ys = canvas.pixel_centers()
        pixel = xs[1] - xs[0]
        for i, neuron in enumerate(screen.sim.neurons()):
            code = canvas._ink_index[NEURON_COLORS[i]]
            rows, cols = np.nonzero(canvas._ink == code)
            assert len(rows) > 10
            d = line_distance(np.column_stack((xs[cols], ys[rows])), neuron.fence)
            assert d.max() < 1.5 * pixel
        assert not any(color in canvas._ink_index for color in HINGE_COLORS)
        await pilot.press("k")
        await pilot.pause()
        for i, neuron in enumerate(screen.sim.neurons()):
            code = canvas._ink_index[HINGE_COLORS[i]]
            rows, cols = np.nonzero(canvas._ink == code)
            d = line_distance(np.column_stack((xs[cols], ys[rows])), neuron.hinge)
            assert len(d) and d.max() < 1.5 * pixel
        # the heat map is the network's probability grid
        w, h = canvas.pixel_size
        probs = screen.sim.grid_probabilities(w, h, canvas.extent)
        levels = len(canvas._palette)
        np.testing.assert_array_equal(canvas._heat, np.clip((probs * levels).astype(int), 0, levels - 1))


async def test_reset_returns_to_the_untrained_network_and_keeps_the_learning_rate():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_param("lr", 0.02)
        await pilot.pause()
        await pilot.press("right", "right")
        await pilot.press("r")
        await pilot.pause()
        assert screen.sim.epoch == 0 and screen.sim.trained_epochs == 0 and screen.sim.lr == 0.02
        assert screen.param_panel.value("epoch") == 0


async def test_bad_typed_learning_rate_keeps_the_old_one():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("lr")
        await pilot.press("p", "enter")
        panel._input.value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert "not a number" in panel.error and screen.sim.lr == 0.01


async def test_small_terminal_hides_side_panels_without_errors():
    app = app_()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-short")
        await pilot.press("right", "k", "end")
        await pilot.pause()
        assert screen.sim.epoch == 10

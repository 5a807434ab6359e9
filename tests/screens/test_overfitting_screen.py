"""The overfitting screen: degree keys and knob, modes, test points, the drawn fit is the model's, the
error plot is the simulation's curves."""

from __future__ import annotations

import numpy as np

from algorithms.polyfit import fit_polynomial, poly_eval
from screens.overfitting import FIT_COLOR, MODE_SPEED
from tui.app import LearnLoopApp
from tui.simulation import SPEEDS
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def app_() -> LearnLoopApp:
    return LearnLoopApp("overfitting", seed=0, autoplay=False)


async def test_degree_keys_refit_and_step_sweeps_the_degree():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        await pilot.press("up", "up")
        await pilot.pause()
        assert sim.degree == 5 and screen.param_panel.value("degree") == 5
        np.testing.assert_allclose(sim.coefficients, fit_polynomial(sim.x_train, sim.y_train, 5))
        await pilot.press("n", "n")
        await pilot.pause()
        assert sim.degree == 7 and screen.param_panel.value("degree") == 7
        await pilot.press("b")
        assert sim.degree == 6
        for _ in range(20):
            await pilot.press("down")
        assert sim.degree == 1
        plot = screen.query_one(LinePlot)
        train, test = sim.degree_curves()
        assert plot._series["train"].ys.tolist() == train.tolist()
        assert plot._series["test"].ys.tolist() == test.tolist()
        assert plot._marker_x == 1


async def test_the_drawn_fit_is_the_polynomial():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_param("degree", 9)
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        code = canvas._ink_index[FIT_COLOR]
        rows, cols = np.nonzero(canvas._ink == code)
        fine = np.linspace(-1, 1, 5000)
        curve = np.array([canvas.data_to_pixel(x, y) for x, y in zip(fine, poly_eval(screen.sim.coefficients, fine))])
        assert len(rows) > 50
        for r, c in zip(rows[::4], cols[::4]):
            assert np.min(np.abs(curve[:, 0] - c) + np.abs(curve[:, 1] - r)) <= 2


async def test_network_mode_trains_epochs_and_speeds_up():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.speed == MODE_SPEED["polynomial"]
        await pilot.press("m")
        await pilot.pause()
        assert screen.sim.mode == "network" and screen.param_panel.value("mode") == "network"
        assert screen.speed == min(SPEEDS, key=lambda s: abs(s - MODE_SPEED["network"]))
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert screen.sim.epoch == 3
        plot = screen.query_one(LinePlot)
        assert len(plot._series["train"].ys) == 4 and plot._marker_x is None
        screen.set_param("dropout", 0.3)
        await pilot.pause()
        assert screen.sim.dropout == 0.3
        await pilot.press("b")
        assert screen.sim.epoch == 2
        await pilot.press("m")
        await pilot.pause()
        assert screen.sim.mode == "polynomial" and screen.sim.degree == 3


async def test_test_points_toggle_and_l2_knob():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        shown = len(canvas._points_glyphs)
        await pilot.press("t")
        await pilot.pause()
        assert len(canvas._points_glyphs) > shown + 50
        screen.set_param("degree", 15)
        await pilot.pause()
        plain = screen.sim.test_error
        screen.set_param("l2", 1e-3)
        await pilot.pause()
        assert screen.sim.l2 == 1e-3 and screen.sim.test_error < plain


async def test_bad_typed_degree_is_refused():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("degree")
        await pilot.press("p", "enter")
        panel._input.value = "16"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.degree == 3

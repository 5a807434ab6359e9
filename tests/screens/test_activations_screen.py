"""The activations screen as a user drives it: what is drawn is the simulation's state, every key."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.activations import ACTIVATION_CYCLE
from algorithms.nn import get_activation
from screens.activations import LINE_STEP, MOVE_STEP, NAMES
from tui.app import LearnLoopApp
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def app_for(**options) -> LearnLoopApp:
    return LearnLoopApp("activations", seed=0, autoplay=False, options=options)


def expected_levels(canvas: PixelCanvas, values: np.ndarray) -> np.ndarray:
    """Palette levels of a heat map auto-scaled from its own minimum to maximum."""
    levels = len(canvas._palette)
    lo, hi = values.min(), values.max()
    return np.clip(((values - lo) * (levels / (hi - lo))).astype(int), 0, levels - 1)


async def test_c_cycles_the_activation_and_the_plot_draws_it():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen, plot = app.screen, app.screen.query_one(LinePlot)
        for _ in ACTIVATION_CYCLE:
            await pilot.press("c")
            await pilot.pause()
            sim = screen.sim
            assert screen.param_panel.value("activation") == sim.activation
            plot.flush()
            xs, ys = plot.plotted(f"{NAMES[sim.activation]}(z)")
            assert len(xs) > 20
            np.testing.assert_allclose(ys, get_activation(sim.activation)(sim.w * xs + sim.b), rtol=1e-12, atol=1e-12)
            xs, ys = plot.plotted(f"slope {NAMES[sim.activation]}′(z)")
            np.testing.assert_allclose(ys, get_activation(sim.activation).derivative(sim.w * xs + sim.b), atol=1e-12)
        assert screen.sim.activation == "relu"  # all the way round


async def test_t_toggles_the_crease_and_w_s_e_d_move_the_line():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen, plot = app.screen, app.screen.query_one(LinePlot)
        sim = screen.sim
        w, b = sim.w, sim.b
        await pilot.press("w", "w", "d")
        await pilot.pause()
        assert (sim.w, sim.b) == (w + 2 * LINE_STEP, b - LINE_STEP)
        assert screen.param_panel.value("w") == sim.w and screen.param_panel.value("b") == sim.b
        await pilot.press("s", "e")
        await pilot.pause()
        assert (sim.w, sim.b) == (w + LINE_STEP, b)
        plot.flush()
        assert plot._marker_x == pytest.approx(-sim.b / sim.w)  # the crease marker
        assert "creased at x = " in str(screen.query_one("#act-line-caption").content)
        await pilot.press("t")
        await pilot.pause()
        plot.flush()
        assert not sim.applied and plot.series_names == ["z = w·x + b"]
        xs, ys = plot.plotted("z = w·x + b")
        np.testing.assert_allclose(ys, sim.w * xs + sim.b)
        assert "straight line" in str(screen.query_one("#act-line-caption").content)
        await pilot.press("t")
        assert sim.applied


async def test_hinge_keys_add_remove_select_move_turn_flip_and_undo():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        k = sim.n_hinges
        await pilot.press("a")
        assert sim.n_hinges == k + 1 and screen.param_panel.value("hinges") == k + 1
        await pilot.press("x", "x")
        assert sim.n_hinges == k - 1 and screen.param_panel.value("hinges") == k - 1
        assert sim.selected == k - 2  # removing takes the selected hinge; the previous one is selected
        await pilot.press("right_square_bracket")
        assert sim.selected == 0  # round the end
        await pilot.press("g", "g", "right_square_bracket", "left_square_bracket")
        assert sim.selected == 2
        i = sim.selected
        n, b = sim.normals[i], sim.offsets[i]
        await pilot.press("right", "up")
        assert sim.offsets[i] == pytest.approx(b - MOVE_STEP * (n[0] + n[1]))
        await pilot.press("comma")
        turned = sim.normals[i]
        assert np.degrees(np.arctan2(turned[1], turned[0]) - np.arctan2(n[1], n[0])) % 360 == pytest.approx(10)
        before = sim.normals[i]
        await pilot.press("f")
        np.testing.assert_allclose(sim.normals[i], -before)
        await pilot.press("b", "b", "b", "b")
        np.testing.assert_allclose(sim.normals[i], n)
        assert sim.offsets[i] == pytest.approx(b)


async def test_presets_and_the_hinges_knob():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("2")
        assert screen.sim.n_hinges == 2 and screen.param_panel.value("hinges") == 2
        await pilot.press("3")
        assert screen.sim.n_hinges == 6
        await pilot.press("1")
        assert screen.sim.n_hinges == 1
        await pilot.press("x")  # the last hinge stays, with a message instead of a crash
        assert screen.sim.n_hinges == 1
        screen.set_param("hinges", 4)
        await pilot.pause()
        assert screen.sim.n_hinges == 4


async def test_the_heat_map_is_the_hinge_sum_and_v_shows_the_target():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        canvas = screen.query_one(PixelCanvas)
        await pilot.press("n", "n")
        await pilot.pause()
        canvas.flush()
        w, h = canvas.pixel_size
        xs, ys = canvas.pixel_centers()
        X = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        surface = screen.sim.surface(X).reshape(h, w)
        assert np.mean(canvas._heat == expected_levels(canvas, surface)) > 0.99
        await pilot.press("v")
        await pilot.pause()
        canvas.flush()
        bowl = (X[:, 0] ** 2 + X[:, 1] ** 2).reshape(h, w)
        assert np.mean(canvas._heat == expected_levels(canvas, bowl)) > 0.99


async def test_learning_steps_fit_the_target_and_step_back():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = screen.sim.fit_error
        screen.advance(150)
        await pilot.pause()
        assert screen.sim.steps == 150 and screen.sim.fit_error < 0.1 * start
        assert f"{screen.sim.fit_error:.4f}" in str(screen.query_one("#act-hinge-caption").content)
        after = screen.sim.fit_error
        await pilot.press("n", "b")
        assert screen.sim.fit_error == after and screen.sim.steps == 150


async def test_typed_bad_slope_is_refused_with_a_message():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("w")
        await pilot.press("p", "enter")
        panel._input.value = "12"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.w == 1.0


async def test_command_line_options_set_the_knobs():
    app = app_for(activation="gelu", hinges=3, target="cone", w=-2.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sim = app.screen.sim
        assert (sim.activation, sim.n_hinges, sim.target, sim.w) == ("gelu", 3, "cone", -2.0)
        assert app.screen.param_panel.value("hinges") == 3


async def test_monochrome_draws_without_crashing():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        app.no_color = True
        await pilot.pause()
        await pilot.press("c", "n")
        await pilot.pause()
        assert "●" in str(app.screen.query_one("#act-line-caption").content)


async def test_clicking_the_plane_slides_the_selected_crease_there():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        canvas = screen.query_one(PixelCanvas)
        await pilot.click(PixelCanvas, offset=(12, 6))
        await pilot.pause()
        x, y = canvas.cell_to_data(12, 6)
        sim = screen.sim
        i = sim.selected
        assert sim.normals[i] @ [x, y] + sim.offsets[i] == pytest.approx(0, abs=1e-9)

"""The universal-approximation screen: drawing with the keyboard and the mouse, presets, learning,
the drawn fit is the network's, reset keeps a drawn curve."""

from __future__ import annotations

import numpy as np

from algorithms.approximation import N_SAMPLES, preset_curve
from screens.universal_approximation import (
    COARSE,
    FAST_MOVE,
    FINE,
    FIT_COLOR,
    TARGET_COLOR,
)
from tests.screens.clock import freeze_clock
from tui.app import LearnLoopApp
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def app_() -> LearnLoopApp:
    return LearnLoopApp("universal-approximation", seed=0, autoplay=False)


async def test_keyboard_draws_the_curve():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        mid = N_SAMPLES // 2
        assert screen.cursor == mid
        await pilot.press("right", "right", "up", "up")
        assert screen.cursor == mid + 2
        assert sim.ys[mid + 2] == np.clip(preset_curve("sine")[mid + 2] + 2 * FINE, -1, 1)
        assert sim.preset == "custom" and screen.param_panel.value("curve") == "custom"
        await pilot.press("shift+down", "shift+right")
        assert screen.cursor == mid + 2 + FAST_MOVE
        height = sim.ys[mid + 2]
        # pen down: moving carries the height along
        await pilot.press("d", "left", "left")
        assert screen.pen and screen.cursor == mid + FAST_MOVE
        assert sim.ys[mid + FAST_MOVE] == sim.ys[mid + FAST_MOVE + 2] == sim.ys[mid + 2 + FAST_MOVE]
        assert height == np.clip(preset_curve("sine")[mid + 2] + 2 * FINE - COARSE, -1, 1)
        await pilot.press("x")
        assert not sim.ys.any()
        await pilot.press("c")
        await pilot.pause()
        assert sim.preset == "sine" and screen.param_panel.value("curve") == "sine"
        await pilot.press("c")
        await pilot.pause()
        assert sim.preset == "zigzag"
        before = sim.ys
        await pilot.press("s")
        np.testing.assert_allclose(sim.ys[1:-1], (before[:-2] + before[1:-1] + before[2:]) / 3)


async def test_mouse_click_and_drag_draw():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        canvas = screen.query_one(PixelCanvas)
        await pilot.click(PixelCanvas, offset=(20, 5))
        await pilot.pause()
        x, y = canvas.cell_to_data(20, 5)
        assert sim.ys[sim.index_of(x)] == min(1.0, y) and sim.preset == "custom"
        # a drag from there to the right draws a straight stroke over every sample between
        x1, y1 = canvas.cell_to_data(60, 15)
        canvas.post_message(PixelCanvas.Clicked(canvas, x1, y1, 1, True))
        await pilot.pause()
        i0, i1 = sim.index_of(x), sim.index_of(x1)
        np.testing.assert_allclose(sim.ys[i0 : i1 + 1], np.linspace(min(1.0, y), y1, i1 - i0 + 1))
        assert screen.cursor == i1


async def test_learn_plays_and_the_drawn_fit_is_the_network():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        freeze_clock(screen)
        old = screen.sim.model
        await pilot.press("l")
        assert screen.playing and screen.sim.model is not old  # fresh weights, and off it goes
        await pilot.press("space")
        assert not screen.playing
        screen.advance(200)
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        w, _ = canvas.pixel_size
        code = canvas._ink_index[FIT_COLOR]
        rows, cols = np.nonzero(canvas._ink == code)
        assert len(cols) > w // 2
        fine = np.linspace(-1, 1, 4000)
        curve = np.array([canvas.data_to_pixel(a, b) for a, b in zip(fine, screen.sim.predict(fine))])
        for r, c in zip(rows[::5], cols[::5]):
            assert np.min(np.abs(curve[:, 0] - c) + np.abs(curve[:, 1] - r)) <= 2
        assert TARGET_COLOR in canvas._ink_index
        await pilot.press("h")
        await pilot.pause()
        assert screen.show_neurons


async def test_budget_spent_pauses_and_reset_keeps_a_drawn_curve():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        freeze_clock(screen)
        screen.set_param("budget", 250)
        await pilot.pause()
        await pilot.press("up", "up", "space")
        assert screen.playing
        screen.advance(400)
        await pilot.pause()
        assert screen.sim.epoch == 250 and not screen.playing
        drawn = screen.sim.ys
        await pilot.press("r")
        await pilot.pause()
        np.testing.assert_array_equal(screen.sim.ys, drawn)
        assert screen.sim.epoch == 0 and screen.sim.budget == 250


async def test_neuron_knob_restarts_and_refuses_bad_values():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(5)
        screen.set_param("neurons", 32)
        await pilot.pause()
        assert screen.sim.model.sizes == (1, 32, 1) and screen.sim.epoch == 0
        panel = screen.query_one(ParamPanel)
        panel.select("neurons")
        await pilot.press("p", "enter")
        panel._input.value = "100"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.neurons == 32

"""The logistic-regression screen as a user drives it: two panels, cursor, mouse, drawing = model."""

from __future__ import annotations

import numpy as np
import pytest

from tui import palette
from tui.app import LearnLoopApp
from tui.widgets.line_plot import LinePlot


def app_for(**kw) -> LearnLoopApp:
    return LearnLoopApp("logistic-regression", seed=0, autoplay=False, **kw)


async def test_v_switches_panels_and_points_land_in_the_active_one():
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        n1, n2 = len(sim.hours), len(sim.y)
        assert screen.panel == "plane"
        await pilot.press("up", "up", "o")  # first arrow shows the cursor in the middle
        await pilot.pause()
        plane = screen.canvas("plane")
        x, y = plane.cell_to_data(*screen.cursors["plane"].cell)
        assert len(sim.y) == n2 + 1 and sim.y[-1] == 1 and np.allclose(sim.X[-1], (x, y))
        await pilot.press("c", "left", "o")
        assert sim.y[-1] == 0 and screen.param_panel.value("drop_class") == 0
        await pilot.press("v")
        assert screen.panel == "curve"
        assert screen.query_one("#logreg-curve-box").has_class("-active")
        assert not screen.query_one("#logreg-plane-box").has_class("-active")
        # on the S-curve panel the cursor's height decides: the upper half is "passed"
        curve = screen.canvas("curve")
        await pilot.press("up")
        screen.cursors["curve"].cell = (screen.cursors["curve"].cell[0], 3)  # as if moved up: the pass row
        await pilot.press("o")
        hours, level = curve.cell_to_data(*screen.cursors["curve"].cell)
        assert len(sim.hours) == n1 + 1 and sim.hours[-1] == pytest.approx(hours) and sim.passed[-1] == 1
        await pilot.press("x")  # removes the nearest student: the one just added
        assert len(sim.hours) == n1
        await pilot.press("b", "b")  # undo the removal, then the addition
        assert len(sim.hours) == n1 and len(sim.y) == n2 + 2


async def test_mouse_adds_in_the_panel_clicked_and_right_click_removes():
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        n1, n2 = len(sim.hours), len(sim.y)
        await pilot.click("#logreg-curve", offset=(20, 3))
        await pilot.pause()
        assert screen.panel == "curve" and len(sim.hours) == n1 + 1 and sim.passed[-1] == 1
        await pilot.click("#logreg-plane", offset=(10, 10))
        await pilot.pause()
        assert screen.panel == "plane" and len(sim.y) == n2 + 1
        await pilot.click("#logreg-plane", offset=(10, 10), button=3)
        await pilot.pause()
        assert len(sim.y) == n2


async def test_heat_map_curve_and_losses_are_the_models():
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(40)
        await pilot.pause()
        sim = screen.sim
        plane = screen.canvas("plane")
        plane.flush()
        w, h = plane.pixel_size
        xs, ys = plane.pixel_centers()
        pts = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        p = 1 / (1 + np.exp(-(pts @ sim.w_2d + sim.b_2d)))
        levels = len(plane._palette)
        expected = np.clip((p * levels).astype(int), 0, levels - 1).reshape(h, w)
        assert np.mean(plane._heat == expected) > 0.99
        # the S-curve: white ink at the model's probability for a few hours
        curve = screen.canvas("curve")
        white = curve._ink == curve._ink_index[palette.HIGHLIGHT]
        for hours in (2.0, 5.0, 8.0):
            px, py = curve.data_to_pixel(hours, float(sim.curve(hours)))
            assert white[max(py - 2, 0) : py + 3, px].any()
        # the BCE curves plotted are the simulation's
        plot = screen.query_one(LinePlot)
        plot.flush()
        assert set(plot.series_names) == {"1-D", "2-D"}
        assert len(sim.loss_history_2d) == 41 and np.all(np.diff(sim.loss_history_2d) <= 0)


async def test_best_fit_toggle_and_separable_message():
    app = app_for(options={"n_points": 4})
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("g")
        assert screen.show_best
        sim = screen.sim
        while len(sim.y):
            sim.remove_point_2d(0)
        sim.add_point_2d(-0.5, 0.0, 0)
        sim.add_point_2d(0.5, 0.0, 1)
        screen.refresh_view()
        await pilot.pause()
        assert sim.separable_2d
        card = str(screen.query_one("#logreg-card").render())
        assert "separable" in card
        assert "separable" in screen.canvas("plane").row_text(0)

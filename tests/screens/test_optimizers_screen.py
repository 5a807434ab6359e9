"""The optimizers screen: the start moves with the cursor and the mouse, landscapes switch, the drawn
trails and table are the race's, blown-up racers are reported."""

from __future__ import annotations

import io

import numpy as np
from rich.console import Console

from algorithms.landscapes import get_landscape
from algorithms.optimizer_race import RACERS
from screens.optimizers import COLORS
from tui.app import LearnLoopApp
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def table_text(screen) -> str:
    """The race table as the user reads it."""
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(screen._table())
    return console.export_text()


def app_() -> LearnLoopApp:
    return LearnLoopApp("optimizers", seed=0, autoplay=False)


async def test_arrow_keys_move_the_start_and_restart_the_race():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "n")
        assert screen.sim.t == 2
        await pilot.press("right", "right", "down")
        assert screen.sim.t == 0
        assert screen.sim.start == (-4.0, 1.4)
        panel = screen.query_one(ParamPanel)
        assert panel.value("start_x") == -4.0 and panel.value("start_y") == 1.4
        np.testing.assert_array_equal(screen.sim.positions, np.tile([-4.0, 1.4], (4, 1)))
        await pilot.press(*["up"] * 8)
        assert screen.sim.start[1] == 2.0  # clamped to the box


async def test_trails_and_racers_are_drawn_where_the_race_has_them():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(60)
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        for i, name in enumerate(RACERS):
            col, row = canvas.data_to_cell(*screen.sim.positions[i])
            glyph = canvas._points_glyphs.get((row, col))
            assert glyph is not None
        # every inked pixel of the SGD colour lies on SGD's path (within a pixel or two)
        code = canvas._ink_index[COLORS["sgd"]]
        rows, cols = np.nonzero(canvas._ink == code)
        path = screen.sim.path("sgd")
        px = np.array([canvas.data_to_pixel(x, y) for x, y in path])
        assert len(rows) > 5
        for r, c in zip(rows[::7], cols[::7]):
            # distance from the pixel to the path's polyline, in pixels
            a, b = px[:-1].astype(float), px[1:].astype(float)
            d = b - a
            t = np.clip(((np.array([c, r]) - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
            assert np.min(np.hypot(*(a + t[:, None] * d - np.array([c, r])).T)) <= 1.0


async def test_l_switches_landscape_and_the_knobs_follow():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("l")
        await pilot.pause()
        land = get_landscape("rosenbrock")
        assert screen.sim.landscape is land
        panel = screen.query_one(ParamPanel)
        assert panel.value("landscape") == "rosenbrock"
        assert panel.value("lr_sgd") == land.lrs["sgd"] and panel.value("start_x") == land.start[0]
        assert screen.query_one(PixelCanvas).extent == land.extent
        assert "Rosenbrock" in table_text(screen)
        await pilot.press("l", "l")
        await pilot.pause()
        assert screen.sim.landscape.name == "ravine"


async def test_a_racer_that_blows_up_is_reported_and_finish_runs_the_race():
    app = app_()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("lr_sgd")
        await pilot.press("p", "enter")
        panel._input.value = "0.8"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert screen.sim.lr("sgd") == 0.8
        await pilot.press("f")
        await pilot.pause()
        assert screen.sim.blown_up("sgd") and screen.sim.finished
        assert not screen.diverged  # the others went on
        sgd_row = next(line for line in table_text(screen).splitlines() if "SGD" in line)
        assert "blew up" in sgd_row


async def test_click_sets_the_start_and_bad_typed_start_is_refused():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        canvas = screen.query_one(PixelCanvas)
        await pilot.click(PixelCanvas, offset=(10, 5))
        await pilot.pause()
        assert screen.sim.start == canvas.cell_to_data(10, 5)
        start = screen.sim.start
        panel = screen.query_one(ParamPanel)
        panel.select("start_x")
        await pilot.press("p", "enter")
        panel._input.value = "12"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.start == start


async def test_reset_keeps_landscape_and_start_and_the_knobs_agree():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("right", "n", "n", "r")
        await pilot.pause()
        sim = screen.sim
        assert sim.landscape.name == "rosenbrock" and sim.t == 0
        assert sim.start == (-1.4, 2.0)
        panel = screen.query_one(ParamPanel)
        assert panel.value("start_x") == sim.start[0] and panel.value("lr_adam") == sim.lr("adam")

"""The batch-size screen: epochs, jitter bars = the simulation's jitter, clock, hiding paths, divergence."""

from __future__ import annotations

import numpy as np

from tui.app import LearnLoopApp
from tui.widgets.bar_chart import BarChart
from tui.widgets.pixel_canvas import PixelCanvas


def bs_app() -> LearnLoopApp:
    return LearnLoopApp("batch-size", seed=0, autoplay=False)


async def test_epochs_advance_every_path_and_bars_show_the_jitter():
    app = bs_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "n", "n")
        await pilot.pause()
        sim = screen.sim
        assert sim.steps_taken == 3 and [r.epochs for r in sim.runners] == [3.0] * 4
        bars = screen.query_one(BarChart)
        np.testing.assert_allclose(bars._values, sim.jitters())
        j = bars._values
        assert j[0] > j[1] > j[2] > j[3] == 0
        card = str(screen.query_one("#bs-card").render())
        assert "epoch 3" in card
        canvas = screen.query_one(PixelCanvas)
        for k, path in enumerate(sim.paths()):
            col, row = canvas.data_to_cell(*path[-1])
            assert (row, col) in canvas._points_glyphs
        await pilot.press("b")
        assert sim.steps_taken == 2


async def test_clock_key_and_hiding_paths():
    app = bs_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("c")
        await pilot.pause()
        assert screen.sim.clock == "update"
        await pilot.press("n", "n")
        assert [r.updates for r in screen.sim.runners] == [2, 2, 2, 2]
        await pilot.press("1")
        await pilot.pause()
        assert 0 in screen.hidden
        canvas = screen.query_one(PixelCanvas)
        head = screen.sim.paths()[0][-1]
        col, row = canvas.data_to_cell(*head)
        glyph = canvas._points_glyphs.get((row, col))
        assert glyph is None or glyph.char != "●"


async def test_huge_learning_rate_diverges_and_reset_recovers():
    app = bs_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_param("lr", 1.0)
        await pilot.pause()
        screen.advance(50)
        await pilot.pause()
        assert screen.diverged and "DIVERGED" in str(screen.query_one("#bs-card").render())
        await pilot.press("r")
        await pilot.pause()
        assert not screen.diverged and screen.sim.steps_taken == 0

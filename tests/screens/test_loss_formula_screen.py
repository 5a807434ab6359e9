"""The loss-formula screen: part keys, epochs with bars and Q, the pixel grids and their L."""

from __future__ import annotations

import numpy as np

from screens.loss_formula import EXPLANATIONS
from tui.app import LearnLoopApp
from tui.widgets.bar_chart import BarChart
from tui.widgets.grid_view import GridView
from tui.widgets.param_panel import ParamPanel


def lf_app() -> LearnLoopApp:
    return LearnLoopApp("loss-formula", seed=0, autoplay=False)


def rendered(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def drawn(widget) -> str:
    """The widget's text as drawn on screen (any content, wrapped to its width)."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_keys_select_each_part_of_the_formula():
    app = lf_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        seen = []
        for key in ("right", "right", "right", "right", "left", "3", "1"):
            await pilot.press(key)
            seen.append(screen.selected)
            await pilot.pause()
            explain = " ".join(drawn(screen.query_one("#lf-explain-text")).split())
            assert EXPLANATIONS[screen.selected][1] in explain
            assert EXPLANATIONS[screen.selected][0] in screen.query_one("#lf-explain").border_title
            formula = rendered(screen, "#lf-formula").splitlines()
            marker = formula[3]
            assert "▔" in marker
        assert seen == ["1/n", "Σ", "L", "Q", "L", "Σ", "Q"]


async def test_epochs_bars_and_q_are_the_mean_of_the_shown_losses():
    app = lf_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        bars = screen.query_one("#lf-bars", BarChart)
        for epoch in range(1, 16):
            shown = [float(t) for t in bars._texts]
            np.testing.assert_allclose(shown, screen.sim.epochs.losses)
            q_line = rendered(screen, "#lf-q")
            assert f"= {np.mean(shown):.3f}" in q_line
            assert ("✓ learned" in q_line) == (np.mean(shown) < 0.08)
            assert screen.param_panel.value("epoch") == epoch
            await pilot.press("n")
        assert screen.sim.epoch == 15
        await pilot.press("b")
        assert screen.sim.epoch == 14


async def test_pixel_grids_show_the_arrays_and_l_is_their_mean_squared_difference():
    app = lf_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        for presses in (0, 2, 3):
            for _ in range(presses):
                await pilot.press("down")
            await pilot.pause()

            def shown(selector):
                return np.array([[int(t) for t in row] for row in screen.query_one(selector, GridView)._texts])

            real, gen, err = shown("#lf-real"), shown("#lf-gen"), shown("#lf-err")
            np.testing.assert_array_equal(err, np.abs(real - gen))
            loss_line = rendered(screen, "#lf-loss")
            assert f"= {np.mean((real - gen) ** 2):.1f}" in loss_line
        assert screen.sim.pixels.accuracy == 0.1
        await pilot.press("up", "up", "up", "up", "up", "up", "up", "up", "up", "up")
        await pilot.pause()
        assert screen.sim.pixels.accuracy == 1.0 and screen.sim.pixels.loss == 0.0
        await pilot.press("c")
        await pilot.pause()
        assert screen.sim.pixels.pattern != "smile"


async def test_narrow_screen_switches_between_bars_and_pixels():
    app = lf_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#lf-epochs").display and not screen.query_one("#lf-pixels").display
        await pilot.press("v")
        await pilot.pause()
        assert screen.query_one("#lf-pixels").display and not screen.query_one("#lf-epochs").display
        grid = screen.query_one("#lf-real", GridView)
        assert grid.cell_size[0] >= 3 and grid.size.height >= 5  # every number fits


async def test_bad_epoch_is_refused_with_a_message():
    app = lf_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(ParamPanel)
        assert not panel.submit_text("epoch", "16")
        assert "between" in panel.error and app.screen.sim.epoch == 1
        assert not panel.submit_text("epoch", "2.5")
        assert "whole number" in panel.error

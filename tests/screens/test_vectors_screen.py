"""The vectors screen: keys move v, presets, the animation, typed entries; the drawing is M·v."""

from __future__ import annotations

import numpy as np

from screens.vectors import MV_RGB
from tests.screens.clock import freeze_clock
from tui.app import LearnLoopApp
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def vectors_app() -> LearnLoopApp:
    return LearnLoopApp("vectors", seed=0, autoplay=False)


def head_cell(canvas: PixelCanvas, color) -> tuple[int, int] | None:
    """The cell of the arrow head drawn in ``color``."""
    for (row, col), glyph in canvas._glyphs.items():
        if glyph.color == color and glyph.char in "→↗↑↖←↙↓↘":
            return col, row
    return None


async def test_drawn_image_is_m_times_v_after_the_animation():
    app = vectors_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        assert sim.frame == 0  # starts at the identity
        screen.advance(sim.frames)
        await pilot.pause()
        assert sim.at_end and np.array_equal(sim.current, sim.matrix)
        canvas = screen.query_one(PixelCanvas)
        mv = sim.matrix @ sim.vector
        assert head_cell(canvas, MV_RGB) == canvas.data_to_cell(*mv)
        card = str(screen.query_one("#vectors-card").render())
        assert f"({mv[0]:.2f}, {mv[1]:.2f})" in card
        assert "det M = ad − bc = 1.00" in card


async def test_arrow_keys_move_v_and_its_image_follows():
    app = vectors_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.action_finish()
        v0 = screen.sim.vector
        await pilot.press("right", "right", "down")
        await pilot.pause()
        v = screen.sim.vector
        np.testing.assert_allclose(v, v0 + [1.0, -0.5])
        assert screen.query_one(ParamPanel).value("x") == v[0]
        canvas = screen.query_one(PixelCanvas)
        assert head_cell(canvas, MV_RGB) == canvas.data_to_cell(*(screen.sim.matrix @ v))


async def test_presets_by_key_and_the_singular_case_is_explained():
    app = vectors_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        freeze_clock(screen)
        await pilot.press("5")
        await pilot.pause()
        assert screen.sim.preset_name == "singular" and screen.playing
        screen.action_finish()
        await pilot.pause()
        card = str(screen.query_one("#vectors-card").render())
        assert "Singular" in card and "squashes the plane onto the line" in card
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        text = "\n".join(canvas.row_text(y) for y in range(canvas.size.height))
        assert "squashed onto a line" in text
        await pilot.press("1")
        await pilot.pause()
        assert screen.sim.preset_name == "rotate 90°"
        panel = screen.query_one(ParamPanel)
        assert [panel.value(k) for k in "abcd"] == [0.0, -1.0, 1.0, 0.0]
        await pilot.press("m")
        await pilot.pause()
        assert screen.sim.preset_name == "shear"


async def test_t_animates_from_identity_and_b_steps_back():
    app = vectors_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        freeze_clock(screen)
        screen.action_finish()
        await pilot.press("t")
        assert screen.playing
        await pilot.press("space")
        frame = screen.sim.frame
        assert not screen.playing and frame < screen.sim.frames  # restarted from the identity
        await pilot.press("n", "n", "b")
        assert screen.sim.frame == frame + 1
        expected = np.eye(2) + screen.sim.t * (screen.sim.matrix - np.eye(2))
        np.testing.assert_allclose(screen.sim.current, expected)


async def test_typed_entries_are_validated_and_change_the_matrix():
    app = vectors_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        await pilot.press("e")
        assert panel.has_focus and panel.params[panel.selected].name == "a"
        assert not panel.submit_text("a", "two")
        assert "not a number" in panel.error and screen.sim.entry("a") == 1.0
        assert not panel.submit_text("a", "7")
        assert "between" in panel.error
        assert panel.submit_text("d", "-2.5")
        await pilot.pause()
        assert screen.sim.entry("d") == -2.5 and panel.value("preset") == "custom"
        assert screen.sim.det == -2.5


async def test_click_puts_v_there():
    app = vectors_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        canvas = app.screen.query_one(PixelCanvas)
        await pilot.click(PixelCanvas, offset=(5, 3))
        await pilot.pause()
        x, y = canvas.cell_to_data(5, 3)
        np.testing.assert_allclose(app.screen.sim.vector, np.clip(np.round(np.array([x, y]) * 4) / 4, -5, 5))

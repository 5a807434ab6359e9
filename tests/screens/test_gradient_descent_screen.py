"""The gradient-descent screen: steps, tangent and ball drawn where the model is, divergence, modes."""

from __future__ import annotations

import re

import numpy as np

from screens.gradient_descent import TANGENT_RGB
from tui.app import LearnLoopApp
from tui.widgets.metrics_bar import MetricsBar
from tui.widgets.pixel_canvas import PixelCanvas


def gd_app() -> LearnLoopApp:
    return LearnLoopApp("gradient-descent", seed=0, autoplay=False)


def screen_text(app) -> str:
    """Every number the screen shows: the card, the knobs, the canvas labels and the metrics bar."""
    screen = app.screen
    parts = [str(w.render()) for w in screen.query("Static") if w.id != "sim-banner"]
    parts.append(str(screen.query_one(MetricsBar).render()))
    canvas = screen.query_one(PixelCanvas)
    canvas.flush()
    parts += [canvas.row_text(y) for y in range(canvas.size.height)]
    return "\n".join(parts)


async def test_each_step_follows_the_slope_and_the_drawing_follows_the_ball():
    app = gd_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        w0 = sim.w[0]
        await pilot.press("n")
        await pilot.pause()
        assert sim.w[0] == w0 - sim.lr * 2 * (w0 - 1.0)
        canvas = screen.query_one(PixelCanvas)
        col, row = canvas.data_to_cell(sim.w[0], sim.loss)
        assert canvas._labels[(row, col)].char == "●"
        # the tangent is inked through points of the line L(w) + L'(w)(u − w)
        code = canvas._ink_code(TANGENT_RGB)
        u = sim.w[0] + 0.5
        px, py = canvas.data_to_pixel(u, sim.loss + sim.slope * 0.5)
        window = canvas._ink[max(0, py - 1) : py + 2, max(0, px - 1) : px + 2]
        assert (window == code).any()
        assert f"{sim.slope:.3f}" in screen_text(app)


async def test_too_large_a_rate_diverges_as_a_state_without_nan_on_screen():
    app = gd_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_param("lr", 1.5)
        await pilot.pause()
        text = screen_text(app)
        assert "diverges" in text and "×2.00" in text
        screen.advance(200)
        await pilot.pause()
        assert screen.diverged and screen.has_class("-diverged") and not screen.playing
        text = screen_text(app).lower()
        assert "diverged" in text
        assert not re.search(r"\bnan\b|\binf\b|∞", text)
        assert "diverged" in str(screen.query_one("#sim-banner").render()).lower()
        await pilot.press("r")
        await pilot.pause()
        assert not screen.diverged and screen.sim.t == 0


async def test_two_d_mode_arrows_move_the_start_and_b_steps_back():
    app = gd_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("m")
        await pilot.pause()
        assert screen.sim.dim == 2
        start = screen.sim.start
        await pilot.press("up", "left")
        np.testing.assert_allclose(screen.sim.start, start + [-0.25, 0.25])
        await pilot.press("n", "n", "n", "b")
        assert screen.sim.t == 2
        tangent = screen.sim.contour_tangent(1.0)
        direction = np.subtract(tangent[2:], tangent[:2])
        assert abs(direction @ screen.sim.gradient) < 1e-9
        await pilot.press("m")
        await pilot.pause()
        assert screen.sim.dim == 1

"""The spiral screen as a user drives it: dots, colours, story, divergence, step back, drawing = model."""

from __future__ import annotations

import numpy as np

from tui.app import LearnLoopApp
from tui.widgets.explainer import Explainer
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import MAX_LEVELS, PixelCanvas


def spiral_app(**kw) -> LearnLoopApp:
    return LearnLoopApp("spiral", seed=0, autoplay=False, **kw)


async def test_cursor_drops_dots_of_the_chosen_colour_and_undo():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        n0 = len(sim.y)
        await pilot.press("right", "right", "up")  # first arrow shows the cursor at the centre
        await pilot.press("o")
        await pilot.pause()
        assert sim.n_user_points == 1 and len(sim.y) == n0 + 1
        canvas = screen.query_one(PixelCanvas)
        x, y = canvas.cell_to_data(*screen.cursor)
        assert np.allclose(sim.X[-1], (x, y), atol=1e-6)
        assert sim.y[-1] == 1  # orange by default
        await pilot.press("c", "left", "o")
        await pilot.pause()
        assert sim.n_user_points == 2 and sim.y[-1] == 0
        assert screen.param_panel.value("drop_class") == 0
        await pilot.press("u")
        assert sim.n_user_points == 1
        # the dot is training data at once: one step moves the loss measured on the augmented set
        await pilot.press("n")
        assert sim.epoch == 1 and len(sim.loss_history) == 2


async def test_mouse_click_drops_a_dot():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.click(PixelCanvas, offset=(10, 5))
        await pilot.pause()
        assert app.screen.sim.n_user_points == 1


async def test_heat_map_is_the_models_probability_grid():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(30)
        await pilot.pause()
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        w, h = canvas.pixel_size
        probs = screen.sim.model.predict_proba(
            np.stack(np.meshgrid(*canvas.pixel_centers()), axis=-1).reshape(-1, 2)
        ).reshape(h, w)
        levels = len(canvas._palette)
        expected = np.clip((probs * levels).astype(int), 0, levels - 1)
        agree = np.mean(canvas._heat == expected)
        assert agree > 0.99  # float32 vs float64 rounding at level edges only
        assert canvas._heat.max() < MAX_LEVELS


async def test_story_pages_with_keys():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        story = app.screen.query_one(Explainer)
        await pilot.press("pagedown", "pagedown")
        assert story.page == 2
        await pilot.press("pageup")
        assert story.page == 1


async def test_huge_learning_rate_diverges_gracefully_and_reset_recovers():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_param("lr", 100.0)
        await pilot.pause()
        screen.advance(50)
        await pilot.pause()
        assert screen.diverged and screen.has_class("-diverged") and not screen.playing
        await pilot.press("space")
        assert not screen.playing
        await pilot.press("r")
        await pilot.pause()
        assert not screen.diverged
        assert screen.sim.lr == 100.0  # the knob is kept; lowering it is the user's call
        screen.set_param("lr", 0.01)
        await pilot.pause()
        await pilot.press("n")
        assert screen.sim.epoch == 1 and not screen.diverged


async def test_step_back_restores_the_previous_epoch():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.advance(5)
        loss5 = screen.sim.loss
        await pilot.press("n", "b")
        assert screen.sim.epoch == 5 and screen.sim.loss == loss5


async def test_typed_bad_noise_is_refused_with_a_message():
    app = spiral_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        panel.select("noise")
        await pilot.press("p", "enter")
        panel._input.value = "-1"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.noise == 0.0


async def test_the_first_frame_already_shows_the_heat_map(monkeypatch):
    """The canvas asks for its picture as soon as it knows its size (PixelCanvas.when_sized), so the
    very first frame Textual writes for the topic has the boundary in it, not an empty canvas."""
    from textual.app import App

    from tui.widgets.pixel_canvas import PixelCanvas

    seen: list[tuple[str, int]] = []
    original = App._display

    def display(self, screen, update):
        canvases = list(screen.query(PixelCanvas))
        if canvases:
            seen.append((type(screen).__name__, canvases[0].frames_flushed, int(canvases[0]._shown_codes.size)))
        return original(self, screen, update)

    monkeypatch.setattr(App, "_display", display)
    app = LearnLoopApp("spiral", seed=0, autoplay=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert seen, "no frame was drawn"
        name, flushed, cells = seen[0]
        assert name == "SpiralScreen" and flushed >= 1 and cells > 0
        canvas = app.screen.query_one(PixelCanvas)
        assert canvas._shown_codes.shape == (canvas.size.height, canvas.size.width)

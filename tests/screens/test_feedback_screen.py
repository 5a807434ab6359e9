"""The feedback screen as a user drives it: rating keys, modes, the drawn dots, separator and beliefs."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.feedback import ACTION_LABELS, RATINGS, FeedbackTraining
from tests.screens.clock import freeze_clock
from tui.app import LearnLoopApp
from tui.widgets.interval_chart import IntervalChart
from tui.widgets.param_panel import ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas


def feedback_app(**kw) -> LearnLoopApp:
    return LearnLoopApp("feedback", seed=0, autoplay=False, **kw)


def status(screen) -> str:
    widget = screen.query_one("#fb-status")
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_rating_keys_teach_the_learner_in_human_mode():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        await pilot.press("m")
        assert sim.mode == "human" and screen.param_panel.value("mode") == "human"
        twin = FeedbackTraining(seed=0, mode="human")  # the same run, driven directly
        for key in "4132":
            action = sim.pending
            assert twin.pending == action
            await pilot.press(key)
            twin.rate(int(key))
            assert sim.last["action"] == action and sim.last["rating"] == int(key)
        await pilot.pause()
        assert sim.iteration == 4 and screen.steps_done == 4
        np.testing.assert_array_equal(sim.posterior_mean, twin.posterior_mean)
        np.testing.assert_array_equal(sim.params, twin.params)
        assert "rate it" in status(screen)


async def test_rating_outside_human_mode_is_explained_not_applied():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sim = app.screen.sim
        await pilot.press("3")
        await pilot.pause()
        assert sim.iteration == 0 and sim.mode == "supervised"
        assert any("human" in str(n.message) for n in app._notifications)


async def test_play_is_refused_in_human_mode_and_works_in_auto_mode():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        freeze_clock(screen)
        await pilot.press("m", "space")
        assert not screen.playing
        await pilot.press("m")
        assert screen.sim.mode == "auto"
        await pilot.press("space")
        assert screen.playing
        screen._tick()
        await pilot.press("space")


async def test_auto_mode_shows_the_applied_reinforcement_score():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_param("mode", "auto")
        await pilot.pause()
        for _ in range(3):
            text = status(screen)
            name, reward = RATINGS[screen.sim.pending_score]
            assert "applied reinforcement score" in text and f"{reward:+.0f} {name}" in text
            await pilot.press("n")
            assert screen.sim.last["rating"] is not None


async def test_canvas_draws_true_labels_mistakes_and_the_model():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n")
        await pilot.pause()
        sim = screen.sim
        canvas = screen.query_one(PixelCanvas)
        canvas.flush()
        glyphs = canvas._points_glyphs
        wrong = sim.predictions != sim.y
        # every drawn dot has its true class's glyph, bold exactly when the neuron gets it wrong
        drawn = 0
        for (x, y), label, is_wrong in zip(sim.X, sim.y, wrong):
            col, row = canvas.data_to_cell(x, y)
            glyph = glyphs.get((row, col))
            if glyph is not None and sum(canvas.data_to_cell(*p) == (col, row) for p in sim.X) == 1:
                assert glyph.char == "●▲"[label] and glyph.bold == bool(is_wrong)
                drawn += 1
        assert drawn > 0.8 * len(sim.y)
        # the shading is the neuron's probability everywhere
        w, h = canvas.pixel_size
        grid = np.stack(np.meshgrid(*canvas.pixel_centers()), axis=-1).reshape(-1, 2)
        probs = sim.model.predict_proba(grid).reshape(h, w)
        levels = len(canvas._palette)
        expected = np.clip((probs * levels).astype(int), 0, levels - 1)
        assert np.mean(canvas._heat == expected) > 0.99
        assert f"accuracy {sim.accuracy:.0%}" in canvas.row_text(0)


async def test_belief_chart_is_the_posterior():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("m", "4", "4", "1")
        await pilot.pause()
        chart = screen.query_one(IntervalChart)
        sim = screen.sim
        lows, highs = sim.posterior_interval
        offset = 1 if chart.title else 0
        for i, label in enumerate(ACTION_LABELS):
            text = chart.render_line(i + offset).text
            assert label in text and text.rstrip().endswith(f"{sim.posterior_mean[i]:+.2f}")
        highlighted = [i for i in range(6) if chart.render_line(i + offset).text.startswith("▶")]
        assert highlighted == [sim.pending]


async def test_step_back_undoes_a_rating_and_the_mode_follows():
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "n", "m", "3")
        assert screen.sim.iteration == 3
        before = screen.sim.posterior_mean.copy()
        await pilot.press("b")
        assert screen.sim.iteration == 2
        assert not np.array_equal(before, screen.sim.posterior_mean)
        await pilot.press("b")
        await pilot.pause()
        assert screen.sim.mode == "supervised" and screen.param_panel.value("mode") == "supervised"


@pytest.mark.parametrize(("name", "text"), [("step_size", "5"), ("discount", "0.1"), ("lr", "-1")])
async def test_typed_bad_values_are_refused_with_a_message(name, text):
    app = feedback_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        old = getattr(screen.sim, name)
        panel.select(name)
        await pilot.press("p", "enter")
        panel._input.value = text
        await pilot.press("enter")
        await pilot.pause()
        assert panel.error and getattr(screen.sim, name) == old


async def test_fits_at_80_by_24():
    app = feedback_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("m")
        await pilot.pause()
        for widget in (screen.query_one(IntervalChart), screen.query_one(ParamPanel), screen.query_one("#fb-status")):
            region = widget.region
            assert region.height > 0 and region.bottom <= 23, widget
        assert screen.query_one(ParamPanel).region.height >= 7  # every knob row visible

"""Every ready topic: opens from the catalog and the CLI, steps, plays, resets, takes every knob,
shows help, survives odd terminal sizes and 500 random keys."""

from __future__ import annotations

import random

import pytest

from tests.screens.clock import freeze_clock
from tui import catalog
from tui.app import LearnLoopApp
from tui.catalog_screen import CatalogScreen
from tui.simulation import SimulationScreen
from tui.widgets.param_panel import ParamPanel

READY = [t.id for t in catalog.ready_topics()]


def test_something_is_ready():
    assert "spiral" in READY


@pytest.mark.parametrize("topic_id", READY)
async def test_open_from_cli_step_play_pause_reset(topic_id):
    app = LearnLoopApp(topic_id, seed=1, autoplay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulationScreen) and screen.TOPIC_ID == topic_id
        assert not screen.playing
        freeze_clock(screen)
        await pilot.press("n", "n", "n")
        assert screen.steps_done == 3
        await pilot.press("space")
        assert screen.playing
        screen._tick()
        await pilot.press("space")
        assert not screen.playing
        await pilot.press("r")
        assert screen.steps_done == 0
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)


@pytest.mark.parametrize("topic_id", READY)
async def test_open_from_catalog(topic_id):
    app = LearnLoopApp(seed=0, autoplay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        await pilot.press("slash", *topic_id, "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SimulationScreen) and app.screen.TOPIC_ID == topic_id


@pytest.mark.parametrize("topic_id", READY)
async def test_every_knob_moves_both_ways_and_takes_effect(topic_id):
    app = LearnLoopApp(topic_id, seed=2, autoplay=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        await pilot.press("p")
        for i, param in enumerate(panel.params):
            panel.selected = i
            before = panel.value(param.name)
            await pilot.press("right")
            await pilot.pause()
            after = panel.value(param.name)
            if after == before:  # at the top of its range: go down instead
                await pilot.press("left")
                await pilot.pause()
                after = panel.value(param.name)
            assert after != before, f"knob {param.name} did not move"
            assert panel.error == "", panel.error
            await pilot.press("n")
            await pilot.press("left")
            await pilot.pause()
        await pilot.press("n")
        assert not screen.diverged or screen.has_class("-diverged")


@pytest.mark.parametrize("topic_id", READY)
@pytest.mark.parametrize("size", [(40, 12), (80, 24), (200, 60)])
async def test_survives_terminal_sizes(topic_id, size):
    app = LearnLoopApp(topic_id, seed=0, autoplay=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("n", "space")
        app.screen._tick()
        await pilot.press("space", "question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.resize_terminal(*reversed(size)) if hasattr(pilot, "resize_terminal") else None
        await pilot.pause()


KEYS = list("nbrRpcuo+-= ?/hjkl0123456789.,x") + [
    "enter", "escape", "tab", "up", "down", "left", "right", "pageup", "pagedown", "f1", "backspace",
]


@pytest.mark.parametrize("topic_id", READY)
async def test_random_key_mashing(topic_id):
    rng = random.Random(1234)
    app = LearnLoopApp(topic_id, seed=0, autoplay=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(120):
            key = rng.choice(KEYS)
            await pilot.press(key)
            if isinstance(app.screen, CatalogScreen) and rng.random() < 0.5:
                app.open_topic(topic_id)
                await pilot.pause()
        await pilot.pause()
        assert app.is_running

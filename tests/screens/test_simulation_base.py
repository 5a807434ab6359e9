"""SimulationScreen's shared behaviour, on a toy counter simulation."""

from __future__ import annotations

import pytest

from tests.screens.toy import ToyApp, ToyScreen
from tui.simulation import SPEEDS
from tui.widgets.metrics_bar import MetricsBar
from tui.widgets.param_panel import ParamPanel


async def test_step_back_reset_and_footer_state():
    app = ToyApp(seed=5, autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ToyScreen)
        assert screen.sim.value == 5
        await pilot.press("n", "n", "n")
        assert screen.sim.value == 8
        await pilot.press("b")
        assert screen.sim.value == 7
        await pilot.press("r")
        assert screen.sim.value == 5 and screen.steps_done == 0
        # the footer offers Play while paused and Pause while playing
        assert "play" in {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        await pilot.press("space")
        assert screen.playing
        actions = {b.binding.action for b in screen.active_bindings.values()}
        assert screen.check_action("pause", ()) and not screen.check_action("play", ())
        await pilot.press("space")
        assert not screen.playing
        assert "pause" in actions


async def test_step_back_without_history_warns():
    app = ToyApp(autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        assert app.screen.sim.value == 0


async def test_reseed_changes_seed_and_keeps_state_consistent():
    app = ToyApp(seed=1, autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("R")
        assert screen.sim.value == screen.seed


async def test_speed_keys_clamp():
    app = ToyApp(autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for _ in range(len(SPEEDS) + 3):
            await pilot.press("plus")
        assert screen.speed == SPEEDS[-1]
        for _ in range(len(SPEEDS) + 3):
            await pilot.press("minus")
        assert screen.speed == SPEEDS[0]


async def test_play_runs_steps_on_the_timer():
    app = ToyApp(autoplay=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.speed_index = len(SPEEDS) - 2
        for _ in range(10):
            screen._tick()
        assert screen.sim.value > 0
        assert screen.last_frame_steps > 0


async def test_divergence_is_a_state_with_reset():
    app = ToyApp(autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.sim.limit = 2.5
        screen.advance(10)
        await pilot.pause()
        assert screen.diverged and not screen.playing
        assert screen.has_class("-diverged")
        bar = screen.query_one(MetricsBar)
        assert "diverged" in bar.render().plain
        await pilot.press("space")  # play refuses while diverged
        assert not screen.playing
        await pilot.press("r")
        assert not screen.diverged and not screen.has_class("-diverged")


async def test_param_nudge_typed_value_and_rejection():
    app = ToyApp(autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        await pilot.press("p")
        assert panel.has_focus
        await pilot.press("right")
        await pilot.pause()
        assert screen.sim.rate == 2.0 and panel.value("rate") == 2.0
        async def type_value(text: str) -> None:
            if not panel._input.has_focus:
                await pilot.press("enter")
            assert panel._input.has_focus
            panel._input.value = text
            await pilot.press("enter")
            await pilot.pause()

        # typed garbage: message, old value kept, editor stays open
        await type_value("abc")
        assert "not a number" in panel.error
        assert screen.sim.rate == 2.0 and panel.value("rate") == 2.0
        # out of range
        await type_value("1000")
        assert "between" in panel.error and screen.sim.rate == 2.0
        # the simulation refuses a value: message, old value back
        await type_value("13")
        assert "unlucky" in panel.error
        assert screen.sim.rate == 2.0 and panel.value("rate") == 2.0
        # a good value
        await type_value("-3")
        assert panel.error == "" and screen.sim.rate == -3.0
        await pilot.press("escape")
        await pilot.press("n")
        assert screen.sim.value == -3.0


async def test_reset_keeps_knob_values():
    app = ToyApp(autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.set_param("rate", 4.0)
        await pilot.pause()
        await pilot.press("r")
        await pilot.press("n")
        assert screen.sim.value == 4.0


async def test_timer_pauses_while_hidden():
    app = ToyApp(autoplay=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is not screen
        assert screen._timer._active.is_set() is False
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen._timer._active.is_set()


async def test_rest_and_wake_clock():
    """A screen waiting for the user rests the frame timer without leaving the playing state; waking
    it does nothing while paused or hidden."""
    app = ToyApp(autoplay=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        active = screen._timer._active.is_set
        screen.rest_clock()
        assert screen.playing and not active()
        screen.wake_clock()
        assert active()
        await pilot.press("question_mark")
        await pilot.pause()
        screen.wake_clock()  # hidden: stays asleep
        assert not active()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("space")  # paused
        screen.rest_clock()
        screen.wake_clock()
        assert not screen.playing and not active()


async def test_help_lists_the_screens_own_keys():
    app = ToyApp(autoplay=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = app.screen.body
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(text)
        out = console.export_text()
        assert "Counts up." in out
        for words in ("Step", "Reset", "New seed", "Faster"):
            assert words in out


@pytest.mark.parametrize("size", [(40, 12), (200, 60), (20, 6)])
async def test_survives_sizes(size):
    app = ToyApp(autoplay=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "space", "p", "right", "escape")
        await pilot.pause()


@pytest.mark.parametrize(
    "size, expected",
    [((80, 24), {"-narrow", "-short"}), ((50, 20), {"-narrow", "-tiny", "-short", "-squat"}),
     ((160, 50), set())],
)
async def test_size_classes_follow_the_screen_size(size, expected):
    app = ToyApp(seed=0, autoplay=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.set_size_classes(narrow=110, tiny=60, short=30, squat=22)
        names = {"-narrow", "-tiny", "-short", "-squat"}
        assert {c for c in screen.classes if c in names} == expected
        screen.set_size_classes(narrow=40)  # only the classes given are touched
        assert {c for c in screen.classes if c in names} == expected - {"-narrow"}


async def test_a_resize_sets_the_size_classes_calls_layout_changed_and_redraws(monkeypatch):
    """The base's on_resize: SIZE_CLASSES become classes, layout_changed runs, a redraw follows —
    and no topic defines its own on_resize (Textual would run both: twice the work per resize)."""
    import inspect

    from tui import catalog

    calls: list[str] = []
    monkeypatch.setattr(ToyScreen, "SIZE_CLASSES", {"narrow": 110, "short": 30})
    monkeypatch.setattr(ToyScreen, "layout_changed", lambda self: calls.append("layout"), raising=False)
    original = ToyScreen.update_view
    monkeypatch.setattr(ToyScreen, "update_view", lambda self: (calls.append("view"), original(self)))
    app = ToyApp(seed=0, autoplay=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        calls.clear()
        await pilot.resize_terminal(100, 24)
        await pilot.pause()
        await pilot.pause()
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
        assert "layout" in calls and "view" in calls[calls.index("layout"):]
    for topic in catalog.ready_topics():
        cls = catalog.load_screen(topic)
        defined = [k for k in inspect.getmro(cls) if "on_resize" in vars(k)]
        assert [k.__name__ for k in defined] == ["SimulationScreen"], topic.id

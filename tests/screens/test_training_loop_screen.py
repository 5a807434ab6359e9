"""The training-loop screen as a user drives it: one phase per key, the code lit where it runs, every
value shown as the simulation holds it, the example switch, the learning-rate trap."""

from __future__ import annotations

import pytest

from algorithms.training_loop import PHASES, TrainingLoop
from screens.training_loop import fmt_value
from tui.app import LearnLoopApp
from tui.widgets.code_view import MARK, CodeView
from tui.widgets.param_panel import ParamPanel


def loop_app(**kw) -> LearnLoopApp:
    return LearnLoopApp("training-loop", seed=0, autoplay=False, **kw)


def shown_text(screen, selector: str) -> str:
    """The rows of a widget as drawn."""
    widget = screen.query_one(selector)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def words(text: str) -> str:
    """``text`` with every line break and run of spaces made one space (for wrapped text)."""
    return " ".join(text.split())


async def test_each_key_runs_one_phase_and_lights_its_lines():
    app = loop_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        code = screen.query_one(CodeView)
        twin = TrainingLoop(seed=0)
        assert code.code == sim.code and code.highlighted == ()
        for phase in PHASES * 2:
            await pilot.press("n")
            twin.step()
            await pilot.pause()
            assert sim.last_phase == phase and sim.variables == twin.variables
            assert code.highlighted == sim.phase_lines[phase]
            lit = [code.row_text(y) for y in range(code.size.height) if code.row_text(y).startswith(MARK)]
            assert len(lit) == len(sim.phase_lines[phase])
            assert sim.next_phase in code.border_subtitle


async def test_every_variable_is_shown_with_its_live_value():
    app = loop_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"nnnnnn")
        await pilot.pause()
        sim = screen.sim
        table = shown_text(screen, "#tl-vars")
        for name, value in sim.variables.items():
            assert any(line.split()[:2] == [name, fmt_value(value, 8)] for line in table.splitlines()), name
        notes = screen.query_one(CodeView).notes
        for line, names in sim.line_names.items():
            for name in names:
                if name in sim.variables:
                    assert f"{name}={fmt_value(sim.variables[name])}" in notes[line]


async def test_finish_and_train_keys_and_the_and_gate():
    app = loop_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "f")
        assert screen.sim.phase_count == 4 and screen.steps_done == 4
        await pilot.press("e")
        assert screen.sim.example == "and-gate" and screen.param_panel.value("example") == "and-gate"
        assert screen.param_panel.value("lr") == screen.sim.lr == 0.5
        assert "not yet right" in shown_text(screen, "#tl-result")
        await pilot.press("t")
        await pilot.pause()
        assert screen.sim.epoch == 100 and screen.sim.classified_correctly()
        assert "all four right" in shown_text(screen, "#tl-result")
        assert "sigmoid" in screen.query_one(CodeView).code


async def test_learning_rate_trap_ends_in_diverged_and_reset_recovers():
    app = loop_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("right_square_bracket", "right_square_bracket")  # 0.1 → 0.4: overshoots, closes in
        assert screen.sim.lr == 0.4 and screen.param_panel.value("lr") == 0.4
        assert "overshoots, but still closes in" in words(shown_text(screen, "#tl-result"))
        await pilot.press("right_square_bracket")  # 0.8 > 1/x²
        assert "diverge" in shown_text(screen, "#tl-result")
        for _ in range(10):
            await pilot.press("t")
        await pilot.pause()
        assert screen.diverged and screen.has_class("-diverged") and screen.sim.diverged
        assert "diverged" in shown_text(screen, "#sim-metrics")
        assert "inf" in shown_text(screen, "#tl-code") or "nan" in shown_text(screen, "#tl-code")
        await pilot.press("r")
        await pilot.pause()
        assert not screen.diverged and screen.sim.lr == 0.8  # the knob is kept
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert screen.sim.lr == 0.1


async def test_step_back_undoes_a_phase():
    app = loop_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "n", "n")
        values = screen.sim.variables
        await pilot.press("n", "b")
        assert screen.sim.variables == values and screen.sim.last_phase == "gradient"


@pytest.mark.parametrize(("name", "text"), [("x", "0"), ("lr", "1000"), ("target", "abc")])
async def test_typed_bad_values_are_refused_with_a_message(name, text):
    app = loop_app()
    async with app.run_test(size=(160, 50)) as pilot:
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


async def test_fits_at_80_by_24_with_the_code_in_view():
    app = loop_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("e", "n", "n", "n", "n")  # the AND gate's update lines sit low in its code
        await pilot.pause()
        code = screen.query_one(CodeView)
        rows = [code.row_text(y) for y in range(code.size.height)]
        assert sum(r.startswith(MARK) for r in rows) == len(screen.sim.phase_lines["update"])
        panel = screen.query_one(ParamPanel)
        assert panel.region.bottom <= 23 and panel.region.height >= 6
        assert all("w1=" not in r or r.index("w1=") > 20 for r in rows)  # notes do not cover code

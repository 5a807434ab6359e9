"""The training-loop topic: convergence to target/x, the AND gate, the learning-rate trap, and every
value shown consistent — the gradient with finite differences of the loss, the run with the code shown."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from algorithms.training_loop import (
    AND_DATA,
    DEFAULT_LR,
    PHASES,
    TrainingLoop,
    assigned_names,
    phase_lines,
)


def run_shown_code(sim: TrainingLoop, epochs: int) -> dict:
    """Execute the program the screen shows, as plain Python, for ``epochs`` epochs."""
    namespace: dict = {"epochs": epochs}
    exec(compile(sim.code, "<shown code>", "exec"), namespace)  # noqa: S102 - our own program text
    return namespace


# ----------------------------------------------------------------------------- claims
@pytest.mark.parametrize(
    ("x", "target", "lr"), [(1.5, 1.0, 0.1), (2.0, -3.0, 0.05), (-0.5, 2.0, 1.0), (3.0, 0.5, 0.01)]
)
def test_one_weight_converges_to_target_over_x(x: float, target: float, lr: float) -> None:
    sim = TrainingLoop(seed=1, x=x, target=target, lr=lr)
    w0, goal = sim.weights[0], target / x
    assert sim.goal == goal
    sim.run_epochs(400)
    assert sim.weights[0] == pytest.approx(goal, abs=1e-9)
    # ... along the closed form: the distance to the goal shrinks by (1 − 2·lr·x²) every loop.
    factor = 1 - 2 * lr * x * x
    for k, (w,) in enumerate(sim.weight_history[:30]):
        assert w - goal == pytest.approx(factor**k * (w0 - goal), abs=1e-9)


def test_the_and_gate_is_classified_correctly_after_training() -> None:
    for seed in range(5):
        sim = TrainingLoop(seed=seed, example="and-gate")
        sim.run_epochs(300)
        w1, w2, b = sim.weights
        for (x1, x2), target in AND_DATA:
            pred = special.expit(w1 * x1 + w2 * x2 + b)  # independently of the simulation
            assert (pred >= 0.5) == bool(x1 and x2) == bool(target)
        assert sim.classified_correctly()
        assert sim.predictions() == pytest.approx([special.expit(w1 * a + w2 * c + b) for (a, c), _ in AND_DATA])
        losses = sim.epoch_loss_history
        assert losses[-1] < 0.1 * losses[0]


def test_the_and_gate_starts_out_wrong() -> None:
    assert not all(TrainingLoop(seed=s, example="and-gate").classified_correctly() for s in range(5))


@pytest.mark.parametrize("example", ["one-weight", "and-gate"])
def test_the_shown_gradient_is_the_slope_of_the_shown_loss(example: str) -> None:
    """Finite differences: nudge one weight before the forward pass, run forward + loss, read the loss."""
    sim = TrainingLoop(seed=3, example=example)
    names = ("w",) if example == "one-weight" else ("w1", "w2", "b")
    grads = {"w": "grad", "w1": "g1", "w2": "g2", "b": "gb"}
    h = 1e-6
    for _ in range(9):  # several loops (every AND row, twice)
        assert sim.next_phase == "forward"
        for name in names:
            losses = []
            for sign in (1, -1):
                probe = copy.deepcopy(sim)
                probe.set_weight(name, probe.variables[name] + sign * h)
                probe.steps(2)  # forward pass, loss
                losses.append(probe.variables["loss"])
            fd = (losses[0] - losses[1]) / (2 * h)
            shown = copy.deepcopy(sim)
            shown.steps(3)  # forward pass, loss, gradient
            assert shown.last_phase == "gradient"
            assert shown.variables[grads[name]] == pytest.approx(fd, rel=1e-6, abs=1e-9)
        sim.finish_iteration()


@pytest.mark.parametrize("example", ["one-weight", "and-gate"])
def test_the_shown_values_are_the_formulas(example: str) -> None:
    sim = TrainingLoop(seed=4, example=example)
    for _ in range(6):
        v = dict(sim.variables)
        sim.steps(4)
        after = sim.variables
        if example == "one-weight":
            assert after["output"] == v["w"] * v["x"]
            assert after["loss"] == (after["output"] - v["target"]) ** 2
            assert after["w"] == pytest.approx(v["w"] - v["lr"] * 2 * (after["output"] - v["target"]) * v["x"])
        else:
            x1, x2, t = after["x1"], after["x2"], after["target"]
            pred = special.expit(v["w1"] * x1 + v["w2"] * x2 + v["b"])
            assert after["pred"] == pytest.approx(pred, rel=1e-12)
            assert after["loss"] == pytest.approx((pred - t) ** 2, rel=1e-12)


@pytest.mark.parametrize("example", ["one-weight", "and-gate"])
def test_the_code_shown_computes_exactly_what_the_phases_did(example: str) -> None:
    for lr in (DEFAULT_LR[example], 0.3):
        sim = TrainingLoop(seed=6, example=example, lr=lr)
        ran = run_shown_code(sim, 25)
        sim.run_epochs(25)
        if example == "one-weight":
            assert ran["w"] == sim.weights[0]
        else:
            assert (ran["w1"], ran["w2"], ran["b"]) == sim.weights
        for name, value in sim.variables.items():
            assert ran[name] == value, name


# ----------------------------------------------------------------------------- the learning-rate trap
def test_learning_rate_trap_oscillates_then_diverges() -> None:
    x = 1.5  # thresholds 1/(2x²) = 0.222 and 1/x² = 0.444
    calm = TrainingLoop(seed=0, x=x, lr=0.2)
    wobbly = TrainingLoop(seed=0, x=x, lr=0.4)
    wild = TrainingLoop(seed=0, x=x, lr=0.6)
    assert calm.oscillation_lr == pytest.approx(1 / (2 * x * x)) and calm.divergence_lr == pytest.approx(1 / (x * x))
    for sim in (calm, wobbly, wild):
        sim.run_epochs(20)
    errors = {id(sim): [w - sim.goal for (w,) in sim.weight_history] for sim in (calm, wobbly, wild)}
    calm_e, wobbly_e, wild_e = errors[id(calm)], errors[id(wobbly)], errors[id(wild)]
    calm_e = [e for e in calm_e if abs(e) > 1e-12]  # (it reaches the goal to rounding within 20 loops)
    assert len(calm_e) > 5 and all(a * b > 0 for a, b in zip(calm_e, calm_e[1:]))  # same side every time
    assert all(a * b < 0 for a, b in zip(wobbly_e, wobbly_e[1:]))  # overshoots every time ...
    assert abs(wobbly_e[-1]) < abs(wobbly_e[0])  # ... but closes in
    assert abs(wild_e[-1]) > 10 * abs(wild_e[0])  # overshoots by more each time
    wild.run_epochs(5000)
    assert wild.diverged and wild.epoch < 5000  # the floats overflowed, and that is reported
    assert any(isinstance(v, float) and not math.isfinite(v) for v in wild.variables.values())
    phases = wild.phase_count
    wild.step()
    assert wild.phase_count == phases  # a diverged run stands still
    wild.step_back()
    assert not wild.diverged
    wild.reset()
    assert not wild.diverged and wild.epoch == 0


# ----------------------------------------------------------------------------- phases and code
def test_one_phase_per_step_in_order() -> None:
    sim = TrainingLoop(seed=0)
    assert sim.last_phase is None and sim.current_lines == ()
    seen = []
    for _ in range(8):
        sim.step()
        seen.append(sim.last_phase)
    assert seen == list(PHASES) * 2
    assert sim.iteration == 2 and sim.epoch == 2 and sim.phase_count == 8


@pytest.mark.parametrize("example", ["one-weight", "and-gate"])
def test_highlighted_lines_are_where_the_changed_variables_are_assigned(example: str) -> None:
    sim = TrainingLoop(seed=2, example=example)
    names = sim.line_names
    for _ in range(12):
        sim.step()
        lines = sim.current_lines
        assigned = {n for line in lines for n in names.get(line, ())}
        assert set(sim.changed) <= assigned, (sim.last_phase, sim.changed, assigned)
        assert set(lines) <= set(range(1, sim.code.count("\n") + 1))


def test_phase_lines_and_assigned_names_read_the_code() -> None:
    code = (
        "a = 1\nfor i in range(3):\n    y = a * i  # ① go\n    e = y - 1  # ② loss\n"
        "    g = 2 * e  # ③\n    a = a - g  # ④\n"
    )
    assert phase_lines(code) == {"forward": (2, 3), "loss": (4,), "gradient": (5,), "update": (6,)}
    assert assigned_names(code) == {1: ("a",), 2: ("i",), 3: ("y",), 4: ("e",), 5: ("g",), 6: ("a",)}


@settings(max_examples=25, deadline=None)
@given(lr=st.floats(1e-4, 0.4), x=st.floats(0.5, 3.0), target=st.floats(-5, 5), k=st.integers(0, 40))
def test_step_back_undoes_exactly(lr: float, x: float, target: float, k: int) -> None:
    sim = TrainingLoop(seed=0, lr=lr, x=x, target=target)
    sim.steps(k)
    state = (sim.variables, sim.next_phase, sim.last_phase, sim.iteration, sim.epoch, sim.loss_history,
             sim.weight_history, sim.changed)
    sim.steps(7)
    for _ in range(7):
        sim.step_back()
    assert (sim.variables, sim.next_phase, sim.last_phase, sim.iteration, sim.epoch, sim.loss_history,
            sim.weight_history, sim.changed) == state


def test_step_back_reaches_200_phases() -> None:
    sim = TrainingLoop(seed=0, example="and-gate")
    sim.steps(230)
    backs = 0
    while sim.can_step_back:
        sim.step_back()
        backs += 1
    assert backs == TrainingLoop.HISTORY == 200 and sim.phase_count == 30
    with pytest.raises(ValueError):
        sim.step_back()


# ----------------------------------------------------------------------------- settings
def test_settings_take_effect() -> None:
    sim = TrainingLoop(seed=5)
    sim.steps(5)
    sim.set_lr(0.25)
    assert sim.lr == sim.variables["lr"] == 0.25 and "lr = 0.25" in sim.code
    sim.set_x(2.0)
    assert sim.x == sim.variables["x"] == 2.0 and sim.phase_count == 0 and sim.goal == 0.5
    sim.set_target(-1.0)
    assert sim.goal == -0.5 and "target = -1.0" in sim.code
    sim.set_example("and-gate")
    assert sim.example == "and-gate" and sim.lr == DEFAULT_LR["and-gate"]
    assert set(sim.variables) == {"w1", "w2", "b", "lr"}
    sim.set_weight("w2", 1.5)
    assert sim.weights[1] == 1.5
    a, b = TrainingLoop(seed=11, example="and-gate"), TrainingLoop(seed=11, example="and-gate")
    assert a.weights == b.weights and a.weights != TrainingLoop(seed=12, example="and-gate").weights
    assert all(round(w, 2) == w for w in a.weights)  # the first guess reads cleanly in the code


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.set_lr(0),
        lambda s: s.set_lr(1000),
        lambda s: s.set_lr(float("nan")),
        lambda s: s.set_x(0),
        lambda s: s.set_x("big"),
        lambda s: s.set_target(float("inf")),
        lambda s: s.set_example("xor"),
        lambda s: s.set_weight("w9", 1.0),
        lambda s: s.predictions(),
        lambda s: s.run_epochs(-1),
        lambda s: s.reset(seed=-1),
    ],
)
def test_bad_values_raise_value_error(call) -> None:
    sim = TrainingLoop(seed=0)
    with pytest.raises(ValueError):
        call(sim)
    sim.step()
    assert sim.phase_count == 1


@pytest.mark.parametrize("kwargs", [dict(seed=-1), dict(example="x"), dict(lr=0), dict(x=0), dict(target="a")])
def test_bad_construction_raises_value_error(kwargs) -> None:
    with pytest.raises(ValueError):
        TrainingLoop(**kwargs)

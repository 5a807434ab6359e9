"""optimizers: the landscapes (gradients, minima), the race's claims (Adam beats SGD down the ravine;
every racer follows its textbook update rule step for step), blow-ups, step back and settings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from algorithms.datasets import grid_points
from algorithms.landscapes import LANDSCAPES, get_landscape
from algorithms.optimizer_race import BLOW_UP, MAX_STEPS, RACERS, OptimizerRace


# --------------------------------------------------------------------------- landscapes
@pytest.mark.parametrize("name", list(LANDSCAPES))
def test_gradients_agree_with_finite_differences(name: str) -> None:
    land = get_landscape(name)
    rng = np.random.default_rng(1)
    xmin, xmax, ymin, ymax = land.extent
    h = 1e-6
    for x, y in zip(rng.uniform(xmin, xmax, 25), rng.uniform(ymin, ymax, 25)):
        numeric = np.array([
            (land.value(x + h, y) - land.value(x - h, y)) / (2 * h),
            (land.value(x, y + h) - land.value(x, y - h)) / (2 * h),
        ])
        np.testing.assert_allclose(land.gradient((x, y)), numeric, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", list(LANDSCAPES))
def test_the_named_minimum_is_the_global_minimum(name: str) -> None:
    land = get_landscape(name)
    np.testing.assert_allclose(land.gradient(land.minimum), 0.0, atol=1e-12)
    pts = grid_points(301, 301, land.extent)
    values = land.value(pts[:, 0], pts[:, 1])
    assert values.min() >= land.min_value - 1e-12
    # SciPy, started from the landscape's own start and from the box corners, finds no lower point
    xmin, xmax, ymin, ymax = land.extent
    for start in [land.start, (xmin, ymin), (xmax, ymax)]:
        found = minimize(lambda p: float(land.value(*p)), np.array(start, float), jac=lambda p: land.gradient(p),
                         method="BFGS", options={"gtol": 1e-10})
        assert found.fun >= land.min_value - 1e-9
    if name != "bumpy":  # a single valley: every start ends at the minimum
        found = minimize(lambda p: float(land.value(*p)), np.array(land.start, float), jac=land.gradient,
                         method="BFGS", options={"gtol": 1e-10})
        np.testing.assert_allclose(found.x, land.minimum, atol=1e-4)


def test_height_map_is_log_height_scaled_to_one() -> None:
    land = get_landscape("rosenbrock")
    m = land.height_map(30, 20)
    pts = grid_points(30, 20, land.extent)
    z = np.log1p(land.value(pts[:, 0], pts[:, 1]) - land.min_value)
    np.testing.assert_allclose(m.ravel(), z / z.max(), rtol=1e-12)
    assert m.shape == (20, 30) and m.min() >= 0 and m.max() == 1.0
    assert land.height_map(0, 4).shape == (4, 0)


def test_unknown_landscape_and_start_outside_the_box_are_refused() -> None:
    with pytest.raises(ValueError, match="ravine, rosenbrock, bumpy"):
        get_landscape("valley")
    with pytest.raises(ValueError, match="start's x"):
        OptimizerRace(start=(99.0, 0.0))
    race = OptimizerRace()
    with pytest.raises(ValueError, match="start's y"):
        race.set_start(0.0, 2.5)
    with pytest.raises(ValueError, match="number"):
        race.set_start("left", 0.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown optimiser"):
        race.set_lr("newton", 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        race.set_lr("adam", -1)
    assert race.start == (-4.5, 1.5) and race.lr("adam") == 0.1


# --------------------------------------------------------------------------- the claim: Adam beats SGD
def sgd_steps_on_ravine(lr: float, start: tuple[float, float], eps: float) -> float:
    """Closed form: on f = 0.01x² + 2y², SGD multiplies x by (1 − 0.02·lr) and y by (1 − 4·lr)
    each step. The first t with |(x_t, y_t)| < eps (inf if never)."""
    ax, ay = 1 - 0.02 * lr, 1 - 4 * lr
    if abs(ax) >= 1 or abs(ay) >= 1:
        return math.inf
    x0, y0 = start
    for t in range(100_000):
        if math.hypot(x0 * ax**t, y0 * ay**t) < eps:
            return t
    return math.inf


@pytest.mark.parametrize("start", [(-4.5, 1.5), (4.0, -1.0), (-3.0, 0.5), (2.5, 1.8), (-2.0, -1.9)])
def test_adam_gets_within_eps_in_fewer_steps_than_sgd_on_the_ravine(start) -> None:
    race = OptimizerRace("ravine", start=start)
    race.run_until_all_arrive()
    adam, sgd = race.reached("adam"), race.reached("sgd")
    assert adam is not None and sgd is not None
    assert adam < sgd
    assert sgd == sgd_steps_on_ravine(race.lr("sgd"), start, race.eps)  # the race's SGD is the closed form
    # Not a matter of SGD's tuning: no stable learning rate brings it home as fast as Adam does.
    best_sgd = min(sgd_steps_on_ravine(lr, start, race.eps) for lr in np.linspace(0.01, 0.499, 60))
    assert adam < best_sgd


# --------------------------------------------------------------------------- textbook update rules
def textbook_paths(land, start, lrs, steps: int) -> dict[str, np.ndarray]:
    """Each rule written from its paper/textbook form with plain floats, coordinate by coordinate."""
    out = {}
    # SGD: θ ← θ − η∇f(θ)
    th = list(start)
    path = [tuple(th)]
    for _ in range(steps):
        g = land.gradient(th)
        th = [th[k] - lrs["sgd"] * g[k] for k in range(2)]
        path.append(tuple(th))
    out["sgd"] = np.array(path)
    # Polyak's heavy ball: θₜ₊₁ = θₜ − η∇f(θₜ) + β(θₜ − θₜ₋₁), β = 0.9
    prev, th = list(start), list(start)
    path = [tuple(th)]
    for _ in range(steps):
        g = land.gradient(th)
        th, prev = [th[k] - lrs["momentum"] * g[k] + 0.9 * (th[k] - prev[k]) for k in range(2)], th
        path.append(tuple(th))
    out["momentum"] = np.array(path)
    # RMSProp (Tieleman & Hinton): E[g²] ← ρE[g²] + (1 − ρ)g², θ ← θ − η g / (√E[g²] + ε)
    th, sq = list(start), [0.0, 0.0]
    path = [tuple(th)]
    for _ in range(steps):
        g = land.gradient(th)
        sq = [0.9 * sq[k] + 0.1 * g[k] ** 2 for k in range(2)]
        th = [th[k] - lrs["rmsprop"] * g[k] / (math.sqrt(sq[k]) + 1e-8) for k in range(2)]
        path.append(tuple(th))
    out["rmsprop"] = np.array(path)
    # Adam (Kingma & Ba, Algorithm 1)
    th, m, v = list(start), [0.0, 0.0], [0.0, 0.0]
    path = [tuple(th)]
    for t in range(1, steps + 1):
        g = land.gradient(th)
        m = [0.9 * m[k] + 0.1 * g[k] for k in range(2)]
        v = [0.999 * v[k] + 0.001 * g[k] ** 2 for k in range(2)]
        m_hat = [m[k] / (1 - 0.9**t) for k in range(2)]
        v_hat = [v[k] / (1 - 0.999**t) for k in range(2)]
        th = [th[k] - lrs["adam"] * m_hat[k] / (math.sqrt(v_hat[k]) + 1e-8) for k in range(2)]
        path.append(tuple(th))
    out["adam"] = np.array(path)
    return out


@pytest.mark.parametrize("name", list(LANDSCAPES))
def test_every_racer_follows_its_textbook_rule_step_for_step(name: str) -> None:
    race = OptimizerRace(name)
    race.steps(80)
    expected = textbook_paths(race.landscape, race.start, race.lrs, 80)
    for racer in RACERS:
        np.testing.assert_allclose(race.path(racer), expected[racer], rtol=1e-10, atol=1e-12, err_msg=racer)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(list(LANDSCAPES)),
    st.floats(0.05, 0.95), st.floats(0.05, 0.95),
    st.sampled_from(RACERS), st.floats(0.3, 8.0),
)
def test_textbook_rules_hold_from_any_start_and_learning_rate(name, fx, fy, racer, scale) -> None:
    land = get_landscape(name)
    xmin, xmax, ymin, ymax = land.extent
    start = (xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin))
    lrs = dict(land.lrs)
    lrs[racer] = land.lrs[racer] * scale
    race = OptimizerRace(name, start=start, lrs={racer: lrs[racer]})
    race.steps(25)
    expected = textbook_paths(land, start, lrs, 25)[racer]
    with np.errstate(invalid="ignore"):
        off = ~np.isfinite(expected).all(axis=1) | (np.abs(expected).max(axis=1) > BLOW_UP)
    if race.blown_up(racer):  # flew off: the path agrees up to the last good step, then stays there
        k = int(np.argmax(off))
        assert off.any() and k > 0
        np.testing.assert_allclose(race.path(racer)[:k], expected[:k], rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(race.path(racer)[k:], np.tile(expected[k - 1], (26 - k, 1)), rtol=1e-9, atol=1e-10)
        return
    assert not off.any()
    np.testing.assert_allclose(race.path(racer), expected, rtol=1e-9, atol=1e-10)


# --------------------------------------------------------------------------- the race's mechanics
def test_a_racer_that_blows_up_stops_and_the_others_go_on() -> None:
    race = OptimizerRace("ravine", lrs={"sgd": 0.6})  # |1 − 4·0.6| > 1: the y-swing grows
    race.steps(100)
    assert race.blown_up("sgd") and not race.diverged
    table = {row.name: row for row in race.table()}
    assert table["sgd"].blown_up and all(np.isfinite(table["sgd"].position))
    assert race.reached("adam") is not None and race.leader() == "adam"
    for name in RACERS:
        race.set_lr(name, 10.0)
    race.steps(200)
    # the plain rules fly off; the adaptive ones divide by the gradient's size, so their steps stay
    # about lr long however steep the walls: they bounce around but never blow up
    assert race.blown_up("sgd") and race.blown_up("momentum")
    assert not race.blown_up("rmsprop") and not race.blown_up("adam") and not race.diverged
    assert race.leader() in ("rmsprop", "adam")


def test_step_back_undoes_steps_exactly() -> None:
    race = OptimizerRace("rosenbrock")
    race.steps(30)
    snapshot = (race.positions, [race.optimizer(n).state() for n in RACERS], race.path("adam").copy())
    race.steps(5)
    for _ in range(5):
        race.step_back()
    assert race.t == 30
    np.testing.assert_array_equal(race.positions, snapshot[0])
    np.testing.assert_array_equal(race.path("adam"), snapshot[2])
    race.steps(5)
    again = OptimizerRace("rosenbrock")
    again.steps(35)
    np.testing.assert_array_equal(race.positions, again.positions)
    fresh = OptimizerRace()
    with pytest.raises(ValueError, match="nothing to step back"):
        fresh.step_back()


def test_settings_restart_the_race() -> None:
    race = OptimizerRace()
    race.steps(10)
    race.set_start(1.0, -1.0)
    assert race.t == 0 and race.start == (1.0, -1.0)
    np.testing.assert_array_equal(race.positions, np.tile([1.0, -1.0], (4, 1)))
    race.steps(3)
    race.set_landscape("bumpy")
    assert race.t == 0 and race.start == get_landscape("bumpy").start and race.lrs == get_landscape("bumpy").lrs
    race.set_lr("momentum", 0.05)
    assert race.t == 0 and race.optimizer("momentum").lr == 0.05


def test_distances_and_arrivals_are_measured_from_the_paths() -> None:
    race = OptimizerRace("ravine")
    race.steps(150)
    for name in RACERS:
        d = np.hypot(*race.path(name).T)  # the minimum is the origin
        np.testing.assert_allclose(race.distance_history(name), d)
        hits = np.flatnonzero(d < race.eps)
        assert race.reached(name) == (int(hits[0]) if len(hits) else None)
    assert len(race.path("sgd")) == 151


def test_the_bumpy_bowl_traps_the_slow_walkers_and_momentum_rolls_through() -> None:
    race = OptimizerRace("bumpy")
    race.steps(1500)
    assert race.reached("momentum") is not None and race.reached("adam") is not None
    assert race.reached("sgd") is None and race.reached("rmsprop") is None
    np.testing.assert_allclose(race.landscape.gradient(race.path("sgd")[-1]), 0.0, atol=1e-6)  # a pit


def test_the_race_ends_at_max_steps() -> None:
    race = OptimizerRace("rosenbrock")
    race.run_until_all_arrive()
    assert race.finished and race.t <= MAX_STEPS
    race.steps(3)
    assert race.t <= MAX_STEPS

"""The activations topic: every activation and its derivative against finite differences and
independent formulas; the hinge sum against a hand-written one; edits, learning, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import erf
from scipy.stats import norm

from algorithms.activations import (
    ACTIVATION_CYCLE,
    EXTENT,
    FIT_GRID,
    MAX_HINGES,
    TARGETS,
    ActivationLab,
    _clip_line,
)
from algorithms.datasets import grid_points
from algorithms.nn import ACTIVATIONS, MLP, get_activation

# Points well away from the kinks of ReLU and leaky ReLU at 0.
Z = np.concatenate((np.linspace(-4, -0.01, 80), np.linspace(0.01, 4, 80)))

# Independent definitions (not the app's code) of each activation and its derivative.
REFERENCE = {
    "relu": (lambda z: np.where(z > 0, z, 0.0), lambda z: np.where(z > 0, 1.0, 0.0)),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), lambda z: 1 / np.cosh(z) ** 2),
    "gelu": (lambda z: z * norm.cdf(z), lambda z: norm.cdf(z) + z * norm.pdf(z)),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}


# --------------------------------------------------------------------------- the claim
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_activation_derivative_agrees_with_finite_differences(name: str) -> None:
    act = get_activation(name)
    h = 1e-6
    numeric = (act(Z + h) - act(Z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(Z), numeric, rtol=1e-6, atol=1e-8)
    # ... and the derivative as the backward pass calls it, from z and a = f(z)
    np.testing.assert_allclose(act.grad(Z, act(Z)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_every_activation_matches_an_independent_formula(name: str) -> None:
    fn, dfn = REFERENCE[name]
    act = get_activation(name)
    np.testing.assert_allclose(act(Z), fn(Z), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(act.derivative(Z), dfn(Z), rtol=1e-10, atol=1e-14)


def test_the_cycle_covers_the_five_activations_of_the_topic() -> None:
    assert set(ACTIVATION_CYCLE) == {"relu", "leaky_relu", "sigmoid", "tanh", "gelu"}
    assert set(ACTIVATION_CYCLE) <= set(REFERENCE) and set(ACTIVATION_CYCLE) <= set(ACTIVATIONS)


@settings(max_examples=60, deadline=None)
@given(st.floats(-30, 30, allow_nan=False))
def test_gelu_is_exact_to_double_precision(z: float) -> None:
    gelu = get_activation("gelu")
    ref = z * 0.5 * (1 + erf(z / math.sqrt(2)))
    assert float(gelu(np.array([z]))[0]) == pytest.approx(ref, rel=1e-13, abs=1e-300)
    dref = 0.5 * (1 + erf(z / math.sqrt(2))) + z * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    assert float(gelu.derivative(np.array([z]))[0]) == pytest.approx(dref, rel=1e-12, abs=1e-300)


def test_gelu_keeps_float32_takes_scalars_and_empty_arrays() -> None:
    gelu = get_activation("gelu")
    z32 = np.linspace(-2, 2, 9, dtype=np.float32)
    assert gelu(z32).dtype == np.float32 and gelu.grad(z32, gelu(z32)).dtype == np.float32
    assert gelu(np.float64(1.0)) == pytest.approx(norm.cdf(1.0))
    assert gelu(np.array([1, 2])).dtype == np.float64  # integers become floats
    assert gelu(np.empty(0)).shape == (0,)


def test_a_gelu_network_backpropagates_correctly() -> None:
    rng = np.random.default_rng(4)
    model = MLP((2, 4, 3, 1), activation="gelu", rng=5)
    X, y = rng.normal(size=(7, 2)), rng.integers(0, 2, size=7)
    _, grad = model.loss_and_grad(X, y)
    grad = grad.copy()
    numeric = np.empty_like(grad)
    for i in range(model.n_params):
        keep = model.params[i]
        model.params[i] = keep + 1e-6
        up = model.loss(X, y)
        model.params[i] = keep - 1e-6
        numeric[i] = (up - model.loss(X, y)) / 2e-6
        model.params[i] = keep
    assert np.linalg.norm(grad - numeric) / np.linalg.norm(grad + numeric) < 1e-7


# --------------------------------------------------------------------------- the bent line
@pytest.mark.parametrize("name", ACTIVATION_CYCLE)
def test_the_drawn_curve_is_the_activation_of_the_line(name: str) -> None:
    lab = ActivationLab(w=1.5, b=-0.75, activation=name)
    xs = np.linspace(-3, 3, 101)
    z, a, slope = lab.curve(xs)
    fn, dfn = REFERENCE[name]
    np.testing.assert_allclose(z, 1.5 * xs - 0.75)
    np.testing.assert_allclose(a, fn(z), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(slope, dfn(z), rtol=1e-10, atol=1e-14)
    lab.set_applied(False)
    z2, a2, slope2 = lab.curve(xs)
    np.testing.assert_array_equal(a2, z2)  # switched off: the plain line
    assert np.all(slope2 == 1)


def test_relu_creases_the_line_where_it_crosses_zero() -> None:
    lab = ActivationLab(w=2.0, b=1.0, activation="relu")
    assert lab.crease_x == pytest.approx(-0.5)
    xs = np.linspace(-3, 3, 601)
    _, a, _ = lab.curve(xs)
    assert np.all(a[xs < -0.5] == 0) and np.all(a[xs > -0.5] > 0)
    # straight on both sides: second differences vanish except at the crease
    kink = np.flatnonzero(np.abs(np.diff(a, 2)) > 1e-12)
    assert len(kink) >= 1 and np.all(np.abs(xs[kink + 1] + 0.5) < 0.02)
    lab.set_w(0.0)
    assert lab.crease_x is None


def test_next_activation_cycles_through_all_five() -> None:
    lab = ActivationLab(activation="relu")
    seen = [lab.next_activation() for _ in ACTIVATION_CYCLE]
    assert sorted(seen) == sorted(ACTIVATION_CYCLE) and lab.activation == "relu"
    assert lab.toggle_applied() is False and lab.toggle_applied() is True


# --------------------------------------------------------------------------- the hinges
def hand_sum(lab: ActivationLab, X: np.ndarray) -> np.ndarray:
    """Σ σᵢ·max(0, nᵢ·x + bᵢ) + c, written out independently."""
    out = np.full(len(X), lab.constant)
    for n, b, s in zip(lab.normals, lab.offsets, lab.signs):
        out += s * np.maximum(0.0, X @ n + b)
    return out


def test_the_heat_map_is_the_sum_of_hinges() -> None:
    lab = ActivationLab(seed=3, hinges=5)
    pts = grid_points(30, 20, EXTENT)
    np.testing.assert_allclose(lab.grid_values(30, 20).ravel(), hand_sum(lab, pts), rtol=1e-12, atol=1e-12)
    assert lab.grid_values(0, 5).shape == (5, 0)


def test_presets_make_a_fold_a_valley_and_a_bowl() -> None:
    lab = ActivationLab()
    pts = grid_points(41, 41, EXTENT)
    x, y = pts[:, 0], pts[:, 1]
    lab.preset("fold")
    s = lab.surface(pts)
    n = lab.normals[0]
    assert lab.n_hinges == 1 and np.all(s[pts @ n < 0] == 0) and np.all(s[pts @ n > 0] > 0)
    lab.preset("valley")
    np.testing.assert_allclose(lab.surface(pts), 1.5 * np.abs(x), atol=1e-12)  # a V along the y-axis
    lab.preset("bowl")
    s = lab.surface(pts)
    r = np.hypot(x, y)
    assert np.all(s[r < 0.25] == 0)  # a flat bottom in the middle ...
    assert np.all(s[r > 0.9] > 0)  # ... rising all around
    with pytest.raises(ValueError, match="unknown preset"):
        lab.preset("saddle")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, MAX_HINGES))
def test_rising_hinges_always_sum_to_a_convex_surface(seed: int, k: int) -> None:
    lab = ActivationLab(seed=seed, hinges=k)
    rng = np.random.default_rng(seed)
    p, q = rng.uniform(-1, 1, size=(50, 2)), rng.uniform(-1, 1, size=(50, 2))
    mid = lab.surface((p + q) / 2)
    assert np.all(mid <= (lab.surface(p) + lab.surface(q)) / 2 + 1e-12)


def test_moving_rotating_and_flipping_a_hinge() -> None:
    lab = ActivationLab(seed=1, hinges=3)
    lab.select(1)
    before = lab.crease_point(1)
    lab.move_selected(0.1, -0.2)
    # the crease moved by (0.1, -0.2): the old points shifted by it lie on the new crease
    n, b = lab.normals[1], lab.offsets[1]
    assert n @ (np.array(before) + [0.1, -0.2]) + b == pytest.approx(0, abs=1e-12)
    handle = lab.crease_point(1)
    n_old = lab.normals[1]
    lab.rotate_selected(90)
    n_new, b_new = lab.normals[1], lab.offsets[1]
    np.testing.assert_allclose(n_new, [-n_old[1], n_old[0]], atol=1e-12)  # turned a quarter
    assert n_new @ np.array(handle) + b_new == pytest.approx(0, abs=1e-12)  # about its handle
    pts = grid_points(20, 20, EXTENT)
    side = pts @ n_new + b_new
    lab.flip_selected()
    contribution = np.maximum(0, pts @ lab.normals[1] + lab.offsets[1])
    assert np.all(contribution[side > 0] == 0) and np.all(contribution[side < 0] > 0)
    # other hinges untouched
    assert lab.n_hinges == 3


def test_add_remove_and_undo_every_edit() -> None:
    lab = ActivationLab(seed=2, hinges=2)
    start = lab.model.params.copy()
    lab.add_hinge()
    assert lab.n_hinges == 3 and lab.selected == 2
    lab.move_selected(0.05, 0)
    lab.select(0)
    lab.remove_hinge()
    assert lab.n_hinges == 2
    for _ in range(3):
        lab.step_back()
    assert lab.n_hinges == 2 and np.array_equal(lab.model.params, start)
    assert not lab.can_step_back
    with pytest.raises(ValueError):
        lab.step_back()
    one = ActivationLab(hinges=1)
    with pytest.raises(ValueError, match="one hinge must stay"):
        one.remove_hinge()
    full = ActivationLab(hinges=MAX_HINGES)
    with pytest.raises(ValueError, match="at most"):
        full.add_hinge()


# --------------------------------------------------------------------------- learning the target
def test_the_learning_gradient_is_the_fit_errors_gradient_with_fixed_signs() -> None:
    lab = ActivationLab(seed=5, hinges=4)
    grad = lab.fit_gradient()
    pts = grid_points(FIT_GRID, FIT_GRID, EXTENT)
    target = TARGETS[lab.target](pts[:, 0], pts[:, 1])

    def fit_error() -> float:
        return float(np.mean((hand_sum(lab, pts) - target) ** 2))

    assert lab.fit_error == pytest.approx(fit_error(), rel=1e-12)
    params = lab.model.params
    k = lab.n_hinges
    for i in range(params.size):
        if 3 * k <= i < 4 * k:  # the signs: never learned
            assert grad[i] == 0
            continue
        keep = params[i]
        params[i] = keep + 1e-6
        up = fit_error()
        params[i] = keep - 1e-6
        down = fit_error()
        params[i] = keep
        assert grad[i] == pytest.approx((up - down) / 2e-6, rel=1e-5, abs=1e-8)


def test_learning_makes_the_bowl_and_more_hinges_make_it_rounder() -> None:
    errors = {}
    for k in (2, 8):
        finals = []
        for seed in range(3):
            lab = ActivationLab(seed=seed, hinges=k)
            start, signs = lab.fit_error, lab.signs
            for _ in range(400):
                lab.step()
            assert lab.fit_error < start and np.array_equal(lab.signs, signs)
            finals.append(lab.fit_error)
        errors[k] = np.mean(finals)
    assert errors[8] < 0.25 * errors[2]


def test_step_back_undoes_learning_steps_exactly() -> None:
    lab = ActivationLab(seed=4)
    lab.step()
    after_one = lab.model.params.copy()
    lab.step()
    lab.step_back()
    assert np.array_equal(lab.model.params, after_one) and lab.steps == 1
    lab.step()  # the optimiser's state came back too: the same second step again
    fresh = ActivationLab(seed=4)
    fresh.step()
    fresh.step()
    assert np.array_equal(lab.model.params, fresh.model.params)


def test_same_seed_same_hinges() -> None:
    a, b = ActivationLab(seed=9), ActivationLab(seed=9)
    assert np.array_equal(a.model.params, b.model.params)
    a.add_hinge()
    b.add_hinge()
    assert np.array_equal(a.model.params, b.model.params)


@settings(max_examples=80, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3))
def test_clipped_creases_lie_on_the_line_inside_the_box(nx: float, ny: float, b: float) -> None:
    seg = _clip_line(nx, ny, b, EXTENT)
    if seg is None:
        return
    x0, y0, x1, y1 = seg
    for x, y in ((x0, y0), (x1, y1)):
        assert -1 - 1e-9 <= x <= 1 + 1e-9 and -1 - 1e-9 <= y <= 1 + 1e-9
        assert abs(nx * x + ny * y + b) <= 1e-9 * max(1.0, abs(nx) + abs(ny) + abs(b))


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(w=9), "slope"),
        (dict(b=float("nan")), "intercept"),
        (dict(activation="swish"), "unknown activation"),
        (dict(hinges=0), "at least 1"),
        (dict(hinges=13), "at most"),
        (dict(target="donut"), "unknown target"),
        (dict(lr=5), "learning rate"),
        (dict(seed=-1), "seed"),
    ],
)
def test_bad_settings_raise_readable_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ActivationLab(**kwargs)


def test_bad_edits_raise_and_keep_state() -> None:
    lab = ActivationLab(hinges=3)
    params = lab.model.params.copy()
    with pytest.raises(ValueError):
        lab.select(3)
    with pytest.raises(ValueError):
        lab.move_selected("a", 0)
    with pytest.raises(ValueError):
        lab.set_w(100)
    assert np.array_equal(lab.model.params, params) and lab.w == 1.0


def test_the_arrow_on_the_selected_crease_points_uphill() -> None:
    lab = ActivationLab(seed=6, hinges=4)
    lab.preset("fold")
    x0, y0, x1, y1 = lab.uphill_arrow(0)
    assert lab.normals[0] @ [x0, y0] + lab.offsets[0] == pytest.approx(0, abs=1e-12)  # starts on the crease
    start, end = lab.surface(np.array([[x0, y0]])), lab.surface(np.array([[x1, y1]]))
    assert end > start  # and ends higher up
    lab.move_selected(5, 5)  # pushed out of view
    assert lab.uphill_arrow(0) is None


def test_placing_a_crease_through_a_point_keeps_its_direction() -> None:
    lab = ActivationLab(seed=7, hinges=3)
    lab.select(2)
    n = lab.normals[2]
    lab.place_selected(0.3, -0.4)
    np.testing.assert_array_equal(lab.normals[2], n)
    assert n @ [0.3, -0.4] + lab.offsets[2] == pytest.approx(0, abs=1e-12)
    lab.step_back()
    assert lab.normals[2] @ [0.3, -0.4] + lab.offsets[2] != pytest.approx(0, abs=1e-6)

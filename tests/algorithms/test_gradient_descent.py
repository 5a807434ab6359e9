"""gradient-descent: on L(w) = (w − c)² the distance to c is multiplied by |1 − 2·lr| per step."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms import descent
from algorithms.descent import LANDSCAPES, GradientDescent, contraction_factor

C = descent.BOWL_CENTRE


@settings(max_examples=80, deadline=None)
@given(st.floats(0.001, 2.5), st.floats(-3, 5).filter(lambda w: abs(w - C) > 1e-3))
def test_each_step_multiplies_the_distance_by_one_minus_two_lr(lr, w0):
    sim = GradientDescent("bowl", lr=lr, start=(w0,))
    sim.steps(8)
    errors = sim.path[:, 0] - C
    for before, after in itertools.pairwise(errors):
        assert after == pytest.approx((1 - 2 * lr) * before, rel=1e-9, abs=1e-12)  # closed form
    assert sim.contraction == pytest.approx(contraction_factor(lr)) == pytest.approx(abs(1 - 2 * lr))


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.5, 0.9, 0.99])
def test_converges_for_lr_below_one(lr):
    sim = GradientDescent("bowl", lr=lr, start=(4.0,))
    k = math.ceil(math.log(1e-8 / 3.0) / math.log(abs(1 - 2 * lr))) + 1 if lr != 0.5 else 2
    sim.steps(k)
    assert abs(sim.w[0] - C) < 1e-7 and not sim.diverged
    assert np.all(np.diff(np.abs(sim.path[:, 0] - C)) <= 1e-15)  # never further than before


@pytest.mark.parametrize("lr", [1.01, 1.2, 2.0, 5.0])
def test_diverges_for_lr_above_one_as_a_state_without_nan(lr):
    sim = GradientDescent("bowl", lr=lr, start=(4.0,))
    sim.steps(10_000)
    assert sim.diverged
    assert np.all(np.isfinite(sim.path)) and np.all(np.isfinite(sim.losses))
    t = sim.t
    sim.step()  # a diverged run stays put
    assert sim.t == t
    # it grew by |1 − 2·lr| every step until it stopped
    errors = np.abs(sim.path[:, 0] - C)
    np.testing.assert_allclose(errors[1:] / errors[:-1], abs(1 - 2 * lr), rtol=1e-9)
    sim.step_back()
    assert not sim.diverged and np.isfinite(sim.loss)


def test_lr_exactly_one_bounces_between_two_points_forever():
    sim = GradientDescent("bowl", lr=1.0, start=(4.0,))
    sim.steps(50)
    np.testing.assert_allclose(np.abs(sim.path[:, 0] - C), 3.0)
    assert not sim.diverged


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_gradients_match_finite_differences(name):
    ls = LANDSCAPES[name]
    rng = np.random.default_rng(4)
    lo, hi = np.array(ls.domain[0::2]), np.array(ls.domain[1::2])
    for p in rng.uniform(lo, hi, size=(20, ls.dim)):
        h = 1e-6
        fd = [(ls.loss(p + h * e) - ls.loss(p - h * e)) / (2 * h) for e in np.eye(ls.dim)]
        np.testing.assert_allclose(ls.gradient(p), fd, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_listed_minima_are_minima(name):
    ls = LANDSCAPES[name]
    for m in ls.minima:
        np.testing.assert_allclose(ls.gradient(m), 0, atol=1e-4)
        assert ls.curvature_at(m) > 0
        hess_fd = descent.hessian_max(ls, np.array(m))
        assert ls.curvature_at(m) == pytest.approx(hess_fd, rel=1e-4)
    assert LANDSCAPES["four-valleys"].loss((3.0, 2.0)) == 0.0  # Himmelblau's exact minimum


def test_oval_bowl_diverges_above_two_over_its_steepest_curvature():
    # L = (x − 1)² + 4(y − 0.5)²: y contracts by |1 − 8·lr| per step, so the limit is lr = 0.25
    ok = GradientDescent("oval-2d", lr=0.24)
    ok.steps(2000)
    assert np.allclose(ok.w, (1.0, 0.5), atol=1e-6) and ok.safe_lr == pytest.approx(0.25)
    bad = GradientDescent("oval-2d", lr=0.26)
    bad.steps(5000)
    assert bad.diverged and np.all(np.isfinite(bad.path))


def test_small_steps_settle_in_the_valley_they_start_in():
    right = GradientDescent("two-valleys", lr=0.05, start=(2.2,))
    right.steps(400)
    left = GradientDescent("two-valleys", lr=0.05, start=(-2.0,))
    left.steps(400)
    minima = [m[0] for m in LANDSCAPES["two-valleys"].minima]
    assert right.w[0] == pytest.approx(max(minima), abs=1e-6)
    assert left.w[0] == pytest.approx(min(minima), abs=1e-6)
    assert right.curvature == pytest.approx(3 * max(minima) ** 2 - 2, rel=1e-5)  # L'' = 3w² − 2


def test_tangent_touches_the_curve_with_the_finite_difference_slope():
    sim = GradientDescent("two-valleys", lr=0.1, start=(1.7,))
    x0, y0, x1, y1 = sim.tangent(0.5)
    w = sim.w[0]
    h = 1e-6
    fd = (sim.curve(np.array([w + h]))[0] - sim.curve(np.array([w - h]))[0]) / (2 * h)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(fd, rel=1e-6)
    assert (y0 + y1) / 2 == pytest.approx(sim.loss) and (x0 + x1) / 2 == pytest.approx(w)
    with pytest.raises(ValueError):
        sim.contour_tangent(1.0)


def test_contour_tangent_is_perpendicular_to_the_gradient():
    sim = GradientDescent("four-valleys", lr=0.01, start=(0.5, -1.0))
    x0, y0, x1, y1 = sim.contour_tangent(1.0)
    assert np.dot([x1 - x0, y1 - y0], sim.gradient) == pytest.approx(0, abs=1e-9)
    assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(2.0)
    np.testing.assert_allclose(sim.next_w, sim.w - 0.01 * sim.gradient)


def test_step_back_moving_the_ball_and_validation():
    sim = GradientDescent("bowl-2d", lr=0.1)
    sim.steps(5)
    before = sim.path.copy()
    sim.step()
    sim.step_back()
    np.testing.assert_array_equal(sim.path, before)
    sim.move_start(100.0, 0.0)  # clamped into the drawn box
    assert sim.start[0] == LANDSCAPES["bowl-2d"].domain[1] and sim.t == 0
    for bad in (0.0, -1, 10.0, float("nan"), "fast"):
        with pytest.raises(ValueError, match="learning rate"):
            sim.set_lr(bad)
    with pytest.raises(ValueError, match="landscape"):
        sim.set_landscape("cliff")
    with pytest.raises(ValueError, match="coordinate"):
        sim.set_start((1.0,))


def test_contour_bands_are_levels_in_the_unit_interval():
    sim = GradientDescent("oval-2d")
    xs = np.linspace(-3, 5, 40)
    ys = np.linspace(-3.5, 4.5, 30)
    bands = sim.contour_bands(xs, ys, 10)
    assert bands.shape == (30, 40) and bands.min() == 0.0 and bands.max() == 1.0
    assert len(np.unique(bands)) <= 10
    surface = sim.surface(xs, ys)
    assert np.unravel_index(np.argmin(surface), surface.shape) in set(zip(*np.nonzero(bands == 0)))

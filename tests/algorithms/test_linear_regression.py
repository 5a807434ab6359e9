"""linear-regression: gradient descent on the MSE converges to the least-squares line.

References: numpy.linalg.lstsq and scipy.stats.linregress (the least-squares line), central finite
differences (the gradient and the Hessian that sets the largest stable learning rate).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from algorithms.regression import LineFit, least_squares_line, mse, mse_grad, study_hours


def lstsq_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    A = np.column_stack((x, np.ones_like(x)))
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(w), float(b)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-100, 100, allow_nan=False), st.floats(-100, 100, allow_nan=False)),
        min_size=2,
        max_size=40,
    )
)
def test_closed_form_is_the_least_squares_line(pairs):
    x, y = np.array(pairs).T
    if np.ptp(x) == 0:
        with pytest.raises(ValueError, match="two different x"):
            least_squares_line(x, y)
        return
    if np.ptp(x) < 1:  # too ill-conditioned to compare parameters closely
        return
    w, b = least_squares_line(x, y)
    w_ref, b_ref = lstsq_line(x, y)
    scale = 1 + np.abs(y).max()
    assert np.allclose([w, b], [w_ref, b_ref], rtol=1e-6, atol=1e-6 * scale)
    best, ours = mse(x, y, w_ref, b_ref), mse(x, y, w, b)
    assert ours <= best * (1 + 1e-9) + 1e-12 * scale**2


def test_closed_form_agrees_with_scipy_linregress():
    x, y = study_hours(50, noise=10, rng=3)
    ref = stats.linregress(x, y)
    w, b = least_squares_line(x, y)
    assert w == pytest.approx(ref.slope, rel=1e-12) and b == pytest.approx(ref.intercept, rel=1e-12)


def test_gradient_matches_finite_differences():
    x, y = study_hours(25, noise=8, rng=1)
    for w, b in [(0.0, 0.0), (3.0, 40.0), (-2.0, 90.0)]:
        gw, gb = mse_grad(x, y, w, b)
        h = 1e-5
        fw = (mse(x, y, w + h, b) - mse(x, y, w - h, b)) / (2 * h)
        fb = (mse(x, y, w, b + h) - mse(x, y, w, b - h)) / (2 * h)
        assert gw == pytest.approx(fw, rel=1e-6) and gb == pytest.approx(fb, rel=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
@pytest.mark.parametrize("start", ["random", "flat"])
def test_gradient_descent_converges_to_least_squares(seed, start):
    sim = LineFit(seed=seed, start=start)
    w_ref, b_ref = lstsq_line(sim.hours, sim.scores)
    first = sim.mse
    sim.steps(3000)
    assert not sim.diverged
    assert sim.w == pytest.approx(w_ref, rel=1e-8, abs=1e-8)
    assert sim.b == pytest.approx(b_ref, rel=1e-8, abs=1e-8)
    assert sim.converged
    assert sim.mse == pytest.approx(mse(sim.hours, sim.scores, w_ref, b_ref), rel=1e-10)
    assert sim.mse <= first
    # the loss curve is the MSE after every step, measured independently
    assert len(sim.loss_history) == sim.t + 1 and sim.loss_history[-1] == pytest.approx(sim.mse)


def test_the_fit_responds_to_added_and_removed_points():
    sim = LineFit(seed=4)
    sim.steps(2000)
    before = (sim.w, sim.b)
    sim.add_point(9.5, 5.0)  # a student who studied a lot and failed: pulls the line down on the right
    assert sim.t == 2000 and len(sim.hours) == sim.n_points + 1
    sim.steps(3000)
    w_ref, b_ref = lstsq_line(sim.hours, sim.scores)
    assert sim.w == pytest.approx(w_ref, rel=1e-7) and sim.b == pytest.approx(b_ref, rel=1e-7)
    assert sim.w < before[0]
    far = sim.nearest_point(9.4, 6.0)
    assert sim.hours[far] == 9.5 and sim.scores[far] == 5.0
    sim.remove_point(far)
    sim.steps(3000)
    assert sim.w == pytest.approx(before[0], rel=1e-7) and sim.b == pytest.approx(before[1], rel=1e-7)


def test_step_back_undoes_steps_and_edits():
    sim = LineFit(seed=5)
    sim.steps(3)
    state = (sim.t, sim.w, sim.b, len(sim.hours), len(sim.loss_history))
    sim.add_point(2.0, 80.0)
    sim.step()
    sim.remove_point(0)
    sim.step_back()
    sim.step_back()
    assert len(sim.hours) == state[3] + 1
    sim.step_back()
    assert (sim.t, sim.w, sim.b, len(sim.hours), len(sim.loss_history)) == state
    while sim.can_step_back:
        sim.step_back()
    assert sim.t == 0 and len(sim.loss_history) == 1
    with pytest.raises(ValueError):
        sim.step_back()


def hessian_fd(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The Hessian of the MSE in (w, b) by central differences of the loss."""
    h = 1e-3
    f = lambda w, b: mse(u, v, w, b)  # noqa: E731
    fww = (f(h, 0) - 2 * f(0, 0) + f(-h, 0)) / h**2
    fbb = (f(0, h) - 2 * f(0, 0) + f(0, -h)) / h**2
    fwb = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h)
    return np.array([[fww, fwb], [fwb, fbb]])


def test_learning_rate_below_two_over_curvature_converges_above_diverges():
    sim = LineFit(seed=0)
    H = hessian_fd(sim.hours / 10, sim.scores / 100)  # the descent runs on hours/10 and score/100
    limit = 2 / np.linalg.eigvalsh(H)[-1]
    assert sim.max_stable_lr() == pytest.approx(limit, rel=1e-5)
    sim.set_lr(0.95 * limit)
    sim.steps(4000)
    assert not sim.diverged and sim.converged
    sim = LineFit(seed=0)
    sim.set_lr(1.05 * limit)
    sim.steps(5000)
    assert sim.diverged  # a state, not an exception
    t = sim.t
    sim.step()
    assert sim.t == t


def test_same_seed_same_run_and_bad_input():
    a, b = LineFit(seed=9), LineFit(seed=9)
    a.steps(10)
    b.steps(10)
    assert (a.w, a.b) == (b.w, b.b) and np.array_equal(a.hours, b.hours)
    sim = LineFit()
    with pytest.raises(ValueError, match="learning rate"):
        sim.set_lr(0)
    with pytest.raises(ValueError, match="hours"):
        sim.add_point(12, 50)
    with pytest.raises(ValueError, match="score"):
        sim.add_point(5, float("nan"))
    with pytest.raises(ValueError, match="no point"):
        sim.remove_point(500)
    with pytest.raises(ValueError, match="students"):
        sim.set_n_points(1)
    with pytest.raises(ValueError, match="start"):
        sim.set_start("middle")
    with pytest.raises(ValueError, match="two different x"):
        least_squares_line([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="same length"):
        mse([1, 2], [1], 0, 0)


def test_one_point_has_no_best_line_but_does_not_crash():
    sim = LineFit(n_points=2)
    sim.remove_point(0)
    assert sim.best is None and np.isnan(sim.best_mse)
    sim.steps(50)  # one point: the descent walks the line onto it
    assert sim.mse < 1.0 and not sim.converged
    sim.remove_point(0)
    sim.step()
    assert np.isnan(sim.mse) and not sim.diverged

"""logistic-regression: BCE falls monotonically at a small learning rate, and the fitted boundary is
the unregularised maximum-likelihood fit.

References: scikit-learn's LogisticRegression(penalty=None) and log_loss, scipy.optimize.minimize
on the negative log-likelihood, central finite differences, eigenvalues of ZᵀZ for the smoothness.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from algorithms.regression import LogisticFit, bce_with_grad, logistic_mle, overlapping_blobs, pass_fail


def sklearn_mle(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    # unregularised: C = inf (scikit-learn ≥ 1.8 spells penalty=None this way)
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    return model.coef_[0], float(model.intercept_[0])


def scipy_mle(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    Z = np.column_stack((X, np.ones(len(y))))

    def nll(theta):
        z = Z @ theta
        return np.mean(np.logaddexp(0, z) - y * z)

    return minimize(nll, np.zeros(Z.shape[1]), method="BFGS", options={"gtol": 1e-10}).x


def smoothness(F: np.ndarray) -> float:
    Z = np.column_stack((F, np.ones(len(F))))
    return float(np.linalg.eigvalsh(Z.T @ Z / len(F))[-1] / 4)


def test_loss_equals_sklearn_log_loss_and_gradient_matches_finite_differences():
    X, y = overlapping_blobs(40, rng=2)
    w, b = np.array([0.7, -1.3]), 0.2
    loss, gw, gb = bce_with_grad(X, y, w, b)
    p = 1 / (1 + np.exp(-(X @ w + b)))
    assert loss == pytest.approx(log_loss(y, p), rel=1e-12)
    h = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        fd = (bce_with_grad(X, y, w + e, b)[0] - bce_with_grad(X, y, w - e, b)[0]) / (2 * h)
        assert gw[i] == pytest.approx(fd, rel=1e-6)
    fd = (bce_with_grad(X, y, w, b + h)[0] - bce_with_grad(X, y, w, b - h)[0]) / (2 * h)
    assert gb == pytest.approx(fd, rel=1e-6)
    # huge logits stay finite
    assert np.isfinite(bce_with_grad(X, y, w * 1e6, b)[0])


@pytest.mark.parametrize("seed", [0, 1, 5])
def test_newton_mle_matches_sklearn_and_scipy(seed):
    for X, y in (overlapping_blobs(80, rng=seed), pass_fail(40, rng=seed)):
        X = np.asarray(X, dtype=float).reshape(len(y), -1)
        w, b = logistic_mle(X, y)
        w_sk, b_sk = sklearn_mle(X, y)
        theta = scipy_mle(X, y)
        assert np.allclose(np.append(w, b), np.append(w_sk, b_sk), rtol=1e-5, atol=1e-5)
        assert np.allclose(np.append(w, b), theta, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("seed", [0, 3])
def test_gradient_descent_reaches_the_maximum_likelihood_fit(seed):
    sim = LogisticFit(seed=seed)
    lr = 1 / max(smoothness(((sim.hours - 5) / 5).reshape(-1, 1)), smoothness(sim.X))
    sim.set_lr(lr)
    sim.steps(3000)
    assert not sim.diverged
    # 2-D: the boundary is sklearn's unregularised fit
    w_sk, b_sk = sklearn_mle(sim.X, sim.y)
    assert np.allclose(np.append(sim.w_2d, sim.b_2d), np.append(w_sk, b_sk), rtol=1e-4, atol=1e-4)
    # 1-D: the S-curve in hours is sklearn's fit on the hours
    w1, b1 = sklearn_mle(sim.hours.reshape(-1, 1), sim.passed)
    assert sim.w_1d == pytest.approx(w1[0], rel=1e-4) and sim.b_1d == pytest.approx(b1, rel=1e-4)
    mid = -b1 / w1[0]
    assert sim.midpoint == pytest.approx(mid, rel=1e-4)
    # and the drawn boundary is where sklearn's probability is one half
    x0, y0, x1, y1 = sim.boundary((-1.2, 1.2, -1.2, 1.2))
    for px, py in ((x0, y0), (x1, y1), ((x0 + x1) / 2, (y0 + y1) / 2)):
        assert px * w_sk[0] + py * w_sk[1] + b_sk == pytest.approx(0, abs=1e-3)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(4, 40), spread=st.floats(0.1, 1.0))
def test_bce_falls_monotonically_at_a_small_learning_rate(seed, n, spread):
    sim = LogisticFit(seed=seed, n_points=n, spread=spread)
    L = max(smoothness(((sim.hours - 5) / 5).reshape(-1, 1)), smoothness(sim.X))
    sim.set_lr(min(1 / L, 100))
    sim.steps(150)
    for curve in (sim.loss_history_1d, sim.loss_history_2d):
        assert len(curve) == 151
        assert np.all(np.diff(curve) <= 1e-12)


def test_a_large_learning_rate_can_make_bce_rise():
    sim = LogisticFit(seed=0)
    sim.set_lr(50)
    sim.steps(100)
    assert np.any(np.diff(sim.loss_history_2d) > 0)


def test_smoothness_is_the_largest_curvature():
    sim = LogisticFit(seed=4)
    s1, s2 = sim.smoothness()
    assert s1 == pytest.approx(smoothness(((sim.hours - 5) / 5).reshape(-1, 1)))
    assert s2 == pytest.approx(smoothness(sim.X))


def test_separable_points_have_no_finite_fit_and_the_weights_keep_growing():
    X = np.array([[-1.0, 0.0], [-0.5, 0.2], [0.5, 0.1], [1.0, -0.3]])
    y = np.array([0, 0, 1, 1])
    assert logistic_mle(X, y) is None
    sim = LogisticFit(seed=0, n_points=4)
    while len(sim.y):
        sim.remove_point_2d(0)
    for (px, py), label in zip(X, y):
        sim.add_point_2d(px, py, label)
    assert sim.separable_2d and sim.mle_boundary((-1, 1, -1, 1)) is None
    sim.steps(200)
    norm200 = np.linalg.norm(sim.w_2d)
    sim.steps(2000)
    assert np.linalg.norm(sim.w_2d) > norm200 and sim.accuracy_2d == 1.0


def test_points_added_and_removed_are_fitted_and_undone():
    sim = LogisticFit(seed=1)
    n1, n2 = len(sim.hours), len(sim.y)
    sim.steps(5)
    sim.add_point_1d(9.0, 0)
    sim.add_point_2d(0.9, 0.9, 1)
    assert len(sim.hours) == n1 + 1 and len(sim.y) == n2 + 1 and sim.y[-1] == 1
    i = sim.nearest_2d(0.88, 0.91)
    assert i == n2
    sim.remove_point_2d(i)
    j = sim.nearest_1d(9.05, 0.1)
    assert sim.hours[j] == 9.0 and sim.passed[j] == 0
    for _ in range(3):
        sim.step_back()
    assert sim.t == 5 and len(sim.hours) == n1 and len(sim.y) == n2
    sim.add_point_1d(9.0, 0)
    sim.set_lr(1 / max(sim.smoothness()))
    sim.steps(3000)
    w1, b1 = sklearn_mle(sim.hours.reshape(-1, 1), sim.passed)
    assert sim.w_1d == pytest.approx(w1[0], rel=1e-4) and sim.b_1d == pytest.approx(b1, rel=1e-4)


def test_bad_input_is_refused_with_a_message():
    sim = LogisticFit()
    with pytest.raises(ValueError, match="label"):
        sim.add_point_2d(0, 0, 2)
    with pytest.raises(ValueError, match="hours"):
        sim.add_point_1d(11, 1)
    with pytest.raises(ValueError, match="learning rate"):
        sim.set_lr(-1)
    with pytest.raises(ValueError, match="spread"):
        sim.set_spread(0)
    with pytest.raises(ValueError, match="no point"):
        sim.remove_point_2d(999)
    with pytest.raises(ValueError, match="labels 0 or 1"):
        bce_with_grad([[0.0]], [3], [1.0], 0.0)

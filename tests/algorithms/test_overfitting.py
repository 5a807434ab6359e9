"""overfitting: training error never rises with degree; test error at degree 15 is above its minimum;
L2 lowers the test error at degree 15 — checked against numpy.polyfit and scikit-learn's Ridge.
Also the polynomial library itself, and the network mode's training with dropout."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge

from algorithms.overfitting import (
    DEGREES,
    MAX_DEGREE,
    Overfitting,
    make_data,
    true_curve,
)
from algorithms.polyfit import (
    error_curves,
    fit_polynomial,
    mse,
    poly_eval,
    poly_features,
)

SEEDS = range(8)
L2 = 1e-3  # "a small L2"


def polyfit_errors(x, y, xt, yt, degree):
    """Train and test MSE of numpy.polyfit's least-squares polynomial (the reference)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.RankWarning)
        coef = np.polyfit(x, y, degree)
    return np.mean((np.polyval(coef, x) - y) ** 2), np.mean((np.polyval(coef, xt) - yt) ** 2)


def ridge_predict(x, y, x_new, degree, alpha):
    """scikit-learn's Ridge on the features x, x², …, x^degree with an unpenalised intercept."""
    feats = lambda v: np.vander(v, degree + 1, increasing=True)[:, 1:]
    model = Ridge(alpha=alpha, fit_intercept=True, solver="svd").fit(feats(x), y)
    return model.predict(feats(x_new))


# --------------------------------------------------------------------------- the claims
@pytest.mark.parametrize("seed", SEEDS)
def test_training_error_never_rises_with_degree(seed: int) -> None:
    sim = Overfitting(seed=seed)
    train, _ = sim.degree_curves()
    assert len(train) == MAX_DEGREE
    assert np.all(np.diff(train) <= 1e-12 * train[:-1])
    reference = [polyfit_errors(sim.x_train, sim.y_train, sim.x_test, sim.y_test, d)[0] for d in DEGREES]
    np.testing.assert_allclose(train, reference, rtol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_test_error_at_degree_15_is_above_its_minimum(seed: int) -> None:
    sim = Overfitting(seed=seed)
    _, test = sim.degree_curves()
    reference = np.array([polyfit_errors(sim.x_train, sim.y_train, sim.x_test, sim.y_test, d)[1] for d in DEGREES])
    np.testing.assert_allclose(test, reference, rtol=1e-5)
    assert test[-1] > 1.2 * test.min()
    assert sim.best_degree == int(np.argmin(reference)) + 1 < MAX_DEGREE


@pytest.mark.parametrize("seed", SEEDS)
def test_l2_lowers_the_test_error_at_degree_15(seed: int) -> None:
    sim = Overfitting(seed=seed, degree=15)
    plain = sim.test_error
    sim.set_l2(L2)
    ridged = sim.test_error
    assert ridged < plain
    expected = ridge_predict(sim.x_train, sim.y_train, sim.x_test, 15, L2)
    np.testing.assert_allclose(sim.predict(sim.x_test), expected, rtol=1e-6, atol=1e-7)
    assert ridged == pytest.approx(np.mean((expected - sim.y_test) ** 2), rel=1e-6)


# --------------------------------------------------------------------------- the polynomial library
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 9), st.floats(0, 1.0), st.integers(0, 10_000))
def test_ridge_fit_matches_scikit_learn(degree: int, alpha: float, seed: int) -> None:
    gen = np.random.default_rng(seed)
    x = gen.uniform(-1, 1, 30)
    y = np.sin(3 * x) + gen.normal(0, 0.2, 30)
    coef = fit_polynomial(x, y, degree, alpha)
    x_new = np.linspace(-1, 1, 17)
    if degree == 0:
        np.testing.assert_allclose(poly_eval(coef, x_new), np.mean(y))
    elif alpha > 1e-9:
        np.testing.assert_allclose(poly_eval(coef, x_new), ridge_predict(x, y, x_new, degree, alpha), rtol=1e-6,
                                   atol=1e-8)
    else:
        np.testing.assert_allclose(poly_eval(coef, x_new), np.polyval(np.polyfit(x, y, degree), x_new), atol=1e-7)


def test_the_objective_is_squared_error_plus_l2_on_all_but_the_constant() -> None:
    gen = np.random.default_rng(3)
    x, y = gen.uniform(-1, 1, 25), gen.normal(0, 1, 25)
    coef = fit_polynomial(x, y, 4, 0.5)

    def objective(c):
        return np.sum((poly_eval(c, x) - y) ** 2) + 0.5 * np.sum(c[1:] ** 2)

    best = objective(coef)
    for k in range(5):  # a minimum: nudging any coefficient either way costs more
        for h in (1e-4, -1e-4):
            c = coef.copy()
            c[k] += h
            assert objective(c) > best


def test_features_evaluation_and_errors() -> None:
    x = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_array_equal(poly_features(x, 3), [[1, -1, 1, -1], [1, 0.5, 0.25, 0.125], [1, 2, 4, 8]])
    np.testing.assert_allclose(poly_eval([1.0, -2.0, 3.0], x), 1 - 2 * x + 3 * x**2)
    assert mse([1.0, 2.0], [1.0, 4.0]) == 2.0
    train, test = error_curves(x, x**2, x, x**2, [1, 2])
    assert train[1] < 1e-20 and test[1] < 1e-20
    with pytest.raises(ValueError, match="same length"):
        fit_polynomial([0, 1], [0], 1)
    with pytest.raises(ValueError, match="degree"):
        fit_polynomial([0, 1], [0, 1], -1)
    with pytest.raises(ValueError, match="L2"):
        fit_polynomial([0, 1], [0, 1], 1, l2=-1)
    with pytest.raises(ValueError, match="finite"):
        fit_polynomial([0, np.nan], [0, 1], 1)
    with pytest.raises(ValueError, match="at least one point"):
        fit_polynomial([], [], 1)
    with pytest.raises(ValueError, match="shapes differ"):
        mse([1.0], [1.0, 2.0])


# --------------------------------------------------------------------------- the simulation
def test_data_are_noisy_samples_of_the_smooth_curve() -> None:
    x, y, xt, yt = make_data(0, noise=0.25)
    assert len(x) == 20 and len(xt) == 200 and x.min() >= -1 and x.max() <= 1
    assert np.all(np.diff(x) > 0)  # a jittered grid
    assert 0.1 < np.std(y - true_curve(x)) < 0.4 and 0.2 < np.std(yt - true_curve(xt)) < 0.3
    x0, y0, _, _ = make_data(0, noise=0.0)
    np.testing.assert_array_equal(x0, x)
    np.testing.assert_allclose(y0, true_curve(x))


def test_step_sweeps_the_degree_and_step_back_returns() -> None:
    sim = Overfitting(degree=14)
    sim.step()
    assert sim.degree == 15
    sim.step()
    assert sim.degree == 1 and not sim.can_step_back
    sim.step()
    sim.step_back()
    assert sim.degree == 1
    np.testing.assert_allclose(sim.coefficients, fit_polynomial(sim.x_train, sim.y_train, 1))
    with pytest.raises(ValueError, match="nothing to step back"):
        sim.step_back()


def test_network_epoch_is_adam_on_the_mse_with_the_dropout_masks() -> None:
    sim = Overfitting(seed=2, mode="network", dropout=0.3, l2=1e-4)
    twin = sim.network.copy()
    from algorithms.optim import Adam

    opt = Adam(lr=sim.lr)
    drop = np.random.default_rng(np.random.SeedSequence([2, 1]).spawn(2)[1])  # the sim's dropout stream
    X = sim.x_train[:, None]
    for _ in range(3):
        masks = twin.dropout_masks(len(X), 0.3, drop)
        opt.step(twin.params, twin.loss_and_grad(X, sim.y_train, l2=1e-4, masks=masks)[1])
        sim.step()
    np.testing.assert_array_equal(sim.network.params, twin.params)
    # errors are measured without dropout
    assert sim.train_error == twin.loss(X, sim.y_train)
    assert sim.test_error == twin.loss(sim.x_test[:, None], sim.y_test)


@pytest.mark.parametrize("seed", [0, 2])
def test_a_long_trained_network_overfits_and_dropout_narrows_the_gap(seed: int) -> None:
    gaps = {}
    for rate in (0.0, 0.3):
        sim = Overfitting(seed=seed, mode="network", dropout=rate)
        sim.steps(1000)
        train, test = sim.network_history
        gaps[rate] = test[-1] - train[-1]
        if rate == 0:
            assert train[-1] < 0.3 * train[50]  # it learns the dots ...
            assert test[-1] > 1.2 * test.min()  # ... and then the noise
            assert sim.verdict() == "overfits"
    assert gaps[0.3] < gaps[0.0]


def test_network_step_back_and_mode_switch_keep_each_models_state() -> None:
    sim = Overfitting(seed=3, mode="network")
    sim.steps(10)
    params = sim.network.params.copy()
    sim.step()
    sim.step_back()
    np.testing.assert_array_equal(sim.network.params, params)
    assert sim.epoch == 10 and len(sim.network_history[0]) == 11
    sim.set_mode("polynomial")
    sim.set_degree(7)
    sim.set_mode("network")
    assert sim.epoch == 10
    sim.step()
    sim.set_mode("polynomial")
    assert sim.degree == 7


def test_bad_settings_are_refused_with_a_message() -> None:
    sim = Overfitting()
    for call, match in [
        (lambda: sim.set_degree(16), "at most 15"),
        (lambda: sim.set_degree(0), "at least 1"),
        (lambda: sim.set_mode("tree"), "polynomial, network"),
        (lambda: sim.set_l2(-0.1), "L2"),
        (lambda: sim.set_dropout(1.0), "dropout"),
        (lambda: sim.set_noise(2), "noise"),
        (lambda: sim.set_lr(0), "learning rate"),
    ]:
        with pytest.raises(ValueError, match=match):
            call()
    assert sim.degree == 3 and sim.mode == "polynomial"


def test_blown_up_network_is_a_diverged_state() -> None:
    sim = Overfitting(mode="network")
    sim.network.params[:] = 1e200
    sim.step()
    assert sim.diverged
    sim.set_mode("polynomial")
    assert not sim.diverged  # the polynomial is fine

"""universal-approximation: more neurons fit a sine better after the same budget (N = 32 beats
N = 2); training is real; curves are drawn, clamped and edited exactly as asked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.approximation import (
    N_SAMPLES,
    PRESETS,
    CurveFit,
    curve_xs,
    preset_curve,
    spread_init,
)
from algorithms.nn import MLP

BUDGET = 2000


def independent_mse(sim: CurveFit) -> float:
    """The fit's MSE on the curve, from the weights, with NumPy only (tanh hidden layer)."""
    m = sim.model
    h = np.tanh(sim.xs[:, None] @ m.weights[0] + m.biases[0])
    out = h @ m.weights[1][:, 0] + m.biases[1][0]
    return float(np.mean((out - sim.ys) ** 2))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_after_the_same_budget_32_neurons_fit_a_sine_better_than_2(seed: int) -> None:
    results = {}
    for n in (2, 32):
        sim = CurveFit(seed=seed, neurons=n, curve="sine", budget=BUDGET)
        sim.train_to_budget()
        assert sim.epoch == BUDGET and sim.done and not sim.diverged
        assert sim.mse == pytest.approx(independent_mse(sim), rel=1e-9)
        results[n] = sim.mse
    assert results[32] < results[2]
    assert results[32] < 1e-3 and results[2] > 0.02  # not a close call: a trace against a rough wave


def test_two_tanh_neurons_cannot_trace_two_sine_waves_whatever_the_training() -> None:
    """A reference for the N = 2 result: even a long, careful fit (SciPy's least squares from many
    starts) of a ± 2-neuron tanh sum leaves a large error on the sine."""
    from scipy.optimize import least_squares

    xs = curve_xs()
    ys = preset_curve("sine", xs)

    def residual(p: np.ndarray) -> np.ndarray:
        w, b, v, c = p[:2], p[2:4], p[4:6], p[6]
        return np.tanh(np.outer(xs, w) + b) @ v + c - ys

    rng = np.random.default_rng(0)
    best = min(np.mean(least_squares(residual, rng.normal(0, 3, 7)).fun ** 2) for _ in range(8))
    sim = CurveFit(seed=0, neurons=32, budget=BUDGET)
    sim.train_to_budget()
    assert sim.mse < best / 5


def test_one_epoch_is_full_batch_adam_on_the_mean_squared_error() -> None:
    sim = CurveFit(seed=4, neurons=5, curve="zigzag", lr=0.03)
    m = sim.model
    theta = [m.weights[0][0].copy(), m.biases[0].copy(), m.weights[1][:, 0].copy(), m.biases[1].copy()]
    x, y, n = sim.xs, sim.ys, N_SAMPLES
    mom = [np.zeros_like(p) for p in theta]
    sq = [np.zeros_like(p) for p in theta]
    for t in range(1, 4):
        w, b, v, c = theta
        h = np.tanh(np.outer(x, w) + b)
        out = h @ v + c[0]
        d = 2 * (out - y) / n
        dh = np.outer(d, v) * (1 - h * h)
        grads = [x @ dh, dh.sum(axis=0), h.T @ d, np.array([d.sum()])]
        for k, g in enumerate(grads):
            mom[k] = 0.9 * mom[k] + 0.1 * g
            sq[k] = 0.999 * sq[k] + 0.001 * g * g
            theta[k] = theta[k] - 0.03 * (mom[k] / (1 - 0.9**t)) / (np.sqrt(sq[k] / (1 - 0.999**t)) + 1e-8)
        sim.step()
    got = [m.weights[0][0], m.biases[0], m.weights[1][:, 0], m.biases[1]]
    for mine, theirs in zip(theta, got):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


def test_presets_are_the_curves_they_say() -> None:
    xs = curve_xs()
    assert xs[0] == -1 and xs[-1] == 1 and len(xs) == N_SAMPLES
    np.testing.assert_allclose(preset_curve("sine"), 0.8 * np.sin(2 * np.pi * xs))
    step = preset_curve("step")
    assert set(step[xs < 0]) == {-0.6} and set(step[xs >= 0]) == {0.6}
    zig = preset_curve("zigzag", np.array([-1.0, -5 / 6, -2 / 3, -0.5, -1 / 3, 1.0]))
    np.testing.assert_allclose(zig, [0.8, 0.0, -0.8, 0.0, 0.8, 0.8], atol=1e-12)  # three teeth
    heart = preset_curve("heartbeat")
    assert abs(xs[np.argmax(heart)]) < 0.03 and heart.max() > 0.7  # the spike in the middle
    for name in PRESETS:
        assert np.abs(preset_curve(name)).max() <= 1.0
    with pytest.raises(ValueError, match="sine, zigzag, step, heartbeat"):
        preset_curve("square")


def test_spread_init_spreads_the_turning_points_across_the_range() -> None:
    model = MLP((1, 40, 1), activation="tanh", output="linear", loss="mse", rng=0)
    spread_init(model, 3)
    w, b = model.weights[0][0], model.biases[0]
    turns = -b / w
    assert turns.min() >= -1 and turns.max() <= 1 and turns.std() > 0.4
    assert np.abs(w).min() >= 3 and np.abs(w).max() <= 6
    assert (w > 0).any() and (w < 0).any() and model.biases[1][0] == 0
    with pytest.raises(ValueError, match="one input"):
        spread_init(MLP((2, 3, 1), rng=0), 0)


def test_drawing_edits_the_curve_with_clamping() -> None:
    sim = CurveFit(neurons=3)
    assert sim.preset == "sine"
    sim.set_height(10, 3.0)
    assert sim.ys[10] == 1.0 and sim.preset == "custom"
    assert sim.nudge_height(10, -0.25) == 0.75
    sim.draw_segment(0.5, 0.4, -0.5, -0.6)  # from right to left works too
    i0, i1 = sim.index_of(-0.5), sim.index_of(0.5)
    np.testing.assert_allclose(sim.ys[i0 : i1 + 1], np.linspace(-0.6, 0.4, i1 - i0 + 1))
    assert sim.index_of(-7) == 0 and sim.index_of(0.0) == N_SAMPLES // 2 and sim.index_of(1.0) == N_SAMPLES - 1
    before = sim.ys
    sim.smooth()
    np.testing.assert_allclose(sim.ys[1:-1], (before[:-2] + before[1:-1] + before[2:]) / 3)
    assert sim.ys[0] == before[0]
    sim.flatten()
    assert not sim.ys.any()
    sim.set_curve(np.full(N_SAMPLES, -4.0))
    assert (sim.ys == -1).all()
    # the fit is measured against the edited curve at once
    assert sim.mse == pytest.approx(np.mean((sim.predict(sim.xs) + 1) ** 2))
    sim.load_preset("step")
    assert sim.preset == "step"


def test_bad_input_is_refused_with_a_message() -> None:
    sim = CurveFit(neurons=3)
    with pytest.raises(ValueError, match="index"):
        sim.set_height(N_SAMPLES, 0.0)
    with pytest.raises(ValueError, match="height"):
        sim.set_height(0, float("nan"))
    with pytest.raises(ValueError, match=f"{N_SAMPLES} heights"):
        sim.set_curve([0.0, 1.0])
    with pytest.raises(ValueError, match="finite"):
        sim.set_curve(np.full(N_SAMPLES, np.inf))
    with pytest.raises(ValueError, match="at most 64"):
        sim.set_neurons(65)
    with pytest.raises(ValueError, match="at least 1"):
        sim.set_neurons(0)
    with pytest.raises(ValueError, match="activation"):
        sim.set_activation("softplus")
    with pytest.raises(ValueError, match="learning rate"):
        sim.set_lr(0)
    with pytest.raises(ValueError, match="budget"):
        sim.set_budget(0)
    with pytest.raises(ValueError, match="unknown curve"):
        sim.load_preset("spiral")
    assert sim.neurons == 3 and sim.preset == "sine"


def test_budget_stops_training_and_step_back_undoes() -> None:
    sim = CurveFit(neurons=4, budget=250)
    sim.steps(300)
    assert sim.epoch == 250 and sim.done and len(sim.mse_history) == 251
    sim.set_budget(500)
    sim.step()
    assert sim.epoch == 251
    params, mse = sim.model.params.copy(), sim.mse
    sim.step()
    sim.step_back()
    np.testing.assert_array_equal(sim.model.params, params)
    assert sim.mse == mse and sim.epoch == 251 and len(sim.mse_history) == 252


def test_learning_again_and_seeds() -> None:
    a, b = CurveFit(seed=7, neurons=6), CurveFit(seed=7, neurons=6)
    a.steps(10)
    b.steps(10)
    np.testing.assert_array_equal(a.model.params, b.model.params)
    first = CurveFit(seed=7, neurons=6).model.params.copy()
    a.learn()
    assert a.epoch == 0 and not np.array_equal(a.model.params, first)  # fresh weights each time
    a.reset()
    np.testing.assert_array_equal(a.model.params, first)
    a.set_neurons(9)
    assert a.model.sizes == (1, 9, 1) and a.epoch == 0


def test_neuron_shares_add_up_to_the_fit() -> None:
    sim = CurveFit(neurons=7, activation="relu")
    sim.steps(20)
    xs = np.linspace(-1, 1, 33)
    shares = sim.neuron_curves(xs)
    assert shares.shape == (7, 33)
    np.testing.assert_allclose(shares.sum(axis=0) + sim.model.biases[1][0], sim.predict(xs), atol=1e-12)


def test_blown_up_weights_are_a_diverged_state() -> None:
    sim = CurveFit(neurons=3)
    sim.model.params[:] = 1e200
    sim.step()
    assert sim.diverged
    epoch = sim.epoch
    sim.step()
    assert sim.epoch == epoch  # a diverged run stands still
    sim.learn()
    assert not sim.diverged and np.isfinite(sim.mse)


@settings(max_examples=40, deadline=None)
@given(st.floats(-1, 1), st.floats(-3, 3), st.floats(-1, 1), st.floats(-3, 3))
def test_a_drag_sets_exactly_the_samples_it_crosses(x0, h0, x1, h1) -> None:
    sim = CurveFit(neurons=2)
    before = sim.ys
    sim.draw_segment(x0, h0, x1, h1)
    after = sim.ys
    lo, hi = sorted((sim.index_of(x0), sim.index_of(x1)))
    untouched = np.ones(N_SAMPLES, bool)
    untouched[lo : hi + 1] = False
    np.testing.assert_array_equal(after[untouched], before[untouched])
    assert np.abs(after).max() <= 1.0
    if sim.index_of(x0) != sim.index_of(x1):
        assert after[sim.index_of(x0)] == pytest.approx(min(1, max(-1, h0)))
    assert after[sim.index_of(x1)] == pytest.approx(min(1, max(-1, h1)))

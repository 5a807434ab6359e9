"""The network topic's simulation: live weights, neuron maps against a hand-written forward pass,
training, stepping back, validation."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.datasets import grid_points
from algorithms.network import EXTENT, MAX_HIDDEN, NetworkTraining


def hand_forward(sim: NetworkTraining, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden values and P(class 1), written out without the MLP."""
    act = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0)}
    W0, b0, W1, b1 = sim.weights[0], sim.biases[0], sim.weights[1], sim.biases[1]
    h = act[sim.activation](X @ W0 + b0)
    return h, 1 / (1 + np.exp(-(h @ W1 + b1)))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_every_neurons_map_is_what_that_neuron_computes(activation: str) -> None:
    sim = NetworkTraining(seed=3, activation=activation)
    for _ in range(5):
        sim.step()
    pts = grid_points(16, 12, EXTENT)
    hidden, out = hand_forward(sim, pts)
    for j in range(sim.hidden):
        np.testing.assert_allclose(sim.neuron_map(1, j, 16, 12).ravel(), hidden[:, j], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sim.neuron_map(2, 0, 16, 12).ravel(), out[:, 0], rtol=1e-12)
    np.testing.assert_allclose(sim.neuron_map(0, 1, 16, 12).ravel(), pts[:, 1])
    assert sim.neuron_map(1, 0, 0, 4).shape == (4, 0)
    lo, hi = sim.neuron_range(1, sim.neuron_map(1, 0, 16, 12))
    assert lo < hi and sim.neuron_range(2) == (0.0, 1.0)


def test_weights_are_the_live_matrices() -> None:
    sim = NetworkTraining(seed=1)
    W = sim.weights[0]
    assert W is sim.model.weights[0] and W.shape == (2, 3) and sim.weights[1].shape == (3, 1)
    before = W.copy()
    sim.step()
    assert sim.weights[0] is W and not np.array_equal(W, before)  # changed in place, as it trained


def test_the_first_adam_step_moves_every_weight_against_its_slope() -> None:
    # An independent check that training follows the loss gradient: Adam's first step is
    # −lr·g/(|g| + ε) ≈ −lr·sign(g), with g from finite differences of the cross-entropy.
    sim = NetworkTraining(seed=2, lr=0.01)
    params = sim.model.params
    start = params.copy()

    def bce() -> float:
        _, p = hand_forward(sim, sim.X)
        p = p[:, 0]
        return float(-np.mean(sim.y * np.log(p) + (1 - sim.y) * np.log(1 - p)))

    slope = np.empty_like(start)
    for i in range(params.size):
        params[i] = start[i] + 1e-6
        up = bce()
        params[i] = start[i] - 1e-6
        slope[i] = (up - bce()) / 2e-6
        params[i] = start[i]
    sim.step()
    big = np.abs(slope) > 1e-4
    np.testing.assert_allclose((params - start)[big], -0.01 * np.sign(slope[big]), rtol=1e-3)


def test_three_hidden_neurons_learn_the_circle() -> None:
    for seed in range(3):
        sim = NetworkTraining(seed=seed)
        for _ in range(300):
            sim.step()
        assert sim.accuracy >= 0.95 and not sim.diverged
        _, p = hand_forward(sim, sim.X)
        assert sim.accuracy == np.mean((p[:, 0] >= 0.5) == sim.y)


def test_step_back_and_reset_are_exact() -> None:
    sim = NetworkTraining(seed=4)
    sim.step()
    one = sim.model.params.copy()
    sim.step()
    sim.step_back()
    assert sim.epoch == 1 and np.array_equal(sim.model.params, one)
    sim.step()
    twin = NetworkTraining(seed=4)
    twin.step()
    twin.step()
    assert np.array_equal(sim.model.params, twin.model.params)
    sim.reset()
    assert sim.epoch == 0 and np.array_equal(sim.model.params, NetworkTraining(seed=4).model.params)
    assert not sim.can_step_back


def test_settings_change_the_model_trained() -> None:
    sim = NetworkTraining(seed=0)
    sim.set_hidden(5)
    assert sim.sizes == (2, 5, 1) and sim.epoch == 0
    sim.set_activation("relu")
    assert sim.model.activation == "relu"
    x_before = sim.X.copy()
    sim.set_dataset("xor")
    assert not np.array_equal(sim.X, x_before)
    sim.set_lr(0.2)
    assert sim.lr == 0.2
    sim.set_noise(0.1)
    assert sim.noise == 0.1


def test_a_huge_learning_rate_is_reported_as_divergence_not_an_error() -> None:
    sim = NetworkTraining(seed=0, activation="relu", lr=10.0)
    for _ in range(20):
        sim.step()
    assert sim.diverged  # ReLU units are unbounded: a step of 10 throws the loss past any sane value
    params, epoch = sim.model.params.copy(), sim.epoch
    sim.step()  # steps after divergence do nothing
    assert np.array_equal(sim.model.params, params, equal_nan=True) and sim.epoch == epoch
    sim.step_back()
    assert not sim.diverged and np.isfinite(sim.loss)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(dataset="moons"), "unknown data set"),
        (dict(hidden=0), "at least 1"),
        (dict(hidden=MAX_HIDDEN + 1), "at most"),
        (dict(activation="swish"), "unknown activation"),
        (dict(lr=0), "learning rate"),
        (dict(noise=2), "noise"),
    ],
)
def test_bad_settings_raise_readable_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        NetworkTraining(**kwargs)


def test_bad_neuron_is_refused() -> None:
    sim = NetworkTraining()
    with pytest.raises(ValueError, match="no neuron"):
        sim.neuron_map(1, 3, 4, 4)
    with pytest.raises(ValueError, match="no neuron"):
        sim.neuron_map(3, 0, 4, 4)

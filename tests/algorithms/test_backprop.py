"""The backprop topic: every gradient against finite differences of an independently written loss
(relative error < 1e-6 in float64), the step-wise pass against the MLP's own gradient (exactly),
one layer per step, the update rule, and the stepping contract."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from algorithms.backprop import SHAPES, XOR_X, XOR_Y, BackpropStepper

SMOOTH = ("tanh", "sigmoid", "gelu")
ACT = {
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "gelu": lambda z: z * norm.cdf(z),
    "relu": lambda z: np.maximum(z, 0),
}


def hand_loss(sim: BackpropStepper, params: np.ndarray) -> float:
    """The example's loss from a flat parameter vector, written out without the MLP."""
    a = sim.x.reshape(1, -1)
    at = 0
    sizes = sim.sizes
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = params[at : at + n_in * n_out].reshape(n_in, n_out)
        b = params[at + n_in * n_out : at + n_in * n_out + n_out]
        at += n_in * n_out + n_out
        z = a @ W + b
        a = z if layer == len(sizes) - 2 else ACT[sim.activation](z)
    p = 1 / (1 + np.exp(-z[0, 0]))
    y = sim.target
    if sim.loss_name == "bce":
        return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return float((p - y) ** 2)


def finite_differences(sim: BackpropStepper, h: float = 2e-3) -> np.ndarray:
    """Fourth-order central differences of ``hand_loss`` for every parameter."""
    base = sim.model.params.copy()
    out = np.empty_like(base)
    def at(i: int, k: float) -> float:
        p = base.copy()
        p[i] += k * h
        return hand_loss(sim, p)

    for i in range(base.size):
        out[i] = (at(i, -2) - 8 * at(i, -1) + 8 * at(i, 1) - at(i, 2)) / (12 * h)
    return out


def relative_errors(g: np.ndarray, n: np.ndarray, floor: float = 1e-5) -> np.ndarray:
    """|g − n| / max(|g|, |n|); gradients smaller than ``floor`` are compared against the floor."""
    return np.abs(g - n) / np.maximum(np.maximum(np.abs(g), np.abs(n)), floor)


def run_backward(sim: BackpropStepper) -> None:
    """From the forward phase: the loss, then every layer back."""
    assert sim.phase == 0
    for _ in range(sim.n_layers + 1):
        sim.step()
    assert sim.complete and sim.phase_kind == "backward"


# --------------------------------------------------------------------------- the claim
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 1000),
    shape=st.sampled_from(SHAPES),
    activation=st.sampled_from(SMOOTH),
    loss=st.sampled_from(("bce", "mse")),
    trained=st.integers(0, 40),
)
def test_every_gradient_agrees_with_finite_differences(seed, shape, activation, loss, trained) -> None:
    sim = BackpropStepper(seed=seed, sizes=shape, activation=activation, loss=loss)
    sim.train(trained)  # any point of training, any of the four examples
    run_backward(sim)
    grad = sim.gradient()
    assert np.all(relative_errors(grad, finite_differences(sim)) < 1e-6)
    # the table shows the same check, and its rows point at the right parameters
    rows = sim.rows()
    assert sorted(r.index for r in rows) == list(range(sim.model.n_params))
    for r in rows:
        assert r.value == sim.model.params[r.index] and r.backprop == grad[r.index]
        assert r.relative_error is not None and r.relative_error < 1e-6


def test_relu_agrees_away_from_its_kink() -> None:
    checked = 0
    for trained in range(4, 40):
        sim = BackpropStepper(seed=0, activation="relu")
        sim.train(trained)
        run_backward(sim)
        if min(np.abs(z).min() for z in sim.pre_activations[:-1]) < 0.05:
            continue  # a neuron close to its kink: the nudges would straddle it
        assert np.all(relative_errors(sim.gradient(), finite_differences(sim)) < 1e-6)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "gelu"])
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_the_step_wise_pass_is_exactly_the_mlps_gradient(shape, activation, loss) -> None:
    sim = BackpropStepper(seed=1, sizes=shape, activation=activation, loss=loss)
    for example in range(4):
        run_backward(sim)
        value, grad = sim.model.loss_and_grad(sim.x.reshape(1, -1), np.array([sim.target]))
        assert sim.loss == value
        assert np.array_equal(sim.gradient(), grad)
        sim.finish_cycle()


# --------------------------------------------------------------------------- layer by layer
def test_each_press_reaches_exactly_one_more_layer_back() -> None:
    sim = BackpropStepper(seed=2, sizes=(2, 4, 3, 1))
    n = sim.n_layers
    assert sim.phase_kind == "forward" and sim.loss is None and sim.reached == n
    assert all(d is None for d in sim.deltas) and all(not v.any() for v in sim.edge_values())
    sim.step()
    assert sim.phase_kind == "loss" and sim.deltas[n] is not None and sim.reached == n
    for k in range(1, n + 1):
        sim.step()
        assert sim.phase_kind == "backward" and sim.reached == n - k
        for i in range(n):
            known = i >= n - k
            assert (sim.grad_weights[i] is not None) == known
            assert sim.edge_values()[i].any() == known
            if known:
                np.testing.assert_array_equal(sim.edge_values()[i], np.abs(sim.grad_weights[i]))
        # the error signal has reached the neurons feeding the layer just done (not the inputs)
        assert [d is not None for d in sim.deltas] == [False] + [layer >= max(n - k, 1) for layer in range(1, n + 1)]
    sim.step()
    assert sim.phase_kind == "update" and sim.phase == n + 2 == sim.n_phases - 1
    sim.step()
    assert sim.phase == 0 and sim.cycle == 1
    np.testing.assert_array_equal(sim.x, XOR_X[1])


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_the_error_signal_starts_from_the_closed_form_and_follows_the_chain_rule(loss) -> None:
    sim = BackpropStepper(seed=6, sizes=(2, 3, 2, 1), loss=loss)
    sim.train(5)
    run_backward(sim)
    p, y = sim.prediction, sim.target
    expected = p - y if loss == "bce" else 2 * (p - y) * p * (1 - p)
    assert sim.deltas[-1][0] == pytest.approx(expected, rel=1e-12)
    W = sim.model.weights
    for layer in range(len(sim.sizes) - 2, 0, -1):
        a = sim.node_values[layer]
        # δ' = (W·δ) ⊙ tanh'(z) with tanh' = 1 − a²
        np.testing.assert_allclose(sim.deltas[layer], (W[layer] @ sim.deltas[layer + 1]) * (1 - a**2), rtol=1e-12)
    for i in range(sim.n_layers):
        np.testing.assert_allclose(sim.grad_weights[i], np.outer(sim.node_values[i], sim.deltas[i + 1]), rtol=1e-12)
        np.testing.assert_allclose(sim.grad_biases[i], sim.deltas[i + 1], rtol=1e-12)


def test_the_update_is_plain_gradient_descent_and_lowers_the_loss() -> None:
    sim = BackpropStepper(seed=0, lr=0.3)
    run_backward(sim)
    before, grad, loss = sim.model.params.copy(), sim.gradient(), sim.loss
    sim.step()
    np.testing.assert_allclose(sim.model.params, before - 0.3 * grad, rtol=0, atol=1e-15)
    assert sim.loss_after == pytest.approx(hand_loss(sim, sim.model.params), rel=1e-12)
    assert sim.loss_after < loss
    # the table still shows the values the gradients belong to
    assert all(r.value == before[r.index] for r in sim.rows())


def test_node_values_are_the_forward_pass() -> None:
    sim = BackpropStepper(seed=5, sizes=(2, 3, 1), activation="sigmoid")
    W0, b0, W1, b1 = sim.model.weights[0], sim.model.biases[0], sim.model.weights[1], sim.model.biases[1]
    h = ACT["sigmoid"](sim.x @ W0 + b0)
    out = ACT["sigmoid"](h @ W1 + b1)
    values = sim.node_values
    np.testing.assert_array_equal(values[0], sim.x)
    np.testing.assert_allclose(values[1], h, rtol=1e-12)
    np.testing.assert_allclose(values[2], out, rtol=1e-12)
    assert sim.prediction == pytest.approx(out[0])


# --------------------------------------------------------------------------- the whole task and the contract
def test_training_example_by_example_learns_xor() -> None:
    for seed in range(3):
        sim = BackpropStepper(seed=seed)
        start = sim.mean_loss()
        sim.train(800)
        assert sim.mean_loss() < 0.2 * start
        assert np.array_equal(sim.predictions() >= 0.5, XOR_Y == 1)


def test_step_back_undoes_each_phase_and_a_training_burst() -> None:
    sim = BackpropStepper(seed=4)
    states = []
    for _ in range(2 * sim.n_phases):
        states.append((sim.phase, sim.cycle, sim.model.params.copy(), [None if g is None else g.copy() for g in sim.grad_weights]))
        sim.step()
    for phase, cycle, params, grads in reversed(states):
        sim.step_back()
        assert (sim.phase, sim.cycle) == (phase, cycle) and np.array_equal(sim.model.params, params)
        assert all((a is None and b is None) or np.array_equal(a, b) for a, b in zip(sim.grad_weights, grads))
    assert not sim.can_step_back
    sim.step()
    sim.step()
    mid = (sim.phase, sim.model.params.copy())
    sim.train(50)
    assert sim.cycle == 51 and sim.phase == 0
    sim.step_back()
    assert sim.phase == mid[0] and np.array_equal(sim.model.params, mid[1])


def test_same_seed_same_run() -> None:
    a, b = BackpropStepper(seed=8), BackpropStepper(seed=8)
    for _ in range(13):
        a.step()
        b.step()
    assert np.array_equal(a.model.params, b.model.params) and a.phase == b.phase


def test_gradient_before_the_pass_is_done_is_refused() -> None:
    sim = BackpropStepper()
    sim.step()
    with pytest.raises(ValueError, match="not reached"):
        sim.gradient()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sizes=(2, 9, 1)), "shape must be one of"),
        (dict(sizes="abc"), "shape"),
        (dict(activation="swish"), "unknown activation"),
        (dict(loss="hinge"), "unknown loss"),
        (dict(lr=0), "learning rate"),
        (dict(seed=-3), "seed"),
    ],
)
def test_bad_settings_raise_readable_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        BackpropStepper(**kwargs)


def test_the_mlps_step_wise_helpers_refuse_bad_input() -> None:
    model = BackpropStepper().model
    acts, zs = model.forward_trace(XOR_X)
    assert [a.shape for a in acts] == [(4, 2), (4, 3), (4, 2)] and [z.shape for z in zs] == [(4, 3), (4, 2), (4, 1)]
    with pytest.raises(ValueError, match="logits must have shape"):
        model.output_delta(np.zeros((4, 2)), XOR_Y)
    _, delta = model.output_delta(zs[-1], XOR_Y)
    with pytest.raises(ValueError, match="layer index"):
        model.backward_layer(3, delta, acts, zs)
    with pytest.raises(ValueError, match="inputs must have shape"):
        model.forward_trace(np.zeros((2, 3)))

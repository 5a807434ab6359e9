"""MLP additions: dropout masks (gradients against finite differences, with L1/L2 too) and the
to_dict/from_dict round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from algorithms.nn import MLP

ACTS = ["tanh", "relu", "sigmoid", "linear", "leaky_relu"]
HEADS = [("sigmoid", "bce", 1), ("sigmoid", "mse", 3), ("linear", "mse", 1), ("softmax", "ce", 3)]


def numeric_grad(model: MLP, f, h: float = 1e-6) -> np.ndarray:
    out = np.zeros(model.n_params)
    for i in range(model.n_params):
        keep = model.params[i]
        model.params[i] = keep + h
        up = f()
        model.params[i] = keep - h
        down = f()
        model.params[i] = keep
        out[i] = (up - down) / (2 * h)
    return out


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def problem(act: str, head: tuple[str, str, int], seed: int = 3):
    output, loss, out = head
    gen = np.random.default_rng(seed)
    model = MLP((3, 6, 5, out), activation=act, output=output, loss=loss, rng=seed)
    model.params += gen.normal(0, 0.3, model.n_params)
    X = gen.normal(size=(11, 3))
    if output == "softmax":
        y = gen.integers(0, out, 11)
    elif output == "sigmoid":
        y = gen.integers(0, 2, (11, out)).astype(float)
    else:
        y = gen.normal(size=11)
    return model, X, y


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("head", HEADS, ids=lambda h: f"{h[0]}+{h[1]}")
@pytest.mark.parametrize(("l1", "l2"), [(0.0, 0.0), (0.02, 0.03)])
def test_dropout_gradient_matches_finite_differences(act, head, l1, l2) -> None:
    model, X, y = problem(act, head)
    masks = model.dropout_masks(len(X), 0.4, rng=5)
    value, grad = model.loss_and_grad(X, y, l1, l2, masks=masks)
    grad = grad.copy()
    assert value == pytest.approx(model.loss(X, y, l1, l2, masks=masks), rel=1e-12)
    assert rel_error(grad, numeric_grad(model, lambda: model.loss(X, y, l1, l2, masks=masks))) < 1e-6


def test_masks_are_inverted_dropout() -> None:
    model = MLP((2, 40, 30, 1), rng=0)
    masks = model.dropout_masks(5000, 0.3, rng=1)
    assert [m.shape for m in masks] == [(5000, 40), (5000, 30)]
    for m in masks:
        assert set(np.unique(m)) <= {0.0, 1 / 0.7}
        assert (m == 0).mean() == pytest.approx(0.3, abs=0.01)  # drop probability
        assert m.mean() == pytest.approx(1.0, abs=0.02)  # expectation kept
    np.testing.assert_array_equal(masks[0], model.dropout_masks(5000, 0.3, rng=1)[0])  # seeded
    assert all((m == 1).all() for m in model.dropout_masks(3, 0.0, rng=2))


def test_masks_zero_units_and_all_ones_changes_nothing() -> None:
    model, X, y = problem("tanh", ("sigmoid", "bce", 1))
    ones = [np.ones((len(X), w)) for w in model.sizes[1:-1]]
    assert model.loss(X, y, masks=ones) == pytest.approx(model.loss(X, y), rel=1e-14)
    g_plain = model.loss_and_grad(X, y)[1].copy()
    np.testing.assert_allclose(model.loss_and_grad(X, y, masks=ones)[1], g_plain, rtol=1e-14)
    # dropping every unit of the last hidden layer: the output sees only its bias
    drop = [np.ones((len(X), 6)), np.zeros((len(X), 5))]
    model.loss_and_grad(X, y, masks=drop)
    assert np.all(model.grad_weights[1] == 0) and np.all(model.grad_weights[0] == 0)
    assert np.all(model.grad_weights[2] == 0) and np.any(model.grad_biases[2] != 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, X, y: m.loss(X, y, masks=[np.ones((len(X), 6))]),  # one mask too few
        lambda m, X, y: m.loss(X, y, masks=[np.ones((len(X), 6)), np.ones((len(X), 4))]),  # wrong width
        lambda m, X, y: m.loss_and_grad(X, y, masks=[np.ones((2, 6)), np.ones((2, 5))]),  # wrong rows
        lambda m, X, y: m.dropout_masks(4, 1.0),
        lambda m, X, y: m.dropout_masks(4, -0.1),
        lambda m, X, y: m.dropout_masks(0, 0.5),
    ],
)
def test_bad_masks_raise_value_error(call) -> None:
    model, X, y = problem("tanh", ("sigmoid", "bce", 1))
    with pytest.raises(ValueError):
        call(model, X, y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("head", HEADS, ids=lambda h: f"{h[0]}+{h[1]}")
def test_to_dict_round_trip_through_json_predicts_identically(dtype, head) -> None:
    output, loss, out = head
    model = MLP((4, 7, 3, out), activation="leaky_relu", output=output, loss=loss, dtype=dtype, rng=9)
    model.params += np.random.default_rng(1).normal(0, 0.5, model.n_params).astype(dtype)
    back = MLP.from_dict(json.loads(json.dumps(model.to_dict())))
    assert back.sizes == model.sizes and back.dtype == model.dtype and back.activation == "leaky_relu"
    np.testing.assert_array_equal(back.params, model.params)
    X = np.random.default_rng(2).normal(size=(50, 4))
    np.testing.assert_array_equal(back.forward(X), model.forward(X))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("weights"),
        lambda d: d.update(sizes=[4, 0, 1]),
        lambda d: d.update(activation="swish"),
        lambda d: d["weights"].pop(),
        lambda d: d["weights"][0].pop(),
        lambda d: d["biases"][1].append(0.5),
        lambda d: d["weights"][0][0].__setitem__(0, "x"),
        lambda d: d["weights"][0][0].__setitem__(0, float("nan")),
    ],
)
def test_from_dict_refuses_broken_models(change) -> None:
    data = MLP((4, 3, 1), rng=0).to_dict()
    change(data)
    with pytest.raises(ValueError):
        MLP.from_dict(data)

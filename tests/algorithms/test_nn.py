"""The MLP: backprop against finite differences, losses against scikit-learn, layout, validation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error

from algorithms.datasets import gaussian_blobs, xor
from algorithms.nn import ACTIVATIONS, MLP, get_activation, register_activation
from algorithms.optim import Adam

ACTS = ["tanh", "relu", "sigmoid", "linear", "leaky_relu"]
HEADS = [("sigmoid", "bce"), ("sigmoid", "mse"), ("linear", "mse"), ("softmax", "ce")]
FRONTS = [(3,), (2, 5), (3, 6, 4)]  # input and hidden widths; the output width is a parameter


def numeric_grad(model: MLP, f, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``f()`` with respect to every parameter."""
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


def make_problem(sizes, output, loss, targets, seed, activation="tanh"):
    """A model with non-zero biases and random data; ``targets`` is "labels" ((n,)) or "matrix" ((n, out))."""
    gen = np.random.default_rng(seed)
    n, out = 9, sizes[-1]
    model = MLP(sizes, activation=activation, output=output, loss=loss, rng=seed)
    model.params += gen.normal(0, 0.3, model.n_params)
    X = gen.normal(size=(n, sizes[0]))
    if targets == "labels":
        if out > 1:
            y = gen.integers(0, out, n)  # class ids, one-hot inside
        else:
            y = gen.integers(0, 2, n) if output == "sigmoid" else gen.normal(size=n)
    elif output == "softmax":
        y = gen.dirichlet(np.ones(out), size=n)  # soft labels
    else:
        y = gen.uniform(size=(n, out)) if output == "sigmoid" else gen.normal(size=(n, out))
    return model, X, y


GRAD_CASES = [
    (act, head, front, out, targets)
    for act in ACTS
    for head in HEADS
    for front in FRONTS
    for out in (1, 3)
    for targets in ("labels", "matrix")
    if not (head[0] == "softmax" and out == 1)  # softmax needs several outputs
]


@pytest.mark.parametrize(
    ("act", "head", "front", "out", "targets"),
    GRAD_CASES,
    ids=[f"{a}-{h[0]}+{h[1]}-{'x'.join(map(str, f))}x{o}-{t}" for a, h, f, o, t in GRAD_CASES],
)
def test_backprop_matches_finite_differences(act, head, front, out, targets) -> None:
    output, loss = head
    model, X, y = make_problem((*front, out), output, loss, targets, seed=7 * len(front) + out, activation=act)
    value, grad = model.loss_and_grad(X, y)
    grad = grad.copy()
    assert value == pytest.approx(model.loss(X, y), rel=1e-12)
    assert rel_error(grad, numeric_grad(model, lambda: model.loss(X, y))) < 1e-6


@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_weight_penalties_match_finite_differences(act) -> None:
    model, X, y = make_problem((2, 5, 4, 1), "sigmoid", "bce", "labels", seed=3, activation=act)
    value, grad = model.loss_and_grad(X, y, l1=0.01, l2=0.1)
    grad = grad.copy()
    plain = model.loss(X, y)
    weights = np.concatenate([W.ravel() for W in model.weights])
    assert value == pytest.approx(plain + 0.01 * np.abs(weights).sum() + 0.05 * (weights**2).sum(), rel=1e-12)
    assert rel_error(grad, numeric_grad(model, lambda: model.loss(X, y, l1=0.01, l2=0.1))) < 1e-6


@pytest.mark.parametrize("name", ACTS)
def test_activation_derivatives_match_finite_differences(name) -> None:
    act = get_activation(name)
    z = np.linspace(-3, 3, 61) + 0.013  # avoid the kink at 0
    h = 1e-6
    numeric = (act(z + h) - act(z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-6, atol=1e-8)


def test_activations_keep_float32() -> None:
    z = np.linspace(-2, 2, 9, dtype=np.float32)
    for name in ACTS:
        act = get_activation(name)
        assert act(z).dtype == np.float32 and act.grad(z, act(z)).dtype == np.float32, name


def test_new_activations_can_be_registered(monkeypatch) -> None:
    monkeypatch.setattr("algorithms.nn.ACTIVATIONS", dict(ACTIVATIONS))
    register_activation("softplus", lambda z: np.logaddexp(0, z), lambda z, a: 1 / (1 + np.exp(-z)))
    model, X, y = make_problem((2, 4, 1), "sigmoid", "bce", "labels", seed=1, activation="softplus")
    _, grad = model.loss_and_grad(X, y)
    assert rel_error(grad.copy(), numeric_grad(model, lambda: model.loss(X, y))) < 1e-6


def reference_forward(model: MLP, X: np.ndarray) -> np.ndarray:
    """The forward pass written out independently (tanh hidden layers)."""
    a = X
    for W, b in zip(model.weights[:-1], model.biases[:-1]):
        a = np.tanh(a @ W + b)
    return a @ model.weights[-1] + model.biases[-1]


def test_losses_agree_with_scikit_learn() -> None:
    gen = np.random.default_rng(0)
    X = gen.normal(size=(50, 2))
    binary = MLP((2, 6, 1), rng=0)
    binary.params *= 3
    y = gen.integers(0, 2, 50)
    p = 1 / (1 + np.exp(-reference_forward(binary, X)[:, 0]))
    assert binary.loss(X, y) == pytest.approx(log_loss(y, p), rel=1e-9)
    np.testing.assert_allclose(binary.predict_proba(X)[:, 0], p, rtol=1e-12)

    multi = MLP((2, 6, 4), output="softmax", loss="ce", rng=1)
    labels = gen.integers(0, 4, 50)
    z = reference_forward(multi, X)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert multi.loss(X, labels) == pytest.approx(log_loss(labels, probs, labels=range(4)), rel=1e-9)
    assert np.array_equal(multi.predict(X), probs.argmax(axis=1))

    reg = MLP((2, 6, 3), output="linear", loss="mse", rng=2)
    targets = gen.normal(size=(50, 3))
    assert reg.loss(X, targets) == pytest.approx(mean_squared_error(targets, reference_forward(reg, X)), rel=1e-12)


def test_bce_is_stable_for_huge_logits() -> None:
    model = MLP((2, 4, 1), rng=0)
    model.params *= 1e4
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = 1 - model.predict(X)  # every point confidently wrong
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = model.loss_and_grad(X, y)
    assert np.isfinite(loss) and loss > 100 and np.isfinite(grad).all()


def test_parameters_live_in_one_flat_vector() -> None:
    model = MLP((2, 24, 24, 1), rng=0)
    assert model.n_params == 2 * 24 + 24 + 24 * 24 + 24 + 24 + 1
    for views, flat in ((model.weights + model.biases, model.params), (model.grad_weights + model.grad_biases, model.grad)):
        assert all(np.shares_memory(v, flat) for v in views)
        assert sum(v.size for v in views) == flat.size
    before = model.forward(np.ones((1, 2)))
    model.params[model.n_params - 1] += 1.0  # the output bias is the last entry
    assert model.biases[-1][0] == model.params[-1]
    assert model.forward(np.ones((1, 2)))[0, 0] > before[0, 0]
    _, grad = model.loss_and_grad(np.ones((3, 2)), np.ones(3))
    assert grad is model.grad


def test_float32_models_are_float32_and_agree_with_float64() -> None:
    m64 = MLP((2, 24, 24, 1), rng=4)
    m32 = MLP((2, 24, 24, 1), rng=4, dtype=np.float32)
    assert m32.params.dtype == np.float32
    np.testing.assert_allclose(m32.params, m64.params, rtol=1e-6)
    X, y = xor(100, rng=0)
    loss32, grad32 = m32.loss_and_grad(X, y)
    loss64, grad64 = m64.loss_and_grad(X, y)
    assert grad32.dtype == np.float32 and m32.forward(X).dtype == np.float32
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    np.testing.assert_allclose(grad32, grad64, rtol=1e-3, atol=1e-6)


def test_init_is_seeded_and_scaled() -> None:
    a, b, c = MLP((2, 50, 30, 1), rng=1), MLP((2, 50, 30, 1), rng=1), MLP((2, 50, 30, 1), rng=2)
    assert np.array_equal(a.params, b.params) and not np.array_equal(a.params, c.params)
    assert all(np.all(bias == 0) for bias in a.biases)
    limit = np.sqrt(6 / (50 + 30))  # Glorot uniform bound of the middle layer
    assert np.abs(a.weights[1]).max() <= limit
    assert a.weights[1].std() == pytest.approx(limit / np.sqrt(3), rel=0.1)
    he = MLP((400, 300, 1), init="he", rng=0)
    assert he.weights[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    a.reinit(rng=2)
    assert np.array_equal(a.params, c.params)


def test_copy_set_params_and_hidden_outputs() -> None:
    model = MLP((2, 5, 3, 1), rng=0)
    twin = model.copy()
    twin.params += 1
    assert not np.allclose(twin.params, model.params)
    assert np.shares_memory(twin.weights[0], twin.params) and not np.shares_memory(twin.params, model.params)
    twin.set_params(model.params)
    X = np.random.default_rng(1).normal(size=(7, 2))
    assert np.array_equal(twin.forward(X), model.forward(X))
    layers = model.hidden_outputs(X)
    assert [a.shape for a in layers] == [(7, 5), (7, 3), (7, 1)]
    np.testing.assert_array_equal(layers[-1], model.forward(X))
    np.testing.assert_allclose(layers[0], np.tanh(X @ model.weights[0] + model.biases[0]))


def test_mlp_learns_xor_perfectly() -> None:
    X, y = xor(200, rng=0)
    model = MLP((2, 8, 1), rng=0)
    opt = Adam(lr=0.05)
    for _ in range(300):
        opt.step(model.params, model.loss_and_grad(X, y)[1])
    assert accuracy_score(y, model.predict(X)) == 1.0
    assert model.accuracy(X, y) == accuracy_score(y, model.predict(X))
    assert model.evaluate(X, y) == (model.loss(X, y), model.accuracy(X, y))


def test_softmax_learns_three_blobs() -> None:
    X, y = gaussian_blobs(300, k=3, spread=0.15, rng=0)
    model = MLP((2, 8, 3), output="softmax", loss="ce", rng=0)
    opt = Adam(lr=0.05)
    for _ in range(200):
        opt.step(model.params, model.loss_and_grad(X, y)[1])
    assert accuracy_score(y, model.predict(X)) >= 0.97
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(sizes=(2,)),
        dict(sizes=(2, 0, 1)),
        dict(sizes=(2, 3.5, 1)),
        dict(sizes="21"),
        dict(sizes=(2, 1), activation="swish"),
        dict(sizes=(2, 1), output="relu"),
        dict(sizes=(2, 1), loss="hinge"),
        dict(sizes=(2, 1), output="linear", loss="bce"),
        dict(sizes=(2, 3), output="softmax", loss="bce"),
        dict(sizes=(2, 1), output="softmax", loss="ce"),
        dict(sizes=(2, 1), dtype=np.int32),
        dict(sizes=(2, 1), init="zeros"),
    ],
)
def test_bad_models_raise_value_error(kwargs) -> None:
    with pytest.raises(ValueError):
        MLP(**kwargs)


def test_bad_inputs_raise_value_error() -> None:
    model = MLP((2, 4, 3), output="softmax", loss="ce", rng=0)
    X = np.zeros((4, 2))
    for call in (
        lambda: model.forward(np.zeros((4, 3))),
        lambda: model.forward(np.zeros(4)),
        lambda: model.loss(X, np.zeros(5)),
        lambda: model.loss(X, np.array([0, 1, 2, 3])),  # class 3 of 3
        lambda: model.loss(X, np.array([0, 1, 0.5, 1])),
        lambda: model.loss(X, np.zeros((4, 2))),
        lambda: model.loss(np.zeros((0, 2)), np.zeros(0)),
        lambda: model.loss(X, np.zeros(4, int), l2=-1),
        lambda: model.set_params(np.zeros(3)),
        lambda: MLP((2, 1), output="linear", loss="mse").predict_proba(X),
    ):
        with pytest.raises(ValueError):
            call()


@pytest.mark.parametrize("output,loss,out", [("sigmoid", "bce", 1), ("linear", "mse", 1), ("softmax", "ce", 3)])
def test_a_forward_trace_gives_the_same_gradient_and_evaluation(output, loss, out):
    rng = np.random.default_rng(3)
    model = MLP((2, 7, 5, out), activation="tanh", output=output, loss=loss, dtype=np.float32, rng=rng)
    X = rng.standard_normal((40, 2)).astype(np.float32)
    y = rng.integers(0, out if out > 1 else 2, 40)
    plain_loss, plain_grad = model.loss_and_grad(X, y)
    plain_grad = plain_grad.copy()
    trace = model.forward_trace(X)
    traced_loss, traced_grad = model.loss_and_grad(X, y, trace=trace)
    assert traced_loss == plain_loss and np.array_equal(traced_grad, plain_grad)
    assert model.evaluate(X, y, trace=trace) == model.evaluate(X, y)
    labels = model.predict(X)
    assert model.evaluate(X, y)[1] == pytest.approx(accuracy_score(y if out > 1 else (y >= 0.5), labels))
    with pytest.raises(ValueError, match="not both"):
        model.loss_and_grad(X, y, masks=model.dropout_masks(40, 0.5, rng=0), trace=trace)
    with pytest.raises(ValueError, match="rows"):
        model.loss_and_grad(X[:10], y[:10], trace=trace)

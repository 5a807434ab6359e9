"""The playground simulation: every control changes what is trained (one test per control), the
train and test sets are disjoint and measured apart, CSV and JSON round trips, malformed CSV,
stepping back, stopping, divergence. References: closed forms, finite differences of a loss written
here from scratch, scikit-learn's log loss, and the data sets' own geometry."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.metrics import log_loss, mean_squared_error

from algorithms.datasets import plane_values
from algorithms.playground import (
    DATASET_NAMES,
    FEATURE_IDS,
    HISTORY,
    SCALE,
    Playground,
    feature_matrix,
    load_model_json,
    parse_csv,
    parse_features,
    parse_hidden,
)


def small(**kw) -> Playground:
    """A quick playground: few points, full batch, SGD."""
    base = {"seed": 1, "n_points": 80, "batch_size": None, "hidden": (3,)}
    base.update(kw)
    return Playground(**base)


def one_epoch_update(pg: Playground) -> np.ndarray:
    before = pg.model.params.astype(np.float64).copy()
    pg.step()
    return pg.model.params.astype(np.float64) - before


# ----------------------------------------------------------------------------- reference pieces
ACT = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "linear": lambda z: z,
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def reference_outputs(pg: Playground, params: np.ndarray, F: np.ndarray) -> np.ndarray:
    """The network's output written out from the layer sizes and a flat parameter vector."""
    sizes, at, a = pg.sizes, 0, F.astype(np.float64)
    for layer, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = params[at : at + i * o].reshape(i, o)
        b = params[at + i * o : at + i * o + o]
        at += i * o + o
        z = a @ W + b
        a = ACT[pg.activation](z) if layer < len(sizes) - 2 else z
    if pg.task == "regression":
        return a
    if pg.model.output == "softmax":
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return 1 / (1 + np.exp(-a))


def reference_loss(pg: Playground, params: np.ndarray, idx: np.ndarray, l1: float = 0.0, l2: float = 0.0) -> float:
    """Data loss (+ penalties) of the points ``idx``, from scratch."""
    F = feature_matrix(pg.X[idx], pg.features, np.float64)
    out = reference_outputs(pg, params, F)
    y = pg.y[idx]
    if pg.task == "regression":
        data = float(np.mean((out[:, 0] - y) ** 2))
    elif pg.n_classes == 2:
        p = out[:, 0]
        data = float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))) if pg.loss_choice == "ce" \
            else float(np.mean((p - y) ** 2))
    else:
        onehot = np.eye(pg.n_classes)[y]
        data = float(np.mean(-np.log(out[np.arange(len(y)), y]))) if pg.loss_choice == "ce" \
            else float(np.mean((out - onehot) ** 2))
    weights = weight_mask(pg)
    return data + l1 * float(np.abs(params[weights]).sum()) + 0.5 * l2 * float((params[weights] ** 2).sum())


def weight_mask(pg: Playground) -> np.ndarray:
    """True where the flat parameter vector holds a weight (not a bias)."""
    mask: list[bool] = []
    for i, o in zip(pg.sizes[:-1], pg.sizes[1:]):
        mask += [True] * (i * o) + [False] * o
    return np.array(mask)


def fd_grad(f, params: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(params)
    for i in range(len(params)):
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / (2 * h)
    return g


# ----------------------------------------------------------------------------- train / test
@pytest.mark.parametrize("ratio", [0.1, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("dataset", ["circle", "gaussian3", "bumps"])
def test_train_and_test_sets_are_disjoint_and_cover_the_data(ratio, dataset) -> None:
    pg = small(dataset=dataset, train_ratio=ratio, n_points=101)
    train, test = set(pg.train_idx.tolist()), set(pg.test_idx.tolist())
    assert not train & test and train | test == set(range(101))
    assert len(train) == round(ratio * 101)


@pytest.mark.parametrize("dataset", ["xor", "spiral3", "plane"])
def test_train_and_test_losses_are_measured_on_their_own_points(dataset) -> None:
    pg = small(dataset=dataset, n_points=120, hidden=(5,))
    pg.steps(5)
    params = pg.model.params.astype(np.float64)
    assert pg.train_loss == pytest.approx(reference_loss(pg, params, pg.train_idx), rel=1e-4)
    assert pg.test_loss == pytest.approx(reference_loss(pg, params, pg.test_idx), rel=1e-4)
    # and against scikit-learn, from the model's own predictions
    for idx, value in ((pg.train_idx, pg.train_loss), (pg.test_idx, pg.test_loss)):
        out = pg.model.forward(feature_matrix(pg.X[idx], pg.features)).astype(np.float64)
        if pg.task == "regression":
            assert value == pytest.approx(mean_squared_error(pg.y[idx], out[:, 0]), rel=1e-4)
        else:
            probs = out if out.shape[1] > 1 else np.column_stack((1 - out[:, 0], out[:, 0]))
            probs = probs / probs.sum(axis=1, keepdims=True)
            assert value == pytest.approx(log_loss(pg.y[idx], probs, labels=range(pg.n_classes)), rel=1e-4)


def test_test_points_never_influence_training() -> None:
    """Change only the test points' labels: training goes exactly the same, the test loss does not."""
    a = small(dataset="circle", batch_size=8)
    flipped = a.y.copy()
    flipped[a.test_idx] = 1 - flipped[a.test_idx]
    b = small(dataset="circle", batch_size=8)
    b.load_csv_text(_csv(a.X, flipped), "flipped.csv")
    assert np.array_equal(b.train_idx, a.train_idx)  # the split depends on the seed and n only
    a.load_csv_text(_csv(a.X, a.y), "same.csv")
    a.steps(20)
    b.steps(20)
    np.testing.assert_array_equal(a.model.params, b.model.params)
    assert a.train_loss == b.train_loss and a.test_loss != pytest.approx(b.test_loss, rel=1e-3)


def _csv(X: np.ndarray, y: np.ndarray) -> str:
    return "x1,x2,label\n" + "".join(f"{a!r},{b!r},{v}\n" for (a, b), v in zip(X.tolist(), y.tolist()))


def test_accuracy_and_confusion_matrix_agree_with_counting() -> None:
    pg = small(dataset="gaussian3", n_points=150, hidden=(6,))
    pg.steps(30)
    pred = pg.model.predict(feature_matrix(pg.X[pg.test_idx], pg.features))
    true = pg.y[pg.test_idx]
    expected = np.zeros((3, 3), dtype=int)
    for t, p in zip(true, pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(pg.confusion("test"), expected)
    assert pg.test_accuracy == pytest.approx(np.trace(expected) / len(true))
    assert pg.confusion("train").sum() == len(pg.train_idx)
    assert pg.train_accuracy == pytest.approx(np.trace(pg.confusion("train")) / len(pg.train_idx))
    with pytest.raises(ValueError):
        small(dataset="plane").confusion()


# ----------------------------------------------------------------------------- data controls
def test_control_dataset_loads_the_named_data() -> None:
    pg = small(n_points=400)
    for name in DATASET_NAMES:
        pg.set_dataset(name)
        P = pg.X / SCALE
        if name == "xor":
            assert np.array_equal(pg.y, (np.sign(P[:, 0]) * np.sign(P[:, 1]) > 0).astype(int))
        elif name == "circle":
            r = np.hypot(*P.T)
            assert r[pg.y == 1].max() <= 0.5 + 1e-9 and r[pg.y == 0].min() >= 0.7 - 1e-9
        elif name == "plane":
            np.testing.assert_allclose(pg.y, plane_values(P), atol=1e-12)
        expected = {"circle": 2, "xor": 2, "gaussian": 2, "spiral": 2, "plane": 0, "bumps": 0}.get(name, 3)
        assert pg.n_classes == expected and pg.task == ("regression" if expected == 0 else "classification")
        if expected:
            assert sorted(set(pg.y.tolist())) == list(range(expected))
        assert pg.sizes[-1] == (expected if expected > 2 else 1)
    with pytest.raises(ValueError, match="unknown data set"):
        pg.set_dataset("moons")


def test_control_noise_jitters_the_points() -> None:
    clean = small(n_points=2000)
    noisy = small(n_points=2000, noise=0.2)
    assert np.array_equal(clean.y, noisy.y)
    assert (noisy.X - clean.X).std() == pytest.approx(0.2 * SCALE, rel=0.05)
    clean.set_noise(0.2)
    np.testing.assert_array_equal(clean.X, noisy.X)


def test_control_train_ratio_grows_the_training_set_and_changes_training() -> None:
    a, b = small(train_ratio=0.3), small(train_ratio=0.7)
    assert set(a.train_idx) < set(b.train_idx)  # a larger share only adds points
    a.steps(3)
    b.steps(3)
    assert not np.allclose(a.model.params, b.model.params)


def test_control_number_of_points() -> None:
    pg = small()
    pg.set_n_points(333)
    assert len(pg.X) == 333 and len(pg.train_idx) + len(pg.test_idx) == 333
    with pytest.raises(ValueError):
        pg.set_n_points(5)


def test_regenerate_draws_new_points_and_reset_returns() -> None:
    pg = small(dataset="spiral")
    first = pg.X.copy()
    pg.regenerate()
    assert pg.X.shape == first.shape and not np.allclose(pg.X, first)
    pg.set_dataset("spiral")  # choosing a data set starts from the first draw again
    np.testing.assert_array_equal(pg.X, first)


# ----------------------------------------------------------------------------- network controls
def test_control_features_are_the_formulas_and_feed_the_network() -> None:
    pg = small()
    pg.set_features(FEATURE_IDS)
    assert pg.sizes[0] == 7 and pg.model.weights[0].shape[0] == 7
    P = np.array([[0.3, -2.0], [4.0, 1.5]])
    x1, x2 = P[:, 0], P[:, 1]
    np.testing.assert_allclose(
        feature_matrix(P, FEATURE_IDS, np.float64),
        np.column_stack((x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2))), atol=1e-15)
    pg.toggle_feature("sin(x2)")
    assert pg.features == FEATURE_IDS[:-1]
    base, more = small(), small(features=("x1", "x2", "x1sq", "x2sq"))
    base.steps(3)
    more.steps(3)
    out_base = reference_outputs(base, base.model.params.astype(float), feature_matrix(base.X, base.features, float))
    out_more = reference_outputs(more, more.model.params.astype(float), feature_matrix(more.X, more.features, float))
    assert not np.allclose(out_base, out_more)
    solo = small(features=("x2",))
    with pytest.raises(ValueError, match="at least one"):
        solo.toggle_feature("x2")
    assert parse_features("x1^2, sin(x1), x₁") == ("x1", "x1sq", "sinx1")
    with pytest.raises(ValueError):
        parse_features("x3")


def test_control_layers_and_neurons() -> None:
    pg = small(hidden=(4, 2))
    assert pg.sizes == (2, 4, 2, 1)
    pg.add_layer()
    assert pg.hidden == (4, 2, 2)
    pg.add_neuron(0)
    pg.remove_neuron(1)
    assert pg.hidden == (5, 1, 2) and pg.sizes == (2, 5, 1, 2, 1)
    pg.remove_layer()
    assert pg.hidden == (5, 1)
    pg.set_hidden((32,) * 6)
    assert pg.model.n_params == 2 * 32 + 32 + 5 * (32 * 32 + 32) + 32 + 1
    for bad in (lambda: pg.add_layer(), lambda: pg.add_neuron(0), lambda: pg.set_hidden((33,)),
                lambda: pg.set_hidden((1,) * 7), lambda: pg.remove_neuron(9)):
        with pytest.raises(ValueError):
            bad()
    pg.set_hidden(())
    with pytest.raises(ValueError):
        pg.remove_layer()
    pg.steps(2)  # no hidden layer: logistic regression still trains
    assert pg.sizes == (2, 1) and pg.epoch == 2
    assert parse_hidden("4, 4") == (4, 4) and parse_hidden("none") == ()
    with pytest.raises(ValueError):
        parse_hidden("4,x")


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear", "leaky_relu"])
def test_control_activation_is_the_one_used(activation) -> None:
    pg = small(activation=activation, hidden=(6, 4))
    pg.steps(2)
    F = feature_matrix(pg.X, pg.features, np.float64)
    out = reference_outputs(pg, pg.model.params.astype(np.float64), F)
    np.testing.assert_allclose(pg.model.forward(feature_matrix(pg.X, pg.features)), out, rtol=1e-4, atol=1e-5)
    other = small(activation="tanh" if activation != "tanh" else "relu", hidden=(6, 4))
    other.steps(2)
    assert not np.allclose(other.model.params, pg.model.params)


@pytest.mark.parametrize(("dataset", "loss"), [("circle", "ce"), ("circle", "mse"), ("xor3", "ce"),
                                               ("xor3", "mse"), ("plane", "ce")])
def test_control_loss_one_sgd_step_follows_its_gradient(dataset, loss) -> None:
    """Full-batch SGD: the update is −lr × the finite-difference gradient of the loss written here."""
    pg = small(dataset=dataset, loss=loss, lr=0.1)
    params = pg.model.params.astype(np.float64).copy()
    grad = fd_grad(lambda p: reference_loss(pg, p, pg.train_idx), params, h=1e-5)
    np.testing.assert_allclose(one_epoch_update(pg), -0.1 * grad, rtol=2e-3, atol=2e-6)
    expected = "MSE" if loss == "mse" or dataset == "plane" else "cross-entropy"
    assert pg.loss_name == expected
    if dataset == "xor3":
        assert pg.model.output == ("softmax" if loss == "ce" else "sigmoid")


def test_control_learning_rate_scales_the_step() -> None:
    a, b = small(lr=0.05), small(lr=0.15)
    np.testing.assert_allclose(one_epoch_update(b), 3 * one_epoch_update(a), rtol=1e-4, atol=1e-7)
    a.set_lr(0.15)
    assert a.opt.lr == 0.15
    with pytest.raises(ValueError):
        a.set_lr(0)


def test_control_optimizer_adam_first_step_is_lr_times_sign() -> None:
    pg = small(optimizer="adam", lr=0.01)
    grad = fd_grad(lambda p: reference_loss(pg, p, pg.train_idx), pg.model.params.astype(np.float64), h=1e-5)
    step = one_epoch_update(pg)
    big = np.abs(grad) > 1e-4
    np.testing.assert_allclose(step[big], -0.01 * np.sign(grad[big]), rtol=1e-3)
    pg.set_optimizer("momentum")
    assert pg.opt.name == "momentum" and pg.opt.lr == 0.01


@pytest.mark.parametrize("batch", [1, 7, 10, 39, None])
def test_control_batch_size_sets_the_updates_per_epoch(batch) -> None:
    pg = small(batch_size=batch)
    pg.step()
    n = len(pg.train_idx)
    assert pg.opt.t == (1 if batch is None else math.ceil(n / batch))


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_control_regularisation_adds_its_penalty_to_the_weights_only(kind) -> None:
    plain = small(lr=0.1)
    reg = small(lr=0.1, regularization=kind, reg_rate=0.3)
    W = plain.model.params.astype(np.float64).copy()
    extra = one_epoch_update(reg) - one_epoch_update(plain)
    weights = weight_mask(plain)
    penalty_grad = 0.3 * (np.sign(W) if kind == "l1" else W)
    np.testing.assert_allclose(extra[weights], -0.1 * penalty_grad[weights], rtol=1e-3, atol=1e-6)
    np.testing.assert_allclose(extra[~weights], 0, atol=1e-7)
    assert reg.penalties == ((0.3, 0.0) if kind == "l1" else (0.0, 0.3))


def test_control_regularisation_rate_scales_the_penalty() -> None:
    plain = small(lr=0.1)
    base = one_epoch_update(plain)
    d1 = one_epoch_update(small(lr=0.1, regularization="l2", reg_rate=0.1)) - base
    d2 = one_epoch_update(small(lr=0.1, regularization="l2", reg_rate=0.4)) - base
    np.testing.assert_allclose(d2, 4 * d1, rtol=1e-3, atol=1e-7)
    assert small(regularization="none", reg_rate=5.0).penalties == (0.0, 0.0)


def test_control_dropout_drops_units_in_training_only() -> None:
    plain, drop = small(hidden=(8,)), small(hidden=(8,), dropout=0.5)
    assert np.array_equal(plain.model.params, drop.model.params)  # same start
    plain.step()
    drop.step()
    assert not np.allclose(plain.model.params, drop.model.params)
    # predictions never drop: measuring twice gives the same numbers
    loss = drop.train_loss
    drop._measure()
    assert drop.train_loss == loss
    # the update is that of the masked network: reproduce it with the same masks
    again = small(hidden=(8,), dropout=0.5)
    masks = again.model.dropout_masks(len(again.train_idx), 0.5, np.random.default_rng([1, 4]))
    F = feature_matrix(again.X[again.train_idx], again.features)
    T = again.y[again.train_idx].astype(np.float32)
    grad = again.model.loss_and_grad(F, T, masks=masks)[1].copy()
    before = again.model.params.copy()
    again.step()
    np.testing.assert_allclose(again.model.params, before - again.lr * grad, rtol=1e-5, atol=1e-7)


def test_control_stop_at_target_loss_and_epoch() -> None:
    pg = small(max_epochs=3)
    assert pg.stop_reason is None
    pg.steps(3)
    assert pg.stop_reason == "reached epoch 3"
    pg.set_max_epochs(0)
    assert pg.stop_reason is None
    pg.set_target_loss(pg.train_loss + 1e-6)
    assert pg.stop_reason and "loss" in pg.stop_reason
    pg.set_target_loss(0)
    assert pg.stop_reason is None


def test_set_weight_sets_exactly_and_changes_the_output() -> None:
    pg = small(hidden=(3,))
    F = feature_matrix(pg.X, pg.features)
    before = pg.model.forward(F).copy()
    pg.set_weight(1, 2, 0, 1.25)  # hidden unit 3 -> output
    assert pg.get_weight(1, 2, 0) == 1.25 and pg.model.weights[1][2, 0] == np.float32(1.25)
    pg.set_weight(0, 2, 1, -0.5)  # row = fan-in: the bias of hidden unit 2
    assert pg.model.biases[0][1] == np.float32(-0.5)
    assert not np.allclose(pg.model.forward(F), before)
    out = reference_outputs(pg, pg.model.params.astype(np.float64), feature_matrix(pg.X, pg.features, np.float64))
    np.testing.assert_allclose(pg.model.forward(F), out, rtol=1e-5)
    pg.step_back()
    pg.step_back()
    np.testing.assert_allclose(pg.model.forward(F), before)
    for bad in ((2, 0, 0), (0, 3, 0), (0, 0, 3), (0, -1, 0)):
        with pytest.raises(ValueError):
            pg.set_weight(*bad, 1.0)
    with pytest.raises(ValueError):
        pg.set_weight(0, 0, 0, float("nan"))


# ----------------------------------------------------------------------------- history
def test_step_back_through_the_last_200_epochs_exactly() -> None:
    pg = small(batch_size=16, dropout=0.2, hidden=(4,), n_points=40)
    states = [pg.model.params.copy()]
    for _ in range(250):
        pg.step()
        states.append(pg.model.params.copy())
    history = pg.history.copy()
    for back in range(1, HISTORY + 1):
        pg.step_back()
        assert pg.epoch == 250 - back
        np.testing.assert_array_equal(pg.model.params, states[250 - back])
    assert not pg.can_step_back and len(pg.history) == 51
    with pytest.raises(ValueError):
        pg.step_back()
    pg.steps(200)  # the same shuffles and dropout masks come again
    np.testing.assert_array_equal(pg.model.params, states[250])
    np.testing.assert_allclose(pg.history, history)


def test_history_rows_are_the_measured_losses() -> None:
    pg = small()
    pg.steps(4)
    h = pg.history
    assert h.shape == (5, 4)
    assert h[-1, 0] == pg.train_loss and h[-1, 1] == pg.test_loss and h[-1, 3] == pg.test_accuracy


def test_same_seed_same_run_other_seed_other_run() -> None:
    a, b, c = small(seed=4), small(seed=4), small(seed=5)
    for pg in (a, b, c):
        pg.steps(5)
    np.testing.assert_array_equal(a.model.params, b.model.params)
    assert not np.array_equal(a.X, c.X)


def test_divergence_is_state_and_step_back_recovers() -> None:
    pg = small(dataset="plane", activation="relu", lr=10.0, hidden=(8, 8), optimizer="sgd")
    for _ in range(30):
        pg.step()
    assert pg.diverged
    epoch = pg.epoch
    pg.step()
    assert pg.epoch == epoch  # nothing happens once diverged
    pg.step_back()
    assert not pg.diverged or pg.can_step_back


# ----------------------------------------------------------------------------- files
def test_csv_round_trip_is_exact() -> None:
    for name in ("spiral3", "bumps"):
        pg = small(dataset=name, noise=0.1)
        text = pg.data_csv()
        assert text.splitlines()[0] == "x1,x2,label"
        X, labels = parse_csv(text)
        np.testing.assert_array_equal(X, pg.X)
        np.testing.assert_array_equal(labels, pg.y)
        other = small()
        other.load_csv_text(text, "round.csv")
        np.testing.assert_array_equal(other.X, pg.X)
        np.testing.assert_array_equal(other.y, pg.y)
        assert (other.task, other.n_classes, other.dataset) == (pg.task, pg.n_classes, "csv")


def test_csv_files_on_disk(tmp_path) -> None:
    pg = small(dataset="xor")
    path = pg.export_csv(tmp_path / "points.csv")
    other = small()
    other.load_csv(path)
    np.testing.assert_array_equal(other.X, pg.X)
    with pytest.raises(ValueError, match="cannot read"):
        other.load_csv(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="folder"):
        pg.export_csv(tmp_path)
    with pytest.raises(ValueError, match="cannot write"):
        pg.export_csv(tmp_path / "no" / "such" / "dir.csv")


GOOD = "x1,x2,label\n0,0,0\n1,1,1\n2,0,0\n0,2,1\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x,y,label\n0,0,0\n", 1),
        ("x1,x2\n0,0\n", 1),
        (GOOD + "1,2\n", 6),
        (GOOD + "1,2,3,4\n", 6),
        ("x1,x2,label\n0,0,0\n\n1,abc,1\n", 4),
        (GOOD + "nan,1,1\n", 6),
        (GOOD + "1,1,inf\n", 6),
        ("\n\nx1,x2,labels\n", 3),
    ],
)
def test_malformed_csv_names_the_line_and_keeps_the_data(text, line) -> None:
    pg = small(dataset="xor")
    X, y = pg.X.copy(), pg.y.copy()
    with pytest.raises(ValueError, match=rf"line {line}\b"):
        pg.load_csv_text(text, "bad.csv")
    np.testing.assert_array_equal(pg.X, X)
    np.testing.assert_array_equal(pg.y, y)
    assert pg.dataset == "xor"


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("x1,x2,label\n1,1,0\n", "at least 4"), ("x1,x2,label\n0,0,0\n1,1,0\n2,2,0\n3,3,0\n", "two classes")],
)
def test_csv_without_enough_data_is_refused(text, message) -> None:
    pg = small()
    with pytest.raises(ValueError, match=message):
        pg.load_csv_text(text)


def test_csv_labels_decide_the_task() -> None:
    pg = small()
    pg.load_csv_text("x1,x2,label\n0,0,0\n1,1,1\n2,2,2\n3,3,1\n4,4,0\n")
    assert (pg.task, pg.n_classes, pg.sizes[-1]) == ("classification", 3, 3)
    pg.load_csv_text("x1,x2,label\n0,0,0.5\n1,1,-1\n2,2,2\n3,3,1\n")
    assert (pg.task, pg.n_classes, pg.sizes[-1]) == ("regression", 0, 1)
    x0, x1, y0, y1 = pg.extent
    assert x0 < 0 and x1 > 3 and y0 < 0 and y1 > 3  # the view follows the points
    pg.regenerate()  # an imported set keeps its points and gets a new split
    assert len(pg.X) == 4


@pytest.mark.parametrize("dataset", ["circle", "xor3", "bumps"])
def test_model_json_round_trip_predicts_identically(tmp_path, dataset) -> None:
    pg = small(dataset=dataset, features=("x1", "x2", "sinx1"), hidden=(5, 3), activation="relu")
    pg.steps(10)
    path = pg.export_model(tmp_path / "model.json")
    model = load_model_json(path.read_text())
    assert model.features == pg.features and model.model.sizes == pg.sizes
    grid = np.random.default_rng(0).uniform(-6, 6, size=(500, 2))
    np.testing.assert_array_equal(model.predict(grid), pg.model.forward(feature_matrix(grid, pg.features)))
    data = json.loads(path.read_text())
    assert data["task"] == pg.task and data["network"]["activation"] == "relu"


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"format": "other"}', '{"format": "learnloop-playground-model", "features": ["x1"]}'],
)
def test_bad_model_files_are_refused(text) -> None:
    with pytest.raises(ValueError):
        load_model_json(text)


# ----------------------------------------------------------------------------- drawing data
def test_decision_map_is_the_model_on_the_grid() -> None:
    pg = small(dataset="spiral3", hidden=(6,))
    pg.steps(3)
    dm = pg.decision_map(7, 5)
    assert dm.values.shape == (5, 7) and dm.classes is not None
    from algorithms.datasets import grid_points

    out = pg.model.forward(feature_matrix(grid_points(7, 5, pg.extent), pg.features))
    np.testing.assert_array_equal(dm.classes, out.argmax(1).reshape(5, 7))
    np.testing.assert_allclose(dm.values, out.max(1).reshape(5, 7))
    assert pg.decision_map(7, 5) is dm  # cached until the weights change
    pg.step()
    assert pg.decision_map(7, 5) is not dm
    assert pg.decision_map(0, 4).values.shape == (4, 0)


def test_layer_maps_are_each_units_output() -> None:
    pg = small(hidden=(4, 3), activation="relu")
    pg.steps(2)
    from algorithms.datasets import grid_points

    F = feature_matrix(grid_points(6, 4, pg.extent), pg.features)
    hidden = pg.model.hidden_outputs(F)
    maps, lo, hi = pg.layer_maps(1, 6, 4)
    assert maps.shape == (4, 4, 6)
    np.testing.assert_allclose(maps[2], hidden[0][:, 2].reshape(4, 6), rtol=1e-6)
    assert lo == -hi and hi == pytest.approx(np.abs(hidden[0]).max())
    inputs, _, _ = pg.layer_maps(0, 6, 4)
    np.testing.assert_allclose(inputs[0], F[:, 0].reshape(4, 6))
    out, lo, hi = pg.layer_maps(3, 6, 4)
    assert (lo, hi) == (0.0, 1.0) and out.shape == (1, 4, 6)
    with pytest.raises(ValueError):
        pg.layer_maps(4, 6, 4)


@pytest.mark.parametrize(
    "kwargs",
    [{"dataset": "moons"}, {"noise": 0.6}, {"train_ratio": 0.95}, {"n_points": 3}, {"features": ()},
     {"hidden": (0,)}, {"activation": "gelu"}, {"loss": "hinge"}, {"lr": 20}, {"optimizer": "lbfgs"},
     {"batch_size": 0}, {"regularization": "l3"}, {"reg_rate": -1}, {"dropout": 0.95},
     {"target_loss": -1}, {"max_epochs": -2}, {"seed": -1}],
)
def test_bad_settings_raise_value_error(kwargs) -> None:
    with pytest.raises(ValueError):
        Playground(**kwargs)


# ----------------------------------------------------------------------------- what the help promises
def test_squared_inputs_let_a_network_without_hidden_layers_draw_the_circle() -> None:
    plain = Playground(seed=0, dataset="circle", hidden=(), lr=0.1)
    squares = Playground(seed=0, dataset="circle", hidden=(), lr=0.1, features=("x1", "x2", "x1sq", "x2sq"))
    plain.steps(100)
    squares.steps(100)
    assert squares.test_accuracy >= 0.97
    assert plain.test_accuracy <= 0.75  # one straight line cannot enclose a disc


def test_sine_inputs_untangle_the_spiral() -> None:
    plain = Playground(seed=0, dataset="spiral")
    sines = Playground(seed=0, dataset="spiral", features=("x1", "x2", "sinx1", "sinx2"), hidden=(8, 8))
    plain.steps(300)
    sines.steps(300)
    assert sines.train_accuracy >= 0.97 and sines.test_accuracy >= 0.9
    assert plain.train_accuracy < 0.8

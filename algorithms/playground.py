"""The ``playground`` topic: build a small network, pick its inputs and data, and watch it train.

``Playground`` holds everything: the data set (built in or imported from CSV) and its train/test
split, the input features, the network (``algorithms.nn.MLP``), the optimiser (``algorithms.optim``),
the training settings, the loss and accuracy history, and the last 200 states for stepping back.
One ``step()`` is one epoch: every training point used once, in shuffled mini-batches.

Coordinates. The data sets of ``algorithms.datasets`` live in the unit box; the playground draws them
``SCALE`` times larger (about ``[-5, 5]²``, the plane of the well-known web playground) so that the
features ``sin x₁`` and ``sin x₂`` wiggle across the data instead of being almost straight.

Losses and outputs. Two classes: one sigmoid output, cross-entropy (``bce``) or MSE on the
probability. Three or more classes: softmax with cross-entropy, or one sigmoid per class with MSE on
the one-hot targets. Regression: one linear output with MSE (whatever the loss knob says). Reported
losses are data losses only (no L1/L2 penalty, no dropout), each measured on its own set.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.datasets import (
    Extent,
    checkerboard,
    circle,
    gaussian_blobs,
    grid_points,
    regression_bumps,
    regression_plane,
    rings,
    spirals,
    two_spirals,
    xor,
)
from algorithms.nn import MLP, get_activation
from algorithms.optim import OPTIMIZERS, Optimizer, make_optimizer
from algorithms.stepping import Stepping

Array = np.ndarray

SCALE = 5.0
EXTENT: Extent = (-6.0, 6.0, -6.0, 6.0)
DTYPE = np.float32  # twice the speed of float64 for the grids; plenty for nets of at most 6 × 32

MAX_LAYERS = 6
MAX_WIDTH = 32
MAX_CLASSES = 8
MIN_POINTS, MAX_POINTS = 10, 2000
CSV_MAX_ROWS = 10_000
HISTORY = 200
# A data loss this large means the weights have blown up even if the numbers are still finite.
DIVERGED_LOSS = 50.0

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leaky_relu")
LOSSES = ("ce", "mse")
REGULARIZATIONS = ("none", "l1", "l2")

# --------------------------------------------------------------------------- data sets
Generator = Callable[[int, float, np.random.Generator], tuple[Array, Array]]


@dataclass(frozen=True)
class DataKind:
    """A built-in data set: how to make it (in the unit box), its task and number of classes."""

    name: str
    title: str
    make: Generator
    classes: int  # 0 for regression

    @property
    def task(self) -> str:
        return "regression" if self.classes == 0 else "classification"


DATASETS: dict[str, DataKind] = {
    d.name: d
    for d in (
        DataKind("circle", "circle", lambda n, s, g: circle(n, s, g), 2),
        DataKind("xor", "xor", lambda n, s, g: xor(n, s, g), 2),
        DataKind("gaussian", "two gaussians", lambda n, s, g: gaussian_blobs(n, k=2, spread=0.2, noise=s, rng=g), 2),
        DataKind("spiral", "spiral", lambda n, s, g: two_spirals(n, s, turns=1.75, rng=g), 2),
        DataKind("circle3", "three rings", lambda n, s, g: rings(n, 3, s, g), 3),
        DataKind("xor3", "3-colour checkerboard", lambda n, s, g: checkerboard(n, 3, s, g), 3),
        DataKind("gaussian3", "three gaussians", lambda n, s, g: gaussian_blobs(n, k=3, spread=0.2, noise=s, rng=g), 3),
        DataKind("spiral3", "three-arm spiral", lambda n, s, g: spirals(n, 3, s, turns=1.0, rng=g), 3),
        DataKind("plane", "regression: plane", lambda n, s, g: regression_plane(n, s, g), 0),
        DataKind("bumps", "regression: bumps", lambda n, s, g: regression_bumps(n, s, g), 0),
    )
}
DATASET_NAMES = tuple(DATASETS)


# --------------------------------------------------------------------------- input features
@dataclass(frozen=True)
class Feature:
    """An input computed from the point ``(x₁, x₂)``."""

    id: str
    label: str
    fn: Callable[[Array, Array], Array]
    aliases: tuple[str, ...] = ()


FEATURES: dict[str, Feature] = {
    f.id: f
    for f in (
        Feature("x1", "x₁", lambda a, b: a, ("x₁",)),
        Feature("x2", "x₂", lambda a, b: b, ("x₂",)),
        Feature("x1sq", "x₁²", lambda a, b: a * a, ("x1^2", "x₁²", "x1²", "x1*x1")),
        Feature("x2sq", "x₂²", lambda a, b: b * b, ("x2^2", "x₂²", "x2²", "x2*x2")),
        Feature("x1x2", "x₁x₂", lambda a, b: a * b, ("x1*x2", "x₁x₂", "x1 x2")),
        Feature("sinx1", "sin x₁", lambda a, b: np.sin(a), ("sin(x1)", "sin x1", "sin x₁", "sin1")),
        Feature("sinx2", "sin x₂", lambda a, b: np.sin(b), ("sin(x2)", "sin x2", "sin x₂", "sin2")),
    )
}
FEATURE_IDS = tuple(FEATURES)
_FEATURE_LOOKUP = {key.lower().replace(" ", ""): f.id for f in FEATURES.values() for key in (f.id, f.label, *f.aliases)}


def feature_id(text: str) -> str:
    """The feature named ``text`` (``x1``, ``x1^2``, ``sin(x2)``, ``x₁x₂`` …); ValueError otherwise."""
    key = str(text).strip().lower().replace(" ", "")
    if key in _FEATURE_LOOKUP:
        return _FEATURE_LOOKUP[key]
    raise ValueError(f"unknown feature {text!r}; choose from {', '.join(FEATURE_IDS)}")


def parse_features(text: str) -> tuple[str, ...]:
    """``"x1, x2, sin(x1)"`` -> the feature ids in the standard order; at least one, no repeats."""
    parts = [p for p in str(text).replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError("choose at least one feature, e.g. x1,x2")
    ids = {feature_id(p) for p in parts}
    return tuple(f for f in FEATURE_IDS if f in ids)


def feature_matrix(points: Array, features: Sequence[str], dtype: type | np.dtype = DTYPE) -> Array:
    """The network's inputs for plane points ``(n, 2)``: one column per feature, in order."""
    P = np.asarray(points, dtype=np.float64)
    a, b = P[:, 0], P[:, 1]
    cols = [FEATURES[f].fn(a, b) for f in features]
    return np.ascontiguousarray(np.column_stack(cols) if cols else np.empty((len(P), 0)), dtype=dtype)


# --------------------------------------------------------------------------- layer sizes
def parse_hidden(text: str) -> tuple[int, ...]:
    """``"4,4"`` -> (4, 4); ``"none"``, ``"0"`` or ``""`` -> () (no hidden layer)."""
    text = str(text).strip().lower()
    if text in ("", "none", "0", "-"):
        return ()
    try:
        sizes = tuple(int(v) for v in text.replace(" ", ",").split(",") if v)
    except ValueError:
        raise ValueError(f"write the hidden layer widths like 4,4 (got {text!r})") from None
    return check_hidden(sizes)


def check_hidden(sizes: Sequence[int]) -> tuple[int, ...]:
    try:
        sizes = tuple(as_int(s, "a layer width") for s in sizes)
    except TypeError:
        raise ValueError(f"hidden layers must be a list of widths, got {sizes!r}") from None
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(sizes)}")
    if any(not 1 <= s <= MAX_WIDTH for s in sizes):
        raise ValueError(f"each hidden layer needs 1 to {MAX_WIDTH} neurons")
    return sizes


def format_hidden(sizes: Sequence[int]) -> str:
    return ",".join(map(str, sizes)) if sizes else "none"


# --------------------------------------------------------------------------- CSV
def parse_csv(text: str) -> tuple[Array, Array]:
    """Points from CSV text ``x1,x2,label`` with that header; returns ``(X (n, 2), labels (n,))``.

    Blank lines are skipped. A problem raises ``ValueError`` naming its line (counting from 1).
    """
    lines = str(text).splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ValueError("the file is empty; it needs the header x1,x2,label and one point per line")
    header = [h.strip().lower() for h in lines[first].lstrip("\ufeff").split(",")]
    if header != ["x1", "x2", "label"]:
        raise ValueError(f"line {first + 1}: the header must be x1,x2,label, got {lines[first].strip()!r}")
    rows: list[tuple[float, float, float]] = []
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != 3:
            raise ValueError(f"line {number}: expected 3 values (x1,x2,label), got {len(cells)}")
        values = []
        for name, cell in zip(("x1", "x2", "label"), cells):
            try:
                v = float(cell)
            except ValueError:
                raise ValueError(f"line {number}: {name} {cell!r} is not a number") from None
            if not math.isfinite(v):
                raise ValueError(f"line {number}: {name} must be a finite number, got {cell!r}")
            values.append(v)
        rows.append((values[0], values[1], values[2]))
        if len(rows) > CSV_MAX_ROWS:
            raise ValueError(f"line {number}: too many points (at most {CSV_MAX_ROWS})")
    if len(rows) < 4:
        raise ValueError(f"the file has {len(rows)} point(s); at least 4 are needed (some to train, some to test)")
    data = np.array(rows, dtype=np.float64)
    return data[:, :2].copy(), data[:, 2].copy()


def label_task(labels: Array) -> tuple[str, int]:
    """``("classification", k)`` when every label is a whole number in 0..7 (k = largest + 1, at
    least 2), else ``("regression", 0)``."""
    labels = np.asarray(labels, dtype=np.float64)
    whole = np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < MAX_CLASSES
    if whole:
        k = int(labels.max()) + 1
        if k < 2:
            raise ValueError("every label is 0: a classification needs at least two classes (0 and 1)")
        return "classification", k
    return "regression", 0


def format_number(value: float) -> str:
    """Shortest text that reads back as exactly the same float."""
    return repr(float(value))


# --------------------------------------------------------------------------- model files
MODEL_FORMAT = "learnloop-playground-model"


@dataclass
class TrainedModel:
    """A network with its input features: what the playground exports as JSON."""

    features: tuple[str, ...]
    model: MLP
    task: str
    classes: int

    def predict(self, points: Array) -> Array:
        """The network's outputs at plane points ``(n, 2)``: probabilities (one column for two classes)
        or values (regression)."""
        return self.model.forward(feature_matrix(points, self.features, self.model.dtype))

    def to_json(self) -> str:
        return json.dumps(
            {"format": MODEL_FORMAT, "version": 1, "task": self.task, "classes": self.classes,
             "features": list(self.features), "network": self.model.to_dict()},
            indent=1,
        )


def load_model_json(text: str) -> TrainedModel:
    """Read what ``TrainedModel.to_json`` wrote; ValueError with a readable message otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not a JSON file: {error.msg} at line {error.lineno}") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ValueError("not a playground model (its 'format' is missing or different)")
    try:
        features = tuple(feature_id(f) for f in data["features"])
        model = MLP.from_dict(data["network"])
        task, classes = str(data["task"]), int(data["classes"])
    except (KeyError, TypeError) as error:
        raise ValueError(f"the model file lacks or garbles {error}") from None
    if model.sizes[0] != len(features):
        raise ValueError(f"the network takes {model.sizes[0]} inputs but {len(features)} features are listed")
    return TrainedModel(features, model, task, classes)


# --------------------------------------------------------------------------- the simulation
@dataclass(frozen=True)
class DecisionMap:
    """What the network says over a grid (row 0 at the top).

    ``values``: P(class 1) for two classes, the predicted value for regression, the winning class's
    probability for three or more. ``classes``: the winning class (three or more classes), else None.
    """

    values: Array
    classes: Array | None


# Stream ids for the seeded generators: data, split, weights, shuffling, dropout.
_DATA, _SPLIT, _INIT, _SHUFFLE, _DROPOUT = range(5)


class Playground(Stepping):
    """Explicit-state neural-network playground; see the module docstring."""

    def __init__(
        self,
        seed: int = 0,
        dataset: str = "circle",
        noise: float = 0.0,
        train_ratio: float = 0.5,
        n_points: int = 400,
        features: Sequence[str] = ("x1", "x2"),
        hidden: Sequence[int] = (4, 2),
        activation: str = "tanh",
        loss: str = "ce",
        lr: float = 0.03,
        optimizer: str = "sgd",
        batch_size: int | None = 10,
        regularization: str = "none",
        reg_rate: float = 0.003,
        dropout: float = 0.0,
        target_loss: float = 0.0,
        max_epochs: int = 0,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._draw = 0  # how many times the data were regenerated
        self._version = 0  # bumped whenever the weights or the data change (keys the grid caches)
        self._data_version = 0  # bumped whenever the points or the split change
        self._grid_cache: tuple[tuple, DecisionMap] | None = None
        self._maps_cache: tuple[tuple, list[Array]] | None = None
        self._dataset = self._check_dataset(dataset)
        self._csv: tuple[str, Array, Array] | None = None  # (name, X in plane units, labels)
        self._noise = self._check_noise(noise)
        self._ratio = self._check_ratio(train_ratio)
        self._n_points = self._check_points(n_points)
        self._features = parse_features(",".join(features))
        self._hidden = check_hidden(hidden)
        self._activation = self._check_activation(activation)
        self._loss_choice = self._check_loss(loss)
        self._lr = self._check_lr(lr)
        self._optimizer_name = self._check_optimizer(optimizer)
        self._batch_size = self._check_batch(batch_size)
        self._reg = self._check_reg(regularization)
        self._reg_rate = self._check_reg_rate(reg_rate)
        self._dropout = self._check_dropout(dropout)
        self._target_loss = self._check_target(target_loss)
        self._max_epochs = self._check_max_epochs(max_epochs)
        self._make_data()
        self._new_model()

    # ----------------------------------------------------------------- validation
    @staticmethod
    def _check_dataset(name: str) -> str:
        if name not in DATASETS:
            raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASET_NAMES)}")
        return name

    @staticmethod
    def _check_noise(v: float) -> float:
        return as_float(v, "the noise", lo=0, hi=0.5)

    @staticmethod
    def _check_ratio(v: float) -> float:
        return as_float(v, "the training share", lo=0.1, hi=0.9)

    @staticmethod
    def _check_points(v: int) -> int:
        v = as_int(v, "the number of points", lo=MIN_POINTS)
        if v > MAX_POINTS:
            raise ValueError(f"the number of points must be at most {MAX_POINTS}, got {v}")
        return v

    @staticmethod
    def _check_activation(name: str) -> str:
        as_choice(name, ACTIVATIONS, "activation")
        return get_activation(name).name

    @staticmethod
    def _check_loss(name: str) -> str:
        if name not in LOSSES:
            raise ValueError(f"unknown loss {name!r}; choose ce (cross-entropy) or mse")
        return name

    @staticmethod
    def _check_lr(v: float) -> float:
        return as_float(v, "the learning rate", lo=1e-5, hi=10)

    @staticmethod
    def _check_optimizer(name: str) -> str:
        return as_choice(name, OPTIMIZERS, "optimizer")

    @staticmethod
    def _check_batch(v: int | None) -> int | None:
        if v is None:
            return None
        v = as_int(v, "the batch size", lo=1)
        if v > MAX_POINTS:
            raise ValueError(f"the batch size must be at most {MAX_POINTS}, got {v}")
        return v

    @staticmethod
    def _check_reg(name: str) -> str:
        if name not in REGULARIZATIONS:
            raise ValueError(f"unknown regularisation {name!r}; choose none, l1 or l2")
        return name

    @staticmethod
    def _check_reg_rate(v: float) -> float:
        return as_float(v, "the regularisation rate", lo=0, hi=10)

    @staticmethod
    def _check_dropout(v: float) -> float:
        return as_float(v, "the dropout rate", lo=0, hi=0.9)

    @staticmethod
    def _check_target(v: float) -> float:
        return as_float(v, "the target loss", lo=0, hi=100)

    @staticmethod
    def _check_max_epochs(v: int) -> int:
        return as_int(v, "the epoch limit", lo=0)

    def _rng(self, stream: int, *extra: int) -> np.random.Generator:
        return np.random.default_rng([self._seed, stream, *extra])

    # ----------------------------------------------------------------- data
    def _make_data(self) -> None:
        """Build the points (built-in or imported), the split and the feature matrices."""
        if self._csv is not None:
            _, X, labels = self._csv
            task, k = label_task(labels)
            y = labels.astype(np.int64) if task == "classification" else labels.astype(np.float64)
        else:
            kind = DATASETS[self._dataset]
            X, y = kind.make(self._n_points, self._noise, self._rng(_DATA, self._draw))
            X = X * SCALE
            task, k = kind.task, kind.classes
        self._X = np.ascontiguousarray(X, dtype=np.float64)
        self._y = y
        self._task, self._k = task, k
        self._X.flags.writeable = False
        self._y.flags.writeable = False
        n = len(self._y)
        self._perm = self._rng(_SPLIT, self._draw).permutation(n)
        self._split()

    def _split(self) -> None:
        self._data_version += 1
        n = len(self._y)
        n_train = min(max(round(self._ratio * n), 1), n - 1)
        self._train_idx = np.sort(self._perm[:n_train])
        self._test_idx = np.sort(self._perm[n_train:])
        self._train_idx.flags.writeable = False
        self._test_idx.flags.writeable = False
        self._make_inputs()

    def _make_inputs(self) -> None:
        F = feature_matrix(self._X, self._features)
        if self._task == "classification" and self._k > 2:
            T = np.zeros((len(self._y), self._k), dtype=DTYPE)
            T[np.arange(len(self._y)), self._y] = 1
        else:
            T = self._y.astype(DTYPE).reshape(-1, 1)
        self._F_train, self._T_train = F[self._train_idx], T[self._train_idx]
        self._F_test, self._T_test = F[self._test_idx], T[self._test_idx]
        self._version += 1

    # ----------------------------------------------------------------- the model
    def _head(self) -> tuple[int, str, str]:
        """(outputs, output function, nn loss) for the task and the loss choice."""
        if self._task == "regression":
            return 1, "linear", "mse"
        if self._k == 2:
            return 1, "sigmoid", "bce" if self._loss_choice == "ce" else "mse"
        if self._loss_choice == "ce":
            return self._k, "softmax", "ce"
        return self._k, "sigmoid", "mse"

    def _new_model(self) -> None:
        """Fresh weights (the same for the same seed and shape), optimiser, histories and undo buffer."""
        out, output, loss = self._head()
        self._model = MLP(
            (len(self._features), *self._hidden, out), activation=self._activation, output=output, loss=loss,
            dtype=DTYPE, rng=self._rng(_INIT), init="xavier",
        )
        self._opt = make_optimizer(self._optimizer_name, lr=self._lr)
        self._shuffle = self._rng(_SHUFFLE)
        self._drop_rng = self._rng(_DROPOUT)
        self._epoch = 0
        self._diverged = False
        self._undo: deque[tuple[int, Array, dict[str, Any], dict, dict]] = deque(maxlen=HISTORY)
        self._hist = np.zeros((256, 4))
        self._hist_len = 0
        self._version += 1
        self._measure()
        self._record()

    def _measure(self) -> None:
        """Data loss and accuracy on the training set and on the test set, separately."""
        with np.errstate(all="ignore"):
            self._train_loss, self._train_acc = self._model.evaluate(self._F_train, self._T_train)
            self._test_loss, self._test_acc = self._model.evaluate(self._F_test, self._T_test)
        if self._task == "regression":
            self._train_acc = self._test_acc = math.nan
        bad = not (math.isfinite(self._train_loss) and bool(np.isfinite(self._model.params).all()))
        if bad or self._train_loss > DIVERGED_LOSS:
            self._diverged = True

    def _record(self) -> None:
        """Write the current measurements as the history row of the current epoch."""
        if self._epoch >= len(self._hist):
            self._hist = np.concatenate((self._hist, np.zeros_like(self._hist)))
        self._hist[self._epoch] = (self._train_loss, self._test_loss, self._train_acc, self._test_acc)
        self._hist_len = self._epoch + 1

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def version(self) -> int:
        """Changes whenever the weights or the data change."""
        return self._version

    @property
    def data_version(self) -> int:
        """Changes whenever the points or the train/test split change."""
        return self._data_version

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def task(self) -> str:
        """"classification" or "regression"."""
        return self._task

    @property
    def n_classes(self) -> int:
        """Number of classes (0 for regression)."""
        return self._k

    @property
    def dataset(self) -> str:
        """The built-in data set's name, or ``"csv"`` when the points were imported."""
        return "csv" if self._csv is not None else self._dataset

    @property
    def data_title(self) -> str:
        return f"CSV {self._csv[0]}" if self._csv is not None else DATASETS[self._dataset].title

    @property
    def X(self) -> Array:
        """All points in plane coordinates, ``(n, 2)`` (read-only)."""
        return self._X

    @property
    def y(self) -> Array:
        """Their labels: class ids (int64) or values (float64), read-only."""
        return self._y

    @property
    def train_idx(self) -> Array:
        """Indices (into X) of the training points, sorted."""
        return self._train_idx

    @property
    def test_idx(self) -> Array:
        """Indices of the test points: every point not in training."""
        return self._test_idx

    @property
    def extent(self) -> Extent:
        """The part of the plane to draw: the built-in plane, or the imported points with a margin."""
        if self._csv is None:
            return EXTENT
        lo, hi = self._X.min(axis=0), self._X.max(axis=0)
        pad = np.maximum((hi - lo) * 0.1, 0.5)
        return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))

    @property
    def features(self) -> tuple[str, ...]:
        return self._features

    @property
    def feature_labels(self) -> list[str]:
        return [FEATURES[f].label for f in self._features]

    @property
    def hidden(self) -> tuple[int, ...]:
        return self._hidden

    @property
    def sizes(self) -> tuple[int, ...]:
        """Widths of every layer: inputs, hidden layers, outputs."""
        return self._model.sizes

    @property
    def model(self) -> MLP:
        """The live network (change its weights through ``set_weight``)."""
        return self._model

    @property
    def opt(self) -> Optimizer:
        return self._opt

    @property
    def activation(self) -> str:
        return self._activation

    @property
    def loss_choice(self) -> str:
        """The loss knob: "ce" or "mse" (regression always uses MSE)."""
        return self._loss_choice

    @property
    def loss_name(self) -> str:
        """The loss actually minimised: "cross-entropy" or "MSE"."""
        return "MSE" if self._model.loss_name == "mse" else "cross-entropy"

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def train_ratio(self) -> float:
        return self._ratio

    @property
    def n_points(self) -> int:
        """The number of points the built-in data sets are made with."""
        return self._n_points

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def optimizer(self) -> str:
        return self._optimizer_name

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    @property
    def regularization(self) -> str:
        return self._reg

    @property
    def reg_rate(self) -> float:
        return self._reg_rate

    @property
    def penalties(self) -> tuple[float, float]:
        """(l1, l2) rates used by the training steps."""
        return (self._reg_rate if self._reg == "l1" else 0.0, self._reg_rate if self._reg == "l2" else 0.0)

    @property
    def dropout(self) -> float:
        return self._dropout

    @property
    def target_loss(self) -> float:
        return self._target_loss

    @property
    def max_epochs(self) -> int:
        return self._max_epochs

    @property
    def train_loss(self) -> float:
        """Mean data loss on the training points."""
        return self._train_loss

    @property
    def test_loss(self) -> float:
        """Mean data loss on the test points (never trained on)."""
        return self._test_loss

    @property
    def train_accuracy(self) -> float:
        """Fraction of training points classified correctly (NaN for regression)."""
        return self._train_acc

    @property
    def test_accuracy(self) -> float:
        return self._test_acc

    @property
    def history(self) -> Array:
        """One row per epoch so far (row 0: untrained): train loss, test loss, train acc, test acc."""
        out = self._hist[: self._hist_len]
        out.flags.writeable = False
        return out

    @property
    def diverged(self) -> bool:
        """True once a loss or a weight became NaN/inf or the training loss passed ``DIVERGED_LOSS``."""
        return self._diverged

    @property
    def stop_reason(self) -> str | None:
        """Why playing should stop now (a stop condition was reached), or None."""
        if self._max_epochs and self._epoch >= self._max_epochs:
            return f"reached epoch {self._max_epochs}"
        if self._target_loss and self._train_loss <= self._target_loss:
            return f"training loss ≤ {self._target_loss:g}"
        return None

    def confusion(self, which: str = "test") -> Array:
        """``k × k`` counts: row = true class, column = predicted class (classification only)."""
        if self._task != "classification":
            raise ValueError("a confusion matrix needs classes; this data set is a regression")
        if which not in ("train", "test"):
            raise ValueError("which must be 'train' or 'test'")
        idx = self._train_idx if which == "train" else self._test_idx
        F = self._F_train if which == "train" else self._F_test
        with np.errstate(all="ignore"):
            pred = self._model.predict(F)
        k = self._k
        return np.bincount(self._y[idx] * k + pred, minlength=k * k).reshape(k, k)

    # ----------------------------------------------------------------- training
    def step(self) -> None:
        """Train for one epoch (nothing happens once diverged)."""
        if self._diverged:
            return
        self._push_undo()
        model, opt, F, T = self._model, self._opt, self._F_train, self._T_train
        l1, l2 = self.penalties
        n = len(T)
        rate = self._dropout if self._hidden else 0.0
        with np.errstate(all="ignore"):
            if self._batch_size is None or self._batch_size >= n:
                batches = [slice(None)]
            else:
                order = self._shuffle.permutation(n)
                batches = [order[s : s + self._batch_size] for s in range(0, n, self._batch_size)]
            for idx in batches:
                Fb, Tb = F[idx], T[idx]
                masks = model.dropout_masks(len(Tb), rate, self._drop_rng) if rate > 0 else None
                opt.step(model.params, model.loss_and_grad(Fb, Tb, l1, l2, masks=masks)[1])
        self._epoch += 1
        self._version += 1
        self._measure()
        self._record()

    def _push_undo(self) -> None:
        self._undo.append((
            self._epoch, self._model.params.copy(), self._opt.state(),
            self._shuffle.bit_generator.state, self._drop_rng.bit_generator.state,
        ))

    @property
    def undo_depth(self) -> int:
        """How many steps (epochs or weight edits) can be undone (at most 200)."""
        return len(self._undo)

    def step_back(self) -> None:
        """Undo the last epoch or weight edit: weights, optimiser state, epoch, history, random streams."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        epoch, params, opt_state, shuffle_state, drop_state = self._undo.pop()
        self._model.set_params(params)
        if opt_state.get("name") == self._opt.name:
            self._opt.load_state(opt_state)
        else:  # the optimiser was switched since: start its memory afresh
            self._opt.reset()
        self._shuffle.bit_generator.state = shuffle_state
        self._drop_rng.bit_generator.state = drop_state
        self._epoch = epoch
        self._version += 1
        self._diverged = False
        self._measure()
        self._record()

    # ----------------------------------------------------------------- editing weights
    def get_weight(self, layer: int, row: int, col: int) -> float:
        """Weight from unit ``row`` of layer ``layer`` to unit ``col`` of the next layer; ``row`` equal to
        the layer's width means the bias of unit ``col``."""
        layer, row, col = self._check_edge(layer, row, col)
        W = self._model.weights[layer]
        return float(self._model.biases[layer][col] if row == W.shape[0] else W[row, col])

    def set_weight(self, layer: int, row: int, col: int, value: float) -> None:
        """Set one weight (or bias, see ``get_weight``) to exactly ``value`` (stored as float32);
        ``step_back`` undoes it."""
        layer, row, col = self._check_edge(layer, row, col)
        value = as_float(value, "the weight", lo=-1000, hi=1000)
        self._push_undo()
        W = self._model.weights[layer]
        if row == W.shape[0]:
            self._model.biases[layer][col] = value
        else:
            W[row, col] = value
        self._version += 1
        self._diverged = False
        self._measure()
        self._record()

    def _check_edge(self, layer: int, row: int, col: int) -> tuple[int, int, int]:
        layer = as_int(layer, "the layer", lo=0)
        if layer >= self._model.n_layers:
            raise ValueError(f"there are only {self._model.n_layers} weight layers")
        fan_in, fan_out = self._model.weights[layer].shape
        row, col = as_int(row, "the row", lo=0), as_int(col, "the column", lo=0)
        if row > fan_in or col >= fan_out:
            raise ValueError(f"layer {layer} has rows 0..{fan_in} (the last is the bias) and columns 0..{fan_out - 1}")
        return layer, row, col

    # ----------------------------------------------------------------- settings: data
    def set_dataset(self, name: str) -> None:
        """Use a built-in data set (leaving any imported CSV); the network starts over."""
        self._dataset = self._check_dataset(name)
        self._csv = None
        self._draw = 0
        self._make_data()
        self._new_model()

    def load_csv_text(self, text: str, name: str = "data.csv") -> None:
        """Use the points of a CSV text (see ``parse_csv``); on any error nothing changes."""
        X, labels = parse_csv(text)
        label_task(labels)  # validates before anything changes
        self._csv = (str(name), X, labels)
        self._draw = 0
        self._make_data()
        self._new_model()

    def load_csv(self, path: str | Path) -> None:
        """Import ``path`` (``x1,x2,label`` with a header); ValueError naming the line if malformed."""
        path = Path(path).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"cannot read '{path}': it is not UTF-8 text") from None
        except OSError as error:
            raise ValueError(f"cannot read '{path}': {error.strerror or error}") from None
        try:
            self.load_csv_text(text, path.name)
        except ValueError as error:
            raise ValueError(f"{path.name}: {error}") from None

    def data_csv(self) -> str:
        """All points as CSV text (``x1,x2,label`` header, plane coordinates, exact numbers)."""
        lines = ["x1,x2,label"]
        classes = self._task == "classification"
        for (a, b), v in zip(self._X.tolist(), self._y.tolist()):
            lines.append(f"{format_number(a)},{format_number(b)},{int(v) if classes else format_number(v)}")
        return "\n".join(lines) + "\n"

    def export_csv(self, path: str | Path) -> Path:
        return _write(path, self.data_csv())

    def trained_model(self) -> TrainedModel:
        """A copy of the network with its features (what ``export_model`` writes)."""
        return TrainedModel(self._features, self._model.copy(), self._task, self._k)

    def export_model(self, path: str | Path) -> Path:
        return _write(path, self.trained_model().to_json())

    def regenerate(self) -> None:
        """A new sample of the built-in data set (an imported set gets a new train/test split)."""
        self._draw += 1
        self._make_data()
        self._new_model()

    def set_noise(self, noise: float) -> None:
        self._noise = self._check_noise(noise)
        if self._csv is None:
            self._make_data()
            self._new_model()

    def set_train_ratio(self, ratio: float) -> None:
        """Share of the points used for training; the rest are the test set (the split keeps its order,
        so a larger share only adds points to training)."""
        self._ratio = self._check_ratio(ratio)
        self._split()
        self._new_model()

    def set_n_points(self, n: int) -> None:
        self._n_points = self._check_points(n)
        if self._csv is None:
            self._make_data()
            self._new_model()

    # ----------------------------------------------------------------- settings: network
    def set_features(self, features: Sequence[str]) -> None:
        self._features = parse_features(",".join(features))
        self._make_inputs()
        self._new_model()

    def toggle_feature(self, fid: str) -> None:
        """Switch one feature on or off (the last one cannot be switched off)."""
        fid = feature_id(fid)
        on = set(self._features) ^ {fid}
        if not on:
            raise ValueError("the network needs at least one input feature")
        self.set_features(tuple(f for f in FEATURE_IDS if f in on))

    def set_hidden(self, sizes: Sequence[int]) -> None:
        self._hidden = check_hidden(sizes)
        self._new_model()

    def add_layer(self) -> None:
        """Add a hidden layer at the end, as wide as the last one (4 if there is none)."""
        if len(self._hidden) >= MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers")
        self.set_hidden((*self._hidden, self._hidden[-1] if self._hidden else 4))

    def remove_layer(self) -> None:
        """Remove the last hidden layer."""
        if not self._hidden:
            raise ValueError("there is no hidden layer to remove")
        self.set_hidden(self._hidden[:-1])

    def add_neuron(self, layer: int) -> None:
        """One more neuron in hidden layer ``layer`` (0-based)."""
        self._resize(layer, +1)

    def remove_neuron(self, layer: int) -> None:
        self._resize(layer, -1)

    def _resize(self, layer: int, delta: int) -> None:
        layer = as_int(layer, "the hidden layer", lo=0)
        if layer >= len(self._hidden):
            raise ValueError(f"there are only {len(self._hidden)} hidden layers")
        sizes = list(self._hidden)
        sizes[layer] += delta
        if not 1 <= sizes[layer] <= MAX_WIDTH:
            raise ValueError(f"a hidden layer has 1 to {MAX_WIDTH} neurons")
        self.set_hidden(sizes)

    def set_activation(self, name: str) -> None:
        self._activation = self._check_activation(name)
        self._new_model()

    def set_loss(self, name: str) -> None:
        """"ce" or "mse"; the network starts over (regression keeps MSE whatever the choice)."""
        self._loss_choice = self._check_loss(name)
        self._new_model()

    # ----------------------------------------------------------------- settings: training
    def set_lr(self, lr: float) -> None:
        self._lr = self._check_lr(lr)
        self._opt.lr = self._lr

    def set_optimizer(self, name: str) -> None:
        """Switch update rule, keeping the weights; its memory (momentum …) starts empty."""
        self._optimizer_name = self._check_optimizer(name)
        self._opt = make_optimizer(name, lr=self._lr)

    def set_batch_size(self, batch_size: int | None) -> None:
        """Mini-batch size; None (or ≥ the training points) means the full batch."""
        self._batch_size = self._check_batch(batch_size)

    def set_regularization(self, name: str) -> None:
        self._reg = self._check_reg(name)

    def set_reg_rate(self, rate: float) -> None:
        self._reg_rate = self._check_reg_rate(rate)

    def set_dropout(self, rate: float) -> None:
        """Probability of dropping each hidden unit during training (predictions never drop)."""
        self._dropout = self._check_dropout(rate)

    def set_target_loss(self, value: float) -> None:
        """Stop playing once the training loss is at most this (0 = never)."""
        self._target_loss = self._check_target(value)

    def set_max_epochs(self, value: int) -> None:
        """Stop playing at this epoch (0 = never)."""
        self._max_epochs = self._check_max_epochs(value)

    # ----------------------------------------------------------------- drawing
    def decision_map(self, width: int, height: int, extent: Extent | None = None) -> DecisionMap:
        """The network's answer at the centres of a ``height × width`` grid over ``extent`` (row 0 at the
        top); cached until the weights or data change."""
        extent = self.extent if extent is None else extent
        pts = grid_points(width, height, extent)  # validates
        key = (int(width), int(height), tuple(extent), self._version)
        if self._grid_cache is not None and self._grid_cache[0] == key:
            return self._grid_cache[1]
        h, w = int(height), int(width)
        with np.errstate(all="ignore"):
            out = self._model.forward(feature_matrix(pts, self._features)) if len(pts) else np.zeros((0, self.sizes[-1]))
        if self._k > 2:
            classes = out.argmax(axis=1).reshape(h, w) if len(pts) else np.zeros((h, w), dtype=np.int64)
            values = out.max(axis=1).reshape(h, w) if len(pts) else np.zeros((h, w))
        else:
            classes, values = None, out[:, 0].reshape(h, w)
        values = np.nan_to_num(values, nan=0.5 if self._task == "classification" else 0.0)
        result = DecisionMap(values, classes)
        self._grid_cache = (key, result)
        return result

    def layer_maps(self, layer: int, width: int, height: int, extent: Extent | None = None) -> tuple[Array, float, float]:
        """Every unit's own output over a ``height × width`` grid: ``(maps (units, h, w), lo, hi)``.

        ``layer`` 0 is the input features, 1 … the hidden layers, the last the outputs. ``lo``/``hi``
        is the range to colour between: the activation's own range when bounded, else ± the largest
        magnitude in the layer.
        """
        layer = as_int(layer, "the layer", lo=0)
        if layer >= len(self.sizes):
            raise ValueError(f"there are only {len(self.sizes)} layers")
        extent = self.extent if extent is None else extent
        pts = grid_points(width, height, extent)
        key = (int(width), int(height), tuple(extent), self._version)
        if self._maps_cache is None or self._maps_cache[0] != key:
            F = feature_matrix(pts, self._features)
            with np.errstate(all="ignore"):
                layers = [F, *self._model.hidden_outputs(F)] if len(pts) else [np.zeros((0, n)) for n in self.sizes]
            self._maps_cache = (key, layers)
        values = self._maps_cache[1][layer]
        maps = np.nan_to_num(values.T.reshape(-1, int(height), int(width)).astype(np.float64))
        last = len(self.sizes) - 1
        if layer == last:
            lo, hi = (-1.0, 1.0) if self._task == "regression" else (0.0, 1.0)
        elif 0 < layer and self._activation in ("tanh", "sigmoid"):
            lo, hi = -1.0, 1.0
        else:
            top = float(np.abs(maps).max()) if maps.size else 0.0
            top = top if top > 1e-9 else 1.0
            lo, hi = -top, top
        return maps, lo, hi


def _write(path: str | Path, text: str) -> Path:
    path = Path(path).expanduser()
    if path.is_dir():
        raise ValueError(f"'{path}' is a folder; give a file name")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot write '{path}': {error.strerror or error}") from None
    return path

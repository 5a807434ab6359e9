"""The ``spiral`` topic: a 2 → 24 → 24 → 1 tanh network learning two interleaved spirals, live.

``SpiralTraining`` holds the whole state; a screen calls ``step()`` and reads the properties.
One ``step()`` is one epoch: every training point is used once (in shuffled mini-batches, or in one
full batch when ``batch_size`` is None or ≥ the number of points).

Defaults (float32, Adam at lr 0.01, full batch, Glorot init, data in the unit disc) were tuned so
that the loss sits on a plateau near 0.65 for roughly the first hundred epochs, then falls off a
cliff; from seed 0 the training accuracy passes 98 % after about 200–300 epochs.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, grid_points, two_spirals
from algorithms.nn import MLP, get_activation, sigmoid
from algorithms.optim import Optimizer, make_optimizer
from algorithms.stepping import Stepping

Array = np.ndarray

DTYPE = np.float32  # single precision: twice the speed, and plenty for a 700-weight net
POINT_LIMIT = 1.5  # user points must lie in [-1.5, 1.5]²
# A mean cross-entropy this large means the weights have blown up even while the numbers stay
# finite (tanh and the stable loss bound the gradients, so a huge step rarely overflows): the
# untrained network sits near ln 2 ≈ 0.69 and healthy runs stay below about 2.
DIVERGED_LOSS = 20.0


class _Series:
    """A growable float64 series (one value per epoch) that can be cut back."""

    def __init__(self) -> None:
        self._data = np.empty(1024)
        self._len = 0

    def append(self, value: float) -> None:
        if self._len == len(self._data):
            self._data = np.concatenate((self._data, np.empty_like(self._data)))
        self._data[self._len] = value
        self._len += 1

    def truncate(self, length: int) -> None:
        self._len = min(self._len, length)

    def clear(self) -> None:
        self._len = 0

    def view(self) -> Array:
        out = self._data[: self._len]
        out.flags.writeable = False
        return out


def _check_batch_size(batch_size: int | None) -> int | None:
    return None if batch_size is None else as_int(batch_size, "the batch size", lo=1)


class SpiralTraining(Stepping):
    """Explicit-state simulation of an MLP learning the two-spirals data set.

    ``X``/``y`` hold the generated points followed by the user's points in the order added.
    ``loss_history[i]``/``accuracy_history[i]`` are measured on all training points after ``i``
    epochs (index 0 is the untrained network), so both have ``epoch + 1`` entries.
    """

    HISTORY = 200  # epochs that step_back() can undo

    def __init__(
        self,
        seed: int = 0,
        n_points: int = 300,
        noise: float = 0.0,
        hidden: tuple[int, ...] = (24, 24),
        activation: str = "tanh",
        optimizer: str = "adam",
        lr: float = 0.01,
        batch_size: int | None = None,
        turns: float = 1.75,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._version = 0  # bumped whenever the weights change; keys the grid cache
        self._grid_cache: tuple[Array, int, Array] | None = None
        self._n_points = n_points
        self._turns = turns
        self._noise = as_float(noise, "noise", lo=0, hi=1)
        try:
            self._hidden = tuple(hidden)  # widths are checked by the MLP
        except TypeError:
            raise ValueError(f"hidden must list the hidden layer widths, e.g. (24, 24), got {hidden!r}") from None
        self._activation = get_activation(activation).name
        self._optimizer_name = optimizer
        self._lr = lr
        self._batch_size = _check_batch_size(batch_size)
        self.reset()

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None, keep_user_points: bool = False) -> None:
        """Start over: new data, weights and optimiser from ``seed`` (default: the current seed).

        The same seed always gives the same run.
        """
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, init_seq, shuffle_seq = np.random.SeedSequence(self._seed).spawn(3)
        self._data_seq = data_seq
        self._init_seq = init_seq
        self._shuffle = np.random.default_rng(shuffle_seq)
        if not keep_user_points:
            self._user_X = np.empty((0, 2), dtype=DTYPE)
            self._user_y = np.empty(0, dtype=np.int64)
        self._make_base_points()
        self._new_model()

    def _make_base_points(self) -> None:
        """Generate the spirals (the same positions for a given seed, whatever the noise)."""
        X, y = two_spirals(self._n_points, noise=self._noise, turns=self._turns, rng=np.random.default_rng(self._data_seq))
        self._base_X = X.astype(DTYPE)
        self._base_y = y
        self._join_points()

    def _join_points(self) -> None:
        self._X = np.ascontiguousarray(np.concatenate((self._base_X, self._user_X)))
        self._labels = np.concatenate((self._base_y, self._user_y))
        self._targets = self._labels.astype(DTYPE).reshape(-1, 1)
        self._X.flags.writeable = False
        self._labels.flags.writeable = False

    def _new_model(self) -> None:
        """Fresh weights and optimiser; epoch 0, empty histories and step-back buffer."""
        self._model = MLP(
            (2, *self._hidden, 1),
            activation=self._activation,
            output="sigmoid",
            loss="bce",
            dtype=DTYPE,
            rng=np.random.default_rng(self._init_seq),
            init="xavier",
        )
        self._opt = make_optimizer(self._optimizer_name, lr=self._lr)
        self._epoch = 0
        self._diverged = False
        self._version += 1
        self._undo: deque[tuple[int, Array, dict[str, Any], dict[str, Any]]] = deque(maxlen=self.HISTORY)
        self._loss_hist = _Series()
        self._acc_hist = _Series()
        self._measure()
        self._loss_hist.append(self._loss)
        self._acc_hist.append(self._accuracy)

    def _measure(self) -> None:
        """Loss and accuracy of the current weights on all current points."""
        with np.errstate(all="ignore"):
            trace = self._model.forward_trace(self._X)
            self._loss, self._accuracy = self._model.evaluate(self._X, self._targets, trace=trace)
        # The next full-batch epoch starts from exactly this forward pass: keep it, with what it was
        # made from (the points, and a copy of the weights in case anyone changes them meanwhile).
        self._trace = (trace, self._X, self._model.params.copy())
        finite = math.isfinite(self._loss) and bool(np.isfinite(self._model.params).all())
        if not finite or self._loss > DIVERGED_LOSS:
            self._diverged = True

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def loss(self) -> float:
        """Mean binary cross-entropy on all current points."""
        return self._loss

    @property
    def accuracy(self) -> float:
        """Fraction of all current points classified correctly."""
        return self._accuracy

    @property
    def loss_history(self) -> Array:
        return self._loss_hist.view()

    @property
    def accuracy_history(self) -> Array:
        return self._acc_hist.view()

    @property
    def X(self) -> Array:
        """All training points, ``(n, 2)`` float32 (read-only)."""
        return self._X

    @property
    def y(self) -> Array:
        """Their labels, ``(n,)`` int64 (read-only)."""
        return self._labels

    @property
    def model(self) -> MLP:
        return self._model

    @property
    def diverged(self) -> bool:
        """True once the loss or a parameter became NaN/inf, or the loss passed ``DIVERGED_LOSS``;
        ``step()`` then does nothing (``step_back()`` or ``reset()`` recover)."""
        return self._diverged

    @property
    def n_user_points(self) -> int:
        return len(self._user_y)

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def lr(self) -> float:
        return self._opt.lr

    @property
    def optimizer(self) -> str:
        """Name of the update rule."""
        return self._optimizer_name

    @property
    def opt(self) -> Optimizer:
        """The live optimiser (for showing its state; change it through the setters)."""
        return self._opt

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    @property
    def activation(self) -> str:
        return self._activation

    # ----------------------------------------------------------------- training
    def step(self) -> None:
        """Train for one epoch (nothing happens once diverged)."""
        if self._diverged:
            return
        self._undo.append((self._epoch, self._model.params.copy(), self._opt.state(), self._shuffle.bit_generator.state))
        model, opt, X, T = self._model, self._opt, self._X, self._targets
        n = len(T)
        with np.errstate(all="ignore"):
            if self._batch_size is None or self._batch_size >= n:
                opt.step(model.params, model.loss_and_grad(X, T, trace=self._fresh_trace())[1])
            else:
                order = self._shuffle.permutation(n)
                for start in range(0, n, self._batch_size):
                    idx = order[start : start + self._batch_size]
                    opt.step(model.params, model.loss_and_grad(X[idx], T[idx])[1])
        self._epoch += 1
        self._version += 1
        self._measure()
        self._loss_hist.append(self._loss)
        self._acc_hist.append(self._accuracy)

    def _fresh_trace(self) -> tuple[list[Array], list[Array]] | None:
        """The last measurement's forward pass if it is of the current points and weights."""
        trace, X, params = self._trace
        if X is self._X and np.array_equal(params, self._model.params):
            return trace
        return None

    def step_back(self) -> None:
        """Undo the last epoch: weights, optimiser state, epoch, histories and shuffling stream."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        epoch, params, opt_state, shuffle_state = self._undo.pop()
        self._model.set_params(params)
        self._opt.load_state(opt_state)
        self._shuffle.bit_generator.state = shuffle_state
        self._epoch = epoch
        self._version += 1
        self._loss_hist.truncate(epoch + 1)
        self._acc_hist.truncate(epoch + 1)
        self._diverged = False
        self._measure()

    # ----------------------------------------------------------------- user points
    def add_point(self, x: float, y: float, label: int) -> None:
        """Add a training point at ``(x, y)`` with class ``label`` (0 or 1); the next step uses it."""
        x = as_float(x, "the point's x", lo=-POINT_LIMIT, hi=POINT_LIMIT)
        y = as_float(y, "the point's y", lo=-POINT_LIMIT, hi=POINT_LIMIT)
        if isinstance(label, bool) or label not in (0, 1):
            raise ValueError(f"the label must be 0 or 1, got {label!r}")
        self._user_X = np.vstack((self._user_X, np.array([[x, y]], dtype=DTYPE)))
        self._user_y = np.append(self._user_y, np.int64(label))
        self._join_points()
        self._measure()

    def remove_last_user_point(self) -> bool:
        """Remove the most recent user point; False when there is none."""
        if not len(self._user_y):
            return False
        self._user_X = self._user_X[:-1]
        self._user_y = self._user_y[:-1]
        self._join_points()
        self._measure()
        return True

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        self._opt.lr = lr  # validates
        self._lr = self._opt.lr

    def set_optimizer(self, name: str) -> None:
        """Switch update rule (keeping the weights and the learning rate); its state starts empty,
        and earlier epochs can no longer be stepped back to."""
        self._opt = make_optimizer(name, lr=self._lr)
        self._optimizer_name = name
        self._undo.clear()

    def set_batch_size(self, batch_size: int | None) -> None:
        """Mini-batch size; None (or ≥ the number of points) means full-batch."""
        self._batch_size = _check_batch_size(batch_size)

    def set_noise(self, noise: float) -> None:
        """Regenerate the spirals with this noise (same positions before jitter); user points stay."""
        self._noise = as_float(noise, "noise", lo=0, hi=1)
        self._make_base_points()
        self._measure()

    def set_activation(self, name: str) -> None:
        """Use another hidden activation; the network restarts from fresh weights (epoch 0)."""
        self._activation = get_activation(name).name
        self._new_model()

    # ----------------------------------------------------------------- drawing
    def grid_probabilities(self, width: int, height: int, extent: Extent = (-1.2, 1.2, -1.2, 1.2)) -> Array:
        """P(class 1) at the centres of a ``height × width`` grid over ``extent``; row 0 is the top.

        A diverged network shows 0.5 where its output is NaN. Zero width or height gives an empty array.
        The result is cached until the weights change (treat it as read-only).
        """
        pts = grid_points(width, height, extent, DTYPE)  # validates; cached per size and extent
        cached = self._grid_cache
        if cached is not None and cached[0] is pts and cached[1] == self._version:
            return cached[2]
        with np.errstate(all="ignore"):
            p = sigmoid(self._model.logits(pts)).reshape(int(height), int(width))
        if self._diverged:
            p = np.nan_to_num(p, nan=0.5)
        p.flags.writeable = False
        self._grid_cache = (pts, self._version, p)
        return p

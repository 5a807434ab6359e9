"""The ``layers`` topic: one hidden layer of 1–8 neurons learning to fence in a disc of dots.

``HiddenLayerTraining`` trains a 2 → k → 1 network (the shared ``algorithms.nn.MLP``, sigmoid
output, cross-entropy, Adam) on ``datasets.circle``: class 1 is a disc in the centre, class 0 a
ring around it. Each hidden neuron ``i`` computes ``act(w_i·x + b_i)``, so it has its own line
``w_i·x + b_i = 0``; the output neuron adds those up. One neuron is one line, so it can never beat
the best single straight line (``best_line_accuracy``); three or more can close around the centre.

Adding a neuron keeps the trained ones and brings in a fresh one; removing one drops the newest.
One ``step()`` is one full-batch epoch.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, circle, grid_points
from algorithms.nn import MLP, get_activation, sigmoid
from algorithms.optim import make_optimizer
from algorithms.perceptron import best_line, line_in_box
from algorithms.stepping import Stepping

Array = np.ndarray

MIN_NEURONS, MAX_NEURONS = 1, 8
ACTIVATIONS = ("tanh", "relu", "sigmoid")
DIVERGED_LOSS = 50.0  # mean cross-entropy this high means the weights have blown up


class HiddenLayerTraining(Stepping):
    """A 2 → k → 1 network learning the circle data set; ``k`` changes while it trains.

    ``loss_history[i]``/``accuracy_history[i]`` are measured on all points after ``i`` epochs
    (index 0 is the untrained network); ``neuron_history`` records ``k`` at each of them.
    """

    HISTORY = 200  # epochs that step_back() can undo

    def __init__(
        self,
        seed: int = 0,
        neurons: int = 1,
        n_points: int = 200,
        noise: float = 0.0,
        activation: str = "tanh",
        lr: float = 0.03,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._k = self._check_k(neurons)
        self._n_points = as_int(n_points, "the number of points", lo=4)
        self._noise = as_float(noise, "noise", lo=0, hi=0.5)
        self._activation = self._check_activation(activation)
        self._lr = as_float(lr, "the learning rate", lo=1e-4, hi=10)
        self._version = 0
        self._grid_cache: tuple[Array, int, Array] | None = None
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_k(k: object) -> int:
        k = as_int(k, "the number of hidden neurons", lo=MIN_NEURONS)
        if k > MAX_NEURONS:
            raise ValueError(f"the number of hidden neurons must be at most {MAX_NEURONS}, got {k}")
        return k

    @staticmethod
    def _check_activation(name: object) -> str:
        if name not in ACTIVATIONS:
            raise ValueError(f"the activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")
        return get_activation(str(name)).name

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New data and fresh weights from ``seed`` (default: the current seed)."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, init_seq = np.random.SeedSequence(self._seed).spawn(2)
        self._data_seq = data_seq
        self._init = np.random.default_rng(init_seq)  # also draws every neuron added later
        self._make_data()
        self._model = self._new_model(self._k)
        self._opt = make_optimizer("adam", lr=self._lr)
        self._epoch = 0
        self._diverged = False
        self._undo: deque[tuple[Any, ...]] = deque(maxlen=self.HISTORY)
        self._loss_hist: list[float] = []
        self._acc_hist: list[float] = []
        self._k_hist: list[int] = []
        self._changed()
        self._record()

    def _make_data(self) -> None:
        X, y = circle(self._n_points, noise=self._noise, rng=np.random.default_rng(self._data_seq))
        X.flags.writeable = False
        y.flags.writeable = False
        self._X, self._y = X, y
        self._best, self._best_w, self._best_b = best_line(X, y)

    def _new_model(self, k: int) -> MLP:
        return MLP((2, k, 1), activation=self._activation, output="sigmoid", loss="bce", rng=self._init)

    def _changed(self) -> None:
        """The weights changed: measure, and invalidate the cached grid."""
        self._version += 1
        with np.errstate(all="ignore"):
            self._loss, self._accuracy = self._model.evaluate(self._X, self._y)
        if not math.isfinite(self._loss) or not np.isfinite(self._model.params).all() or self._loss > DIVERGED_LOSS:
            self._diverged = True

    def _record(self) -> None:
        self._loss_hist.append(self._loss)
        self._acc_hist.append(self._accuracy)
        self._k_hist.append(self._k)

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def neurons(self) -> int:
        """Hidden neurons now (1–8)."""
        return self._k

    @property
    def X(self) -> Array:
        return self._X

    @property
    def y(self) -> Array:
        """1 for the centre disc, 0 for the ring."""
        return self._y

    @property
    def model(self) -> MLP:
        return self._model

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def loss(self) -> float:
        return self._loss

    @property
    def accuracy(self) -> float:
        return self._accuracy

    @property
    def loss_history(self) -> Array:
        return np.array(self._loss_hist)

    @property
    def accuracy_history(self) -> Array:
        return np.array(self._acc_hist)

    @property
    def neuron_history(self) -> Array:
        return np.array(self._k_hist, dtype=np.int64)

    @property
    def best_line_accuracy(self) -> float:
        """The best accuracy any single straight line reaches on these points."""
        return self._best

    @property
    def best_line(self) -> tuple[Array, float]:
        """One straight line reaching ``best_line_accuracy``: ``(w, b)``."""
        return self._best_w.copy(), self._best_b

    @property
    def diverged(self) -> bool:
        return self._diverged

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def activation(self) -> str:
        return self._activation

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def n_points(self) -> int:
        return self._n_points

    # ----------------------------------------------------------------- training
    def step(self) -> None:
        """One epoch of full-batch Adam on all points (nothing once diverged)."""
        if self._diverged:
            return
        self._undo.append((self._epoch, self._model.params.copy(), self._opt.state()))
        with np.errstate(all="ignore"):
            self._opt.step(self._model.params, self._model.loss_and_grad(self._X, self._y)[1])
        self._epoch += 1
        self._changed()
        self._record()

    def step_back(self) -> None:
        """Undo the last epoch (the history does not reach back past a change of neurons)."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        epoch, params, opt_state = self._undo.pop()
        self._model.set_params(params)
        self._opt.load_state(opt_state)
        self._epoch = epoch
        del self._loss_hist[epoch + 1 :], self._acc_hist[epoch + 1 :], self._k_hist[epoch + 1 :]
        self._diverged = False
        self._changed()

    # ----------------------------------------------------------------- neurons
    def set_neurons(self, k: int) -> None:
        """Grow or shrink the hidden layer to ``k`` neurons, keeping the trained ones.

        New neurons get fresh random weights (from the run's own generator); removing drops the
        newest ones. Adam starts afresh and earlier epochs can no longer be stepped back to.
        """
        k = self._check_k(k)
        if k == self._k:
            return
        old = self._model
        new = self._new_model(k)  # fresh random weights for every neuron; the kept ones are copied in
        keep = min(k, self._k)
        new.weights[0][:, :keep] = old.weights[0][:, :keep]
        new.biases[0][:keep] = old.biases[0][:keep]
        new.weights[1][:keep] = old.weights[1][:keep]
        new.biases[1][...] = old.biases[1]
        self._model = new
        self._k = k
        self._opt = make_optimizer("adam", lr=self._lr)
        self._undo.clear()
        self._diverged = False
        self._changed()
        self._k_hist[-1] = k
        self._loss_hist[-1], self._acc_hist[-1] = self._loss, self._accuracy

    def add_neuron(self) -> bool:
        """One more hidden neuron; False (nothing changes) at the maximum."""
        if self._k >= MAX_NEURONS:
            return False
        self.set_neurons(self._k + 1)
        return True

    def remove_neuron(self) -> bool:
        """Drop the newest hidden neuron; False (nothing changes) at the minimum."""
        if self._k <= MIN_NEURONS:
            return False
        self.set_neurons(self._k - 1)
        return True

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        self._lr = as_float(lr, "the learning rate", lo=1e-4, hi=10)
        self._opt.lr = self._lr

    def set_activation(self, name: str) -> None:
        """Use another hidden activation; the network starts over from fresh weights (epoch 0)."""
        self._activation = self._check_activation(name)
        self.reset()

    def set_noise(self, noise: float) -> None:
        """Jitter the points by this much (same clean points); the network starts over."""
        self._noise = as_float(noise, "noise", lo=0, hi=0.5)
        self.reset()

    # ----------------------------------------------------------------- drawing
    def neuron_lines(self) -> list[tuple[float, float, float, float]]:
        """Each hidden neuron as ``(w1, w2, b, v)``: its line ``w1·x + w2·y + b = 0`` and the
        weight ``v`` with which the output neuron takes it."""
        W, b = self._model.weights[0], self._model.biases[0]
        v = self._model.weights[1][:, 0]
        return [(float(W[0, i]), float(W[1, i]), float(b[i]), float(v[i])) for i in range(self._k)]

    def neuron_segments(self, extent: Extent) -> list[tuple[float, float, float, float] | None]:
        """Each hidden neuron's line clipped to ``extent`` (None where it misses the box)."""
        return [line_in_box(w1, w2, b, extent) for w1, w2, b, _ in self.neuron_lines()]

    def grid_probabilities(self, width: int, height: int, extent: Extent) -> Array:
        """P(centre) on a ``height × width`` grid over ``extent`` (row 0 at the top); cached until
        the weights change. A diverged network shows 0.5."""
        pts = grid_points(width, height, extent)  # cached per size and extent
        cached = self._grid_cache
        if cached is not None and cached[0] is pts and cached[1] == self._version:
            return cached[2]
        if len(pts) == 0:
            p = np.zeros((int(height), int(width)))
        else:
            with np.errstate(all="ignore"):
                p = sigmoid(self._model.logits(pts)).reshape(int(height), int(width))
            p = np.nan_to_num(p, nan=0.5)
        p.flags.writeable = False
        self._grid_cache = (pts, self._version, p)
        return p

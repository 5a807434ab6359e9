"""The ``relu-triangle`` topic: three hidden ReLU neurons fence in the centre of the plane.

A 2 → 3 → 1 network (the shared ``algorithms.nn.MLP``: ReLU hidden layer, sigmoid output,
cross-entropy, full-batch Adam) learns ``datasets.circle`` with a small disc of class 1 (radius
0.35) inside a ring of class 0 (radii 0.7 to 1), far enough apart for a triangle to fit between.

Hidden neuron ``i`` computes ``hᵢ = relu(wᵢ·x + bᵢ)``: it is silent on one side of its *hinge*
``wᵢ·x + bᵢ = 0`` and grows linearly on the other. The output adds ``c + Σ vᵢ·hᵢ``. Where only
neuron ``i`` is awake the boundary is where ``vᵢ·hᵢ = −c``: the line ``wᵢ·x + bᵢ + c/vᵢ = 0``,
parallel to the hinge. That line is the neuron's *fence* (it exists when ``−c/vᵢ > 0``). Three
fences close a triangle; only near its corners, where two neurons are awake at once, does the
boundary cut across.

The output neuron starts with ``vᵢ = −1`` and ``c = +1`` ("centre, unless a hidden neuron objects");
the hidden lines start at random angles through the middle of the plane, and training moves them out.

Every trained epoch is kept, so the view can be scrubbed back and forth through the whole run:
``epoch`` is the epoch shown, ``trained_epochs`` how far training got. Stepping forward from the
last trained epoch trains a new one; stepping (or scrubbing) back only moves the view. Changing the
learning rate drops the epochs after the one shown and trains on from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, circle, grid_points
from algorithms.nn import MLP, sigmoid
from algorithms.optim import make_optimizer
from algorithms.stepping import Stepping

Array = np.ndarray

RADII = (0.35, 0.7, 1.0)  # the centre disc, and the ring around it
MAX_EPOCHS = 2000  # the longest history kept (and the scrub knob's range)
LR_RANGE = (1e-4, 1.0)
NOISE_RANGE = (0.0, 0.3)
DIVERGED_LOSS = 50.0  # a mean cross-entropy this high means the weights blew up


@dataclass(frozen=True)
class Neuron:
    """One hidden neuron: hinge ``w1·x + w2·y + b = 0``, output weight ``v``; the output bias ``c``."""

    w1: float
    w2: float
    b: float
    v: float
    c: float

    @property
    def hinge(self) -> tuple[float, float, float]:
        """``(w1, w2, b)`` of the line where the neuron wakes up."""
        return (self.w1, self.w2, self.b)

    @property
    def fence(self) -> tuple[float, float, float] | None:
        """``(w1, w2, b′)`` of the line where this neuron alone flips the network's answer, or None
        when it cannot (``−c/v ≤ 0``: its vote never cancels the output's bias)."""
        if self.v == 0 or not -self.c / self.v > 0:
            return None
        return (self.w1, self.w2, self.b + self.c / self.v)

    @property
    def votes_outside(self) -> bool:
        """True when waking this neuron pushes the answer towards class 0 (the ring)."""
        return self.v < 0


def line_distance(points: Array, line: tuple[float, float, float]) -> Array:
    """Distance from each of ``points`` (n, 2) to the line ``w1·x + w2·y + b = 0``."""
    w1, w2, b = line
    norm = math.hypot(w1, w2)
    if norm == 0:
        return np.full(len(points), np.inf)
    return np.abs(points[:, 0] * w1 + points[:, 1] * w2 + b) / norm


class ReluTriangle(Stepping):
    """Explicit-state simulation: a 2 → 3 → 1 ReLU network fencing in the centre, with its whole
    training history kept for scrubbing."""

    def __init__(self, seed: int = 0, n_points: int = 200, noise: float = 0.0, lr: float = 0.01) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._n_points = as_int(n_points, "the number of points", lo=6)
        self._noise = self._check_noise(noise)
        self._lr = self._check_lr(lr)
        self._grid_cache: tuple[Array, int, Array] | None = None
        self._version = 0  # bumped whenever the weights shown change; keys the grid cache
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_lr(lr: object) -> float:
        return as_float(lr, "the learning rate", lo=LR_RANGE[0], hi=LR_RANGE[1])

    @staticmethod
    def _check_noise(noise: object) -> float:
        return as_float(noise, "noise", lo=NOISE_RANGE[0], hi=NOISE_RANGE[1])

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """Start over from ``seed`` (default: the current one): new data, fresh weights, no history."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, init_seq = np.random.SeedSequence(self._seed).spawn(2)
        X, y = circle(self._n_points, noise=self._noise, rng=np.random.default_rng(data_seq), radii=RADII)
        X.flags.writeable = False
        y.flags.writeable = False
        self._X, self._y = X, y
        self._model = MLP(
            (2, 3, 1), activation="relu", output="sigmoid", loss="bce",
            rng=np.random.default_rng(init_seq), init="xavier",
        )
        self._model.weights[1][...] = -1.0  # every hidden neuron starts as a vote for "outside"
        self._model.biases[1][...] = 1.0  # and the output starts out saying "centre"
        self._opt = make_optimizer("adam", lr=self._lr)
        self._params: list[Array] = []
        self._opt_states: list[dict[str, Any]] = []
        self._loss: list[float] = []
        self._acc: list[float] = []
        self._record()
        self._view = 0
        self._version += 1
        self._opt_epoch = 0  # the epoch whose optimiser state ``_opt`` holds

    def _record(self) -> None:
        """Append the model's current state as the next trained epoch."""
        model = self._model
        with np.errstate(all="ignore"):
            loss, acc = model.evaluate(self._X, self._y)
        self._params.append(model.params.copy())
        self._opt_states.append(self._opt.state())
        self._loss.append(loss)
        self._acc.append(acc)

    def _show(self, epoch: int) -> None:
        """Load the weights of ``epoch`` into the model."""
        self._view = epoch
        self._model.set_params(self._params[epoch])
        self._version += 1

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def epoch(self) -> int:
        """The epoch shown (0 = untrained)."""
        return self._view

    @property
    def trained_epochs(self) -> int:
        """How many epochs have been trained (the last one that can be shown)."""
        return len(self._params) - 1

    @property
    def X(self) -> Array:
        return self._X

    @property
    def y(self) -> Array:
        """1 for the centre disc, 0 for the ring."""
        return self._y

    @property
    def model(self) -> MLP:
        """The network with the weights of the epoch shown."""
        return self._model

    @property
    def loss(self) -> float:
        return self._loss[self._view]

    @property
    def accuracy(self) -> float:
        return self._acc[self._view]

    @property
    def loss_history(self) -> Array:
        """Loss after each trained epoch (index 0: untrained)."""
        return np.array(self._loss)

    @property
    def accuracy_history(self) -> Array:
        return np.array(self._acc)

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def n_points(self) -> int:
        return self._n_points

    @property
    def diverged(self) -> bool:
        """True when the epoch shown has a non-finite or absurd loss (scrub back or reset)."""
        loss = self._loss[self._view]
        return not math.isfinite(loss) or loss > DIVERGED_LOSS or not np.isfinite(self._params[self._view]).all()

    @property
    def misclassified(self) -> Array:
        """Boolean mask of the points the network shown gets wrong."""
        with np.errstate(all="ignore"):
            return self._model.predict(self._X) != self._y

    # ----------------------------------------------------------------- moving through time
    def _train_one(self) -> None:
        """Train one epoch past the last trained one (the view must be on it)."""
        last = self.trained_epochs
        if self._opt_epoch != last:
            self._opt.load_state(self._opt_states[last])
            self._opt_epoch = last
        model = self._model
        with np.errstate(all="ignore"):
            model.set_params(self._params[last])
            self._opt.step(model.params, model.loss_and_grad(self._X, self._y)[1])
        self._record()
        self._opt_epoch = last + 1

    def step(self) -> None:
        """Show the next epoch, training it first if it is new. Nothing happens past ``MAX_EPOCHS``
        or from a diverged epoch."""
        if self._view >= MAX_EPOCHS or self.diverged:
            return
        if self._view == self.trained_epochs:
            self._train_one()
        self._show(self._view + 1)

    @property
    def can_step_back(self) -> bool:
        return self._view > 0

    def step_back(self) -> None:
        """Show the epoch before (the later ones stay trained)."""
        if self._view == 0:
            raise ValueError("this is the untrained network: nothing to step back to")
        self._show(self._view - 1)

    def scrub(self, epoch: int) -> None:
        """Show ``epoch`` (0 … MAX_EPOCHS), training up to it if it has not been reached yet.

        Training stops early at a diverged epoch; the view then rests there.
        """
        epoch = as_int(epoch, "the epoch", lo=0)
        if epoch > MAX_EPOCHS:
            raise ValueError(f"the epoch must be at most {MAX_EPOCHS}, got {epoch}")
        if epoch <= self.trained_epochs:
            self._show(epoch)
            return
        self._show(self.trained_epochs)
        while self._view < epoch and not self.diverged:
            self.step()

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        """New learning rate: the epochs after the one shown are forgotten; training goes on from it."""
        self._lr = self._check_lr(lr)
        self._opt.lr = self._lr
        self._truncate()

    def _truncate(self) -> None:
        keep = self._view + 1
        del self._params[keep:], self._opt_states[keep:], self._loss[keep:], self._acc[keep:]

    def set_noise(self, noise: float) -> None:
        """Jitter the points by this much (the same clean points); training starts over."""
        self._noise = self._check_noise(noise)
        self.reset()

    # ----------------------------------------------------------------- the geometry
    def neurons(self) -> list[Neuron]:
        """The three hidden neurons of the epoch shown."""
        W, b = self._model.weights[0], self._model.biases[0]
        v, c = self._model.weights[1][:, 0], float(self._model.biases[1][0])
        return [Neuron(float(W[0, i]), float(W[1, i]), float(b[i]), float(v[i]), c) for i in range(W.shape[1])]

    def active(self, points: Array) -> Array:
        """Which hidden neurons are awake (pre-activation > 0) at each point: bool (n, 3)."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        W, b = self._model.weights[0], self._model.biases[0]
        with np.errstate(all="ignore"):
            return points @ W + b > 0

    def grid_probabilities(self, width: int, height: int, extent: Extent) -> Array:
        """P(centre) at the cell centres of a ``height × width`` grid over ``extent`` (row 0 at the
        top); cached until the epoch shown changes. NaN (a diverged net) shows as 0.5."""
        pts = grid_points(width, height, extent)
        key = self._version
        cached = self._grid_cache
        if cached is not None and cached[0] is pts and cached[1] == key:
            return cached[2]
        if len(pts) == 0:
            p = np.zeros((int(height), int(width)))
        else:
            with np.errstate(all="ignore"):
                p = np.nan_to_num(sigmoid(self._model.logits(pts)).reshape(int(height), int(width)), nan=0.5)
        p.flags.writeable = False
        self._grid_cache = (pts, key, p)
        return p

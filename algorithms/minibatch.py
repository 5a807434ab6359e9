"""Mini-batch gradient descent: how the batch size shapes the path down a loss surface.

The model is a line ``y = w·x + b`` fitted to N noisy points by mean squared error, so the loss is a
bowl over (w, b) that can be drawn as contours. ``BatchRace`` runs one path per batch size (1, 8, 32
and the full set by default) from the same start with the same learning rate and measures each path's
*jitter*: the mean angle between the steps it took and the true downhill direction (the full-data
gradient) where it took them. A full batch always steps straight downhill (jitter 0); smaller batches
see only a sample of the data and wander.

Free functions: ``line_data`` (the data), ``batch_gradients`` (per-example and mean gradients),
``mse_surface`` (the loss on a grid), ``gradient_noise`` (the expected squared gap between a mini-batch
gradient and the full one — sampling without replacement).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.descent import contour_bands
from algorithms.optim import SGD
from algorithms.regression import least_squares_line, mse
from algorithms.rng import RngLike, as_rng
from algorithms.stepping import Stepping

Array = np.ndarray

N_POINTS = 64
BATCH_SIZES: tuple[int | None, ...] = (1, 8, 32, None)  # None: the full set
TRUE_W, TRUE_B = 2.0, -1.0
START = (-2.0, 3.0)
DOMAIN = (-3.0, 5.0, -4.0, 4.0)  # (w, b) box drawn
CLOCKS = ("epoch", "update")
LR_MIN, LR_MAX = 1e-3, 2.0
MAX_NOISE = 3.0
DIVERGED_DISTANCE = 1e6
# Below this length the full gradient has no direction to compare with (the path sits at the minimum).
FLAT = 1e-12


def line_data(n: int = N_POINTS, noise: float = 1.0, rng: RngLike = None) -> tuple[Array, Array]:
    """``n`` points with x ~ N(1, 0.8²) and y = 2x − 1 + noise·N(0, 1)."""
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "the noise", lo=0.0, hi=MAX_NOISE)
    gen = as_rng(rng)
    x = gen.normal(1.0, 0.8, n)
    y = TRUE_W * x + TRUE_B + noise * gen.normal(0.0, 1.0, n)
    return x, y


def example_gradients(x: Array, y: Array, theta: Array) -> Array:
    """Per-example gradients of (w·xᵢ + b − yᵢ)² at θ = (w, b): ``(n, 2)``."""
    r = theta[0] * x + theta[1] - y
    return np.stack((2.0 * r * x, 2.0 * r), axis=1)


def batch_gradients(x: Array, y: Array, theta: Array, idx: Array | None = None) -> Array:
    """The mean-squared-error gradient at θ over the examples ``idx`` (all when None)."""
    if idx is not None:
        x, y = x[idx], y[idx]
    r = theta[0] * x + theta[1] - y
    return np.array((2.0 * float(r @ x), 2.0 * float(r.sum()))) / len(x)


def mse_surface(x: Array, y: Array, ws: Array, bs: Array) -> Array:
    """Mean squared error for every (w, b) of the grid: ``(len(bs), len(ws))`` (row i at bs[i]).

    Uses the sums Σx², Σx, Σxy, Σy, Σy² so the cost does not grow with the number of points.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    sxx, sx, sxy, sy, syy = x @ x / n, x.sum() / n, x @ y / n, y.sum() / n, y @ y / n
    w, b = np.meshgrid(np.asarray(ws, dtype=float), np.asarray(bs, dtype=float))
    return w * w * sxx + 2 * w * b * sx + b * b - 2 * w * sxy - 2 * b * sy + syy


def gradient_noise(x: Array, y: Array, theta: Array, batch: int) -> float:
    """E‖g_B − g‖²: the expected squared distance between the gradient of a random batch of ``batch``
    distinct examples and the full gradient, = (N − B) / (B·(N − 1)) · mean‖gᵢ − g‖² (0 for B = N)."""
    n = len(x)
    batch = as_int(batch, "the batch size", lo=1)
    if batch >= n:
        return 0.0
    g = example_gradients(np.asarray(x, float), np.asarray(y, float), np.asarray(theta, float))
    spread = float(np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1)))
    return (n - batch) / (batch * (n - 1)) * spread


def step_angle(g: Array, full: Array) -> float | None:
    """Angle in degrees between a step along −g and the true downhill direction −full (None when
    either has no direction)."""
    ng = float(np.hypot(*g))
    nf = float(np.hypot(*full))
    if ng <= FLAT or nf <= FLAT or not (math.isfinite(ng) and math.isfinite(nf)):
        return None
    c = float(g @ full) / (ng * nf)
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


@dataclass
class _Snapshot:
    theta: Array
    rng: dict
    order: Array
    pos: int
    updates: int
    angle_sum: float
    angle_count: int


class Runner:
    """One path: SGD with batches of ``batch`` examples drawn without replacement, epoch after epoch."""

    def __init__(self, batch: int | None, n: int, start: Array, lr: float, seed: np.random.SeedSequence) -> None:
        self.batch = n if batch is None or batch >= n else as_int(batch, "the batch size", lo=1)
        self.full = batch is None or batch >= n
        self.n = n
        self.opt = SGD(lr=lr)
        self.rng = np.random.default_rng(seed)
        self.theta = np.array(start, dtype=float)
        self.order = self.rng.permutation(n)
        self.pos = 0
        self.updates = 0
        self._path = np.empty((64, 2))  # rows [0, updates] are the positions so far
        self._path[0] = self.theta
        self.angle_sum = 0.0  # running sum and count of the step angles (jitter = their mean)
        self.angle_count = 0

    @property
    def label(self) -> str:
        return f"all {self.n}" if self.full else f"batch {self.batch}"

    @property
    def epochs(self) -> float:
        """Passes over the data so far (updates × batch / N)."""
        return self.updates * self.batch / self.n

    @property
    def path(self) -> Array:
        """Positions after 0, 1, … updates: ``(updates + 1, 2)`` (a read-only view)."""
        view = self._path[: self.updates + 1].view()
        view.flags.writeable = False
        return view

    @property
    def jitter(self) -> float | None:
        """Mean angle (degrees) between the steps taken and the true downhill direction there."""
        return self.angle_sum / self.angle_count if self.angle_count else None

    def next_batch(self) -> Array:
        """Indices of the next batch; a new shuffled pass starts when one is used up."""
        if self.full:
            return np.arange(self.n)
        if self.pos >= self.n:
            self.order = self.rng.permutation(self.n)
            self.pos = 0
        idx = self.order[self.pos : self.pos + self.batch]
        self.pos += len(idx)
        return idx

    def update(self, x: Array, y: Array) -> None:
        idx = self.next_batch()
        full = batch_gradients(x, y, self.theta)
        g = full if self.full else batch_gradients(x, y, self.theta, idx)
        angle = 0.0 if self.full else step_angle(g, full)
        if angle is not None and not (self.full and float(np.hypot(*full)) <= FLAT):
            self.angle_sum += angle
            self.angle_count += 1
        self.opt.step(self.theta, g)
        self.updates += 1
        if self.updates == len(self._path):
            self._path = np.concatenate((self._path, np.empty_like(self._path)))
        self._path[self.updates] = self.theta

    def snapshot(self) -> _Snapshot:
        return _Snapshot(self.theta.copy(), self.rng.bit_generator.state, self.order.copy(), self.pos,
                         self.updates, self.angle_sum, self.angle_count)

    def restore(self, s: _Snapshot) -> None:
        self.theta = s.theta.copy()
        self.rng.bit_generator.state = s.rng
        self.order = s.order.copy()
        self.pos = s.pos
        self.updates = s.updates
        self.angle_sum = s.angle_sum
        self.angle_count = s.angle_count


class BatchRace(Stepping):
    """Paths for several batch sizes on one loss surface, stepped together.

    One ``step()`` is one epoch for every path (clock "epoch": a batch-B path makes ⌈N/B⌉ updates) or
    one update for every path (clock "update").
    """

    HISTORY = 200

    def __init__(
        self,
        seed: int = 0,
        lr: float = 0.1,
        noise: float = 1.0,
        clock: str = "epoch",
        batch_sizes: tuple[int | None, ...] = BATCH_SIZES,
        n_points: int = N_POINTS,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._lr = as_float(lr, "the learning rate", lo=LR_MIN, hi=LR_MAX)
        self._noise = as_float(noise, "the noise", lo=0.0, hi=MAX_NOISE)
        self._clock = self._check_clock(clock)
        self._n = as_int(n_points, "the number of points", lo=2)
        self._batch_sizes = tuple(None if b is None else as_int(b, "a batch size", lo=1) for b in batch_sizes)
        if not self._batch_sizes:
            raise ValueError("give at least one batch size")
        self.reset()

    @staticmethod
    def _check_clock(clock: str) -> str:
        if clock not in CLOCKS:
            raise ValueError(f"the clock must be one of {', '.join(CLOCKS)}, got {clock!r}")
        return clock

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New data and fresh paths from the start point (the same seed gives the same race)."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, *path_seqs = np.random.SeedSequence(self._seed).spawn(1 + len(self._batch_sizes))
        self._x, self._y = line_data(self._n, self._noise, np.random.default_rng(data_seq))
        self._path_seqs = path_seqs
        self._restart_paths()

    def _restart_paths(self) -> None:
        self._runners = [Runner(b, self._n, np.array(START), self._lr, s) for b, s in zip(self._batch_sizes, self._path_seqs)]
        self._steps = 0
        self._diverged = False
        self._undo: deque[tuple[int, list[_Snapshot]]] = deque(maxlen=self.HISTORY)
        self._loss_hist: list[list[float]] = [self.losses()]

    def set_lr(self, lr: float) -> None:
        """Learning rate for every path (takes effect from the next update)."""
        self._lr = as_float(lr, "the learning rate", lo=LR_MIN, hi=LR_MAX)
        for r in self._runners:
            r.opt.lr = self._lr

    def set_noise(self, noise: float) -> None:
        """Noise of the data around the true line; new data, and the paths start over."""
        self._noise = as_float(noise, "the noise", lo=0.0, hi=MAX_NOISE)
        self.reset()

    def set_clock(self, clock: str) -> None:
        """What one step is: an "epoch" for every path, or one "update" for every path."""
        self._clock = self._check_clock(clock)

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def clock(self) -> str:
        return self._clock

    @property
    def x(self) -> Array:
        return self._x.copy()

    @property
    def y(self) -> Array:
        return self._y.copy()

    @property
    def n_points(self) -> int:
        return self._n

    @property
    def steps_taken(self) -> int:
        """Steps of the clock so far (epochs or updates)."""
        return self._steps

    @property
    def epoch(self) -> float:
        """Epochs completed by the full-batch path (= steps in the "epoch" clock)."""
        return max(r.epochs for r in self._runners)

    @property
    def runners(self) -> list[Runner]:
        return list(self._runners)

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self._runners]

    @property
    def batches(self) -> list[int]:
        return [r.batch for r in self._runners]

    def paths(self) -> list[Array]:
        """Each path's positions ``(k, 2)`` as (w, b) (read-only views)."""
        return [r.path for r in self._runners]

    def jitters(self) -> list[float | None]:
        return [r.jitter for r in self._runners]

    def losses(self) -> list[float]:
        """Each path's current mean squared error on all the data."""
        return [self.loss_at(r.theta) for r in self._runners]

    def loss_at(self, theta: Array) -> float:
        with np.errstate(all="ignore"):
            return mse(self._x, self._y, float(theta[0]), float(theta[1]))

    @property
    def minimum(self) -> tuple[float, float]:
        """The least-squares (w, b): the bottom of the bowl."""
        return least_squares_line(self._x, self._y)

    @property
    def min_loss(self) -> float:
        return self.loss_at(np.array(self.minimum))

    @property
    def diverged(self) -> bool:
        """True once a path left every sane range (then ``step()`` does nothing)."""
        return self._diverged

    def surface(self, ws: Array, bs: Array) -> Array:
        """The loss on a grid ``(len(bs), len(ws))``."""
        return mse_surface(self._x, self._y, ws, bs)

    def contour(self, ws: Array, bs: Array, bands: int = 12) -> Array:
        """The loss surface as contour bands in [0, 1] (log scale, ``bands`` levels)."""
        return contour_bands(self.surface(ws, bs), bands)

    def loss_history(self) -> Array:
        """Each path's loss on all the data after every step: ``(steps + 1, paths)``."""
        return np.array(self._loss_hist)

    # ----------------------------------------------------------------- stepping
    def step(self) -> None:
        """One epoch (or one update) for every path; nothing once diverged."""
        if self._diverged:
            return
        self._undo.append((self._steps, [r.snapshot() for r in self._runners]))
        x, y = self._x, self._y
        with np.errstate(all="ignore"):
            for r in self._runners:
                count = math.ceil(self._n / r.batch) if self._clock == "epoch" else 1
                for _ in range(count):
                    r.update(x, y)
                    if not np.all(np.isfinite(r.theta)) or float(np.max(np.abs(r.theta))) > DIVERGED_DISTANCE:
                        self._diverged = True
                        break
        self._steps += 1
        if self._diverged:
            for r in self._runners:  # keep only finite positions: nothing on screen turns NaN
                while r.updates > 0 and not np.all(np.isfinite(r._path[r.updates])):
                    r.updates -= 1
                r.theta = r._path[r.updates].copy()
        self._loss_hist.append(self.losses())

    def step_back(self) -> None:
        if not self._undo:
            raise ValueError("nothing to step back to")
        steps, snaps = self._undo.pop()
        for r, s in zip(self._runners, snaps):
            r.restore(s)
        self._steps = steps
        del self._loss_hist[steps + 1 :]
        self._diverged = False

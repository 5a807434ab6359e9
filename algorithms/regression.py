"""Linear and logistic regression: closed forms, losses with their gradients, and two live fits.

The free functions are a small library on their own:

* ``least_squares_line(x, y)`` — the line ``y = w·x + b`` with the least mean squared error;
* ``mse`` / ``mse_grad`` — that error and its gradient for any ``(w, b)``;
* ``bce_with_grad(X, y, w, b)`` — mean binary cross-entropy of a logistic model and its gradient;
* ``logistic_mle(X, y)`` — the unregularised maximum-likelihood fit (Newton's method), or None
  when the classes are separable and no finite maximum exists;
* ``study_hours`` / ``pass_fail`` — the toy data sets of the two topics.

``LineFit`` (the ``linear-regression`` topic) and ``LogisticFit`` (``logistic-regression``) are the
simulations: one ``step()`` is one full-batch gradient-descent update (``algorithms.optim.SGD``).
Both keep the data they fit, let the user add and remove points, and can step back through edits
and updates alike.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, gaussian_blobs, grid_points
from algorithms.nn import sigmoid
from algorithms.optim import SGD
from algorithms.perceptron import line_in_box, separable
from algorithms.rng import RngLike, as_rng
from algorithms.stepping import Stepping

Array = np.ndarray

# --------------------------------------------------------------------------- linear regression


def _vectors(x: object, y: object) -> tuple[Array, Array]:
    """``x`` and ``y`` as equal-length finite float64 vectors, or ValueError."""
    try:
        xv = np.asarray(x, dtype=np.float64).reshape(-1)
        yv = np.asarray(y, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError("x and y must be numbers") from None
    if len(xv) != len(yv):
        raise ValueError(f"x and y need the same length, got {len(xv)} and {len(yv)}")
    if not (np.isfinite(xv).all() and np.isfinite(yv).all()):
        raise ValueError("x and y must be finite numbers")
    return xv, yv


def least_squares_line(x: object, y: object) -> tuple[float, float]:
    """The ``(w, b)`` minimising the mean of ``(w·x + b − y)²``: ``w = cov(x, y)/var(x)``,
    ``b = ȳ − w·x̄``. ValueError when fewer than two distinct x values make the line undetermined."""
    xv, yv = _vectors(x, y)
    if len(xv) == 0 or np.ptp(xv) == 0:
        raise ValueError("a line needs points at two different x values at least")
    xc = xv - xv.mean()
    w = float(xc @ (yv - yv.mean()) / (xc @ xc))
    return w, float(yv.mean() - w * xv.mean())


def mse(x: object, y: object, w: float, b: float) -> float:
    """Mean squared error of the line ``y = w·x + b`` on the points (NaN for no points)."""
    xv, yv = _vectors(x, y)
    if len(xv) == 0:
        return math.nan
    r = w * xv + b - yv
    return float(r @ r / len(r))


def mse_grad(x: object, y: object, w: float, b: float) -> tuple[float, float]:
    """``(∂MSE/∂w, ∂MSE/∂b) = (2·mean(r·x), 2·mean(r))`` with residuals ``r = w·x + b − y``."""
    xv, yv = _vectors(x, y)
    if len(xv) == 0:
        return 0.0, 0.0
    r = w * xv + b - yv
    return float(2.0 * (r @ xv) / len(r)), float(2.0 * r.mean())


# --------------------------------------------------------------------------- logistic regression


def _design(X: object, y: object) -> tuple[Array, Array]:
    """Features ``(n, d)`` and 0/1 labels ``(n,)`` as float64, or ValueError."""
    try:
        Xa = np.asarray(X, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError("features and labels must be numbers") from None
    if Xa.ndim == 1:
        Xa = Xa.reshape(-1, 1)
    if Xa.ndim != 2 or len(Xa) != len(ya):
        raise ValueError(f"need features (n, d) and n labels, got shapes {Xa.shape} and {ya.shape}")
    if not np.isfinite(Xa).all() or not np.isin(ya, (0.0, 1.0)).all():
        raise ValueError("features must be finite and labels 0 or 1")
    return Xa, ya


def bce_with_grad(X: object, y: object, w: object, b: float) -> tuple[float, Array, float]:
    """Mean binary cross-entropy of ``p = σ(X·w + b)`` and its gradient ``(∂/∂w, ∂/∂b)``.

    Written with ``log(1 + eᶻ) − y·z`` so that it stays finite for any logit. Gradient:
    ``Xᵀ(p − y)/n`` and ``mean(p − y)``.
    """
    Xa, ya = _design(X, y)
    wv = np.asarray(w, dtype=np.float64).reshape(-1)
    if len(ya) == 0:
        return math.nan, np.zeros_like(wv), 0.0
    z = Xa @ wv + b
    loss = float(np.mean(np.logaddexp(0.0, z) - ya * z))
    err = sigmoid(z) - ya
    return loss, Xa.T @ err / len(ya), float(err.mean())


def logistic_mle(X: object, y: object, max_iter: int = 100, tol: float = 1e-12) -> tuple[Array, float] | None:
    """The unregularised maximum-likelihood logistic fit ``(w, b)`` by Newton's method, or None
    when no finite maximum exists (the classes are separable, or only one class is present)."""
    Xa, ya = _design(X, y)
    if len(ya) == 0 or ya.min() == ya.max() or separable(Xa, ya.astype(np.int64)):
        return None
    Z = np.column_stack((Xa, np.ones(len(ya))))
    theta = np.zeros(Z.shape[1])
    loss = bce_with_grad(Xa, ya, theta[:-1], theta[-1])[0]
    for _ in range(max_iter):
        p = sigmoid(Z @ theta)
        grad = Z.T @ (p - ya) / len(ya)
        hess = (Z * (p * (1.0 - p))[:, None]).T @ Z / len(ya)
        try:
            direction = np.linalg.solve(hess + 1e-12 * np.eye(len(theta)), grad)
        except np.linalg.LinAlgError:
            return None
        step = 1.0
        while step > 1e-10:  # backtrack until the loss does not rise
            trial = theta - step * direction
            trial_loss = bce_with_grad(Xa, ya, trial[:-1], trial[-1])[0]
            if trial_loss <= loss + 1e-15:
                break
            step /= 2
        theta, loss = trial, trial_loss
        if float(np.abs(grad).max()) < tol or step * float(np.abs(direction).max()) < tol:
            break
    return theta[:-1].copy(), float(theta[-1])


# --------------------------------------------------------------------------- toy data

HOURS_MAX = 10.0  # hours studied lie in [0, 10]
SCORE_MAX = 100.0  # exam scores lie in [0, 100]


def study_hours(n: int = 20, noise: float = 8.0, rng: RngLike = None) -> tuple[Array, Array]:
    """``n`` students: hours studied (uniform in 0.5 … 9.5) and exam score ``30 + 6·hours`` plus
    Gaussian noise of standard deviation ``noise`` points, clipped to 0 … 100."""
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "the noise", lo=0, hi=50)
    gen = as_rng(rng)
    hours = gen.uniform(0.5, 9.5, size=n)
    scores = np.clip(30.0 + 6.0 * hours + gen.normal(0.0, noise, size=n), 0.0, SCORE_MAX)
    return hours, scores


def pass_fail(n: int = 30, steepness: float = 1.2, rng: RngLike = None) -> tuple[Array, Array]:
    """``n`` students: hours studied (uniform in 0.5 … 9.5) and pass (1) / fail (0), drawn with
    ``P(pass) = σ(steepness·(hours − 5))``. Redrawn (from the same stream) until the two groups
    overlap, so that a finite best fit exists."""
    n = as_int(n, "the number of points", lo=4)
    steepness = as_float(steepness, "the steepness", lo=0, hi=20)
    gen = as_rng(rng)
    for _ in range(50):
        hours = gen.uniform(0.5, 9.5, size=n)
        passed = (gen.uniform(size=n) < sigmoid(steepness * (hours - 5.0))).astype(np.int64)
        if 0 < passed.sum() < n and not separable(hours.reshape(-1, 1), passed):
            break
    return hours, passed


def overlapping_blobs(n: int = 60, spread: float = 0.45, rng: RngLike = None) -> tuple[Array, Array]:
    """Two Gaussian clouds in ``[-1, 1]²`` (``datasets.gaussian_blobs``), redrawn until they overlap."""
    gen = as_rng(rng)
    for _ in range(50):
        X, y = gaussian_blobs(n, k=2, spread=spread, rng=gen)
        if not separable(X, y):
            break
    return X, y


# --------------------------------------------------------------------------- shared bits of the fits

DIVERGED = 1e12  # a parameter this large means the descent has blown up


class _History:
    """A loss curve as (step, loss) pairs that can be cut back (edits add a point at the same step)."""

    def __init__(self) -> None:
        self.steps: list[int] = []
        self.values: list[float] = []

    def add(self, step: int, value: float) -> None:
        self.steps.append(step)
        self.values.append(value)

    def truncate(self, n: int) -> None:
        del self.steps[n:]
        del self.values[n:]

    def __len__(self) -> int:
        return len(self.steps)


def _point(value: object, what: str, lo: float, hi: float) -> float:
    return as_float(value, what, lo=lo, hi=hi)


# --------------------------------------------------------------------------- LineFit


@dataclass(frozen=True)
class _LineState:
    t: int
    theta: Array
    hours: Array
    scores: Array
    history: int


class LineFit(Stepping):
    """Gradient descent fitting ``score = w·hours + b`` to students' hours and exam scores.

    The descent runs on rescaled units (hours/10 and score/100) so that one learning rate suits
    both the slope and the intercept; ``w`` and ``b`` are reported in points and hours. Rescaling
    maps lines to lines, so the minimum it reaches is the least-squares line of the data as given.
    """

    HISTORY = 500  # steps and edits that step_back() can undo
    MAX_POINTS = 100
    START_CHOICES = ("random", "flat")

    def __init__(self, seed: int = 0, n_points: int = 20, noise: float = 8.0, lr: float = 0.5, start: str = "random") -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._n = self._check_n(n_points)
        self._noise = as_float(noise, "the noise", lo=0, hi=50)
        self._start = self._check_start(start)
        self._opt = SGD(lr=lr)
        self.reset()

    @classmethod
    def _check_n(cls, n: object) -> int:
        n = as_int(n, "the number of students", lo=2)
        if n > cls.MAX_POINTS:
            raise ValueError(f"the number of students must be at most {cls.MAX_POINTS}, got {n}")
        return n

    @classmethod
    def _check_start(cls, start: object) -> str:
        if start not in cls.START_CHOICES:
            raise ValueError(f"the start must be one of {', '.join(cls.START_CHOICES)}, got {start!r}")
        return str(start)

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New students and a new starting line from ``seed`` (default: the current seed)."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, init_seq = np.random.SeedSequence(self._seed).spawn(2)
        hours, scores = study_hours(self._n, self._noise, np.random.default_rng(data_seq))
        self._set_data(hours, scores)
        gen = np.random.default_rng(init_seq)
        if self._start == "random":
            self._theta = np.array([gen.uniform(-0.6, 0.6), gen.uniform(0.15, 0.85)])
        else:
            self._theta = np.array([0.0, 0.5])
        self._t = 0
        self._diverged = False
        self._undo: deque[_LineState] = deque(maxlen=self.HISTORY)
        self._history = _History()
        self._history.add(0, self.mse)

    def _set_data(self, hours: Array, scores: Array) -> None:
        self._hours = np.array(hours, dtype=np.float64)
        self._scores = np.array(scores, dtype=np.float64)
        self._hours.flags.writeable = False
        self._scores.flags.writeable = False
        self._uv = (self._hours / HOURS_MAX, self._scores / SCORE_MAX)
        try:
            self._best: tuple[float, float] | None = least_squares_line(self._hours, self._scores)
        except ValueError:
            self._best = None

    def _u(self) -> tuple[Array, Array]:
        return self._uv

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def t(self) -> int:
        """Gradient steps taken."""
        return self._t

    @property
    def hours(self) -> Array:
        return self._hours

    @property
    def scores(self) -> Array:
        return self._scores

    @property
    def n_points(self) -> int:
        return self._n

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def start(self) -> str:
        return self._start

    @property
    def lr(self) -> float:
        return self._opt.lr

    @property
    def w(self) -> float:
        """Slope in points per hour."""
        return float(self._theta[0]) * SCORE_MAX / HOURS_MAX

    @property
    def b(self) -> float:
        """Intercept in points (the score predicted for zero hours)."""
        return float(self._theta[1]) * SCORE_MAX

    @property
    def predictions(self) -> Array:
        return self.w * self._hours + self.b

    @property
    def residuals(self) -> Array:
        """``score − prediction`` for every point (positive: above the line)."""
        return self._scores - self.predictions

    @property
    def mse(self) -> float:
        """Mean squared error in points² (NaN with no points)."""
        if len(self._hours) == 0:
            return math.nan
        with np.errstate(all="ignore"):
            r = self.w * self._hours + self.b - self._scores
            return float(r @ r) / len(r)

    @property
    def best(self) -> tuple[float, float] | None:
        """The least-squares ``(w, b)``, or None when fewer than two distinct hours."""
        return self._best

    @property
    def best_mse(self) -> float:
        if self._best is None:
            return math.nan
        return mse(self._hours, self._scores, *self._best)

    @property
    def loss_steps(self) -> Array:
        return np.array(self._history.steps, dtype=np.float64)

    @property
    def loss_history(self) -> Array:
        """The MSE after each step and each edit, in order (``loss_steps`` gives their steps)."""
        return np.array(self._history.values, dtype=np.float64)

    @property
    def diverged(self) -> bool:
        return self._diverged

    @property
    def converged(self) -> bool:
        """True when the line is the least-squares line to about six significant digits."""
        if self._best is None or self._diverged:
            return False
        w, b = self._best
        return abs(self.w - w) <= 1e-6 * max(1.0, abs(w)) and abs(self.b - b) <= 1e-6 * max(1.0, abs(b))

    def max_stable_lr(self) -> float:
        """Learning rates below this converge: ``2/λmax`` of the Hessian of the (rescaled) MSE."""
        u, _ = self._u()
        if len(u) == 0:
            return math.inf
        Z = np.column_stack((u, np.ones_like(u)))
        lam = float(np.linalg.eigvalsh(2.0 * Z.T @ Z / len(u))[-1])
        return 2.0 / lam

    # ----------------------------------------------------------------- stepping
    def _snapshot(self) -> None:
        self._undo.append(_LineState(self._t, self._theta.copy(), self._hours, self._scores, len(self._history)))

    def step(self) -> None:
        """One full-batch gradient step on the MSE (nothing once diverged or with no points)."""
        if self._diverged or len(self._hours) == 0:
            return
        self._snapshot()
        u, v = self._uv
        with np.errstate(all="ignore"):
            r = self._theta[0] * u + self._theta[1] - v
            self._opt.step(self._theta, np.array([2.0 * (r @ u), 2.0 * r.sum()]) / len(r))
        self._t += 1
        if not np.isfinite(self._theta).all() or np.abs(self._theta).max() > DIVERGED:
            self._diverged = True
        self._history.add(self._t, self.mse)

    def step_back(self) -> None:
        """Undo the last step or point edit."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        s = self._undo.pop()
        self._t = s.t
        self._theta = s.theta
        if s.hours is not self._hours:
            self._set_data(s.hours, s.scores)
        self._history.truncate(s.history)
        self._diverged = False

    # ----------------------------------------------------------------- points
    def add_point(self, hours: float, score: float) -> None:
        """Add a student at ``(hours, score)``; the next step fits them too (undo with step_back)."""
        h = _point(hours, "hours studied", 0.0, HOURS_MAX)
        s = _point(score, "the score", 0.0, SCORE_MAX)
        if len(self._hours) >= self.MAX_POINTS:
            raise ValueError(f"at most {self.MAX_POINTS} points; remove one first")
        self._snapshot()
        self._set_data(np.append(self._hours, h), np.append(self._scores, s))
        self._history.add(self._t, self.mse)

    def nearest_point(self, hours: float, score: float) -> int | None:
        """Index of the point nearest ``(hours, score)`` (distance in axis-scaled units), or None."""
        if len(self._hours) == 0:
            return None
        d = ((self._hours - hours) / HOURS_MAX) ** 2 + ((self._scores - score) / SCORE_MAX) ** 2
        return int(np.argmin(d))

    def remove_point(self, index: int) -> None:
        """Remove point ``index`` (undo with step_back)."""
        index = as_int(index, "the point's index", lo=0)
        if index >= len(self._hours):
            raise ValueError(f"there is no point {index}; there are {len(self._hours)}")
        self._snapshot()
        keep = np.arange(len(self._hours)) != index
        self._set_data(self._hours[keep], self._scores[keep])
        self._history.add(self._t, self.mse)

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        lr = as_float(lr, "the learning rate", lo=1e-4, hi=10)
        self._opt.lr = lr

    def set_n_points(self, n: int) -> None:
        """New students (``n`` of them); the line starts again."""
        self._n = self._check_n(n)
        self.reset()

    def set_noise(self, noise: float) -> None:
        """New students with this much scatter (points of score); the line starts again."""
        self._noise = as_float(noise, "the noise", lo=0, hi=50)
        self.reset()

    def set_start(self, start: str) -> None:
        self._start = self._check_start(start)
        self.reset()

    # ----------------------------------------------------------------- drawing
    def line_ends(self, x0: float = 0.0, x1: float = HOURS_MAX) -> tuple[float, float, float, float]:
        """The fitted line from ``x0`` to ``x1`` as ``(x0, y0, x1, y1)``."""
        return (x0, self.w * x0 + self.b, x1, self.w * x1 + self.b)


# --------------------------------------------------------------------------- LogisticFit


@dataclass(frozen=True)
class _LogisticState:
    t: int
    theta1: Array
    theta2: Array
    h1: Array
    y1: Array
    X2: Array
    y2: Array
    history: int


HOURS_MID = HOURS_MAX / 2  # the 1-D model sees u = (hours − 5)/5 ∈ [−1, 1]
PLANE = 1.2  # user points in the 2-D panel lie in [−1.2, 1.2]²


class LogisticFit(Stepping):
    """Two logistic regressions trained side by side with full-batch gradient descent on the mean
    binary cross-entropy:

    * **1-D**: pass (1) or fail (0) against hours studied, ``P(pass) = σ(w·hours + b)`` — the S-curve;
    * **2-D**: two overlapping clouds in the plane, ``P(1) = σ(w₁x₁ + w₂x₂ + b)`` — the boundary.

    The 1-D model is trained on ``u = (hours − 5)/5`` and reported in hours.
    """

    HISTORY = 500
    MAX_POINTS = 150

    def __init__(self, seed: int = 0, n_points: int = 30, spread: float = 0.45, lr: float = 2.0) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._n = self._check_n(n_points)
        self._spread = as_float(spread, "the spread", lo=0.05, hi=1.0)
        self._opt1 = SGD(lr=lr)
        self._opt2 = SGD(lr=lr)
        self.reset()

    @classmethod
    def _check_n(cls, n: object) -> int:
        n = as_int(n, "the number of points", lo=4)
        if n > 100:
            raise ValueError(f"the number of points must be at most 100, got {n}")
        return n

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New data for both panels and zero weights (σ = ½ everywhere) from ``seed``."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        one, two = np.random.SeedSequence(self._seed).spawn(2)
        h1, y1 = pass_fail(self._n, rng=np.random.default_rng(one))
        X2, y2 = overlapping_blobs(2 * self._n, self._spread, rng=np.random.default_rng(two))
        self._set_1d(h1, y1)
        self._set_2d(X2, y2)
        self._theta1 = np.zeros(2)
        self._theta2 = np.zeros(3)
        self._t = 0
        self._diverged = False
        self._undo: deque[_LogisticState] = deque(maxlen=self.HISTORY)
        self._hist1 = _History()
        self._hist2 = _History()
        self._record()

    def _set_1d(self, hours: Array, labels: Array) -> None:
        self._h1 = np.array(hours, dtype=np.float64)
        self._y1 = np.array(labels, dtype=np.int64)
        for a in (self._h1, self._y1):
            a.flags.writeable = False
        self._mle1: tuple[float, float] | None | bool = False  # False: not computed yet
        self._Z1 = np.column_stack(((self._h1 - HOURS_MID) / HOURS_MID, np.ones(len(self._h1))))
        self._t1 = self._y1.astype(np.float64)

    def _set_2d(self, X: Array, labels: Array) -> None:
        self._X2 = np.array(X, dtype=np.float64).reshape(-1, 2)
        self._y2 = np.array(labels, dtype=np.int64)
        for a in (self._X2, self._y2):
            a.flags.writeable = False
        self._mle2: tuple[Array, float] | None | bool = False
        self._Z2 = np.column_stack((self._X2, np.ones(len(self._y2))))
        self._t2 = self._y2.astype(np.float64)

    def _u(self) -> Array:
        return self._Z1[:, :1]

    def _record(self) -> None:
        self._loss1 = _fast_bce(self._Z1, self._t1, self._theta1)[0]
        self._loss2 = _fast_bce(self._Z2, self._t2, self._theta2)[0]
        self._hist1.add(self._t, self._loss1)
        self._hist2.add(self._t, self._loss2)

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def t(self) -> int:
        return self._t

    @property
    def n_points(self) -> int:
        return self._n

    @property
    def spread(self) -> float:
        return self._spread

    @property
    def lr(self) -> float:
        return self._opt1.lr

    @property
    def hours(self) -> Array:
        return self._h1

    @property
    def passed(self) -> Array:
        return self._y1

    @property
    def X(self) -> Array:
        return self._X2

    @property
    def y(self) -> Array:
        return self._y2

    @property
    def w_1d(self) -> float:
        """Weight per hour of the S-curve ``σ(w·hours + b)``."""
        return float(self._theta1[0]) / HOURS_MID

    @property
    def b_1d(self) -> float:
        return float(self._theta1[1] - self._theta1[0])

    @property
    def w_2d(self) -> Array:
        return self._theta2[:2].copy()

    @property
    def b_2d(self) -> float:
        return float(self._theta2[2])

    @property
    def midpoint(self) -> float | None:
        """The hours where the S-curve crosses ½ (None when it is flat)."""
        w = self.w_1d
        return None if w == 0 else -self.b_1d / w

    @property
    def loss_1d(self) -> float:
        """Mean binary cross-entropy of the S-curve on the students (NaN with none)."""
        return self._loss1

    @property
    def loss_2d(self) -> float:
        """Mean binary cross-entropy of the 2-D model on its points (NaN with none)."""
        return self._loss2

    @property
    def accuracy_1d(self) -> float:
        return _accuracy(self.curve(self._h1), self._y1)

    @property
    def accuracy_2d(self) -> float:
        return _accuracy(self.probabilities(self._X2), self._y2)

    @property
    def loss_steps_1d(self) -> Array:
        return np.array(self._hist1.steps, dtype=np.float64)

    @property
    def loss_history_1d(self) -> Array:
        return np.array(self._hist1.values, dtype=np.float64)

    @property
    def loss_steps_2d(self) -> Array:
        return np.array(self._hist2.steps, dtype=np.float64)

    @property
    def loss_history_2d(self) -> Array:
        return np.array(self._hist2.values, dtype=np.float64)

    @property
    def diverged(self) -> bool:
        return self._diverged

    @property
    def separable_1d(self) -> bool:
        """True when a threshold on hours sorts every student: the weights then grow for ever."""
        return self.mle_1d is None and len(np.unique(self._y1)) == 2

    @property
    def separable_2d(self) -> bool:
        return self.mle_2d is None and len(np.unique(self._y2)) == 2

    @property
    def mle_1d(self) -> tuple[float, float] | None:
        """The maximum-likelihood ``(w, b)`` of the S-curve in hours (None if none is finite)."""
        if self._mle1 is False:
            fit = logistic_mle(self._u(), self._y1)
            self._mle1 = None if fit is None else (float(fit[0][0]) / HOURS_MID, float(fit[1] - fit[0][0]))
        return self._mle1  # type: ignore[return-value]

    @property
    def mle_2d(self) -> tuple[Array, float] | None:
        """The maximum-likelihood ``(w, b)`` of the 2-D boundary (None if none is finite)."""
        if self._mle2 is False:
            self._mle2 = logistic_mle(self._X2, self._y2)
        return self._mle2  # type: ignore[return-value]

    def smoothness(self) -> tuple[float, float]:
        """``L`` of each mean BCE (1-D, 2-D): ``λmax(ZᵀZ)/(4n)`` with ``Z = [features, 1]``; every
        learning rate up to ``2/L`` makes the loss fall (or stay) at every step."""
        out = []
        for F in (self._u(), self._X2):
            if len(F) == 0:
                out.append(0.0)
                continue
            Z = np.column_stack((F, np.ones(len(F))))
            out.append(float(np.linalg.eigvalsh(Z.T @ Z)[-1]) / (4.0 * len(F)))
        return out[0], out[1]

    # ----------------------------------------------------------------- models
    def curve(self, hours: object) -> Array:
        """``P(pass)`` of the S-curve at the given hours."""
        h = np.asarray(hours, dtype=np.float64)
        with np.errstate(all="ignore"):
            return sigmoid(self.w_1d * h + self.b_1d)

    def probabilities(self, X: object) -> Array:
        """``P(class 1)`` of the 2-D model at points ``(n, 2)``."""
        Xa = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        with np.errstate(all="ignore"):
            return sigmoid(Xa @ self._theta2[:2] + self._theta2[2])

    def grid_probabilities(self, width: int, height: int, extent: Extent) -> Array:
        """``P(class 1)`` at the centres of a ``height × width`` grid over ``extent`` (row 0 on top)."""
        pts = grid_points(width, height, extent)
        return np.nan_to_num(self.probabilities(pts).reshape(int(height), int(width)), nan=0.5)

    def boundary(self, extent: Extent) -> tuple[float, float, float, float] | None:
        """The piece of the line ``P = ½`` inside ``extent``, or None."""
        w1, w2 = self._theta2[:2]
        return line_in_box(float(w1), float(w2), float(self._theta2[2]), extent)

    def mle_boundary(self, extent: Extent) -> tuple[float, float, float, float] | None:
        fit = self.mle_2d
        if fit is None:
            return None
        return line_in_box(float(fit[0][0]), float(fit[0][1]), fit[1], extent)

    # ----------------------------------------------------------------- stepping
    def _snapshot(self) -> None:
        self._undo.append(
            _LogisticState(self._t, self._theta1.copy(), self._theta2.copy(), self._h1, self._y1,
                           self._X2, self._y2, len(self._hist1))
        )

    def step(self) -> None:
        """One gradient step for each model (nothing once diverged)."""
        if self._diverged:
            return
        self._snapshot()
        with np.errstate(all="ignore"):
            if len(self._y1):
                self._opt1.step(self._theta1, _fast_bce(self._Z1, self._t1, self._theta1)[1])
            if len(self._y2):
                self._opt2.step(self._theta2, _fast_bce(self._Z2, self._t2, self._theta2)[1])
        self._t += 1
        both = np.concatenate((self._theta1, self._theta2))
        if not np.isfinite(both).all() or np.abs(both).max() > DIVERGED:
            self._diverged = True
        self._record()

    def step_back(self) -> None:
        """Undo the last step or point edit."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        s = self._undo.pop()
        self._t, self._theta1, self._theta2 = s.t, s.theta1, s.theta2
        if s.h1 is not self._h1 or s.y1 is not self._y1:
            self._set_1d(s.h1, s.y1)
        if s.X2 is not self._X2 or s.y2 is not self._y2:
            self._set_2d(s.X2, s.y2)
        self._hist1.truncate(s.history)
        self._hist2.truncate(s.history)
        self._loss1, self._loss2 = self._hist1.values[-1], self._hist2.values[-1]
        self._diverged = False

    # ----------------------------------------------------------------- points
    def _check_label(self, label: object) -> int:
        if isinstance(label, bool) or label not in (0, 1):
            raise ValueError(f"the label must be 0 or 1, got {label!r}")
        return int(label)  # type: ignore[arg-type]

    def _check_room(self, n: int) -> None:
        if n >= self.MAX_POINTS:
            raise ValueError(f"at most {self.MAX_POINTS} points in a panel; remove one first")

    def add_point_1d(self, hours: float, label: int) -> None:
        """Add a student who studied ``hours`` and passed (1) or failed (0)."""
        h = _point(hours, "hours studied", 0.0, HOURS_MAX)
        label = self._check_label(label)
        self._check_room(len(self._h1))
        self._snapshot()
        self._set_1d(np.append(self._h1, h), np.append(self._y1, label))
        self._record()

    def add_point_2d(self, x: float, y: float, label: int) -> None:
        """Add a point of class ``label`` at ``(x, y)`` in the plane."""
        px = _point(x, "the point's x", -PLANE, PLANE)
        py = _point(y, "the point's y", -PLANE, PLANE)
        label = self._check_label(label)
        self._check_room(len(self._y2))
        self._snapshot()
        self._set_2d(np.vstack((self._X2, [[px, py]])), np.append(self._y2, label))
        self._record()

    def nearest_1d(self, hours: float, level: float) -> int | None:
        """The student nearest ``(hours, level)`` on the S-curve panel (level 0 = fail row, 1 = pass)."""
        if len(self._h1) == 0:
            return None
        d = ((self._h1 - hours) / HOURS_MAX) ** 2 + (self._y1 - level) ** 2
        return int(np.argmin(d))

    def nearest_2d(self, x: float, y: float) -> int | None:
        if len(self._y2) == 0:
            return None
        return int(np.argmin(((self._X2 - (x, y)) ** 2).sum(axis=1)))

    def remove_point_1d(self, index: int) -> None:
        index = as_int(index, "the point's index", lo=0)
        if index >= len(self._h1):
            raise ValueError(f"there is no student {index}; there are {len(self._h1)}")
        self._snapshot()
        keep = np.arange(len(self._h1)) != index
        self._set_1d(self._h1[keep], self._y1[keep])
        self._record()

    def remove_point_2d(self, index: int) -> None:
        index = as_int(index, "the point's index", lo=0)
        if index >= len(self._y2):
            raise ValueError(f"there is no point {index}; there are {len(self._y2)}")
        self._snapshot()
        keep = np.arange(len(self._y2)) != index
        self._set_2d(self._X2[keep], self._y2[keep])
        self._record()

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        lr = as_float(lr, "the learning rate", lo=1e-3, hi=100)
        self._opt1.lr = lr
        self._opt2.lr = lr

    def set_n_points(self, n: int) -> None:
        """New data with ``n`` students (and ``2n`` points in the plane); weights start again."""
        self._n = self._check_n(n)
        self.reset()

    def set_spread(self, spread: float) -> None:
        """New clouds in the plane with this spread; weights start again."""
        self._spread = as_float(spread, "the spread", lo=0.05, hi=1.0)
        self.reset()


def _fast_bce(Z: Array, y: Array, theta: Array) -> tuple[float, Array]:
    """Mean BCE and its gradient for checked design rows ``Z = [features, 1]`` (no validation)."""
    if len(y) == 0:
        return math.nan, np.zeros_like(theta)
    with np.errstate(all="ignore"):
        z = Z @ theta
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
        return loss, Z.T @ (sigmoid(z) - y) / len(y)


def _accuracy(p: Array, y: Array) -> float:
    if len(y) == 0:
        return math.nan
    return float(np.mean((p > 0.5) == (y == 1)))

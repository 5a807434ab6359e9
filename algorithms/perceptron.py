"""The perceptron: one neuron, one straight line, and Rosenblatt's learning rule.

A small library plus the ``perceptron`` topic's simulation.

* The neuron says "class 1" where ``w₁x₁ + w₂x₂ + b > 0`` and "class 0" elsewhere; its boundary is
  the line ``w₁x₁ + w₂x₂ + b = 0``.
* The rule: for a point ``x`` with sign ``s = ±1`` (class 1 → +1, class 0 → −1) that the neuron gets
  wrong or puts exactly on the line (``s·(w·x + b) ≤ 0``), set ``w ← w + lr·s·x`` and
  ``b ← b + lr·s``. Correct points change nothing.
* Convergence (Novikoff, 1962): if some line separates the classes, the rule makes finitely many
  updates. Treat the bias as a weight on a constant input 1, so each point is ``x̃ = (x, 1)``; with
  ``R = max ‖x̃‖`` and ``γ`` the largest margin any ``(w, b)`` of unit length achieves on the ``x̃``,
  starting from zero the rule makes at most ``(R/γ)²`` updates, whatever the learning rate.

Data: ``fruit`` makes apples (class 0: heavier, less yellow) and lemons (class 1: lighter, more
yellow) in the box ``[-1, 1]²`` (x₁ = weight, x₂ = yellowness, both scaled), separated by a chosen
margin. ``best_line`` finds the best accuracy any single straight line can reach on any 2-D data.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, grid_points
from algorithms.rng import RngLike, as_rng

Array = np.ndarray

BOX = 0.95  # fruit lie in [-BOX, BOX]²
MIN_FRUIT, MAX_FRUIT = 4, 300
MIN_MARGIN, MAX_MARGIN = -0.3, 0.4
START_CHOICES = ("random", "zero")


# --------------------------------------------------------------------------- checks
def _check_data(X: Array, y: Array) -> tuple[Array, Array]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"points must be an (n, d) array with n ≥ 1, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"labels must have shape ({X.shape[0]},), got {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    if not np.isfinite(X).all():
        raise ValueError("points must be finite numbers")
    return X, y.astype(np.int64)


def signs(y: Array) -> Array:
    """Class ids 0/1 as the rule's signs −1/+1."""
    return 2.0 * np.asarray(y, dtype=np.float64) - 1.0


# --------------------------------------------------------------------------- the rule
def predict(X: Array, w: Array, b: float) -> Array:
    """Class ids: 1 where ``w·x + b > 0``, else 0."""
    return (np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b > 0).astype(np.int64)


def accuracy(X: Array, y: Array, w: Array, b: float) -> float:
    """Fraction of points the neuron ``(w, b)`` classifies correctly."""
    X, y = _check_data(X, y)
    return float(np.mean(predict(X, w, b) == y))


def update(w: Array, b: float, x: Array, label: int, lr: float) -> tuple[Array, float, bool]:
    """One application of the rule to the point ``x`` of class ``label``.

    Returns ``(w, b, changed)``: a new weight vector and bias when the neuron had the point wrong
    (or exactly on its line), otherwise the same ones and ``False``.
    """
    s = 1.0 if label == 1 else -1.0
    w = np.asarray(w, dtype=np.float64)
    if s * (float(np.dot(w, x)) + b) > 0:
        return w, b, False
    return w + lr * s * np.asarray(x, dtype=np.float64), b + lr * s, True


@dataclass(frozen=True)
class TrainResult:
    """What ``train`` returns: the final neuron, the number of updates and of full passes."""

    w: Array
    b: float
    updates: int
    epochs: int
    converged: bool  # the last pass made no update


def train(
    X: Array, y: Array, lr: float = 1.0, w: Array | None = None, b: float = 0.0, max_epochs: int = 1000
) -> TrainResult:
    """Run the rule over the points in their order, pass after pass, until a pass makes no update
    or ``max_epochs`` passes are done. Starts from ``w`` (default zero) and ``b``."""
    X, y = _check_data(X, y)
    lr = as_float(lr, "the learning rate", lo=0, lo_inclusive=False)
    max_epochs = as_int(max_epochs, "the number of passes", lo=0)
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=np.float64)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have {X.shape[1]} entries, got shape {w.shape}")
    b = float(b)
    updates = epochs = 0
    converged = False
    while epochs < max_epochs and not converged:
        epochs += 1
        converged = True
        for x, label in zip(X, y):
            w, b, changed = update(w, b, x, int(label), lr)
            if changed:
                updates += 1
                converged = False
    return TrainResult(w, b, updates, epochs, converged)


# --------------------------------------------------------------------------- margins and bounds
def margin(X: Array, y: Array, w: Array, b: float) -> float:
    """The geometric margin of the line ``w·x + b = 0``: the smallest signed distance
    ``s·(w·x + b)/‖w‖`` of any point to it (negative when some point is on the wrong side)."""
    X, y = _check_data(X, y)
    w = np.asarray(w, dtype=np.float64)
    norm = float(np.linalg.norm(w))
    if norm == 0:
        raise ValueError("w = 0: the neuron draws no line, so it has no margin")
    return float(np.min(signs(y) * (X @ w + b)) / norm)


def augmented(X: Array) -> Array:
    """Points with a constant 1 appended: the bias becomes one more weight."""
    X = np.asarray(X, dtype=np.float64)
    return np.column_stack((X, np.ones(len(X))))


def min_norm_point(P: Array, tol: float = 1e-12) -> Array:
    """The point of the convex hull of the rows of ``P`` closest to the origin (Wolfe's algorithm).

    Keeps a small set of rows whose affine hull holds the current point; each round adds the row
    most opposed to it and re-solves on that set, dropping rows whose weight would turn negative.
    Exact up to rounding, and fast: every round is one pass over ``P``.
    """
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or len(P) == 0:
        raise ValueError(f"need an (n, d) array of points with n ≥ 1, got shape {P.shape}")
    scale = float(np.max(np.einsum("ij,ij->i", P, P)))
    if scale == 0:
        return np.zeros(P.shape[1])
    first = int(np.argmin(np.einsum("ij,ij->i", P, P)))
    S, lam = [first], np.array([1.0])
    x = P[first].copy()
    for _ in range(100 * (P.shape[1] + 1) + len(P)):
        if float(x @ x) <= tol * scale:  # the origin is in the hull
            return np.zeros(P.shape[1])
        j = int(np.argmin(P @ x))
        if float(x @ x - x @ P[j]) <= tol * scale or j in S:
            break
        S.append(j)
        lam = np.append(lam, 0.0)
        while True:  # minor cycle: move to the affine minimiser of S, or as far as allowed
            Q = P[S]
            k = len(S)
            A = np.zeros((k + 1, k + 1))
            A[:k, :k] = Q @ Q.T
            A[:k, k] = A[k, :k] = 1.0
            rhs = np.zeros(k + 1)
            rhs[k] = 1.0
            mu = np.linalg.lstsq(A, rhs, rcond=None)[0][:k]
            if (mu > 1e-12).all():
                lam = mu
                break
            low = mu <= 1e-12
            theta = float(np.min(lam[low] / (lam[low] - mu[low])))
            lam = theta * mu + (1.0 - theta) * lam
            keep = lam > 1e-12
            keep[int(np.argmin(np.where(low, lam, np.inf)))] = False  # the row that hit zero leaves
            S = [s for s, kp in zip(S, keep) if kp]
            lam = lam[keep] / lam[keep].sum()
        x = lam @ P[S]
    return x


def bias_margin(X: Array, y: Array) -> float:
    """The largest margin ``γ = max min s·(w·x + b)`` over all ``(w, b)`` of unit length (the bias
    counted as a weight on the input 1); 0 when no line (plane) separates the classes strictly.

    ``γ`` is the distance from the origin to the convex hull of the points ``s·(x, 1)``: the
    nearest point of that hull, read as ``(w, b)``, is the best direction.
    """
    X, y = _check_data(X, y)
    Z = augmented(X) * signs(y)[:, None]
    p = min_norm_point(Z)
    norm = float(np.linalg.norm(p))
    if norm == 0:
        return 0.0
    return max(0.0, float(np.min(Z @ p)) / norm)


def mistake_bound(
    X: Array, y: Array, w: Array | None = None, b: float = 0.0, lr: float = 1.0, gamma: float | None = None
) -> float:
    """At most how many updates the rule can still make from ``(w, b)`` (inf if not separable).

    From zero this is Novikoff's ``(R/γ)²``. From a start ``θ₀ = (w, b)`` the same argument
    (``θ·u`` grows by at least ``lr·γ`` per update while ``‖θ‖²`` grows by at most ``lr²R²``) gives
    ``(R/γ)² + 2‖θ₀‖/(lr·γ)``. ``gamma`` may be passed when already known (from ``bias_margin``).
    """
    X, y = _check_data(X, y)
    lr = as_float(lr, "the learning rate", lo=0, lo_inclusive=False)
    gamma = bias_margin(X, y) if gamma is None else float(gamma)
    if gamma <= 0:
        return math.inf
    R = float(np.max(np.linalg.norm(augmented(X), axis=1)))
    theta = np.append(np.zeros(X.shape[1]) if w is None else np.asarray(w, dtype=np.float64), b)
    return (R / gamma) ** 2 + 2.0 * float(np.linalg.norm(theta)) / (lr * gamma)


# --------------------------------------------------------------------------- the best single line
def best_line(X: Array, y: Array) -> tuple[float, Array, float]:
    """The best accuracy any straight line reaches on 2-D points, and one such line ``(w, b)``.

    Exact for points in general position (no three on one line). Some best line can be slid and
    turned until it passes through two points without any point changing side, and those two can
    then be put on whichever side suits them (a tiny shift and turn does that). So it suffices to
    try the line through every pair: for each point in turn, sort the others by angle around it and
    count, for every direction, the classes on each side with prefix sums (O(n² log n) in all).
    A line with every point on one side (everything one class) counts too. The line returned passes
    through a pair; nudge it to place its two points.
    """
    X, y = _check_data(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"best_line works on 2-D points, got {X.shape[1]} columns")
    n = len(y)
    ones = int(y.sum())
    best = max(ones, n - ones)
    best_w, best_b = np.array([0.0, 0.0]), (1.0 if ones * 2 >= n else -1.0)
    if n < 2:
        return best / n, best_w, best_b
    everyone = np.arange(n)
    for i in range(n):
        others = everyone != i
        d = X[others] - X[i]
        label = y[others]
        angle = np.mod(np.arctan2(d[:, 1], d[:, 0]), 2 * np.pi)
        order = np.argsort(angle, kind="stable")
        a, lab = angle[order], label[order]
        m = len(a)
        a2 = np.concatenate((a, a + 2 * np.pi))
        c1 = np.concatenate(([0], np.cumsum(np.concatenate((lab, lab)))))
        lo = np.arange(1, m + 1)  # the points just after each direction j …
        hi = np.searchsorted(a2, a + np.pi, side="left")  # … up to half a turn: its left side
        left = hi - lo
        left1 = c1[hi] - c1[lo]
        right = m - 1 - left
        right1 = (ones - int(y[i])) - lab - left1
        plus = left1 + (right - right1)  # class 1 on the left of x_i → x_j
        minus = (left - left1) + right1
        total = np.maximum(plus, minus) + 2  # x_i and x_j sit on the line: either side
        total[np.hypot(d[order, 0], d[order, 1]) == 0] = -1  # a twin of x_i gives no line
        j = int(np.argmax(total))
        if total[j] > best:
            best = int(total[j])
            dx, dy = d[order[j]]
            normal = np.array([-dy, dx]) / math.hypot(dx, dy)  # points to the left side
            sign = 1.0 if plus[j] >= minus[j] else -1.0
            best_w, best_b = sign * normal, -sign * float(normal @ X[i])
    return min(best, n) / n, best_w, best_b


def separable(X: Array, y: Array) -> bool:
    """True when a line (a plane in higher dimensions) puts every point strictly on its own side."""
    return bias_margin(X, y) > 0


# --------------------------------------------------------------------------- geometry for drawing
def line_in_box(w1: float, w2: float, b: float, extent: Extent) -> tuple[float, float, float, float] | None:
    """The piece of the line ``w1·x + w2·y + b = 0`` inside ``extent`` as ``(x0, y0, x1, y1)``,
    or None when it misses the box or there is no line (``w1 = w2 = 0``)."""
    xmin, xmax, ymin, ymax = extent
    hits: list[tuple[float, float]] = []
    if w2 != 0:
        for x in (xmin, xmax):
            yy = -(w1 * x + b) / w2
            if ymin <= yy <= ymax:
                hits.append((x, yy))
    if w1 != 0:
        for yy in (ymin, ymax):
            x = -(w2 * yy + b) / w1
            if xmin <= x <= xmax:
                hits.append((x, yy))
    if len(hits) < 2:
        return None
    # the two hits farthest apart (a corner may be found twice)
    p, q = max(((p, q) for p in hits for q in hits), key=lambda pq: math.dist(*pq))
    if math.dist(p, q) == 0:
        return None
    return (p[0], p[1], q[0], q[1])


def line_equation(w1: float, w2: float, b: float, names: tuple[str, str] = ("x₁", "x₂"), digits: int = 2) -> str:
    """The line written out for people, e.g. ``0.84x₁ − 1.20x₂ + 0.15 = 0``."""

    def sign(v: float) -> str:
        return "−" if v < 0 else "+"

    first = f"{'−' if w1 < 0 else ''}{abs(w1):.{digits}f}{names[0]}"
    return f"{first} {sign(w2)} {abs(w2):.{digits}f}{names[1]} {sign(b)} {abs(b):.{digits}f} = 0"


def foot_of_normal(w1: float, w2: float, b: float) -> tuple[float, float] | None:
    """The point of the line closest to the origin (where to draw the weight vector from)."""
    n2 = w1 * w1 + w2 * w2
    if n2 == 0:
        return None
    return (-b * w1 / n2, -b * w2 / n2)


# --------------------------------------------------------------------------- data
def fruit(n: int = 30, margin: float = 0.1, rng: RngLike = None) -> tuple[Array, Array]:
    """Apples (class 0) and lemons (class 1): ``n`` points in ``[-0.95, 0.95]²`` whose x₁ is the
    (scaled) weight and x₂ the yellowness. Lemons are lighter and yellower.

    A hidden line (tilted at random around the anti-diagonal) splits the kinds; every fruit lies at
    least ``margin`` from it on its own side, so the data are separable when ``margin > 0``. A
    negative margin lets fruit stray up to ``|margin|`` past it (they usually overlap then).
    Classes are balanced; rows are shuffled.
    """
    n = as_int(n, "the number of fruit", lo=2)
    margin = as_float(margin, "the margin", lo=-1, hi=0.6)
    gen = as_rng(rng)
    angle = 0.75 * math.pi + gen.uniform(-0.35, 0.35)  # the normal points to the lemons (up-left)
    normal = np.array([math.cos(angle), math.sin(angle)])
    along = np.array([-normal[1], normal[0]])
    offset = gen.uniform(-0.12, 0.12)
    sizes = (n - n // 2, n // 2)  # apples, lemons
    X = np.empty((n, 2))
    y = np.repeat(np.array([0, 1], dtype=np.int64), sizes)
    at = 0
    for label, size in enumerate(sizes):
        sign = 1.0 if label == 1 else -1.0
        centre = (offset + sign * (0.42 + margin)) * normal + gen.uniform(-0.2, 0.2) * along
        got = 0
        while got < size:
            cand = centre + gen.normal(0.0, 0.26, size=(4 * size, 2))
            dist = sign * (cand @ normal - offset)
            keep = cand[(dist >= margin) & (np.abs(cand) <= BOX).all(axis=1)]
            take = keep[: size - got]
            X[at + got : at + got + len(take)] = take
            got += len(take)
        at += size
    order = gen.permutation(n)
    return X[order], y[order]


# --------------------------------------------------------------------------- the simulation
@dataclass(frozen=True)
class Update:
    """The last learning update, for the screen to explain: which point, and the old neuron."""

    index: int
    label: int
    old_w: tuple[float, float]
    old_b: float


class Perceptron:
    """Apples, lemons and one neuron learning a line between them, one update at a time.

    ``step()`` walks on through the fruit (in a fixed order, round and round, like a pass-by-pass
    trainer) to the next one the neuron gets wrong and applies the rule to it: one *update*. Once a
    whole round finds no mistake the neuron has ``converged`` and ``step()`` changes nothing.
    ``nudge()`` moves w₁, w₂ or b by hand. Both can be undone with ``step_back()``.
    """

    HISTORY = 200
    WEIGHTS = ("w1", "w2", "b")
    WEIGHT_LIMIT = 1000.0  # hand-set weights stay within ±this

    def __init__(
        self, seed: int = 0, n_points: int = 30, margin: float = 0.1, lr: float = 0.5, start: str = "random"
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._n_points = self._check_n(n_points)
        self._margin = self._check_margin(margin)
        self._lr = as_float(lr, "the learning rate", lo=1e-3, hi=100)
        self._start = self._check_start(start)
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_n(n: object) -> int:
        n = as_int(n, "the number of fruit", lo=MIN_FRUIT)
        if n > MAX_FRUIT:
            raise ValueError(f"the number of fruit must be at most {MAX_FRUIT}, got {n}")
        return n

    @staticmethod
    def _check_margin(m: object) -> float:
        return as_float(m, "the margin", lo=MIN_MARGIN, hi=MAX_MARGIN)

    @staticmethod
    def _check_start(start: object) -> str:
        if start not in START_CHOICES:
            raise ValueError(f"the start must be one of {', '.join(START_CHOICES)}, got {start!r}")
        return str(start)

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New fruit and a new starting neuron from ``seed`` (default: the current seed)."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, start_seq = np.random.SeedSequence(self._seed).spawn(2)
        self._data_seq, self._start_seq = data_seq, start_seq
        self._make_data()
        self._restart()

    def _make_data(self) -> None:
        X, y = fruit(self._n_points, self._margin, rng=np.random.default_rng(self._data_seq))
        X.flags.writeable = False
        y.flags.writeable = False
        self._X, self._y = X, y
        self._s = signs(y)
        self._separable = separable(X, y)
        self._gamma = bias_margin(X, y) if self._separable else 0.0
        self._best = best_line(X, y)[0]

    def _restart(self) -> None:
        """The starting neuron; counters, history and the bound start over."""
        if self._start == "zero":
            self._w, self._b = np.zeros(2), 0.0
        else:
            gen = np.random.default_rng(self._start_seq)
            angle = gen.uniform(0, 2 * math.pi)
            self._w = gen.uniform(0.6, 1.0) * np.array([math.cos(angle), math.sin(angle)])
            self._b = float(gen.uniform(-0.3, 0.3))
        self._pos = 0
        self._updates = 0
        self._visits = 0
        self._last: Update | None = None
        self._undo: deque[tuple] = deque(maxlen=self.HISTORY)
        self._after_change()
        self._mark_bound()

    def _after_change(self) -> None:
        """Recount after the neuron or the data changed."""
        margins = self._s * (self._X @ self._w + self._b)
        self._mistakes = int(np.count_nonzero(margins <= 0))
        self._accuracy = float(np.mean((self._X @ self._w + self._b > 0) == (self._y == 1)))

    def _mark_bound(self) -> None:
        """Start counting updates against the bound from the current neuron."""
        self._bound_from = self._updates
        if self._separable:
            self._bound = mistake_bound(self._X, self._y, self._w, self._b, self._lr, gamma=self._gamma)
        else:
            self._bound = math.inf

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def X(self) -> Array:
        """The fruit, ``(n, 2)``: x₁ = weight, x₂ = yellowness (read-only)."""
        return self._X

    @property
    def y(self) -> Array:
        """Their kinds: 0 apple, 1 lemon (read-only)."""
        return self._y

    @property
    def w(self) -> Array:
        """The weights ``(w₁, w₂)`` (a copy)."""
        return self._w.copy()

    @property
    def b(self) -> float:
        return self._b

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def n_points(self) -> int:
        return self._n_points

    @property
    def margin(self) -> float:
        """The margin asked of the data (negative: the kinds may overlap)."""
        return self._margin

    @property
    def start(self) -> str:
        return self._start

    @property
    def accuracy(self) -> float:
        """Fraction of fruit on their own side of the line."""
        return self._accuracy

    @property
    def mistakes(self) -> int:
        """Fruit the rule would still learn from (wrong side, or exactly on the line)."""
        return self._mistakes

    @property
    def converged(self) -> bool:
        """True when no fruit is left to learn from: every one is strictly on its own side."""
        return self._mistakes == 0

    @property
    def updates(self) -> int:
        """Learning updates made since the reset."""
        return self._updates

    @property
    def visits(self) -> int:
        """Fruit looked at by the rule since the reset (right ones included)."""
        return self._visits

    @property
    def epoch(self) -> int:
        """Whole rounds through the fruit completed."""
        return self._visits // len(self._y)

    @property
    def last(self) -> Update | None:
        """The update made by the latest step (None after a reset, a nudge or a step with nothing to learn)."""
        return self._last

    @property
    def separable(self) -> bool:
        """Whether any straight line separates the apples from the lemons."""
        return self._separable

    @property
    def best_accuracy(self) -> float:
        """The best accuracy any straight line reaches on these fruit."""
        return self._best

    @property
    def gamma(self) -> float:
        """The data's margin with the bias as a weight (0 when not separable)."""
        return self._gamma

    @property
    def bound(self) -> float:
        """The most updates the rule can make from the last reset or hand change (inf: no bound)."""
        return self._bound

    @property
    def updates_since_bound(self) -> int:
        """Updates made since the bound was last set (reset, hand change, new rate)."""
        return self._updates - self._bound_from

    @property
    def diverged(self) -> bool:
        """The rule only adds bounded steps: it cannot blow up."""
        return False

    # ----------------------------------------------------------------- learning
    def _snapshot(self) -> tuple:
        return (self._w.copy(), self._b, self._pos, self._updates, self._visits, self._last,
                self._bound_from, self._bound)

    def step(self) -> bool:
        """Find the next fruit on the wrong side (going on from the last one) and learn from it.

        Returns False, changing nothing, when every fruit is already on its own side.
        """
        n = len(self._y)
        order = (self._pos + np.arange(n)) % n
        wrong = np.flatnonzero(self._s[order] * (self._X[order] @ self._w + self._b) <= 0)
        if not len(wrong):
            self._last = None
            return False
        self._undo.append(self._snapshot())
        k = int(wrong[0])
        i = int(order[k])
        old_w, old_b = (float(self._w[0]), float(self._w[1])), self._b
        self._w, self._b, _ = update(self._w, self._b, self._X[i], int(self._y[i]), self._lr)
        self._visits += k + 1
        self._pos = (i + 1) % n
        self._updates += 1
        self._last = Update(i, int(self._y[i]), old_w, old_b)
        self._after_change()
        return True

    def steps(self, k: int) -> int:
        """Up to ``k`` updates; returns how many were made (fewer once converged)."""
        done = 0
        for _ in range(as_int(k, "the number of steps", lo=0)):
            if not self.step():
                break
            done += 1
        return done

    @property
    def can_step_back(self) -> bool:
        return bool(self._undo)

    def step_back(self) -> None:
        """Undo the last update or hand nudge."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        w, self._b, self._pos, self._updates, self._visits, self._last, self._bound_from, self._bound = self._undo.pop()
        self._w = w
        self._after_change()

    # ----------------------------------------------------------------- by hand
    def nudge(self, name: str, delta: float) -> None:
        """Add ``delta`` to ``"w1"``, ``"w2"`` or ``"b"`` (a hand change; the bound restarts from here)."""
        delta = as_float(delta, "the nudge")
        value = self.get_weight(name) + delta
        self.set_weight(name, value)

    def get_weight(self, name: str) -> float:
        if name not in self.WEIGHTS:
            raise ValueError(f"the neuron's numbers are {', '.join(self.WEIGHTS)}, not {name!r}")
        return self._b if name == "b" else float(self._w[self.WEIGHTS.index(name)])

    def set_weight(self, name: str, value: float) -> None:
        """Set ``"w1"``, ``"w2"`` or ``"b"`` by hand (within ±``WEIGHT_LIMIT``)."""
        self.get_weight(name)  # checks the name
        lim = self.WEIGHT_LIMIT
        value = as_float(value, f"{name}", lo=-lim, hi=lim)
        self._undo.append(self._snapshot())
        if name == "b":
            self._b = value
        else:
            self._w = self._w.copy()
            self._w[self.WEIGHTS.index(name)] = value
        self._last = None
        self._after_change()
        self._mark_bound()

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        """The rule's step size (the bound restarts from the current neuron)."""
        self._lr = as_float(lr, "the learning rate", lo=1e-3, hi=100)
        self._mark_bound()

    def set_n_points(self, n: int) -> None:
        """New fruit (same seed), the neuron starts over."""
        self._n_points = self._check_n(n)
        self._make_data()
        self._restart()

    def set_margin(self, margin: float) -> None:
        """New fruit with this margin (negative: they may overlap); the neuron starts over."""
        self._margin = self._check_margin(margin)
        self._make_data()
        self._restart()

    def set_start(self, start: str) -> None:
        """Start from a random line or from all zeros; the neuron starts over."""
        self._start = self._check_start(start)
        self._restart()

    # ----------------------------------------------------------------- drawing
    def decision_grid(self, width: int, height: int, extent: Extent) -> Array:
        """Shading for a ``height × width`` grid over ``extent`` (row 0 at the top), in [0, 1].

        Below 0.5 on the apple side, above on the lemon side; from 0.5 ± 0.2 at the line to
        0.5 ± 0.5 at distance 0.8 and beyond, so both halves are plainly coloured and the line shows
        as the seam between them.
        """
        pts = grid_points(width, height, extent)
        if len(pts) == 0:
            return np.zeros((int(height), int(width)))
        score = pts @ self._w + self._b
        norm = float(np.linalg.norm(self._w))
        dist = np.abs(score) / norm if norm > 0 else np.zeros_like(score)
        side = np.where(score > 0, 1.0, -1.0)
        shade = 0.5 + side * (0.2 + 0.3 * np.minimum(dist / 0.8, 1.0))
        return shade.reshape(int(height), int(width))

    def line(self, extent: Extent) -> tuple[float, float, float, float] | None:
        """The neuron's line clipped to ``extent`` (None if it misses it or ``w = 0``)."""
        return line_in_box(float(self._w[0]), float(self._w[1]), self._b, extent)

    def old_line(self, extent: Extent) -> tuple[float, float, float, float] | None:
        """The line before the last update, clipped to ``extent`` (None without a last update)."""
        if self._last is None:
            return None
        return line_in_box(*self._last.old_w, self._last.old_b, extent)

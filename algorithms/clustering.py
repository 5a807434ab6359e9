"""k-means clustering (Lloyd's algorithm) with its two halves as separate, visible steps.

The free functions are a small library: ``init_random`` (k distinct data points) and
``init_plus_plus`` (k-means++: each new centre drawn with probability ∝ squared distance to the
nearest centre so far), ``assign`` (nearest centre), ``move`` (mean of each cluster), ``inertia``
(the sum of squared distances to the assigned centres) and ``lloyd`` (iterate to the end).

``KMeans`` is the ``kmeans`` topic's simulation. Its steps alternate: **assign** (every point
joins its nearest centre) and **move** (every centre goes to the mean of its points). Neither half
can raise the inertia, so it never increases. It stops when an assignment changes no label, or a
move moves no centre. A centre left with no points stays where it is.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, gaussian_blobs, grid_points
from algorithms.rng import RngLike, as_rng

Array = np.ndarray

INITS = ("k-means++", "random")
MAX_K = 8


def _points(X: object) -> Array:
    try:
        P = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("the points must be numbers") from None
    if P.ndim != 2 or len(P) == 0:
        raise ValueError(f"need a non-empty (n, d) array of points, got shape {P.shape}")
    if not np.isfinite(P).all():
        raise ValueError("the points must be finite")
    return P


def _check_k(k: object, n: int) -> int:
    k = as_int(k, "the number of clusters K", lo=1)
    if k > n:
        raise ValueError(f"K = {k} needs at least {k} points, got {n}")
    return k


def squared_distances(X: object, centroids: object) -> Array:
    """``(n, k)`` squared Euclidean distances from every point to every centre."""
    P, C = np.asarray(X, dtype=np.float64), np.asarray(centroids, dtype=np.float64)
    d = P[:, None, :] - C[None, :, :]
    return np.einsum("ijk,ijk->ij", d, d)


def init_random(X: object, k: int, rng: RngLike = None) -> Array:
    """``k`` distinct data points chosen uniformly at random (Forgy's start)."""
    P = _points(X)
    k = _check_k(k, len(P))
    return P[as_rng(rng).choice(len(P), size=k, replace=False)].copy()


def init_plus_plus(X: object, k: int, rng: RngLike = None) -> Array:
    """k-means++ (Arthur & Vassilvitskii, 2007): the first centre uniformly, each next one a point
    drawn with probability proportional to its squared distance to the nearest centre chosen."""
    P = _points(X)
    k = _check_k(k, len(P))
    gen = as_rng(rng)
    centres = [P[gen.integers(len(P))]]
    d2 = ((P - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = d2.sum()
        if total <= 0:  # every point sits on a centre already: any point will do
            i = int(gen.integers(len(P)))
        else:
            i = int(gen.choice(len(P), p=d2 / total))
        centres.append(P[i])
        d2 = np.minimum(d2, ((P - P[i]) ** 2).sum(axis=1))
    return np.array(centres)


def initial_centroids(X: object, k: int, method: str = "k-means++", rng: RngLike = None) -> Array:
    if method == "k-means++":
        return init_plus_plus(X, k, rng)
    if method == "random":
        return init_random(X, k, rng)
    raise ValueError(f"the start must be one of {', '.join(INITS)}, got {method!r}")


def assign(X: object, centroids: object) -> Array:
    """The index of each point's nearest centre (ties: the lowest index)."""
    return np.argmin(squared_distances(X, centroids), axis=1)


def move(X: object, labels: object, centroids: object) -> Array:
    """Each centre moved to the mean of its points; a centre with no points stays put."""
    P = np.asarray(X, dtype=np.float64)
    lab = np.asarray(labels, dtype=np.int64)
    C = np.array(centroids, dtype=np.float64)
    k = len(C)
    counts = np.bincount(lab, minlength=k)
    sums = np.zeros_like(C)
    np.add.at(sums, lab, P)
    full = counts > 0
    C[full] = sums[full] / counts[full, None]
    return C


def inertia(X: object, centroids: object, labels: object) -> float:
    """Sum of squared distances from each point to its assigned centre."""
    P = np.asarray(X, dtype=np.float64)
    C = np.asarray(centroids, dtype=np.float64)
    d = P - C[np.asarray(labels, dtype=np.int64)]
    return float(np.einsum("ij,ij->", d, d))


def lloyd(X: object, centroids: object, max_iter: int = 300) -> tuple[Array, Array, int]:
    """Lloyd's iterations from the given centres: each round assigns, then moves; it ends after the
    first round whose assignment changed no label. Returns ``(centres, labels, rounds)``."""
    P = _points(X)
    C = np.array(centroids, dtype=np.float64)
    max_iter = as_int(max_iter, "the number of rounds", lo=1)
    labels: Array | None = None
    rounds = 0
    for rounds in range(1, max_iter + 1):
        new = assign(P, C)
        C = move(P, new, C)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
    return C, new, rounds


# --------------------------------------------------------------------------- the simulation

PHASES = ("assign", "move")
MAX_POINTS = 500


@dataclass(frozen=True)
class _State:
    centroids: Array
    previous: Array | None
    labels: Array | None
    changed: Array | None
    phase: str
    t: int
    converged: bool
    history: int


class KMeans:
    """Lloyd's k-means on 2-D points, one half-step per ``step()``: assign, move, assign, …

    ``labels`` is None until the first assignment. ``inertia_history`` has one value per
    assignment and per move (the inertia after it).
    """

    HISTORY = 400

    def __init__(
        self,
        seed: int = 0,
        k: int = 3,
        groups: int = 4,
        n_points: int = 200,
        spread: float = 0.18,
        init: str = "k-means++",
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._groups = self._check_groups(groups)
        self._n = self._check_n(n_points)
        self._spread = as_float(spread, "the spread", lo=0.01, hi=1.0)
        self._k = self._check_k(k)
        if init not in INITS:
            raise ValueError(f"the start must be one of {', '.join(INITS)}, got {init!r}")
        self._init = init
        self.reset()

    @staticmethod
    def _check_groups(groups: object) -> int:
        groups = as_int(groups, "the number of groups", lo=1)
        if groups > MAX_K:
            raise ValueError(f"the number of groups must be at most {MAX_K}, got {groups}")
        return groups

    @staticmethod
    def _check_n(n: object) -> int:
        n = as_int(n, "the number of points", lo=MAX_K)
        if n > MAX_POINTS:
            raise ValueError(f"the number of points must be at most {MAX_POINTS}, got {n}")
        return n

    @staticmethod
    def _check_k(k: object) -> int:
        k = as_int(k, "K", lo=1)
        if k > MAX_K:
            raise ValueError(f"K must be between 1 and {MAX_K}, got {k}")
        return k

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New points and new starting centres from ``seed`` (default: the current seed)."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq = np.random.SeedSequence(self._seed)
        X, _ = gaussian_blobs(self._n, k=self._groups, spread=self._spread, rng=np.random.default_rng(data_seq))
        self._X = X
        self._X.flags.writeable = False
        self._draw = 0
        self.restart()

    def new_start(self) -> None:
        """Start again from another draw of centres (the ``d``-th draw is the same for the same seed)."""
        self._draw += 1
        self.restart()

    @property
    def draw(self) -> int:
        """Which draw of starting centres is in use (0 after a reset; ``new_start`` adds one)."""
        return self._draw

    def restart(self, centroids: object | None = None) -> None:
        """Start again on the same points: centres by the chosen start (the same ones for the same
        seed, K, start and draw), or the ``centroids`` given."""
        if centroids is None:
            gen = np.random.default_rng([self._seed, 1 + self._draw])
            C = initial_centroids(self._X, self._k, self._init, gen)
        else:
            C = np.array(centroids, dtype=np.float64)
            if C.shape != (self._k, 2) or not np.isfinite(C).all():
                raise ValueError(f"need {self._k} finite 2-D centres, got shape {C.shape}")
        self._C = C
        self._initial = C.copy()
        self._previous: Array | None = None  # the centres before the last move
        self._labels: Array | None = None
        self._changed: Array | None = None  # points whose label the last assignment changed
        self._phase = "assign"
        self._t = 0
        self._converged = False
        self._undo: deque[_State] = deque(maxlen=self.HISTORY)
        self._hist_steps: list[int] = []
        self._hist: list[float] = []

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def X(self) -> Array:
        return self._X

    @property
    def k(self) -> int:
        return self._k

    @property
    def groups(self) -> int:
        return self._groups

    @property
    def n_points(self) -> int:
        return self._n

    @property
    def spread(self) -> float:
        return self._spread

    @property
    def init(self) -> str:
        return self._init

    @property
    def centroids(self) -> Array:
        return self._C

    @property
    def initial_centroids(self) -> Array:
        """The centres the run started from."""
        return self._initial

    @property
    def previous_centroids(self) -> Array | None:
        """The centres before the last step when it was a move (for drawing the moves), else None."""
        return self._previous

    @property
    def labels(self) -> Array | None:
        return self._labels

    @property
    def changed(self) -> Array | None:
        """Mask of the points the last assignment moved to another cluster (None after a move)."""
        return self._changed

    @property
    def phase(self) -> str:
        """What the next step does: "assign" or "move"."""
        return self._phase

    @property
    def last_phase(self) -> str | None:
        """What the last step did, or None before the first."""
        if self._t == 0:
            return None
        return "move" if self._phase == "assign" else "assign"

    @property
    def t(self) -> int:
        """Half-steps taken (assignments plus moves)."""
        return self._t

    @property
    def rounds(self) -> int:
        """Full assign-and-move rounds started."""
        return (self._t + 1) // 2

    @property
    def converged(self) -> bool:
        """True once an assignment changed no label or a move moved no centre."""
        return self._converged

    @property
    def inertia(self) -> float | None:
        """Sum of squared distances to the assigned centres (None before the first assignment)."""
        if self._labels is None:
            return None
        return inertia(self._X, self._C, self._labels)

    @property
    def inertia_steps(self) -> Array:
        return np.array(self._hist_steps, dtype=np.float64)

    @property
    def inertia_history(self) -> Array:
        return np.array(self._hist, dtype=np.float64)

    @property
    def sizes(self) -> Array:
        """Points per cluster (zeros before the first assignment)."""
        if self._labels is None:
            return np.zeros(self._k, dtype=np.int64)
        return np.bincount(self._labels, minlength=self._k)

    @property
    def n_changed(self) -> int:
        return 0 if self._changed is None else int(self._changed.sum())

    @property
    def shift(self) -> float:
        """The largest distance a centre travelled in the last move (0 otherwise)."""
        if self._previous is None:
            return 0.0
        return float(np.sqrt(((self._C - self._previous) ** 2).sum(axis=1)).max())

    # ----------------------------------------------------------------- stepping
    def step(self) -> bool:
        """One half-step (assign or move); False once converged."""
        if self._converged:
            return False
        self._undo.append(
            _State(self._C, self._previous, self._labels, self._changed, self._phase, self._t, self._converged, len(self._hist))
        )
        if self._phase == "assign":
            new = assign(self._X, self._C)
            old = self._labels
            self._changed = np.ones(len(new), dtype=bool) if old is None else new != old
            self._previous = None
            self._labels = new
            if old is not None and not self._changed.any():
                self._converged = True
            self._phase = "move"
        else:
            assert self._labels is not None
            new_c = move(self._X, self._labels, self._C)
            self._previous = self._C
            self._changed = None
            if np.array_equal(new_c, self._C):
                self._converged = True
            self._C = new_c
            self._phase = "assign"
        self._t += 1
        self._hist_steps.append(self._t)
        self._hist.append(inertia(self._X, self._C, self._labels))
        return True

    def steps(self, n: int) -> int:
        done = 0
        while done < n and self.step():
            done += 1
        return done

    def run(self, max_steps: int = 10_000) -> int:
        """Step until converged; returns the half-steps taken."""
        return self.steps(max_steps)

    @property
    def can_step_back(self) -> bool:
        return bool(self._undo)

    def step_back(self) -> None:
        if not self._undo:
            raise ValueError("nothing to step back to")
        s = self._undo.pop()
        self._C, self._previous, self._labels, self._changed = s.centroids, s.previous, s.labels, s.changed
        self._phase, self._t, self._converged = s.phase, s.t, s.converged
        del self._hist[s.history :]
        del self._hist_steps[s.history :]

    # ----------------------------------------------------------------- settings
    def set_k(self, k: int) -> None:
        """Look for ``k`` clusters (1–8); the run starts again from new centres."""
        self._k = self._check_k(k)
        self.restart()

    def set_init(self, init: str) -> None:
        if init not in INITS:
            raise ValueError(f"the start must be one of {', '.join(INITS)}, got {init!r}")
        self._init = init
        self.restart()

    def set_groups(self, groups: int) -> None:
        """New points in this many true groups; the run starts again."""
        self._groups = self._check_groups(groups)
        self.reset()

    def set_spread(self, spread: float) -> None:
        self._spread = as_float(spread, "the spread", lo=0.01, hi=1.0)
        self.reset()

    def set_n_points(self, n: int) -> None:
        self._n = self._check_n(n)
        self.reset()

    # ----------------------------------------------------------------- drawing
    def grid_regions(self, width: int, height: int, extent: Extent) -> Array:
        """The nearest centre at each centre of a ``height × width`` grid over ``extent``."""
        pts = grid_points(width, height, extent)
        return assign(pts, self._C).reshape(int(height), int(width))


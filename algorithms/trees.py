"""Classification trees (CART) grown one split at a time.

The free functions are a small library: ``gini`` and ``entropy`` of class counts, every candidate
threshold of a feature with its impurity decrease (``candidate_gains``) and the best split of a set
of points (``best_split``). ``TreeGrower`` is the ``decision-tree`` topic's simulation: each
``step()`` makes the next best split — of all leaves that can still be split, the one whose split
removes the most impurity from the whole tree (its decrease weighted by its share of the points).
Grown to the end, the tree is the one depth-first CART builds: each node's split depends only on
the points that reach it.

A split ``x_f ≤ t`` sends points with feature ``f`` at most ``t`` to the left ("yes") child.
Candidate thresholds are the midpoints between consecutive distinct values of a feature.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, checkerboard, grid_points, make_dataset
from algorithms.rng import RngLike, as_rng

Array = np.ndarray

CRITERIA = ("gini", "entropy")
TIE = 1e-12  # gains within this of the best count as ties; the first (lowest feature, then threshold) wins


def _check_criterion(criterion: object) -> str:
    if criterion not in CRITERIA:
        raise ValueError(f"the impurity must be one of {', '.join(CRITERIA)}, got {criterion!r}")
    return str(criterion)


def gini(counts: object) -> Array | float:
    """Gini impurity ``1 − Σ pₖ²`` of class counts (last axis); 0 for an empty set."""
    c = np.asarray(counts, dtype=np.float64)
    n = c.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = c / np.expand_dims(n, -1)
        out = np.where(n > 0, 1.0 - (p * p).sum(axis=-1), 0.0)
    return float(out) if out.ndim == 0 else out


def entropy(counts: object) -> Array | float:
    """Entropy ``−Σ pₖ log₂ pₖ`` (bits) of class counts (last axis); 0 for an empty set."""
    c = np.asarray(counts, dtype=np.float64)
    n = c.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = c / np.expand_dims(n, -1)
        terms = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
        out = np.where(n > 0, -terms.sum(axis=-1), 0.0)
    return float(out) if out.ndim == 0 else out


def impurity(counts: object, criterion: str = "gini") -> Array | float:
    """``gini`` or ``entropy`` of class counts."""
    return gini(counts) if _check_criterion(criterion) == "gini" else entropy(counts)


def _check_xy(X: object, y: object) -> tuple[Array, Array]:
    try:
        Xa = np.asarray(X, dtype=np.float64)
        ya = np.asarray(y)
    except (TypeError, ValueError):
        raise ValueError("points and labels must be numbers") from None
    if Xa.ndim != 2 or ya.ndim != 1 or len(Xa) != len(ya):
        raise ValueError(f"need points (n, d) and n labels, got shapes {Xa.shape} and {ya.shape}")
    if not np.isfinite(Xa).all():
        raise ValueError("points must be finite")
    if len(ya) and (not np.issubdtype(ya.dtype, np.integer) or ya.min() < 0):
        raise ValueError("labels must be whole numbers 0, 1, 2, …")
    return Xa, ya.astype(np.int64)


def candidate_gains(
    X: object, y: object, feature: int, criterion: str = "gini", n_classes: int | None = None
) -> tuple[Array, Array]:
    """Every candidate threshold of ``feature`` and the impurity decrease of splitting there.

    Returns ``(thresholds, gains)``, thresholds ascending (midpoints between consecutive distinct
    values); ``gain = I(parent) − (n_L·I(left) + n_R·I(right)) / n``. Empty when the feature is constant.
    """
    Xa, ya = _check_xy(X, y)
    criterion = _check_criterion(criterion)
    feature = as_int(feature, "the feature", lo=0)
    if feature >= Xa.shape[1]:
        raise ValueError(f"there is no feature {feature}; the points have {Xa.shape[1]}")
    k = int(ya.max()) + 1 if n_classes is None and len(ya) else int(n_classes or 1)
    return _gains(Xa[:, feature], ya, k, criterion)


def _gains(values: Array, y: Array, k: int, criterion: str) -> tuple[Array, Array]:
    n = len(y)
    if n < 2:
        return np.empty(0), np.empty(0)
    order = np.argsort(values, kind="stable")
    v, labels = values[order], y[order]
    ends = np.flatnonzero(v[1:] > v[:-1])  # split after position i: left = v[: i + 1]
    if len(ends) == 0:
        return np.empty(0), np.empty(0)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    left = np.cumsum(onehot, axis=0)[ends]
    total = left[-1] + onehot[ends[-1] + 1 :].sum(axis=0)
    right = total - left
    n_left = (ends + 1).astype(np.float64)
    fn = gini if criterion == "gini" else entropy
    child = (n_left * fn(left) + (n - n_left) * fn(right)) / n
    gains = fn(total) - child
    thresholds = (v[ends] + v[ends + 1]) / 2.0
    return thresholds, np.asarray(gains, dtype=np.float64)


@dataclass(frozen=True)
class Split:
    """A split ``x[feature] ≤ threshold`` of a set of points, and what it does to the impurity."""

    feature: int
    threshold: float
    gain: float  # impurity decrease: parent − weighted children
    parent_impurity: float
    left_impurity: float
    right_impurity: float
    n_left: int
    n_right: int
    candidates: int  # thresholds tried, over all features


def best_split(X: object, y: object, criterion: str = "gini", n_classes: int | None = None) -> Split | None:
    """The split with the largest impurity decrease over every feature and candidate threshold
    (ties: the lowest feature, then the lowest threshold); None when every feature is constant."""
    Xa, ya = _check_xy(X, y)
    criterion = _check_criterion(criterion)
    k = int(ya.max()) + 1 if n_classes is None and len(ya) else int(n_classes or 1)
    return _best(Xa, ya, k, criterion)


def _best(X: Array, y: Array, k: int, criterion: str) -> Split | None:
    found: list[tuple[int, Array, Array]] = []
    for f in range(X.shape[1]):
        t, g = _gains(X[:, f], y, k, criterion)
        if len(t):
            found.append((f, t, g))
    if not found:
        return None
    top = max(float(g.max()) for _, _, g in found)
    for f, t, g in found:
        hits = np.flatnonzero(g >= top - TIE)
        if len(hits):
            i = int(hits[0])
            break
    threshold = float(t[i])
    go_left = X[:, f] <= threshold
    counts = np.bincount(y, minlength=k)
    left = np.bincount(y[go_left], minlength=k)
    fn = gini if criterion == "gini" else entropy
    return Split(
        feature=f,
        threshold=threshold,
        gain=float(g[i]),
        parent_impurity=float(fn(counts)),
        left_impurity=float(fn(left)),
        right_impurity=float(fn(counts - left)),
        n_left=int(go_left.sum()),
        n_right=int(len(y) - go_left.sum()),
        candidates=sum(len(t) for _, t, _ in found),
    )


# --------------------------------------------------------------------------- the growing tree


@dataclass
class Node:
    """One node of the tree. ``box`` is its region ``(xmin, xmax, ymin, ymax)`` (±inf when open)."""

    id: int
    depth: int
    path: tuple[bool, ...]  # True = went left ("yes") at each ancestor
    indices: Array
    counts: Array
    impurity: float
    box: tuple[float, float, float, float]
    parent: int | None = None
    split: Split | None = None  # the best split of its points (computed when it becomes a leaf)
    children: tuple[int, int] | None = None  # (yes, no) once split
    candidates: tuple[tuple[Array, Array], ...] = field(default=(), repr=False)  # per feature

    @property
    def is_leaf(self) -> bool:
        return self.children is None

    @property
    def n(self) -> int:
        return len(self.indices)

    @property
    def majority(self) -> int:
        """The most common class (ties: the lowest)."""
        return int(np.argmax(self.counts))

    @property
    def purity(self) -> float:
        """Share of the majority class (1 for an empty node)."""
        return float(self.counts.max() / self.n) if self.n else 1.0

    @property
    def pure(self) -> bool:
        return int((self.counts > 0).sum()) <= 1


DATASETS = ("blobs", "xor", "circle", "checker")
MAX_POINTS = 400


def tree_data(name: str, n: int, noise: float, rng: RngLike = None) -> tuple[Array, Array]:
    """The topic's data sets: three Gaussian blobs, XOR quadrants, a disc in a ring, a 3×3 board."""
    if name not in DATASETS:
        raise ValueError(f"the data set must be one of {', '.join(DATASETS)}, got {name!r}")
    gen = as_rng(rng)
    if name == "blobs":
        return make_dataset("gaussian", n=n, k=3, spread=0.22, noise=noise, rng=gen)
    if name == "checker":
        return checkerboard(n=n, k=3, noise=noise, rng=gen)
    return make_dataset(name, n=n, noise=noise, rng=gen)


class TreeGrower:
    """A classification tree on 2-D points, grown one best split per ``step()``.

    ``step_back()`` undoes splits in reverse order; changing the depth limit keeps the splits that
    still fit under it; changing the impurity measure or the data starts again from the root.
    """

    def __init__(
        self,
        seed: int = 0,
        data: str = "blobs",
        n_points: int = 120,
        noise: float = 0.1,
        criterion: str = "gini",
        max_depth: int = 6,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        if data not in DATASETS:
            raise ValueError(f"the data set must be one of {', '.join(DATASETS)}, got {data!r}")
        self._data = data
        self._n = self._check_n(n_points)
        self._noise = as_float(noise, "the noise", lo=0, hi=0.5)
        self._criterion = _check_criterion(criterion)
        self._max_depth = self._check_depth(max_depth)
        self.reset()

    @staticmethod
    def _check_n(n: object) -> int:
        n = as_int(n, "the number of points", lo=4)
        if n > MAX_POINTS:
            raise ValueError(f"the number of points must be at most {MAX_POINTS}, got {n}")
        return n

    @staticmethod
    def _check_depth(depth: object) -> int:
        depth = as_int(depth, "the depth limit", lo=1)
        if depth > 20:
            raise ValueError(f"the depth limit must be at most 20, got {depth}")
        return depth

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New points from ``seed`` (default: the current one) and a tree that is only a root."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        X, y = tree_data(self._data, self._n, self._noise, np.random.default_rng(self._seed))
        self.set_data(X, y)

    def set_data(self, X: object, y: object) -> None:
        """Grow on these points and labels instead (the tree starts again from the root)."""
        Xa, ya = _check_xy(X, y)
        if Xa.shape[1] != 2 or len(ya) == 0:
            raise ValueError("the tree grows on a non-empty set of 2-D points")
        self._X = Xa.copy()
        self._y = ya.copy()
        self._X.flags.writeable = False
        self._y.flags.writeable = False
        self._k = int(ya.max()) + 1
        self._restart()

    def _restart(self) -> None:
        self._nodes: list[Node] = []
        self._order: list[int] = []  # ids of split nodes, in the order they were split
        self._version = getattr(self, "_version", 0) + 1
        self._grid_cache: tuple | None = None
        inf = math.inf
        self._add_node(np.arange(len(self._y)), 0, (), (-inf, inf, -inf, inf), None)

    def _add_node(self, indices: Array, depth: int, path: tuple[bool, ...], box: tuple, parent: int | None) -> Node:
        counts = np.bincount(self._y[indices], minlength=self._k)
        node = Node(len(self._nodes), depth, path, indices, counts, float(impurity(counts, self._criterion)), box, parent)
        sub_X, sub_y = self._X[indices], self._y[indices]
        node.split = _best(sub_X, sub_y, self._k, self._criterion)
        node.candidates = tuple(_gains(sub_X[:, f], sub_y, self._k, self._criterion) for f in range(2))
        self._nodes.append(node)
        return node

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def version(self) -> int:
        """Changes whenever the tree or the data change (for caching drawings)."""
        return self._version

    @property
    def X(self) -> Array:
        return self._X

    @property
    def y(self) -> Array:
        return self._y

    @property
    def n_classes(self) -> int:
        return self._k

    @property
    def data(self) -> str:
        return self._data

    @property
    def n_points(self) -> int:
        return self._n

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def criterion(self) -> str:
        return self._criterion

    @property
    def max_depth(self) -> int:
        return self._max_depth

    @property
    def nodes(self) -> list[Node]:
        """All nodes by id (the root is 0; children come after their parent)."""
        return self._nodes

    @property
    def root(self) -> Node:
        return self._nodes[0]

    @property
    def splits(self) -> int:
        """Splits made so far."""
        return len(self._order)

    @property
    def order(self) -> tuple[int, ...]:
        """Ids of the split nodes in the order they were split."""
        return tuple(self._order)

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self._nodes if n.is_leaf]

    @property
    def depth(self) -> int:
        return max(n.depth for n in self._nodes)

    @property
    def last(self) -> Node | None:
        """The node split last (its ``split`` says how), or None before the first split."""
        return self._nodes[self._order[-1]] if self._order else None

    def can_split(self, node: Node) -> bool:
        """A leaf is split while it is impure, above the depth limit and not all one point."""
        return node.is_leaf and not node.pure and node.depth < self._max_depth and node.split is not None

    @property
    def next_node(self) -> Node | None:
        """The leaf the next step splits: the largest impurity decrease weighted by its points."""
        best, best_score = None, -math.inf
        total = len(self._y)
        for node in self._nodes:
            if self.can_split(node):
                score = node.split.gain * node.n / total  # type: ignore[union-attr]
                if score > best_score + TIE:
                    best, best_score = node, score
        return best

    @property
    def done(self) -> bool:
        return self.next_node is None

    @property
    def stop_reason(self) -> str:
        """Why growth stops (or "" while it goes on): every leaf pure, or some held by the depth
        limit, or some holding identical points of different classes."""
        if not self.done:
            return ""
        impure = [n for n in self.leaves if not n.pure]
        if not impure:
            return "every leaf is pure"
        if any(n.depth >= self._max_depth for n in impure):
            return "the depth limit is reached"
        return "the rest are identical points of different classes"

    @property
    def accuracy(self) -> float:
        """Training accuracy of the tree (each leaf predicts its majority class)."""
        return float(np.mean(self.predict(self._X) == self._y))

    @property
    def total_impurity(self) -> float:
        """Impurity of the leaves weighted by their points (what the splits drive down)."""
        n = len(self._y)
        return float(sum(leaf.impurity * leaf.n for leaf in self.leaves) / n)

    # ----------------------------------------------------------------- growing
    def step(self) -> bool:
        """Make the next best split; False when there is nothing left to split."""
        node = self.next_node
        if node is None:
            return False
        self._split(node)
        return True

    def steps(self, k: int) -> int:
        done = 0
        while done < k and self.step():
            done += 1
        return done

    def grow(self) -> int:
        """Split until done; returns the number of splits made."""
        return self.steps(10**9)

    def _split(self, node: Node) -> None:
        split = node.split
        assert split is not None
        go_left = self._X[node.indices, split.feature] <= split.threshold
        xmin, xmax, ymin, ymax = node.box
        if split.feature == 0:
            boxes = ((xmin, split.threshold, ymin, ymax), (split.threshold, xmax, ymin, ymax))
        else:
            boxes = ((xmin, xmax, ymin, split.threshold), (xmin, xmax, split.threshold, ymax))
        yes = self._add_node(node.indices[go_left], node.depth + 1, node.path + (True,), boxes[0], node.id)
        no = self._add_node(node.indices[~go_left], node.depth + 1, node.path + (False,), boxes[1], node.id)
        node.children = (yes.id, no.id)
        self._order.append(node.id)
        self._version += 1

    @property
    def can_step_back(self) -> bool:
        return bool(self._order)

    def step_back(self) -> None:
        """Undo the last split."""
        if not self._order:
            raise ValueError("nothing to step back to: the tree is only a root")
        node = self._nodes[self._order.pop()]
        assert node.children is not None and node.children[1] == len(self._nodes) - 1
        del self._nodes[node.children[0] :]
        node.children = None
        self._version += 1

    # ----------------------------------------------------------------- settings
    def set_criterion(self, criterion: str) -> None:
        """Measure impurity with "gini" or "entropy"; the tree starts again from the root."""
        self._criterion = _check_criterion(criterion)
        self._restart()

    def set_max_depth(self, depth: int) -> None:
        """Change the depth limit, keeping (in order) the splits of nodes above it."""
        self._max_depth = self._check_depth(depth)
        paths = [self._nodes[i].path for i in self._order]
        self._restart()
        for path in paths:
            if len(path) < self._max_depth:
                node = next(n for n in self._nodes if n.path == path)
                self._split(node)

    def set_data_name(self, name: str) -> None:
        if name not in DATASETS:
            raise ValueError(f"the data set must be one of {', '.join(DATASETS)}, got {name!r}")
        self._data = name
        self.reset()

    def set_n_points(self, n: int) -> None:
        self._n = self._check_n(n)
        self.reset()

    def set_noise(self, noise: float) -> None:
        self._noise = as_float(noise, "the noise", lo=0, hi=0.5)
        self.reset()

    # ----------------------------------------------------------------- reading the tree
    def leaf_ids(self, points: object) -> Array:
        """The id of the leaf each point lands in."""
        P = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        at = np.zeros(len(P), dtype=np.int64)
        for node in self._nodes:  # parents come before children
            if node.children is None:
                continue
            here = at == node.id
            if not here.any():
                continue
            left = P[:, node.split.feature] <= node.split.threshold  # type: ignore[union-attr]
            at[here & left] = node.children[0]
            at[here & ~left] = node.children[1]
        return at

    def predict(self, points: object) -> Array:
        """The majority class of the leaf each point lands in."""
        majority = np.array([n.majority for n in self._nodes], dtype=np.int64)
        return majority[self.leaf_ids(points)]

    def grid_regions(self, width: int, height: int, extent: Extent) -> tuple[Array, Array]:
        """``(class, purity)`` of the leaf under each centre of a ``height × width`` grid over
        ``extent`` (row 0 on top); cached until the tree changes (treat as read-only)."""
        pts = grid_points(width, height, extent)
        key = (pts.ctypes.data, width, height, tuple(extent), self._version, len(self._nodes))
        if self._grid_cache is not None and self._grid_cache[0] == key:
            return self._grid_cache[1]
        ids = self.leaf_ids(pts)
        majority = np.array([n.majority for n in self._nodes], dtype=np.int64)
        purity = np.array([n.purity for n in self._nodes])
        shape = (int(height), int(width))
        out = (majority[ids].reshape(shape), purity[ids].reshape(shape))
        self._grid_cache = (key, out)
        return out

    def split_segments(self, extent: Extent) -> list[tuple[int, tuple[float, float, float, float]]]:
        """Each split drawn as a segment inside its node's box (clipped to ``extent``): ``(node id,
        (x0, y0, x1, y1))`` in the order of the splits."""
        xmin, xmax, ymin, ymax = extent
        out = []
        for node_id in self._order:
            node = self._nodes[node_id]
            bx0, bx1, by0, by1 = node.box
            t = node.split.threshold  # type: ignore[union-attr]
            if node.split.feature == 0:  # type: ignore[union-attr]
                seg = (t, max(by0, ymin), t, min(by1, ymax))
            else:
                seg = (max(bx0, xmin), t, min(bx1, xmax), t)
            out.append((node_id, seg))
        return out


def question(split: Split, names: tuple[str, str] = ("x₁", "x₂"), digits: int = 2) -> str:
    """The split as a question, e.g. ``x₁ ≤ 0.31?``."""
    return f"{names[split.feature]} ≤ {split.threshold:.{digits}f}?"

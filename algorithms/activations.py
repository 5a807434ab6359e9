"""The ``activations`` topic: a straight line bent by an activation, and a plane folded by ReLU hinges.

``ActivationLab`` holds two small experiments that share one screen:

* **The line.** ``z = w·x + b`` and the activation ``f(z)`` applied to it (the activations come from the
  shared table in :mod:`algorithms.nn`, so what is drawn is what every network here uses). With the
  activation switched off the line stays straight; switched on, ReLU creases it at ``x = −b/w``.
* **The hinges.** ``s(x) = c + Σᵢ σᵢ·relu(nᵢ·x + bᵢ)`` over the plane: hinge ``i`` is flat on one side of
  its crease line ``nᵢ·x + bᵢ = 0`` and rises on the other (its sign ``σᵢ`` is +1; flipping a hinge
  turns ``nᵢ, bᵢ`` around instead). The sum is a real 2 → k → 1 ReLU network (the shared
  :class:`~algorithms.nn.MLP`) whose output weights are the fixed signs σ; keys add, remove, move,
  rotate and flip hinges, and ``step()`` lets gradient descent arrange the hinges to match a target
  surface (a bowl by default).
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.datasets import Extent, grid_points
from algorithms.nn import MLP, get_activation
from algorithms.optim import make_optimizer
from algorithms.rng import as_rng

Array = np.ndarray

ACTIVATION_CYCLE: tuple[str, ...] = ("relu", "leaky_relu", "sigmoid", "tanh", "gelu")
EXTENT: Extent = (-1.0, 1.0, -1.0, 1.0)
MAX_HINGES = 12
SLOPE_LIMIT = 4.0  # |w| and |b| of the line stay within ±SLOPE_LIMIT
FIT_GRID = 21  # the target is compared on a FIT_GRID × FIT_GRID grid over EXTENT
PRESETS: tuple[str, ...] = ("fold", "valley", "bowl")


def _bowl(x: Array, y: Array) -> Array:
    return x * x + y * y


def _valley(x: Array, y: Array) -> Array:
    return 1.5 * (x - 0.3 * y) ** 2


def _cone(x: Array, y: Array) -> Array:
    return np.sqrt(x * x + y * y)


TARGETS = {"bowl": _bowl, "valley": _valley, "cone": _cone}


class ActivationLab:
    """Explicit state of both experiments; see the module docstring.

    ``step()`` is one gradient-descent (Adam) update of the hinges towards the target surface; the
    output weights (the signs) never change, only the hinges' directions and offsets and the constant.
    ``step_back()`` undoes the last step *or* the last edit (move, rotate, flip, add, remove, preset).
    """

    HISTORY = 200

    def __init__(
        self,
        seed: int = 0,
        w: float = 1.0,
        b: float = 0.5,
        activation: str = "relu",
        hinges: int = 6,
        target: str = "bowl",
        lr: float = 0.02,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._w = self._check_line(w, "the slope w")
        self._b = self._check_line(b, "the intercept b")
        self._activation = get_activation(activation).name
        self._applied = True
        self._n_start = self._check_count(hinges)
        self._target = self._check_target(target)
        self._lr = as_float(lr, "the learning rate", lo=1e-5, hi=1.0)
        self.reset()

    # ----------------------------------------------------------------- validation
    @staticmethod
    def _check_line(value: float, what: str) -> float:
        return as_float(value, what, lo=-SLOPE_LIMIT, hi=SLOPE_LIMIT)

    @staticmethod
    def _check_count(k: int) -> int:
        k = as_int(k, "the number of hinges", lo=1)
        if k > MAX_HINGES:
            raise ValueError(f"the number of hinges must be at most {MAX_HINGES}, got {k}")
        return k

    @staticmethod
    def _check_target(name: str) -> str:
        return as_choice(name, TARGETS, "target")

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """Random hinges (``hinges`` of them, all rising) from ``seed``; the line keeps its settings."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        self._rng = as_rng(self._seed)
        k = self._n_start
        normals = self._random_normals(k)
        offsets = self._rng.uniform(-0.6, 0.6, size=k)
        self._set_hinges(normals, offsets, np.ones(k), 0.0)
        self._selected = 0
        self._steps = 0
        self._undo: deque[tuple[Any, ...]] = deque(maxlen=self.HISTORY)
        self._diverged = False
        self._measure()

    def _random_normals(self, k: int) -> Array:
        angles = self._rng.uniform(0, 2 * math.pi, size=k)
        lengths = self._rng.uniform(0.8, 1.6, size=k)
        return np.column_stack((np.cos(angles), np.sin(angles))) * lengths[:, None]

    def _set_hinges(self, normals: Array, offsets: Array, signs: Array, constant: float) -> None:
        """Build the 2 → k → 1 ReLU network holding these hinges; a fresh optimiser goes with it."""
        model = _hinge_network(len(offsets))
        model.weights[0][...] = np.asarray(normals, dtype=float).T
        model.biases[0][...] = offsets
        model.weights[1][:, 0] = signs
        model.biases[1][0] = constant
        self._model = model
        self._opt = make_optimizer("adam", lr=self._lr)

    def _remember(self) -> None:
        self._undo.append((self._model.params.copy(), self._model.sizes[1], self._selected, self._opt.state(), self._steps))

    def _measure(self) -> None:
        pts = grid_points(FIT_GRID, FIT_GRID, EXTENT)
        with np.errstate(all="ignore"):
            self._fit_error = self._model.loss(pts, self._target_values())
        if not (math.isfinite(self._fit_error) and np.isfinite(self._model.params).all()):
            self._diverged = True

    def _target_values(self) -> Array:
        pts = grid_points(FIT_GRID, FIT_GRID, EXTENT)
        return TARGETS[self._target](pts[:, 0], pts[:, 1])

    # ----------------------------------------------------------------- the line
    @property
    def w(self) -> float:
        return self._w

    @property
    def b(self) -> float:
        return self._b

    @property
    def activation(self) -> str:
        return self._activation

    @property
    def applied(self) -> bool:
        """True when the activation bends the line; False shows the plain line z = w·x + b."""
        return self._applied

    def set_w(self, w: float) -> None:
        self._w = self._check_line(w, "the slope w")

    def set_b(self, b: float) -> None:
        self._b = self._check_line(b, "the intercept b")

    def set_activation(self, name: str) -> None:
        self._activation = get_activation(name).name

    def next_activation(self) -> str:
        """Switch to the next activation of ``ACTIVATION_CYCLE`` and return its name."""
        try:
            i = ACTIVATION_CYCLE.index(self._activation)
        except ValueError:
            i = -1
        self._activation = ACTIVATION_CYCLE[(i + 1) % len(ACTIVATION_CYCLE)]
        return self._activation

    def set_applied(self, on: bool) -> None:
        self._applied = bool(on)

    def toggle_applied(self) -> bool:
        self._applied = not self._applied
        return self._applied

    def curve(self, xs: Array) -> tuple[Array, Array, Array]:
        """``(z, a, slope)`` along ``xs``: the line, what is drawn (``f(z)``, or ``z`` when the activation
        is off) and ``f′(z)``, the activation's own derivative (1 when off)."""
        xs = np.asarray(xs, dtype=float)
        z = self._w * xs + self._b
        if not self._applied:
            return z, z.copy(), np.ones_like(z)
        act = get_activation(self._activation)
        a = act(z)
        return z, a, act.grad(z, a)

    @property
    def crease_x(self) -> float | None:
        """Where the line crosses z = 0 (the ReLU crease, the sigmoid's midpoint); None when w = 0."""
        return None if self._w == 0 else -self._b / self._w

    # ----------------------------------------------------------------- the hinges
    @property
    def n_hinges(self) -> int:
        return self._model.sizes[1]

    @property
    def normals(self) -> Array:
        """Each hinge's direction of rise, shape ``(k, 2)`` (a copy)."""
        return self._model.weights[0].T.copy()

    @property
    def offsets(self) -> Array:
        return self._model.biases[0].copy()

    @property
    def signs(self) -> Array:
        """+1 for a hinge that rises beyond its crease, −1 for one that sinks."""
        return self._model.weights[1][:, 0].copy()

    @property
    def constant(self) -> float:
        return float(self._model.biases[1][0])

    @property
    def model(self) -> MLP:
        """The 2 → k → 1 ReLU network that is the hinge sum (read it; edit through the methods)."""
        return self._model

    @property
    def selected(self) -> int:
        return self._selected

    def select(self, index: int) -> None:
        index = as_int(index, "the hinge number", lo=0)
        if index >= self.n_hinges:
            raise ValueError(f"there are only {self.n_hinges} hinges")
        self._selected = index

    def select_next(self, delta: int = 1) -> int:
        self._selected = (self._selected + delta) % self.n_hinges
        return self._selected

    def surface(self, X: Array) -> Array:
        """The hinge sum at points ``X`` (n, 2), shape ``(n,)``."""
        return self._model.forward(X)[:, 0]

    def grid_values(self, width: int, height: int, extent: Extent = EXTENT) -> Array:
        """The hinge sum at the centres of a ``height × width`` grid (row 0 at the top)."""
        pts = grid_points(width, height, extent)
        if not len(pts):
            return np.zeros((int(height), int(width)))
        with np.errstate(all="ignore"):
            return self.surface(pts).reshape(int(height), int(width))

    def crease_segment(self, i: int, extent: Extent = EXTENT) -> tuple[float, float, float, float] | None:
        """The part of hinge ``i``'s crease line inside ``extent`` as ``(x0, y0, x1, y1)``, or None."""
        n = self._model.weights[0][:, i]
        b = float(self._model.biases[0][i])
        return _clip_line(float(n[0]), float(n[1]), b, extent)

    def uphill_arrow(self, i: int, extent: Extent = EXTENT, length: float = 0.25) -> tuple[float, float, float, float] | None:
        """An arrow ``(x0, y0, x1, y1)`` from the middle of hinge ``i``'s visible crease, pointing the
        way its side rises, ``length`` of the extent's width long; None when the crease is out of view."""
        segment = self.crease_segment(i, extent)
        if segment is None:
            return None
        n = self._model.weights[0][:, i] * self._model.weights[1][i, 0]  # a sinking hinge points back
        norm = float(np.hypot(n[0], n[1])) or 1.0
        span = length * (extent[1] - extent[0])
        x0, y0, x1, y1 = segment
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        return mx, my, mx + span * float(n[0]) / norm, my + span * float(n[1]) / norm

    def crease_point(self, i: int) -> tuple[float, float]:
        """The point of hinge ``i``'s crease closest to the origin (its handle)."""
        n = self._model.weights[0][:, i]
        nn = float(n @ n)
        if nn == 0:
            return 0.0, 0.0
        p = -float(self._model.biases[0][i]) * n / nn
        return float(p[0]), float(p[1])

    # edits (each can be undone with step_back)
    def move_selected(self, dx: float, dy: float) -> None:
        """Slide the selected crease by ``(dx, dy)`` in the plane."""
        dx, dy = as_float(dx, "the move in x"), as_float(dy, "the move in y")
        self._remember()
        i = self._selected
        n = self._model.weights[0][:, i]
        self._model.biases[0][i] -= n[0] * dx + n[1] * dy
        self._after_edit()

    def place_selected(self, x: float, y: float) -> None:
        """Slide the selected crease (keeping its direction) so that it passes through ``(x, y)``."""
        x, y = as_float(x, "x"), as_float(y, "y")
        self._remember()
        i = self._selected
        n = self._model.weights[0][:, i]
        self._model.biases[0][i] = -(n[0] * x + n[1] * y)
        self._after_edit()

    def rotate_selected(self, degrees: float) -> None:
        """Turn the selected crease by ``degrees`` (anticlockwise) about its handle."""
        theta = math.radians(as_float(degrees, "the angle"))
        self._remember()
        i = self._selected
        px, py = self.crease_point(i)
        n = self._model.weights[0][:, i].copy()
        c, s = math.cos(theta), math.sin(theta)
        rotated = np.array([c * n[0] - s * n[1], s * n[0] + c * n[1]])
        self._model.weights[0][:, i] = rotated
        self._model.biases[0][i] = -(rotated[0] * px + rotated[1] * py)
        self._after_edit()

    def flip_selected(self) -> None:
        """Fold the selected hinge the other way: the other side of its crease now rises."""
        self._remember()
        i = self._selected
        self._model.weights[0][:, i] *= -1
        self._model.biases[0][i] *= -1
        self._after_edit()

    def add_hinge(self) -> None:
        """Add a random rising hinge (and select it)."""
        if self.n_hinges >= MAX_HINGES:
            raise ValueError(f"at most {MAX_HINGES} hinges")
        self._remember()
        normals = np.vstack((self.normals, self._random_normals(1)))
        offsets = np.append(self.offsets, self._rng.uniform(-0.6, 0.6))
        self._set_hinges(normals, offsets, np.append(self.signs, 1.0), self.constant)
        self._selected = self.n_hinges - 1
        self._after_edit()

    def remove_hinge(self) -> None:
        """Remove the selected hinge (one always stays)."""
        if self.n_hinges <= 1:
            raise ValueError("one hinge must stay")
        self._remember()
        keep = np.arange(self.n_hinges) != self._selected
        self._set_hinges(self.normals[keep], self.offsets[keep], self.signs[keep], self.constant)
        self._selected = min(self._selected, self.n_hinges - 1)
        self._after_edit()

    def preset(self, name: str) -> None:
        """Place the hinges by hand: ``fold`` (one crease), ``valley`` (two), ``bowl`` (six in a ring)."""
        if name == "fold":
            normals, offsets = np.array([[1.2, 0.6]]), np.array([0.0])
        elif name == "valley":
            normals, offsets = np.array([[1.5, 0.0], [-1.5, 0.0]]), np.array([0.0, 0.0])
        elif name == "bowl":
            angles = np.arange(6) * (2 * math.pi / 6)
            normals = 1.2 * np.column_stack((np.cos(angles), np.sin(angles)))
            offsets = np.full(6, -0.35)
        else:
            raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
        self._remember()
        self._set_hinges(normals, offsets, np.ones(len(offsets)), 0.0)
        self._selected = 0
        self._after_edit()

    def _after_edit(self) -> None:
        self._opt.reset()
        self._diverged = False
        self._measure()

    # ----------------------------------------------------------------- learning the target
    @property
    def target(self) -> str:
        return self._target

    def set_target(self, name: str) -> None:
        self._target = self._check_target(name)
        self._opt.reset()
        self._measure()

    def target_grid(self, width: int, height: int, extent: Extent = EXTENT) -> Array:
        """The target surface on a ``height × width`` grid (row 0 at the top)."""
        pts = grid_points(width, height, extent)
        return TARGETS[self._target](pts[:, 0], pts[:, 1]).reshape(int(height), int(width))

    @property
    def lr(self) -> float:
        return self._lr

    def set_lr(self, lr: float) -> None:
        self._lr = as_float(lr, "the learning rate", lo=1e-5, hi=1.0)
        self._opt.lr = self._lr

    @property
    def fit_error(self) -> float:
        """Mean squared difference between the hinge sum and the target on the fitting grid."""
        return self._fit_error

    @property
    def steps(self) -> int:
        """Learning steps taken since the last reset."""
        return self._steps

    @property
    def diverged(self) -> bool:
        return self._diverged

    def fit_gradient(self) -> Array:
        """The gradient used by ``step()``: ∂(fit error)/∂params with the signs' entries zeroed."""
        pts = grid_points(FIT_GRID, FIT_GRID, EXTENT)
        _, grad = self._model.loss_and_grad(pts, self._target_values())
        grad = grad.copy()
        k = self.n_hinges
        start = 3 * k  # layout: W0 (2·k), b0 (k), W1 (k), b1 (1)
        grad[start : start + k] = 0.0
        return grad

    def step(self) -> None:
        """One Adam step of the hinges towards the target (nothing once diverged)."""
        if self._diverged:
            return
        self._remember()
        with np.errstate(all="ignore"):
            self._opt.step(self._model.params, self.fit_gradient())
        self._steps += 1
        self._measure()

    @property
    def can_step_back(self) -> bool:
        return bool(self._undo)

    def step_back(self) -> None:
        """Undo the last step or edit."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        params, k, selected, opt_state, steps = self._undo.pop()
        if k != self.n_hinges:
            self._model = _hinge_network(k)
        self._model.set_params(params)
        self._opt = make_optimizer("adam", lr=self._lr)
        self._opt.load_state(opt_state)
        self._selected = selected
        self._steps = steps
        self._diverged = False
        self._measure()


def _hinge_network(k: int) -> MLP:
    """An empty 2 → k → 1 ReLU network (its weights are set by the caller, so the initialiser
    gets a throwaway generator and the lab's own stream stays untouched)."""
    return MLP((2, k, 1), activation="relu", output="linear", loss="mse", rng=0)


def _clip_line(nx: float, ny: float, b: float, extent: Extent) -> tuple[float, float, float, float] | None:
    """The segment of the line ``nx·x + ny·y + b = 0`` inside the box ``extent``, or None."""
    xmin, xmax, ymin, ymax = extent
    points: list[tuple[float, float]] = []
    if ny != 0:
        for x in (xmin, xmax):
            y = -(b + nx * x) / ny
            if ymin - 1e-12 <= y <= ymax + 1e-12:
                points.append((x, y))
    if nx != 0:
        for y in (ymin, ymax):
            x = -(b + ny * y) / nx
            if xmin - 1e-12 <= x <= xmax + 1e-12:
                points.append((x, y))
    if len(points) < 2:
        return None
    # the two points farthest apart (corners can appear twice)
    best = max(((p, q) for p in points for q in points), key=lambda pq: (pq[0][0] - pq[1][0]) ** 2 + (pq[0][1] - pq[1][1]) ** 2)
    (x0, y0), (x1, y1) = best
    return x0, y0, x1, y1

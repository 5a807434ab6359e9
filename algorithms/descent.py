"""Gradient descent on small loss landscapes you can draw: curves L(w) and surfaces L(x, y).

* ``Landscape`` — a loss with its gradient, vectorised over points ``(..., dim)``: ``BOWL_1D``
  (L(w) = (w − c)²), a curve with two valleys, a round bowl, an oval bowl and a four-valley surface.
* ``contraction_factor(lr, curvature)`` — on a quadratic with second derivative ``k`` the distance to
  the minimum is multiplied by |1 − lr·k| each step (|1 − 2·lr| for (w − c)²).
* ``GradientDescent`` — the ``gradient-descent`` topic's state: a ball at ``w`` taking steps
  ``w ← w − lr·∇L(w)`` (``algorithms.optim.SGD``), its path and losses, the tangent at the ball,
  step back, and divergence as a state (the ball left every sane range; ``step()`` then does nothing).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_float
from algorithms.optim import SGD
from algorithms.stepping import Stepping

Array = np.ndarray

LR_MIN, LR_MAX = 1e-4, 5.0
# Beyond these the ball has left for good: the run counts as diverged and stops (values stay finite).
DIVERGED_DISTANCE = 1e6
DIVERGED_LOSS = 1e12


@dataclass(frozen=True)
class Landscape:
    """A loss over ``dim`` parameters. ``value``/``grad`` take points of shape ``(..., dim)``.

    ``domain`` is the box drawn (xmin, xmax[, ymin, ymax]); ``minima`` the local minima (for tests and
    labels); ``curvature`` the largest second derivative at the minima when it is the same at all of
    them (None: measured at each minimum with :func:`hessian_max`).
    """

    name: str
    label: str
    dim: int
    value: Callable[[Array], Array]
    grad: Callable[[Array], Array]
    domain: tuple[float, ...]
    start: tuple[float, ...]
    minima: tuple[tuple[float, ...], ...]
    curvature: float | None = None

    def loss(self, p: Array | tuple[float, ...]) -> float:
        """L at one point."""
        return float(self.value(np.asarray(p, dtype=float)))

    def gradient(self, p: Array | tuple[float, ...]) -> Array:
        """∇L at one point, shape ``(dim,)``."""
        return np.asarray(self.grad(np.asarray(p, dtype=float)), dtype=float).reshape(self.dim)

    def nearest_minimum(self, p: Array | tuple[float, ...]) -> Array:
        """The listed minimum closest to ``p``."""
        m = np.asarray(self.minima, dtype=float)
        return m[int(np.argmin(np.sum((m - np.asarray(p, dtype=float)) ** 2, axis=1)))]

    def curvature_at(self, minimum: Array | tuple[float, ...]) -> float:
        """The largest second derivative (Hessian eigenvalue) at ``minimum``."""
        if self.curvature is not None:
            return self.curvature
        return hessian_max(self, np.asarray(minimum, dtype=float))


# --------------------------------------------------------------------------- 1-D curves
BOWL_CENTRE = 1.0


def _bowl1(p: Array) -> Array:
    return (p[..., 0] - BOWL_CENTRE) ** 2


def _bowl1_grad(p: Array) -> Array:
    return 2.0 * (p - BOWL_CENTRE)


def _wells1(p: Array) -> Array:
    w = p[..., 0]
    return 0.25 * w**4 - w**2 + 0.3 * w + 1.5


def _wells1_grad(p: Array) -> Array:
    w = p[..., 0:1]
    return w**3 - 2.0 * w + 0.3


# --------------------------------------------------------------------------- 2-D surfaces
OVAL = 4.0  # the oval bowl is this many times steeper along y than along x


def _bowl2(p: Array) -> Array:
    return (p[..., 0] - 1.0) ** 2 + (p[..., 1] - 0.5) ** 2


def _bowl2_grad(p: Array) -> Array:
    return 2.0 * (p - np.array([1.0, 0.5]))


def _oval(p: Array) -> Array:
    return (p[..., 0] - 1.0) ** 2 + OVAL * (p[..., 1] - 0.5) ** 2


def _oval_grad(p: Array) -> Array:
    return np.stack((2.0 * (p[..., 0] - 1.0), 2.0 * OVAL * (p[..., 1] - 0.5)), axis=-1)


HIMMELBLAU_SCALE = 0.1


def _four(p: Array) -> Array:
    x, y = p[..., 0], p[..., 1]
    return HIMMELBLAU_SCALE * ((x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2)


def _four_grad(p: Array) -> Array:
    x, y = p[..., 0], p[..., 1]
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return HIMMELBLAU_SCALE * np.stack((4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b), axis=-1)


def _wells_minima() -> tuple[tuple[float, ...], ...]:
    roots = np.roots([1.0, 0.0, -2.0, 0.3])  # L'(w) = w³ − 2w + 0.3
    real = sorted(float(r.real) for r in roots if abs(r.imag) < 1e-12)
    return tuple((r,) for r in real if 3.0 * r * r - 2.0 > 0)  # L'' > 0: minima only


LANDSCAPES: dict[str, Landscape] = {
    ls.name: ls
    for ls in (
        Landscape("bowl", "1-D bowl (w − 1)²", 1, _bowl1, _bowl1_grad, (-3.0, 5.0), (4.0,), ((BOWL_CENTRE,),), 2.0),
        Landscape("two-valleys", "1-D two valleys", 1, _wells1, _wells1_grad, (-2.4, 2.4), (2.2,), _wells_minima()),
        Landscape("bowl-2d", "2-D round bowl", 2, _bowl2, _bowl2_grad, (-3.0, 5.0, -3.5, 4.5), (-2.0, 3.5),
                  ((1.0, 0.5),), 2.0),
        Landscape("oval-2d", "2-D oval bowl", 2, _oval, _oval_grad, (-3.0, 5.0, -3.5, 4.5), (-2.5, 2.5),
                  ((1.0, 0.5),), 2.0 * OVAL),
        Landscape("four-valleys", "2-D four valleys", 2, _four, _four_grad, (-5.5, 5.5, -5.5, 5.5), (-0.5, 0.5),
                  ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126))),
    )
}


def get_landscape(name: str) -> Landscape:
    try:
        return LANDSCAPES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)}") from None


def contraction_factor(lr: float, curvature: float = 2.0) -> float:
    """|1 − lr·k|: how a gradient step scales the distance to the minimum of a quadratic with L'' = k.

    For L(w) = (w − c)² (k = 2): w − c ← (1 − 2·lr)(w − c), so it converges for lr < 1 and blows up
    for lr > 1.
    """
    return abs(1.0 - as_float(lr, "the learning rate") * as_float(curvature, "the curvature"))


def hessian_max(landscape: Landscape, point: Array, h: float = 1e-5) -> float:
    """The largest eigenvalue of the Hessian at ``point`` (central differences of the gradient)."""
    p = np.asarray(point, dtype=float)
    dim = landscape.dim
    hess = np.empty((dim, dim))
    for j in range(dim):
        e = np.zeros(dim)
        e[j] = h
        hess[:, j] = (landscape.gradient(p + e) - landscape.gradient(p - e)) / (2 * h)
    return float(np.max(np.linalg.eigvalsh((hess + hess.T) / 2)))


# --------------------------------------------------------------------------- the topic's state
class GradientDescent(Stepping):
    """A ball on a landscape taking gradient steps.

    ``path[k]`` is the position after ``k`` steps (``path[0]`` is the start), ``losses[k]`` its loss.
    """

    HISTORY = 500  # steps kept for step_back (the path itself is kept whole)

    def __init__(self, landscape: str = "bowl", lr: float = 0.1, start: tuple[float, ...] | None = None, seed: int = 0) -> None:
        self.seed = seed  # nothing here is random: the same settings give the same run
        self._landscape = get_landscape(landscape)
        self._opt = SGD(lr=self._check_lr(lr))
        self._start = self._check_start(start)
        self.reset()

    @staticmethod
    def _check_lr(lr: float) -> float:
        return as_float(lr, "the learning rate", lo=LR_MIN, hi=LR_MAX)

    def _check_start(self, start: tuple[float, ...] | None) -> Array:
        ls = self._landscape
        if start is None:
            return np.array(ls.start, dtype=float)
        arr = np.asarray(start, dtype=float).reshape(-1)
        if arr.shape != (ls.dim,):
            raise ValueError(f"the start point needs {ls.dim} coordinate(s), got {arr.size}")
        for i, v in enumerate(arr):
            lo, hi = ls.domain[2 * i], ls.domain[2 * i + 1]
            as_float(v, "the start point", lo=lo, hi=hi)
        return arr

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """Put the ball back at the start point: step 0, empty path."""
        if seed is not None:
            self.seed = seed
        self._w = self._start.copy()
        self._path = np.empty((64, self.dim))  # rows [0, _n) are the positions so far
        self._losses = np.empty(64)
        self._n = 0
        self._record(self._w, self._landscape.loss(self._w))
        self._diverged = False
        self._undo: deque[int] = deque(maxlen=self.HISTORY)
        self._opt.reset()

    def set_lr(self, lr: float) -> None:
        self._opt.lr = self._check_lr(lr)

    def set_landscape(self, name: str) -> None:
        """Another landscape: the ball goes to its start point."""
        self._landscape = get_landscape(name)
        self._start = self._check_start(None)
        self.reset()

    def set_start(self, start: tuple[float, ...]) -> None:
        """Drop the ball at ``start`` (inside the drawn box) and start over from there."""
        self._start = self._check_start(start)
        self.reset()

    def move_start(self, *delta: float) -> None:
        """Move the start point by ``delta`` (clamped to the drawn box) and start over from it."""
        ls = self._landscape
        if len(delta) < ls.dim:
            raise ValueError(f"moving the ball needs {ls.dim} offset(s)")
        new = self._start + np.asarray(delta[: ls.dim], dtype=float)
        lo = np.array(ls.domain[0::2])
        hi = np.array(ls.domain[1::2])
        self.set_start(tuple(np.clip(np.round(new, 10), lo, hi)))

    # ----------------------------------------------------------------- read-only state
    @property
    def landscape(self) -> Landscape:
        return self._landscape

    @property
    def dim(self) -> int:
        return self._landscape.dim

    @property
    def lr(self) -> float:
        return self._opt.lr

    @property
    def w(self) -> Array:
        """Where the ball is (a copy)."""
        return self._w.copy()

    @property
    def start(self) -> Array:
        return self._start.copy()

    @property
    def t(self) -> int:
        """Steps taken."""
        return self._n - 1

    @property
    def path(self) -> Array:
        """Positions, ``(t + 1, dim)`` (a read-only view)."""
        return _read_only(self._path[: self._n])

    @property
    def losses(self) -> Array:
        return _read_only(self._losses[: self._n])

    @property
    def loss(self) -> float:
        return float(self._losses[self._n - 1])

    @property
    def gradient(self) -> Array:
        """∇L at the ball (the slope in 1-D)."""
        return self._landscape.gradient(self._w)

    @property
    def slope(self) -> float:
        """dL/dw at the ball (1-D), or the gradient's length (2-D)."""
        g = self.gradient
        return float(g[0]) if self.dim == 1 else float(np.hypot(*g))

    @property
    def next_w(self) -> Array:
        """Where the next step lands: w − lr·∇L(w)."""
        return self._w - self.lr * self.gradient

    @property
    def diverged(self) -> bool:
        """True once the ball went beyond DIVERGED_DISTANCE or its loss beyond DIVERGED_LOSS; then
        ``step()`` does nothing until ``reset()`` or ``step_back()``."""
        return self._diverged

    @property
    def in_view(self) -> bool:
        """Whether the ball lies inside the drawn box."""
        d = self._landscape.domain
        return all(d[2 * i] <= self._w[i] <= d[2 * i + 1] for i in range(self.dim))

    @property
    def valley(self) -> Array:
        """The minimum nearest the ball."""
        return self._landscape.nearest_minimum(self._w)

    @property
    def curvature(self) -> float:
        """k: the largest second derivative at the bottom of the ball's valley."""
        return self._landscape.curvature_at(self.valley)

    @property
    def contraction(self) -> float:
        """|1 − lr·k| in the ball's valley: below 1 the steps close in on its bottom, above 1 they
        bounce out (near the bottom the loss is almost a quadratic with L'' = k)."""
        return contraction_factor(self.lr, self.curvature)

    @property
    def safe_lr(self) -> float:
        """2 / k: learning rates below this settle into the ball's valley, above it they bounce out."""
        return 2.0 / self.curvature

    def tangent(self, half_width: float) -> tuple[float, float, float, float]:
        """1-D: the tangent at the ball from w − half_width to w + half_width, as (x0, y0, x1, y1)."""
        if self.dim != 1:
            raise ValueError("the tangent line is drawn on 1-D curves; 2-D uses contour_tangent")
        w = float(self._w[0])
        y = self.loss
        s = self.slope
        return (w - half_width, y - s * half_width, w + half_width, y + s * half_width)

    def contour_tangent(self, half_length: float) -> tuple[float, float, float, float] | None:
        """2-D: the tangent to the contour line through the ball (perpendicular to the gradient), or
        None where the gradient vanishes."""
        if self.dim != 2:
            raise ValueError("contour tangents exist on 2-D surfaces")
        g = self.gradient
        norm = float(np.hypot(*g))
        if norm == 0.0 or not math.isfinite(norm):
            return None
        tx, ty = -g[1] / norm * half_length, g[0] / norm * half_length
        x, y = self._w
        return (float(x - tx), float(y - ty), float(x + tx), float(y + ty))

    # ----------------------------------------------------------------- stepping
    def step(self) -> None:
        """One gradient step w ← w − lr·∇L(w) (nothing once diverged)."""
        if self._diverged:
            return
        w = self._w.copy()
        with np.errstate(all="ignore"):
            self._opt.step(w, self._landscape.gradient(w))
            loss = self._landscape.loss(w)
        far = float(np.max(np.abs(w))) if np.all(np.isfinite(w)) else math.inf
        if not math.isfinite(loss) or far > DIVERGED_DISTANCE or loss > DIVERGED_LOSS:
            self._diverged = True
            if not (np.all(np.isfinite(w)) and math.isfinite(loss)):
                return  # keep the last finite position: nothing on screen becomes NaN
        self._undo.append(self._n)
        self._w = w
        self._record(w, loss)

    def _record(self, w: Array, loss: float) -> None:
        if self._n == len(self._losses):  # full: double the room
            self._path = np.concatenate((self._path, np.empty_like(self._path)))
            self._losses = np.concatenate((self._losses, np.empty_like(self._losses)))
        self._path[self._n] = w
        self._losses[self._n] = loss
        self._n += 1

    def step_back(self) -> None:
        """Undo the last step (also out of a divergence)."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        n = self._undo.pop()
        self._n = n
        self._w = self._path[n - 1].copy()
        self._diverged = False

    # ----------------------------------------------------------------- drawing
    def curve(self, xs: Array) -> Array:
        """1-D: L at each of ``xs``."""
        xs = np.asarray(xs, dtype=float)
        return self._landscape.value(xs[..., None])

    def surface(self, xs: Array, ys: Array) -> Array:
        """2-D: L on the grid ``(len(ys), len(xs))`` (row i at ys[i])."""
        gx, gy = np.meshgrid(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        return self._landscape.value(np.stack((gx, gy), axis=-1))

    def contour_bands(self, xs: Array, ys: Array, bands: int = 12) -> Array:
        """2-D: the surface on a log scale cut into ``bands`` equal steps, as values in [0, 1]; drawn with
        a colour ramp the steps show as contour rings."""
        values = self.surface(xs, ys)
        return contour_bands(values, bands)


def _read_only(a: Array) -> Array:
    view = a.view()
    view.flags.writeable = False
    return view


def contour_bands(values: Array, bands: int = 12) -> Array:
    """``log(1 + values − min)`` scaled to [0, 1] and floored to ``bands`` levels (NaN -> 1)."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return v
    finite = np.isfinite(v)
    if not finite.any():
        return np.ones_like(v)
    low = float(v[finite].min())
    s = np.log1p(np.where(finite, v - low, 0.0))
    top = float(s.max()) or 1.0
    out = np.floor(s / top * bands).clip(0, bands - 1) / max(bands - 1, 1)
    out[~finite] = 1.0
    return out

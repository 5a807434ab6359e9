"""Two-by-two matrices acting on the plane: products, determinants, the singular case, and an
animated transform from the identity to a matrix.

Plain functions work on any ``(2, 2)`` matrix; ``PlaneTransform`` is the ``vectors`` topic's state
(a matrix M, a vector v and an animation clock) and can be used without the app:

>>> pt = PlaneTransform(matrix="shear", vector=(1.0, 1.0))
>>> pt.steps(pt.frames); pt.image.tolist()      # M·v once the animation has ended
[2.0, 1.0]
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.stepping import Stepping

Array = np.ndarray

ENTRY_LIMIT = 5.0  # matrix entries must lie in [-ENTRY_LIMIT, ENTRY_LIMIT]
VECTOR_LIMIT = 5.0  # the vector's coordinates too
SINGULAR_TOL = 1e-12  # |det| at most this (relative to the entries' scale) counts as zero
ENTRY_NAMES = ("a", "b", "c", "d")  # M = [[a, b], [c, d]]

IDENTITY = np.eye(2)

# The presets of the topic, in the order the keys 1..5 pick them.
PRESETS: dict[str, Array] = {
    "rotate 90°": np.array([[0.0, -1.0], [1.0, 0.0]]),
    "shear": np.array([[1.0, 1.0], [0.0, 1.0]]),
    "scale": np.array([[2.0, 0.0], [0.0, 0.5]]),
    "reflect": np.array([[1.0, 0.0], [0.0, -1.0]]),
    "singular": np.array([[1.0, 2.0], [0.5, 1.0]]),
    "identity": np.eye(2),
}
for _m in PRESETS.values():
    _m.flags.writeable = False


# --------------------------------------------------------------------------- plain functions
def as_matrix(m: object, limit: float | None = ENTRY_LIMIT) -> Array:
    """``m`` as a float ``(2, 2)`` array with finite entries (each within ±``limit`` if given)."""
    try:
        arr = np.array(m, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"a matrix must be 2×2 numbers, got {m!r}") from None
    if arr.shape != (2, 2):
        raise ValueError(f"a matrix must be 2×2, got shape {arr.shape}")
    for name, value in zip(ENTRY_NAMES, arr.ravel()):
        as_float(value, f"entry {name}", lo=None if limit is None else -limit, hi=limit)
    return arr


def as_vector(v: object, limit: float | None = VECTOR_LIMIT) -> Array:
    """``v`` as a float ``(2,)`` array with finite coordinates (each within ±``limit`` if given)."""
    try:
        arr = np.array(v, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"a vector must be two numbers, got {v!r}") from None
    if arr.shape != (2,):
        raise ValueError(f"a vector must have two coordinates, got {arr.size}")
    for name, value in zip("xy", arr):
        as_float(value, f"the vector's {name}", lo=None if limit is None else -limit, hi=limit)
    return arr


def det(m: Array) -> float:
    """The determinant ad − bc: the factor by which M scales areas (negative: it flips the plane)."""
    (a, b), (c, d) = np.asarray(m, dtype=float)
    return float(a * d - b * c)


def matmul(m: Array, n: Array) -> Array:
    """The product M·N written out entry by entry (row of M times column of N)."""
    (a, b), (c, d) = np.asarray(m, dtype=float)
    (e, f), (g, h) = np.asarray(n, dtype=float)
    return np.array([[a * e + b * g, a * f + b * h], [c * e + d * g, c * f + d * h]])


def apply(m: Array, points: Array) -> Array:
    """M·p for one point ``(2,)`` or many ``(k, 2)``: x' = a·x + b·y, y' = c·x + d·y."""
    (a, b), (c, d) = np.asarray(m, dtype=float)
    p = np.asarray(points, dtype=float)
    x, y = p[..., 0], p[..., 1]
    return np.stack((a * x + b * y, c * x + d * y), axis=-1)


def is_singular(m: Array) -> bool:
    """True when det M is zero (up to rounding relative to the size of the entries)."""
    scale = float(np.max(np.abs(m))) if np.size(m) else 0.0
    return abs(det(m)) <= SINGULAR_TOL * max(scale * scale, 1e-300)


def inverse(m: Array) -> Array:
    """M⁻¹ = [[d, −b], [−c, a]] / det; ValueError for a singular matrix (it has no inverse)."""
    if is_singular(m):
        raise ValueError("this matrix is singular (det = 0): it squashes the plane and cannot be undone")
    (a, b), (c, d) = np.asarray(m, dtype=float)
    return np.array([[d, -b], [-c, a]]) / det(m)


class Collapse(NamedTuple):
    """Where a singular matrix sends the plane: ``image`` is "line" or "point"; ``direction`` a unit
    vector along the image line (None for a point); ``kernel`` a unit vector that M sends to 0 (None when
    every vector goes to 0)."""

    image: str
    direction: Array | None
    kernel: Array | None


def collapse(m: Array) -> Collapse | None:
    """For a singular M, what it squashes the plane onto; None when M is invertible."""
    m = np.asarray(m, dtype=float)
    if not is_singular(m):
        return None
    cols = m.T  # column j is M·e_j
    norms = np.hypot(cols[:, 0], cols[:, 1])
    if norms.max() == 0.0:
        return Collapse("point", None, None)
    col = cols[int(np.argmax(norms))]
    direction = col / np.hypot(*col)
    rows = m
    rnorm = np.hypot(rows[:, 0], rows[:, 1])
    row = rows[int(np.argmax(rnorm))]
    kernel = np.array([-row[1], row[0]]) / np.hypot(*row)  # perpendicular to the rows: M·k = 0
    return Collapse("line", direction, kernel)


def interpolate(m: Array, t: float) -> Array:
    """The matrix at time ``t`` of the animation: (1 − t)·I + t·M, exactly I at 0 and exactly M at 1."""
    t = as_float(t, "the animation time", lo=0.0, hi=1.0)
    m = np.asarray(m, dtype=float)
    if t == 1.0:
        return m.copy()
    if t == 0.0:
        return IDENTITY.copy()
    return (1.0 - t) * IDENTITY + t * m


def grid_segments(m: Array, half: int, spacing: float = 1.0) -> Array:
    """The square grid lines x = k and y = k (|k| ≤ half, step ``spacing``) mapped through M.

    A linear map sends lines to lines, so each grid line is its two end points mapped:
    returns ``(2·(2·half + 1), 2, 2)`` — per line, its two mapped end points.
    """
    half = as_int(half, "the grid size", lo=0)
    ks = np.arange(-half, half + 1) * spacing
    end = half * spacing
    vertical = np.stack([np.stack([ks, np.full_like(ks, -end)], 1), np.stack([ks, np.full_like(ks, end)], 1)], 1)
    horizontal = np.stack([np.stack([np.full_like(ks, -end), ks], 1), np.stack([np.full_like(ks, end), ks], 1)], 1)
    return apply(m, np.concatenate((vertical, horizontal)))


def unit_square_mask(m: Array, xs: Array, ys: Array) -> Array:
    """Boolean ``(len(ys), len(xs))``: which grid points lie in M's image of the unit square
    (the parallelogram spanned by M's columns; empty when M is singular)."""
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if is_singular(m):
        return np.zeros((len(ys), len(xs)), dtype=bool)
    inv = inverse(m)
    gx, gy = np.meshgrid(xs, ys)
    u = inv[0, 0] * gx + inv[0, 1] * gy
    w = inv[1, 0] * gx + inv[1, 1] * gy
    return (u >= 0) & (u <= 1) & (w >= 0) & (w <= 1)


def kind(m: Array) -> str:
    """A short name for what M does: identity, rotation, reflection, scaling, shear, singular or general."""
    m = np.asarray(m, dtype=float)
    if np.allclose(m, IDENTITY):
        return "identity"
    if is_singular(m):
        return "singular"
    if np.allclose(m.T @ m, IDENTITY):
        if det(m) > 0:
            angle = math.degrees(math.atan2(m[1, 0], m[0, 0]))
            return f"rotation by {angle:g}°"
        return "reflection"
    if m[0, 1] == 0 and m[1, 0] == 0:
        return "scaling"
    if m[0, 0] == m[1, 1] == 1 and (m[0, 1] == 0 or m[1, 0] == 0):
        return "shear"
    return "general"


def preset(name: str) -> Array:
    """A copy of the preset matrix ``name`` (a key of ``PRESETS``)."""
    try:
        return PRESETS[name].copy()
    except (KeyError, TypeError):
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None


# --------------------------------------------------------------------------- the topic's state
class PlaneTransform(Stepping):
    """A matrix M, a vector v, and an animation that morphs the plane from I to M in ``frames`` steps.

    ``t = frame / frames``; ``current`` is the matrix at ``t`` and ``image`` is ``current · v``. One
    ``step()`` is one frame; at the last frame ``current`` is M itself (not a rounded copy).
    """

    def __init__(
        self,
        matrix: str | object = "shear",
        vector: object = (1.0, 2.0),
        frames: int = 30,
        seed: int = 0,
    ) -> None:
        self.seed = seed  # nothing here is random; kept for the common interface
        self._matrix = preset(matrix) if isinstance(matrix, str) else as_matrix(matrix)
        self._vector = as_vector(vector)
        self._frames = self._check_frames(frames)
        self._frame = 0

    @staticmethod
    def _check_frames(frames: int) -> int:
        frames = as_int(frames, "the number of animation frames", lo=1)
        if frames > 600:
            raise ValueError(f"the number of animation frames must be at most 600, got {frames}")
        return frames

    # ----------------------------------------------------------------- state
    @property
    def matrix(self) -> Array:
        """M (a copy)."""
        return self._matrix.copy()

    @property
    def vector(self) -> Array:
        """v (a copy)."""
        return self._vector.copy()

    @property
    def frames(self) -> int:
        return self._frames

    @property
    def frame(self) -> int:
        return self._frame

    @property
    def t(self) -> float:
        """Animation time in [0, 1]."""
        return self._frame / self._frames

    @property
    def at_end(self) -> bool:
        return self._frame >= self._frames

    @property
    def current(self) -> Array:
        """The matrix shown now: I at t = 0, exactly M at t = 1."""
        return interpolate(self._matrix, self.t)

    @property
    def image(self) -> Array:
        """current · v: where the vector is drawn now (M·v once the animation has ended)."""
        return apply(self.current, self._vector)

    @property
    def target_image(self) -> Array:
        """M·v."""
        return apply(self._matrix, self._vector)

    @property
    def det(self) -> float:
        """det M."""
        return det(self._matrix)

    @property
    def current_det(self) -> float:
        return det(self.current)

    @property
    def singular(self) -> bool:
        return is_singular(self._matrix)

    @property
    def collapse(self) -> Collapse | None:
        return collapse(self._matrix)

    @property
    def kind(self) -> str:
        return kind(self._matrix)

    @property
    def preset_name(self) -> str:
        """The name of the preset equal to M, or "custom"."""
        for name, m in PRESETS.items():
            if np.array_equal(m, self._matrix):
                return name
        return "custom"

    # ----------------------------------------------------------------- animation
    def reset(self, seed: int | None = None) -> None:
        """Back to the identity (frame 0); M and v stay."""
        if seed is not None:
            self.seed = seed
        self._frame = 0

    def restart(self) -> None:
        """Start the animation again from the identity."""
        self._frame = 0

    def finish(self) -> None:
        """Jump to the end: the plane fully transformed by M."""
        self._frame = self._frames

    def step(self) -> None:
        """One frame forward (nothing once the animation has ended)."""
        if self._frame < self._frames:
            self._frame += 1

    @property
    def can_step_back(self) -> bool:
        return self._frame > 0

    def step_back(self) -> None:
        if self._frame == 0:
            raise ValueError("the animation is already at the identity")
        self._frame -= 1

    # ----------------------------------------------------------------- edits
    def set_matrix(self, m: object) -> None:
        """Use M = ``m`` (validated); the view jumps to the end of the animation."""
        self._matrix = as_matrix(m)
        self.finish()

    def set_preset(self, name: str) -> None:
        """Use a preset matrix and start the animation from the identity."""
        self._matrix = preset(name)
        self.restart()

    def set_entry(self, name: str, value: float) -> None:
        """Set one entry (``a``, ``b``, ``c`` or ``d`` of [[a, b], [c, d]]) to a number in ±ENTRY_LIMIT."""
        if name not in ENTRY_NAMES:
            raise ValueError(f"unknown entry {name!r}; the entries are a, b, c and d")
        value = as_float(value, f"entry {name}", lo=-ENTRY_LIMIT, hi=ENTRY_LIMIT)
        m = self._matrix.copy()
        m.flat[ENTRY_NAMES.index(name)] = value
        self.set_matrix(m)

    def entry(self, name: str) -> float:
        if name not in ENTRY_NAMES:
            raise ValueError(f"unknown entry {name!r}; the entries are a, b, c and d")
        return float(self._matrix.flat[ENTRY_NAMES.index(name)])

    def set_vector(self, v: object) -> None:
        self._vector = as_vector(v)

    def move_vector(self, dx: float, dy: float) -> None:
        """Move v's head by (dx, dy), clamped to ±VECTOR_LIMIT."""
        v = self._vector + np.array([as_float(dx, "dx"), as_float(dy, "dy")])
        self._vector = np.clip(np.round(v, 10), -VECTOR_LIMIT, VECTOR_LIMIT)

    def set_frames(self, frames: int) -> None:
        """Frames the animation takes; the position keeps its time t as closely as frames allow."""
        frames = self._check_frames(frames)
        self._frame = min(frames, round(self.t * frames))
        self._frames = frames

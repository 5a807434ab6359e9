"""Small 2-D classification data sets.

Every generator returns ``(X, y)``: ``X`` float64 of shape ``(n, 2)`` inside about ``[-1, 1]²``
(exactly inside it when ``noise == 0``), ``y`` int64 of shape ``(n,)`` with class ids ``0 .. k-1``.
Classes are balanced (their sizes differ by at most one) and the rows come shuffled.
``noise`` is the standard deviation of Gaussian jitter added to every coordinate *after* the labels
are fixed, so noisy points may stray across the true boundary.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.rng import RngLike, as_rng

Dataset = tuple[np.ndarray, np.ndarray]
Extent = tuple[float, float, float, float]  # (xmin, xmax, ymin, ymax)


def _class_sizes(n: int, k: int) -> np.ndarray:
    """Sizes of ``k`` classes summing to ``n`` that differ by at most one."""
    sizes = np.full(k, n // k, dtype=np.int64)
    sizes[: n % k] += 1
    return sizes


def _finish(X: np.ndarray, y: np.ndarray, noise: float, gen: np.random.Generator) -> Dataset:
    """Shuffle the rows, then add the jitter (so the same seed gives the same clean points in the
    same order whatever the noise), and fix the dtypes."""
    order = gen.permutation(len(y))
    X, y = X[order], y[order]
    if noise > 0:
        X = X + gen.normal(0.0, noise, size=X.shape)
    return np.ascontiguousarray(X, dtype=np.float64), y.astype(np.int64)


def two_spirals(n: int = 300, noise: float = 0.0, turns: float = 1.75, rng: RngLike = None) -> Dataset:
    """Two interleaved Archimedean spirals: arm ``c`` is ``r = t``, ``angle = 2π·turns·t + c·π``.

    ``t`` is drawn uniformly in ``[0.05, 1]``, so the radius grows with the angle along each arm and
    stays ≤ 1.
    """
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "noise", lo=0)
    turns = as_float(turns, "turns", lo=0, lo_inclusive=False)
    gen = as_rng(rng)
    y = np.repeat(np.arange(2, dtype=np.int64), _class_sizes(n, 2))
    t = gen.uniform(0.05, 1.0, size=n)
    angle = 2.0 * np.pi * turns * t + np.pi * y
    X = np.column_stack((t * np.cos(angle), t * np.sin(angle)))
    return _finish(X, y, noise, gen)


def circle(
    n: int = 200, noise: float = 0.0, rng: RngLike = None, radii: tuple[float, float, float] = (0.5, 0.7, 1.0)
) -> Dataset:
    """Class 1: a disc of radius 0.5 in the centre; class 0: a ring 0.7 ≤ r ≤ 1 around it.

    Points are uniform in area. ``radii = (disc, ring inner, ring outer)`` changes the three radii
    (``0 < disc ≤ ring inner < ring outer``).
    """
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "noise", lo=0)
    try:
        disc, ring_lo, ring_hi = (as_float(r, "a radius", lo=0, lo_inclusive=False) for r in radii)
    except (TypeError, ValueError) as error:
        raise ValueError(f"radii must be three positive numbers (disc, ring inner, ring outer): {error}") from None
    if not disc <= ring_lo < ring_hi:
        raise ValueError(f"radii must satisfy disc ≤ ring inner < ring outer, got {tuple(radii)}")
    gen = as_rng(rng)
    y = np.repeat(np.array([1, 0], dtype=np.int64), _class_sizes(n, 2))
    inner = y == 1
    # Uniform in area between radii a and b: r = sqrt(a² + u (b² − a²)).
    lo = np.where(inner, 0.0, ring_lo)
    hi = np.where(inner, disc, ring_hi)
    r = np.sqrt(lo**2 + gen.uniform(size=n) * (hi**2 - lo**2))
    angle = gen.uniform(0.0, 2.0 * np.pi, size=n)
    X = np.column_stack((r * np.cos(angle), r * np.sin(angle)))
    return _finish(X, y, noise, gen)


def xor(n: int = 200, noise: float = 0.0, rng: RngLike = None) -> Dataset:
    """The four quadrants: label 1 where ``sign(x₁)·sign(x₂) > 0`` (1st and 3rd), else 0.

    Coordinates keep a margin of 0.05 from the axes, so the clean labels are never ambiguous.
    """
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "noise", lo=0)
    gen = as_rng(rng)
    y = np.repeat(np.array([1, 0], dtype=np.int64), _class_sizes(n, 2))
    magnitude = gen.uniform(0.05, 1.0, size=(n, 2))
    s1 = gen.choice(np.array([-1.0, 1.0]), size=n)
    s2 = np.where(y == 1, s1, -s1)
    X = magnitude * np.column_stack((s1, s2))
    return _finish(X, y, noise, gen)


def gaussian_blobs(
    n: int = 200, k: int = 2, spread: float = 0.2, noise: float = 0.0, rng: RngLike = None
) -> Dataset:
    """``k`` round Gaussian clouds (standard deviation ``spread``) around centres evenly spaced on a
    circle of radius 0.55 (one class sits at the origin).

    With ``spread`` ≤ 0.2 almost all points fall inside ``[-1, 1]²``.
    """
    n = as_int(n, "the number of points", lo=2)
    k = as_int(k, "the number of classes k", lo=1)
    if n < k:
        raise ValueError(f"need at least one point per class: n = {n} < k = {k}")
    spread = as_float(spread, "spread", lo=0)
    noise = as_float(noise, "noise", lo=0)
    gen = as_rng(rng)
    if k == 1:
        centres = np.zeros((1, 2))
    else:
        phase = np.pi / 4 + 2.0 * np.pi * np.arange(k) / k
        centres = 0.55 * np.column_stack((np.cos(phase), np.sin(phase)))
    y = np.repeat(np.arange(k, dtype=np.int64), _class_sizes(n, k))
    X = centres[y] + gen.normal(0.0, 1.0, size=(n, 2)) * spread
    return _finish(X, y, noise, gen)


DATASETS: dict[str, Callable[..., Dataset]] = {
    "spiral": two_spirals,
    "circle": circle,
    "xor": xor,
    "gaussian": gaussian_blobs,
}


def make_dataset(name: str, **kw: object) -> Dataset:
    """Build the data set called ``name`` (a key of ``DATASETS``) with the generator's keywords."""
    try:
        fn = DATASETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}") from None
    try:
        inspect.signature(fn).bind(**kw)
    except TypeError as exc:  # an unexpected keyword
        raise ValueError(f"bad argument for data set {name!r}: {exc}") from None
    return fn(**kw)


def grid_points(
    width: int, height: int, extent: Extent = (-1.0, 1.0, -1.0, 1.0), dtype: type | np.dtype = np.float64
) -> np.ndarray:
    """Centres of the cells of a ``height × width`` grid over ``extent = (xmin, xmax, ymin, ymax)``.

    Returns ``(height·width, 2)`` rows in reading order: row 0 of the grid is the top (largest y),
    so ``f(points).reshape(height, width)`` is an image (a decision map). The array is cached per
    arguments, hence read-only; a zero width or height gives no rows.
    """
    width, height = as_int(width, "the grid width", lo=0), as_int(height, "the grid height", lo=0)
    try:
        box = tuple(as_float(e, "an extent bound") for e in extent)
    except TypeError:
        box = ()
    if len(box) != 4 or box[0] >= box[1] or box[2] >= box[3]:
        raise ValueError(f"extent must be (xmin, xmax, ymin, ymax) with xmin < xmax and ymin < ymax, got {extent!r}")
    return _grid_points(width, height, box, np.dtype(dtype))  # type: ignore[arg-type]


@lru_cache(maxsize=16)
def _grid_points(width: int, height: int, extent: Extent, dtype: np.dtype) -> np.ndarray:
    xmin, xmax, ymin, ymax = extent
    xs = xmin + (np.arange(width) + 0.5) * ((xmax - xmin) / max(width, 1))
    ys = ymax - (np.arange(height) + 0.5) * ((ymax - ymin) / max(height, 1))
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack((gx.ravel(), gy.ravel())).astype(dtype)
    pts.flags.writeable = False
    return pts


# --------------------------------------------------------------------------- more classes, and regression
def spirals(n: int = 300, arms: int = 3, noise: float = 0.0, turns: float = 1.0, rng: RngLike = None) -> Dataset:
    """``arms`` interleaved Archimedean spirals: arm ``c`` is ``r = t``, ``angle = 2π·turns·t + 2π·c/arms``.

    ``t`` is drawn uniformly in ``[0.05, 1]``; class ``c`` is the arm. With ``arms = 2`` and the same
    turns this is the geometry of :func:`two_spirals`.
    """
    n = as_int(n, "the number of points", lo=2)
    arms = as_int(arms, "the number of arms", lo=1)
    if n < arms:
        raise ValueError(f"need at least one point per arm: n = {n} < arms = {arms}")
    noise = as_float(noise, "noise", lo=0)
    turns = as_float(turns, "turns", lo=0, lo_inclusive=False)
    gen = as_rng(rng)
    y = np.repeat(np.arange(arms, dtype=np.int64), _class_sizes(n, arms))
    t = gen.uniform(0.05, 1.0, size=n)
    angle = 2.0 * np.pi * turns * t + 2.0 * np.pi * y / arms
    X = np.column_stack((t * np.cos(angle), t * np.sin(angle)))
    return _finish(X, y, noise, gen)


def rings(n: int = 300, k: int = 3, noise: float = 0.0, rng: RngLike = None) -> Dataset:
    """``k`` classes as a central disc and ``k − 1`` concentric rings, uniform in area.

    The unit radius is cut into ``k`` equal bands; class ``c`` fills band ``c`` (class 0 the centre)
    minus a gap of 30 % of a band on its inner side, so neighbouring classes never touch.
    """
    n = as_int(n, "the number of points", lo=2)
    k = as_int(k, "the number of classes k", lo=1)
    if n < k:
        raise ValueError(f"need at least one point per class: n = {n} < k = {k}")
    noise = as_float(noise, "noise", lo=0)
    gen = as_rng(rng)
    y = np.repeat(np.arange(k, dtype=np.int64), _class_sizes(n, k))
    band = 1.0 / k
    lo = np.where(y == 0, 0.0, (y + 0.3) * band)
    hi = (y + 1) * band
    r = np.sqrt(lo**2 + gen.uniform(size=n) * (hi**2 - lo**2))
    angle = gen.uniform(0.0, 2.0 * np.pi, size=n)
    X = np.column_stack((r * np.cos(angle), r * np.sin(angle)))
    return _finish(X, y, noise, gen)


def checkerboard(n: int = 300, k: int = 3, noise: float = 0.0, rng: RngLike = None) -> Dataset:
    """A ``k × k`` checkerboard over ``[-1, 1]²`` whose square ``(i, j)`` has class ``(i + j) mod k``
    (``i`` counts columns from the left, ``j`` rows from the bottom) — XOR's pattern with ``k`` colours.

    Points keep a margin of 5 % of a square from its edges, so clean labels are never ambiguous.
    """
    n = as_int(n, "the number of points", lo=2)
    k = as_int(k, "the number of classes k", lo=2)
    if n < k:
        raise ValueError(f"need at least one point per class: n = {n} < k = {k}")
    noise = as_float(noise, "noise", lo=0)
    gen = as_rng(rng)
    y = np.repeat(np.arange(k, dtype=np.int64), _class_sizes(n, k))
    i = gen.integers(0, k, size=n)  # column; the row then follows from the class
    j = (y - i) % k
    side = 2.0 / k
    u = gen.uniform(0.05, 0.95, size=(n, 2))
    X = np.column_stack((-1.0 + (i + u[:, 0]) * side, -1.0 + (j + u[:, 1]) * side))
    return _finish(X, y, noise, gen)


def _regression_points(n: int, noise: float, gen: np.random.Generator, f: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    X = gen.uniform(-1.0, 1.0, size=(n, 2))
    values = f(X)
    if noise > 0:
        X = X + gen.normal(0.0, noise, size=X.shape)
    return np.ascontiguousarray(X, dtype=np.float64), values.astype(np.float64)


def plane_values(X: np.ndarray) -> np.ndarray:
    """The target of :func:`regression_plane`: ``(x₁ + x₂) / 2``."""
    X = np.asarray(X, dtype=np.float64)
    return (X[:, 0] + X[:, 1]) / 2.0


BUMP_CENTRES = np.array([[-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5], [0.5, -0.5]])
BUMP_SIGNS = np.array([1.0, -1.0, -1.0, 1.0])
BUMP_WIDTH = 0.3


def bumps_values(X: np.ndarray) -> np.ndarray:
    """The target of :func:`regression_bumps`: ``Σ sᵢ·exp(−|x − cᵢ|² / (2·0.3²))`` over four bumps at
    ``(±0.5, ±0.5)`` with signs ``+ − − +`` (one hill and one pit per diagonal)."""
    X = np.asarray(X, dtype=np.float64)
    d2 = ((X[:, None, :] - BUMP_CENTRES[None]) ** 2).sum(axis=2)
    return np.exp(-d2 / (2 * BUMP_WIDTH**2)) @ BUMP_SIGNS


def regression_plane(n: int = 300, noise: float = 0.0, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in ``[-1, 1]²`` with the value ``(x₁ + x₂)/2`` (float64, in ``[-1, 1]``).

    As for the classification sets, ``noise`` jitters the coordinates after the values are fixed.
    """
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "noise", lo=0)
    return _regression_points(n, noise, as_rng(rng), plane_values)


def regression_bumps(n: int = 300, noise: float = 0.0, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in ``[-1, 1]²`` with the value of :func:`bumps_values` (about ``[-1, 1]``)."""
    n = as_int(n, "the number of points", lo=2)
    noise = as_float(noise, "noise", lo=0)
    return _regression_points(n, noise, as_rng(rng), bumps_values)

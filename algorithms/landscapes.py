"""Two-dimensional loss landscapes for watching optimisers: a value, an exact gradient, a known minimum.

Each :class:`Landscape` is a function ``f(x, y)`` of two parameters with its gradient written out by
hand, the point where it is smallest, a box worth drawing, a start point, and for each optimiser of
``algorithms.optim`` a learning rate that behaves well on it.

* ``ravine`` — ``f = 0.01·x² + 2·y²``: a long, narrow valley, 200 times steeper across than along.
  Plain gradient descent must keep its step small enough for the steep walls and then crawls along
  the floor.
* ``rosenbrock`` — ``f = (1 − x)² + 100·(y − x²)²``: a curved, flat-bottomed banana valley with its
  minimum at ``(1, 1)``.
* ``bumpy`` — ``f = 0.1·(x² + y²) + 0.4·(1 − cos 2x · cos 2y)``: a wide bowl dimpled with small pits;
  the only global minimum is the origin, but slow walkers get stuck in the pits on the way.

Values and gradients take arrays (any matching shapes) as well as plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.datasets import Extent, grid_points

Array = np.ndarray


@dataclass(frozen=True)
class Landscape:
    """A named loss surface ``f(x, y)`` with its gradient and minimum (see the module docstring)."""

    name: str
    title: str
    formula: str
    value_fn: Callable[[Array, Array], Array]
    grad_fn: Callable[[Array, Array], tuple[Array, Array]]
    minimum: tuple[float, float]
    extent: Extent
    start: tuple[float, float]
    lrs: dict[str, float] = field(default_factory=dict)
    eps: float = 0.05  # "within ε of the minimum"

    def value(self, x: Array | float, y: Array | float) -> Array:
        """``f(x, y)``, element-wise."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.value_fn(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))

    def gradient(self, point: Array) -> Array:
        """``∇f`` at ``point`` = ``(x, y)``, as a new float64 array of shape ``(2,)``."""
        x, y = np.asarray(point, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            gx, gy = self.grad_fn(x, y)
        return np.array([gx, gy], dtype=np.float64)

    @property
    def min_value(self) -> float:
        return float(self.value(*self.minimum))

    def contains(self, x: float, y: float) -> bool:
        """True when ``(x, y)`` lies inside the drawing box."""
        xmin, xmax, ymin, ymax = self.extent
        return xmin <= x <= xmax and ymin <= y <= ymax

    def height_map(self, width: int, height: int, extent: Extent | None = None) -> Array:
        """``log(1 + f − f_min)`` at the cell centres of a ``height × width`` grid (row 0 at the top),
        scaled to ``[0, 1]``: a heat map whose colour bands are contour lines."""
        width = as_int(width, "the width", lo=0)
        height = as_int(height, "the height", lo=0)
        pts = grid_points(width, height, self.extent if extent is None else extent)
        if len(pts) == 0:
            return np.zeros((height, width))
        z = np.log1p(np.maximum(self.value(pts[:, 0], pts[:, 1]) - self.min_value, 0.0))
        top = float(np.nanmax(z)) if np.isfinite(z).any() else 0.0
        z = np.nan_to_num(z, nan=top, posinf=top) / (top or 1.0)
        return z.reshape(height, width)


def _ravine(x: Array, y: Array) -> Array:
    return 0.01 * x * x + 2.0 * y * y


def _ravine_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return 0.02 * x, 4.0 * y


def _rosenbrock(x: Array, y: Array) -> Array:
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(x: Array, y: Array) -> tuple[Array, Array]:
    inner = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * inner, 200.0 * inner


BUMP = 0.4  # depth of the pits of ``bumpy``


def _bumpy(x: Array, y: Array) -> Array:
    return 0.1 * (x * x + y * y) + BUMP * (1.0 - np.cos(2 * x) * np.cos(2 * y))


def _bumpy_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return (
        0.2 * x + 2 * BUMP * np.sin(2 * x) * np.cos(2 * y),
        0.2 * y + 2 * BUMP * np.cos(2 * x) * np.sin(2 * y),
    )


LANDSCAPES: dict[str, Landscape] = {
    land.name: land
    for land in (
        Landscape(
            "ravine", "a long narrow ravine", "f = 0.01·x² + 2·y²", _ravine, _ravine_grad,
            minimum=(0.0, 0.0), extent=(-5.0, 5.0, -2.0, 2.0), start=(-4.5, 1.5),
            lrs={"sgd": 0.45, "momentum": 0.1, "rmsprop": 0.05, "adam": 0.1},
        ),
        Landscape(
            "rosenbrock", "Rosenbrock's banana valley", "f = (1 − x)² + 100·(y − x²)²", _rosenbrock,
            _rosenbrock_grad, minimum=(1.0, 1.0), extent=(-2.0, 2.0, -1.0, 3.0), start=(-1.5, 2.0),
            lrs={"sgd": 0.001, "momentum": 0.0002, "rmsprop": 0.003, "adam": 0.05},
        ),
        Landscape(
            "bumpy", "a bumpy bowl", "f = 0.1·(x² + y²) + 0.4·(1 − cos 2x·cos 2y)", _bumpy, _bumpy_grad,
            minimum=(0.0, 0.0), extent=(-4.0, 4.0, -4.0, 4.0), start=(3.5, 2.5),
            lrs={"sgd": 0.1, "momentum": 0.02, "rmsprop": 0.02, "adam": 0.1},
        ),
    )
}


def get_landscape(name: str) -> Landscape:
    """The landscape called ``name``; ``ValueError`` naming the choices otherwise."""
    try:
        return LANDSCAPES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown landscape {name!r}; choose one of {', '.join(LANDSCAPES)}") from None


def check_point(x: object, y: object, landscape: Landscape) -> tuple[float, float]:
    """``(x, y)`` as floats inside the landscape's box, or ``ValueError`` saying where the box is."""
    xmin, xmax, ymin, ymax = landscape.extent
    return (
        as_float(x, "the start's x", lo=xmin, hi=xmax),
        as_float(y, "the start's y", lo=ymin, hi=ymax),
    )

"""One way to turn "a seed, a generator or nothing" into a NumPy ``Generator``."""

from __future__ import annotations

import numbers

import numpy as np

from algorithms.checks import as_int

RngLike = int | np.random.Generator | None


def as_rng(rng: RngLike = None) -> np.random.Generator:
    """Return a ``Generator``: ``rng`` itself, a new one seeded with the int ``rng``, or a fresh one.

    Passing the same Generator on shares its stream; passing an int always starts the same stream.
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(as_int(rng, "a seed", lo=0))
    raise ValueError(f"rng must be None, an integer seed or a numpy Generator, got {type(rng).__name__}")

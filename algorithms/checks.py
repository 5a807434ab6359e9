"""Argument checks shared by the algorithms: bad values become a ``ValueError`` a user can read."""

from __future__ import annotations

import math
import numbers


def as_float(
    value: object,
    what: str,
    lo: float | None = None,
    hi: float | None = None,
    lo_inclusive: bool = True,
    hi_inclusive: bool = True,
) -> float:
    """``value`` as a finite float within the given bounds, or ``ValueError`` naming ``what``."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number, got {x}")
    if lo is not None and (x < lo or (x == lo and not lo_inclusive)):
        raise ValueError(f"{what} must be {'≥' if lo_inclusive else '>'} {lo:g}, got {x:g}")
    if hi is not None and (x > hi or (x == hi and not hi_inclusive)):
        raise ValueError(f"{what} must be {'≤' if hi_inclusive else '<'} {hi:g}, got {x:g}")
    return x


def as_int(value: object, what: str, lo: int | None = None) -> int:
    """``value`` as an int (any integer type, not bool or float) ``≥ lo``, or ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if lo is not None and value < lo:
        raise ValueError(f"{what} must be at least {lo}, got {value}")
    return int(value)


def as_choice(value: object, choices, what: str) -> str:
    """``value`` if it is one of ``choices``, else ``ValueError``: "unknown {what} …; choose one of …"."""
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return value  # type: ignore[return-value]

"""Polynomial least squares, with an optional L2 (ridge) penalty, and error curves over degrees.

A polynomial of degree ``d`` is ``p(x) = c₀ + c₁x + … + c_d·x^d``; its coefficients come lowest power
first. :func:`fit_polynomial` minimises

    Σᵢ (yᵢ − p(xᵢ))² + l2 · (c₁² + … + c_d²)

(the constant term is not penalised, as in ridge regression with an intercept) by solving the
stacked least-squares problem ``[V; √l2·I′] c ≈ [y; 0]`` with an orthogonal decomposition, which stays
accurate where forming ``VᵀV`` would square the condition number. Keep ``x`` within about ``[-1, 1]``:
powers up to 15 of larger numbers are badly scaled.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from algorithms.checks import as_float, as_int

Array = np.ndarray


def _vector(values: object, what: str) -> Array:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers") from None
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a flat list of numbers, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{what} must be finite numbers")
    return arr


def poly_features(x: Array, degree: int) -> Array:
    """The Vandermonde matrix ``[1, x, x², …, x^degree]``, shape ``(len(x), degree + 1)``."""
    degree = as_int(degree, "the degree", lo=0)
    x = _vector(x, "x")
    return np.vander(x, degree + 1, increasing=True)


def fit_polynomial(x: Array, y: Array, degree: int, l2: float = 0.0) -> Array:
    """Coefficients (lowest power first) of the degree-``degree`` polynomial that minimises the squared
    error on ``(x, y)`` plus ``l2`` times the squared coefficients other than the constant.

    With ``l2 = 0`` and fewer points than coefficients the fit passes through every point and the
    smallest coefficients that do so are returned.
    """
    x, y = _vector(x, "x"), _vector(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if len(x) == 0:
        raise ValueError("a fit needs at least one point")
    l2 = as_float(l2, "the L2 penalty", lo=0)
    V = poly_features(x, degree)
    if l2 > 0:
        penalty = np.sqrt(l2) * np.eye(degree + 1)[1:]
        V = np.vstack((V, penalty))
        y = np.concatenate((y, np.zeros(degree)))
    coef, *_ = np.linalg.lstsq(V, y, rcond=None)
    return coef


def poly_eval(coef: Array, x: Array) -> Array:
    """``p(x)`` for coefficients lowest power first (Horner's rule)."""
    coef = _vector(coef, "the coefficients")
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    for c in coef[::-1]:
        out = out * x + c
    return out


def mse(pred: Array, y: Array) -> float:
    """Mean squared difference."""
    pred, y = np.asarray(pred, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if pred.shape != y.shape:
        raise ValueError(f"shapes differ: {pred.shape} and {y.shape}")
    return float(np.mean((pred - y) ** 2))


def error_curves(
    x_train: Array, y_train: Array, x_test: Array, y_test: Array, degrees: Iterable[int], l2: float = 0.0
) -> tuple[Array, Array]:
    """Training and test MSE of the fit of each degree: two arrays as long as ``degrees``."""
    train, test = [], []
    for d in degrees:
        coef = fit_polynomial(x_train, y_train, d, l2)
        train.append(mse(poly_eval(coef, x_train), y_train))
        test.append(mse(poly_eval(coef, x_test), y_test))
    return np.array(train), np.array(test)

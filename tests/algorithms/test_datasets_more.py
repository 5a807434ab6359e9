"""The extra data sets: k-arm spirals, rings, the k-colour checkerboard and the two regressions."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.datasets import (
    BUMP_CENTRES,
    bumps_values,
    checkerboard,
    plane_values,
    regression_bumps,
    regression_plane,
    rings,
    spirals,
    two_spirals,
)

CLASSIFIERS = [
    lambda n, **kw: spirals(n, arms=3, **kw),
    lambda n, **kw: rings(n, k=3, **kw),
    lambda n, **kw: checkerboard(n, k=3, **kw),
]


@pytest.mark.parametrize("make", CLASSIFIERS)
@pytest.mark.parametrize("n", [3, 10, 301])
def test_three_balanced_classes_inside_the_unit_box(make, n) -> None:
    X, y = make(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float64 and y.dtype == np.int64
    counts = np.bincount(y, minlength=3)
    assert len(counts) == 3 and counts.max() - counts.min() <= 1
    assert np.abs(X).max() <= 1.0
    X2, y2 = make(n, rng=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


@pytest.mark.parametrize("make", CLASSIFIERS)
def test_noise_jitters_the_same_points(make) -> None:
    clean, y0 = make(3000, rng=4)
    noisy, y1 = make(3000, noise=0.1, rng=4)
    assert np.array_equal(y0, y1)
    assert (noisy - clean).std() == pytest.approx(0.1, rel=0.05)


def test_three_arms_follow_their_closed_form() -> None:
    X, y = spirals(600, arms=3, turns=1.0, rng=2)
    r = np.hypot(X[:, 0], X[:, 1])
    angle = 2 * np.pi * r + 2 * np.pi * y / 3
    np.testing.assert_allclose(X, np.column_stack((r * np.cos(angle), r * np.sin(angle))), atol=1e-12)


def test_two_arms_match_two_spirals_geometry() -> None:
    X, y = spirals(400, arms=2, turns=1.75, rng=1)
    r = np.hypot(X[:, 0], X[:, 1])
    angle = 2 * np.pi * 1.75 * r + np.pi * y  # the closed form of two_spirals
    np.testing.assert_allclose(X, np.column_stack((r * np.cos(angle), r * np.sin(angle))), atol=1e-12)
    assert two_spirals(400, rng=1)[0].shape == X.shape


def test_rings_are_separate_bands() -> None:
    X, y = rings(3000, k=3, rng=0)
    r = np.hypot(X[:, 0], X[:, 1])
    for c in range(3):
        lo = 0.0 if c == 0 else (c + 0.3) / 3
        assert r[y == c].min() >= lo - 1e-12 and r[y == c].max() <= (c + 1) / 3 + 1e-12
    assert r[y == 0].max() < r[y == 1].min() < r[y == 1].max() < r[y == 2].min()


def test_checkerboard_squares_have_class_i_plus_j_mod_k() -> None:
    X, y = checkerboard(3000, k=3, rng=0)
    i = np.floor((X[:, 0] + 1) / (2 / 3)).astype(int)
    j = np.floor((X[:, 1] + 1) / (2 / 3)).astype(int)
    assert np.array_equal(y, (i + j) % 3)
    assert len(set(zip(i.tolist(), j.tolist()))) == 9  # every square is used
    frac = ((X + 1) / (2 / 3)) % 1
    assert frac.min() >= 0.05 - 1e-9 and frac.max() <= 0.95 + 1e-9


def test_regressions_take_their_values_from_the_formula() -> None:
    X, v = regression_plane(500, rng=3)
    np.testing.assert_allclose(v, (X[:, 0] + X[:, 1]) / 2, atol=1e-15)
    assert np.abs(X).max() <= 1 and v.dtype == np.float64
    X, v = regression_bumps(500, rng=3)
    d2 = ((X[:, None, :] - BUMP_CENTRES[None]) ** 2).sum(-1)
    expected = sum(s * np.exp(-d2[:, i] / (2 * 0.3**2)) for i, s in enumerate([1, -1, -1, 1]))
    np.testing.assert_allclose(v, expected, atol=1e-12)
    assert bumps_values(np.array([[0.5, 0.5]]))[0] < -0.9 and bumps_values(np.array([[-0.5, 0.5]]))[0] > 0.9
    np.testing.assert_allclose(plane_values(np.array([[1.0, 1.0], [-1.0, 0.0]])), [1.0, -0.5])


def test_regression_noise_moves_points_not_values() -> None:
    X0, v0 = regression_plane(2000, rng=7)
    X1, v1 = regression_plane(2000, noise=0.2, rng=7)
    assert np.array_equal(v0, v1) and (X1 - X0).std() == pytest.approx(0.2, rel=0.05)


@pytest.mark.parametrize(
    "call",
    [
        lambda: spirals(2, arms=3),
        lambda: spirals(10, arms=0),
        lambda: spirals(10, turns=0),
        lambda: rings(10, k=0),
        lambda: rings(2, k=3),
        lambda: checkerboard(10, k=1),
        lambda: checkerboard(10, noise=-1),
        lambda: regression_plane(1),
        lambda: regression_bumps(10, noise=float("inf")),
    ],
)
def test_bad_arguments_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()

"""Data sets: shapes, balance, determinism, geometry, argument checks."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.datasets import DATASETS, circle, gaussian_blobs, grid_points, make_dataset, two_spirals, xor
from algorithms.rng import as_rng

NAMES = sorted(DATASETS)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [2, 7, 200, 301])
def test_shapes_dtypes_and_balance(name: str, n: int) -> None:
    X, y = make_dataset(name, n=n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == 2 and counts.min() >= 1
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_other_seed_other_data(name: str) -> None:
    X1, y1 = make_dataset(name, rng=5, noise=0.1)
    X2, y2 = make_dataset(name, rng=5, noise=0.1)
    X3, _ = make_dataset(name, rng=6, noise=0.1)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_a_shared_generator_moves_on(name: str) -> None:
    gen = np.random.default_rng(1)
    X1, _ = make_dataset(name, rng=gen)
    X2, _ = make_dataset(name, rng=gen)
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("name", ["spiral", "circle", "xor"])
def test_clean_points_stay_inside_the_unit_square(name: str) -> None:
    X, _ = make_dataset(name, n=500, rng=3)
    assert np.abs(X).max() <= 1.0


@pytest.mark.parametrize("name", NAMES)
def test_noise_is_gaussian_jitter_on_the_same_points(name: str) -> None:
    clean, y0 = make_dataset(name, n=4000, rng=9)
    noisy, y1 = make_dataset(name, n=4000, noise=0.05, rng=9)
    assert np.array_equal(y0, y1)
    jitter = noisy - clean
    assert abs(jitter.mean()) < 0.005
    assert jitter.std() == pytest.approx(0.05, rel=0.05)


def test_spiral_points_lie_on_their_arms() -> None:
    turns = 1.75
    X, y = two_spirals(400, turns=turns, rng=2)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() >= 0.05 - 1e-12 and r.max() <= 1.0 + 1e-12
    # Closed form of arm c: angle = 2π·turns·r + c·π.
    angle = 2 * np.pi * turns * r + np.pi * y
    np.testing.assert_allclose(X, np.column_stack((r * np.cos(angle), r * np.sin(angle))), atol=1e-12)


@pytest.mark.parametrize("label", [0, 1])
def test_spiral_radius_grows_with_angle_along_each_arm(label: int) -> None:
    X, y = two_spirals(300, rng=4)
    arm = X[y == label]
    order = np.argsort(np.hypot(arm[:, 0], arm[:, 1]))
    theta = np.unwrap(np.arctan2(arm[order, 1], arm[order, 0]))
    assert np.all(np.diff(theta) > 0)
    assert theta[-1] - theta[0] > 2 * np.pi * 1.5  # it really winds


def test_circle_inner_disc_and_outer_ring() -> None:
    X, y = circle(1000, rng=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() <= 0.5
    assert r[y == 0].min() >= 0.7 and r[y == 0].max() <= 1.0


def test_circle_radii_can_be_chosen_and_defaults_are_unchanged() -> None:
    X, y = circle(1000, rng=3, radii=(0.3, 0.65, 0.9))
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() <= 0.3 and r[y == 1].max() > 0.28
    assert r[y == 0].min() >= 0.65 and r[y == 0].max() <= 0.9
    X0, y0 = circle(300, rng=5)
    X1, y1 = circle(300, rng=5, radii=(0.5, 0.7, 1.0))
    np.testing.assert_array_equal(X0, X1)
    np.testing.assert_array_equal(y0, y1)
    for bad in [(0.5, 0.4, 1.0), (0.5, 0.7, 0.7), (0.0, 0.5, 1.0), (0.5, 0.7), ("a", 1, 2), 3]:
        with pytest.raises(ValueError, match="radi"):
            circle(50, rng=0, radii=bad)  # type: ignore[arg-type]


def test_xor_labels_follow_the_quadrants() -> None:
    X, y = xor(1000, rng=0)
    assert np.array_equal(y, (np.sign(X[:, 0]) * np.sign(X[:, 1]) > 0).astype(np.int64))
    assert np.abs(X).min() >= 0.05
    quadrant = (X[:, 0] > 0).astype(int) * 2 + (X[:, 1] > 0)
    assert len(np.unique(quadrant)) == 4


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_blobs_have_k_classes_around_distinct_centres(k: int) -> None:
    X, y = gaussian_blobs(3000, k=k, spread=0.1, rng=1)
    assert np.array_equal(np.unique(y), np.arange(k))
    means = np.array([X[y == c].mean(axis=0) for c in range(k)])
    stds = np.array([X[y == c].std(axis=0) for c in range(k)])
    np.testing.assert_allclose(stds, 0.1, rtol=0.15)
    if k == 1:
        np.testing.assert_allclose(means, 0.0, atol=0.01)
    else:
        np.testing.assert_allclose(np.hypot(means[:, 0], means[:, 1]), 0.55, atol=0.02)
        gaps = np.linalg.norm(means[:, None] - means[None], axis=-1) + np.eye(k)
        assert gaps.min() > 0.3


@pytest.mark.parametrize(
    "call",
    [
        lambda: two_spirals(1),
        lambda: two_spirals(2.5),  # type: ignore[arg-type]
        lambda: two_spirals(10, noise=-0.1),
        lambda: two_spirals(10, noise=float("nan")),
        lambda: two_spirals(10, noise=10**400),
        lambda: two_spirals(10, turns=0),
        lambda: circle(0),
        lambda: xor(10, noise=-1),
        lambda: gaussian_blobs(10, k=0),
        lambda: gaussian_blobs(3, k=4),
        lambda: gaussian_blobs(10, spread=-1),
        lambda: make_dataset("moons"),
        lambda: make_dataset("xor", colour="red"),
        lambda: two_spirals(10, rng="seed"),  # type: ignore[arg-type]
        lambda: two_spirals(10, rng=-3),
    ],
)
def test_bad_arguments_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()


def test_as_rng() -> None:
    gen = np.random.default_rng(0)
    assert as_rng(gen) is gen
    assert as_rng(7).integers(1 << 30) == np.random.default_rng(7).integers(1 << 30)
    assert isinstance(as_rng(None), np.random.Generator)
    with pytest.raises(ValueError):
        as_rng(True)  # type: ignore[arg-type]


def test_grid_points_are_cell_centres_in_reading_order() -> None:
    pts = grid_points(4, 3, (0.0, 8.0, -3.0, 3.0))
    assert pts.shape == (12, 2) and pts.dtype == np.float64 and not pts.flags.writeable
    image = pts.reshape(3, 4, 2)
    np.testing.assert_array_equal(image[0, :, 0], [1.0, 3.0, 5.0, 7.0])  # x grows along a row
    np.testing.assert_array_equal(image[:, 0, 1], [2.0, 0.0, -2.0])  # row 0 is the top
    assert grid_points(4, 3, [0, 8, -3, 3]) is pts  # cached, whatever the sequence type
    assert grid_points(4, 3, dtype=np.float32).dtype == np.float32
    assert grid_points(0, 5).shape == (0, 2)
    for bad in [(-1, 3, (0, 1, 0, 1)), (2, 2, (1, 0, 0, 1)), (2, 2, (0, 1)), (2, 2, (0, 1, 0, float("inf"))), (2.5, 2, (0, 1, 0, 1))]:
        with pytest.raises(ValueError):
            grid_points(*bad)

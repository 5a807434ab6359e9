"""vectors: 2×2 matrices on the plane, checked against numpy.linalg and closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms import linalg2d as la
from algorithms.linalg2d import PlaneTransform

entry = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
matrices = st.lists(entry, min_size=4, max_size=4).map(lambda v: np.array(v).reshape(2, 2))
vectors = st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=2).map(np.array)


@settings(max_examples=100, deadline=None)
@given(matrices)
def test_det_is_ad_minus_bc_and_agrees_with_numpy(m):
    (a, b), (c, d) = m
    assert la.det(m) == a * d - b * c
    assert la.det(m) == pytest.approx(np.linalg.det(m), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(matrices, matrices)
def test_det_of_a_product_is_the_product_of_dets(a, b):
    ab = la.matmul(a, b)
    np.testing.assert_allclose(ab, a @ b, atol=1e-12)
    assert la.det(ab) == pytest.approx(la.det(a) * la.det(b), abs=1e-8 * (1 + np.abs(ab).max() ** 2))


@settings(max_examples=100, deadline=None)
@given(matrices, vectors)
def test_apply_is_the_matrix_vector_product(m, v):
    np.testing.assert_allclose(la.apply(m, v), m @ v, atol=1e-12)
    pts = np.stack([v, 2 * v, -v])
    np.testing.assert_allclose(la.apply(m, pts), pts @ m.T, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(matrices)
def test_inverse_matches_numpy_or_refuses_a_singular_matrix(m):
    if la.is_singular(m):
        with pytest.raises(ValueError, match="singular"):
            la.inverse(m)
    elif abs(la.det(m)) > 1e-6:
        np.testing.assert_allclose(la.inverse(m) @ m, np.eye(2), atol=1e-6)
        np.testing.assert_allclose(la.inverse(m), np.linalg.inv(m), rtol=1e-9, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(matrices.filter(lambda m: 0.3 < abs(np.linalg.det(m)) and np.abs(m).max() < 3))
def test_image_of_the_unit_square_has_area_abs_det(m):
    # count grid points inside M's image of the unit square: area ≈ |det M|
    span = np.abs(m).sum(axis=1).max() + 0.1
    xs = np.linspace(-span, span, 401)
    mask = la.unit_square_mask(m, xs, xs)
    h = xs[1] - xs[0]
    perimeter = 2 * (np.hypot(*m[:, 0]) + np.hypot(*m[:, 1]))
    # counting grid points misses or adds at most a band one spacing wide along the boundary
    assert mask.sum() * h * h == pytest.approx(abs(np.linalg.det(m)), abs=perimeter * h)


def test_singular_preset_squashes_the_plane_onto_a_line():
    m = la.preset("singular")
    assert la.is_singular(m) and np.linalg.matrix_rank(m) == 1
    info = la.collapse(m)
    assert info is not None and info.image == "line"
    pts = np.random.default_rng(0).normal(size=(50, 2)) * 3
    images = la.apply(m, pts)
    d = info.direction
    cross = images[:, 0] * d[1] - images[:, 1] * d[0]
    np.testing.assert_allclose(cross, 0, atol=1e-9)  # every image lies on the line along d
    np.testing.assert_allclose(la.apply(m, info.kernel), 0, atol=1e-12)  # the kernel is crushed to 0
    assert np.hypot(*info.kernel) == pytest.approx(1)
    assert not la.unit_square_mask(m, np.linspace(-3, 3, 50), np.linspace(-3, 3, 50)).any()


def test_zero_matrix_collapses_to_a_point_and_invertible_has_no_collapse():
    assert la.collapse(np.zeros((2, 2))).image == "point"
    assert la.collapse(la.preset("shear")) is None


@settings(max_examples=50, deadline=None)
@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5))
def test_rank_one_matrices_count_as_singular(p, q, s):
    m = np.outer([p, q], [1.0, s])  # rows are multiples of one another
    assert la.is_singular(m)
    assert la.collapse(m) is not None


def test_preset_kinds_and_determinants():
    expected = {"rotate 90°": 1.0, "shear": 1.0, "scale": 1.0, "reflect": -1.0, "singular": 0.0, "identity": 1.0}
    for name, d in expected.items():
        assert la.det(la.preset(name)) == pytest.approx(np.linalg.det(la.PRESETS[name])) == pytest.approx(d)
    assert la.kind(la.preset("rotate 90°")) == "rotation by 90°"
    assert la.kind(la.preset("reflect")) == "reflection"
    assert la.kind(la.preset("shear")) == "shear"
    assert la.kind(la.preset("scale")) == "scaling"
    assert la.kind(la.preset("singular")) == "singular"
    assert la.kind(np.array([[1.0, 2.0], [3.0, 4.0]])) == "general"


@settings(max_examples=60, deadline=None)
@given(matrices, vectors, st.integers(1, 90))
def test_animation_starts_at_identity_and_ends_exactly_at_m(m, v, frames):
    pt = PlaneTransform(matrix=m, vector=v, frames=frames)
    assert np.array_equal(pt.current, np.eye(2))
    np.testing.assert_array_equal(pt.image, v)
    k = frames // 2
    pt.steps(k)
    np.testing.assert_allclose(pt.current, np.eye(2) + (k / frames) * (m - np.eye(2)), atol=1e-12)
    pt.steps(frames - k)
    assert pt.at_end and pt.t == 1.0
    assert np.array_equal(pt.current, m)  # exactly M, not a rounded neighbour
    np.testing.assert_allclose(pt.image, m @ v, atol=1e-12)
    pt.step()  # holds at the end
    assert np.array_equal(pt.current, m)


def test_step_back_and_frames_knob():
    pt = PlaneTransform("rotate 90°", frames=10)
    assert not pt.can_step_back
    pt.steps(4)
    pt.step_back()
    assert pt.frame == 3
    pt.set_frames(20)
    assert pt.t == pytest.approx(0.3, abs=0.05) and pt.frames == 20
    pt.reset()
    with pytest.raises(ValueError):
        pt.step_back()


def test_grid_lines_stay_straight_lines_through_mapped_points():
    m = np.array([[1.5, -0.5], [0.7, 1.2]])
    segs = la.grid_segments(m, 3)
    assert segs.shape == (14, 2, 2)
    # the mapped grid line x = 1 passes through M·(1, y) for every y
    line = segs[3 + 1]
    for y in (-2.0, 0.5, 2.9):
        p = m @ np.array([1.0, y])
        a, b = line
        cross = (b - a)[0] * (p - a)[1] - (b - a)[1] * (p - a)[0]
        assert cross == pytest.approx(0, abs=1e-9)


def test_editing_entries_validates_and_shows_the_full_transform():
    pt = PlaneTransform("identity")
    pt.set_entry("b", 2.5)
    assert pt.matrix[0, 1] == 2.5 and pt.at_end and pt.preset_name == "custom"
    for bad in ("x", float("nan"), float("inf"), 6.0, None):
        with pytest.raises(ValueError, match="entry b"):
            pt.set_entry("b", bad)
    assert pt.entry("b") == 2.5
    with pytest.raises(ValueError, match="unknown entry"):
        pt.set_entry("e", 1)
    with pytest.raises(ValueError, match="2×2"):
        la.as_matrix([[1, 2, 3]])
    with pytest.raises(ValueError, match="unknown preset"):
        pt.set_preset("spin")
    pt.set_preset("reflect")
    assert pt.preset_name == "reflect" and pt.frame == 0


def test_moving_the_vector_is_clamped():
    pt = PlaneTransform(vector=(4.5, 0))
    pt.move_vector(1.0, -0.5)
    np.testing.assert_array_equal(pt.vector, [5.0, -0.5])
    with pytest.raises(ValueError):
        pt.set_vector((1, 2, 3))
    with pytest.raises(ValueError):
        pt.set_vector((9, 0))

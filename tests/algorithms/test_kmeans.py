"""kmeans: inertia never increases, and from the same initial centroids the result equals Lloyd's
algorithm as scikit-learn runs it.

References: sklearn.cluster.KMeans(init=centroids, n_init=1, algorithm="lloyd"), brute-force
nearest centres and means written here, and the exact k-means++ distribution on a tiny set.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans as SKMeans

from algorithms.clustering import INITS, KMeans, assign, init_plus_plus, init_random, inertia, lloyd, move


def sklearn_lloyd(X: np.ndarray, C0: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SKMeans(n_clusters=len(C0), init=C0, n_init=1, algorithm="lloyd", tol=0, max_iter=500).fit(X)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    k=st.integers(1, 8),
    groups=st.integers(1, 8),
    spread=st.floats(0.02, 0.6),
    init=st.sampled_from(INITS),
)
def test_inertia_never_increases(seed, k, groups, spread, init):
    sim = KMeans(seed=seed, k=k, groups=groups, n_points=60, spread=spread, init=init)
    sim.run()
    assert sim.converged
    h = sim.inertia_history
    assert len(h) == sim.t
    assert np.all(np.diff(h) <= 1e-12 * max(1.0, h[0]))
    # each value is the inertia of that moment, recomputed by hand at the end
    assert h[-1] == pytest.approx(((sim.X - sim.centroids[sim.labels]) ** 2).sum())


@settings(max_examples=30, deadline=None)
@given(
    X=st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=8, max_size=40, unique=True),
    k=st.integers(1, 5),
    seed=st.integers(0, 1000),
)
def test_each_half_step_cannot_raise_inertia_on_any_points(X, k, seed):
    X = np.array(X)
    C = init_random(X, k, seed)
    labels = assign(X, C)
    # assignment: nearest centre by brute force
    for i, x in enumerate(X):
        d = [float(((x - c) ** 2).sum()) for c in C]
        assert d[labels[i]] == min(d)
    before = inertia(X, C, labels)
    C2 = move(X, labels, C)
    for j in range(k):
        members = X[labels == j]
        expected = members.mean(axis=0) if len(members) else C[j]
        assert np.allclose(C2[j], expected)
    assert inertia(X, C2, labels) <= before + 1e-12
    assert inertia(X, C2, assign(X, C2)) <= inertia(X, C2, labels) + 1e-12


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [2, 4, 7])
def test_result_equals_sklearn_lloyd_from_the_same_initial_centroids(init, seed, k):
    sim = KMeans(seed=seed, k=k, groups=4, n_points=150, init=init)
    C0 = sim.initial_centroids.copy()
    sim.run()
    ref = sklearn_lloyd(sim.X, C0)
    assume_no_empty = np.all(np.bincount(ref.labels_, minlength=k) > 0)
    if not assume_no_empty:  # sklearn moves empty clusters elsewhere; we keep them in place
        pytest.skip("a cluster emptied")
    assert np.array_equal(sim.labels, ref.labels_)
    assert np.allclose(sim.centroids, ref.cluster_centers_, atol=1e-12)
    assert sim.inertia == pytest.approx(ref.inertia_, rel=1e-10)
    assert sim.rounds == ref.n_iter_
    # the free function agrees too
    C, labels, rounds = lloyd(sim.X, C0)
    assert np.array_equal(labels, ref.labels_) and rounds == ref.n_iter_


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6), spread=st.floats(0.05, 0.5))
def test_property_same_result_as_sklearn(seed, k, spread):
    sim = KMeans(seed=seed, k=k, groups=3, n_points=40, spread=spread)
    C0 = sim.initial_centroids.copy()
    sim.run()
    ref = sklearn_lloyd(sim.X, C0)
    assume(np.all(np.bincount(ref.labels_, minlength=k) > 0))
    assert np.array_equal(sim.labels, ref.labels_)
    assert np.allclose(sim.centroids, ref.cluster_centers_, atol=1e-10)


def test_phases_alternate_and_it_stops_when_nothing_moves():
    sim = KMeans(seed=1, k=3)
    assert sim.phase == "assign" and sim.labels is None and sim.inertia is None
    sim.step()
    assert sim.last_phase == "assign" and sim.phase == "move" and sim.n_changed == len(sim.X)
    C = sim.centroids.copy()
    sim.step()
    assert sim.last_phase == "move" and sim.phase == "assign" and sim.changed is None
    assert np.allclose(sim.previous_centroids, C) and sim.shift > 0
    sim.run()
    assert sim.converged and not sim.step()
    # the last step changed nothing: either no label moved or no centre moved
    if sim.last_phase == "assign":
        assert sim.n_changed == 0
    else:
        assert sim.shift == 0
    assert np.array_equal(assign(sim.X, sim.centroids), sim.labels)


def test_step_back_returns_to_every_earlier_state():
    sim = KMeans(seed=2, k=4, init="random")
    states = []
    while not sim.converged:
        states.append((sim.t, sim.phase, sim.centroids.copy(), None if sim.labels is None else sim.labels.copy()))
        sim.step()
    for t, phase, C, labels in reversed(states):
        sim.step_back()
        assert (sim.t, sim.phase) == (t, phase) and np.array_equal(sim.centroids, C)
        assert (sim.labels is None) == (labels is None)
        assert len(sim.inertia_history) == t
    assert not sim.can_step_back


def test_k_means_plus_plus_draws_proportional_to_squared_distance():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]])
    # exact distribution of the ordered pair (first, second)
    d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
    expected = {}
    for i in range(3):
        for j in range(3):
            if i != j:
                expected[(i, j)] = (1 / 3) * d2[i, j] / d2[i].sum()
    counts = dict.fromkeys(expected, 0)
    trials = 3000
    gen = np.random.default_rng(0)
    for _ in range(trials):
        C = init_plus_plus(X, 2, gen)
        i, j = (int(np.flatnonzero((X == c).all(axis=1))[0]) for c in C)
        counts[(i, j)] += 1
    for pair, p in expected.items():
        assert counts[pair] / trials == pytest.approx(p, abs=0.03)
    # random start: distinct data points
    C = init_random(X, 3, 1)
    assert len({tuple(c) for c in C}) == 3


def test_knobs_restart_and_bad_input_gets_a_message():
    sim = KMeans(seed=0, k=3)
    sim.steps(3)
    sim.set_k(5)
    assert sim.t == 0 and len(sim.centroids) == 5
    sim.set_init("random")
    assert sim.init == "random"
    with pytest.raises(ValueError, match="K must be between 1 and 8"):
        sim.set_k(9)
    with pytest.raises(ValueError, match="start"):
        sim.set_init("farthest")
    with pytest.raises(ValueError, match="groups"):
        sim.set_groups(0)
    with pytest.raises(ValueError, match="needs at least"):
        init_random(np.zeros((2, 2)), 3)
    with pytest.raises(ValueError, match="finite"):
        sim.restart(np.full((5, 2), np.nan))
    a, b = KMeans(seed=7), KMeans(seed=7)
    a.run()
    b.run()
    assert np.array_equal(a.centroids, b.centroids)


def test_new_start_draws_other_centres_reproducibly():
    a, b = KMeans(seed=3, k=4), KMeans(seed=3, k=4)
    first = a.centroids.copy()
    a.new_start()
    b.new_start()
    assert a.draw == b.draw == 1 and np.array_equal(a.centroids, b.centroids)
    assert not np.array_equal(first, a.centroids)
    assert a.t == 0 and a.labels is None
    # every start is made of data points (both methods pick points of the set)
    assert all(any(np.array_equal(c, x) for x in a.X) for c in a.centroids)
    a.reset()
    assert a.draw == 0 and np.array_equal(a.centroids, first)

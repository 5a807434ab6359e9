"""decision-tree: each split maximises the impurity decrease among all candidate thresholds, and
splitting ends with pure leaves (or the depth limit).

References: a brute-force search written here with plain loops, scipy.stats.entropy, and
scikit-learn's DecisionTreeClassifier (same criterion and depth limit).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.tree import DecisionTreeClassifier

from algorithms.trees import DATASETS, TreeGrower, best_split, candidate_gains, entropy, gini, question


def brute_impurity(labels: list[int], criterion: str) -> float:
    n = len(labels)
    if n == 0:
        return 0.0
    ps = [labels.count(c) / n for c in set(labels)]
    if criterion == "gini":
        return 1 - sum(p * p for p in ps)
    return -sum(p * math.log2(p) for p in ps)


def brute_best(X: np.ndarray, y: np.ndarray, criterion: str) -> float:
    """The largest impurity decrease over every feature and every threshold between two values."""
    best = -math.inf
    labels = y.tolist()
    parent = brute_impurity(labels, criterion)
    for f in range(X.shape[1]):
        values = sorted(set(X[:, f].tolist()))
        for a, b in zip(values, values[1:]):
            t = (a + b) / 2
            left = [lab for lab, v in zip(labels, X[:, f]) if v <= t]
            right = [lab for lab, v in zip(labels, X[:, f]) if v > t]
            child = (len(left) * brute_impurity(left, criterion) + len(right) * brute_impurity(right, criterion)) / len(labels)
            best = max(best, parent - child)
    return best


def test_impurities_match_closed_forms():
    counts = np.array([[5, 0, 0], [3, 3, 0], [2, 2, 2], [1, 0, 3]])
    expected_gini = [0.0, 0.5, 2 / 3, 1 - (1 / 16 + 9 / 16)]
    assert np.allclose(gini(counts), expected_gini)
    assert np.allclose(entropy(counts), [stats.entropy(c, base=2) for c in counts])
    assert gini([0, 0]) == 0.0 and entropy([0, 0]) == 0.0


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("data", DATASETS)
def test_every_split_is_the_best_of_all_candidate_thresholds(criterion, data):
    tree = TreeGrower(seed=3, data=data, n_points=60, criterion=criterion, max_depth=4)
    tree.grow()
    assert tree.splits > 0
    for node_id in tree.order:
        node = tree.nodes[node_id]
        X, y = tree.X[node.indices], tree.y[node.indices]
        split = node.split
        assert split.gain == pytest.approx(brute_best(X, y, criterion), abs=1e-12)
        # the chosen threshold's own decrease, recomputed by hand
        labels = y.tolist()
        left = [lab for lab, v in zip(labels, X[:, split.feature]) if v <= split.threshold]
        right = [lab for lab, v in zip(labels, X[:, split.feature]) if v > split.threshold]
        own = brute_impurity(labels, criterion) - (
            len(left) * brute_impurity(left, criterion) + len(right) * brute_impurity(right, criterion)
        ) / len(labels)
        assert own == pytest.approx(split.gain, abs=1e-12)
        assert (split.n_left, split.n_right) == (len(left), len(right))
        assert split.parent_impurity == pytest.approx(brute_impurity(labels, criterion))
        # the children hold exactly the points on each side
        yes, no = (tree.nodes[c] for c in node.children)
        assert sorted(yes.indices.tolist() + no.indices.tolist()) == sorted(node.indices.tolist())
        assert np.all(tree.X[yes.indices, split.feature] <= split.threshold)
        assert np.all(tree.X[no.indices, split.feature] > split.threshold)


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(
        st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.integers(0, 2)), min_size=2, max_size=25
    ),
    criterion=st.sampled_from(["gini", "entropy"]),
    depth=st.integers(1, 8),
)
def test_growth_ends_with_pure_leaves_or_the_depth_limit(points, criterion, depth):
    X = np.array([(a / 5, b / 5) for a, b, _ in points], dtype=float)
    y = np.array([c for _, _, c in points])
    tree = TreeGrower(criterion=criterion, max_depth=depth)
    tree.set_data(X, y)
    tree.grow()
    assert tree.done
    for leaf in tree.leaves:
        if leaf.pure:
            continue
        same_point = len(np.unique(tree.X[leaf.indices], axis=0)) == 1
        assert leaf.depth == depth or same_point
    # the splits along the way were each the best available (brute force), never a worse one
    for node_id in tree.order:
        node = tree.nodes[node_id]
        assert node.split.gain == pytest.approx(brute_best(tree.X[node.indices], tree.y[node.indices], criterion), abs=1e-12)
    # total weighted impurity never rises as splits are added
    totals = []
    while tree.can_step_back:
        totals.append(tree.total_impurity)
        tree.step_back()
    totals.append(tree.total_impurity)
    assert all(a <= b + 1e-12 for a, b in zip(totals, totals[1:]))


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_sklearn_where_the_greedy_choice_is_unique(criterion, seed):
    tree = TreeGrower(seed=seed, data="blobs", n_points=150, criterion=criterion, max_depth=2)
    tree.grow()
    sk = DecisionTreeClassifier(criterion=criterion, max_depth=2, random_state=0).fit(tree.X, tree.y)
    t = sk.tree_
    # the root: same question, same impurity
    assert t.feature[0] == tree.root.split.feature
    assert t.threshold[0] == pytest.approx(tree.root.split.threshold, abs=1e-6)  # sklearn stores X as float32
    assert t.impurity[0] == pytest.approx(tree.root.impurity, abs=1e-12)
    # the depth-2 trees carve the plane the same way (checked on a dense grid)
    g = np.stack(np.meshgrid(np.linspace(-1.2, 1.2, 97), np.linspace(-1.2, 1.2, 89)), -1).reshape(-1, 2)
    assert np.array_equal(tree.predict(g), sk.predict(g))
    # grown without a limit both fit every training point
    full = TreeGrower(seed=seed, data="blobs", n_points=150, criterion=criterion, max_depth=20)
    full.grow()
    sk_full = DecisionTreeClassifier(criterion=criterion, random_state=0).fit(full.X, full.y)
    assert full.accuracy == sk_full.score(full.X, full.y) == 1.0
    assert full.stop_reason == "every leaf is pure"


def test_next_split_is_the_largest_weighted_decrease_and_step_back_undoes_it():
    tree = TreeGrower(seed=5, data="checker", n_points=120, max_depth=6)
    tree.steps(4)
    n = len(tree.y)
    scores = {leaf.id: leaf.split.gain * leaf.n / n for leaf in tree.leaves if tree.can_split(leaf)}
    best = max(scores.values())
    nodes_before = len(tree.nodes)
    tree.step()
    assert scores[tree.last.id] == pytest.approx(best)
    assert len(tree.nodes) == nodes_before + 2 and tree.splits == 5
    tree.step_back()
    assert len(tree.nodes) == nodes_before and tree.splits == 4 and tree.nodes[tree.order[-1]].children


def test_depth_limit_keeps_splits_above_it_and_criterion_restarts():
    tree = TreeGrower(seed=2, data="xor", max_depth=8)
    tree.grow()
    deep = tree.splits
    kept = [tree.nodes[i].path for i in tree.order if tree.nodes[i].depth < 3]
    tree.set_max_depth(3)
    assert [tree.nodes[i].path for i in tree.order] == kept
    assert tree.depth <= 3 and tree.done
    tree.set_max_depth(8)
    tree.grow()
    assert tree.splits == deep
    tree.set_criterion("entropy")
    assert tree.splits == 0 and len(tree.nodes) == 1


def test_candidate_gains_are_midpoints_and_regions_match_predictions():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [3.0, 1.0]])
    y = np.array([0, 0, 1, 1])
    t, g = candidate_gains(X, y, 0)
    assert t.tolist() == [0.5, 2.0]
    assert g[0] == pytest.approx(0.5 - 3 / 4 * (1 - (1 / 9 + 4 / 9)))
    s = best_split(X, y)
    assert (s.feature, s.threshold, s.gain) == (1, 0.5, 0.5) and question(s) == "x₂ ≤ 0.50?"
    tree = TreeGrower(seed=1, data="circle")
    tree.grow()
    classes, purity = tree.grid_regions(30, 20, (-1.2, 1.2, -1.2, 1.2))
    xs = -1.2 + (np.arange(30) + 0.5) * 2.4 / 30
    ys = 1.2 - (np.arange(20) + 0.5) * 2.4 / 20
    pts = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    assert np.array_equal(classes.ravel(), tree.predict(pts))
    assert np.all((purity > 0) & (purity <= 1))


def test_bad_input_is_refused_with_a_message():
    tree = TreeGrower()
    with pytest.raises(ValueError, match="impurity"):
        tree.set_criterion("chaos")
    with pytest.raises(ValueError, match="depth"):
        tree.set_max_depth(0)
    with pytest.raises(ValueError, match="data set"):
        tree.set_data_name("moons")
    with pytest.raises(ValueError, match="2-D"):
        tree.set_data(np.zeros((3, 3)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="whole numbers"):
        tree.set_data(np.zeros((3, 2)), np.array([0.5, 1, 0]))
    with pytest.raises(ValueError, match="root"):
        TreeGrower().step_back()

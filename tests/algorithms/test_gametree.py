"""Game trees, minimax and alpha-beta: every claim checked against references written here.

The references work on plain nested lists (a list is an inner node, an int a leaf) and share no
code with algorithms/gametree.py: a recursive minimax, strategy enumeration for depth 2, and the
standard fail-hard alpha-beta that records which leaves (by left-to-right position) it evaluates.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.gametree import (
    GameTree,
    GameTreeLab,
    TreeSearch,
    format_score,
    parse_leaves,
)

# ---------------------------------------------------------------------------------- references


def ref_minimax(node, maximizing=True):
    if isinstance(node, int):
        return node
    values = [ref_minimax(c, not maximizing) for c in node]
    return max(values) if maximizing else min(values)


def ref_alphabeta(node, alpha=-math.inf, beta=math.inf, maximizing=True, visited=None, counter=None):
    """Textbook fail-hard alpha-beta, left to right; appends evaluated leaf positions to ``visited``."""
    if counter is None:
        counter = [0]
    if visited is None:
        visited = []
    if isinstance(node, int):
        visited.append(counter[0])
        counter[0] += 1
        return node
    for i, child in enumerate(node):
        score = ref_alphabeta(child, alpha, beta, not maximizing, visited, counter)
        if maximizing:
            if score >= beta:
                counter[0] += sum(count_leaves(c) for c in node[i + 1 :])
                return beta
            alpha = max(alpha, score)
        else:
            if score <= alpha:
                counter[0] += sum(count_leaves(c) for c in node[i + 1 :])
                return alpha
            beta = min(beta, score)
    return alpha if maximizing else beta


def count_leaves(node) -> int:
    return 1 if isinstance(node, int) else sum(count_leaves(c) for c in node)


def ref_visited(nested) -> set[int]:
    visited: list[int] = []
    ref_alphabeta(nested, visited=visited)
    return set(visited)


def full_tree(values: list[int], b: int, d: int):
    """Left-to-right values as a full tree, built independently of the module's helper."""
    if d == 0:
        return values[0]
    size = b ** (d - 1)
    return [full_tree(values[i * size : (i + 1) * size], b, d - 1) for i in range(b)]


def perfectly_ordered(node, maximizing=True):
    """Children sorted best first for the player to move (by exact value)."""
    if isinstance(node, int):
        return node
    kids = [perfectly_ordered(c, not maximizing) for c in node]
    return sorted(kids, key=lambda c: ref_minimax(c, not maximizing), reverse=maximizing)


def leaf_positions(tree: GameTree, leaves) -> set[int]:
    """Leaf node ids -> left-to-right positions."""
    order = {leaf: i for i, leaf in enumerate(tree.leaves)}
    return {order[leaf] for leaf in leaves}


# ---------------------------------------------------------------------------------- strategies

scores = st.integers(-9, 9)


def nested_trees(max_leaves: int = 40):
    """Irregular trees: any branching 1–4, leaves at any depth."""
    return st.recursive(scores, lambda kids: st.lists(kids, min_size=1, max_size=4),
                        max_leaves=max_leaves).filter(lambda t: isinstance(t, list))


@st.composite
def full_trees(draw, max_depth: int = 4):
    b = draw(st.integers(2, 4))
    d = draw(st.integers(1, max_depth))
    values = draw(st.lists(scores, min_size=b**d, max_size=b**d))
    return b, d, full_tree(values, b, d)


# ---------------------------------------------------------------------------------- trees


def test_from_nested_round_trips_and_numbers_nodes_in_pre_order():
    nested = [[3, [4, 5]], 7, [1, 2, 0]]
    tree = GameTree.from_nested(nested)
    assert tree.to_nested() == nested
    assert tree.children[0] == (1, 6, 7)
    assert tree.names[:5] == ("root", "1", "1.1", "1.2", "1.2.1")
    assert tree.depth == 3 and len(tree.leaves) == 7
    assert [tree.is_max(i) for i in (0, 1, 2, 3, 4)] == [True, False, True, True, False]


@pytest.mark.parametrize("b,d", [(2, 2), (3, 3), (4, 5)])
def test_random_trees_are_full_seeded_and_in_range(b, d):
    t1 = GameTree.random(d, b, 7)
    t2 = GameTree.random(d, b, 7)
    assert t1 == t2 and t1 != GameTree.random(d, b, 8)
    assert len(t1.leaves) == b**d and t1.depth == d
    assert all(len(k) in (0, b) for k in t1.children)
    assert all(-9 <= t1.leaf_value[i] <= 9 for i in t1.leaves)


def test_typed_leaves_format():
    assert parse_leaves("3 12 8 | 2 4 6 | 14 5 2").to_nested() == [[3, 12, 8], [2, 4, 6], [14, 5, 2]]
    assert parse_leaves("3 5 | 2 9 || 1 4 | 8 6").to_nested() == [[[3, 5], [2, 9]], [[1, 4], [8, 6]]]
    assert parse_leaves("1 2 3 4 5 6 7 8", branching=2).to_nested() == [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    assert parse_leaves("1 2 3 4 5 6 7 8 9", branching=3).to_nested() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert parse_leaves("−4 5 | 0 -7").to_nested() == [[-4, 5], [0, -7]]


@given(nested_trees())
@settings(max_examples=40, deadline=None)
def test_to_text_reads_back_for_uniform_depth_trees(nested):
    tree = GameTree.from_nested(nested)
    depths = {tree.depths[i] for i in tree.leaves}
    # the root's children are split by the longest run of bars, so it needs two of them
    if len(depths) == 1 and 2 <= tree.depth <= 5 and len(tree.children[0]) >= 2:
        assert parse_leaves(tree.to_text()).to_nested() == nested


@pytest.mark.parametrize("text,words", [
    ("3 x | 4 5", "'x' is not a whole number"),
    ("3 2.5", "'2.5' is not a whole number"),
    ("3 120 | 4 5", "from -99 to 99, got 120"),
    ("3 | | 4", "empty group"),
    ("| 3 4", "between two groups"),
    ("3 4 |", "between two groups"),
    ("1 2 3", "3 scores do not fill a full tree of branching 2"),
    ("5", "at least two"),
    ("", "at least two"),
    ("1 2 | 3 4 ||||| 5 6 | 7 8", "at most 4 bars"),
    ("1 2 3 4 5 6 7 | 1", "more than 6 leaves"),
    ("1 | 2 | 3 | 4 | 5 | 6 | 7", "7 children"),
])
def test_bad_typed_leaves_are_refused_with_a_reason(text, words):
    with pytest.raises(ValueError, match=words):
        parse_leaves(text, branching=2)


# ---------------------------------------------------------------------------------- minimax


@given(nested_trees())
@settings(max_examples=60, deadline=None)
def test_minimax_root_value_equals_exhaustive_recursion(nested):
    tree = GameTree.from_nested(nested)
    run = TreeSearch(tree, "minimax")
    run.run_to_end()
    assert run.root_value == run.result == ref_minimax(nested)
    assert tree.minimax_values[0] == ref_minimax(nested)
    assert run.leaves_evaluated == len(tree.leaves)  # minimax looks at every leaf
    # every node's final value is its exact value, marked exact
    for i in range(tree.size):
        assert run.value(i) == ref_minimax(tree.to_nested(i), tree.is_max(i))
        assert tree.is_leaf(i) or run.bound(i) == "="


@given(st.lists(st.lists(scores, min_size=1, max_size=4), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None)
def test_minimax_depth_two_equals_the_best_guaranteed_strategy(groups):
    # max picks a move; min answers with every possible reply; max's guarantee is the worst reply
    guarantee = max(min(replies) for replies in groups)
    run = TreeSearch(GameTree.from_nested(groups), "minimax")
    run.run_to_end()
    assert run.root_value == guarantee


# ---------------------------------------------------------------------------------- alpha-beta


@given(nested_trees())
@settings(max_examples=80, deadline=None)
def test_alphabeta_matches_minimax_and_the_standard_pruned_set(nested):
    tree = GameTree.from_nested(nested)
    ab = TreeSearch(tree, "alphabeta")
    ab.run_to_end()
    assert ab.root_value == ref_minimax(nested)
    assert ab.leaves_evaluated <= len(tree.leaves)
    assert leaf_positions(tree, ab.visited_leaves) == ref_visited(nested)
    assert len(ab.visited_leaves) == ab.leaves_evaluated
    # the principal variation runs from the root to a leaf, each node on it worth the root's value
    path = ab.principal_variation
    assert path[0] == 0 and tree.is_leaf(path[-1])
    assert all(ab.value(i) == ab.root_value for i in path)
    # pruned leaves are exactly the leaves not evaluated
    pruned = {i for i in tree.leaves if ab.status(i) == "pruned"}
    assert pruned == set(tree.leaves) - set(ab.visited_leaves)


@given(nested_trees())
@settings(max_examples=60, deadline=None)
def test_alphabeta_bounds_are_true_about_the_exact_values(nested):
    tree = GameTree.from_nested(nested)
    ab = TreeSearch(tree, "alphabeta")
    ab.run_to_end()
    for i in range(tree.size):
        if tree.is_leaf(i) or ab.status(i) != "done":
            continue
        exact = ref_minimax(tree.to_nested(i), tree.is_max(i))
        v, bound = ab.value(i), ab.bound(i)
        assert {"=": exact == v, "≥": exact >= v, "≤": exact <= v}[bound], (i, v, bound, exact)


def depth_two_prunes(groups) -> bool:
    """Characterisation for depth 2: alpha-beta skips a leaf iff some later min node meets, before
    its last leaf, a score ≤ the best value max already has (then its remaining leaves are cut)."""
    best = min(groups[0])
    for group in groups[1:]:
        running = math.inf
        for j, x in enumerate(group):
            running = min(running, x)
            if running <= best and j < len(group) - 1:
                return True
        best = max(best, min(group))
    return False


@given(st.lists(st.lists(scores, min_size=1, max_size=4), min_size=1, max_size=4))
@settings(max_examples=80, deadline=None)
def test_alphabeta_is_strictly_cheaper_exactly_when_a_cut_is_possible(groups):
    tree = GameTree.from_nested(groups)
    ab = TreeSearch(tree, "alphabeta")
    fewer = ab.total_leaves_evaluated < len(tree.leaves)
    assert fewer == depth_two_prunes(groups)
    assert fewer == any(e.kind == "prune" for e in ab.events)


def test_a_tree_that_cannot_be_pruned_and_one_that_can():
    # each later min node's first leaf already beats max's best: nothing to cut
    none = [[1, 5], [2, 6], [3, 7]]
    some = [[3, 5], [1, 6], [4, 7]]  # the second min node shows 1 ≤ 3 first: its 6 is skipped
    for groups, cheaper in ((none, False), (some, True)):
        ab = TreeSearch(GameTree.from_nested(groups), "alphabeta")
        assert (ab.total_leaves_evaluated < 6) is cheaper
        assert depth_two_prunes(groups) is cheaper


# ---------------------------------------------------------------------------------- ordering


def knuth_moore(b: int, d: int) -> int:
    return b ** math.ceil(d / 2) + b ** math.floor(d / 2) - 1


@given(full_trees())
@settings(max_examples=60, deadline=None)
def test_best_first_ordering_meets_the_knuth_moore_minimum(case):
    b, d, nested = case
    best = GameTree.from_nested(nested).ordered("best")
    assert best.to_nested() == perfectly_ordered(nested)
    ab = TreeSearch(best, "alphabeta")
    assert ab.total_leaves_evaluated == knuth_moore(b, d)
    assert ab.result == ref_minimax(nested)
    # and no other order does better: the minimum is a lower bound
    for ordering in ("generated", "worst"):
        other = TreeSearch(GameTree.from_nested(nested).ordered(ordering), "alphabeta")
        assert other.total_leaves_evaluated >= knuth_moore(b, d)
        assert other.result == ref_minimax(nested)


@pytest.mark.parametrize("b,d", [(2, 5), (3, 4), (4, 3), (4, 5)])
def test_knuth_moore_on_the_largest_random_trees(b, d):
    lab = GameTreeLab("alphabeta", seed=3, depth=d, branching=b, ordering="best")
    assert lab.alphabeta_run.total_leaves_evaluated == knuth_moore(b, d) == lab.knuth_moore_minimum
    assert knuth_moore(b, d) < b**d  # so pruning is always possible with depth ≥ 2


@given(st.lists(st.lists(st.integers(-99, 99), min_size=2, max_size=4, unique=True), min_size=2,
                max_size=4))
@settings(max_examples=40, deadline=None)
def test_worst_first_on_depth_two_with_distinct_values_prunes_nothing(groups):
    mins = [min(g) for g in groups]
    if len(set(mins)) < len(mins):
        return  # ties between the min nodes' values may still cut
    tree = GameTree.from_nested(groups).ordered("worst")
    assert TreeSearch(tree, "alphabeta").total_leaves_evaluated == len(tree.leaves)


# ---------------------------------------------------------------------------------- stepping


def snapshot(run: TreeSearch):
    n = run.tree.size
    return [(run.value(i), run.alpha(i), run.beta(i), run.status(i), run.best_child(i), run.bound(i))
            for i in range(n)], run.leaves_evaluated, run.current, run.narration


@given(nested_trees(20), st.sampled_from(["minimax", "alphabeta"]), st.data())
@settings(max_examples=30, deadline=None)
def test_step_back_undoes_exactly(nested, algorithm, data):
    run = TreeSearch(GameTree.from_nested(nested), algorithm)
    seen = [snapshot(run)]
    while run.step():
        seen.append(snapshot(run))
    assert run.done and not run.step()
    k = data.draw(st.integers(0, len(seen) - 1))
    for i in range(len(seen) - 1, k, -1):
        run.step_back()
        assert snapshot(run) == seen[i - 1]
    assert run.can_step_back == (k > 0)


def test_events_tell_the_story_and_counts_grow_by_one_leaf_at_a_time():
    run = TreeSearch(parse_leaves("3 12 8 | 2 4 6 | 14 5 2"), "alphabeta")
    kinds = [e.kind for e in run.events]
    assert kinds[0] == "enter" and kinds[-1] == "done"
    prunes = [e for e in run.events if e.kind == "prune"]
    assert len(prunes) == 1 and prunes[0].text.startswith("β ≤ α at min node 2 (2 ≤ 3): prune 2 children")
    counts = [e.leaves for e in run.events]
    assert all(b - a == (e.kind == "leaf") for a, b, e in zip([0] + counts, counts, run.events))
    run.steps(3)
    assert run.current == 2 and run.narration == "leaf 1.1 is evaluated: score 3"
    assert run.value_text(1) == "?"  # nothing has reported to the min node yet
    run.step()
    assert run.value_text(1) == "≤3"  # an open min node shows its best so far as a bound
    run.run_to_end()
    assert run.principal_variation == (0, 1, 2)
    assert run.value_text(5) == "≤2" and run.window_text(0) == "[3,+∞]"
    assert format_score(-3) == "−3"


# ---------------------------------------------------------------------------------- the lab


def test_lab_knobs_validate_and_typed_trees_give_way_to_random_shapes():
    lab = GameTreeLab("minimax", seed=1)
    assert lab.n_leaves == 27
    for bad in (1, 6, "3", 2.0):
        with pytest.raises(ValueError):
            lab.set_depth(bad)
    with pytest.raises(ValueError, match="branching goes from 2 to 4"):
        lab.set_branching(5)
    with pytest.raises(ValueError, match="ordering"):
        lab.set_ordering("sideways")
    before = lab.tree
    with pytest.raises(ValueError, match="not a whole number"):
        lab.set_leaves("1 2 | x 4")
    assert lab.tree is before  # a bad text keeps the old tree
    lab.set_leaves("1 2 | 3 4")
    assert lab.tree.to_nested() == [[1, 2], [3, 4]] and lab.knuth_moore_minimum is None
    assert "typed" in lab.source
    lab.set_depth(2)
    assert lab.leaves_text == "" and lab.n_leaves == 9
    lab.set_leaves("")
    assert lab.n_leaves == 9


def test_lab_compares_both_searches_on_the_same_tree():
    lab = GameTreeLab("alphabeta", seed=5, depth=4, branching=3)
    assert lab.search is lab.alphabeta_run and lab.minimax_run.tree is lab.tree
    assert lab.minimax_run.total_leaves_evaluated == 81
    assert lab.alphabeta_run.result == lab.minimax_run.result == ref_minimax(lab.tree.to_nested())
    assert lab.saving == pytest.approx(1 - lab.alphabeta_run.total_leaves_evaluated / 81)
    lab.steps(5)
    assert lab.search.index == 5
    lab.step_back()
    assert lab.search.index == 4
    lab.run_to_end()
    assert lab.done and lab.search.root_value == lab.exhaustive_value
    lab.reset()
    assert lab.search.index == 0
    lab.reset(seed=6)
    assert lab.seed == 6


def test_same_seed_same_tree_and_the_ordering_keeps_the_game():
    a = GameTreeLab(seed=11, depth=3, branching=2)
    b = GameTreeLab(seed=11, depth=3, branching=2, ordering="worst")
    assert sorted(a.tree.leaf_value[i] for i in a.tree.leaves) == sorted(
        b.tree.leaf_value[i] for i in b.tree.leaves)
    assert a.exhaustive_value == b.exhaustive_value
    assert np.array_equal(a.base_tree.to_nested(), b.base_tree.to_nested())

"""Game trees, minimax and alpha-beta, searched one visible event at a time.

A :class:`GameTree` is a two-player zero-sum game written down completely: max moves at the root,
min at the next level, and so on, with a score at every leaf. :class:`TreeSearch` runs minimax or
alpha-beta over it and records every event a learner should see (enter a node, evaluate a leaf, hand
a value up to the parent, prune the remaining children) together with the per-node state it changes,
so the search can be stepped forwards and backwards exactly. :class:`GameTreeLab` is what a screen
drives: a tree (random from a seed, or typed leaf values), a move ordering, the stepped search, and
the leaf counts of both algorithms on the same tree.

Typed trees use bars to group leaves: ``3 5 | 2 9 || 1 4 | 8 6`` is a depth-3 tree whose root has two
children, each with two children holding two leaves. One bar separates sibling leaves' groups, two
bars separate groups of those groups, and so on. A plain list without bars is read as a full tree of
the current branching (``8`` values with branching 2 is a depth-3 tree).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Literal, Union

import numpy as np

from algorithms.checks import as_choice, as_int
from algorithms.rng import RngLike, as_rng
from algorithms.stepping import Stepping

ALGORITHMS = ("minimax", "alphabeta")
ORDERINGS = ("generated", "best", "worst")
RANDOM_VALUES = (-9, 9)
"""Leaf scores of random trees: small integers, so ties (and prunes on ties) happen."""
TYPED_VALUES = (-99, 99)
MIN_DEPTH, MAX_DEPTH = 2, 5
MIN_BRANCHING, MAX_BRANCHING = 2, 4
MAX_TYPED_CHILDREN = 6
MAX_LEAVES = 1024

Nested = Union[int, list["Nested"]]
Status = Literal["unseen", "open", "done", "leaf", "pruned"]
INF = math.inf


def format_score(x: float | None) -> str:
    """A score or bound as text: integers plain, infinities as ±∞, unknown as ?."""
    if x is None:
        return "?"
    if x == INF:
        return "+∞"
    if x == -INF:
        return "−∞"
    return str(int(x)).replace("-", "−")


# ---------------------------------------------------------------------------------------- trees
@dataclass(frozen=True)
class GameTree:
    """Nodes numbered in pre-order (root 0); ``children[i]`` in move order; ``leaf_value[i]`` is the
    score of a leaf and None for an inner node. Depth 0 (the root) is a max node, and the players
    alternate level by level."""

    children: tuple[tuple[int, ...], ...]
    leaf_value: tuple[int | None, ...]

    @staticmethod
    def from_nested(nested: Nested) -> GameTree:
        """A tree from nested lists: a list is an inner node, an int a leaf."""
        values: list[int | None] = []
        stack: list[tuple[Nested, int]] = [(nested, -1)]
        kids: dict[int, list[int]] = {}
        while stack:
            item, parent = stack.pop()
            index = len(values)
            if parent >= 0:
                kids[parent].append(index)
            if isinstance(item, list):
                if not item:
                    raise ValueError("an inner node needs at least one child")
                values.append(None)
                kids[index] = []
                stack.extend((c, index) for c in reversed(item))
            else:
                values.append(int(item))
                kids[index] = []
        return GameTree(tuple(tuple(kids[i]) for i in range(len(values))), tuple(values))

    @staticmethod
    def random(depth: int, branching: int, rng: RngLike = None,
               values: tuple[int, int] = RANDOM_VALUES) -> GameTree:
        """A full tree: every inner node has ``branching`` children, every leaf is at ``depth``;
        scores drawn uniformly from ``values`` (inclusive)."""
        depth = as_int(depth, "the depth", lo=1)
        branching = as_int(branching, "the branching", lo=1)
        scores = as_rng(rng).integers(values[0], values[1] + 1, size=branching**depth).tolist()
        return GameTree.from_nested(_full_nested(scores, branching, depth))

    def to_nested(self, node: int = 0) -> Nested:
        """The tree (or the subtree under ``node``) as nested lists."""
        value = self.leaf_value[node]
        if value is not None:
            return value
        return [self.to_nested(c) for c in self.children[node]]

    # -- shape ------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.leaf_value)

    def is_leaf(self, node: int) -> bool:
        return self.leaf_value[node] is not None

    @cached_property
    def leaves(self) -> tuple[int, ...]:
        """Leaf ids from left to right."""
        return tuple(i for i, v in enumerate(self.leaf_value) if v is not None)

    @cached_property
    def depths(self) -> tuple[int, ...]:
        out = [0] * self.size
        for i in range(self.size):  # pre-order: parents first
            for c in self.children[i]:
                out[c] = out[i] + 1
        return tuple(out)

    @cached_property
    def depth(self) -> int:
        return max(self.depths)

    def is_max(self, node: int) -> bool:
        return self.depths[node] % 2 == 0

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Each node's path of child numbers from the root ("root", "2", "2.1", …)."""
        out = ["root"] * self.size
        for i, kids in enumerate(self.children):
            for k, c in enumerate(kids, start=1):
                out[c] = str(k) if i == 0 else f"{out[i]}.{k}"
        return tuple(out)

    def subtree(self, node: int) -> Iterator[int]:
        """``node`` and everything below it."""
        stack = [node]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(self.children[n])

    # -- values -----------------------------------------------------------------------------
    @cached_property
    def minimax_values(self) -> tuple[int, ...]:
        """The exact game value of every node (post-order sweep)."""
        out: list[int] = [0] * self.size
        for i in range(self.size - 1, -1, -1):  # children come after their parent in pre-order
            leaf = self.leaf_value[i]
            if leaf is not None:
                out[i] = leaf
            else:
                kid_values = [out[c] for c in self.children[i]]
                out[i] = max(kid_values) if self.is_max(i) else min(kid_values)
        return tuple(out)

    def ordered(self, ordering: str) -> GameTree:
        """The same game with children re-ordered: "best" puts each player's best move first (max
        nodes by value descending, min nodes ascending), "worst" the reverse, "generated" keeps it.
        Ties keep their generated order."""
        as_choice(ordering, ORDERINGS, "ordering")
        if ordering == "generated":
            return self
        values = self.minimax_values
        worst = ordering == "worst"

        def key(node: int, child: int) -> int:
            v = values[child]
            best_first = -v if self.is_max(node) else v
            return -best_first if worst else best_first

        def rebuild(node: int) -> Nested:
            leaf = self.leaf_value[node]
            if leaf is not None:
                return leaf
            kids = sorted(self.children[node], key=lambda c: key(node, c))
            return [rebuild(c) for c in kids]

        return GameTree.from_nested(rebuild(0))

    def to_text(self) -> str:
        """The tree in the typed format (bars group leaves); ``parse_leaves`` reads it back."""
        depth = self.depth

        def text(node: int, level: int) -> str:
            if self.is_leaf(node):
                return str(self.leaf_value[node])
            bar = " " if level == 1 else " " + "|" * (level - 1) + " "
            return bar.join(text(c, level - 1) for c in self.children[node])

        return text(0, depth)


def _full_nested(scores: list[int], branching: int, depth: int) -> Nested:
    """Scores (left to right) arranged as a full tree of the given branching and depth."""
    level: list[Nested] = list(scores)
    for _ in range(depth):
        level = [level[i : i + branching] for i in range(0, len(level), branching)]
    return level[0]


_TOKEN = re.compile(r"\|+|[^\s|]+")


def parse_leaves(text: str, branching: int = 2) -> GameTree:
    """Read typed leaf scores (see the module docstring for the format); ValueError says what is
    wrong: not a whole number, out of range, an empty group, too many children, too deep, or a
    plain list whose length does not fill a full tree of ``branching``."""
    tokens = _TOKEN.findall(str(text))
    numbers = [t for t in tokens if not t.startswith("|")]
    lo, hi = TYPED_VALUES
    for t in numbers:
        try:
            v = int(t.replace("−", "-"))
        except ValueError:
            raise ValueError(f"'{t}' is not a whole number") from None
        if not lo <= v <= hi:
            raise ValueError(f"leaf scores go from {lo} to {hi}, got {v}")
    if len(numbers) < 2:
        raise ValueError("type at least two leaf scores, e.g. 3 5 | 2 9")
    if len(numbers) > MAX_LEAVES:
        raise ValueError(f"at most {MAX_LEAVES} leaves, got {len(numbers)}")
    bars = max((len(t) for t in tokens if t.startswith("|")), default=0)
    if bars == 0:
        return _parse_flat([int(t.replace("−", "-")) for t in numbers], branching)
    if bars >= MAX_DEPTH:
        raise ValueError(f"at most {MAX_DEPTH - 1} bars in a row (a tree of depth {MAX_DEPTH})")
    if tokens[0].startswith("|") or tokens[-1].startswith("|"):
        raise ValueError("a bar must stand between two groups, not at either end")
    return GameTree.from_nested(_group(tokens, bars))


def _group(tokens: list[str], level: int) -> Nested:
    """Split ``tokens`` at runs of exactly ``level`` bars, recursively; level 0 holds the scores."""
    if level == 0:
        return [int(t.replace("−", "-")) for t in tokens]
    parts: list[list[str]] = [[]]
    for t in tokens:
        if t.startswith("|") and len(t) == level:
            parts.append([])
        else:
            parts[-1].append(t)
    if any(not p for p in parts):
        raise ValueError("an empty group: two bars with nothing between them")
    if len(parts) > MAX_TYPED_CHILDREN:
        raise ValueError(f"a node has {len(parts)} children; at most {MAX_TYPED_CHILDREN}")
    groups = [_group(p, level - 1) for p in parts]
    if level == 1 and any(len(g) > MAX_TYPED_CHILDREN for g in groups):  # type: ignore[arg-type]
        raise ValueError(f"a group holds more than {MAX_TYPED_CHILDREN} leaves")
    return groups


def _parse_flat(scores: list[int], branching: int) -> GameTree:
    n = len(scores)
    fits = [branching**d for d in range(MIN_DEPTH, MAX_DEPTH + 1) if branching**d <= MAX_LEAVES]
    if n not in fits:
        sizes = ", ".join(str(f) for f in fits)
        raise ValueError(
            f"{n} scores do not fill a full tree of branching {branching} (type {sizes} scores, "
            f"or group them with |)"
        )
    return GameTree.from_nested(_full_nested(scores, branching, int(round(math.log(n, branching)))))


# ---------------------------------------------------------------------------------------- search
@dataclass(frozen=True)
class Event:
    """One visible event: its ``kind`` ("enter", "leaf", "return", "prune", "done"), the node it
    happens at, a sentence for the learner, the state changes (field, node, old, new) it makes, and
    the number of leaves evaluated once it has happened."""

    kind: str
    node: int
    text: str
    changes: tuple[tuple[str, int, object, object], ...]
    leaves: int


class TreeSearch(Stepping):
    """Minimax or alpha-beta over ``tree``, one event per ``step()``, with exact ``step_back()``.

    The whole run is recorded up front (a tree has at most a few thousand events) as a list of
    :class:`Event`; stepping applies an event's changes to the per-node state and stepping back
    undoes them. Per node: ``value`` (best child value so far, None before any), ``alpha``/``beta``
    (the window the node searches with; alpha-beta only), ``status`` and ``best`` (the child that
    gave the value).

    Alpha-beta here keeps the best value seen (the textbook "fail-soft" bookkeeping, easier to read
    than returning the window's edge) and cuts as soon as α ≥ β; it evaluates exactly the leaves the
    standard left-to-right fail-hard version does. A finished node's value is exact only when it
    lies strictly inside the window the node was entered with; at or above β it is a lower bound
    (the true value is ≥ v), at or below α an upper bound (≤ v). ``bound`` records which.
    """

    def __init__(self, tree: GameTree, algorithm: str = "minimax") -> None:
        self.tree = tree
        self.algorithm = as_choice(algorithm, ALGORITHMS, "algorithm")
        self.names = tree.names
        self._state = self._initial_state()
        self.events: tuple[Event, ...] = self._record()
        self._state = self._initial_state()
        self.index = 0

    # -- recording --------------------------------------------------------------------------
    def _initial_state(self) -> dict[str, list]:
        n = self.tree.size
        return {"value": [None] * n, "alpha": [-INF] * n, "beta": [INF] * n,
                "status": ["unseen"] * n, "best": [-1] * n, "bound": [""] * n}

    def _record(self) -> tuple[Event, ...]:
        tree, names, state = self.tree, self.names, self._state
        pruning = self.algorithm == "alphabeta"
        events: list[Event] = []
        changes: list[tuple[str, int, object, object]] = []
        leaves = 0

        def put(field: str, node: int, new: object) -> None:
            old = state[field][node]
            if old != new or type(old) is not type(new):
                changes.append((field, node, old, new))
                state[field][node] = new

        def emit(kind: str, node: int, text: str) -> None:
            events.append(Event(kind, node, text, tuple(changes), leaves))
            changes.clear()

        def who(node: int) -> str:
            return f"{'max' if tree.is_max(node) else 'min'} node {names[node]}"

        def window(a: float, b: float) -> str:
            return f"[{format_score(a)}, {format_score(b)}]"

        def search(node: int, alpha: float, beta: float) -> tuple[int, str]:
            """The node's value and what it is: "=" exact, "≥" a lower bound, "≤" an upper bound."""
            nonlocal leaves
            leaf = tree.leaf_value[node]
            if leaf is not None:
                leaves += 1
                put("status", node, "leaf")
                put("value", node, leaf)
                emit("leaf", node, f"leaf {names[node]} is evaluated: score {format_score(leaf)}")
                return leaf, "="
            is_max = tree.is_max(node)
            put("status", node, "open")
            if pruning:
                put("alpha", node, alpha)
                put("beta", node, beta)
                emit("enter", node, f"enter {who(node)} with window {window(alpha, beta)}")
            else:
                goal = "highest" if is_max else "lowest"
                emit("enter", node, f"enter {who(node)}: it will take the {goal} child value")
            best: int | None = None
            entry = (alpha, beta)
            kids = tree.children[node]
            for k, child in enumerate(kids):
                got, child_bound = search(child, alpha, beta)
                if not tree.is_leaf(child):
                    put("status", child, "done")
                    put("bound", child, child_bound)
                improved = best is None or (got > best if is_max else got < best)
                if improved:
                    best = got
                    put("value", node, best)
                    put("best", node, child)
                verdict = "new best" if improved else f"no better than {format_score(best)}"
                shown = "" if child_bound == "=" else child_bound
                text = f"{names[child]} returns {shown}{format_score(got)} to {who(node)}: {verdict}"
                if pruning:
                    if is_max:
                        alpha = max(alpha, best)
                        put("alpha", node, alpha)
                    else:
                        beta = min(beta, best)
                        put("beta", node, beta)
                    text += f", window {window(alpha, beta)}"
                emit("return", node, text)
                rest = kids[k + 1 :]
                if pruning and alpha >= beta and rest:
                    for r in rest:
                        for n in tree.subtree(r):
                            put("status", n, "pruned")
                    plural = "child" if len(rest) == 1 else "children"
                    side = "α ≥ β" if is_max else "β ≤ α"
                    nums = (f"{format_score(alpha)} ≥ {format_score(beta)}" if is_max
                            else f"{format_score(beta)} ≤ {format_score(alpha)}")
                    reason = ("min above will never allow this much" if is_max
                              else "max above already has a better choice")
                    emit("prune", node,
                         f"{side} at {who(node)} ({nums}): prune {len(rest)} {plural} — {reason}")
                    break
            assert best is not None  # every inner node has a child
            bound = "≥" if best >= entry[1] else "≤" if best <= entry[0] else "="
            return best, bound

        root_value, root_bound = search(0, -INF, INF)
        self._result = root_value
        put("status", 0, "done")
        put("bound", 0, root_bound)
        emit("done", 0, f"done: the root's value is {format_score(root_value)}, "
                        f"after {leaves} of {len(tree.leaves)} leaves")
        return tuple(events)

    # -- stepping ---------------------------------------------------------------------------
    def step(self) -> bool:
        """Apply the next event; False when the search is already done."""
        if self.done:
            return False
        for field, node, _old, new in self.events[self.index].changes:
            self._state[field][node] = new
        self.index += 1
        return True

    def step_back(self) -> None:
        """Undo the last event (nothing happens at the start)."""
        if self.index == 0:
            return
        self.index -= 1
        for field, node, old, _new in reversed(self.events[self.index].changes):
            self._state[field][node] = old

    @property
    def can_step_back(self) -> bool:
        return self.index > 0

    def run_to_end(self) -> int:
        """Apply every remaining event; returns how many were applied."""
        start = self.index
        while self.step():
            pass
        return self.index - start

    # -- state ------------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self.index >= len(self.events)

    @property
    def last_event(self) -> Event | None:
        return self.events[self.index - 1] if self.index else None

    @property
    def current(self) -> int | None:
        """The node the last event happened at (None before the first step)."""
        event = self.last_event
        return None if event is None else event.node

    @property
    def narration(self) -> str:
        event = self.last_event
        if event is None:
            return "ready: step to enter the root"
        return event.text

    @property
    def leaves_evaluated(self) -> int:
        event = self.last_event
        return 0 if event is None else event.leaves

    @property
    def total_leaves_evaluated(self) -> int:
        """Leaves the whole run evaluates (known from the start: the run is recorded)."""
        return self.events[-1].leaves

    @property
    def visited_leaves(self) -> tuple[int, ...]:
        """Leaves the whole run evaluates, in the order it evaluates them."""
        return tuple(e.node for e in self.events if e.kind == "leaf")

    @property
    def result(self) -> int:
        """The root value the whole run returns (known from the start: the run is recorded)."""
        return self._result

    @property
    def root_value(self) -> int | None:
        """The root value once the search is done, else None."""
        return self.result if self.done else None

    def value(self, node: int) -> int | None:
        return self._state["value"][node]

    def alpha(self, node: int) -> float:
        return self._state["alpha"][node]

    def beta(self, node: int) -> float:
        return self._state["beta"][node]

    def status(self, node: int) -> Status:
        return self._state["status"][node]

    def best_child(self, node: int) -> int:
        return self._state["best"][node]

    def bound(self, node: int) -> str:
        """For a finished inner node: "=" (exact value), "≥" (lower bound) or "≤" (upper bound);
        "" before it finishes."""
        return self._state["bound"][node]

    def value_text(self, node: int) -> str:
        """The node's value as a learner should read it: "?" before any child has reported, "≥ v"
        / "≤ v" while it is open (the best so far) or when alpha-beta left it a bound, "v" when
        exact. Leaves show their score."""
        leaf = self.tree.leaf_value[node]
        if leaf is not None:
            return format_score(leaf)
        v = self.value(node)
        if v is None:
            return "?"
        if self.status(node) == "open":
            return ("≥" if self.tree.is_max(node) else "≤") + format_score(v)
        bound = self.bound(node)
        return ("" if bound == "=" else bound) + format_score(v)

    def window_text(self, node: int) -> str:
        """An inner node's [α, β] (empty for minimax, for leaves and for nodes not reached)."""
        if self.algorithm != "alphabeta" or self.status(node) in ("unseen", "pruned", "leaf"):
            return ""
        return f"[{format_score(self.alpha(node))},{format_score(self.beta(node))}]"

    @property
    def principal_variation(self) -> tuple[int, ...]:
        """Once done: the nodes from the root along each node's best child (the line both players
        follow when they play well); empty before."""
        if not self.done:
            return ()
        path = [0]
        while not self.tree.is_leaf(path[-1]):
            path.append(self.best_child(path[-1]))
        return tuple(path)


# ---------------------------------------------------------------------------------------- lab
def _whole_in_range(value: object, what: str, lo: int, hi: int) -> int:
    """``value`` as an int from ``lo`` to ``hi``, or ValueError naming ``what``."""
    v = as_int(value, what)
    if not lo <= v <= hi:
        raise ValueError(f"{what} goes from {lo} to {hi}, got {v}")
    return v


class GameTreeLab(Stepping):
    """A game tree to search with ``algorithm`` step by step, and the same tree's leaf counts under
    both algorithms for comparison. Knobs: depth, branching (random trees), ordering, typed leaves
    (``""`` means a random tree from the seed)."""

    def __init__(self, algorithm: str = "minimax", seed: int = 0, depth: int = 3, branching: int = 3,
                 ordering: str = "generated", leaves: str = "") -> None:
        self.algorithm = as_choice(algorithm, ALGORITHMS, "algorithm")
        self.seed = as_int(seed, "the seed", lo=0)
        self.depth = self._check_depth(depth)
        self.branching = self._check_branching(branching)
        self.ordering = as_choice(ordering, ORDERINGS, "ordering")
        self.leaves_text = ""
        self._typed: GameTree | None = None
        if leaves:
            self._typed = parse_leaves(leaves, self.branching)
            self.leaves_text = str(leaves).strip()
        self._rebuild()

    @staticmethod
    def _check_depth(depth: object) -> int:
        return _whole_in_range(depth, "the depth", MIN_DEPTH, MAX_DEPTH)

    @staticmethod
    def _check_branching(branching: object) -> int:
        return _whole_in_range(branching, "the branching", MIN_BRANCHING, MAX_BRANCHING)

    def _rebuild(self) -> None:
        base = self._typed
        if base is None:
            base = GameTree.random(self.depth, self.branching, np.random.default_rng(self.seed))
        self.base_tree = base
        self.tree = base.ordered(self.ordering)
        self.search = TreeSearch(self.tree, self.algorithm)
        other = "alphabeta" if self.algorithm == "minimax" else "minimax"
        runs = {self.algorithm: self.search, other: TreeSearch(self.tree, other)}
        self.minimax_run, self.alphabeta_run = runs["minimax"], runs["alphabeta"]

    # -- knobs ------------------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Start the search again (with a new random tree when ``seed`` is given)."""
        if seed is not None:
            self.seed = as_int(seed, "the seed", lo=0)
        self._rebuild()

    def set_depth(self, depth: int) -> None:
        """Depth of random trees; a typed tree gives way to a random one of the new shape."""
        self.depth = self._check_depth(depth)
        self._typed, self.leaves_text = None, ""
        self._rebuild()

    def set_branching(self, branching: int) -> None:
        """Branching of random trees; a typed tree gives way to a random one of the new shape."""
        self.branching = self._check_branching(branching)
        self._typed, self.leaves_text = None, ""
        self._rebuild()

    def set_ordering(self, ordering: str) -> None:
        self.ordering = as_choice(ordering, ORDERINGS, "ordering")
        self._rebuild()

    def set_leaves(self, text: str) -> None:
        """Typed leaf scores (see ``parse_leaves``), or "" for a random tree; a bad text raises
        ValueError and leaves the current tree alone."""
        text = str(text).strip()
        typed = parse_leaves(text, self.branching) if text else None
        self._typed, self.leaves_text = typed, text
        self._rebuild()

    # -- stepping ---------------------------------------------------------------------------
    def step(self) -> bool:
        return self.search.step()

    def step_back(self) -> None:
        self.search.step_back()

    @property
    def can_step_back(self) -> bool:
        return self.search.can_step_back

    def run_to_end(self) -> int:
        return self.search.run_to_end()

    @property
    def done(self) -> bool:
        return self.search.done

    # -- comparison -------------------------------------------------------------------------
    @property
    def exhaustive_value(self) -> int:
        """The root's exact game value (what both searches must return)."""
        return self.tree.minimax_values[0]

    @property
    def n_leaves(self) -> int:
        return len(self.tree.leaves)

    @property
    def saving(self) -> float:
        """The share of leaves alpha-beta skips on this tree."""
        return 1 - self.alphabeta_run.total_leaves_evaluated / self.n_leaves

    @property
    def source(self) -> str:
        """Where the tree came from, in words."""
        t = self.tree
        if self._typed is not None:
            return f"typed tree, depth {t.depth}"
        return f"random tree (seed {self.seed}), depth {t.depth}, branching {self.branching}"

    @property
    def knuth_moore_minimum(self) -> int | None:
        """b^⌈d/2⌉ + b^⌊d/2⌋ − 1, the leaves alpha-beta needs on a perfectly ordered full tree;
        None for a typed tree (not necessarily full)."""
        if self._typed is not None:
            return None
        b, d = self.branching, self.depth
        return b ** ((d + 1) // 2) + b ** (d // 2) - 1

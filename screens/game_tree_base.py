"""What the minimax and alpha-beta screens share: a game tree drawn node by node as the search walks
it, a card that narrates each event and compares the two searches, and the knobs of the tree.

The subclasses only name their algorithm and bring their own title and help.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from algorithms.gametree import (
    MAX_BRANCHING,
    MAX_DEPTH,
    MIN_BRANCHING,
    MIN_DEPTH,
    ORDERINGS,
    GameTreeLab,
    format_score,
    parse_leaves,
)
from tui.simulation import SimulationScreen
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.tree_diagram import STYLE_GLYPHS, TreeDiagram, TreeNode

ORDER_LABELS = {"generated": "as generated", "best": "best first", "worst": "worst first"}
EVALUATED = "✓"
EXAMPLES: tuple[str, ...] = (
    "",
    "4 7 9 | 1 8 6 | 5 2 3",
    "2 5 | 6 1 || 7 4 | 3 9",
    "8 3 | 5 1 || 6 2 | 9 4 ||| 7 0 | 3 6 || 1 8 | 2 5",
)
"""What ←/→ on the leaves knob cycle through: a random tree, then small typed examples."""

KEYS_HELP = """\
**Keys.** **n** one event, **b** one back, **space** play, **a** run to the end, **r** start the
search again, **g** (or **R**) a new random tree, **o** cycle the move ordering (as generated, best
first, worst first), **t** type your own leaf scores, **p** the knobs.

**Typing a tree.** Scores are whole numbers from −99 to 99 separated by spaces; a bar `|` closes a
group of sibling leaves, two bars `||` a group of those groups, and so on. `3 12 8 | 2 4 6 | 14 5 2`
is a max root over three min nodes with three leaves each. A plain list without bars fills a full
tree of the current branching (8 scores with branching 2 make depth 3). Type `random` to go back.

**Reading the tree.** ▲ max node, ▼ min node, × pruned (struck through), ✓ a leaf that was
evaluated. A value `≥5` or `≤5` is a bound: the best so far while a node is open, or all the search
needed to know. The current node is highlighted; when the search ends the line both players follow
is underlined. Big trees are drawn as an indented outline that scrolls with the search; there each
node starts with its move number, so `2.1` is the first move after the root's second.
"""


def _nudge_leaves(value: str, direction: int) -> str:
    """Cycle the leaves knob through a random tree and the typed examples."""
    i = EXAMPLES.index(value) if value in EXAMPLES else 0
    return EXAMPLES[(i + direction) % len(EXAMPLES)]


def _format_leaves(value: str) -> str:
    return value or "random"


class GameTreeScreen(SimulationScreen):
    """A game tree searched one event at a time, with the other algorithm's count for comparison."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30}
    ALGORITHM: ClassVar[str] = "minimax"
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "event"

    DEFAULT_CSS = """
    GameTreeScreen #gt-tree {
        width: 1fr; height: 1fr; border: round $primary 50%; border-title-color: $text;
    }
    GameTreeScreen #gt-side { width: 46; height: 1fr; }
    GameTreeScreen.-narrow #gt-side { width: 34; }
    GameTreeScreen #gt-card {
        height: 1fr; padding: 0 1; border: round $primary 50%; border-title-color: $text;
        overflow-y: auto;
    }
    GameTreeScreen.-tiny #gt-side { display: none; }
    """

    BINDINGS = [
        Binding("a", "run_to_end", "Run to end"),
        Binding("t", "type_leaves", "Type leaves"),
        Binding("o", "cycle_ordering", "Ordering"),
        Binding("g", "new_tree", "New tree"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._shown_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> GameTreeLab:
        return GameTreeLab(self.ALGORITHM, seed=seed)

    def sim_step(self) -> None:
        if not self.sim.step():
            self.playing = False

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("depth", "depth", sim.depth, "int", lo=MIN_DEPTH, hi=MAX_DEPTH, step=1,
                  help="moves from the root to the leaves (random trees)"),
            Param("branching", "branching", sim.branching, "int", lo=MIN_BRANCHING, hi=MAX_BRANCHING, step=1,
                  help="moves at every node (random trees)"),
            Param("ordering", "ordering (o)", sim.ordering, "choice", choices=ORDERINGS, labels=ORDER_LABELS),
            Param("leaves", "leaves (t)", sim.leaves_text, "text", parser=self._parse_leaves,
                  formatter=_format_leaves, nudge=_nudge_leaves,
                  help="scores like 3 12 8 | 2 4 6, or random"),
        ]

    def _parse_leaves(self, text: str) -> str:
        """Typed text -> the knob's value ("" for random); ValueError says what is wrong."""
        text = text.strip()
        if text.lower() in ("", "random"):
            return ""
        parse_leaves(text, self.sim.branching)
        return text

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        had_typed = bool(sim.leaves_text)
        setter = {
            "depth": sim.set_depth,
            "branching": sim.set_branching,
            "ordering": sim.set_ordering,
            "leaves": sim.set_leaves,
        }[name]
        setter(value)
        self._shown_key = None
        if had_typed and not sim.leaves_text and name != "leaves" and self.is_mounted:
            panel = self.param_panel
            if panel is not None:
                panel.set_value("leaves", "")
            self.notify("A new shape means a random tree: your typed scores were set aside.", timeout=3)

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._shown_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        tree = TreeDiagram(id="gt-tree")
        tree.border_title = "the game tree (max ▲ moves first)"
        tree.border_subtitle = "▲ max ▼ min × pruned ✓ evaluated"
        yield tree
        with Vertical(id="gt-side"):
            card = Static(id="gt-card")
            card.border_title = "what just happened"
            yield card
            yield ParamPanel(title="knobs (p)")

    def layout_changed(self) -> None:
        self._shown_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        key = (id(sim), id(sim.search), sim.search.index)
        if key == self._shown_key:
            return
        self._shown_key = key
        self.query_one(TreeDiagram).set_tree(self.diagram())
        self.query_one("#gt-card", Static).update(self.card())

    def diagram(self) -> TreeNode:
        """The tree as TreeNodes: value as label, [α, β] as detail, move number on the edge."""
        run = self.sim.search
        tree = run.tree
        current = run.current
        on_path = set(run.principal_variation)
        built: dict[int, TreeNode] = {}
        for i in range(tree.size - 1, -1, -1):  # pre-order reversed: children before parents
            kids = [built[c] for c in tree.children[i]]
            leaf = tree.is_leaf(i)
            status = run.status(i)
            kind = "leaf" if leaf else ("max" if tree.is_max(i) else "min")
            label = run.value_text(i)
            if leaf and status == "leaf":
                label += EVALUATED
            if status == "pruned":
                style = "pruned"
            elif i == current:
                style = "active"
            elif i in on_path:
                style = "path"
            else:
                style = kind
            if style in ("active", "path") and not leaf:
                label = f"{STYLE_GLYPHS[kind]} {label}"  # those styles carry no glyph of their own
            built[i] = TreeNode(label, kids, style=style, detail=run.window_text(i),  # type: ignore[arg-type]
                                edge_label=self._move_number(i))
        return built[0]

    def _move_number(self, node: int) -> str:
        return "" if node == 0 else self.sim.search.names[node].rsplit(".", 1)[-1]

    def card(self) -> Text:
        """The last event, the tree's origin, and the leaf counts of both searches on this tree."""
        sim = self.sim
        run = sim.search
        narrow = self.has_class("-narrow")
        text = Text()
        text.append(run.narration + "\n", style="bold")
        text.append(f"event {run.index}/{len(run.events)} · leaves evaluated {run.leaves_evaluated}\n")
        text.append(f"{sim.source}, {ORDER_LABELS[sim.ordering]}\n", style="italic")
        text.append("leaves a whole run evaluates\n", style="bold underline")
        rows = (("minimax", sim.minimax_run.total_leaves_evaluated, ""),
                ("alphabeta", sim.alphabeta_run.total_leaves_evaluated, f"  skips {sim.saving:.0%}"))
        for name, count, extra in rows:
            mark = "▸ " if name == sim.algorithm else "  "
            shown = "alpha-beta" if name == "alphabeta" else name
            text.append(f"{mark}{shown:<11}{count:>5}{extra}\n", style="bold" if mark.strip() else "")
        minimum = sim.knuth_moore_minimum
        if minimum is not None:
            formula = "the minimum" if narrow else "(b^⌈d/2⌉+b^⌊d/2⌋−1)"
            text.append(f"  best first {minimum:>5}  {formula}\n", style="dim")
        text.append("root value ", style="bold")
        if run.root_value is None:
            text.append("? (known when the search ends)")
        else:
            same = "equals" if run.root_value == sim.exhaustive_value else "DIFFERS FROM"
            text.append(f"{format_score(run.root_value)}, {same} exhaustive minimax "
                        f"{format_score(sim.exhaustive_value)}")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        run = sim.search
        root = run.root_value
        return {
            "event": f"{run.index}/{len(run.events)}",
            "leaves": f"{run.leaves_evaluated}/{sim.n_leaves}",
            "root": "?" if root is None else format_score(root),
            "state": "done" if run.done else "searching",
        }

    def prepare_shot(self) -> None:
        self._shown_key = None
        self.refresh_view()

    # ------------------------------------------------------------------ keys
    def action_run_to_end(self) -> None:
        self.playing = False
        self.steps_done += self.sim.run_to_end()
        self.refresh_view()
        self.refresh_bindings()

    def action_type_leaves(self) -> None:
        """Open the leaves knob for typing, filled with the current tree's scores to edit."""
        panel = self.param_panel
        if panel is None:
            return
        panel.focus()
        panel.select("leaves")
        panel.action_edit()
        panel.query_one("#edit", Input).value = self.sim.leaves_text or self.sim.base_tree.to_text()

    def action_cycle_ordering(self) -> None:
        panel = self.param_panel
        if panel is not None:
            i = ORDERINGS.index(self.sim.ordering)
            panel.propose("ordering", ORDERINGS[(i + 1) % len(ORDERINGS)])

    def action_new_tree(self) -> None:
        panel = self.param_panel
        if panel is not None and self.sim.leaves_text:
            panel.propose("leaves", "")
        self.action_reseed()

"""decision-tree — splitting the plane into boxes, one best question at a time (CART).

Run alone: ``python -m screens.decision_tree``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.trees import CRITERIA, DATASETS, Node, TreeGrower, question
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas
from tui.widgets.tree_diagram import TreeDiagram, TreeNode

EXTENT = (-1.25, 1.25, -1.25, 1.25)
SHADES = 8  # shades per class: the purer a box, the stronger its colour
FEATURES = ("x₁", "x₂")
DATA_LABELS = {"blobs": "three blobs", "xor": "XOR quadrants", "circle": "disc in a ring", "checker": "3×3 board"}


@lru_cache(maxsize=8)
def box_palette(k: int) -> np.ndarray:
    """``k`` classes × ``SHADES`` levels: class c, shade s is level ``c·SHADES + s``."""
    colors = [
        palette.blend(palette.NEUTRAL, palette.class_color(c), 0.10 + 0.45 * s / (SHADES - 1))
        for c in range(k)
        for s in range(SHADES)
    ]
    out = np.array(colors, dtype=np.uint8)
    out.setflags(write=False)
    return out


def box_levels(classes: np.ndarray, purity: np.ndarray, k: int) -> np.ndarray:
    """Palette levels for leaf classes and purities (purity 1/k → faintest, 1 → strongest)."""
    floor = 1.0 / k
    t = np.clip((purity - floor) / max(1.0 - floor, 1e-9), 0.0, 1.0)
    return classes * SHADES + np.rint(t * (SHADES - 1)).astype(np.int64)


def node_label(node: Node) -> str:
    if node.children is not None and node.split is not None:
        return question(node.split, FEATURES)
    return f"{palette.class_glyph(node.majority)} {node.n}"


def node_detail(node: Node, criterion: str) -> str:
    counts = " ".join(str(int(c)) for c in node.counts)
    return f"{criterion[0]} {node.impurity:.2f} [{counts}]" if node.children is None else f"{criterion[0]} {node.impurity:.2f}"


def diagram(tree: TreeGrower) -> TreeNode:
    """The grown tree as TreeNodes: questions inside, class and count at the leaves."""
    last = tree.last
    built: dict[int, TreeNode] = {}
    for node in reversed(tree.nodes):  # children come after their parents
        kids = () if node.children is None else (built[node.children[0]], built[node.children[1]])
        style = "active" if last is not None and node.id == last.id else ("leaf" if node.children is None else "normal")
        built[node.id] = TreeNode(
            node_label(node),
            kids,
            style=style,
            detail=node_detail(node, tree.criterion),
            edge_label="" if node.parent is None else ("yes" if node.path[-1] else "no"),
            color=palette.class_color(node.majority) if node.children is None else None,
        )
    return built[0]


HELP = """\
# Splitting space into boxes

A **decision tree** sorts points by asking yes/no questions about one feature at a time:
"is x₁ ≤ 0.31?" Each question cuts a box of the plane in two with a straight, axis-parallel cut.
The leaves are boxes; each says "the most common class in here", shaded by how pure the box is.

**How the next question is chosen (CART).** For every box that still holds more than one class,
every feature and every threshold between two neighbouring points is tried. A split is scored by
how much it lowers the **impurity**: Gini (the chance two random points of the box disagree) or
entropy (bits of surprise). The gain is the parent's impurity minus the children's, weighted by
their sizes. **n** makes the best split of all — the one removing the most impurity from the
whole tree — and the plot shows the gain of every threshold tried for it.

Growth stops when every leaf is pure, or when the depth limit forbids deeper questions.

**Keys.** **n** next split, **b** undo it, **a** grow to the end, **i** switch Gini/entropy,
**d**/**D** depth limit up/down. The tree of questions is on the right (yes to the left).

**Try this.** XOR (knobs: data) fools the greedy choice: no single first cut helps, so the first
splits look random. The 3×3 board needs depth; lower the limit and watch boxes stay mixed.
"""


class DecisionTreeScreen(SimulationScreen):
    """Boxes on the plane, the tree of questions, and the impurity bookkeeping of each split."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 40}
    TOPIC_ID = "decision-tree"
    TITLE = "Splitting space into boxes"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "split"

    DEFAULT_CSS = """
    DecisionTreeScreen #tree-canvas { width: 1fr; height: 1fr; }
    DecisionTreeScreen #tree-side { width: 48; height: 1fr; }
    DecisionTreeScreen.-narrow #tree-side { width: 38; }
    DecisionTreeScreen #tree-diagram {
        height: 1fr; min-height: 5; border: round $primary 50%; border-title-color: $text;
    }
    DecisionTreeScreen #tree-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    DecisionTreeScreen #tree-gains { height: 10; }
    DecisionTreeScreen.-short #tree-gains { display: none; }
    DecisionTreeScreen.-tiny #tree-side { display: none; }
    """

    BINDINGS = [
        Binding("a", "grow", "Grow all"),
        Binding("i", "toggle_criterion", "Gini/entropy"),
        Binding("d", "depth(1)", "Depth+"),
        Binding("D", "depth(-1)", "Depth−", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._shown_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> TreeGrower:
        return TreeGrower(seed=seed)

    def sim_step(self) -> None:
        if not self.sim.step():
            self.playing = False

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("criterion", "impurity (i)", sim.criterion, "choice", choices=CRITERIA),
            Param("max_depth", "depth limit (d)", sim.max_depth, "int", lo=1, hi=12, step=1),
            Param("data", "data", sim.data, "choice", choices=DATASETS, labels=DATA_LABELS),
            Param("n_points", "points", sim.n_points, "int", lo=10, hi=400, step=20),
            Param("noise", "noise", sim.noise, "float", lo=0.0, hi=0.5, step=0.05, fmt="{:.2f}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "criterion": self.sim.set_criterion,
            "max_depth": self.sim.set_max_depth,
            "data": self.sim.set_data_name,
            "n_points": self.sim.set_n_points,
            "noise": self.sim.set_noise,
        }[name]
        setter(value)
        self._shown_key = None

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._shown_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="tree-canvas")
        with Vertical(id="tree-side"):
            tree = TreeDiagram(id="tree-diagram")
            tree.border_title = "the questions (yes ←, no →)"
            yield tree
            card = Static(id="tree-card")
            card.border_title = "last split"
            yield card
            yield LinePlot(title="gain of every threshold tried", x_label="threshold", min_interval=0.2,
                           legend=False, id="tree-gains")
            yield ParamPanel(title="knobs (p)")

    def layout_changed(self) -> None:
        self._shown_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        key = (id(sim), sim.version, sim.max_depth, canvas.extent, width, height)
        if key == self._shown_key:
            return
        self._shown_key = key
        if width and height:
            self._draw_plane(canvas)
        self.query_one(TreeDiagram).set_tree(diagram(sim))
        self.query_one("#tree-card", Static).update(self._card())
        self._draw_gains()

    def _draw_plane(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        w, h = canvas.pixel_size
        extent = canvas.extent
        k = sim.n_classes
        canvas.set_palette(box_palette(k))
        classes, purity = sim.grid_regions(w, h, extent)
        canvas.set_heatmap(box_levels(classes, purity, k), 0.0, float(k * SHADES))
        canvas.clear_ink()
        last = sim.last
        for node_id, seg in sim.split_segments(extent):
            if last is None or node_id != last.id:
                canvas.add_line(*seg, color=palette.MUTED)
        if last is not None:
            for node_id, seg in sim.split_segments(extent):
                if node_id == last.id:
                    canvas.add_line(*seg, color=palette.HIGHLIGHT)
        mask = np.zeros(len(sim.y), dtype=bool)
        if last is not None:
            mask[last.indices] = True
        canvas.set_points(sim.X, sim.y, highlight=mask)
        canvas.clear_labels()
        canvas.set_cell_label(0, 0, f" {sim.splits} splits · {len(sim.leaves)} boxes · accuracy {sim.accuracy:.0%} ")

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        last = sim.last
        name = sim.criterion
        if last is None or last.split is None:
            text.append("no split yet: one box, one answer\n", style="italic")
            text.append(f"{name} of all {sim.root.n} points: {sim.root.impurity:.3f}\n")
        else:
            s = last.split
            text.append(f"#{sim.splits}: {question(s, FEATURES)}", style="bold")
            text.append(f"  {last.n} → {s.n_left} | {s.n_right}\n")
            text.append(f"{name} {s.parent_impurity:.3f} → {s.left_impurity:.3f} | {s.right_impurity:.3f}\n")
            text.append("gain ", style="bold")
            text.append(f"{s.gain:.3f}", style=f"bold {palette.hex_color(palette.CLASS_COLORS[2])}")
            text.append(f" · best of {s.candidates} thresholds\n")
        if sim.done:
            text.append(f"done: {sim.stop_reason}", style="bold green")
        else:
            nxt = sim.next_node
            text.append(f"next: {nxt.n} points, gain {nxt.split.gain:.3f}", style="italic")  # type: ignore[union-attr]
        return text

    def _draw_gains(self) -> None:
        plot = self.query_one(LinePlot)
        last = self.sim.last
        if last is None or not last.candidates:
            node = self.sim.next_node
        else:
            node = last
        plot.clear()
        if node is None or node.split is None:
            return
        colors = (palette.CLASS_COLORS[2], palette.CLASS_COLORS[3])
        for f, (t, g) in enumerate(node.candidates):
            if len(t):
                plot.set_series(FEATURES[f], t, g, color=colors[f])
        plot.set_marker_x(node.split.threshold)
        which = "last split" if node is last else "next split"
        plot.title = f"gain per threshold, {which}: x₁ green, x₂ pink"

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "splits": str(sim.splits),
            "boxes": str(len(sim.leaves)),
            "depth": f"{sim.depth}/{sim.max_depth}",
            "accuracy": f"{sim.accuracy:.1%}",
            sim.criterion: f"{sim.total_impurity:.3f}",
            "state": "done" if sim.done else "growing",
        }

    def prepare_shot(self) -> None:
        self._shown_key = None
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys
    def action_grow(self) -> None:
        self.playing = False
        made = self.sim.grow()
        self.steps_done += made
        self.refresh_view()
        self.refresh_bindings()
        if not made:
            self.notify(f"Nothing left to split: {self.sim.stop_reason}.", timeout=2)

    def action_toggle_criterion(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose("criterion", "entropy" if self.sim.criterion == "gini" else "gini")

    def action_depth(self, delta: int) -> None:
        panel = self.param_panel
        new = self.sim.max_depth + delta
        if not 1 <= new <= 12:
            self.notify("The depth limit goes from 1 to 12.", severity="warning", timeout=2)
            return
        if panel is not None:
            panel.propose("max_depth", new)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("decision-tree").run()

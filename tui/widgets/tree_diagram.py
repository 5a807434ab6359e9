"""TreeDiagram: decision trees and game trees (minimax, alpha-beta, MCTS).

A tree of :class:`TreeNode` is drawn top-down (root at the top, children spread below, box-drawing
connectors, labels centred, ``detail`` as a second line) when it fits the widget's width, and
otherwise as a left-to-right indented outline (``├─``/``└─``, one node per row, scrollable).

Node styles tell nodes apart without colour: max nodes carry ▲, min nodes ▼, pruned nodes ×
(and are dimmed), the active node is reversed, nodes on the path are bold and underlined.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.drawing import rgb_style, runs_to_strip

RGB = tuple[int, int, int]
NodeStyle = Literal["normal", "max", "min", "leaf", "pruned", "active", "path"]
NODE_STYLES: tuple[str, ...] = ("normal", "max", "min", "leaf", "pruned", "active", "path")
STYLE_GLYPHS = {"max": "▲", "min": "▼", "pruned": "×"}

MAX_TOP_DOWN_DEPTH = 64
MAX_STEM = 3  # extra rows of edge a level may grow by when the widget is taller than the tree
"""Deeper trees are always drawn as an outline (and laid out without recursion)."""


@dataclass(eq=False)
class TreeNode:
    """One node of a drawn tree. ``children`` may be any sequence; it is stored as a tuple."""

    label: str
    children: Sequence[TreeNode] = ()
    style: NodeStyle = "normal"
    detail: str = ""
    edge_label: str = ""
    color: RGB | None = None

    def __post_init__(self) -> None:
        if self.style not in NODE_STYLES:
            raise ValueError(f"unknown node style {self.style!r}; use one of {NODE_STYLES}")
        self.children = tuple(self.children)
        for child in self.children:
            if not isinstance(child, TreeNode):
                raise ValueError(f"tree children must be TreeNode, got {type(child).__name__}")

    def walk(self) -> Iterator[tuple[TreeNode, int]]:
        """(node, depth) in pre-order, without recursion."""
        stack: list[tuple[TreeNode, int]] = [(self, 0)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((c, depth + 1) for c in reversed(node.children))


def display_label(node: TreeNode) -> str:
    """The label as drawn: the style glyph (▲ max, ▼ min, × pruned) then the label."""
    glyph = STYLE_GLYPHS.get(node.style)
    return f"{glyph} {node.label}" if glyph else node.label


def node_box_width(node: TreeNode) -> int:
    """Columns a node needs in the top-down layout (label, detail and edge label)."""
    return max(
        cell_len(display_label(node)), cell_len(node.detail), cell_len(node.edge_label), 1
    )


@dataclass(frozen=True)
class Placement:
    """Where a node goes in the top-down layout: centre column ``x`` on level ``depth``."""

    node: TreeNode
    x: int
    depth: int
    parent: int  # index of the parent's placement, -1 for the root
    width: int  # the node's box width (see node_box_width)

    @property
    def left(self) -> int:
        """First column of the node's box."""
        return self.x - (self.width - 1) // 2

    @property
    def right(self) -> int:
        """Last column of the node's box."""
        return self.x + self.width // 2


def layout_top_down(root: TreeNode, width: int, gap: int = 1) -> list[Placement] | None:
    """Lay a tree out top-down in ``width`` columns, or return None if it does not fit.

    Placements come in pre-order (the root first). Sibling subtrees occupy disjoint column
    ranges ``gap`` apart; a parent is centred over its children (x = (first + last) // 2) and
    boxes never overlap. The layout starts at column 0 (callers may shift it to centre it).
    """
    if width < 1:
        return None
    nodes = list(root.walk())
    if max(d for _, d in nodes) > MAX_TOP_DOWN_DEPTH:
        return None
    leaves = sum(1 for n, _ in nodes if not n.children)
    if leaves * (1 + gap) - gap > width:
        return None
    # Post-order pass: each subtree's span, its root's centre and its children's offsets,
    # all relative to the subtree's left edge.
    span: dict[int, int] = {}
    centre: dict[int, int] = {}
    offsets: dict[int, list[int]] = {}
    for node, _ in reversed(nodes):
        w = node_box_width(node)
        key = id(node)
        if not node.children:
            span[key], centre[key], offsets[key] = w, (w - 1) // 2, []
            continue
        offs, pos = [], 0
        for child in node.children:
            offs.append(pos)
            pos += span[id(child)] + gap
        first = offs[0] + centre[id(node.children[0])]
        last = offs[-1] + centre[id(node.children[-1])]
        c = (first + last) // 2
        shift = max(0, (w - 1) // 2 - c)
        c += shift
        offsets[key] = [o + shift for o in offs]
        span[key] = max(pos - gap + shift, c + w // 2 + 1)
        centre[key] = c
    if span[id(root)] > width:
        return None
    # Pre-order pass: absolute positions.
    out: list[Placement] = []
    stack: list[tuple[TreeNode, int, int, int]] = [(root, 0, 0, -1)]
    while stack:
        node, left, depth, parent = stack.pop()
        index = len(out)
        out.append(Placement(node, left + centre[id(node)], depth, parent, node_box_width(node)))
        for child, off in reversed(list(zip(node.children, offsets[id(node)]))):
            stack.append((child, left + off, depth + 1, index))
    return out


# Box-drawing joints by (up, down, left, right).
_JOINTS = {
    (0, 0, 1, 1): "─",
    (1, 1, 0, 0): "│",
    (0, 1, 0, 1): "┌",
    (0, 1, 1, 0): "┐",
    (1, 0, 0, 1): "└",
    (1, 0, 1, 0): "┘",
    (0, 1, 1, 1): "┬",
    (1, 0, 1, 1): "┴",
    (1, 1, 0, 1): "├",
    (1, 1, 1, 0): "┤",
    (1, 1, 1, 1): "┼",
    (1, 0, 0, 0): "╵",
    (0, 1, 0, 0): "╷",
}


@dataclass
class _Canvas:
    """A grid of characters and style keys."""

    width: int
    height: int
    chars: list[list[str]] = field(init=False)
    keys: list[list[Hashable]] = field(init=False)

    def __post_init__(self) -> None:
        self.chars = [[" "] * self.width for _ in range(self.height)]
        self.keys = [["blank"] * self.width for _ in range(self.height)]

    def put(self, x: int, y: int, text: str, key: Hashable) -> None:
        if not 0 <= y < self.height:
            return
        for i, ch in enumerate(text):
            if 0 <= x + i < self.width:
                self.chars[y][x + i] = ch
                self.keys[y][x + i] = key


class TreeDiagram(ScrollView):
    """A tree drawn top-down when it fits, else as a scrollable indented outline."""

    DEFAULT_CSS = """
    TreeDiagram {
        width: 1fr;
        height: 1fr;
        background: $panel;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    TreeDiagram > .tree-diagram--max { color: $primary-lighten-2; text-style: bold; }
    TreeDiagram > .tree-diagram--min { color: $secondary-lighten-2; text-style: bold; }
    TreeDiagram > .tree-diagram--pruned { color: $text-muted; text-style: dim strike; }
    TreeDiagram > .tree-diagram--active { color: $accent; text-style: bold reverse; }
    TreeDiagram > .tree-diagram--path { color: $success; text-style: bold underline; }
    TreeDiagram > .tree-diagram--muted { color: $text-muted; }
    TreeDiagram > .tree-diagram--edge { color: $text-muted; }
    """

    COMPONENT_CLASSES = {
        "tree-diagram--max",
        "tree-diagram--min",
        "tree-diagram--pruned",
        "tree-diagram--active",
        "tree-diagram--path",
        "tree-diagram--muted",
        "tree-diagram--edge",
    }

    def __init__(
        self,
        root: TreeNode | None = None,
        *,
        gap: int = 1,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        if gap < 1:
            raise ValueError("the gap between subtrees must be at least 1 column")
        self.gap = gap
        self._root: TreeNode | None = root
        self._mode: Literal["empty", "top-down", "outline"] = "empty"
        self._canvas: _Canvas | None = None
        self._outline: list[tuple[TreeNode, str, str]] = []
        self._strips: dict[int, Strip] = {}
        self._styles: dict[Hashable, Style] = {}
        self._laid_out_for: tuple | None = None
        self._placements: list[Placement] = []
        self._node_rows: dict[int, int] = {}

    # -- data -------------------------------------------------------------------------------

    def set_tree(self, root: TreeNode | None) -> None:
        """Show the tree under ``root`` (None: nothing)."""
        if root is not None and not isinstance(root, TreeNode):
            raise ValueError(f"the root must be a TreeNode, got {type(root).__name__}")
        self._root = root
        self._laid_out_for = None
        self._relayout()
        self._scroll_to_active()

    @property
    def root(self) -> TreeNode | None:
        """The tree shown."""
        return self._root

    @property
    def mode(self) -> str:
        """The layout in use at the current size: "top-down", "outline" or "empty"."""
        self._relayout()
        return self._mode

    def row_of(self, node: TreeNode) -> int | None:
        """The virtual row of a node's label (before scrolling), or None."""
        self._relayout()
        return self._node_rows.get(id(node))

    # -- layout -----------------------------------------------------------------------------

    def _relayout(self) -> None:
        width, height = self.scrollable_content_region.size
        key = (width, height, self.app.no_color if self.is_attached else False)
        if self._laid_out_for == key:
            return
        self._laid_out_for = key
        self._strips.clear()
        self._canvas, self._outline, self._node_rows = None, [], {}
        root = self._root
        placements = None if root is None else layout_top_down(root, width, self.gap)
        if root is None or width <= 0:
            self._mode = "empty"
            rows = 0
        elif placements is not None:
            self._mode = "top-down"
            self._canvas = self._draw_top_down(placements, width, height)
            rows = self._canvas.height
        else:
            self._mode = "outline"
            self._outline = _outline_rows(root)
            self._node_rows = {id(n): row for row, (n, _, _) in enumerate(self._outline)}
            rows = len(self._outline)
        self.virtual_size = Size(max(width, 0), rows)
        self.refresh()

    def _draw_top_down(self, placements: list[Placement], width: int, height: int = 0) -> _Canvas:
        depth = max(p.depth for p in placements)
        has_detail = [False] * (depth + 1)
        has_edge = [False] * (depth + 1)
        for p in placements:
            has_detail[p.depth] |= bool(p.node.detail)
            has_edge[p.depth] |= bool(p.node.edge_label)
        # Rows of each level: label, detail (if any on the level), then joint and edge labels.
        level_row = [0]
        for d in range(depth):
            level_row.append(level_row[-1] + 2 + has_detail[d] + has_edge[d + 1])
        # Room to spare below: longer edges (a stem under each joint), up to MAX_STEM rows a level.
        natural = level_row[-1] + 1 + has_detail[depth]
        stem = min(MAX_STEM, max(0, height - natural) // depth) if depth else 0
        level_row = [row + d * stem for d, row in enumerate(level_row)]
        canvas = _Canvas(width, level_row[-1] + 1 + has_detail[depth])
        span = max(p.right for p in placements) + 1
        shift = max(0, (width - span) // 2)
        children: dict[int, list[Placement]] = {}
        for p in placements:
            if p.parent >= 0:
                children.setdefault(p.parent, []).append(p)
        for index, p in enumerate(placements):
            row = level_row[p.depth]
            self._node_rows[id(p.node)] = row
            x = p.x + shift
            text = display_label(p.node)
            canvas.put(x - (cell_len(text) - 1) // 2, row, text, ("node", index))
            if p.node.detail:
                detail = p.node.detail
                canvas.put(x - (cell_len(detail) - 1) // 2, row + 1, detail, "muted")
            kids = children.get(index, [])
            if not kids:
                continue
            joint_row = row + 1 + has_detail[p.depth]
            xs = [k.x + shift for k in kids]
            lo, hi = min(xs + [x]), max(xs + [x])
            # Each column of the joint row belongs to the child it leads to.
            owner = {col: kid for kid in kids for col in _between(kid.x + shift, x)}
            for col in range(lo, hi + 1):
                joint = (int(col == x), int(col in xs), int(col > lo), int(col < hi))
                kid = owner.get(col)
                key = ("edge", kid.node.style if kid else _parent_edge_style(kids))
                canvas.put(col, joint_row, _JOINTS.get(joint, "─"), key)
            for kid in kids:
                kx = kid.x + shift
                for r in range(joint_row + 1, joint_row + 1 + stem):
                    canvas.put(kx, r, "│", ("edge", kid.node.style))
                if kid.node.edge_label:
                    lab = kid.node.edge_label
                    canvas.put(kx - (cell_len(lab) - 1) // 2, joint_row + 1 + stem, lab, "muted")
        self._placements = placements
        return canvas

    def _scroll_to_active(self) -> None:
        if self._root is None or not self.is_attached:
            return
        active = next((n for n, _ in self._root.walk() if n.style == "active"), None)
        row = None if active is None else self.row_of(active)
        height = self.scrollable_content_region.height
        if row is None or height <= 0:
            return
        top = self.scroll_offset.y
        if not top <= row < top + height:
            self.scroll_to(y=max(0, row - height // 2), animate=False, force=True)

    # -- rendering --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def render_line(self, y: int) -> Strip:
        self._relayout()
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        strip = self._strips.get(row)
        if strip is None:
            strip = self._build_row(row, width)
            self._strips[row] = strip
        return strip

    def _build_row(self, row: int, width: int) -> Strip:
        base = self.rich_style
        if width <= 0:
            return Strip.blank(0)
        if self._mode == "top-down" and self._canvas is not None and row < self._canvas.height:
            keys = self._canvas.keys[row]
            styles = {k: self._style_for(k) for k in set(keys)}
            return runs_to_strip(self._canvas.chars[row], keys, styles)
        if self._mode == "outline" and 0 <= row < len(self._outline):
            return self._outline_strip(row, width)
        return Strip.blank(width, base)

    def _outline_strip(self, row: int, width: int) -> Strip:
        node, prefix, branch = self._outline[row]
        edge = self._style_for(("edge", node.style))
        muted = self._style_for("muted")
        segments = [Segment(prefix, self._style_for(("edge", "normal"))), Segment(branch, edge)]
        if node.edge_label:
            segments.append(Segment(node.edge_label + ": ", muted))
        segments.append(Segment(display_label(node), self._node_style(node)))
        if node.detail:
            segments.append(Segment("  " + node.detail, muted))
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = Strip.join([strip.crop(0, max(width - 1, 0)), Strip([Segment("…", muted)])])
        return strip.extend_cell_length(width, self.rich_style)

    def _style_for(self, key: Hashable) -> Style:
        style = self._styles.get(key)
        if style is not None:
            return style
        base = self.rich_style
        comp = self.get_component_rich_style
        if key == "blank":
            style = base
        elif key == "muted":
            style = base + comp("tree-diagram--muted", partial=True)
        elif isinstance(key, tuple) and key[0] == "edge":
            kind = key[1]
            extra = Style()
            if kind == "pruned":
                extra = comp("tree-diagram--pruned", partial=True)
            elif kind in ("path", "active"):
                extra = comp("tree-diagram--path", partial=True) + Style(underline=False)
            style = base + comp("tree-diagram--edge", partial=True) + extra
        elif isinstance(key, tuple) and key[0] == "node":
            return self._node_style(self._placements[key[1]].node)
        else:
            style = base
        self._styles[key] = style
        return style

    def _node_style(self, node: TreeNode) -> Style:
        """A node label's style: its kind from CSS, its own colour (not in monochrome)."""
        key = ("kind", node.style, node.color)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if node.style not in ("normal", "leaf"):
                style += self.get_component_rich_style(f"tree-diagram--{node.style}", partial=True)
            mono = bool(getattr(self.app, "no_color", False))
            if node.color is not None and not mono and node.style not in ("pruned", "active"):
                style += rgb_style(tuple(int(c) for c in node.color))  # type: ignore[arg-type]
            self._styles[key] = style
        return style


def _between(a: int, b: int) -> range:
    """Columns from ``a`` towards ``b``, excluding ``b``."""
    return range(a, b) if a < b else range(b + 1, a + 1) if a > b else range(0)


def _parent_edge_style(kids: list[Placement]) -> str:
    """The style of the joint under a parent: "path" if a child is on the path, else normal."""
    return "path" if any(k.node.style in ("path", "active") for k in kids) else "normal"


def _outline_rows(root: TreeNode) -> list[tuple[TreeNode, str, str]]:
    """(node, indent prefix, branch glyphs) for every node in pre-order, without recursion."""
    rows: list[tuple[TreeNode, str, str]] = []
    stack: list[tuple[TreeNode, str, str]] = [(root, "", "")]
    while stack:
        node, prefix, branch = stack.pop()
        rows.append((node, prefix, branch))
        if node is root:
            child_prefix = ""
        else:
            child_prefix = prefix + ("   " if branch.startswith("└") else "│  ")
        kids = node.children
        for i in range(len(kids) - 1, -1, -1):
            stack.append((kids[i], child_prefix, "└─ " if i == len(kids) - 1 else "├─ "))
    return rows

"""TreeDiagram: top-down layout properties, outline fallback, labels drawn, styles, sizes."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui.widgets.tree_diagram import (
    TreeDiagram,
    TreeNode,
    display_label,
    layout_top_down,
    node_box_width,
)


class TreeApp(App):
    """A bare app around one TreeDiagram."""

    def __init__(self, width: str = "1fr", height: str = "1fr") -> None:
        super().__init__()
        self._w, self._h = width, height

    def compose(self) -> ComposeResult:
        tree = TreeDiagram()
        tree.styles.width = self._w
        tree.styles.height = self._h
        yield tree


def cells_of(strip: Strip) -> list[tuple[str, Style]]:
    """One (character, style) per cell of a strip."""
    out = []
    for seg in strip:
        out.extend((ch, seg.style or Style()) for ch in seg.text)
    return out


def full_tree(depth: int, branching: int, prefix: str = "n") -> TreeNode:
    """A complete tree with unique labels; max and min levels alternate, leaves hold numbers."""
    counter = iter(range(10**6))

    def build(d: int) -> TreeNode:
        if d == depth:
            return TreeNode(f"{prefix}{next(counter)}", style="leaf")
        kids = [build(d + 1) for _ in range(branching)]
        return TreeNode(f"{prefix}{next(counter)}", kids, style="max" if d % 2 == 0 else "min")

    return build(0)


labels = st.text(alphabet="abcxyz0123456789-[]∞α,", min_size=0, max_size=7)


@st.composite
def trees(draw, depth: int = 0) -> TreeNode:
    n_kids = draw(st.integers(0, 4)) if depth < 4 else 0
    kids = [draw(trees(depth + 1)) for _ in range(n_kids)]
    return TreeNode(
        draw(labels),
        kids,
        style=draw(st.sampled_from(["normal", "max", "min", "leaf", "pruned", "active", "path"])),
        detail=draw(st.one_of(st.just(""), labels)),
        edge_label=draw(st.one_of(st.just(""), labels)),
    )


def count(root: TreeNode) -> int:
    return sum(1 for _ in root.walk())


# -- pure layout --------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(root=trees(), width=st.integers(1, 200))
def test_top_down_layout_properties(root, width):
    placements = layout_top_down(root, width)
    unconstrained = layout_top_down(root, 10**6)
    assert unconstrained is not None
    extent = max(p.right for p in unconstrained) + 1
    if placements is None:
        assert extent > width  # None only when it really does not fit
        return
    assert extent <= width
    assert len(placements) == count(root)
    assert placements[0].node is root and placements[0].parent == -1
    by_node = {id(p.node): p for p in placements}
    for i, p in enumerate(placements):
        assert 0 <= p.left <= p.x <= p.right < width
        assert p.width == node_box_width(p.node)
        assert p.width >= len(display_label(p.node)) and p.width >= len(p.node.detail)
        if p.parent >= 0:
            assert p.parent < i and placements[p.parent].depth == p.depth - 1
        kids = [by_node[id(k)] for k in p.node.children]
        if kids:
            # Centred over the children, which keep their order left to right.
            assert p.x == (kids[0].x + kids[-1].x) // 2
            assert all(a.right < b.left for a, b in zip(kids, kids[1:]))
    # No two boxes on one level overlap (nor touch).
    levels: dict[int, list[tuple[int, int]]] = {}
    for p in placements:
        levels.setdefault(p.depth, []).append((p.left, p.right))
    for boxes in levels.values():
        boxes.sort()
        assert all(a[1] < b[0] for a, b in zip(boxes, boxes[1:]))


def test_layout_of_a_known_small_tree():
    root = TreeNode("r", [TreeNode("a"), TreeNode("b"), TreeNode("c")])
    p = layout_top_down(root, 5)
    assert p is not None
    assert [(q.node.label, q.x, q.depth) for q in p] == [
        ("r", 2, 0),
        ("a", 0, 1),
        ("b", 2, 1),
        ("c", 4, 1),
    ]
    assert layout_top_down(root, 4) is None
    assert layout_top_down(root, 0) is None


def test_wide_tree_does_not_fit_and_is_rejected_quickly():
    root = full_tree(5, 4)
    start = time.perf_counter()
    assert layout_top_down(root, 200) is None
    assert time.perf_counter() - start < 0.5


def test_bad_nodes_raise_value_error():
    with pytest.raises(ValueError):
        TreeNode("x", style="maximum")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        TreeNode("x", children=["not a node"])  # type: ignore[list-item]


# -- pilot --------------------------------------------------------------------------------------


async def test_top_down_draws_every_label_at_its_place():
    root = TreeNode(
        "root",
        [
            TreeNode("L", [TreeNode("3", style="leaf"), TreeNode("12", style="leaf")], style="min",
                     detail="[-∞, ∞]", edge_label="left"),
            TreeNode("R", [TreeNode("8", style="pruned")], style="min", edge_label="right"),
        ],
        style="max",
        detail="[3, ∞]",
    )
    app = TreeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(root)
        await pilot.pause()
        assert tree.mode == "top-down"
        lines = [tree.render_line(y).text for y in range(24)]
        placements = layout_top_down(root, tree.scrollable_content_region.width)
        assert placements is not None
        for p in placements:
            row = tree.row_of(p.node)
            assert row is not None
            assert display_label(p.node) in lines[row]
            if p.node.detail:
                assert p.node.detail in lines[row + 1]
        screen = "\n".join(lines)
        for text in ["left", "right", "▲ root", "▼ L", "▼ R", "× 8"]:
            assert text in screen
        # Parent above its children; connectors between the levels.
        rows = [tree.row_of(root), tree.row_of(root.children[0])]
        rows.append(tree.row_of(root.children[0].children[0]))
        assert rows == sorted(rows) and len(set(rows)) == 3
        assert any(ch in screen for ch in "┌┐┬┴")


async def test_wide_tree_falls_back_to_a_scrollable_outline():
    root = full_tree(5, 4)  # 1365 nodes, 1024 leaves
    app = TreeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(TreeDiagram)
        start = time.perf_counter()
        tree.set_tree(root)
        await pilot.pause()
        lines = [tree.render_line(y).text for y in range(24)]
        elapsed = time.perf_counter() - start
        print(f"\n1365-node outline: {elapsed * 1000:.1f} ms to lay out and draw")
        assert elapsed < 2.0
        assert tree.mode == "outline"
        assert tree.virtual_size.height == 1365
        assert lines[0].startswith("▲ n")
        assert lines[1].startswith("├─ ▼ ")
        assert lines[2].startswith("│  ├─ ▲ ")
        # Every node on its own row, in pre-order, indented by depth.
        for (node, depth), row in zip(root.walk(), range(24)):
            assert tree.row_of(node) == row
            assert display_label(node) in lines[row]
            assert lines[row].index(display_label(node)) == 3 * depth
        # Scroll to the end: the last leaf is drawn under a └─ branch.
        tree.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last = [tree.render_line(y).text for y in range(24)]
        last_leaf = list(root.walk())[-1][0]
        assert any(line.rstrip().endswith("└─ " + last_leaf.label) for line in last)


async def test_outline_shows_all_labels_details_and_edge_labels():
    root = full_tree(2, 9)  # 91 nodes, too wide for 60 columns
    for i, (node, _) in enumerate(root.walk()):
        node.detail = f"d{i}"
        node.edge_label = f"e{i}" if i else ""
    app = TreeApp()
    async with app.run_test(size=(60, 20)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(root)
        await pilot.pause()
        assert tree.mode == "outline"
        height = tree.scrollable_content_region.height
        by_row: dict[int, str] = {}
        for top in range(0, tree.virtual_size.height, height):
            tree.scroll_to(y=top, animate=False, immediate=True)
            await pilot.pause()
            for y in range(height):
                by_row[tree.scroll_offset.y + y] = tree.render_line(y).text
        seen = [by_row[r] for r in range(tree.virtual_size.height)]
        assert len(seen) == count(root)
        for i, (node, _) in enumerate(root.walk()):
            assert display_label(node) in seen[i] and f"d{i}" in seen[i]
            if i:
                assert f"e{i}: " in seen[i]


async def test_styles_tell_nodes_apart():
    root = TreeNode(
        "A",
        [
            TreeNode("B", style="active"),
            TreeNode("C", style="pruned"),
            TreeNode("D", style="path"),
            TreeNode("E", style="min"),
        ],
        style="max",
    )
    app = TreeApp()
    async with app.run_test(size=(60, 12)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(root)
        await pilot.pause()

        def style_of(node: TreeNode) -> Style:
            row = tree.row_of(node)
            assert row is not None
            cells = cells_of(tree.render_line(row))
            text = "".join(ch for ch, _ in cells)
            return cells[text.index(display_label(node)) + len(display_label(node)) - 1][1]

        active, pruned, path, mini = root.children
        assert style_of(active).reverse
        assert style_of(pruned).dim or style_of(pruned).strike
        assert style_of(path).underline and style_of(path).bold
        assert not style_of(mini).reverse and not style_of(mini).underline
        text = "\n".join(tree.render_line(y).text for y in range(12))
        assert "▲ A" in text and "▼ E" in text and "× C" in text


async def test_active_node_is_scrolled_into_view():
    root = full_tree(4, 4)  # 341 nodes: outline in 40 × 10
    last_leaf = list(root.walk())[-1][0]
    last_leaf.style = "active"
    app = TreeApp()
    async with app.run_test(size=(40, 10)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(root)
        await pilot.pause()
        row = tree.row_of(last_leaf)
        assert row is not None and row > 10
        top = tree.scroll_offset.y
        assert top <= row < top + tree.scrollable_content_region.height


@pytest.mark.parametrize("size", [(0, 0), (10, 3), (200, 60)])
@pytest.mark.parametrize("shape", [None, (0, 1), (3, 3), (5, 4)])
async def test_any_size_and_empty_data_render(size, shape):
    app = TreeApp(width=str(size[0]), height=str(size[1]))
    async with app.run_test(size=(200, 60)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(None if shape is None else full_tree(*shape))
        await pilot.pause()
        assert tuple(tree.outer_size) == size
        for y in range(tree.size.height):
            tree.render_line(y)
        app.export_screenshot()
        tree.set_tree(None)
        await pilot.pause()
        app.export_screenshot()


async def test_a_very_deep_chain_uses_the_outline():
    node = TreeNode("leaf", style="leaf")
    for i in range(3000):
        node = TreeNode(f"n{i}", [node])
    app = TreeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(node)
        await pilot.pause()
        assert tree.mode == "outline"
        assert tree.render_line(0).text.startswith("n2999")


@pytest.mark.parametrize("height, stem", [(5, 0), (6, 0), (7, 1), (9, 2), (40, 3)])  # the tree needs 5 rows
async def test_spare_height_lengthens_the_edges(height, stem):
    """A tree in a taller widget spreads its levels: a stem of `stem` rows under each joint, at each
    child's column and in its edge's style (MAX_STEM at most), the child right below it."""
    from tui.widgets.tree_diagram import MAX_STEM

    root = full_tree(2, 2)
    app = TreeApp(width="40", height=str(height))
    async with app.run_test(size=(40, height)) as pilot:
        tree = app.query_one(TreeDiagram)
        tree.set_tree(root)
        await pilot.pause()
        assert tree.mode == "top-down"
        assert stem <= MAX_STEM
        lines = [tree.render_line(y).text for y in range(height)]
        kid = root.children[0]
        kid_row, root_row = tree.row_of(kid), tree.row_of(root)
        assert kid_row - root_row == 2 + stem  # label, joint, stem rows, then the child
        placements = layout_top_down(root, tree.scrollable_content_region.width)
        shift = (lines[kid_row].index(display_label(kid)) + (len(display_label(kid)) - 1) // 2
                 - next(p.x for p in placements if p.node is kid))
        column = next(p.x for p in placements if p.node is kid) + shift
        for r in range(root_row + 2, kid_row):
            assert lines[r][column] == "│"
        assert tree.virtual_size.height <= height

"""Test helpers shared by the minimax and alpha-beta screen tests: what the drawn tree should be."""

from __future__ import annotations

from screens.game_tree_base import GameTreeScreen
from tui.widgets.tree_diagram import TreeDiagram, TreeNode


def drawn_nodes(screen: GameTreeScreen) -> list[TreeNode]:
    """The drawn nodes in pre-order, the same numbering as the simulation's tree."""
    root = screen.query_one(TreeDiagram).root
    assert root is not None
    return [node for node, _ in root.walk()]


def assert_drawing_matches(screen: GameTreeScreen) -> None:
    """Every drawn node shows the search's state: value, ✓ on evaluated leaves, × on pruned nodes,
    ▲/▼ on inner nodes, the window as detail, the current node active."""
    run = screen.sim.search
    tree = run.tree
    nodes = drawn_nodes(screen)
    assert len(nodes) == tree.size
    for i, node in enumerate(nodes):
        status = run.status(i)
        assert run.value_text(i) in node.label
        assert node.label.endswith("✓") == (tree.is_leaf(i) and status == "leaf")
        assert (node.style == "pruned") == (status == "pruned")
        if status != "pruned":
            assert (node.style == "active") == (i == run.current)
        if not tree.is_leaf(i) and node.style != "pruned":
            glyph = "▲" if tree.is_max(i) else "▼"
            assert node.style == ("max" if glyph == "▲" else "min") or node.label.startswith(glyph)
        assert node.detail == run.window_text(i)


def card_text(screen: GameTreeScreen) -> str:
    return str(screen.query_one("#gt-card").render())

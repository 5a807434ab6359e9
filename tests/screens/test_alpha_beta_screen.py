"""The alpha-beta screen: windows and pruned branches drawn as the search has them, the counts of
both searches on the card, the effect of ordering, typed trees, and big trees as an outline."""

from __future__ import annotations

import re

from textual.widgets import Input

from tests.screens.game_tree_helpers import assert_drawing_matches, card_text, drawn_nodes
from tui.app import LearnLoopApp
from tui.widgets.param_panel import ParamPanel
from tui.widgets.tree_diagram import TreeDiagram

TEXTBOOK = "3 12 8 | 2 4 6 | 14 5 2"


def app_for(**kw) -> LearnLoopApp:
    return LearnLoopApp("alpha-beta", seed=0, autoplay=False, **kw)


async def test_a_typed_tree_is_pruned_step_by_step_and_back():
    app = app_for(options={"leaves": TEXTBOOK})
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        run = screen.sim.search
        assert run.algorithm == "alphabeta"
        prune_at = next(i for i, e in enumerate(run.events) if e.kind == "prune")
        await pilot.press(*["n"] * (prune_at + 1))
        await pilot.pause()
        assert run.last_event.kind == "prune"
        assert run.narration.startswith("β ≤ α at min node 2 (2 ≤ 3): prune 2 children")
        assert run.narration in card_text(screen)
        nodes = drawn_nodes(screen)
        assert [n.label for n in nodes if n.style == "pruned"] == ["4", "6"]
        assert nodes[5].detail == "[3,2]"  # the min node whose window closed
        assert_drawing_matches(screen)
        await pilot.press("b")
        await pilot.pause()
        assert not any(n.style == "pruned" for n in drawn_nodes(screen))
        assert_drawing_matches(screen)
        await pilot.press("a")
        await pilot.pause()
        card = card_text(screen)
        assert run.root_value == 3 and "3, equals exhaustive minimax 3" in card
        assert re.search(r"▸ alpha-beta +7 +skips 22%", card)
        assert re.search(r"  minimax +9\n", card)
        assert screen.metrics()["leaves"] == "7/9" and screen.metrics()["root"] == "3"


async def test_best_first_ordering_reaches_the_minimum_shown_on_the_card():
    app = app_for(options={"depth": 4, "branching": 3})
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("o")  # as generated -> best first
        await pilot.pause()
        assert screen.sim.ordering == "best"
        await pilot.press("a")
        await pilot.pause()
        run = screen.sim.search
        assert run.leaves_evaluated == 3**2 + 3**2 - 1
        assert re.search(r"best first +17 ", card_text(screen))
        assert_drawing_matches(screen)
        pruned_leaves = sum(1 for i in run.tree.leaves if drawn_nodes(screen)[i].style == "pruned")
        assert pruned_leaves == 81 - 17


async def test_changing_the_shape_sets_typed_scores_aside():
    app = app_for(options={"leaves": TEXTBOOK})
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        assert panel.value("leaves") == TEXTBOOK
        panel.propose("depth", 2)
        await pilot.pause()
        assert screen.sim.leaves_text == "" and panel.value("leaves") == ""
        assert screen.sim.n_leaves == 9 and "random" in card_text(screen)
        # a plain list is read with the current branching
        await pilot.press("t")
        panel.query_one("#edit", Input).value = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27"
        await pilot.press("enter")
        await pilot.pause()
        assert panel.error == "" and screen.sim.tree.depth == 3
        await pilot.press("escape")
        await pilot.press("r")
        await pilot.pause()
        assert screen.sim.tree.depth == 3 and screen.sim.search.index == 0  # reset keeps typed scores
        await pilot.press("g")
        await pilot.pause()
        assert screen.sim.leaves_text == "" and panel.value("leaves") == "" and screen.sim.n_leaves == 9


async def test_a_big_tree_is_an_outline_that_follows_the_search():
    app = app_for(options={"depth": 5, "branching": 4})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        diagram = screen.query_one(TreeDiagram)
        assert diagram.mode == "outline"
        screen.advance(300)
        await pilot.pause()
        run = screen.sim.search
        active = drawn_nodes(screen)[run.current]
        row = diagram.row_of(active)
        top = diagram.scroll_offset.y
        assert row is not None and row > diagram.size.height  # far below the first screenful
        assert top <= row < top + diagram.scrollable_content_region.height
        assert_drawing_matches(screen)

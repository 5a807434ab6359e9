"""The minimax screen: stepping and stepping back, running to the end, typing leaf scores, ordering
and new trees from keys; what is drawn equals the search's state."""

from __future__ import annotations

import re

from textual.widgets import Input

from algorithms.gametree import GameTreeLab, format_score
from tests.screens.game_tree_helpers import assert_drawing_matches, card_text, drawn_nodes
from tui.app import LearnLoopApp
from tui.widgets.param_panel import ParamPanel


def app_for(**kw) -> LearnLoopApp:
    return LearnLoopApp("minimax", seed=0, autoplay=False, **kw)


async def test_steps_forward_and_back_and_the_drawing_follows():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        run = screen.sim.search
        assert run.algorithm == "minimax" and run.index == 0
        await pilot.press(*"nnnnnn")
        await pilot.pause()
        assert run.index == 6
        assert_drawing_matches(screen)
        assert run.narration in card_text(screen)
        assert f"leaves evaluated {run.leaves_evaluated}" in card_text(screen)
        await pilot.press("b", "b")
        await pilot.pause()
        assert run.index == 4
        assert_drawing_matches(screen)
        assert screen.query_one("#sim-metrics").render()  # the metrics bar is drawn
        assert screen.metrics()["event"] == f"4/{len(run.events)}"


async def test_run_to_end_gives_the_exhaustive_value_and_evaluates_every_leaf():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        sim = screen.sim
        assert sim.search.done and sim.search.root_value == sim.exhaustive_value
        assert sim.search.leaves_evaluated == sim.n_leaves
        assert_drawing_matches(screen)
        root = drawn_nodes(screen)[0]
        assert root.label == f"▲ {format_score(sim.exhaustive_value)}" and root.style == "active"
        path = sim.search.principal_variation
        assert len(path) == sim.tree.depth + 1
        assert all(drawn_nodes(screen)[i].style == "path" for i in path[1:])
        assert not any(n.style == "pruned" for n in drawn_nodes(screen))
        card = card_text(screen)
        assert "equals exhaustive minimax" in card
        assert re.search(rf"▸ minimax +{sim.n_leaves}\n", card)
        assert re.search(rf"  alpha-beta +{sim.alphabeta_run.total_leaves_evaluated} ", card)
        await pilot.press("n")  # nothing left: stays done
        assert sim.search.done and not screen.playing


async def test_typing_leaf_scores_builds_that_tree_and_bad_text_keeps_the_old_one():
    app = app_for()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(ParamPanel)
        await pilot.press("t")
        await pilot.pause()
        editor = panel.query_one("#edit", Input)
        assert editor.has_focus and editor.value == screen.sim.base_tree.to_text()
        editor.value = "3 12 8 | 2 4 6 | 14 5 2"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.sim.tree.to_nested() == [[3, 12, 8], [2, 4, 6], [14, 5, 2]]
        assert panel.value("leaves") == "3 12 8 | 2 4 6 | 14 5 2" and panel.error == ""
        assert [n.label for n in drawn_nodes(screen)][-3:] == ["14", "5", "2"]
        assert "typed tree, depth 2" in card_text(screen)
        before = screen.sim.tree
        for bad, words in (("3 x | 4 5", "not a whole number"), ("3 500 | 1 2", "from -99 to 99"),
                           ("1 2 3", "do not fill a full tree")):
            await pilot.press("t")
            await pilot.pause()
            panel.query_one("#edit", Input).value = bad
            await pilot.press("enter")
            await pilot.pause()
            assert words in panel.error
            assert screen.sim.tree is before
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("escape")  # leave the knobs
        await pilot.press("a")
        await pilot.pause()
        assert screen.sim.search.root_value == 3


async def test_ordering_key_and_new_tree_key():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        value = screen.sim.exhaustive_value
        await pilot.press("n", "o")
        await pilot.pause()
        assert screen.sim.ordering == "best" and screen.param_panel.value("ordering") == "best"
        assert screen.sim.search.index == 0 and screen.sim.exhaustive_value == value
        assert screen.sim.tree == GameTreeLab(seed=0).tree.ordered("best")
        await pilot.press("o", "o")
        assert screen.sim.ordering == "generated"
        old = screen.sim.tree
        await pilot.press("g")
        await pilot.pause()
        assert screen.sim.tree != old and screen.sim.seed != 0
        assert_drawing_matches(screen)

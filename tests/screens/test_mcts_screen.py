"""The mcts screen as a player drives it: cursor and enter, refused moves, marks, the machine's
replies, the bars and the tree against the search, hints, take-back and new games."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from algorithms.mcts import CHUNKS_PER_MOVE
from tests.screens.clock import freeze_clock
from tui.app import LearnLoopApp
from tui.widgets.bar_chart import BarChart
from tui.widgets.grid_view import GridView
from tui.widgets.param_panel import ParamPanel
from tui.widgets.tree_diagram import TreeDiagram

SIZE = (140, 46)


@asynccontextmanager
async def mcts_screen(size: tuple[int, int] = SIZE) -> AsyncIterator[tuple[Pilot, Any]]:
    """The mcts screen, paused, seed 0, ready for keys."""
    app = LearnLoopApp("mcts", seed=0, autoplay=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield pilot, app.screen


def card_text(screen) -> str:
    return str(screen.query_one("#mcts-card", Static).content)


def board_texts(screen) -> list[list[str]]:
    return screen.query_one("#mcts-board", GridView)._texts


async def press_n_until_mcts_moves(pilot, screen) -> int:
    """Press n until MCTS has played; returns the presses (chunks) it took."""
    presses = 0
    while screen.sim.thinking:
        await pilot.press("n")
        presses += 1
        assert presses <= 100
    await pilot.pause()
    return presses


async def let_machine_move(pilot, screen) -> None:
    """Run MCTS's whole search at once (as n would, chunk by chunk, without a key press each)."""
    screen.advance(CHUNKS_PER_MOVE)
    assert not screen.sim.thinking
    await pilot.pause()


async def test_cursor_and_enter_place_a_mark_and_mcts_replies_in_chunks():
    async with mcts_screen() as (pilot, screen):
        sim = screen.sim
        assert sim.humans_turn and screen.cursor == (1, 1)
        await pilot.press("up", "left", "enter")  # cursor to the top-left corner
        await pilot.pause()
        assert screen.cursor == (0, 0) and sim.board.cell(0) == "X"
        assert board_texts(screen)[0][0] == "X"
        assert screen.query_one("#mcts-board", GridView).cursor == (0, 0)
        assert sim.thinking and "thinking" in card_text(screen)
        presses = await press_n_until_mcts_moves(pilot, screen)
        assert presses == CHUNKS_PER_MOVE == 25  # 2000 simulations in chunks of 80
        assert sim.humans_turn and sim.board.moves_made == 2
        reply = sim.last_move
        assert sim.board.cell(reply) == "O" and board_texts(screen)[reply // 3][reply % 3] == "O"
        assert reply == sim.search.best_move


async def test_vim_keys_and_digits_place_marks():
    async with mcts_screen() as (pilot, screen):
        await pilot.press("j", "l", "l")  # clamped at the edge
        assert screen.cursor == (2, 2)
        await pilot.press("k", "h")
        assert screen.cursor == (1, 1)
        await pilot.press("9")
        assert screen.sim.board.cell(8) == "X" and screen.cursor == (2, 2)


async def test_occupied_cell_and_turn_and_game_over_get_clear_messages():
    async with mcts_screen() as (pilot, screen):
        sim = screen.sim
        await pilot.press("enter")
        await pilot.press("enter")  # MCTS's turn
        assert "MCTS's turn" in screen.message and "MCTS's turn" in card_text(screen)
        await let_machine_move(pilot, screen)
        await pilot.press("5")  # taken by X
        await pilot.pause()
        assert "taken by X" in screen.message and "taken by X" in card_text(screen)
        assert sim.board.moves_made == 2
        # Play the first free cell every time: a poor plan, MCTS wins.
        while not sim.over:
            await pilot.press(str(sim.board.legal_moves[0] + 1))
            await let_machine_move(pilot, screen)
        assert sim.outcome == "mcts" and "MCTS wins" in card_text(screen)
        line = sim.board.winning_line
        assert screen.query_one("#mcts-board", GridView)._marks[divmod(line[0], 3)]
        free = [c for c in range(9) if not sim.board.cell(c)]
        await pilot.press(str(free[0] + 1) if free else "1")
        await pilot.pause()
        assert "over" in screen.message
        assert "you 0 · draws 0 · MCTS 1" in card_text(screen)


async def test_bars_show_the_visit_counts_and_scores_of_the_root_children():
    async with mcts_screen() as (pilot, screen):
        await pilot.press("5", "n", "n", "n")
        await pilot.pause()
        search = screen.sim.search
        assert search.simulations == 240
        kids = search.root_children()
        visits = screen.query_one("#mcts-visits", BarChart)
        assert list(visits._values) == [k.visits for k in kids]
        assert [label[0] for label in visits._labels] == [str(k.move + 1) for k in kids]
        assert "240/2000" in visits.title
        scores = screen.query_one("#mcts-values", BarChart)
        # the machine's expected score: its own mean reward at each of its moves
        assert list(scores._values) == pytest.approx([k.value for k in kids])
        best = [k.move for k in kids].index(search.best_move)
        assert visits._highlight == best
        # the board shows each free cell's share of the visits while MCTS thinks
        share = kids[best].visits / 240
        r, c = divmod(search.best_move, 3)
        assert board_texts(screen)[r][c] == f"{share:.0%}"


async def test_tree_shows_the_top_levels_and_opens_other_moves():
    async with mcts_screen() as (pilot, screen):
        await pilot.press("5")
        await let_machine_move(pilot, screen)
        search = screen.sim.search
        root = screen.query_one(TreeDiagram).root
        kids = search.root_children()
        assert [n.label for n in root.children] == [f"{k.move + 1}{n.label[1:]}" for k, n in zip(kids, root.children)]
        assert [n.detail.split(" ")[0] for n in root.children] == [str(k.visits) for k in kids]
        opened = [i for i, n in enumerate(root.children) if n.children]
        assert opened == [[k.move for k in kids].index(search.best_move)]  # the most visited move is open
        best_id = kids[opened[0]].id
        assert len(root.children[opened[0]].children) == len(search.children(best_id))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        root = screen.query_one(TreeDiagram).root
        now = [i for i, n in enumerate(root.children) if n.children]
        assert now == [(opened[0] + 1) % len(kids)] and root.children[now[0]].style == "active"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.open_move == kids[(opened[0] - 1) % len(kids)].move


async def test_choosing_o_and_who_starts():
    async with mcts_screen() as (pilot, screen):
        panel = screen.query_one(ParamPanel)
        await pilot.press("o")
        await pilot.pause()
        assert screen.sim.human == "O" and panel.value("human") == "O" and screen.sim.humans_turn
        await pilot.press("o")
        assert "already play O" in screen.message
        screen.set_param("first", "mcts")
        await pilot.pause()
        assert screen.sim.thinking and "New game" in card_text(screen)
        await pilot.press("a")  # answer now: the whole search at once
        await pilot.pause()
        assert screen.sim.search.simulations == 2000 and screen.sim.humans_turn
        assert screen.sim.board.cell(screen.sim.last_move) == "X" and screen.sim.board.turn == "O"
        await pilot.press("a")
        assert "your move" in screen.message
        await pilot.press("x")
        await pilot.pause()
        assert screen.sim.human == "X" and screen.sim.thinking and screen.sim.board.turn == "O"


async def test_playing_lets_mcts_think_on_its_own():
    async with mcts_screen() as (pilot, screen):
        freeze_clock(screen)
        await pilot.press("5", "space")
        assert screen.playing
        for _ in range(200):
            if not screen.sim.thinking:
                break
            screen._tick()
        assert screen.sim.humans_turn and screen.sim.board.moves_made == 2


async def test_hints_show_perfect_play_on_the_board():
    async with mcts_screen() as (pilot, screen):
        await pilot.press("1")  # X in a corner
        await let_machine_move(pilot, screen)
        await pilot.press("e")
        await pilot.pause()
        assert screen.hints and screen.query_one(ParamPanel).value("hints") is True
        values = screen.sim.board.move_values()
        words = {1: "win", 0: "draw", -1: "loss"}
        texts = board_texts(screen)
        for cell, value in values.items():
            assert texts[cell // 3][cell % 3] == words[value]
        assert "Perfect play" in card_text(screen)


async def test_take_back_and_new_game_keep_the_score():
    async with mcts_screen() as (pilot, screen):
        sim = screen.sim
        await pilot.press("5")
        await let_machine_move(pilot, screen)
        await pilot.press("1")
        await let_machine_move(pilot, screen)
        assert sim.board.moves_made == 4
        await pilot.press("b")
        await pilot.pause()
        assert sim.board.moves_made == 2 and sim.humans_turn
        await pilot.press("b", "b")  # back to the empty board, then nothing left to take back
        assert sim.board.moves_made == 0
        while not sim.over:
            await pilot.press(str(sim.board.legal_moves[0] + 1))
            await let_machine_move(pilot, screen)
        assert sim.games == 1
        await pilot.press("g")
        await pilot.pause()
        assert sim.board.moves_made == 0 and sim.games == 1 and "MCTS 1" in card_text(screen)
        await pilot.press("r")
        await pilot.pause()
        assert screen.sim.games == 0


async def test_clicking_a_cell_places_a_mark():
    async with mcts_screen() as (pilot, screen):
        grid = screen.query_one("#mcts-board", GridView)
        region = grid.cell_region(0, 2)
        await pilot.click("#mcts-board", offset=(region.x + 1, region.y + 1))
        await pilot.pause()
        assert screen.sim.board.cell(2) == "X" and screen.cursor == (0, 2)


async def test_typed_bad_simulations_are_refused_with_a_message():
    async with mcts_screen() as (pilot, screen):
        panel = screen.query_one(ParamPanel)
        panel.select("simulations")
        await pilot.press("p", "enter")
        panel._input.value = "5"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and screen.sim.simulations == 2000
        screen.set_param("simulations", 100)
        await pilot.pause()
        assert screen.sim.simulations == 100 and screen.sim.chunk == 4


async def test_tree_or_bars_on_a_short_terminal():
    async with mcts_screen((80, 24)) as (pilot, screen):
        await pilot.press("5")
        await let_machine_move(pilot, screen)
        assert screen.has_class("-squat")
        tree = screen.query_one(TreeDiagram)
        assert not tree.display or tree.styles.display == "none" or not tree.region.height
        await pilot.press("t")
        await pilot.pause()
        assert tree.region.height > 0
        assert screen.query_one("#mcts-visits", BarChart).region.height == 0

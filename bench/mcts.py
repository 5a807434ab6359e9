"""Speed of the tic-tac-toe MCTS (``algorithms.mcts``): simulations per second, and a claim game.

* sims/s from the empty board and from a mid-game position (best of 5 rounds of 20,000 simulations);
* the time of one game of MCTS (2,000 simulations a move) against a random player, the unit of the
  claim test that plays 100 of them.

Run: ``.venv/bin/python bench/mcts.py`` (also part of ``run_all.py``).
"""

from __future__ import annotations

import time

from _common import Row, report

from algorithms.mcts import MCTS, MCTSPlayer
from algorithms.tictactoe import Board, RandomPlayer, empty_board, play_game

ROUNDS = 5
SIMS = 20_000
SIMS_BUDGET = 50_000  # from the empty board: what keeps the claim tests in a few seconds


def sims_per_second(board: Board) -> float:
    best = float("inf")
    for seed in range(ROUNDS):
        start = time.perf_counter()
        MCTS(board, rng=seed).run(SIMS)
        best = min(best, time.perf_counter() - start)
    return SIMS / best


def game_seconds() -> float:
    best = float("inf")
    for seed in range(ROUNDS):
        start = time.perf_counter()
        play_game(MCTSPlayer(2000, rng=seed), RandomPlayer(seed))
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    empty = sims_per_second(empty_board())
    middle = sims_per_second(Board.parse("X...O...."))
    game = game_seconds()
    report("mcts", "MCTS for tic-tac-toe (pure Python)", [
        Row("simulations/s from the empty board", f"{empty:,.0f}", f"≥ {SIMS_BUDGET:,}", empty >= SIMS_BUDGET),
        Row("simulations/s after X corner, O centre", f"{middle:,.0f}"),
        Row("one game vs random, 2000 sims a move (MCTS as X)", f"{game * 1000:.0f} ms"),
    ])


if __name__ == "__main__":
    main()

"""MCTS for tic-tac-toe: UCT against its formula, visit bookkeeping, and the topic's claims
(≥ 2000 simulations never lose to a random player in 100 games, and draw against perfect play)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.mcts import DEFAULT_C, MCTS, MCTSGame, MCTSPlayer
from algorithms.tictactoe import Board, O, PerfectPlayer, RandomPlayer, X, empty_board, play_game

CLAIM_SIMULATIONS = 2000


def random_position(seed: int, moves: int) -> Board:
    """A non-terminal position reached by random play (fewer moves if the game would end)."""
    rng = np.random.default_rng(seed)
    board = empty_board()
    for _ in range(moves):
        options = [c for c in board.legal_moves if not board.play(c).is_over]
        if not options:
            break
        board = board.play(int(rng.choice(options)))
    return board


# ---------------------------------------------------------------------- UCT and bookkeeping
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), moves=st.integers(0, 5), sims=st.integers(1, 600),
       c=st.floats(0.0, 3.0))
def test_selection_maximises_uct_computed_independently(seed, moves, sims, c):
    search = MCTS(random_position(seed, moves), c=c, rng=seed).run(sims)
    checked = 0
    for node in range(search.size):
        kids = search.children(node)
        if not kids or search.stats(node).terminal:
            continue
        visits = np.array([k.visits for k in kids], dtype=float)
        chosen = search.select(node)
        if (visits == 0).any():
            assert chosen == kids[int(np.argmax(visits == 0))].id  # the first unvisited child
            continue
        wins = np.array([k.value * k.visits for k in kids])
        parent = search.stats(node).visits
        scores = wins / visits + c * np.sqrt(np.log(parent) / visits)
        best = np.flatnonzero(scores >= scores.max() - 1e-12)
        assert chosen in {kids[i].id for i in best}
        checked += 1
    if sims > 50:
        assert checked > 0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), moves=st.integers(0, 6), sims=st.integers(1, 800))
def test_visit_counts_add_up(seed, moves, sims):
    board = random_position(seed, moves)
    search = MCTS(board, rng=seed).run(sims)
    root = search.root_children()
    assert sum(k.visits for k in root) == sims == search.simulations
    assert sorted(k.move for k in root) == list(board.legal_moves)
    for node in range(1, search.size):
        stats = search.stats(node)
        kids = search.children(node)
        if kids:
            # its first visit was a playout, each later one went on to a child
            assert stats.visits == 1 + sum(k.visits for k in kids)
        if stats.visits:
            assert 0.0 <= stats.value <= 1.0


def test_terminal_nodes_score_the_true_result():
    # X to move can win at cell 2: that child is terminal and every visit to it is a win for X.
    search = MCTS(Board.parse("XX.OO...."), rng=0).run(300)
    win = next(k for k in search.children() if k.move == 2)
    assert win.terminal and win.value == 1.0
    assert search.best_move == 2
    # O to move must block at 2, or X wins next move.
    assert MCTS(Board.parse("XX..O...."), rng=1).run(2000).best_move == 2


def test_same_seed_same_search_and_principal_variation():
    a = MCTS(empty_board(), rng=7).run(500)
    b = MCTS(empty_board(), rng=7).run(250).run(250)  # chunks add up to the same search
    assert [(k.visits, k.value) for k in a.children()] == [(k.visits, k.value) for k in b.children()]
    pv = a.principal_variation()
    assert pv and a.stats(pv[0]).move == a.best_move
    for parent, child in zip([0, *pv], pv):
        assert child == a.ranked_children(parent)[0].id


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="over"):
        MCTS(Board.parse("XXXOO...."))
    with pytest.raises(ValueError):
        MCTS(empty_board(), c=-1)
    with pytest.raises(ValueError):
        MCTS(empty_board()).run(-3)
    with pytest.raises(ValueError):
        MCTS(empty_board()).stats(99)


def test_more_simulations_agree_with_perfect_play_on_the_first_replies():
    # After X takes a corner only the centre holds the draw; after X takes the centre, only a corner.
    for text in ("X........", "....X...."):
        board = Board.parse(text)
        assert MCTS(board, rng=3).run(4000).best_move in board.perfect_moves()


# ---------------------------------------------------------------------- the claims
def test_never_loses_to_a_random_player_in_100_games():
    seeds = np.random.SeedSequence(2026).spawn(100)
    for game, seq in enumerate(seeds):
        mcts_seq, random_seq = seq.spawn(2)
        machine = MCTSPlayer(CLAIM_SIMULATIONS, rng=np.random.default_rng(mcts_seq))
        opponent = RandomPlayer(np.random.default_rng(random_seq))
        machine_is_x = game % 2 == 0  # 50 games as X, 50 as O
        final = play_game(machine, opponent) if machine_is_x else play_game(opponent, machine)
        assert final.winner in (None, X if machine_is_x else O), f"game {game} lost:\n{final}"


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("machine_is_x", [True, False])
def test_draws_against_perfect_play(seed, machine_is_x):
    machine = MCTSPlayer(CLAIM_SIMULATIONS, DEFAULT_C, rng=seed)
    perfect = PerfectPlayer(seed + 1000)  # a different perfect opponent per seed (random among best)
    final = play_game(machine, perfect) if machine_is_x else play_game(perfect, machine)
    assert final.winner is None, f"seed {seed}:\n{final}"


def test_too_few_simulations_can_lose_to_perfect_play():
    """The claims are not vacuous: with a handful of simulations MCTS does lose."""
    losses = 0
    for seed in range(20):
        final = play_game(MCTSPlayer(10, rng=seed), PerfectPlayer(seed))
        losses += final.winner == O
    assert losses > 0


# ---------------------------------------------------------------------- the game the screen plays
def test_game_thinks_in_chunks_then_moves():
    game = MCTSGame(seed=0, simulations=100, first="mcts")
    assert game.thinking and game.chunk == 4
    game.step()
    assert game.search_progress == (4, 100) and game.board.moves_made == 0
    for _ in range(24):
        game.step()
    assert game.board.moves_made == 1 and game.humans_turn
    assert game.last_move == game.search.best_move and game.board.cell(game.last_move) == game.machine
    assert not game.search_is_current  # the last search stays to be read
    game.step()  # the person's turn: nothing happens
    assert game.board.moves_made == 1


def test_person_moves_and_bad_moves_are_refused_with_messages():
    game = MCTSGame(seed=1, simulations=50)
    game.human_move(4)
    assert game.board.cell(4) == "X" and game.thinking
    with pytest.raises(ValueError, match="MCTS's turn"):
        game.human_move(0)
    game.think()
    with pytest.raises(ValueError, match="taken"):
        game.human_move(4)
    with pytest.raises(ValueError):
        game.human_move(12)


def test_game_over_score_new_game_and_step_back():
    game = MCTSGame(seed=2, simulations=2000)
    while not game.over:
        if game.humans_turn:
            game.human_move(game.board.legal_moves[0])  # a poor player: always the first free cell
        else:
            game.think()
    assert game.outcome == "mcts" and game.score == {"you": 0, "draw": 0, "mcts": 1}
    with pytest.raises(ValueError, match="over"):
        game.human_move(game.board.legal_moves[0] if game.board.legal_moves else 0)
    before = game.board
    game.step_back()
    assert game.score["mcts"] == 0 and game.humans_turn and game.board.moves_made < before.moves_made
    game.new_game()
    assert game.board.moves_made == 0 and not game.can_step_back


def test_settings_validate_and_mark_choice_starts_a_new_game():
    game = MCTSGame(seed=0)
    with pytest.raises(ValueError):
        game.set_simulations(5)
    with pytest.raises(ValueError):
        game.set_c(-0.1)
    with pytest.raises(ValueError):
        game.set_human("Z")
    game.human_move(0)
    game.set_human("O")  # you still move first, now with O
    assert game.board.moves_made == 0 and game.human == "O" and game.machine == "X"
    assert game.humans_turn and game.board.turn == "O"
    game.set_first("mcts")
    assert game.board.turn == "X" and game.thinking
    game.set_human("x")
    assert game.board.turn == "O" and game.thinking  # MCTS (O) moves first
    assert game.perfect_values() == {c: 0 for c in range(9)}

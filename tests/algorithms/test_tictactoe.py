"""Tic-tac-toe rules and the perfect player, against brute force and independent references."""

from __future__ import annotations

import itertools
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.tictactoe import (
    BITS,
    LINES,
    WINS,
    Board,
    O,
    PerfectPlayer,
    RandomPlayer,
    X,
    empty_board,
    negamax,
    play_game,
)

# The reference lines, built from geometry (not copied from the module): rows, columns, diagonals.
GRID = [[3 * r + c for c in range(3)] for r in range(3)]
REF_LINES = (
    [tuple(row) for row in GRID]
    + [tuple(GRID[r][c] for r in range(3)) for c in range(3)]
    + [tuple(GRID[i][i] for i in range(3)), tuple(GRID[i][2 - i] for i in range(3))]
)


def ref_has_line(cells: set[int]) -> bool:
    return any(all(c in cells for c in line) for line in REF_LINES)


def test_the_eight_lines_are_the_rows_columns_and_diagonals():
    assert sorted(LINES) == sorted(REF_LINES) and len(set(LINES)) == 8


def test_win_table_agrees_with_a_plain_check_for_every_set_of_cells():
    for bits in range(512):
        cells = {i for i in range(9) if bits >> i & 1}
        assert WINS[bits] == ref_has_line(cells), bits


@pytest.mark.parametrize("line", REF_LINES)
@pytest.mark.parametrize("mark", [X, O])
def test_a_win_is_detected_on_every_line_for_both_marks(line, mark):
    # Fill the line with ``mark`` and put two of the other mark elsewhere, off any line of theirs.
    rest = [c for c in range(9) if c not in line][:2]
    text = ["."] * 9
    for c in line:
        text[c] = mark
    for c in rest:
        text[c] = O if mark == X else X
    board = Board.parse("".join(text), turn=O if mark == X else X)
    assert board.winner == mark and board.is_over
    assert set(board.winning_line) == set(line)
    assert board.legal_moves == ()
    with pytest.raises(ValueError, match="over"):
        board.play(next(c for c in range(9) if text[c] == "."))


def count_games_brute_force() -> dict[str, int]:
    """How every game from the empty board (X first) ends, counted with Board.play and Board.is_over.

    Games are paths, so the count from a position is the sum over its moves; memoising on the
    position (5,478 of them) walks all 255,168 games without replaying shared openings."""

    @lru_cache(maxsize=None)
    def endings(board: Board) -> tuple[int, int, int]:
        if board.is_over:
            return (board.winner == X, board.winner == O, board.winner is None)
        sums = [0, 0, 0]
        for cell in board.legal_moves:
            for k, n in enumerate(endings(board.play(cell))):
                sums[k] += n
        return tuple(sums)  # type: ignore[return-value]

    x_wins, o_wins, draws = endings(empty_board())
    return {X: x_wins, O: o_wins, "draw": draws}


def test_number_of_possible_games_is_255168():
    endings = count_games_brute_force()
    total = sum(endings.values())
    # Known counts (e.g. Schaefer's tic-tac-toe census): 255,168 games, of which X wins 131,184,
    # O wins 77,904 and 46,080 are drawn.
    assert total == 255168
    assert endings == {X: 131184, O: 77904, "draw": 46080}


def test_terminal_positions_and_legal_positions_by_enumeration():
    """Positions reachable in play, collected by search, against the count from all 3⁹ fillings."""
    reachable: set[tuple[int, int]] = set()
    stack = [empty_board()]
    while stack:
        board = stack.pop()
        key = (board.x, board.o)
        if key in reachable:
            continue
        reachable.add(key)
        stack.extend(board.play(c) for c in board.legal_moves)

    # Independent reference: a filling is reachable iff counts are right and at most the last mover
    # has a line (with X's line needing x = o + 1, O's needing x = o).
    count = terminal = 0
    for filling in itertools.product(".XO", repeat=9):
        xs = {i for i, m in enumerate(filling) if m == "X"}
        os_ = {i for i, m in enumerate(filling) if m == "O"}
        if len(xs) - len(os_) not in (0, 1):
            continue
        xw, ow = ref_has_line(xs), ref_has_line(os_)
        if (xw and ow) or (xw and len(xs) != len(os_) + 1) or (ow and len(xs) != len(os_)):
            continue
        count += 1
        if xw or ow or len(xs) + len(os_) == 9:
            terminal += 1
            assert Board.parse("".join(filling)).is_over
    assert count == len(reachable) == 5478
    turns = {(x, o): X if bin(x).count("1") == bin(o).count("1") else O for x, o in reachable}
    assert terminal == sum(Board(x, o, turn).is_over for (x, o), turn in turns.items()) == 958


def test_moves_alternate_and_bad_moves_are_refused():
    board = empty_board().play(4)
    assert board.cell(4) == X and board.turn == O
    with pytest.raises(ValueError, match="taken"):
        board.play(4)
    with pytest.raises(ValueError):
        board.play(9)
    with pytest.raises(ValueError):
        board.play(-1)
    with pytest.raises(ValueError):
        Board(1, 1)
    with pytest.raises(ValueError):
        Board(0b111, 0)
    assert empty_board(O).play(0).cell(0) == O


# ---------------------------------------------------------------------- perfect play
@lru_cache(maxsize=None)
def ref_value(cells: tuple[str, ...], turn: str) -> int:
    """Plain minimax on tuples of marks (no bit tricks, no shared code): +1 if ``turn`` wins."""
    them = O if turn == X else X
    if ref_has_line({i for i, m in enumerate(cells) if m == them}):
        return -1
    free = [i for i, m in enumerate(cells) if m == "."]
    if not free:
        return 0
    return max(-ref_value(cells[:i] + (turn,) + cells[i + 1 :], them) for i in free)


def test_the_empty_board_is_a_draw():
    assert empty_board().value == 0
    assert set(empty_board().move_values().values()) == {0}  # every first move still draws


def test_known_positions():
    # X in a corner: O must take the centre; every other reply loses.
    values = Board.parse("X........").move_values()
    assert values[4] == 0 and all(v == -1 for c, v in values.items() if c != 4)
    # X to move can win at once on the top row.
    board = Board.parse("XX.OO....")
    assert board.value == 1 and board.move_values()[2] == 1 and board.perfect_moves() == (2,)
    # O to move must block X's threat.
    board = Board.parse("XX..O....")
    assert board.perfect_moves() == (2,)
    # Opposite corners against the centre: O survives only by taking an edge.
    values = Board.parse("X...O...X").move_values()
    assert all(v == (0 if c in (1, 3, 5, 7) else -1) for c, v in values.items())
    # X has two threats (cells 2 and 6): O to move has lost whatever it does.
    assert Board.parse("XX.XO...O").value == -1


def test_perfect_values_match_plain_minimax_on_many_positions():
    seen = 0
    stack = [empty_board()]
    visited = set()
    while stack:
        board = stack.pop()
        if (board.x, board.o) in visited:
            continue
        visited.add((board.x, board.o))
        if not board.is_over:
            cells = tuple(m or "." for m in board.cells)
            assert board.value == ref_value(cells, board.turn)
            seen += 1
            stack.extend(board.play(c) for c in board.legal_moves)
    assert seen == 4520  # every non-terminal reachable position (5478 − 958)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_perfect_player_never_loses_and_draws_itself(seed):
    perfect_x, perfect_o = PerfectPlayer(seed), PerfectPlayer(seed + 1)
    assert play_game(perfect_x, perfect_o).winner is None
    assert play_game(PerfectPlayer(seed), RandomPlayer(seed)).winner != O
    assert play_game(RandomPlayer(seed), PerfectPlayer(seed)).winner != X


def test_negamax_is_symmetric_in_the_marks():
    # The same shapes with the letters swapped have the same value for the side to move.
    for bits_a, bits_b in [(BITS[0] | BITS[1], BITS[4]), (BITS[4], BITS[0])]:
        assert negamax(bits_a, bits_b) == Board(bits_a, bits_b, X).value == Board(bits_b, bits_a, O).value

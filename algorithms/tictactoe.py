"""Tic-tac-toe: the board, its rules, and a perfect player.

Cells are numbered 0–8 row by row from the top left; a set of cells is a 9-bit integer (bit ``i`` is
cell ``i``), so a player's marks are one int and "has this player three in a row?" is one lookup in
``WINS`` (a 512-entry table). That keeps the search code in ``algorithms/mcts.py`` fast in pure Python.

``Board`` is the readable, validated face of a position (marks, whose turn, winner, legal moves);
either mark may move first. The perfect player is a memoised negamax over (mover's bits, other's bits):
positions are the same game whichever letter is on them, so one table of a few thousand entries
serves both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from algorithms.checks import as_choice, as_int
from algorithms.rng import RngLike, as_rng

X, O = "X", "O"
MARKS = (X, O)
CELLS = 9
FULL = (1 << CELLS) - 1
BITS: tuple[int, ...] = tuple(1 << i for i in range(CELLS))

# The eight lines: three rows, three columns, two diagonals (as cell triples and as bit masks).
LINES: tuple[tuple[int, int, int], ...] = (
    (0, 1, 2), (3, 4, 5), (6, 7, 8),
    (0, 3, 6), (1, 4, 7), (2, 5, 8),
    (0, 4, 8), (2, 4, 6),
)
LINE_MASKS: tuple[int, ...] = tuple(sum(BITS[c] for c in line) for line in LINES)

# WINS[bits] is True when the cells in ``bits`` hold a complete line.
WINS: tuple[bool, ...] = tuple(any(bits & m == m for m in LINE_MASKS) for bits in range(FULL + 1))


def other(mark: str) -> str:
    """The opponent's mark."""
    return O if mark == X else X


def cells_of(bits: int) -> tuple[int, ...]:
    """The cells whose bits are set, in order."""
    return tuple(i for i in range(CELLS) if bits >> i & 1)


def check_cell(cell: object) -> int:
    """``cell`` as an int in 0..8, or ValueError."""
    value = as_int(cell, "the cell")
    if not 0 <= value < CELLS:
        raise ValueError(f"the cell must be between 0 and 8, got {value}")
    return value


@dataclass(frozen=True)
class Board:
    """A tic-tac-toe position: X's cells, O's cells (9-bit ints) and whose turn it is.

    Immutable: ``play`` returns a new board. Positions that cannot arise in a game (overlapping
    marks, a mark count off by more than one) are refused.
    """

    x: int = 0
    o: int = 0
    turn: str = X

    def __post_init__(self) -> None:
        for bits, name in ((self.x, "X's cells"), (self.o, "O's cells")):
            if isinstance(bits, bool) or not isinstance(bits, int) or not 0 <= bits <= FULL:
                raise ValueError(f"{name} must be a 9-bit integer, got {bits!r}")
        if self.x & self.o:
            raise ValueError("a cell cannot hold both X and O")
        as_choice(self.turn, MARKS, "mark")
        if abs(bin(self.x).count("1") - bin(self.o).count("1")) > 1:
            raise ValueError("the players' mark counts differ by more than one")

    @classmethod
    def parse(cls, text: str, turn: str | None = None) -> Board:
        """A board from nine characters ``X``, ``O`` and ``.`` (or ``-``), row by row; anything else
        (spaces, newlines, ``|``) is ignored. Without ``turn``, X moves when the counts are equal
        (X went first)."""
        marks = [ch for ch in text.upper() if ch in "XO.-"]
        if len(marks) != CELLS:
            raise ValueError(f"a board needs 9 cells of X, O or '.', got {len(marks)}")
        x = sum(BITS[i] for i, ch in enumerate(marks) if ch == X)
        o = sum(BITS[i] for i, ch in enumerate(marks) if ch == O)
        if turn is None:
            turn = X if bin(x).count("1") == bin(o).count("1") else O
        return cls(x, o, turn)

    def __str__(self) -> str:
        return "\n".join("".join(self.cell(3 * r + c) or "." for c in range(3)) for r in range(3))

    # ------------------------------------------------------------------ reading
    def bits(self, mark: str) -> int:
        """The cells of ``mark`` as a 9-bit int."""
        return self.x if mark == X else self.o

    @property
    def mover_bits(self) -> int:
        """Cells of the side to move."""
        return self.bits(self.turn)

    @property
    def other_bits(self) -> int:
        """Cells of the side that moved last."""
        return self.bits(other(self.turn))

    @property
    def occupied(self) -> int:
        return self.x | self.o

    def cell(self, i: int) -> str:
        """"X", "O" or "" for cell ``i``."""
        bit = BITS[check_cell(i)]
        return X if self.x & bit else O if self.o & bit else ""

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(self.cell(i) for i in range(CELLS))

    @property
    def moves_made(self) -> int:
        return bin(self.occupied).count("1")

    @property
    def winner(self) -> str | None:
        """The mark with three in a row, if any."""
        if WINS[self.x]:
            return X
        if WINS[self.o]:
            return O
        return None

    @property
    def winning_line(self) -> tuple[int, ...]:
        """The cells of a completed line (the first found), or ()."""
        for line, mask in zip(LINES, LINE_MASKS):
            if self.x & mask == mask or self.o & mask == mask:
                return line
        return ()

    @property
    def is_full(self) -> bool:
        return self.occupied == FULL

    @property
    def is_over(self) -> bool:
        return self.is_full or self.winner is not None

    @property
    def legal_moves(self) -> tuple[int, ...]:
        """Empty cells, in order; none once the game is over."""
        return () if self.is_over else cells_of(FULL & ~self.occupied)

    # ------------------------------------------------------------------ playing
    def play(self, cell: int) -> Board:
        """The board after the side to move marks ``cell``; ValueError if that is not a legal move."""
        cell = check_cell(cell)
        if self.is_over:
            raise ValueError("the game is over: no more moves")
        if self.occupied & BITS[cell]:
            raise ValueError(f"cell {cell + 1} is taken by {self.cell(cell)}")
        if self.turn == X:
            return Board(self.x | BITS[cell], self.o, O)
        return Board(self.x, self.o | BITS[cell], X)

    # ------------------------------------------------------------------ perfect play
    @property
    def value(self) -> int:
        """The game's value under perfect play for the side to move: +1 win, 0 draw, −1 loss."""
        if self.winner is not None:
            return -1  # the side that just moved has won
        return negamax(self.mover_bits, self.other_bits)

    def move_values(self) -> dict[int, int]:
        """Each legal move's value under perfect play, for the side making it (+1, 0, −1)."""
        me, them = self.mover_bits, self.other_bits
        return {cell: -_value_after(me | BITS[cell], them) for cell in self.legal_moves}

    def perfect_moves(self) -> tuple[int, ...]:
        """The legal moves that keep the best value (all of them are perfect play)."""
        values = self.move_values()
        if not values:
            return ()
        best = max(values.values())
        return tuple(cell for cell, v in values.items() if v == best)


def _value_after(moved: int, waiting: int) -> int:
    """Value for the side to move once the other side has marks ``moved`` (just played)."""
    if WINS[moved]:
        return -1
    return negamax(waiting, moved)


@lru_cache(maxsize=None)
def negamax(me: int, them: int) -> int:
    """Perfect-play value (+1, 0, −1) for the side to move, holding ``me``, against ``them``.

    Assumes the position is not already won by either side. Memoised: tic-tac-toe has 5,478 legal
    positions, so the whole game is solved once in a few milliseconds and looked up afterwards.
    """
    empty = FULL & ~(me | them)
    if not empty:
        return 0
    best = -1
    for bit in BITS:
        if empty & bit:
            mine = me | bit
            if WINS[mine]:
                return 1
            value = -negamax(them, mine)
            if value > best:
                best = value
                if best == 1:
                    break
    return best


class PerfectPlayer:
    """Plays a perfect move, picked at random among equally good ones (seeded), so that different
    seeds give different perfect opponents."""

    def __init__(self, rng: RngLike = None) -> None:
        self._rng = as_rng(rng)

    def move(self, board: Board) -> int:
        moves = board.perfect_moves()
        if not moves:
            raise ValueError("the game is over: no more moves")
        return int(moves[self._rng.integers(len(moves))])


class RandomPlayer:
    """Plays a uniformly random legal move (seeded)."""

    def __init__(self, rng: RngLike = None) -> None:
        self._rng = as_rng(rng)

    def move(self, board: Board) -> int:
        moves = board.legal_moves
        if not moves:
            raise ValueError("the game is over: no more moves")
        return int(moves[self._rng.integers(len(moves))])


def empty_board(first: str = X) -> Board:
    """The empty board with ``first`` to move."""
    return Board(0, 0, as_choice(first, MARKS, "mark"))


def as_mark(value: object) -> str:
    """``value`` as "X" or "O" (case-insensitive), or ValueError."""
    text = str(value).upper() if isinstance(value, str) else value
    return as_choice(text, MARKS, "mark")



def play_game(x_player, o_player, board: Board | None = None) -> Board:
    """Play to the end: ``x_player.move(board)`` and ``o_player.move(board)`` take turns (anything with
    such a ``move`` method); returns the final board."""
    board = empty_board() if board is None else board
    while not board.is_over:
        player = x_player if board.turn == X else o_player
        board = board.play(player.move(board))
    return board

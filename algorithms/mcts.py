"""Monte Carlo tree search (UCT with random playouts) for tic-tac-toe, steppable in chunks.

``MCTS`` searches from one position. Each *simulation* walks down the tree choosing children by
UCT, grows the tree by one level where it leaves it, finishes the game with random moves (a
*playout*), and adds the result to every node on the way back up. ``run(k)`` does ``k``
simulations, so a screen can show the statistics growing; after the budget, ``best_move`` is the
most visited move.

Speed matters (the claims are checked over hundreds of searches of 2,000 simulations), so nodes are
rows of parallel Python lists, positions are pairs of 9-bit ints, three in a row is a table lookup,
and playouts read random orderings of the nine cells from blocks drawn from the seeded NumPy
generator (restricted to the empty cells, a uniform ordering of the cells is a uniform ordering of
the free ones, so one block serves every position).

``MCTSGame`` is the topic's simulation: a game between a person and MCTS, where one ``step()`` is
one chunk of the machine's thinking and the move is played when the budget is spent.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.rng import RngLike, as_rng
from algorithms.stepping import Stepping
from algorithms.tictactoe import BITS, FULL, WINS, Board, as_mark, check_cell, empty_board, other

DEFAULT_C = math.sqrt(2.0)  # the textbook exploration constant for rewards in [0, 1]
MIN_SIMULATIONS, MAX_SIMULATIONS = 10, 20000
MAX_C = 10.0
CHUNKS_PER_MOVE = 25  # a search shown live grows in this many steps
PLAYOUT_BLOCK = 2048  # random cell orderings drawn from the generator at once
WIN, DRAW, LOSS = 1.0, 0.5, 0.0  # rewards, for the player who made the move into a node


@dataclass(frozen=True)
class NodeStats:
    """What the search knows about one node: the move into it, its visits and mean reward (for the
    player who made that move: 1 win, ½ draw, 0 loss), and whether the game ends there."""

    id: int
    move: int
    visits: int
    value: float
    terminal: bool
    expanded: bool


class MCTS:
    """UCT search from ``board`` with exploration constant ``c`` and a seeded generator.

    Node 0 is the root. Rewards are stored for the player who moved *into* a node, so every node
    compares its children from its own mover's point of view and backing up a result flips it
    (1 − r) at each level.
    """

    def __init__(self, board: Board, c: float = DEFAULT_C, rng: RngLike = None) -> None:
        if not isinstance(board, Board):
            raise ValueError(f"MCTS needs a Board, got {type(board).__name__}")
        if board.is_over:
            raise ValueError("the game is over: there is nothing to search")
        self.board = board
        self.c = as_float(c, "the exploration constant c", lo=0.0, hi=MAX_C)
        self._rng = as_rng(rng)
        self._orders: list[list[int]] = []
        # One row per node (parallel lists: far lighter than an object per node).
        self._me: list[int] = [board.mover_bits]  # cells of the side to move at the node
        self._them: list[int] = [board.other_bits]
        self._parent: list[int] = [-1]
        self._move: list[int] = [-1]
        self._first: list[int] = [-1]  # index of the first child, -1 until expanded
        self._count: list[int] = [0]  # number of children
        self._n: list[int] = [0]  # visits
        self._w: list[float] = [0.0]  # total reward for the player who moved into the node
        self._end: list[float] = [-1.0]  # reward if the game is over at the node, else -1

    # ------------------------------------------------------------------ searching
    @property
    def simulations(self) -> int:
        """Simulations run so far (the root's visits)."""
        return self._n[0]

    @property
    def size(self) -> int:
        """Nodes in the tree."""
        return len(self._n)

    def run(self, k: int) -> MCTS:
        """Run ``k`` more simulations; returns self."""
        for _ in range(as_int(k, "the number of simulations", lo=0)):
            self._simulate()
        return self

    def _simulate(self) -> None:
        n, end, first = self._n, self._end, self._first
        node = 0
        while True:
            reward = end[node]
            if reward >= 0.0:
                break
            if n[node] == 0 and node:
                reward = self._playout(node)
                break
            if first[node] < 0:
                self._expand(node)
            node = self.select(node)
        # Back up: the reward is for the player who moved into ``node``; it flips at each level.
        w, parent = self._w, self._parent
        while node >= 0:
            n[node] += 1
            w[node] += reward
            reward = 1.0 - reward
            node = parent[node]

    def select(self, node: int) -> int:
        """The child of an expanded ``node`` with the highest UCT score (Kocsis & Szepesvári),
        ``mean + c·sqrt(ln N / n)`` for a child of ``n`` visits and mean reward ``mean`` under a
        parent of ``N`` visits. An unvisited child scores +∞: the first one is taken. Ties go to
        the lower cell."""
        n, w = self._n, self._w
        start = self._first[node]
        stop = start + self._count[node]
        explore = self.c * math.sqrt(math.log(n[node])) if n[node] > 1 else 0.0
        sqrt = math.sqrt
        best, best_score = start, -1.0
        for child in range(start, stop):
            visits = n[child]
            if visits == 0:
                return child
            score = w[child] / visits + explore / sqrt(visits)
            if score > best_score:
                best, best_score = child, score
        return best

    def _expand(self, node: int) -> None:
        """Add every child of ``node`` at once, in cell order."""
        me, them = self._me[node], self._them[node]
        empty = FULL & ~(me | them)
        self._first[node] = len(self._n)
        count = 0
        for cell, bit in enumerate(BITS):
            if empty & bit:
                moved = me | bit
                # After the move the roles swap: the opponent is to move.
                self._me.append(them)
                self._them.append(moved)
                self._parent.append(node)
                self._move.append(cell)
                self._first.append(-1)
                self._count.append(0)
                self._n.append(0)
                self._w.append(0.0)
                self._end.append(WIN if WINS[moved] else DRAW if moved | them == FULL else -1.0)
                count += 1
        self._count[node] = count

    def _playout(self, node: int) -> float:
        """Random moves from ``node`` to the end; the reward for the player who moved into it."""
        if not self._orders:
            block = np.tile(np.array(BITS), (PLAYOUT_BLOCK, 1))
            self._orders = self._rng.permuted(block, axis=1).tolist()
        order = self._orders.pop()
        mover, waiting = self._me[node], self._them[node]
        taken = mover | waiting
        mover_is_into = False  # does the side to move now own the reward?
        for bit in order:
            if taken & bit:
                continue
            taken |= bit
            mover |= bit
            if WINS[mover]:
                return WIN if mover_is_into else LOSS
            mover, waiting = waiting, mover
            mover_is_into = not mover_is_into
        return DRAW

    # ------------------------------------------------------------------ reading the tree
    def stats(self, node: int) -> NodeStats:
        """The statistics of one node."""
        node = as_int(node, "the node", lo=0)
        if node >= len(self._n):
            raise ValueError(f"there is no node {node} (the tree has {len(self._n)})")
        visits = self._n[node]
        return NodeStats(
            id=node,
            move=self._move[node],
            visits=visits,
            value=self._w[node] / visits if visits else math.nan,
            terminal=self._end[node] >= 0.0,
            expanded=self._first[node] >= 0,
        )

    def children(self, node: int = 0) -> list[NodeStats]:
        """The children of ``node`` in cell order (empty until it is expanded)."""
        parent = self.stats(node)
        if not parent.expanded:
            return []
        start = self._first[node]
        return [self.stats(i) for i in range(start, start + self._count[node])]

    def ranked_children(self, node: int = 0) -> list[NodeStats]:
        """The children of ``node``, most visited first (ties: higher mean, then lower cell)."""
        return sorted(self.children(node), key=_rank_key)

    def root_children(self) -> list[NodeStats]:
        """Every legal move from the root with its statistics (before any simulation: all zero)."""
        if self._first[0] < 0:
            return [NodeStats(-1, cell, 0, math.nan, False, False) for cell in self.board.legal_moves]
        return self.children(0)

    @property
    def best_move(self) -> int:
        """The most visited move at the root (before any simulation: the first legal cell)."""
        ranked = self.ranked_children(0)
        return ranked[0].move if ranked else self.board.legal_moves[0]

    def principal_variation(self, node: int = 0) -> list[int]:
        """Node ids along the most visited line from ``node`` down (visited nodes only)."""
        line = []
        while True:
            ranked = self.ranked_children(node)
            if not ranked or ranked[0].visits == 0:
                return line
            node = ranked[0].id
            line.append(node)

    def view(self, open_move: int | None = None) -> NodeView:
        """The root, every root move, and below the root move ``open_move`` (if given) its replies."""
        pv = set(self.principal_variation())
        total = max(1, self._n[0])

        def make(stats: NodeStats, depth: int, parent_visits: int, kids: tuple[NodeView, ...]) -> NodeView:
            mean = stats.value
            score = mean if depth % 2 else 1.0 - mean  # stored for the mover into the node
            return NodeView(stats, depth, score, stats.visits / max(1, parent_visits), stats.id in pv, kids)

        moves = []
        for child in self.root_children():
            kids: tuple[NodeView, ...] = ()
            if child.move == open_move and child.expanded:
                kids = tuple(make(g, 2, child.visits, ()) for g in self.children(child.id))
            moves.append(make(child, 1, total, kids))
        root = self.stats(0)
        return NodeView(root, 0, 1.0 - root.value if root.visits else math.nan, 1.0, True, tuple(moves))


@dataclass(frozen=True)
class NodeView:
    """A node as a screen shows it: its statistics, its mean score *for the player to move at the
    root* (nan while unvisited), its share of its parent's visits, whether it lies on the principal
    variation, and the children opened below it (in cell order)."""

    stats: NodeStats
    depth: int
    score: float
    share: float
    on_pv: bool
    children: tuple[NodeView, ...]


def _rank_key(k: NodeStats) -> tuple[int, float, int]:
    return (-k.visits, -(k.value if k.visits else 0.0), k.move)


def mcts_move(board: Board, simulations: int, c: float = DEFAULT_C, rng: RngLike = None) -> int:
    """The move MCTS plays from ``board`` after ``simulations`` simulations."""
    return MCTS(board, c, rng).run(simulations).best_move


class MCTSPlayer:
    """A player (``move(board)``) that searches afresh each turn, drawing from one seeded generator."""

    def __init__(self, simulations: int = 2000, c: float = DEFAULT_C, rng: RngLike = None) -> None:
        self.simulations = check_simulations(simulations)
        self.c = as_float(c, "the exploration constant c", lo=0.0, hi=MAX_C)
        self._rng = as_rng(rng)

    def move(self, board: Board) -> int:
        return mcts_move(board, self.simulations, self.c, self._rng)


def check_simulations(value: object) -> int:
    sims = as_int(value, "the number of simulations")
    if not MIN_SIMULATIONS <= sims <= MAX_SIMULATIONS:
        raise ValueError(
            f"the number of simulations must be between {MIN_SIMULATIONS} and {MAX_SIMULATIONS}, got {sims}"
        )
    return sims


# ---------------------------------------------------------------------- the topic's simulation
FIRST_CHOICES = ("you", "mcts")


class MCTSGame(Stepping):
    """A person against MCTS at tic-tac-toe; ``step()`` is one chunk of the machine's thinking.

    When it is the machine's turn a search starts from the current position; each step runs
    ``chunk`` simulations and the step that spends the budget also plays the most visited move. The
    last search stays readable (``search``) until the person moves, so its bars explain the move.
    On the person's turn, and once the game is over, ``step()`` does nothing.

    ``step_back()`` undoes the person's last move together with the machine's reply. ``new_game()``
    keeps the score; ``reset()`` clears it.
    """

    HISTORY = 9

    def __init__(
        self,
        seed: int = 0,
        simulations: int = 2000,
        c: float = DEFAULT_C,
        human: str = "X",
        first: str = "you",
    ) -> None:
        self._simulations = check_simulations(simulations)
        self._c = as_float(c, "the exploration constant c", lo=0.0, hi=MAX_C)
        self._human = as_mark(human)
        self._first = as_choice(first, FIRST_CHOICES, "first player")
        self._seed = as_int(seed, "the seed", lo=0)
        self.reset()

    # ------------------------------------------------------------------ set-up
    def reset(self, seed: int | None = None) -> None:
        """A new game from ``seed`` (default: the current one) with the score cleared."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        self._rng = np.random.default_rng(self._seed)
        self.score = {"you": 0, "draw": 0, "mcts": 0}
        self.games = 0
        self._start()

    def new_game(self) -> None:
        """Start another game with the same settings, keeping the score and the random stream."""
        self._start()

    def _start(self) -> None:
        first_mark = self._human if self._first == "you" else other(self._human)
        self._board = empty_board(first_mark)
        self._search: MCTS | None = None
        self._search_board: Board | None = None
        self._undo: deque[Board] = deque(maxlen=self.HISTORY)
        self.last_move: int | None = None
        self._scored = False

    # ------------------------------------------------------------------ reading
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def board(self) -> Board:
        return self._board

    @property
    def human(self) -> str:
        """The person's mark."""
        return self._human

    @property
    def machine(self) -> str:
        """MCTS's mark."""
        return other(self._human)

    @property
    def first(self) -> str:
        """Who moves first: "you" or "mcts"."""
        return self._first

    @property
    def simulations(self) -> int:
        return self._simulations

    @property
    def c(self) -> float:
        return self._c

    @property
    def chunk(self) -> int:
        """Simulations per step while the machine thinks."""
        return max(1, -(-self._simulations // CHUNKS_PER_MOVE))

    @property
    def over(self) -> bool:
        return self._board.is_over

    @property
    def outcome(self) -> str | None:
        """None while the game goes on, else "you", "mcts" or "draw"."""
        if not self.over:
            return None
        winner = self._board.winner
        return "draw" if winner is None else "you" if winner == self._human else "mcts"

    @property
    def humans_turn(self) -> bool:
        return not self.over and self._board.turn == self._human

    @property
    def thinking(self) -> bool:
        """True when it is the machine's turn (its search is under way or about to start)."""
        return not self.over and self._board.turn != self._human

    @property
    def search(self) -> MCTS | None:
        """The machine's current search, or its last one (None before its first turn)."""
        return self._search

    @property
    def search_is_current(self) -> bool:
        """True when ``search`` is from the position on the board (not the last move's)."""
        return self._search is not None and self._search_board == self._board

    @property
    def search_progress(self) -> tuple[int, int]:
        """(simulations run, budget) of the shown search."""
        return (0 if self._search is None else self._search.simulations, self._simulations)

    def perfect_values(self) -> dict[int, int]:
        """Perfect-play value of each legal move for the side to move (+1 win, 0 draw, −1 loss)."""
        return self._board.move_values()

    # ------------------------------------------------------------------ playing
    def step(self) -> None:
        """One chunk of the machine's thinking; plays its move when the budget is spent."""
        if not self.thinking:
            return
        if not self.search_is_current:
            self._search = MCTS(self._board, self._c, self._rng)
            self._search_board = self._board
        search = self._search
        assert search is not None
        search.run(max(0, min(self.chunk, self._simulations - search.simulations)))
        if search.simulations >= self._simulations:
            self._play(search.best_move)

    def think(self) -> None:
        """Finish the machine's thinking now and play its move (nothing on the person's turn)."""
        while self.thinking:
            self.step()

    def human_move(self, cell: int) -> None:
        """The person marks ``cell``; ValueError (with a message to show) if that is not allowed."""
        cell = check_cell(cell)
        if self.over:
            raise ValueError("the game is over: press g for a new game")
        if not self.humans_turn:
            raise ValueError("it is MCTS's turn: let it think (space, or n for one step)")
        before = self._board
        self._play(cell)  # raises if the cell is taken
        self._undo.append(before)

    def _play(self, cell: int) -> None:
        self._board = self._board.play(cell)
        self.last_move = cell
        outcome = self.outcome
        if outcome is not None and not self._scored:
            self.score[outcome] += 1
            self.games += 1
            self._scored = True

    def step_back(self) -> None:
        """Take back the person's last move and the machine's reply to it."""
        if not self._undo:
            raise ValueError("nothing to take back")
        if self._scored:
            outcome = self.outcome
            assert outcome is not None
            self.score[outcome] -= 1
            self.games -= 1
            self._scored = False
        self._board = self._undo.pop()
        self.last_move = None
        self._search = None
        self._search_board = None

    # ------------------------------------------------------------------ settings
    def set_simulations(self, simulations: int) -> None:
        """The budget per move; a search under way stops at the new budget."""
        self._simulations = check_simulations(simulations)

    def set_c(self, c: float) -> None:
        """The exploration constant; used from the next simulation on."""
        self._c = as_float(c, "the exploration constant c", lo=0.0, hi=MAX_C)
        if self._search is not None:
            self._search.c = self._c

    def set_human(self, mark: str) -> None:
        """The person's mark; starts a new game."""
        self._human = as_mark(mark)
        self._start()

    def set_first(self, first: str) -> None:
        """Who moves first ("you" or "mcts"); starts a new game."""
        self._first = as_choice(first, FIRST_CHOICES, "first player")
        self._start()

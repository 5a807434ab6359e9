"""Search on a grid: one grid model, maze and wall generators, and BFS, DFS, Dijkstra and A* that
expand one node per step so that every expansion can be watched and undone.

The grid
    ``rows × cols`` cells; a cell is a wall or open. Every open cell has a terrain cost 1–9: the price
    of *entering* it. Moves go to the 4 side neighbours, or to all 8 neighbours with ``diagonal``.

The diagonal rule
    A diagonal move costs √2 × the cost of the cell entered, so on flat ground the price of a path is
    its length. A diagonal move may not cut a corner: both side cells it passes between must be open
    (two walls touching at a corner block the way, and so does a single wall beside the move).

Neighbour order
    Always north, east, south, west, then north-east, south-east, south-west, north-west. BFS and
    DFS depend on it; it is fixed so that a run is repeatable.

Tie-breaking (Dijkstra and A*)
    The frontier node with the lowest f = g + h is expanded first; among equal f, the one with the
    larger g (the one that has come further, so is nearer the goal); among those, the one added
    first. Keys are rounded to 9 decimals so that sums of √2 that are equal on paper tie in practice.

What a step is
    One expansion: take the next node from the frontier (skipping entries for nodes already
    expanded), close it, and — unless it is the goal — add its neighbours. The goal is recognised
    when it is *expanded*, for every algorithm, so that expanded counts compare like with like.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.rng import RngLike, as_rng
from algorithms.stepping import Stepping

Cell = tuple[int, int]

ALGORITHMS: tuple[str, ...] = ("bfs", "dfs", "dijkstra", "astar")
ALGORITHM_NAMES = {"bfs": "BFS", "dfs": "DFS", "dijkstra": "Dijkstra", "astar": "A*"}
HEURISTICS: tuple[str, ...] = ("manhattan", "euclidean", "octile", "chebyshev", "zero")
LAYOUTS: tuple[str, ...] = ("maze", "walls", "terrain", "open")
NEIGHBOURS: tuple[int, ...] = (4, 8)
MIN_SIDE, MAX_ROWS, MAX_COLS = 3, 30, 60
MAX_COST = 9
SQRT2 = math.sqrt(2.0)
# (dr, dc) in the documented order: N, E, S, W, then NE, SE, SW, NW.
SIDE_MOVES: tuple[Cell, ...] = ((-1, 0), (0, 1), (1, 0), (0, -1))
DIAGONAL_MOVES: tuple[Cell, ...] = ((-1, 1), (1, 1), (1, -1), (-1, -1))
_DIGITS = 9  # keys are rounded to this many decimals before comparing


def estimate(name: str, dr: np.ndarray | float, dc: np.ndarray | float) -> np.ndarray | float:
    """The estimate of the cost still to go for a cell ``(dr, dc)`` away from the goal.

    Each is the cost of crossing flat ground (cost 1 everywhere) under some move set: Manhattan for
    4 moves, octile for 8 moves at √2 a diagonal, Chebyshev for 8 moves at 1 a diagonal, Euclidean
    for moving in any direction. Terrain costs are ≥ 1, so flat ground is the cheapest case.
    """
    name = as_choice(name, HEURISTICS, "heuristic")
    dr, dc = np.abs(dr), np.abs(dc)
    if name == "manhattan":
        return dr + dc
    if name == "euclidean":
        return np.hypot(dr, dc)
    if name == "octile":
        return np.maximum(dr, dc) + (SQRT2 - 1.0) * np.minimum(dr, dc)
    if name == "chebyshev":
        return np.maximum(dr, dc)
    return dr * 0.0


def is_admissible(name: str, diagonal: bool) -> bool:
    """Whether the heuristic never overestimates the true cost still to go.

    Only Manhattan can overestimate, and only with diagonal moves: one diagonal step (cost √2) covers
    a Manhattan distance of 2."""
    as_choice(name, HEURISTICS, "heuristic")
    return not (diagonal and name == "manhattan")


class Grid:
    """Walls, terrain costs, a start and a goal. Every edit bumps ``version`` (so a search built on an
    older version knows it is stale). Edits that would wall in the start or goal are refused."""

    def __init__(self, rows: int, cols: int, diagonal: bool = False) -> None:
        self.rows = _side(rows, "rows", MAX_ROWS)
        self.cols = _side(cols, "columns", MAX_COLS)
        self.diagonal = bool(diagonal)
        self.walls = np.zeros((self.rows, self.cols), dtype=bool)
        self.cost = np.ones((self.rows, self.cols), dtype=np.int8)
        self.start: Cell = (self.rows // 2, 0)
        self.goal: Cell = (self.rows // 2, self.cols - 1)
        self.version = 0
        self._adjacency: tuple[tuple, list] | None = None

    # ------------------------------------------------------------------ queries
    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.cols

    def inside(self, cell: Cell) -> bool:
        r, c = cell
        return 0 <= r < self.rows and 0 <= c < self.cols

    def adjacency(self) -> list[list[list[tuple[Cell, float]]]]:
        """For every cell [r][c], the open cells one move away with the cost of moving there, in the
        documented order (empty for walls). Built in one pass so that a search never re-checks walls,
        and kept (also by copies) until the walls, costs or move set change."""
        key = (self.diagonal, self.walls.tobytes(), self.cost.tobytes())
        if self._adjacency is not None and self._adjacency[0] == key:
            return self._adjacency[1]
        rows, cols = self.shape
        free = np.zeros((rows + 2, cols + 2), dtype=bool)  # padded: outside the grid is blocked
        free[1:-1, 1:-1] = ~self.walls
        moves = list(SIDE_MOVES) + (list(DIAGONAL_MOVES) if self.diagonal else [])
        allowed = []
        for dr, dc in moves:
            ok = free[1:-1, 1:-1] & free[1 + dr:rows + 1 + dr, 1 + dc:cols + 1 + dc]
            if dr and dc:  # no corner cutting: both side cells passed must be open
                ok &= free[1 + dr:rows + 1 + dr, 1:-1] & free[1:-1, 1 + dc:cols + 1 + dc]
            allowed.append(ok.tolist())
        cost = self.cost.tolist()
        table: list[list[list[tuple[Cell, float]]]] = []
        for r in range(rows):
            line = []
            for c in range(cols):
                out = []
                for k, (dr, dc) in enumerate(moves):
                    if allowed[k][r][c]:
                        price = float(cost[r + dr][c + dc])
                        out.append(((r + dr, c + dc), SQRT2 * price if dr and dc else price))
                line.append(out)
            table.append(line)
        self._adjacency = (key, table)
        return table

    def path_cost(self, path: Iterable[Cell]) -> float:
        """The price of walking ``path`` (the start is free; each cell entered costs its terrain,
        × √2 when entered diagonally)."""
        cells = list(path)
        total = 0.0
        for (r0, c0), (r1, c1) in zip(cells, cells[1:]):
            step = SQRT2 if (r0 != r1 and c0 != c1) else 1.0
            total += step * float(self.cost[r1, c1])
        return total

    def copy(self) -> Grid:
        other = Grid(self.rows, self.cols, self.diagonal)
        other.walls, other.cost = self.walls.copy(), self.cost.copy()
        other.start, other.goal, other.version = self.start, self.goal, self.version
        other._adjacency = self._adjacency  # read-only once built; checked against the arrays
        return other

    # ------------------------------------------------------------------ edits
    def _cell(self, cell: object, what: str = "a cell") -> Cell:
        try:
            r, c = cell  # type: ignore[misc]
            out = (as_int(r, "a row"), as_int(c, "a column"))
        except (TypeError, ValueError):
            raise ValueError(f"{what} must be a (row, column) pair of whole numbers, got {cell!r}") from None
        if not self.inside(out):
            raise ValueError(f"{what} {out} is outside the {self.rows}×{self.cols} grid")
        return out

    def set_wall(self, cell: Cell, wall: bool = True) -> bool:
        """Make ``cell`` a wall (or open it). Returns whether anything changed; the start and the goal
        are never walled."""
        cell = self._cell(cell)
        if wall and cell in (self.start, self.goal):
            return False
        if bool(self.walls[cell]) == bool(wall):
            return False
        self.walls[cell] = bool(wall)
        self.version += 1
        return True

    def set_cost(self, cell: Cell, cost: int) -> bool:
        """Open ``cell`` and give it terrain ``cost`` (1–9). Returns whether anything changed."""
        cell = self._cell(cell)
        cost = as_int(cost, "a terrain cost", lo=1)
        if cost > MAX_COST:
            raise ValueError(f"a terrain cost must be between 1 and {MAX_COST}, got {cost}")
        if not self.walls[cell] and int(self.cost[cell]) == cost:
            return False
        self.walls[cell] = False
        self.cost[cell] = cost
        self.version += 1
        return True

    def set_start(self, cell: Cell) -> bool:
        return self._move_end(cell, "start")

    def set_goal(self, cell: Cell) -> bool:
        return self._move_end(cell, "goal")

    def set_ends(self, start: Cell, goal: Cell) -> None:
        """Move the start and the goal together (e.g. to swap them)."""
        start, goal = self._cell(start, "the start"), self._cell(goal, "the goal")
        if start == goal:
            raise ValueError("the start and the goal must be different cells")
        self.start, self.goal = start, goal
        self._free_ends()

    def _move_end(self, cell: Cell, which: str) -> bool:
        cell = self._cell(cell, f"the {which}")
        other = self.goal if which == "start" else self.start
        if cell == other:
            raise ValueError("the start and the goal must be different cells")
        if cell == getattr(self, which):
            return False
        self.walls[cell] = False  # a wall under a moved start or goal is cleared
        setattr(self, which, cell)
        self.version += 1
        return True

    def set_diagonal(self, diagonal: bool) -> None:
        if bool(diagonal) != self.diagonal:
            self.diagonal = bool(diagonal)
            self.version += 1

    def clear(self) -> None:
        """No walls, flat ground; start and goal stay."""
        self.walls[:] = False
        self.cost[:] = 1
        self.version += 1

    def fill_random_walls(self, density: float, rng: RngLike = None) -> None:
        """Walls at random, each cell with probability ``density``; terrain is kept."""
        density = as_float(density, "the wall density", lo=0.0, hi=0.9)
        rng = as_rng(rng)
        self.walls[:] = rng.random(self.shape) < density
        self._free_ends()

    def fill_terrain(self, rng: RngLike = None, walls: float = 0.08) -> None:
        """Patches of rough ground (costs 1–9, mostly low) and a few walls."""
        rng = as_rng(rng)
        block = 3
        coarse = rng.choice(np.arange(1, MAX_COST + 1), size=(self.rows // block + 1, self.cols // block + 1),
                            p=_TERRAIN_WEIGHTS)
        self.cost[:] = np.kron(coarse, np.ones((block, block), dtype=np.int8))[: self.rows, : self.cols]
        self.fill_random_walls(walls, rng)

    def fill_maze(self, rng: RngLike = None, loops: float = 0.08) -> None:
        """A maze by the recursive backtracker (an iterative depth-first walk that knocks down the wall
        to each unvisited neighbour room), then a few extra walls removed (probability ``loops``) so
        there is more than one way round. Rooms sit on even rows and columns; the start moves to the
        top-left room and the goal to the bottom-right one. Terrain is kept."""
        rng = as_rng(rng)
        loops = as_float(loops, "the loop fraction", lo=0.0, hi=1.0)
        self.walls[:] = True
        room_rows, room_cols = (self.rows + 1) // 2, (self.cols + 1) // 2
        seen = np.zeros((room_rows, room_cols), dtype=bool)
        stack = [(0, 0)]
        seen[0, 0] = True
        self.walls[0, 0] = False
        while stack:
            r, c = stack[-1]
            options = [(r + dr, c + dc) for dr, dc in SIDE_MOVES
                       if 0 <= r + dr < room_rows and 0 <= c + dc < room_cols and not seen[r + dr, c + dc]]
            if not options:
                stack.pop()
                continue
            nr, nc = options[int(rng.integers(len(options)))]
            seen[nr, nc] = True
            self.walls[r + nr, c + nc] = False  # the wall between the two rooms (at 2r+dr = r+nr)
            self.walls[2 * nr, 2 * nc] = False
            stack.append((nr, nc))
        # Walls standing between two rooms (odd on one axis, even on the other) may be knocked out.
        rr, cc = np.indices(self.shape)
        between = ((rr % 2) != (cc % 2)) & self.walls
        horizontal = between & (cc % 2 == 1) & (cc + 1 < self.cols)
        vertical = between & (rr % 2 == 1) & (rr + 1 < self.rows)
        knock = (horizontal | vertical) & (rng.random(self.shape) < loops)
        self.walls[knock] = False
        self.start = (0, 0)
        self.goal = (2 * (room_rows - 1), 2 * (room_cols - 1))
        self._free_ends()

    def _free_ends(self) -> None:
        self.walls[self.start] = False
        self.walls[self.goal] = False
        self.version += 1


_TERRAIN_WEIGHTS = np.array([10, 2, 2, 1.5, 1.5, 1, 1, 1, 1]) / 21.0


def _side(value: object, what: str, hi: int) -> int:
    n = as_int(value, f"the number of {what}", lo=MIN_SIDE)
    if n > hi:
        raise ValueError(f"the number of {what} must be between {MIN_SIDE} and {hi}, got {n}")
    return n


@dataclass(frozen=True)
class Outcome:
    """How a finished search went: what was expanded and what the path costs (inf if none)."""

    algorithm: str
    heuristic: str
    expanded: int
    found: bool
    path_cost: float


class Search(Stepping):
    """One search on a frozen copy of a grid, one expansion per ``step()``.

    ``algorithm``: "bfs" (FIFO queue; ignores terrain, so it minimises the number of moves), "dfs"
    (LIFO stack; finds *a* path), "dijkstra" (cheapest first) or "astar" (cheapest g + h first).
    Dijkstra is A* with the zero heuristic; only A* uses ``heuristic`` (the others report "zero").

    Step back replays the run from the start up to one step fewer: runs are deterministic, and a
    replay is cheaper to keep than a snapshot per step.
    """

    def __init__(self, grid: Grid, algorithm: str = "astar", heuristic: str = "manhattan") -> None:
        self.algorithm = as_choice(algorithm, ALGORITHMS, "algorithm")
        heuristic = as_choice(heuristic, HEURISTICS, "heuristic")
        self.heuristic = heuristic if self.algorithm == "astar" else "zero"  # only A* looks ahead
        self._neighbours = grid.adjacency()  # cached on the grid: the runs of a comparison share it
        self.grid = grid.copy()
        rr, cc = np.indices(self.grid.shape)
        gr, gc = self.grid.goal
        self.h = np.asarray(estimate(self.heuristic, rr - gr, cc - gc), dtype=float)
        self._restart()

    # ------------------------------------------------------------------ state
    def _restart(self) -> None:
        shape = self.grid.shape
        self.g = np.full(shape, np.inf)  # best cost known so far (DFS: of the latest entry)
        self.closed = np.zeros(shape, dtype=bool)
        self.discovered = np.zeros(shape, dtype=bool)
        self.parent = np.full((*shape, 2), -1, dtype=np.int32)
        self.order: list[Cell] = []  # cells in the order they were expanded
        self.steps_taken = 0
        self.current: Cell | None = None
        self.done = False
        self.found = False
        self.path: list[Cell] = []
        self._counter = 0
        start = self.grid.start
        self.g[start] = 0.0
        self.discovered[start] = True
        self._frontier: deque | list = deque() if self.algorithm == "bfs" else []
        self._push(start, None, 0.0)

    def _push(self, cell: Cell, parent: Cell | None, g: float) -> None:
        if self.algorithm in ("bfs", "dfs"):
            self._frontier.append((cell, parent, g))
        else:
            f = round(g + float(self.h[cell]), _DIGITS)
            heapq.heappush(self._frontier, (f, -round(g, _DIGITS), self._counter, cell, parent, g))
        self._counter += 1

    def _pop(self) -> tuple[Cell, Cell | None, float] | None:
        """The next entry whose cell is not yet expanded, or None when the frontier is empty."""
        while self._frontier:
            if self.algorithm == "bfs":
                entry = self._frontier.popleft()
            elif self.algorithm == "dfs":
                entry = self._frontier.pop()
            else:
                entry = heapq.heappop(self._frontier)[3:]
            if not self.closed[entry[0]]:
                return entry
        return None

    # ------------------------------------------------------------------ stepping
    def step(self) -> bool:
        """Expand one node. Returns False (and changes nothing) once the search has ended."""
        if self.done:
            return False
        self.steps_taken += 1
        entry = self._pop()
        if entry is None:
            self.done, self.current = True, None
            return True
        cell, parent, g = entry
        self.closed[cell] = True
        self.g[cell] = g
        if parent is not None:
            self.parent[cell] = parent
        self.current = cell
        self.order.append(cell)
        if cell == self.grid.goal:
            self.done, self.found = True, True
            self.path = self._trace(cell)
            return True
        neighbours = self._neighbours[cell[0]][cell[1]]
        if self.algorithm == "dfs":
            neighbours = neighbours[::-1]  # so the first neighbour ends on top of the stack
        for nxt, cost in neighbours:
            if self.closed[nxt]:
                continue
            new_g = g + cost
            if self.algorithm == "bfs":
                if self.discovered[nxt]:
                    continue
            elif self.algorithm in ("dijkstra", "astar") and new_g >= self.g[nxt]:
                continue
            self.discovered[nxt] = True
            self.g[nxt] = new_g
            self._push(nxt, cell, new_g)
        return True

    def run(self) -> Search:
        """Step until the search ends."""
        while self.step():
            pass
        return self

    @property
    def can_step_back(self) -> bool:
        return self.steps_taken > 0

    def step_back(self) -> None:
        """Undo the last step (by replaying all the others)."""
        if not self.can_step_back:
            raise ValueError("there is no earlier step")
        target = self.steps_taken - 1
        self._restart()
        for _ in range(target):
            self.step()

    def _trace(self, cell: Cell) -> list[Cell]:
        path = [cell]
        while path[-1] != self.grid.start:
            r, c = self.parent[path[-1]]
            path.append((int(r), int(c)))
        return path[::-1]

    # ------------------------------------------------------------------ views
    @property
    def expanded(self) -> int:
        return len(self.order)

    @property
    def no_path(self) -> bool:
        """The search has ended without reaching the goal: there is no way through."""
        return self.done and not self.found

    @property
    def path_cost(self) -> float:
        return self.grid.path_cost(self.path) if self.found else math.inf

    @property
    def frontier_mask(self) -> np.ndarray:
        """Cells waiting in the frontier (added, not yet expanded)."""
        return self.discovered & ~self.closed

    @property
    def frontier_size(self) -> int:
        return int(self.frontier_mask.sum())

    @property
    def f(self) -> np.ndarray:
        """g + h for every cell reached so far (inf elsewhere)."""
        return self.g + self.h

    @property
    def admissible(self) -> bool:
        return is_admissible(self.heuristic, self.grid.diagonal)

    def outcome(self) -> Outcome:
        return Outcome(self.algorithm, self.heuristic, self.expanded, self.found, self.path_cost)


# Cell states for drawing, in the order a later one wins.
EMPTY, VISITED, FRONTIER, PATH, CURRENT, WALL, START, GOAL = range(8)


class GridSearchLab(Stepping):
    """A grid being edited and the search running on it: what the two grid-search screens drive.

    Any edit of the grid, or change of algorithm, heuristic or neighbours, restarts the search (and
    says so in ``notice`` if the old one had started). ``compare()`` runs chosen algorithms to the end
    on the current grid, cached until the grid changes.
    """

    def __init__(self, seed: int = 0, rows: int = 15, cols: int = 25, layout: str = "maze",
                 density: float = 0.25, algorithm: str = "bfs", heuristic: str = "manhattan",
                 neighbours: int = 4) -> None:
        self.seed = as_int(seed, "the seed", lo=0)
        self.rows = _side(rows, "rows", MAX_ROWS)
        self.cols = _side(cols, "columns", MAX_COLS)
        self.layout = as_choice(layout, LAYOUTS, "layout")
        self.density = as_float(density, "the wall density", lo=0.0, hi=0.9)
        self.algorithm = as_choice(algorithm, ALGORITHMS, "algorithm")
        self.heuristic = as_choice(heuristic, HEURISTICS, "heuristic")
        self.neighbours = as_choice(neighbours, NEIGHBOURS, "number of neighbours")
        self.notice = ""
        self.restarts = 0  # searches started so far: every edit or new setting starts one
        self._generation = 0  # how many grids were generated: each draws fresh walls from the seed
        self._cache: dict[tuple, Outcome] = {}
        self.regenerate()

    # ------------------------------------------------------------------ grid
    def _rng(self) -> np.random.Generator:
        self._generation += 1
        return np.random.default_rng([self.seed, self._generation])

    def regenerate(self) -> None:
        """A fresh grid of the chosen layout (the same seed gives the same sequence of grids)."""
        self.grid = Grid(self.rows, self.cols, diagonal=self.neighbours == 8)
        self._cache.clear()  # versions count edits of one grid object only
        rng = self._rng()
        if self.layout == "maze":
            self.grid.fill_maze(rng)
        elif self.layout == "walls":
            self.grid.fill_random_walls(self.density, rng)
        elif self.layout == "terrain":
            self.grid.fill_terrain(rng)
        self._restart_search(quiet=True)

    def generate_maze(self) -> None:
        self.grid.fill_maze(self._rng())
        self._restart_search()

    def random_walls(self) -> None:
        self.grid.fill_random_walls(self.density, self._rng())
        self._restart_search()

    def clear(self) -> None:
        self.grid.clear()
        self._restart_search()

    def toggle_wall(self, cell: Cell) -> bool:
        """Wall an open cell or open a wall; returns whether the cell is now a wall."""
        wall = not bool(self.grid.walls[self.grid._cell(cell)])
        self._edit(self.grid.set_wall(cell, wall))
        return bool(self.grid.walls[cell])

    def paint(self, cell: Cell, brush: int) -> None:
        """``brush`` 0 = wall, 1–9 = open ground of that cost."""
        brush = as_int(brush, "a brush", lo=0)
        changed = self.grid.set_wall(cell, True) if brush == 0 else self.grid.set_cost(cell, brush)
        self._edit(changed)

    def set_start(self, cell: Cell) -> None:
        self._edit(self.grid.set_start(cell))

    def set_goal(self, cell: Cell) -> None:
        self._edit(self.grid.set_goal(cell))

    def _edit(self, changed: bool) -> None:
        if changed:
            self._restart_search()

    # ------------------------------------------------------------------ knobs
    def set_rows(self, rows: int) -> None:
        self.rows = _side(rows, "rows", MAX_ROWS)
        self.regenerate()

    def set_cols(self, cols: int) -> None:
        self.cols = _side(cols, "columns", MAX_COLS)
        self.regenerate()

    def set_layout(self, layout: str) -> None:
        self.layout = as_choice(layout, LAYOUTS, "layout")
        self.regenerate()

    def set_density(self, density: float) -> None:
        self.density = as_float(density, "the wall density", lo=0.0, hi=0.9)
        if self.layout == "walls":
            self.regenerate()

    def set_algorithm(self, algorithm: str) -> None:
        self.algorithm = as_choice(algorithm, ALGORITHMS, "algorithm")
        self._restart_search()

    def set_heuristic(self, name: str) -> None:
        self.heuristic = as_choice(name, HEURISTICS, "heuristic")
        self._restart_search()

    def set_neighbours(self, n: int) -> None:
        self.neighbours = as_choice(n, NEIGHBOURS, "number of neighbours")
        self.grid.set_diagonal(self.neighbours == 8)
        self._restart_search()

    # ------------------------------------------------------------------ search
    def _restart_search(self, quiet: bool = False) -> None:
        self.restarts += 1
        started = getattr(self, "search", None) is not None and self.search.steps_taken > 0
        self.notice = "↺ changed: the search starts again" if (started and not quiet) else ""
        self.search = Search(self.grid, self.algorithm, self.heuristic)

    def restart(self) -> None:
        """Start the search again on the same grid."""
        self._restart_search(quiet=True)

    def step(self) -> bool:
        self.notice = ""
        return self.search.step()

    def finish(self) -> None:
        self.notice = ""
        self.search.run()

    @property
    def can_step_back(self) -> bool:
        return self.search.can_step_back

    def step_back(self) -> None:
        self.notice = ""
        self.search.step_back()

    @property
    def heuristic_in_use(self) -> str:
        return self.search.heuristic

    @property
    def warning(self) -> str:
        """A caution about the current choice, or "": Manhattan overestimates with diagonal moves."""
        if self.algorithm == "astar" and not self.search.admissible:
            return "Manhattan overestimates with diagonal moves: A* may miss the shortest path"
        return ""

    def compare(self, runs: Iterable[tuple[str, str]]) -> list[Outcome]:
        """Each (algorithm, heuristic) run to the end on the current grid."""
        out = []
        for algorithm, name in runs:
            key = (self.grid.version, self.grid.diagonal, algorithm, name)
            if key not in self._cache:
                if len(self._cache) > 64:
                    self._cache.clear()
                self._cache[key] = Search(self.grid, algorithm, name).run().outcome()
            out.append(self._cache[key])
        return out

    def cell_states(self) -> np.ndarray:
        """One of EMPTY … GOAL per cell, for drawing (int8, the grid's shape)."""
        s = self.search
        states = np.full(self.grid.shape, EMPTY, dtype=np.int8)
        states[s.closed] = VISITED
        states[s.frontier_mask] = FRONTIER
        for cell in s.path:
            states[cell] = PATH
        if s.current is not None:
            states[s.current] = CURRENT
        states[self.grid.walls] = WALL
        states[self.grid.start] = START
        states[self.grid.goal] = GOAL
        return states

"""astar — A* search with f = g + h in the tiles, and how the heuristic changes the work done.

Run alone: ``python -m screens.astar``.
"""

from __future__ import annotations

import numpy as np
from textual.binding import Binding

from algorithms.gridsearch import ALGORITHM_NAMES, GOAL, HEURISTICS, START, WALL, is_admissible
from screens.grid_search_base import STATE_GLYPHS, GridSearchScreen, number

SHORT_NAMES = {"manhattan": "Manh.", "euclidean": "Eucl.", "octile": "oct.", "chebyshev": "Cheb.", "zero": "zero"}

HELP = """\
# A* search and heuristics

Every cell reached gets three numbers, written in its tile when the tiles are wide enough:

* **g** — the cost of the best way found so far from **S** to the cell;
* **h** — the *heuristic*: a guess of the cost still to go from the cell to **G**;
* **f = g + h** — the guess of a whole route through that cell.

Each step expands the frontier cell (○) with the **lowest f**; ties go to the larger g (the one
further along), then to the cell that waited longest. Entering a cell costs its ground (1 on plain
ground, 2–9 on painted rough ground, ×√2 on a diagonal). **Dijkstra** is A* with h = 0: it spreads
by cost alone.

**Heuristics.** *Manhattan* (rows + columns apart), *Euclidean* (straight line), *octile*
(diagonals at √2), *Chebyshev* (diagonals at 1) and *zero*. A heuristic is **admissible** when it
never guesses more than the true cost; then A* finds a cheapest path. All of them are, except
Manhattan with diagonal moves — one diagonal step costs √2 but Manhattan counts it as 2. The
screen warns you, and A* may then return a dearer path (compare its cost in the table).

**The table** runs BFS, Dijkstra and A* with each heuristic to the end on the grid as it is now:
cells expanded and the cost of the path found. The closer h gets to the true cost, the fewer cells
A* expands; on open ground it expands no more than BFS.

**Try this.**
* Compare *zero* with *octile* on an open grid (**c** clears): same cost, far fewer expansions.
* Paint a band of cost-9 ground (**9**, with the pen **t**) across the straight line: A* goes round.
* Turn on diagonal moves (**d**) and pick Manhattan (**e**): fast, but not always cheapest.

**Keys.** Arrows or **h j k l** move the cursor. **w** walls or unwalls; **1**–**9** paint ground
cost (**0** or **x** erases); **t** pen on/off. **s** / **g** put the start / goal at the cursor.
**m** maze, **o** random walls, **c** clear. Mouse: click to wall, drag to paint, drag **S** or **G**.
**a** A* or Dijkstra, **e** next heuristic, **d** 4 or 8 moves, **f** finish. **n** one expansion,
**b** back, **space** play, **r** search again, **R** new grid.
"""


class AStarScreen(GridSearchScreen):
    """A* and Dijkstra on an editable weighted grid, f = g + h in the tiles, heuristics compared."""

    TOPIC_ID = "astar"
    TITLE = "A* search and heuristics"
    HELP = HELP
    ALGORITHMS = ("astar", "dijkstra")
    DEFAULT_ALGORITHM = "astar"
    DEFAULT_LAYOUT = "terrain"
    DEFAULT_SHAPE = (11, 17)
    SHOW_HEURISTIC = True
    MAX_CELL_WIDTH = 10
    COMPARE = (("bfs", "zero"), ("dijkstra", "zero")) + tuple(("astar", h) for h in HEURISTICS if h != "zero")
    PREFIX = "astar"

    BINDINGS = [Binding("e", "next_heuristic", "Heuristic")]

    def run_name(self, algorithm: str, heuristic: str) -> str:
        if algorithm != "astar":
            return ALGORITHM_NAMES[algorithm]
        flag = "" if is_admissible(heuristic, self.sim.grid.diagonal) else " ⚠"
        return f"A* {SHORT_NAMES[heuristic]}{flag}"

    def cell_scores(self, r: int, c: int) -> str:
        search = self.sim.search
        g, h = float(search.g[r, c]), float(search.h[r, c])
        return f"f {number(g + h)} = g {number(g)} + h {number(h)}"

    def tile_texts(self, states: np.ndarray) -> list[list[str]]:
        """f=g+h in the reached tiles when it fits, else g+h, else f, else the state glyphs.

        Without colour the state (visited, frontier, path, current) is only told by its glyph, so the
        numbers come after it there."""
        texts = super().tile_texts(states)
        search = self.sim.search
        cells = [(int(r), int(c)) for r, c in np.argwhere(np.isfinite(search.g) & (states != WALL)
                                                          & (states != START) & (states != GOAL))]
        if not cells:
            return texts
        mono = bool(getattr(self.app, "no_color", False))
        scores = {cell: (STATE_GLYPHS[int(states[cell])] if mono else "",
                         number(float(search.g[cell] + search.h[cell])), number(float(search.g[cell])),
                         number(float(search.h[cell]))) for cell in cells}
        # Each ends in a blank so that numbers in neighbouring tiles stay apart.
        forms = (lambda m, f, g, h: f"{m}{f}={g}+{h} ", lambda m, f, g, h: f"{m}{g}+{h} ",
                 lambda m, f, g, h: f"{m}{f} ")
        room = self.tile_budget()
        for form in forms:
            written = {cell: form(*score) for cell, score in scores.items()}
            if max(len(t) for t in written.values()) <= room:
                for (r, c), t in written.items():
                    texts[r][c] = t
                break
        return texts

    def action_next_heuristic(self) -> None:
        self._cycle("heuristic", HEURISTICS)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("astar").run()

"""maze-search — breadth-first and depth-first search creeping through a maze you can redraw.

Run alone: ``python -m screens.maze_search``.
"""

from __future__ import annotations

from screens.grid_search_base import GridSearchScreen

HELP = """\
# Breadth-first vs depth-first

A search starts at **S** and looks for **G** one cell at a time. Each step **expands** one cell:
it takes the next cell out of the **frontier** (the cells seen but not yet explored, ○ amber),
marks it **visited** (·, blue) and puts its open neighbours into the frontier. The cell being
expanded is ◉. When the goal comes out of the frontier, the **path** (●, green) is traced back.

**The only difference** between the two is which frontier cell comes out next:

* **BFS** (breadth-first) takes the *oldest* one — a queue. It spreads in rings, every cell one
  move from the start before any cell two moves away, so the first path it finds has the fewest
  moves possible.
* **DFS** (depth-first) takes the *newest* one — a stack. It dives down one corridor until it hits
  a dead end, then backs up. If any path exists it finds one, but often a long winding one.

Neither looks at the ground's cost: paint rough ground (digits 2–9) and the table shows their
paths' costs next to **Dijkstra**'s, which always finds the cheapest.

**The table** runs every algorithm to the end on the grid as it is now: cells expanded and the
cost of the path found. If the goal is walled off, every run says **no path** — after visiting
every cell it could reach.

**Try this.**
* Watch BFS and DFS on the same maze (**a** switches) and compare the expanded counts.
* Clear the grid (**c**) — on open ground DFS wanders while BFS walks straight.
* Wall in the goal and watch the search fill everything it can reach, then stop.
* Turn on diagonal moves (**d**): BFS then counts a diagonal as one move.

**Keys.** Arrows or **h j k l** move the cursor. **w** walls or unwalls the cursor's cell;
**1**–**9** paint ground of that cost (**0** or **x** erases); **t** turns the pen on, so moving
paints with the last brush. **s** / **g** put the start / goal at the cursor. **m** new maze,
**o** random walls, **c** clear. With the mouse: click a cell to wall or unwall it, drag to paint,
drag **S** or **G** to move them. **a** switches algorithm, **d** 4 or 8 moves, **f** finishes the
search. **n** one expansion, **b** one back, **space** play, **r** starts the search again on the
same grid, **R** draws a new grid. Editing the grid while a search runs starts it again.
"""


class MazeSearchScreen(GridSearchScreen):
    """BFS and DFS on an editable maze, with Dijkstra in the table for the cheapest cost."""

    TOPIC_ID = "maze-search"
    TITLE = "Breadth-first vs depth-first"
    HELP = HELP
    ALGORITHMS = ("bfs", "dfs")
    DEFAULT_ALGORITHM = "bfs"
    DEFAULT_LAYOUT = "maze"
    DEFAULT_SHAPE = (13, 25)
    COMPARE = (("bfs", "zero"), ("dfs", "zero"), ("dijkstra", "zero"))
    PREFIX = "maze"


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("maze-search").run()

"""What the maze-search and astar screens share: the editable grid, its cursor and mouse, the search
card and the table of every algorithm run to the end. The two topics subclass ``GridSearchScreen``
and choose the algorithms offered, the rows of the table and what the tiles say.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from algorithms.gridsearch import (
    ALGORITHM_NAMES,
    CURRENT,
    EMPTY,
    FRONTIER,
    GOAL,
    HEURISTICS,
    LAYOUTS,
    MAX_COLS,
    MAX_COST,
    MAX_ROWS,
    MIN_SIDE,
    NEIGHBOURS,
    PATH,
    START,
    VISITED,
    WALL,
    Cell,
    GridSearchLab,
    Outcome,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.grid_view import CellMessage, GridView
from tui.widgets.param_panel import Param, ParamPanel

WALL_BRUSH = 0  # brushes: 0 paints walls, 1–9 paint open ground of that cost (1 = erase)
GROUND: palette.RGB = (34, 38, 46)
ROUGH: palette.RGB = (150, 105, 55)
STATE_COLORS: dict[int, palette.RGB] = {
    VISITED: (55, 95, 175),
    FRONTIER: (235, 170, 40),
    PATH: (90, 225, 120),
    CURRENT: palette.CLASS_COLORS[3],
    WALL: (175, 178, 190),
    START: palette.CLASS_COLORS[6],
    GOAL: palette.CLASS_COLORS[7],
}
# Glyphs that tell the states apart without colour (walls are told by their solid shade).
STATE_GLYPHS = {EMPTY: "", VISITED: "·", FRONTIER: "○", PATH: "●", CURRENT: "◉", WALL: "", START: "S", GOAL: "G"}
HEURISTIC_LABELS = {"manhattan": "Manhattan", "euclidean": "Euclidean", "octile": "octile",
                    "chebyshev": "Chebyshev", "zero": "zero (= Dijkstra)"}
LAYOUT_LABELS = {"maze": "maze", "walls": "random walls", "terrain": "rough terrain", "open": "open field"}


@lru_cache(maxsize=1)
def tile_palette() -> np.ndarray:
    """Colour index ``state * 10 + cost``: each state's colour mixed with the ground of that cost, so
    rough ground stays visible under visited, frontier and path cells."""
    colors = np.zeros((8 * 10, 3), dtype=np.uint8)
    for state in range(8):
        for cost in range(1, MAX_COST + 1):
            ground = palette.blend(GROUND, ROUGH, (cost - 1) / (MAX_COST - 1))
            color = STATE_COLORS.get(state)
            if color is None:
                mixed = ground
            elif state in (VISITED, FRONTIER, PATH):
                mixed = palette.blend(ground, color, 0.7)
            else:
                mixed = color
            colors[state * 10 + cost] = mixed
    colors.setflags(write=False)
    return colors


def number(x: float) -> str:
    """A cost as short as it can be: whole numbers without decimals, others with one."""
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def cost_text(outcome: Outcome) -> str:
    return number(outcome.path_cost) if outcome.found else "no path"


class SearchGrid(GridView):
    """A GridView that also says which cell a mouse button went down on (to start a drag there)."""

    class CellPressed(CellMessage):
        """A mouse button went down on a cell."""

    def on_mouse_down(self, event: events.MouseDown) -> None:
        cell = self.cell_at(event.x, event.y)
        if cell is not None:
            self.post_message(self.CellPressed(self, *cell))


class GridSearchScreen(SimulationScreen):
    """A grid to draw on, a search expanding one node per step, and every algorithm's totals."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 36, "squat": 24}
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 10
    STEP_NAME = "expansion"

    ALGORITHMS: ClassVar[tuple[str, ...]] = ("bfs", "dfs")
    DEFAULT_ALGORITHM: ClassVar[str] = "bfs"
    DEFAULT_LAYOUT: ClassVar[str] = "maze"
    DEFAULT_SHAPE: ClassVar[tuple[int, int]] = (13, 25)
    SHOW_HEURISTIC: ClassVar[bool] = False  # a heuristic knob and h, f in the card
    MAX_CELL_WIDTH: ClassVar[int] = 4
    COMPARE: ClassVar[tuple[tuple[str, str], ...]] = (("bfs", "zero"), ("dfs", "zero"))
    PREFIX: ClassVar[str] = "gs"

    DEFAULT_CSS = """
    GridSearchScreen .gs-grid { width: 1fr; height: 1fr; }
    GridSearchScreen .gs-side { width: 42; height: 1fr; scrollbar-size-vertical: 1; }
    GridSearchScreen.-narrow .gs-side { width: 30; }
    GridSearchScreen .gs-side > ParamPanel { max-height: 100%; }
    GridSearchScreen .gs-box {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    GridSearchScreen .gs-legend { height: auto; padding: 0 1; }
    GridSearchScreen.-short .gs-legend { display: none; }
    GridSearchScreen.-squat .gs-table { display: none; }
    GridSearchScreen.-tiny .gs-side { display: none; }
    """

    BINDINGS = [
        Binding("up,k", "move(-1, 0)", "Cursor ↑", show=False),
        Binding("down,j", "move(1, 0)", "Cursor ↓", show=False),
        Binding("left,h", "move(0, -1)", "Cursor ←", show=False),
        Binding("right,l", "move(0, 1)", "Cursor →", show=False),
        Binding("w", "toggle_wall", "Wall"),
        Binding("0,x,delete", "paint(1)", "Erase", key_display="0", show=False),
        *[Binding(str(k), f"paint({k})", f"Ground cost {k}", show=False) for k in range(1, MAX_COST + 1)],
        Binding("t", "toggle_pen", "Pen", show=False),
        Binding("s", "place('start')", "Start here"),
        Binding("g", "place('goal')", "Goal here"),
        Binding("m", "maze", "Maze"),
        Binding("o", "random_walls", "Random walls", show=False),
        Binding("c", "clear", "Clear", show=False),
        Binding("a", "next_algorithm", "Algorithm"),
        Binding("d", "toggle_diagonal", "4/8 moves", show=False),
        Binding("f", "finish", "Finish", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.cursor: Cell = (0, 0)
        self.pen = False
        self.brush = WALL_BRUSH
        self._mouse_brush = WALL_BRUSH
        self._dragging_end: str | None = None  # "start" or "goal" while the mouse drags one
        self._view_key: tuple | None = None
        self._table_key: tuple | None = None
        self._box_lines: dict[str, int] = {}
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> GridSearchLab:
        rows, cols = self.DEFAULT_SHAPE
        return GridSearchLab(seed=seed, rows=rows, cols=cols, layout=self.DEFAULT_LAYOUT,
                             algorithm=self.DEFAULT_ALGORITHM, heuristic="manhattan")

    def sim_step(self) -> None:
        if not self.sim.step():
            self.playing = False

    def reset_simulation(self, seed: int) -> None:
        """``r`` starts the search again on the grid as drawn; only a new seed (``R``) draws a new grid."""
        if seed == self.seed:
            self.sim.restart()
            return
        super().reset_simulation(seed)
        self._clamp_cursor()

    def params(self) -> list[Param]:
        sim = self.sim
        knobs = [
            Param("algorithm", "algorithm (a)", sim.algorithm, "choice", choices=self.ALGORITHMS,
                  labels={a: ALGORITHM_NAMES[a] for a in self.ALGORITHMS}),
        ]
        if self.SHOW_HEURISTIC:
            knobs.append(Param("heuristic", "heuristic (e)", sim.heuristic, "choice", choices=HEURISTICS,
                               labels=HEURISTIC_LABELS, help="the estimate h of the cost still to go"))
        knobs += [
            Param("neighbours", "moves (d)", sim.neighbours, "choice", choices=NEIGHBOURS,
                  labels={4: "4", 8: "8"}, help="4 sides, or 8 with the diagonals"),
            Param("layout", "new grids", sim.layout, "choice", choices=LAYOUTS, labels=LAYOUT_LABELS,
                  help="what R and a size change draw"),
            Param("rows", "rows", sim.rows, "int", lo=MIN_SIDE, hi=MAX_ROWS, step=2),
            Param("cols", "columns", sim.cols, "int", lo=MIN_SIDE, hi=MAX_COLS, step=2),
            Param("density", "wall density (o)", sim.density, "float", lo=0.0, hi=0.9, step=0.05,
                  fmt="{:.2f}", help="share of cells walled by random walls"),
        ]
        return knobs

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "algorithm": self.sim.set_algorithm,
            "heuristic": self.sim.set_heuristic,
            "neighbours": lambda v: self.sim.set_neighbours(int(v)),
            "layout": self.sim.set_layout,
            "rows": self.sim.set_rows,
            "cols": self.sim.set_cols,
            "density": self.sim.set_density,
        }[name]
        if name == "algorithm" and value not in self.ALGORITHMS:
            raise ValueError(f"this screen runs {', '.join(ALGORITHM_NAMES[a] for a in self.ALGORITHMS)}")
        setter(value)
        self._clamp_cursor()

    def _clamp_cursor(self) -> None:
        grid = self.sim.grid
        self.cursor = (min(self.cursor[0], grid.rows - 1), min(self.cursor[1], grid.cols - 1))

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        p = self.PREFIX
        yield SearchGrid(max_cell_width=self.MAX_CELL_WIDTH, max_cell_height=4, id=f"{p}-grid", classes="gs-grid")
        with VerticalScroll(id=f"{p}-side", classes="gs-side", can_focus=False):
            card = Static(id=f"{p}-card", classes="gs-box gs-card")
            card.border_title = "search"
            yield card
            table = Static(id=f"{p}-table", classes="gs-box gs-table")
            table.border_title = "every run to the end"
            yield table
            yield Static(self._legend(), id=f"{p}-legend", classes="gs-legend")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        self.cursor = self.sim.grid.start

    def layout_changed(self) -> None:
        self._box_lines.clear()
        self._table_key = None

    @property
    def grid_view(self) -> SearchGrid:
        return self.query_one(SearchGrid)

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        self._clamp_cursor()
        view = self.grid_view
        # Frames without a step or an edit change nothing: skip them (most frames at low speeds).
        key = (sim.restarts, sim.search.steps_taken, self.cursor, self.pen, self.brush, sim.notice,
               view.size, self.has_class("-narrow"), self.has_class("-short"))
        if key == self._view_key:
            return
        self._view_key = key
        states = sim.cell_states()
        view.set_cells(states.astype(np.intp) * 10 + sim.grid.cost, texts=self.tile_texts(states),
                       cursor=self.cursor, marks=states == PATH, palette=tile_palette())
        card = self._card()
        self._show("card", card, len(card.plain.splitlines()))
        table_key = (sim.restarts, self.has_class("-narrow"))  # the table changes only with the grid
        if table_key != self._table_key:
            self._table_key = table_key
            self._show("table", self._table(), len(self.COMPARE))

    def _show(self, part: str, content: Text | Table, lines: int) -> None:
        """Update a side box, laying the screen out again only when its number of lines changed."""
        static = self.query_one(f"#{self.PREFIX}-{part}", Static)
        relayout = self._box_lines.get(part) != lines
        self._box_lines[part] = lines
        static.update(content, layout=relayout)

    def tile_budget(self) -> int:
        """The widest text a tile can show at the grid view's current size."""
        width = self.grid_view.size.width
        return max(1, min(self.MAX_CELL_WIDTH, width // max(1, self.sim.grid.cols)))

    def tile_texts(self, states: np.ndarray) -> list[list[str]]:
        """The state glyph of each tile, with its ground cost beside it when that is above 1."""
        cost = self.sim.grid.cost
        room = self.tile_budget()
        rows, cols = states.shape
        out = []
        for r in range(rows):
            line = []
            for c in range(cols):
                state = int(states[r, c])
                glyph = STATE_GLYPHS[state]
                k = int(cost[r, c])
                if state in (WALL, START, GOAL) or k == 1:
                    line.append(glyph)
                elif not glyph:
                    line.append(str(k))
                else:
                    line.append(glyph + str(k) if room >= 3 else glyph)  # 3: a blank between tiles
            out.append(line)
        return out

    def status(self) -> tuple[str, str]:
        """(what the search is doing, a Rich style) for the card and the metrics."""
        search = self.sim.search
        if search.found:
            return f"✔ found: cost {number(search.path_cost)}, {len(search.path) - 1} moves", "bold green"
        if search.no_path:
            return "✖ no path: the goal cannot be reached", "bold yellow"
        if search.current is None:
            return "ready: n expands the start", "italic"
        return f"expanding {search.current}", ""

    def run_name(self, algorithm: str, heuristic: str) -> str:
        return ALGORITHM_NAMES[algorithm]

    def _card(self) -> Text:
        sim = self.sim
        search = sim.search
        text = Text()
        text.append(f"{self.run_name(sim.algorithm, sim.heuristic_in_use)} · {sim.neighbours} moves\n", style="bold")
        line, style = self.status()
        text.append(line + "\n", style=style)
        text.append(f"expanded {search.expanded} · frontier {search.frontier_size}\n")
        r, c = self.cursor
        grid = sim.grid
        text.append(f"cursor ({r},{c}) ")
        text.append("wall" if grid.walls[r, c] else f"ground {int(grid.cost[r, c])}")
        if np.isfinite(search.g[r, c]):
            text.append(f"\n  {self.cell_scores(r, c)}")
        brush = "wall" if self.brush == WALL_BRUSH else ("erase" if self.brush == 1 else f"ground {self.brush}")
        # On a short screen (80×24) the side column has a line too few: the pen line shows there only
        # when the pen is on or the brush is not walls, the state the footer's keys leave unsaid.
        if not self.has_class("-short") or self.pen or self.brush != WALL_BRUSH:
            text.append(f"\npen {'on' if self.pen else 'off'} (t) · brush {brush}")
        if sim.warning:
            text.append(f"\n⚠ {sim.warning}", style="bold yellow")
        if sim.notice:
            text.append(f"\n{sim.notice}", style="italic")
        return text

    def cell_scores(self, r: int, c: int) -> str:
        return f"g {number(float(self.sim.search.g[r, c]))} from the start"

    def _table(self) -> Table:
        sim = self.sim
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
        table.add_column("run")
        table.add_column("exp." if self.has_class("-narrow") else "expanded", justify="right")
        table.add_column("cost", justify="right")
        current = (sim.algorithm, sim.heuristic_in_use)
        for (algorithm, name), outcome in zip(self.COMPARE, sim.compare(self.COMPARE)):
            mine = (algorithm, name) == current
            label = ("▶ " if mine else "  ") + self.run_name(algorithm, name)
            table.add_row(label, str(outcome.expanded), cost_text(outcome), style="bold" if mine else None)
        return table

    def _legend(self) -> Text:
        text = Text()
        rows = (((START, "start"), (GOAL, "goal"), (WALL, "wall"), (PATH, "path")),
                ((FRONTIER, "frontier"), (VISITED, "visited"), (CURRENT, "now")))
        for row in rows:
            for state, name in row:
                glyph = STATE_GLYPHS[state] or "█"
                text.append(f" {glyph} ", style=f"on {palette.hex_color(tile_palette()[state * 10 + 1])}")
                text.append(f" {name} ")
            text.append("\n")
        text.append("2–9 dearer ground, browner")
        return text

    def metrics(self) -> dict[str, str]:
        search = self.sim.search
        return {
            "expanded": str(search.expanded),
            "frontier": str(search.frontier_size),
            "cost": number(search.path_cost) if search.found else "—",
            "state": "found" if search.found else ("no path" if search.no_path else "searching"),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()

    # ------------------------------------------------------------------ keys
    def _edited(self) -> None:
        self.refresh_view()
        self.refresh_bindings()

    def action_move(self, dr: int, dc: int) -> None:
        grid = self.sim.grid
        r = min(max(self.cursor[0] + dr, 0), grid.rows - 1)
        c = min(max(self.cursor[1] + dc, 0), grid.cols - 1)
        self.cursor = (r, c)
        if self.pen:
            self._paint(self.cursor, self.brush)
        self._edited()

    def _paint(self, cell: Cell, brush: int) -> None:
        self.sim.paint(cell, brush)

    def action_toggle_wall(self) -> None:
        self.brush = WALL_BRUSH if self.sim.toggle_wall(self.cursor) else 1
        self._edited()

    def action_paint(self, brush: int) -> None:
        self.brush = brush
        self._paint(self.cursor, brush)
        self._edited()

    def action_toggle_pen(self) -> None:
        self.pen = not self.pen
        if self.pen:
            self._paint(self.cursor, self.brush)
        self._edited()

    def action_place(self, which: str) -> None:
        try:
            (self.sim.set_start if which == "start" else self.sim.set_goal)(self.cursor)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        self._edited()

    def action_maze(self) -> None:
        self.sim.generate_maze()
        self._edited()

    def action_random_walls(self) -> None:
        self.sim.random_walls()
        self._edited()

    def action_clear(self) -> None:
        self.sim.clear()
        self._edited()

    def _cycle(self, name: str, choices: tuple) -> None:
        panel = self.param_panel
        if panel is not None:
            value = panel.value(name)
            panel.propose(name, choices[(choices.index(value) + 1) % len(choices)])

    def action_next_algorithm(self) -> None:
        self._cycle("algorithm", self.ALGORITHMS)

    def action_toggle_diagonal(self) -> None:
        self._cycle("neighbours", NEIGHBOURS)

    def action_finish(self) -> None:
        self.playing = False
        before = self.sim.search.steps_taken
        self.sim.finish()
        self.steps_done += self.sim.search.steps_taken - before
        self._edited()

    # ------------------------------------------------------------------ mouse
    @on(SearchGrid.CellPressed)
    def _pressed(self, event: SearchGrid.CellPressed) -> None:
        """A press on the start or goal picks it up; elsewhere it walls an open cell or opens a wall,
        and a drag carries on doing the same."""
        event.stop()
        cell = (event.row, event.col)
        self.cursor = cell
        grid = self.sim.grid
        self._dragging_end = "start" if cell == grid.start else ("goal" if cell == grid.goal else None)
        if self._dragging_end is None:
            self._mouse_brush = 1 if grid.walls[cell] else WALL_BRUSH
            self._paint(cell, self._mouse_brush)
        self._edited()

    @on(GridView.CellDragged)
    def _dragged(self, event: GridView.CellDragged) -> None:
        event.stop()
        cell = (event.row, event.col)
        self.cursor = cell
        grid = self.sim.grid
        if self._dragging_end is None:
            self._paint(cell, self._mouse_brush)
        elif not grid.walls[cell] and cell not in (grid.start, grid.goal):
            (self.sim.set_start if self._dragging_end == "start" else self.sim.set_goal)(cell)
        self._edited()

    @on(GridView.CellClicked)
    def _clicked(self, event: GridView.CellClicked) -> None:
        event.stop()  # the press did the work; a click only ends a drag
        self._dragging_end = None

"""The maze-search screen as a user drives it: cursor painting, start and goal, mouse, BFS/DFS,
the no-path state, step back and the table of runs (also the behaviour astar shares)."""

from __future__ import annotations

import numpy as np

from algorithms.gridsearch import Search
from screens.grid_search_base import SearchGrid, number
from tests.screens.grid_search_helpers import (
    assert_grid_shows_the_search,
    cell_offset,
    opened,
    text_of,
)
from tui.widgets.metrics_bar import MetricsBar
from tui.widgets.param_panel import ParamPanel


async def test_cursor_moves_and_paints_walls_and_ground():
    async with opened("maze-search") as (pilot, screen):
        sim = screen.sim
        await pilot.press("c")  # an empty grid to draw on
        assert not sim.grid.walls.any()
        screen.cursor = (5, 5)
        await pilot.press("right", "l", "down", "j")
        assert screen.cursor == (7, 7)
        await pilot.press("up", "k", "left", "h")
        assert screen.cursor == (5, 5)
        for _ in range(40):
            await pilot.press("left")
        assert screen.cursor == (5, 0)  # stops at the edge
        await pilot.press("right", "w")
        assert sim.grid.walls[5, 1]
        await pilot.press("w")
        assert not sim.grid.walls[5, 1]
        await pilot.press("7")
        assert sim.grid.cost[5, 1] == 7
        await pilot.press("0")
        assert sim.grid.cost[5, 1] == 1
        await pilot.press("3", "t", "right", "right")  # pen on: moving paints the last brush
        assert list(sim.grid.cost[5, 1:4]) == [3, 3, 3]
        await pilot.press("w", "right", "right", "t", "right")  # brush is now "wall"; pen off again
        assert list(sim.grid.walls[5, 3:7]) == [True, True, True, False]
        await pilot.press("x")
        await pilot.pause()
        assert_grid_shows_the_search(screen)
        assert "pen off" in text_of(screen, "card")


async def test_editing_while_searching_restarts_and_says_so():
    async with opened("maze-search") as (pilot, screen):
        await pilot.press("n", "n", "n")
        assert screen.sim.search.expanded == 3
        screen.cursor = (1, 1)
        await pilot.press("w")
        await pilot.pause()
        assert screen.sim.search.expanded == 0
        assert "starts again" in text_of(screen, "card")
        assert_grid_shows_the_search(screen)


async def test_start_and_goal_move_to_the_cursor():
    async with opened("maze-search") as (pilot, screen):
        grid = screen.sim.grid
        await pilot.press("c")
        screen.cursor = (4, 6)
        await pilot.press("s")
        screen.cursor = (8, 20)
        await pilot.press("g")
        assert (grid.start, grid.goal) == ((4, 6), (8, 20))
        await pilot.press("s")  # the goal's cell: refused with a message, nothing moves
        await pilot.pause()
        assert (grid.start, grid.goal) == ((4, 6), (8, 20))
        assert any("different" in str(n.message) for n in screen.app._notifications)
        await pilot.press("f")
        assert screen.sim.search.path[0] == (4, 6) and screen.sim.search.path[-1] == (8, 20)


async def test_mouse_walls_paints_and_drags_the_start():
    async with opened("maze-search") as (pilot, screen):
        grid = screen.sim.grid
        view = screen.query_one(SearchGrid)
        await pilot.press("c")
        await pilot.click(view, offset=cell_offset(view, 3, 3))
        assert grid.walls[3, 3] and screen.cursor == (3, 3)
        await pilot.click(view, offset=cell_offset(view, 3, 3))
        assert not grid.walls[3, 3]
        # a drag over open cells walls each of them
        await pilot.mouse_down(view, offset=cell_offset(view, 6, 2))
        for col in (3, 4, 5):
            await pilot.hover(view, offset=cell_offset(view, 6, col))
        await pilot.mouse_up(view, offset=cell_offset(view, 6, 5))
        await pilot.pause()
        assert list(grid.walls[6, 2:6]) == [True] * 4
        # a drag that starts on S carries the start along
        r, c = grid.start
        await pilot.mouse_down(view, offset=cell_offset(view, r, c))
        await pilot.hover(view, offset=cell_offset(view, r + 1, c))
        await pilot.hover(view, offset=cell_offset(view, r + 2, c))
        await pilot.mouse_up(view, offset=cell_offset(view, r + 2, c))
        await pilot.pause()
        assert grid.start == (r + 2, c) and not grid.walls[r + 1, c]
        assert_grid_shows_the_search(screen)


async def test_algorithm_switches_between_bfs_and_dfs():
    async with opened("maze-search") as (pilot, screen):
        panel = screen.query_one(ParamPanel)
        await pilot.press("n", "n")
        await pilot.press("a")
        assert screen.sim.algorithm == "dfs" and panel.value("algorithm") == "dfs"
        assert screen.sim.search.algorithm == "dfs" and screen.sim.search.expanded == 0
        assert "DFS" in text_of(screen, "card")
        await pilot.press("a")
        assert screen.sim.algorithm == "bfs"
        await pilot.press("d")
        assert screen.sim.neighbours == 8 and screen.sim.grid.diagonal


async def test_no_path_is_shown_as_a_state():
    async with opened("maze-search") as (pilot, screen):
        grid = screen.sim.grid
        await pilot.press("c")
        gr, gc = grid.goal
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            if grid.inside((gr + dr, gc + dc)):
                screen.sim.paint((gr + dr, gc + dc), 0)
        await pilot.press("f")
        await pilot.pause()
        assert screen.sim.search.no_path
        assert "no path" in text_of(screen, "card")
        assert text_of(screen, "table").count("no path") == 3
        assert "no path" in screen.query_one(MetricsBar).render().plain
        assert not screen.playing and not screen.has_class("-error")


async def test_step_back_undoes_one_expansion_and_redraws():
    async with opened("maze-search") as (pilot, screen):
        await pilot.press(*"nnnnn")
        order = list(screen.sim.search.order)
        await pilot.press("b")
        await pilot.pause()
        assert screen.sim.search.order == order[:-1]
        assert_grid_shows_the_search(screen)
        walls = screen.sim.grid.walls.copy()
        await pilot.press("r")
        assert screen.sim.search.expanded == 0 and screen.steps_done == 0
        assert np.array_equal(screen.sim.grid.walls, walls)  # r keeps the drawn grid …
        await pilot.press("R")
        assert not np.array_equal(screen.sim.grid.walls, walls)  # … R draws a new one


async def test_the_table_holds_every_run_to_the_end():
    async with opened("maze-search") as (pilot, screen):
        screen.cursor = (1, 0)
        await pilot.press("9")  # rough ground changes costs, not BFS's moves
        await pilot.pause()
        rows = [line.split() for line in text_of(screen, "table").splitlines()]
        for algorithm, name in (("bfs", "BFS"), ("dfs", "DFS"), ("dijkstra", "Dijkstra")):
            run = Search(screen.sim.grid, algorithm).run()
            row = next(r for r in rows if name in r)
            assert row[-2:] == [str(run.expanded), number(run.path_cost)]
        assert next(r for r in rows if "BFS" in r)[0] == "▶"  # the run on screen is marked


async def test_bad_knob_values_get_a_message_and_keep_the_old_value():
    async with opened("maze-search") as (pilot, screen):
        panel = screen.query_one(ParamPanel)
        screen.set_param("rows", 99)
        await pilot.pause()
        assert panel.error and screen.sim.rows == 13
        screen.set_param("rows", 21)
        await pilot.pause()
        assert screen.sim.grid.rows == 21
        screen.set_param("algorithm", "astar")
        await pilot.pause()
        assert screen.sim.algorithm == "bfs"


async def test_small_terminals_hide_the_side_and_keep_drawing():
    async with opened("maze-search", (50, 16)) as (pilot, screen):
        assert screen.has_class("-tiny")
        await pilot.press("n", "w", "right", "w")
        await pilot.pause()
        assert_grid_shows_the_search(screen)


async def test_at_80x24_the_side_column_fits_without_scrolling():
    """The card, the table and the knobs fit 21 rows: the pen line shows only when it says something."""
    async with opened("maze-search", (80, 24)) as (pilot, screen):
        assert screen.has_class("-short") and not screen.has_class("-squat")
        await pilot.press("n")
        await pilot.pause()
        side = screen.query_one(".gs-side")
        assert "pen" not in text_of(screen, "card")
        assert side.max_scroll_y == 0 and side.virtual_size.height <= side.size.height
        await pilot.press("t")  # pen on: now the card says so
        await pilot.pause()
        assert "pen on" in text_of(screen, "card")
    async with opened("maze-search", (160, 50)) as (pilot, screen):
        assert "pen off" in text_of(screen, "card")

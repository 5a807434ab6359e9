"""The astar screen: f = g + h in the tiles, heuristic and neighbour switching with the Manhattan
warning, Dijkstra, and the table of every heuristic beside BFS."""

from __future__ import annotations

import numpy as np

from algorithms.gridsearch import GOAL, HEURISTICS, START, WALL, Search
from screens.grid_search_base import SearchGrid, number
from tests.screens.grid_search_helpers import assert_grid_shows_the_search, opened, text_of
from tui.widgets.param_panel import ParamPanel


def reached_cells(screen) -> list[tuple[int, int]]:
    search = screen.sim.search
    states = screen.sim.cell_states()
    mask = np.isfinite(search.g) & ~np.isin(states, (WALL, START, GOAL))
    return [(int(r), int(c)) for r, c in np.argwhere(mask)]


async def test_tiles_show_f_equals_g_plus_h_when_they_fit():
    async with opened("astar", (200, 60)) as (pilot, screen):
        await pilot.press(*"nnnnnn")
        await pilot.pause()
        view = screen.query_one(SearchGrid)
        search = screen.sim.search
        cells = reached_cells(screen)
        assert cells
        for r, c in cells:
            g, h = float(search.g[r, c]), float(search.h[r, c])
            assert view._texts[r][c].strip() == f"{number(g + h)}={number(g)}+{number(h)}"
            assert len(view._texts[r][c]) <= view.cell_size[0]  # so it is drawn
        assert_grid_shows_the_search(screen)


async def test_small_tiles_fall_back_to_f_or_glyphs():
    async with opened("astar", (80, 24)) as (pilot, screen):
        await pilot.press(*"nnnnnn")
        await pilot.pause()
        view = screen.query_one(SearchGrid)
        search = screen.sim.search
        width = view.cell_size[0]
        for r, c in reached_cells(screen):
            text = view._texts[r][c]
            assert "=" not in text and len(text) <= width
            if text.strip() and text.strip()[0].isdigit() and len(text) > 1:
                assert text.strip() == number(float(search.g[r, c] + search.h[r, c]))


async def test_heuristic_and_moves_switch_and_manhattan_with_diagonals_warns():
    async with opened("astar") as (pilot, screen):
        panel = screen.query_one(ParamPanel)
        assert screen.sim.heuristic == "manhattan"
        await pilot.press("e")
        assert screen.sim.heuristic == "euclidean" == panel.value("heuristic")
        assert screen.sim.search.heuristic == "euclidean"
        for _ in range(len(HEURISTICS) - 1):
            await pilot.press("e")
        assert screen.sim.heuristic == "manhattan"
        assert "overestimates" not in text_of(screen, "card")
        await pilot.press("d")
        await pilot.pause()
        assert screen.sim.neighbours == 8
        assert "overestimates" in text_of(screen, "card")  # a warning, not a block:
        await pilot.press("f")
        assert screen.sim.search.done
        assert "⚠" in next(line for line in text_of(screen, "table").splitlines() if "Manh." in line)
        await pilot.press("e")
        assert "overestimates" not in text_of(screen, "card")


async def test_dijkstra_ignores_the_heuristic():
    async with opened("astar") as (pilot, screen):
        await pilot.press("a")
        assert screen.sim.algorithm == "dijkstra" and screen.sim.heuristic_in_use == "zero"
        await pilot.press("n", "n")
        await pilot.pause()
        assert "Dijkstra" in text_of(screen, "card")
        assert not screen.sim.search.h.any()


async def test_table_has_bfs_dijkstra_and_every_heuristic():
    async with opened("astar") as (pilot, screen):
        await pilot.pause()
        rows = [line.split() for line in text_of(screen, "table").splitlines()]
        names = {"BFS": ("bfs", "zero"), "Dijkstra": ("dijkstra", "zero"), "Manh.": ("astar", "manhattan"),
                 "Eucl.": ("astar", "euclidean"), "oct.": ("astar", "octile"), "Cheb.": ("astar", "chebyshev")}
        for name, (algorithm, heuristic) in names.items():
            run = Search(screen.sim.grid, algorithm, heuristic).run()
            row = next(r for r in rows if name in r)
            assert row[-2:] == [str(run.expanded), number(run.path_cost)]
        assert next(r for r in rows if "Manh." in r)[0] == "▶"


async def test_painting_rough_ground_changes_the_costs_in_the_card():
    async with opened("astar") as (pilot, screen):
        await pilot.press("c")
        screen.cursor = screen.sim.grid.start
        await pilot.press("right", "9", "n", "n")
        await pilot.pause()
        card = text_of(screen, "card")
        assert "ground 9" in card
        r, c = screen.cursor
        assert f"g {number(float(screen.sim.search.g[r, c]))}" in card


async def test_without_colour_numbered_tiles_keep_their_state_glyph(monkeypatch):
    """In NO_COLOR mode a tile's state is told only by its glyph: the numbers come after it (in the
    longest form that fits)."""
    from screens.grid_search_base import STATE_GLYPHS

    monkeypatch.setenv("NO_COLOR", "1")
    async with opened("astar", (200, 60)) as (pilot, screen):
        assert screen.app.no_color
        await pilot.press(*"nnnnnn")
        await pilot.pause()
        view = screen.query_one(SearchGrid)
        search, states = screen.sim.search, screen.sim.cell_states()
        cells = reached_cells(screen)
        assert cells
        for r, c in cells:
            g, h = float(search.g[r, c]), float(search.h[r, c])
            glyph = STATE_GLYPHS[int(states[r, c])]
            f, gs, hs = number(g + h), number(g), number(h)
            forms = {f"{glyph}{f}={gs}+{hs}", f"{glyph}{gs}+{hs}", f"{glyph}{f}", glyph}
            assert glyph and view._texts[r][c].strip() in forms

"""Helpers for the maze-search and astar screen tests: open a topic, read what the grid shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import numpy as np
from textual.widgets import Static

from screens.grid_search_base import SearchGrid, tile_palette
from tui.app import LearnLoopApp


@asynccontextmanager
async def opened(topic: str, size: tuple[int, int] = (160, 50)) -> AsyncIterator[tuple]:
    """(pilot, screen) of a topic opened paused with seed 0 in a terminal of ``size``."""
    app = LearnLoopApp(topic, seed=0, autoplay=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield pilot, app.screen


def shown_colors(view: SearchGrid) -> np.ndarray:
    """The RGB colour the grid view holds for every cell."""
    colors = np.array(view._colors, dtype=np.uint8)
    return colors[view._color_index]


def assert_grid_shows_the_search(screen) -> None:
    """Every tile's colour is its state's colour on its ground, and the cursor is the screen's."""
    sim = screen.sim
    view = screen.query_one(SearchGrid)
    expected = tile_palette()[sim.cell_states().astype(np.intp) * 10 + sim.grid.cost]
    assert np.array_equal(shown_colors(view), expected)
    assert view.cursor == screen.cursor


def text_of(screen, part: str) -> str:
    """The plain text of the card ("card") or the table ("table")."""
    static = screen.query_one(f"#{screen.PREFIX}-{part}", Static)
    content = static.content
    if hasattr(content, "plain"):
        return content.plain
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(content)
    return console.export_text()


def cell_offset(view: SearchGrid, row: int, col: int) -> tuple[int, int]:
    """Widget offset of the middle of cell (row, col) (for clicks)."""
    region = view.cell_region(row, col)
    assert region is not None
    return region.x + region.width // 2, region.y + region.height // 2

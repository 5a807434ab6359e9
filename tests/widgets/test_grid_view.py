"""GridView: drawn colours, texts, cursor, cell_at, mouse messages, scrolling, sizes."""

from __future__ import annotations

import numpy as np
import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui.widgets.grid_view import GridView


class GridApp(App):
    """A bare app around one GridView that records its messages."""

    def __init__(self, width: str = "1fr", height: str = "1fr") -> None:
        super().__init__()
        self.messages: list[tuple[str, int, int]] = []
        self._w, self._h = width, height

    def compose(self) -> ComposeResult:
        grid = GridView()
        grid.styles.width = self._w
        grid.styles.height = self._h
        yield grid

    def on_grid_view_cell_clicked(self, message: GridView.CellClicked) -> None:
        self.messages.append(("click", message.row, message.col))

    def on_grid_view_cell_dragged(self, message: GridView.CellDragged) -> None:
        self.messages.append(("drag", message.row, message.col))


def cells_of(strip: Strip) -> list[tuple[str, Style]]:
    """One (character, style) per cell of a strip."""
    out = []
    for seg in strip:
        out.extend((ch, seg.style or Style()) for ch in seg.text)
    return out


def bg_rgb(style: Style) -> tuple[int, int, int] | None:
    if style.bgcolor is None:
        return None
    t = style.bgcolor.get_truecolor()
    return (t.red, t.green, t.blue)


def fg_rgb(style: Style) -> tuple[int, int, int]:
    t = style.color.get_truecolor()  # type: ignore[union-attr]
    return (t.red, t.green, t.blue)


def wcag_contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of two sRGB colours (independent of the widget's own rule)."""

    def rel(c: tuple[int, int, int]) -> float:
        lin = [(v / 255) / 12.92 if v <= 10 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    la, lb = sorted((rel(a), rel(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def random_colors(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    return rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)


async def test_every_drawn_cell_has_its_colour_and_cell_at_inverts_drawing():
    rng = np.random.default_rng(1)
    colors = random_colors(rng, 5, 7)
    app = GridApp()
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(colors)
        await pilot.pause()
        cw, ch = grid.cell_size
        assert cw >= 1 and ch >= 1 and cw <= grid.max_cell_width and ch <= grid.max_cell_height
        assert 5 * ch <= 24 and 7 * cw <= 80
        seen: dict[tuple[int, int], list[tuple[int, int]]] = {}
        widget_bg = bg_rgb(grid.rich_style)
        for y in range(24):
            for x, (_, style) in enumerate(cells_of(grid.render_line(y))):
                cell = grid.cell_at(x, y)
                if cell is None:
                    assert bg_rgb(style) == widget_bg
                    continue
                assert bg_rgb(style) == tuple(int(v) for v in colors[cell])
                seen.setdefault(cell, []).append((x, y))
        # Every cell is drawn, as one solid cw × ch rectangle, matching cell_region.
        assert set(seen) == {(r, c) for r in range(5) for c in range(7)}
        for (r, c), points in seen.items():
            xs, ys = {p[0] for p in points}, {p[1] for p in points}
            assert len(points) == cw * ch == len(xs) * len(ys)
            region = grid.cell_region(r, c)
            assert region is not None
            assert (region.x, region.y, region.width, region.height) == (min(xs), min(ys), cw, ch)
        # Columns left to right, rows top to bottom.
        assert min(seen[(0, 1)])[0] == min(seen[(0, 0)])[0] + cw
        assert min(y for _, y in seen[(1, 0)]) == min(y for _, y in seen[(0, 0)]) + ch


async def test_palette_indices_draw_like_rgb():
    rng = np.random.default_rng(2)
    pal = rng.integers(0, 256, size=(4, 3), dtype=np.uint8)
    idx = rng.integers(0, 4, size=(6, 6))
    app = GridApp()
    async with app.run_test(size=(60, 20)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(idx, palette=pal)
        await pilot.pause()
        by_index = [grid.render_line(y).text for y in range(20)], [
            [bg_rgb(s) for _, s in cells_of(grid.render_line(y))] for y in range(20)
        ]
        grid.set_cells(pal[idx])
        await pilot.pause()
        by_rgb = [grid.render_line(y).text for y in range(20)], [
            [bg_rgb(s) for _, s in cells_of(grid.render_line(y))] for y in range(20)
        ]
        assert by_index == by_rgb


async def test_texts_appear_centred_with_readable_contrast():
    colors = np.zeros((3, 3, 3), dtype=np.uint8)
    colors[0, :] = (250, 250, 250)  # light row
    colors[1, :] = (10, 10, 40)  # dark row
    colors[2, :] = (0, 210, 230)  # cyan row
    texts = [["X", "O", ""], ["f=12", "7", "g"], ["", "99", "h"]]
    app = GridApp()
    async with app.run_test(size=(60, 20)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(colors, texts=texts)
        await pilot.pause()
        cw, ch = grid.cell_size
        assert cw >= 4  # widened so that "f=12" fits
        for r in range(3):
            for c in range(3):
                text = texts[r][c]
                region = grid.cell_region(r, c)
                assert region is not None
                y = region.y + ch // 2
                row = cells_of(grid.render_line(y))
                drawn = "".join(chr_ for chr_, _ in row[region.x : region.right])
                if not text:
                    assert drawn.strip() == ""
                    continue
                assert drawn.strip() == text
                left = drawn.index(text)
                right = cw - left - len(text)
                assert abs(left - right) <= 1  # centred
                style = row[region.x + left][1]
                assert wcag_contrast(fg_rgb(style), tuple(int(v) for v in colors[r, c])) >= 4.5


async def test_text_too_long_for_the_cell_is_not_drawn():
    app = GridApp()
    async with app.run_test(size=(12, 6)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(np.zeros((2, 4, 3), dtype=np.uint8), texts=[["toolong"] * 4, ["ab"] * 4])
        await pilot.pause()
        screen = "\n".join(grid.render_line(y).text for y in range(6))
        assert "too" not in screen and "ab" in screen


@pytest.mark.parametrize("mono", [False, True])
async def test_cursor_is_visible_in_colour_and_monochrome(mono, monkeypatch):
    if mono:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    colors = np.full((4, 4, 3), 90, dtype=np.uint8)
    app = GridApp()
    async with app.run_test(size=(40, 16)) as pilot:
        assert app.no_color is mono
        grid = app.query_one(GridView)
        grid.set_cells(colors, cursor=(2, 1))
        await pilot.pause()
        region = grid.cell_region(2, 1)
        assert region is not None and region.width >= 3
        for y in range(region.y, region.bottom):
            text = grid.render_line(y).text
            assert text[region.x] == "[" and text[region.right - 1] == "]"
        # No other cell has brackets.
        screen = [grid.render_line(y).text for y in range(16)]
        assert sum(row.count("[") for row in screen) == region.height


async def test_cursor_in_one_character_cells_is_reversed():
    app = GridApp()
    async with app.run_test(size=(20, 10)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(np.zeros((10, 20, 3), dtype=np.uint8), cursor=(3, 5))
        await pilot.pause()
        assert grid.cell_size == (1, 1)
        region = grid.cell_region(3, 5)
        assert region is not None
        _, style = cells_of(grid.render_line(region.y))[region.x]
        assert style.reverse
        reversed_cells = [
            (x, y)
            for y in range(10)
            for x, (_, s) in enumerate(cells_of(grid.render_line(y)))
            if s.reverse
        ]
        assert reversed_cells == [(region.x, region.y)]


async def test_marks_are_underlined():
    app = GridApp()
    async with app.run_test(size=(40, 12)) as pilot:
        grid = app.query_one(GridView)
        mask = np.zeros((3, 3), dtype=bool)
        mask[0, 2] = mask[1, 1] = True
        grid.set_cells(np.full((3, 3, 3), 60, dtype=np.uint8), marks=mask)
        await pilot.pause()
        _, ch = grid.cell_size
        underlined = set()
        for y in range(12):
            for x, (_, s) in enumerate(cells_of(grid.render_line(y))):
                if s.underline:
                    underlined.add(grid.cell_at(x, y))
        assert underlined == {(0, 2), (1, 1)}


async def test_monochrome_shades_follow_luminance_unless_text(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    colors = np.array([[(0, 0, 0), (128, 128, 128), (255, 255, 255)]], dtype=np.uint8)
    app = GridApp()
    async with app.run_test(size=(30, 6)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(colors)
        await pilot.pause()
        fills = []
        for c in range(3):
            region = grid.cell_region(0, c)
            assert region is not None
            fills.append(set(grid.render_line(region.y).text[region.x : region.right]))
        assert fills == [{" "}, {"▒"}, {"█"}]
        grid.set_cells(colors, texts=[["", "7", ""]])
        await pilot.pause()
        region = grid.cell_region(0, 1)
        assert region is not None
        _, ch = grid.cell_size
        drawn = grid.render_line(region.y + ch // 2).text[region.x : region.right]
        assert drawn.strip() == "7" and "▒" not in drawn


async def test_click_and_drag_post_cell_messages():
    app = GridApp()
    async with app.run_test(size=(40, 12)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(np.zeros((4, 5, 3), dtype=np.uint8))
        await pilot.pause()
        a, b = grid.cell_region(1, 2), grid.cell_region(3, 4)
        assert a is not None and b is not None
        await pilot.click(GridView, offset=(a.x, a.y))
        await pilot.pause()
        assert app.messages == [("click", 1, 2)]
        app.messages.clear()
        await pilot.mouse_down(GridView, offset=(a.x, a.y))
        await pilot.hover(GridView, offset=(a.x + 1, a.y))  # same cell: nothing
        await pilot.hover(GridView, offset=(b.x, b.y))
        await pilot.mouse_up(GridView, offset=(b.x, b.y))
        await pilot.pause()
        assert ("drag", 3, 4) in app.messages
        assert [m for m in app.messages if m[0] == "drag"] == [("drag", 3, 4)]
        app.messages.clear()
        await pilot.hover(GridView, offset=(a.x, a.y))  # button up: no drag
        await pilot.pause()
        assert not [m for m in app.messages if m[0] == "drag"]


async def test_big_grid_scrolls_to_keep_the_cursor_visible():
    rng = np.random.default_rng(3)
    colors = random_colors(rng, 100, 120)
    app = GridApp()
    async with app.run_test(size=(40, 12)) as pilot:
        grid = app.query_one(GridView)
        for cursor in [(80, 90), (99, 119), (0, 0), (50, 3)]:
            grid.set_cells(colors, cursor=cursor)
            await pilot.pause()
            region = grid.cell_region(*cursor)
            assert region is not None, cursor
            cw, ch = grid.cell_size
            assert region.width == cw and region.height == ch  # wholly visible
            assert grid.cell_at(region.x, region.y) == cursor
            _, style = cells_of(grid.render_line(region.y))[region.x]
            assert style.reverse or grid.render_line(region.y).text[region.x] == "["
        # Moving the cursor one step scrolls by at most one cell.
        grid.set_cells(colors, cursor=(50, 3))
        await pilot.pause()
        before = grid.scroll_offset_cells
        grid.set_cells(colors, cursor=(50, 4))
        await pilot.pause()
        after = grid.scroll_offset_cells
        assert abs(after[0] - before[0]) <= 1 and abs(after[1] - before[1]) <= 1


async def test_cell_at_outside_the_grid_is_none():
    app = GridApp()
    async with app.run_test(size=(40, 12)) as pilot:
        grid = app.query_one(GridView)
        assert grid.cell_at(0, 0) is None  # empty
        grid.set_cells(np.zeros((2, 2, 3), dtype=np.uint8))
        await pilot.pause()
        assert grid.cell_at(-1, 0) is None and grid.cell_at(40, 0) is None
        assert grid.cell_at(0, 0) is None  # the small grid is centred
        region = grid.cell_region(1, 1)
        assert region is not None
        assert grid.cell_at(region.right, region.bottom) is None


@pytest.mark.parametrize("size", [(0, 0), (10, 3), (200, 60)])
@pytest.mark.parametrize("shape", [(0, 0), (1, 1), (7, 9), (300, 300)])
async def test_any_size_and_empty_data_render(size, shape):
    rng = np.random.default_rng(4)
    app = GridApp(width=str(size[0]), height=str(size[1]))
    async with app.run_test(size=(200, 60)) as pilot:
        grid = app.query_one(GridView)
        texts = [["ab"] * shape[1] for _ in range(shape[0])] if shape[0] else None
        cursor = (shape[0] - 1, shape[1] - 1) if shape[0] else None
        grid.set_cells(random_colors(rng, *shape), texts=texts, cursor=cursor)
        await pilot.pause()
        assert tuple(grid.size) == size
        for y in range(size[1]):
            assert grid.render_line(y).cell_length == size[0]
        app.export_screenshot()
        grid.clear()
        await pilot.pause()
        app.export_screenshot()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"colors": np.zeros((2, 2, 4))},
        {"colors": np.zeros((2, 2), dtype=int)},  # indices without a palette
        {"colors": np.array([[0, 5]]), "palette": np.zeros((2, 3))},
        {"colors": np.zeros((2, 2, 3)), "texts": [["a"]]},
        {"colors": np.zeros((2, 2, 3)), "cursor": (2, 0)},
        {"colors": np.zeros((2, 2, 3)), "cursor": 3},
        {"colors": np.zeros((2, 2, 3)), "marks": [(5, 5)]},
        {"colors": np.full((1, 1, 3), 300.0)},
        {"colors": np.zeros(5)},
    ],
)
async def test_bad_input_raises_value_error_and_keeps_the_old_grid(kwargs):
    app = GridApp()
    async with app.run_test(size=(40, 12)) as pilot:
        grid = app.query_one(GridView)
        grid.set_cells(np.full((3, 3, 3), 128, dtype=np.uint8), texts=[["a"] * 3] * 3)
        await pilot.pause()
        before = [grid.render_line(y).text for y in range(12)]
        with pytest.raises(ValueError):
            grid.set_cells(**kwargs)
        await pilot.pause()
        assert grid.grid_shape == (3, 3)
        assert [grid.render_line(y).text for y in range(12)] == before

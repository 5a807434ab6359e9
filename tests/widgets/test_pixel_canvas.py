"""PixelCanvas: colours per half-block, runs, changed-row refreshes, overlays, coordinates, mono mode."""

from __future__ import annotations

import numpy as np
import pytest
from textual.app import App, ComposeResult

from tui import palette
from tui.widgets.pixel_canvas import PixelCanvas, arrow_head


class CanvasApp(App):
    def __init__(self, **kw) -> None:
        super().__init__()
        self.kw = kw

    def compose(self) -> ComposeResult:
        yield PixelCanvas(**self.kw)


def rgb(color) -> tuple[int, int, int]:
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def cell_colors(canvas: PixelCanvas, row: int) -> list[tuple]:
    """(char, fg, bg) per cell of a rendered row."""
    out = []
    for seg in canvas.render_line(row):
        for ch in seg.text:
            style = seg.style
            fg = rgb(style.color) if style and style.color else None
            bg = rgb(style.bgcolor) if style and style.bgcolor else None
            out.append((ch, fg, bg))
    return out


async def test_heatmap_colours_match_quantised_palette():
    app = CanvasApp(equal_aspect=False)
    async with app.run_test(size=(30, 10)) as pilot:
        canvas = app.query_one(PixelCanvas)
        pal = palette.diverging(levels=16)
        canvas.set_palette(pal)
        w, h = canvas.pixel_size
        assert (w, h) == (30, 20)
        rng = np.random.default_rng(0)
        values = rng.uniform(0, 1, (h, w))
        canvas.set_heatmap(values)
        canvas.flush()
        levels = np.clip((values * 16).astype(int), 0, 15)  # independent quantisation
        for row in (0, 4, 9):
            cells = cell_colors(canvas, row)
            assert len(cells) == w
            for col, (ch, fg, bg) in enumerate(cells):
                top = tuple(int(v) for v in pal[levels[2 * row, col]])
                bottom = tuple(int(v) for v in pal[levels[2 * row + 1, col]])
                if ch == " ":
                    assert top == bottom and bg == top
                else:
                    assert ch == "▀" and fg == top and bg == bottom


async def test_equal_cells_merge_into_one_segment():
    app = CanvasApp()
    async with app.run_test(size=(40, 6)) as pilot:
        canvas = app.query_one(PixelCanvas)
        w, h = canvas.pixel_size
        canvas.set_heatmap(np.full((h, w), 0.5))
        canvas.flush()
        assert len(list(canvas.render_line(2))) == 1


async def _zero_canvas(app: CanvasApp, pilot) -> tuple[PixelCanvas, np.ndarray]:
    """The app's canvas showing an all-zero heat map, drawn once; and those values."""
    canvas = app.query_one(PixelCanvas)
    w, h = canvas.pixel_size
    values = np.zeros((h, w))
    canvas.set_heatmap(values)
    canvas.flush()
    await pilot.pause()
    return canvas, values


async def test_only_changed_rows_refresh():
    app = CanvasApp()
    async with app.run_test(size=(40, 12)) as pilot:
        canvas, values = await _zero_canvas(app, pilot)
        before = canvas.rows_refreshed
        values = values.copy()
        values[7, 3:9] = 1.0  # pixel row 7 -> cell row 3
        canvas.set_heatmap(values)
        canvas.flush()
        assert canvas.rows_refreshed - before == 1
        assert canvas._strips[3] is None  # rebuilt on next render
        assert all(s is not None for i, s in enumerate(canvas._strips) if i != 3 and s is not None)
        # nothing changed -> nothing refreshed
        canvas.set_heatmap(values)
        canvas.flush()
        assert canvas.rows_refreshed - before == 1


async def test_points_land_on_their_cells_with_class_glyphs():
    app = CanvasApp(extent=(-1, 1, -1, 1))
    async with app.run_test(size=(40, 20)) as pilot:
        canvas = app.query_one(PixelCanvas)
        pts = np.array([[0.0, 0.0], [0.5, -0.5], [-0.9, 0.9], [5.0, 5.0]])
        canvas.set_points(pts, np.array([0, 1, 2, 0]))
        canvas.flush()
        for (x, y), k in zip(pts[:3], (0, 1, 2)):
            col, row = canvas.data_to_cell(x, y)
            ch, fg, _ = cell_colors(canvas, row)[col]
            assert ch == palette.class_glyph(k)
            assert fg == palette.class_color(k)


async def test_coordinates_round_trip_and_equal_aspect():
    app = CanvasApp(extent=(-1, 1, -1, 1))
    async with app.run_test(size=(60, 20)) as pilot:
        canvas = app.query_one(PixelCanvas)
        xmin, xmax, ymin, ymax = canvas.extent
        w, h = canvas.pixel_size
        # square pixels: same data span per pixel on both axes, and the asked box is inside
        assert (xmax - xmin) / w == pytest.approx((ymax - ymin) / h)
        assert xmin <= -1 and xmax >= 1 and ymin <= -1 and ymax >= 1
        for col, row in [(0, 0), (10, 5), (59, 19)]:
            assert canvas.data_to_cell(*canvas.cell_to_data(col, row)) == (col, row)


async def test_lines_ink_pixels_and_arrow_heads():
    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(20, 10)) as pilot:
        canvas = app.query_one(PixelCanvas)
        canvas.add_line(-1, 0.01, 1, 0.01, color=(255, 0, 0))
        canvas.flush()
        px, py = canvas.data_to_pixel(0, 0.01)
        inked = np.flatnonzero(canvas._ink[py] >= 0)
        assert len(inked) >= 19
        canvas.add_arrow(0, 0, 0.5, 0.5)
        canvas.flush()
        col, row = canvas.data_to_cell(0.5, 0.5)
        assert cell_colors(canvas, row)[col][0] == "↗"
        canvas.clear_ink()
        canvas.flush()
        assert (canvas._ink < 0).all()


async def test_dashed_lines_ink_every_other_run_of_pixels():
    app = CanvasApp(extent=(0, 1, 0, 1), equal_aspect=False)
    async with app.run_test(size=(10, 10)) as pilot:
        canvas = app.query_one(PixelCanvas)
        col = 4
        x = canvas.cell_to_data(col, 0)[0]
        canvas.add_line(x, 1.0, x, 0.0, dash=2)
        rows = np.flatnonzero(canvas._ink[:, col] >= 0)
        other = canvas.cell_to_data(7, 0)[0]  # a solid line on another column inks every pixel
        canvas.add_line(other, 1.0, other, 0.0)
        assert (canvas._ink[:, 7] >= 0).sum() == 20
        # 20 pixels from the top: on 0–1, off 2–3, on 4–5, …
        assert rows.tolist() == [r for r in range(20) if (r // 2) % 2 == 0]


def test_arrow_head_directions():
    assert arrow_head(1, 0) == "→"
    assert arrow_head(0, 1) == "↑"
    assert arrow_head(-1, -1) == "↙"


async def test_monochrome_uses_shades_and_ascii_glyphs(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(20, 10)) as pilot:
        assert app.no_color
        canvas = app.query_one(PixelCanvas)
        w, h = canvas.pixel_size
        values = np.tile(np.linspace(0, 1, w), (h, 1))
        canvas.set_heatmap(values)
        canvas.set_points(np.array([[0.0, 0.0]]), np.array([1]))
        canvas.flush()
        text = canvas.row_text(1)
        assert text[0] == palette.SHADES[0] and text[-1] == palette.SHADES[-1]
        col, row = canvas.data_to_cell(0, 0)
        assert canvas.row_text(row)[col] == palette.class_glyph(1, ascii_only=True)


async def test_cursor_and_labels():
    app = CanvasApp()
    async with app.run_test(size=(30, 10)) as pilot:
        canvas = app.query_one(PixelCanvas)
        canvas.set_cell_label(2, 1, "hello")
        canvas.set_cursor((5, 5))
        canvas.flush()
        assert canvas.row_text(1)[2:7] == "hello"
        assert canvas.row_text(5)[5] == "┼"
        canvas.set_cursor(None)
        canvas.clear_labels()
        canvas.flush()
        assert "hello" not in canvas.row_text(1)


@pytest.mark.parametrize("size", [(1, 1), (10, 3), (200, 60)])
async def test_any_size(size):
    app = CanvasApp()
    async with app.run_test(size=size) as pilot:
        canvas = app.query_one(PixelCanvas)
        canvas.set_heatmap(np.random.default_rng(1).uniform(size=(7, 9)))
        canvas.set_points(np.array([[np.nan, 0.0], [0.0, 0.0]]), np.array([0, 1]))
        canvas.add_arrow(-2, -2, 2, 2)
        canvas.flush()
        await pilot.pause()
        for y in range(canvas.size.height):
            assert canvas.render_line(y).cell_length == canvas.size.width


class ClickApp(CanvasApp):
    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.clicks: list[tuple[float, float, bool]] = []

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        self.clicks.append((event.x, event.y, event.drag))


async def test_click_reports_data_coordinates():
    app = ClickApp(extent=(-1, 1, -1, 1))
    async with app.run_test(size=(40, 20)) as pilot:
        canvas = app.query_one(PixelCanvas)
        await pilot.click(PixelCanvas, offset=(20, 10))
        await pilot.pause()
        assert app.clicks, "a click posts PixelCanvas.Clicked"
        x, y, drag = app.clicks[0]
        assert canvas.data_to_cell(x, y) == (20, 10) and not drag


async def test_new_ink_colours_keep_heat_colours_right():
    """Adding an ink colour renumbers the colour codes; cached segments must not keep old colours."""
    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(20, 10)) as pilot:
        canvas = app.query_one(PixelCanvas)
        pal = palette.sequential(8)
        canvas.set_palette(pal)
        w, h = canvas.pixel_size
        values = np.full((h, w), 1.5 / 8)  # level 1 everywhere ...
        values[3] = 0.0  # ... but the bottom pixel of cell row 1 is level 0
        canvas.set_heatmap(values)
        canvas.flush()
        cell_colors(canvas, 0)  # caches the segment of (top 1, bottom 1)
        canvas.add_line(-1, -0.95, 1, -0.95, color=(255, 0, 0))
        canvas.add_line(-1, -0.85, 1, -0.85, color=(0, 255, 0))  # a second ink renumbers the codes
        canvas.flush()
        level = [tuple(int(v) for v in pal[k]) for k in (0, 1)]
        for ch, fg, bg in cell_colors(canvas, 1):
            assert (ch, fg, bg) == ("▀", level[1], level[0])
        for ch, fg, bg in cell_colors(canvas, 0):
            assert (ch, bg) == (" ", level[1])


async def test_skipping_the_truecolor_filter_changes_nothing_drawn():
    """The canvas leaves out Textual's ANSI→truecolor filter (a third of a full-change frame) because
    every colour it draws is already RGB: applying the filter to its lines must give the same lines."""
    from textual.filter import ANSIToTruecolor
    from textual.color import Color

    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(40, 12)) as pilot:
        canvas = app.query_one(PixelCanvas)
        app_filters = app.get_line_filters()
        assert any(isinstance(f, ANSIToTruecolor) for f in app_filters)  # else this test proves nothing
        assert not any(isinstance(f, ANSIToTruecolor) for f in canvas.get_line_filters())
        w, h = canvas.pixel_size
        canvas.set_heatmap(np.random.default_rng(0).random((h, w)))
        canvas.set_points(np.array([[0.0, 0.0], [0.5, -0.5]]), np.array([0, 1]))
        canvas.add_arrow(-0.8, -0.8, 0.3, 0.6)
        canvas.set_cell_label(1, 1, "label")
        canvas.set_cursor((3, 4))
        canvas.flush()
        truecolor = next(f for f in app_filters if isinstance(f, ANSIToTruecolor))
        for y in range(canvas.size.height):
            strip = canvas.render_line(y)
            filtered = truecolor.apply(list(strip), Color(10, 20, 30))
            assert [(s.text, s.style) for s in filtered] == [(s.text, s.style) for s in strip]


async def test_monochrome_filter_still_applies(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = CanvasApp()
    async with app.run_test(size=(20, 10)):
        canvas = app.query_one(PixelCanvas)
        app_kinds = [type(f) for f in app.get_line_filters() if f.enabled]
        kinds = [type(f) for f in canvas.get_line_filters() if f.enabled]
        assert kinds and set(kinds) <= set(app_kinds)
        assert any(k.__name__ in ("Monochrome", "NoColor") for k in kinds)


def _scene(canvas: PixelCanvas, seed: int) -> None:
    w, h = canvas.pixel_size
    canvas.set_heatmap(np.random.default_rng(seed).random((h, w)))
    canvas.set_points(np.array([[0.0, 0.0], [0.5, -0.5]]), np.array([0, 1]))
    canvas.add_arrow(-0.8, -0.8, 0.3, 0.6)
    canvas.set_cell_label(1, 1, "label")
    canvas.flush()


def _textual_path(canvas: PixelCanvas, crop) -> list[str]:
    """The lines as Textual's own render_widget makes them, as terminal text."""
    from textual.widget import Widget

    canvas._styles_cache.clear()
    return [strip.render(canvas.app.console) for strip in Widget.render_lines(canvas, crop)]


@pytest.mark.parametrize("system", ["truecolor", "256"])
async def test_plain_render_path_writes_what_textual_would(system):
    """render_lines hands the canvas's own strips (with their terminal text made from per-run caches)
    to the compositor: the text must be what Textual's styling path writes, for whole lines and for
    cropped ones, frame after frame, and in a 256-colour terminal too."""
    from rich.color import ColorSystem
    from textual.geometry import Region

    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(40, 12)) as pilot:
        if system == "256":
            app.console._color_system = ColorSystem.EIGHT_BIT
        canvas = app.query_one(PixelCanvas)
        w, h = canvas.size
        assert canvas._is_plain()
        for seed in range(3):
            _scene(canvas, seed)
            for crop in (Region(0, 0, w, h), Region(3, 1, 20, 4), Region(0, 5, w, 1)):
                ours = canvas.render_lines(crop)
                if crop.size == canvas.size:  # every row comes with its terminal text made
                    assert all(s._render_cache is not None for s in ours) and canvas._glyph_rows
                assert [s.render(app.console) for s in ours] == _textual_path(canvas, crop)


async def test_styled_canvas_takes_textuals_path_and_back():
    """A border (or any restyling) makes the canvas use Textual's path; taking it away again must not
    show lines Textual cached before the plain path drew newer ones."""
    from textual.geometry import Region

    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(40, 12)) as pilot:
        canvas = app.query_one(PixelCanvas)
        canvas.styles.border = ("round", "white")
        await pilot.pause()
        assert not canvas._is_plain()
        _scene(canvas, 0)
        region = Region(0, 0, *canvas.outer_size)
        bordered = canvas.render_lines(region)
        assert bordered[0].text.startswith("╭")
        canvas.styles.border = None
        await pilot.pause()
        assert canvas._is_plain()
        _scene(canvas, 1)
        w, h = canvas.size
        plain = [s.render(app.console) for s in canvas.render_lines(Region(0, 0, w, h))]
        canvas.styles.tint = "red 10%"
        await pilot.pause()
        assert not canvas._is_plain()
        tinted = [s.render(app.console) for s in canvas.render_lines(Region(0, 0, w, h))]
        assert tinted != plain  # the tint applies to the newest scene …
        canvas.styles.tint = "red 0%"
        _scene(canvas, 2)
        newest = [s.render(app.console) for s in canvas.render_lines(Region(0, 0, w, h))]
        assert newest == _textual_path(canvas, Region(0, 0, w, h))  # … and no stale line survives


async def test_rows_that_changed_almost_everywhere_refresh_whole():
    app = CanvasApp(equal_aspect=False)
    async with app.run_test(size=(40, 6)) as pilot:
        canvas, values = await _zero_canvas(app, pilot)
        regions = []
        canvas.refresh = lambda *r, **kw: regions.extend(r)  # type: ignore[method-assign]
        values = values.copy()
        values[0, :] = 1.0
        values[0, 10:12] = 0.0  # row 0: 38 of 40 cells change, with a gap in the middle
        values[2, 5:8] = 1.0  # row 1: three cells change
        values[4, ::8] = 1.0  # row 2: five scattered cells
        canvas.set_heatmap(values, 0.0, 1.0)
        canvas.flush()
        by_row = {}
        for r in regions:
            by_row.setdefault(r.y, []).append((r.x, r.width))
        assert by_row[0] == [(0, 40)]
        assert by_row[1] == [(5, 3)]
        assert by_row[2] == [(0, 1), (8, 1), (16, 1), (24, 1), (32, 1)]


async def test_canvas_strip_crops_like_textuals_crop():
    """The canvas's own crop (slices of its runs) must give what Textual's generic Strip.crop gives,
    cell for cell and in terminal text, for every span of a row with runs, glyphs and labels."""
    from textual.geometry import Region
    from textual.strip import Strip

    app = CanvasApp(extent=(-1, 1, -1, 1), equal_aspect=False)
    async with app.run_test(size=(24, 8)) as pilot:
        canvas = app.query_one(PixelCanvas)
        canvas.set_palette(palette.sequential(4))  # few levels: long runs to cut inside
        _scene(canvas, 5)
        w, h = canvas.size
        canvas.render_lines(Region(0, 0, w, h))  # learns the colour system
        canvas._strips = [None] * h
        checked = 0
        for y in range(h):
            ours = canvas.render_line(y)
            generic = Strip(list(ours), w)
            for start in range(w + 1):
                for end in range(start, w + 2):
                    a, b = ours.crop(start, end), Strip.crop(generic, start, end)
                    assert [(s.text, s.style) for s in a] == [(s.text, s.style) for s in b], (y, start, end)
                    assert a.cell_length == b.cell_length
                    assert a.render(app.console) == b.render(app.console)
                    if end - start > 2 and hasattr(a, "_bounds"):  # and crops of crops
                        c, d = a.crop(1, end - start - 1), Strip.crop(b, 1, end - start - 1)
                        assert c.render(app.console) == d.render(app.console)
                    checked += 1
        assert checked > 1000 and canvas._glyph_rows


def test_canvas_strip_sets_every_slot_a_strip_has():
    """_CanvasStrip skips Strip.__init__ (seven caches per row, never read); if a Textual upgrade adds
    a slot, this fails instead of an AttributeError deep in the compositor."""
    from textual.strip import Strip
    from tui.widgets.pixel_canvas import _CanvasStrip

    strip = _CanvasStrip(None, [], 0, [0], [], None)  # type: ignore[arg-type]
    for cls in Strip.__mro__:
        for slot in getattr(cls, "__slots__", ()):
            getattr(strip, slot)
    from rich.console import Console

    assert strip.crop(0, 0).cell_length == 0 and strip.render(Console()) == ""

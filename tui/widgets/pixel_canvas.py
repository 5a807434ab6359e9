"""PixelCanvas: half-block heat maps and scenes, drawn through Textual's Line API.

Each terminal cell shows two square-ish pixels (``▀`` with a foreground colour for the top pixel and a
background colour for the bottom one). The canvas keeps three layers:

* **pixels** — an int array ``(2·rows, cols)`` of colour codes: heat-map levels from a quantised palette
  (≤ 64 levels), plus "ink" codes for lines drawn on top;
* **glyphs** — a few cells drawn as characters on top of the pixels: data points with class glyphs,
  arrow heads, text labels and the cursor.

Drawing is cheap because nothing is built per cell: a row is cut into runs of equal cells and each run
becomes one cached ``Segment``; only rows (and within them, the column spans) that changed are
refreshed, so the terminal receives only what changed. In monochrome mode (``app.no_color``) each
cell becomes one shading character and points become ASCII class glyphs.

Mutators (``set_heatmap``, ``set_points``, ``clear_ink``, ``add_line`` …) only update the layers; the
changes are pushed to the screen once, after the current message (``call_next``), or at once with
``flush()``.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from operator import itemgetter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.filter import ANSIToTruecolor, LineFilter
from textual.strip import Strip
from textual.widget import Widget

from tui import palette
from tui.widgets.drawing import rgb_style

RGB = tuple[int, int, int]
MAX_LEVELS = 64  # palette levels: codes [0, levels) are heat, [MAX_LEVELS, ...) are ink colours
_UPPER_HALF = "▀"


def _mono_style(bold: bool, reverse: bool) -> Style:
    return rgb_style(bold=bold, reverse=reverse)


@dataclass(frozen=True)
class Glyph:
    """A character drawn in one cell on top of the pixels."""

    char: str
    color: RGB = palette.HIGHLIGHT
    bold: bool = False
    reverse: bool = False
    mono_char: str | None = None  # what to draw in monochrome mode (default: ``char``)


_ARROWS = "→↗↑↖←↙↓↘"


def arrow_head(dx: float, dy: float) -> str:
    """The arrow character pointing along ``(dx, dy)`` (y up), in one of eight directions."""
    angle = math.atan2(dy, dx)
    return _ARROWS[int(round(angle / (math.pi / 4))) % 8]


class PixelCanvas(Widget):
    """A heat-map and scene canvas with half-block pixels, overlays and a data coordinate system."""

    DEFAULT_CSS = """
    PixelCanvas {
        width: 1fr;
        height: 1fr;
        min-width: 4;
        min-height: 2;
    }
    """

    class Clicked(Message):
        """The mouse was pressed (or dragged with a button down) over the canvas."""

        def __init__(self, canvas: PixelCanvas, x: float, y: float, button: int, drag: bool) -> None:
            super().__init__()
            self.canvas = canvas
            self.x = x  # data coordinates
            self.y = y
            self.button = button
            self.drag = drag

        @property
        def control(self) -> PixelCanvas:
            return self.canvas

    def __init__(
        self,
        extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0),
        *,
        equal_aspect: bool = True,
        background: RGB = palette.NEUTRAL,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._data_extent = tuple(float(v) for v in extent)
        self.equal_aspect = equal_aspect
        self._background = background
        self._palette: np.ndarray = palette.sequential(MAX_LEVELS)
        self._inks: list[RGB] = []
        self._ink_index: dict[RGB, int] = {}
        self._heat = np.zeros((0, 0), dtype=np.int32)  # heat codes, shape (2*rows, cols)
        self._ink = np.full((0, 0), -1, dtype=np.int32)  # ink codes or -1, same shape
        self._glyphs: dict[tuple[int, int], Glyph] = {}
        self._points_glyphs: dict[tuple[int, int], Glyph] = {}
        self._labels: dict[tuple[int, int], Glyph] = {}
        self._cursor: tuple[int, int] | None = None
        self._shown_codes = np.zeros((0, 0), dtype=np.int64)  # composed (rows, cols) as drawn
        self._shown_glyphs: dict[tuple[int, int], Glyph] = {}
        self._strips: list[Strip | None] = []
        self._flush_pending = False
        self._heat_source: tuple[np.ndarray, float, float] | None = None
        self.frames_flushed = 0
        self.rows_refreshed = 0
        self._extent = self._data_extent
        self._color_lut: np.ndarray | None = None
        self._segment_cache: dict[tuple, Segment] = {}  # glyph cells
        self._run_cache: dict[int, Segment] = {}  # runs of equal cells, by _run_key
        self._ansi_cache: dict[int, str] = {}  # the same runs as terminal text, by _run_key
        self._glyph_text_cache: dict[tuple, str] = {}  # glyph cells as terminal text
        self._color_system: ColorSystem | None = None  # the one _ansi_cache was made for
        self._bypassed_styles_cache = False  # render_lines took the plain path since the last fallback
        self._when_sized: Callable[[], object] | None = None
        self._mono = False
        self._glyph_rows: dict[int, list[int]] = {}

    # ------------------------------------------------------------------ geometry
    @property
    def pixel_size(self) -> tuple[int, int]:
        """(width, height) in pixels: one column and two pixels per cell."""
        return self.size.width, 2 * self.size.height

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """The data box shown (xmin, xmax, ymin, ymax), widened to keep pixels square if asked."""
        return self._extent

    def set_extent(self, xmin: float, xmax: float, ymin: float, ymax: float) -> None:
        """Show the data box ``[xmin, xmax] × [ymin, ymax]`` (widened on one axis if equal_aspect)."""
        if not (xmax > xmin and ymax > ymin):
            raise ValueError("extent needs xmax > xmin and ymax > ymin")
        self._data_extent = (float(xmin), float(xmax), float(ymin), float(ymax))
        self._update_extent()

    def _update_extent(self) -> None:
        xmin, xmax, ymin, ymax = self._data_extent
        w, h = self.pixel_size
        if self.equal_aspect and w > 0 and h > 0:
            span_x, span_y = xmax - xmin, ymax - ymin
            if span_x / w < span_y / h:  # widen x
                half = span_y / h * w / 2
                mid = (xmin + xmax) / 2
                xmin, xmax = mid - half, mid + half
            else:
                half = span_x / w * h / 2
                mid = (ymin + ymax) / 2
                ymin, ymax = mid - half, mid + half
        self._extent = (xmin, xmax, ymin, ymax)

    def pixel_centers(self) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates of pixel centres: xs (width,), ys (height,) with ys[0] the top row."""
        xmin, xmax, ymin, ymax = self._extent
        w, h = self.pixel_size
        xs = xmin + (np.arange(w) + 0.5) * (xmax - xmin) / max(w, 1)
        ys = ymax - (np.arange(h) + 0.5) * (ymax - ymin) / max(h, 1)
        return xs, ys

    def data_to_pixel(self, x: float, y: float) -> tuple[int, int]:
        """Data (x, y) -> pixel (px, py), py counted from the top; may lie outside."""
        xmin, xmax, ymin, ymax = self._extent
        w, h = self.pixel_size
        px = math.floor((x - xmin) / (xmax - xmin) * w) if w else 0
        py = math.floor((ymax - y) / (ymax - ymin) * h) if h else 0
        return px, py

    def data_to_cell(self, x: float, y: float) -> tuple[int, int]:
        """Data (x, y) -> cell (col, row); may lie outside."""
        px, py = self.data_to_pixel(x, y)
        return px, py // 2

    def cell_to_data(self, col: int, row: int) -> tuple[float, float]:
        """The data coordinates of the centre of cell (col, row)."""
        xmin, xmax, ymin, ymax = self._extent
        w, h = self.pixel_size
        x = xmin + (col + 0.5) * (xmax - xmin) / max(w, 1)
        y = ymax - (2 * row + 1) * (ymax - ymin) / max(h, 1)
        return x, y

    # ------------------------------------------------------------------ layers
    def set_palette(self, colors: np.ndarray) -> None:
        """Use ``colors`` (levels × 3 uint8, levels ≤ 64) for heat maps."""
        colors = np.asarray(colors, dtype=np.uint8)
        if colors.ndim != 2 or colors.shape[1] != 3 or not 2 <= len(colors) <= MAX_LEVELS:
            raise ValueError(f"a palette is (levels, 3) with 2..{MAX_LEVELS} levels")
        self._palette = colors
        self._invalidate_colors()
        self._strips = [None] * len(self._strips)
        if self._heat_source is not None:
            self.set_heatmap(*self._heat_source)
        self._schedule_flush(full=True)

    def set_heatmap(self, values: np.ndarray, vmin: float = 0.0, vmax: float = 1.0) -> None:
        """Show ``values`` (any 2-D shape; row 0 at the top) as a heat map between vmin and vmax.

        Values are resampled (nearest) to the pixel grid and quantised to the palette's levels.
        NaN draws as the lowest level.
        """
        values = np.asarray(values)
        if values.ndim != 2:
            raise ValueError("a heat map is a 2-D array")
        self._heat_source = (values, vmin, vmax)
        w, h = self.pixel_size
        if w == 0 or h == 0 or values.size == 0:
            return
        if values.shape != (h, w):
            ri = (np.arange(h) * values.shape[0] // h).clip(0, values.shape[0] - 1)
            ci = (np.arange(w) * values.shape[1] // w).clip(0, values.shape[1] - 1)
            values = values[np.ix_(ri, ci)]
        levels = len(self._palette)
        span = (vmax - vmin) or 1.0
        scaled = (values - vmin) * (levels / span)
        scaled = np.nan_to_num(scaled, nan=0.0, posinf=levels - 1, neginf=0.0)
        self._heat = np.clip(scaled, 0, levels - 1).astype(np.int32)
        self._schedule_flush()

    def _invalidate_colors(self) -> None:
        """Codes map to new colours (new palette or a new ink): drop every cached colour and segment."""
        self._color_lut = None
        self._segment_cache.clear()
        self._run_cache.clear()
        self._ansi_cache.clear()
        self._glyph_text_cache.clear()

    def _ink_code(self, color: RGB) -> int:
        code = self._ink_index.get(color)
        if code is None:
            code = MAX_LEVELS + len(self._inks)
            self._inks.append(color)
            self._ink_index[color] = code
            self._invalidate_colors()
        return code

    def clear_ink(self) -> None:
        """Remove all lines and arrows."""
        self._ensure_buffers()
        self._ink.fill(-1)
        self._glyphs.clear()
        self._schedule_flush()

    def add_line(
        self, x0: float, y0: float, x1: float, y1: float, color: RGB = palette.HIGHLIGHT, dash: int = 0
    ) -> None:
        """Draw a line in data coordinates at pixel resolution (clipped to the canvas).

        ``dash > 0`` draws it dashed: runs of ``dash`` pixels on, ``dash`` off, from (x0, y0).
        """
        self._ensure_buffers()
        h, w = self._ink.shape
        if w == 0 or h == 0:
            return
        p0 = self.data_to_pixel(x0, y0)
        p1 = self.data_to_pixel(x1, y1)
        n = int(max(abs(p1[0] - p0[0]), abs(p1[1] - p0[1]))) + 1
        n = min(n, 4 * (w + h))
        px = np.rint(np.linspace(p0[0], p1[0], n)).astype(np.int64)
        py = np.rint(np.linspace(p0[1], p1[1], n)).astype(np.int64)
        keep = (px >= 0) & (px < w) & (py >= 0) & (py < h)
        if dash > 0:
            keep &= (np.arange(n) // int(dash)) % 2 == 0
        self._ink[py[keep], px[keep]] = self._ink_code(color)
        self._schedule_flush()

    def add_polyline(self, xs: np.ndarray, ys: np.ndarray, color: RGB = palette.HIGHLIGHT) -> None:
        """Draw the path through the points ``(xs[i], ys[i])`` in data coordinates, all segments at once.

        Each segment is inked exactly as :meth:`add_line` would ink it, but vectorised, so a path of
        thousands of points (a curve, an optimiser's trail) costs about one call. A non-finite point
        breaks the path: the segments on either side of it are left out.
        """
        self._ensure_buffers()
        h, w = self._ink.shape
        xs = np.asarray(xs, dtype=float).reshape(-1)
        ys = np.asarray(ys, dtype=float).reshape(-1)
        if xs.shape != ys.shape:
            raise ValueError(f"a polyline needs as many x as y values, got {len(xs)} and {len(ys)}")
        if w == 0 or h == 0 or len(xs) < 2:
            return
        xmin, xmax, ymin, ymax = self._extent
        with np.errstate(all="ignore"):
            px = np.floor((xs - xmin) / (xmax - xmin) * w)
            py = np.floor((ymax - ys) / (ymax - ymin) * h)
        ok = np.isfinite(px) & np.isfinite(py)
        ok = ok[:-1] & ok[1:]
        if not ok.any():
            return
        x0, y0, x1, y1 = _clip_segments(px[:-1][ok], py[:-1][ok], px[1:][ok], py[1:][ok], w, h)
        if not len(x0):
            return
        n = (np.maximum(np.abs(x1 - x0), np.abs(y1 - y0)).astype(np.int64) + 1).clip(1, 4 * (w + h))
        seg = np.repeat(np.arange(len(n)), n)
        first = np.cumsum(n) - n
        k = np.arange(int(n.sum())) - first[seg]
        div = np.maximum(n - 1, 1)
        # the same arithmetic as np.linspace(start, stop, n): start + k·((stop − start)/(n − 1))
        qx = np.rint(k * ((x1 - x0) / div)[seg] + x0[seg]).astype(np.int64)
        qy = np.rint(k * ((y1 - y0) / div)[seg] + y0[seg]).astype(np.int64)
        keep = (qx >= 0) & (qx < w) & (qy >= 0) & (qy < h)
        self._ink[qy[keep], qx[keep]] = self._ink_code(color)
        self._schedule_flush()

    def add_arrow(self, x0: float, y0: float, x1: float, y1: float, color: RGB = palette.HIGHLIGHT) -> None:
        """A line with an arrow head at (x1, y1)."""
        self.add_line(x0, y0, x1, y1, color)
        col, row = self.data_to_cell(x1, y1)
        self._glyphs[(row, col)] = Glyph(arrow_head(x1 - x0, y1 - y0), color, bold=True)

    def set_points(
        self,
        xy: np.ndarray,
        classes: np.ndarray,
        *,
        highlight: np.ndarray | None = None,
    ) -> None:
        """Data points, drawn as class glyphs in class colours (``highlight``: boolean mask drawn bold)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        classes = np.asarray(classes).astype(int).reshape(-1)
        self._points_glyphs = {}
        w, h = self.pixel_size
        if w == 0 or h == 0 or len(xy) == 0:
            self._schedule_flush()
            return
        xmin, xmax, ymin, ymax = self._extent
        with np.errstate(invalid="ignore"):
            cols = np.floor((xy[:, 0] - xmin) / (xmax - xmin) * w)
            rows = np.floor((ymax - xy[:, 1]) / (ymax - ymin) * h) // 2
        ok = np.isfinite(cols) & np.isfinite(rows)
        ok &= (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h // 2)
        for i in np.flatnonzero(ok):
            k = int(classes[i])
            bold = bool(highlight[i]) if highlight is not None else False
            self._points_glyphs[(int(rows[i]), int(cols[i]))] = _point_glyph(k, bold)
        self._schedule_flush()

    def set_label(self, x: float, y: float, text: str, color: RGB = palette.HIGHLIGHT) -> None:
        """Write ``text`` starting at the cell of data point (x, y)."""
        col, row = self.data_to_cell(x, y)
        self.set_cell_label(col, row, text, color)

    def set_cell_label(self, col: int, row: int, text: str, color: RGB = palette.HIGHLIGHT) -> None:
        """Write ``text`` starting at cell (col, row)."""
        for i, ch in enumerate(text):
            self._labels[(row, col + i)] = Glyph(ch, color, bold=True)
        self._schedule_flush()

    def clear_labels(self) -> None:
        self._labels.clear()
        self._schedule_flush()

    def set_cursor(self, cell: tuple[int, int] | None) -> None:
        """Show the cursor at cell (col, row), or hide it with None."""
        self._cursor = None if cell is None else (int(cell[1]), int(cell[0]))
        self._schedule_flush()

    # ------------------------------------------------------------------ composing and refreshing
    def _ensure_buffers(self) -> None:
        w, h = self.pixel_size
        if self._heat.shape != (h, w):
            self._heat = np.zeros((h, w), dtype=np.int32)
        if self._ink.shape != (h, w):
            self._ink = np.full((h, w), -1, dtype=np.int32)

    def _schedule_flush(self, full: bool = False) -> None:
        if full:
            self._shown_codes = np.zeros((0, 0), dtype=np.int64)
        if not self._flush_pending and self.is_attached:
            self._flush_pending = True
            self.call_next(self.flush)

    def _all_glyphs(self) -> dict[tuple[int, int], Glyph]:
        glyphs = dict(self._points_glyphs)
        glyphs.update(self._glyphs)
        glyphs.update(self._labels)
        if self._cursor is not None:
            under = glyphs.get(self._cursor)
            glyphs[self._cursor] = Glyph(
                under.char if under else "┼", palette.HIGHLIGHT, bold=True, reverse=True,
                mono_char=(under.mono_char if under else None) or "+",
            )
        return glyphs

    def _compose_codes(self) -> np.ndarray:
        """Composed colour codes per cell: top * K + bottom, shape (rows, cols)."""
        self._ensure_buffers()
        codes = np.where(self._ink >= 0, self._ink, self._heat).astype(np.int64)
        rows = codes.shape[0] // 2
        k = MAX_LEVELS + max(len(self._inks), 1)
        return codes[0 : 2 * rows : 2] * k + codes[1 : 2 * rows : 2]

    def flush(self) -> None:
        """Push pending changes to the screen, refreshing only the changed spans of rows."""
        self._flush_pending = False
        self._mono = self.app.no_color
        if self._heat_source is not None and self._heat.shape != (self.pixel_size[1], self.pixel_size[0]):
            self.set_heatmap(*self._heat_source)
            self._flush_pending = False
        codes = self._compose_codes()
        glyphs = self._all_glyphs()
        rows, cols = codes.shape
        prev = self._shown_codes
        self.frames_flushed += 1
        glyph_rows: dict[int, list[int]] = {}
        for r, c in glyphs:
            if 0 <= r < rows and 0 <= c < cols:
                glyph_rows.setdefault(r, []).append(c)
        self._glyph_rows = {r: sorted(cs) for r, cs in glyph_rows.items()}
        if prev.shape != codes.shape or len(self._strips) != rows:
            self._shown_codes = codes
            self._shown_glyphs = glyphs
            self._strips = [None] * rows
            self.rows_refreshed += rows
            self.refresh()
            return
        diff = codes != prev
        for cell in set(glyphs.items()) ^ set(self._shown_glyphs.items()):
            r, c = cell[0]
            if 0 <= r < rows and 0 <= c < cols:
                diff[r, c] = True
        self._shown_codes = codes
        self._shown_glyphs = glyphs
        # Spans of changed cells, for all rows at once: a span ends at a row's end or at a gap of more
        # than 6 unchanged cells (sending a short gap again is cheaper than moving the cursor).
        # A row that changed almost everywhere is sent whole: a few unchanged cells cost fewer bytes
        # and far less work than cutting the row into pieces.
        whole = diff.sum(axis=1) >= 0.8 * cols
        diff[whole] = True
        rr, xs = np.nonzero(diff)
        if len(xs):
            new_span = np.ones(len(xs), dtype=bool)
            new_span[1:] = (rr[1:] != rr[:-1]) | (xs[1:] - xs[:-1] > 6)
            first = np.flatnonzero(new_span)
            last = np.append(first[1:] - 1, len(xs) - 1)
            span_rows, span_starts, span_ends = rr[first].tolist(), xs[first].tolist(), xs[last].tolist()
            changed_rows = sorted(set(span_rows))
            for r in changed_rows:
                self._strips[r] = None
            self.rows_refreshed += len(changed_rows)
            self.refresh(*[Region(s, r, e - s + 1, 1) for r, s, e in zip(span_rows, span_starts, span_ends)])

    def on_resize(self, event: events.Resize) -> None:
        self._update_extent()
        self._strips = []
        self._schedule_flush(full=True)

    def on_mount(self) -> None:
        self._update_extent()
        self._schedule_flush(full=True)

    # ------------------------------------------------------------------ rendering
    def _lut(self) -> np.ndarray:
        if self._color_lut is None:
            colors = np.zeros((MAX_LEVELS + max(len(self._inks), 1), 3), dtype=np.uint8)
            colors[: len(self._palette)] = self._palette
            colors[len(self._palette) : MAX_LEVELS] = self._palette[-1]
            for i, ink in enumerate(self._inks):
                colors[MAX_LEVELS + i] = ink
            self._color_lut = colors
        return self._color_lut

    def _code_rgb(self, code: int) -> tuple[RGB, RGB]:
        k = MAX_LEVELS + max(len(self._inks), 1)
        lut = self._lut()
        t, b = divmod(int(code), k)
        return tuple(int(v) for v in lut[t]), tuple(int(v) for v in lut[b])  # type: ignore[return-value]

    def get_line_filters(self) -> list[LineFilter]:
        """The app's line filters minus ANSI→truecolor, which has nothing to do here.

        Every colour this canvas draws is an RGB triplet (``rgb_style``, never dim), so the filter
        would return each style unchanged — after a cache lookup and a new ``Segment`` per run, on
        every changed row: about a third of a full-change frame. Other filters (``NO_COLOR``'s
        monochrome, dimming) still apply.
        """
        return [f for f in super().get_line_filters() if not isinstance(f, ANSIToTruecolor)]

    def _is_plain(self) -> bool:
        """True when Textual's per-line styling would hand our strips through unchanged: no border,
        outline, padding, tint, opacity, hatch or line filter."""
        styles = self.styles
        if styles.gutter != (0, 0, 0, 0) or self.BLANK or self.get_line_filters():
            return False
        if any(edge for edge, _ in styles.outline) or styles.tint.a or self.opacity != 1.0:
            return False
        if styles.text_opacity != 1.0 or (styles.has_rule("hatch") and styles.hatch != "none"):
            return False
        return True

    def when_sized(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once, just before the canvas is first drawn at a real size: what it sets
        (a heat map, points…) is in that very frame. Without it the first picture comes a frame
        later, since a widget learns its size only as the frame that first shows it is made."""
        self._when_sized = callback

    def render_lines(self, crop: Region) -> list[Strip]:
        """Our own strips, straight to the compositor, when nothing would restyle them.

        Textual's ``render_widget`` wraps every line in a new ``Strip`` (losing the terminal text our
        strips carry, see ``_build_strip``) and renders it again segment by segment; for a plain canvas
        that work changes nothing. Anything else — a border, padding, opacity, a line filter such as
        NO_COLOR's monochrome — takes Textual's path. The two are tested to write the same text.
        The first call at a real size runs the ``when_sized`` callback first.
        """
        if self._when_sized is not None and self.size.area:
            callback, self._when_sized = self._when_sized, None
            callback()
            if self._flush_pending:
                self.flush()
        if not self._is_plain():
            if self._bypassed_styles_cache:  # its per-line cache missed what the plain path drew
                self._styles_cache.clear()
                self._bypassed_styles_cache = False
            return super().render_lines(crop)
        self._bypassed_styles_cache = True
        system = self.app.console._color_system or ColorSystem.TRUECOLOR
        if system != self._color_system:
            self._ansi_cache.clear()
            self._glyph_text_cache.clear()
            self._color_system = system
            self._strips = [None] * len(self._strips)
        strips = [self.render_line(y) for y in crop.line_range]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.size.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._strips) or y >= self._shown_codes.shape[0] or width == 0:
            return Strip.blank(width, self.rich_style)
        strip = self._strips[y]
        if strip is None:
            strip = self._build_strip(y)
            self._strips[y] = strip
        return strip

    def _build_strip(self, y: int) -> Strip:
        """Cut row ``y`` into runs of equal cells (each glyph cell a run of its own); each run is one
        cached Segment, and — once the terminal's colour system is known — one cached piece of text."""
        row = self._shown_codes[y]
        width = len(row)
        mono = self._mono
        breaks = np.empty(width + 1, dtype=bool)
        breaks[0] = breaks[width] = True
        np.not_equal(row[1:], row[:-1], out=breaks[1:width])
        glyph_cols = self._glyph_rows.get(y)
        if glyph_cols:
            cols = np.asarray(glyph_cols)
            breaks[cols] = True
            breaks[cols + 1] = True
        bounds = np.flatnonzero(breaks)
        starts = bounds[:-1]
        codes = row[starts]
        # One int key per run, looked up in bulk (itemgetter: one C call for the whole row).
        keys: list[int | None] = _run_keys(codes, np.diff(bounds), mono).tolist()
        pick = itemgetter(*keys) if len(keys) > 1 else (lambda d, k=keys[0]: (d[k],))
        try:
            segments = list(pick(self._run_cache))
        except KeyError:  # a run not seen before: make only what is missing
            get = self._run_cache.get
            segments = [get(k) or self._run_segment(k) for k in keys]
        texts: list[str] | None = None
        if self._color_system is not None:
            try:
                texts = list(pick(self._ansi_cache))
            except KeyError:
                get_text = self._ansi_cache.get
                texts = [get_text(k) or self._run_text(k) for k in keys]
        if glyph_cols:
            glyphs = self._shown_glyphs
            at = np.searchsorted(starts, cols)
            for i, col, code in zip(at.tolist(), glyph_cols, codes[at].tolist()):
                glyph = glyphs[(y, col)]
                segments[i] = self._glyph_segment(glyph, code, mono)
                keys[i] = None
                if texts is not None:
                    texts[i] = self._glyph_text(glyph, code, mono)
        return _CanvasStrip(self, segments, width, bounds.tolist(), keys, texts)

    def _run_segment(self, key: int) -> Segment:
        """The Segment of a run (key from ``_run_key``), made once and cached."""
        segment = self._run_cache.get(key)
        if segment is None:
            if len(self._run_cache) > 65536:
                self._run_cache.clear()
            code, length, mono = key >> _CODE_SHIFT, (key >> 1) & _LENGTH_MASK, key & 1
            if mono:
                segment = Segment(self._mono_char(code) * length, _mono_style(False, False))
            else:
                top, bottom = self._code_rgb(code)
                if top == bottom:
                    segment = Segment(" " * length, rgb_style(None, top))
                else:
                    segment = Segment(_UPPER_HALF * length, rgb_style(top, bottom))
            self._run_cache[key] = segment
        return segment

    def _run_text(self, key: int) -> str:
        """A run as terminal text for ``_color_system``, exactly as ``Strip.render`` writes it."""
        text = self._ansi_cache.get(key)
        if text is None:
            segment = self._run_segment(key)
            text = self._segment_text(segment)
            if len(self._ansi_cache) > 65536:
                self._ansi_cache.clear()
            self._ansi_cache[key] = text
        return text

    def _glyph_text(self, glyph: Glyph, code: int, mono: bool) -> str:
        key = (glyph, code, mono)
        text = self._glyph_text_cache.get(key)
        if text is None:
            text = self._segment_text(self._glyph_segment(glyph, code, mono))
            self._glyph_text_cache[key] = text
        return text

    def _segment_text(self, segment: Segment) -> str:
        """A segment as terminal text for ``_color_system``, exactly as ``Strip.render`` writes it."""
        assert self._color_system is not None
        if segment.style is None:
            return segment.text
        return Strip.render_style(segment.style, segment.text, self._color_system)

    def _glyph_segment(self, glyph: Glyph, code: int, mono: bool) -> Segment:
        key = (glyph, code, mono)
        segment = self._segment_cache.get(key)
        if segment is None:
            if mono:
                segment = Segment(glyph.mono_char or glyph.char, _mono_style(glyph.bold, glyph.reverse))
            else:
                top, bottom = self._code_rgb(code)
                bg = palette.blend(top, bottom, 0.5)
                segment = Segment(glyph.char, rgb_style(glyph.color, bg, bold=glyph.bold, reverse=glyph.reverse))
            self._segment_cache[key] = segment
        return segment

    def _mono_char(self, code: int) -> str:
        k = MAX_LEVELS + max(len(self._inks), 1)
        t, b = divmod(code, k)
        if t >= MAX_LEVELS or b >= MAX_LEVELS:
            return "·"
        levels = len(self._palette)
        v = (t + b) / 2 / max(levels - 1, 1)
        return palette.SHADES[min(int(v * len(palette.SHADES)), len(palette.SHADES) - 1)]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # ------------------------------------------------------------------ mouse
    def _post_click(self, event: events.MouseEvent, drag: bool) -> None:
        x, y = self.cell_to_data(event.x, event.y)
        self.post_message(self.Clicked(self, x, y, event.button, drag))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._post_click(event, drag=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if event.button:
            self._post_click(event, drag=True)

    # ------------------------------------------------------------------ text (tests, shots)
    def row_text(self, y: int) -> str:
        """The characters of row ``y`` as drawn (for tests)."""
        return self.render_line(y).text


_LENGTH_BITS = 16  # runs up to 65535 cells
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1
_CODE_SHIFT = _LENGTH_BITS + 1


class _NoCache:
    """Stands in for a Strip's FIFOCache: remembers nothing."""

    __slots__ = ()

    def get(self, key, default=None):
        return default

    def __setitem__(self, key, value) -> None:
        pass


_NO_CACHE = _NoCache()


class _CanvasStrip(Strip):
    """A canvas row that knows its runs, so cropping it (the compositor does, for every changed span
    of a row) takes a few slices and cached runs instead of Textual's walk over every segment, and
    the cropped strip keeps its terminal text made."""

    __slots__ = ("_canvas", "_bounds", "_keys", "_texts")

    def __init__(
        self,
        canvas: PixelCanvas,
        segments: list[Segment],
        width: int,
        bounds: list[int],
        keys: list[int | None],
        texts: list[str] | None,
    ) -> None:
        # Strip.__init__ makes seven small caches per strip; a canvas row is built, sent and dropped,
        # so its caches would never be read: they are all one shared cache that keeps nothing.
        self._segments = segments
        self._cell_length = width
        self._divide_cache = self._crop_cache = self._style_cache = self._filter_cache = _NO_CACHE
        self._line_length_cache = self._crop_extend_cache = self._offsets_cache = _NO_CACHE
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None
        self._canvas = canvas
        self._bounds = bounds  # run i covers cells [bounds[i], bounds[i + 1])
        self._keys = keys  # run key, or None for a glyph cell (one cell, never split)
        self._texts = texts
        if texts is not None:
            self._render_cache = "".join(texts)

    def crop(self, start: int, end: int | None = None) -> Strip:
        width = self.cell_length
        start = max(0, start)
        end = width if end is None else min(width, end)
        if start == 0 and end == width:
            return self
        if end <= start:
            return Strip([], 0)
        bounds = self._bounds
        first = bisect_right(bounds, start) - 1
        last = bisect_left(bounds, end) - 1  # the run holding cell end - 1
        keys = self._keys[first : last + 1]
        segments = self._segments[first : last + 1]
        texts = None if self._texts is None else self._texts[first : last + 1]
        canvas = self._canvas
        for i, run in ((0, first), (len(keys) - 1, last)):  # trim the runs at either edge
            key = keys[i]
            run_start, run_end = max(bounds[run], start), min(bounds[run + 1], end)
            if key is None or run_end - run_start == bounds[run + 1] - bounds[run]:
                continue
            key = _with_length(key, run_end - run_start)
            keys[i], segments[i] = key, canvas._run_segment(key)
            if texts is not None:
                texts[i] = canvas._run_text(key)
        cut = [b - start for b in bounds[first + 1 : last + 1]]
        return _CanvasStrip(canvas, segments, end - start, [0, *cut, end - start], keys, texts)


def _with_length(key: int, length: int) -> int:
    """A run key with its length changed."""
    return (key & ~(_LENGTH_MASK << 1)) | (length << 1)


def _run_key(code: int, length: int, mono: bool) -> int:
    """One int for (colour code, run length, monochrome?): cheaper to hash than a tuple."""
    return (code << _CODE_SHIFT) | (length << 1) | int(mono)


def _run_keys(codes: np.ndarray, lengths: np.ndarray, mono: bool) -> np.ndarray:
    """``_run_key`` for arrays of codes and lengths."""
    return (codes.astype(np.int64) << _CODE_SHIFT) | (lengths.astype(np.int64) << 1) | int(mono)


def _clip_segments(
    x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, w: int, h: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The parts of the segments (pixel coordinates) inside the box ``[-1, w] × [-1, h]``
    (Liang–Barsky); segments that miss it are dropped. Segments already inside come back unchanged."""
    dx, dy = x1 - x0, y1 - y0
    t0 = np.zeros_like(x0)
    t1 = np.ones_like(x0)
    keep = np.ones(len(x0), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0 + 1), (dx, w - x0), (-dy, y0 + 1), (dy, h - y0)):
            flat = p == 0
            keep &= ~(flat & (q < 0))
            r = q / p
            t0 = np.where(~flat & (p < 0), np.maximum(t0, r), t0)
            t1 = np.where(~flat & (p > 0), np.minimum(t1, r), t1)
    keep &= t0 <= t1
    nx0 = np.where(t0 > 0, x0 + t0 * dx, x0)
    ny0 = np.where(t0 > 0, y0 + t0 * dy, y0)
    nx1 = np.where(t1 < 1, x0 + t1 * dx, x1)
    ny1 = np.where(t1 < 1, y0 + t1 * dy, y1)
    return nx0[keep], ny0[keep], nx1[keep], ny1[keep]


@lru_cache(maxsize=64)
def _point_glyph(k: int, bold: bool) -> Glyph:
    return Glyph(palette.class_glyph(k), palette.class_color(k), bold=bold, mono_char=palette.class_glyph(k, True))

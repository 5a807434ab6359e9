"""GridView: a grid of coloured cells with optional text, a cursor and marks.

Used for mazes and grid worlds (walls painted with the mouse), A* tiles with ``f = g + h``,
pixel matrices with their numbers (convolution, loss-formula) and small boards (tic-tac-toe).

The module also holds two tiny drawing helpers shared by the other Line-API widgets of the kit:
:func:`rgb_style` (a cached Rich ``Style``) and :func:`runs_to_strip` (a row of characters and
style keys -> one ``Strip`` with a segment per run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.drawing import contrast_text, rgb_style, shade_glyph

RGB = tuple[int, int, int]
Cell = tuple[int, int]

def _as_cell(value: object, what: str) -> Cell | None:
    if value is None:
        return None
    try:
        r, c = value  # type: ignore[misc]
        return int(r), int(c)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a (row, col) pair, got {value!r}") from None


class CellMessage(Message):
    """A message about cell (row, col) of a GridView."""

    def __init__(self, grid: GridView, row: int, col: int) -> None:
        super().__init__()
        self.grid = grid
        self.row = row
        self.col = col

    @property
    def control(self) -> GridView:
        return self.grid


class GridView(Widget):
    """A grid of coloured cells, each ``cell_width`` × ``cell_height`` characters.

    Cell size is chosen to fit the widget (square-ish, width ≈ 2 × height, at most
    ``max_cell_width`` × ``max_cell_height``, at least 1 × 1). A grid bigger than the widget is
    drawn in part and scrolled so that the cursor stays in view.
    """

    DEFAULT_CSS = """
    GridView {
        width: 1fr;
        height: 1fr;
        background: $panel;
        color: $foreground;
    }
    """

    class CellClicked(CellMessage):
        """A cell was clicked."""

    class CellDragged(CellMessage):
        """The mouse was dragged (button held) onto a new cell."""

    def __init__(
        self,
        *,
        max_cell_width: int = 8,
        max_cell_height: int = 4,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        if max_cell_width < 1 or max_cell_height < 1:
            raise ValueError("maximum cell width and height must be at least 1")
        self.max_cell_width = max_cell_width
        self.max_cell_height = max_cell_height
        self._shape: tuple[int, int] = (0, 0)
        self._color_index = np.zeros((0, 0), dtype=np.intp)  # index into self._colors
        self._colors: list[RGB] = []
        self._texts: list[list[str]] | None = None
        self._text_need = 0
        self._marks = np.zeros((0, 0), dtype=bool)
        self._cursor: Cell | None = None
        self._offset: Cell = (0, 0)
        self._lines: dict[int, Strip] = {}
        self._layout_key: tuple | None = None
        self._cached_geometry: tuple[tuple[int, int], tuple[int, int], tuple[int, int]] = (
            (1, 1),
            (0, 0),
            (1, 1),
        )
        self._drag_cell: Cell | None = None
        self._dragging = False

    # -- data -------------------------------------------------------------------------------

    def set_cells(
        self,
        colors: np.ndarray | Sequence,
        texts: np.ndarray | Sequence[Sequence[str | None]] | None = None,
        cursor: tuple[int, int] | None = None,
        marks: np.ndarray | Iterable[tuple[int, int]] | None = None,
        palette: np.ndarray | Sequence[RGB] | None = None,
    ) -> None:
        """Show a grid.

        ``colors``: (h, w, 3) uint8 RGB, or (h, w) integer indices into ``palette`` (k, 3).
        ``texts``: optional (h, w) strings drawn centred in their cell when they fit ("" = none).
        ``cursor``: optional (row, col) drawn with brackets (or reversed in narrow cells).
        ``marks``: optional (h, w) bool mask or iterable of (row, col): drawn underlined.
        """
        arr = np.asarray(colors)
        if arr.ndim == 3:
            if arr.shape[2] != 3:
                raise ValueError(f"colours must have shape (h, w, 3), got {arr.shape}")
            rgb = arr
        elif arr.ndim == 2:
            if palette is None:
                raise ValueError("integer colour indices need a palette of shape (k, 3)")
            pal = np.asarray(palette)
            if pal.ndim != 2 or pal.shape[1] != 3 or len(pal) == 0:
                raise ValueError(f"the palette must have shape (k, 3), got {pal.shape}")
            if arr.size and not np.issubdtype(arr.dtype, np.integer):
                raise ValueError("colour indices must be integers")
            if arr.size and (arr.min() < 0 or arr.max() >= len(pal)):
                raise ValueError(f"colour indices must lie in 0..{len(pal) - 1}")
            rgb = pal[arr.astype(np.intp)] if arr.size else np.zeros((*arr.shape, 3))
        else:
            raise ValueError(f"colours must be (h, w, 3) RGB or (h, w) indices, got {arr.shape}")
        if rgb.size and (not np.all(np.isfinite(rgb)) or rgb.min() < 0 or rgb.max() > 255):
            raise ValueError("RGB values must lie in 0..255")
        h, w = int(rgb.shape[0]), int(rgb.shape[1])
        if h == 0 or w == 0:
            h = w = 0
        text_rows, text_need = self._check_texts(texts, h, w)
        mark_mask = self._check_marks(marks, h, w)
        cur = _as_cell(cursor, "cursor")
        if cur is not None and not (0 <= cur[0] < h and 0 <= cur[1] < w):
            raise ValueError(f"cursor {cur} is outside the {h}×{w} grid")
        # Each distinct colour once: cells hold an index into self._colors.
        flat = np.asarray(rgb, dtype=np.uint8).reshape(-1, 3)
        uniq, inverse = np.unique(flat, axis=0, return_inverse=True)
        self._colors = [tuple(int(v) for v in row) for row in uniq]  # type: ignore[misc]
        self._color_index = inverse.reshape(h, w) if h else np.zeros((0, 0), dtype=np.intp)
        self._texts, self._text_need, self._marks = text_rows, text_need, mark_mask
        self._shape = (h, w)
        self._cursor = cur
        self._invalidate()

    def clear(self) -> None:
        """Show nothing."""
        self.set_cells(np.zeros((0, 0, 3), dtype=np.uint8))

    @staticmethod
    def _check_texts(texts: object, h: int, w: int) -> tuple[list[list[str]] | None, int]:
        if texts is None:
            return None, 0
        rows = [list(r) for r in texts]  # type: ignore[union-attr]
        if len(rows) != h or any(len(r) != w for r in rows):
            raise ValueError(f"texts must have the grid's shape {h}×{w}")
        out = [["" if t is None else str(t) for t in r] for r in rows]
        need = max((cell_len(t) for r in out for t in r), default=0)
        return out, need

    @staticmethod
    def _check_marks(marks: object, h: int, w: int) -> np.ndarray:
        mask = np.zeros((h, w), dtype=bool)
        if marks is None:
            return mask
        if isinstance(marks, np.ndarray) and marks.dtype == bool:
            if marks.shape != (h, w):
                raise ValueError(f"the marks mask must have the grid's shape {h}×{w}")
            return marks.copy()
        for item in marks:  # type: ignore[union-attr]
            cell = _as_cell(item, "a mark")
            assert cell is not None
            if not (0 <= cell[0] < h and 0 <= cell[1] < w):
                raise ValueError(f"mark {cell} is outside the {h}×{w} grid")
            mask[cell] = True
        return mask

    # -- geometry ---------------------------------------------------------------------------

    @property
    def grid_shape(self) -> tuple[int, int]:
        """(rows, cols) of the grid shown."""
        return self._shape

    @property
    def cursor(self) -> Cell | None:
        """The cursor cell, if any."""
        return self._cursor

    @property
    def cell_size(self) -> tuple[int, int]:
        """(cell_width, cell_height) in characters for the current widget size."""
        return self._geometry()[0]

    @property
    def scroll_offset_cells(self) -> Cell:
        """(row, col) of the top-left cell drawn."""
        self._geometry()
        return self._offset

    def _geometry(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """((cell_w, cell_h), (origin_x, origin_y), (visible_rows, visible_cols)).

        Also scrolls (the least) so that the cursor stays in view.
        """
        width, height = self.size
        h, w = self._shape
        key = (width, height, self._shape, self._cursor, self._text_need)
        if self._layout_key == key:
            return self._cached_geometry
        if h == 0 or width <= 0 or height <= 0:
            cw = ch = 1
        else:
            fit_w, fit_h = width // w, height // h
            ch = max(1, min(self.max_cell_height, fit_h, max(1, fit_w // 2)))
            cw = max(1, min(self.max_cell_width, fit_w, max(2 * ch, self._text_need)))
        vis_rows = max(1, height // ch)
        vis_cols = max(1, width // cw)
        row0, col0 = self._offset
        if self._cursor is not None:
            row0 = _keep_in_view(row0, self._cursor[0], vis_rows)
            col0 = _keep_in_view(col0, self._cursor[1], vis_cols)
        row0 = max(0, min(row0, h - vis_rows))
        col0 = max(0, min(col0, w - vis_cols))
        self._offset = (row0, col0)
        ox = max(0, (width - w * cw) // 2)
        oy = max(0, (height - h * ch) // 2)
        self._cached_geometry = ((cw, ch), (ox, oy), (vis_rows, vis_cols))
        self._lines.clear()
        self._layout_key = key
        return self._cached_geometry

    def cell_at(self, x: int, y: int) -> Cell | None:
        """The (row, col) drawn at widget offset (x, y), or None."""
        h, w = self._shape
        width, height = self.size
        if h == 0 or not (0 <= x < width and 0 <= y < height):
            return None
        (cw, ch), (ox, oy), _ = self._geometry()
        if x < ox or y < oy:
            return None
        row0, col0 = self._offset
        row, col = row0 + (y - oy) // ch, col0 + (x - ox) // cw
        if row >= h or col >= w:
            return None
        return row, col

    def cell_region(self, row: int, col: int) -> Region | None:
        """The widget region where cell (row, col) is drawn (clipped), or None if not shown."""
        h, w = self._shape
        if not (0 <= row < h and 0 <= col < w):
            return None
        (cw, ch), (ox, oy), _ = self._geometry()
        row0, col0 = self._offset
        if row < row0 or col < col0:
            return None
        region = Region(ox + (col - col0) * cw, oy + (row - row0) * ch, cw, ch)
        clipped = region.intersection(Region(0, 0, *self.size))
        return clipped if clipped.area else None

    # -- rendering --------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._layout_key = None
        self._lines.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._invalidate()

    def render_line(self, y: int) -> Strip:
        strip = self._lines.get(y)
        if strip is None:
            strip = self._build_line(y)
            self._lines[y] = strip
        return strip

    def _build_line(self, y: int) -> Strip:
        width, _ = self.size
        base = self.rich_style
        h, w = self._shape
        (cw, ch), (ox, oy), _ = self._geometry()
        row0, col0 = self._offset
        if width <= 0 or h == 0 or y < oy:
            return Strip.blank(width, base)
        row, sub = row0 + (y - oy) // ch, (y - oy) % ch
        if row >= h:
            return Strip.blank(width, base)
        mono = bool(getattr(self.app, "no_color", False))
        segments: list[Segment] = [Segment(" " * ox)] if ox else []
        text_row = ch // 2
        col_end = min(w, col0 + (width - ox + cw - 1) // cw)
        for col in range(col0, col_end):
            segments.extend(self._cell_segments(row, col, sub == text_row, cw, mono))
        return Strip(segments).adjust_cell_length(width).apply_style(base)

    def _cell_segments(
        self, row: int, col: int, text_row: bool, cw: int, mono: bool
    ) -> list[Segment]:
        rgb = self._colors[self._color_index[row, col]]
        text = self._texts[row][col] if self._texts is not None else ""
        marked = bool(self._marks[row, col])
        is_cursor = self._cursor == (row, col)
        tlen = cell_len(text)
        shown = text if (text and tlen <= cw) else ""
        if not shown and not is_cursor and not marked:
            return [_plain_cell(rgb, cw, mono)]
        fg, bg = (None, None) if mono else (contrast_text(rgb), rgb)
        style = rgb_style(fg, bg, bold=marked, underline=marked and text_row)
        fill = shade_glyph(rgb) if (mono and not shown) else " "
        if text_row and shown:
            left = (cw - tlen) // 2
            body = fill * left + shown + fill * (cw - tlen - left)
        else:
            body = fill * cw
        if not is_cursor:
            return [Segment(body, style)]
        if cw >= 3 and (not shown or not text_row or tlen <= cw - 2):
            edge = rgb_style(fg, bg, bold=True, underline=marked and text_row)
            return [Segment("[", edge), Segment(body[1:-1], style), Segment("]", edge)]
        return [Segment(body, rgb_style(fg, bg, bold=True, reverse=True))]

    # -- mouse ------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        cell = self.cell_at(event.x, event.y)
        if cell is not None:
            self.post_message(self.CellClicked(self, *cell))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._dragging = True
        self._drag_cell = self.cell_at(event.x, event.y)
        self.capture_mouse()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._dragging = False
        self._drag_cell = None
        self.release_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        cell = self.cell_at(event.x, event.y)
        if cell is not None and cell != self._drag_cell:
            self._drag_cell = cell
            self.post_message(self.CellDragged(self, *cell))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(1, self._shape[1] * 2)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, self._shape[0])


def _keep_in_view(first: int, target: int, visible: int) -> int:
    """The first visible index after scrolling the least so that ``target`` is visible."""
    if target < first:
        return target
    if target >= first + visible:
        return target - visible + 1
    return first


@lru_cache(maxsize=4096)
def _plain_cell(rgb: RGB, cw: int, mono: bool) -> Segment:
    """A cell with no text: a coloured block, or a shade glyph fill in monochrome."""
    if mono:
        return Segment(shade_glyph(rgb) * cw)
    return Segment(" " * cw, rgb_style(None, rgb))

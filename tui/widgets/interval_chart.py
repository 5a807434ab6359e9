"""IntervalChart: one row per item with an interval, its centre and an optional mark, on a shared axis.

A row reads ``▶ w₁ +  ┊  ├────●──×─┤      +0.82``: ``├─┤`` spans the interval (e.g. a 95 % credible
interval), ``●`` marks the estimate, ``×`` an extra value (e.g. a Thompson draw) and ``┊`` the zero
line; the estimate is always written out, so the chart reads the same without colour. Values outside
the axis are clipped to its ends and drawn as ``◂``/``▸``. A last row labels the axis ends when there
is room. Rows are built once per change of data, size or theme and kept as ``Strip`` objects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from rich.cells import cell_len, set_cell_size
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip

from tui.palette import RGB
from tui.widgets.bar_chart import HIGHLIGHT_MARK, value_text
from tui.widgets.cached_rows import CachedRowsWidget
from tui.widgets.drawing import as_rgb

LOW_END, HIGH_END, SPAN, CENTRE, MARK, ZERO = "├", "┤", "─", "●", "×", "┊"
CLIP_LOW, CLIP_HIGH = "◂", "▸"


def axis_column(value: float, vmin: float, vmax: float, cells: int) -> int:
    """The column (0 … cells−1) of ``value`` on an axis from ``vmin`` to ``vmax`` ``cells`` wide (clipped)."""
    if cells <= 0:
        return 0
    t = (value - vmin) / (vmax - vmin)
    return min(cells - 1, max(0, int(math.floor(t * cells))))


class IntervalChart(CachedRowsWidget):
    """Intervals with a centre and a mark per row, on one shared axis (a forest plot)."""

    DEFAULT_CSS = """
    IntervalChart {
        width: 1fr;
        height: auto;
        color: $foreground;
    }
    IntervalChart > .interval-chart--title { color: $foreground; text-style: bold; }
    IntervalChart > .interval-chart--label { color: $foreground; }
    IntervalChart > .interval-chart--axis { color: $text-muted; }
    IntervalChart > .interval-chart--interval { color: $accent; }
    IntervalChart > .interval-chart--mark { color: $warning; text-style: bold; }
    IntervalChart > .interval-chart--value { color: $foreground; }
    IntervalChart > .interval-chart--highlight { color: $accent; text-style: bold; }
    """

    COMPONENT_CLASSES = {
        "interval-chart--title",
        "interval-chart--label",
        "interval-chart--axis",
        "interval-chart--interval",
        "interval-chart--mark",
        "interval-chart--value",
        "interval-chart--highlight",
    }

    def __init__(
        self,
        title: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._title = str(title)
        self._labels: list[str] = []
        self._centres = np.zeros(0)
        self._lows = np.zeros(0)
        self._highs = np.zeros(0)
        self._marks: np.ndarray | None = None
        self._texts: list[str] = []
        self._colors: list[RGB] | None = None
        self._highlight: int | None = None
        self._range = (-1.0, 1.0)
        self._track = (0, 0)  # (first column, cells) of the axis in the last layout
        self._styles: dict[str, Style] = {}

    # --- public API -------------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        self._title = str(value)
        self._changed(layout=True)

    @property
    def axis_range(self) -> tuple[float, float]:
        """``(vmin, vmax)`` of the shared axis."""
        return self._range

    @property
    def track(self) -> tuple[int, int]:
        """``(first column, cells)`` of the axis in the last layout (for tests and mouse hits)."""
        return self._track

    def set_data(
        self,
        labels: Sequence[object],
        centres: ArrayLike,
        lows: ArrayLike,
        highs: ArrayLike,
        *,
        marks: ArrayLike | None = None,
        highlight: int | None = None,
        vmin: float | None = None,
        vmax: float | None = None,
        fmt: str = "{:+.2f}",
        colors: Sequence[RGB] | None = None,
    ) -> None:
        """Show one row per label.

        Args:
            labels: One label per row.
            centres, lows, highs: The estimate and its interval per row (NaN: nothing drawn).
            marks: An extra value per row drawn as ``×`` (NaN for none), or None.
            highlight: Index of the row to emphasise, or None.
            vmin, vmax: The axis range; None for a range that fits every value and zero.
            fmt: Format of the estimate written at the end of each row.
            colors: One ``(r, g, b)`` per row for its interval, or None for the theme's accent.

        Raises:
            ValueError: If lengths differ or an argument is not valid.
        """
        label_list = [str(label).replace("\n", " ") for label in labels]
        n = len(label_list)
        arrays = []
        for what, values in (("centres", centres), ("lows", lows), ("highs", highs), ("marks", marks)):
            if values is None:
                arrays.append(None)
                continue
            try:
                arr = np.asarray(values, dtype=float)
            except (TypeError, ValueError):
                raise ValueError(f"{what} must be numbers") from None
            if arr.shape != (n,):
                raise ValueError(f"{len(arr.ravel())} {what} for {n} labels: give one per row")
            arrays.append(arr)
        c, lo, hi, mk = arrays
        assert c is not None and lo is not None and hi is not None
        color_list = None
        if colors is not None:
            color_list = [as_rgb(col) for col in colors]
            if len(color_list) != n:
                raise ValueError(f"{len(color_list)} colours for {n} rows: give one colour per row")
        if highlight is not None:
            if isinstance(highlight, bool) or not isinstance(highlight, (int, np.integer)) or not 0 <= highlight < n:
                raise ValueError(f"highlight must be a row index (0..{n - 1}) or None, not {highlight!r}")
        try:
            texts = [value_text(float(v), fmt) for v in c]
            fmt.format(0.0)
        except (ValueError, TypeError, IndexError, KeyError):
            raise ValueError(f"cannot format numbers with {fmt!r}; try e.g. '{{:+.2f}}'") from None
        finite = np.concatenate([a[np.isfinite(a)] for a in (c, lo, hi, mk) if a is not None] + [np.zeros(1)])
        lo_axis = float(finite.min()) if vmin is None else float(vmin)
        hi_axis = float(finite.max()) if vmax is None else float(vmax)
        if not (math.isfinite(lo_axis) and math.isfinite(hi_axis)):
            raise ValueError("the axis range must be finite numbers")
        if hi_axis < lo_axis:
            raise ValueError(f"vmax ({hi_axis:g}) must not be below vmin ({lo_axis:g})")
        if hi_axis == lo_axis:
            lo_axis, hi_axis = lo_axis - 1.0, hi_axis + 1.0
        resized = n != len(self._labels)
        self._labels, self._centres, self._lows, self._highs, self._marks = label_list, c, lo, hi, mk
        self._texts, self._colors = texts, color_list
        self._highlight = None if highlight is None else int(highlight)
        self._range = (lo_axis, hi_axis)
        self._changed(layout=resized)

    def clear(self) -> None:
        self.set_data([], [], [], [])

    # --- Textual hooks ----------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._labels) + (1 if self._title else 0) + (1 if self._labels else 0)

    # --- drawing ----------------------------------------------------------------------------


    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"interval-chart--{name}")
        return style

    def _layout(self, width: int, height: int, base: Style, mono: bool) -> list[Strip]:
        self._styles = {}  # component styles are looked up once per layout
        if width <= 0 or height <= 0:
            return []
        strips: list[Strip] = []
        if self._title:
            strips.append(Strip([Segment(self._title, self._style("title"))]).crop_extend(0, width, base))
        n = len(self._labels)
        mark_w = cell_len(HIGHLIGHT_MARK) if self._highlight is not None else 0
        value_w = max((cell_len(t) for t in self._texts), default=0)
        longest = max((cell_len(label) for label in self._labels), default=0)
        room = max(0, width - mark_w - value_w - 2)
        label_w = min(longest, max(1, room // 3)) if longest else 0
        cells = max(0, room - label_w - (1 if label_w else 0))
        start = mark_w + label_w + (1 if label_w else 0)
        self._track = (start, cells)
        shown = min(n, max(0, height - len(strips)))
        for i in range(shown):
            strips.append(self._row(i, mark_w, label_w, cells, value_w, base, mono).crop_extend(0, width, base))
        if n and len(strips) < height and cells >= 8:
            strips.append(self._scale_row(start, cells, base).crop_extend(0, width, base))
        return strips

    def _row(self, i: int, mark_w: int, label_w: int, cells: int, value_w: int, base: Style, mono: bool) -> Strip:
        lit = i == self._highlight
        text_style = self._style("highlight" if lit else "label")
        segments: list[Segment] = []
        if mark_w:
            segments.append(Segment(HIGHLIGHT_MARK if lit else " " * mark_w, text_style))
        if label_w:
            label = self._labels[i]
            if cell_len(label) > label_w:
                label = set_cell_size(label, label_w - 1) + "…"
            segments.append(Segment(set_cell_size(label, label_w) + " ", text_style))
        chars, kinds = self._track_cells(i, cells)
        if mono or self._colors is None:
            interval_style = self._style("interval")
        else:
            interval_style = Style(color=Color.from_rgb(*self._colors[i]))
        styles = {
            "axis": self._style("axis"),
            "interval": interval_style,
            "centre": interval_style + Style(bold=True),
            "mark": self._style("mark"),
            "blank": base,
        }
        run_start = 0
        for col in range(1, cells + 1):
            if col == cells or kinds[col] != kinds[run_start]:
                segments.append(Segment("".join(chars[run_start:col]), styles[kinds[run_start]]))
                run_start = col
        value_style = self._style("highlight" if lit else "value")
        segments.append(Segment(" " + self._texts[i].rjust(value_w), value_style))
        return Strip([s for s in segments if s.text])

    def _track_cells(self, i: int, cells: int) -> tuple[list[str], list[str]]:
        """The axis cells of row ``i``: characters and their kinds (blank/axis/interval/centre/mark)."""
        chars, kinds = [" "] * cells, ["blank"] * cells
        if cells <= 0:
            return chars, kinds
        vmin, vmax = self._range
        if vmin < 0 < vmax:
            z = axis_column(0.0, vmin, vmax, cells)
            chars[z], kinds[z] = ZERO, "axis"
        lo, hi, centre = float(self._lows[i]), float(self._highs[i]), float(self._centres[i])
        if math.isfinite(lo) and math.isfinite(hi) and hi >= lo:
            a, b = axis_column(lo, vmin, vmax, cells), axis_column(hi, vmin, vmax, cells)
            for col in range(a, b + 1):
                chars[col], kinds[col] = SPAN, "interval"
            chars[a] = CLIP_LOW if lo < vmin else LOW_END
            chars[b] = CLIP_HIGH if hi > vmax else HIGH_END
            if a == b:
                chars[a] = "┼"
        if self._marks is not None:
            m = float(self._marks[i])
            if math.isfinite(m):
                col = axis_column(m, vmin, vmax, cells)
                chars[col], kinds[col] = MARK, "mark"
        if math.isfinite(centre):
            col = axis_column(centre, vmin, vmax, cells)
            chars[col], kinds[col] = CENTRE, "centre"
        return chars, kinds

    def _scale_row(self, start: int, cells: int, base: Style) -> Strip:
        """The axis labels: the lower end, zero (when inside) and the upper end."""
        vmin, vmax = self._range
        row = [" "] * cells
        left, right = f"{vmin:g}", f"{vmax:g}"
        for k, ch in enumerate(left[:cells]):
            row[k] = ch
        for k, ch in enumerate(right[-cells:]):
            row[cells - len(right[-cells:]) + k] = ch
        if vmin < 0 < vmax:
            z = axis_column(0.0, vmin, vmax, cells)
            if len(left) < z and z < cells - len(right):
                row[z] = "0"
        return Strip([Segment(" " * start, base), Segment("".join(row), self._style("axis"))])

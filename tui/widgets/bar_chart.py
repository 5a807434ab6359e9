"""BarChart: horizontal bars with their numbers, one bar per row, drawn through the Line API.

A row reads ``label │████████▌   0.73``: the bar has eighth-of-a-cell precision and the value is
always written out, so the chart reads the same in colour and in monochrome. When any value is
negative the zero axis moves to the middle: negative bars grow to its left, positive ones to its
right, on one shared scale.

Rows are built once per change of data, size or theme and kept as ``Strip`` objects; drawing a frame
only hands those strips back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike
from rich.cells import cell_len, set_cell_size
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip

from tui import palette
from tui.palette import RGB
from tui.widgets.cached_rows import CachedRowsWidget
from tui.widgets.drawing import as_rgb

# Blocks filled from the left, indexed by eighths: LEFT_BLOCKS[8] is a full cell.
LEFT_BLOCKS = " ▏▎▍▌▋▊▉█"
FULL_BLOCK = LEFT_BLOCKS[8]
AXIS = "│"
HIGHLIGHT_MARK = "▶ "


def value_text(value: float, fmt: str) -> str:
    """``value`` written with ``fmt``; NaN and infinities as ``nan``, ``inf``, ``-inf``."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return fmt.format(value)


def bar_eighths(value: float, scale: float, cells: int) -> int:
    """Length in eighths of a cell of the bar for ``value`` when ``scale`` fills ``cells`` cells.

    Rounded half up, clipped to the available room; 0 for NaN, infinities and a zero scale.
    """
    if not math.isfinite(value) or scale <= 0 or cells <= 0:
        return 0
    return min(cells * 8, int(math.floor(abs(value) / scale * cells * 8 + 0.5)))


@lru_cache(maxsize=256)
def _bar_style(base: Style, color: RGB | None, reverse: bool) -> Style:
    """``base`` with the bar colour on top (``reverse`` swaps it with the background)."""
    extra = Style(color=None if color is None else Color.from_rgb(*color), reverse=reverse or None)
    return base + extra


@dataclass(frozen=True)
class _Geometry:
    """Column widths of one layout: marker, label, negative side, positive side, value."""

    mark: int
    label: int
    neg: int
    pos: int
    value: int


class BarChart(CachedRowsWidget):
    """Labelled horizontal bars with their values written out.

    Call :meth:`set_data` to show values; everything is redrawn from the cached rows.
    """

    DEFAULT_CSS = """
    BarChart {
        width: 1fr;
        height: auto;
        color: $foreground;
    }
    BarChart > .bar-chart--title { color: $foreground; text-style: bold; }
    BarChart > .bar-chart--label { color: $foreground; }
    BarChart > .bar-chart--axis { color: $text-muted; }
    BarChart > .bar-chart--value { color: $foreground; }
    BarChart > .bar-chart--highlight { color: $accent; text-style: bold; }
    BarChart > .bar-chart--more { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES = {
        "bar-chart--title",
        "bar-chart--label",
        "bar-chart--axis",
        "bar-chart--value",
        "bar-chart--highlight",
        "bar-chart--more",
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
        self._values = np.zeros(0)
        self._texts: list[str] = []
        self._colors: list[RGB] | None = None
        self._highlight: int | None = None
        self._max_value: float | None = None
        self._bar_cells = 0

    # --- public API -------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The line shown above the bars ("" for none)."""
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        self._title = str(value)
        self._changed()

    @property
    def bar_cells(self) -> int:
        """Cells available to the longest bar on one side of the axis, in the last layout."""
        return self._bar_cells

    @property
    def signed(self) -> bool:
        """True when some value is negative (the axis sits in the middle)."""
        return bool(np.any(self._values < 0))

    def set_data(
        self,
        labels: Sequence[object],
        values: ArrayLike,
        colors: Sequence[RGB] | None = None,
        highlight: int | None = None,
        fmt: str = "{:.2f}",
        max_value: float | None = None,
    ) -> None:
        """Show one bar per value.

        Args:
            labels: One label per bar (anything; shown with ``str``).
            values: The numbers; NaN and infinities are written out with no bar.
            colors: One ``(r, g, b)`` per bar, or None for the palette's class colours
                (positive/negative colours when some value is negative).
            highlight: Index of the bar to emphasise, or None.
            fmt: Format of the values, as for ``str.format`` (e.g. ``"{:.0%}"``).
            max_value: The magnitude that fills the bar area; None for the largest one.
                Larger values are clipped to the full width.

        Raises:
            ValueError: If lengths differ or an argument is not valid.
        """
        try:
            vals = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise ValueError("bar values must be numbers") from None
        if vals.ndim != 1:
            raise ValueError(f"bar values must be a flat list, not an array of shape {vals.shape}")
        label_list = [str(label).replace("\n", " ") for label in labels]
        if len(label_list) != len(vals):
            raise ValueError(f"{len(label_list)} labels for {len(vals)} values: give one label per bar")
        color_list = None
        if colors is not None:
            color_list = [as_rgb(c) for c in colors]
            if len(color_list) != len(vals):
                raise ValueError(f"{len(color_list)} colours for {len(vals)} values: give one colour per bar")
        if highlight is not None:
            if isinstance(highlight, bool) or not isinstance(highlight, (int, np.integer)):
                raise ValueError(f"highlight must be a bar index or None, not {highlight!r}")
            if not 0 <= highlight < len(vals):
                raise ValueError(f"highlight {highlight} is not a bar index (0..{len(vals) - 1})")
        if max_value is not None and not (math.isfinite(max_value) and max_value > 0):
            raise ValueError(f"max_value must be a positive number, not {max_value!r}")
        try:
            texts = [value_text(float(v), fmt) for v in vals]
            fmt.format(0.0)
        except (ValueError, TypeError, IndexError, KeyError):
            raise ValueError(f"cannot format numbers with {fmt!r}; try e.g. '{{:.2f}}'") from None

        resized = len(vals) != len(self._values)
        self._labels = label_list
        self._values = vals
        self._texts = texts
        self._colors = color_list
        self._highlight = None if highlight is None else int(highlight)
        self._max_value = None if max_value is None else float(max_value)
        self._changed(layout=resized)

    def clear(self) -> None:
        """Remove all bars."""
        self.set_data([], [])

    # --- Textual hooks ----------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._values) + (1 if self._title else 0)

    # --- drawing ----------------------------------------------------------------------------


    def _geometry(self, width: int, signed: bool) -> _Geometry:
        mark = cell_len(HIGHLIGHT_MARK) if self._highlight is not None else 0
        value = max((cell_len(t) for t in self._texts), default=0)
        longest = max((cell_len(label) for label in self._labels), default=0)
        # 3 cells: the space after the label, the axis, the space before the value.
        room = max(0, width - mark - value - 3)
        label = min(longest, max(1, room // 3)) if longest else 0
        bars = max(0, room - label)
        if signed:
            return _Geometry(mark, label, bars // 2, bars // 2, value)
        return _Geometry(mark, label, 0, bars, value)

    def _layout(self, width: int, height: int, base: Style, mono: bool) -> list[Strip]:
        """All rows of the widget for this size and style."""
        if width <= 0 or height <= 0:
            return []
        strips: list[Strip] = []
        if self._title:
            style = self.get_component_rich_style("bar-chart--title")
            strips.append(Strip([Segment(self._title, style)]).crop_extend(0, width, base))
        room = height - len(strips)
        count = len(self._values)
        shown = count if count <= room else max(0, room - 1)
        signed = self.signed
        geom = self._geometry(width, signed)
        self._bar_cells = geom.pos
        finite = np.abs(self._values[np.isfinite(self._values)])
        scale = self._max_value if self._max_value is not None else float(finite.max(initial=0.0))
        for i in range(shown):
            color = None if mono else self._color(i, signed)
            row = self._row(i, geom, scale, base, color)
            strips.append(row.crop_extend(0, width, base))
        if shown < count and room > 0:
            style = self.get_component_rich_style("bar-chart--more")
            more = Strip([Segment(f"+{count - shown} more", style)])
            strips.append(more.crop_extend(0, width, base))
        return strips

    def _color(self, i: int, signed: bool) -> RGB:
        if self._colors is not None:
            return self._colors[i]
        if signed:
            return palette.NEGATIVE if self._values[i] < 0 else palette.POSITIVE
        return palette.class_color(i)

    def _row(self, i: int, geom: _Geometry, scale: float, base: Style, color: RGB | None) -> Strip:
        """Bar ``i`` as one row: marker, label, bar around the axis, value (``color`` None: no colour)."""
        lit = i == self._highlight
        text_style = self.get_component_rich_style("bar-chart--highlight" if lit else "bar-chart--label")
        value_style = self.get_component_rich_style("bar-chart--highlight" if lit else "bar-chart--value")
        axis_style = self.get_component_rich_style("bar-chart--axis")
        bar_style = _bar_style(base, color, False)

        segments: list[Segment] = []
        if geom.mark:
            segments.append(Segment(HIGHLIGHT_MARK if lit else " " * geom.mark, text_style))
        label = self._labels[i]
        if cell_len(label) > geom.label:
            label = set_cell_size(label, geom.label - 1) + "…" if geom.label > 0 else ""
        segments.append(Segment(set_cell_size(label, geom.label) + " ", text_style))

        value = float(self._values[i])
        negative = value < 0
        eighths = bar_eighths(value, scale, geom.neg if negative else geom.pos)
        full, part = divmod(eighths, 8)
        if negative:
            # Right-aligned partial cells: the complementary left block in reverse video.
            pad = geom.neg - full - (1 if part else 0)
            segments.append(Segment(" " * pad, base))
            if part:
                segments.append(Segment(LEFT_BLOCKS[8 - part], _bar_style(base, color, True)))
            segments.append(Segment(FULL_BLOCK * full, bar_style))
        else:
            segments.append(Segment(" " * geom.neg, base))
        segments.append(Segment(AXIS, axis_style))
        if negative:
            segments.append(Segment(" " * geom.pos, base))
        else:
            bar = FULL_BLOCK * full + (LEFT_BLOCKS[part] if part else "")
            segments.append(Segment(bar, bar_style))
            segments.append(Segment(" " * (geom.pos - len(bar)), base))
        segments.append(Segment(" " + self._texts[i].rjust(geom.value), value_style))
        return Strip([s for s in segments if s.text])

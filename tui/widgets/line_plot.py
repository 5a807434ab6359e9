"""LinePlot: a line chart drawn by plotext, one private plotext figure per widget.

A plotext build costs tens of milliseconds, so drawing is throttled: changing the data only marks the
plot dirty, and a timer rebuilds it at most once every ``min_interval`` seconds (and at once on a
resize). The built ANSI text is cut into one ``Strip`` per row once per build (with cached styles:
Rich's ``Text.from_ansi`` took longer than plotext itself) and drawn through the Line API.

Series are cleaned before they reach plotext: NaN and infinities are dropped (and values ≤ 0 on a log
scale), and long series are cut down to about two points per column, keeping each stretch's lowest
and highest point and the first and last points exactly.

plotext is imported on first use, not with this module, so that the app starts fast.
"""

from __future__ import annotations

import importlib
import math
import re
import sys
import threading
import types
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from tui import palette
from tui.palette import RGB
from tui.widgets.drawing import after_frames, as_rgb

_loader: threading.Thread | None = None  # imports plotext in the background after start-up


def _import_plotext() -> None:
    """Import plotext without building its interactive documentation.

    ``import plotext`` spends ~100 of its ~140 ms making ``plotext.doc`` (pretty-printed docs we
    never show). An empty stand-in for that one module skips it; everything we use is untouched.
    If this plotext cannot import that way, it is imported as usual.
    """
    if "plotext" in sys.modules:
        return
    name = "plotext._doc.doc"
    stand_in = name not in sys.modules
    if stand_in:
        module = types.ModuleType(name, "Stands in for plotext's documentation (not used by learnloop).")
        module.docs = None  # type: ignore[attr-defined]
        sys.modules[name] = module
    try:
        importlib.import_module("plotext")
    except Exception:
        if not stand_in:
            raise
        for loaded in [m for m in sys.modules if m == "plotext" or m.startswith("plotext.")]:
            del sys.modules[loaded]
        importlib.import_module("plotext")


def _load_plotext_in_background() -> None:
    """Start importing plotext on a thread, so no frame waits for it."""
    global _loader
    if _loader is None and "plotext" not in sys.modules:
        _loader = threading.Thread(target=_import_plotext, daemon=True, name="import plotext")
        _loader.start()


def plotext_ready() -> bool:
    """True once plotext is imported (never waits for it)."""
    return "plotext" in sys.modules and (_loader is None or not _loader.is_alive())


def _need_plotext() -> None:
    """Make sure plotext is imported, waiting for (or doing) the import."""
    if _loader is not None:
        _loader.join()
    _import_plotext()

if TYPE_CHECKING:
    from plotext._plotter.plot import plot_class

_WHITE_BACKGROUND = "\x1b[48;5;15m"
MIN_WIDTH = 12  # below this many columns or MIN_HEIGHT rows, only "…" is shown
MIN_HEIGHT = 4
TOO_SMALL = "…"
CANNOT_DRAW = "cannot draw these values"
_SGR = re.compile(r"\x1b\[([0-9;]*)m")  # an ANSI "select graphic rendition" code


@lru_cache(maxsize=512)
def _sgr_style(codes: str) -> Style:
    """The Rich style set by the SGR parameters ``codes``, e.g. ``"38;2;86;156;255"``."""
    spans = Text.from_ansi(f"\x1b[{codes}m.").spans
    style = spans[0].style if spans else Style()
    return style if isinstance(style, Style) else Style.parse(style)


@lru_cache(maxsize=2048)
def _styled(base: Style, codes: str) -> Style:
    return base + _sgr_style(codes) if codes else base


def ansi_to_strip(line: str, base: Style) -> Strip:
    """One line of ANSI text (no newline) as a ``Strip``, drawn over the ``base`` style."""
    parts = _SGR.split(line)  # text, code, text, code, ..., text
    segments = [Segment(parts[0], base)] if parts[0] else []
    codes = ""
    for i in range(1, len(parts), 2):
        code, text = parts[i], parts[i + 1]
        codes = "" if code in ("", "0") else f"{codes};{code}" if codes else code
        if text:
            segments.append(Segment(text, _styled(base, codes)))
    return Strip(segments)


def downsample(xs: np.ndarray, ys: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``max_points`` points of the series ``(xs, ys)`` that keep its shape.

    The first and last points are kept exactly; the points between are cut into equal stretches (by
    index) and each stretch keeps its lowest and its highest point, in their original order, so that
    spikes survive. Series that already fit are returned as they are. ``ys`` must be finite.
    """
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, not {max_points}")
    n = len(ys)
    if n <= max_points:
        return xs, ys
    buckets = (max_points - 2) // 2
    if buckets == 0:
        keep = np.array([0, n - 1])
        return xs[keep], ys[keep]
    inner = ys[1:-1]
    m = n - 2  # m > 2 * buckets, so every stretch holds at least two points
    bucket = np.arange(m) * buckets // m  # non-decreasing: stretches are contiguous runs
    starts = np.searchsorted(bucket, np.arange(buckets))
    lows = np.minimum.reduceat(inner, starts)
    highs = np.maximum.reduceat(inner, starts)
    # The first index of each stretch holding its low (high) value.
    hit_low = np.flatnonzero(inner == lows[bucket])
    hit_high = np.flatnonzero(inner == highs[bucket])
    i_low = hit_low[np.searchsorted(bucket[hit_low], np.arange(buckets))]
    i_high = hit_high[np.searchsorted(bucket[hit_high], np.arange(buckets))]
    pairs = np.stack([np.minimum(i_low, i_high), np.maximum(i_low, i_high)], axis=1).ravel() + 1
    keep = np.concatenate([[0], pairs, [n - 1]])
    keep = keep[np.concatenate([[True], np.diff(keep) > 0])]  # a flat stretch gives one point twice
    return xs[keep], ys[keep]


@dataclass
class _Series:
    xs: np.ndarray
    ys: np.ndarray
    color: RGB | None  # None: the palette colour of ``slot``
    slot: int  # index into the class colours and glyphs


class LinePlot(Widget):
    """Named line series on shared axes, with an optional vertical marker line.

    Args:
        title: Title above the plot.
        x_label: Label of the x axis.
        y_label: Label of the y axis.
        log_y: Log scale on y (values ≤ 0 are left out).
        min_interval: Least time, in seconds, between two rebuilds caused by new data.
        legend: Name the series in a legend box when there are several (False: the screen
            explains the colours itself, e.g. in a caption; small plots keep their room).
        clock: Time source in seconds (tests pass a fake one).
    """

    DEFAULT_CSS = """
    LinePlot {
        width: 1fr;
        height: 1fr;
        color: $foreground;
    }
    LinePlot > .line-plot--marker { color: $accent; }
    """

    COMPONENT_CLASSES = {"line-plot--marker"}

    def __init__(
        self,
        title: str = "",
        x_label: str = "",
        y_label: str = "",
        log_y: bool = False,
        min_interval: float = 0.25,
        *,
        clock: Callable[[], float] = time.monotonic,
        legend: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if not (math.isfinite(min_interval) and min_interval > 0):
            raise ValueError(f"min_interval must be a positive number of seconds, not {min_interval!r}")
        self._title = str(title)
        self._x_label = str(x_label)
        self._y_label = str(y_label)
        self._log_y = bool(log_y)
        self._min_interval = float(min_interval)
        self._clock = clock
        self._legend = bool(legend)
        self._series: dict[str, _Series] = {}
        self._marker_x: float | None = None
        self._y_limits: tuple[float | None, float | None] = (None, None)
        self._dirty = True
        self._last_build: float | None = None
        self._lines: list[str] = []  # the ANSI rows of the last build
        self._generation = 0  # counts builds of any kind, to know when the strips are stale
        self._strips: list[Strip] = []
        self._strips_key: tuple[object, ...] | None = None
        self._plotted: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._terminal: Any = None  # the plotext terminal owning this widget's figure, made on first build
        self.build_count = 0
        """Number of plotext builds so far (for tests and benchmarks)."""

    # --- public API -------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The title above the plot."""
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        self._title = str(value)
        self._mark_dirty()

    @property
    def x_label(self) -> str:
        """The label of the x axis."""
        return self._x_label

    @x_label.setter
    def x_label(self, value: str) -> None:
        self._x_label = str(value)
        self._mark_dirty()

    @property
    def y_label(self) -> str:
        """The label of the y axis."""
        return self._y_label

    @y_label.setter
    def y_label(self, value: str) -> None:
        self._y_label = str(value)
        self._mark_dirty()

    @property
    def log_y(self) -> bool:
        """True when the y axis has a log scale."""
        return self._log_y

    @property
    def dirty(self) -> bool:
        """True when something changed since the last build."""
        return self._dirty

    @property
    def series_names(self) -> list[str]:
        """The names of the series, in the order they were added."""
        return list(self._series)

    def set_series(self, name: str, xs: ArrayLike, ys: ArrayLike, color: RGB | None = None) -> None:
        """Add or replace the series ``name``.

        Args:
            name: Key of the series, shown in the legend when there are several.
            xs: x values.
            ys: y values, as many as ``xs``; NaN and infinities are skipped when drawing.
            color: ``(r, g, b)`` from ``tui.palette``; None picks the next class colour.

        Raises:
            ValueError: If the arrays are not flat, differ in length, or the colour is not valid.
        """
        x = _as_vector(xs, "x")
        y = _as_vector(ys, "y")
        if len(x) != len(y):
            raise ValueError(f"series {name!r} has {len(x)} x values but {len(y)} y values")
        rgb = None if color is None else as_rgb(color)
        old = self._series.get(name)
        slot = old.slot if old is not None else self._free_slot()
        self._series[name] = _Series(x, y, rgb, slot)
        self._mark_dirty()

    def remove_series(self, name: str) -> None:
        """Remove the series ``name`` (nothing happens if there is none)."""
        if self._series.pop(name, None) is not None:
            self._mark_dirty()

    def clear(self) -> None:
        """Remove every series and the marker line."""
        self._series.clear()
        self._marker_x = None
        self._mark_dirty()

    def set_marker_x(self, x: float | None) -> None:
        """Draw a vertical line at ``x`` (e.g. the current epoch), or none with None."""
        if x is not None:
            x = float(x)
            if not math.isfinite(x):
                raise ValueError(f"the marker line needs a finite x, not {x!r}")
        if x != self._marker_x:
            self._marker_x = x
            self._mark_dirty()

    def set_y_limits(self, lo: float | None, hi: float | None) -> None:
        """Fix the y range; None on either end lets the data decide it."""
        lo = None if lo is None else float(lo)
        hi = None if hi is None else float(hi)
        for v in (lo, hi):
            if v is not None and not math.isfinite(v):
                raise ValueError(f"y limits must be finite numbers or None, not {v!r}")
        if lo is not None and hi is not None and lo >= hi:
            raise ValueError(f"the lower y limit ({lo}) must be below the upper one ({hi})")
        if (lo, hi) != self._y_limits:
            self._y_limits = (lo, hi)
            self._mark_dirty()

    def set_log_y(self, log_y: bool) -> None:
        """Switch the y axis between a linear and a log scale."""
        if bool(log_y) != self._log_y:
            self._log_y = bool(log_y)
            self._mark_dirty()

    @property
    def plain(self) -> str:
        """The picture of the last build as plain text, one line per row."""
        return "\n".join(_SGR.sub("", line) for line in self._lines)

    def plotted(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The points of series ``name`` handed to plotext at the last build (empty if none)."""
        empty = np.zeros(0)
        return self._plotted.get(name, (empty, empty))

    def poll(self) -> bool:
        """Rebuild if something changed and the last build is ``min_interval`` old; True if it did.

        The widget's timer calls this; call it yourself to push a change out sooner.
        """
        if not self._dirty or not self.is_mounted or not plotext_ready():
            return False
        if self._last_build is not None and self._clock() - self._last_build < self._min_interval:
            return False
        self._build()
        return True

    def flush(self) -> None:
        """Build now if anything changed, ignoring the throttle (headless screenshots)."""
        if self._dirty and self.is_mounted:
            _need_plotext()
            self._build()

    # --- Textual hooks ----------------------------------------------------------------------

    def on_mount(self) -> None:
        # plotext loads once the screen has drawn its first two frames: an import thread holds
        # Python's lock half the time, and would slow the topic's first picture.
        after_frames(self, 2, _load_plotext_in_background)
        self.set_interval(self._min_interval / 2, self.poll)  # poll often, build at most once per interval

    def on_resize(self, event: events.Resize) -> None:
        if plotext_ready():
            self._build()
        else:  # the first frame does not wait for plotext: the next poll draws the plot
            self._dirty = True

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        key = (width, base, self._generation)
        if key != self._strips_key:
            self._strips = [ansi_to_strip(line, base).crop_extend(0, width, base) for line in self._lines]
            self._strips_key = key
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, base)

    # --- building ---------------------------------------------------------------------------

    def _mark_dirty(self) -> None:
        self._dirty = True

    def _free_slot(self) -> int:
        used = {s.slot for s in self._series.values()}
        return next(k for k in range(len(used) + 1) if k not in used)

    def _build(self) -> None:
        """Rebuild the text for the current size, now."""
        width, height = self.size
        self._dirty = False
        self._last_build = self._clock()
        self._generation += 1
        if width <= 0 or height <= 0:
            self._lines = []
            self._plotted = {}
        elif width < MIN_WIDTH or height < MIN_HEIGHT:
            self._lines = [TOO_SMALL]
            self._plotted = {}
        else:
            self._lines = self._plot(width, height)
            self.build_count += 1
        self.refresh()

    def _visible(self, series: _Series, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """The points of ``series`` that can be drawn, at most ``max_points`` of them."""
        keep = np.isfinite(series.xs) & np.isfinite(series.ys)
        if self._log_y:
            keep &= series.ys > 0
        return downsample(series.xs[keep], series.ys[keep], max_points)

    def _figure(self) -> plot_class:
        """This widget's own plotext figure (plotext's global figure is never touched)."""
        if self._terminal is None:
            # A plotext terminal owns one master figure; a private terminal gives a private figure.
            from plotext._kernel.terminal import terminal

            term = terminal()
            term.limit(False, False)  # the figure's size is the widget's, not the real terminal's
            term._master.theme("colorless")  # frame and text take the widget's own CSS colours
            self._terminal = term
        return self._terminal._master

    def _plot(self, width: int, height: int) -> list[str]:
        """Build the plotext figure at ``width`` x ``height``; its rows as ANSI text."""
        _need_plotext()
        import plotext

        mono = bool(getattr(self.app, "no_color", False))
        fig = self._figure()
        fig.clear.data()
        fig.clear.settings()
        fig.plot_size(width, height)
        if self._title:
            # plotext leaves out a title wider than the plot: cut it short instead.
            title = self._title if len(self._title) <= width else self._title[: max(1, width - 1)] + "…"
            fig.title(title)
        if self._x_label:
            fig.label(self._x_label, axis="x")
        if self._y_label:
            fig.label(self._y_label, axis="y")

        self._plotted = {name: self._visible(s, 2 * width) for name, s in self._series.items()}
        all_ys = [ys for _, ys in self._plotted.values() if len(ys)]
        # plotext cannot put a single value on a log axis: it gets a linear one.
        log_y = self._log_y and bool(all_ys) and min(map(np.min, all_ys)) < max(map(np.max, all_ys))
        labelled = len(self._series) > 1 and self._legend
        for name, series in self._series.items():
            xs, ys = self._plotted[name]
            if not len(xs):
                continue
            if mono:
                marker = plotext.marker(palette.class_glyph(series.slot))
            else:
                color = series.color or palette.class_color(series.slot)
                marker = plotext.marker("hd", plotext.pixel(foreground=color))
            signal = fig.signal(xs.tolist(), ys.tolist(), marker=marker).lines(True)
            if labelled:
                signal.label(name)
            fig.draw(signal)

        if log_y:
            fig.ruler("y").scale("log")
        limits = self._limits_for(all_ys, log_y)
        if limits is not None:
            fig.ruler("y").lim(*limits)
            # plotext would take the x range from the points inside the y window alone.
            all_xs = [xs for xs, _ in self._plotted.values() if len(xs)]
            if self._marker_x is not None:
                all_xs.append(np.array([self._marker_x]))
            if all_xs:
                x_lo, x_hi = min(map(np.min, all_xs)), max(map(np.max, all_xs))
                if x_lo < x_hi:
                    fig.ruler("x").lim(float(x_lo), float(x_hi))
        if self._marker_x is not None:
            pixel = None if mono else plotext.pixel(foreground=self._marker_color())
            fig.line(self._marker_x, orientation=1, relative=True, pixel=pixel)

        try:
            ansi = fig.build().string(colorless=mono)
        except (ArithmeticError, ValueError):  # plotext gives up on some extreme ranges
            return [CANNOT_DRAW]
        # plotext paints its vertical lines on a white background (256-colour 15) whatever the pixel
        # says; the widget's own background belongs there (nothing else here sets a background).
        ansi = ansi.replace(_WHITE_BACKGROUND, "")
        return ansi.rstrip("\n").split("\n")

    def _limits_for(self, all_ys: list[np.ndarray], log_y: bool) -> tuple[float, float] | None:
        """Both ends of the y range asked for, an open end taken from the data; None: automatic.

        plotext mishandles a single limit on the wrong side of all the data, so it always gets two.
        """
        lo, hi = self._y_limits
        if log_y:  # a log axis cannot reach zero or below
            lo = lo if lo is not None and lo > 0 else None
            hi = hi if hi is not None and hi > 0 else None
        if lo is None and hi is None:
            return None
        data_lo = min((float(ys.min()) for ys in all_ys), default=None)
        data_hi = max((float(ys.max()) for ys in all_ys), default=None)
        if hi is None:
            assert lo is not None
            hi = data_hi if data_hi is not None and data_hi > lo else (lo * 10 if log_y else lo + 1)
        if lo is None:
            lo = data_lo if data_lo is not None and data_lo < hi else (hi / 10 if log_y else hi - 1)
        return lo, hi

    def _marker_color(self) -> RGB:
        color = self.get_component_rich_style("line-plot--marker").color
        if color is None:
            return palette.MUTED
        r, g, b = color.get_truecolor()
        return (r, g, b)


def _as_vector(values: ArrayLike, what: str) -> np.ndarray:
    """``values`` as a new flat float64 array; ValueError if that is not possible."""
    try:
        arr = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} values must be numbers") from None
    if arr.ndim != 1:
        raise ValueError(f"{what} values must be a flat list, not an array of shape {arr.shape}")
    return arr

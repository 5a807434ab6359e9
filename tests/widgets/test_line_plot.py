"""LinePlot: throttled plotext builds, cleaning of series, private figures, monochrome markers."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from tui import palette
from tui.widgets.line_plot import CANNOT_DRAW, TOO_SMALL, LinePlot, ansi_to_strip, downsample


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class PlotApp(App):
    def __init__(self, *plots: LinePlot, css: str = "", no_color: bool = False) -> None:
        self.CSS = css
        super().__init__()
        self._plots = plots
        if no_color:
            self.no_color = True

    def compose(self) -> ComposeResult:
        yield from self._plots


def rebuild(plot: LinePlot, clock: FakeClock) -> None:
    """Let the throttle interval pass and poll, as the widget's timer would."""
    clock.now += 10.0
    assert plot.poll()


def lines_of(plot: LinePlot) -> list[str]:
    return [plot.render_line(y).text for y in range(plot.size.height)]


def y_ticks(plot: LinePlot) -> list[float]:
    """The numbers written left of the y axis ticks ("┤")."""
    ticks = []
    for line in plot.plain.split("\n"):
        m = re.match(r"^\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)┤", line)
        if m:
            ticks.append(float(m.group(1)))
    return ticks


def span_colors(plot: LinePlot) -> set[Color]:
    """The colours used in the plot, other than the widget's own text colour."""
    own = plot.rich_style.color
    colors = set()
    for y in range(plot.size.height):
        for segment in plot.render_line(y):
            if segment.style is not None and segment.style.color not in (None, own):
                colors.add(segment.style.color)
    return colors


# --- downsample (pure) ---------------------------------------------------------------------------


def test_downsample_short_series_untouched() -> None:
    xs, ys = np.arange(10.0), np.arange(10.0) ** 2
    dx, dy = downsample(xs, ys, 10)
    np.testing.assert_array_equal(dx, xs)
    np.testing.assert_array_equal(dy, ys)


def test_downsample_keeps_ends_spikes_and_order() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    xs = np.arange(n, dtype=float)
    ys = rng.normal(size=n)
    ys[12_345] = 50.0  # a spike that naive striding would miss
    ys[777] = -40.0
    dx, dy = downsample(xs, ys, 160)
    assert len(dx) <= 160
    assert (dx[0], dy[0]) == (xs[0], ys[0])
    assert (dx[-1], dy[-1]) == (xs[-1], ys[-1])
    assert dy.max() == 50.0 and dy.min() == -40.0
    assert np.all(np.diff(dx) > 0)  # original order, no duplicates
    np.testing.assert_array_equal(dy, ys[dx.astype(int)])  # only real points


@settings(max_examples=60, deadline=None)
@given(
    ys=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=400),
    max_points=st.integers(2, 60),
)
def test_downsample_properties(ys: list[float], max_points: int) -> None:
    y = np.array(ys)
    x = np.arange(len(y), dtype=float)
    dx, dy = downsample(x, y, max_points)
    if len(y) <= max_points:  # fits already: untouched
        np.testing.assert_array_equal(dy, y)
    assert len(dx) == len(dy) <= min(len(y), max_points)
    assert dx[0] == 0 and dx[-1] == len(y) - 1  # both ends kept
    np.testing.assert_array_equal(dy, y[dx.astype(int)])  # only real points
    assert np.all(np.diff(dx) > 0)  # in order, no repeats
    if max_points >= 4:  # at least one stretch: the extremes survive
        assert dy.max() == y.max() and dy.min() == y.min()


def test_downsample_flat_series_has_no_repeated_points() -> None:
    dx, dy = downsample(np.arange(100.0), np.zeros(100), 10)
    assert np.all(np.diff(dx) > 0) and dx[0] == 0 and dx[-1] == 99 and len(dx) <= 10


def test_downsample_rejects_too_few_points() -> None:
    with pytest.raises(ValueError):
        downsample(np.arange(5.0), np.arange(5.0), 1)


# --- ANSI to strips -------------------------------------------------------------------------


def cell_styles(segments: object) -> list[tuple[str, object, object, bool]]:
    out = []
    for seg in segments:  # type: ignore[attr-defined]
        style = seg.style or Style()
        out.extend((ch, style.color, style.bgcolor, bool(style.bold)) for ch in seg.text)
    return out


def test_ansi_to_strip_matches_rich_decoder() -> None:
    line = (
        "\x1b[0m 1.0┤\x1b[0m\x1b[38;2;86;156;255m▗▄▖\x1b[0m  \x1b[38;5;12m\x1b[48;5;15mab\x1b[0m"
        "\x1b[1mB\x1b[0m\x1b[38;2;1;2;3;1mX\x1b[mplain"
    )
    console = Console(width=200, color_system="truecolor")
    reference = Text.from_ansi(line, end="").render(console)
    ours = ansi_to_strip(line, Style())
    assert cell_styles(ours) == cell_styles(seg for seg in reference if seg.text != "\n")


# --- throttling --------------------------------------------------------------------------------


async def test_many_updates_in_one_interval_make_one_build() -> None:
    clock = FakeClock()
    plot = LinePlot("loss", min_interval=0.25, clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = plot.build_count
        assert start >= 1  # the first layout builds at once
        xs = np.arange(50.0)
        for i in range(25):
            plot.set_series("train", xs, np.exp(-xs / (i + 1)))
            assert not plot.poll()  # too soon after the last build
        assert plot.dirty and plot.build_count == start
        clock.now += 0.1
        assert not plot.poll()
        clock.now += 0.15
        assert plot.poll()
        assert plot.build_count == start + 1 and not plot.dirty
        assert not plot.poll()  # nothing changed since
        clock.now += 5.0
        assert not plot.poll()
        assert plot.build_count == start + 1


async def test_resize_rebuilds_at_once() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        plot.set_series("a", [0, 1, 2], [1, 2, 3])
        before = plot.build_count
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert plot.build_count > before  # clock unchanged: the resize, not the timer, built
        assert len(plot.plain.split("\n")[0]) == 100


# --- data cleaning ---------------------------------------------------------------------------


async def test_long_series_downsampled_last_point_exact() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rng = np.random.default_rng(3)
        xs = np.linspace(0.0, 7.3, 50_001)
        ys = np.cumsum(rng.normal(size=xs.size))
        plot.set_series("walk", xs, ys)
        rebuild(plot, clock)
        px, py = plot.plotted("walk")
        assert 2 <= len(px) <= 2 * plot.size.width
        assert px[-1] == xs[-1] and py[-1] == ys[-1]
        assert py.max() == ys.max() and py.min() == ys.min()


async def test_nan_and_inf_dropped() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        xs = np.arange(10.0)
        ys = np.array([1.0, np.nan, 3.0, np.inf, 5.0, -np.inf, 7.0, 8.0, np.nan, 10.0])
        xs_bad = xs.copy()
        xs_bad[7] = np.nan
        plot.set_series("s", xs_bad, ys)
        plot.set_series("all nan", xs, np.full(10, np.nan))
        rebuild(plot, clock)
        keep = np.isfinite(xs_bad) & np.isfinite(ys)
        px, py = plot.plotted("s")
        np.testing.assert_array_equal(px, xs_bad[keep])
        np.testing.assert_array_equal(py, ys[keep])
        assert len(plot.plotted("all nan")[0]) == 0
        assert any("┤" in line for line in lines_of(plot))


async def test_log_scale_ignores_non_positive() -> None:
    clock = FakeClock()
    plot = LinePlot(log_y=True, clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ys = np.array([0.0, 1.0, -2.0, 10.0, 100.0, 1000.0])
        plot.set_series("s", np.arange(6.0), ys)
        plot.set_y_limits(-5.0, None)  # a log axis cannot reach it: ignored
        rebuild(plot, clock)
        _, py = plot.plotted("s")
        np.testing.assert_array_equal(py, ys[ys > 0])
        ticks = y_ticks(plot)
        assert ticks and min(ticks) > 0 and max(ticks) == pytest.approx(1000.0)
        plot.set_log_y(False)
        rebuild(plot, clock)
        np.testing.assert_array_equal(plot.plotted("s")[1], ys)


async def test_log_scale_with_a_single_value_draws() -> None:
    clock = FakeClock()
    plot = LinePlot(log_y=True, clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        for ys in ([1.0], [0.1, 0.1], [7.0]):  # the first epoch of a loss curve
            plot.set_series("loss", np.arange(len(ys), dtype=float), ys)
            rebuild(plot, clock)
            assert y_ticks(plot), plot.plain
        plot.set_series("loss", [0.0, 1.0], [1.0, 0.5])
        rebuild(plot, clock)
        assert max(y_ticks(plot)) == pytest.approx(1.0)


async def test_extreme_ranges_show_a_message_not_a_crash() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        plot.set_series("huge", [0.0, 1.0], [-1.7e308, 1.7e308])
        rebuild(plot, clock)
        await pilot.pause()
        assert plot.plain == CANNOT_DRAW
        plot.set_series("huge", [0.0, 1.0], [-1.0, 1.0])
        rebuild(plot, clock)
        assert y_ticks(plot)


async def test_y_limits_set_the_axis_range() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        plot.set_series("s", np.arange(5.0), np.array([2.0, 3.5, 4.0, 2.5, 3.0]))
        rebuild(plot, clock)
        free = y_ticks(plot)
        assert min(free) >= 2.0 - 1e-9 and max(free) <= 4.0 + 1e-9
        plot.set_y_limits(0.0, 10.0)
        rebuild(plot, clock)
        fixed = y_ticks(plot)
        assert min(fixed) == pytest.approx(0.0) and max(fixed) == pytest.approx(10.0)
        plot.set_y_limits(None, None)
        rebuild(plot, clock)
        assert y_ticks(plot) == free
        # One open end, all data on the wrong side of the other: still a valid window.
        plot.set_y_limits(10.0, None)
        rebuild(plot, clock)
        assert min(y_ticks(plot)) == pytest.approx(10.0)
        plot.set_log_y(True)
        plot.set_y_limits(None, 0.5)
        rebuild(plot, clock)
        assert plot.plain != CANNOT_DRAW
        assert max(y_ticks(plot)) == pytest.approx(0.5)


async def test_marker_line_adds_a_vertical_line() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        plot.set_series("s", np.arange(20.0), np.zeros(20))
        rebuild(plot, clock)
        without = sum(line.count("│") for line in lines_of(plot))
        plot.set_marker_x(12.0)
        rebuild(plot, clock)
        rows = lines_of(plot)
        with_marker = sum(line.count("│") for line in rows)
        assert with_marker > without + plot.size.height // 2
        # plotext paints vertical lines on white: the marker must sit on the widget's background.
        marker_styles = [seg.style for y in range(plot.size.height) for seg in plot.render_line(y)
                         if "│" in seg.text and seg.style is not None and seg.style.color != plot.rich_style.color]
        assert len(marker_styles) >= plot.size.height // 2
        assert all(style.bgcolor in (None, plot.rich_style.bgcolor) for style in marker_styles)
        plot.set_marker_x(None)
        rebuild(plot, clock)
        assert sum(line.count("│") for line in lines_of(plot)) == without


# --- figures, colours, monochrome ----------------------------------------------------------


async def test_instances_do_not_share_a_figure() -> None:
    clock = FakeClock()
    a = LinePlot("Alpha", clock=clock)
    b = LinePlot("Beta", clock=clock)
    app = PlotApp(a, b)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        a.set_series("up", np.arange(10.0), np.arange(10.0))
        b.set_series("down", np.arange(10.0), -np.arange(10.0) * 3)
        rebuild(a, clock)
        rebuild(b, clock)
        assert a._figure() is not b._figure()
        text_a, text_b = a.plain, b.plain
        assert "Alpha" in text_a and "Beta" not in text_a
        assert "Beta" in text_b and "Alpha" not in text_b
        assert text_a != text_b
        b.set_series("down", np.arange(10.0), np.arange(10.0) ** 2)
        rebuild(b, clock)
        a._build()  # rebuilding a after b changed gives a's picture again
        assert a.plain == text_a


async def test_colours_follow_palette_and_slots() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        xs = np.arange(10.0)
        plot.set_series("a", xs, xs)
        plot.set_series("b", xs, -xs)
        plot.set_series("c", xs, xs * 0 + 1, color=palette.POSITIVE)
        rebuild(plot, clock)
        colors = span_colors(plot)
        for rgb in (palette.class_color(0), palette.class_color(1), palette.POSITIVE):
            assert Color.from_rgb(*rgb) in colors
        assert Color.from_rgb(*palette.class_color(2)) not in colors
        assert "a" in plot.plain and "b" in plot.plain  # legend with several series
        plot.remove_series("a")
        plot.set_series("d", xs, xs / 2)  # takes the free slot 0
        rebuild(plot, clock)
        assert Color.from_rgb(*palette.class_color(0)) in span_colors(plot)
        assert palette.class_glyph(0) not in plot.plain


async def test_no_color_draws_series_with_glyphs() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot, no_color=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        xs = np.arange(30.0)
        plot.set_series("a", xs, np.sin(xs / 5))
        plot.set_series("b", xs, np.cos(xs / 5))
        plot.set_marker_x(10.0)
        rebuild(plot, clock)
        text = plot.plain
        assert palette.class_glyph(0) in text and palette.class_glyph(1) in text
        assert span_colors(plot) == set()


async def test_clear_removes_everything() -> None:
    clock = FakeClock()
    plot = LinePlot(clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        plot.set_series("a", [1, 2, 3], [3, 1, 2])
        plot.set_marker_x(2)
        rebuild(plot, clock)
        assert span_colors(plot)
        plot.clear()
        rebuild(plot, clock)
        assert plot.series_names == [] and span_colors(plot) == set()
        assert len(plot.plotted("a")[0]) == 0


# --- sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(10, 3), (12, 4), (1, 1), (200, 60)])
async def test_survives_any_terminal_size(size: tuple[int, int]) -> None:
    clock = FakeClock()
    plot = LinePlot("title", "x", "y", clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=size) as pilot:
        plot.set_series("a", np.arange(100.0), np.sin(np.arange(100.0)))
        plot.set_marker_x(50)
        rebuild(plot, clock)
        await pilot.pause()
        width, height = plot.size
        rows = lines_of(plot)
        assert all(len(row) == width for row in rows)
        if width < 12 or height < 4:
            assert plot.plain.strip() == TOO_SMALL
        else:
            assert len(plot.plain.split("\n")) == height
        app.export_screenshot()


async def test_zero_size_and_empty_plot() -> None:
    clock = FakeClock()
    hidden = LinePlot(clock=clock, id="hidden")
    empty = LinePlot("nothing yet", clock=clock, id="empty")
    app = PlotApp(hidden, empty, css="#hidden { width: 0; height: 0; }")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        hidden.set_series("a", [1, 2], [1, 2])
        rebuild(hidden, clock)
        await pilot.pause()
        assert hidden.build_count == 0 and hidden.plain == ""
        assert "nothing yet" in empty.plain


# --- bad input ---------------------------------------------------------------------------------


def test_bad_input_raises_value_error() -> None:
    plot = LinePlot()
    with pytest.raises(ValueError, match="x values"):
        plot.set_series("s", [1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="flat"):
        plot.set_series("s", np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="numbers"):
        plot.set_series("s", ["a", "b"], [1, 2])
    with pytest.raises(ValueError, match="colour"):
        plot.set_series("s", [1], [1], color=(300, 0, 0))
    with pytest.raises(ValueError, match="colour"):
        plot.set_series("s", [1], [1], color="red")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="below"):
        plot.set_y_limits(2.0, 1.0)
    with pytest.raises(ValueError, match="finite"):
        plot.set_y_limits(math.nan, 1.0)
    with pytest.raises(ValueError, match="finite"):
        plot.set_marker_x(math.inf)
    with pytest.raises(ValueError, match="min_interval"):
        LinePlot(min_interval=0)
    assert plot.series_names == []


async def test_legend_can_be_left_out() -> None:
    clock = FakeClock()
    with_legend = LinePlot(clock=clock)
    without = LinePlot(clock=clock, legend=False)
    app = PlotApp(with_legend, without)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        xs = np.arange(10.0)
        for plot in (with_legend, without):
            plot.set_series("alpha", xs, xs)
            plot.set_series("omega", xs, -xs)
            rebuild(plot, clock)
        assert "alpha" in with_legend.plain and "omega" in with_legend.plain
        assert "alpha" not in without.plain and "omega" not in without.plain
        assert without.plotted("alpha")[0].size == 10  # the series are still drawn


async def test_a_title_wider_than_the_plot_is_cut_short_not_dropped() -> None:
    clock = FakeClock()
    plot = LinePlot("gain per threshold of the split being chosen right now, both features", clock=clock)
    app = PlotApp(plot)
    async with app.run_test(size=(40, 14)) as pilot:
        await pilot.pause()
        plot.set_series("s", np.arange(5.0), np.arange(5.0))
        rebuild(plot, clock)
        assert "gain per threshold" in plot.plain and "…" in plot.plain

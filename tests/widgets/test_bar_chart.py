"""BarChart: bar lengths in eighths of a cell, the signed axis, overflow, NaN, sizes, colours."""

from __future__ import annotations

import math

import pytest
from rich.color import Color
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui import palette
from tui.widgets.bar_chart import BarChart

# How many eighths of a cell each block glyph fills, from the left.
EIGHTHS = {"▏": 1, "▎": 2, "▍": 3, "▌": 4, "▋": 5, "▊": 6, "▉": 7, "█": 8}
AXIS = "│"


class ChartApp(App):
    def __init__(self, chart: BarChart, css: str = "", no_color: bool = False) -> None:
        self.CSS = css
        super().__init__()
        self._chart = chart
        if no_color:
            self.no_color = True

    def compose(self) -> ComposeResult:
        yield self._chart


def cells(strip: Strip) -> list[tuple[str, bool, Color | None]]:
    """One ``(char, reversed, colour)`` per cell of the strip."""
    out = []
    for seg in strip:
        style = seg.style
        for ch in seg.text:
            out.append((ch, bool(style and style.reverse), style.color if style else None))
    return out


def bar_eighths(strip: Strip) -> tuple[int, int, int]:
    """(eighths left of the axis, eighths right of it, axis column) measured on a rendered row.

    A reversed cell shows its glyph in the background colour, so it fills the other part.
    """
    row = cells(strip)
    axis = [ch for ch, _, _ in row].index(AXIS)
    left = right = 0
    for col, (ch, rev, _) in enumerate(row):
        if ch in EIGHTHS:
            amount = 8 - EIGHTHS[ch] if rev else EIGHTHS[ch]
            if col < axis:
                left += amount
            else:
                right += amount
    return left, right, axis


def expected_eighths(value: float, largest: float, cells_: int) -> int:
    return round(abs(value) / largest * cells_ * 8)


async def test_bar_lengths_are_proportional_to_values() -> None:
    chart = BarChart()
    values = [3.0, 1.7, 0.4, 2.25, 0.0]
    labels = ["one", "two", "three", "four", "zero"]
    app = ChartApp(chart)
    async with app.run_test(size=(60, 10)) as pilot:
        chart.set_data(labels, values)
        await pilot.pause()
        width = chart.size.width
        value_width = max(len(f"{v:.2f}") for v in values)
        for y, (label, value) in enumerate(zip(labels, values)):
            strip = chart.render_line(y)
            text = strip.text
            left, right, axis = bar_eighths(strip)
            bar_room = width - (axis + 1) - 1 - value_width  # between the axis and " value"
            assert chart.bar_cells == bar_room
            assert left == 0
            assert right == expected_eighths(value, 3.0, bar_room)
            assert text.startswith(label) and text.rstrip().endswith(f"{value:.2f}")
            assert strip.cell_length == width
        assert bar_eighths(chart.render_line(0))[1] == chart.bar_cells * 8  # the largest fills the room


async def test_signed_values_grow_both_ways_from_a_zero_axis() -> None:
    chart = BarChart()
    values = [-2.0, 1.0, 0.55, -0.35, 2.0]
    app = ChartApp(chart)
    async with app.run_test(size=(70, 10)) as pilot:
        chart.set_data(list("abcde"), values)
        await pilot.pause()
        axes = set()
        for y, value in enumerate(values):
            strip = chart.render_line(y)
            left, right, axis = bar_eighths(strip)
            axes.add(axis)
            want = expected_eighths(value, 2.0, chart.bar_cells)
            assert (left, right) == ((want, 0) if value < 0 else (0, want))
            row = cells(strip)
            if value < 0:  # the bar touches the axis from the left
                assert row[axis - 1][0] == "█"
            else:
                assert row[axis + 1][0] == "█"
        assert len(axes) == 1  # one shared axis column
        assert any(rev for _, rev, _ in cells(chart.render_line(3)))  # -0.35 ends in a partial cell
        axis = axes.pop()
        # Both sides get the same room: the -2 bar starts exactly bar_cells left of the axis.
        first = cells(chart.render_line(0))
        assert [ch for ch, _, _ in first[axis - chart.bar_cells : axis]] == ["█"] * chart.bar_cells
        assert first[axis - chart.bar_cells - 1][0] == " "


async def test_max_value_fixes_the_scale_and_clips() -> None:
    chart = BarChart()
    app = ChartApp(chart)
    async with app.run_test(size=(50, 6)) as pilot:
        chart.set_data(["half", "over"], [0.5, 1.5], max_value=1.0, fmt="{:.0%}")
        await pilot.pause()
        half = bar_eighths(chart.render_line(0))[1]
        over = bar_eighths(chart.render_line(1))[1]
        assert half == expected_eighths(0.5, 1.0, chart.bar_cells)
        assert over == chart.bar_cells * 8
        assert chart.render_line(0).text.rstrip().endswith("50%")
        assert chart.render_line(1).text.rstrip().endswith("150%")


async def test_too_many_bars_show_plus_n_more() -> None:
    chart = BarChart(title="Scores")
    app = ChartApp(chart, css="BarChart { height: 5; }")
    async with app.run_test(size=(40, 12)) as pilot:
        chart.set_data([f"b{i}" for i in range(12)], [float(i + 1) for i in range(12)])
        await pilot.pause()
        rows = [chart.render_line(y).text for y in range(5)]
        assert rows[0].startswith("Scores")
        assert [r.split()[0] for r in rows[1:4]] == ["b0", "b1", "b2"]
        assert rows[4].strip() == "+9 more"
        chart.title = ""
        await pilot.pause()
        rows = [chart.render_line(y).text for y in range(5)]
        assert rows[4].strip() == "+8 more" and rows[3].startswith("b3")


async def test_height_auto_fits_all_bars() -> None:
    chart = BarChart(title="t")
    app = ChartApp(chart)
    async with app.run_test(size=(40, 20)) as pilot:
        chart.set_data(["a", "b", "c"], [1, 2, 3])
        await pilot.pause()
        assert chart.size.height == 4
        chart.set_data(list("abcdefg"), range(7))
        await pilot.pause()
        assert chart.size.height == 8


async def test_nan_and_inf_are_written_without_bars() -> None:
    chart = BarChart()
    values = [1.0, math.nan, math.inf, -math.inf, 0.5]
    app = ChartApp(chart)
    async with app.run_test(size=(50, 8)) as pilot:
        chart.set_data(["ok", "nan", "big", "small", "half"], values)
        await pilot.pause()
        texts = [chart.render_line(y).text.rstrip() for y in range(5)]
        for y, word in [(1, "nan"), (2, "inf"), (3, "-inf")]:
            assert texts[y].endswith(word)
            assert bar_eighths(chart.render_line(y))[:2] == (0, 0)
        # -inf makes the data signed; finite bars still scale to the largest finite value
        assert bar_eighths(chart.render_line(0))[1] == chart.bar_cells * 8
        assert bar_eighths(chart.render_line(4))[1] == expected_eighths(0.5, 1.0, chart.bar_cells)


async def test_long_labels_are_truncated_with_ellipsis() -> None:
    chart = BarChart()
    app = ChartApp(chart)
    async with app.run_test(size=(30, 6)) as pilot:
        chart.set_data(["a rather long label indeed", "short"], [1.0, 2.0])
        await pilot.pause()
        first, second = chart.render_line(0).text, chart.render_line(1).text
        label = first.split(" │")[0]
        assert label.endswith("…") and "a rather long label indeed".startswith(label[:-1])
        assert first.index(AXIS) == second.index(AXIS)
        assert len(first) == 30


async def test_highlight_marks_one_row() -> None:
    chart = BarChart()
    app = ChartApp(chart)
    async with app.run_test(size=(40, 6)) as pilot:
        chart.set_data(["a", "b", "c"], [1.0, 2.0, 3.0], highlight=1)
        await pilot.pause()
        rows = [chart.render_line(y) for y in range(3)]
        assert [r.text.startswith("▶") for r in rows] == [False, True, False]
        label_styles = [next(seg.style for seg in r if seg.text.strip()) for r in rows]
        assert [bool(s and s.bold) for s in label_styles] == [False, True, False]


async def test_bar_colours_come_from_the_palette() -> None:
    chart = BarChart()
    app = ChartApp(chart)
    async with app.run_test(size=(40, 8)) as pilot:

        def bar_colors(y: int) -> set[Color | None]:
            return {color for ch, _, color in cells(chart.render_line(y)) if ch in EIGHTHS}

        chart.set_data(["a", "b"], [1.0, 2.0])
        await pilot.pause()
        assert bar_colors(0) == {Color.from_rgb(*palette.class_color(0))}
        assert bar_colors(1) == {Color.from_rgb(*palette.class_color(1))}
        chart.set_data(["a", "b"], [-1.0, 2.0])
        await pilot.pause()
        assert bar_colors(0) == {Color.from_rgb(*palette.NEGATIVE)}
        assert bar_colors(1) == {Color.from_rgb(*palette.POSITIVE)}
        chart.set_data(["a", "b"], [1.0, 2.0], colors=[(1, 2, 3), (4, 5, 6)])
        await pilot.pause()
        assert bar_colors(0) == {Color.from_rgb(1, 2, 3)}


async def test_no_color_keeps_bars_and_values_without_data_colours() -> None:
    chart = BarChart()
    app = ChartApp(chart, no_color=True)
    async with app.run_test(size=(40, 8)) as pilot:
        chart.set_data(["a", "b"], [-1.0, 2.0])
        await pilot.pause()
        data_colors = {Color.from_rgb(*c) for c in (palette.POSITIVE, palette.NEGATIVE)}
        for y, value in enumerate([-1.0, 2.0]):
            strip = chart.render_line(y)
            assert not {color for _, _, color in cells(strip)} & data_colors
            assert strip.text.rstrip().endswith(f"{value:.2f}")
            assert sum(bar_eighths(strip)[:2]) > 0


@pytest.mark.parametrize("size", [(10, 3), (1, 1), (4, 2), (200, 60)])
async def test_survives_any_size(size: tuple[int, int]) -> None:
    chart = BarChart(title="a title longer than the widget")
    app = ChartApp(chart)
    async with app.run_test(size=size) as pilot:
        chart.set_data(["alpha", "beta", "gamma"], [1.0, -2.5, math.nan], highlight=2)
        await pilot.pause()
        width, height = chart.size
        for y in range(height + 2):
            assert chart.render_line(y).cell_length == width
        app.export_screenshot()


async def test_zero_size_and_empty_data() -> None:
    hidden = BarChart(id="hidden")
    app = ChartApp(hidden, css="#hidden { width: 0; height: 0; }")
    async with app.run_test(size=(30, 5)) as pilot:
        hidden.set_data(["a"], [1.0])
        await pilot.pause()
        assert hidden.render_line(0).cell_length == 0
    empty = BarChart(title="nothing")
    app = ChartApp(empty)
    async with app.run_test(size=(30, 5)) as pilot:
        await pilot.pause()
        assert empty.size.height == 1 and empty.render_line(0).text.startswith("nothing")
        empty.set_data(["a"], [1.0])
        empty.clear()
        await pilot.pause()
        assert empty.render_line(1).text.strip() == ""


def test_bad_input_raises_value_error() -> None:
    chart = BarChart()
    with pytest.raises(ValueError, match="one label per bar"):
        chart.set_data(["a"], [1.0, 2.0])
    with pytest.raises(ValueError, match="numbers"):
        chart.set_data(["a"], ["x"])
    with pytest.raises(ValueError, match="flat"):
        chart.set_data(["a"], [[1.0]])
    with pytest.raises(ValueError, match="one colour per bar"):
        chart.set_data(["a", "b"], [1, 2], colors=[(1, 2, 3)])
    with pytest.raises(ValueError, match="0..255"):
        chart.set_data(["a"], [1], colors=[(1, 2, 300)])
    with pytest.raises(ValueError, match="highlight"):
        chart.set_data(["a"], [1], highlight=3)
    with pytest.raises(ValueError, match="max_value"):
        chart.set_data(["a"], [1], max_value=0)
    with pytest.raises(ValueError, match="format"):
        chart.set_data(["a"], [1], fmt="{:q}")
    with pytest.raises(ValueError, match="format"):
        chart.set_data(["a"], [1], fmt="{0} {1}")

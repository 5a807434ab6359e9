"""IntervalChart: interval ends, centre and mark at the right columns of one shared axis; clipping,
the zero line, the highlight, NaN, monochrome, sizes and bad input."""

from __future__ import annotations

import math

import pytest
from textual.app import App, ComposeResult

from tui.widgets.interval_chart import (
    CENTRE,
    CLIP_HIGH,
    HIGH_END,
    LOW_END,
    MARK,
    ZERO,
    IntervalChart,
    axis_column,
)


class ChartApp(App):
    def __init__(self, chart: IntervalChart, no_color: bool = False) -> None:
        super().__init__()
        self._chart = chart
        if no_color:
            self.no_color = True

    def compose(self) -> ComposeResult:
        yield self._chart


def test_axis_column_maps_and_clips() -> None:
    assert axis_column(-1.0, -1.0, 1.0, 20) == 0
    assert axis_column(0.0, -1.0, 1.0, 20) == 10
    assert axis_column(0.999, -1.0, 1.0, 20) == 19
    assert axis_column(5.0, -1.0, 1.0, 20) == 19 and axis_column(-5.0, -1.0, 1.0, 20) == 0
    assert axis_column(0.5, 0.0, 1.0, 0) == 0


async def test_every_glyph_sits_at_its_value() -> None:
    chart = IntervalChart(title="beliefs")
    app = ChartApp(chart)
    async with app.run_test(size=(60, 10)) as pilot:
        chart.set_data(["a", "bb"], [0.5, -1.0], [-0.5, -1.8], [1.5, 0.2], marks=[1.0, float("nan")],
                       highlight=1, vmin=-2.0, vmax=2.0)
        await pilot.pause()
        start, cells = chart.track
        assert cells > 20
        assert chart.render_line(0).text.startswith("beliefs")
        for row, (c, lo, hi, mark) in enumerate([(0.5, -0.5, 1.5, 1.0), (-1.0, -1.8, 0.2, None)], start=1):
            text = chart.render_line(row).text
            track = text[start : start + cells]
            assert track[axis_column(lo, -2, 2, cells)] == LOW_END
            assert track[axis_column(hi, -2, 2, cells)] == HIGH_END
            assert track[axis_column(c, -2, 2, cells)] == CENTRE
            if mark is not None:
                assert track[axis_column(mark, -2, 2, cells)] == MARK
            else:
                assert MARK not in track
            assert text.rstrip().endswith(f"{c:+.2f}")
        assert chart.render_line(2).text.startswith("▶ bb")  # the highlight
        scale = chart.render_line(3).text
        assert scale[start:].startswith("-2") and scale.rstrip().endswith("2") and "0" in scale


async def test_outside_values_are_clipped_with_arrows_and_nan_draws_nothing() -> None:
    chart = IntervalChart()
    app = ChartApp(chart)
    async with app.run_test(size=(50, 6)) as pilot:
        chart.set_data(["x", "y"], [0.0, float("nan")], [-0.5, float("nan")], [9.0, float("nan")], vmin=-1, vmax=1)
        await pilot.pause()
        start, cells = chart.track
        first = chart.render_line(0).text[start : start + cells]
        assert first.rstrip().endswith(CLIP_HIGH)
        second = chart.render_line(1).text
        track = second[start : start + cells]
        assert set(track) == {" ", ZERO} and track[axis_column(0.0, -1, 1, cells)] == ZERO  # the zero line
        assert second.rstrip().endswith("nan")


async def test_automatic_range_takes_in_everything_and_zero() -> None:
    chart = IntervalChart()
    app = ChartApp(chart)
    async with app.run_test(size=(50, 6)) as pilot:
        chart.set_data(["x"], [2.0], [1.0], [3.0], marks=[4.0])
        await pilot.pause()
        assert chart.axis_range == (0.0, 4.0)
        chart.set_data(["x"], [0.0], [0.0], [0.0])
        assert chart.axis_range == (-1.0, 1.0)


async def test_colours_and_monochrome() -> None:
    chart = IntervalChart()
    app = ChartApp(chart, no_color=True)
    async with app.run_test(size=(50, 6)) as pilot:
        chart.set_data(["x"], [0.2], [-0.3], [0.6], colors=[(255, 0, 0)], vmin=-1, vmax=1)
        await pilot.pause()
        strip = chart.render_line(0)
        assert CENTRE in strip.text and LOW_END in strip.text  # shapes, not colours, carry the meaning
        assert all(s.style is None or s.style.color is None or s.style.color.name != "#ff0000" for s in strip)
    coloured = IntervalChart()
    app = ChartApp(coloured)
    async with app.run_test(size=(50, 6)) as pilot:
        coloured.set_data(["x"], [0.2], [-0.3], [0.6], colors=[(255, 0, 0)], vmin=-1, vmax=1)
        await pilot.pause()
        span = next(s for s in coloured.render_line(0) if HIGH_END in s.text or "─" in s.text)
        assert span.style.color.get_truecolor() == (255, 0, 0)


@pytest.mark.parametrize("size", [(0, 0), (3, 1), (12, 3), (200, 60)])
async def test_survives_any_size(size) -> None:
    chart = IntervalChart(title="t")
    app = ChartApp(chart)
    async with app.run_test(size=size) as pilot:
        chart.set_data(["a" * 30, "b"], [1.0, -1.0], [0.0, -2.0], [2.0, 0.0], marks=[1.5, math.inf], highlight=0)
        await pilot.pause()
        for y in range(5):
            chart.render_line(y)
        chart.clear()
        await pilot.pause()
        chart.render_line(0)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(labels=["a"], centres=[1, 2], lows=[0], highs=[1]),
        dict(labels=["a"], centres=["x"], lows=[0], highs=[1]),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], marks=[1, 2]),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], highlight=3),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], highlight=True),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], vmin=2, vmax=1),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], vmin=math.nan),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], fmt="{:q}"),
        dict(labels=["a"], centres=[1], lows=[0], highs=[1], colors=[(1, 2)]),
    ],
)
async def test_bad_input_is_refused(kwargs) -> None:
    chart = IntervalChart()
    app = ChartApp(chart)
    async with app.run_test(size=(40, 6)):
        with pytest.raises(ValueError):
            args = [kwargs.pop(k) for k in ("labels", "centres", "lows", "highs")]
            chart.set_data(*args, **kwargs)

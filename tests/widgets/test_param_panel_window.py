"""ParamPanel additions: custom nudges, group headings, and a long knob list that scrolls to keep the
chosen knob in view (with "more" markers), never wrapping a line."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical

from tui.widgets.param_panel import Param, ParamPanel


def layers_nudge(value: tuple[int, ...], direction: int) -> tuple[int, ...]:
    return (*value, 4) if direction > 0 else value[:-1]


def test_custom_nudge_replaces_the_built_in_step():
    p = Param("layers", "layers", (4, 2), "text", nudge=layers_nudge)
    assert p.nudged(1) == (4, 2, 4) and p.nudged(-1) == (4,)
    q = Param("rate", "rate", 0.0, "float", lo=0, hi=1, factor=3, nudge=lambda v, d: 0.001 if d > 0 and v == 0 else v)
    assert q.nudged(1) == 0.001  # a factor alone would stay stuck at 0
    assert Param("k", "k", 3, "int", lo=1, hi=8).nudged(1) == 4  # knobs without one are unchanged


def many(n: int = 20, groups: bool = True) -> list[Param]:
    return [Param(f"k{i}", f"knob {i}", i, "int", lo=0, hi=100, group=f"group {i // 5}" if groups else "")
            for i in range(n)]


class Tall(App):
    def __init__(self, params: list[Param], height_css: str = "") -> None:
        super().__init__()
        self.params_ = params
        self.height_css = height_css

    def compose(self) -> ComposeResult:
        with Vertical():
            panel = ParamPanel(self.params_)
            if self.height_css:
                panel.styles.height = self.height_css
                panel.styles.max_height = "100%"
            yield panel


def shown_lines(panel: ParamPanel) -> list[str]:
    return [panel._rows.render_line(y).text.rstrip() for y in range(panel._rows.size.height)]


async def test_group_headings_sit_above_each_group_and_clicks_skip_them():
    app = Tall(many(8))
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        panel = app.query_one(ParamPanel)
        lines = shown_lines(panel)
        assert lines[0].strip().startswith("── group 0") and "knob 0" in lines[1]
        assert lines[6].strip().startswith("── group 1") and "knob 5" in lines[7]
        assert len(lines) == 10  # 8 knobs, 2 headings
        await pilot.click(ParamPanel, offset=(4, 1 + 7))  # border row, then line 7 = knob 5
        assert panel.selected == 5
        await pilot.click(ParamPanel, offset=(4, 1 + 6))  # a heading: nothing changes
        assert panel.selected == 5


@pytest.mark.parametrize("height", ["", "12"])  # auto height up to 50 %, or a fixed height
async def test_a_long_list_scrolls_to_keep_the_chosen_knob_in_view(height):
    app = Tall(many(20), height)
    async with app.run_test(size=(50, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one(ParamPanel)
        panel.focus()
        room = panel.size.height
        lines = shown_lines(panel)
        assert len(lines) <= room and lines[-1].strip().startswith("▼") and "more" in lines[-1]
        for target in range(1, 20):
            await pilot.press("down")
            lines = shown_lines(panel)
            assert any(f"knob {target}" in line and "▸" in line for line in lines), (target, lines)
            assert len(lines) <= room
        assert lines[0].strip().startswith("▲") and not lines[-1].strip().startswith("▼")
        await pilot.press("down")  # wraps round to the first knob
        lines = shown_lines(panel)
        assert panel.selected == 0 and any("knob 0" in line for line in lines) and panel.first_line == 0
        # clicking a line in the scrolled list picks the knob drawn there
        for _ in range(12):
            await pilot.press("up")
        lines = shown_lines(panel)
        y = next(i for i, line in enumerate(lines) if "knob 10" in line)
        await pilot.click(ParamPanel, offset=(4, 1 + y))
        assert panel.selected == 10


async def test_hidden_knobs_are_counted_in_the_markers():
    app = Tall(many(20, groups=False), "8")
    async with app.run_test(size=(50, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one(ParamPanel)
        lines = shown_lines(panel)
        shown = sum("knob" in line for line in lines)
        assert lines[-1].strip() == f"▼ {20 - shown} more"


async def test_long_values_are_cut_not_wrapped():
    params = [Param("a", "a", "x" * 80, "text"), Param("b", "b", 1, "int")]
    app = Tall(params)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        panel = app.query_one(ParamPanel)
        lines = shown_lines(panel)
        assert len(lines) == 2 and lines[0].endswith("…") and "b" in lines[1]


@pytest.mark.parametrize("size", [(12, 4), (30, 6), (200, 60)])
async def test_any_size_with_a_long_list(size):
    app = Tall(many(30), "1fr")
    async with app.run_test(size=size) as pilot:
        panel = app.query_one(ParamPanel)
        panel.focus()
        await pilot.press("down", "down", "up", "enter", "escape", "right")
        await pilot.pause()

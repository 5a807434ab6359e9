"""Param parsing/nudging (pure) and ParamPanel keys, editing and messages (Pilot)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from tui.widgets.param_panel import Param, ParamPanel

LR = Param("lr", "learning rate", 0.01, "float", lo=1e-5, hi=10.0, factor=2.0, fmt="{:.3g}")
K = Param("k", "clusters", 3, "int", lo=1, hi=8)
OPT = Param("opt", "optimiser", "adam", "choice", choices=("sgd", "adam"))
BATCH = Param("batch", "batch", None, "choice", choices=(8, None), labels={None: "all"})
ON = Param("on", "show test", False, "bool")


def test_parse_numbers_ranges_and_messages():
    assert LR.parse(" 0.5 ") == 0.5
    assert K.parse("4") == 4 and isinstance(K.parse("4"), int)
    with pytest.raises(ValueError, match="not a number"):
        LR.parse("fast")
    with pytest.raises(ValueError, match="between"):
        LR.parse("11")
    with pytest.raises(ValueError, match="finite"):
        LR.parse("nan")
    with pytest.raises(ValueError, match="whole number"):
        K.parse("2.5")


def test_parse_choices_and_bools():
    assert OPT.parse("SGD") == "sgd"
    assert BATCH.parse("all") is None and BATCH.parse("8") == 8
    with pytest.raises(ValueError, match="choose one of"):
        OPT.parse("lbfgs")
    assert ON.parse("on") is True and ON.parse("no") is False
    with pytest.raises(ValueError):
        ON.parse("maybe")


def test_nudges():
    assert LR.nudged(1) == 0.02 and LR.nudged(-1) == 0.005
    assert K.nudged(1) == 4 and Param("k", "k", 8, "int", lo=1, hi=8).nudged(1) == 8
    assert OPT.nudged(1) == "adam".replace("adam", "sgd")  # wraps around
    assert ON.nudged(1) is True
    assert BATCH.display() == "all"


@given(st.floats(min_value=1e-5, max_value=10.0), st.sampled_from([1, -1]))
def test_nudged_value_stays_in_range(value, direction):
    p = Param("lr", "lr", value, "float", lo=1e-5, hi=10.0, factor=2.0)
    new = p.nudged(direction)
    assert 1e-5 <= new <= 10.0 and math.isfinite(new)


@given(st.text(max_size=12))
def test_parse_never_raises_anything_but_valueerror(text):
    for p in (LR, K, OPT, BATCH, ON):
        try:
            p.parse(text)
        except ValueError:
            pass


class PanelApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[tuple[str, object, object]] = []

    def compose(self) -> ComposeResult:
        yield ParamPanel([LR, K, OPT])

    def on_param_panel_changed(self, event: ParamPanel.Changed) -> None:
        self.changes.append((event.name, event.value, event.old))


async def test_keys_select_nudge_and_post_changes():
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(ParamPanel)
        panel.focus()
        await pilot.press("right")
        await pilot.press("down", "right", "right", "left")
        await pilot.press("down", "right")
        await pilot.pause()
        assert app.changes == [("lr", 0.02, 0.01), ("k", 4, 3), ("k", 5, 4), ("k", 4, 5), ("opt", "sgd", "adam")]
        assert panel.value("k") == 4


async def test_typed_value_is_validated_inline():
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(ParamPanel)
        panel.focus()
        await pilot.press("down", "enter")
        assert panel._input.has_focus
        panel._input.value = "12"
        await pilot.press("enter")
        await pilot.pause()
        assert "between" in panel.error and panel.value("k") == 3 and app.changes == []
        panel._input.value = "6"
        await pilot.press("enter")
        await pilot.pause()
        assert panel.error == "" and panel.value("k") == 6 and app.changes == [("k", 6, 3)]
        assert panel.has_focus  # editor closed, focus back on the panel


async def test_escape_cancels_editing_then_leaves():
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(ParamPanel)
        panel.focus()
        await pilot.press("enter")
        panel._input.value = "0.3"
        await pilot.press("escape")
        await pilot.pause()
        assert panel.has_focus and panel.value("lr") == 0.01 and app.changes == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None


async def test_reject_restores_and_explains():
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(ParamPanel)
        panel.propose("lr", 5.0)
        panel.reject("lr", 0.01, "too fast for this net")
        await pilot.pause()
        assert panel.value("lr") == 0.01 and "too fast" in panel.error


@pytest.mark.parametrize("size", [(10, 3), (200, 60)])
async def test_any_size(size):
    app = PanelApp()
    async with app.run_test(size=size) as pilot:
        app.query_one(ParamPanel).focus()
        await pilot.press("down", "right", "enter", "escape")


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise ValueError("write sizes like 4,4") from None
    if not sizes or any(not 1 <= v <= 32 for v in sizes):
        raise ValueError("each layer needs 1 to 32 neurons")
    return sizes


def test_text_knobs_parse_with_their_own_parser():
    p = Param("layers", "hidden layers", (4, 4), "text", parser=_sizes,
              formatter=lambda v: ",".join(map(str, v)), help="sizes like 4,4")
    assert p.parse("8,2") == (8, 2)
    assert p.display() == "4,4" and p.range_text() == "sizes like 4,4"
    assert p.nudged(1) == (4, 4)
    with pytest.raises(ValueError, match="hidden layers: write sizes like 4,4"):
        p.parse("four")
    with pytest.raises(ValueError, match="1 to 32"):
        p.parse("0")

"""The ChopsUpdate fix: partial spans start at their first changed cell; everything else unchanged."""

from __future__ import annotations

import re

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip

from tui import textual_fixes

CONSOLE = Console(force_terminal=True, color_system="truecolor", width=200)


def _strip(width: int) -> Strip:
    return Strip([Segment(chr(ord("a") + i % 26), Style(color=f"#{i * 9 % 256:02x}8040")) for i in range(width)])


def _render(update: ChopsUpdate, fixed: bool) -> str:
    method = textual_fixes._render_segments if fixed else ChopsUpdate._textual_render_segments
    return method(update, CONSOLE)


def _cells(raw: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw).replace("\n", "")


def test_fix_is_installed_by_the_app():
    import tui.app  # noqa: F401  (applies the fix)

    assert getattr(ChopsUpdate.render_segments, "__learnloop_fix__", False)


def test_whole_chops_render_exactly_as_before():
    chops = [{0: _strip(30), 30: _strip(20)}]
    update = ChopsUpdate(chops, [(0, 0, 50)], [[30, 50]])
    assert _render(update, True) == _render(update, False)


def test_partial_span_starts_at_the_first_changed_cell():
    chops = [{10: _strip(100)}]  # a widget from column 10 to 110
    update = ChopsUpdate(chops, [(0, 70, 80)], [[110]])
    fixed, original = _render(update, True), _render(update, False)
    assert _cells(fixed) == _cells(original)[60:70]  # only columns 70..79 are written
    assert "\x1b[1;71H" in fixed  # the cursor moves to column 70 (1-based 71)
    assert len(fixed) < len(original) / 3


def test_span_ending_inside_a_chop_and_several_lines():
    chops = [{0: _strip(40)}, {0: _strip(40)}]
    update = ChopsUpdate(chops, [(0, 5, 9), (1, 0, 40)], [[40], [40]])
    fixed = _render(update, True)
    assert _cells(fixed) == _cells(_render(ChopsUpdate([{0: _strip(40)}], [(0, 0, 40)], [[40]]), False))[5:9] + _cells(
        _render(ChopsUpdate([{0: _strip(40)}], [(0, 0, 40)], [[40]]), False)
    )


def test_version_from_the_dist_info_folder_matches_the_metadata():
    import textual

    assert textual_fixes.textual_version() == textual.__version__

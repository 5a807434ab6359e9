"""CodeView: numbered, coloured lines; highlighted lines marked in colour and without; notes never cover
code; scrolling keeps the highlight in view; odd sizes and bad input."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tui.widgets.code_view import MARK, CodeView, tokenize

CODE = """\
import math

def f(x):
    return 2 * x  # twice

for i in range(3):
    y = f(i)  # a comment that is long enough to be covered
    print(y)
"""


class CodeApp(App):
    def __init__(self, view: CodeView, css: str = "", no_color: bool = False) -> None:
        self.CSS = css
        super().__init__()
        self._view = view
        if no_color:
            self.no_color = True

    def compose(self) -> ComposeResult:
        yield self._view


def rows(view: CodeView) -> list[str]:
    return [view.row_text(y) for y in range(view.size.height)]


def test_tokenize_keeps_every_character_on_its_line() -> None:
    lines = tokenize(CODE)
    assert ["".join(t for t, _ in row) for row in lines] == CODE.rstrip("\n").split("\n")
    kinds = {kind[0] for row in lines for _, kind in row if kind}
    assert {"Keyword", "Comment", "Literal"} <= kinds
    with pytest.raises(ValueError, match="language"):
        tokenize("x", "no-such-language")


async def test_lines_numbered_and_highlight_marked() -> None:
    view = CodeView(CODE, id="code")
    app = CodeApp(view, "#code { border: none; padding: 0; }")
    async with app.run_test(size=(70, 12)) as pilot:
        await pilot.pause()
        view.set_highlight([3, 4, 99])
        await pilot.pause()
        assert view.highlighted == (3, 4)  # 99 is not a line
        text = rows(view)
        assert text[0].startswith("  1 import math")
        assert text[2].startswith(f"{MARK} 3 def f(x):") and text[3].startswith(f"{MARK} 4     return")
        assert not text[4].startswith(MARK)
        # highlighted rows get a background of their own
        lit = view.render_line(2)
        plain = view.render_line(0)
        assert {s.style.bgcolor for s in lit if s.style} != {s.style.bgcolor for s in plain if s.style}
        # keywords are coloured differently from names
        keyword = next(s for s in view.render_line(0) if s.text == "import")
        name = next(s for s in view.render_line(0) if s.text == "math")
        assert keyword.style.color != name.style.color


async def test_monochrome_highlight_is_reverse_video_and_marker() -> None:
    view = CodeView(CODE, id="code")
    app = CodeApp(view, "#code { border: none; padding: 0; }", no_color=True)
    async with app.run_test(size=(70, 12)) as pilot:
        view.set_highlight([7])
        await pilot.pause()
        strip = view.render_line(6)
        assert strip.text.startswith(MARK)
        assert any(s.style and s.style.reverse for s in strip if s.text.strip())


async def test_notes_follow_the_code_and_never_cover_it() -> None:
    view = CodeView(CODE, id="code")
    app = CodeApp(view, "#code { border: none; padding: 0; }")
    async with app.run_test(size=(100, 12)) as pilot:
        view.set_notes({4: "x=2", 7: "y=4", 50: "ignored"})
        await pilot.pause()
        assert view.notes == {4: "x=2", 7: "y=4"}
        wide = rows(view)
        assert wide[6].rstrip().endswith("y=4") and "long enough to be covered" in wide[6]  # room: comment kept
        assert wide[3].index("x=2") == wide[6].index("y=4")  # notes share a column
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        narrow = rows(view)
        assert narrow[6].startswith("  7     y = f(i)") and "y=4" in narrow[6]  # the code stays, the comment goes
        assert "comment" not in narrow[6]
        await pilot.resize_terminal(20, 12)
        await pilot.pause()
        tiny = rows(view)
        assert tiny[6].startswith("  7     y = f(i)")  # no room for the note: the code wins


async def test_scrolls_to_keep_the_highlight_in_view() -> None:
    code = "\n".join(f"x{i} = {i}" for i in range(1, 41)) + "\n"
    view = CodeView(code, id="code")
    app = CodeApp(view, "#code { border: none; padding: 0; height: 10; }")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert view.top_line == 1
        view.set_highlight([30, 31])
        await pilot.pause()
        shown = rows(view)
        assert any(r.startswith(f"{MARK} 30 x30") for r in shown) and any(r.startswith(f"{MARK} 31") for r in shown)
        view.set_highlight([2])
        await pilot.pause()
        assert view.top_line <= 2


@pytest.mark.parametrize("size", [(0, 0), (1, 1), (10, 3), (200, 60)])
async def test_survives_any_size_and_empty_code(size) -> None:
    view = CodeView(CODE, id="code")
    app = CodeApp(view)
    async with app.run_test(size=size) as pilot:
        view.set_highlight([1, 2])
        view.set_notes({1: "a note that is rather long for a tiny widget"})
        await pilot.pause()
        for y in range(max(view.size.height, 1) + 2):
            view.render_line(y)
        view.set_code("")
        await pilot.pause()
        assert view.line_count == 0
        view.render_line(0)


async def test_bad_highlight_is_refused() -> None:
    view = CodeView(CODE)
    app = CodeApp(view)
    async with app.run_test(size=(40, 10)):
        with pytest.raises(ValueError):
            view.set_highlight(["two"])

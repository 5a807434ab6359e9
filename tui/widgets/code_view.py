"""CodeView: source code with syntax colours, line numbers, highlighted lines and live notes.

A row reads ``▶ 12  w = w - lr * grad        w=0.4485``: the gutter holds a marker (``▶`` on
highlighted lines, so the highlight reads without colour too) and the line number; highlighted lines
also get a background; a *note* (e.g. the values a line just computed) is written after the code, or
over the end of a line that is too long (comments go first). When the code is taller than the widget,
it scrolls so that the highlighted lines stay in view.

The code is tokenised once per ``set_code`` (pygments, imported on first use); rows are cut into
``Strip`` objects once per change of code, highlight, notes, size or theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

MARK = "▶"
Token = tuple[str, tuple[str, ...]]  # (text, pygments token type path)

# Token kinds coloured in each theme; everything else is drawn in the widget's own foreground.
_COLORS_DARK = {
    "Keyword": "#66d9ef", "Name.Builtin": "#66d9ef", "Name.Function": "#a6e22e",
    "Literal.Number": "#ae81ff", "Literal.String": "#e6db74", "Comment": "#8f8b78", "Operator": "#f92672",
}
_COLORS_LIGHT = {
    "Keyword": "#0000c0", "Name.Builtin": "#0000c0", "Name.Function": "#00627a",
    "Literal.Number": "#1750eb", "Literal.String": "#067d17", "Comment": "#7a7a7a", "Operator": "#a0004f",
}


@lru_cache(maxsize=256)
def _token_style(kind: tuple[str, ...], dark: bool, mono: bool) -> Style:
    """The style of a pygments token kind (its most specific coloured ancestor wins)."""
    if mono:
        return Style(italic=True) if kind[:1] == ("Comment",) else Style()
    colors = _COLORS_DARK if dark else _COLORS_LIGHT
    for depth in range(len(kind), 0, -1):
        color = colors.get(".".join(kind[:depth]))
        if color is not None:
            return Style(color=color, italic=kind[:1] == ("Comment",))
    return Style()


def tokenize(code: str, language: str = "python") -> list[list[Token]]:
    """``code`` as rows of ``(text, kind)`` tokens (no newlines in the texts)."""
    if not code:
        return []
    from pygments.lexers import get_lexer_by_name  # imported on first use: start-up stays fast
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        raise ValueError(f"unknown language {language!r} for syntax colours") from None
    rows: list[list[Token]] = [[]]
    for kind, text in lexer.get_tokens(code):
        path = tuple(str(kind).split(".")[1:])  # "Token.Keyword.Namespace" -> ("Keyword", "Namespace")
        parts = text.expandtabs(4).split("\n")
        for i, part in enumerate(parts):
            if i:
                rows.append([])
            if part:
                rows[-1].append((part, path))
    if code.endswith("\n") and not rows[-1]:
        rows.pop()
    return rows


class CodeView(Widget):
    """Syntax-coloured source with numbered lines, highlighted lines and notes at line ends."""

    DEFAULT_CSS = """
    CodeView {
        width: 1fr;
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text;
        color: $foreground;
        padding: 0 1 0 0;
    }
    CodeView > .code-view--gutter { color: $text-muted; }
    CodeView > .code-view--highlight { background: $accent 30%; text-style: bold; }
    CodeView > .code-view--mark { color: $accent; text-style: bold; }
    CodeView > .code-view--note { color: $accent; text-style: italic; }
    """

    COMPONENT_CLASSES = {"code-view--gutter", "code-view--highlight", "code-view--mark", "code-view--note"}

    def __init__(
        self,
        code: str = "",
        language: str = "python",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._code = ""
        self._language = language
        self._rows: list[list[Token]] = []
        self._highlight: frozenset[int] = frozenset()
        self._notes: dict[int, str] = {}
        self._top = 0  # first line shown (0-based)
        self._generation = 0
        self._strips: list[Strip] = []
        self._strips_key: tuple[object, ...] | None = None
        if code:
            self.set_code(code, language)

    # --- public API -------------------------------------------------------------------------

    @property
    def code(self) -> str:
        return self._code

    @property
    def line_count(self) -> int:
        return len(self._rows)

    @property
    def highlighted(self) -> tuple[int, ...]:
        """The highlighted line numbers (1-based), sorted."""
        return tuple(sorted(self._highlight))

    @property
    def notes(self) -> dict[int, str]:
        return dict(self._notes)

    @property
    def top_line(self) -> int:
        """The line number (1-based) shown in the first row."""
        return self._top + 1

    def set_code(self, code: str, language: str = "python") -> None:
        """Show ``code`` (a new text drops the highlight's scroll position, not the highlight)."""
        code = str(code)
        if code == self._code and language == self._language:
            return
        self._rows = tokenize(code, language)
        self._code, self._language = code, language
        self._highlight = frozenset(n for n in self._highlight if 1 <= n <= len(self._rows))
        self._notes = {n: t for n, t in self._notes.items() if 1 <= n <= len(self._rows)}
        self._changed(layout=True)

    def set_highlight(self, lines: Iterable[int]) -> None:
        """Highlight these line numbers (1-based; others are ignored) and scroll them into view."""
        try:
            wanted = frozenset(int(n) for n in lines)
        except (TypeError, ValueError):
            raise ValueError("highlighted lines must be line numbers (integers)") from None
        wanted = frozenset(n for n in wanted if 1 <= n <= len(self._rows))
        if wanted != self._highlight:
            self._highlight = wanted
            self._changed()

    def set_notes(self, notes: Mapping[int, str]) -> None:
        """Text to show at the end of lines, by line number (1-based)."""
        clean = {int(n): str(t).replace("\n", " ") for n, t in notes.items() if t and 1 <= int(n) <= len(self._rows)}
        if clean != self._notes:
            self._notes = clean
            self._changed()

    def row_text(self, y: int) -> str:
        """The characters of row ``y`` as drawn (for tests)."""
        return self.render_line(y).text

    # --- Textual hooks ----------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        gutter = self._gutter_width()
        longest = max((sum(cell_len(t) for t, _ in row) for row in self._rows), default=0)
        return gutter + longest

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        mono = bool(getattr(self.app, "no_color", False))
        theme = getattr(self.app, "current_theme", None)
        dark = bool(getattr(theme, "dark", True))
        base = self.rich_style
        key = (width, height, mono, dark, base, self._generation)
        if key != self._strips_key:
            self._scroll_to_highlight(height)
            self._strips = self._layout(width, height, base, mono, dark)
            self._strips_key = key
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, base)

    # --- drawing ----------------------------------------------------------------------------

    def _changed(self, layout: bool = False) -> None:
        self._generation += 1
        self.refresh(layout=layout)

    def _gutter_width(self) -> int:
        return 2 + len(str(max(len(self._rows), 1))) + 1  # "▶ " + number + a space

    def _scroll_to_highlight(self, height: int) -> None:
        n = len(self._rows)
        if height <= 0 or n <= height:
            self._top = 0
            return
        self._top = min(self._top, n - height)
        if self._highlight:
            first, last = min(self._highlight) - 1, max(self._highlight) - 1
            if first < self._top or last >= self._top + height:
                span = last - first + 1
                self._top = first - max(0, (height - span) // 2) if span <= height else first
                self._top = max(0, min(self._top, n - height))

    def _layout(self, width: int, height: int, base: Style, mono: bool, dark: bool) -> list[Strip]:
        if width <= 0 or height <= 0:
            return []
        gutter_style = base + self.get_component_rich_style("code-view--gutter")
        mark_style = base + self.get_component_rich_style("code-view--mark")
        note_style = base + self.get_component_rich_style("code-view--note")
        lit = self.get_component_rich_style("code-view--highlight")
        lit_style = base + (Style(reverse=True, bold=True) if mono else lit)
        digits = len(str(max(len(self._rows), 1)))
        gutter = self._gutter_width()
        # Notes go after the longest line when they all fit there; otherwise after the longest line
        # of code without its comment (notes then hide the comments of their lines).
        longest = max((sum(cell_len(t) for t, _ in row) for row in self._rows), default=0)
        longest_note = max((cell_len(t) for t in self._notes.values()), default=0)
        note_col = gutter + longest + 2
        keep_comments = note_col + longest_note <= width
        if not keep_comments:
            note_col = gutter + max((_code_cells(row) for row in self._rows), default=0) + 2
        strips: list[Strip] = []
        for index in range(self._top, min(len(self._rows), self._top + height)):
            number = index + 1
            is_lit = number in self._highlight
            row_base = lit_style if is_lit else base
            segments = [
                Segment(f"{MARK} " if is_lit else "  ", mark_style if is_lit else gutter_style),
                Segment(str(number).rjust(digits) + " ", gutter_style),
            ]
            for text, kind in self._rows[index]:
                segments.append(Segment(text, row_base + _token_style(kind, dark, mono)))
            strip = Strip(segments)
            note = self._notes.get(number)
            if note:
                code_end = gutter + _code_cells(self._rows[index])
                strip = _with_note(
                    strip, note, note_col, code_end, keep_comments, width, row_base + note_style, row_base
                )
            else:
                strip = strip.crop_extend(0, width, row_base if is_lit else base)
            strips.append(strip)
        return strips


def _code_cells(row: list[Token]) -> int:
    """Cells of a row up to its comment, trailing spaces left out."""
    text = ""
    for part, kind in row:
        if kind[:1] == ("Comment",):
            break
        text += part
    return cell_len(text.rstrip())


def _with_note(
    strip: Strip, note: str, note_col: int, code_end: int, keep_comments: bool, width: int, style: Style, fill: Style
) -> Strip:
    """``strip`` with ``note`` written from column ``note_col`` — pulled left to fit when it can, but never
    over the line's code (``code_end``): it is cut short instead. Unless ``keep_comments``, the line's
    comment is hidden."""
    start = max(min(note_col, width - cell_len(note)), code_end + 2)
    room = width - start
    if room < 2:
        return strip.crop_extend(0, width, fill)
    if cell_len(note) > room:
        note = set_cell_size(note, room - 1) + "…"
    head = strip.crop_extend(0, start if keep_comments else code_end, fill).crop_extend(0, start, fill)
    return Strip.join([head, Strip([Segment(note, style)])]).crop_extend(0, width, fill)

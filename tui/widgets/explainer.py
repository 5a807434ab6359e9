"""Explainer: the topic's own words, as pages of Markdown the user turns with keys."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.widgets.drawing import after_frames


class Explainer(VerticalScroll, can_focus=False):
    """Pages of Markdown with a title line "title · page/pages"; ``page`` is set by the screen."""

    DEFAULT_CSS = """
    Explainer {
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    Explainer > Static { width: 1fr; }
    """

    def __init__(
        self,
        pages: list[tuple[str, str]] | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._pages: list[tuple[str, str]] = list(pages or [])
        self._page = 0
        self._body = Static()

    def compose(self):
        yield self._body

    def on_mount(self) -> None:
        # Rich's Markdown costs ~50-90 ms to import and lay out the first time: show the title now
        # and the page once the screen has drawn twice (a canvas has its picture in the first frame;
        # other widgets get their content from on_resize's redraw, in the second), so the topic's
        # picture is not kept waiting.
        self._show(body=False)
        after_frames(self, 2, self._show)

    @property
    def page(self) -> int:
        return self._page

    @property
    def page_count(self) -> int:
        return len(self._pages)

    @property
    def page_title(self) -> str:
        return self._pages[self._page][0] if self._pages else ""

    def set_pages(self, pages: list[tuple[str, str]]) -> None:
        """Pages as (title, markdown) pairs."""
        self._pages = list(pages)
        self._page = min(self._page, max(len(self._pages) - 1, 0))
        self._show()

    def goto(self, page: int) -> None:
        """Show page ``page`` (clamped)."""
        page = max(0, min(page, len(self._pages) - 1))
        if page != self._page:
            self._page = page
            self._show()

    def turn(self, delta: int) -> None:
        self.goto(self._page + delta)

    def _show(self, body: bool = True) -> None:
        if not self._pages:
            self._body.update("")
            self.border_title = ""
            return
        title, text = self._pages[self._page]
        self.border_title = f"{title} · {self._page + 1}/{len(self._pages)}"
        self.border_subtitle = "pgup/pgdn"
        if not body:
            return
        from rich.markdown import Markdown  # import on first use: start-up stays fast

        self._body.update(Group(Markdown(text), Text("")))
        self.scroll_home(animate=False)

"""A base for Line-API widgets that lay out all their rows at once and keep them until told."""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget


class CachedRowsWidget(Widget):
    """Subclasses implement ``_layout(width, height, base, mono) -> list[Strip]`` and call
    ``_changed()`` when what they show changes; rows are rebuilt only when the size, the base
    style, the colour mode or the content changed since the last layout."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._generation = 0
        self._strips: list[Strip] = []
        self._strips_key: tuple[object, ...] | None = None

    def _layout(self, width: int, height: int, base: Style, mono: bool) -> list[Strip]:
        raise NotImplementedError

    def _changed(self, layout: bool = True) -> None:
        """Drop the cached rows; ``layout``: the number of rows may have changed too."""
        self._generation += 1
        self.refresh(layout=layout)

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        mono = bool(getattr(self.app, "no_color", False))
        base = self.rich_style
        key = (width, height, mono, base, self._generation)
        if key != self._strips_key:
            self._strips = self._layout(width, height, base, mono)
            self._strips_key = key
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, base)

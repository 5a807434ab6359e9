"""MetricsBar: one line of live numbers (epoch, loss, accuracy …) and the simulation's state."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class MetricsBar(Widget):
    """``state │ name value │ name value …`` on one line; numbers, not just colours."""

    DEFAULT_CSS = """
    MetricsBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._state = ""
        self._state_style = "bold"
        self._metrics: dict[str, str] = {}

    @property
    def metrics(self) -> dict[str, str]:
        """The metrics shown, as formatted strings (read-only copy)."""
        return dict(self._metrics)

    def set_state(self, text: str, style: str = "bold") -> None:
        """The state shown first, e.g. "▶ playing", "⏸ paused", "✖ diverged"."""
        if (text, style) != (self._state, self._state_style):
            self._state, self._state_style = text, style
            self.refresh()

    def set_metrics(self, metrics: dict[str, str]) -> None:
        """Replace the metrics; values are already formatted strings."""
        if metrics != self._metrics:
            self._metrics = dict(metrics)
            self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self._state:
            text.append(self._state, self._state_style)
        for name, value in self._metrics.items():
            if len(text):
                text.append(" │ ", "dim")
            text.append(f"{name} ", "dim")
            text.append(value, "bold")
        return text

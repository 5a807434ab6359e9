"""The help modal: the topic's explanation and a key table built from the screen's own bindings."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# How some key names read best on screen.
_KEY_NAMES = {
    "space": "space", "question_mark": "?", "plus": "+", "minus": "-", "equals_sign": "=",
    "underscore": "_", "escape": "esc", "enter": "enter", "pageup": "pgup", "pagedown": "pgdn",
    "left_square_bracket": "[", "right_square_bracket": "]", "comma": ",", "full_stop": ".",
    "slash": "/", "up": "↑", "down": "↓", "left": "←", "right": "→",
}


def key_name(key: str) -> str:
    return _KEY_NAMES.get(key, key)


def key_table(active_bindings) -> Table:
    """A table of (keys, what they do) from ``Screen.active_bindings``, merging keys of one action."""
    rows: dict[tuple[str, str], list[str]] = {}
    for key, active in active_bindings.items():
        binding = active.binding
        description = binding.description or binding.action
        if binding.action in ("app.command_palette",):
            description = "Command palette"
        rows.setdefault((binding.action, description), []).append(key_name(key))
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2, 0, 0))
    table.add_column("keys", style="bold cyan", no_wrap=True)
    table.add_column("does")
    seen: set[str] = set()
    for (action, description), keys in rows.items():
        label = ", ".join(dict.fromkeys(keys))
        if (label, description) in seen:
            continue
        seen.add((label, description))
        table.add_row(label, description)
    return table


class HelpScreen(ModalScreen[None]):
    """The topic's explanation (Markdown written for this app) and its keys."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: thick $primary; background: $surface; padding: 0 2;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss_help", "Close help"),
    ]

    def __init__(self, title: str, markdown: str, active_bindings) -> None:
        super().__init__()
        self.topic_title = title
        self.markdown = markdown
        self._table = key_table(active_bindings)

    def compose(self) -> ComposeResult:
        from rich.markdown import Markdown

        with VerticalScroll() as scroll:
            scroll.border_title = f"{self.topic_title} — help (esc closes)"
            self.body = Group(
                Markdown(self.markdown or "_No explanation written yet._"),
                Text(""),
                Text("Keys", style="bold underline"),
                self._table,
            )
            yield Static(self.body, id="help-body")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

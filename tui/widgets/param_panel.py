"""ParamPanel: keyboard knobs with ranges, and typed values validated before they are used.

Up/down choose a knob, left/right nudge it, enter types an exact value. A value that does not parse or
lies outside the knob's range gets an inline message and the old value stays. Accepted values are
posted as ``ParamPanel.Changed``; the screen applies them and, if the simulation refuses one, calls
``reject`` so the panel shows the message and puts the old value back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static


@dataclass(frozen=True)
class Param:
    """One knob. ``kind`` is "float", "int", "choice", "bool" or "text".

    Numbers move by ``step`` (added) or, when ``factor`` is set, by multiplying (learning rates).
    A "text" knob (e.g. hidden layer sizes "4,4") is typed with enter; ``parser`` turns the text into
    a value (raising ValueError with a message) and ``formatter`` turns a value back into text.
    ``nudge(value, direction)`` replaces the built-in ←/→ step for any kind (e.g. add or remove a layer
    of a "text" knob); it returns the new value. Knobs with a ``group`` get a heading line in the panel
    above the first knob of each group.
    """

    name: str
    label: str
    value: Any
    kind: str = "float"
    lo: float | None = None
    hi: float | None = None
    step: float = 1.0
    factor: float | None = None
    choices: tuple[Any, ...] = ()
    fmt: str = "{}"
    help: str = ""
    labels: dict[Any, str] = field(default_factory=dict)
    parser: Callable[[str], Any] | None = None
    formatter: Callable[[Any], str] | None = None
    nudge: Callable[[Any, int], Any] | None = None
    group: str = ""

    def display(self, value: Any = None) -> str:
        value = self.value if value is None else value
        if self.formatter is not None:
            return self.formatter(value)
        if self.kind == "text":
            return str(value)
        if self.kind == "bool":
            return "on" if value else "off"
        if self.kind == "choice":
            return self.labels.get(value, str(value))
        return self.fmt.format(value)

    def range_text(self) -> str:
        if self.kind == "text":
            return self.help or "text"
        if self.kind == "choice":
            return ", ".join(self.labels.get(c, str(c)) for c in self.choices)
        if self.kind == "bool":
            return "on/off"
        lo = "−∞" if self.lo is None else self.fmt.format(self.lo)
        hi = "∞" if self.hi is None else self.fmt.format(self.hi)
        return f"{lo} … {hi}"

    def parse(self, text: str) -> Any:
        """Text typed by the user -> a valid value, or ValueError with a message to show."""
        text = text.strip()
        if self.kind == "text":
            if self.parser is None:
                return text
            try:
                return self.parser(text)
            except ValueError as error:
                raise ValueError(f"{self.label}: {error}") from None
        if self.kind == "bool":
            low = text.lower()
            if low in ("1", "on", "yes", "true", "y"):
                return True
            if low in ("0", "off", "no", "false", "n"):
                return False
            raise ValueError(f"{self.label}: type on or off")
        if self.kind == "choice":
            for c in self.choices:
                label = self.labels.get(c, str(c)).lower()
                if text.lower() in (str(c).lower(), label, label.split()[-1] if label else ""):
                    return c
            raise ValueError(f"{self.label}: choose one of {self.range_text()}")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{self.label}: '{text}' is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{self.label}: must be a finite number")
        if self.kind == "int":
            if number != int(number):
                raise ValueError(f"{self.label}: must be a whole number")
            number = int(number)
        if (self.lo is not None and number < self.lo) or (self.hi is not None and number > self.hi):
            raise ValueError(f"{self.label}: must be between {self.range_text().replace(' … ', ' and ')}")
        return number

    def nudged(self, direction: int) -> Any:
        """The value one step up (+1) or down (−1), clamped to the range."""
        if self.nudge is not None:
            return self.nudge(self.value, direction)
        if self.kind == "bool":
            return not self.value
        if self.kind == "text":
            return self.value  # typed, not nudged
        if self.kind == "choice":
            if not self.choices:
                return self.value
            try:
                i = self.choices.index(self.value)
            except ValueError:
                i = 0
            return self.choices[(i + direction) % len(self.choices)]
        if self.factor:
            value = self.value * (self.factor if direction > 0 else 1 / self.factor)
            value = float(f"{value:.3g}")
        else:
            value = self.value + direction * self.step
        if self.lo is not None:
            value = max(self.lo, value)
        if self.hi is not None:
            value = min(self.hi, value)
        if self.kind == "int":
            value = int(round(value))
        elif not self.factor:
            value = round(value, 10)
        return value


class ParamPanel(Vertical, can_focus=True):
    """A list of knobs; focus it (tab or ``p``) and use the arrows, or enter to type a value."""

    DEFAULT_CSS = """
    ParamPanel {
        height: auto;
        max-height: 50%;
        border: round $primary 40%;
        border-title-color: $text;
        padding: 0 1;
    }
    ParamPanel:focus-within { border: round $accent; }
    ParamPanel > #rows { height: auto; width: 1fr; }
    ParamPanel > Input { height: 1; border: none; padding: 0; display: none; }
    ParamPanel > Input.-editing { display: block; }
    ParamPanel > #error { color: $error; height: auto; display: none; }
    ParamPanel > #error.-shown { display: block; }
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Knob ↑", show=False),
        Binding("down,j", "move(1)", "Knob ↓", show=False),
        Binding("left,h", "nudge(-1)", "Less"),
        Binding("right,l", "nudge(1)", "More"),
        Binding("enter", "edit", "Type value"),
        Binding("escape", "leave", "Leave knobs", show=False),
    ]

    class Changed(Message):
        """The user set knob ``name`` to ``value`` (``old`` is the previous value)."""

        def __init__(self, panel: ParamPanel, name: str, value: Any, old: Any) -> None:
            super().__init__()
            self.panel = panel
            self.name = name
            self.value = value
            self.old = old

        @property
        def control(self) -> ParamPanel:
            return self.panel

    def __init__(
        self,
        params: list[Param] | None = None,
        *,
        title: str = "parameters",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._params: list[Param] = list(params or [])
        self.selected = 0
        self.first_line = 0  # first line of the knob list shown when it is taller than the panel
        self._line_params: list[int | None] = []  # param index of each drawn line (None: heading/marker)
        self._drawn_lines = -1
        self.error = ""
        self.border_title = title
        self._rows = Static(id="rows")
        self._input = Input(id="edit", compact=True)
        self._error = Static(id="error")

    def compose(self):
        yield self._rows
        yield self._input
        yield self._error

    def on_mount(self) -> None:
        self._redraw()

    # ------------------------------------------------------------------ model
    @property
    def params(self) -> list[Param]:
        return list(self._params)

    def set_params(self, params: list[Param]) -> None:
        self._params = list(params)
        self.selected = min(self.selected, max(len(self._params) - 1, 0))
        self._redraw()

    def get(self, name: str) -> Param:
        for p in self._params:
            if p.name == name:
                return p
        raise KeyError(name)

    def value(self, name: str) -> Any:
        return self.get(name).value

    def set_value(self, name: str, value: Any) -> None:
        """Set a knob's shown value (from the screen; posts nothing)."""
        self._params = [replace(p, value=value) if p.name == name else p for p in self._params]
        self._redraw()

    def select(self, name: str) -> None:
        for i, p in enumerate(self._params):
            if p.name == name:
                self.selected = i
                self._redraw()
                return
        raise KeyError(name)

    def reject(self, name: str, old: Any, message: str) -> None:
        """The screen refused a value: put ``old`` back and show why."""
        self.set_value(name, old)
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error = message
        self._error.update(Text(f"✖ {message}"))
        if self._error.has_class("-shown") != bool(message):
            self._error.set_class(bool(message), "-shown")
            self._redraw()

    def clear_error(self) -> None:
        self.show_error("")

    def propose(self, name: str, value: Any) -> None:
        """Set ``name`` to ``value`` as if the user did (shows it and posts Changed)."""
        old = self.get(name).value
        if value == old:
            return
        self.clear_error()
        self.set_value(name, value)
        self.post_message(self.Changed(self, name, value, old))

    def submit_text(self, name: str, text: str) -> bool:
        """Validate typed ``text`` for knob ``name``; on success propose it. Returns True if accepted."""
        param = self.get(name)
        try:
            value = param.parse(text)
        except ValueError as error:
            self.show_error(str(error))
            return False
        self.clear_error()
        self.propose(name, value)
        return True

    # ------------------------------------------------------------------ keys
    def action_move(self, delta: int) -> None:
        if self._params:
            self.selected = (self.selected + delta) % len(self._params)
            self._redraw()

    def action_nudge(self, direction: int) -> None:
        if self._params:
            param = self._params[self.selected]
            self.propose(param.name, param.nudged(direction))

    def action_edit(self) -> None:
        if not self._params:
            return
        param = self._params[self.selected]
        self._input.placeholder = param.range_text()
        self._input.value = param.display()
        self._input.add_class("-editing")
        self._input.focus()
        self._redraw()

    def action_leave(self) -> None:
        """Give the keys back to the screen (arrows move its cursor again, escape leaves the topic)."""
        self.clear_error()
        self.screen.set_focus(None)

    def _close_editor(self) -> None:
        self._input.remove_class("-editing")
        self.focus()
        self._redraw()

    @on(Input.Submitted, "#edit")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._params and self.submit_text(self._params[self.selected].name, event.value):
            self._close_editor()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self._input.has_focus:
            event.stop()
            event.prevent_default()
            self.clear_error()
            self._close_editor()

    @on(Input.Blurred, "#edit")
    def _blurred(self) -> None:
        self._input.remove_class("-editing")

    def on_click(self, event: events.Click) -> None:
        row = event.screen_y - self._rows.region.y  # the line of the knob list clicked (any widget got it)
        if 0 <= row < len(self._line_params) and self._line_params[row] is not None:
            self.selected = self._line_params[row]
            self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    # ------------------------------------------------------------------ drawing
    def _lines(self) -> list[tuple[str, int]]:
        """The knob list as lines: ("group", i) is the heading above knob i, ("param", i) knob i."""
        lines: list[tuple[str, int]] = []
        previous = None
        for i, p in enumerate(self._params):
            if p.group and p.group != previous:
                lines.append(("group", i))
            previous = p.group
            lines.append(("param", i))
        return lines

    def _line_budget(self) -> int | None:
        """Lines the knob list may use, or None when unknown (then every line is drawn)."""
        extras = int(self._error.has_class("-shown")) + int(self._input.has_class("-editing"))
        height = self.styles.height
        if height is None or height.is_auto:
            limit = self.styles.max_height
            if limit is None or limit.is_auto or self.parent is None:
                return None
            parent = self.parent.size  # type: ignore[attr-defined]
            if parent.height <= 0:
                return None
            total = int(limit.resolve(parent, self.app.size)) - self.styles.gutter.height
        else:
            total = self.size.height
            if total <= 0:
                return None
        return max(1, total - extras)

    def _window(self, n: int, target: int, budget: int) -> tuple[int, int]:
        """(first, count) of the lines to show so that line ``target`` is visible, moving as little as
        possible from the last window; the lines above and below get a marker line each when hidden."""

        def count(first: int) -> int:
            top = 1 if first > 0 else 0
            if n - first <= budget - top:
                return n - first
            return max(1, budget - top - 1)

        fits = [f for f in range(n) if f <= target < f + count(f)]
        if not fits:
            return target, 1
        first = min(fits, key=lambda f: (abs(f - self.first_line), f))
        return first, count(first)

    def _redraw(self) -> None:
        if not self.is_mounted:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        width = max((len(p.label) for p in self._params), default=0)
        focused = self.has_focus_within
        lines = self._lines()
        budget = self._line_budget()
        first, shown = 0, len(lines)
        if budget is not None and len(lines) > budget and lines:
            target = lines.index(("param", self.selected)) if ("param", self.selected) in lines else 0
            first, shown = self._window(len(lines), target, budget)
            if target > 0 and lines[target - 1][0] == "group" and first == target:
                first, shown = self._window(len(lines), target - 1, budget)  # show its heading too
                if not first <= target < first + shown:
                    first, shown = self._window(len(lines), target, budget)
        self.first_line = first
        out: list[Text] = []
        self._line_params = []
        if first > 0:
            hidden = sum(1 for kind, _ in lines[:first] if kind == "param")
            out.append(Text(f"  ▲ {hidden} more", "dim"))
            self._line_params.append(None)
        for kind, i in lines[first : first + shown]:
            p = self._params[i]
            line = Text()
            if kind == "group":
                line.append(f"── {p.group} ", "bold dim")
                self._line_params.append(None)
            else:
                mark = "▸ " if i == self.selected else "  "
                style = "bold reverse" if (i == self.selected and focused) else ("bold" if i == self.selected else "")
                line.append(mark)
                line.append(p.label.ljust(width), style)
                line.append("  ◂ " if i == self.selected else "    ", "dim")
                line.append(p.display(), "bold")
                line.append(" ▸" if i == self.selected else "", "dim")
                self._line_params.append(i)
            out.append(line)
        below = sum(1 for kind, _ in lines[first + shown :] if kind == "param")
        if below:
            out.append(Text(f"  ▼ {below} more", "dim"))
            self._line_params.append(None)
        room = self.content_size.width
        for j, line in enumerate(out):
            if room > 0:
                line.truncate(room, overflow="ellipsis")  # one knob per line, never wrapped
            text.append_text(line)
            if j < len(out) - 1:
                text.append("\n")
        # a relayout only when the number of lines changes (#rows has a fixed width): knob changes
        # then repaint the panel alone, not the whole screen
        self._rows.update(text, layout=len(out) != self._drawn_lines)
        self._drawn_lines = len(out)

    def on_focus(self) -> None:
        self._redraw()

    def on_blur(self) -> None:
        self._redraw()

    def on_descendant_blur(self) -> None:
        self._redraw()

"""SimulationScreen: the base of every topic screen.

A topic screen subclasses it and provides:

* ``TOPIC_ID`` (an id of tui/catalog.py) and ``HELP`` (Markdown: the topic's explanation);
* ``make_simulation(seed)`` -> the algorithm object (from ``algorithms/``);
* ``compose_main()`` -> the topic's widgets (a ``ParamPanel`` among them if it has knobs);
* ``params()`` -> the knobs, and ``apply_param(name, value)`` (raise ValueError to refuse);
* ``update_view()`` -> copy the simulation's state onto the widgets (no maths);
* ``metrics()`` -> the numbers for the metrics bar.

The base owns the shared key map, one timer (paused while the screen is hidden), a time budget per
frame for steps, divergence as a state, and the parameter panel's plumbing.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar, Iterable

import numpy as np
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tui.widgets.metrics_bar import MetricsBar
from tui.widgets.pixel_canvas import PixelCanvas
from tui.widgets.param_panel import Param, ParamPanel

FPS = 30
# Steps per second the speed keys cycle through; "max" runs as many as the frame budget allows.
SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000, float("inf"))


def format_speed(speed: float) -> str:
    return "max" if speed == float("inf") else f"{speed:g}/s"


class SimulationScreen(Screen):
    """Base screen: play/pause/step/back/reset/speed/help, timer, budget, divergence, knobs."""

    TOPIC_ID: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    HAS_HISTORY: ClassVar[bool] = False
    AUTOPLAY: ClassVar[bool] = False
    DEFAULT_SPEED: ClassVar[float] = 10
    #: Layout classes from the screen's size, as ``set_size_classes`` takes them (``{"narrow": 110,
    #: "tiny": 60, ...}``). On every resize the screen sets them, calls ``layout_changed`` and redraws
    #: once the new sizes are laid out.
    SIZE_CLASSES: ClassVar[dict[str, int]] = {}
    STEP_NAME: ClassVar[str] = "step"  # what one step is called in the UI ("epoch", "update", …)
    FRAME_BUDGET: ClassVar[float] = 0.020  # seconds of stepping per frame at most
    AUTO_FOCUS = ""  # keys go to the screen until the user focuses the knobs (p / tab)

    DEFAULT_CSS = """
    SimulationScreen { layout: vertical; }
    SimulationScreen > #sim-title {
        height: 1; width: 1fr; background: $primary 30%; color: $text; padding: 0 1; text-style: bold;
    }
    SimulationScreen > #sim-body { height: 1fr; }
    SimulationScreen > #sim-banner {
        display: none; height: auto; background: $error 40%; color: $text; padding: 0 1; text-style: bold;
    }
    SimulationScreen.-diverged > #sim-banner, SimulationScreen.-error > #sim-banner { display: block; }
    """

    BINDINGS = [
        Binding("space", "play", "Play"),
        Binding("space", "pause", "Pause"),
        Binding("n", "step", "Step"),
        Binding("b", "step_back", "Back"),
        Binding("r", "reset", "Reset"),
        Binding("R", "reseed", "New seed", show=False),
        Binding("plus,equals_sign", "speed(1)", "Faster", key_display="+"),
        Binding("minus,underscore", "speed(-1)", "Slower", key_display="-", show=False),
        Binding("p", "focus_params", "Knobs", show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("escape", "back", "Back to catalog", show=False),
    ]

    playing: reactive[bool] = reactive(False, bindings=True)
    diverged: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        """``options``: knob values by name (from the command line); ValueError if one is refused."""
        super().__init__()
        self.seed = 0 if seed is None else int(seed)
        self._autoplay = self.AUTOPLAY if autoplay is None else autoplay
        self.speed_index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self.DEFAULT_SPEED))
        self._credit = 0.0
        self._painted_once = False  # the first picture was drawn (see _first_paint)
        self.steps_done = 0
        self.last_frame_steps = 0
        self.message = ""
        self.sim: Any = self.make_simulation(self.seed)
        self._timer = None
        self.options = dict(options or {})
        for name, value in self.options.items():
            self.apply_param(name, value)

    # ------------------------------------------------------------------ for subclasses
    def make_simulation(self, seed: int) -> Any:
        raise NotImplementedError

    def compose_main(self) -> ComposeResult:
        yield from ()

    def params(self) -> list[Param]:
        return []

    def apply_param(self, name: str, value: Any) -> None:
        """Apply a knob's new value to the simulation; raise ValueError to refuse it."""

    def update_view(self) -> None:
        """Copy the simulation's state onto the widgets."""

    def metrics(self) -> dict[str, str]:
        return {}

    def sim_step(self) -> None:
        self.sim.step()

    def sim_step_back(self) -> bool:
        """Undo one step; return False when there is no history left."""
        if getattr(self.sim, "can_step_back", False):
            self.sim.step_back()
            return True
        return False

    def is_diverged(self) -> bool:
        return bool(getattr(self.sim, "diverged", False))

    def prepare_shot(self) -> None:
        """Bring every widget up to date now (used before a headless screenshot)."""

    # ------------------------------------------------------------------ composition
    def compose(self) -> ComposeResult:
        yield Static(self.TITLE or self.TOPIC_ID, id="sim-title")
        yield Static("", id="sim-banner")
        with Horizontal(id="sim-body"):
            yield from self.compose_main()
        yield MetricsBar(id="sim-metrics")
        yield Footer()

    @property
    def param_panel(self) -> ParamPanel | None:
        panels = self.query(ParamPanel)
        return panels.first() if panels else None

    def on_mount(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.set_params(self.params())
            for name, value in self.options.items():
                panel.set_value(name, value)
        self._timer = self.set_interval(1 / FPS, self._tick, pause=True)
        self.refresh_view()
        # Canvases ask for the first picture as soon as they know their size, so the topic's first
        # frame shows it (on_resize's redraw comes a frame later).
        for canvas in self.query(PixelCanvas):
            canvas.when_sized(self._first_paint)
        if self._autoplay:
            self.playing = True

    def _first_paint(self) -> None:
        if not self._painted_once:
            self._painted_once = True
            self.refresh_view()

    def watch_playing(self, playing: bool) -> None:
        if self._timer is None:
            return
        if playing:
            self._credit = 0.0
            self._timer.resume()
        else:
            self._timer.pause()
        self._update_metrics()

    def rest_clock(self) -> None:
        """Pause the frame timer while there is nothing to step (say, waiting for the user's move),
        without leaving the playing state; ``wake_clock`` starts it again."""
        if self._timer is not None:
            self._timer.pause()

    def wake_clock(self) -> None:
        """Resume the frame timer after ``rest_clock`` — if playing and this screen is the one shown."""
        if self._timer is not None and self.playing and self.is_mounted and self.app.screen is self:
            self._timer.resume()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._timer is not None and self.playing:
            self._timer.resume()

    # ------------------------------------------------------------------ stepping
    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    def _tick(self) -> None:
        if not self.playing or self.diverged:
            return
        speed = self.speed
        if speed == float("inf"):
            want = 1 << 30  # as many as the frame budget allows
        else:
            self._credit += speed / FPS
            want = int(self._credit)
            self._credit -= want
        done = self._run_steps(want, self.FRAME_BUDGET)
        if done < want:
            self._credit = 0.0  # fell behind: drop the backlog instead of piling it up
        self.last_frame_steps = done
        self.refresh_view()

    def _run_steps(self, n: int, budget: float | None) -> int:
        start = time.perf_counter()
        done = 0
        with np.errstate(all="ignore"):
            while done < n:
                try:
                    self.sim_step()
                except (ArithmeticError, ValueError) as error:
                    self._show_error(str(error))
                    break
                done += 1
                if self.is_diverged():
                    break
                if budget is not None and time.perf_counter() - start > budget:
                    break
        self.steps_done += done
        self._check_diverged()
        return done

    def advance(self, n: int) -> int:
        """Run ``n`` steps now, with no time budget (tests, headless shots); returns steps run."""
        done = self._run_steps(n, None)
        self.refresh_view()
        return done

    def _check_diverged(self) -> None:
        if self.is_diverged() and not self.diverged:
            self.diverged = True
            self.playing = False
            self._set_banner(
                "✖ Diverged: the numbers blew up (inf/NaN). Press r to reset — a smaller learning rate helps.",
                "-diverged",
            )

    def _show_error(self, message: str) -> None:
        self.playing = False
        self._set_banner(f"✖ {message}", "-error")

    def _set_banner(self, text: str, cls: str = "") -> None:
        banner = self.query_one("#sim-banner", Static)
        if text != getattr(self, "_banner_text", ""):  # an update relayouts the whole screen
            self._banner_text = text
            banner.update(text)
        self.set_class(cls == "-diverged", "-diverged")
        self.set_class(cls == "-error", "-error")

    def on_resize(self, event: events.Resize) -> None:
        self.set_size_classes(**self.SIZE_CLASSES)
        self.layout_changed()
        self.call_after_refresh(self.refresh_view)

    def layout_changed(self) -> None:
        """The screen's size changed (its size classes are set already): forget what was drawn for
        the old size, change panels, …; the redraw follows. Nothing by default."""

    def set_size_classes(self, narrow: int | None = None, tiny: int | None = None,
                         short: int | None = None, squat: int | None = None) -> None:
        """The layout classes every topic's CSS uses, from the screen's size: ``-narrow`` and ``-tiny``
        when the width is below ``narrow`` / ``tiny``, ``-short`` and ``-squat`` when the height is below
        ``short`` / ``squat`` (a class whose limit is None is left alone)."""
        width, height = self.size
        for name, size, limit in (("-narrow", width, narrow), ("-tiny", width, tiny),
                                  ("-short", height, short), ("-squat", height, squat)):
            if limit is not None:
                self.set_class(size < limit, name)

    def refresh_view(self) -> None:
        """Update widgets and the metrics bar from the simulation."""
        if not self.is_mounted:
            return
        self.update_view()
        self._update_metrics()

    def _update_metrics(self) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one(MetricsBar)
        if self.diverged:
            bar.set_state("✖ diverged — r resets", "bold red")
        elif self.playing:
            bar.set_state(f"▶ {format_speed(self.speed)}", "bold green")
        else:
            bar.set_state(f"‖ paused {format_speed(self.speed)}", "bold yellow")
        bar.set_metrics(self.metrics())

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return not self.playing and not self.diverged
        if action == "pause":
            return self.playing
        if action == "step":
            return None if self.diverged else True
        if action == "step_back":
            if not self.HAS_HISTORY:
                return False
            return True if getattr(self.sim, "can_step_back", True) else None
        return True

    def action_play(self) -> None:
        if not self.diverged:
            self.playing = True

    def action_pause(self) -> None:
        self.playing = False

    def action_step(self) -> None:
        if self.diverged:
            return
        self.playing = False
        self._run_steps(1, None)
        self.refresh_view()

    def action_step_back(self) -> None:
        self.playing = False
        if self.sim_step_back():
            self.steps_done = max(0, self.steps_done - 1)
            self._clear_divergence()
        else:
            self.notify("No earlier step is kept.", severity="warning", timeout=2)
        self.refresh_view()
        self.refresh_bindings()

    def reset_simulation(self, seed: int) -> None:
        """Rebuild the simulation with ``seed``, keeping the knobs' current values."""
        self.seed = seed
        self.sim = self.make_simulation(seed)
        panel = self.param_panel
        if panel is not None:
            for param in panel.params:
                if param.value != self._default_value(param.name):
                    try:
                        self.apply_param(param.name, param.value)
                    except ValueError:
                        panel.set_value(param.name, self._default_value(param.name))

    def _default_value(self, name: str) -> Any:
        for param in self.params():
            if param.name == name:
                return param.value
        return None

    def action_reset(self) -> None:
        self.reset_simulation(self.seed)
        self._after_reset()

    def action_reseed(self) -> None:
        self.reset_simulation(int(np.random.SeedSequence().entropy % 1_000_000))
        self._after_reset()
        self.notify(f"New seed: {self.seed}", timeout=2)

    def _after_reset(self) -> None:
        self.steps_done = 0
        self._clear_divergence()
        self.refresh_view()

    def _clear_divergence(self) -> None:
        if self.diverged and not self.is_diverged():
            self.diverged = False
        self._set_banner("")

    def action_speed(self, delta: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + delta))
        self._update_metrics()

    def action_focus_params(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.focus()

    def action_help(self) -> None:
        from tui.help import HelpScreen

        self.app.push_screen(HelpScreen(self.TITLE or self.TOPIC_ID, self.HELP, self.active_bindings))

    def action_back(self) -> None:
        back = getattr(self.app, "back_to_catalog", None)
        if back is not None:
            back()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # ------------------------------------------------------------------ knobs
    @on(ParamPanel.Changed)
    def _param_changed(self, event: ParamPanel.Changed) -> None:
        event.stop()
        try:
            with np.errstate(all="ignore"):
                self.apply_param(event.name, event.value)
        except ValueError as error:
            event.panel.reject(event.name, event.old, str(error))
            return
        self._clear_divergence()
        self.refresh_view()

    def set_param(self, name: str, value: Any) -> None:
        """Set a knob as the user would (tests and the CLI use this)."""
        panel = self.param_panel
        if panel is None:
            raise KeyError(name)
        panel.propose(name, value)

    def widgets_of(self, kind: type[Widget]) -> Iterable[Widget]:
        return self.query(kind)

"""optimizers — the race: SGD, momentum, RMSProp and Adam dropped on the same loss landscape.

Run alone: ``python -m screens.optimizers``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.landscapes import LANDSCAPES
from algorithms.optimizer_race import LR_RANGE, MAX_STEPS, RACERS, OptimizerRace
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

NAMES = {"sgd": "SGD", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}
COLORS = {name: palette.class_color(i) for i, name in enumerate(RACERS)}
GLYPHS = {name: palette.class_glyph(i) for i, name in enumerate(RACERS)}
CONTOUR_LEVELS = 14  # a stepped palette: each colour band is one contour
START_STEPS = 40  # the start moves by 1/40 of the box per key press

HELP = """\
# The optimiser race

Four ways of walking downhill start from the same point of the same landscape. The background is
the loss f(x, y): dark is low, bright is high, and each colour band is one contour (the bands are
spaced on a log scale). Each racer leaves a trail in its own colour and glyph, and the table shows
how far it still is from the minimum (★) and the step at which it first came within ε.

* **SGD** — θ ← θ − lr·g: the plain gradient step.
* **Momentum** — v ← β·v + g, θ ← θ − lr·v: a heavy ball that keeps rolling in directions that agree.
* **RMSProp** — s ← ρ·s + (1 − ρ)·g², θ ← θ − lr·g/(√s + ε): each coordinate's step divided by
  its recent gradient size.
* **Adam** — momentum and RMSProp together, with the early averages corrected for starting at zero.

**The ravine** (f = 0.01x² + 2y²) is 200 times steeper across than along. SGD must keep its step
small enough not to fly off the walls (above lr = 0.5 it does), so it zig-zags across and crawls
along. RMSProp and Adam scale each direction by its own gradient size and run straight down the floor.

**Rosenbrock** bends the valley into a banana; **the bumpy bowl** has small pits on the way down,
where SGD and RMSProp get stuck while momentum and Adam roll through.

**Keys.** Arrow keys move the start point (the race restarts from it; a click works too), **l**
switches landscape, **f** runs the race to the finish. Knobs (**p**): landscape, each racer's
learning rate, the start point. Too big a learning rate makes a racer blow up: it stops and the
table says so.
"""


class OptimizersScreen(SimulationScreen):
    """Four optimisers racing on a contour heat map, with a table of distances to the minimum."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30}
    TOPIC_ID = "optimizers"
    TITLE = "The optimiser race"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 30
    STEP_NAME = "update"

    DEFAULT_CSS = """
    OptimizersScreen #race-canvas { width: 1fr; height: 1fr; }
    OptimizersScreen #race-side { width: 50; height: 1fr; }
    OptimizersScreen.-narrow #race-side { width: 38; }
    OptimizersScreen #race-table {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    OptimizersScreen #race-plot { height: 1fr; min-height: 7; }
    OptimizersScreen.-short #race-plot { display: none; }
    OptimizersScreen.-tiny #race-side { display: none; }
    """

    BINDINGS = [
        Binding("up", "move_start(0, 1)", "Start ↑", show=False),
        Binding("down", "move_start(0, -1)", "Start ↓", show=False),
        Binding("left", "move_start(-1, 0)", "Start ←", show=False),
        Binding("right", "move_start(1, 0)", "Start →", show=False),
        Binding("l", "next_landscape", "Landscape"),
        Binding("f", "finish", "Finish"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._map_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> OptimizerRace:
        return OptimizerRace()  # the race is deterministic: the seed changes nothing

    def params(self) -> list[Param]:
        sim = self.sim
        xmin, xmax, ymin, ymax = sim.extent
        knobs = [Param("landscape", "landscape", sim.landscape.name, "choice", choices=tuple(LANDSCAPES))]
        for name in RACERS:
            knobs.append(Param(f"lr_{name}", f"{NAMES[name]} lr", sim.lr(name), "float", lo=LR_RANGE[0],
                               hi=LR_RANGE[1], factor=2.0, fmt="{:.3g}", group="learning rates"))
        knobs += [
            Param("start_x", "start x", sim.start[0], "float", lo=xmin, hi=xmax, step=(xmax - xmin) / START_STEPS,
                  fmt="{:.2f}", group="start point"),
            Param("start_y", "start y", sim.start[1], "float", lo=ymin, hi=ymax, step=(ymax - ymin) / START_STEPS,
                  fmt="{:.2f}", group="start point"),
        ]
        return knobs

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        if name == "landscape":
            sim.set_landscape(value)
            self._map_key = None
            self._refresh_knobs()
        elif name.startswith("lr_"):
            sim.set_lr(name[3:], value)
        elif name == "start_x":
            sim.set_start(value, sim.start[1])
        elif name == "start_y":
            sim.set_start(sim.start[0], value)
        else:
            raise ValueError(f"unknown knob {name!r}")

    def _refresh_knobs(self) -> None:
        """Show the knobs of the current landscape (its learning rates, start and box)."""
        panel = self.param_panel
        if panel is not None and self.is_mounted:
            panel.set_params(self.params())

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._map_key = None
        self._refresh_knobs()  # a landscape knob re-applied above brought its own defaults

    def sim_step(self) -> None:
        self.sim.step()
        if self.sim.finished:
            self.playing = False

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(self.sim.extent, equal_aspect=False, id="race-canvas")
        with Vertical(id="race-side"):
            table = Static(id="race-table")
            table.border_title = "distance to the minimum"
            yield table
            yield LinePlot(title="distance to ★ (log)", x_label="step", log_y=True, min_interval=0.3,
                           legend=False, id="race-plot")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        # Textual also runs SimulationScreen.on_mount after this one (handlers run up the MRO).
        self.query_one(PixelCanvas).set_palette(palette.sequential(CONTOUR_LEVELS))

    def layout_changed(self) -> None:
        self._map_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        if canvas.extent != sim.extent:
            canvas.set_extent(*sim.extent)
            self._map_key = None
        width, height = canvas.pixel_size
        if width and height:
            key = (sim.landscape.name, width, height)
            if key != self._map_key:
                self._map_key = key
                canvas.set_heatmap(sim.height_map(width, height, canvas.extent))
            canvas.clear_ink()
            canvas.clear_labels()
            for name in reversed(RACERS):  # the slower racers' shorter trails on top
                path = sim.path(name)
                canvas.add_polyline(path[:, 0], path[:, 1], color=COLORS[name])
            canvas.set_points(sim.positions, np.arange(len(RACERS)))
            mx, my = sim.landscape.minimum
            canvas.set_label(mx, my, "★", color=palette.HIGHLIGHT)
            canvas.set_cursor(canvas.data_to_cell(*sim.start))
        self.query_one("#race-table", Static).update(self._table())
        if self.has_class("-short"):
            return
        plot = self.query_one(LinePlot)
        for name in RACERS:
            d = sim.distance_history(name)
            plot.set_series(NAMES[name], np.arange(len(d)), d, color=COLORS[name])

    def _table(self) -> Table:
        sim = self.sim
        mono = bool(getattr(self.app, "no_color", False))
        narrow = self.has_class("-narrow")
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False,
                      title=f"{sim.landscape.title}: {sim.landscape.formula}", title_justify="left")
        table.add_column("racer", no_wrap=True)
        if not narrow:
            table.add_column("lr", justify="right", no_wrap=True)
        table.add_column("distance", justify="right", no_wrap=True)
        table.add_column(f"< {sim.eps:g} at", justify="right", no_wrap=True)
        leader = sim.leader()
        for row in sim.table():
            glyph = palette.class_glyph(RACERS.index(row.name), ascii_only=mono)
            name = Text(f"{glyph} {NAMES[row.name]}", style=f"bold {palette.hex_color(COLORS[row.name])}")
            if row.name == leader:
                name.append(" ◀", style="bold")
            distance = Text("blew up", style="bold red") if row.blown_up else Text(f"{row.distance:.2g}")
            reached = "—" if row.reached is None else f"step {row.reached}"
            cells = [name] + ([] if narrow else [f"{row.lr:.3g}"]) + [distance, reached]
            table.add_row(*cells)
        return table

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        leader = sim.leader()
        return {
            "step": f"{sim.t}/{MAX_STEPS}",
            "landscape": sim.landscape.name,
            "start": f"({sim.start[0]:.2f}, {sim.start[1]:.2f})",
            "leader": NAMES[leader] if leader else "—",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()
        if not self.has_class("-short"):
            self.query_one(LinePlot).flush()

    # ------------------------------------------------------------------ keys
    def action_move_start(self, dx: int, dy: int) -> None:
        sim = self.sim
        xmin, xmax, ymin, ymax = sim.extent
        x = min(max(sim.start[0] + dx * (xmax - xmin) / START_STEPS, xmin), xmax)
        y = min(max(sim.start[1] + dy * (ymax - ymin) / START_STEPS, ymin), ymax)
        self._set_start(round(x, 10), round(y, 10))

    def _set_start(self, x: float, y: float) -> None:
        try:
            self.sim.set_start(x, y)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        panel = self.param_panel
        if panel is not None:
            panel.set_value("start_x", self.sim.start[0])
            panel.set_value("start_y", self.sim.start[1])
        self._after_restart()

    def _after_restart(self) -> None:
        self.steps_done = 0
        self._clear_divergence()
        self.refresh_view()
        self.refresh_bindings()

    def action_next_landscape(self) -> None:
        names = list(LANDSCAPES)
        new = names[(names.index(self.sim.landscape.name) + 1) % len(names)]
        panel = self.param_panel
        if panel is not None:
            panel.propose("landscape", new)
        else:
            self.apply_param("landscape", new)
            self.refresh_view()

    def action_finish(self) -> None:
        self.playing = False
        self.sim.run_until_all_arrive()
        self._check_diverged()
        self.refresh_view()
        self.refresh_bindings()

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        if event.button == 1 and self.sim.landscape.contains(event.x, event.y):
            self._set_start(event.x, event.y)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("optimizers").run()

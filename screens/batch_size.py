"""batch-size — four paths down one loss surface, for batches of 1, 8, 32 and all the data.

Run alone: ``python -m screens.batch_size``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms import minibatch as mb
from algorithms.minibatch import BatchRace
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.bar_chart import BarChart
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

BANDS = 12
PATH_COLORS = [palette.class_color(k) for k in range(4)]  # blue, orange, green, pink
MIN_RGB = palette.CLASS_COLORS[4]  # yellow star at the bottom of the bowl
# grey contour bands, so that the coloured paths stand out on them
CONTOUR_PALETTE = palette.ramp((palette.NEUTRAL, (62, 64, 76), (120, 122, 136), (170, 172, 184)), BANDS)

HELP = """\
# Batch size and jitter

The map is a loss surface: how badly the line y = w·x + b fits 64 noisy points, for every slope
w (→) and intercept b (↑). Darker bands are lower; the yellow ★ is the best line (least squares).
Four hikers start at the same spot (◇) with the same learning rate. The only difference is how
much of the data each looks at before every step:

* **batch 1** (●, blue) — one random point per step: 64 cheap, noisy steps per epoch;
* **batch 8** (▲, orange) and **batch 32** (■, green) — in between;
* **all 64** (◆, pink) — the whole data set: one careful step per epoch, always straight downhill.

**Jitter** is the mean angle between the steps a path took and the true downhill direction at
the same spot (the gradient on all 64 points). A small batch is a small *sample* of the data, so
its idea of "downhill" is off by a random amount; the bigger the sample, the smaller the error,
and the full set has none. The bars show it shrinking as the batch grows.

**The trade-off.** Per *epoch* (one pass over the data, the default clock) batch 1 gets furthest —
it took 64 steps — but never sits still at the bottom: it keeps rattling around the ★. The full
batch moves slowly but smoothly. Switch the clock to *update* (**c**) to compare paths after the
same number of steps instead. More data noise (knob) means more jitter for every batch below 64.

**Keys.** n one epoch (or update) · space run · b back · c clock · 1–4 show/hide a path ·
r reset · R new data · p knobs (learning rate, clock, noise).
"""


class BatchSizeScreen(SimulationScreen):
    """Contour map with four SGD paths, their jitter as bars, loss curves and the epoch counter."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30}
    TOPIC_ID = "batch-size"
    TITLE = "Batch size and jitter"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    BatchSizeScreen #bs-canvas { width: 1fr; height: 1fr; }
    BatchSizeScreen #bs-side { width: 46; height: 1fr; }
    BatchSizeScreen.-narrow #bs-side { width: 36; }
    BatchSizeScreen #bs-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    BatchSizeScreen #bs-bars { height: auto; padding: 0 1; }
    BatchSizeScreen #bs-plot { height: 1fr; min-height: 6; }
    BatchSizeScreen.-short #bs-plot { display: none; }
    BatchSizeScreen.-tiny #bs-side { display: none; }
    """

    BINDINGS = [
        Binding("c", "toggle_clock", "Clock"),
        Binding("1", "toggle_path(0)", "Show/hide batch 1", show=False),
        Binding("2", "toggle_path(1)", "Show/hide batch 8", show=False),
        Binding("3", "toggle_path(2)", "Show/hide batch 32", show=False),
        Binding("4", "toggle_path(3)", "Show/hide full batch", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.hidden: set[int] = set()
        self._drawn_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    def make_simulation(self, seed: int) -> BatchRace:
        return BatchRace(seed=seed)

    # ------------------------------------------------------------------ knobs
    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("lr", "learning rate", sim.lr, "float", lo=0.01, hi=1.0, step=0.02, fmt="{:.3g}",
                  help="the same for every path"),
            Param("clock", "one step is", sim.clock, "choice", choices=mb.CLOCKS,
                  labels={"epoch": "an epoch", "update": "an update"}),
            Param("noise", "data noise", sim.noise, "float", lo=0.0, hi=mb.MAX_NOISE, step=0.25, fmt="{:.2f}",
                  help="scatter of the points around their line"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {"lr": self.sim.set_lr, "clock": self.sim.set_clock, "noise": self.sim.set_noise}.get(name)
        if setter is None:
            raise ValueError(f"unknown knob {name!r}")
        setter(value)
        self._drawn_key = None
        if name == "noise":
            self.steps_done = 0

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._drawn_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(mb.DOMAIN, id="bs-canvas")
        with Vertical(id="bs-side"):
            card = Static(id="bs-card")
            card.border_title = "the race"
            yield card
            yield BarChart(id="bs-bars")
            yield LinePlot(title="loss on all data (log)", min_interval=0.4, id="bs-plot")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        self.query_one(PixelCanvas).set_palette(CONTOUR_PALETTE)
        plot = self.query_one(LinePlot)
        plot.set_log_y(True)

    def layout_changed(self) -> None:
        self._drawn_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        key = (sim.seed, sim.noise, sim.steps_taken, sim.diverged, tuple(sorted(self.hidden)), width, height,
               len(sim.paths()[0]))
        if width and height and key != self._drawn_key:
            self._drawn_key = key
            self._draw_map(canvas)
        self._show_card()
        self._show_bars()
        plot = self.query_one(LinePlot)
        hist = sim.loss_history()
        x_label = "epoch" if sim.clock == "epoch" else "update"
        plot.x_label = x_label
        for k, label in enumerate(sim.labels):
            if k in self.hidden:
                plot.remove_series(label)
            else:
                plot.set_series(label, np.arange(len(hist)), hist[:, k], color=PATH_COLORS[k])

    def _draw_map(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        xs, ys = canvas.pixel_centers()
        canvas.set_heatmap(sim.contour(xs, ys, BANDS))
        canvas.clear_ink()
        canvas.clear_labels()
        heads, classes = [], []
        for k, path in enumerate(sim.paths()):
            if k in self.hidden:
                continue
            canvas.add_polyline(path[:, 0], path[:, 1], PATH_COLORS[k])
            heads.append(path[-1])
            classes.append(k)
        canvas.set_points(np.array(heads).reshape(-1, 2), np.array(classes, dtype=int))
        w0, b0 = mb.START
        canvas.set_label(w0, b0, "◇", palette.HIGHLIGHT)
        wm, bm = sim.minimum
        canvas.set_label(wm, bm, "★", MIN_RGB)
        cols, rows = canvas.size
        canvas.set_cell_label(0, 0, " b ↑ (intercept)", palette.HIGHLIGHT)
        label = "slope w → "
        canvas.set_cell_label(max(0, cols - len(label)), max(0, rows - 1), label, palette.HIGHLIGHT)
        row = rows - 1 - len(sim.labels)  # the legend sits bottom left, away from the start
        for k, name in enumerate(sim.labels):
            if row < 1:
                row += 1
                continue
            mark = "·" if k in self.hidden else palette.class_glyph(k)
            canvas.set_cell_label(0, row, f" {mark} {name}{' (hidden)' if k in self.hidden else ''}", PATH_COLORS[k])
            row += 1

    def _show_card(self) -> None:
        sim = self.sim
        text = Text()
        if sim.clock == "epoch":
            text.append(f"epoch {sim.steps_taken}", style="bold")
            text.append(" — every path has seen all the data this often\n", style="dim")
        else:
            text.append(f"update {sim.steps_taken}", style="bold")
            text.append(" — every path took this many steps\n", style="dim")
        text.append(f"{'path':<10}{'steps':>5}{'epochs':>8}{'loss':>8}\n", style="bold")
        losses = sim.losses()
        for k, runner in enumerate(sim.runners):
            style = palette.hex_color(PATH_COLORS[k])
            glyph = palette.class_glyph(k)
            loss = losses[k]
            loss_text = f"{loss:.3f}" if math.isfinite(loss) and loss < 1e5 else "huge"
            text.append(f"{glyph} {runner.label:<8}", style=style)
            text.append(f"{runner.updates:>6}{runner.epochs:>8.2f}{loss_text:>8}\n")
        text.append(f"★ best line: loss {sim.min_loss:.3f}", style=palette.hex_color(MIN_RGB))
        if sim.diverged:
            text.append("\nDIVERGED: the steps blew up. r resets; lower the learning rate.", style="bold red")
        self.query_one("#bs-card", Static).update(text)

    def _show_bars(self) -> None:
        sim = self.sim
        bars = self.query_one("#bs-bars", BarChart)
        bars.title = "jitter: mean angle off downhill"
        jitters = [j if j is not None else float("nan") for j in sim.jitters()]
        bars.set_data(sim.labels, jitters, colors=PATH_COLORS, fmt="{:.0f}°", max_value=90.0)

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        jit = " / ".join("—" if j is None else f"{j:.0f}°" for j in sim.jitters())
        return {
            sim.clock: str(sim.steps_taken),
            "lr": f"{sim.lr:g}",
            "jitter 1/8/32/all": jit,
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys
    def action_toggle_clock(self) -> None:
        new = "update" if self.sim.clock == "epoch" else "epoch"
        panel = self.param_panel
        if panel is not None:
            panel.propose("clock", new)
        else:
            self.sim.set_clock(new)
            self.refresh_view()

    def action_toggle_path(self, index: int) -> None:
        self.hidden ^= {index}
        self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("batch-size").run()

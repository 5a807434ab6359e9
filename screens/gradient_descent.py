"""gradient-descent — the blind hiker: a ball feels the slope under it and steps downhill.

Run alone: ``python -m screens.gradient_descent``.
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

from algorithms.descent import LANDSCAPES, GradientDescent
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

LR_LO, LR_HI = 0.01, 2.0
MOVE_1D = 0.25  # one arrow key moves the start point this far
MOVE_2D = 0.25
TRAIL = 60  # past positions drawn on 1-D curves
PATH_2D = 5000  # and on 2-D maps
CURVE_RGB = palette.CLASS_COLORS[0]
FILL_PALETTE = palette.ramp((palette.NEUTRAL, palette.blend(palette.NEUTRAL, palette.CLASS_COLORS[0], 0.3)), 2)
TANGENT_RGB = palette.CLASS_COLORS[4]  # yellow
PATH_RGB = palette.CLASS_COLORS[1]  # orange
STEP_RGB = palette.HIGHLIGHT
BANDS = 12
# contour bands from dark (low) to a muted light (high): labels and the orange path stay readable
SURFACE_PALETTE = palette.ramp((palette.NEUTRAL, (36, 62, 110), (70, 118, 160), (130, 150, 165)), BANDS)
BALL = "●"
COUNTERPART = {"bowl": "bowl-2d", "two-valleys": "four-valleys", "bowl-2d": "bowl", "oval-2d": "bowl",
               "four-valleys": "two-valleys"}

HELP = """\
# The blind hiker

Imagine standing on a hillside in thick fog. You cannot see the valley, but you can feel which way
the ground slopes under your feet. So you take a step downhill, feel again, step again. That is
**gradient descent**, the way almost every model is trained: the hill is the loss L(w), your
position is the model's weight w.

**One step:** measure the slope L′(w) (the yellow tangent line), then move

    w ← w − lr · L′(w)

against the slope. **lr**, the learning rate, decides how far you trust the slope: the steeper the
ground, the longer the step.

**The learning rate decides everything.** On the bowl L(w) = (w − 1)² the slope is 2(w − 1), so one
step turns the distance to the bottom d into d·(1 − 2·lr):
* lr < 0.5: the ball creeps down from one side;
* 0.5 < lr < 1: it overshoots and zig-zags in, each swing smaller;
* lr = 1: it bounces between two points forever;
* lr > 1: every swing is bigger than the last — it flies off and the run **diverges**.
The card shows |1 − 2·lr| (or |1 − lr·k| with k the steepness of the valley floor) live, and the
plot shows the loss on a log scale: a straight line down means a constant shrink per step.

**2-D mode (m).** Now w has two coordinates and the map shows the loss as contour bands. The
yellow line is the contour through the ball; the step (white arrow) always leaves it at a right
angle, straight downhill. In the oval bowl the steep direction limits the learning rate, and the
ball zig-zags across the valley while it crawls along it.

**Try this.** Raise lr past 1 on the bowl (knobs: **p**, then →); move the start with the arrow keys;
in "two valleys" start on either side and see which valley you end in.

**Keys.** n step · space run · b back · ←→↑↓ move the start · m 1-D/2-D · r reset · p knobs.
"""


def _num(value: float, digits: int = 3) -> str:
    """A number for the screen: never "nan" or "inf" (a dash instead), big ones in e-notation."""
    if not math.isfinite(value):
        return "—"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-4):
        return f"{value:.2e}"
    text = f"{value:.{digits}f}"
    return text if text.strip("-0.") else f"{0:.{digits}f}"


class GradientDescentScreen(SimulationScreen):
    """A loss curve (1-D) or contour map (2-D) with the ball, its tangent and step; a loss plot."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 22}
    TOPIC_ID = "gradient-descent"
    TITLE = "The blind hiker: gradient descent"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "step"

    DEFAULT_CSS = """
    GradientDescentScreen #gd-canvas { width: 1fr; height: 1fr; }
    GradientDescentScreen #gd-side { width: 44; height: 1fr; }
    GradientDescentScreen.-narrow #gd-side { width: 34; }
    GradientDescentScreen #gd-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    GradientDescentScreen #gd-plot { height: 1fr; min-height: 6; }
    GradientDescentScreen.-short #gd-plot { display: none; }
    GradientDescentScreen.-tiny #gd-side { display: none; }
    """

    BINDINGS = [
        Binding("left", "move(-1, 0)", "Move start", show=False),
        Binding("right", "move(1, 0)", "Move start", key_display="←→↑↓"),
        Binding("up", "move(0, 1)", "Move start", show=False),
        Binding("down", "move(0, -1)", "Move start", show=False),
        Binding("m", "toggle_mode", "1-D/2-D"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._drawn_key: tuple | None = None  # what the canvas shows, to skip identical redraws
        self._canvas_dim = 0  # 1 or 2 once the canvas is set up for a mode
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    def make_simulation(self, seed: int) -> GradientDescent:
        return GradientDescent("bowl", lr=0.1, seed=seed)

    # ------------------------------------------------------------------ knobs
    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("lr", "learning rate", sim.lr, "float", lo=LR_LO, hi=LR_HI, step=0.05, fmt="{:.3g}",
                  help="how far one step goes per unit of slope"),
            Param("landscape", "landscape", sim.landscape.name, "choice", choices=tuple(LANDSCAPES),
                  labels={name: ls.label for name, ls in LANDSCAPES.items()}),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "lr":
            self.sim.set_lr(value)
        elif name == "landscape":
            self.sim.set_landscape(value)
            if self.is_mounted:
                self.query_one(LinePlot).clear()
        else:
            raise ValueError(f"unknown knob {name!r}")

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(equal_aspect=False, id="gd-canvas")
        with Vertical(id="gd-side"):
            card = Static(id="gd-card")
            card.border_title = "one step"
            yield card
            yield LinePlot(title="loss per step (log)", x_label="step", min_interval=0.3, id="gd-plot")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        self.query_one(LinePlot).set_log_y(True)

    def layout_changed(self) -> None:
        self._drawn_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        key = (sim.landscape.name, sim.t, tuple(sim.w), tuple(sim.start), sim.lr, sim.diverged, width, height)
        if width and height and key != self._drawn_key:
            self._drawn_key = key
            self._setup_canvas(canvas)
            if sim.dim == 1:
                self._draw_curve(canvas)
            else:
                self._draw_surface(canvas)
        self.query_one("#gd-card", Static).update(self._card())
        plot = self.query_one(LinePlot)
        losses = sim.losses
        plot.set_series("loss", np.arange(len(losses)), losses, color=PATH_RGB)

    def _setup_canvas(self, canvas: PixelCanvas) -> None:
        """Axes, aspect and palette for the current mode (only when the mode changes: a new palette
        redraws every cell)."""
        sim = self.sim
        ls = sim.landscape
        if sim.dim == 1:
            xmin, xmax = ls.domain
            top = float(sim.curve(np.linspace(xmin, xmax, 400)).max())
            self._pad = 0.08 * top
            canvas.equal_aspect = False
            extent = (xmin, xmax, -self._pad, top + self._pad)
        else:
            canvas.equal_aspect = True
            extent = ls.domain
        canvas.set_extent(*extent)
        if sim.dim != self._canvas_dim:
            self._canvas_dim = sim.dim
            canvas.set_palette(FILL_PALETTE if sim.dim == 1 else SURFACE_PALETTE)

    def _draw_curve(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        ls = sim.landscape
        xmin, xmax = ls.domain
        pad = self._pad
        xs, ys = canvas.pixel_centers()
        curve = sim.curve(xs)
        canvas.set_heatmap((ys[:, None] < curve[None, :]).astype(float))
        canvas.clear_ink()
        canvas.clear_labels()
        canvas.add_line(xmin, 0.0, xmax, 0.0, palette.MUTED)
        canvas.add_polyline(xs, curve, CURVE_RGB)
        span = xmax - xmin
        canvas.add_polyline(sim.path[-TRAIL:, 0], sim.losses[-TRAIL:], palette.blend(palette.NEUTRAL, PATH_RGB, 0.6))
        w = float(sim.w[0])
        cols, rows = canvas.size
        if sim.in_view:
            canvas.add_line(*sim.tangent(0.12 * span), TANGENT_RGB)
            nxt = float(sim.next_w[0])
            if not sim.diverged and xmin <= nxt <= xmax and abs(nxt - w) > 1e-9:
                base = -pad / 2
                canvas.add_arrow(w, base, nxt, base, STEP_RGB)
                canvas.set_label(nxt, sim.curve(np.array([nxt]))[0], "○", STEP_RGB)
            canvas.set_label(w, sim.loss, BALL, palette.HIGHLIGHT)
            label = f" slope {_num(sim.slope, 2)}"
            col, row = canvas.data_to_cell(w, sim.loss)
            canvas.set_cell_label(max(0, min(cols - len(label), col + 1)), max(0, row - 1), label, TANGENT_RGB)
        else:
            side = "→" if w > xmax else "←"
            text = f" ball off the chart at w = {_num(w, 1)} {side}"
            canvas.set_cell_label(max(0, cols - len(text)) if w > xmax else 0, 1, text, PATH_RGB)
        for (m,) in ls.minima:
            canvas.set_label(m, 0.0, "▲", palette.MUTED)
        canvas.set_cell_label(0, 0, f" {ls.label}", CURVE_RGB)
        canvas.set_cell_label(max(0, cols - 3), rows - 1, " w", palette.MUTED)

    def _draw_surface(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        ls = sim.landscape
        xmin, xmax = ls.domain[:2]
        xs, ys = canvas.pixel_centers()
        canvas.set_heatmap(sim.contour_bands(xs, ys, BANDS))
        canvas.clear_ink()
        canvas.clear_labels()
        path = sim.path[-PATH_2D:]
        canvas.add_polyline(path[:, 0], path[:, 1], PATH_RGB)
        x, y = (float(v) for v in sim.w)
        if sim.in_view:
            tangent = sim.contour_tangent(0.08 * (xmax - xmin))
            if tangent is not None:
                canvas.add_line(*tangent, TANGENT_RGB)
            nx, ny = (float(v) for v in sim.next_w)
            if not sim.diverged and math.hypot(nx - x, ny - y) > 1e-9:
                canvas.add_arrow(x, y, nx, ny, STEP_RGB)
            canvas.set_label(x, y, BALL, palette.HIGHLIGHT)
        else:
            canvas.set_cell_label(0, 1, f" ball off the map at ({_num(x, 1)}, {_num(y, 1)})", PATH_RGB)
        for m in ls.minima:
            canvas.set_label(m[0], m[1], "✚", palette.CLASS_COLORS[2])
        canvas.set_cell_label(0, 0, f" {ls.label}: contour bands, dark = low", palette.HIGHLIGHT)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        lr = sim.lr
        if sim.dim == 1:
            w, slope, nxt = float(sim.w[0]), sim.slope, float(sim.next_w[0])
            text.append(f"step {sim.t}: w={_num(w)}, L(w)={_num(sim.loss)}\n", style="bold")
            text.append("slope L′(w) = ")
            text.append(f"{_num(slope)}\n", style=palette.hex_color(TANGENT_RGB))
            text.append(f"next w = w − lr·L′ = {_num(nxt)}\n")
        else:
            (x, y), g, (nx, ny) = sim.w, sim.gradient, sim.next_w
            text.append(f"step {sim.t}: w=({_num(x, 2)}, {_num(y, 2)}), L={_num(sim.loss)}\n", style="bold")
            text.append("gradient ∇L = ")
            text.append(f"({_num(g[0], 2)}, {_num(g[1], 2)})\n", style=palette.hex_color(TANGENT_RGB))
            text.append(f"next w − lr·∇L = ({_num(nx, 2)}, {_num(ny, 2)})\n")
        factor = sim.contraction
        k = sim.curvature
        name = "|1 − 2·lr|" if sim.landscape.name == "bowl" else f"|1 − lr·{k:.3g}|"
        text.append(f"{name} = {_num(factor, 2)} per step: ")
        if sim.diverged:
            text.append("DIVERGED — the ball flew off; r resets", style="bold red")
        elif factor < 1:
            how = "creeps in" if lr * k < 1 else "zig-zags in"
            text.append(f"converges ({how})", style="green")
        elif factor == 1:
            text.append("bounces forever", style="yellow")
        else:
            text.append(f"diverges (swings grow ×{_num(factor, 2)})", style="bold red")
        text.append(f"\nsettles only if lr < {_num(sim.safe_lr, 3)}", style="dim")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "step": str(sim.t),
            "lr": f"{sim.lr:g}",
            "loss": _num(sim.loss),
            "shrink/step": _num(sim.contraction, 2),
            "mode": f"{sim.dim}-D",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys
    def action_move(self, dx: int, dy: int) -> None:
        sim = self.sim
        if sim.dim == 1 and dy:
            return
        self.playing = False
        step = MOVE_1D if sim.dim == 1 else MOVE_2D
        sim.move_start(dx * step, dy * step)
        self.steps_done = 0
        self._clear_divergence()
        self.query_one(LinePlot).clear()
        self.refresh_view()
        self.refresh_bindings()

    def action_toggle_mode(self) -> None:
        target = COUNTERPART[self.sim.landscape.name]
        panel = self.param_panel
        if panel is not None:
            panel.propose("landscape", target)
        else:
            self.sim.set_landscape(target)
            self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("gradient-descent").run()

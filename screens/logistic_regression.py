"""logistic-regression — from lines to probabilities: an S-curve on one feature, a boundary on two.

Run alone: ``python -m screens.logistic_regression``.
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

from algorithms.regression import HOURS_MAX, LogisticFit
from screens.linear_regression import CanvasCursor, fmt_number
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

CURVE_EXTENT = (-0.3, 10.3, -0.25, 1.5)  # room above the top row for two lines of text
PLANE_EXTENT = (-1.2, 1.2, -1.2, 1.2)
CURVE_XS = np.linspace(0.0, HOURS_MAX, 241)
PANELS = ("curve", "plane")
CLASS_NAMES = {0: "● blue", 1: "▲ orange"}


def s_curve_text(w: float, b: float) -> str:
    if not (math.isfinite(w) and math.isfinite(b)):
        return "P(pass) = σ(?)"
    return f"P(pass) = σ({w:.2f}·h {'−' if b < 0 else '+'} {abs(b):.2f})"


def plane_text(w: np.ndarray, b: float) -> str:
    w1, w2 = (float(v) for v in w)
    if not all(map(math.isfinite, (w1, w2, b))):
        return "P(▲) = σ(?)"
    return f"P(▲) = σ({w1:.2f}x₁ {'−' if w2 < 0 else '+'} {abs(w2):.2f}x₂ {'−' if b < 0 else '+'} {abs(b):.2f})"


STORY: list[tuple[str, str]] = [
    (
        "A yes/no question",
        "Left: students who studied some hours and then **passed** (top row, ▲) or **failed** "
        "(bottom row, ●). A straight line would predict scores like 1.3 or −0.2 — nonsense for a "
        "yes/no answer. We want a *probability* between 0 and 1.",
    ),
    (
        "Squash the line",
        "Take the line z = w·hours + b and squash it with the sigmoid σ(z) = 1/(1 + e⁻ᶻ): big z → "
        "almost 1, very negative z → almost 0, z = 0 → exactly ½. The result is the S-curve. Where it "
        "crosses ½ (the dashed line) the model changes its mind.",
    ),
    (
        "A fairer loss",
        "Squared error is a poor judge of probabilities. **Binary cross-entropy** charges −log p for a "
        "pass the model gave probability p: near nothing when p ≈ 1, a lot when the model was sure and "
        "wrong. Gradient descent lowers the average of these charges — the curves below the plane.",
    ),
    (
        "Two features",
        "Right: the same model with two inputs, σ(w₁x₁ + w₂x₂ + b). Where the probability is ½ runs a "
        "straight line — the **decision boundary** (white); the shading is the probability itself.",
    ),
    (
        "Where it ends",
        "When the two kinds overlap, one best fit exists: the **maximum-likelihood** fit (grey, press "
        "**g**). Gradient descent walks onto it. With a small enough step the loss falls at *every* "
        "step.",
    ),
    (
        "When they do not overlap",
        "Remove the overlap (press **x** near the mixed points) and the data become separable: no best "
        "fit exists. The descent keeps sharpening the S-curve towards a step, the weights grow for "
        "ever, and the screen says so.",
    ),
]

HELP = """\
# From lines to probabilities

Logistic regression turns a straight line into a probability with the **sigmoid**
σ(z) = 1 / (1 + e⁻ᶻ), and learns by lowering the **binary cross-entropy** (BCE) with gradient descent.

**Left panel — one feature.** Hours studied (→) and the outcome: ▲ passed (top), ● failed
(bottom). The white S-curve is P(pass) = σ(w·hours + b); the dashed line marks where it crosses ½.

**Right panel — two features.** Points of two kinds in the plane; the shading is P(▲), the white line
is the boundary where P = ½. Below it, the BCE of both models after every step.

**g** shows the maximum-likelihood fits in grey: the exact optimum (Newton's method), which gradient
descent approaches. When the two kinds can be split perfectly there is no finite optimum — the
screen says "separable" and the weights keep growing.

**Editing points.** **v** switches the cursor between the panels (the active one has a bright
frame). Arrows move it; **o** adds a point there and **x** removes the nearest one. On the left, the
cursor's height picks the outcome (upper half: passed); on the right, **c** picks the kind.
Mouse: click adds, right-click removes, in either panel.

**Try this.** Raise the learning rate until the loss curve turns jagged; lower it and the loss falls
at every step. Add a student who studied 10 hours and failed, and watch the curve flatten.
**b** steps back through steps and edits alike.
"""


class LogisticRegressionScreen(SimulationScreen):
    """The S-curve on hours studied (left), a boundary in the plane and the BCE curve (right)."""

    SIZE_CLASSES = {"tiny": 60, "short": 30}
    TOPIC_ID = "logistic-regression"
    TITLE = "From lines to probabilities"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 10
    STEP_NAME = "step"

    DEFAULT_CSS = """
    LogisticRegressionScreen #logreg-left { width: 1fr; height: 1fr; }
    LogisticRegressionScreen #logreg-right { width: 1fr; height: 1fr; }
    LogisticRegressionScreen #logreg-side { width: 40; height: 1fr; display: none; }
    LogisticRegressionScreen.-wide #logreg-side { display: block; }
    LogisticRegressionScreen .logreg-box { height: 1fr; border: round $primary 30%; border-title-color: $text; }
    LogisticRegressionScreen .logreg-box.-active { border: round $accent; }
    LogisticRegressionScreen #logreg-loss { height: 10; }
    LogisticRegressionScreen.-short #logreg-loss { height: 8; }
    LogisticRegressionScreen #logreg-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    LogisticRegressionScreen #logreg-story { height: 1fr; min-height: 4; }
    LogisticRegressionScreen.-tiny #logreg-right { display: none; }
    """

    BINDINGS = [
        Binding("up", "cursor(0, -1)", "Cursor", show=False),
        Binding("down", "cursor(0, 1)", "Cursor", show=False),
        Binding("left", "cursor(-1, 0)", "Cursor", show=False),
        Binding("right", "cursor(1, 0)", "Cursor", show=False),
        Binding("v", "switch_panel", "Panel"),
        Binding("o,enter", "add_point", "Add point"),
        Binding("x,delete", "remove_point", "Remove"),
        Binding("c", "cycle_class", "Kind", show=False),
        Binding("g", "toggle_best", "Best fit"),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn", show=False),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.show_best = False
        self.drop_class = 1
        self.panel = "plane"
        self.cursors = {name: CanvasCursor() for name in PANELS}
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> LogisticFit:
        return LogisticFit(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("lr", "learning rate", sim.lr, "float", lo=1e-3, hi=100.0, factor=2.0, fmt="{:.3g}",
                  help="step size of gradient descent"),
            Param("n_points", "students", sim.n_points, "int", lo=4, hi=100, step=5,
                  help="students on the left; twice as many points on the right"),
            Param("spread", "cloud spread", sim.spread, "float", lo=0.05, hi=1.0, step=0.05, fmt="{:.2f}",
                  help="how much the two kinds on the right overlap"),
            Param("drop_class", "next point (c)", self.drop_class, "choice", choices=(0, 1), labels=CLASS_NAMES),
            Param("show_best", "best fit (g)", self.show_best, "bool"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "show_best":
            self.show_best = bool(value)
            return
        if name == "drop_class":
            self.drop_class = int(value)
            return
        setter = {"lr": self.sim.set_lr, "n_points": self.sim.set_n_points, "spread": self.sim.set_spread}[name]
        setter(value)

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="logreg-left"):
            with Vertical(id="logreg-curve-box", classes="logreg-box") as box:
                box.border_title = "one feature: the S-curve"
                yield PixelCanvas(CURVE_EXTENT, equal_aspect=False, id="logreg-curve")
            yield ParamPanel(title="knobs (p)")
        with Vertical(id="logreg-right"):
            with Vertical(id="logreg-plane-box", classes="logreg-box -active") as box:
                box.border_title = "two features: the boundary"
                yield PixelCanvas(PLANE_EXTENT, id="logreg-plane")
            yield LinePlot(title="BCE per step — green: left, orange: right", x_label="step", min_interval=0.3,
                           legend=False, id="logreg-loss")
        with Vertical(id="logreg-side"):
            card = Static(id="logreg-card")
            card.border_title = "the models"
            yield card
            yield Explainer(STORY, id="logreg-story")

    def canvas(self, name: str) -> PixelCanvas:
        return self.query_one(f"#logreg-{name}", PixelCanvas)

    def on_mount(self) -> None:
        self.canvas("curve").set_palette(palette.ramp((palette.NEUTRAL, palette.NEUTRAL), 2))
        self.canvas("plane").set_palette(palette.diverging())

    def layout_changed(self) -> None:
        width, height = self.size
        self.set_class(width >= 150, "-wide")
        if width < 60 and self.panel == "plane":
            self._activate("curve")

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        for name, draw in (("curve", self._draw_curve), ("plane", self._draw_plane)):
            canvas = self.canvas(name)
            w, h = canvas.pixel_size
            if w and h:
                draw(canvas)
        plot = self.query_one(LinePlot)
        plot.set_series("1-D", sim.loss_steps_1d, sim.loss_history_1d, color=palette.CLASS_COLORS[2])
        plot.set_series("2-D", sim.loss_steps_2d, sim.loss_history_2d, color=palette.CLASS_COLORS[1])
        if self.has_class("-wide"):
            self.query_one("#logreg-card", Static).update(self._card())

    def _draw_curve(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        canvas.clear_ink()
        canvas.clear_labels()
        for level in (0.0, 1.0):
            canvas.add_line(0, level, HOURS_MAX, level, color=palette.MUTED, dash=2)
        canvas.add_line(0, 0.5, HOURS_MAX, 0.5, color=palette.MUTED, dash=1)
        fit = sim.mle_1d
        if self.show_best and fit is not None:
            w, b = fit
            canvas.add_polyline(CURVE_XS, 1 / (1 + np.exp(-(w * CURVE_XS + b))), color=palette.MUTED)
        if not sim.diverged:
            mid = sim.midpoint
            if mid is not None and 0 <= mid <= HOURS_MAX:
                canvas.add_line(mid, -0.2, mid, 1.15, color=palette.CLASS_COLORS[2], dash=1)
            canvas.add_polyline(CURVE_XS, sim.curve(CURVE_XS), color=palette.HIGHLIGHT)
        # students: fails on the bottom row, passes on the top, every other one nudged off the line
        n = len(sim.hours)
        nudge = np.where(np.arange(n) % 2 == 0, 0.0, 0.07)
        ys = np.where(sim.passed == 1, 1.0 + nudge, 0.0 - nudge)
        canvas.set_points(np.column_stack((sim.hours, ys)), sim.passed, highlight=self._near_mask("curve"))
        cols, rows = canvas.size
        canvas.set_cell_label(0, 0, s_curve_text(sim.w_1d, sim.b_1d)[: max(cols, 0)])
        status = f"BCE {fmt_number(sim.loss_1d, '.3f')}"
        if sim.separable_1d:
            status += " · separable: no best fit"
        elif sim.midpoint is not None and math.isfinite(sim.midpoint):
            status += f" · ½ at {sim.midpoint:.1f} h"
        canvas.set_cell_label(0, 1, status[: max(cols, 0)], palette.MUTED if not sim.separable_1d else palette.CLASS_COLORS[4])
        if rows > 4:
            canvas.set_cell_label(max(0, cols - 7), rows - 1, "hours →", palette.MUTED)
        self._show_cursor("curve")

    def _draw_plane(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        w, h = canvas.pixel_size
        extent = canvas.extent
        canvas.set_heatmap(sim.grid_probabilities(w, h, extent))
        canvas.clear_ink()
        canvas.clear_labels()
        if self.show_best:
            seg = sim.mle_boundary(extent)
            if seg is not None:
                canvas.add_line(*seg, color=palette.MUTED, dash=2)
        seg = sim.boundary(extent)
        if seg is not None and not sim.diverged:
            canvas.add_line(*seg, color=palette.HIGHLIGHT)
        canvas.set_points(sim.X, sim.y, highlight=self._near_mask("plane"))
        cols, _ = canvas.size
        status = f"BCE {fmt_number(sim.loss_2d, '.3f')} · acc {fmt_number(100 * sim.accuracy_2d, '.0f')}%"
        if sim.separable_2d:
            status += " · separable"
        canvas.set_cell_label(0, 0, status[: max(cols, 0)], palette.CLASS_COLORS[4] if sim.separable_2d else palette.HIGHLIGHT)
        self._show_cursor("plane")

    def _near_mask(self, name: str) -> np.ndarray | None:
        sim = self.sim
        if name != self.panel:
            return None
        at = self.cursors[name].data(self.canvas(name))
        if at is None:
            return None
        if name == "curve":
            index, n = sim.nearest_1d(*at), len(sim.hours)
        else:
            index, n = sim.nearest_2d(*at), len(sim.y)
        mask = np.zeros(n, dtype=bool)
        if index is not None:
            mask[index] = True
        return mask

    def _show_cursor(self, name: str) -> None:
        canvas = self.canvas(name)
        cursor = self.cursors[name]
        if name == self.panel and cursor.cell is not None:
            cursor.show(canvas)
        else:
            cursor.hide(canvas)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        text.append("one feature\n", style="bold underline")
        text.append(s_curve_text(sim.w_1d, sim.b_1d) + "\n")
        text.append(f"BCE {fmt_number(sim.loss_1d, '.4f')} · accuracy {fmt_number(100 * sim.accuracy_1d, '.0f')}%\n")
        fit = sim.mle_1d
        if fit is None:
            text.append("separable: no finite best fit\n", style="yellow")
        else:
            text.append(f"best fit: w {fit[0]:.3f}, b {fit[1]:.3f}\n", style=palette.hex_color(palette.MUTED))
        text.append("two features\n", style="bold underline")
        text.append(plane_text(sim.w_2d, sim.b_2d) + "\n")
        text.append(f"BCE {fmt_number(sim.loss_2d, '.4f')} · accuracy {fmt_number(100 * sim.accuracy_2d, '.0f')}%\n")
        fit2 = sim.mle_2d
        if fit2 is None:
            text.append("separable: no finite best fit\n", style="yellow")
        else:
            (w1, w2), b = fit2
            text.append(f"best fit: w ({w1:.2f}, {w2:.2f}), b {b:.2f}\n", style=palette.hex_color(palette.MUTED))
        L = max(sim.smoothness())
        if L > 0:
            verdict = "falls every step" if sim.lr <= 2 / L else "may rise"
            text.append(f"lr {sim.lr:.3g}: BCE {verdict} (≤ {2 / L:.3g} is safe)", style="italic")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "step": str(sim.t),
            "BCE 1-D": fmt_number(sim.loss_1d, ".3f"),
            "BCE 2-D": fmt_number(sim.loss_2d, ".3f"),
            "acc 2-D": f"{fmt_number(100 * sim.accuracy_2d, '.0f')}%",
            "editing": "left" if self.panel == "curve" else "right",
            "next": CLASS_NAMES[self.drop_class],
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        for name in PANELS:
            self.canvas(name).flush()

    # ------------------------------------------------------------------ keys and mouse
    def _activate(self, name: str) -> None:
        self.panel = name
        for other in PANELS:
            self.query_one(f"#logreg-{other}-box").set_class(other == name, "-active")

    def action_switch_panel(self) -> None:
        if self.has_class("-tiny"):
            self.notify("The right panel is hidden at this size.", timeout=2)
            return
        self._activate("plane" if self.panel == "curve" else "curve")
        cursor = self.cursors[self.panel]
        if cursor.cell is None:
            cursor.show(self.canvas(self.panel))
        self.refresh_view()

    def action_cursor(self, dx: int, dy: int) -> None:
        self.cursors[self.panel].move(self.canvas(self.panel), dx, dy)
        self.refresh_view()

    def _cursor_data(self, verb: str) -> tuple[float, float] | None:
        canvas = self.canvas(self.panel)
        at = self.cursors[self.panel].data(canvas)
        if at is None:
            self.cursors[self.panel].show(canvas)
            self.refresh_view()
            self.notify(f"Move the cursor with the arrow keys (v switches panel), then press {verb}.", timeout=3)
        return at

    def action_add_point(self) -> None:
        at = self._cursor_data("o to add a point")
        if at is not None:
            self.add_point(self.panel, *at)

    def action_remove_point(self) -> None:
        at = self._cursor_data("x to remove the nearest point")
        if at is not None:
            self.remove_near(self.panel, *at)

    def add_point(self, panel: str, x: float, y: float) -> None:
        try:
            if panel == "curve":
                self.sim.add_point_1d(x, 1 if y > 0.5 else 0)
            else:
                self.sim.add_point_2d(x, y, self.drop_class)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        self.refresh_view()
        self.refresh_bindings()

    def remove_near(self, panel: str, x: float, y: float) -> None:
        sim = self.sim
        index = sim.nearest_1d(x, y) if panel == "curve" else sim.nearest_2d(x, y)
        if index is None:
            self.notify("No points left in this panel.", severity="warning", timeout=3)
            return
        (sim.remove_point_1d if panel == "curve" else sim.remove_point_2d)(index)
        self.refresh_view()
        self.refresh_bindings()

    def action_cycle_class(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose("drop_class", 1 - self.drop_class)

    def action_toggle_best(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose("show_best", not self.show_best)

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        name = "curve" if event.canvas.id == "logreg-curve" else "plane"
        if name != self.panel:
            self._activate(name)
        self.cursors[name].place(event.canvas, event.x, event.y)
        if event.drag:
            self.refresh_view()
        elif event.button == 1:
            self.add_point(name, event.x, event.y)
        elif event.button == 3:
            self.remove_near(name, event.x, event.y)
        else:
            self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("logistic-regression").run()

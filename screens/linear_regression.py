"""linear-regression — hours studied against exam scores, and a line fitted by gradient descent.

Run alone: ``python -m screens.linear_regression``.
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

from algorithms.regression import HOURS_MAX, SCORE_MAX, LineFit
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.3, 10.4, -13.0, 106.0)  # room on the left and below for the axis labels
RESIDUAL = palette.NEGATIVE  # the errors: pink dashes
BEST = palette.MUTED


class CanvasCursor:
    """A keyboard cursor on a PixelCanvas, kept in cells and clamped to the canvas."""

    def __init__(self) -> None:
        self.cell: tuple[int, int] | None = None

    def show(self, canvas: PixelCanvas) -> None:
        w, h = canvas.size
        if self.cell is None:
            self.cell = (w // 2, h // 2)
        col, row = self.cell
        self.cell = (max(0, min(w - 1, col)), max(0, min(h - 1, row)))
        canvas.set_cursor(self.cell)

    def move(self, canvas: PixelCanvas, dx: int, dy: int) -> None:
        if self.cell is not None:
            self.cell = (self.cell[0] + dx, self.cell[1] + dy)
        self.show(canvas)

    def place(self, canvas: PixelCanvas, x: float, y: float) -> None:
        self.cell = canvas.data_to_cell(x, y)
        self.show(canvas)

    def hide(self, canvas: PixelCanvas) -> None:
        canvas.set_cursor(None)

    def data(self, canvas: PixelCanvas) -> tuple[float, float] | None:
        return None if self.cell is None else canvas.cell_to_data(*self.cell)


def fmt_number(value: float, spec: str = ".1f") -> str:
    """A number for people; "—" when there is none."""
    return "—" if value is None or not math.isfinite(value) else format(value, spec)


def line_text(w: float, b: float, x: str = "hours", y: str = "score") -> str:
    if not (math.isfinite(w) and math.isfinite(b)):
        return f"{y} = ?"
    return f"{y} = {w:.2f}·{x} {'−' if b < 0 else '+'} {abs(b):.1f}"


STORY: list[tuple[str, str]] = [
    (
        "The question",
        "Each dot is a student: how long they studied (→) and what they scored (↑). More hours, "
        "better marks — roughly. Which single straight line sums the trend up best?",
    ),
    (
        "How wrong is a line?",
        "For every student the pink dashes measure the miss: the actual score minus the line's guess. "
        "Square each miss (so big misses count a lot and signs do not cancel) and average them: that "
        "is the **mean squared error**, MSE, shown live.",
    ),
    (
        "Walking downhill",
        "The MSE depends on two dials, the slope **w** and the intercept **b**. Each step of gradient "
        "descent works out which way both dials should turn to lower the MSE and turns them a little: "
        "**w ← w − lr·∂MSE/∂w**, the same for b. The curve on the right is the MSE after every step.",
    ),
    (
        "Where it ends",
        "For a straight line and squared errors there is one best answer, the **least-squares line**, "
        "with a closed formula: w = cov(hours, score) / var(hours). Press **g** to see it in grey: "
        "the descent walks the line onto it.",
    ),
    (
        "Your turn",
        "Move the cursor with the arrow keys, press **o** to add a student there and **x** to remove "
        "the one nearest the cursor (or click and right-click). One lazy genius in the top-left corner "
        "tilts the whole line: squared errors make outliers loud.",
    ),
    (
        "Too big a step",
        "Raise the learning rate past the limit shown on the card and each step overshoots further "
        "than the last: the line swings wilder and wilder until the numbers blow up.",
    ),
]

HELP = """\
# Fitting a straight line

Dots are students: **hours studied** across, **exam score** up. The white line is the model
**score = w·hours + b**. Each pink dashed segment is one student's error (actual − predicted); the
**MSE** is the average of their squares.

**Play** runs gradient descent: every step nudges w and b against the gradient of the MSE. The plot
on the right shows the MSE falling, step by step (log scale). The grey line (**g**) is the exact
least-squares line — where the descent is heading. The card tells how far away it still is.

*Units.* The descent works on hours/10 and score/100, so one learning rate suits both dials; the card
gives w and b in points and hours, and the largest learning rate that still converges.

**Try this.**
* Add a student far off the trend (arrows, then **o**) and watch the line give way; **x** removes
  the student nearest the cursor. Mouse: click adds, right-click removes.
* Raise the learning rate above the stable limit: the line overshoots, then diverges.
* **b** steps back through steps and edits alike.

**Knobs** (**p**): learning rate, number of students, how scattered their scores are, and whether
the line starts at random or flat.
"""


class LinearRegressionScreen(SimulationScreen):
    """Students as dots, a line fitted by gradient descent, residuals as pink dashes."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 34}
    TOPIC_ID = "linear-regression"
    TITLE = "Fitting a straight line"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 10
    STEP_NAME = "step"

    DEFAULT_CSS = """
    LinearRegressionScreen #linreg-canvas { width: 1fr; height: 1fr; }
    LinearRegressionScreen #linreg-side { width: 44; height: 1fr; }
    LinearRegressionScreen.-narrow #linreg-side { width: 34; }
    LinearRegressionScreen #linreg-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    LinearRegressionScreen #linreg-loss { height: 1fr; min-height: 6; max-height: 16; }
    LinearRegressionScreen #linreg-story { height: 1fr; min-height: 4; }
    LinearRegressionScreen.-short #linreg-story { display: none; }
    LinearRegressionScreen.-short #linreg-loss { min-height: 5; }
    LinearRegressionScreen.-tiny #linreg-side { display: none; }
    """

    BINDINGS = [
        Binding("up", "cursor(0, -1)", "Cursor", show=False),
        Binding("down", "cursor(0, 1)", "Cursor", show=False),
        Binding("left", "cursor(-1, 0)", "Cursor", show=False),
        Binding("right", "cursor(1, 0)", "Cursor", show=False),
        Binding("o,enter", "add_point", "Add point"),
        Binding("x,delete", "remove_point", "Remove point"),
        Binding("g", "toggle_best", "Best line"),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn", show=False),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.show_best = False
        self.cursor = CanvasCursor()
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> LineFit:
        return LineFit(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("lr", "learning rate", sim.lr, "float", lo=1e-3, hi=4.0, factor=1.5, fmt="{:.3g}",
                  help="how far each step turns the dials"),
            Param("n_points", "students", sim.n_points, "int", lo=2, hi=LineFit.MAX_POINTS, step=5),
            Param("noise", "score scatter", sim.noise, "float", lo=0.0, hi=30.0, step=2.0, fmt="{:.0f}",
                  help="standard deviation of the scores around the trend, in points"),
            Param("start", "start line", sim.start, "choice", choices=LineFit.START_CHOICES,
                  labels={"random": "random", "flat": "flat at 50"}),
            Param("show_best", "best line (g)", self.show_best, "bool"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "show_best":
            self.show_best = bool(value)
            return
        setter = {
            "lr": self.sim.set_lr,
            "n_points": self.sim.set_n_points,
            "noise": self.sim.set_noise,
            "start": self.sim.set_start,
        }[name]
        setter(value)

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, equal_aspect=False, id="linreg-canvas")
        with Vertical(id="linreg-side"):
            card = Static(id="linreg-card")
            card.border_title = "the line"
            yield card
            yield LinePlot(title="MSE per step (log)", x_label="step", log_y=True, min_interval=0.3,
                           legend=False, id="linreg-loss")
            yield Explainer(STORY, id="linreg-story")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        self.query_one(PixelCanvas).set_palette(palette.ramp((palette.NEUTRAL, palette.NEUTRAL), 2))

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if width and height:
            self._draw_scene(canvas)
        self.query_one("#linreg-card", Static).update(self._card())
        plot = self.query_one(LinePlot)
        plot.set_series("MSE", sim.loss_steps, sim.loss_history, color=palette.CLASS_COLORS[1])
        best = sim.best_mse
        if math.isfinite(best) and best > 0 and len(sim.loss_steps):
            plot.set_series("least squares", [0, max(sim.t, 1)], [best, best], color=palette.MUTED)
        else:
            plot.remove_series("least squares")

    def _draw_scene(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        canvas.clear_ink()
        canvas.clear_labels()
        # axes and their labels
        canvas.add_line(0, 0, HOURS_MAX, 0, color=palette.MUTED)
        canvas.add_line(0, 0, 0, SCORE_MAX, color=palette.MUTED)
        for score in (0, 50, 100):
            col, row = canvas.data_to_cell(0, score)
            canvas.set_cell_label(max(0, col - 4), row, f"{score:>3}", palette.MUTED)
        cols, rows = canvas.size
        for hours in (0, 5, 10):
            col, row = canvas.data_to_cell(hours, 0)
            label = f"{hours}h"
            canvas.set_cell_label(max(0, min(cols - len(label), col - len(label) // 2)), row + 1, label, palette.MUTED)
        canvas.set_cell_label(max(0, cols - 15), rows - 1, "hours studied →", palette.MUTED)
        canvas.set_cell_label(0, 0, "↑ score", palette.MUTED)
        # the least-squares line, the residuals, the fitted line
        if self.show_best and sim.best is not None:
            w, b = sim.best
            canvas.add_line(0, b, HOURS_MAX, w * HOURS_MAX + b, color=BEST, dash=3)
        if not sim.diverged:
            for h, s, p in zip(sim.hours, sim.scores, sim.predictions):
                if math.isfinite(p):
                    canvas.add_line(h, s, h, float(np.clip(p, -1e3, 1e3)), color=RESIDUAL, dash=1)
            x0, y0, x1, y1 = sim.line_ends()
            if all(map(math.isfinite, (y0, y1))):
                canvas.add_line(x0, float(np.clip(y0, -1e4, 1e4)), x1, float(np.clip(y1, -1e4, 1e4)), color=palette.HIGHLIGHT)
        # the students, the one nearest the cursor in bold (x removes it)
        xy = np.column_stack((sim.hours, sim.scores))
        mask = np.zeros(len(xy), dtype=bool)
        at = self.cursor.data(canvas)
        if at is not None:
            near = sim.nearest_point(*at)
            if near is not None:
                mask[near] = True
        canvas.set_points(xy, np.zeros(len(xy), dtype=int), highlight=mask)
        if self.cursor.cell is not None:
            self.cursor.show(canvas)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        text.append(line_text(sim.w, sim.b) + "\n", style="bold")
        text.append("MSE ", style="bold")
        text.append(f"{fmt_number(sim.mse, '.2f')}", style=f"bold {palette.hex_color(palette.CLASS_COLORS[1])}")
        text.append(f" · best {fmt_number(sim.best_mse, '.2f')}\n")
        if sim.best is None:
            text.append("need two different hours for a best line\n", style="yellow")
        elif sim.diverged:
            text.append("diverged: steps overshoot — r resets\n", style="bold red")
        elif sim.converged:
            text.append("✔ on the least-squares line\n", style="bold green")
        else:
            w, b = sim.best
            text.append(f"heading for w {w:.2f}, b {b:.1f}\n", style=palette.hex_color(BEST))
        limit = sim.max_stable_lr()
        if sim.lr < limit:
            text.append(f"lr {sim.lr:.3g}: stable below {fmt_number(limit, '.3g')}")
        else:
            text.append(f"lr {sim.lr:.3g} > {fmt_number(limit, '.3g')}: overshoots", style="bold yellow")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "step": str(sim.t),
            "MSE": fmt_number(sim.mse, ".2f"),
            "best": fmt_number(sim.best_mse, ".2f"),
            "w": fmt_number(sim.w, "+.2f"),
            "b": fmt_number(sim.b, "+.1f"),
            "students": str(len(sim.hours)),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys and mouse
    def action_cursor(self, dx: int, dy: int) -> None:
        self.cursor.move(self.query_one(PixelCanvas), dx, dy)
        self.refresh_view()

    def action_add_point(self) -> None:
        canvas = self.query_one(PixelCanvas)
        at = self.cursor.data(canvas)
        if at is None:
            self.cursor.show(canvas)
            self.notify("Move the cursor with the arrow keys, then press o to add a student there.", timeout=3)
            return
        self.add_point(*at)

    def add_point(self, hours: float, score: float) -> None:
        try:
            self.sim.add_point(hours, score)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        self.refresh_view()
        self.refresh_bindings()

    def action_remove_point(self) -> None:
        canvas = self.query_one(PixelCanvas)
        at = self.cursor.data(canvas)
        if at is None:
            self.cursor.show(canvas)
            self.notify("Move the cursor next to a student, then press x to remove them.", timeout=3)
            return
        self.remove_near(*at)

    def remove_near(self, hours: float, score: float) -> None:
        index = self.sim.nearest_point(hours, score)
        if index is None:
            self.notify("There are no students left to remove.", severity="warning", timeout=3)
            return
        self.sim.remove_point(index)
        self.refresh_view()
        self.refresh_bindings()

    def action_toggle_best(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose("show_best", not self.show_best)
        else:
            self.show_best = not self.show_best
            self.refresh_view()

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        canvas = self.query_one(PixelCanvas)
        self.cursor.place(canvas, event.x, event.y)
        if event.drag:
            self.refresh_view()
            return
        if event.button == 1:
            self.add_point(event.x, event.y)
        elif event.button == 3:
            self.remove_near(event.x, event.y)
        else:
            self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("linear-regression").run()

"""perceptron — apples, lemons and one neuron drawing a line between them.

Run alone: ``python -m screens.perceptron``.
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

from algorithms.perceptron import (
    MAX_FRUIT,
    MAX_MARGIN,
    MIN_MARGIN,
    START_CHOICES,
    Perceptron,
    foot_of_normal,
    line_equation,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.05, 1.05, -1.05, 1.05)
NUDGE = 0.1  # how much one key press moves w₁, w₂ or b
# The fruit are drawn with palette classes 3 (pink ◆, apples) and 4 (yellow ✚, lemons).
FRUIT_CLASS = {0: 3, 1: 4}
APPLE_RGB, LEMON_RGB = palette.class_color(FRUIT_CLASS[0]), palette.class_color(FRUIT_CLASS[1])
LINE_RGB = palette.HIGHLIGHT  # the neuron's line
OLD_LINE_RGB = palette.MUTED  # the line before the last update
ARROW_RGB = palette.blend(palette.HIGHLIGHT, LEMON_RGB, 0.5)  # the weight vector

STORY: list[tuple[str, str]] = [
    (
        "Sorting fruit",
        "A machine weighs every fruit (→) and measures how yellow it is (↑). Apples (◆) are heavier "
        "and redder, lemons (✚) lighter and yellower. We want a rule that sorts any new fruit.",
    ),
    (
        "One neuron",
        "The neuron multiplies weight by **w₁**, yellowness by **w₂**, adds the bias **b** and says "
        "*lemon* when the total is above zero. Where the total is exactly zero runs a straight line: "
        "**w₁x₁ + w₂x₂ + b = 0**. The shading shows which side says what.",
    ),
    (
        "Learning from a mistake",
        "Press **n**. The neuron walks through the fruit to the next one on the wrong side (marked) "
        "and moves towards it: a missed lemon adds a bit of that fruit to (w₁, w₂) and to b, a missed "
        "apple takes a bit away. Fruit already on the right side change nothing.",
    ),
    (
        "It always ends",
        "If any straight line can sort the fruit, this rule finds one after a limited number of "
        "updates — Novikoff's bound, shown in the card, however the fruit are ordered. Make the "
        "margin negative and the kinds overlap: no line works and the rule never settles.",
    ),
    (
        "Your hands on the dials",
        "Move the line yourself: **a**/**d** change w₁, **s**/**w** change w₂, **z**/**x** change b. "
        "Watch the accuracy as you go, then press **n** and let the rule take over.",
    ),
]

HELP = """\
# Apples, lemons and one neuron

A perceptron is the smallest neural network: one neuron with two inputs. Here the inputs are a
fruit's **weight** (x₁, left to right) and its **yellowness** (x₂, bottom to top), both scaled to
−1 … 1. The neuron computes **w₁x₁ + w₂x₂ + b** and says *lemon* (✚) when that is above zero and
*apple* (◆) otherwise. Its boundary is the straight line **w₁x₁ + w₂x₂ + b = 0**, drawn in white;
the arrow is the weight vector (w₁, w₂), which always points to the lemon side.

**The learning rule.** Each **n** finds the next fruit on the wrong side (going round the fruit in a
fixed order) and learns from it: for a lemon, **w ← w + lr·x** and **b ← b + lr**; for an apple,
the same with minus signs. The fruit learned from is highlighted and the old line stays in grey.

**The promise.** When a straight line can separate the kinds, the rule stops making mistakes after
a limited number of updates, at most (R/γ)² when it starts from zero (R: the largest input
counting the bias's constant 1, γ: the best margin any line achieves). The card shows this bound.

**Try this.**
* Press **n** a few times and watch each update swing the line towards the fruit it got wrong.
* Nudge the line by hand with **a d s w z x** and see the accuracy follow.
* Set the margin below zero (knobs: **p**): the kinds overlap and the rule keeps wandering.
* Start from zero weights, and change the learning rate: from zero the rate only rescales the
  weights, so the updates are the same ones.
* **b** undoes the last update or nudge.
"""


def _signed(value: float) -> str:
    return f"{'−' if value < 0 else '+'}{abs(value):.2f}"


class PerceptronScreen(SimulationScreen):
    """Fruit on a plane, the neuron's line over its decision, one learning update per step."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30}
    TOPIC_ID = "perceptron"
    TITLE = "Apples, lemons and one neuron"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "update"

    DEFAULT_CSS = """
    PerceptronScreen #perceptron-canvas { width: 1fr; height: 1fr; }
    PerceptronScreen #perceptron-side { width: 44; height: 1fr; }
    PerceptronScreen.-narrow #perceptron-side { width: 34; }
    PerceptronScreen #perceptron-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    PerceptronScreen #perceptron-story { height: 1fr; min-height: 4; }
    PerceptronScreen.-short #perceptron-story { display: none; }
    PerceptronScreen.-tiny #perceptron-side { display: none; }
    """

    BINDINGS = [
        Binding("d", "nudge('w1', 1)", "w₁+"),
        Binding("a", "nudge('w1', -1)", "w₁−", show=False),
        Binding("w", "nudge('w2', 1)", "w₂+"),
        Binding("s", "nudge('w2', -1)", "w₂−", show=False),
        Binding("x", "nudge('b', 1)", "b+"),
        Binding("z", "nudge('b', -1)", "b−", show=False),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn", show=False),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._points_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> Perceptron:
        return Perceptron(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("lr", "learning rate", sim.lr, "float", lo=1e-3, hi=100.0, factor=2.0, fmt="{:.3g}",
                  help="how far one update moves the weights"),
            Param("n_points", "fruit", sim.n_points, "int", lo=4, hi=MAX_FRUIT, step=10),
            Param("margin", "margin", sim.margin, "float", lo=MIN_MARGIN, hi=MAX_MARGIN, step=0.05, fmt="{:.2f}",
                  help="empty band between the kinds; below 0 they overlap"),
            Param("start", "start from", sim.start, "choice", choices=START_CHOICES,
                  labels={"random": "random line", "zero": "zero weights"}),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "lr": self.sim.set_lr,
            "n_points": self.sim.set_n_points,
            "margin": self.sim.set_margin,
            "start": self.sim.set_start,
        }[name]
        setter(value)
        self._points_key = None

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._points_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="perceptron-canvas")
        with Vertical(id="perceptron-side"):
            card = Static(id="perceptron-card")
            card.border_title = "the neuron"
            yield card
            yield Explainer(STORY, id="perceptron-story")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        # Textual also runs SimulationScreen.on_mount after this one (handlers run up the MRO).
        self.query_one(PixelCanvas).set_palette(palette.diverging(APPLE_RGB, LEMON_RGB))

    def layout_changed(self) -> None:
        self._points_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if width and height:
            extent = canvas.extent
            canvas.set_heatmap(sim.decision_grid(width, height, extent))
            last = sim.last
            key = (sim.n_points, sim.margin, sim.seed, extent, width, height, None if last is None else last.index)
            if key != self._points_key:
                self._points_key = key
                mask = np.zeros(len(sim.y), dtype=bool)
                if last is not None:
                    mask[last.index] = True
                canvas.set_points(sim.X, np.vectorize(FRUIT_CLASS.get)(sim.y), highlight=mask)
            self._draw_lines(canvas)
            canvas.set_cursor(None if last is None else canvas.data_to_cell(*sim.X[last.index]))
            canvas.clear_labels()
            cols, rows = canvas.size
            canvas.set_cell_label(0, 0, "↑ yellowness")
            canvas.set_cell_label(max(0, cols - 9), rows - 1, "weight →")
            if self.has_class("-tiny"):  # the card is hidden: write the line on the canvas
                w1, w2 = sim.w
                canvas.set_cell_label(0, 1, f"{line_equation(w1, w2, sim.b)}  {sim.accuracy:.0%}")
        self.query_one("#perceptron-card", Static).update(self._card())

    def _draw_lines(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        extent = canvas.extent
        canvas.clear_ink()
        old = sim.old_line(extent)
        if old is not None:
            canvas.add_line(*old, color=OLD_LINE_RGB)
        line = sim.line(extent)
        if line is not None:
            canvas.add_line(*line, color=LINE_RGB)
        w1, w2 = sim.w
        foot = foot_of_normal(w1, w2, sim.b)
        norm = math.hypot(w1, w2)
        if foot is not None and line is not None:
            # the weight vector, from the line's point nearest the centre, pointing to the lemon side
            length = 0.3
            x0, y0 = foot
            canvas.add_arrow(x0, y0, x0 + length * w1 / norm, y0 + length * w2 / norm, color=ARROW_RGB)

    def _card(self) -> Text:
        sim = self.sim
        w1, w2 = sim.w
        apple = f"{palette.class_glyph(FRUIT_CLASS[0])} apple"
        lemon = f"{palette.class_glyph(FRUIT_CLASS[1])} lemon"
        text = Text()
        text.append(lemon, style=palette.hex_color(LEMON_RGB))
        text.append(" if w₁x₁ + w₂x₂ + b > 0\n")
        if w1 == 0 and w2 == 0:
            text.append(f"no line yet: w₁ = w₂ = 0, b {_signed(sim.b)}\n", style="bold")
        else:
            text.append(f"{line_equation(w1, w2, sim.b)}\n", style="bold")
        n = len(sim.y)
        right = round(sim.accuracy * n)
        text.append(f"accuracy {sim.accuracy:.1%} ({right}/{n})", style="bold")
        if sim.converged:
            text.append(" ✔", style="bold green")
        text.append("\n")
        text.append(f"updates {sim.updates} · {sim.mistakes} left to learn\n")
        if sim.separable:
            used = sim.updates_since_bound
            text.append(f"bound: ≤ {math.floor(sim.bound)} updates")
            text.append(f" (used {used})\n" if used != sim.updates else "\n")
        else:
            text.append(f"no line sorts all: best {sim.best_accuracy:.1%}\n", style="yellow")
        last = sim.last
        if last is not None:
            kind = lemon if last.label == 1 else apple
            sign = "+" if last.label == 1 else "−"
            text.append("last: ")
            color = APPLE_RGB if last.label == 0 else LEMON_RGB
            text.append(f"{kind} #{last.index + 1}", style=palette.hex_color(color))
            text.append(" was wrong\n")
            text.append(f"  so w {sign}= {sim.lr:g}·x, b {sign}= {sim.lr:g}")
        elif sim.converged:
            text.append("all sorted: nothing to learn", style="green")
        else:
            text.append("n: learn from the next mistake", style="italic")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "updates": str(sim.updates),
            "accuracy": f"{sim.accuracy:.1%}",
            "w₁": f"{sim.w[0]:+.2f}",
            "w₂": f"{sim.w[1]:+.2f}",
            "b": f"{sim.b:+.2f}",
            "state": "sorted" if sim.converged else ("learning" if sim.separable else "no line fits"),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys
    def action_nudge(self, name: str, direction: int) -> None:
        try:
            self.sim.nudge(name, direction * NUDGE)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        self.refresh_view()
        self.refresh_bindings()

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("perceptron").run()

"""universal-approximation — draw a curve, and one hidden layer of N neurons learns to trace it.

Run alone: ``python -m screens.universal_approximation``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.approximation import (
    ACTIVATIONS,
    BUDGETS,
    LR_RANGE,
    N_SAMPLES,
    NEURON_RANGE,
    PRESETS,
    CurveFit,
    clamp_height,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.05, 1.05, -1.25, 1.25)
TARGET_COLOR = palette.CLASS_COLORS[0]
FIT_COLOR = palette.CLASS_COLORS[1]
NEURON_COLOR = palette.blend(palette.NEUTRAL, palette.class_color(2), 0.6)
AXIS_COLOR = (52, 55, 66)
FINE = 0.05  # height change per ↑/↓
COARSE = 0.25  # … with shift
FAST_MOVE = 10  # samples per shift+←/→

HELP = """\
# One hidden layer, any curve

Draw a curve (blue), press **l**, and watch a network with **one hidden layer of N neurons** learn
to trace it (orange). The number in the corner is the mean squared error between the two.

**Why it works.** Each hidden neuron computes act(w·x + b): a smooth step (tanh, sigmoid) or a
hinge (ReLU) placed somewhere along x. The output adds them up with weights, so the fit is a sum
of N steps or hinges — and with enough of them any continuous curve can be traced as closely as
you like. That is the *universal approximation theorem*. Press **h** to see each neuron's share.

**Try this.** With the sine, learn with N = 2 and then N = 32 (the *neurons* knob): after the same
budget of epochs, 2 neurons can only make a rough wave, 32 trace it closely. The step and the
heartbeat's spike need more neurons than the smooth sine.

**Drawing with the keyboard.** ←/→ move the cursor along x (shift: 10 at a time), ↑/↓ raise and
lower the curve there (shift: bigger steps). **d** puts the pen down: moving then carries the
height along, so ↑/↓ and →/← draw. **c** loads the next preset (sine, zigzag, step, heartbeat),
**x** flattens the curve, **s** smooths it. With a mouse, click or drag across the plot.

**Learning.** **l** learns from fresh weights and plays until the training budget is spent;
**space** pauses, **n** is one epoch, **b** steps back. Knobs (**p**): neurons (1–64), curve,
activation, learning rate, budget.
"""


class UniversalApproximationScreen(SimulationScreen):
    """A drawable curve and a one-hidden-layer network fitting it."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30}
    TOPIC_ID = "universal-approximation"
    TITLE = "One hidden layer, any curve"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 120
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    UniversalApproximationScreen #ua-canvas { width: 1fr; height: 1fr; }
    UniversalApproximationScreen #ua-side { width: 44; height: 1fr; }
    UniversalApproximationScreen.-narrow #ua-side { width: 34; }
    UniversalApproximationScreen #ua-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    UniversalApproximationScreen #ua-plot { height: 1fr; min-height: 7; }
    UniversalApproximationScreen.-short #ua-plot { display: none; }
    UniversalApproximationScreen.-tiny #ua-side { display: none; }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Cursor ←", show=False),
        Binding("right", "move(1)", "Cursor →", show=False),
        Binding("shift+left", f"move(-{FAST_MOVE})", "Cursor ← fast", show=False),
        Binding("shift+right", f"move({FAST_MOVE})", "Cursor → fast", show=False),
        Binding("up", f"lift({FINE})", "Raise", show=False),
        Binding("down", f"lift(-{FINE})", "Lower", show=False),
        Binding("shift+up", f"lift({COARSE})", "Raise more", show=False),
        Binding("shift+down", f"lift(-{COARSE})", "Lower more", show=False),
        Binding("l", "learn", "Learn"),
        Binding("d", "pen", "Pen"),
        Binding("c", "next_preset", "Preset"),
        Binding("x", "flatten", "Flatten", show=False),
        Binding("s", "smooth", "Smooth", show=False),
        Binding("h", "toggle_neurons", "Neurons", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.cursor = N_SAMPLES // 2
        self.pen = False
        self.show_neurons = False
        self._last_drag: tuple[float, float] | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> CurveFit:
        return CurveFit(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("neurons", "neurons N", sim.neurons, "int", lo=NEURON_RANGE[0], hi=NEURON_RANGE[1], step=1,
                  help="hidden neurons; learning restarts"),
            Param("curve", "curve", sim.preset, "choice", choices=(*PRESETS, "custom")),
            Param("activation", "activation", sim.activation, "choice", choices=ACTIVATIONS),
            Param("lr", "learning rate", sim.lr, "float", lo=LR_RANGE[0], hi=LR_RANGE[1], factor=2.0, fmt="{:.3g}"),
            Param("budget", "budget (epochs)", sim.budget, "choice", choices=BUDGETS),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        if name == "neurons":
            sim.set_neurons(value)
        elif name == "curve":
            if value != "custom":  # "custom" is whatever has been drawn: nothing to load
                sim.load_preset(value)
        elif name == "activation":
            sim.set_activation(value)
        elif name == "lr":
            sim.set_lr(value)
        elif name == "budget":
            sim.set_budget(value)
        else:
            raise ValueError(f"unknown knob {name!r}")

    def reset_simulation(self, seed: int) -> None:
        """A reset learns again from scratch but keeps the drawn curve."""
        curve, preset = self.sim.ys, self.sim.preset
        super().reset_simulation(seed)
        if preset == "custom":
            self.sim.set_curve(curve)

    def sim_step(self) -> None:
        self.sim.step()
        if self.sim.done:
            self.playing = False

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, equal_aspect=False, id="ua-canvas")
        with Vertical(id="ua-side"):
            card = Static(id="ua-card")
            card.border_title = "one hidden layer"
            yield card
            yield LinePlot(title="mean squared error (log)", x_label="epoch", log_y=True, min_interval=0.3,
                           legend=False, id="ua-plot")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        canvas = self.query_one(PixelCanvas)
        canvas.set_palette(palette.ramp((palette.NEUTRAL, palette.NEUTRAL), 2))
        canvas.set_heatmap(np.zeros((1, 1)))  # a plain dark background

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if width and height:
            canvas.clear_ink()
            canvas.clear_labels()
            xmin, xmax = EXTENT[0], EXTENT[1]
            canvas.add_line(xmin, 0.0, xmax, 0.0, color=AXIS_COLOR)
            fine = np.linspace(-1.0, 1.0, max(2 * width, 50))
            if self.show_neurons:
                for curve in sim.neuron_curves(fine):
                    canvas.add_polyline(fine, curve, color=NEURON_COLOR)
            canvas.add_polyline(sim.xs, sim.ys, color=TARGET_COLOR)
            canvas.add_polyline(fine, sim.predict(fine), color=FIT_COLOR)
            if self.app.no_color:  # ink is all "·" without colour: mark the target with glyphs
                canvas.set_points(np.column_stack((sim.xs, sim.ys))[::2], np.zeros((N_SAMPLES + 1) // 2))
            else:
                canvas.set_points(np.empty((0, 2)), np.empty(0))
            x, y = float(sim.xs[self.cursor]), float(sim.ys[self.cursor])
            canvas.set_cursor(canvas.data_to_cell(x, y))
            state = "diverged" if sim.diverged else "done" if sim.done else "learning"
            canvas.set_cell_label(0, 0, f" MSE {sim.mse:.5f} · N = {sim.neurons} · {state} ")
        self.query_one("#ua-card", Static).update(self._card())
        panel = self.param_panel
        if panel is not None and panel.value("curve") != sim.preset:
            panel.set_value("curve", sim.preset)
        if self.has_class("-short"):
            return
        plot = self.query_one(LinePlot)
        history = sim.mse_history
        plot.set_series("mse", np.arange(len(history)), history, color=FIT_COLOR)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        text.append(f"1 → {sim.neurons} → 1", style="bold")
        text.append(f" · {sim.activation}\n")
        text.append(f"epoch {sim.epoch} / {sim.budget}", style="bold")
        text.append(f" · MSE {sim.mse:.5f}\n")
        text.append("target ", style=f"bold {palette.hex_color(TARGET_COLOR)}")
        text.append(f"{sim.preset}   ")
        text.append("fit ", style=f"bold {palette.hex_color(FIT_COLOR)}")
        text.append(f"{sim.neurons} neuron{'s' if sim.neurons > 1 else ''}\n")
        x, y = float(sim.xs[self.cursor]), float(sim.ys[self.cursor])
        text.append(f"cursor x {x:+.2f}, height {y:+.2f} · pen {'down ✎' if self.pen else 'up'}")
        if sim.done:
            text.append("\nbudget spent: l learns again", style="green")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "epoch": f"{sim.epoch}/{sim.budget}",
            "MSE": f"{sim.mse:.5f}",
            "N": str(sim.neurons),
            "curve": sim.preset,
            "pen": "down" if self.pen else "up",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()
        if not self.has_class("-short"):
            self.query_one(LinePlot).flush()

    # ------------------------------------------------------------------ keys
    def action_move(self, delta: int) -> None:
        new = max(0, min(N_SAMPLES - 1, self.cursor + delta))
        if self.pen and new != self.cursor:
            sim = self.sim
            sim.draw_segment(float(sim.xs[self.cursor]), float(sim.ys[self.cursor]),
                             float(sim.xs[new]), float(sim.ys[self.cursor]))
        self.cursor = new
        self.refresh_view()

    def action_lift(self, dh: float) -> None:
        self.sim.nudge_height(self.cursor, dh)
        self.refresh_view()

    def action_learn(self) -> None:
        self.sim.learn()
        self.steps_done = 0
        self._clear_divergence()
        self.playing = True
        self.refresh_view()

    def action_pen(self) -> None:
        self.pen = not self.pen
        self.refresh_view()

    def action_next_preset(self) -> None:
        names = list(PRESETS)
        current = self.sim.preset
        new = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
        panel = self.param_panel
        if panel is not None:
            panel.propose("curve", new)
        else:
            self.sim.load_preset(new)
            self.refresh_view()

    def action_flatten(self) -> None:
        self.sim.flatten()
        self.refresh_view()

    def action_smooth(self) -> None:
        self.sim.smooth()
        self.refresh_view()

    def action_toggle_neurons(self) -> None:
        self.show_neurons = not self.show_neurons
        self.refresh_view()

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        if event.button != 1:
            return
        sim = self.sim
        h = clamp_height(event.y)
        if event.drag and self._last_drag is not None:
            sim.draw_segment(self._last_drag[0], self._last_drag[1], event.x, h)
        else:
            sim.set_height(sim.index_of(event.x), h)
        self._last_drag = (event.x, h)
        self.cursor = sim.index_of(event.x)
        self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("universal-approximation").run()

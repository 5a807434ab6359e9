"""layers — one line is not enough: hidden neurons, each a line, fencing in a disc of dots.

Run alone: ``python -m screens.layers``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.layers import ACTIVATIONS, MAX_NEURONS, MIN_NEURONS, HiddenLayerTraining
from algorithms.perceptron import line_equation, line_in_box
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.line_plot import LinePlot
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.15, 1.15, -1.15, 1.15)
CLASS_NAMES = {0: "ring", 1: "centre"}
# One colour per hidden neuron (the classes use blue and orange); each line also carries its number.
NEURON_COLORS: tuple[tuple[int, int, int], ...] = (
    palette.class_color(2),
    palette.class_color(3),
    palette.class_color(4),
    palette.class_color(5),
    palette.HIGHLIGHT,
    palette.class_color(6),
    palette.class_color(7),
    (170, 170, 180),
)
BEST_LINE_COLOR = palette.MUTED

STORY: list[tuple[str, str]] = [
    (
        "A ring around a disc",
        "Orange dots (▲) sit in the middle, blue ones (●) in a ring around them. One neuron draws one "
        "straight line — and no straight line can fence in a circle. Watch it try: it settles on "
        "cutting off a slice, and its accuracy stays at or below the best a single line can do "
        "(shown in the card).",
    ),
    (
        "Add neurons",
        "Press **a** to add a hidden neuron: one more line (each line is numbered and coloured). "
        "The output neuron adds up the hidden neurons' answers, so it can ask \"inside line 1 *and* "
        "line 2 *and* line 3?\" — and three lines already make a closed shape.",
    ),
    (
        "Closing in",
        "With three or more neurons, keep training: the lines turn to face the centre, the shaded "
        "region closes around the orange dots and the accuracy climbs past 95 %. More neurons round "
        "the shape off.",
    ),
    (
        "Taking neurons away",
        "Press **d** to remove the newest neuron and see the fence open up again. Toggle the best "
        "single line with **g**, and try ReLU (knobs) — it makes polygons with sharp corners, and "
        "sometimes a neuron dies and stops moving.",
    ),
]

HELP = """\
# When one line is not enough

Orange dots fill a disc in the middle; blue dots form a ring around it. The network has two
inputs (x, y), **one hidden layer** of 1–8 neurons and one output neuron; the shading is its
answer everywhere on the plane (orange: centre, blue: ring).

Each hidden neuron computes act(w₁x + w₂y + b), so it has **its own straight line**
w₁x + w₂y + b = 0, drawn in its colour with its number. The output neuron adds the hidden
neurons' outputs with weights (the numbers ×v in the card) and squashes the sum.

**One neuron is one line.** Whatever it learns, one neuron can only split the plane in two with
a line, so its accuracy can never beat the best single straight line (the card shows that best
value, found by trying every line through two dots; **g** draws it in grey).

**Three lines close a shape.** With three or more neurons the output can demand "on the inner side
of every line", and the lines close around the centre: accuracy passes 95 %.

**Keys.** **a** adds a neuron (keeping the trained ones), **d** removes the newest; **n** is one
epoch of training, **space** plays; **b** steps back (not past a change of neurons); **g** shows the
best single line. Knobs (**p**): learning rate, activation (tanh, ReLU, sigmoid), data noise.
"""


class LayersScreen(SimulationScreen):
    """The circle data, a 2 → k → 1 network, each hidden neuron's line and the combined boundary."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 40, "squat": 30}
    TOPIC_ID = "layers"
    TITLE = "When one line is not enough"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 30
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    LayersScreen #layers-canvas { width: 1fr; height: 1fr; }
    LayersScreen #layers-side { width: 46; height: 1fr; }
    LayersScreen.-narrow #layers-side { width: 34; }
    LayersScreen #layers-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    LayersScreen #layers-net { height: 9; }
    LayersScreen #layers-plot { height: 1fr; min-height: 7; max-height: 14; }
    LayersScreen #layers-story { height: 1fr; min-height: 4; }
    LayersScreen.-short #layers-net, LayersScreen.-short #layers-plot { display: none; }
    LayersScreen.-squat #layers-story { display: none; }
    LayersScreen.-tiny #layers-side { display: none; }
    """

    BINDINGS = [
        Binding("a", "neurons(1)", "Add neuron"),
        Binding("d", "neurons(-1)", "Remove neuron"),
        Binding("g", "toggle_best", "Best line"),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn", show=False),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.show_best = False
        self._points_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> HiddenLayerTraining:
        return HiddenLayerTraining(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("neurons", "hidden neurons", sim.neurons, "int", lo=MIN_NEURONS, hi=MAX_NEURONS, step=1,
                  help="a adds, d removes"),
            Param("lr", "learning rate", sim.lr, "float", lo=1e-4, hi=10.0, factor=2.0, fmt="{:.3g}"),
            Param("activation", "activation", sim.activation, "choice", choices=ACTIVATIONS),
            Param("noise", "data noise", sim.noise, "float", lo=0.0, hi=0.5, step=0.02, fmt="{:.2f}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "neurons": self.sim.set_neurons,
            "lr": self.sim.set_lr,
            "activation": self.sim.set_activation,
            "noise": self.sim.set_noise,
        }[name]
        setter(value)
        if name == "noise":
            self._points_key = None

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._points_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="layers-canvas")
        with Vertical(id="layers-side"):
            card = Static(id="layers-card")
            card.border_title = "hidden layer"
            yield card
            yield NetworkDiagram(id="layers-net")
            yield LinePlot(title="accuracy (orange) · best line (grey)", x_label="epoch", min_interval=0.5,
                           legend=False, id="layers-plot")
            yield Explainer(STORY, id="layers-story")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        # Textual also runs SimulationScreen.on_mount after this one (handlers run up the MRO).
        self.query_one(PixelCanvas).set_palette(palette.diverging())

    def layout_changed(self) -> None:
        self._points_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if width and height:
            extent = canvas.extent
            canvas.set_heatmap(sim.grid_probabilities(width, height, extent))
            key = (sim.seed, sim.noise, extent, width, height)
            if key != self._points_key:
                self._points_key = key
                canvas.set_points(sim.X, sim.y)
            canvas.clear_ink()
            canvas.clear_labels()
            if self.show_best:
                w, b = sim.best_line
                segment = line_in_box(float(w[0]), float(w[1]), b, extent)
                if segment is not None:
                    canvas.add_line(*segment, color=BEST_LINE_COLOR)
            for i, segment in enumerate(sim.neuron_segments(extent)):
                if segment is None:
                    continue
                color = NEURON_COLORS[i % len(NEURON_COLORS)]
                canvas.add_line(*segment, color=color)
                x0, y0, x1, y1 = segment
                col, row = canvas.data_to_cell(x0 + 0.06 * (x1 - x0), y0 + 0.06 * (y1 - y0))
                cols, rows = canvas.size
                canvas.set_cell_label(min(max(col, 0), cols - 1), min(max(row, 0), rows - 1), str(i + 1), color)
            plural = "s" if sim.neurons > 1 else ""
            canvas.set_cell_label(0, 0, f" {sim.neurons} neuron{plural} · acc {sim.accuracy:.1%} ")
        self.query_one("#layers-card", Static).update(self._card())
        if self.has_class("-short"):
            return
        model = sim.model
        self.query_one(NetworkDiagram).set_network(
            model.sizes, list(model.weights), biases=list(model.biases),
            node_labels=[["x", "y"], [str(i + 1) for i in range(sim.neurons)], ["out"]],
        )
        plot = self.query_one(LinePlot)
        acc = sim.accuracy_history
        epochs = range(len(acc))
        plot.set_series("accuracy", epochs, acc, color=palette.CLASS_COLORS[1])
        plot.set_series("best line", [0, max(len(acc) - 1, 1)], [sim.best_line_accuracy] * 2, color=BEST_LINE_COLOR)
        plot.set_y_limits(0.4, 1.02)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        text.append(f"{sim.neurons} hidden neuron{'s' if sim.neurons > 1 else ''} · epoch {sim.epoch}\n", style="bold")
        text.append(f"accuracy {sim.accuracy:.1%}\n", style="bold")
        text.append(f"best single line {sim.best_line_accuracy:.1%}\n")
        if sim.neurons == 1:
            text.append("one line: it cannot beat the best line\n", style="yellow")
        elif sim.neurons == 2:
            text.append("two lines: a band, not yet a fence\n", style="yellow")
        else:
            text.append("enough lines to close a shape\n", style="green")
        for i, (w1, w2, b, v) in enumerate(sim.neuron_lines()):
            color = NEURON_COLORS[i % len(NEURON_COLORS)]
            text.append(f"{i + 1} ", style=f"bold {palette.hex_color(color)}")
            line = line_equation(w1, w2, b, names=("x", "y"), digits=1)
            if self.has_class("-narrow"):
                line = line.replace(" ", "")
            text.append(f"{line}  ×{v:+.1f}\n".replace("-", "−"))
        text.rstrip()
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "epoch": str(sim.epoch),
            "neurons": str(sim.neurons),
            "accuracy": f"{sim.accuracy:.1%}",
            "best line": f"{sim.best_line_accuracy:.1%}",
            "loss": f"{sim.loss:.3f}",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()
        if not self.has_class("-short"):
            self.query_one(LinePlot).flush()

    # ------------------------------------------------------------------ keys
    def action_neurons(self, delta: int) -> None:
        sim = self.sim
        changed = sim.add_neuron() if delta > 0 else sim.remove_neuron()
        if not changed:
            limit = f"at most {MAX_NEURONS}" if delta > 0 else f"at least {MIN_NEURONS}"
            plural = "s" if delta > 0 else ""
            self.notify(f"The hidden layer has {limit} neuron{plural}.", severity="warning", timeout=2)
            return
        panel = self.param_panel
        if panel is not None:
            panel.set_value("neurons", sim.neurons)
        self._clear_divergence()
        self.refresh_view()
        self.refresh_bindings()

    def action_toggle_best(self) -> None:
        self.show_best = not self.show_best
        self.refresh_view()

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("layers").run()

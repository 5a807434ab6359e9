"""relu-triangle — three hidden ReLU neurons fence in the centre, and a scrub through training.

Run alone: ``python -m screens.relu_triangle``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.perceptron import line_equation, line_in_box
from algorithms.relu_triangle import LR_RANGE, MAX_EPOCHS, NOISE_RANGE, ReluTriangle
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.15, 1.15, -1.15, 1.15)
# One colour per hidden neuron (blue and orange are the classes); each line also carries its number.
NEURON_COLORS = (palette.class_color(2), palette.class_color(3), palette.class_color(4))
HINGE_COLORS = tuple(palette.blend(palette.NEUTRAL, c, 0.5) for c in NEURON_COLORS)
SCRUB_STEP = 10
SUBSCRIPTS = "₁₂₃"

STORY: list[tuple[str, str]] = [
    (
        "A fence of three lines",
        "Orange dots (▲) sit in the middle, blue dots (●) in a ring around them. The network has "
        "three hidden neurons, each a ReLU: silent on one side of its line, growing on the other. "
        "At the start all three lines cross near the middle at random angles.",
    ),
    (
        "Votes against the centre",
        "The output neuron begins by saying \"centre\" everywhere, and each hidden neuron that wakes "
        "up votes against it. Training slides and turns the three lines outwards until every blue "
        "dot wakes at least one neuron and no orange dot wakes any.",
    ),
    (
        "The triangle",
        "Where one neuron alone is awake, the answer flips along a straight line parallel to its "
        "hinge: its **fence**. Three fences close a triangle around the centre — only at the corners, "
        "where two neurons wake together, does the boundary cut across.",
    ),
    (
        "Scrub",
        "Every epoch is kept. Press **←**/**→** to jump ten epochs, **b**/**n** for one, **home**/"
        "**end** for the first and last: watch the lines swing into place and back out again.",
    ),
]

HELP = """\
# Three ReLUs fence a triangle

Orange dots fill a small disc in the middle, blue dots a ring around it. A network with **three
hidden ReLU neurons** learns to tell them apart; the shading is its answer everywhere (orange:
centre, blue: ring).

**Each neuron is a line.** Neuron *i* computes hᵢ = ReLU(wᵢ·x + bᵢ): zero on one side of its
*hinge* wᵢ·x + bᵢ = 0 (drawn dim with **k**), rising on the other. The output neuron adds
c + v₁h₁ + v₂h₂ + v₃h₃. It starts with c = +1 and every v = −1: "centre, unless a neuron objects".

**The fence.** Where only neuron *i* is awake, the answer flips where vᵢ·hᵢ = −c — a straight line
parallel to the hinge, a little outside it. That is the neuron's *fence*, drawn bright with its
number. After training the three fences form the triangle you see; only at the corners, where two
neurons are awake at once, does the boundary cut the corner off. Accuracy passes 95 %.

**Scrubbing.** Every trained epoch is kept (up to 2000). **→**/**←** jump ten epochs forward or
back, **n**/**b** one, **home**/**end** go to the start and to the last trained epoch, and the
*epoch* knob takes any value (training runs ahead if needed). Changing the learning rate forgets
the epochs after the one shown and trains on from there.

**Knobs** (**p**): epoch shown, learning rate, data noise (more noise: the classes overlap and no
three lines can fence them perfectly).
"""


class ReluTriangleScreen(SimulationScreen):
    """The centre-and-ring data, three ReLU fences, and a scrub through the training history."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30, "squat": 40}
    TOPIC_ID = "relu-triangle"
    TITLE = "Three ReLUs fence a triangle"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 20
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    ReluTriangleScreen #rt-canvas { width: 1fr; height: 1fr; }
    ReluTriangleScreen #rt-side { width: 46; height: 1fr; }
    ReluTriangleScreen.-narrow #rt-side { width: 36; }
    ReluTriangleScreen #rt-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    ReluTriangleScreen #rt-plot { height: 1fr; min-height: 7; max-height: 16; }
    ReluTriangleScreen #rt-story { height: 1fr; min-height: 5; }
    ReluTriangleScreen.-short #rt-plot { display: none; }
    ReluTriangleScreen.-squat #rt-story { display: none; }
    ReluTriangleScreen.-tiny #rt-side { display: none; }
    """

    BINDINGS = [
        Binding("right", f"scrub({SCRUB_STEP})", f"+{SCRUB_STEP} epochs", key_display="→"),
        Binding("left", f"scrub({-SCRUB_STEP})", f"−{SCRUB_STEP} epochs", key_display="←"),
        Binding("home", "scrub_to('first')", "First epoch", show=False),
        Binding("end", "scrub_to('last')", "Last trained epoch", show=False),
        Binding("k", "toggle_hinges", "Hinges"),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn", show=False),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.show_hinges = False
        self._points_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> ReluTriangle:
        return ReluTriangle(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("epoch", "epoch shown", sim.epoch, "int", lo=0, hi=MAX_EPOCHS, step=SCRUB_STEP,
                  help="scrub through training (trains ahead if needed)"),
            Param("lr", "learning rate", sim.lr, "float", lo=LR_RANGE[0], hi=LR_RANGE[1], factor=2.0, fmt="{:.3g}"),
            Param("noise", "data noise", sim.noise, "float", lo=NOISE_RANGE[0], hi=NOISE_RANGE[1], step=0.02,
                  fmt="{:.2f}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "epoch":
            self.sim.scrub(value)
        elif name == "lr":
            self.sim.set_lr(value)
        elif name == "noise":
            self.sim.set_noise(value)
            self._points_key = None
            self._sync_epoch_knob()
        else:
            raise ValueError(f"unknown knob {name!r}")

    def reset_simulation(self, seed: int) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.set_value("epoch", 0)  # a reset goes back to the untrained network
        super().reset_simulation(seed)
        self._points_key = None

    def sim_step(self) -> None:
        self.sim.step()
        if self.sim.epoch >= MAX_EPOCHS:
            self.playing = False

    def _sync_epoch_knob(self) -> None:
        panel = self.param_panel
        if panel is not None and self.is_mounted and panel.value("epoch") != self.sim.epoch:
            panel.set_value("epoch", self.sim.epoch)

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="rt-canvas")
        with Vertical(id="rt-side"):
            card = Static(id="rt-card")
            card.border_title = "three ReLU neurons"
            yield card
            yield LinePlot(title="accuracy (orange) · loss (grey)", x_label="epoch", min_interval=0.3,
                           legend=False, id="rt-plot")
            yield Explainer(STORY, id="rt-story")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        # Textual also runs SimulationScreen.on_mount after this one (handlers run up the MRO).
        self.query_one(PixelCanvas).set_palette(palette.diverging())

    def layout_changed(self) -> None:
        self._points_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        self._sync_epoch_knob()
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if width and height:
            extent = canvas.extent
            canvas.set_heatmap(sim.grid_probabilities(width, height, extent))
            key = (sim.seed, sim.noise, sim.epoch, extent, width, height)
            if key != self._points_key:
                self._points_key = key
                canvas.set_points(sim.X, sim.y, highlight=sim.misclassified)
            canvas.clear_ink()
            canvas.clear_labels()
            cols, rows = canvas.size
            for i, neuron in enumerate(sim.neurons()):
                if self.show_hinges:
                    hinge = line_in_box(*neuron.hinge, extent)
                    if hinge is not None:
                        canvas.add_line(*hinge, color=HINGE_COLORS[i])
                fence = neuron.fence
                segment = None if fence is None else line_in_box(*fence, extent)
                if segment is None:
                    continue
                canvas.add_line(*segment, color=NEURON_COLORS[i])
                x0, y0, x1, y1 = segment
                col, row = canvas.data_to_cell(x0 + 0.06 * (x1 - x0), y0 + 0.06 * (y1 - y0))
                canvas.set_cell_label(min(max(col, 0), cols - 1), min(max(row, 0), rows - 1), str(i + 1),
                                      NEURON_COLORS[i])
            canvas.set_cell_label(0, 0, f" epoch {sim.epoch} · acc {sim.accuracy:.1%} ")
        self.query_one("#rt-card", Static).update(self._card())
        if self.has_class("-short"):
            return
        plot = self.query_one(LinePlot)
        acc, loss = sim.accuracy_history, sim.loss_history
        epochs = range(len(acc))
        plot.set_series("accuracy", epochs, acc, color=palette.CLASS_COLORS[1])
        plot.set_series("loss", epochs, loss, color=palette.MUTED)
        plot.set_y_limits(0.0, 1.05)
        plot.set_marker_x(sim.epoch)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        text.append(f"epoch {sim.epoch}", style="bold")
        text.append(f" of {sim.trained_epochs} trained\n")
        text.append(f"accuracy {sim.accuracy:.1%}", style="bold")
        text.append(f" · loss {sim.loss:.3f}\n")
        neurons = sim.neurons()
        out = f"out = {neurons[0].c:+.1f}" + "".join(
            f" {'−' if n.v < 0 else '+'} {abs(n.v):.1f}·h{SUBSCRIPTS[i]}" for i, n in enumerate(neurons)
        )
        text.append(out + "\n")
        for i, neuron in enumerate(neurons):
            text.append(f"{i + 1} ", style=f"bold {palette.hex_color(NEURON_COLORS[i])}")
            fence = neuron.fence
            if fence is None:
                text.append("no fence (its vote cannot flip the answer)\n", style="italic")
            else:
                text.append(line_equation(*fence, names=("x", "y"), digits=1) + "\n")
        fences = sum(n.fence is not None for n in neurons)
        if sim.accuracy >= 0.95 and fences == 3:
            text.append("three fences close the triangle", style="green")
        else:
            text.append("the lines are still moving into place", style="yellow")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "epoch": f"{sim.epoch}/{sim.trained_epochs}",
            "accuracy": f"{sim.accuracy:.1%}",
            "loss": f"{sim.loss:.3f}",
            "fences": str(sum(n.fence is not None for n in sim.neurons())),
            "hinges": "shown" if self.show_hinges else "hidden",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()
        if not self.has_class("-short"):
            self.query_one(LinePlot).flush()

    # ------------------------------------------------------------------ keys
    def action_scrub(self, delta: int) -> None:
        self.playing = False
        target = max(0, min(MAX_EPOCHS, self.sim.epoch + delta))
        self.sim.scrub(target)
        self._after_move()

    def action_scrub_to(self, where: str) -> None:
        self.playing = False
        self.sim.scrub(0 if where == "first" else self.sim.trained_epochs)
        self._after_move()

    def _after_move(self) -> None:
        self._clear_divergence()
        if self.is_diverged():
            self._check_diverged()
        self.refresh_view()
        self.refresh_bindings()

    def action_toggle_hinges(self) -> None:
        self.show_hinges = not self.show_hinges
        self.refresh_view()

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("relu-triangle").run()

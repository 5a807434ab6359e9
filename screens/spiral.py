"""spiral — watching a small network untangle two spirals, live.

Run alone: ``python -m screens.spiral``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from algorithms.spiral import SpiralTraining
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.15, 1.15, -1.15, 1.15)
CLASS_NAMES = {0: "blue", 1: "orange"}

STORY: list[tuple[str, str]] = [
    (
        "The data",
        "Three hundred dots lie on two arms that coil around each other: **blue** (●) and "
        "**orange** (▲). They are all the network will ever see — no formula, no hint that these "
        "are spirals. Its job: colour every spot of the plane with the arm it belongs to.",
    ),
    (
        "A random start",
        "The network has two inputs (x, y), two hidden layers of 24 tanh neurons and one output: the "
        "chance that a spot is orange. Its weights start random, so the shading behind the dots is a "
        "confident guess about nothing.",
    ),
    (
        "The long plateau",
        "Each epoch nudges every weight a little downhill on the loss. For a long stretch the accuracy "
        "hovers not far above a coin flip and the loss curve looks flat: the net has found a lazy "
        "answer — split the plane roughly in half — and is feeling its way out of it.",
    ),
    (
        "The click",
        "Then the boundary starts to curl and the loss drops off a cliff. Nothing special happened at "
        "that epoch: the small pushes added up until the hidden neurons lined up with the arms. "
        "Watch the loss plot: flat, then a sudden fall.",
    ),
    (
        "Hugging the arms",
        "A little later the boundary follows both arms almost exactly and the accuracy passes 98 %. "
        "The shading is smooth: 2 × 24 neurons are too few to memorise noise, so the net has to find "
        "the spiral itself.",
    ),
    (
        "Your turn",
        "Training never stops. Move the cursor with the **arrow keys**, pick a colour with **c** and "
        "drop a dot with **o** (or click). A dot in enemy territory becomes training data at once; "
        "watch the boundary bend to take it in. **u** removes your last dot.",
    ),
    (
        "What to take away",
        "*Plateaus are normal.* Training curves at every scale are full of long flat stretches and "
        "sudden drops — judge a run by its whole curve, not one window of it.\n\n"
        "*Small nets are smooth.* Make the network much larger and it would carve islands around single "
        "dots instead.\n\n"
        "*New dots are a distribution shift.* The net trades old evidence against new, the same tension "
        "behind forgetting in far larger models.",
    ),
]

HELP = """\
# Watching a network learn spirals

Two interleaved spirals of dots, blue and orange, and a small neural network (2 → 24 → 24 → 1,
tanh) learning to tell them apart **live**, from random weights, with real gradient descent on the
binary cross-entropy. The background shows the network's answer everywhere on the plane: the
stronger the colour, the surer it is. Accuracy and loss are in the top-left corner and in the bar below.

**What to watch.** For a few hundred epochs almost nothing seems to happen (the *plateau*); then the
boundary curls into the arms and the loss falls off a cliff. The loss plot on the right shows the
whole story.

**Try this.**
* Drop dots of either colour into the other arm (arrow keys + **o**, or click) and watch the
  boundary give way.
* Raise the learning rate until training *diverges*; the screen says so and **r** resets.
* Switch the optimiser to plain SGD and compare the plateau's length.
* Step back with **b** through the last 200 epochs.

**Knobs** (press **p** or **tab**, then ↑/↓ to choose, ←/→ to change, **enter** to type a value):
learning rate, optimiser, batch size, data noise, activation, and the colour of the next dot.
"""


class SpiralScreen(SimulationScreen):
    """Two spirals, a 2-24-24-1 tanh network, and its decision boundary as a live heat map."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 22}
    TOPIC_ID = "spiral"
    TITLE = "Watching a network learn spirals"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 60
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    SpiralScreen #spiral-canvas { width: 1fr; height: 1fr; }
    SpiralScreen #spiral-side { width: 46; height: 1fr; }
    SpiralScreen.-narrow #spiral-side { width: 34; }
    SpiralScreen #spiral-loss { height: 1fr; min-height: 7; max-height: 20; }
    SpiralScreen #spiral-story { height: 1fr; min-height: 4; }
    SpiralScreen.-short #spiral-loss { display: none; }
    SpiralScreen.-tiny #spiral-side { display: none; }
    """

    BINDINGS = [
        Binding("up", "cursor(0, -1)", "Cursor", show=False),
        Binding("down", "cursor(0, 1)", "Cursor", show=False),
        Binding("left", "cursor(-1, 0)", "Cursor", show=False),
        Binding("right", "cursor(1, 0)", "Cursor", show=False),
        Binding("o,enter", "drop", "Drop dot"),
        Binding("c", "cycle_color", "Colour"),
        Binding("u", "undo_dot", "Undo dot", show=False),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn"),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.drop_class = 1
        self.cursor: tuple[int, int] | None = None
        self._points_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> SpiralTraining:
        return SpiralTraining(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("lr", "learning rate", sim.lr, "float", lo=1e-5, hi=100.0, factor=2.0, fmt="{:.3g}",
                  help="step size of each update"),
            Param("optimizer", "optimiser", sim.optimizer, "choice",
                  choices=("sgd", "momentum", "rmsprop", "adam")),
            Param("batch_size", "batch size", sim.batch_size, "choice", choices=(8, 16, 32, 64, 128, None),
                  labels={None: "all"}),
            Param("noise", "data noise", sim.noise, "float", lo=0.0, hi=0.5, step=0.02, fmt="{:.2f}"),
            Param("activation", "activation", sim.activation, "choice", choices=("tanh", "relu", "sigmoid")),
            Param("drop_class", "next dot", self.drop_class, "choice", choices=(0, 1),
                  labels={0: "● blue", 1: "▲ orange"}),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "drop_class":
            self.drop_class = int(value)
            if self.is_mounted:
                self._show_cursor()
            return
        setter = {
            "lr": self.sim.set_lr,
            "optimizer": self.sim.set_optimizer,
            "batch_size": self.sim.set_batch_size,
            "noise": self.sim.set_noise,
            "activation": self.sim.set_activation,
        }[name]
        setter(value)

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._points_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="spiral-canvas")
        with Vertical(id="spiral-side"):
            yield LinePlot(title="loss per epoch", x_label="epoch", min_interval=0.5, id="spiral-loss")
            yield Explainer(STORY, id="spiral-story")
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
            canvas.set_heatmap(sim.grid_probabilities(width, height, canvas.extent))
            n = len(sim.y)
            key = (n, canvas.extent, width, height)
            if key != self._points_key:
                self._points_key = key
                canvas.set_points(sim.X, sim.y, highlight=np.arange(n) >= n - sim.n_user_points)
            canvas.clear_labels()
            canvas.set_cell_label(1, 0, f" epoch {sim.epoch}  acc {sim.accuracy:6.1%}  loss {sim.loss:.4f} ")
        plot = self.query_one(LinePlot)
        history = sim.loss_history
        if len(history):
            plot.set_series("train loss", range(len(history)), history, color=palette.CLASS_COLORS[1])
            # after a blow-up the last losses are huge: keep the interesting range in view
            plot.set_y_limits(0.0, 1.5 if sim.diverged else None)
        else:
            plot.clear()

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "epoch": str(sim.epoch),
            "loss": f"{sim.loss:.4f}",
            "accuracy": f"{sim.accuracy:.1%}",
            "points": f"{len(sim.y)} ({sim.n_user_points} yours)",
            "next dot": CLASS_NAMES[self.drop_class],
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ dots
    def _show_cursor(self) -> None:
        canvas = self.query_one(PixelCanvas)
        if self.cursor is None:
            w, h = canvas.size
            self.cursor = (w // 2, h // 2)
        col, row = self.cursor
        canvas.set_cursor((col, row))

    def action_cursor(self, dx: int, dy: int) -> None:
        canvas = self.query_one(PixelCanvas)
        w, h = canvas.size
        if self.cursor is None:
            self._show_cursor()
        else:
            col, row = self.cursor
            self.cursor = (max(0, min(w - 1, col + dx)), max(0, min(h - 1, row + dy)))
        self._show_cursor()

    def action_drop(self) -> None:
        if self.cursor is None:
            self._show_cursor()
            self.notify("Move the cursor with the arrow keys, then press o to drop a dot.", timeout=3)
            return
        x, y = self.query_one(PixelCanvas).cell_to_data(*self.cursor)
        self.drop_point(x, y)

    def drop_point(self, x: float, y: float) -> None:
        try:
            self.sim.add_point(x, y, self.drop_class)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        self._points_key = None
        self.refresh_view()

    def action_undo_dot(self) -> None:
        if self.sim.n_user_points:
            self.sim.remove_last_user_point()
            self._points_key = None
            self.refresh_view()

    def action_cycle_color(self) -> None:
        panel = self.param_panel
        new = 1 - self.drop_class
        if panel is not None:
            panel.propose("drop_class", new)
        else:
            self.drop_class = new

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        canvas = self.query_one(PixelCanvas)
        self.cursor = canvas.data_to_cell(event.x, event.y)
        self._show_cursor()
        if event.button == 1:
            self.drop_point(event.x, event.y)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("spiral").run()

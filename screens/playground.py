"""playground — build a network, choose its inputs and data, and watch it learn.

Run alone: ``python -m screens.playground``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from algorithms.playground import (
    ACTIVATIONS,
    DATASET_NAMES,
    FEATURE_IDS,
    FEATURES,
    MAX_LAYERS,
    Playground,
    format_hidden,
    parse_features,
    parse_hidden,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.grid_view import GridView
from tui.widgets.line_plot import LinePlot
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import MAX_LEVELS, PixelCanvas

VIEWS = ("map", "network", "neurons", "weights", "curves")
VIEW_TITLES = {
    "map": "the data and the network's answer",
    "network": "the network (edges: cyan +, pink −, brighter = larger)",
    "neurons": "each neuron's own output",
    "weights": "the weights as numbers",
    "curves": "loss curves, accuracy and confusion",
}
SLOW_VIEW_INTERVAL = 0.4  # least seconds between two redraws of one secondary panel while playing
CLASS_LEVELS = 21  # shades per class in the 3-class map (3 × 21 ≤ 64 palette levels)
MAP_LEVELS = 63  # levels of a signed map; level 63 is the gap colour between neuron tiles
GAP_RGB = (62, 66, 78)
LOSS_LABELS = {"ce": "cross-entropy", "mse": "MSE"}
REG_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}
ACT_LABELS = {"leaky_relu": "leaky relu"}
BATCHES = (1, 2, 4, 8, 10, 16, 32, 64, 128, None)
LOSS_TARGETS = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
EPOCH_LIMITS = (0, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
RATES = (0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


# --------------------------------------------------------------------------- knob helpers
def _ladder(values: tuple) -> Callable[[Any, int], Any]:
    """A nudge that walks a ladder of values (from any value, to the next rung up or down)."""

    def nudge(value: Any, direction: int) -> Any:
        if direction > 0:
            return next((v for v in values if v > value), values[-1])
        return next((v for v in reversed(values) if v < value), values[0])

    return nudge


def parse_batch(text: str) -> int | None:
    """A batch size: a whole number of points, or "all" (the full batch)."""
    text = text.strip().lower()
    if text in ("all", "none", "full"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"type a whole number of points or all, not {text!r}") from None
    if not 1 <= value <= 2000:
        raise ValueError("must be between 1 and 2000, or all")
    return value


def parse_share(text: str) -> float:
    """The training share: "30%" or 0.3, between 10 % and 90 %."""
    text = text.strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ValueError(f"type a share like 50% or 0.5, not {text!r}") from None
    if not 0.1 <= value <= 0.9:
        raise ValueError("must be between 10% and 90%")
    return round(value, 4)


def _nudge_share(value: float, direction: int) -> float:
    return round(min(0.9, max(0.1, value + 0.1 * direction)), 4)


def _format_batch(value: int | None) -> str:
    return "all" if value is None else str(value)


def _nudge_batch(value: int | None, direction: int) -> int | None:
    sizes = [b for b in BATCHES if b is not None]
    if value is None:
        return None if direction > 0 else sizes[-1]
    if direction > 0:
        return next((b for b in sizes if b > value), None)
    return next((b for b in reversed(sizes) if b < value), sizes[0])


def _nudge_dataset(value: str, direction: int) -> str:
    if value not in DATASET_NAMES:
        return DATASET_NAMES[0]
    return DATASET_NAMES[(DATASET_NAMES.index(value) + direction) % len(DATASET_NAMES)]


def parse_dataset(text: str) -> str:
    """A built-in data set name, or the path of a CSV file."""
    text = text.strip()
    if text.lower() in DATASET_NAMES:
        return text.lower()
    if text.lower().endswith(".csv") or "/" in text or Path(text).expanduser().exists():
        return text
    raise ValueError(f"unknown data set {text!r}; choose {', '.join(DATASET_NAMES)}, or give a .csv file")


def _format_dataset(value: str) -> str:
    return value if value in DATASET_NAMES else Path(value).name


def _nudge_features(value: tuple[str, ...], direction: int) -> tuple[str, ...]:
    if direction > 0:
        missing = [f for f in FEATURE_IDS if f not in value]
        return tuple(f for f in FEATURE_IDS if f in value or f == missing[0]) if missing else value
    return value[:-1] if len(value) > 1 else value


def _format_features(value: tuple[str, ...]) -> str:
    return ",".join(FEATURES[f].label for f in value)


def _nudge_layers(value: tuple[int, ...], direction: int) -> tuple[int, ...]:
    if direction > 0:
        return (*value, value[-1] if value else 4) if len(value) < MAX_LAYERS else value
    return value[:-1]


def _fmt_off(value: float) -> str:
    return "off" if not value else f"{value:g}"


def _parse_off(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        text = text.strip().lower()
        if text in ("off", "none", "0", ""):
            return kind(0)
        try:
            value = kind(float(text)) if kind is float else int(text)
        except ValueError:
            raise ValueError(f"type a number or off, not {text!r}") from None
        if value < 0:
            raise ValueError("must be 0 (off) or more")
        return value

    return parse


# --------------------------------------------------------------------------- a small text prompt
class TextPrompt(ModalScreen[None]):
    """Ask for one line of text; ``submit(text)`` returns an error to show, or None when done."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 72; max-width: 96%; height: auto; border: round $accent; background: $panel; padding: 0 1;
    }
    TextPrompt #prompt-title { text-style: bold; }
    TextPrompt #prompt-hint { color: $text-muted; }
    TextPrompt #prompt-error { color: $error; display: none; }
    TextPrompt #prompt-error.-shown { display: block; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str, hint: str, submit: Callable[[str], str | None]) -> None:
        super().__init__()
        self._title, self._value, self._hint, self._submit = title, value, hint, submit
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, id="prompt-title")
            yield Input(self._value, id="prompt-input")
            yield Static(self._hint, id="prompt-hint")
            yield Static("", id="prompt-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        message = self._submit(event.value)
        if message:
            self.error = message
            box = self.query_one("#prompt-error", Static)
            box.update(Text(f"✖ {message}"))
            box.add_class("-shown")
        else:
            self.dismiss()

    def action_cancel(self) -> None:
        self.dismiss()


# --------------------------------------------------------------------------- help
HELP = """\
# Neural-network playground

A small neural network learns to tell coloured points apart (or, for the two *regression* sets, to
predict a number at every point) — live, with real gradient descent. Everything is yours to change:
the data, the inputs the network sees, how many layers and neurons it has, how it learns.

**What you see.**
* **The map**: the training points (● blue, ▲ orange, ■ green; test points hollow: ○ △ □) over the
  network's answer at every spot of the plane — the stronger the colour, the surer it is.
* **The network**: inputs on the left, output on the right; each edge is a weight, cyan when
  positive, pink when negative, brighter and thicker when larger.
* **Neurons**: the output of every neuron of one layer over the whole plane — watch early
  neurons draw straight edges and later ones combine them into curves.
* **Weights**: the numbers themselves, one layer at a time (the last row holds the biases).
* **Curves**: training and test loss per epoch; accuracy and a confusion matrix on the test set
  (rows: the true class, columns: what the network said).

**Try this.**
* *circle* with only x₁ and x₂ needs a hidden layer — or switch on x₁² and x₂² (keys **3** **4**)
  and a network with no hidden layer at all draws the circle.
* *spiral* is hard from x₁, x₂ alone; add sin x₁ and sin x₂ (keys **6** **7**) or more layers.
* Raise the noise and shrink the training share: the test loss parts from the training loss —
  overfitting. Then try L2 or dropout.
* Select a weight (**[** **]** choose the layer, arrows the weight) and type a value with **w**:
  the map changes at once. **b** undoes it, like any step.

Losses: two classes use one sigmoid output with cross-entropy (or MSE); three classes use softmax
with cross-entropy (or one sigmoid per class with MSE); regression uses one linear output with MSE.
Losses shown are data losses, measured separately on the training and the test points.

**Files.** **i** imports a CSV file with the header `x1,x2,label` (class ids 0, 1, 2 … or numbers
for a regression); a malformed file is refused with the line at fault, and your data stay.
**e** exports the points as CSV, **m** the trained network as JSON. From the command line:
`learnloop playground --dataset xor --layers 4,4 --activation tanh --lr 0.03 --seed 1`
(every knob is an option; `learnloop playground --help` lists them).
"""


# --------------------------------------------------------------------------- the screen
class PlaygroundScreen(SimulationScreen):
    """A configurable network on a choice of data sets, with every view of what it learns."""

    SIZE_CLASSES = {"tiny": 60}
    TOPIC_ID = "playground"
    TITLE = "Neural-network playground"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 30
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    PlaygroundScreen #pg-left, PlaygroundScreen #pg-mid { width: 1fr; height: 1fr; }
    PlaygroundScreen #pg-side { width: 42; height: 1fr; }
    PlaygroundScreen #pg-map, PlaygroundScreen #pg-net, PlaygroundScreen #pg-neurons,
    PlaygroundScreen #pg-weights, PlaygroundScreen #pg-loss {
        border: round $primary 40%; border-title-color: $text; border-subtitle-color: $text-muted;
    }
    PlaygroundScreen #pg-map { height: 1fr; }
    PlaygroundScreen #pg-loss { height: 12; }
    PlaygroundScreen #pg-net { height: 1fr; }
    PlaygroundScreen #pg-neurons { height: 14; }
    PlaygroundScreen #pg-weights { height: 12; }
    PlaygroundScreen #pg-stats { height: auto; padding: 0 1; }
    PlaygroundScreen ParamPanel { height: 1fr; max-height: 100%; }

    PlaygroundScreen.-narrow #pg-side { width: 36; }
    PlaygroundScreen.-narrow #pg-mid, PlaygroundScreen.-narrow #pg-loss,
    PlaygroundScreen.-narrow #pg-net, PlaygroundScreen.-narrow #pg-neurons,
    PlaygroundScreen.-narrow #pg-weights, PlaygroundScreen.-narrow #pg-stats { display: none; }
    PlaygroundScreen.-narrow.-view-curves #pg-map { display: none; }
    PlaygroundScreen.-narrow.-view-curves #pg-loss { display: block; height: 1fr; }
    PlaygroundScreen.-narrow.-view-curves #pg-stats { display: block; }
    PlaygroundScreen.-narrow.-view-network #pg-left,
    PlaygroundScreen.-narrow.-view-neurons #pg-left,
    PlaygroundScreen.-narrow.-view-weights #pg-left { display: none; }
    PlaygroundScreen.-narrow.-view-network #pg-mid,
    PlaygroundScreen.-narrow.-view-neurons #pg-mid,
    PlaygroundScreen.-narrow.-view-weights #pg-mid { display: block; }
    PlaygroundScreen.-narrow.-view-network #pg-net { display: block; height: 1fr; }
    PlaygroundScreen.-narrow.-view-neurons #pg-neurons { display: block; height: 1fr; }
    PlaygroundScreen.-narrow.-view-weights #pg-weights { display: block; height: 1fr; }
    PlaygroundScreen.-tiny #pg-side { display: none; }
    """

    BINDINGS = [
        Binding("v", "next_view", "View"),
        Binding("1", "feature(0)", "Input x₁", show=False),
        Binding("2", "feature(1)", "Input x₂", show=False),
        Binding("3", "feature(2)", "Input x₁²", show=False),
        Binding("4", "feature(3)", "Input x₂²", show=False),
        Binding("5", "feature(4)", "Input x₁x₂", show=False),
        Binding("6", "feature(5)", "Input sin x₁", show=False),
        Binding("7", "feature(6)", "Input sin x₂", show=False),
        Binding("a", "add_layer", "Layer +"),
        Binding("x", "remove_layer", "Layer −", show=False),
        Binding("greater_than_sign,full_stop", "neurons(1)", "Neuron +", key_display=">", show=False),
        Binding("less_than_sign,comma", "neurons(-1)", "Neuron −", key_display="<", show=False),
        Binding("right_square_bracket", "weight_layer(1)", "Next weight layer", key_display="]", show=False),
        Binding("left_square_bracket", "weight_layer(-1)", "Previous weight layer", key_display="[", show=False),
        Binding("up", "select_weight(-1, 0)", "Weight ↑", show=False),
        Binding("down", "select_weight(1, 0)", "Weight ↓", show=False),
        Binding("left", "select_weight(0, -1)", "Weight ←", show=False),
        Binding("right", "select_weight(0, 1)", "Weight →", show=False),
        Binding("w,enter", "edit_weight", "Type weight", show=False),
        Binding("d", "next_dataset", "Data set"),
        Binding("g", "regenerate", "New data", show=False),
        Binding("t", "toggle_test", "Test points", show=False),
        Binding("i", "import_csv", "Import CSV", show=False),
        Binding("e", "export_csv", "Export CSV", show=False),
        Binding("m", "export_model", "Export model", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.view = "map"
        self.show_test = True
        self.selection = (0, 0, 0)  # (weight layer, row, column); row = fan-in means the bias
        self.csv_path: str | None = None
        self.view_ms = 0.0  # time of the last update_view
        self.map_ms = 0.0  # time of the last decision-map update (grid evaluation + heat map)
        self._manual_step = False
        self._halted = False
        self._panel_keys: dict[str, tuple] = {}
        self._panel_at: dict[str, float] = {}
        self._next_panel = 0
        self._table_origin = (0, 0)
        self._points_key: tuple | None = None
        self._confirm_path: str | None = None
        self._map_extent: tuple[float, ...] | None = None
        self._label_len = 0
        self._stats_lines = -1
        self._map_colors: np.ndarray | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation and knobs
    def make_simulation(self, seed: int) -> Playground:
        return Playground(seed=seed)

    def _dataset_value(self) -> str:
        return self.csv_path if (self.sim.dataset == "csv" and self.csv_path) else self.sim.dataset

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("dataset", "data set", self._dataset_value(), "text", parser=parse_dataset,
                  formatter=_format_dataset, nudge=_nudge_dataset, group="data",
                  help=f"{', '.join(DATASET_NAMES)} or a file.csv"),
            Param("noise", "noise", sim.noise, "float", lo=0.0, hi=0.5, step=0.05, fmt="{:.2f}", group="data"),
            Param("train_ratio", "train share", sim.train_ratio, "text", parser=parse_share, formatter="{:.0%}".format,
                  nudge=_nudge_share, group="data", help="share of points for training: 10% … 90% (or 0.1 … 0.9)"),
            Param("n_points", "points", sim.n_points, "int", lo=10, hi=2000, step=50, group="data"),
            Param("features", "inputs", sim.features, "text", parser=parse_features, formatter=_format_features,
                  nudge=_nudge_features, group="network", help="e.g. x1,x2,x1^2,sin(x1) — keys 1…7 toggle"),
            Param("layers", "hidden layers", sim.hidden, "text", parser=parse_hidden, formatter=format_hidden,
                  nudge=_nudge_layers, group="network", help="widths like 4,4 (≤ 6 layers of ≤ 32), or none"),
            Param("activation", "activation", sim.activation, "choice", choices=ACTIVATIONS, labels=ACT_LABELS,
                  group="network"),
            Param("loss", "loss", sim.loss_choice, "choice", choices=("ce", "mse"), labels=LOSS_LABELS,
                  formatter=self._format_loss, group="network"),
            Param("lr", "learning rate", sim.lr, "float", lo=1e-5, hi=10.0, factor=3.0, fmt="{:.3g}", group="training"),
            Param("optimizer", "optimiser", sim.optimizer, "choice", choices=("sgd", "momentum", "rmsprop", "adam"),
                  group="training"),
            Param("batch_size", "batch size", sim.batch_size, "text", parser=parse_batch, formatter=_format_batch,
                  nudge=_nudge_batch, group="training", help="points per update: 1 … 2000, or all"),
            Param("regularization", "regularisation", sim.regularization, "choice", choices=("none", "l1", "l2"),
                  labels=REG_LABELS, group="training"),
            Param("reg_rate", "reg. rate", sim.reg_rate, "float", lo=0.0, hi=10.0, fmt="{:g}", nudge=_ladder(RATES),
                  group="training"),
            Param("dropout", "dropout", sim.dropout, "float", lo=0.0, hi=0.9, step=0.05, fmt="{:.2f}",
                  group="training"),
            Param("target_loss", "stop at loss", sim.target_loss, "text", parser=_parse_off(float), formatter=_fmt_off,
                  nudge=_ladder(LOSS_TARGETS), group="stop", help="a training loss, or off"),
            Param("max_epochs", "stop at epoch", sim.max_epochs, "text", parser=_parse_off(int), formatter=_fmt_off,
                  nudge=_ladder(EPOCH_LIMITS), group="stop", help="an epoch, or off"),
            Param("show_test", "test points", self.show_test, "bool", group="view"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        if name == "dataset":
            if value in DATASET_NAMES:
                sim.set_dataset(value)
            else:
                sim.load_csv(value)
                self.csv_path = str(value)
        elif name == "show_test":
            self.show_test = bool(value)
        else:
            setter = {
                "noise": sim.set_noise, "train_ratio": sim.set_train_ratio, "n_points": sim.set_n_points,
                "features": sim.set_features, "layers": sim.set_hidden, "activation": sim.set_activation,
                "loss": sim.set_loss, "lr": sim.set_lr, "optimizer": sim.set_optimizer,
                "batch_size": sim.set_batch_size, "regularization": sim.set_regularization,
                "reg_rate": sim.set_reg_rate, "dropout": sim.set_dropout, "target_loss": sim.set_target_loss,
                "max_epochs": sim.set_max_epochs,
            }[name]
            setter(value)
        self._after_change()

    def _format_loss(self, value: str) -> str:
        return LOSS_LABELS[value] if self.sim.task == "classification" else "MSE (regression)"

    def _after_change(self) -> None:
        """After any change to the simulation: keep the selection valid, the knobs true, redraw all."""
        self._clamp_selection()
        self._points_key = None
        self.invalidate_panels()
        if self.is_mounted:
            self.call_after_refresh(self._sync_panel)

    def _sync_panel(self) -> None:
        """Show the simulation's settings on the knobs (after changes made by keys or a reset)."""
        panel = self.param_panel
        if panel is not None:
            for param in self.params():
                if panel.value(param.name) != param.value:
                    panel.set_value(param.name, param.value)
            panel.set_value("loss", self.sim.loss_choice)  # its label depends on the task

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._after_change()

    # ------------------------------------------------------------------ stepping
    def sim_step(self) -> None:
        if self._halted:
            return
        reason = self.sim.stop_reason
        if reason and not self._manual_step:
            self._halted = True
            if self.playing:
                self.playing = False
                if self.is_mounted:
                    self.notify(f"Stopped: {reason}. Press n to step on, or change the stop knobs.", timeout=4)
            return
        self.sim.step()

    def action_step(self) -> None:
        self._manual_step = True
        try:
            super().action_step()
        finally:
            self._manual_step = False

    def action_pause(self) -> None:
        super().action_pause()
        self.refresh_view()  # the full-resolution map

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="pg-left"):
            yield PixelCanvas(self.sim.extent, id="pg-map")
            yield LinePlot(title="", x_label="epoch", min_interval=0.5, legend=False, id="pg-loss")
        with Vertical(id="pg-mid"):
            yield NetworkDiagram(dim_unselected=False, id="pg-net")
            yield PixelCanvas((0.0, 1.0, 0.0, 1.0), equal_aspect=False, id="pg-neurons")
            yield GridView(max_cell_width=TABLE_CELL, max_cell_height=1, id="pg-weights")
        with Vertical(id="pg-side"):
            yield Static("", id="pg-stats")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        # Textual also runs SimulationScreen.on_mount after this one (handlers run up the MRO).
        self.set_class(True, "-view-map")
        self.query_one("#pg-neurons", PixelCanvas).set_palette(_tile_palette())
        self.query_one("#pg-loss", LinePlot).border_title = "loss: train ━ (blue)  test ━ (orange)"

    def layout_changed(self) -> None:
        width, height = self.size
        self.set_class(width < 140 or height < 36, "-narrow")
        self._points_key = None
        self.invalidate_panels()

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def action_next_view(self) -> None:
        if not self.narrow:
            self.notify("Every view is on screen at this size; v switches views in smaller terminals.", timeout=3)
            return
        self.set_class(False, f"-view-{self.view}")
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.set_class(True, f"-view-{self.view}")
        self.invalidate_panels()
        self._points_key = None
        self.call_after_refresh(self.refresh_view)
        self.notify(f"View: {VIEW_TITLES[self.view]}", timeout=2)

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        start = time.perf_counter()
        self._halted = False
        self._draw_map()
        self.map_ms = (time.perf_counter() - start) * 1000
        self._draw_curves()
        now = time.monotonic()
        # The other panels: all at once when paused; while playing, one panel a frame (round robin),
        # each at most every SLOW_VIEW_INTERVAL seconds, and only those on screen.
        panels = [(name, widget, draw) for name, widget, draw in self._panels() if _on_screen(widget)]
        order = panels[self._next_panel % len(panels):] + panels[: self._next_panel % len(panels)] if panels else []
        for name, widget, draw in order:
            key = (self.sim.version, self.selection if name != "stats" else None, widget.size, self.app.no_color)
            if key == self._panel_keys.get(name):
                continue
            if self.playing and now - self._panel_at.get(name, 0.0) < SLOW_VIEW_INTERVAL:
                continue
            draw()
            self._panel_keys[name] = key
            self._panel_at[name] = now
            if self.playing:
                self._next_panel += 1
                break
        self.view_ms = (time.perf_counter() - start) * 1000

    def _panels(self) -> list[tuple[str, Any, Callable[[], None]]]:
        return [
            ("network", self.query_one("#pg-net"), self._draw_network),
            ("neurons", self.query_one("#pg-neurons"), self._draw_neurons),
            ("weights", self.query_one("#pg-weights"), self._draw_weights),
            ("stats", self.query_one("#pg-stats"), self._draw_stats),
        ]

    def invalidate_panels(self) -> None:
        """Redraw every panel at the next update (after a change of size, data or shape)."""
        self._panel_keys.clear()

    def _draw_map(self) -> None:
        sim = self.sim
        canvas = self.query_one("#pg-map", PixelCanvas)
        if self._map_extent != sim.extent:
            self._map_extent = sim.extent
            canvas.set_extent(*sim.extent)
        width, height = canvas.pixel_size
        canvas.border_title = f"{sim.data_title} · {len(sim.train_idx)} train / {len(sim.test_idx)} test"
        canvas.border_subtitle = "hollow: test points (t hides)" if self.show_test else "test points hidden (t)"
        if not (width and height) or not canvas.display:
            return
        step = 2 if self.playing else 1  # while training, one evaluation per 2 × 2 pixels
        dm = sim.decision_map(max(1, -(-width // step)), max(1, -(-height // step)), canvas.extent)
        if dm.classes is not None:
            k = sim.n_classes
            level = np.clip((dm.values - 1.0 / k) / (1.0 - 1.0 / k) * CLASS_LEVELS, 0, CLASS_LEVELS - 1)
            self._map_palette(canvas, _class_palette(k))
            canvas.set_heatmap(dm.classes * CLASS_LEVELS + level.astype(np.int64) + 0.5, 0, MAX_LEVELS)
        else:
            self._map_palette(canvas, _DIVERGING)
            lo, hi = (0.0, 1.0) if sim.task == "classification" else (-1.0, 1.0)
            canvas.set_heatmap(dm.values, lo, hi)
        key = (sim.data_version, canvas.extent, width, height, self.show_test, self.app.no_color)
        if key != self._points_key:
            self._points_key = key
            self._label_len = 0
            canvas.clear_labels()
            classes = sim.y if sim.task == "classification" else (sim.y > 0).astype(np.int64)
            canvas.set_points(sim.X[sim.train_idx], classes[sim.train_idx])
            if self.show_test:  # test points: hollow glyphs, drawn as labels over the map
                mono = self.app.no_color
                for (x, y), k in zip(sim.X[sim.test_idx].tolist(), classes[sim.test_idx].tolist()):
                    canvas.set_label(x, y, _test_glyph(k, mono), palette.class_color(k))
        label = f" epoch {sim.epoch}  test loss {sim.test_loss:.3f} "
        if sim.task == "classification":
            label += f" acc {sim.test_accuracy:.1%} "
        padded = label.ljust(self._label_len)  # blank out what a longer label left
        self._label_len = len(label)
        canvas.set_cell_label(0, 0, padded[: canvas.size.width])

    def _map_palette(self, canvas: PixelCanvas, colors: np.ndarray) -> None:
        if self._map_colors is not colors:
            self._map_colors = colors
            canvas.set_palette(colors)

    def _draw_curves(self) -> None:
        plot = self.query_one("#pg-loss", LinePlot)
        if not plot.display and self.narrow:
            return
        hist = self.sim.history
        xs = np.arange(len(hist))
        plot.set_series("train", xs, hist[:, 0], color=palette.CLASS_COLORS[0])
        plot.set_series("test", xs, hist[:, 1], color=palette.CLASS_COLORS[1])
        if self.sim.diverged:
            plot.set_y_limits(0.0, 2.0)
        else:
            plot.set_y_limits(0.0, None)

    def _draw_network(self) -> None:
        sim = self.sim
        net = self.query_one("#pg-net", NetworkDiagram)
        m, i, j = self.selection
        sizes = sim.sizes
        out_labels = ["value"] if sim.task == "regression" else (
            ["P(▲)"] if sim.n_classes == 2 else [palette.class_glyph(c) for c in range(sim.n_classes)])
        labels = [sim.feature_labels] + [["●"] * w for w in sizes[1:-1]] + [out_labels]
        with np.errstate(all="ignore"):
            net.set_network(sizes, [np.nan_to_num(w) for w in sim.model.weights],
                            biases=[np.nan_to_num(b) for b in sim.model.biases], node_labels=labels,
                            selected=(m + 1, j))
        what = "bias of" if i == sizes[m] else f"{_unit_name(sizes, m, i, sim.feature_labels)} →"
        net.border_title = f"network {'→'.join(map(str, sizes))}  ({sum(w.size for w in sim.model.weights)} weights)"
        net.border_subtitle = f"selected: {what} {_unit_name(sizes, m + 1, j)}"

    def _draw_neurons(self) -> None:
        sim = self.sim
        canvas = self.query_one("#pg-neurons", PixelCanvas)
        m, _, j = self.selection
        layer = m + 1
        name = "output" if layer == len(sim.sizes) - 1 else f"hidden layer {layer}"
        canvas.border_title = f"{name}: each neuron's output  ([ ] other layers)"
        width, height = canvas.pixel_size
        if width < 2 or height < 2:
            return
        if canvas.extent != (0.0, float(width), 0.0, float(height)):
            canvas.set_extent(0.0, float(width), 0.0, float(height))
        units = sim.sizes[layer]
        cols, side = _tile_layout(units, width, height)
        if side < 1:
            return
        maps, lo, hi = sim.layer_maps(layer, side, side)
        levels = np.clip((maps - lo) / (hi - lo) * MAP_LEVELS, 0, MAP_LEVELS - 1).astype(np.int64)
        mosaic = np.full((height, width), MAP_LEVELS, dtype=np.int64)
        for u in range(units):
            r, c = divmod(u, cols)
            y0, x0 = 1 + r * (side + 1), 1 + c * (side + 1)
            mosaic[y0 : y0 + side, x0 : x0 + side] = levels[u]
        canvas.set_heatmap(mosaic + 0.5, 0, MAX_LEVELS)
        canvas.clear_ink()
        # a frame, on the gap pixels, around the selected neuron's tile
        r, c = divmod(j, cols)
        x0, y0 = c * (side + 1), r * (side + 1)
        x1, y1 = x0 + side + 1, y0 + side + 1
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1]):  # pixel -> data: centre, y up
            canvas.add_line(ax + 0.5, height - ay - 0.5, bx + 0.5, height - by - 0.5, palette.HIGHLIGHT)
        canvas.border_subtitle = f"colour range {lo:.2g} … {hi:.2g}"

    def _draw_weights(self) -> None:
        sim = self.sim
        grid = self.query_one("#pg-weights", GridView)
        m, i, j = self.selection
        W, b = sim.model.weights[m], sim.model.biases[m]
        sizes = sim.sizes
        table = np.nan_to_num(np.vstack((W, b[None, :])).astype(np.float64))
        top = float(np.abs(table).max()) or 1.0
        # Only the part around the selection that fits with numbers: a window of rows and columns.
        rows_fit = max(1, grid.size.height - 1)
        cols_fit = max(1, grid.size.width // TABLE_CELL - 1)
        r0 = _window_start(self._table_origin[0], i, rows_fit, table.shape[0])
        c0 = _window_start(self._table_origin[1], j, cols_fit, table.shape[1])
        self._table_origin = (r0, c0)
        part = table[r0 : r0 + rows_fit, c0 : c0 + cols_fit]
        # colours 0..32: the signed ramp by value; 33 is the heading colour
        colors = np.full((part.shape[0] + 1, part.shape[1] + 1), 33, dtype=np.intp)
        colors[1:, 1:] = np.clip(np.round((part / top + 1) * 16), 0, 32)
        texts = [[""] + [_cell(_unit_name(sizes, m + 1, c)) for c in range(c0, c0 + part.shape[1])]]
        row_names = [_unit_name(sizes, m, r, sim.feature_labels) for r in range(W.shape[0])] + ["bias"]
        for name, row in zip(row_names[r0 : r0 + part.shape[0]], part.tolist()):
            texts.append([_cell(name)] + [_cell(f"{v:+.2f}" if abs(v) < 99.5 else f"{v:+.0e}") for v in row])
        grid.set_cells(colors, texts=texts, cursor=(i - r0 + 1, j - c0 + 1), palette=_TABLE_PALETTE)
        shown = "" if part.shape == table.shape else f" rows {r0 + 1}–{r0 + part.shape[0]} of {table.shape[0]}, " \
            f"columns {c0 + 1}–{c0 + part.shape[1]} of {table.shape[1]}"
        grid.border_title = f"weights {_layer_name(sizes, m)} → {_layer_name(sizes, m + 1)}{shown}"
        what = "bias of" if i == W.shape[0] else f"{_unit_name(sizes, m, i, sim.feature_labels)} →"
        grid.border_subtitle = f"{what} {_unit_name(sizes, m + 1, j)} = {sim.get_weight(m, i, j):.6g}  (w types a value)"

    def _draw_stats(self) -> None:
        sim = self.sim
        box = self.query_one("#pg-stats", Static)
        lines = [Text.assemble((sim.data_title, "bold"), f" · {sim.loss_name}"),
                 Text(f"loss  train {sim.train_loss:.4f}  test {sim.test_loss:.4f}")]
        if sim.task == "regression":
            lines.append(Text("regression: no classes to confuse", "dim"))
        else:
            lines.append(Text(f"acc   train {sim.train_accuracy:6.1%}  test {sim.test_accuracy:6.1%}"))
            lines.append(Text("test set: rows true, columns said", "dim"))
            matrix = sim.confusion("test")
            k = sim.n_classes
            mono = self.app.no_color
            head = Text("    ")
            for c in range(k):
                head.append(f"{palette.class_glyph(c, mono):>6}", _class_style(c, mono))
            lines.append(head)
            for r in range(k):
                row = Text.assemble(("  " + palette.class_glyph(r, mono), _class_style(r, mono)), " ")
                for c in range(k):
                    row.append(f"{matrix[r, c]:>6}", "bold" if r == c else "")
                lines.append(row)
        if sim.stop_reason:
            lines.append(Text(f"stopped: {sim.stop_reason}", "bold yellow"))
        room = box.content_size.width or 40
        for line in lines:
            line.truncate(room, overflow="ellipsis")
        box.update(Text("\n").join(lines), layout=len(lines) != self._stats_lines)
        self._stats_lines = len(lines)

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        out = {
            "epoch": str(sim.epoch),
            "loss train/test": f"{sim.train_loss:.3f}/{sim.test_loss:.3f}",
        }
        if sim.task == "classification":
            out["acc"] = f"{sim.train_accuracy:.1%}/{sim.test_accuracy:.1%}"
        out["net"] = "→".join(map(str, sim.sizes))
        if self.narrow:
            out["view (v)"] = self.view
        return out

    def prepare_shot(self) -> None:
        self.invalidate_panels()
        self.refresh_view()
        self.query_one("#pg-loss", LinePlot).flush()
        self.query_one("#pg-map", PixelCanvas).flush()
        self.query_one("#pg-neurons", PixelCanvas).flush()

    # ------------------------------------------------------------------ weights: selecting and editing
    def _clamp_selection(self) -> None:
        sizes = self.sim.sizes
        m, i, j = self.selection
        m = max(0, min(m, len(sizes) - 2))
        i = max(0, min(i, sizes[m]))
        j = max(0, min(j, sizes[m + 1] - 1))
        self.selection = (m, i, j)

    def action_weight_layer(self, delta: int) -> None:
        m, i, j = self.selection
        layers = len(self.sim.sizes) - 1
        self.selection = ((m + delta) % layers, i, j)
        self._clamp_selection()
        self.refresh_view()

    def action_select_weight(self, drow: int, dcol: int) -> None:
        m, i, j = self.selection
        sizes = self.sim.sizes
        self.selection = (m, (i + drow) % (sizes[m] + 1), (j + dcol) % sizes[m + 1])
        self.refresh_view()

    def select_weight(self, layer: int, row: int, col: int) -> None:
        self.selection = (layer, row, col)
        self._clamp_selection()
        self.refresh_view()

    def set_selected_weight(self, text: str) -> str | None:
        """Parse and apply a typed value for the selected weight; an error message or None."""
        try:
            value = float(text.strip())
        except ValueError:
            return f"'{text.strip()}' is not a number"
        m, i, j = self.selection
        try:
            self.sim.set_weight(m, i, j, value)
        except ValueError as error:
            return str(error)
        self.playing = False
        self._clear_divergence()
        self.invalidate_panels()
        self.refresh_view()
        return None

    def action_edit_weight(self) -> None:
        m, i, j = self.selection
        sizes = self.sim.sizes
        what = f"bias of {_unit_name(sizes, m + 1, j)}" if i == sizes[m] else \
            f"weight {_unit_name(sizes, m, i, self.sim.feature_labels)} → {_unit_name(sizes, m + 1, j)}"
        self.app.push_screen(TextPrompt(
            f"Type the exact value of the {what}", f"{self.sim.get_weight(m, i, j):.6g}",
            "enter sets it (training pauses), esc cancels; b undoes it later", self.set_selected_weight,
        ))

    def on_grid_view_cell_clicked(self, event: GridView.CellClicked) -> None:
        if event.row >= 1 and event.col >= 1:  # row 0 and column 0 are the headings
            r0, c0 = self._table_origin
            self.select_weight(self.selection[0], r0 + event.row - 1, c0 + event.col - 1)

    def on_network_diagram_node_selected(self, event: NetworkDiagram.NodeSelected) -> None:
        _, i, j = self.selection
        if event.layer == 0:
            self.select_weight(0, event.index, j)
        else:
            self.select_weight(event.layer - 1, i, event.index)

    # ------------------------------------------------------------------ network shape and inputs
    def _change(self, change: Callable[[], None]) -> None:
        """Run a change to the simulation from a key: refuse with a message, or sync the knobs."""
        try:
            change()
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        self._after_change()
        self._sync_panel()
        self._clear_divergence()
        self.refresh_view()

    def action_feature(self, index: int) -> None:
        fid = FEATURE_IDS[index]
        self._change(lambda: self.sim.toggle_feature(fid))

    def action_add_layer(self) -> None:
        self._change(self.sim.add_layer)

    def action_remove_layer(self) -> None:
        self._change(self.sim.remove_layer)

    def _selected_hidden(self) -> int | None:
        """The hidden layer the neuron keys act on: the selected weights' destination, or source."""
        m = self.selection[0]
        hidden = len(self.sim.hidden)
        if not hidden:
            return None
        return m if m < hidden else hidden - 1

    def action_neurons(self, delta: int) -> None:
        layer = self._selected_hidden()
        if layer is None:
            self.notify("There is no hidden layer yet: press a to add one.", severity="warning", timeout=3)
            return
        self._change(lambda: self.sim.add_neuron(layer) if delta > 0 else self.sim.remove_neuron(layer))

    # ------------------------------------------------------------------ data
    def action_next_dataset(self) -> None:
        self.csv_path = None
        self._change(lambda: self.sim.set_dataset(_nudge_dataset(self.sim.dataset, 1)))

    def action_regenerate(self) -> None:
        self._change(self.sim.regenerate)

    def action_toggle_test(self) -> None:
        self.show_test = not self.show_test
        self._points_key = None
        self._sync_panel()
        self.refresh_view()

    def import_csv(self, text: str) -> str | None:
        path = text.strip()
        if not path:
            return "type the path of a CSV file"
        try:
            self.sim.load_csv(path)
        except ValueError as error:
            return str(error)
        self.csv_path = path
        self._after_change()
        self._sync_panel()
        self._clear_divergence()
        self.refresh_view()
        self.notify(f"Imported {len(self.sim.y)} points from {Path(path).name}", timeout=3)
        return None

    def _export(self, text: str, write: Callable[[str], Path]) -> str | None:
        path = text.strip()
        if not path:
            return "type a file name"
        if Path(path).expanduser().exists() and self._confirm_path != path:
            self._confirm_path = path
            return f"'{path}' exists: press enter again to replace it"
        self._confirm_path = None
        try:
            written = write(path)
        except ValueError as error:
            return str(error)
        self.notify(f"Wrote {written}", timeout=3)
        return None

    def action_import_csv(self) -> None:
        self.app.push_screen(TextPrompt(
            "Import points from a CSV file", self.csv_path or "",
            "header x1,x2,label; labels 0, 1, 2 … are classes, other numbers a regression", self.import_csv,
        ))

    def action_export_csv(self) -> None:
        self._confirm_path = None
        self.app.push_screen(TextPrompt(
            "Export the points as CSV", "playground-data.csv", "x1,x2,label with a header",
            lambda text: self._export(text, self.sim.export_csv),
        ))

    def action_export_model(self) -> None:
        self._confirm_path = None
        self.app.push_screen(TextPrompt(
            "Export the trained network as JSON", "playground-model.json",
            "its features, layer sizes, activation, weights and biases",
            lambda text: self._export(text, self.sim.export_model),
        ))


# --------------------------------------------------------------------------- drawing helpers
_DIVERGING = palette.diverging()
_TABLE_PALETTE = np.vstack((palette.signed(33), np.array([palette.blend(palette.NEUTRAL, GAP_RGB, 0.5)])))


TABLE_CELL = 8  # characters per cell of the weights table


def _cell(text: str) -> str:
    """Text centred in a table cell of TABLE_CELL characters (so every cell keeps that width)."""
    return text[:TABLE_CELL].center(TABLE_CELL)


def _window_start(first: int, target: int, count: int, total: int) -> int:
    """The first index of a window of ``count`` items out of ``total`` that shows ``target``,
    moved as little as possible from ``first``."""
    if target < first:
        first = target
    elif target >= first + count:
        first = target - count + 1
    return max(0, min(first, total - count))


def _on_screen(widget: Any) -> bool:
    """Whether a panel is shown (itself and its column displayed, with some room)."""
    return bool(widget.display and widget.parent.display and widget.size.width > 0 and widget.size.height > 0)


def _tile_palette() -> np.ndarray:
    """63 diverging levels (blue low, orange high) and one gap colour."""
    colors = np.vstack((palette.diverging(levels=MAP_LEVELS), np.array([GAP_RGB], dtype=np.uint8)))
    colors.setflags(write=False)
    return colors


_CLASS_PALETTES: dict[int, np.ndarray] = {}


def _class_palette(k: int) -> np.ndarray:
    """``k`` ramps of CLASS_LEVELS shades, from the neutral dark (unsure) to the class colour (sure)."""
    if k not in _CLASS_PALETTES:
        parts = [palette.ramp((palette.NEUTRAL, palette.blend(palette.NEUTRAL, palette.class_color(c), 0.6)),
                              CLASS_LEVELS) for c in range(k)]
        colors = np.vstack(parts)
        colors.setflags(write=False)
        _CLASS_PALETTES[k] = colors
    return _CLASS_PALETTES[k]


def _tile_layout(units: int, width: int, height: int) -> tuple[int, int]:
    """(columns, side) of the largest square tiles that fit ``units`` in the area, with one pixel
    around and between them (for the frame of the selected one)."""
    best = (1, 0)
    for cols in range(1, units + 1):
        rows = -(-units // cols)
        side = min((width - 1) // cols - 1, (height - 1) // rows - 1)
        if side > best[1]:
            best = (cols, side)
    return best


def _layer_name(sizes: tuple[int, ...], layer: int) -> str:
    if layer == 0:
        return "inputs"
    if layer == len(sizes) - 1:
        return "output"
    return f"hidden {layer}"


def _unit_name(sizes: tuple[int, ...], layer: int, index: int, inputs: list[str] | None = None) -> str:
    if layer == 0:
        return inputs[index] if inputs else f"input {index + 1}"
    if layer == len(sizes) - 1:
        return "output" if sizes[-1] == 1 else f"output {index + 1}"
    return f"h{layer}.{index + 1}"


HOLLOW_GLYPHS = ("○", "△", "□", "◇", "✛", "☆", "▽", "✕")
HOLLOW_ASCII = ("O", "X", "#", "H", "%", "&", "V", "W")


def _test_glyph(k: int, mono: bool) -> str:
    """The glyph of a test point of class ``k``: the hollow twin of the training point's glyph."""
    glyphs = HOLLOW_ASCII if mono else HOLLOW_GLYPHS
    return glyphs[k % len(glyphs)]


def _class_style(k: int, mono: bool) -> str:
    return "bold" if mono else f"bold {palette.hex_color(palette.class_color(k))}"


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("playground").run()

"""network — a small network drawn as a graph of its live weights, and each neuron's own map.

Run alone: ``python -m screens.network``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.network import (
    ACTIVATION_CHOICES,
    DATASET_CHOICES,
    EXTENT,
    MAX_HIDDEN,
    NetworkTraining,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
FN = {"tanh": "tanh", "sigmoid": "σ", "relu": "relu"}

HELP = """\
# The graph of weights

A neural network is a graph of numbers. The two **inputs** on the left are a point's coordinates
(x₁, x₂); each of the three **hidden** neurons in the middle adds up the inputs, each multiplied by the
**weight** on its edge, adds its own **bias**, and bends the sum with its activation; the **output**
neuron on the right does the same with the hidden neurons' values and squashes the result into a
probability: how sure the network is that the point is orange (▲) rather than blue (●).

**Reading the edges.** Every line is one weight. **Cyan** edges are positive (more of this input
pushes the neuron up), **pink** ones negative (it pushes the neuron down). The brighter and thicker
the edge, the larger the weight's size |w|. Without colour, negative edges are dashed.

**Play** (space) trains the network with gradient descent, one pass over all the points per step,
and the edges change as it learns: watch a few of them grow bright while others fade.

**One neuron at a time.** Select a neuron with the **arrow keys** (or click it). The map on the right
shows what that neuron alone outputs at every spot of the plane. A hidden neuron draws one straight
soft edge (its own line, bent by the activation); the output neuron combines the three edges into a
closed shape around the centre. The formula under the map is the neuron itself, with its live
weights.

**Try.** Switch the data set to xor; drop to 1 or 2 hidden neurons and see the output fail to close
the ring; raise the learning rate until the numbers blow up (r resets); step back with **b**.
"""


class NetworkScreen(SimulationScreen):
    """NetworkDiagram of the live weights, and the selected neuron's output map (PixelCanvas)."""

    SIZE_CLASSES = {"narrow": 120, "tiny": 60, "short": 26}
    TOPIC_ID = "network"
    TITLE = "The graph of weights"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 10
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    NetworkScreen #net-left { width: 1fr; height: 1fr; }
    NetworkScreen #net-diagram { height: 1fr; padding: 0 2; }
    NetworkScreen #net-legend { height: auto; padding: 0 1; color: $text-muted; }
    NetworkScreen #net-side { width: 64; height: 1fr; }
    NetworkScreen.-narrow #net-side { width: 38; }
    NetworkScreen #net-map-title { height: 1; padding: 0 1; text-style: bold; }
    NetworkScreen #net-map { height: 1fr; }
    NetworkScreen #net-formula { height: auto; padding: 0 1; }
    NetworkScreen.-short #net-legend { display: none; }
    NetworkScreen.-tiny #net-side { display: none; }
    """

    BINDINGS = [
        Binding("up", "select(0, -1)", "Neuron ↑", show=False),
        Binding("down", "select(0, 1)", "Neuron ↓", show=False),
        Binding("left", "select(-1, 0)", "Layer ←", show=False),
        Binding("right", "select(1, 0)", "Layer →", show=False),
        Binding("o", "select_output", "Output"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.selected: tuple[int, int] = (2, 0)  # the output neuron
        self._palette_key: tuple | None = None
        self._points_key: tuple | None = None
        self._view_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> NetworkTraining:
        return NetworkTraining(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("dataset", "data set", sim.dataset, "choice", choices=DATASET_CHOICES),
            Param("hidden", "hidden neurons", sim.hidden, "int", lo=1, hi=MAX_HIDDEN, step=1),
            Param("activation", "activation", sim.activation, "choice", choices=ACTIVATION_CHOICES),
            Param("lr", "learning rate", sim.lr, "float", lo=1e-4, hi=10.0, factor=2.0, fmt="{:.3g}"),
            Param("noise", "data noise", sim.noise, "float", lo=0.0, hi=0.5, step=0.05, fmt="{:.2f}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "dataset": self.sim.set_dataset,
            "hidden": self.sim.set_hidden,
            "activation": self.sim.set_activation,
            "lr": self.sim.set_lr,
            "noise": self.sim.set_noise,
        }[name]
        setter(value)
        if name in ("dataset", "noise"):
            self._points_key = None
        self._clamp_selection()

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._points_key = None
        self._clamp_selection()

    def _clamp_selection(self) -> None:
        sizes = self.sim.sizes
        layer = min(self.selected[0], len(sizes) - 1)
        self.selected = (layer, min(self.selected[1], sizes[layer] - 1))

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="net-left"):
            yield NetworkDiagram(dim_unselected=False, id="net-diagram")
            yield Static("", id="net-legend")
        with Vertical(id="net-side"):
            yield Static("", id="net-map-title")
            yield PixelCanvas(EXTENT, id="net-map")
            yield Static("", id="net-formula")
            yield ParamPanel(title="knobs (p)")

    def layout_changed(self) -> None:
        self._points_key = None

    # ------------------------------------------------------------------ drawing
    def node_labels(self) -> list[list[str]]:
        sizes = self.sim.sizes
        return [
            [f"x{i + 1}".translate(SUB) for i in range(sizes[0])],
            [f"h{j + 1}".translate(SUB) for j in range(sizes[1])],
            ["ŷ"],
        ]

    def update_view(self) -> None:
        sim: NetworkTraining = self.sim
        diagram = self.query_one(NetworkDiagram)
        canvas = self.query_one(PixelCanvas)
        # The view is a function of this state: skip the redraw when nothing changed.
        key = (sim.model.params.tobytes(), id(sim.X), sim.sizes, sim.activation, self.selected, self.size,
               canvas.pixel_size, canvas.extent, self.app.no_color)
        if key == self._view_key:
            return
        self._view_key = key
        diagram.set_network(sim.sizes, sim.weights, biases=sim.biases, node_labels=self.node_labels(),
                            selected=self.selected)
        self.query_one("#net-legend", Static).update(self._legend())
        self._draw_map(sim)

    def _legend(self) -> Text:
        text = Text()
        if self.app.no_color:
            text.append("── positive   ╌ ╌ negative")
        else:
            text.append("━━ positive", style=f"bold {palette.hex_color(palette.POSITIVE)}")
            text.append("   ")
            text.append("━━ negative", style=f"bold {palette.hex_color(palette.NEGATIVE)}")
        text.append("   brighter, thicker = larger |w|  ·  arrows select a neuron")
        return text

    def _draw_map(self, sim: NetworkTraining) -> None:
        canvas = self.query_one(PixelCanvas)
        layer, index = self.selected
        last = len(sim.sizes) - 1
        labels = self.node_labels()
        name = labels[layer][index]
        if layer == 0:
            title, kind = f"input {name}: the point's {'first' if index == 0 else 'second'} coordinate", "signed"
        elif layer == last:
            title, kind = "output ŷ: P(orange ▲) at every point", "classes"
        else:
            title = f"hidden {name}: what this neuron alone outputs"
            kind = "signed" if sim.activation == "tanh" else "magnitude"
        self.query_one("#net-map-title", Static).update(title, layout=False)
        self.query_one("#net-formula", Static).update(self._formula(sim, layer, index))
        if self._palette_key != kind:
            self._palette_key = kind
            canvas.set_palette({"signed": palette.signed(), "classes": palette.diverging(),
                                "magnitude": palette.sequential()}[kind])
        width, height = canvas.pixel_size
        if not (width and height):
            return
        values = sim.neuron_map(layer, index, width, height, canvas.extent)
        canvas.set_heatmap(values, *sim.neuron_range(layer, values))
        key = (canvas.extent, width, height, id(sim.X))
        if key != self._points_key:
            self._points_key = key
            canvas.set_points(sim.X, sim.y)

    def _formula(self, sim: NetworkTraining, layer: int, index: int) -> str:
        """The selected neuron written out with its live weights."""
        if layer == 0:
            return "an input: no weights of its own"
        labels = self.node_labels()
        W, b = sim.weights[layer - 1][:, index], sim.biases[layer - 1][index]
        terms = " ".join(f"{w:+.2f}·{labels[layer - 1][i]}" for i, w in enumerate(W))
        fn = "σ" if layer == len(sim.sizes) - 1 else FN[sim.activation]
        return f"{labels[layer][index]} = {fn}({terms} {b:+.2f})"

    def metrics(self) -> dict[str, str]:
        sim: NetworkTraining = self.sim
        return {
            "epoch": str(sim.epoch),
            "loss": f"{sim.loss:.4f}",
            "accuracy": f"{sim.accuracy:.1%}",
            "selected": self.node_labels()[self.selected[0]][self.selected[1]],
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ selection
    def select_node(self, layer: int, index: int) -> None:
        sizes = self.sim.sizes
        layer = max(0, min(len(sizes) - 1, layer))
        self.selected = (layer, max(0, min(sizes[layer] - 1, index)))
        self.refresh_view()

    def action_select(self, dlayer: int, dindex: int) -> None:
        layer, index = self.selected
        if dlayer:
            new_layer = max(0, min(len(self.sim.sizes) - 1, layer + dlayer))
            # keep the same relative height when moving between layers of different sizes
            old_n, new_n = self.sim.sizes[layer], self.sim.sizes[new_layer]
            index = int((index + 0.5) * new_n / old_n)
            layer = new_layer
        self.select_node(layer, index + dindex)

    def action_select_output(self) -> None:
        self.select_node(len(self.sim.sizes) - 1, 0)

    def on_network_diagram_node_selected(self, event: NetworkDiagram.NodeSelected) -> None:
        self.select_node(event.layer, event.index)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("network").run()

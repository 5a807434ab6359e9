"""backprop — the backward pass, one layer per key press, with every gradient checked by nudging.

Run alone: ``python -m screens.backprop``.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from algorithms.backprop import (
    ACTIVATIONS,
    LOSSES,
    SHAPES,
    BackpropStepper,
    GradientRow,
)
from tui.simulation import SimulationScreen
from tui.widgets.explainer import Explainer
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.param_panel import Param, ParamPanel

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
LAYER_LETTERS = "xhg"  # inputs, first hidden layer, second hidden layer (the output is ŷ)
BLAME = "#ff5555"  # the error signal, flowing back
FLOW = "#8a8a96"  # the forward pass
TRAIN_BURST = 100

STORY: list[tuple[str, str]] = [
    (
        "The kitchen",
        "Think of the network as a kitchen. Each neuron is a **cook**: it takes what the cooks before it "
        "hand over, uses each in its own proportion (the **weights** on the edges), adds a pinch of its own "
        "(the **bias**), tastes, and passes the result on (the **activation**). The inputs are the raw "
        "ingredients; the last cook plates the dish, **ŷ**.\n\n"
        "**Forward pass.** The numbers in the circles are what each cook passed on for this order. "
        "Edges are bright where the weights are large. Press **n** to taste the dish.",
    ),
    (
        "The complaint",
        "The customer compares the dish with what was ordered (the **target**, 0 or 1) and the loss "
        "puts one number on how wrong it is. With cross-entropy the head cook's share of the blame is "
        "simply **δ = ŷ − target**: positive means *too much*, negative *too little*.\n\n"
        "Blame is a rate: how fast the loss would grow if this cook's raw sum z went up a little. "
        "Press **n** to pass it back one layer.",
    ),
    (
        "Passing the blame back",
        "The manager walks back through the kitchen, one station at a time (red arrow). Every **edge** "
        "gets blame = what came in along it × the blame of the cook it feeds: **∂L/∂w = a · δ**. The "
        "brighter the edge now, the more that weight is to blame.\n\n"
        "A cook one station back gets the blame of everyone they served, each share weighed by the edge "
        "between them, times how responsive that cook was (the slope of its activation): "
        "**δ′ = (Σ w·δ) · f′(z)**. Blame multiplies along every path back to the inputs — that is the "
        "chain rule, nothing more. One press per layer.",
    ),
    (
        "Everyone adjusts",
        "With every weight's blame known, each one takes a small step against it: "
        "**w ← w − lr · ∂L/∂w**. Weights that caused a lot of the error move a lot; the innocent barely "
        "move. The same dish cooked again is now less wrong — the loss after the update is shown below "
        "the table.\n\nThe next press serves the next of the four XOR orders.",
    ),
    (
        "Checking the blame",
        "How do we know the blame is right? Nudge one weight a hair up and down (by h = 0.001 and "
        "twice that), cook the dish again each time and see how fast the loss moves. The table's "
        "*nudge* column does exactly that for every parameter; its relative error against "
        "backpropagation stays below a millionth, usually near 10⁻⁹.\n\n"
        "Backprop gets all the blame in one backward sweep; nudging needs four extra dinners per "
        "weight — hopeless for millions of weights, perfect as a check.\n\n"
        "*One exception:* a ReLU cook sitting exactly on its crease (z = 0) has two slopes. Nudging "
        "averages them, backprop takes the flat one, so there the two disagree — honestly.",
    ),
]
PAGE_OF = {"forward": 0, "loss": 1, "backward": 2, "update": 3}

HELP = """\
# Backpropagation: passing the blame back

A small network (2 inputs, one or two hidden layers, one output) learns **XOR** one example at a time.
Each key press does one phase of a training step, so you can watch it happen:

1. **forward** — the example flows left to right; each neuron's value is written in its circle;
2. **loss** — the output ŷ is compared with the target; the error signal δ = ∂loss/∂z appears at
   the output;
3. **backward** — one press per layer, right to left: that layer's gradients appear (the edges
   light up by |∂L/∂w|, the table fills in) and the error signal moves one layer back (red);
4. **update** — every weight moves against its gradient, w ← w − lr·∂L/∂w.

The table lists every weight and bias with its gradient from backpropagation and, for comparison,
from **finite differences** (nudging the weight by ±0.001 and ±0.002 and re-running the network).
They agree to better than a millionth: backprop is exact, just fast. (Only a ReLU neuron sitting
exactly on its kink, z = 0, has no single slope; there the two honestly differ.)

The story panel tells it as a kitchen of cooks passing the blame for a bad dish back along the line.

**Keys.** n one phase · space play · b one phase back · f finish this example · t train on
100 examples at once (b undoes it) · pgup/pgdn the story · p the knobs (shape, activation, loss,
learning rate).
"""


class BackpropScreen(SimulationScreen):
    """Stepped backward pass: NetworkDiagram with values and |∂L/∂w|, blame row, gradient table."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60}
    TOPIC_ID = "backprop"
    TITLE = "Backpropagation: passing blame"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "phase"

    DEFAULT_CSS = """
    BackpropScreen #bp-left { width: 1fr; height: 1fr; }
    BackpropScreen #bp-diagram { height: 1fr; min-height: 7; }
    BackpropScreen #bp-flow { height: 2; }
    BackpropScreen #bp-table-box { height: 1fr; min-height: 5; }
    BackpropScreen #bp-table { width: 1fr; }
    BackpropScreen #bp-side { width: 46; height: 1fr; }
    BackpropScreen.-narrow #bp-side { width: 32; }
    BackpropScreen #bp-story { height: 1fr; min-height: 5; }
    BackpropScreen.-tiny #bp-side { display: none; }
    """

    BINDINGS = [
        Binding("f", "finish", "Finish example"),
        Binding("t", "train", "Train ×100"),
        Binding("pagedown,full_stop", "page(1)", "Story →", key_display="pgdn", show=False),
        Binding("pageup,comma", "page(-1)", "Story ←", key_display="pgup", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._story_phase: str | None = None
        self._view_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> BackpropStepper:
        return BackpropStepper(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("shape", "network", sim.sizes, "choice", choices=SHAPES,
                  labels={s: "-".join(map(str, s)) for s in SHAPES}),
            Param("activation", "activation", sim.activation, "choice", choices=ACTIVATIONS),
            Param("loss", "loss", sim.loss_name, "choice", choices=LOSSES,
                  labels={"bce": "cross-entropy", "mse": "squared error"}),
            Param("lr", "learning rate", sim.lr, "float", lo=1e-3, hi=10.0, factor=2.0, fmt="{:.3g}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "shape" and isinstance(value, str):  # from the command line: "2-3-2-1"
            value = _parse_shape(value)
        setter = {
            "shape": self.sim.set_sizes,
            "activation": self.sim.set_activation,
            "loss": self.sim.set_loss,
            "lr": self.sim.set_lr,
        }[name]
        setter(value)

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="bp-left"):
            yield NetworkDiagram(id="bp-diagram")
            yield Static("", id="bp-flow")
            with VerticalScroll(id="bp-table-box"):
                yield Static("", id="bp-table")
        with Vertical(id="bp-side"):
            yield Explainer(STORY, id="bp-story")
            yield ParamPanel(title="knobs (p)")

    # ------------------------------------------------------------------ names
    def neuron_names(self) -> list[list[str]]:
        sizes = self.sim.sizes
        names = []
        for layer, n in enumerate(sizes):
            if layer == len(sizes) - 1:
                names.append(["ŷ"] if n == 1 else [f"ŷ{j + 1}".translate(SUB) for j in range(n)])
            else:
                names.append([f"{LAYER_LETTERS[layer]}{j + 1}".translate(SUB) for j in range(n)])
        return names

    def row_name(self, row: GradientRow) -> str:
        names = self.neuron_names()
        target = names[row.layer + 1][row.target]
        if row.is_bias:
            return f"b {target}"
        return f"w {names[row.layer][row.source]}→{target}"

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim: BackpropStepper = self.sim
        diagram = self.query_one(NetworkDiagram)
        # The view is a function of this state: skip the (layout-heavy) redraw when it is unchanged.
        key = (sim.model.params.tobytes(), sim.phase, sim.cycle, sim.sizes, sim.activation, sim.loss_name,
               sim.lr, self.size, diagram.size, self.app.no_color)
        if key == self._view_key:
            return
        self._view_key = key
        backward = sim.phase_kind in ("backward", "update")
        diagram.set_network(
            sim.sizes,
            sim.model.weights,
            biases=sim.model.biases,
            node_labels=self.node_texts(diagram.size.width),
            edge_values=sim.edge_values() if backward else None,
        )
        self.query_one("#bp-flow", Static).update(self._flow_text(diagram), layout=False)
        self.query_one("#bp-table", Static).update(self._table())
        if sim.phase_kind != self._story_phase:
            self._story_phase = sim.phase_kind
            self.query_one(Explainer).goto(PAGE_OF[sim.phase_kind])

    def node_texts(self, width: int) -> list[list[str]]:
        """Each neuron's name and forward value, as long as the diagram has room for."""
        names, values = self.neuron_names(), self.sim.node_values
        n_layers = len(names)
        for fmt in ("{name} {value:+.2f}", "{name}{value:+.2f}", "{value:+.2f}"):
            texts = [[fmt.format(name=n, value=v) for n, v in zip(layer, vals)] for layer, vals in zip(names, values)]
            box = max(len(t) for layer in texts for t in layer) + 2
            if n_layers * box + 4 * (n_layers - 1) <= width:
                break
        return texts

    def _flow_text(self, diagram: NetworkDiagram) -> Text:
        """Row 1: the direction of the current pass under the layers; row 2: the error signals."""
        sim: BackpropStepper = self.sim
        width = max(diagram.size.width, 1)
        n_layers = len(sim.sizes)
        try:
            cols = [diagram.node_position(layer, 0)[0] for layer in range(n_layers)]
        except ValueError:
            cols = [round(i * (width - 1) / max(n_layers - 1, 1)) for i in range(n_layers)]
        kind = sim.phase_kind
        line = Text(no_wrap=True, overflow="ellipsis")
        if kind == "forward":
            start, end = cols[0], cols[-1]
            line.append(" " * start)
            line.append("━" * max(end - start - 1, 0) + "▶", style=FLOW)
            line.append("  forward")
        elif kind == "update":
            line.append(" all weights: w ← w − lr·∂L/∂w", style="bold")
        else:
            start = cols[sim.reached] if kind == "backward" else cols[-1]
            end = cols[-1]
            line.append(" " * start)
            line.append("◀" + "━" * max(end - start - 1, 0), style=f"bold {BLAME}")
            line.append(" δ" if kind == "loss" else "")
        deltas = Text(no_wrap=True, overflow="ellipsis")
        names = self.neuron_names()
        shown = False
        for layer in range(n_layers - 1, 0, -1):
            d = sim.deltas[layer]
            if d is None:
                continue
            shown = True
            deltas.append(" ")
            for j, v in enumerate(d):
                deltas.append(f"δ{names[layer][j]} {v:+.3f} ", style=BLAME)
            deltas.append("│", style="dim")
        if not shown:
            deltas.append(" error signal δ = ∂L/∂z: not yet known", style="dim")
        return Text("\n").join([line, deltas])

    def _table(self) -> Table | Text:
        sim: BackpropStepper = self.sim
        kind = sim.phase_kind
        if kind == "forward":
            return self._forward_table()
        wide = self.size.width >= 110
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), expand=False, show_edge=False, pad_edge=False)
        table.add_column("parameter", no_wrap=True)
        if wide:
            table.add_column("value", justify="right", no_wrap=True)
        table.add_column("backprop" if not wide else "∂L/∂· backprop", justify="right", no_wrap=True)
        table.add_column("nudge", justify="right", no_wrap=True)
        table.add_column("rel.err", justify="right", no_wrap=True)
        rows = sim.rows()
        current = sim.reached if kind == "backward" else None
        known = [r for r in rows if r.backprop is not None]
        # the layer just reached first, then the ones before it
        known.sort(key=lambda r: (r.layer != current, -r.layer))
        for r in known:
            err = r.relative_error
            cells = [self.row_name(r)]
            if wide:
                cells.append(f"{r.value:+.4f}")
            cells += [f"{r.backprop:+.5f}", f"{r.numeric:+.5f}", f"{err:.0e}" if err is not None else ""]
            table.add_row(*cells, style="bold" if r.layer == current else "")
        waiting = len(rows) - len(known)
        title = f"loss {sim.loss:.4f}" if sim.loss is not None else ""
        if sim.loss_after is not None:
            title += f" → {sim.loss_after:.4f} after the update"
        if waiting:
            title += f" · {waiting} parameters still waiting for blame"
        table.title = title
        table.title_justify = "left"
        return table

    def _forward_table(self) -> Table:
        sim: BackpropStepper = self.sim
        names = self.neuron_names()
        x = sim.x
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False, pad_edge=False)
        table.title = f"order: XOR({x[0]:.0f}, {x[1]:.0f}) should be {sim.target}"
        table.title_justify = "left"
        table.add_column("neuron", no_wrap=True)
        table.add_column("z = Σ w·a + b", justify="right")
        table.add_column("a = f(z)", justify="right")
        for layer in range(1, len(sim.sizes)):
            z = sim.pre_activations[layer - 1]
            a = sim.node_values[layer]
            for j in range(len(z)):
                table.add_row(names[layer][j], f"{z[j]:+.4f}", f"{a[j]:+.4f}")
        return table

    def metrics(self) -> dict[str, str]:
        sim: BackpropStepper = self.sim
        x = sim.x
        kind = sim.phase_kind
        if kind == "backward":
            phase = f"backward {sim.n_layers - sim.reached}/{sim.n_layers}"
        else:
            phase = kind
        return {
            "example": f"{sim.cycle + 1} ({x[0]:.0f},{x[1]:.0f})→{sim.target}",
            "phase": phase,
            "ŷ": f"{sim.prediction:.3f}",
            "XOR loss": f"{sim.mean_loss():.4f}",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()

    # ------------------------------------------------------------------ keys
    def action_finish(self) -> None:
        self.playing = False
        before = self.sim.phase
        self.sim.finish_cycle()
        if before:
            self.steps_done += 1
        self._check_diverged()
        self.refresh_view()
        self.refresh_bindings()

    def action_train(self) -> None:
        self.playing = False
        self.sim.train(TRAIN_BURST)
        self._check_diverged()
        self.refresh_view()
        self.refresh_bindings()
        self.notify(f"Trained on {TRAIN_BURST} more examples (b undoes it).", timeout=2)

    def action_page(self, delta: int) -> None:
        self.query_one(Explainer).turn(delta)


def _parse_shape(text: str) -> tuple[int, ...]:
    """"2-3-2-1" or "2,3,2,1" -> (2, 3, 2, 1); ValueError with the choices otherwise."""
    try:
        return tuple(int(part) for part in text.replace(",", "-").split("-") if part.strip())
    except ValueError:
        shapes = ", ".join("-".join(map(str, s)) for s in SHAPES)
        raise ValueError(f"the network shape must be one of {shapes}") from None


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("backprop").run()

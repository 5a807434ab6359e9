"""training-loop — the four steps of training, one phase per key, with the code and every value.

Run alone: ``python -m screens.training_loop``.
"""

from __future__ import annotations

import math
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.training_loop import (
    AND_DATA,
    EXAMPLE_TITLES,
    EXAMPLES,
    LR_RANGE,
    PHASE_TITLES,
    PHASES,
    TrainingLoop,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.code_view import CodeView
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel

HELP = """\
# The four-step training loop

Every network, from one weight to billions, learns with the same loop:

1. **forward pass** — run the input through the model to get a prediction;
2. **loss** — one number for how wrong the prediction is;
3. **gradient** — for every weight, which way (and how hard) the loss tilts: *if I nudged this
   weight up, would the loss rise or fall?*;
4. **update** — move every weight a small step downhill: `w = w − lr × gradient`.

Each press of **n** runs **one phase**. The code on the left is the program being run — its lines
for that phase light up, and every line shows the value it just computed; the panel on the right
lists every variable.

**Two programs** (**e** switches):

* **one weight** — `output = w × x`, loss `(output − target)²`. The loss is zero at `w = target / x`,
  and gradient descent walks there.
* **AND gate** — one sigmoid neuron learns the AND of two bits, one row of the truth table per loop.
  After a few dozen rows it answers all four correctly.

**The learning-rate trap.** Double the learning rate with **]** a few times on the one-weight
program. Above `1/(2x²)` every step jumps past the goal (the error changes sign each loop) but
still closes in; above `1/x²` each jump is bigger than the last, the weight swings wider and wider,
and within a few hundred loops the numbers overflow: the screen reports *diverged*. **r** starts
over; **[** halves the rate.

**Keys:** **n** one phase · **f** finish the loop · **t** train 100 epochs · **b** back one phase ·
**e** switch program · **[**/**]** halve/double the learning rate · **space** play.
"""

EXPLAIN = {
    ("one-weight", "forward"): "output = w × x = {w:.4g} × {x:.4g} = {output:.4g}",
    ("one-weight", "loss"): "error = output − target = {error:.4g};  loss = error² = {loss:.4g}",
    ("one-weight", "gradient"): "grad = 2 × error × x = {grad:.4g}  ({slope})",
    ("one-weight", "update"): "w = w − lr × grad → {w:.6g}",
    ("and-gate", "forward"): "row ({x1}, {x2}) → target {target}:  z = {z:.4g},  pred = σ(z) = {pred:.4g}",
    ("and-gate", "loss"): "error = pred − target = {error:.4g};  loss = error² = {loss:.4g}",
    ("and-gate", "gradient"): "dz = 2·error·pred·(1 − pred) = {dz:.4g};  (g1, g2, gb) = dz × (x1, x2, 1)",
    ("and-gate", "update"): "w1, w2, b each move by −lr × their gradient → {w1:.4g}, {w2:.4g}, {b:.4g}",
}


def fmt_value(value: Any, digits: int = 4) -> str:
    """A variable's value, short: numbers to ``digits`` significant digits, inf/NaN spelled out."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


class TrainingLoopScreen(SimulationScreen):
    """The training loop run phase by phase: highlighted code, live variables, the learning-rate trap."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 34}
    TOPIC_ID = "training-loop"
    TITLE = "The four-step training loop"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "phase"

    DEFAULT_CSS = """
    TrainingLoopScreen #tl-code { width: 1fr; height: 1fr; }
    TrainingLoopScreen #tl-side { width: 46; height: 1fr; }
    TrainingLoopScreen.-narrow #tl-side { width: 30; }
    TrainingLoopScreen.-narrow #tl-phase { padding: 0; }
    TrainingLoopScreen.-narrow #tl-result { padding: 0; }
    TrainingLoopScreen #tl-phase { height: auto; padding: 0 1; }
    TrainingLoopScreen #tl-vars { height: auto; padding: 0 1; margin-top: 1; }
    TrainingLoopScreen #tl-result { height: auto; padding: 0 1; margin-top: 1; }
    TrainingLoopScreen #tl-plot { height: 1fr; min-height: 6; }
    TrainingLoopScreen.-short #tl-plot { display: none; }
    TrainingLoopScreen.-narrow #tl-vars { display: none; }
    TrainingLoopScreen.-short #tl-vars { margin-top: 0; }
    TrainingLoopScreen.-short #tl-result { margin-top: 0; }
    TrainingLoopScreen.-tiny #tl-side { display: none; }
    """

    BINDINGS = [
        Binding("f", "finish", "Finish loop"),
        Binding("t", "train(100)", "Train 100"),
        Binding("e", "switch_example", "Example"),
        Binding("right_square_bracket", "scale_lr(2)", "lr ×2", key_display="]"),
        Binding("left_square_bracket", "scale_lr(0.5)", "lr ÷2", key_display="[", show=False),
    ]

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> TrainingLoop:
        return TrainingLoop(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("example", "program", sim.example, "choice", choices=EXAMPLES,
                  labels={"one-weight": "one weight", "and-gate": "AND gate"}),
            Param("lr", "lr", sim.lr, "float", lo=LR_RANGE[0], hi=LR_RANGE[1], factor=2.0, fmt="{:.4g}",
                  help="step size of every update"),
            Param("x", "input x", sim.x, "float", lo=-5.0, hi=5.0, step=0.5, fmt="{:.3g}",
                  help="the one-weight program's input"),
            Param("target", "target", sim.target, "float", lo=-5.0, hi=5.0, step=0.5, fmt="{:.3g}",
                  help="the one-weight program's wanted output"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "example":
            self.sim.set_example(value)
            if self.is_mounted and self.param_panel is not None:
                self.param_panel.set_value("lr", self.sim.lr)  # each program brings its usual rate
            return
        setter = {"lr": self.sim.set_lr, "x": self.sim.set_x, "target": self.sim.set_target}[name]
        setter(value)

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        panel = self.param_panel
        if panel is not None:  # the knobs show the rebuilt simulation's values
            panel.set_value("lr", self.sim.lr)

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield CodeView(id="tl-code")
        with Vertical(id="tl-side"):
            yield Static(id="tl-phase")
            yield Static(id="tl-vars")
            yield Static(id="tl-result")
            yield LinePlot(min_interval=0.3, legend=False, id="tl-plot")
            yield ParamPanel(title="knobs (p)")

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        code = self.query_one(CodeView)
        code.set_code(sim.code)
        code.border_title = EXAMPLE_TITLES[sim.example]
        code.border_subtitle = f"next: {PHASE_TITLES[sim.next_phase]}"
        code.set_highlight(sim.current_lines)
        values = sim.variables
        notes = {}
        for line, names in sim.line_names.items():
            shown = [f"{n}={fmt_value(values[n])}" for n in names if n in values]
            if shown:
                notes[line] = "  ".join(shown)
        code.set_notes(notes)
        self.query_one("#tl-phase", Static).update(self._phase_text())
        self.query_one("#tl-vars", Static).update(self._variables_table())
        self.query_one("#tl-result", Static).update(self._result_text())
        self._draw_plot()

    def _phase_text(self) -> Text:
        sim = self.sim
        text = Text()
        last = sim.last_phase
        for i, phase in enumerate(PHASES):
            if i:
                text.append(" → " if not self.has_class("-narrow") else " ", "dim")
            words = PHASE_TITLES[phase].split()
            title = words[0] if self.has_class("-narrow") else " ".join(words[:2])  # "① forward"
            if phase == last:
                text.append(title, "bold reverse")
            elif phase == sim.next_phase:
                text.append(title, "bold underline")
            else:
                text.append(title, "dim")
        text.append(f"\nepoch {sim.epoch} · loop {sim.iteration}", "dim")
        if last is not None:
            text.append("\n" + self._explain(last))
        return text

    def _explain(self, phase: str) -> str:
        sim = self.sim
        values = dict(sim.variables)
        if sim.example == "one-weight" and "grad" in values:
            grad = values["grad"]
            if grad == 0:
                values["slope"] = "flat: w stays"
            else:
                values["slope"] = f"{'raising' if grad < 0 else 'lowering'} w lowers the loss"
        try:
            return f"{PHASE_TITLES[phase]}: " + EXPLAIN[(sim.example, phase)].format(**values)
        except (KeyError, ValueError):
            return PHASE_TITLES[phase]

    def _variables_table(self) -> Table:
        sim = self.sim
        values, changed = sim.variables, set(sim.changed)
        narrow = self.has_class("-narrow")
        table = Table.grid(padding=(0, 1))
        pairs = list(values.items())
        if narrow:  # two columns of name/value pairs
            for _ in range(2):
                table.add_column(style="dim")
                table.add_column(justify="right", min_width=8)
            half = (len(pairs) + 1) // 2
            for left, right in zip(pairs[:half], pairs[half:] + [("", None)]):
                row: list[Text] = []
                for name, value in (left, right):
                    row.append(Text(name))
                    row.append(Text("" if name == "" else fmt_value(value), "bold" if name in changed else ""))
                table.add_row(*row)
        else:
            table.add_column(style="dim")
            table.add_column(justify="right", min_width=14)
            table.add_column()
            for name, value in pairs:
                mark = "← just set" if name in changed else ""
                table.add_row(name, Text(fmt_value(value, 8), "bold" if name in changed else ""), Text(mark, "dim"))
        return table

    def _result_text(self) -> Text:
        sim = self.sim
        text = Text()
        if sim.example == "one-weight":
            text.append(f"w = {fmt_value(sim.weights[0], 6)}", "bold")
            text.append(f"   goal target/x = {sim.goal:.4g}\n", "dim")
            lr, wobble, blow = sim.lr, sim.oscillation_lr, sim.divergence_lr
            if lr > blow:
                text.append(f"lr {lr:.3g} > 1/x² = {blow:.3g}: each jump overshoots more — it will diverge",
                            "bold red")
            elif lr > wobble:
                text.append(f"lr {lr:.3g} > 1/(2x²) = {wobble:.3g}: overshoots, but still closes in", "yellow")
            else:
                text.append(f"lr {lr:.3g} ≤ 1/(2x²) = {wobble:.3g}: slides straight to the goal", "green")
        else:
            text.append("x1 x2 target  pred\n", "dim")
            for ((x1, x2), target), pred in zip(AND_DATA, sim.predictions()):
                ok = (pred >= 0.5) == bool(target)
                text.append(f" {x1}  {x2}    {target}   {fmt_value(pred, 3):>6} ")
                text.append("✓\n" if ok else "✗\n", "green" if ok else "red")
            text.append("all four right" if sim.classified_correctly() else "not yet right", "bold")
        return text

    def _draw_plot(self) -> None:
        sim = self.sim
        plot = self.query_one(LinePlot)
        if sim.example == "one-weight":
            plot.title = "w after every loop (flat line: the goal)"
            ws = [w[0] for w in sim.weight_history]
            plot.set_series("value", range(len(ws)), ws, color=palette.CLASS_COLORS[1])
            plot.set_series("goal", [0, max(len(ws) - 1, 1)], [sim.goal, sim.goal], color=palette.MUTED)
            plot.set_y_limits(None, None)
            plot.x_label = "loop"
        else:
            plot.title = "mean loss per epoch"
            losses = sim.epoch_loss_history
            plot.remove_series("goal")
            plot.set_series("value", range(1, len(losses) + 1), losses, color=palette.CLASS_COLORS[1])
            plot.set_y_limits(0.0, None)
            plot.x_label = "epoch"

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        values = sim.variables
        out = {
            "program": "one weight" if sim.example == "one-weight" else "AND gate",
            "epoch": str(sim.epoch),
            "next": PHASE_TITLES[sim.next_phase],
            "lr": f"{sim.lr:.4g}",
        }
        if "loss" in values:
            out["loss"] = fmt_value(values["loss"])
        return out

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()

    # ------------------------------------------------------------------ actions
    def action_finish(self) -> None:
        if self.diverged:
            return
        self.playing = False
        before = self.sim.phase_count
        self.sim.finish_iteration()
        self._after_jump(before)

    def action_train(self, epochs: int) -> None:
        if self.diverged:
            return
        self.playing = False
        before = self.sim.phase_count
        self.sim.run_epochs(epochs)
        self._after_jump(before)

    def _after_jump(self, before: int) -> None:
        self.steps_done += self.sim.phase_count - before
        self._check_diverged()
        self.refresh_view()
        self.refresh_bindings()

    def action_switch_example(self) -> None:
        self._set_knob("example", EXAMPLES[(EXAMPLES.index(self.sim.example) + 1) % len(EXAMPLES)])

    def action_scale_lr(self, factor: float) -> None:
        lo, hi = LR_RANGE
        self._set_knob("lr", float(f"{min(hi, max(lo, self.sim.lr * factor)):.4g}"))

    def _set_knob(self, name: str, value: Any) -> None:
        """Apply a knob's new value at once (keys typed right after see it) and show it on the panel."""
        try:
            self.apply_param(name, value)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=3)
            return
        panel = self.param_panel
        if panel is not None:
            panel.set_value(name, value)
        self._clear_divergence()
        self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("training-loop").run()

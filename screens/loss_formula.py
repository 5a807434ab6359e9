"""loss-formula — the one formula behind learning, Q(a, X) = 1/n · Σ L(a, xᵢ), taken apart.

Run alone: ``python -m screens.loss_formula``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from algorithms import risk
from algorithms.risk import EXAMPLE_NAMES, MAX_EPOCH, PATTERNS, LossFormula
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.bar_chart import BarChart
from tui.widgets.grid_view import GridView
from tui.widgets.param_panel import Param, ParamPanel

PARTS = ("Q", "1/n", "Σ", "L")
PART_COLORS = {
    "Q": palette.CLASS_COLORS[1],  # orange
    "1/n": palette.CLASS_COLORS[0],  # blue
    "Σ": palette.CLASS_COLORS[4],  # yellow
    "L": palette.CLASS_COLORS[2],  # green
}
VERDICT_STYLE = {"learned": "bold green", "getting there": "bold yellow", "still learning": "bold red"}
VERDICT_TEXT = {
    "learned": "✓ learned — the average mistake is almost zero",
    "getting there": "… getting there — mistakes are shrinking",
    "still learning": "✗ still learning — the model is often far off",
}
ERROR_PALETTE = palette.ramp((palette.NEUTRAL, (150, 60, 40), (255, 90, 60)), 64)

# What each part of the formula means, in plain words, with an everyday comparison.
EXPLANATIONS: dict[str, tuple[str, str, str, str]] = {
    "Q": (
        "the score to beat",
        "Q(a, X) — how wrong the model is, on average",
        (
            "One number for the whole model. **a** stands for everything the model can tune (its "
            "weights), **X** for all the examples it learns from. A big Q means it is often far off; a "
            "small Q means its answers are close. Training does one thing: change **a** so that Q goes "
            "down, step after step."
        ),
        (
            "Your average over a whole term of quizzes: one number that sums up how you are doing, "
            "however many quizzes there were."
        ),
    ),
    "1/n": (
        "keeps it fair",
        "1/n — divide by the number of examples",
        (
            "After adding up the mistakes we divide by **n**, the number of examples. Without it, a "
            "model trained on 10 000 clips would always look worse than one trained on 10, just "
            "because it has more to add up. With it, Q is an *average*: comparable across data sets "
            "of any size."
        ),
        (
            "Comparing two players by points *per game*, not total points — one of them simply "
            "played more games."
        ),
    ),
    "Σ": (
        "a loop in disguise",
        "Σ — add up over every example, i = 1 … n",
        (
            "The big sigma is a for-loop written as one symbol: start at example 1, go to example n, "
            "and add each example's mistake to a running total. Nothing is skipped and nothing is "
            "counted twice.\n\n```\ntotal = 0\nfor i in 1..n:\n    total += L(a, x[i])\n```"
        ),
        "A cashier scanning every item in your basket and keeping a running total.",
    ),
    "L": (
        "the mistake meter",
        "L(a, xᵢ) — the mistake on one example",
        (
            "Compare the model's answer for example **xᵢ** with the truth. Close means a small L, far "
            "off means a large one. For pictures it is pure arithmetic on pixels: subtract, square, "
            "average — see the pixel grids. Squaring keeps every mistake positive (they can't cancel "
            "out) and makes big misses count much more than small ones."
        ),
        "The distance between where your dart landed and the bull's-eye.",
    ),
}

HELP = """\
# The one formula behind learning

Almost every model is trained by making one number smaller:

    Q(a, X) = 1/n · Σᵢ L(a, xᵢ)

In words: *on average over all my examples, how wrong is my model?* **a** is the model (its
weights), **X** the data set of n examples x₁ … xₙ, and **L** measures the mistake on one example.

**The formula, part by part.** ←/→ (or **1**–**4**) select Q, 1/n, Σ or L; the panel on the left
explains the selected part with an everyday comparison.

**Watching Q shrink.** Five video clips are the whole data set. Each bar is the model's loss on
one clip. Every epoch (one pass over all five; **n**, or **space** to play) the model gets a bit
better — here each loss shrinks to 72 % of what it was. Q is exactly the mean of the five numbers
shown. Once it drops below 0.08 the model has learned. **b** goes back an epoch.

**Where L comes from.** A picture is a grid of numbers from 0 (dark) to 255 (bright). The model
produces its own grid; the error grid is their difference, and L = mean((real − generated)²).
↑/↓ change the model's accuracy: at 100 % the two grids agree and L is 0. **c** changes the picture.

On a narrow terminal the bars and the pixel grids take turns: **v** switches between them.

**Keys.** ←/→ or 1–4 formula part · n / b epoch · ↑/↓ accuracy · c picture · v bars/pixels
(narrow terminals) · p knobs.
"""


def formula_text(selected: str) -> Text:
    """Q(a, X) = 1/n · Σ L(a, xᵢ) drawn on three rows, the selected part reversed and underlined."""
    blocks: list[tuple[str | None, tuple[str, str, str]]] = [
        ("Q", ("       ", "Q(a, X)", "       ")),
        (None, ("   ", " = ", "   ")),
        ("1/n", (" 1 ", "───", " n ")),
        (None, ("   ", " · ", "   ")),
        ("Σ", ("  n  ", "  Σ  ", " i=1 ")),
        (None, (" ", " ", " ")),
        ("L", ("        ", "L(a, xᵢ)", "        ")),
    ]
    text = Text(justify="center", no_wrap=True, overflow="crop")
    for row in range(4):
        for key, rows in blocks:
            width = len(rows[0])
            if row == 3:
                cell = ("▔" * width) if key == selected else " " * width
                style = f"bold {palette.hex_color(PART_COLORS[key])}" if key == selected else ""
                text.append(cell, style=style)
                continue
            style = ""
            if key is not None:
                style = f"bold {palette.hex_color(PART_COLORS[key])}"
                if key == selected:
                    style += " reverse"
            elif row == 1:
                style = "dim"
            text.append(rows[row], style=style)
        if row < 3:
            text.append("\n")
    return text


class LossFormulaScreen(SimulationScreen):
    """The formula with selectable parts, five examples' losses per epoch, and a pixel-grid loss."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 64, "short": 30}
    TOPIC_ID = "loss-formula"
    TITLE = "The one formula behind learning"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "epoch"

    DEFAULT_CSS = """
    LossFormulaScreen #lf-left { width: 38; height: 1fr; }
    LossFormulaScreen.-narrow #lf-left { width: 30; }
    LossFormulaScreen #lf-right { width: 1fr; height: 1fr; }
    LossFormulaScreen #lf-formula {
        height: auto; border: round $primary 50%; border-title-color: $text; padding: 0 1;
        text-align: center;
    }
    LossFormulaScreen #lf-explain {
        height: 1fr; min-height: 4; border: round $primary 50%; border-title-color: $text; padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    LossFormulaScreen #lf-epochs { height: auto; padding: 0 1; }
    LossFormulaScreen #lf-bars { height: auto; }
    LossFormulaScreen #lf-q { height: auto; }
    LossFormulaScreen #lf-pixels { height: 1fr; min-height: 7; padding: 0 1; }
    LossFormulaScreen #lf-grid-labels { height: 1; }
    LossFormulaScreen .lf-grid-box { width: 1fr; height: 1fr; }
    LossFormulaScreen .lf-op { width: 3; height: 1fr; content-align: center middle; text-style: bold; }
    LossFormulaScreen GridView { background: $surface; }
    LossFormulaScreen #lf-loss { height: auto; }
    LossFormulaScreen.-short #lf-formula { border: none; padding: 0; }
    LossFormulaScreen.-tiny #lf-left { display: none; }
    LossFormulaScreen.-narrow.-view-pixels #lf-left { display: none; }
    LossFormulaScreen.-narrow.-view-pixels #lf-epochs { display: none; }
    LossFormulaScreen.-narrow.-view-epochs #lf-pixels { display: none; }
    """

    BINDINGS = [
        Binding("right,right_square_bracket", "part(1)", "Next part", key_display="→"),
        Binding("left,left_square_bracket", "part(-1)", "Previous part", show=False),
        Binding("1", "select('Q')", "Part: Q", show=False),
        Binding("2", "select('1/n')", "Part: 1/n", show=False),
        Binding("3", "select('Σ')", "Part: Σ", show=False),
        Binding("4", "select('L')", "Part: L", show=False),
        Binding("up", "accuracy(1)", "Accuracy +", key_display="↑↓"),
        Binding("down", "accuracy(-1)", "Accuracy −", show=False),
        Binding("c", "next_picture", "Picture"),
        Binding("v", "toggle_view", "Bars/pixels"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.selected = "Q"
        self.view = "epochs"  # on narrow screens one of the two panels at a time: "epochs" or "pixels"
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    def make_simulation(self, seed: int) -> LossFormula:
        return LossFormula(seed=seed)

    # ------------------------------------------------------------------ knobs
    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("epoch", "epoch", sim.epoch, "int", lo=1, hi=MAX_EPOCH, step=1,
                  help="passes over the five examples"),
            Param("accuracy", "model accuracy", sim.pixels.accuracy, "float", lo=0.0, hi=1.0, step=0.1,
                  fmt="{:.0%}", help="how close the generated picture is"),
            Param("picture", "picture", sim.pixels.pattern, "choice", choices=tuple(PATTERNS)),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        if name == "epoch":
            sim.epochs.set_epoch(value)
        elif name == "accuracy":
            sim.pixels.set_accuracy(value)
        elif name == "picture":
            sim.pixels.set_pattern(value)
        else:
            raise ValueError(f"unknown knob {name!r}")

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self.sim.epochs.set_epoch(1)  # r starts training over; the picture knobs stay

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="lf-left"):
            with VerticalScroll(id="lf-explain", can_focus=False):
                yield Static(id="lf-explain-text")
            yield ParamPanel(title="knobs (p)")
        with Vertical(id="lf-right"):
            formula = Static(id="lf-formula")
            formula.border_title = "the formula (←/→ pick a part)"
            yield formula
            with Vertical(id="lf-epochs"):
                yield BarChart(id="lf-bars")
                yield Static(id="lf-q")
            with Vertical(id="lf-pixels"):
                yield Static(id="lf-grid-labels")
                with Horizontal():
                    yield GridView(max_cell_width=8, max_cell_height=4, id="lf-real", classes="lf-grid-box")
                    yield Static("−", classes="lf-op")
                    yield GridView(max_cell_width=8, max_cell_height=4, id="lf-gen", classes="lf-grid-box")
                    yield Static("→", classes="lf-op")
                    yield GridView(max_cell_width=8, max_cell_height=4, id="lf-err", classes="lf-grid-box")
                yield Static(id="lf-loss")

    def layout_changed(self) -> None:
        self._show_view()

    def _show_view(self) -> None:
        self.set_class(self.view == "pixels", "-view-pixels")
        self.set_class(self.view == "epochs", "-view-epochs")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_view":
            return self.has_class("-narrow")  # both panels show side by side on wide screens
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        self.query_one("#lf-formula", Static).update(formula_text(self.selected))
        self._show_explanation()
        panel = self.param_panel
        if panel is not None and panel.value("epoch") != sim.epoch:
            panel.set_value("epoch", sim.epoch)
        self._show_epochs()
        self._show_pixels()

    def _show_explanation(self) -> None:
        tag, title, body, analogy = EXPLANATIONS[self.selected]
        color = palette.hex_color(PART_COLORS[self.selected])
        box = self.query_one("#lf-explain", VerticalScroll)
        box.border_title = f"{self.selected} · {tag}"
        from rich.console import Group
        from rich.markdown import Markdown

        head = Text(title, style=f"bold {color}")
        like = Text.assemble(("Think of it like: ", "bold"), (analogy, "italic"))
        self.query_one("#lf-explain-text", Static).update(Group(head, Text(""), Markdown(body), Text(""), like))

    def _show_epochs(self) -> None:
        ep = self.sim.epochs
        losses = ep.losses
        bars = self.query_one("#lf-bars", BarChart)
        bars.title = f"epoch {ep.epoch} of {MAX_EPOCH} · loss on each example L(a, xᵢ)"
        highlight_all = self.selected == "L"
        colors = [PART_COLORS["L"] if highlight_all else palette.blend(palette.MUTED, PART_COLORS["L"], 0.5)] * 5
        bars.set_data(EXAMPLE_NAMES, losses, colors=colors, fmt="{:.2f}", max_value=1.0)
        q = ep.q
        wide = self.query_one("#lf-q", Static).size.width >= 60
        plus = " + " if wide else "+"
        text = Text()
        text.append("Q", style=self._part_style("Q"))
        text.append(" = ")
        if wide:
            text.append("1/5", style=self._part_style("1/n"))
            text.append(" · ")
        text.append("(", style=self._part_style("Σ"))
        for i, value in enumerate(losses):
            if i:
                text.append(plus, style=self._part_style("Σ"))
            text.append(f"{value:.2f}", style=self._part_style("L"))
        text.append(")", style=self._part_style("Σ"))
        if not wide:
            text.append("/5", style=self._part_style("1/n"))
        text.append(" = ")
        text.append(f"{q:.3f}", style=self._part_style("Q") + " bold")
        text.append("\n")
        verdict = VERDICT_TEXT[ep.verdict] if wide else VERDICT_TEXT[ep.verdict].split(" — ")[0]
        text.append(verdict, style=VERDICT_STYLE[ep.verdict])
        text.append(f"  (learned below {risk.LEARNED_BELOW:g})", style="dim")
        if self.has_class("-narrow"):
            text.append("\nv: show the pixel grids (where L comes from)", style="dim italic")
        self.query_one("#lf-q", Static).update(text)

    def _part_style(self, key: str) -> str:
        color = palette.hex_color(PART_COLORS[key])
        return f"bold {color} underline" if key == self.selected else color

    def _show_pixels(self) -> None:
        px = self.sim.pixels
        real, gen, err = px.real, px.generated, px.error
        grids = (("#lf-real", real, False), ("#lf-gen", gen, False), ("#lf-err", err, True))
        for selector, values, is_error in grids:
            view = self.query_one(selector, GridView)
            pad = view.size.width >= 5 * 4  # room for a gap between numbers
            texts = [[f"{v:>3} " if pad else str(v) for v in row] for row in values.tolist()]
            if is_error:
                level = np.clip(values * 63 // 150, 0, 63).astype(np.intp)
                view.set_cells(level, texts=texts, palette=ERROR_PALETTE)
            else:
                grey = np.repeat(values[:, :, None], 3, axis=2).astype(np.uint8)
                view.set_cells(grey, texts=texts)
        labels = Text(no_wrap=True, overflow="ellipsis")
        width = max(self.query_one("#lf-real", GridView).size.width, 8)
        labels.append(f"{'real xᵢ (target)':^{width}}", style="bold")
        labels.append("   ")
        labels.append(f"{f'model output ({px.accuracy:.0%})':^{width}}", style="bold")
        labels.append("   ")
        labels.append(f"{'error |real − out|':^{width}}", style="bold")
        self.query_one("#lf-grid-labels", Static).update(labels)
        loss = Text()
        loss.append("L(a, xᵢ)", style=self._part_style("L"))
        loss.append(" = mean((real − generated)²) = ")
        loss.append(f"{px.loss:.1f}", style="bold")
        if self.query_one("#lf-loss", Static).size.width >= 70:
            loss.append(f"   (pixels as 0…1: {px.loss_scaled:.3f})", style="dim")
        if self.has_class("-narrow"):
            loss.append("\nv: back to the bars · ↑/↓ accuracy · c picture", style="dim italic")
        self.query_one("#lf-loss", Static).update(loss)

    def metrics(self) -> dict[str, str]:
        ep = self.sim.epochs
        px = self.sim.pixels
        return {
            "epoch": f"{ep.epoch}/{MAX_EPOCH}",
            "Q": f"{ep.q:.3f}",
            "verdict": ep.verdict,
            "part": self.selected,
            "L (pixels)": f"{px.loss:.1f}",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()

    # ------------------------------------------------------------------ keys
    def action_part(self, delta: int) -> None:
        self.selected = PARTS[(PARTS.index(self.selected) + delta) % len(PARTS)]
        self.refresh_view()

    def action_select(self, part: str) -> None:
        if part in PARTS:
            self.selected = part
            self.refresh_view()

    def action_accuracy(self, direction: int) -> None:
        panel = self.param_panel
        value = round(min(1.0, max(0.0, self.sim.pixels.accuracy + 0.1 * direction)), 10)
        if panel is not None:
            panel.propose("accuracy", value)
        else:
            self.sim.pixels.set_accuracy(value)
            self.refresh_view()

    def action_toggle_view(self) -> None:
        self.view = "pixels" if self.view == "epochs" else "epochs"
        self._show_view()
        self.call_after_refresh(self.refresh_view)

    def action_next_picture(self) -> None:
        names = list(PATTERNS)
        value = names[(names.index(self.sim.pixels.pattern) + 1) % len(names)]
        panel = self.param_panel
        if panel is not None:
            panel.propose("picture", value)
        else:
            self.sim.pixels.set_pattern(value)
            self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("loss-formula").run()

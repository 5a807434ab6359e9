"""overfitting — a model flexible enough to learn the noise: polynomials of rising degree, or a small
network trained for too long, and what L2 and dropout do about it.

Run alone: ``python -m screens.overfitting``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.overfitting import (
    DEGREES,
    DROPOUT_CHOICES,
    HIDDEN,
    L2_CHOICES,
    MAX_DEGREE,
    MODES,
    NOISE_RANGE,
    Overfitting,
    true_curve,
)
from tui import palette
from tui.simulation import SPEEDS, SimulationScreen
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.05, 1.05, -1.7, 1.7)
TRAIN_COLOR = palette.class_color(0)
TEST_COLOR = palette.class_color(2)
FIT_COLOR = palette.class_color(1)
TRUE_COLOR = palette.MUTED
MODE_SPEED = {"polynomial": 2, "network": 120}  # steps per second that suit each mode
VERDICT_STYLE = {"underfits": "yellow", "about right": "green", "overfits": "bold red"}

HELP = """\
# Too flexible: overfitting

Twenty blue dots (●) are noisy measurements of a smooth curve (grey). A model is fitted to them
(orange); its **training error** is measured on those twenty dots and its **test error** on two
hundred fresh measurements it never saw (green ■, shown with **t**).

**Polynomial mode.** The knob (or ↑/↓) sets the degree from 1 to 15; **n** or playing raises it one
at a time. Low degrees are too stiff to follow the curve (*underfitting*: both errors high). Higher
degrees bend more freely: the training error can only go down — a degree-*d* polynomial can do
anything a lower one can — but past a point the curve starts chasing the noise, swinging wildly
between the dots, and the test error climbs (*overfitting*). The plot shows both errors against the
degree, on a log scale; the marker is the current degree.

**L2** adds a price for large coefficients (ridge regression): the fit must earn every wiggle.
At degree 15 a small L2 brings the test error back down.

**Network mode** (**m**). A 1 → 64 → 64 → 1 tanh network learns the same dots by gradient descent,
epoch after epoch; the plot shows the errors against the epoch. Left long enough it drives the
training error towards zero and the test error up. **Dropout** switches off a random share of the
hidden units at each epoch, so no unit can memorise a dot on its own; L2 works here too.

**Keys.** **m** switches mode, ↑/↓ change the degree, **t** shows the test points, **space** plays,
**n** steps, **b** steps back. Knobs (**p**): mode, degree, L2, dropout, data noise, learning rate.
"""


def _l2_label(value: float) -> str:
    return "off" if value == 0 else f"{value:g}"


class OverfittingScreen(SimulationScreen):
    """Noisy points, a polynomial or network fit, and train/test error curves."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 30}
    TOPIC_ID = "overfitting"
    TITLE = "Too flexible: overfitting"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = MODE_SPEED["polynomial"]
    STEP_NAME = "step"

    DEFAULT_CSS = """
    OverfittingScreen #of-canvas { width: 1fr; height: 1fr; }
    OverfittingScreen #of-side { width: 46; height: 1fr; }
    OverfittingScreen.-narrow #of-side { width: 36; }
    OverfittingScreen #of-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    OverfittingScreen #of-plot { height: 1fr; min-height: 8; }
    OverfittingScreen.-short #of-plot { display: none; }
    OverfittingScreen.-tiny #of-side { display: none; }
    """

    BINDINGS = [
        Binding("up", "degree(1)", "Degree +", show=False),
        Binding("down", "degree(-1)", "Degree −", show=False),
        Binding("m", "toggle_mode", "Mode"),
        Binding("t", "toggle_test", "Test points"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.show_test = False
        self._points_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> Overfitting:
        return Overfitting(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("mode", "mode", sim.mode, "choice", choices=MODES),
            Param("degree", "degree", sim.degree, "int", lo=DEGREES.start, hi=MAX_DEGREE, step=1,
                  help="polynomial mode"),
            Param("l2", "L2 penalty", sim.l2, "choice", choices=L2_CHOICES,
                  labels={v: _l2_label(v) for v in L2_CHOICES}),
            Param("dropout", "dropout", sim.dropout, "choice", choices=DROPOUT_CHOICES,
                  labels={v: ("off" if v == 0 else f"{v:.0%}") for v in DROPOUT_CHOICES}, help="network mode"),
            Param("noise", "data noise", sim.noise, "float", lo=NOISE_RANGE[0], hi=NOISE_RANGE[1], step=0.05,
                  fmt="{:.2f}"),
            Param("lr", "learning rate", sim.lr, "float", lo=1e-5, hi=1.0, factor=2.0, fmt="{:.3g}",
                  help="network mode"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        if name == "mode":
            sim.set_mode(value)
            self.speed_index = _speed_index(MODE_SPEED[sim.mode])
        elif name == "degree":
            sim.set_degree(value)
        elif name == "l2":
            sim.set_l2(value)
        elif name == "dropout":
            sim.set_dropout(value)
        elif name == "noise":
            sim.set_noise(value)
            self._points_key = None
        elif name == "lr":
            sim.set_lr(value)
        else:
            raise ValueError(f"unknown knob {name!r}")

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._points_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, equal_aspect=False, id="of-canvas")
        with Vertical(id="of-side"):
            card = Static(id="of-card")
            card.border_title = "fit"
            yield card
            yield LinePlot(title="", log_y=True, min_interval=0.3, legend=False, id="of-plot")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        canvas = self.query_one(PixelCanvas)
        canvas.set_palette(palette.ramp((palette.NEUTRAL, palette.NEUTRAL), 2))
        canvas.set_heatmap(np.zeros((1, 1)))  # a plain dark background

    def layout_changed(self) -> None:
        self._points_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        panel = self.param_panel
        if panel is not None and panel.value("degree") != sim.degree:
            panel.set_value("degree", sim.degree)
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if width and height:
            key = (sim.seed, sim.noise, self.show_test, width, height)
            if key != self._points_key:
                self._points_key = key
                xy = np.column_stack((sim.x_train, sim.y_train))
                classes = np.zeros(len(xy), dtype=int)
                if self.show_test:
                    xy = np.vstack((np.column_stack((sim.x_test, sim.y_test)), xy))
                    classes = np.concatenate((np.full(len(sim.x_test), 2), classes))
                canvas.set_points(xy, classes)
            canvas.clear_ink()
            canvas.clear_labels()
            fine = np.linspace(-1.0, 1.0, max(3 * width, 60))
            canvas.add_polyline(fine, true_curve(fine), color=TRUE_COLOR)
            canvas.add_polyline(fine, sim.predict(fine), color=FIT_COLOR)
            what = f"degree {sim.degree}" if sim.mode == "polynomial" else f"epoch {sim.epoch}"
            canvas.set_cell_label(0, 0, f" {what} · train {sim.train_error:.3f} · test {sim.test_error:.3f} ")
        self.query_one("#of-card", Static).update(self._card())
        if self.has_class("-short"):
            return
        plot = self.query_one(LinePlot)
        if sim.mode == "polynomial":
            train, test = sim.degree_curves()
            xs = np.array(DEGREES)
            plot.title = "MSE against degree (log)"
            plot.x_label = "degree"
            plot.set_marker_x(sim.degree)
        else:
            train, test = sim.network_history
            xs = np.arange(len(train))
            plot.title = "MSE against epoch (log)"
            plot.x_label = "epoch"
            plot.set_marker_x(None)
        plot.set_series("train", xs, train, color=TRAIN_COLOR)
        plot.set_series("test", xs, test, color=TEST_COLOR)

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        if sim.mode == "polynomial":
            text.append(f"polynomial of degree {sim.degree}", style="bold")
            text.append(f" · L2 {_l2_label(sim.l2)}\n")
        else:
            text.append(f"network 1 → {' → '.join(map(str, HIDDEN))} → 1", style="bold")
            text.append(f" · epoch {sim.epoch}\n")
            text.append(f"dropout {sim.dropout:.0%} · L2 {_l2_label(sim.l2)}\n")
        text.append("train ", style=f"bold {palette.hex_color(TRAIN_COLOR)}")
        text.append(f"{sim.train_error:.4f}   ")
        text.append("test ", style=f"bold {palette.hex_color(TEST_COLOR)}")
        text.append(f"{sim.test_error:.4f}\n")
        if sim.mode == "polynomial":
            text.append(f"lowest test error at degree {sim.best_degree}\n")
        else:
            text.append(f"lowest test error at epoch {sim.best_epoch}\n")
        verdict = sim.verdict()
        text.append(verdict, style=VERDICT_STYLE[verdict])
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        where = {"degree": str(sim.degree)} if sim.mode == "polynomial" else {"epoch": str(sim.epoch)}
        return {
            "mode": sim.mode,
            **where,
            "train": f"{sim.train_error:.4f}",
            "test": f"{sim.test_error:.4f}",
            "verdict": sim.verdict(),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()
        if not self.has_class("-short"):
            self.query_one(LinePlot).flush()

    # ------------------------------------------------------------------ keys
    def action_degree(self, delta: int) -> None:
        new = min(MAX_DEGREE, max(DEGREES.start, self.sim.degree + delta))
        panel = self.param_panel
        if panel is not None:
            panel.propose("degree", new)
        else:
            self.sim.set_degree(new)
            self.refresh_view()

    def action_toggle_mode(self) -> None:
        new = MODES[(MODES.index(self.sim.mode) + 1) % len(MODES)]
        panel = self.param_panel
        if panel is not None:
            panel.propose("mode", new)
        else:
            self.apply_param("mode", new)
            self.refresh_view()

    def action_toggle_test(self) -> None:
        self.show_test = not self.show_test
        self.refresh_view()


def _speed_index(speed: float) -> int:
    return min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("overfitting").run()

"""activations — bending a line with an activation, and folding a plane with ReLU hinges.

Run alone: ``python -m screens.activations``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from algorithms.activations import (
    ACTIVATION_CYCLE,
    EXTENT,
    MAX_HINGES,
    SLOPE_LIMIT,
    TARGETS,
    ActivationLab,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "gelu": "GELU"}
XS = np.linspace(-3.0, 3.0, 241)
Y_LIMITS = (-2.0, 3.0)
BANDS = 10  # heat-map levels: the bands are the surface's contour lines
LINE_STEP = 0.25  # w and b keys
MOVE_STEP = 0.05  # arrow keys move a crease this far
TURN_STEP = 10.0  # degrees per , or .
SHAPE_COLOR = palette.CLASS_COLORS[1]  # orange: the activation's derivative
CREASE_COLOR = palette.blend(palette.MUTED, palette.NEUTRAL, 0.3)

HELP = """\
# Bending the line

**Left: one neuron's line, bent.** A neuron first computes a straight line, z = w·x + b. On its own
that is all it could ever draw, and stacking straight lines only gives another straight line. So the
neuron passes z through an **activation** f. Press **t** to switch the activation off and on: with
**ReLU** everything below zero snaps flat, as if the line were creased against a table edge at
x = −b/w (the vertical marker). **c** cycles through ReLU, leaky ReLU (a small slope instead of flat),
sigmoid and tanh (smooth S-curves that squash everything into a band) and GELU (a smooth ReLU used in
modern language models). The orange curve is the activation's slope f′(z): that slope is what
backpropagation multiplies the blame by, so where it is zero (ReLU's flat side) nothing is learned.

**Right: a plane folded by hinges.** Each hinge is one ReLU neuron with two inputs: flat on one side of
its crease line, rising on the other. The picture is their **sum**, drawn as a height map whose bands
are contour lines. One hinge is a single fold (**1**); two back to back make a valley (**2**); six in a
ring make a bowl with a flat bottom (**3**). This is literally a 2 → k → 1 ReLU network whose output
weights are all +1.

**Learn.** Press **space** (or **n** for one step) and gradient descent moves the hinges to match the
target (a round bowl by default; see the knobs). Three hinges give a triangular pit, twelve something
close to round. **v** shows the target itself.

**Keys.** c activation · t on/off (the crease) · w/s slope · e/d intercept ·
a add hinge · x delete the selected one · [ ] or g pick a hinge · arrows move it · , . rotate it ·
f flip it (the other side rises) · 1 2 3 fold, valley, bowl · v show the target · b undo.
With a mouse, click or drag on the plane to slide the selected crease there.
"""


class ActivationsScreen(SimulationScreen):
    """A line through an activation (LinePlot) and a sum of ReLU hinges (PixelCanvas)."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 26}
    TOPIC_ID = "activations"
    TITLE = "Bending the line"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 30
    STEP_NAME = "learning step"

    DEFAULT_CSS = """
    ActivationsScreen #act-main { width: 1fr; height: 1fr; }
    ActivationsScreen #act-top { height: 1fr; }
    ActivationsScreen #act-left, ActivationsScreen #act-right { width: 1fr; height: 1fr; }
    ActivationsScreen #act-plot { height: 1fr; }
    ActivationsScreen #act-canvas { height: 1fr; }
    ActivationsScreen .act-caption { height: 2; padding: 0 1; color: $text-muted; }
    ActivationsScreen #act-bottom { height: 9; }
    ActivationsScreen #act-bottom ParamPanel { width: 44; height: 9; max-height: 9; }
    ActivationsScreen #act-note { width: 1fr; height: auto; padding: 0 1; color: $text-muted; }
    ActivationsScreen.-narrow .act-caption { height: 3; }
    ActivationsScreen.-short .act-caption { height: 1; }
    ActivationsScreen.-short #act-note { display: none; }
    ActivationsScreen.-narrow #act-bottom ParamPanel { width: 1fr; }
    ActivationsScreen.-tiny #act-left { display: none; }
    """

    BINDINGS = [
        Binding("c", "next_activation", "Activation"),
        Binding("t", "toggle_applied", "Crease on/off"),
        Binding("w", "line('w', 1)", "Slope +", show=False),
        Binding("s", "line('w', -1)", "Slope −", show=False),
        Binding("e", "line('b', 1)", "Intercept +", show=False),
        Binding("d", "line('b', -1)", "Intercept −", show=False),
        Binding("a", "add_hinge", "Hinge +"),
        Binding("x", "remove_hinge", "Hinge −"),
        Binding("right_square_bracket,g", "select_hinge(1)", "Next hinge", key_display="]"),
        Binding("left_square_bracket", "select_hinge(-1)", "Previous hinge", show=False),
        Binding("up", "move(0, 1)", "Move hinge", show=False),
        Binding("down", "move(0, -1)", "Move hinge", show=False),
        Binding("left", "move(-1, 0)", "Move hinge", show=False),
        Binding("right", "move(1, 0)", "Move hinge", show=False),
        Binding("full_stop", "rotate(-1)", "Turn hinge ↻", show=False),
        Binding("comma", "rotate(1)", "Turn hinge ↺", show=False),
        Binding("f", "flip", "Flip hinge", show=False),
        Binding("1", "preset('fold')", "Fold", show=False),
        Binding("2", "preset('valley')", "Valley", show=False),
        Binding("3", "preset('bowl')", "Bowl", show=False),
        Binding("v", "toggle_target", "Target", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self.show_target = False
        self._curve_key: tuple | None = None
        self._hinges_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> ActivationLab:
        return ActivationLab(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("activation", "activation", sim.activation, "choice", choices=ACTIVATION_CYCLE, labels=NAMES),
            Param("applied", "activation on", sim.applied, "bool", help="off: the plain line"),
            Param("w", "slope w", sim.w, "float", lo=-SLOPE_LIMIT, hi=SLOPE_LIMIT, step=LINE_STEP, fmt="{:.2f}"),
            Param("b", "intercept b", sim.b, "float", lo=-SLOPE_LIMIT, hi=SLOPE_LIMIT, step=LINE_STEP, fmt="{:.2f}"),
            Param("hinges", "hinges", sim.n_hinges, "int", lo=1, hi=MAX_HINGES, step=1),
            Param("target", "learn towards", sim.target, "choice", choices=tuple(TARGETS)),
            Param("lr", "learning rate", sim.lr, "float", lo=1e-4, hi=1.0, factor=2.0, fmt="{:.3g}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        sim: ActivationLab = self.sim
        if name == "hinges":
            want = int(value)
            if not 1 <= want <= MAX_HINGES:
                raise ValueError(f"hinges must be between 1 and {MAX_HINGES}")
            while sim.n_hinges < want:
                sim.add_hinge()
            while sim.n_hinges > want:
                sim.remove_hinge()
            return
        setter = {
            "activation": sim.set_activation,
            "applied": sim.set_applied,
            "w": sim.set_w,
            "b": sim.set_b,
            "target": sim.set_target,
            "lr": sim.set_lr,
        }[name]
        setter(value)

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._curve_key = self._hinges_key = None

    def sim_step_back(self) -> bool:
        ok = super().sim_step_back()
        self._sync_knob("hinges", self.sim.n_hinges)
        return ok

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        with Vertical(id="act-main"):
            with Horizontal(id="act-top"):
                with Vertical(id="act-left"):
                    yield LinePlot(title="f(z),  z = w·x + b", x_label="x", min_interval=0.1, legend=False, id="act-plot")
                    yield Static("", id="act-line-caption", classes="act-caption")
                with Vertical(id="act-right"):
                    yield PixelCanvas(EXTENT, id="act-canvas")
                    yield Static("", id="act-hinge-caption", classes="act-caption")
            with Horizontal(id="act-bottom"):
                yield ParamPanel(title="knobs (p)")
                yield Static(
                    "c activation · t crease on/off · w/s slope · e/d intercept · a/x hinge ± · ] next · "
                    "arrows move · , . turn · f flip · 1 2 3 fold/valley/bowl · v target · space learn",
                    id="act-note",
                )

    def on_mount(self) -> None:
        self.query_one(PixelCanvas).set_palette(palette.sequential(BANDS))

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim: ActivationLab = self.sim
        self._draw_curve(sim)
        self._draw_hinges(sim)

    def _draw_curve(self, sim: ActivationLab) -> None:
        key = (sim.w, sim.b, sim.activation, sim.applied, self.app.no_color)
        if key == self._curve_key:
            return
        self._curve_key = key
        plot = self.query_one(LinePlot)
        z, a, slope = sim.curve(XS)
        plot.clear()
        name = NAMES[sim.activation]
        plot.set_series("z = w·x + b", XS, np.clip(z, -50, 50), color=palette.MUTED)
        if sim.applied:
            plot.set_series(f"{name}(z)", XS, a, color=palette.POSITIVE)
            plot.set_series(f"slope {name}′(z)", XS, slope, color=SHAPE_COLOR)
        plot.set_y_limits(*Y_LIMITS)
        crease = sim.crease_x
        if crease is not None and XS[0] <= crease <= XS[-1]:
            plot.set_marker_x(crease)
        where = "nowhere (w = 0)" if crease is None else f"x = {crease:+.2f}"
        if not sim.applied:
            text = "a straight line, no bend: press t to bend it"
        elif sim.activation in ("relu", "leaky_relu"):
            text = f"creased at {where}"
        else:
            text = f"a smooth bend centred at {where}"
        keys = [("line z", palette.MUTED)]
        if sim.applied:
            keys += [(f"{name}(z)", palette.POSITIVE), (f"slope {name}′", SHAPE_COLOR)]
        self.query_one("#act-line-caption", Static).update(self._key_text(keys, text), layout=False)

    def _draw_hinges(self, sim: ActivationLab) -> None:
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if not (width and height):
            return
        extent = canvas.extent
        key = (sim.model.params.tobytes(), sim.selected, sim.target, sim.steps, self.show_target, width, height, extent)
        if key == self._hinges_key:
            return
        self._hinges_key = key
        values = sim.target_grid(width, height, extent) if self.show_target else sim.grid_values(width, height, extent)
        finite = values[np.isfinite(values)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        canvas.set_heatmap(values, lo, hi if hi > lo else lo + 1.0)
        canvas.clear_ink()
        canvas.clear_labels()
        if not self.show_target:
            for i in range(sim.n_hinges):
                if i != sim.selected:
                    self._draw_crease(canvas, sim, i, CREASE_COLOR)
            self._draw_crease(canvas, sim, sim.selected, palette.HIGHLIGHT, arrow=True)
        label = f" target: {sim.target} " if self.show_target else f" {sim.n_hinges} hinges · hinge {sim.selected + 1} "
        canvas.set_cell_label(1, 0, label)
        caption = (
            f"Height = Σ of {sim.n_hinges} ReLU hinges (+ {sim.constant:.2f}); bands are contour lines, "
            f"bright = high. Fit to the {sim.target}: {sim.fit_error:.4f} after {sim.steps} steps."
        )
        self.query_one("#act-hinge-caption", Static).update(caption, layout=False)

    def _key_text(self, keys: list[tuple[str, tuple[int, int, int]]], text: str) -> Text:
        """A colour key for the plot's series (glyphs in monochrome, as the plot draws them)."""
        out = Text()
        mono = self.app.no_color
        for slot, (label, rgb) in enumerate(keys):
            mark = palette.class_glyph(slot) if mono else "━━"
            out.append(mark, style="" if mono else f"bold {palette.hex_color(rgb)}")
            out.append(f" {label}  ")
        out.append("· " + text)
        return out

    @staticmethod
    def _draw_crease(canvas: PixelCanvas, sim: ActivationLab, i: int, color: tuple[int, int, int], arrow: bool = False) -> None:
        segment = sim.crease_segment(i, canvas.extent)
        if segment is None:
            return
        canvas.add_line(*segment, color=color)
        if arrow:
            uphill = sim.uphill_arrow(i, canvas.extent)
            if uphill is not None:
                canvas.add_arrow(*uphill, color=color)

    def metrics(self) -> dict[str, str]:
        sim: ActivationLab = self.sim
        crease = sim.crease_x
        return {
            "f": NAMES[sim.activation] if sim.applied else "off",
            "z": f"{sim.w:.2f}·x{sim.b:+.2f}",
            "bend at": "—" if crease is None else f"x={crease:+.2f}",
            "hinges": str(sim.n_hinges),
            "fit": f"{sim.fit_error:.4f}",
            "steps": str(sim.steps),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys
    def _sync_knob(self, name: str, value: Any) -> None:
        panel = self.param_panel
        if panel is not None and self.is_mounted:
            panel.set_value(name, value)

    def _propose(self, name: str, value: Any) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose(name, value)
        else:  # pragma: no cover - every layout has the panel
            self.apply_param(name, value)
            self.refresh_view()

    def _current(self, name: str) -> Any:
        """A knob's value as last proposed (keys pressed quickly must build on each other, not on
        the simulation, which only sees a change once the panel's message is handled)."""
        panel = self.param_panel
        return panel.value(name) if panel is not None else getattr(self.sim, name)

    def action_next_activation(self) -> None:
        current = self._current("activation")
        i = ACTIVATION_CYCLE.index(current) if current in ACTIVATION_CYCLE else -1
        self._propose("activation", ACTIVATION_CYCLE[(i + 1) % len(ACTIVATION_CYCLE)])

    def action_toggle_applied(self) -> None:
        self._propose("applied", not self._current("applied"))

    def action_line(self, which: str, direction: int) -> None:
        new = round(max(-SLOPE_LIMIT, min(SLOPE_LIMIT, self._current(which) + direction * LINE_STEP)), 10)
        self._propose(which, new)

    def _edit(self, fn: Any, *args: Any) -> None:
        self.playing = False
        try:
            fn(*args)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=2)
            return
        self._sync_knob("hinges", self.sim.n_hinges)
        self.refresh_view()
        self.refresh_bindings()

    def action_add_hinge(self) -> None:
        self._edit(self.sim.add_hinge)

    def action_remove_hinge(self) -> None:
        self._edit(self.sim.remove_hinge)

    def action_select_hinge(self, delta: int) -> None:
        self.sim.select_next(delta)
        self.refresh_view()

    def action_move(self, dx: int, dy: int) -> None:
        self._edit(self.sim.move_selected, dx * MOVE_STEP, dy * MOVE_STEP)

    def action_rotate(self, direction: int) -> None:
        self._edit(self.sim.rotate_selected, direction * TURN_STEP)

    def action_flip(self) -> None:
        self._edit(self.sim.flip_selected)

    def action_preset(self, name: str) -> None:
        self._edit(self.sim.preset, name)

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        """Mouse bonus: click or drag on the plane to slide the selected crease there."""
        if event.drag and self.sim.can_step_back:
            self.sim.step_back()  # a drag is one edit, not one per mouse move
        self._edit(self.sim.place_selected, event.x, event.y)

    def action_toggle_target(self) -> None:
        self.show_target = not self.show_target
        self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("activations").run()

"""vectors — a 2×2 matrix warps the whole plane; follow one vector through it.

Run alone: ``python -m screens.vectors``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms import linalg2d as la
from algorithms.linalg2d import (
    ENTRY_LIMIT,
    ENTRY_NAMES,
    PRESETS,
    VECTOR_LIMIT,
    PlaneTransform,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-5.5, 5.5, -5.5, 5.5)
GRID_HALF = 14  # grid lines x = -14 … 14 (enough to cover the view after most matrices)
MOVE = 0.5  # one arrow key moves v this far
PRESET_KEYS = ("rotate 90°", "shear", "scale", "reflect", "singular")
PRESET_CHOICES = (*PRESETS, "custom")

GRID_RGB = palette.blend(palette.NEUTRAL, palette.CLASS_COLORS[0], 0.3)
AXIS_RGB = palette.CLASS_COLORS[0]
OLD_AXIS_RGB = palette.blend(palette.NEUTRAL, palette.MUTED, 0.7)
I_RGB = palette.CLASS_COLORS[2]  # green: where e₁ = (1, 0) goes (M's first column)
J_RGB = palette.CLASS_COLORS[3]  # pink: where e₂ = (0, 1) goes (M's second column)
V_RGB = (200, 200, 200)
MV_RGB = palette.CLASS_COLORS[1]  # orange: M·v
LINE_RGB = palette.CLASS_COLORS[4]  # yellow: the line a singular matrix squashes everything onto
# the unit square's image: cyan while orientation is kept (det > 0), pink once the plane is flipped
AREA_PALETTES = {
    1: palette.ramp((palette.NEUTRAL, palette.blend(palette.NEUTRAL, palette.POSITIVE, 0.4)), 2),
    -1: palette.ramp((palette.NEUTRAL, palette.blend(palette.NEUTRAL, palette.NEGATIVE, 0.4)), 2),
}

HELP = """\
# Vectors and matrices

A **vector** is an arrow from the origin: v = (x, y). A **2×2 matrix** M = [[a, b], [c, d]] is a
machine that moves every arrow of the plane at once:

    M·v = (a·x + b·y,  c·x + d·y)

Its two columns tell the whole story: (a, c) is where the arrow (1, 0) lands (green **î**), and
(b, d) is where (0, 1) lands (pink **ĵ**). Every other arrow is a mix of those two, so the whole
grid follows them: straight lines stay straight, parallel lines stay parallel, the origin stays put.

**The determinant** det M = ad − bc is how much M scales areas: the shaded square (the unit square
after M) has area |det M|. A negative det means the plane was flipped over, like a mirror image
(the square turns pink). **det = 0** means M is *singular*: it squashes the whole plane onto a line
(or a single point). Information is lost — many arrows land on the same spot — so no matrix can
undo it.

**Why this matters.** A layer of a neural network is exactly this: a matrix times a vector (plus a
shift), in many more dimensions. Training tunes the entries.

**Try this.**
* **t** plays the morph from the identity to M; **n** and **b** go one frame at a time.
* **1**–**5** pick a preset: rotate 90°, shear, scale, reflect, singular (**0**: identity);
  **m** steps through them.
* Move v with the **arrow keys** (or click) and watch M·v follow.
* Type your own entries: **e** jumps to the knobs (enter types an exact number).
* Make det 0 by hand: a = 1, b = 2, c = 2, d = 4.

**Keys.** arrows move v · t animate · f jump to M · 0–5 or m presets · e edit entries · p knobs.
"""


def _num(value: float) -> str:
    """A short number: 2 decimals, no "-0.00"."""
    if not math.isfinite(value):
        return "—"
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _vec(v: np.ndarray) -> str:
    return f"({_num(float(v[0]))}, {_num(float(v[1]))})"


class VectorsScreen(SimulationScreen):
    """The plane warped by M (grid, basis arrows, unit square), v and M·v, and the numbers beside."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60}
    TOPIC_ID = "vectors"
    TITLE = "Vectors and matrices"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = True
    DEFAULT_SPEED = 20
    STEP_NAME = "frame"

    DEFAULT_CSS = """
    VectorsScreen #vectors-canvas { width: 1fr; height: 1fr; }
    VectorsScreen #vectors-side { width: 42; height: 1fr; }
    VectorsScreen.-narrow #vectors-side { width: 34; }
    VectorsScreen #vectors-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    VectorsScreen.-tiny #vectors-side { display: none; }
    """

    BINDINGS = [
        Binding("up", "move(0, 1)", "Move v", show=False),
        Binding("down", "move(0, -1)", "Move v", show=False),
        Binding("left", "move(-1, 0)", "Move v", show=False),
        Binding("right", "move(1, 0)", "Move v", key_display="←↑→↓"),
        Binding("t", "animate", "Animate I→M"),
        Binding("f", "finish", "Jump to M", show=False),
        Binding("e", "edit_entries", "Edit M"),
        Binding("m", "next_preset", "Next preset"),
        Binding("1", "preset(0)", "Preset: rotate 90°", show=False),
        Binding("2", "preset(1)", "Preset: shear", show=False),
        Binding("3", "preset(2)", "Preset: scale", show=False),
        Binding("4", "preset(3)", "Preset: reflect", show=False),
        Binding("5", "preset(4)", "Preset: singular", show=False),
        Binding("0", "identity", "Preset: identity", show=False),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._area_sign = 0  # which palette the canvas has (a new palette redraws every cell)
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    def make_simulation(self, seed: int) -> PlaneTransform:
        return PlaneTransform("shear", vector=(1.0, 2.0), frames=30, seed=seed)

    # ------------------------------------------------------------------ knobs
    def params(self) -> list[Param]:
        sim = self.sim
        entry = {"kind": "float", "lo": -ENTRY_LIMIT, "hi": ENTRY_LIMIT, "step": 0.5, "fmt": "{:g}", "group": "matrix M"}
        vec = {"kind": "float", "lo": -VECTOR_LIMIT, "hi": VECTOR_LIMIT, "step": MOVE, "fmt": "{:g}", "group": "vector v"}
        return [
            Param("preset", "preset", sim.preset_name, "choice", choices=PRESET_CHOICES, group="matrix M",
                  help="a ready-made matrix"),
            Param("a", "a (top left)", sim.entry("a"), help="x' = a·x + b·y", **entry),
            Param("b", "b (top right)", sim.entry("b"), **entry),
            Param("c", "c (bottom left)", sim.entry("c"), help="y' = c·x + d·y", **entry),
            Param("d", "d (bottom right)", sim.entry("d"), **entry),
            Param("x", "x", float(sim.vector[0]), **vec),
            Param("y", "y", float(sim.vector[1]), **vec),
            Param("frames", "animation frames", sim.frames, "int", lo=2, hi=120, step=5, group="animation"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        sim = self.sim
        if name == "preset":
            if value != "custom":
                sim.set_preset(value)
                self._sync_knobs()
            return
        if name in ENTRY_NAMES:
            sim.set_entry(name, value)
        elif name == "x":
            sim.set_vector((value, sim.vector[1]))
        elif name == "y":
            sim.set_vector((sim.vector[0], value))
        elif name == "frames":
            sim.set_frames(value)
        else:
            raise ValueError(f"unknown knob {name!r}")
        self._sync_knobs()

    def _sync_knobs(self) -> None:
        """Show the simulation's entries, vector and preset name on the knobs (posts nothing)."""
        panel = self.param_panel if self.is_mounted else None
        if panel is None:
            return
        sim = self.sim
        for name in ENTRY_NAMES:
            if panel.value(name) != sim.entry(name):
                panel.set_value(name, sim.entry(name))
        for name, value in zip("xy", sim.vector):
            if panel.value(name) != float(value):
                panel.set_value(name, float(value))
        if panel.value("preset") != sim.preset_name:
            panel.set_value("preset", sim.preset_name)

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self.sim.restart()  # r replays the morph from the identity, with the knobs' matrix

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="vectors-canvas")
        with Vertical(id="vectors-side"):
            card = Static(id="vectors-card")
            card.border_title = "M, v and det"
            yield card
            yield ParamPanel(title="knobs (p · e)")

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        m = sim.current
        if width and height:
            xs, ys = canvas.pixel_centers()
            sign = -1 if la.det(m) < 0 else 1
            if sign != self._area_sign:
                self._area_sign = sign
                canvas.set_palette(AREA_PALETTES[sign])
            canvas.set_heatmap(la.unit_square_mask(m, xs, ys).astype(float))
            self._draw_scene(canvas, m)
        self.query_one("#vectors-card", Static).update(self._card())

    def _draw_scene(self, canvas: PixelCanvas, m: np.ndarray) -> None:
        sim = self.sim
        canvas.clear_ink()
        canvas.clear_labels()
        xmin, xmax, ymin, ymax = canvas.extent
        canvas.add_line(xmin, 0.0, xmax, 0.0, OLD_AXIS_RGB)  # the untouched axes, for reference
        canvas.add_line(0.0, ymin, 0.0, ymax, OLD_AXIS_RGB)
        segments = la.grid_segments(m, GRID_HALF)
        n = 2 * GRID_HALF + 1
        axes = (GRID_HALF, n + GRID_HALF)  # the images of the two axes
        others = np.delete(segments, axes, axis=0)
        # all grid lines in one call: the end points of each line, then a NaN to lift the pen
        pen = np.concatenate((others, np.full((len(others), 1, 2), np.nan)), axis=1).reshape(-1, 2)
        canvas.add_polyline(pen[:, 0], pen[:, 1], GRID_RGB)
        for i in axes:
            (x0, y0), (x1, y1) = segments[i]
            canvas.add_line(x0, y0, x1, y1, LINE_RGB if sim.singular and sim.at_end else AXIS_RGB)
        i_hat, j_hat = m[:, 0], m[:, 1]
        self._arrow(canvas, i_hat, I_RGB, "î")
        self._arrow(canvas, j_hat, J_RGB, "ĵ")
        v = sim.vector
        self._arrow(canvas, v, V_RGB, "v")
        image = sim.image
        self._arrow(canvas, image, MV_RGB, "Mv" if sim.at_end else "M(t)v")
        cols, rows = canvas.size
        canvas.set_cell_label(0, 0, f" t = {sim.t:.2f} ")
        if sim.singular and sim.at_end:
            canvas.set_cell_label(0, max(rows - 1, 0), " det 0: the plane is squashed onto a line "[: max(cols, 0)], LINE_RGB)

    def _arrow(self, canvas: PixelCanvas, head: np.ndarray, color: tuple[int, int, int], label: str) -> None:
        x, y = float(head[0]), float(head[1])
        if math.hypot(x, y) < 1e-9:
            canvas.set_label(0.0, 0.0, "·" + label, color)
            return
        canvas.add_arrow(0.0, 0.0, x, y, color)
        col, row = canvas.data_to_cell(x, y)
        cols, rows = canvas.size
        if 0 <= col < cols and 0 <= row < rows:
            # the label beside the head, on the side away from the origin
            side = 1 if x >= 0 else -len(label)
            canvas.set_cell_label(max(0, min(cols - len(label), col + side)), row, label, color)
        else:  # off the canvas: the label waits at the edge where the arrow leaves
            c = max(0, min(cols - len(label) - 1, col))
            r = max(0, min(rows - 1, row))
            canvas.set_cell_label(c, r, label + "…", color)

    def _card(self) -> Text:
        sim = self.sim
        m = sim.matrix
        (a, b), (c, d) = m
        v = sim.vector
        text = Text()
        width = max(len(_num(val)) for val in (a, b, c, d))
        text.append("M = ⎡", style="bold")
        text.append(f"{_num(a):>{width}}", style=palette.hex_color(I_RGB))
        text.append("  ")
        text.append(f"{_num(b):>{width}}", style=palette.hex_color(J_RGB))
        text.append("⎤  ", style="bold")
        text.append(f"{sim.kind}\n", style="italic")
        text.append("    ⎣", style="bold")
        text.append(f"{_num(c):>{width}}", style=palette.hex_color(I_RGB))
        text.append("  ")
        text.append(f"{_num(d):>{width}}", style=palette.hex_color(J_RGB))
        text.append("⎦\n", style="bold")
        text.append("v   = ")
        text.append(_vec(v) + "\n", style=palette.hex_color(V_RGB))
        text.append("M·v = ")
        text.append(f"({_num(a)}·{_num(v[0])} + {_num(b)}·{_num(v[1])},\n", style="dim")
        text.append(f"       {_num(c)}·{_num(v[0])} + {_num(d)}·{_num(v[1])})\n", style="dim")
        text.append("    = ")
        text.append(_vec(sim.target_image) + "\n", style=f"bold {palette.hex_color(MV_RGB)}")
        det = sim.det
        text.append("det M = ad − bc = ")
        text.append(f"{_num(det)}\n", style="bold")
        collapse = sim.collapse
        if collapse is not None:
            text.append("Singular! ", style="bold red")
            if collapse.image == "point":
                text.append("M sends every vector to 0: the whole plane becomes one point.")
            else:
                text.append(f"M squashes the plane onto the line along {_vec(collapse.direction)}; "
                            f"everything along {_vec(collapse.kernel)} lands on 0. "
                            "Areas become 0 and nothing can undo M.")
        elif det < 0:
            text.append(f"areas ×{_num(abs(det))}, and the plane is flipped over (mirror image).")
        else:
            text.append(f"areas ×{_num(det)}; orientation kept.")
        if not sim.at_end:
            text.append(f"\nmorphing: t = {sim.t:.2f} (frame {sim.frame}/{sim.frames}), "
                        f"det M(t) = {_num(sim.current_det)}", style="italic")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        return {
            "t": f"{sim.t:.2f}",
            "M": sim.preset_name,
            "det": _num(sim.det),
            "v": _vec(sim.vector),
            "M·v": _vec(sim.target_image),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(PixelCanvas).flush()

    def sim_step(self) -> None:
        self.sim.step()
        if self.sim.at_end and self.playing:
            self.playing = False  # the morph is done: stop here (space plays it again)

    # ------------------------------------------------------------------ keys
    def action_play(self) -> None:
        if self.sim.at_end:
            self.sim.restart()  # playing a finished morph plays it again
        super().action_play()

    def action_animate(self) -> None:
        self.sim.restart()
        self.refresh_view()
        self.playing = True

    def action_finish(self) -> None:
        self.playing = False
        self.sim.finish()
        self.refresh_view()

    def action_move(self, dx: int, dy: int) -> None:
        self.sim.move_vector(dx * MOVE, dy * MOVE)
        self._sync_knobs()
        self.refresh_view()

    def action_preset(self, index: int) -> None:
        self._choose(PRESET_KEYS[index])

    def action_next_preset(self) -> None:
        names = list(PRESETS)
        current = self.sim.preset_name
        index = names.index(current) + 1 if current in names else 0
        self._choose(names[index % len(names)])

    def action_identity(self) -> None:
        self._choose("identity")

    def _choose(self, name: str) -> None:
        panel = self.param_panel
        if panel is not None and panel.value("preset") != name:
            panel.propose("preset", name)
        else:
            self.sim.set_preset(name)
            self._sync_knobs()
        self.playing = True

    def action_edit_entries(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.select("a")
            panel.focus()

    def on_pixel_canvas_clicked(self, event: PixelCanvas.Clicked) -> None:
        x = round(max(-VECTOR_LIMIT, min(VECTOR_LIMIT, event.x)) * 4) / 4
        y = round(max(-VECTOR_LIMIT, min(VECTOR_LIMIT, event.y)) * 4) / 4
        self.sim.set_vector((x, y))
        self._sync_knobs()
        self.refresh_view()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("vectors").run()

"""kmeans — finding groups without labels: assign, move, repeat until nothing moves.

Run alone: ``python -m screens.kmeans``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.clustering import INITS, MAX_K, KMeans
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.bar_chart import BarChart
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.25, 1.25, -1.25, 1.25)
CENTRE = "⊕"
UNASSIGNED = "·"
_angles = np.linspace(0.0, 2.0 * np.pi, 33)
RING = 0.075 * np.column_stack((np.cos(_angles), np.sin(_angles)))  # drawn around each centre
PHASE_TEXT = {
    None: "START — K centres dropped; no point belongs anywhere yet",
    "assign": "① ASSIGN — every point joins its nearest centre",
    "move": "② MOVE — every centre jumps to the mean of its points",
}


@lru_cache(maxsize=MAX_K + 1)
def region_palette(k: int) -> np.ndarray:
    """One faint colour per cluster for the regions of the plane each centre owns (level c is
    cluster c), padded to 2·k levels so that monochrome shading stays light under the glyphs."""
    colors = [palette.blend(palette.NEUTRAL, palette.class_color(c), 0.28) for c in range(k)]
    colors += [palette.NEUTRAL] * (2 * max(k, 2) - k)
    out = np.array(colors, dtype=np.uint8)
    out.setflags(write=False)
    return out


HELP = """\
# Finding groups without labels

The dots have no labels. **k-means** looks for K groups by repeating two moves:

1. **Assign** — every point joins the centre (⊕) nearest to it and takes its colour.
2. **Move** — every centre jumps to the mean (the centre of mass) of the points that joined it;
   the arrows show how far.

Each **n** does one of the two, and the screen says which. The shading shows which centre owns each
part of the plane: after a move the regions shift while the dots keep their old colours, and the
next assignment recolours the dots caught on the wrong side.

**Inertia** — the sum of squared distances from each point to its centre — is plotted after every
half-step. Neither half can raise it: the assignment picks the nearest centre, the move picks the
point that minimises squared distance for its group. So it only falls, and it stops falling when an
assignment changes nothing: the run has converged.

**Starts.** *random* takes K distinct data points; *k-means++* spreads them out, drawing each next
centre with probability proportional to its squared distance from the centres chosen so far.
Different starts can end in different groupings — press **s** for another start and compare the
final inertia.

**Keys.** **n** half-step, **b** back, **a** run to the end, **k**/**K** change K (1–8),
**i** switch the start method, **s** new start. Knobs (**p**): K, start, true groups, spread, points.
"""


class KMeansScreen(SimulationScreen):
    """Points coloured by cluster, centres marked, one assign or move per step, inertia curve."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 36}
    TOPIC_ID = "kmeans"
    TITLE = "Finding groups without labels"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 2
    STEP_NAME = "half-step"

    DEFAULT_CSS = """
    KMeansScreen #km-canvas { width: 1fr; height: 1fr; }
    KMeansScreen #km-side { width: 44; height: 1fr; }
    KMeansScreen.-narrow #km-side { width: 36; }
    KMeansScreen #km-card {
        height: auto; padding: 0 1; border: round $primary 50%; border-title-color: $text;
    }
    KMeansScreen #km-inertia { height: 1fr; min-height: 6; max-height: 16; }
    KMeansScreen #km-sizes { height: auto; max-height: 10; border: round $primary 30%; border-title-color: $text; }
    KMeansScreen.-short #km-sizes { display: none; }
    KMeansScreen.-tiny #km-side { display: none; }
    """

    BINDINGS = [
        Binding("a", "run", "Run to end"),
        Binding("k", "change_k(1)", "K+"),
        Binding("K", "change_k(-1)", "K−", show=False),
        Binding("i", "toggle_init", "Start method", show=False),
        Binding("s", "new_start", "New start"),
    ]

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> KMeans:
        return KMeans(seed=seed)

    def sim_step(self) -> None:
        if not self.sim.step():
            self.playing = False

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("k", "K clusters (k)", sim.k, "int", lo=1, hi=MAX_K, step=1),
            Param("init", "start (i)", sim.init, "choice", choices=INITS),
            Param("groups", "true groups", sim.groups, "int", lo=1, hi=MAX_K, step=1,
                  help="how many clouds the points come from"),
            Param("spread", "spread", sim.spread, "float", lo=0.05, hi=0.6, step=0.05, fmt="{:.2f}"),
            Param("n_points", "points", sim.n_points, "int", lo=20, hi=500, step=20),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "k": self.sim.set_k,
            "init": self.sim.set_init,
            "groups": self.sim.set_groups,
            "spread": self.sim.set_spread,
            "n_points": self.sim.set_n_points,
        }[name]
        setter(value)

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="km-canvas")
        with Vertical(id="km-side"):
            card = Static(id="km-card")
            card.border_title = "this step"
            yield card
            yield LinePlot(title="inertia after each half-step", x_label="half-step", min_interval=0.2,
                           legend=False, id="km-inertia")
            sizes = BarChart(id="km-sizes")
            sizes.border_title = "points per cluster"
            yield sizes
            yield ParamPanel(title="knobs (p)")

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        w, h = canvas.pixel_size
        if w and h:
            self._draw_plane(canvas)
        self.query_one("#km-card", Static).update(self._card())
        plot = self.query_one(LinePlot)
        plot.set_series("inertia", sim.inertia_steps, sim.inertia_history, color=palette.CLASS_COLORS[1])
        sizes = sim.sizes
        labels = [f"{palette.class_glyph(c)} {c + 1}" for c in range(sim.k)]
        colors = [palette.class_color(c) for c in range(sim.k)]
        self.query_one(BarChart).set_data(labels, sizes.astype(float), colors=colors, fmt="{:.0f}")

    def _draw_plane(self, canvas: PixelCanvas) -> None:
        sim = self.sim
        w, h = canvas.pixel_size
        k = sim.k
        regions = region_palette(k)
        canvas.set_palette(regions)
        canvas.set_heatmap(sim.grid_regions(w, h, canvas.extent).astype(float), 0.0, float(len(regions)))
        canvas.clear_ink()
        canvas.clear_labels()
        if sim.labels is None:
            canvas.set_points(np.empty((0, 2)), np.empty(0))
            for x, y in sim.X:
                canvas.set_label(float(x), float(y), UNASSIGNED, palette.MUTED)
        else:
            canvas.set_points(sim.X, sim.labels, highlight=sim.changed)
        previous = sim.previous_centroids
        if previous is not None:  # the moves, where they are long enough to see
            for (x0, y0), (x1, y1) in zip(previous, sim.centroids):
                if canvas.data_to_cell(x0, y0) != canvas.data_to_cell(x1, y1):
                    canvas.add_arrow(float(x0), float(y0), float(x1), float(y1), color=palette.HIGHLIGHT)
        for c, (x, y) in enumerate(sim.centroids):
            canvas.add_polyline(x + RING[:, 0], y + RING[:, 1], color=palette.class_color(c))
            canvas.set_label(float(x), float(y), CENTRE, palette.HIGHLIGHT)
        cols, _ = canvas.size
        canvas.set_cell_label(0, 0, f" {PHASE_TEXT[sim.last_phase]} "[:cols])

    def _card(self) -> Text:
        sim = self.sim
        text = Text()
        done = sim.last_phase
        text.append(f"round {sim.rounds} · half-step {sim.t}\n", style="bold")
        if done is None:
            text.append(f"{sim.k} centres placed by {sim.init}\n")
        elif done == "assign":
            text.append(f"assigned: {sim.n_changed} points switched\n")
        else:
            text.append(f"moved: the farthest by {sim.shift:.3f}\n")
        value = sim.inertia
        text.append("inertia ", style="bold")
        text.append("—" if value is None else f"{value:.4f}", style=f"bold {palette.hex_color(palette.CLASS_COLORS[1])}")
        text.append("\n")
        if sim.converged:
            text.append("✔ converged: nothing moves any more", style="bold green")
        else:
            text.append(f"next: {sim.phase}", style="italic")
        return text

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        value = sim.inertia
        return {
            "K": str(sim.k),
            "round": str(sim.rounds),
            "next": "—" if sim.converged else sim.phase,
            "inertia": "—" if value is None else f"{value:.3f}",
            "start": f"{sim.init} #{sim.draw + 1}",
            "state": "converged" if sim.converged else "running",
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ keys
    def action_run(self) -> None:
        self.playing = False
        self.steps_done += self.sim.run()
        self.refresh_view()
        self.refresh_bindings()

    def action_change_k(self, delta: int) -> None:
        new = self.sim.k + delta
        if not 1 <= new <= MAX_K:
            self.notify(f"K goes from 1 to {MAX_K}.", severity="warning", timeout=2)
            return
        panel = self.param_panel
        if panel is not None:
            panel.propose("k", new)

    def action_toggle_init(self) -> None:
        panel = self.param_panel
        if panel is not None:
            panel.propose("init", INITS[(INITS.index(self.sim.init) + 1) % len(INITS)])

    def action_new_start(self) -> None:
        self.playing = False
        self.sim.new_start()
        self.steps_done = 0
        self.refresh_view()
        self.refresh_bindings()


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("kmeans").run()

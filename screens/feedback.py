"""feedback — one neuron taught three ways: by labels, by your ratings, or by a computed score.

Run alone: ``python -m screens.feedback``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from algorithms.feedback import (
    ACTION_LABELS,
    ACTIONS,
    MODE_NAMES,
    MODES,
    PARAM_NAMES,
    POLICIES,
    RATINGS,
    FeedbackTraining,
)
from tui import palette
from tui.simulation import SimulationScreen
from tui.widgets.interval_chart import IntervalChart
from tui.widgets.line_plot import LinePlot
from tui.widgets.param_panel import Param, ParamPanel
from tui.widgets.pixel_canvas import PixelCanvas

EXTENT = (-1.05, 1.05, -1.05, 1.05)
RATING_KEYS = " · ".join(f"{k} {name}" for k, (name, _) in RATINGS.items())

HELP = f"""\
# Labels versus feedback

The dots are labelled: **blue ●** or **orange ▲**, split by a hidden straight line (drawn grey).
One sigmoid neuron, `p = σ(w₁x₁ + w₂x₂ + b)`, must find that line. The background shows what it
predicts everywhere (the deeper the colour, the surer it is); its own line is white, and dots it
gets wrong are drawn **bold**. It starts from a poor guess that gets most dots wrong.

It can be taught in three ways (**m** switches; the separator stays where it is):

1. **Supervised.** Every step (**n**, or play) is one gradient step on the labelled loss (the mean
   binary cross-entropy): the labels say exactly which way every weight should move.
2. **Human feedback.** A learner that never sees the labels or the gradient tries one change —
   w₁, w₂ or b up or down by δ — and you judge the new separator with a key:
   **{RATING_KEYS}**. Ratings of "worse" take the change back. The learner is **Thompson
   sampling**: for each of the six changes it keeps a belief (a normal posterior) about the rating
   that change earns, drawn on the right as the mean ● with a 95 % interval ├─┤; the × is the value
   it drew this time, and it tries the change with the largest draw. **n** skips a change unrated.
3. **Auto-scored.** The same learner, but the rating is computed from the labelled loss: how much
   the change lowered it becomes the *applied reinforcement score* (more than 5 % lower: much
   better; lower: better; up to 5 % higher: worse; more: much worse). Press **n** or play.

**What to watch.** From the same start (**r**), supervised learning passes 95 % accuracy in a
handful of steps; the auto-scored learner needs several times as many, and you, rating by eye,
more still. A reward says *how good*, never *which way*: the learner has to find out by trying. Rate
one change "much better" again and again and watch its belief climb.

**Knobs** (**p**): mode, the supervised learning rate, δ (the size of each change), the learner's
memory (how much an old rating still counts when a new one arrives: ratings that were good for an
old separator fade), whether worse changes are taken back, and how the learner picks its next change —
by Thompson sampling or blindly at random (compare how many iterations each needs in auto mode).
"""


class FeedbackScreen(SimulationScreen):
    """Labelled dots, a neuron's separator, and three teachers: gradient, you, or a computed score."""

    SIZE_CLASSES = {"narrow": 110, "tiny": 60, "short": 34}
    TOPIC_ID = "feedback"
    TITLE = "Labels versus feedback"
    HELP = HELP
    HAS_HISTORY = True
    AUTOPLAY = False
    DEFAULT_SPEED = 5
    STEP_NAME = "iteration"

    DEFAULT_CSS = """
    FeedbackScreen #fb-canvas { width: 1fr; height: 1fr; }
    FeedbackScreen #fb-side { width: 46; height: 1fr; }
    FeedbackScreen.-narrow #fb-side { width: 38; }
    FeedbackScreen #fb-status { height: auto; padding: 0 1; }
    FeedbackScreen #fb-posterior { height: auto; padding: 0 1; margin-top: 1; }
    FeedbackScreen #fb-accuracy { height: 1fr; min-height: 6; }
    FeedbackScreen.-short #fb-accuracy { display: none; }
    FeedbackScreen.-short #fb-posterior { margin-top: 0; }
    FeedbackScreen.-tiny #fb-side { display: none; }
    """

    BINDINGS = [
        Binding("1", "rate(1)", "Much worse"),
        Binding("2", "rate(2)", "Worse"),
        Binding("3", "rate(3)", "Better"),
        Binding("4", "rate(4)", "Much better"),
        Binding("m", "cycle_mode", "Mode"),
    ]

    def __init__(self, seed: int | None = None, autoplay: bool | None = None, options: dict | None = None) -> None:
        self._points_key: tuple | None = None
        super().__init__(seed=seed, autoplay=autoplay, options=options)

    # ------------------------------------------------------------------ simulation
    def make_simulation(self, seed: int) -> FeedbackTraining:
        return FeedbackTraining(seed=seed)

    def params(self) -> list[Param]:
        sim = self.sim
        return [
            Param("mode", "mode", sim.mode, "choice", choices=MODES, labels={"human": "human", "auto": "auto"},
                  help="who teaches: labels, you, or a computed score"),
            Param("lr", "learning rate", sim.lr, "float", lo=0.01, hi=50.0, factor=2.0, fmt="{:.3g}",
                  help="size of each supervised gradient step"),
            Param("step_size", "change size δ", sim.step_size, "float", lo=0.05, hi=1.0, step=0.05, fmt="{:.2f}",
                  help="how far the learner moves w₁, w₂ or b per change"),
            Param("discount", "learner memory", sim.discount, "float", lo=0.5, hi=1.0, step=0.05, fmt="{:.2f}",
                  help="weight an old rating keeps when a new one arrives"),
            Param("take_back", "undo worse changes", sim.take_back, "bool"),
            Param("policy", "learner picks", sim.policy, "choice", choices=POLICIES,
                  labels={"thompson": "Thompson", "random": "random"},
                  help="Thompson sampling from its beliefs, or blind chance for comparison"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        setter = {
            "mode": self.sim.set_mode,
            "lr": self.sim.set_lr,
            "step_size": self.sim.set_step_size,
            "discount": self.sim.set_discount,
            "take_back": self.sim.set_take_back,
            "policy": self.sim.set_policy,
        }[name]
        setter(value)
        if name == "mode" and value == "human":
            self.playing = False

    def reset_simulation(self, seed: int) -> None:
        super().reset_simulation(seed)
        self._points_key = None

    # ------------------------------------------------------------------ layout
    def compose_main(self) -> ComposeResult:
        yield PixelCanvas(EXTENT, id="fb-canvas")
        with Vertical(id="fb-side"):
            yield Static(id="fb-status")
            yield IntervalChart(id="fb-posterior")
            yield LinePlot(title="accuracy per iteration", x_label="iteration", min_interval=0.3, id="fb-accuracy")
            yield ParamPanel(title="knobs (p)")

    def on_mount(self) -> None:
        self.query_one(PixelCanvas).set_palette(palette.diverging())

    def layout_changed(self) -> None:
        self._points_key = None

    # ------------------------------------------------------------------ drawing
    def update_view(self) -> None:
        sim = self.sim
        panel = self.param_panel
        if panel is not None and panel.value("mode") != sim.mode:  # step back may return to another mode
            panel.set_value("mode", sim.mode)
        self._draw_canvas()
        self.query_one("#fb-status", Static).update(self._status_text())
        self._draw_posterior()
        plot = self.query_one(LinePlot)
        history = sim.accuracy_history
        plot.set_series("accuracy", range(len(history)), 100 * history, color=palette.CLASS_COLORS[2])
        plot.set_y_limits(0, 100)

    def _draw_canvas(self) -> None:
        sim = self.sim
        canvas = self.query_one(PixelCanvas)
        width, height = canvas.pixel_size
        if not (width and height):
            return
        extent = canvas.extent
        canvas.set_heatmap(sim.grid_probabilities(width, height, extent))
        wrong = sim.predictions != sim.y
        key = (canvas.extent, width, height, wrong.tobytes())
        if key != self._points_key:
            self._points_key = key
            canvas.set_points(sim.X, sim.y, highlight=wrong)
        canvas.clear_ink()
        true_line = sim.separator_segment(extent, "true")
        if true_line is not None:
            canvas.add_line(*true_line, color=palette.MUTED)
        line = sim.separator_segment(extent)
        if line is not None:
            canvas.add_line(*line, color=palette.HIGHLIGHT)
        canvas.clear_labels()
        canvas.set_cell_label(1, 0, f" iteration {sim.iteration}  accuracy {sim.accuracy:.0%} ")

    def _status_text(self) -> Text:
        sim = self.sim
        text = Text()
        text.append(f"{MODES.index(sim.mode) + 1}. {MODE_NAMES[sim.mode]}", "bold")
        text.append("   m: next mode\n", "dim")
        if sim.mode == "supervised":
            g = sim.gradient
            text.append("n: one gradient step  w ← w − lr·∇L\n")
            text.append("∇L = ", "dim")
            text.append("(" + ", ".join(f"{v:+.3f}" for v in g) + ")")
            text.append(f"   loss {sim.loss:.3f}", "dim")
        else:
            action = sim.pending
            if action is not None:
                index, sign = ACTIONS[action]
                text.append("trying: ", "dim")
                text.append(f"{PARAM_NAMES[index]} {sign * sim.step_size:+.2f}", "bold")
                text.append("  (the white line)\n", "dim")
            if sim.mode == "human":
                text.append("rate it: " + RATING_KEYS + "  (n skips)")
            else:
                score = sim.pending_score
                before, after = sim.loss_history[-1], sim.loss
                text.append("applied reinforcement score: ", "dim")
                if score is not None:
                    name, reward = RATINGS[score]
                    text.append(f"{reward:+.0f} {name}", "bold")
                text.append(f"\nloss {before:.3f} → {after:.3f}   n applies it", "dim")
        last = sim.last
        if last is not None and last["action"] is not None:
            index, sign = ACTIONS[last["action"]]
            change = f"{PARAM_NAMES[index]} {'+' if sign > 0 else '−'}"
            verdict = "skipped" if last["rating"] is None else RATINGS[last["rating"]][0]
            text.append(f"\nlast: {change} {verdict} → {'kept' if last['kept'] else 'taken back'}", "dim")
        return text

    def _draw_posterior(self) -> None:
        sim = self.sim
        chart = self.query_one(IntervalChart)
        lows, highs = sim.posterior_interval
        draws = sim.learner.last_draws
        chart.title = "" if self.has_class("-short") else "learner's belief: rating per change"
        chart.set_data(
            ACTION_LABELS, sim.posterior_mean, lows, highs,
            marks=draws, highlight=sim.pending, vmin=-2.5, vmax=2.5,
        )

    def metrics(self) -> dict[str, str]:
        sim = self.sim
        reached = sim.reached_target_at
        return {
            "mode": sim.mode,
            "iteration": str(sim.iteration),
            "accuracy": f"{sim.accuracy:.1%}",
            "loss": f"{sim.loss:.3f}",
            "95 % at": "—" if reached is None else str(reached),
        }

    def prepare_shot(self) -> None:
        self.refresh_view()
        self.query_one(LinePlot).flush()
        self.query_one(PixelCanvas).flush()

    # ------------------------------------------------------------------ actions
    def action_play(self) -> None:
        if self.sim.mode == "human":
            self.notify(f"In human-feedback mode you are the teacher: rate with {RATING_KEYS}.", timeout=3)
            return
        super().action_play()

    def action_rate(self, rating: int) -> None:
        if self.sim.mode != "human":
            self.notify("Ratings teach the learner in human-feedback mode: press m to switch to it.",
                        severity="warning", timeout=3)
            return
        if self.diverged:
            return
        self.sim.rate(rating)
        self.steps_done += 1
        self.refresh_view()
        self.refresh_bindings()

    def action_cycle_mode(self) -> None:
        new = MODES[(MODES.index(self.sim.mode) + 1) % len(MODES)]
        self.apply_param("mode", new)  # at once, so that keys typed right after see the new mode
        panel = self.param_panel
        if panel is not None:
            panel.set_value("mode", new)
        self.refresh_view()
        self.refresh_bindings()
        self.notify(f"Mode: {MODE_NAMES[new]}", timeout=2)


if __name__ == "__main__":
    from tui.app import LearnLoopApp

    LearnLoopApp("feedback").run()

"""The ``feedback`` topic: one sigmoid neuron learning a separator from labels, ratings or a score.

Labelled points lie in [-1, 1]²; their true label comes from a hidden straight line (the *true
separator*). The model is a single sigmoid neuron ``p = σ(w₁x₁ + w₂x₂ + b)`` (an ``MLP((2, 1))``)
that starts from a poor separator. Three ways to teach it:

* ``"supervised"`` — each step is one gradient step on the labelled loss (mean binary cross-entropy).
* ``"human"`` — a learner with no access to the labels or the gradient proposes a change from a small
  set (``w₁ ±δ``, ``w₂ ±δ``, ``b ±δ``) and applies it; a person rates the new separator with one of
  four ratings (much worse −2, worse −1, better +1, much better +2). The learner is Thompson sampling
  over the changes: each change has a normal posterior on the rating it earns, updated from every
  rating (``algorithms.bandits``), and the next change is the one whose posterior draw is largest.
  A change rated worse is taken back (``take_back``).
* ``"auto"`` — the same learner, but the rating is computed: the relative change of the supervised
  loss caused by the pending change is mapped onto the same four ratings (the *applied
  reinforcement score*).

In the learner modes there is always one *pending* change: already applied, waiting for its
rating. ``rate(r)`` (human) or ``step()`` (auto) gives it a rating, the learner updates, and the
next change is proposed and applied. ``accuracy_history`` records the accuracy of the *kept*
separator after every iteration (a rating or a gradient step).
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.bandits import NormalArms, ThompsonSampler, frozen_copy
from algorithms.checks import as_choice, as_float, as_int
from algorithms.datasets import Extent, grid_points
from algorithms.nn import MLP, sigmoid
from algorithms.optim import SGD
from algorithms.stepping import Stepping

Array = np.ndarray

MODES = ("supervised", "human", "auto")
POLICIES = ("thompson", "random")  # how the learner picks a change (random: for comparison)
MODE_NAMES = {"supervised": "supervised", "human": "human feedback", "auto": "auto-scored"}
# rating key -> (name, reward handed to the learner)
RATINGS: dict[int, tuple[str, float]] = {
    1: ("much worse", -2.0),
    2: ("worse", -1.0),
    3: ("better", 1.0),
    4: ("much better", 2.0),
}
# The changes the learner can make: (parameter index in [w₁, w₂, b], direction).
ACTIONS: tuple[tuple[int, int], ...] = ((0, 1), (0, -1), (1, 1), (1, -1), (2, 1), (2, -1))
PARAM_NAMES = ("w₁", "w₂", "b")
ACTION_LABELS = tuple(f"{PARAM_NAMES[i]} {'+' if s > 0 else '−'}" for i, s in ACTIONS)
MUCH = 0.05  # a relative loss change beyond ±5 % counts as "much" better/worse in auto mode
TARGET_ACCURACY = 0.95
DIVERGED_LOSS = 1e6


def auto_rating(loss_before: float, loss_after: float, much: float = MUCH) -> int:
    """The rating key (1–4) for a change that moved the loss from ``loss_before`` to ``loss_after``.

    The relative improvement ``(before − after) / before`` above ``much`` is "much better", above 0
    "better", down to ``−much`` "worse", below that "much worse" (no change at all counts as worse:
    it did not help).
    """
    gain = (loss_before - loss_after) / max(loss_before, 1e-12)
    if gain > much:
        return 4
    if gain > 0:
        return 3
    if gain >= -much:
        return 2
    return 1


def true_labels(X: Array, normal: Array, offset: float) -> Array:
    """Class 1 where ``normal · x + offset > 0``, else 0."""
    return (np.asarray(X) @ np.asarray(normal) + offset > 0).astype(np.int64)


def line_in_box(w1: float, w2: float, b: float, extent: Extent) -> tuple[float, float, float, float] | None:
    """The segment of the line ``w₁x + w₂y + b = 0`` inside the box ``extent`` (None if it misses)."""
    xmin, xmax, ymin, ymax = extent
    points: list[tuple[float, float]] = []
    if abs(w2) > 1e-12:
        for x in (xmin, xmax):
            y = -(w1 * x + b) / w2
            if ymin - 1e-9 <= y <= ymax + 1e-9:
                points.append((x, y))
    if abs(w1) > 1e-12:
        for y in (ymin, ymax):
            x = -(w2 * y + b) / w1
            if xmin - 1e-9 <= x <= xmax + 1e-9:
                points.append((x, y))
    if len(points) < 2:
        return None
    (x0, y0), (x1, y1) = max(
        ((p, q) for i, p in enumerate(points) for q in points[i + 1 :]),
        key=lambda pq: math.dist(*pq),
    )
    return (x0, y0, x1, y1)


class FeedbackTraining(Stepping):
    """Explicit-state simulation of the three ways of teaching one neuron (see the module docstring)."""

    HISTORY = 200  # iterations that step_back() can undo

    def __init__(
        self,
        seed: int = 0,
        n_points: int = 80,
        mode: str = "supervised",
        lr: float = 2.0,
        step_size: float = 0.3,
        discount: float = 0.9,
        take_back: bool = True,
        policy: str = "thompson",
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._n_points = as_int(n_points, "the number of points", lo=4)
        self._mode = self._check_mode(mode)
        self._opt = SGD(lr=lr)
        self._step = self._check_step(step_size)
        self._discount = as_float(discount, "the memory (discount)", lo=0.5, hi=1)
        self._take_back = bool(take_back)
        self._policy = self._check_policy(policy)
        self._version = 0
        self._grid_cache: tuple[Array, int, Array] | None = None
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_mode(mode: str) -> str:
        return as_choice(mode, MODES, "mode")

    @staticmethod
    def _check_policy(policy: str) -> str:
        return as_choice(policy, POLICIES, "learner")

    @staticmethod
    def _check_step(step: float) -> float:
        return as_float(step, "the size of a change", lo=0.01, hi=2.0)

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New data, true separator, poor start and an ignorant learner from ``seed`` (default: the current one)."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, start_seq, learner_seq = np.random.SeedSequence(self._seed).spawn(3)
        gen = np.random.default_rng(data_seq)
        angle = gen.uniform(0, 2 * np.pi)
        self._normal = np.array([math.cos(angle), math.sin(angle)])
        self._offset = float(gen.uniform(-0.3, 0.3))
        X = gen.uniform(-1.0, 1.0, size=(self._n_points, 2))
        y = true_labels(X, self._normal, self._offset)
        while y.min() == y.max():  # both classes present, always
            X = gen.uniform(-1.0, 1.0, size=(self._n_points, 2))
            y = true_labels(X, self._normal, self._offset)
        self._X, self._y = X, y
        self._X.flags.writeable = False
        self._y.flags.writeable = False
        self._model = MLP((2, 1), output="sigmoid", loss="bce", rng=0)
        self._model.set_params(self._poor_start(np.random.default_rng(start_seq)))
        learner_rng, random_rng = (np.random.default_rng(s) for s in learner_seq.spawn(2))
        self._learner = ThompsonSampler(NormalArms(len(ACTIONS), discount=self._discount), learner_rng)
        self._random = random_rng  # the stream of the "random" policy
        self._iteration = 0
        self._pending: int | None = None
        self._kept = self._model.params.copy()  # the separator before the pending change
        self._last: dict[str, Any] | None = None  # what the last iteration did
        self._reached: int | None = None
        self._diverged = False
        self._undo: deque[dict[str, Any]] = deque(maxlen=self.HISTORY)
        self._acc_hist: list[float] = []
        self._loss_hist: list[float] = []
        self._touch()
        self._record()
        if self._mode != "supervised":
            self._propose()

    def _poor_start(self, gen: np.random.Generator) -> Array:
        """Weights whose separator is the true one turned round by 140°–220° (so most points are wrong)."""
        turn = gen.uniform(np.radians(140), np.radians(220))
        c, s = math.cos(turn), math.sin(turn)
        w = 1.5 * np.array([c * self._normal[0] - s * self._normal[1], s * self._normal[0] + c * self._normal[1]])
        b = 1.5 * self._offset * math.cos(turn) + gen.uniform(-0.2, 0.2)
        return np.array([w[0], w[1], b])

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def iteration(self) -> int:
        """Iterations so far: gradient steps plus ratings, in whatever modes they happened."""
        return self._iteration

    @property
    def X(self) -> Array:
        return self._X

    @property
    def y(self) -> Array:
        """True labels (0/1)."""
        return self._y

    @property
    def true_separator(self) -> tuple[float, float, float]:
        """``(w₁, w₂, b)`` of the hidden line that made the labels."""
        return (float(self._normal[0]), float(self._normal[1]), self._offset)

    @property
    def params(self) -> Array:
        """The neuron's current ``[w₁, w₂, b]`` (with the pending change applied, if any)."""
        return frozen_copy(self._model.params)

    @property
    def kept_params(self) -> Array:
        """``[w₁, w₂, b]`` before the pending change (equal to ``params`` when nothing is pending)."""
        return frozen_copy(self._kept)

    @property
    def model(self) -> MLP:
        return self._model

    @property
    def probabilities(self) -> Array:
        """P(class 1) of every point under the current separator."""
        with np.errstate(all="ignore"):
            return self._model.predict_proba(self._X)[:, 0]

    @property
    def predictions(self) -> Array:
        with np.errstate(all="ignore"):
            return self._model.predict(self._X)

    @property
    def accuracy(self) -> float:
        """Accuracy of the current separator (pending change included)."""
        return float(np.mean(self.predictions == self._y))

    @property
    def loss(self) -> float:
        """Mean binary cross-entropy of the current separator."""
        with np.errstate(all="ignore"):
            return self._model.loss(self._X, self._y)

    @property
    def kept_accuracy(self) -> float:
        return self._acc_hist[-1]

    @property
    def accuracy_history(self) -> Array:
        """Accuracy of the kept separator after each iteration (index 0: the start)."""
        return frozen_copy(np.array(self._acc_hist))

    @property
    def loss_history(self) -> Array:
        return frozen_copy(np.array(self._loss_hist))

    @property
    def reached_target_at(self) -> int | None:
        """The first iteration whose kept separator classified ≥ 95 % of the points correctly."""
        return self._reached

    @property
    def pending(self) -> int | None:
        """Index into ``ACTIONS`` of the change waiting for a rating (None in supervised mode)."""
        return self._pending

    @property
    def pending_score(self) -> int | None:
        """The rating the auto-scorer gives the pending change (None when nothing is pending)."""
        if self._pending is None:
            return None
        return auto_rating(self._loss_of(self._kept), self.loss)

    @property
    def last(self) -> dict[str, Any] | None:
        """What the last iteration did: ``{"mode", "action", "rating", "reward", "kept", "loss_before",
        "loss_after", "grad"}`` (keys that do not apply are None)."""
        return None if self._last is None else dict(self._last)

    @property
    def learner(self) -> ThompsonSampler:
        return self._learner

    @property
    def posterior_mean(self) -> Array:
        return self._learner.posterior.mean

    @property
    def posterior_interval(self) -> tuple[Array, Array]:
        """95 % credible interval of every change's mean rating."""
        return self._learner.posterior.interval(0.95)

    @property
    def lr(self) -> float:
        return self._opt.lr

    @property
    def step_size(self) -> float:
        """δ, the size of every change the learner makes."""
        return self._step

    @property
    def discount(self) -> float:
        return self._discount

    @property
    def take_back(self) -> bool:
        return self._take_back

    @property
    def policy(self) -> str:
        """How the learner picks its next change: "thompson" (from its beliefs) or "random"."""
        return self._policy

    @property
    def diverged(self) -> bool:
        return self._diverged

    @property
    def gradient(self) -> Array:
        """∂(mean BCE)/∂[w₁, w₂, b] at the current separator."""
        with np.errstate(all="ignore"):
            return self._model.loss_and_grad(self._X, self._y)[1].copy()

    # ----------------------------------------------------------------- learning
    def step(self) -> None:
        """One iteration in the current mode. In human mode a step is a *skip*: the pending change is
        kept without a rating (the learner learns nothing) and the next one is proposed."""
        if self._diverged:
            return
        if self._mode == "supervised":
            self._gradient_step()
        elif self._mode == "auto":
            self._apply_rating(self.pending_score or 2)
        else:
            self._apply_rating(None)

    def rate(self, rating: int) -> None:
        """Rate the pending change (1 much worse, 2 worse, 3 better, 4 much better); human mode only."""
        if isinstance(rating, bool) or rating not in RATINGS:
            raise ValueError(f"a rating is 1 (much worse), 2 (worse), 3 (better) or 4 (much better), got {rating!r}")
        if self._mode != "human":
            raise ValueError("ratings are for the human-feedback mode: switch the mode to 'human' first")
        if self._diverged:
            return
        self._apply_rating(int(rating))

    def _gradient_step(self) -> None:
        self._push_undo()
        before = self.loss
        with np.errstate(all="ignore"):
            grad = self._model.loss_and_grad(self._X, self._y)[1].copy()
            self._opt.step(self._model.params, grad)
        self._kept = self._model.params.copy()
        self._last = {"mode": "supervised", "action": None, "rating": None, "reward": None, "kept": True,
                      "loss_before": before, "loss_after": self.loss, "grad": grad}
        self._finish_iteration()

    def _apply_rating(self, rating: int | None) -> None:
        """Hand the pending change its rating (None: skipped), take it back if rated worse, propose anew."""
        if self._pending is None:
            self._propose()
        self._push_undo()
        action = self._pending
        assert action is not None
        before, after = self._loss_of(self._kept), self.loss
        reward = None if rating is None else RATINGS[rating][1]
        if reward is not None:
            self._learner.update(action, reward)
        keep = reward is None or reward > 0 or not self._take_back
        if keep:
            self._kept = self._model.params.copy()
        else:
            self._model.set_params(self._kept)
        self._last = {"mode": self._mode, "action": action, "rating": rating, "reward": reward, "kept": keep,
                      "loss_before": before, "loss_after": after, "grad": None}
        self._pending = None
        self._finish_iteration()
        if not self._diverged:
            self._propose()

    def _propose(self) -> None:
        """Let the learner pick a change by Thompson sampling and apply it (it is then pending)."""
        self._kept = self._model.params.copy()
        if self._policy == "thompson":
            action = self._learner.choose()
        else:
            action = int(self._random.integers(len(ACTIONS)))
        index, sign = ACTIONS[action]
        self._model.params[index] += sign * self._step
        self._pending = action
        self._touch()

    def _loss_of(self, params: Array) -> float:
        saved = self._model.params.copy()
        self._model.set_params(params)
        try:
            with np.errstate(all="ignore"):
                return self._model.loss(self._X, self._y)
        finally:
            self._model.set_params(saved)

    def _finish_iteration(self) -> None:
        self._iteration += 1
        self._touch()
        self._record()

    def _record(self) -> None:
        accuracy = float(np.mean(self._classify(self._kept) == self._y))
        loss = self._loss_of(self._kept)
        self._acc_hist.append(accuracy)
        self._loss_hist.append(loss)
        if self._reached is None and accuracy >= TARGET_ACCURACY:
            self._reached = self._iteration
        if not (math.isfinite(loss) and np.isfinite(self._kept).all()) or loss > DIVERGED_LOSS:
            self._diverged = True

    def _classify(self, params: Array) -> Array:
        with np.errstate(all="ignore"):
            return (self._X @ params[:2] + params[2] >= 0).astype(np.int64)

    def _touch(self) -> None:
        self._version += 1

    # ----------------------------------------------------------------- history
    def _push_undo(self) -> None:
        self._undo.append({
            "params": self._model.params.copy(),
            "kept": self._kept.copy(),
            "pending": self._pending,
            "learner": self._learner.state(),
            "random": self._random.bit_generator.state,
            "iteration": self._iteration,
            "last": self._last,
            "reached": self._reached,
            "mode": self._mode,
        })

    def step_back(self) -> None:
        """Undo the last iteration: separator, pending change, learner (posteriors and draws), histories."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        snap = self._undo.pop()
        self._model.set_params(snap["params"])
        self._kept = snap["kept"]
        self._pending = snap["pending"]
        self._learner.load_state(snap["learner"])
        self._random.bit_generator.state = snap["random"]
        self._iteration = snap["iteration"]
        self._last = snap["last"]
        self._reached = snap["reached"]
        self._mode = snap["mode"]
        del self._acc_hist[self._iteration + 1 :]
        del self._loss_hist[self._iteration + 1 :]
        self._diverged = False
        self._touch()

    # ----------------------------------------------------------------- settings
    def set_mode(self, mode: str) -> None:
        """Switch teacher, keeping the separator. Leaving the learner modes drops the unrated change;
        entering them lets the learner propose one."""
        mode = self._check_mode(mode)
        if mode == self._mode:
            return
        if mode == "supervised" and self._pending is not None:
            self._model.set_params(self._kept)
            self._pending = None
        self._mode = mode
        if mode != "supervised" and self._pending is None and not self._diverged:
            self._propose()
        self._touch()

    def set_lr(self, lr: float) -> None:
        """The supervised learning rate."""
        self._opt.lr = lr

    def set_step_size(self, step: float) -> None:
        """δ for the learner's changes (the pending change keeps the size it was made with)."""
        self._step = self._check_step(step)

    def set_discount(self, discount: float) -> None:
        """How much every earlier rating still counts when a new one arrives (1: all of it)."""
        self._discount = as_float(discount, "the memory (discount)", lo=0.5, hi=1)
        self._learner.posterior.discount = self._discount

    def set_take_back(self, take_back: bool) -> None:
        self._take_back = bool(take_back)

    def set_policy(self, policy: str) -> None:
        """Pick changes by Thompson sampling or at random (the beliefs are updated either way)."""
        self._policy = self._check_policy(policy)

    # ----------------------------------------------------------------- drawing
    def grid_probabilities(self, width: int, height: int, extent: Extent = (-1.0, 1.0, -1.0, 1.0)) -> Array:
        """P(class 1) at the centres of a ``height × width`` grid over ``extent`` (row 0 at the top); cached."""
        pts = grid_points(width, height, extent)
        cached = self._grid_cache
        if cached is not None and cached[0] is pts and cached[1] == self._version:
            return cached[2]
        with np.errstate(all="ignore"):
            p = sigmoid(self._model.logits(pts)).reshape(int(height), int(width))
        p = np.nan_to_num(p, nan=0.5)
        p.flags.writeable = False
        self._grid_cache = (pts, self._version, p)
        return p

    def separator_segment(self, extent: Extent, which: str = "current") -> tuple[float, float, float, float] | None:
        """The current (or ``"true"``, or ``"kept"``) separator's segment inside ``extent``."""
        if which == "true":
            return line_in_box(*self.true_separator, extent)
        params = {"current": self._model.params, "kept": self._kept}.get(which)
        if params is None:
            raise ValueError(f"which must be 'current', 'kept' or 'true', got {which!r}")
        return line_in_box(float(params[0]), float(params[1]), float(params[2]), extent)


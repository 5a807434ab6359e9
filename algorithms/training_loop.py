"""The ``training-loop`` topic: the four-step training loop, executed one phase at a time.

Two small programs, each shown as Python (``TrainingLoop.code``) and run here phase by phase with
the same arithmetic in the same order, so every variable's value can be shown after each phase:

* ``"one-weight"`` — ``output = w·x`` with the squared error ``(output − target)²``; gradient descent
  drives ``w`` to ``target / x`` when ``lr < 1/x²`` (the error is multiplied by ``1 − 2·lr·x²`` every
  step: it flips sign when ``lr > 1/(2x²)`` and grows — until the floats overflow — when
  ``lr > 1/x²``).
* ``"and-gate"`` — one sigmoid neuron ``pred = σ(w₁x₁ + w₂x₂ + b)`` learning the AND gate from its
  four rows, one row per loop (online gradient descent on the squared error).

A *phase* is one of ``PHASES``: forward pass → loss → gradient → update. ``step()`` runs the next
phase; four phases make one *iteration* (one row of data); an *epoch* is one pass over the data
(one iteration for the one-weight example, four for the AND gate).
"""

from __future__ import annotations

import math
import re
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.stepping import Stepping

PHASES = ("forward", "loss", "gradient", "update")
PHASE_TITLES = {"forward": "① forward pass", "loss": "② loss", "gradient": "③ gradient", "update": "④ update"}
EXAMPLES = ("one-weight", "and-gate")
EXAMPLE_TITLES = {"one-weight": "one weight: output = w·x", "and-gate": "AND gate: a sigmoid neuron"}
DEFAULT_LR = {"one-weight": 0.1, "and-gate": 0.5}
AND_DATA: tuple[tuple[tuple[int, int], int], ...] = (((0, 0), 0), ((0, 1), 0), ((1, 0), 0), ((1, 1), 1))
LR_RANGE = (1e-4, 100.0)

# The programs. ``{…}`` fields are filled with the current settings, then inline comments are lined
# up (``_align``). Phase ① runs from the first ``for`` line to the line before marker ②; every other
# phase runs from its marker (②–④) to the line before the next marker or the end (``phase_lines``).
ONE_WEIGHT_CODE = """\
# one input, one weight: output = w * x
x = {x}  # the input
target = {target}  # the answer we want
w = {w}  # the weight: a first guess
lr = {lr}  # the learning rate

for epoch in range(epochs):
    output = w * x  # ① forward pass
    error = output - target  # ② loss: how wrong?
    loss = error * error
    grad = 2 * error * x  # ③ gradient: dloss/dw
    w = w - lr * grad  # ④ update: step downhill
"""

AND_CODE = """\
import math

def sigmoid(z):
    return 1 / (1 + math.exp(-z))

data = [((0, 0), 0), ((0, 1), 0),  # (inputs, target):
        ((1, 0), 0), ((1, 1), 1)]  # the AND gate
w1, w2, b = {w1}, {w2}, {b}  # a first guess
lr = {lr}  # the learning rate

for epoch in range(epochs):
    for (x1, x2), target in data:
        z = w1 * x1 + w2 * x2 + b  # ① forward pass
        pred = sigmoid(z)
        error = pred - target  # ② loss
        loss = error * error
        dz = 2 * error * pred * (1 - pred)  # ③ gradient (chain rule)
        g1, g2, gb = dz * x1, dz * x2, dz
        w1 = w1 - lr * g1  # ④ update
        w2 = w2 - lr * g2
        b = b - lr * gb
"""

_MARKERS = {"②": "loss", "③": "gradient", "④": "update"}


def _align(code: str) -> str:
    """Line up the inline comments of each block of lines (blocks are separated by blank lines)."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        parts = [line.split("  # ", 1) if "  # " in line else [line] for line in block]
        width = max((len(p[0]) for p in parts if len(p) == 2), default=0)
        out.extend(f"{p[0].ljust(width)}  # {p[1]}" if len(p) == 2 else p[0] for p in parts)
        block.clear()

    for line in code.rstrip("\n").split("\n"):
        if line.strip():
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out) + "\n"


def phase_lines(code: str) -> dict[str, tuple[int, ...]]:
    """Line numbers (1-based) of each phase in ``code`` (see the note above the programs)."""
    out: dict[str, list[int]] = {p: [] for p in PHASES}
    current: str | None = None
    for number, line in enumerate(code.rstrip("\n").split("\n"), start=1):
        if current is None and line.lstrip().startswith("for "):
            current = "forward"
        for marker, phase in _MARKERS.items():
            if marker in line:
                current = phase
        if current is not None and line.strip():
            out[current].append(number)
    return {p: tuple(v) for p, v in out.items()}


_FOR = re.compile(r"^\s*for\s+(.+?)\s+in\s")
_ASSIGN = re.compile(r"^\s*([A-Za-z_][\w\s,()]*?)\s*=(?!=)")


def assigned_names(code: str) -> dict[int, tuple[str, ...]]:
    """The variable names each line assigns (``for`` targets and the left of ``=``), by line number."""
    out: dict[int, tuple[str, ...]] = {}
    for number, line in enumerate(code.rstrip("\n").split("\n"), start=1):
        body = line.split("#", 1)[0]
        match = _FOR.match(body) or _ASSIGN.match(body)
        if match:
            out[number] = tuple(re.findall(r"[A-Za-z_]\w*", match.group(1)))
    return out


def _sigmoid(z: float) -> float:
    """σ(z) as the program computes it, without raising when ``exp(−z)`` would overflow."""
    if z < -709.0:
        return 0.0
    return 1 / (1 + math.exp(-z))


def _short(value: float) -> str:
    """A number as the program's source would write it."""
    return repr(float(value))


class TrainingLoop(Stepping):
    """Explicit-state, phase-by-phase run of one of the ``EXAMPLES`` (see the module docstring)."""

    HISTORY = 200  # phases that step_back() can undo

    def __init__(
        self,
        seed: int = 0,
        example: str = "one-weight",
        lr: float | None = None,
        x: float = 1.5,
        target: float = 1.0,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._example = self._check_example(example)
        self._lr = DEFAULT_LR[self._example] if lr is None else self._check_lr(lr)
        self._x = self._check_x(x)
        self._target = as_float(target, "the target", lo=-100, hi=100)
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_example(example: str) -> str:
        return as_choice(example, EXAMPLES, "example")

    @staticmethod
    def _check_lr(lr: float) -> float:
        return as_float(lr, "the learning rate", lo=LR_RANGE[0], hi=LR_RANGE[1])

    @staticmethod
    def _check_x(x: float) -> float:
        x = as_float(x, "the input x", lo=-10, hi=10)
        if x == 0:
            raise ValueError("the input x must not be 0 (then no weight can reach the target)")
        return x

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """Back to the first guess (drawn from the seed, rounded to two decimals) and phase ①."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        gen = np.random.default_rng(self._seed)
        if self._example == "one-weight":
            self._start = {"w": round(float(gen.uniform(-1.0, 1.0)), 2)}
        else:
            w1, w2 = (round(float(v), 2) for v in gen.uniform(-0.5, 0.5, size=2))
            self._start = {"w1": w1, "w2": w2, "b": 0.0}
        self._vars: dict[str, Any] = {}
        self._init_vars()
        self._next = 0  # index into PHASES of the phase to run next
        self._last: str | None = None  # the phase that ran last
        self._changed: tuple[str, ...] = tuple(self._vars)
        self._iteration = 0
        self._epoch = 0
        self._row = 0  # AND gate: index of the current data row
        self._loss_hist: list[float] = []
        self._epoch_loss_hist: list[float] = []
        self._weight_hist: list[tuple[float, ...]] = [self.weights]
        self._diverged = False
        self._undo: deque[dict[str, Any]] = deque(maxlen=self.HISTORY)

    def _init_vars(self) -> None:
        v = self._vars
        v.clear()
        if self._example == "one-weight":
            v.update(x=self._x, target=self._target, w=self._start["w"], lr=self._lr)
        else:
            v.update(w1=self._start["w1"], w2=self._start["w2"], b=self._start["b"], lr=self._lr)

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def example(self) -> str:
        return self._example

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def x(self) -> float:
        return self._x

    @property
    def target(self) -> float:
        return self._target

    @property
    def code(self) -> str:
        """The program being run, with the current settings and first guess written in."""
        if self._example == "one-weight":
            return _align(ONE_WEIGHT_CODE.format(x=_short(self._x), target=_short(self._target),
                                                 w=_short(self._start["w"]), lr=_short(self._lr)))
        s = self._start
        return _align(AND_CODE.format(w1=_short(s["w1"]), w2=_short(s["w2"]), b=_short(s["b"]), lr=_short(self._lr)))

    @property
    def phase_lines(self) -> dict[str, tuple[int, ...]]:
        return phase_lines(self.code)

    @property
    def next_phase(self) -> str:
        return PHASES[self._next]

    @property
    def last_phase(self) -> str | None:
        """The phase that ran last (None at the start)."""
        return self._last

    @property
    def current_lines(self) -> tuple[int, ...]:
        """Lines of the phase that ran last (none at the start)."""
        return () if self._last is None else self.phase_lines[self._last]

    @property
    def variables(self) -> dict[str, Any]:
        """Every variable of the program that has a value, in the order they were first assigned."""
        return dict(self._vars)

    @property
    def changed(self) -> tuple[str, ...]:
        """Names the last phase assigned."""
        return self._changed

    @property
    def phase_count(self) -> int:
        """Phases run so far."""
        return 4 * self._iteration + self._next

    @property
    def iteration(self) -> int:
        """Completed loops (four phases each)."""
        return self._iteration

    @property
    def epoch(self) -> int:
        """Completed passes over the data."""
        return self._epoch

    @property
    def row(self) -> int:
        """AND gate: the data row the loop is on (0–3)."""
        return self._row

    @property
    def weights(self) -> tuple[float, ...]:
        """``(w,)`` or ``(w1, w2, b)`` as they are now."""
        v = self._vars
        return (v["w"],) if self._example == "one-weight" else (v["w1"], v["w2"], v["b"])

    @property
    def loss_history(self) -> list[float]:
        """The loss computed in every completed loop."""
        return list(self._loss_hist)

    @property
    def epoch_loss_history(self) -> list[float]:
        """Mean loss of every completed epoch."""
        return list(self._epoch_loss_hist)

    @property
    def weight_history(self) -> list[tuple[float, ...]]:
        """``weights`` at the start and after every completed loop."""
        return list(self._weight_hist)

    @property
    def goal(self) -> float | None:
        """One-weight example: the weight that makes the loss zero, ``target / x``."""
        return self._target / self._x if self._example == "one-weight" else None

    @property
    def line_names(self) -> dict[int, tuple[str, ...]]:
        """The variables each line of ``code`` assigns, by line number."""
        return assigned_names(self.code)

    @property
    def oscillation_lr(self) -> float | None:
        """One-weight example: above this learning rate (1/(2x²)) every step overshoots the goal."""
        return 1 / (2 * self._x * self._x) if self._example == "one-weight" else None

    @property
    def divergence_lr(self) -> float | None:
        """One-weight example: above this learning rate (1/x²) the overshoot grows: the run diverges."""
        return 1 / (self._x * self._x) if self._example == "one-weight" else None

    @property
    def diverged(self) -> bool:
        """True once a value overflowed to inf or NaN; ``step()`` then does nothing."""
        return self._diverged

    def predictions(self) -> list[float]:
        """AND gate: the neuron's output for each of the four rows with the current weights."""
        if self._example != "and-gate":
            raise ValueError("predictions() is for the AND-gate example")
        w1, w2, b = self.weights
        return [_sigmoid(w1 * x1 + w2 * x2 + b) for (x1, x2), _ in AND_DATA]

    def classified_correctly(self) -> bool:
        """AND gate: every row is on the right side of 0.5."""
        return all((p >= 0.5) == bool(t) for p, (_, t) in zip(self.predictions(), AND_DATA))

    # ----------------------------------------------------------------- stepping
    def step(self) -> None:
        """Run the next phase (nothing once diverged)."""
        if self._diverged:
            return
        self._push_undo()
        phase = PHASES[self._next]
        run = self._one_weight if self._example == "one-weight" else self._and_gate
        assigned = run(phase, self._vars)
        self._vars.update(assigned)
        self._changed = tuple(assigned)
        self._last = phase
        self._next = (self._next + 1) % 4
        if phase == "update":
            self._end_iteration()
        if any(isinstance(v, float) and not math.isfinite(v) for v in self._vars.values()):
            self._diverged = True

    def finish_iteration(self) -> None:
        """Run phases up to and including the next update."""
        self.step()
        while self._next != 0 and not self._diverged:
            self.step()

    def run_epochs(self, k: int) -> None:
        """Finish the current loop, then run ``k`` whole epochs (stops early when diverged)."""
        k = as_int(k, "the number of epochs", lo=0)
        if self._next != 0:
            self.finish_iteration()
        target = self._epoch + k
        while self._epoch < target and not self._diverged:
            self.finish_iteration()

    def _one_weight(self, phase: str, v: dict[str, Any]) -> dict[str, Any]:
        """What ``phase`` of the one-weight program assigns, given the variables ``v``."""
        if phase == "forward":
            return {"epoch": self._epoch, "output": v["w"] * v["x"]}
        if phase == "loss":
            error = v["output"] - v["target"]
            return {"error": error, "loss": error * error}
        if phase == "gradient":
            return {"grad": 2 * v["error"] * v["x"]}
        return {"w": v["w"] - v["lr"] * v["grad"]}

    def _and_gate(self, phase: str, v: dict[str, Any]) -> dict[str, Any]:
        """What ``phase`` of the AND-gate program assigns, given the variables ``v``."""
        if phase == "forward":
            (x1, x2), target = AND_DATA[self._row]
            z = v["w1"] * x1 + v["w2"] * x2 + v["b"]
            return {"epoch": self._epoch, "x1": x1, "x2": x2, "target": target, "z": z, "pred": _sigmoid(z)}
        if phase == "loss":
            error = v["pred"] - v["target"]
            return {"error": error, "loss": error * error}
        if phase == "gradient":
            dz = 2 * v["error"] * v["pred"] * (1 - v["pred"])
            return {"dz": dz, "g1": dz * v["x1"], "g2": dz * v["x2"], "gb": dz}
        return {"w1": v["w1"] - v["lr"] * v["g1"], "w2": v["w2"] - v["lr"] * v["g2"], "b": v["b"] - v["lr"] * v["gb"]}

    def _end_iteration(self) -> None:
        self._iteration += 1
        self._loss_hist.append(self._vars["loss"])
        self._weight_hist.append(self.weights)
        rows = 1 if self._example == "one-weight" else len(AND_DATA)
        if self._example == "and-gate":
            self._row = (self._row + 1) % rows
        if self._iteration % rows == 0:
            self._epoch += 1
            recent = self._loss_hist[-rows:]
            self._epoch_loss_hist.append(sum(recent) / rows)

    # ----------------------------------------------------------------- history
    def _push_undo(self) -> None:
        self._undo.append({
            "vars": dict(self._vars),
            "next": self._next,
            "last": self._last,
            "changed": self._changed,
            "iteration": self._iteration,
            "epoch": self._epoch,
            "row": self._row,
            "n_loss": len(self._loss_hist),
            "n_epoch_loss": len(self._epoch_loss_hist),
        })

    def step_back(self) -> None:
        """Undo the last phase exactly."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        snap = self._undo.pop()
        self._vars = snap["vars"]
        self._next, self._last, self._changed = snap["next"], snap["last"], snap["changed"]
        self._iteration, self._epoch, self._row = snap["iteration"], snap["epoch"], snap["row"]
        del self._loss_hist[snap["n_loss"] :]
        del self._epoch_loss_hist[snap["n_epoch_loss"] :]
        del self._weight_hist[self._iteration + 1 :]
        self._diverged = False

    # ----------------------------------------------------------------- settings
    def set_example(self, example: str) -> None:
        """Switch program: starts it from its first guess with its usual learning rate."""
        example = self._check_example(example)
        if example != self._example:
            self._example = example
            self._lr = DEFAULT_LR[example]
            self.reset()

    def set_lr(self, lr: float) -> None:
        """A new learning rate; the program's ``lr`` variable takes it at once."""
        self._lr = self._check_lr(lr)
        self._vars["lr"] = self._lr

    def set_x(self, x: float) -> None:
        """One-weight example: a new input; the run starts over."""
        self._x = self._check_x(x)
        if self._example == "one-weight":
            self.reset()

    def set_target(self, target: float) -> None:
        """One-weight example: a new target; the run starts over."""
        self._target = as_float(target, "the target", lo=-100, hi=100)
        if self._example == "one-weight":
            self.reset()

    def set_weight(self, name: str, value: float) -> None:
        """Set a weight or bias by hand (used from the next forward pass on)."""
        names = ("w",) if self._example == "one-weight" else ("w1", "w2", "b")
        if name not in names:
            raise ValueError(f"the weights here are {', '.join(names)}, not {name!r}")
        self._vars[name] = as_float(value, f"the value of {name}")
        self._changed = (name,)


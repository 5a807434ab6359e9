"""The ``universal-approximation`` topic: one hidden layer of N neurons learning a drawn curve.

A curve is a row of heights at ``N_SAMPLES`` evenly spaced points of ``[-1, 1]`` (each height in
``[-1, 1]``). It comes from a preset (:func:`preset_curve`) or is drawn point by point.
``CurveFit`` trains a 1 → N → 1 network (the shared ``algorithms.nn.MLP``: tanh, ReLU or sigmoid
hidden layer, linear output, mean squared error, full-batch Adam) on those points; one ``step()`` is
one epoch. Training stops after ``budget`` epochs, so fits with different N can be compared after
the same effort.

Hidden units start with their switch-over points spread across the input range (see
:func:`spread_init`): unit ``i`` turns at a random ``cᵢ`` in ``[-1, 1]`` with a slope of 3 to 6.
With the usual initialisers every unit would turn near ``x = 0`` and many would be wasted.
Editing the curve while training goes on changes the target at once; ``learn()`` starts again from
fresh weights.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.nn import MLP
from algorithms.optim import make_optimizer
from algorithms.rng import RngLike, as_rng
from algorithms.stepping import Stepping

Array = np.ndarray

N_SAMPLES = 101  # points of a curve, x = -1, -0.98, …, 1
HEIGHT = 1.0  # heights live in [-HEIGHT, HEIGHT]
PRESETS: tuple[str, ...] = ("sine", "zigzag", "step", "heartbeat")
ACTIVATIONS: tuple[str, ...] = ("tanh", "relu", "sigmoid")
NEURON_RANGE = (1, 64)
LR_RANGE = (1e-4, 1.0)
BUDGETS: tuple[int, ...] = (250, 500, 1000, 2000, 5000, 10000)
DIVERGED_LOSS = 1e6


def curve_xs(n: int = N_SAMPLES) -> Array:
    """The x positions of a curve's samples: ``n`` evenly spaced points from -1 to 1."""
    return np.linspace(-1.0, 1.0, as_int(n, "the number of samples", lo=2))


def preset_curve(name: str, xs: Array | None = None) -> Array:
    """Heights of a preset curve at ``xs`` (default: ``curve_xs()``), all within ``[-1, 1]``.

    * ``sine`` — two full waves, ``0.8·sin(2πx)``;
    * ``zigzag`` — three sharp teeth between ±0.8;
    * ``step`` — −0.6 left of 0, +0.6 from 0 on;
    * ``heartbeat`` — a flat line with the bumps and the spike of one heartbeat on an ECG.
    """
    x = curve_xs() if xs is None else np.asarray(xs, dtype=np.float64)
    if name == "sine":
        return 0.8 * np.sin(2 * np.pi * x)
    if name == "zigzag":
        phase = (x + 1.0) * 1.5 % 1.0  # three teeth over [-1, 1]
        return 0.8 * (4.0 * np.abs(phase - 0.5) - 1.0)
    if name == "step":
        return np.where(x < 0, -0.6, 0.6)
    if name == "heartbeat":

        def bump(centre: float, width: float, height: float) -> Array:
            return height * np.exp(-(((x - centre) / width) ** 2))

        return (
            -0.25
            + bump(-0.5, 0.07, 0.2)  # P wave
            + bump(-0.12, 0.03, -0.15)  # Q
            + bump(0.0, 0.035, 1.05)  # R, the spike
            + bump(0.09, 0.03, -0.35)  # S
            + bump(0.45, 0.09, 0.3)  # T wave
        )
    raise ValueError(f"unknown curve {name!r}; choose one of {', '.join(PRESETS)}")


def spread_init(model: MLP, rng: RngLike = None, span: tuple[float, float] = (-1.0, 1.0),
                slopes: tuple[float, float] = (3.0, 6.0)) -> None:
    """Re-draw the first layer of a 1-input ``model`` so that unit ``i`` switches over at a random
    point ``cᵢ`` of ``span`` (its pre-activation ``wᵢ·(x − cᵢ)``), with a random sign and a slope
    ``|wᵢ|`` in ``slopes``; the next layer gets small random weights and zero biases."""
    if model.sizes[0] != 1:
        raise ValueError(f"spread_init is for networks with one input, not {model.sizes[0]}")
    gen = as_rng(rng)
    width = model.sizes[1]
    w = gen.uniform(*slopes, size=width) * gen.choice((-1.0, 1.0), size=width)
    c = gen.uniform(*span, size=width)
    model.weights[0][0, :] = w
    model.biases[0][:] = -w * c
    for W, b in zip(model.weights[1:], model.biases[1:]):
        W[...] = gen.normal(0.0, 1.0 / math.sqrt(W.shape[0]), size=W.shape)
        b[...] = 0.0


def clamp_height(h: float) -> float:
    return min(HEIGHT, max(-HEIGHT, h))


class CurveFit(Stepping):
    """A drawable target curve and a 1 → N → 1 network learning it (see the module docstring)."""

    HISTORY = 200  # epochs that step_back() can undo

    def __init__(
        self,
        seed: int = 0,
        neurons: int = 8,
        curve: str = "sine",
        activation: str = "tanh",
        lr: float = 0.02,
        budget: int = 2000,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._neurons = self._check_neurons(neurons)
        self._activation = self._check_activation(activation)
        self._lr = as_float(lr, "the learning rate", lo=LR_RANGE[0], hi=LR_RANGE[1])
        self._budget = self._check_budget(budget)
        self._xs = curve_xs()
        self._xs.flags.writeable = False
        self._inputs = self._xs.reshape(-1, 1)
        self._preset = "sine"
        self._ys = preset_curve("sine", self._xs)
        self.load_preset(curve)
        self._learn_count = 0
        self.learn()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_neurons(n: object) -> int:
        n = as_int(n, "the number of neurons", lo=NEURON_RANGE[0])
        if n > NEURON_RANGE[1]:
            raise ValueError(f"the number of neurons must be at most {NEURON_RANGE[1]}, got {n}")
        return n

    @staticmethod
    def _check_activation(name: object) -> str:
        if name not in ACTIVATIONS:
            raise ValueError(f"the activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")
        return str(name)

    @staticmethod
    def _check_budget(budget: object) -> int:
        budget = as_int(budget, "the training budget", lo=1)
        if budget > max(BUDGETS):
            raise ValueError(f"the training budget must be at most {max(BUDGETS)} epochs, got {budget}")
        return budget

    def _check_index(self, i: object) -> int:
        i = as_int(i, "the sample index", lo=0)
        if i >= N_SAMPLES:
            raise ValueError(f"the sample index must be below {N_SAMPLES}, got {i}")
        return i

    # ----------------------------------------------------------------- learning
    def learn(self, seed: int | None = None) -> None:
        """Start learning the current curve from fresh weights (epoch 0). The same seed and the same
        number of ``learn()`` calls give the same weights."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
            self._learn_count = 0
        gen = np.random.default_rng([self._seed, self._learn_count])
        self._learn_count += 1
        self._model = MLP((1, self._neurons, 1), activation=self._activation, output="linear", loss="mse", rng=gen)
        spread_init(self._model, gen)
        self._opt = make_optimizer("adam", lr=self._lr)
        self._epoch = 0
        self._diverged = False
        self._undo: deque[tuple[int, Array, dict[str, Any]]] = deque(maxlen=self.HISTORY)
        self._history: list[float] = []
        self._measure()

    def reset(self, seed: int | None = None) -> None:
        """Learn again from the start with ``seed`` (the curve stays as it is)."""
        self._learn_count = 0
        self.learn(seed if seed is not None else self._seed)

    def _measure(self) -> None:
        with np.errstate(all="ignore"):
            self._mse = self._model.loss(self._inputs, self._ys)
        if not math.isfinite(self._mse) or self._mse > DIVERGED_LOSS or not np.isfinite(self._model.params).all():
            self._diverged = True
        del self._history[self._epoch:]
        self._history.append(self._mse)

    def step(self) -> None:
        """Train one epoch (nothing once the budget is spent or the run diverged)."""
        if self.done or self._diverged:
            return
        self._undo.append((self._epoch, self._model.params.copy(), self._opt.state()))
        with np.errstate(all="ignore"):
            self._opt.step(self._model.params, self._model.loss_and_grad(self._inputs, self._ys)[1])
        self._epoch += 1
        self._measure()

    def train_to_budget(self) -> None:
        """Train until the budget is spent (or the run diverges)."""
        while not self.done and not self._diverged:
            self.step()

    def step_back(self) -> None:
        """Undo the last epoch (weights, optimiser state; the curve stays as it is now)."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        epoch, params, state = self._undo.pop()
        self._model.set_params(params)
        self._opt.load_state(state)
        self._epoch = epoch
        self._diverged = False
        self._measure()

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def xs(self) -> Array:
        """The x positions of the samples (read-only)."""
        return self._xs

    @property
    def ys(self) -> Array:
        """The target heights (a copy)."""
        return self._ys.copy()

    @property
    def preset(self) -> str:
        """The preset last loaded, or "custom" once the curve has been edited."""
        return self._preset

    @property
    def model(self) -> MLP:
        return self._model

    @property
    def neurons(self) -> int:
        return self._neurons

    @property
    def activation(self) -> str:
        return self._activation

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def budget(self) -> int:
        return self._budget

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def done(self) -> bool:
        """True once the training budget is spent."""
        return self._epoch >= self._budget

    @property
    def mse(self) -> float:
        """Mean squared error of the fit on the curve's samples."""
        return self._mse

    @property
    def mse_history(self) -> Array:
        """The MSE after each epoch since the last ``learn()`` (index 0: untrained)."""
        return np.array(self._history)

    @property
    def diverged(self) -> bool:
        return self._diverged

    def predict(self, xs: Array) -> Array:
        """The network's heights at ``xs``."""
        xs = np.asarray(xs, dtype=np.float64).reshape(-1, 1)
        with np.errstate(all="ignore"):
            return self._model.forward(xs)[:, 0]

    def neuron_curves(self, xs: Array) -> Array:
        """Each hidden neuron's contribution ``vᵢ·act(wᵢx + bᵢ)`` at ``xs``: shape ``(N, len(xs))``.
        Their sum plus the output bias is the fit."""
        xs = np.asarray(xs, dtype=np.float64).reshape(-1, 1)
        with np.errstate(all="ignore"):
            hidden = self._model.hidden_outputs(xs)[0]  # (len(xs), N)
        return (hidden * self._model.weights[1][:, 0]).T

    # ----------------------------------------------------------------- drawing the curve
    def index_of(self, x: float) -> int:
        """The sample nearest to ``x`` (clamped to the curve)."""
        x = as_float(x, "x")
        return int(min(N_SAMPLES - 1, max(0, round((x + 1.0) / 2.0 * (N_SAMPLES - 1)))))

    def _edited(self) -> None:
        self._preset = "custom"
        self._measure_keep_history()

    def _measure_keep_history(self) -> None:
        """The target changed: re-measure the current fit (the curve of past MSEs stays)."""
        with np.errstate(all="ignore"):
            self._mse = self._model.loss(self._inputs, self._ys)
        if self._history:
            self._history[-1] = self._mse

    def set_height(self, i: int, h: float) -> None:
        """Set the height of sample ``i`` (clamped to ``[-1, 1]``)."""
        i = self._check_index(i)
        self._ys[i] = clamp_height(as_float(h, "the height"))
        self._edited()

    def nudge_height(self, i: int, dh: float) -> float:
        """Raise sample ``i`` by ``dh`` (lower it when negative), clamped; returns the new height."""
        i = self._check_index(i)
        self.set_height(i, self._ys[i] + as_float(dh, "the change of height"))
        return float(self._ys[i])

    def draw_segment(self, x0: float, h0: float, x1: float, h1: float) -> None:
        """Set every sample between ``x0`` and ``x1`` on the straight line from ``(x0, h0)`` to
        ``(x1, h1)`` (a drag of the mouse); heights are clamped. When both ends fall on one sample,
        it takes ``h1``."""
        i0, i1 = self.index_of(x0), self.index_of(x1)
        h0, h1 = as_float(h0, "the height"), as_float(h1, "the height")
        if i0 == i1:  # both ends on one sample: the drag ends at (x1, h1)
            h0 = h1
        if i0 > i1:
            i0, i1, h0, h1 = i1, i0, h1, h0
        idx = np.arange(i0, i1 + 1)
        t = (idx - i0) / max(i1 - i0, 1)
        self._ys[idx] = np.clip(h0 + t * (h1 - h0), -HEIGHT, HEIGHT)
        self._edited()

    def set_curve(self, ys: Array) -> None:
        """Replace the whole curve (``N_SAMPLES`` finite heights, clamped to ``[-1, 1]``)."""
        try:
            ys = np.asarray(ys, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("a curve is a list of numbers") from None
        if ys.shape != (N_SAMPLES,):
            raise ValueError(f"a curve has {N_SAMPLES} heights, got an array of shape {ys.shape}")
        if not np.isfinite(ys).all():
            raise ValueError("every height must be a finite number")
        self._ys = np.clip(ys, -HEIGHT, HEIGHT)
        self._edited()

    def smooth(self) -> None:
        """Replace each inner height by the mean of itself and its two neighbours (ends stay)."""
        ys = self._ys.copy()
        ys[1:-1] = (self._ys[:-2] + self._ys[1:-1] + self._ys[2:]) / 3.0
        self._ys = ys
        self._edited()

    def flatten(self) -> None:
        """A flat line at height 0: a blank page to draw on."""
        self._ys = np.zeros(N_SAMPLES)
        self._edited()

    def load_preset(self, name: str) -> None:
        """Replace the curve by a preset (the network keeps training on the new target)."""
        ys = preset_curve(name, self._xs)  # validates the name
        self._ys = np.clip(ys, -HEIGHT, HEIGHT)
        self._preset = name
        if hasattr(self, "_model"):
            self._measure_keep_history()

    # ----------------------------------------------------------------- settings
    def set_neurons(self, n: int) -> None:
        """Use ``n`` hidden neurons; learning starts again."""
        self._neurons = self._check_neurons(n)
        self.learn()

    def set_activation(self, name: str) -> None:
        """Use another hidden activation; learning starts again."""
        self._activation = self._check_activation(name)
        self.learn()

    def set_lr(self, lr: float) -> None:
        """New learning rate for the coming epochs."""
        self._lr = as_float(lr, "the learning rate", lo=LR_RANGE[0], hi=LR_RANGE[1])
        self._opt.lr = self._lr

    def set_budget(self, budget: int) -> None:
        """Stop training after this many epochs (training goes on if the new budget is larger)."""
        self._budget = self._check_budget(budget)

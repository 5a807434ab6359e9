"""The ``backprop`` topic: one training example's backward pass, one layer per step.

``BackpropStepper`` walks a small network (the shared :class:`~algorithms.nn.MLP`, float64) through
the cycle of plain stochastic gradient descent on one example at a time, in phases a screen can show:

1. ``forward`` — the example goes in and every neuron's value is known;
2. ``loss`` — the output is compared with the target: the loss, and the output's error signal
   ``δ = ∂loss/∂z`` (for a sigmoid output with cross-entropy, simply ``ŷ − y``);
3. ``backward`` — one phase per weight layer, from the output back to the inputs: that layer's
   gradients ``∂loss/∂W = aᵀ·δ`` and ``∂loss/∂b = δ``, and the error signal of the layer below,
   ``δ' = (δ·Wᵀ) ⊙ f′(z')`` — each done by :meth:`MLP.backward_layer`, the very code of
   :meth:`MLP.loss_and_grad`, so the finished gradient is exactly the model's own;
4. ``update`` — every parameter moves against its gradient, ``θ ← θ − lr·∂loss/∂θ``.

The next step starts the next example (the four XOR cases in turn). ``numeric_gradient()`` is the
independent check: finite differences of the loss, nudging one parameter at a time.
"""

from __future__ import annotations

import copy
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.nn import MLP, get_activation, sigmoid
from algorithms.optim import make_optimizer

Array = np.ndarray

# The four XOR cases, the classic problem no single neuron can solve, in the order they are served
# (an example with a zero input first would give that input's weights no blame at all).
XOR_X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
XOR_Y = np.array([1, 1, 0, 0])

SHAPES: tuple[tuple[int, ...], ...] = ((2, 2, 1), (2, 3, 1), (2, 3, 2, 1), (2, 4, 3, 1))
ACTIVATIONS: tuple[str, ...] = ("tanh", "sigmoid", "relu", "gelu")
LOSSES: tuple[str, ...] = ("bce", "mse")
FD_STEP = 1e-3  # with the four-point rule below: about 1e-12 absolute error in float64
REL_FLOOR = 1e-5  # gradients smaller than this are compared in absolute terms


@dataclass(frozen=True)
class GradientRow:
    """One parameter of the table: where it sits, its value, and both gradients (None until known)."""

    layer: int  # weight layer i (connects diagram layer i to i + 1)
    source: int | None  # neuron of layer i, None for a bias
    target: int  # neuron of layer i + 1
    index: int  # position in the flat parameter vector
    value: float
    backprop: float | None
    numeric: float

    @property
    def is_bias(self) -> bool:
        return self.source is None

    @property
    def relative_error(self) -> float | None:
        """|backprop − numeric| / max(|backprop|, |numeric|, REL_FLOOR), once the gradient is known.

        (A gradient of almost nothing has no meaningful relative error: below ``REL_FLOOR`` the
        difference is measured against the floor instead.)
        """
        if self.backprop is None:
            return None
        return abs(self.backprop - self.numeric) / max(abs(self.backprop), abs(self.numeric), REL_FLOOR)


class BackpropStepper:
    """Explicit state of the stepped training cycle; see the module docstring.

    Phases within a cycle are numbered ``0 .. n_layers + 2``: 0 forward, 1 loss, ``2 + k`` the
    backward step through weight layer ``n_layers − 1 − k``, and ``n_layers + 2`` the update.
    """

    HISTORY = 200

    def __init__(
        self,
        seed: int = 0,
        sizes: tuple[int, ...] = (2, 3, 2, 1),
        activation: str = "tanh",
        loss: str = "bce",
        lr: float = 0.5,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._sizes = self._check_sizes(sizes)
        self._activation = get_activation(activation).name
        self._loss_name = self._check_loss(loss)
        self._opt = make_optimizer("sgd", lr=as_float(lr, "the learning rate", lo=1e-4, hi=10.0))
        self.reset()

    @staticmethod
    def _check_sizes(sizes: tuple[int, ...]) -> tuple[int, ...]:
        try:
            sizes = tuple(int(s) for s in sizes)
        except (TypeError, ValueError):
            raise ValueError(f"the network shape must be a list of widths, got {sizes!r}") from None
        if sizes not in SHAPES:
            shapes = ", ".join("-".join(map(str, s)) for s in SHAPES)
            raise ValueError(f"the network shape must be one of {shapes}; got {'-'.join(map(str, sizes))}")
        return sizes

    @staticmethod
    def _check_loss(loss: str) -> str:
        return as_choice(loss, LOSSES, "loss")

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """Fresh random weights from ``seed``; the first example's forward pass is shown."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        self._model = MLP(self._sizes, activation=self._activation, output="sigmoid", loss=self._loss_name,
                          dtype=np.float64, rng=self._seed)
        self._opt.reset()
        self._cycle = 0
        self._undo: deque[dict] = deque(maxlen=self.HISTORY)
        self._diverged = False
        self._forward()

    def _forward(self) -> None:
        """Phase 0 for the current example: the forward pass, nothing backward known yet."""
        k = self._cycle % len(XOR_Y)
        self._x = XOR_X[k : k + 1]
        self._y = XOR_Y[k : k + 1]
        with np.errstate(all="ignore"):
            self._acts, self._zs = self._model.forward_trace(self._x)
        self._phase = 0
        self._loss: float | None = None
        self._loss_after: float | None = None
        n = self.n_layers
        self._deltas: list[Array | None] = [None] * (n + 1)  # per diagram layer; δ of layer l = ∂loss/∂z
        self._grad_w: list[Array | None] = [None] * n
        self._grad_b: list[Array | None] = [None] * n
        self._numeric: Array | None = None
        self._params_before: Array | None = None  # the parameters the gradient belongs to, once updated
        self._check_finite()

    def _check_finite(self) -> None:
        ok = bool(np.isfinite(self._model.params).all()) and all(np.isfinite(a).all() for a in self._acts)
        if self._loss is not None:
            ok = ok and math.isfinite(self._loss)
        if not ok:
            self._diverged = True

    # ----------------------------------------------------------------- stepping
    @property
    def n_layers(self) -> int:
        """Number of weight layers."""
        return self._model.n_layers

    @property
    def n_phases(self) -> int:
        """Phases per cycle: forward, loss, one per weight layer, update."""
        return self.n_layers + 3

    def step(self) -> None:
        """Advance one phase (nothing once diverged)."""
        if self._diverged:
            return
        self._undo.append(self._snapshot())
        phase, n = self._phase, self.n_layers
        with np.errstate(all="ignore"):
            if phase == 0:
                self._loss, delta = self._model.output_delta(self._zs[-1], self._y)
                self._deltas[n] = delta
            elif phase <= n:
                i = n - phase  # the weight layer to go back through
                gw, gb, below = self._model.backward_layer(i, self._deltas[i + 1], self._acts, self._zs)
                self._grad_w[i], self._grad_b[i] = gw, gb
                if below is not None:
                    self._deltas[i] = below
            elif phase == n + 1:
                if self._numeric is None:
                    self._numeric = self.numeric_gradient()
                self._params_before = self._model.params.copy()
                self._opt.step(self._model.params, self.gradient())
                self._loss_after = self._model.loss(self._x, self._y)
            else:
                self._cycle += 1
                self._forward()
                return
        self._phase += 1
        self._check_finite()

    def finish_cycle(self) -> None:
        """Step through the rest of the current cycle, up to the next example's forward pass."""
        while self._phase != 0 and not self._diverged:
            self.step()

    def train(self, examples: int) -> None:
        """Finish the current cycle, then train on ``examples`` more examples at once.

        One ``step_back()`` undoes the whole burst.
        """
        examples = as_int(examples, "the number of examples", lo=0)
        start = self._snapshot()
        self.finish_cycle()
        for _ in range(examples):
            if self._diverged:
                break
            with np.errstate(all="ignore"):
                _, grad = self._model.loss_and_grad(self._x, self._y)
                self._opt.step(self._model.params, grad)
            self._cycle += 1
            self._forward()
        self._undo.clear()
        self._undo.append(start)

    def _snapshot(self) -> dict:
        return {
            "params": self._model.params.copy(),
            "opt": self._opt.state(),
            "cycle": self._cycle,
            "phase": self._phase,
            "loss": self._loss,
            "loss_after": self._loss_after,
            "deltas": copy.deepcopy(self._deltas),
            "grad_w": copy.deepcopy(self._grad_w),
            "grad_b": copy.deepcopy(self._grad_b),
            "numeric": self._numeric,
            "params_before": self._params_before,
        }

    @property
    def can_step_back(self) -> bool:
        return bool(self._undo)

    def step_back(self) -> None:
        """Undo the last phase."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        snap = self._undo.pop()
        self._model.set_params(snap["params"])
        self._opt.load_state(snap["opt"])
        self._cycle = snap["cycle"]
        k = self._cycle % len(XOR_Y)
        self._x, self._y = XOR_X[k : k + 1], XOR_Y[k : k + 1]
        self._acts, self._zs = self._model.forward_trace(self._x)
        self._phase = snap["phase"]
        self._loss, self._loss_after = snap["loss"], snap["loss_after"]
        self._deltas, self._grad_w, self._grad_b = snap["deltas"], snap["grad_w"], snap["grad_b"]
        self._numeric = snap["numeric"]
        self._params_before = snap["params_before"]
        self._diverged = False

    # ----------------------------------------------------------------- settings
    @property
    def sizes(self) -> tuple[int, ...]:
        return self._sizes

    @property
    def activation(self) -> str:
        return self._activation

    @property
    def loss_name(self) -> str:
        return self._loss_name

    @property
    def lr(self) -> float:
        return self._opt.lr

    def set_lr(self, lr: float) -> None:
        self._opt.lr = as_float(lr, "the learning rate", lo=1e-4, hi=10.0)

    def set_sizes(self, sizes: tuple[int, ...]) -> None:
        """Another network shape: fresh weights."""
        self._sizes = self._check_sizes(sizes)
        self.reset()

    def set_activation(self, name: str) -> None:
        """Another hidden activation: fresh weights."""
        self._activation = get_activation(name).name
        self.reset()

    def set_loss(self, name: str) -> None:
        """Cross-entropy (``bce``) or squared error (``mse``): fresh weights."""
        self._loss_name = self._check_loss(name)
        self.reset()

    # ----------------------------------------------------------------- what there is to see
    @property
    def model(self) -> MLP:
        return self._model

    @property
    def phase(self) -> int:
        return self._phase

    @property
    def phase_kind(self) -> str:
        """``forward``, ``loss``, ``backward`` or ``update``."""
        n = self.n_layers
        if self._phase == 0:
            return "forward"
        if self._phase == 1:
            return "loss"
        if self._phase <= n + 1:
            return "backward"
        return "update"

    @property
    def reached(self) -> int:
        """The lowest weight layer whose gradients are known (``n_layers`` when none are)."""
        known = [i for i, g in enumerate(self._grad_w) if g is not None]
        return min(known) if known else self.n_layers

    @property
    def cycle(self) -> int:
        """Examples completed (the current one is XOR case ``cycle % 4``)."""
        return self._cycle

    @property
    def x(self) -> Array:
        """The current example, shape ``(2,)``."""
        return self._x[0]

    @property
    def target(self) -> int:
        return int(self._y[0])

    @property
    def prediction(self) -> float:
        """ŷ: the network's output for the current example (as it was in the forward pass)."""
        return float(self.node_values[-1][0])

    @property
    def loss(self) -> float | None:
        """The example's loss, once the loss phase has run."""
        return self._loss

    @property
    def loss_after(self) -> float | None:
        """The same example's loss after the update (known in the update phase)."""
        return self._loss_after

    @property
    def node_values(self) -> list[Array]:
        """Every neuron's value in the forward pass: inputs, hidden activations, then ŷ."""
        return [a[0] for a in self._acts] + [sigmoid(self._zs[-1])[0]]

    @property
    def pre_activations(self) -> list[Array]:
        """Every non-input neuron's z (before its activation), per diagram layer 1 .. n."""
        return [z[0] for z in self._zs]

    @property
    def deltas(self) -> list[Array | None]:
        """Per diagram layer, the error signal ``∂loss/∂z`` of its neurons once known (layer 0: None)."""
        return [None if d is None else d[0] for d in self._deltas]

    @property
    def grad_weights(self) -> list[Array | None]:
        return list(self._grad_w)

    @property
    def grad_biases(self) -> list[Array | None]:
        return list(self._grad_b)

    @property
    def complete(self) -> bool:
        """True once every layer's gradient is known."""
        return all(g is not None for g in self._grad_w)

    def gradient(self) -> Array:
        """The full gradient in the model's flat layout (``W[0], b[0], W[1], b[1], …``)."""
        if not self.complete:
            raise ValueError("the backward pass has not reached the first layer yet")
        parts: list[Array] = []
        for gw, gb in zip(self._grad_w, self._grad_b):
            parts += [gw.ravel(), gb.ravel()]  # type: ignore[union-attr]
        return np.concatenate(parts)

    def edge_values(self) -> list[Array]:
        """|∂loss/∂w| for every edge whose layer has been reached, 0 for the others."""
        return [np.zeros_like(W) if g is None else np.abs(g) for W, g in zip(self._model.weights, self._grad_w)]

    def numeric_gradient(self, h: float = FD_STEP) -> Array:
        """Finite differences of the example's loss, one parameter at a time (the check).

        Each parameter is nudged by ±h and ±2h and the four losses combined with the fourth-order
        central rule ``(L(−2h) − 8·L(−h) + 8·L(+h) − L(+2h)) / 12h``, whose error (≈ h⁴) is far below
        the plain two-point rule's (≈ h²) at a step large enough to avoid rounding noise.
        Cached per forward pass (the update phase needs the value from before the step).
        """
        if self._numeric is not None and h == FD_STEP:
            return self._numeric
        h = as_float(h, "the finite-difference step", lo=0, lo_inclusive=False)
        params = self._model.params
        out = np.empty_like(params)
        for i in range(params.size):
            keep = params[i]
            losses = []
            for k in (-2, -1, 1, 2):
                params[i] = keep + k * h
                losses.append(self._model.loss(self._x, self._y))
            params[i] = keep
            out[i] = (losses[0] - 8 * losses[1] + 8 * losses[2] - losses[3]) / (12 * h)
        if h == FD_STEP:
            self._numeric = out
        return out

    def rows(self) -> list[GradientRow]:
        """One row per parameter, output layer first (the order the backward pass fills them)."""
        numeric = self.numeric_gradient()
        params = self._model.params if self._params_before is None else self._params_before
        out: list[GradientRow] = []
        starts = np.cumsum([0] + [i * o + o for i, o in zip(self._sizes[:-1], self._sizes[1:])])
        for layer in range(self.n_layers - 1, -1, -1):
            n_in, n_out = self._sizes[layer], self._sizes[layer + 1]
            gw, gb = self._grad_w[layer], self._grad_b[layer]
            at = int(starts[layer])
            for t in range(n_out):
                for s in range(n_in):
                    idx = at + s * n_out + t
                    out.append(GradientRow(layer, s, t, idx, float(params[idx]),
                                           None if gw is None else float(gw[s, t]), float(numeric[idx])))
                idx = at + n_in * n_out + t
                out.append(GradientRow(layer, None, t, idx, float(params[idx]),
                                       None if gb is None else float(gb[t]), float(numeric[idx])))
        return out

    # ----------------------------------------------------------------- the whole task
    def predictions(self) -> Array:
        """ŷ for the four XOR cases with the current weights."""
        return self._model.forward(XOR_X)[:, 0]

    def mean_loss(self) -> float:
        """The loss averaged over the four XOR cases."""
        return self._model.loss(XOR_X, XOR_Y)

    @property
    def diverged(self) -> bool:
        return self._diverged

"""A small multilayer perceptron with hand-written backpropagation, in plain NumPy.

Conventions
-----------
* Layer ``i`` computes ``z = a @ W[i] + b[i]`` with ``W[i]`` of shape ``(fan_in, fan_out)``; hidden
  layers apply the activation, the last layer applies the *output* function (sigmoid, linear or
  softmax) to its logits.
* Every weight and bias lives in one flat vector ``params``; ``weights[i]`` and ``biases[i]`` are
  views into it (order: ``W[0], b[0], W[1], b[1], ...``). The gradient has the same layout.
* Losses are means over samples (``n``) *and* outputs (``out``):
  ``mse = mean((a − y)²)``, ``bce = mean(−y·log a − (1 − y)·log(1 − a))`` (computed from the
  logits, so it never takes ``log 0``); ``ce = mean over samples of −Σₖ yₖ·log softmax(z)ₖ``.
* Optional penalties on the weights (never the biases): ``l1·Σ|w| + ½·l2·Σw²`` added to the loss.
* Targets ``y``: an ``(n, out)`` array, or ``(n,)`` — values for a single output, class ids
  (turned into one-hot rows) for several outputs.
"""

from __future__ import annotations

import copy as _copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.rng import RngLike, as_rng

Array = np.ndarray


# --------------------------------------------------------------------------- activations
@dataclass(frozen=True)
class Activation:
    """An element-wise function and its derivative.

    ``grad(z, a)`` returns ``da/dz`` given the input ``z`` *and* the value ``a = fn(z)``, so each
    derivative can use whichever is cheaper (tanh uses ``1 − a²``, ReLU uses ``z > 0``).
    """

    name: str
    fn: Callable[[Array], Array]
    grad: Callable[[Array, Array], Array]

    def __call__(self, z: Array) -> Array:
        return self.fn(z)

    def derivative(self, z: Array) -> Array:
        """``da/dz`` at ``z``."""
        z = np.asarray(z, dtype=np.result_type(z, np.float32))
        return self.grad(z, self.fn(z))


LEAKY_SLOPE = 0.01

ACTIVATIONS: dict[str, Activation] = {}


def register_activation(name: str, fn: Callable[[Array], Array], grad: Callable[[Array, Array], Array]) -> None:
    """Add (or replace) an activation in the table, e.g. ``gelu``. Functions must keep the dtype."""
    ACTIVATIONS[name] = Activation(name, fn, grad)


def get_activation(name: str) -> Activation:
    """The activation called ``name``; ``ValueError`` naming the choices otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None


def sigmoid(z: Array) -> Array:
    """The logistic function, written with tanh so it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _relu(z: Array) -> Array:
    return np.maximum(z, 0)


def _leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, z * LEAKY_SLOPE)


def _leaky_relu_grad(z: Array, a: Array) -> Array:
    return np.where(z > 0, z.dtype.type(1), z.dtype.type(LEAKY_SLOPE))


register_activation("tanh", np.tanh, lambda z, a: 1 - a * a)
register_activation("relu", _relu, lambda z, a: (z > 0).astype(z.dtype))
register_activation("sigmoid", sigmoid, lambda z, a: a * (1 - a))
register_activation("linear", lambda z: z, lambda z, a: np.ones_like(z))
register_activation("leaky_relu", _leaky_relu, _leaky_relu_grad)

_erf = np.frompyfunc(math.erf, 1, 1)  # exact to double precision (NumPy has no erf)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _normal_cdf(z: Array) -> Array:
    """Φ(z), the standard normal CDF, element-wise in ``z``'s dtype."""
    z = np.asarray(z)
    dtype = z.dtype if z.dtype.kind == "f" else np.dtype(np.float64)
    erf = np.asarray(_erf(z * _INV_SQRT2), dtype=np.float64)
    return (0.5 * (1.0 + erf)).astype(dtype, copy=False)


def _gelu(z: Array) -> Array:
    """GELU(z) = z·Φ(z), the exact (erf) form."""
    return z * _normal_cdf(z)


def _gelu_grad(z: Array, a: Array) -> Array:
    """d/dz z·Φ(z) = Φ(z) + z·φ(z)."""
    cdf = _normal_cdf(z)
    return cdf + z * (np.exp(-0.5 * z * z) * cdf.dtype.type(_INV_SQRT_2PI))


# Slower than the others (erf is evaluated per element in Python): fine for curves and small nets.
register_activation("gelu", _gelu, _gelu_grad)


# --------------------------------------------------------------------------- initialisers
def _xavier(gen: np.random.Generator, fan_in: int, fan_out: int) -> Array:
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return gen.uniform(-limit, limit, size=(fan_in, fan_out))


def _xavier_normal(gen: np.random.Generator, fan_in: int, fan_out: int) -> Array:
    return gen.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def _he(gen: np.random.Generator, fan_in: int, fan_out: int) -> Array:
    return gen.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def _lecun(gen: np.random.Generator, fan_in: int, fan_out: int) -> Array:
    return gen.normal(0.0, math.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


INITS: dict[str, Callable[[np.random.Generator, int, int], Array]] = {
    "xavier": _xavier,  # Glorot uniform
    "xavier_normal": _xavier_normal,
    "he": _he,
    "lecun": _lecun,
}

OUTPUTS = ("sigmoid", "linear", "softmax")
LOSSES = ("bce", "mse", "ce")
_COMBOS = {("sigmoid", "bce"), ("sigmoid", "mse"), ("linear", "mse"), ("softmax", "ce")}


# --------------------------------------------------------------------------- the model
class MLP:
    """A fully connected network; see the module docstring for the conventions."""

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        output: str = "sigmoid",
        loss: str = "bce",
        dtype: type | np.dtype = np.float64,
        rng: RngLike = None,
        init: str = "xavier",
    ) -> None:
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, got {sizes!r}")
        self.sizes: tuple[int, ...] = tuple(as_int(s, "every layer width", lo=1) for s in sizes)
        self._act = get_activation(activation)
        as_choice(output, OUTPUTS, "output")
        as_choice(loss, LOSSES, "loss")
        if (output, loss) not in _COMBOS:
            pairs = ", ".join(f"{o}+{l}" for o, l in sorted(_COMBOS))
            raise ValueError(f"output {output!r} does not go with loss {loss!r}; use one of {pairs}")
        if output == "softmax" and self.sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 output units")
        as_choice(init, INITS, "init")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self.output = output
        self.loss_name = loss
        self.init = init
        self._rng = as_rng(rng)
        self._build()
        self.reinit()

    # ----------------------------------------------------------------- layout
    def _build(self) -> None:
        """Allocate the flat parameter and gradient vectors and the per-layer views into them."""
        shapes = list(zip(self.sizes[:-1], self.sizes[1:]))
        total = sum(i * o + o for i, o in shapes)
        self.params = np.zeros(total, dtype=self.dtype)
        self.grad = np.zeros(total, dtype=self.dtype)
        self.weights: list[Array] = []
        self.biases: list[Array] = []
        self.grad_weights: list[Array] = []
        self.grad_biases: list[Array] = []
        at = 0
        for i, o in shapes:
            for vec, ws, bs in ((self.params, self.weights, self.biases), (self.grad, self.grad_weights, self.grad_biases)):
                ws.append(vec[at : at + i * o].reshape(i, o))
                bs.append(vec[at + i * o : at + i * o + o])
            at += i * o + o

    @property
    def activation(self) -> str:
        """Name of the hidden-layer activation."""
        return self._act.name

    @property
    def n_params(self) -> int:
        return self.params.size

    @property
    def n_layers(self) -> int:
        """Number of weight layers."""
        return len(self.weights)

    def reinit(self, rng: RngLike = None) -> None:
        """Draw fresh weights (zero biases); ``rng`` replaces the model's generator when given."""
        if rng is not None:
            self._rng = as_rng(rng)
        init = INITS[self.init]
        for W, b in zip(self.weights, self.biases):
            W[...] = init(self._rng, *W.shape)
            b[...] = 0

    def set_params(self, vec: Array) -> None:
        """Copy ``vec`` (length ``n_params``) into the parameters; the views stay valid."""
        vec = np.asarray(vec)
        if vec.shape != self.params.shape:
            raise ValueError(f"expected {self.n_params} parameters, got an array of shape {vec.shape}")
        self.params[...] = vec

    def copy(self) -> MLP:
        """An independent model with equal parameters and a copy of the generator's state."""
        new = _copy.copy(self)  # shares nothing once the lines below replace the arrays
        new._rng = _copy.deepcopy(self._rng)
        new._build()
        new.params[...] = self.params
        return new

    def to_dict(self) -> dict:
        """The model as plain JSON-ready data: its settings and every weight and bias as lists.

        Values are written as Python floats, which keep float32 and float64 numbers exactly.
        """
        return {
            "sizes": list(self.sizes),
            "activation": self.activation,
            "output": self.output,
            "loss": self.loss_name,
            "dtype": self.dtype.name,
            "init": self.init,
            "weights": [W.tolist() for W in self.weights],
            "biases": [b.tolist() for b in self.biases],
        }

    @classmethod
    def from_dict(cls, data: dict) -> MLP:
        """The model that :meth:`to_dict` described; ``ValueError`` naming what is missing or wrong."""
        if not isinstance(data, dict):
            raise ValueError("a model must be a JSON object")
        missing = [k for k in ("sizes", "activation", "output", "loss", "weights", "biases") if k not in data]
        if missing:
            raise ValueError(f"the model lacks {', '.join(missing)}")
        try:
            model = cls(
                list(data["sizes"]), activation=data["activation"], output=data["output"], loss=data["loss"],
                dtype=np.dtype(data.get("dtype", "float64")), init=data.get("init", "xavier"), rng=0,
            )
        except TypeError as error:
            raise ValueError(f"bad model settings: {error}") from None
        weights, biases = data["weights"], data["biases"]
        if not (isinstance(weights, list) and isinstance(biases, list)) or not (
            len(weights) == len(biases) == model.n_layers
        ):
            raise ValueError(f"the model needs {model.n_layers} weight matrices and bias vectors")
        for i, (W, b) in enumerate(zip(weights, biases)):
            try:
                W = np.asarray(W, dtype=np.float64)
                b = np.asarray(b, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"layer {i}: weights and biases must be numbers") from None
            if W.shape != model.weights[i].shape or b.shape != model.biases[i].shape:
                raise ValueError(
                    f"layer {i}: expected weights {model.weights[i].shape} and biases {model.biases[i].shape}, "
                    f"got {W.shape} and {b.shape}"
                )
            if not (np.isfinite(W).all() and np.isfinite(b).all()):
                raise ValueError(f"layer {i}: weights and biases must be finite")
            model.weights[i][...] = W
            model.biases[i][...] = b
        return model

    def __repr__(self) -> str:
        arrows = " → ".join(map(str, self.sizes))
        return f"MLP({arrows}, {self.activation}, {self.output}+{self.loss_name}, {self.dtype.name})"

    # ----------------------------------------------------------------- forward
    def _inputs(self, X: Array, need_rows: bool = False) -> Array:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}), got {X.shape}")
        if need_rows and X.shape[0] == 0:
            raise ValueError("a loss needs at least one sample")
        return X

    def _forward(self, X: Array) -> tuple[list[Array], list[Array]]:
        """Inputs of every layer (``acts[0] = X``) and pre-activations of every layer (last = logits)."""
        acts = [X]
        zs: list[Array] = []
        last = self.n_layers - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = acts[-1] @ W
            z += b
            zs.append(z)
            if i < last:
                acts.append(self._act.fn(z))
        return acts, zs

    def _output(self, z: Array) -> Array:
        if self.output == "sigmoid":
            return sigmoid(z)
        if self.output == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return z

    def logits(self, X: Array) -> Array:
        """The last layer's values before the output function, shape ``(n, out)``."""
        return self._forward(self._inputs(X))[1][-1]

    def forward(self, X: Array) -> Array:
        """The network's output, shape ``(n, out)``."""
        return self._output(self.logits(X))

    def predict_proba(self, X: Array) -> Array:
        """Class probabilities, shape ``(n, out)`` (one column: P(class 1)). Not for linear outputs."""
        if self.output == "linear":
            raise ValueError("a linear output gives values, not probabilities; use forward()")
        return self.forward(X)

    @staticmethod
    def _true_classes(Y: Array) -> Array:
        """Class ids from target rows: ``y ≥ 0.5`` for one output, argmax for several."""
        if Y.shape[1] == 1:
            return (Y[:, 0] >= 0.5).astype(np.int64)
        return Y.argmax(axis=1).astype(np.int64)

    def _classes(self, z: Array) -> Array:
        """Class ids from logits: threshold for one output (0 for sigmoid, 0.5 for linear), argmax else."""
        if z.shape[1] == 1:
            return (z[:, 0] >= (0.5 if self.output == "linear" else 0.0)).astype(np.int64)
        return z.argmax(axis=1).astype(np.int64)

    def predict(self, X: Array) -> Array:
        """Class ids, shape ``(n,)``."""
        return self._classes(self.logits(X))

    def _forward_masked(self, X: Array, masks: Sequence[Array]) -> tuple[list[Array], list[Array], list[Array]]:
        """``_forward`` with dropout: hidden activations times their mask. Also returns the unmasked
        activations (the derivatives of the activation need them)."""
        acts = [X]
        zs: list[Array] = []
        raw: list[Array] = []
        last = self.n_layers - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = acts[-1] @ W
            z += b
            zs.append(z)
            if i < last:
                a = self._act.fn(z)
                raw.append(a)
                acts.append(a * masks[i])
        return acts, zs, raw

    def dropout_masks(self, n: int, rate: float, rng: RngLike = None) -> list[Array]:
        """Inverted-dropout masks for a batch of ``n`` rows, one ``(n, width)`` array per hidden layer.

        Each entry is 0 with probability ``rate`` and ``1/(1 − rate)`` otherwise, so a unit's expected
        output is unchanged and nothing needs rescaling at prediction time (which uses no masks).
        """
        n = as_int(n, "the number of rows", lo=1)
        rate = as_float(rate, "the dropout rate", lo=0, hi=1, hi_inclusive=False)
        gen = as_rng(rng)
        keep = 1.0 - rate
        scale = self.dtype.type(1.0 / keep)
        return [np.where(gen.random((n, w)) < keep, scale, self.dtype.type(0)) for w in self.sizes[1:-1]]

    def _check_masks(self, masks: Sequence[Array], n: int) -> list[Array]:
        widths = self.sizes[1:-1]
        if isinstance(masks, np.ndarray) or len(masks) != len(widths):
            raise ValueError(f"dropout needs one mask per hidden layer ({len(widths)}), got {len(masks)}")
        out = []
        for m, w in zip(masks, widths):
            m = np.asarray(m, dtype=self.dtype)
            if m.shape != (n, w):
                raise ValueError(f"a dropout mask must have shape ({n}, {w}), got {m.shape}")
            out.append(m)
        return out

    def hidden_outputs(self, X: Array) -> list[Array]:
        """The values of every layer after the input: each hidden layer's activations, then the output."""
        acts, zs = self._forward(self._inputs(X))
        return acts[1:] + [self._output(zs[-1])]

    # ----------------------------------------------------------------- loss and gradient
    def _targets(self, y: Array, n: int) -> Array:
        y = np.asarray(y)
        out = self.sizes[-1]
        if y.ndim == 2:
            if y.shape != (n, out):
                raise ValueError(f"targets must have shape ({n}, {out}) or ({n},), got {y.shape}")
            return y.astype(self.dtype, copy=False)
        if y.ndim != 1 or y.shape[0] != n:
            raise ValueError(f"targets must have shape ({n},) or ({n}, {out}), got {y.shape}")
        if out == 1:
            return y.astype(self.dtype, copy=False).reshape(n, 1)
        ids = y.astype(np.int64)
        if not np.array_equal(ids, y) or ids.min(initial=0) < 0 or ids.max(initial=0) >= out:
            raise ValueError(f"class ids must be integers in 0..{out - 1}")
        onehot = np.zeros((n, out), dtype=self.dtype)
        onehot[np.arange(n), ids] = 1
        return onehot

    def _head(self, z: Array, Y: Array, want_grad: bool) -> tuple[float, Array | None]:
        """Loss of logits ``z`` against targets ``Y`` and, if asked, its gradient with respect to ``z``."""
        n, out = z.shape
        if self.loss_name == "ce":
            m = z.max(axis=1, keepdims=True)
            e = np.exp(z - m)
            s = e.sum(axis=1, keepdims=True)
            lse = m + np.log(s)
            w = Y.sum(axis=1, keepdims=True)  # 1 for one-hot rows; exact for any target rows
            loss = (float(np.vdot(w, lse)) - float(np.vdot(Y, z))) / n
            return loss, ((e / s) * w - Y) / n if want_grad else None
        scale = 1.0 / (n * out)
        if self.loss_name == "bce":
            loss = float(np.sum(np.logaddexp(0, z) - Y * z)) * scale
            return loss, (sigmoid(z) - Y) * z.dtype.type(scale) if want_grad else None
        a = sigmoid(z) if self.output == "sigmoid" else z
        diff = a - Y
        loss = float(np.sum(diff * diff)) * scale
        if not want_grad:
            return loss, None
        dz = diff * z.dtype.type(2 * scale)
        if self.output == "sigmoid":
            dz *= a * (1 - a)
        return loss, dz

    def _penalty(self, l1: float, l2: float) -> float:
        l1, l2 = as_float(l1, "the L1 rate", lo=0), as_float(l2, "the L2 rate", lo=0)
        total = 0.0
        for W in self.weights:
            if l1:
                total += l1 * float(np.abs(W).sum())
            if l2:
                total += 0.5 * l2 * float(np.vdot(W, W))
        return total

    def loss(
        self, X: Array, y: Array, l1: float = 0.0, l2: float = 0.0, masks: Sequence[Array] | None = None
    ) -> float:
        """The mean loss on ``(X, y)`` plus the optional weight penalties.

        ``masks`` (from :meth:`dropout_masks`) multiply the hidden activations: dropout.
        """
        X = self._inputs(X, need_rows=True)
        penalty = self._penalty(l1, l2)
        if masks is None:
            z = self._forward(X)[1][-1]
        else:
            z = self._forward_masked(X, self._check_masks(masks, X.shape[0]))[1][-1]
        return penalty + self._head(z, self._targets(y, X.shape[0]), False)[0]

    def loss_and_grad(
        self,
        X: Array,
        y: Array,
        l1: float = 0.0,
        l2: float = 0.0,
        masks: Sequence[Array] | None = None,
        trace: tuple[list[Array], list[Array]] | None = None,
    ) -> tuple[float, Array]:
        """Loss and its gradient with respect to ``params`` (by backpropagation).

        ``masks`` (from :meth:`dropout_masks`) apply dropout to the hidden layers; the gradient is
        then that of the masked network (a dropped unit passes no gradient back).
        ``trace``, from :meth:`forward_trace` on the same ``X`` with the current weights, saves the
        forward pass (a training loop that has just measured its loss on all points has one).
        The gradient returned is the model's own buffer ``self.grad``: the next call overwrites it,
        so copy it if you keep it.
        """
        X = self._inputs(X, need_rows=True)
        penalty = self._penalty(l1, l2) if l1 or l2 else 0.0
        if trace is not None:
            if masks is not None:
                raise ValueError("a forward trace has no dropout: pass masks or a trace, not both")
            acts, zs = trace
            if acts[0].shape != X.shape:
                raise ValueError(f"the trace is of {acts[0].shape[0]} rows, X has {X.shape[0]}")
            raw, masks = acts[1:], None
        elif masks is None:
            acts, zs = self._forward(X)
            raw, masks = acts[1:], None
        else:
            masks = self._check_masks(masks, X.shape[0])
            acts, zs, raw = self._forward_masked(X, masks)
        loss, delta = self._head(zs[-1], self._targets(y, X.shape[0]), True)
        ones = self._ones_row(X.shape[0])
        for i in range(self.n_layers - 1, -1, -1):
            np.matmul(acts[i].T, delta, out=self.grad_weights[i])
            # a row of ones times delta: the column sums, several times faster than a sum along axis 0
            np.matmul(ones, delta, out=self.grad_biases[i].reshape(1, -1))
            if i > 0:
                back = delta @ self.weights[i].T
                if masks is not None:
                    back *= masks[i - 1]
                back *= self._act.grad(zs[i - 1], raw[i - 1])
                delta = back
        if l1 or l2:
            loss += penalty
            for W, gW in zip(self.weights, self.grad_weights):
                if l1:
                    gW += l1 * np.sign(W)
                if l2:
                    gW += l2 * W
        return loss, self.grad

    def _ones_row(self, n: int) -> Array:
        """A ``(1, n)`` row of ones in the model's dtype (kept for the next call)."""
        ones = getattr(self, "_ones", None)
        if ones is None or ones.shape[1] < n:
            ones = self._ones = np.ones((1, max(n, 64)), dtype=self.dtype)
        return ones[:, :n]

    def evaluate(
        self, X: Array, y: Array, trace: tuple[list[Array], list[Array]] | None = None
    ) -> tuple[float, float]:
        """``(mean loss, accuracy)`` from one forward pass (or from ``trace``, see
        :meth:`loss_and_grad`); ``y`` holds class ids or target rows."""
        X = self._inputs(X, need_rows=True)
        if trace is not None and trace[0][0].shape != X.shape:
            raise ValueError(f"the trace is of {trace[0][0].shape[0]} rows, X has {X.shape[0]}")
        z = (trace or self._forward(X))[1][-1]
        Y = self._targets(y, X.shape[0])
        loss = self._head(z, Y, False)[0]
        if z.shape[1] == 1:  # the same rule as _classes and _true_classes, without the int arrays
            predicted = z >= (0.5 if self.output == "linear" else 0.0)
            return loss, np.count_nonzero(predicted == (Y >= 0.5)) / z.shape[0]
        return loss, float(np.mean(self._classes(z) == self._true_classes(Y)))

    def accuracy(self, X: Array, y: Array) -> float:
        """Fraction of rows whose predicted class matches ``y``."""
        return self.evaluate(X, y)[1]

    # ----------------------------------------------------------------- backpropagation, one layer at a time
    def forward_trace(self, X: Array) -> tuple[list[Array], list[Array]]:
        """What the backward pass needs from the forward pass.

        Returns ``(acts, zs)``: ``acts[i]`` is the input of weight layer ``i`` (``acts[0] = X``, then
        each hidden layer's activations) and ``zs[i]`` its pre-activation (``zs[-1]`` = the logits).
        """
        return self._forward(self._inputs(X, need_rows=True))

    def output_delta(self, logits: Array, y: Array) -> tuple[float, Array]:
        """The mean loss of ``logits`` against targets ``y`` and ``∂loss/∂logits`` (no penalties):
        the error signal where backpropagation starts."""
        z = np.asarray(logits, dtype=self.dtype)
        if z.ndim != 2 or z.shape[1] != self.sizes[-1] or z.shape[0] == 0:
            raise ValueError(f"logits must have shape (n, {self.sizes[-1]}) with n ≥ 1, got {z.shape}")
        return self._head(z, self._targets(y, z.shape[0]), True)  # type: ignore[return-value]

    def backward_layer(
        self, i: int, delta: Array, acts: Sequence[Array], zs: Sequence[Array]
    ) -> tuple[Array, Array, Array | None]:
        """One step of the backward pass through weight layer ``i``, exactly as ``loss_and_grad``.

        From ``delta = ∂loss/∂zs[i]`` returns ``(∂loss/∂W[i], ∂loss/∂b[i], ∂loss/∂zs[i − 1])``; the
        last is None for the first layer. ``acts``/``zs`` come from :meth:`forward_trace`.
        """
        i = as_int(i, "the layer index", lo=0)
        if i >= self.n_layers:
            raise ValueError(f"the layer index must be below {self.n_layers}, got {i}")
        grad_w = acts[i].T @ delta
        grad_b = np.sum(delta, axis=0)
        if i == 0:
            return grad_w, grad_b, None
        back = delta @ self.weights[i].T
        back *= self._act.grad(zs[i - 1], acts[i])
        return grad_w, grad_b, back

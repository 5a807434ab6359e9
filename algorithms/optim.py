"""Gradient-descent update rules: SGD, momentum, RMSProp and Adam.

``opt.step(params, grad)`` changes ``params`` in place (an array of any shape). An optimiser keeps
its accumulators (one array the shape of ``params`` per accumulator) from step to step;
``reset()`` forgets them, ``state()``/``load_state()`` copy them out and back in (for stepping back).
Hyper-parameters (``lr``, ``beta`` ...) are plain validated attributes and are not part of ``state()``.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

import numpy as np

from algorithms.checks import as_float

Array = np.ndarray


def _positive(value: float, what: str) -> float:
    return as_float(value, what, lo=0, lo_inclusive=False)


def _unit(value: float, what: str) -> float:
    return as_float(value, what, lo=0, hi=1, hi_inclusive=False)


class Optimizer:
    """Base class: subclasses name their accumulators in ``slots`` and write ``_update``."""

    name: ClassVar[str] = "optimizer"
    slots: ClassVar[tuple[str, ...]] = ()

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = lr
        self.t = 0  # number of steps taken since the last reset
        self._buffers: dict[str, Array] = {}

    @property
    def lr(self) -> float:
        """The learning rate (> 0)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _positive(value, "the learning rate")

    def reset(self) -> None:
        """Forget the accumulators and the step count."""
        self.t = 0
        self._buffers = {}

    def step(self, params: Array, grad: Array) -> None:
        """Update ``params`` in place with the gradient ``grad`` (same shape)."""
        if not isinstance(params, np.ndarray):
            raise ValueError("params must be a NumPy array (it is updated in place)")
        grad = np.asarray(grad)
        if grad.shape != params.shape:
            raise ValueError(f"gradient shape {grad.shape} does not match parameter shape {params.shape}")
        if not self._buffers:
            self._buffers = {k: np.zeros_like(params) for k in self.slots}
        elif self.slots and self._buffers[self.slots[0]].shape != params.shape:
            raise ValueError("the parameters changed shape since the last step; call reset() first")
        self.t += 1
        self._update(params, grad, **self._buffers)

    def _update(self, params: Array, grad: Array, **buffers: Array) -> None:
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        """A copy of the step count and accumulators."""
        return {"name": self.name, "t": self.t, **{k: v.copy() for k, v in self._buffers.items()}}

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore what ``state()`` returned (copies it in)."""
        if state.get("name") != self.name:
            raise ValueError(f"this state belongs to {state.get('name')!r}, not {self.name!r}")
        buffers = {k: np.array(state[k], copy=True) for k in self.slots if k in state}
        if buffers and set(buffers) != set(self.slots):
            raise ValueError(f"a {self.name} state needs all of {', '.join(self.slots)}")
        self.t = int(state["t"])
        self._buffers = buffers

    def hyperparams(self) -> dict[str, float]:
        """The constructor's keyword arguments with their current values."""
        names = list(inspect.signature(type(self).__init__).parameters)[1:]
        return {k: getattr(self, k) for k in names}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.hyperparams().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """θ ← θ − lr·g"""

    name = "sgd"

    def _update(self, params: Array, grad: Array) -> None:
        params -= self.lr * grad


class Momentum(Optimizer):
    """v ← β·v + g;  θ ← θ − lr·v  (heavy ball)"""

    name = "momentum"
    slots = ("v",)

    def __init__(self, lr: float = 0.01, beta: float = 0.9) -> None:
        super().__init__(lr)
        self.beta = _unit(beta, "beta")

    def _update(self, params: Array, grad: Array, v: Array) -> None:
        v *= self.beta
        v += grad
        params -= self.lr * v


class RMSProp(Optimizer):
    """s ← ρ·s + (1 − ρ)·g²;  θ ← θ − lr·g / (√s + ε)"""

    name = "rmsprop"
    slots = ("s",)

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.rho = _unit(rho, "rho")
        self.eps = _positive(eps, "eps")

    def _update(self, params: Array, grad: Array, s: Array) -> None:
        s *= self.rho
        s += (1.0 - self.rho) * grad * grad
        params -= self.lr * grad / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Kingma & Ba (2015): m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
    θ ← θ − lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)."""

    name = "adam"
    slots = ("m", "v")

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1 = _unit(beta1, "beta1")
        self.beta2 = _unit(beta2, "beta2")
        self.eps = _positive(eps, "eps")

    def _update(self, params: Array, grad: Array, m: Array, v: Array) -> None:
        m *= self.beta1
        m += (1.0 - self.beta1) * grad
        v *= self.beta2
        v += (1.0 - self.beta2) * grad * grad
        m_hat_scale = 1.0 / (1.0 - self.beta1**self.t)
        v_hat_scale = 1.0 / (1.0 - self.beta2**self.t)
        params -= (self.lr * m_hat_scale) * m / (np.sqrt(v * v_hat_scale) + self.eps)


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Momentum, RMSProp, Adam)}


def make_optimizer(name: str, **kw: float) -> Optimizer:
    """Build the optimiser called ``name`` (a key of ``OPTIMIZERS``) with its keyword arguments."""
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None
    try:
        inspect.signature(cls).bind(**kw)
    except TypeError as exc:
        raise ValueError(f"bad argument for optimizer {name!r}: {exc}") from None
    return cls(**kw)

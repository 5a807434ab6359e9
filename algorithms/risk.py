"""Empirical risk: Q(a, X) = 1/n · Σᵢ L(a, xᵢ), the average loss over a data set.

Three pieces, each usable alone:

* ``empirical_risk(losses)`` and ``risk(loss, model, data)`` — the formula itself;
* ``EpochLosses`` — five training examples whose losses shrink by a constant factor per epoch
  (the figures of the "loss formula" article: 0.84, 0.67, 0.78, 0.59, 0.71, ×0.72 per epoch);
* ``PixelFrame`` — an image is a matrix: a small target picture, a model output made worse by noise
  as its accuracy drops, the error grid and L = mean((real − generated)²).

``LossFormula`` bundles them as the ``loss-formula`` topic's state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.rng import as_rng

Array = np.ndarray

# The article's five clips: starting losses, shrink factor per epoch, and the "learned" threshold.
EXAMPLE_NAMES = ("x₁ sunset", "x₂ waves", "x₃ walk", "x₄ city", "x₅ forest")
BASE_LOSSES = (0.84, 0.67, 0.78, 0.59, 0.71)
SHRINK = 0.72
LEARNED_BELOW = 0.08
FAIR_BELOW = 0.25  # our own middle band for the verdict
MAX_EPOCH = 15
DECIMALS = 2  # the losses are shown (and used) rounded to two decimals, as in the article

PIXEL_MAX = 255
NOISE_SPAN = 150  # at 0 % accuracy a pixel may be off by up to ±150 (then clipped to 0..255)

# 5×5 target pictures (0 dark … 255 bright).
PATTERNS: dict[str, Array] = {
    "plus": np.array(
        [
            [30, 30, 220, 30, 30],
            [30, 30, 220, 30, 30],
            [220, 220, 255, 220, 220],
            [30, 30, 220, 30, 30],
            [30, 30, 220, 30, 30],
        ]
    ),
    "smile": np.array(
        [
            [40, 200, 40, 200, 40],
            [40, 200, 40, 200, 40],
            [40, 40, 40, 40, 40],
            [210, 40, 40, 40, 210],
            [40, 210, 210, 210, 40],
        ]
    ),
    "sunset": np.array(
        [
            [250, 240, 230, 240, 250],
            [200, 180, 160, 180, 200],
            [150, 120, 255, 120, 150],
            [90, 70, 200, 70, 90],
            [20, 20, 20, 20, 20],
        ]
    ),
}
for _p in PATTERNS.values():
    _p.flags.writeable = False


# --------------------------------------------------------------------------- the formula
def empirical_risk(losses: Iterable[float]) -> float:
    """Q = (1/n)·Σ Lᵢ: the plain mean of the per-example losses (ValueError if empty or not finite)."""
    arr = np.asarray(list(losses) if not isinstance(losses, np.ndarray) else losses, dtype=float).reshape(-1)
    if arr.size == 0:
        raise ValueError("the data set is empty: Q needs at least one example")
    if not np.all(np.isfinite(arr)):
        raise ValueError("every loss must be a finite number")
    total = 0.0
    for value in arr:  # Σ written as the loop it stands for
        total += float(value)
    return total / arr.size


def risk(loss: Callable[[Any, Any], float], model: Any, data: Iterable[Any]) -> float:
    """Q(a, X) = 1/n · Σᵢ L(a, xᵢ) for any per-example loss ``loss(model, example)``."""
    return empirical_risk(float(loss(model, x)) for x in data)


def squared_error(real: Array, generated: Array) -> float:
    """L = mean((real − generated)²) over all entries of two arrays of the same shape."""
    real = np.asarray(real, dtype=float)
    generated = np.asarray(generated, dtype=float)
    if real.shape != generated.shape:
        raise ValueError(f"the two pictures differ in shape: {real.shape} vs {generated.shape}")
    if real.size == 0:
        raise ValueError("the pictures are empty")
    diff = real - generated
    return float(np.mean(diff * diff))


def verdict(q: float) -> str:
    """"learned" below LEARNED_BELOW, "getting there" below FAIR_BELOW, else "still learning"."""
    if q < LEARNED_BELOW:
        return "learned"
    if q < FAIR_BELOW:
        return "getting there"
    return "still learning"


# --------------------------------------------------------------------------- five examples
def epoch_losses(epoch: int, base: Iterable[float] = BASE_LOSSES, shrink: float = SHRINK) -> Array:
    """The per-example losses at ``epoch`` (1-based): base · shrink^(epoch − 1), rounded to 2 decimals."""
    epoch = as_int(epoch, "the epoch", lo=1)
    shrink = as_float(shrink, "the shrink factor", lo=0.0, hi=1.0)
    base_arr = np.asarray(list(base), dtype=float)
    return np.round(base_arr * shrink ** (epoch - 1), DECIMALS)


class EpochLosses:
    """Five examples and an epoch knob from 1 to MAX_EPOCH."""

    def __init__(self, epoch: int = 1) -> None:
        self._epoch = 1
        self.set_epoch(epoch)

    @property
    def epoch(self) -> int:
        return self._epoch

    def set_epoch(self, epoch: int) -> None:
        epoch = as_int(epoch, "the epoch", lo=1)
        if epoch > MAX_EPOCH:
            raise ValueError(f"the epoch must be between 1 and {MAX_EPOCH}, got {epoch}")
        self._epoch = epoch

    @property
    def losses(self) -> Array:
        """The five losses shown now (rounded to 2 decimals)."""
        return epoch_losses(self._epoch)

    @property
    def q(self) -> float:
        """Q: exactly the mean of the shown losses."""
        return empirical_risk(self.losses)

    @property
    def verdict(self) -> str:
        return verdict(self.q)

    @property
    def learned(self) -> bool:
        return self.q < LEARNED_BELOW


# --------------------------------------------------------------------------- pixel matrices
class PixelFrame:
    """A 5×5 target picture and a model output ``clip(round(real + (1 − accuracy)·150·u), 0, 255)``.

    ``u`` is a fixed field of uniform numbers in [−1, 1] drawn from the seed, so moving the accuracy
    knob scales the same mistakes up or down instead of drawing new ones.
    """

    def __init__(self, pattern: str = "smile", accuracy: float = 0.6, seed: int | np.random.Generator | None = 0) -> None:
        self._pattern = self._check_pattern(pattern)
        self._accuracy = as_float(accuracy, "the accuracy", lo=0.0, hi=1.0)
        self._seed = seed
        self._u = as_rng(seed).uniform(-1.0, 1.0, size=PATTERNS[self._pattern].shape)

    @staticmethod
    def _check_pattern(name: str) -> str:
        return as_choice(name, PATTERNS, "picture")

    @property
    def pattern(self) -> str:
        return self._pattern

    @property
    def accuracy(self) -> float:
        return self._accuracy

    def set_accuracy(self, accuracy: float) -> None:
        self._accuracy = as_float(accuracy, "the accuracy", lo=0.0, hi=1.0)

    def set_pattern(self, name: str) -> None:
        self._pattern = self._check_pattern(name)

    @property
    def real(self) -> Array:
        """The target xᵢ: ints 0..255."""
        return PATTERNS[self._pattern].astype(np.int64)

    @property
    def generated(self) -> Array:
        """The model's output: ints 0..255."""
        noisy = self.real + (1.0 - self._accuracy) * NOISE_SPAN * self._u
        return np.clip(np.rint(noisy), 0, PIXEL_MAX).astype(np.int64)

    @property
    def error(self) -> Array:
        """|real − generated| per pixel (what the error grid shows)."""
        return np.abs(self.real - self.generated)

    @property
    def loss(self) -> float:
        """L = mean((real − generated)²) in pixel units² (0 … 255²)."""
        return squared_error(self.real, self.generated)

    @property
    def loss_scaled(self) -> float:
        """The same L with pixels scaled to 0 … 1 (L / 255²)."""
        return self.loss / PIXEL_MAX**2


# --------------------------------------------------------------------------- the topic's state
class LossFormula:
    """The ``loss-formula`` topic: the epoch knob (one ``step()`` = one epoch) and the pixel frame."""

    def __init__(self, seed: int = 0, epoch: int = 1, accuracy: float = 0.6, pattern: str = "smile") -> None:
        self.seed = as_int(seed, "the seed", lo=0)
        self.epochs = EpochLosses(epoch)
        self.pixels = PixelFrame(pattern, accuracy, seed=self.seed)

    def reset(self, seed: int | None = None) -> None:
        """Back to epoch 1; a new seed draws new pixel mistakes."""
        if seed is not None:
            self.seed = as_int(seed, "the seed", lo=0)
        self.epochs = EpochLosses(1)
        self.pixels = PixelFrame(self.pixels.pattern, self.pixels.accuracy, seed=self.seed)

    @property
    def epoch(self) -> int:
        return self.epochs.epoch

    @property
    def at_end(self) -> bool:
        return self.epochs.epoch >= MAX_EPOCH

    def step(self) -> None:
        """One more epoch (nothing after the last)."""
        if not self.at_end:
            self.epochs.set_epoch(self.epochs.epoch + 1)

    @property
    def can_step_back(self) -> bool:
        return self.epochs.epoch > 1

    def step_back(self) -> None:
        if not self.can_step_back:
            raise ValueError("already at the first epoch")
        self.epochs.set_epoch(self.epochs.epoch - 1)

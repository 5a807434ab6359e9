"""The ``overfitting`` topic: too flexible a model learns the noise of a few points.

Twenty training points are noisy samples of a smooth curve ``f(x) = 0.8·sin(πx) + 0.3·x`` on an
evenly spaced (slightly jittered) grid of ``[-1, 1]``; two hundred fresh noisy samples at random x
make the test set. Two kinds of model fit them:

* **polynomial** mode — a polynomial of degree 1–15 by (ridge) least squares
  (``algorithms.polyfit``). One ``step()`` raises the degree by one (after 15 it starts again at 1),
  so playing sweeps from underfitting to overfitting. The training and test errors of every degree
  are shown together.
* **network** mode — a 1 → 64 → 64 → 1 tanh network (the shared ``algorithms.nn.MLP``, linear
  output, mean squared error, full-batch Adam) trained epoch by epoch, with an optional L2 weight
  penalty and dropout on both hidden layers (the MLP's inverted-dropout masks, fresh each epoch).
  Errors are measured without dropout.

The L2 knob is the ridge penalty ``l2·Σc²`` in polynomial mode and the network's weight penalty
``½·l2·Σw²`` (added to its mean loss) in network mode.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.nn import MLP
from algorithms.optim import make_optimizer
from algorithms.polyfit import error_curves, fit_polynomial, mse, poly_eval
from algorithms.stepping import Stepping

Array = np.ndarray

MODES: tuple[str, ...] = ("polynomial", "network")
DEGREES = range(1, 16)
MAX_DEGREE = 15
L2_CHOICES: tuple[float, ...] = (0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)
DROPOUT_CHOICES: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.5)
N_TRAIN, N_TEST = 20, 200
HIDDEN = (64, 64)
NOISE_RANGE = (0.0, 0.5)
DIVERGED_LOSS = 1e6


def true_curve(x: Array) -> Array:
    """The smooth curve behind the data."""
    x = np.asarray(x, dtype=np.float64)
    return 0.8 * np.sin(np.pi * x) + 0.3 * x


def make_data(seed: int, noise: float = 0.25) -> tuple[Array, Array, Array, Array]:
    """``(x_train, y_train, x_test, y_test)`` for ``seed``: 20 points on a jittered grid of
    ``[-1, 1]``, 200 test points uniform in ``[-1, 1]``, all with Gaussian noise of std ``noise``.
    The same seed gives the same x and the same noise pattern (scaled by ``noise``)."""
    noise = as_float(noise, "noise", lo=NOISE_RANGE[0], hi=NOISE_RANGE[1])
    gen = np.random.default_rng(as_int(seed, "the seed", lo=0))
    x_train = np.clip(np.linspace(-1, 1, N_TRAIN) + gen.uniform(-0.04, 0.04, N_TRAIN), -1.0, 1.0)
    x_test = gen.uniform(-1, 1, N_TEST)
    e_train, e_test = gen.normal(0, 1, N_TRAIN), gen.normal(0, 1, N_TEST)
    return x_train, true_curve(x_train) + noise * e_train, x_test, true_curve(x_test) + noise * e_test


class Overfitting(Stepping):
    """Polynomials of rising degree, or a small network trained for longer and longer, on a few noisy
    points (see the module docstring)."""

    HISTORY = 300  # network epochs that step_back() can undo

    def __init__(
        self,
        seed: int = 0,
        mode: str = "polynomial",
        degree: int = 3,
        l2: float = 0.0,
        dropout: float = 0.0,
        noise: float = 0.25,
        lr: float = 0.02,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._mode = self._check_mode(mode)
        self._degree = self._check_degree(degree)
        self._l2 = self._check_l2(l2)
        self._dropout = self._check_dropout(dropout)
        self._noise = as_float(noise, "noise", lo=NOISE_RANGE[0], hi=NOISE_RANGE[1])
        self._lr = as_float(lr, "the learning rate", lo=1e-5, hi=1.0)
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_mode(mode: object) -> str:
        if mode not in MODES:
            raise ValueError(f"the mode must be one of {', '.join(MODES)}, got {mode!r}")
        return str(mode)

    @staticmethod
    def _check_degree(degree: object) -> int:
        degree = as_int(degree, "the degree", lo=1)
        if degree > MAX_DEGREE:
            raise ValueError(f"the degree must be at most {MAX_DEGREE}, got {degree}")
        return degree

    @staticmethod
    def _check_l2(l2: object) -> float:
        return as_float(l2, "the L2 penalty", lo=0, hi=10)

    @staticmethod
    def _check_dropout(rate: object) -> float:
        return as_float(rate, "the dropout rate", lo=0, hi=0.9)

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New data from ``seed`` (default: the current one); the network starts from fresh weights."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        self._x_train, self._y_train, self._x_test, self._y_test = make_data(self._seed, self._noise)
        for arr in (self._x_train, self._y_train, self._x_test, self._y_test):
            arr.flags.writeable = False
        self._curves: tuple[float, Array, Array] | None = None
        self._refit()
        self._new_network()

    def _refit(self) -> None:
        """Fit the polynomial of the current degree and L2."""
        self._coef = fit_polynomial(self._x_train, self._y_train, self._degree, self._l2)

    def _new_network(self) -> None:
        init_seq, drop_seq = np.random.SeedSequence([self._seed, 1]).spawn(2)
        self._net = MLP((1, *HIDDEN, 1), activation="tanh", output="linear", loss="mse",
                        rng=np.random.default_rng(init_seq))
        self._drop_rng = np.random.default_rng(drop_seq)
        self._opt = make_optimizer("adam", lr=self._lr)
        self._epoch = 0
        self._diverged = False
        self._undo: deque[tuple[Any, ...]] = deque(maxlen=self.HISTORY)
        self._net_train: list[float] = []
        self._net_test: list[float] = []
        self._measure_network()

    def _measure_network(self) -> None:
        with np.errstate(all="ignore"):
            train = self._net.loss(self._x_train[:, None], self._y_train)
            test = self._net.loss(self._x_test[:, None], self._y_test)
        if not math.isfinite(train) or train > DIVERGED_LOSS or not np.isfinite(self._net.params).all():
            self._diverged = True
        del self._net_train[self._epoch:], self._net_test[self._epoch:]
        self._net_train.append(train)
        self._net_test.append(test)

    # ----------------------------------------------------------------- read-only state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def degree(self) -> int:
        return self._degree

    @property
    def l2(self) -> float:
        return self._l2

    @property
    def dropout(self) -> float:
        return self._dropout

    @property
    def noise(self) -> float:
        return self._noise

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def epoch(self) -> int:
        """Epochs the network has trained."""
        return self._epoch

    @property
    def x_train(self) -> Array:
        return self._x_train

    @property
    def y_train(self) -> Array:
        return self._y_train

    @property
    def x_test(self) -> Array:
        return self._x_test

    @property
    def y_test(self) -> Array:
        return self._y_test

    @property
    def coefficients(self) -> Array:
        """The polynomial's coefficients, lowest power first (a copy)."""
        return self._coef.copy()

    @property
    def network(self) -> MLP:
        return self._net

    @property
    def diverged(self) -> bool:
        return self._mode == "network" and self._diverged

    def predict(self, x: Array) -> Array:
        """The current model's values at ``x`` (the polynomial, or the network without dropout)."""
        x = np.asarray(x, dtype=np.float64)
        if self._mode == "polynomial":
            return poly_eval(self._coef, x)
        with np.errstate(all="ignore"):
            return self._net.forward(x.reshape(-1, 1))[:, 0].reshape(x.shape)

    @property
    def train_error(self) -> float:
        """MSE on the training points."""
        if self._mode == "network":
            return self._net_train[-1]
        return mse(self.predict(self._x_train), self._y_train)

    @property
    def test_error(self) -> float:
        """MSE on the test points."""
        if self._mode == "network":
            return self._net_test[-1]
        return mse(self.predict(self._x_test), self._y_test)

    def degree_curves(self) -> tuple[Array, Array]:
        """Training and test MSE of every degree 1–15 at the current L2 (cached)."""
        if self._curves is None or self._curves[0] != self._l2:
            train, test = error_curves(self._x_train, self._y_train, self._x_test, self._y_test, DEGREES, self._l2)
            self._curves = (self._l2, train, test)
        return self._curves[1], self._curves[2]

    @property
    def best_degree(self) -> int:
        """The degree with the lowest test error (at the current L2)."""
        return int(np.argmin(self.degree_curves()[1])) + DEGREES.start

    @property
    def best_epoch(self) -> int:
        """The network epoch with the lowest test error so far."""
        return int(np.argmin(self._net_test))

    @property
    def network_history(self) -> tuple[Array, Array]:
        """The network's training and test MSE after each epoch (index 0: untrained)."""
        return np.array(self._net_train), np.array(self._net_test)

    def verdict(self) -> str:
        """A word on the fit: "underfits", "about right" or "overfits"."""
        if self._mode == "polynomial":
            train, test = self.degree_curves()
            best = self.best_degree
            if self._degree < best and test[self._degree - 1] > 1.2 * test[best - 1]:
                return "underfits"
            if self._degree > best and test[self._degree - 1] > 1.2 * test[best - 1]:
                return "overfits"
            return "about right"
        train, test = self.network_history
        best = float(np.min(test))
        if test[-1] > 1.2 * best and train[-1] < test[-1]:
            return "overfits"
        if self._epoch < 50 or train[-1] > 2 * self._noise**2 + 0.01:
            return "underfits"
        return "about right"

    # ----------------------------------------------------------------- stepping
    def step(self) -> None:
        """Polynomial mode: one degree higher (15 wraps to 1). Network mode: one training epoch."""
        if self._mode == "polynomial":
            self._degree = self._degree % MAX_DEGREE + 1
            self._refit()
            return
        if self._diverged:
            return
        self._undo.append((self._epoch, self._net.params.copy(), self._opt.state(), self._drop_rng.bit_generator.state))
        X = self._x_train[:, None]
        masks = self._net.dropout_masks(len(X), self._dropout, self._drop_rng) if self._dropout > 0 else None
        with np.errstate(all="ignore"):
            grad = self._net.loss_and_grad(X, self._y_train, l2=self._l2, masks=masks)[1]
            self._opt.step(self._net.params, grad)
        self._epoch += 1
        self._measure_network()

    @property
    def can_step_back(self) -> bool:
        if self._mode == "polynomial":
            return self._degree > 1
        return bool(self._undo)

    def step_back(self) -> None:
        """Polynomial mode: one degree lower. Network mode: undo the last epoch."""
        if not self.can_step_back:
            raise ValueError("nothing to step back to")
        if self._mode == "polynomial":
            self._degree -= 1
            self._refit()
            return
        epoch, params, state, rng_state = self._undo.pop()
        self._net.set_params(params)
        self._opt.load_state(state)
        self._drop_rng.bit_generator.state = rng_state
        self._epoch = epoch
        self._diverged = False
        self._measure_network()

    # ----------------------------------------------------------------- settings
    def set_mode(self, mode: str) -> None:
        """Switch between the polynomial and the network (each keeps its own state)."""
        self._mode = self._check_mode(mode)

    def set_degree(self, degree: int) -> None:
        self._degree = self._check_degree(degree)
        self._refit()

    def set_l2(self, l2: float) -> None:
        """The L2 penalty for both models; the network keeps training with it from where it is."""
        self._l2 = self._check_l2(l2)
        self._refit()

    def set_dropout(self, rate: float) -> None:
        """Dropout rate of the network's hidden units in training (from the next epoch on)."""
        self._dropout = self._check_dropout(rate)

    def set_noise(self, noise: float) -> None:
        """Noise of the data (the same points, the noise scaled); both models start over."""
        self._noise = as_float(noise, "noise", lo=NOISE_RANGE[0], hi=NOISE_RANGE[1])
        self.reset()

    def set_lr(self, lr: float) -> None:
        self._lr = as_float(lr, "the learning rate", lo=1e-5, hi=1.0)
        self._opt.lr = self._lr

    def restart_network(self) -> None:
        """Fresh network weights (epoch 0), same data."""
        self._new_network()

"""The ``network`` topic: a 2 → h → 1 network (h = 3 by default) seen as a graph of weights, training.

``NetworkTraining`` is the whole state: a small 2-D data set, the shared :class:`~algorithms.nn.MLP`
and an Adam optimiser. One ``step()`` is one full-batch epoch. What a screen draws comes from here:
the live weight matrices (``weights``/``biases`` are the model's own arrays) and every neuron's own
output over the plane (``neuron_map``).
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.datasets import Extent, grid_points, make_dataset
from algorithms.nn import MLP, get_activation
from algorithms.optim import make_optimizer

Array = np.ndarray

DATASET_CHOICES: tuple[str, ...] = ("circle", "xor", "gaussian")
ACTIVATION_CHOICES: tuple[str, ...] = ("tanh", "sigmoid", "relu")
MAX_HIDDEN = 6
N_POINTS = 200
EXTENT: Extent = (-1.2, 1.2, -1.2, 1.2)
DIVERGED_LOSS = 50.0  # mean cross-entropy this large means the weights blew up


class NetworkTraining:
    """A 2 → ``hidden`` → 1 classifier on a 2-D data set, trained one epoch per ``step()``.

    Layers are numbered as the diagram draws them: 0 = the inputs (x₁, x₂), 1 = the hidden layer,
    2 = the output. ``weights[i]`` (shape ``(n_i, n_{i+1})``) connects layer ``i`` to ``i + 1``.
    """

    HISTORY = 200

    def __init__(
        self,
        seed: int = 0,
        dataset: str = "circle",
        hidden: int = 3,
        activation: str = "tanh",
        lr: float = 0.05,
        noise: float = 0.0,
    ) -> None:
        self._seed = as_int(seed, "the seed", lo=0)
        self._dataset = self._check_dataset(dataset)
        self._hidden = self._check_hidden(hidden)
        self._activation = get_activation(activation).name
        self._lr = as_float(lr, "the learning rate", lo=1e-5, hi=10.0)
        self._noise = as_float(noise, "noise", lo=0, hi=0.5)
        self.reset()

    @staticmethod
    def _check_dataset(name: str) -> str:
        return as_choice(name, DATASET_CHOICES, "data set")

    @staticmethod
    def _check_hidden(hidden: int) -> int:
        hidden = as_int(hidden, "the number of hidden neurons", lo=1)
        if hidden > MAX_HIDDEN:
            raise ValueError(f"the number of hidden neurons must be at most {MAX_HIDDEN}, got {hidden}")
        return hidden

    # ----------------------------------------------------------------- set-up
    def reset(self, seed: int | None = None) -> None:
        """New data and fresh random weights from ``seed`` (default: the current seed); epoch 0."""
        if seed is not None:
            self._seed = as_int(seed, "the seed", lo=0)
        data_seq, init_seq = np.random.SeedSequence(self._seed).spawn(2)
        self._data_seq, self._init_seq = data_seq, init_seq
        self._make_data()
        self._new_model()

    def _make_data(self) -> None:
        X, y = make_dataset(self._dataset, n=N_POINTS, noise=self._noise, rng=np.random.default_rng(self._data_seq))
        self._X, self._y = X, y
        self._X.flags.writeable = False
        self._y.flags.writeable = False

    def _new_model(self) -> None:
        self._model = MLP((2, self._hidden, 1), activation=self._activation, output="sigmoid", loss="bce",
                          rng=np.random.default_rng(self._init_seq))
        self._opt = make_optimizer("adam", lr=self._lr)
        self._epoch = 0
        self._undo: deque[tuple[int, Array, dict[str, Any]]] = deque(maxlen=self.HISTORY)
        self._diverged = False
        self._measure()

    def _measure(self) -> None:
        with np.errstate(all="ignore"):
            self._loss, self._accuracy = self._model.evaluate(self._X, self._y)
        if not (math.isfinite(self._loss) and np.isfinite(self._model.params).all()) or self._loss > DIVERGED_LOSS:
            self._diverged = True

    # ----------------------------------------------------------------- state
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def loss(self) -> float:
        """Mean binary cross-entropy on the data."""
        return self._loss

    @property
    def accuracy(self) -> float:
        return self._accuracy

    @property
    def X(self) -> Array:
        return self._X

    @property
    def y(self) -> Array:
        return self._y

    @property
    def model(self) -> MLP:
        return self._model

    @property
    def sizes(self) -> tuple[int, ...]:
        return self._model.sizes

    @property
    def weights(self) -> list[Array]:
        """The live weight matrices (the model's own arrays: they change as it trains)."""
        return self._model.weights

    @property
    def biases(self) -> list[Array]:
        return self._model.biases

    @property
    def diverged(self) -> bool:
        return self._diverged

    @property
    def dataset(self) -> str:
        return self._dataset

    @property
    def hidden(self) -> int:
        return self._hidden

    @property
    def activation(self) -> str:
        return self._activation

    @property
    def lr(self) -> float:
        return self._lr

    @property
    def noise(self) -> float:
        return self._noise

    # ----------------------------------------------------------------- training
    def step(self) -> None:
        """One epoch: one full-batch Adam step on the cross-entropy (nothing once diverged)."""
        if self._diverged:
            return
        self._undo.append((self._epoch, self._model.params.copy(), self._opt.state()))
        with np.errstate(all="ignore"):
            self._opt.step(self._model.params, self._model.loss_and_grad(self._X, self._y)[1])
        self._epoch += 1
        self._measure()

    @property
    def can_step_back(self) -> bool:
        return bool(self._undo)

    def step_back(self) -> None:
        if not self._undo:
            raise ValueError("nothing to step back to")
        epoch, params, opt_state = self._undo.pop()
        self._model.set_params(params)
        self._opt.load_state(opt_state)
        self._epoch = epoch
        self._diverged = False
        self._measure()

    # ----------------------------------------------------------------- settings
    def set_lr(self, lr: float) -> None:
        self._lr = as_float(lr, "the learning rate", lo=1e-5, hi=10.0)
        self._opt.lr = self._lr

    def set_dataset(self, name: str) -> None:
        """Another data set (same seed); the weights keep training from where they are."""
        self._dataset = self._check_dataset(name)
        self._make_data()
        self._diverged = False
        self._measure()

    def set_noise(self, noise: float) -> None:
        self._noise = as_float(noise, "noise", lo=0, hi=0.5)
        self._make_data()
        self._diverged = False
        self._measure()

    def set_hidden(self, hidden: int) -> None:
        """Another number of hidden neurons: fresh weights, epoch 0."""
        self._hidden = self._check_hidden(hidden)
        self._new_model()

    def set_activation(self, name: str) -> None:
        """Another hidden activation: fresh weights, epoch 0."""
        self._activation = get_activation(name).name
        self._new_model()

    # ----------------------------------------------------------------- drawing
    def neuron_map(self, layer: int, index: int, width: int, height: int, extent: Extent = EXTENT) -> Array:
        """What neuron ``(layer, index)`` outputs at the centres of a ``height × width`` grid.

        Layer 0 gives the input itself (x₁ or x₂), layer 1 a hidden neuron's activation, the last
        layer the predicted probability of class 1. Row 0 is the top of the plane.
        """
        self._check_node(layer, index)
        pts = grid_points(width, height, extent)
        if not len(pts):
            return np.zeros((int(height), int(width)))
        if layer == 0:
            values = pts[:, index]
        else:
            with np.errstate(all="ignore"):
                values = self._model.hidden_outputs(pts)[layer - 1][:, index]
        return values.reshape(int(height), int(width))

    def neuron_range(self, layer: int, values: Array | None = None) -> tuple[float, float]:
        """The colour scale of a neuron map: its activation's range (ReLU: 0 to the map's maximum)."""
        if layer == 0:
            return EXTENT[0], EXTENT[1]
        if layer == len(self.sizes) - 1:
            return 0.0, 1.0
        if self._activation == "tanh":
            return -1.0, 1.0
        if self._activation == "sigmoid":
            return 0.0, 1.0
        top = float(np.nanmax(values)) if values is not None and values.size else 1.0
        return 0.0, top if math.isfinite(top) and top > 0 else 1.0

    def _check_node(self, layer: int, index: int) -> None:
        layer, index = as_int(layer, "the layer", lo=0), as_int(index, "the neuron", lo=0)
        if layer >= len(self.sizes) or index >= self.sizes[layer]:
            raise ValueError(f"there is no neuron {index} in layer {layer}")

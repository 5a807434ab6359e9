"""The ``optimizers`` topic: SGD, momentum, RMSProp and Adam race down the same loss landscape.

``OptimizerRace`` drops the four update rules of ``algorithms.optim`` on one start point of a
``algorithms.landscapes.Landscape``; one ``step()`` is one update of every racer still running, each
from the exact gradient at its own position. Each racer keeps its whole trail, its distance to the
minimum, and the first step at which it came within ``eps`` of it. A racer whose numbers blow up
(inf/NaN, or far outside any sane range) stops where it is and is marked as blown up; the race as a
whole counts as diverged only when all four have.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from algorithms.checks import as_choice, as_float, as_int
from algorithms.datasets import Extent
from algorithms.landscapes import Landscape, check_point, get_landscape
from algorithms.optim import OPTIMIZERS, Optimizer, make_optimizer
from algorithms.stepping import Stepping

Array = np.ndarray

RACERS: tuple[str, ...] = ("sgd", "momentum", "rmsprop", "adam")
LR_RANGE = (1e-5, 10.0)
MAX_STEPS = 5000  # the race stops here
BLOW_UP = 1e6  # a coordinate this large means the racer has flown off


@dataclass(frozen=True)
class RacerStatus:
    """One row of the race table."""

    name: str
    lr: float
    position: tuple[float, float]
    value: float
    distance: float
    reached: int | None  # first step within eps of the minimum
    blown_up: bool


class OptimizerRace(Stepping):
    """Four optimisers, one landscape, one start point (see the module docstring)."""

    HISTORY = 500  # steps that step_back() can undo

    def __init__(
        self,
        landscape: str = "ravine",
        start: tuple[float, float] | None = None,
        lrs: dict[str, float] | None = None,
    ) -> None:
        self._land = get_landscape(landscape)
        self._start = self._land.start if start is None else check_point(*start, self._land)
        self._lrs = dict(self._land.lrs)
        self._map_cache: tuple[tuple, Array] | None = None
        for name, lr in (lrs or {}).items():
            self._lrs[self._check_racer(name)] = self._check_lr(lr)
        self.reset()

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_racer(name: object) -> str:
        as_choice(name, RACERS, "optimiser")
        return str(name)

    @staticmethod
    def _check_lr(lr: object) -> float:
        return as_float(lr, "the learning rate", lo=LR_RANGE[0], hi=LR_RANGE[1])

    # ----------------------------------------------------------------- set-up
    def reset(self) -> None:
        """Put every racer back on the start point with fresh optimiser state."""
        self._opts: list[Optimizer] = [make_optimizer(name, lr=self._lrs[name]) for name in RACERS]
        self._pos = np.tile(np.array(self._start, dtype=np.float64), (len(RACERS), 1))
        self._paths = np.full((MAX_STEPS + 1, len(RACERS), 2), np.nan)
        self._paths[0] = self._pos
        self._t = 0
        self._reached: list[int | None] = [None] * len(RACERS)
        self._blown = [False] * len(RACERS)
        self._undo: deque[tuple[Any, ...]] = deque(maxlen=self.HISTORY)
        for i in range(len(RACERS)):
            self._check_arrival(i)

    def _check_arrival(self, i: int) -> None:
        if self._reached[i] is None and self._distance(i) < self._land.eps:
            self._reached[i] = self._t

    def _distance(self, i: int) -> float:
        return float(np.hypot(*(self._pos[i] - np.array(self._land.minimum))))

    # ----------------------------------------------------------------- read-only state
    @property
    def landscape(self) -> Landscape:
        return self._land

    @property
    def t(self) -> int:
        """Steps taken by the race."""
        return self._t

    @property
    def start(self) -> tuple[float, float]:
        return self._start

    @property
    def eps(self) -> float:
        return self._land.eps

    @property
    def extent(self) -> Extent:
        return self._land.extent

    @property
    def positions(self) -> Array:
        """Where each racer is now, ``(4, 2)`` (a copy)."""
        return self._pos.copy()

    def path(self, name: str) -> Array:
        """The trail of racer ``name``: its positions at steps ``0 … t``, shape ``(t + 1, 2)``."""
        i = RACERS.index(self._check_racer(name))
        out = self._paths[: self._t + 1, i]
        out.flags.writeable = False
        return out

    def distance_history(self, name: str) -> Array:
        """Racer ``name``'s distance to the minimum at steps ``0 … t``."""
        return np.hypot(*(self.path(name) - np.array(self._land.minimum)).T)

    def lr(self, name: str) -> float:
        return self._lrs[self._check_racer(name)]

    @property
    def lrs(self) -> dict[str, float]:
        return dict(self._lrs)

    def optimizer(self, name: str) -> Optimizer:
        """The live optimiser of racer ``name`` (to show its state; change it through the setters)."""
        return self._opts[RACERS.index(self._check_racer(name))]

    def reached(self, name: str) -> int | None:
        """The first step at which racer ``name`` came within ``eps`` of the minimum, or None."""
        return self._reached[RACERS.index(self._check_racer(name))]

    def blown_up(self, name: str) -> bool:
        return self._blown[RACERS.index(self._check_racer(name))]

    def table(self) -> list[RacerStatus]:
        """One status row per racer, in the order of ``RACERS``."""
        rows = []
        for i, name in enumerate(RACERS):
            x, y = (float(v) for v in self._pos[i])
            rows.append(RacerStatus(
                name, self._lrs[name], (x, y), float(self._land.value(x, y)), self._distance(i),
                self._reached[i], self._blown[i],
            ))
        return rows

    def leader(self) -> str | None:
        """The racer that reached the minimum first (ties: the earlier in ``RACERS``), or the one
        closest to it when none has; None when all have blown up."""
        rows = [r for r in self.table() if not r.blown_up]
        if not rows:
            return None
        arrived = [r for r in rows if r.reached is not None]
        if arrived:
            return min(arrived, key=lambda r: r.reached).name  # type: ignore[arg-type, return-value]
        return min(rows, key=lambda r: r.distance).name

    @property
    def diverged(self) -> bool:
        """True when every racer has blown up."""
        return all(self._blown)

    @property
    def finished(self) -> bool:
        """True at ``MAX_STEPS``, or when every racer still running has reached the minimum."""
        if self._t >= MAX_STEPS:
            return True
        return all(b or r is not None for b, r in zip(self._blown, self._reached))

    # ----------------------------------------------------------------- racing
    def step(self) -> None:
        """One update of every racer still running (nothing at ``MAX_STEPS`` or once all blew up)."""
        if self._t >= MAX_STEPS or self.diverged:
            return
        self._undo.append((
            self._t, self._pos.copy(), [o.state() for o in self._opts], list(self._reached), list(self._blown),
        ))
        self._t += 1
        with np.errstate(all="ignore"):
            for i, opt in enumerate(self._opts):
                if self._blown[i]:
                    continue
                p = self._pos[i]
                opt.step(p, self._land.gradient(p))
                if not np.isfinite(p).all() or np.abs(p).max() > BLOW_UP:
                    self._blown[i] = True
                    self._pos[i] = self._paths[self._t - 1, i]  # it stays where it last was
                else:
                    self._check_arrival(i)
        self._paths[self._t] = self._pos

    def run_until_all_arrive(self, limit: int = MAX_STEPS) -> None:
        """Step until every racer still running has reached the minimum, or ``limit`` steps."""
        limit = as_int(limit, "the step limit", lo=0)
        while not self.finished and self._t < limit and not self.diverged:
            self.step()

    def step_back(self) -> None:
        """Undo the last step: positions, optimiser states, arrivals and blow-ups."""
        if not self._undo:
            raise ValueError("nothing to step back to")
        t, pos, states, reached, blown = self._undo.pop()
        self._paths[t + 1 : self._t + 1] = np.nan
        self._t, self._pos = t, pos
        for opt, state in zip(self._opts, states):
            opt.load_state(state)
        self._reached, self._blown = reached, blown

    # ----------------------------------------------------------------- settings (each restarts the race)
    def set_landscape(self, name: str) -> None:
        """Race on another landscape, from its own start point with its own learning rates."""
        self._land = get_landscape(name)
        self._start = self._land.start
        self._lrs = dict(self._land.lrs)
        self.reset()

    def set_start(self, x: float, y: float) -> None:
        """Move the start point (inside the landscape's box) and restart the race from it."""
        self._start = check_point(x, y, self._land)
        self.reset()

    def set_lr(self, name: str, lr: float) -> None:
        """Give racer ``name`` another learning rate and restart the race."""
        name = self._check_racer(name)
        self._lrs[name] = self._check_lr(lr)
        self.reset()

    def height_map(self, width: int, height: int, extent: Extent | None = None) -> Array:
        """The landscape's contour heat map (see ``Landscape.height_map``); the last one is cached."""
        key = (self._land.name, width, height, extent)
        if self._map_cache is None or self._map_cache[0] != key:
            self._map_cache = (key, self._land.height_map(width, height, extent))
        return self._map_cache[1]


def update_rules() -> dict[str, str]:
    """Each racer's update rule, as its optimiser class writes it (for the screen's table)."""
    return {name: " ".join((OPTIMIZERS[name].__doc__ or name).split()) for name in RACERS}

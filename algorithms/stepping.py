"""What every step-by-step simulation shares: running several steps, and whether it can step back."""

from __future__ import annotations

from collections.abc import Sized

from algorithms.checks import as_int


class Stepping:
    """Mixin for a simulation with ``step()``; ``self._undo`` (anything sized) holds what ``step_back()``
    restores, and ``self._diverged`` (if the run can diverge) stops ``steps`` early.

    Subclasses whose history is not a stack override ``can_step_back``."""

    _undo: Sized = ()
    _diverged: bool = False

    def step(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def steps(self, k: int) -> None:
        """Run ``step()`` ``k`` times, stopping early once the run has diverged."""
        for _ in range(as_int(k, "the number of steps", lo=0)):
            if self._diverged:
                break
            self.step()

    @property
    def can_step_back(self) -> bool:
        return bool(self._undo)

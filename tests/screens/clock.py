"""Test helper: stop a screen's frame timer, so that `playing` changes only when a test says so.

Under load the 30 fps timer can run a short simulation to its end (and stop it) between two lines
of a test; tests that check play/pause as states freeze the clock and call ``screen._tick()``.
"""

from __future__ import annotations

from tui.simulation import SimulationScreen


def freeze_clock(screen: SimulationScreen) -> None:
    if screen._timer is not None:
        screen._timer.stop()
        screen._timer = None

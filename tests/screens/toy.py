"""A tiny simulation and screen used to test SimulationScreen itself (not a topic)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.simulation import SimulationScreen
from tui.widgets.param_panel import Param, ParamPanel


class Counter:
    """value += rate each step; diverges (inf) once value exceeds `limit`; keeps history."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.value = float(seed)
        self.rate = 1.0
        self.limit = 1e9
        self.history: list[float] = []

    @property
    def diverged(self) -> bool:
        return self.value == float("inf")

    def step(self) -> None:
        if self.diverged:
            return
        self.history.append(self.value)
        self.value += self.rate
        if self.value > self.limit:
            self.value = float("inf")

    @property
    def can_step_back(self) -> bool:
        return bool(self.history)

    def step_back(self) -> None:
        self.value = self.history.pop()

    def set_rate(self, rate: float) -> None:
        if rate == 13:
            raise ValueError("13 is unlucky")
        self.rate = float(rate)


class ToyScreen(SimulationScreen):
    TOPIC_ID = "toy"
    TITLE = "Toy counter"
    HELP = "# Toy\n\nCounts up."
    HAS_HISTORY = True

    def make_simulation(self, seed: int) -> Counter:
        return Counter(seed)

    def compose_main(self) -> ComposeResult:
        yield Static(id="value")
        yield ParamPanel()

    def params(self) -> list[Param]:
        return [
            Param("rate", "rate", 1.0, "float", lo=-100, hi=100, step=1.0, fmt="{:g}"),
            Param("limit", "limit", 1e9, "float", lo=1, hi=1e12, factor=10, fmt="{:g}"),
        ]

    def apply_param(self, name: str, value: Any) -> None:
        if name == "rate":
            self.sim.set_rate(value)
        else:
            self.sim.limit = value

    def update_view(self) -> None:
        self.query_one("#value", Static).update(f"value={self.sim.value}")

    def metrics(self) -> dict[str, str]:
        return {"value": f"{self.sim.value:g}"}


class ToyApp(App):
    def __init__(self, **kw) -> None:
        super().__init__()
        self.kw = kw

    def on_mount(self) -> None:
        self.push_screen(ToyScreen(**self.kw))

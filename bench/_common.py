"""Shared bits of the benchmarks: paths, the result rows and how they are printed.

Every script builds a list of :class:`Row` and calls :func:`report`, which prints a plain table and,
when ``LEARNLOOP_BENCH_JSON`` names a file (``run_all.py`` sets it), also writes the rows there as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
JSON_ENV = "LEARNLOOP_BENCH_JSON"

if str(ROOT) not in sys.path:  # scripts run as `python bench/NAME.py` from anywhere
    sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    """One measured figure: what, the value as text, the budget as text, and whether it is met."""

    figure: str
    value: str
    budget: str = ""
    ok: bool | None = None  # None: no budget for this figure

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("ok" if self.ok else "OVER")


def print_table(title: str, rows: list[Row]) -> None:
    """A plain-text table for the terminal."""
    w_fig = max([len(r.figure) for r in rows] + [6])
    w_val = max([len(r.value) for r in rows] + [8])
    w_bud = max([len(r.budget) for r in rows] + [6])
    print(f"\n{title}")
    print(f"  {'figure':<{w_fig}}  {'measured':>{w_val}}  {'budget':<{w_bud}}  verdict")
    print(f"  {'-' * w_fig}  {'-' * w_val}  {'-' * w_bud}  -------")
    for r in rows:
        print(f"  {r.figure:<{w_fig}}  {r.value:>{w_val}}  {r.budget:<{w_bud}}  {r.verdict}")


def report(bench: str, title: str, rows: list[Row]) -> None:
    """Print ``rows``; also save them for ``run_all.py`` when it asked for them."""
    print_table(title, rows)
    path = os.environ.get(JSON_ENV)
    if path:
        Path(path).write_text(json.dumps({"bench": bench, "rows": [asdict(r) for r in rows]}), encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"

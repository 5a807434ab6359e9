"""Start-up time to the first painted frame, measured from outside under a real pseudo-terminal.

Three programs, each on a 160×50 pty (xterm-256color, truecolor):

* ``bare``    — a hello-world: ``import numpy`` and a Textual app showing one ``Static``;
* ``catalog`` — ``learnloop`` (the catalog);
* ``spiral``  — ``learnloop spiral`` (the topic opens at once and draws its heat map).

The clock starts just before the fork and stops when the pty delivers the chunk of output that
makes the program's marker text visible on an emulated screen (the hello text; the first chapter
heading of the catalog; the spiral's title together with a half-block pixel of its canvas). The
program is then terminated. One untimed warm-up run each fills the OS file cache and a private
bytecode cache (``PYTHONPYCACHEPREFIX`` in a temporary folder, so nothing is written into the
repository); then RUNS rounds, the three programs in a rotating order; medians are compared.

Run: ``.venv/bin/python bench/startup.py [--runs N] [--imports]`` (``--imports`` also lists the
slowest imports of ``learnloop spiral`` from ``python -X importtime``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import PYTHON, ROOT, Row, median, report
from _pty import Terminal, child_env, run_in_pty

from tui import catalog

COLS, ROWS = 160, 50
RUNS = 7
TIMEOUT = 30.0
BUDGET = 1.15

HELLO_MARKER = "hello from the bench"
HELLO = f"""
import numpy
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static({HELLO_MARKER!r})

Hello().run()
"""


def _learnloop() -> list[str]:
    script = Path(PYTHON).parent / "learnloop"
    return [str(script)] if script.exists() else [PYTHON, "-m", "tui"]


def programs() -> dict[str, tuple[list[str], list[str]]]:
    """name -> (argv, texts that must all be on screen)."""
    first = catalog.CHAPTERS[0]
    return {
        "bare": ([PYTHON, "-c", HELLO], [HELLO_MARKER]),
        "catalog": (_learnloop(), [f"Chapter {first.number} — {first.title}"]),
        "spiral": ([*_learnloop(), "spiral"], [catalog.get_topic("spiral").title, "▀"]),
    }


def time_to_marker(argv: list[str], needles: list[str], env: dict[str, str]) -> float:
    """Seconds from fork to the chunk that shows every needle."""
    term = Terminal(COLS, ROWS)

    def shown(chunk: bytes, stamp: float) -> bool:
        term.feed(chunk, stamp)
        return all(term.contains(n) for n in needles)

    cap = run_in_pty(argv, env, cols=COLS, rows=ROWS, timeout=TIMEOUT, until=shown, cwd=str(ROOT))
    if cap.stopped_at is None:
        text = term.text().strip()[-1500:]
        raise RuntimeError(f"{' '.join(argv[:2])}: no {needles!r} within {TIMEOUT:g} s (exit {cap.status}); "
                           f"screen:\n{text}")
    return cap.stopped_at - cap.start


def slowest_imports(env: dict[str, str], top: int = 12) -> list[tuple[float, str]]:
    """The modules with the largest cumulative import time when ``learnloop spiral`` starts."""
    code = "import tui.cli, tui.app, screens.spiral"
    out = subprocess.run([PYTHON, "-X", "importtime", "-c", code], env=env, cwd=str(ROOT),
                         capture_output=True, text=True, check=True).stderr
    rows = []
    for line in out.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= 3:  # top-level imports and their direct children only
            rows.append((int(m.group(2)) / 1e6, m.group(3).replace(" ", "·") + m.group(4)))
    return sorted(rows, reverse=True)[:top]


def main(runs: int, imports: bool) -> None:
    progs = programs()
    names = list(progs)
    times: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as cache:
        env = child_env({"PYTHONPYCACHEPREFIX": cache})
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        print(f"startup: warm-up, then {runs} rounds of {', '.join(names)} …", flush=True)
        for name in names:
            time_to_marker(*progs[name], env)
        for i in range(runs):
            for name in names[i % 3 :] + names[: i % 3]:
                times[name].append(time_to_marker(*progs[name], env))
        top = slowest_imports(env) if imports else []
    base, base_min = median(times["bare"]), min(times["bare"])
    rows = []
    for name in names:
        med = median(times[name])
        label = {"bare": "bare Textual + NumPy hello", "catalog": "learnloop (catalog)",
                 "spiral": "learnloop spiral"}[name]
        rows.append(Row(f"start-up to first frame: {label} (median, min)",
                        f"{med * 1000:.0f} ms, {min(times[name]) * 1000:.0f} ms"))
        if name != "bare":
            ratio = med / base
            rows.append(Row(f"start-up ratio {label} / bare (medians; minima)",
                            f"{ratio:.2f}×; {min(times[name]) / base_min:.2f}×", f"≤ {BUDGET:g}×", ratio <= BUDGET))
    if top:
        print("slowest imports of `learnloop spiral` (cumulative; · marks a nested import):")
        for seconds, module in top:
            print(f"  {seconds * 1000:7.1f} ms  {module}")
    report("startup", f"startup — {COLS}×{ROWS} pty, median of {runs} runs", rows)


if __name__ == "__main__":
    args = sys.argv[1:]
    n = RUNS
    if "--runs" in args:
        try:
            n = int(args[args.index("--runs") + 1])
        except (IndexError, ValueError):
            sys.exit("--runs needs a whole number")
    main(max(n, 1), "--imports" in args)

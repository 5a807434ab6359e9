"""Peak memory (resident set, ``ru_maxrss``) of the app, each case in a fresh process.

* ``textual`` / ``textual+numpy`` — Python with Textual (and NumPy) imported, no app: the floor any
  such app pays (the catalog does not import NumPy; a topic does);
* ``catalog``  — ``LearnLoopApp()`` headless (``run_test``, 160×50), the catalog drawn;
* ``spiral``   — ``LearnLoopApp("spiral")`` headless, 300 epochs run, the screen redrawn;
* ``spiral-3000`` — the same after 3000 epochs: growth against ``spiral`` shows what a long run keeps
  (loss histories, step-back snapshots).

Run: ``.venv/bin/python bench/memory.py``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from _common import PYTHON, ROOT, Row, report

CASES = {"textual": 0, "textual+numpy": 0, "catalog": 0, "spiral": 300, "spiral-3000": 3000}
SIZE = (160, 50)


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _run_app(case: str) -> None:
    from tui.app import LearnLoopApp

    topic = "spiral" if case.startswith("spiral") else None
    app = LearnLoopApp(topic, seed=0, autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if topic:
            app.screen.advance(CASES[case])  # runs the epochs and updates the widgets
        await pilot.pause()
        await pilot.pause()


def child(case: str) -> dict:
    import tui.cli  # noqa: F401  (one BLAS thread, as in the app)

    if case.startswith("textual"):
        import textual.app  # noqa: F401

        if case.endswith("numpy"):
            import numpy  # noqa: F401
    else:
        asyncio.run(_run_app(case))
    return {"case": case, "maxrss_mb": _maxrss_mb()}


def measure(case: str) -> float:
    out = subprocess.run([PYTHON, __file__, "--child", case], cwd=str(ROOT), capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"memory case {case!r} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])["maxrss_mb"]


def main() -> None:
    print("memory: " + ", ".join(CASES) + " …", flush=True)
    peak = {case: measure(case) for case in CASES}
    labels = {
        "textual": "Python + Textual imported (no app)",
        "textual+numpy": "Python + Textual + NumPy imported (no app)",
        "catalog": "catalog app, headless 160×50",
        "spiral": "spiral screen after 300 epochs",
        "spiral-3000": "spiral screen after 3000 epochs",
    }
    rows = [Row(f"peak RSS: {labels[c]}", f"{mb:.1f} MB") for c, mb in peak.items()]
    rows.append(Row("growth from 300 to 3000 epochs", f"{peak['spiral-3000'] - peak['spiral']:+.1f} MB"))
    report("memory", "memory — peak resident set (ru_maxrss), one process per case", rows)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
    else:
        main()

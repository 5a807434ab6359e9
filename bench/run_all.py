"""Run every benchmark, then print one Markdown table of all their figures (for bench/README.md).

Each script runs in its own process with its normal output shown as it goes; its rows come back
through the JSON file named by ``LEARNLOOP_BENCH_JSON``.

Run: ``.venv/bin/python bench/run_all.py [render startup train memory mcts]``.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from _common import JSON_ENV, PYTHON, ROOT

SCRIPTS = ("render", "startup", "train", "memory", "mcts")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "—"


def machine() -> str:
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"textual {_version('textual')}, rich {_version('rich')}, numpy {_version('numpy')}, "
            f"torch {_version('torch')}")


def main(names: list[str]) -> int:
    results: list[dict] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            path = Path(tmp) / f"{name}.json"
            t0 = time.perf_counter()
            print(f"\n==== bench/{name}.py", flush=True)
            code = subprocess.run([PYTHON, str(ROOT / "bench" / f"{name}.py")], cwd=str(ROOT),
                                  env={**os.environ, JSON_ENV: str(path)}, check=False).returncode
            print(f"==== bench/{name}.py: {time.perf_counter() - t0:.0f} s", flush=True)
            if code != 0 or not path.exists():
                failed.append(name)
                continue
            results.append(json.loads(path.read_text(encoding="utf-8")))
    print(f"\n{time.strftime('%Y-%m-%d')} · {machine()}\n")
    print("| bench | figure | measured | budget | verdict |")
    print("| --- | --- | --- | --- | --- |")
    for result in results:
        for row in result["rows"]:
            verdict = "" if row["ok"] is None else ("ok" if row["ok"] else "**over**")
            cells = [result["bench"], row["figure"], row["value"], row["budget"], verdict]
            print("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    wanted = sys.argv[1:] or list(SCRIPTS)
    unknown = [n for n in wanted if n not in SCRIPTS]
    if unknown:
        sys.exit(f"unknown bench(es) {', '.join(unknown)}; choose from {', '.join(SCRIPTS)}")
    sys.exit(main(wanted))

"""Render cost under a real terminal: CPU per frame and bytes written per frame.

Two scenes run as a child process on a 160×50 pseudo-terminal (xterm-256color, truecolor):

* ``heatmap`` — one full-screen ``PixelCanvas`` showing two travelling sine waves (wavelengths of
  about 160 and 250 pixels) through a 64-level palette, a new heat map every frame at 30 fps (all
  frames precomputed, none repeats). Nearly every cell changes each frame and neighbouring cells
  rarely match, so a row is ~35 runs of equal cells: a demanding but ordinary heat map;
* ``spiral`` — the real spiral screen (``LearnLoopApp("spiral")``), which trains as it plays;
* ``playground`` — the playground at its largest (``PLAYGROUND_ARGS``: 6 hidden layers of 32 tanh
  neurons, all seven inputs, the spiral data), training as it plays.

The child measures its own CPU time (all threads) over the measured frames (240, or fewer if they
take longer than 8 s) after a warm-up, and counts the canvas cells that changed per frame (from the
canvas's ``_shown_codes`` before and after each flush). It writes these, with the monotonic times of
its measuring window, to the JSON file named by ``LEARNLOOP_BENCH_STATS``, then forces one full
repaint and exits.

The parent reads the pty master: bytes per frame in the window, the size of the full repaint, and, by
replaying the stream through a small terminal emulator, the cells of the whole screen that changed.
"Changed-cell bytes" are estimated three ways: changed cells × the average bytes per cell of the full
repaint (with the canvas's own count, or with the emulator's), and exactly, as the bytes of the changed cells'
runs encoded the way Textual encodes them (a cursor move per run, one SGR per stretch of one style).
Changed cells tend to be the busy ones (edges, where every cell differs from its neighbour), so the
exact figure is usually the larger and the fairer reference.

Run: ``.venv/bin/python bench/render.py [heatmap] [spiral] [--profile]`` (``--profile`` also prints
where the child's time went, from cProfile).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import PYTHON, ROOT, Row, fmt_kb, report

STATS_ENV = "LEARNLOOP_BENCH_STATS"
PROFILE_ENV = "LEARNLOOP_BENCH_PROFILE"  # if set: the child runs under cProfile and dumps here
COLS, ROWS = 160, 50
FPS = 30
WARMUP = 20  # frames before measuring (imports, first layout, caches)
FRAMES = 240  # measured frames (8 s at 30 fps) …
MAX_SECONDS = 8.0  # … or fewer if the app cannot keep up
QUIET = 0.5  # seconds of stillness around the forced full repaint

SCENES = ("heatmap", "spiral", "playground")
# the playground at its largest: 6 hidden layers of 32 neurons, every neuron's own map drawn
PLAYGROUND_ARGS = ["--dataset", "spiral", "--layers", "32,32,32,32,32,32", "--features",
                   "x1,x2,x1^2,x2^2,x1x2,sin(x1),sin(x2)", "--activation", "tanh", "--lr", "0.01"]
CPU_BUDGET_MS = 8.0
BYTES_BUDGET = 2.0


# ====================================================================== the child side
class Probe:
    """Counts frames, opens and closes the measuring window, and adds up figures inside it."""

    COUNTERS = ("canvas_changed", "flushes", "runs", "overhead_s", "train_s", "view_s", "steps")

    def __init__(self) -> None:
        self.frame = 0
        self.measuring = False
        self.finishing = False
        self.stats: dict[str, object] = dict.fromkeys(self.COUNTERS, 0)
        self._cpu0 = self._wall0 = 0.0

    def frame_begins(self) -> bool:
        """Call at the start of each frame; returns False once the measured frames are done."""
        self.frame += 1
        if self.frame == WARMUP + 1:
            self.stats.update(dict.fromkeys(self.COUNTERS, 0))
            self.measuring = True
            self._cpu0, self._wall0 = time.process_time(), time.monotonic()
            self.stats["t_start"] = self._wall0
        elif self.measuring and (
            self.frame == WARMUP + FRAMES + 1 or time.monotonic() - self._wall0 >= MAX_SECONDS
        ):
            self.measuring = False
            self.stats.update(
                frames=self.frame - WARMUP - 1,
                cpu_s=time.process_time() - self._cpu0,
                t_end=time.monotonic(),
                wall_s=time.monotonic() - self._wall0,
            )
            return False
        return self.frame <= WARMUP or self.measuring

    def add(self, key: str, value: float) -> None:
        if self.measuring:
            self.stats[key] = self.stats[key] + value  # type: ignore[operator]


def _instrument_canvas(probe: Probe) -> None:
    """Wrap ``PixelCanvas.flush`` to count the cells each flush changes (its cost is kept apart)."""
    import numpy as np

    from tui.widgets.pixel_canvas import PixelCanvas

    original = PixelCanvas.flush

    def counting_flush(self: PixelCanvas) -> None:
        c0 = time.process_time()
        before, glyphs_before = self._shown_codes.copy(), dict(self._shown_glyphs)
        c1 = time.process_time()
        original(self)
        c2 = time.process_time()
        after = self._shown_codes
        if before.shape != after.shape:
            changed = after.size
        else:
            diff = before != after
            for (r, c), _ in set(glyphs_before.items()) ^ set(self._shown_glyphs.items()):
                if 0 <= r < diff.shape[0] and 0 <= c < diff.shape[1]:
                    diff[r, c] = True
            changed = int(np.count_nonzero(diff))
        probe.add("canvas_changed", changed)
        probe.add("flushes", 1)
        probe.add("runs", int(np.count_nonzero(after[:, 1:] != after[:, :-1])) + after.shape[0])
        probe.add("overhead_s", (c1 - c0) + (time.process_time() - c2))

    PixelCanvas.flush = counting_flush  # type: ignore[method-assign]


def _finish(app, probe: Probe) -> None:
    """After the window: wait, repaint everything once (timed), write the stats, exit (once only)."""
    if probe.finishing:
        return
    probe.finishing = True

    def repaint() -> None:
        probe.stats["areas"] = _areas(app)
        probe.stats["full_t0"] = time.monotonic()
        app.refresh(repaint=True)
        app.set_timer(QUIET, done)

    def done() -> None:
        probe.stats["full_t1"] = time.monotonic()
        Path(os.environ[STATS_ENV]).write_text(json.dumps(probe.stats), encoding="utf-8")
        app.exit()

    app.set_timer(QUIET, repaint)


AREAS = (  # (name, CSS selector) of the parts of the screen the bytes are attributed to; later wins
    ("canvas", "PixelCanvas"),
    ("network", "NetworkDiagram"),
    ("pg map", "#pg-map"),
    ("pg neurons", "#pg-neurons"),
    ("title", "#sim-title"),
    ("loss plot", "LinePlot"),
    ("story", "Explainer"),
    ("knobs", "ParamPanel"),
    ("metrics bar", "MetricsBar"),
    ("footer", "Footer"),
)


def _areas(app) -> list[tuple[str, list[int]]]:
    """Screen regions of the widgets in AREAS that the current screen has."""
    out = []
    for name, selector in AREAS:
        for widget in app.screen.query(selector):
            r = widget.region
            out.append((name, [r.x, r.y, r.width, r.height]))
    return out


def _heatmap_app(probe: Probe):
    import numpy as np
    from textual.app import App, ComposeResult

    from tui import palette
    from tui.widgets.pixel_canvas import PixelCanvas

    class HeatmapBench(App):
        CSS = "Screen { padding: 0; } PixelCanvas { width: 1fr; height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield PixelCanvas()

        def on_mount(self) -> None:
            self.canvas = self.query_one(PixelCanvas)
            self.canvas.set_palette(palette.sequential(64))
            self.frames: list[np.ndarray] = []
            self.timer = self.set_interval(1 / FPS, self.tick)

        def _make_frames(self, w: int, h: int) -> None:
            """Every frame precomputed (the bench measures drawing, not maths); no two alike."""
            y, x = np.mgrid[0:h, 0:w].astype(np.float32)
            self.frames = [
                0.5 + 0.3 * np.sin(x / 25.0 - 0.21 * t) + 0.2 * np.sin((x + 2 * y) / 40.0 + 0.37 * t)
                for t in range(WARMUP + FRAMES + 2)
            ]

        def tick(self) -> None:
            if not probe.frame_begins():
                self.timer.stop()
                _finish(self, probe)
                return
            w, h = self.canvas.pixel_size
            if not self.frames or self.frames[0].shape != (h, w):
                self._make_frames(w, h)
            self.canvas.set_heatmap(self.frames[min(probe.frame, len(self.frames) - 1)])

    return HeatmapBench()


def _topic_app(probe: Probe, scene: str):
    from tui import catalog
    from tui.app import LearnLoopApp
    from tui.cli import parse_knobs
    from tui.simulation import SimulationScreen

    tick, run_steps, refresh_view = SimulationScreen._tick, SimulationScreen._run_steps, SimulationScreen.refresh_view

    def timed_tick(self: SimulationScreen) -> None:
        if not probe.frame_begins():
            self.playing = False
            _finish(self.app, probe)
            return
        tick(self)

    def timed_run_steps(self: SimulationScreen, n: int, budget: float | None) -> int:
        c0 = time.process_time()
        done = run_steps(self, n, budget)
        probe.add("train_s", time.process_time() - c0)
        probe.add("steps", done)
        return done

    def timed_refresh_view(self: SimulationScreen) -> None:
        c0 = time.process_time()
        refresh_view(self)
        probe.add("view_s", time.process_time() - c0)

    SimulationScreen._tick = timed_tick  # type: ignore[method-assign]
    SimulationScreen._run_steps = timed_run_steps  # type: ignore[method-assign]
    SimulationScreen.refresh_view = timed_refresh_view  # type: ignore[method-assign]
    options = parse_knobs(catalog.get_topic(scene), PLAYGROUND_ARGS, "bench") if scene == "playground" else {}
    return LearnLoopApp(scene, seed=0, autoplay=True, options=options)


def child(scene: str) -> None:
    sys.path.insert(0, str(ROOT))
    import tui.cli  # noqa: F401  (sets one BLAS thread before NumPy loads, as the app does)

    probe = Probe()
    probe.stats["scene"] = scene
    _instrument_canvas(probe)
    app = _heatmap_app(probe) if scene == "heatmap" else _topic_app(probe, scene)
    profile_path = os.environ.get(PROFILE_ENV)
    if profile_path:
        import cProfile

        cProfile.runctx("app.run()", globals(), {"app": app}, profile_path)
    else:
        app.run()


# ====================================================================== the parent side
def measure(scene: str, profile: bool = False) -> dict[str, float]:
    """Run ``scene`` under a pty and return its figures (and print the child's profile if asked)."""
    from _pty import Terminal, child_env, run_in_pty

    with tempfile.TemporaryDirectory() as tmp:
        stats_path = Path(tmp) / "stats.json"
        env = child_env({STATS_ENV: str(stats_path)})
        if profile:
            env[PROFILE_ENV] = str(Path(tmp) / "profile.out")
        cap = run_in_pty([PYTHON, str(Path(__file__).resolve()), "--child", scene], env, cols=COLS, rows=ROWS,
                         timeout=50, cwd=str(ROOT))
        if not stats_path.exists():
            tail = cap.data[-2000:].decode("utf-8", "replace")
            raise RuntimeError(f"the {scene} child wrote no stats (exit status {cap.status}); its last output:\n{tail}")
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
        if profile:
            import pstats

            print(f"profile of the {scene} child (whole run, warm-up included; CPU figures are inflated):")
            stats_ = pstats.Stats(env[PROFILE_ENV])
            stats_.sort_stats("tottime").print_stats(25)
            stats_.sort_stats("cumulative").print_stats(40)

    grid = [["other"] * COLS for _ in range(ROWS)]
    for name, (x, y, w, h) in stats.get("areas", []):
        for row in grid[y : y + h]:
            row[x : x + w] = [name] * len(row[x : x + w])
    term = Terminal(COLS, ROWS, grid)
    for stamp, data in cap.chunks:
        term.feed(data, stamp)
    t0, t1 = stats["t_start"], stats["t_end"]
    window = [f for f in term.frames if t0 <= f.time <= t1]
    full = [f for f in term.frames if stats["full_t0"] <= f.time <= stats["full_t1"]]
    frames = stats["frames"]
    full_bytes = cap.bytes_between(stats["full_t0"], stats["full_t1"])
    per_cell = full_bytes / (COLS * ROWS)
    cpu_ms = 1000 * (stats["cpu_s"] - stats["overhead_s"]) / frames
    out = {
        "cpu_ms": cpu_ms,
        "train_ms": 1000 * stats["train_s"] / frames,
        "view_ms": 1000 * stats["view_s"] / frames,
        "steps_per_frame": stats["steps"] / frames,
        "fps": frames / stats["wall_s"],
        "bytes_per_frame": cap.bytes_between(t0, t1) / frames,
        "full_bytes": full_bytes,
        "full_cells": sum(f.written for f in full),
        "full_updates": len(full),
        "per_cell": per_cell,
        "canvas_changed": stats["canvas_changed"] / frames,
        "screen_changed": sum(f.changed for f in window) / frames,
        "min_bytes": sum(f.min_bytes for f in window) / frames,
        "updates_per_frame": len(window) / frames,
        "overhead_ms": 1000 * stats["overhead_s"] / frames,
        "runs": stats["runs"] / max(stats["flushes"], 1),
        "areas": {
            name: (sum(f.bytes_by_area[name] for f in window) / frames,
                   sum(f.changed_by_area[name] for f in window) / frames,
                   sum(f.min_bytes_by_area[name] for f in window) / frames)
            for name in dict.fromkeys(n for n, _ in stats.get("areas", [])) or ["other"]
        },
    }
    out["ratio_canvas"] = out["bytes_per_frame"] / max(out["canvas_changed"] * per_cell, 1e-9)
    out["ratio_screen"] = out["bytes_per_frame"] / max(out["screen_changed"] * per_cell, 1e-9)
    out["ratio_exact"] = out["bytes_per_frame"] / max(out["min_bytes"], 1e-9)
    return out


def rows_for(scene: str, m: dict[str, float]) -> list[Row]:
    label = {"heatmap": "heat map 160×50", "spiral": "spiral screen", "playground": "playground 6×32"}[scene]
    rows = []
    if scene == "heatmap":
        rows.append(Row(f"{label}: CPU per frame", f"{m['cpu_ms']:.2f} ms", f"≤ {CPU_BUDGET_MS:g} ms",
                        m["cpu_ms"] <= CPU_BUDGET_MS))
    else:
        rest = m["cpu_ms"] - m["train_ms"] - m["view_ms"]
        rows += [
            Row(f"{label}: CPU per frame (all)", f"{m['cpu_ms']:.2f} ms"),
            Row(f"{label}:   training ({m['steps_per_frame']:.1f} epochs/frame)", f"{m['train_ms']:.2f} ms"),
            Row(f"{label}:   update_view (heat maps, points, plots)", f"{m['view_ms']:.2f} ms"),
            Row(f"{label}:   Textual layout, render, write", f"{rest:.2f} ms"),
        ]
    rows += [
        Row(f"{label}: frames per second (app frames / terminal updates)",
            f"{m['fps']:.1f} / {m['fps'] * m['updates_per_frame']:.1f}", f"{FPS}"),
        Row(f"{label}: bytes written per frame", fmt_kb(m["bytes_per_frame"])),
        Row(f"{label}: full repaint ({m['full_cells']} cells)", fmt_kb(m["full_bytes"])),
        Row(f"{label}: changed cells per frame (canvas / screen)",
            f"{m['canvas_changed']:.0f} / {m['screen_changed']:.0f}"),
        Row(f"{label}: changed-cell bytes per frame: cells × average / runs encoded",
            f"{fmt_kb(m['screen_changed'] * m['per_cell'])} / {fmt_kb(m['min_bytes'])}"),
    ]
    budget = f"≤ {BYTES_BUDGET:g}×" if scene == "spiral" else ""
    for key, how in (("ratio_canvas", "canvas diff × average"), ("ratio_screen", "screen diff × average"),
                     ("ratio_exact", "screen diff, runs encoded")):
        ok = m[key] <= BYTES_BUDGET if scene == "spiral" else None
        rows.append(Row(f"{label}: bytes / changed-cell bytes ({how})", f"{m[key]:.2f}×", budget, ok))
    return rows


def main(scenes: list[str], profile: bool = False) -> None:
    rows: list[Row] = []
    for scene in scenes:
        print(f"render: {scene} ({WARMUP} + {FRAMES} frames at {FPS} fps under a {COLS}×{ROWS} pty) …", flush=True)
        m = measure(scene, profile)
        rows += rows_for(scene, m)
        if m["full_updates"] != 1:
            print(f"  note: the full repaint came as {m['full_updates']} terminal updates")
        print(f"  terminal updates per app frame {m['updates_per_frame']:.2f}; canvas runs (segments) per frame "
              f"{m['runs']:.0f}; instrumentation {m['overhead_ms']:.3f} ms/frame (not counted)")
        if len(m["areas"]) > 1:
            print("  per frame, by area: bytes written, changed cells, their bytes (runs encoded), ratio")
            for name, (nbytes, changed, least) in m["areas"].items():
                ratio = f"{nbytes / least:6.2f}×" if least else "      —"
                print(f"    {name:<12} {fmt_kb(nbytes):>9}  {changed:6.0f} cells  {fmt_kb(least):>9}  {ratio}")
        sys.stdout.flush()
    report("render", f"render — {COLS}×{ROWS} pty, {FRAMES} frames at {FPS} fps", rows)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        args = sys.argv[1:]
        profile = "--profile" in args
        wanted = [a for a in args if a != "--profile"] or list(SCENES)
        unknown = [s for s in wanted if s not in SCENES]
        if unknown:
            sys.exit(f"unknown scene(s) {', '.join(unknown)}; choose from {', '.join(SCENES)} (and --profile)")
        main(wanted, profile)

"""Training speed of the spiral network: NumPy (``algorithms.spiral``) against PyTorch on the CPU.

Each part runs in its own process, so that one library's thread pools cannot disturb another's:

* ``numpy`` (one BLAS thread, as in the app): ``SpiralTraining()`` with its defaults, where one
  ``step()`` is one epoch as the app runs it (training, then loss and accuracy on all points, plus the
  step-back snapshot); the bare training core (``loss_and_grad`` + the optimiser's step); and the
  epochs until the training accuracy first reaches 98 %, seeds 0–4, median.
* ``torch`` (if it imports; ``torch.set_num_threads(1)``): the same 2→24→24→1 tanh net with the
  *same initial weights*, data, optimiser (Adam, same lr/betas/eps), batch scheme and mean binary
  cross-entropy from the logits. An epoch does the same work as ``step()`` (train, then loss and
  accuracy as Python floats). A parity check first: loss and gradient at the start must match NumPy's.
  The epochs to 98 % from the same starts are a cross-check of the two implementations.
* ``threads``: threadpoolctl's view of the BLAS pools, and an epoch and a heat-map grid timed in a
  process started with ``OPENBLAS_NUM_THREADS=1`` (etc.) against one with the default pool size.
  The app's own pool size is read in a process that imports ``tui.cli`` first, as ``learnloop`` does.

Timings are the best of 5 rounds (the round least disturbed by other processes).

Run: ``.venv/bin/python bench/train.py``. PyTorch is not a dependency of the project; for the
comparison install it into the venv only: ``.venv/bin/pip install torch==2.13.0``.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

from _common import PYTHON, ROOT, Row, median, report

SEEDS = range(5)
TARGET = 0.98
MAX_EPOCHS = 3000
EPOCHS_BUDGET = 400
SPEED_BUDGET = 5.0
ROUNDS = 5
EPOCHS_PER_ROUND = 300
GRID = (160, 100)  # the heat map of a 160×50 canvas: pixels evaluated per frame
BLAS_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


# ====================================================================== shared by the parts
def best_of(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """(wall, CPU) seconds per call of ``fn``: the fastest of ROUNDS rounds of ``n`` calls, after a warm-up."""
    for _ in range(max(n // 10, 3)):
        fn()
    best = (float("inf"), float("inf"))
    for _ in range(ROUNDS):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        result = ((time.perf_counter() - w0) / n, (time.process_time() - c0) / n)
        best = min(best, result)
    return best


def epochs_to_target(make_step: Callable[[int], Callable[[], float]]) -> list[int | None]:
    """For each seed: the first epoch whose accuracy (returned by the step) is ≥ TARGET, or None."""
    out: list[int | None] = []
    for seed in SEEDS:
        step = make_step(seed)
        out.append(next((e for e in range(1, MAX_EPOCHS + 1) if step() >= TARGET), None))
    return out


def blas_pools() -> list[dict]:
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "num_threads", "version", "threading_layer")
    return [{k: p.get(k) for k in keys} for p in threadpool_info()]


# ====================================================================== the parts (child processes)
def part_numpy() -> dict:
    import numpy as np

    from algorithms.optim import make_optimizer
    from algorithms.spiral import SpiralTraining

    sim = SpiralTraining(seed=0)
    core_sim = SpiralTraining(seed=0)
    model, X = core_sim.model, core_sim.X
    targets = np.asarray(core_sim.y, dtype=model.dtype).reshape(-1, 1)
    opt = make_optimizer(core_sim.optimizer, lr=core_sim.lr)

    def core() -> None:
        opt.step(model.params, model.loss_and_grad(X, targets)[1])

    def make_step(seed: int) -> Callable[[], float]:
        s = SpiralTraining(seed=seed)

        def step() -> float:
            s.step()
            return s.accuracy

        return step

    return {
        "step": best_of(sim.step, EPOCHS_PER_ROUND),
        "core": best_of(core, EPOCHS_PER_ROUND),
        "epochs": epochs_to_target(make_step),
        "n_params": sim.model.n_params,
        "n_points": len(sim.y),
        "pools": blas_pools(),
    }


class TorchSpiral:
    """The spiral net in PyTorch, started from a ``SpiralTraining``'s weights and data."""

    def __init__(self, sim, torch) -> None:
        import numpy as np

        self.torch = torch
        self.X = torch.from_numpy(np.array(sim.X, dtype=np.float32))
        self.T = torch.from_numpy(np.array(sim.y, dtype=np.float32).reshape(-1, 1))
        sizes = sim.model.sizes
        layers: list = []
        for i, (a, b) in enumerate(itertools.pairwise(sizes)):
            lin = torch.nn.Linear(a, b)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.array(sim.model.weights[i], dtype=np.float32).T.copy()))
                lin.bias.copy_(torch.from_numpy(np.array(sim.model.biases[i], dtype=np.float32)))
            layers.append(lin)
            if i < len(sizes) - 2:
                if sim.activation != "tanh":
                    raise ValueError(f"the comparison is written for tanh, not {sim.activation}")
                layers.append(torch.nn.Tanh())
        self.net = torch.nn.Sequential(*layers)
        self.loss_fn = torch.nn.BCEWithLogitsLoss()
        if sim.optimizer != "adam":
            raise ValueError(f"the comparison is written for Adam, not {sim.optimizer}")
        self.opt = torch.optim.Adam(self.net.parameters(), lr=sim.lr, betas=(0.9, 0.999), eps=1e-8)
        self.batch = sim.batch_size
        self.gen = torch.Generator().manual_seed(0)

    def train_epoch(self) -> None:
        n = len(self.T)
        if self.batch is None or self.batch >= n:
            batches: list = [slice(None)]
        else:
            order = self.torch.randperm(n, generator=self.gen)
            batches = [order[i : i + self.batch] for i in range(0, n, self.batch)]
        for idx in batches:
            self.opt.zero_grad(set_to_none=True)
            self.loss_fn(self.net(self.X[idx]), self.T[idx]).backward()
            self.opt.step()

    def epoch(self) -> float:
        """Train one epoch, then loss and accuracy on all points as floats (what ``step()`` does)."""
        self.train_epoch()
        with self.torch.no_grad():
            z = self.net(self.X)
            self.loss = self.loss_fn(z, self.T).item()
            return ((z >= 0).float() == self.T).float().mean().item()

    def gradient(self):
        """Loss and gradient at the current weights, flat in the MLP's layout (W0, b0, W1, b1, …)."""
        self.net.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.net(self.X), self.T)
        loss.backward()
        parts = []
        for layer in self.net:
            if isinstance(layer, self.torch.nn.Linear):
                parts += [layer.weight.grad.T.reshape(-1), layer.bias.grad.reshape(-1)]
        return loss.item(), self.torch.cat(parts).numpy().astype("float64")


def part_torch() -> dict:
    try:
        import torch
    except ImportError:
        return {"missing": True}
    import numpy as np

    from algorithms.spiral import SpiralTraining

    torch.set_num_threads(1)
    ref = SpiralTraining(seed=0)
    t_loss, t_grad = TorchSpiral(ref, torch).gradient()
    n_loss, n_grad = ref.model.loss_and_grad(ref.X, np.asarray(ref.y, dtype=np.float32).reshape(-1, 1))
    rel = float(np.max(np.abs(t_grad - n_grad)) / max(float(np.max(np.abs(t_grad))), 1e-30))
    net = TorchSpiral(SpiralTraining(seed=0), torch)
    return {
        "version": torch.__version__,
        "loss": [float(n_loss), t_loss],
        "grad_rel": rel,
        "epoch": best_of(net.epoch, EPOCHS_PER_ROUND),
        "core": best_of(net.train_epoch, EPOCHS_PER_ROUND),
        "epochs": epochs_to_target(lambda seed: TorchSpiral(SpiralTraining(seed=seed), torch).epoch),
    }


def part_threads() -> dict:
    import numpy as np

    from algorithms.spiral import SpiralTraining

    sim = SpiralTraining(seed=0)
    model = SpiralTraining(seed=0).model
    grid = np.random.default_rng(0).uniform(-1.2, 1.2, size=(GRID[0] * GRID[1], 2)).astype(np.float32)
    return {
        "pools": blas_pools(),
        "step": best_of(sim.step, EPOCHS_PER_ROUND),
        "grid": best_of(lambda: model.logits(grid), 30),
    }


def part_app() -> dict:
    import tui.cli  # noqa: F401, I001  (first, as in `learnloop`: it sets the BLAS variables)
    import numpy  # noqa: F401

    return {"pools": blas_pools()}


PARTS = {"numpy": part_numpy, "torch": part_torch, "threads": part_threads, "app": part_app}


# ====================================================================== the parent
def run_part(name: str, blas_threads: int | None) -> dict:
    """Run one part in a fresh process; ``blas_threads`` None leaves the BLAS variables unset."""
    env = {k: v for k, v in os.environ.items() if k not in BLAS_VARS}
    if blas_threads is not None:
        env.update({k: str(blas_threads) for k in BLAS_VARS})
    out = subprocess.run([PYTHON, __file__, "--part", name], env=env, cwd=str(ROOT), capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"train part {name!r} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _describe(epochs: list[int | None]) -> tuple[float, str]:
    done = [e if e is not None else MAX_EPOCHS + 1 for e in epochs]
    shown = ", ".join("—" if e is None else str(e) for e in epochs)
    return median(done), f"{median(done):.0f} ({shown})"


def _blas_threads(pools: list[dict]) -> list[int]:
    return [p["num_threads"] for p in pools if p["user_api"] == "blas"]


def main() -> None:
    rows: list[Row] = []
    print("train: numpy …", flush=True)
    npy = run_part("numpy", 1)
    med, text = _describe(npy["epochs"])
    step_wall, core_wall = npy["step"][0], npy["core"][0]
    rows += [
        Row(f"numpy: epochs/s, step() as the app runs it ({npy['n_params']} weights, {npy['n_points']} points)",
            f"{1 / step_wall:,.0f}"),
        Row("numpy: epochs/s, training core only (loss_and_grad + Adam)", f"{1 / core_wall:,.0f}"),
        Row(f"numpy: epochs to {TARGET:.0%} accuracy, median (seeds 0–4)", text, f"≤ {EPOCHS_BUDGET}",
            med <= EPOCHS_BUDGET),
    ]

    print("train: torch …", flush=True)
    tch = run_part("torch", 1)
    if tch.get("missing"):
        print("torch not installed")
        rows.append(Row("torch: comparison", "torch not installed"))
    else:
        ratio = tch["epoch"][0] / step_wall
        print(f"  parity at the start: loss numpy {tch['loss'][0]:.6f}, torch {tch['loss'][1]:.6f}")
        rows += [
            Row("torch vs numpy: gradient at the start, max relative difference", f"{tch['grad_rel']:.1e}",
                "≤ 1e-4", tch["grad_rel"] <= 1e-4),
            Row(f"torch {tch['version']}: epochs/s, same work as step() (1 thread)", f"{1 / tch['epoch'][0]:,.0f}"),
            Row("torch: epochs/s, training only", f"{1 / tch['core'][0]:,.0f}"),
            Row("speed-up numpy step() / torch epoch", f"{ratio:.1f}×", f"≥ {SPEED_BUDGET:g}×", ratio >= SPEED_BUDGET),
            Row("speed-up numpy core / torch training only", f"{tch['core'][0] / core_wall:.1f}×"),
            Row(f"torch: epochs to {TARGET:.0%} from the same starts (cross-check)", _describe(tch["epochs"])[1]),
        ]

    print("train: BLAS threads …", flush=True)
    app = run_part("app", None)
    app_threads = _blas_threads(app["pools"])
    rows.append(Row("BLAS threads inside the app (learnloop start-up)", ", ".join(map(str, app_threads)) or "none",
                    "1", bool(app_threads) and all(t == 1 for t in app_threads)))
    one, default = run_part("threads", 1), run_part("threads", None)
    n_default = max(_blas_threads(default["pools"]), default=1)
    print("  BLAS pools by default (threadpoolctl):")
    for p in default["pools"]:
        print(f"    {p['user_api']}/{p['internal_api']} {p['version'] or ''} threads={p['num_threads']} "
              f"{p['threading_layer'] or ''}")
    for key, label in (("step", "epoch step()"), ("grid", f"heat-map grid {GRID[0]}×{GRID[1]} forward")):
        (w1, c1), (wd, cd) = one[key], default[key]
        vs = f"1 BLAS thread vs default ({n_default})"
        rows.append(Row(f"{label}: {vs}, wall ms", f"{w1 * 1e3:.3f} vs {wd * 1e3:.3f}"))
        rows.append(Row(f"{label}: {vs}, CPU ms", f"{c1 * 1e3:.3f} vs {cd * 1e3:.3f}"))
    report("train", "train — spiral MLP, NumPy vs PyTorch (CPU)", rows)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--part":
        print(json.dumps(PARTS[sys.argv[2]]()))
    else:
        main()

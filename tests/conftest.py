"""Shared test set-up: one BLAS thread, and no colour leaking in from the environment."""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.pop("NO_COLOR", None)

# LinePlot imports plotext on a background thread when it is not loaded yet (fast start-up); tests
# load it up front so that builds happen when a test expects them.
import plotext  # noqa: E402,F401

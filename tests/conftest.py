"""Shared test set-up: one BLAS thread, and no colour leaking in from the environment."""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.pop("NO_COLOR", None)

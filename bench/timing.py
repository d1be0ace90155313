"""Timing helpers shared by the benchmarks (bench/run.py, bench/matching.py)."""

from __future__ import annotations

import contextlib
import json
import statistics
import time
from collections.abc import Callable
from typing import Any


def stats(samples_s: list[float]) -> dict[str, float]:
    """n, p50, p95, mean and max in milliseconds of samples given in seconds."""
    ms = sorted(s * 1000 for s in samples_s)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(p95, 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(ms[-1], 2),
    }


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def client_environment() -> None:
    """Django's test environment (what the test Client needs), set up once per process: several
    benchmarks of one run use the Client, and Django refuses a second set-up."""
    from django.test.utils import setup_test_environment

    with contextlib.suppress(RuntimeError):  # already set up by an earlier benchmark of this run
        setup_test_environment()


def child_json(argv: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Run a benchmark child process (our own interpreter) and read the JSON of its last line;
    its stderr (progress) is passed on, a failure comes back as {"error": the end of stderr}."""
    import subprocess
    import sys

    proc = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, *argv], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
    sys.stderr.write(proc.stderr[-3000:])
    if proc.returncode != 0:
        return {"error": proc.stderr[-3000:]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result

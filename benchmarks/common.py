"""Shared benchmark helpers: timing with median/min/max, building the reference hub, printing one table."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Row:
    """One line of a benchmark table. Times in seconds unless `unit` says otherwise."""

    operation: str
    median: float
    low: float
    high: float
    baseline: float | None = None
    target: str = ""
    unit: str = "s"
    runs: int = 1

    @property
    def ratio(self) -> str:
        if not self.baseline:
            return ""
        return f"{self.median / self.baseline:.2f}x"


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float, float, list[float]]:
    """Run `fn` `runs` times; returns (median, min, max, all timings) in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), times


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def oursociety(*args: str) -> str:
    """Run the real command line; returns stdout, raises on failure."""
    proc = subprocess.run([sys.executable, "-m", "oursociety_desktop", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"oursociety {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def build_hub(contacts: int, seed: int = 1, folder: Path | None = None) -> tuple[Path, float]:
    """A demo hub of `contacts` people in a fresh temporary folder; returns (data dir, generation seconds)."""
    root = folder or Path(tempfile.mkdtemp(prefix="oursociety-bench-"))
    hub = root / f"hub-{contacts}"
    oursociety("--data-dir", str(hub), "init", "--hub-name", "Benchmark Hub")
    start = time.perf_counter()
    oursociety("--data-dir", str(hub), "demo", "--contacts", str(contacts), "--seed", str(seed))
    return hub, time.perf_counter() - start


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def print_table(title: str, rows: list[Row]) -> None:
    """Print rows as a Markdown table (so it can be pasted into docs/benchmarks.md)."""
    print(f"\n### {title}\n")
    print("| operation | median | min | max | runs | baseline (same run) | ratio | target |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.operation} | {fmt(r.median, r.unit)} | {fmt(r.low, r.unit)} | {fmt(r.high, r.unit)} | {r.runs} | "
              f"{fmt(r.baseline, r.unit)} | {r.ratio} | {r.target} |")
    sys.stdout.flush()

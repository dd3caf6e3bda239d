"""`python -m benchmarks` runs each module on a copy of the reference hub: a copy that can import and export (a
copied hub asks whether it is a copy, and refused the suite's bundle import until the suite answered for it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.__main__ import run_module

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_exchange_benchmark_runs_on_the_suites_copy_of_a_hub(tmp_path: Path) -> None:
    hub = tmp_path / "reference"
    cli = [sys.executable, "-m", "oursociety_desktop", "--data-dir", str(hub)]
    subprocess.run([*cli, "init", "--hub-name", "Reference"], check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*cli, "demo", "--contacts", "40", "--seed", "3"], check=True, capture_output=True, cwd=ROOT)
    work = tmp_path / "work"
    work.mkdir()
    rows = run_module("bench_exchange", hub, work)
    figures = {row["operation"]: row for row in rows}
    imported = [name for name in figures if name.startswith("import into an empty hub (")]
    assert len(imported) == 1, sorted(figures)
    assert figures[imported[0]]["median"] > 0 and figures["re-import, no change"]["median"] > 0
    assert figures["database file the import made (baseline: the same records as JSON Lines)"]["baseline"] > 0

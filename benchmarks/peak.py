"""One import in a fresh process, timed, with its peak resident memory (issue 20: each import at 100k ≤ 400 MB).

    python -m benchmarks.peak bundle HUB BUNDLE      # import a bundle into HUB (trusting its hub), then again
    python -m benchmarks.peak vcard HUB FILE         # read and import a vCard file into HUB
    python -m benchmarks.peak csv HUB FILE           # read, map and import a CSV file into HUB
    python -m benchmarks.peak vcard-cancel HUB FILE  # the same import, cancelled once the search index is built

Prints one JSON line: the seconds of each step and `peak_mb`, the process's peak resident set size (`VmHWM`,
else `resource.getrusage`) taken right after the first import, so it covers the interpreter, the parse and the
import.
vCard and CSV imports also report `read_seconds`, the reading of the file into rows (before any check),
`max_gap`, the longest wait between two progress reports (issue 20: at most 0.5 s) and the step it came before; a
`-cancel` run reports `cancel_seconds`, from the answer False to the
rolled-back transaction (at most 1 s), and `rows_after`, the contacts left in the hub (0).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _peak_mb() -> float:
    """This process's own peak resident set size. On Linux `ru_maxrss` of a process started by fork and exec also
    counts its parent's size at the fork (a benchmark holding a 100k hub in memory), so the high-water mark of
    the process's own memory (`VmHWM`) is read where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    kind, hub, source = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    from oursociety_desktop.models.database import Database

    db = Database.open(hub)
    result: dict[str, Any] = {}
    try:
        if kind == "bundle":
            from oursociety_desktop.services.exchange import import_bundle

            start = time.perf_counter()
            first = import_bundle(db, source, backup=False, trust_new_hub=True)
            result.update(seconds=time.perf_counter() - start, changes=first.changes, peak_mb=_peak_mb())
            start = time.perf_counter()
            again = import_bundle(db, source, backup=False, trust_new_hub=True)
            result.update(again_seconds=time.perf_counter() - start, again_changes=again.changes)
        else:
            from oursociety_desktop.formats import csv_io, csv_mapping, vcard
            from oursociety_desktop.models.errors import Cancelled
            from oursociety_desktop.services.people_import import ImportOptions, run_import

            cancel = kind.endswith("-cancel")
            gaps = {"last": time.perf_counter(), "max": 0.0, "asked": 0.0}
            before = [""]

            def progress(_percent: int, message: str) -> bool:
                now = time.perf_counter()
                if now - gaps["last"] > gaps["max"]:
                    gaps["max"], before[0] = now - gaps["last"], message
                gaps["last"] = now
                if cancel and message == "Building the search index":
                    gaps["asked"] = now
                    return False
                return True

            start = gaps["last"] = time.perf_counter()
            if kind.startswith("vcard"):
                parsed = vcard.read_vcard_file(source, progress=progress)
            else:
                table = csv_io.read_csv_file(source, progress=progress)
                parsed = csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers), progress)
            result.update(read_seconds=time.perf_counter() - start)
            try:
                summary = run_import(db, parsed, ImportOptions(on_duplicate="add"), progress=progress)
                result.update(seconds=time.perf_counter() - start, changes=summary.added, peak_mb=_peak_mb())
            except Cancelled:
                with db.read() as session:
                    left = session.connection().exec_driver_sql("SELECT COUNT(*) FROM contact").scalar_one()
                result.update(cancel_seconds=time.perf_counter() - gaps["asked"], rows_after=left)
            result.update(max_gap=gaps["max"], gap_before=before[0])
    finally:
        db.close()
    print(json.dumps(result), flush=True)


def measured(kind: str, hub: Path, source: Path) -> dict[str, Any]:
    """Run one measured import in a fresh process; returns its JSON line as a dict."""
    proc = subprocess.run([sys.executable, "-m", "benchmarks.peak", kind, str(hub), str(source)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmarks.peak {kind} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()

"""Kill a real `oursociety` process with SIGKILL at a random moment and check what it left behind.

After each kill the database must pass `PRAGMA integrity_check`, hold exactly the state before or after the
operation (compared through `oursociety dump` and record counts), and no partial output file may sit under the
final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TRIALS = int(os.environ.get("OURSOCIETY_CRASH_TRIALS", "3"))


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "oursociety_desktop", *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"oursociety {' '.join(args)} failed: {proc.stderr}")
    return proc


ID_FIELDS = ("id", "origin_hub", "contact_id", "group_id", "action_id", "contact_a", "contact_b", "introduced_by",
             "parent_id", "follow_up_action_id", "merged_into")


def state_digest(hub: Path, ignore_ids: bool = False) -> str:
    """What must be 'before or after': the synchronised state, plus local counts (log, peers, conflicts).

    Field stamps are left out: an operation that issues new local stamps (demo data) gets different ones on every
    run, while values, ids and counts must match exactly. With `ignore_ids`, ids are left out too and records
    compared as a sorted multiset (an import of a CSV gives new contacts fresh random ids on every run).
    """
    data = json.loads(cli("--data-dir", str(hub), "dump", "--include-unshared").stdout)
    for name, records in data.items():
        for record in records:
            record.pop("stamps", None)
            if ignore_ids:
                for key in ID_FIELDS:
                    record.pop(key, None)
        if ignore_ids:
            data[name] = sorted(json.dumps(r, sort_keys=True) for r in records)
    dump = json.dumps(data, sort_keys=True)
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    try:
        counts = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
                  for t in ("contact", "contact_group", "membership", "action", "action_link", "connection",
                            "exchange_log", "peer_hub", "conflict", "contact_search")]
    finally:
        conn.close()
    return hashlib.sha256((dump + repr(counts)).encode()).hexdigest()


def integrity(hub: Path) -> str:
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def copy_hub(source: Path, target: Path) -> Path:
    """A byte copy of a closed hub folder (WAL folded in first)."""
    conn = sqlite3.connect(source / "oursociety.sqlite3")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups"))
    # Each trial's copy stands for the template hub itself, not a second laptop: it forgets where it was opened
    # before, so it is not taken for a clone (tests/exchange/test_exchange_clones.py covers clones).
    conn = sqlite3.connect(target / "oursociety.sqlite3")
    with conn:
        conn.execute("DELETE FROM setting WHERE key = 'hub_location'")
    conn.close()
    return target


@dataclass
class CrashReport:
    trials: int = 0
    before: int = 0
    after: int = 0
    finished_before_kill: int = 0
    mid_operation: int = 0  # kills that landed after the operation had begun writing, while it still ran
    outcomes: list[str] = field(default_factory=list)


def _wal_size(hub: Path) -> int:
    try:
        return (hub / "oursociety.sqlite3-wal").stat().st_size
    except FileNotFoundError:  # SQLite removes the WAL when the last connection closes
        return 0


def _trace(hub: Path, output: Path | None) -> tuple[int, list[str]]:
    """What the operation itself changes on disk as it works: the WAL's size (the hub was opened once before,
    so opening it writes nothing), and the files beside the output (a partial file appears there first)."""
    beside = sorted(p.name for p in output.parent.iterdir()) if output is not None else []
    return _wal_size(hub), beside


def _kill_mid_operation(proc: subprocess.Popen[bytes], hub: Path, output: Path | None, rng: random.Random,
                        duration: float) -> tuple[bool, bool, float]:
    """Wait until the operation leaves its first trace on disk, then SIGKILL it at a random moment of the time
    it still needs (`duration` is how long a whole run took when measured). Returns (killed, had begun writing,
    seconds from start to the kill)."""
    start = time.perf_counter()
    initial = _trace(hub, output)
    began = False
    while proc.poll() is None and time.perf_counter() - start < duration * 3:
        if _trace(hub, output) != initial:
            began = True
            break
        time.sleep(0.005)
    remaining = max(0.01, duration - (time.perf_counter() - start))
    time.sleep(rng.uniform(0.0, remaining * 0.8))
    if proc.poll() is not None:
        return False, began, time.perf_counter() - start
    proc.send_signal(signal.SIGKILL)
    return True, began, time.perf_counter() - start


def _opened_once(hub: Path) -> Path:
    """Open the copy once (records where it lives, so the operation's own open writes nothing) and fold the
    WAL in, so the first WAL growth afterwards is the operation's own."""
    cli("--data-dir", str(hub), "stats")
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hub


def kill_trials(template: Path, work: Path, args: Callable[[Path], list[str]], expected_after: str,
                duration: float, output: Path | None = None, trials: int = TRIALS, seed: int = 1,
                check_output: Callable[[Path], None] | None = None, ignore_ids: bool = False,
                label: str = "") -> CrashReport:
    """Run `oursociety <args(hub)>` on fresh copies of `template`, SIGKILL it at a random moment after it began
    writing, and check the state it left. `duration` is how long one whole run takes. `report.mid_operation`
    counts the kills that landed mid-operation; trials go on (up to three times `trials`) until one has."""
    rng = random.Random(seed)
    expected_before = state_digest(template, ignore_ids)
    report = CrashReport()
    trial = -1
    while trial + 1 < trials or (report.mid_operation == 0 and trial + 1 < trials * 3):
        trial += 1
        hub = _opened_once(copy_hub(template, work / f"trial-{trial}"))
        if output is not None and output.exists():
            output.unlink()
        proc = subprocess.Popen([sys.executable, "-m", "oursociety_desktop", *args(hub)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        killed, began, delay = _kill_mid_operation(proc, hub, output, rng, duration)
        report.finished_before_kill += not killed
        report.mid_operation += killed and began
        proc.wait()
        assert integrity(hub) == "ok", f"trial {trial}: integrity check failed after kill at {delay:.2f} s"
        digest = state_digest(hub, ignore_ids)
        assert digest in (expected_before, expected_after), f"trial {trial}: state is neither before nor after"
        if digest == expected_before:
            report.before += 1
        else:
            report.after += 1
        if output is not None and output.exists() and check_output is not None:
            check_output(output)
        report.trials += 1
        report.outcomes.append(f"{delay:.2f}s:{'after' if digest == expected_after else 'before'}")
        shutil.rmtree(hub)
    summary = os.environ.get("OURSOCIETY_CRASH_REPORT")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            name = label or " ".join(args(Path("HUB"))[2:4])
            fh.write(f"| {name} | {report.trials} | {report.mid_operation} | {report.before} | {report.after} | "
                     f"{report.finished_before_kill} | {duration:.2f} s |\n")
    return report

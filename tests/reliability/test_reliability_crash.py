"""Crash safety (issue 7): SIGKILL at random moments during long operations leaves a consistent database holding
exactly the state before or after, and never a partial file under the final name.

The default run does a few trials each; the reliability command sets OURSOCIETY_CRASH_TRIALS=20.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.reliability.crash_harness import TRIALS, cli, copy_hub, kill_trials, state_digest


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    hub = tmp_path_factory.mktemp("template") / "hub"
    cli("--data-dir", str(hub), "init", "--hub-name", "Crash Hub")
    cli("--data-dir", str(hub), "demo", "--contacts", "3000", "--seed", "5")
    return hub


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    cli(*args)
    return time.perf_counter() - start


def test_kill_during_demo_generation(demo_template: Path, tmp_path: Path) -> None:
    reference = copy_hub(demo_template, tmp_path / "reference")
    duration = _timed(["--data-dir", str(reference), "demo", "--contacts", "3000", "--seed", "6"])
    after = state_digest(reference)
    report = kill_trials(demo_template, tmp_path, lambda hub: ["--data-dir", str(hub), "demo", "--contacts", "3000",
                                                               "--seed", "6"],
                         expected_after=after, duration=duration * 1.2)
    assert report.trials == TRIALS


def test_kill_during_backup(demo_template: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.sqlite3"
    duration = _timed(["--data-dir", str(demo_template), "backup", str(out)])
    out.unlink()

    def whole_backup(path: Path) -> None:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 3000
        conn.close()

    report = kill_trials(demo_template, tmp_path, lambda hub: ["--data-dir", str(hub), "backup", str(out)],
                         expected_after=state_digest(demo_template), duration=duration * 1.5, output=out,
                         check_output=whole_backup)
    assert report.trials == TRIALS

"""Crash safety (issue 7): SIGKILL at random moments during long operations leaves a consistent database holding
exactly the state before or after, and never a partial file under the final name.

The default run does a few trials each; the reliability command sets OURSOCIETY_CRASH_TRIALS=20.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.reliability.crash_harness import cli, copy_hub, kill_trials, state_digest


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
                         expected_after=after, duration=duration, label="demo data, 3,000 contacts")
    assert report.mid_operation >= 1, report.outcomes  # at least one kill landed while it was working


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
                         expected_after=state_digest(demo_template), duration=duration, output=out,
                         check_output=whole_backup, label="backup")
    assert report.mid_operation >= 1, report.outcomes  # at least one kill landed while it was working


def test_kill_during_csv_import(demo_template: Path, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    cli("--data-dir", str(demo_template), "csv", "export", str(people))
    empty = tmp_path / "empty"
    cli("--data-dir", str(empty), "init", "--hub-name", "Receiving Hub")
    reference = copy_hub(empty, tmp_path / "reference")
    args = ["csv", "import", str(people), "--on-duplicate", "add"]
    duration = _timed(["--data-dir", str(reference), *args])
    report = kill_trials(empty, tmp_path, lambda hub: ["--data-dir", str(hub), *args],
                         expected_after=state_digest(reference, ignore_ids=True), duration=duration,
                         ignore_ids=True, label="CSV import, 3,000 rows")
    assert report.mid_operation >= 1, report.outcomes  # at least one kill landed while it was working


def test_kill_during_pdf_export(demo_template: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "directory.pdf"
    duration = _timed(["--data-dir", str(demo_template), "print", "directory", "-o", str(out)])
    pages = len(PdfReader(out).pages)
    out.unlink()

    def whole_pdf(path: Path) -> None:
        assert len(PdfReader(path).pages) == pages

    report = kill_trials(demo_template, tmp_path, lambda hub: ["--data-dir", str(hub), "print", "directory", "-o",
                                                               str(out)],
                         expected_after=state_digest(demo_template), duration=duration, output=out,
                         check_output=whole_pdf, label="directory PDF, 3,000 contacts")
    assert report.mid_operation >= 1, report.outcomes  # at least one kill landed while it was working


@pytest.fixture(scope="module")
def bundle_of_50k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full bundle of about 60,000 records (12,000 contacts, all shared, and their groups, memberships...)."""
    root = tmp_path_factory.mktemp("bundle")
    source = root / "source"
    cli("--data-dir", str(source), "init", "--hub-name", "Sending Hub")
    cli("--data-dir", str(source), "demo", "--contacts", "12000", "--seed", "8")
    conn = sqlite3.connect(source / "oursociety.sqlite3")
    with conn:
        conn.execute("UPDATE contact SET share_with_hubs = 1")
    conn.close()
    out = root / "all.oursociety"
    cli("--data-dir", str(source), "export", str(out), "--full")
    return out


def test_kill_during_bundle_import_of_50k_records(bundle_of_50k: Path, tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(bundle_of_50k) as zf:
        import json

        counts = json.loads(zf.read("manifest.json"))["counts"]
    assert sum(counts.values()) >= 50_000
    empty = tmp_path / "empty"
    cli("--data-dir", str(empty), "init", "--hub-name", "Receiving Hub")
    reference = copy_hub(empty, tmp_path / "reference")
    duration = _timed(["--data-dir", str(reference), "import", str(bundle_of_50k), "--trust-new-hub"])
    report = kill_trials(empty, tmp_path,
                         lambda hub: ["--data-dir", str(hub), "import", str(bundle_of_50k), "--trust-new-hub"],
                         expected_after=state_digest(reference), duration=duration,
                         label=f"bundle import, {sum(counts.values()):,} records")
    assert report.mid_operation >= 1, report.outcomes  # at least one kill landed while it was working

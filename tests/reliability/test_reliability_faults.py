"""Faults (issue 7): a full disk during export and import, a USB stick pulled while a bundle is written, and a
restore from each kind of automatic backup. Each must give a clear message and leave the hub as it was."""

from __future__ import annotations

import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.services.exchange import export_bundle
from tests.reliability.crash_harness import cli, copy_hub, integrity, state_digest


def run_with_file_size_limit(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI with RLIMIT_FSIZE: any write past `limit` bytes in any file fails as on a full disk."""

    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write() instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "oursociety_desktop", *args], capture_output=True, text=True,
                          preexec_fn=limit_writes, timeout=300)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    hub = tmp_path_factory.mktemp("faults") / "source"
    cli("--data-dir", str(hub), "init", "--hub-name", "Source Hub")
    cli("--data-dir", str(hub), "demo", "--contacts", "2000", "--seed", "4")
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    with conn:
        conn.execute("UPDATE contact SET share_with_hubs = 1")
    conn.close()
    return hub


def assert_clean_failure(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("oursociety: ") and "Traceback" not in proc.stderr


def test_disk_full_while_writing_a_bundle(source: Path, tmp_path: Path) -> None:
    hub = copy_hub(source, tmp_path / "hub")
    before = state_digest(hub)
    out = tmp_path / "out.oursociety"
    proc = run_with_file_size_limit(64 * 1024, "--data-dir", str(hub), "export", str(out), "--full")
    assert_clean_failure(proc)
    assert "too large" in proc.stderr.lower() or "full" in proc.stderr.lower()
    assert not out.exists() and not list(tmp_path.glob(".out.oursociety*"))
    assert integrity(hub) == "ok" and state_digest(hub) == before


def test_disk_full_while_importing_a_bundle(source: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "all.oursociety"
    cli("--data-dir", str(source), "export", str(bundle), "--full")
    hub = tmp_path / "receiver"
    cli("--data-dir", str(hub), "init", "--hub-name", "Receiver")
    before = state_digest(hub)
    size = (hub / "oursociety.sqlite3").stat().st_size
    # Room for the automatic backup of the small receiving hub, not for the 2,000 contacts arriving.
    proc = run_with_file_size_limit(size + 256 * 1024, "--data-dir", str(hub), "import", str(bundle), "--trust-new-hub")
    assert_clean_failure(proc)
    assert integrity(hub) == "ok" and state_digest(hub) == before


def test_usb_stick_pulled_while_a_bundle_is_written(source: Path, tmp_path: Path) -> None:
    hub = copy_hub(source, tmp_path / "hub")
    stick = tmp_path / "stick"
    stick.mkdir()
    peer = "11111111-2222-4333-8444-555555555555"
    db = Database.open(hub)
    try:
        before = state_digest(hub)

        def pull_the_stick(percent: int, message: str) -> bool:
            if percent >= 30 and stick.exists():
                shutil.rmtree(stick)
            return True

        with pytest.raises(UserError) as info:
            export_bundle(db, stick / "for-peer.oursociety", for_hub=peer, progress=pull_the_stick)
        assert "\n" not in info.value.message
        assert state_digest(hub) == before
        # Nothing recorded: the next bundle for that peer still starts from the beginning.
        again = tmp_path / "again"
        again.mkdir()
        result = export_bundle(db, again / "retry.oursociety", for_hub=peer)
        assert result.manifest.kind == "full"
    finally:
        db.close()
    assert integrity(hub) == "ok"


@pytest.mark.parametrize("operation", ["bundle import", "csv import", "restore"])
def test_restore_from_each_automatic_backup(source: Path, tmp_path: Path, operation: str) -> None:
    hub = copy_hub(source, tmp_path / "hub")
    before = state_digest(hub)
    if operation == "bundle import":
        other = tmp_path / "other"
        cli("--data-dir", str(other), "init", "--hub-name", "Other")
        cli("--data-dir", str(other), "contact", "add", "--given", "Arrived", "--share")
        cli("--data-dir", str(other), "export", str(tmp_path / "b.oursociety"), "--full")
        cli("--data-dir", str(hub), "import", str(tmp_path / "b.oursociety"), "--trust-new-hub")
        pattern = "auto-*before-import.sqlite3"
    elif operation == "csv import":
        (tmp_path / "p.csv").write_text("Given Name,Family Name\nArrived,Bycsv\n", encoding="utf-8")
        cli("--data-dir", str(hub), "csv", "import", str(tmp_path / "p.csv"))
        pattern = "auto-*before-csv-import.sqlite3"
    else:
        cli("--data-dir", str(hub), "backup", str(tmp_path / "older.sqlite3"))
        cli("--data-dir", str(hub), "contact", "add", "--given", "Later")
        before = state_digest(hub)
        cli("--data-dir", str(hub), "restore", str(tmp_path / "older.sqlite3"))
        pattern = "auto-*before-restore.sqlite3"
    assert state_digest(hub) != before
    backups = sorted((hub / "backups").glob(pattern))
    assert len(backups) == 1, list((hub / "backups").iterdir())
    assert sqlite3.connect(backups[0]).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cli("--data-dir", str(hub), "restore", str(backups[0]))
    assert state_digest(hub) == before
    assert cli("--data-dir", str(hub), "check").returncode == 0

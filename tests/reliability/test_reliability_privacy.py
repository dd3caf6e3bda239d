"""Files are private (issue 14, case 4): the data folder and backups 0700; the database, its write-ahead log,
backups and exported bundles 0600, whatever the umask. A backup interrupted by a crash leaves no copy behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.models.backup import automatic_backup, rotate_backups
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common umask 022 (files 0644, folders 0755 unless the app says otherwise)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_every_file_with_personal_data_is_the_owners_alone(tmp_path: Path, open_umask: None, capsys) -> None:
    control = tmp_path / "control.txt"
    control.write_text("a file made without care")
    assert mode(control) == 0o644  # positive control: the umask would leave files readable by all
    folder = tmp_path / "data" / "hub"
    assert main(["--data-dir", str(folder), "init", "--hub-name", "Hub"]) == 0
    db = Database.open(folder)
    with db.write() as tx:
        create_contact(tx, {"given_name": "Ngozi", "share_with_hubs": True})
    auto = automatic_backup(db.path, "test")
    db.close()
    manual, bundle = tmp_path / "manual.sqlite3", tmp_path / "out" / "hub.oursociety"
    bundle.parent.mkdir()
    assert main(["--data-dir", str(folder), "backup", str(manual)]) == 0
    assert main(["--data-dir", str(folder), "export", str(bundle)]) == 0
    capsys.readouterr()
    assert mode(folder) == 0o700 and mode(folder / "backups") == 0o700
    for path in [db.path, auto, manual, bundle, *folder.glob("oursociety.sqlite3-*")]:
        assert mode(path) == 0o600, path
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files and all(mode(p) & 0o077 == 0 for p in files), [(p, oct(mode(p))) for p in files]


def test_a_database_made_readable_by_an_older_version_is_made_private_on_opening(tmp_path: Path,
                                                                                   open_umask: None) -> None:
    db = Database.create(tmp_path / "hub", "Hub")
    db.close()
    os.chmod(db.path, 0o644)
    Database.open(tmp_path / "hub").close()
    assert mode(db.path) == 0o600


def test_an_interrupted_backup_leaves_no_copy_behind(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "hub", "Hub")
    backups = tmp_path / "hub" / "backups"
    automatic_backup(db.path, "first")
    # A backup process killed half-way: its hidden temporary copy carries the pid of a process that has ended.
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    orphan = backups / f".auto-20261130T100000000000Z-test.sqlite3.{int(ended.stdout)}.partial"
    orphan.write_bytes(db.path.read_bytes())
    live = backups / f".auto-20261130T100000000001Z-test.sqlite3.{os.getppid()}.partial"  # a writer still running
    live.write_bytes(b"being written")
    removed = rotate_backups(backups, 10)
    assert orphan in removed and not orphan.exists() and live.exists()
    automatic_backup(db.path, "second")  # every automatic backup rotates, so the next one clears any orphan
    assert not orphan.exists()
    db.close()

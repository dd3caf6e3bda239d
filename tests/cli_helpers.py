"""Running the command line in-process for tests, and a digest that proves a refused command changed nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from oursociety_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """`oursociety ARGS...` in this process (paths and numbers given as they are): (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def file_digest(folder: Path) -> str:
    """A digest of the database content after folding the WAL in (so it reflects committed state only)."""
    path = folder / "oursociety.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()

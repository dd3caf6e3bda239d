"""Running the command line in-process for tests, a digest that proves a refused command changed nothing, and the
files a hostile shared folder could hold in place of a plain one."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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


T = TypeVar("T")

# What may stand, under a name the app reads, in place of a plain file: each is refused before a byte is read.
NOT_PLAIN_KINDS = ("link to /dev/zero", "named pipe")
NOT_PLAIN = "it is not a plain file (a pipe, a device, or a link to one)"


def not_a_plain_file(path: Path, kind: str) -> Path:
    """Put at `path` one of NOT_PLAIN_KINDS (POSIX only): a named pipe, or a link to /dev/zero."""
    if kind == "named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def returns_within(call: Callable[[], T], what: str, seconds: float = 30) -> T:
    """call() in a thread; fails the test (instead of hanging it) when `what` does not return in time."""
    outcome: list[T] = []
    worker = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"{what} did not return within {seconds} s"
    return outcome[0]

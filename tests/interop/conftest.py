"""Fixtures for the interoperability tests: the sample files, a hub with a few people, and a database fingerprint
that proves a refused import changed nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.dump import iter_dump_lines

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The folder of files shaped like real exports."""
    return FIXTURES


@pytest.fixture
def hub(data_dir: Path) -> Path:
    """A closed hub (data folder) holding two people, for CLI tests."""
    db = Database.create(data_dir, "Interop Hub")
    with db.write() as tx:
        create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska", "emails": ["anna@example.org"],
                            "phones": [{"label": "mobile", "value": "07700 900001"}]})
        create_contact(tx, {"given_name": "Ben", "family_name": "Okoro"})
    db.close()
    return data_dir


def fingerprint(folder: Path) -> tuple[str, list[str]]:
    """The database file's bytes (hashed, with any WAL) and its canonical dump."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = folder / f"oursociety.sqlite3{suffix}"
        if path.exists():
            digest.update(path.read_bytes())
    db = Database.open(folder)
    try:
        with db.read() as session:
            dump = list(iter_dump_lines(session.connection()))
    finally:
        db.close()
    return digest.hexdigest(), dump


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `oursociety ARGS...`; returns (exit code, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


@pytest.fixture
def db_fingerprint() -> Callable[[Path], tuple[str, list[str]]]:
    """`fingerprint(folder)`: the database's bytes (hashed) and canonical dump, to prove nothing changed."""
    return fingerprint

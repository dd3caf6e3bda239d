"""Every input the fuzzer ever found failing (fuzz/corpus/<target>/) is replayed here on each default run: it must
be accepted, or rejected with a one-line message that leaves the hub unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import build_targets, run_one
from oursociety_desktop.models.database import Database

CORPUS = Path(__file__).resolve().parents[2] / "fuzz" / "corpus"
CASES = sorted(p for p in CORPUS.glob("*/*") if p.is_file())


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return {t.name: t for t in build_targets(tmp_path_factory.mktemp("seeds"))}


def test_the_corpus_is_not_empty() -> None:
    assert CASES, "fuzz/corpus holds the inputs that once failed; it should never be emptied"


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_replay(case: Path, targets: dict[str, object], tmp_path: Path) -> None:
    target = targets[case.parent.name]
    db = Database.create(tmp_path / "hub", "Regression Hub")
    try:
        assert run_one(target, db, case.read_bytes(), tmp_path) in ("accepted", "rejected")  # type: ignore[arg-type]
    finally:
        db.close()

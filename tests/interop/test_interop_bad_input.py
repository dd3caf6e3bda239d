"""Bad input: every case gives a clear one-line message, exit 1, and leaves the database byte-for-byte unchanged."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., tuple[int, str, str]]

GOOD_CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Good;Person;;;\r\nFN:Person Good\r\nEND:VCARD\r\n"


def _junk() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(4096))


CASES: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "vcard binary junk": ("vcard", lambda p: p.write_bytes(_junk()), "contains binary data"),
    "vcard not a vcard": ("vcard", lambda p: p.write_text("Hello,\nthis is a letter.\n", encoding="utf-8"),
                          "holds no BEGIN:VCARD line"),
    "vcard 1 MB field": ("vcard", lambda p: p.write_text(
        GOOD_CARD + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Note\r\nNOTE:" + "x" * 1_048_576 + "\r\nEND:VCARD\r\n",
        encoding="utf-8"), "over the 100,000-character limit"),
    "vcard unknown encoding": ("vcard", lambda p: p.write_bytes(
        "BEGIN:VCARD\nVERSION:3.0\nFN:山田 メール\nEND:VCARD\n".encode("shift_jis")),
        "Could not tell the text encoding"),
    "vcard unknown --encoding": ("vcard", lambda p: p.write_text(GOOD_CARD, encoding="utf-8"),
                                 "Unknown text encoding 'klingon' given with --encoding"),
    "csv unknown --encoding": ("csv", lambda p: p.write_text("First Name,Last Name\nA,B\n", encoding="utf-8"),
                               "Unknown text encoding 'klingon' given with --encoding"),
    "vcard group card without a name": ("vcard", lambda p: p.write_text(
        GOOD_CARD + "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nMEMBER:urn:uuid:x\r\nEND:VCARD\r\n",
        encoding="utf-8"), "a group card with no name (FN)"),
    "csv sep hint only": ("csv", lambda p: p.write_text("sep=;\r\n", encoding="utf-8"), "has no header row"),
    "csv binary junk": ("csv", lambda p: p.write_bytes(_junk()), "contains binary data"),
    "csv ragged rows": ("csv", lambda p: p.write_text(
        "First Name,Last Name,Email\nAnna,Nowak,a@example.org\nToo,Many,cells,here\nShort\n", encoding="utf-8"),
        "(ragged row)"),
    "csv unknown encoding": ("csv", lambda p: p.write_bytes(
        "名前,メール\n山田,yamada@example.jp\n".encode("shift_jis")),
                             "Could not tell the text encoding"),
    "csv 1 MB field": ("csv", lambda p: p.write_text(
        "First Name,Notes\nBig,\"" + "y" * 1_048_576 + "\"\n", encoding="utf-8"), "over the 100,000-character limit"),
    "csv unclosed quote": ("csv", lambda p: p.write_text(
        "First Name,Notes\nAnna,\"never closed\nBen,more\n", encoding="utf-8"), "is a closing quote missing?"),
    "csv empty": ("csv", lambda p: p.write_text("\n\n", encoding="utf-8"), "has no header row"),
    "csv no known columns": ("csv", lambda p: p.write_text("Foo,Bar\n1,2\n", encoding="utf-8"),
                             "could be matched to a contact field"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_changes_nothing(case: str, hub: Path, tmp_path: Path, run_cli: Run, db_fingerprint: Any) -> None:
    kind, make, expected = CASES[case]
    path = tmp_path / f"bad.{'vcf' if kind == 'vcard' else 'csv'}"
    make(path)
    before = db_fingerprint(hub)
    extra = ["--encoding", "klingon"] if "unknown --encoding" in case else []
    code, out, err = run_cli("--data-dir", hub, kind, "import", path, *extra)
    assert code == 1, (out, err)
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err  # one line
    assert db_fingerprint(hub) == before


@pytest.mark.parametrize("kind", ["vcard", "csv"])
def test_200_mb_file_refused_before_reading(kind: str, hub: Path, tmp_path: Path, run_cli: Run,
                                           db_fingerprint: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"huge.{kind}"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    before = db_fingerprint(hub)
    code, _, err = run_cli("--data-dir", hub, kind, "import", path)
    assert code == 1 and "209.7 MB, over the 100 MB limit" in err and err.count("\n") == 1
    assert opened == []  # refused on its size, never read
    assert db_fingerprint(hub) == before


def test_skip_bad_cards_imports_the_rest(hub: Path, tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "big.vcf"
    path.write_text(GOOD_CARD + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Note\r\nNOTE:" + "x" * 100_001
                    + "\r\nEND:VCARD\r\n", encoding="utf-8")
    errors = tmp_path / "rejected.vcf"
    code, out, err = run_cli("--data-dir", hub, "vcard", "import", path, "--errors-to", errors)
    assert code == 0, err
    assert "1 added" in out and "1 bad row skipped" in out
    assert errors.read_bytes().decode("utf-8").startswith("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Note")


def test_unknown_encoding_name_and_missing_file(hub: Path, tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "a.csv"
    path.write_text("First Name\nAnna\n", encoding="utf-8")
    code, _, err = run_cli("--data-dir", hub, "csv", "import", path, "--encoding", "klingon")
    assert code == 1 and "Unknown text encoding 'klingon'" in err
    code, _, err = run_cli("--data-dir", hub, "vcard", "import", tmp_path / "missing.vcf")
    assert code == 1 and "There is no file" in err

"""`oursociety print ...` end to end: files written, options honoured, bad input refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from oursociety_desktop.cli import main  # noqa: E402
from oursociety_desktop.models.dump import iter_dump_lines  # noqa: E402
from tests.printing.print_fixture import build_hub, flat, pdf_text  # noqa: E402


@pytest.fixture
def hub_dir(db, data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    build_hub(db)
    return data_dir


@pytest.mark.parametrize("product, extra", [
    ("directory", ["--by-group"]), ("group", ["--group", "Choir"]), ("signin", ["--group", "Choir"]),
    ("labels", ["--label-format", "5163", "--start-at", "3"]), ("actions", []), ("calls", ["--large-print"]),
])
def test_every_product_from_the_command_line(hub_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             product: str, extra: list[str]) -> None:
    out = tmp_path / f"{product}.pdf"
    code = main(["--data-dir", str(hub_dir), "print", product, "-o", str(out), "--paper", "a4", *extra]
                if product != "labels" else ["--data-dir", str(hub_dir), "print", product, "-o", str(out), *extra])
    assert code == 0
    assert "Wrote" in capsys.readouterr().out
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 1
    assert "Page 1 of" in pdf_text(out)
    if product == "labels":
        assert round(float(reader.pages[0].mediabox.width)) == 612  # 5163 is a Letter sheet


def test_fields_option(hub_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.pdf"
    assert main(["--data-dir", str(hub_dir), "print", "directory", "-o", str(out), "--fields", "phone"]) == 0
    text = flat(pdf_text(out))
    assert "07700 900" in text and "@example.org" not in text and "High Street" not in text


@pytest.mark.parametrize("args, message", [
    (["group", "--group", "Nobody"], "No group called 'Nobody'"),
    (["labels", "--label-format", "XYZ"], "Unknown label format 'XYZ'"),
    (["directory", "--fields", "phone,favourite colour"], "Unknown field"),
    (["labels", "--start-at", "99"], "--start-at must be between 1 and 21"),
    (["labels", "--paper", "letter"], "Label format L7160 is printed on A4 paper, not US Letter"),
    (["labels", "--paper", "a4", "--label-format", "5160"], "Label format 5160 is printed on US Letter paper"),
])
def test_bad_options(hub_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                     message: str) -> None:
    out = tmp_path / "x.pdf"
    before = list(iter_dump_lines_of(hub_dir))
    assert main(["--data-dir", str(hub_dir), "print", args[0], "-o", str(out), *args[1:]]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists()
    assert list(iter_dump_lines_of(hub_dir)) == before


@pytest.mark.parametrize("where", ["missing-folder", "is-a-folder", "under-a-file"])
def test_unwritable_output(hub_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    # (The tests run as root here, so a chmod-ed folder would not stop the write; these paths fail for anyone.)
    target = {"missing-folder": tmp_path / "nowhere" / "c.pdf", "is-a-folder": tmp_path / "c.pdf",
              "under-a-file": tmp_path / "notes.txt" / "c.pdf"}[where]
    if where == "is-a-folder":
        target.mkdir()
    (tmp_path / "notes.txt").write_text("x")
    code = main(["--data-dir", str(hub_dir), "print", "calls", "-o", str(target)])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1 and "Cannot write" in err
    assert not target.is_file()


def iter_dump_lines_of(folder: Path) -> list[str]:
    from oursociety_desktop.models.database import Database

    database = Database.open(folder)
    try:
        with database.engine.connect() as conn:
            return list(iter_dump_lines(conn))
    finally:
        database.close()


@pytest.mark.parametrize("lang, width", [("en_US.UTF-8", 612), ("en_GB.UTF-8", 595), ("fr_CA.UTF-8", 612)])
def test_paper_defaults_to_the_locale(hub_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                      width: int) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_PAPER", raising=False)
    monkeypatch.setenv("LANG", lang)
    out = tmp_path / "calls.pdf"
    assert main(["--data-dir", str(hub_dir), "print", "calls", "-o", str(out)]) == 0
    assert round(float(PdfReader(str(out)).pages[0].mediabox.width)) == width


def test_a_label_too_long_is_named_on_the_command_line(db, data_dir: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from oursociety_desktop.models.contacts import create_contact

    with db.write() as tx:
        create_contact(tx, {"given_name": "Ottoline", "family_name": "Longaddress", "locality": "Leeds",
                            "postcode": "LS9 9ZZ", "street": "\n".join(f"Line {i} of a very long address"
                                                                     for i in range(12))})
    out = tmp_path / "labels.pdf"
    assert main(["--data-dir", str(data_dir), "print", "labels", "-o", str(out), "--label-format", "5160"]) == 0
    err = capsys.readouterr().err
    assert "Ottoline Longaddress" in err and "7 pt" in err
    assert "LS9 9ZZ" in flat(pdf_text(out)).replace("\u00a0", " ")  # the postcode is never dropped

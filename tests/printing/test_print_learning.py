"""The digest, the certificate and the hours summary, written by the real command and read back as text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli_helpers import run


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def hub(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    d = ["--data-dir", str(data_dir)]
    assert run(capsys, *d, "init", "--hub-name", "Hulme Hub")[0] == 0
    ids = {"dir": str(data_dir)}
    ids["nina"] = run(capsys, *d, "contact", "add", "--given", "Nina", "--family", "Okafor")[1].strip()
    ids["ola"] = run(capsys, *d, "contact", "add", "--given", "Ola", "--family", "Nowak")[1].strip()
    run(capsys, *d, "group", "add", "Garden")
    run(capsys, *d, "lesson", "add", "Write the watering rota down", "--theme", "growing", "--challenge",
        "The garden dried out in August", "--advice", "Put the rota on the shed door", "--person", ids["nina"],
        "--unnamed-person", ids["ola"], "--date", "2026-05-01", "--place", "Hulme")
    run(capsys, *d, "lesson", "add", "Tea first", "--theme", "meetings", "--date", "2024-02-01")
    run(capsys, *d, "hours", "add", ids["nina"], "3", "--group", "Garden", "--date", "2026-03-04")
    run(capsys, *d, "hours", "add", ids["nina"], "2.5", "--date", "2026-07-10")
    run(capsys, *d, "hours", "add", ids["ola"], "4", "--pledged", "--date", "2026-07-11")
    return ids


def test_the_digest_groups_by_theme_and_names_people_only_with_consent(
        hub: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "digest.pdf"
    code, said, err = run(capsys, "--data-dir", hub["dir"], "print", "digest", "-o", str(out), "--since", "2025-01-01")
    assert code == 0, err
    body = pdf_text(out)
    assert "Growing" in body and "Write the watering rota down" in body and "Put the rota on the shed door" in body
    assert "Nina Okafor" in body and "Ola" not in body and "a member of Hulme Hub" in body
    assert "Tea first" not in body  # before --since
    assert "1 May 2026" in body and "Contains personal data" in body
    out2 = tmp_path / "meetings.pdf"
    assert run(capsys, "--data-dir", hub["dir"], "print", "digest", "-o", str(out2), "--theme", "meetings",
               "--large-print")[0] == 0
    assert "Tea first" in pdf_text(out2) and "watering" not in pdf_text(out2)


def test_the_certificate_and_the_hours_summary(hub: dict[str, str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    cert = tmp_path / "cert.pdf"
    code, _, err = run(capsys, "--data-dir", hub["dir"], "print", "certificate", "-o", str(cert),
                       "--contact", hub["nina"], "--year", "2026")
    assert code == 0, err
    text = pdf_text(cert)
    assert "Thank you" in text and "Nina Okafor" in text and "gave 5.5 hours of their time to Hulme Hub in 2026" in text
    summary = tmp_path / "hours.pdf"
    assert run(capsys, "--data-dir", hub["dir"], "print", "hours", "-o", str(summary), "--year", "2026")[0] == 0
    text = pdf_text(summary)
    assert "Time given in 2026" in text and "People who gave time: 1. Hours given: 5.5. Hours pledged: 4." in text
    assert "Garden" in text and "Jul" in text  # the table and the chart's month axis


@pytest.mark.parametrize("bad", [
    ("certificate",),
    ("certificate", "--contact", "no-such-person"),
    ("certificate", "--contact", "OLA", "--year", "2026"),
    ("hours", "--year", "26"),
    ("digest", "--since", "yesterday"),
])
def test_bad_print_requests_write_nothing(hub: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          bad: tuple[str, ...]) -> None:
    out = tmp_path / "x.pdf"
    args = [hub["ola"] if a == "OLA" else a for a in bad]
    code, _, err = run(capsys, "--data-dir", hub["dir"], "print", args[0], "-o", str(out), *args[1:])
    assert code == 1 and err.startswith("oursociety: ") and err.count("\n") == 1
    assert not out.exists()
    conn = sqlite3.connect(Path(hub["dir"]) / "oursociety.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM hours").fetchone()[0] == 3
    conn.close()

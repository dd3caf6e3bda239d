"""Our vCard export opens in a real address book: khard reads a vdir (one .vcf per contact, the layout
vdirsyncer, Radicale and CardDAV clients share), which is what `vcard export --one-per-contact` writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oursociety_desktop.cli import main

KHARD = Path(sys.executable).with_name("khard")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_khard_lists_every_exported_contact(data_dir: Path, tmp_path: Path, version: str) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, "init"]) == 0
    people = [("Małgorzata", "Wójcik", "07700 900123", "m.wojcik@example.org"),
              ("Γιώργος", "Παπαδόπουλος", "020 7946 0958", "g@example.org"),
              ("عائشہ", "خان", "0161 496 0123", "aisha@example.org")]
    for given, family, phone, email in people:
        assert main([*d, "contact", "add", "--given", given, "--family", family, "--phone", phone,
                     "--email", email]) == 0
    book = tmp_path / "book"
    book.mkdir()
    assert main([*d, "vcard", "export", str(book), "--version", version, "--one-per-contact"]) == 0
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[hub]]\npath = {book}\n[general]\ndefault_action = list\n",
                      encoding="utf-8")
    khard = [str(KHARD), "-c", str(config)]
    listed = subprocess.run([*khard, "list"], capture_output=True, text=True, check=True).stdout
    phones = subprocess.run([*khard, "phone"], capture_output=True, text=True, check=True).stdout
    emails = subprocess.run([*khard, "email"], capture_output=True, text=True, check=True).stdout
    for given, family, phone, email in people:
        assert f"{given} {family}" in listed
        assert phone in phones and email in emails

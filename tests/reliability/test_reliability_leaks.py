"""Nothing leaves that should not (issue 7): every file the hub writes is searched for people and fields whose
flags forbid them being there, and the database file itself after an erasure and VACUUM."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from oursociety_desktop.cli import main
from oursociety_desktop.models.contacts import create_contact, delete_contact, forget_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group

# Markers are unusual strings, so a hit can only come from the record that carries them.
PEOPLE = {
    "shared": dict(given_name="Sharedperson", family_name="Okonkwo", share_with_hubs=True, include_in_directory=True,
                   phones=[{"label": "", "value": "07700 900101"}], emails=[{"label": "", "value": "ok@example.org"}],
                   street="1 Mill Lane", locality="Leeds", postcode="LS1 1AA",
                   private_notes="PRIVATE-MARKER-ONE", notes="ordinary note"),
    "unshared": dict(given_name="Homebody", family_name="Nevershared", share_with_hubs=False,
                     include_in_directory=True, phones=[{"label": "", "value": "07700 900202"}],
                     emails=[{"label": "", "value": "homebody@example.org"}]),
    "not_in_directory": dict(given_name="Hidden", family_name="Notlisted", share_with_hubs=True,
                             include_in_directory=False, phones=[{"label": "", "value": "07700 900303"}],
                             street="3 Hope Street", locality="Leeds", postcode="LS3 3CC"),
    "no_phone_email_mail": dict(given_name="Quiet", family_name="Noreach", share_with_hubs=True,
                                include_in_directory=True, do_not_phone=True, do_not_email=True, do_not_mail=True,
                                phones=[{"label": "", "value": "07700 900404"}],
                                emails=[{"label": "", "value": "noreach@example.org"}],
                                street="4 Canal Side", locality="Leeds", postcode="LS4 4DD"),
    "deleted": dict(given_name="Gonaway", family_name="Deletedperson", share_with_hubs=False,
                    include_in_directory=True, phones=[{"label": "", "value": "07700 900505"}]),
    "erased": dict(given_name="Forgottenname", family_name="Erasedperson", share_with_hubs=True,
                   include_in_directory=True, phones=[{"label": "", "value": "07700 900606"}],
                   emails=[{"label": "", "value": "forgotten@example.org"}], street="6 Erased Road",
                   locality="Leeds", postcode="LS6 6FF", notes="ERASED-NOTE-MARKER"),
}


@pytest.fixture
def hub(data_dir: Path) -> Path:
    db = Database.create(data_dir, "Leak Test Hub")
    with db.write() as tx:
        ids = {key: create_contact(tx, values).id for key, values in PEOPLE.items()}
        group = create_group(tx, {"name": "Everyone"})
        for cid in ids.values():
            add_member(tx, group.id, cid)
    with db.write() as tx:
        delete_contact(tx, ids["deleted"])
        forget_contact(tx, ids["erased"], "consent withdrawn")
    db.close()
    return data_dir


def cli(*args: str) -> None:
    assert main(list(args)) == 0, args


def bundle_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(name).decode("utf-8") for name in zf.namelist())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages).replace(" ", "")


def test_every_export_keeps_out_what_flags_forbid(hub: Path, tmp_path: Path) -> None:
    d = ["--data-dir", str(hub)]
    cli(*d, "export", str(tmp_path / "all.oursociety"), "--full")
    cli(*d, "csv", "export", str(tmp_path / "people.csv"))
    cli(*d, "vcard", "export", str(tmp_path / "people.vcf"))
    for product in ("directory", "signin", "calls", "labels"):
        extra = ["--group", "Everyone"] if product == "signin" else []
        cli(*d, "print", product, "-o", str(tmp_path / f"{product}.pdf"), *extra)

    bundle = bundle_text(tmp_path / "all.oursociety")
    assert "Sharedperson" in bundle and "Hidden" in bundle  # the test would see a leak
    for forbidden in ("Nevershared", "homebody@example.org", "900202", "PRIVATE-MARKER-ONE", "private_notes",
                      "Deletedperson", "Forgottenname", "Erasedperson", "forgotten@example.org", "ERASED-NOTE"):
        assert forbidden not in bundle, forbidden

    for name in ("people.csv", "people.vcf"):
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        assert "Sharedperson" in text and "Nevershared" in text  # the hub's own people, shared or not
        for forbidden in ("PRIVATE-MARKER-ONE", "Deletedperson", "Forgottenname", "Erasedperson", "ERASED-NOTE"):
            assert forbidden not in text, (name, forbidden)

    directory = pdf_text(tmp_path / "directory.pdf")
    assert "Sharedperson" in directory and "Quiet" in directory
    for forbidden in ("Notlisted", "Deletedperson", "Forgottenname", "900404", "noreach@example.org",
                      "PRIVATE-MARKER"):
        assert forbidden not in directory, ("directory", forbidden)
    for product in ("signin", "calls"):
        text = pdf_text(tmp_path / f"{product}.pdf")
        for forbidden in ("Notlisted", "Deletedperson", "Forgottenname", "900404", "900303"):
            assert forbidden not in text, (product, forbidden)
    labels = pdf_text(tmp_path / "labels.pdf")
    assert "Sharedperson" in labels and "Notlisted" in labels  # labels are post, not the directory
    for forbidden in ("Noreach", "4CanalSide", "Forgottenname", "6ErasedRoad", "Deletedperson"):
        assert forbidden not in labels, ("labels", forbidden)


def test_erased_person_is_nowhere_in_the_database_file_after_vacuum(hub: Path) -> None:
    path = hub / "oursociety.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.close()
    data = path.read_bytes().lower()
    for secret in ("forgottenname", "erasedperson", "forgotten@example.org", "900606", "erased-note-marker",
                   "6 erased road", "ls6 6ff"):
        assert secret.encode() not in data, secret
    assert b"sharedperson" in data  # the search is real: a kept person is found

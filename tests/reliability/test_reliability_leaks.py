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


def every_file_text(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, lower-cased, a bundle in plain (a ZIP) as the bytes of its members: what anyone
    who copies the folder can read."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data.startswith(b"PK\x03\x04"):
                with zipfile.ZipFile(path) as zf:
                    data = b"\n".join(zf.read(name) for name in zf.namelist())
            found[str(path.relative_to(folder))] = data.lower()
    return found


def test_a_copied_exchange_folder_reveals_nobody(hub: Path, tmp_path: Path) -> None:
    """Two hubs meet in a synced folder, trust each other and exchange everyone they share; a copy of the folder
    names no person, no phone and no email. Positive controls: the people did cross through it (the peer holds
    them), and the same search finds them in a plain bundle put in the folder."""
    from oursociety_desktop.models.trust import own_fingerprint, trust_hub

    peer, folder = tmp_path / "peer", tmp_path / "synced"
    folder.mkdir()
    cli("--data-dir", str(peer), "init", "--hub-name", "Peer Hub")
    for _ in range(2):  # first contact: each learns the other's keys from its introduction
        for data_dir in (hub, peer):
            cli("--data-dir", str(data_dir), "sync", str(folder))
    dbs = [Database.open(hub), Database.open(peer)]
    keys = [(db.hub_id, own_fingerprint(db.signing_key)) for db in dbs]
    for db, (other_id, other_print) in zip(dbs, reversed(keys), strict=True):
        with db.write() as tx:
            trust_hub(tx, other_id, other_print)  # the organisers compared fingerprints by phone
        db.close()
    for _ in range(3):
        for data_dir in (hub, peer):
            cli("--data-dir", str(data_dir), "sync", str(folder))
    markers = [m.lower() for values in PEOPLE.values()
               for m in (values["given_name"], values["family_name"],
                         *(p["value"][-6:] for p in values.get("phones", [])),
                         *(e["value"] for e in values.get("emails", [])))]
    files = every_file_text(folder)
    assert len([name for name in files if name.endswith(".oursociety")]) >= 3  # introductions and bundles
    assert [(name, m) for name, data in files.items() for m in markers if m.encode() in data] == []
    received = Database.open(peer)
    with received.read() as session:
        names = {row[0] for row in session.connection().exec_driver_sql("SELECT given_name FROM contact")}
    received.close()
    assert {"Sharedperson", "Hidden", "Quiet"} <= names  # they crossed through the folder
    cli("--data-dir", str(hub), "export", str(folder / "plain-copy.oursociety"), "--full")
    found = {m for data in every_file_text(folder).values() for m in markers if m.encode() in data}
    assert {"sharedperson", "okonkwo", "900101", "ok@example.org"} <= found  # the search sees a plain copy

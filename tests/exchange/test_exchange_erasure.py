"""An erasure leaves nothing (issue 14, case 3): not in the database file or its log right after `forget`, not in
the conflicts inbox (a connection note about the person included, and no new conflict opened later), not under
the other ids of a merged person (whichever hub merged, even concurrently), not after restoring an older backup,
and not in the automatic backups."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

from sqlmodel import select

from oursociety_desktop.cli import main
from oursociety_desktop.models.backup import automatic_backup
from oursociety_desktop.models.connections import create_connection, update_connection
from oursociety_desktop.models.contacts import forget_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.models.erasure import after_erasure, read_erased_ids
from oursociety_desktop.models.tables import Conflict, Connection, Contact
from tests.exchange.exchange_helpers import add_contact, introduce, make_hub, send

SECRETS = ("forgottenname", "900606", "hidden@example.org", "note-about-her-health")


def file_bytes(folder: Path, hub_key: str | None = None) -> dict[str, bytes]:
    """Every file under a folder (the database, its -wal and -shm, backups, bundles...), lower-cased, by name; a
    bundle (a ZIP) as the bytes of its members. With `hub_key` (a hub's private key) a bundle encrypted to that hub
    is read as the hub reads it, decrypted."""
    from oursociety_desktop.formats.hub_crypto import NotARecipient, decrypt_for_hub, is_hub_encrypted
    from oursociety_desktop.models.signing import encryption_private_key

    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if hub_key and is_hub_encrypted(data):
                try:
                    data = decrypt_for_hub(data, encryption_private_key(hub_key), path.name)
                except NotARecipient:
                    pass
            if data.startswith(b"PK\x03\x04"):
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    data = b"\n".join(zf.read(name) for name in zf.namelist())
            found[str(path.relative_to(folder))] = data.lower()
    return found


def leaks(folder: Path, hub_key: str | None = None) -> list[tuple[str, str]]:
    return [(name, secret) for name, data in file_bytes(folder, hub_key).items() for secret in SECRETS
            if secret.encode() in data]


def person(db: Database) -> str:
    return add_contact(db, given_name="Forgottenname", phones=[{"label": "", "value": "07700 900606"}],
                       emails=[{"label": "", "value": "hidden@example.org"}])


def test_forget_leaves_nothing_in_any_file_of_the_data_folder(tmp_path: Path, capsys) -> None:
    db = make_hub(tmp_path, "Hub")
    gone = person(db)
    friend = add_contact(db, given_name="Friend")
    with db.write() as tx:
        create_connection(tx, {"contact_a": gone, "contact_b": friend, "kind": "knows",
                               "note": "note-about-her-health"})
    automatic_backup(db.path, "before-something")
    folder = db.path.parent
    assert {secret for _, secret in leaks(folder)} == set(SECRETS)  # positive control: the search finds her
    db.close()
    assert main(["--data-dir", str(folder), "contact", "forget", gone, "--reason", "consent withdrawn"]) == 0
    capsys.readouterr()
    assert leaks(folder) == []  # no VACUUM needed: freed space is zeroed, the log folded in, the backup purged
    assert read_erased_ids(folder / "oursociety.sqlite3") == {gone: "consent withdrawn"}
    assert "sqlite3" in " ".join(file_bytes(folder))  # the files searched include the database and the backup


def test_forget_clears_the_conflicts_about_the_person_and_no_new_one_opens(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    gone, friend = person(a), add_contact(a, given_name="Friend")
    with a.write() as tx:
        link = create_connection(tx, {"contact_a": gone, "contact_b": friend, "kind": "knows", "note": "first"}).id
    send(a, b, tmp_path)
    with a.write() as tx:  # both hubs change her phone and the note about her at once
        update_connection(tx, link, {"note": "note-about-her-health at A"})
    with b.write() as tx:
        update_connection(tx, link, {"note": "note-about-her-health at B"})
    from tests.exchange.exchange_helpers import edit_contact

    edit_contact(a, gone, phones=[{"label": "", "value": "07700 900607"}])
    edit_contact(b, gone, phones=[{"label": "", "value": "07700 900608"}])
    send(b, a, tmp_path)
    with a.read() as session:
        assert {c.record_type for c in session.exec(select(Conflict)).all()} == {"contact", "connection"}
    with a.write() as tx:
        forget_contact(tx, gone, "consent withdrawn")
    with a.read() as session:
        assert session.exec(select(Conflict)).all() == []  # in the erasing transaction itself
    # B's edits arrive again (an old bundle): no conflict opens, the note does not come back.
    with b.write() as tx:
        update_connection(tx, link, {"note": "note-about-her-health, later at B"})
    send(b, a, tmp_path)
    with a.read() as session:
        assert session.exec(select(Conflict)).all() == []
        row = session.get(Connection, link)
        assert row is not None and row.deleted and row.note == ""
    a.close()
    b.close()


def test_forget_reaches_every_id_of_a_merged_person(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Hub")
    old, new = person(db), add_contact(db, given_name="Forgottenname", family_name="Again")
    with db.write() as tx:
        merge_contacts(tx, old, new)  # the merged-away record keeps her phone and email
    with db.write() as tx:
        forget_contact(tx, new, "erasure requested")  # the survivor: the merged-away id follows
    with db.read() as session:
        for contact_id in (old, new):
            row = session.get(Contact, contact_id)
            assert row is not None and row.erased and row.phones == [] and row.emails == [], contact_id
    other, again = person(db), add_contact(db, given_name="Someone")
    with db.write() as tx:
        merge_contacts(tx, other, again)
    with db.write() as tx:
        forget_contact(tx, other, "erasure requested")  # the merged-away id: the survivor follows
    with db.read() as session:
        assert all(session.get(Contact, c).erased for c in (other, again))  # type: ignore[union-attr]
    db.close()


def test_an_erasure_wins_over_a_merge_made_concurrently_at_another_hub(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    gone, duplicate = person(a), add_contact(a, given_name="Forgotten", family_name="Name")
    send(a, b, tmp_path)
    with a.write() as tx:
        forget_contact(tx, gone, "erasure requested")
    with b.write() as tx:  # meanwhile B merges her into the duplicate: her phone and email move there
        merge_contacts(tx, gone, duplicate, {"phones": [{"label": "", "value": "07700 900606"}],
                                             "emails": [{"label": "", "value": "hidden@example.org"}]})
    for _ in range(2):
        send(a, b, tmp_path)
        send(b, a, tmp_path)
    for db in (a, b):
        with db.read() as session:
            for contact_id in (gone, duplicate):
                row = session.get(Contact, contact_id)
                assert row is not None and row.erased and row.phones == [] and row.emails == [], (db.hub_name,
                                                                                                  contact_id)
    a.close()
    b.close()


def test_a_restored_backup_gets_the_erasures_made_since_before_anything_else(tmp_path: Path, capsys) -> None:
    db = make_hub(tmp_path, "Hub")
    gone = person(db)
    backup = tmp_path / "before.sqlite3"
    from oursociety_desktop.models.backup import backup_to

    backup_to(db.path, backup)
    with db.write() as tx:
        forget_contact(tx, gone, "consent withdrawn")
    after_erasure(db)
    folder = db.path.parent
    db.close()
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "1 erasure made since; it was applied again before anything else" in out
    db = Database.open(folder)
    with db.read() as session:
        row = session.get(Contact, gone)
        assert row is not None and row.erased and row.erased_reason == "consent withdrawn"
    db.close()
    # The backup file itself is the organiser's: restoring it again is erased again, and says so again.
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT erased FROM contact WHERE id = ?", (gone,)).fetchone() == (0,)
    conn.close()


def test_automatic_backups_are_purged_of_the_person(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Hub")
    gone, kept = person(db), add_contact(db, given_name="Keptperson")
    made = [automatic_backup(db.path, f"step-{i}") for i in range(3)]
    with db.write() as tx:
        forget_contact(tx, gone, "consent withdrawn")
    cleanup = after_erasure(db)
    assert cleanup.backups_purged == 3 and cleanup.backups_removed == 0
    for backup in made:
        data = backup.read_bytes().lower()
        assert b"keptperson" in data and not any(s.encode() in data for s in SECRETS), backup
        conn = sqlite3.connect(backup)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT erased FROM contact WHERE id = ?", (gone,)).fetchone() == (1,)
        assert conn.execute("SELECT erased FROM contact WHERE id = ?", (kept,)).fetchone() == (0,)
        conn.close()
    db.close()


def test_no_file_in_the_exchange_folder_holds_the_person_after_the_next_syncs(tmp_path: Path) -> None:
    from oursociety_desktop.services.exchange_folder import sync_folder

    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    folder = tmp_path / "shared"
    folder.mkdir()
    add_contact(b, given_name="Keptperson")
    sync_folder(b, folder)  # B reads the folder
    gone = person(a)
    sync_folder(a, folder)  # A's bundle for B carries her; B has not read it yet
    assert leaks(folder) == []  # encrypted: a copy of the folder reveals nothing (test_exchange_recipients.py)
    # Positive control: read as B reads it, A's bundle holds her.
    assert [name[:2] for name, secret in leaks(folder, b.signing_key) if secret == "forgottenname"] == ["a_"]
    with a.write() as tx:
        forget_contact(tx, gone, "consent withdrawn")
    after_erasure(a)
    result = sync_folder(a, folder)  # A's own bundle carrying her goes; the new delta carries the erasure
    assert result.removed and result.written is not None
    assert leaks(folder, a.signing_key) == [] and leaks(folder, b.signing_key) == []
    sync_folder(b, folder)
    sync_folder(a, folder)
    assert leaks(folder, a.signing_key) == [] and leaks(folder, b.signing_key) == []
    assert leaks(b.path.parent) == [] and leaks(a.path.parent) == []
    with b.read() as session:
        row = session.get(Contact, gone)
        assert row is not None and row.erased  # the erasure reached B through the folder
    a.close()
    b.close()

"""Faults met in the field, through real exchange folders: a bundle found while it was still being copied."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, introduce, make_hub, send


@pytest.fixture
def hubs(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    yield a, b
    a.close()
    b.close()


def test_a_bundle_found_half_copied_is_read_once_it_is_complete(hubs, tmp_path: Path) -> None:
    """A copy to the stick (or a Nextcloud download) was half done when B synced. B said the file had been changed
    (as if forged) and remembered it by its name: once complete, it was never read, and B missed A's edit until A
    happened to write again. It is now named as possibly incomplete, and read once it has changed."""
    a, b = hubs
    folder = tmp_path / "stick"
    folder.mkdir()
    ines = add_contact(a, given_name="Ines")
    sync_folder(a, folder)
    sync_folder(b, folder)
    sync_folder(a, folder)
    edit_contact(a, ines, role="treasurer")
    written = sync_folder(a, folder).written
    assert written is not None
    whole = written.read_bytes()
    written.write_bytes(whole[:len(whole) // 2])
    first = sync_folder(b, folder)
    assert first.imported == []
    assert first.skipped == [f"{written.name}: The bundle {written.name} is incomplete (still being copied?) or was "
                             "changed after it was encrypted; it was refused. Nothing was imported."]
    assert contact_row(b, ines)["role"] == ""
    assert sync_folder(b, folder).skipped == []  # reported once while it stays as it is
    written.write_bytes(whole)
    os.utime(written, ns=(written.stat().st_atime_ns, written.stat().st_mtime_ns + 1_000_000_000))
    second = sync_folder(b, folder)
    assert [r.file_name for r in second.imported] == [written.name] and second.skipped == []
    assert contact_row(b, ines)["role"] == "treasurer"
    sync_folder(a, folder)
    assert dump_text(a) == dump_text(b)


def test_edits_made_on_a_copied_laptop_before_it_became_a_new_hub_are_its_own(tmp_path: Path) -> None:
    """A laptop set up from A's backup is used (an edit, a new person) before its organiser answers the copy
    question with `hub identity new`. Those edits kept A's id in their stamps: they travelled as A's own and
    replaced A's concurrent edit at every hub with no conflict listed, and the new person was A's (A held the
    consent). A's hours, which A keeps home, were relayed by the copy as records of another hub. Now the copy's
    edits are the new hub's, A's losing value is in the inboxes, and A's hours stay home."""
    from oursociety_desktop.models.conflicts import list_conflicts
    from oursociety_desktop.models.hours import add_hours
    from oursociety_desktop.models.hub_identity import identity_question, new_identity
    from oursociety_desktop.services.exchange import export_bundle
    from tests.exchange.test_exchange_clones import clone

    a, c = make_hub(tmp_path, "A"), make_hub(tmp_path, "C")
    introduce(a, c)
    nina = add_contact(a, given_name="Nina")
    with a.write() as tx:
        add_hours(tx, {"contact_id": nina, "hours": 3.0, "kind": "given"})
    copy = clone(a, tmp_path / "laptop2" / "A")
    assert identity_question(copy) is not None
    edit_contact(a, nina, role="from the first laptop")
    edit_contact(copy, nina, role="from the second laptop")  # later: it wins, A's value must be listed
    kid = add_contact(copy, given_name="Kid")
    new_identity(copy, "A2")
    introduce(a, copy, c)
    assert contact_row(copy, kid)["origin_hub"] == copy.hub_id
    assert contact_row(copy, nina)["stamps"]["role"].endswith(copy.hub_id)
    bundle = tmp_path / "copy.oursociety"
    counts = export_bundle(copy, bundle).manifest.counts
    assert counts.get("hours", 0) == 0
    folder = tmp_path / "shared"
    folder.mkdir()
    for _ in range(3):
        for db in (a, copy, c):
            sync_folder(db, folder)
    assert dump_text(a) == dump_text(copy) == dump_text(c)
    for db in (a, copy, c):
        assert contact_row(db, nina)["role"] == "from the second laptop"
        assert contact_row(db, kid)["origin_hub"] == copy.hub_id
    with a.read() as session:
        listed = [(x.record_id, x.field, x.theirs_value) for x in list_conflicts(session)]
    assert listed == [(nina, "role", "from the first laptop")]
    with c.read() as session:
        assert [x.theirs_value for x in list_conflicts(session)] == ["from the first laptop"]
    for db in (a, c, copy):
        db.close()


def test_a_restored_hub_removes_the_bundles_its_lost_copy_left_in_the_folder(tmp_path: Path) -> None:
    """A is restored from a backup made before its last sync; then its organiser forgets a person that last sync
    carried. The bundle the lost copy wrote was not in the restored hub's list of its files in the folder, so no
    sync removed it: the erased person stayed in the folder (readable by every hub it was encrypted to) for good.
    A hub now takes the files named by its id as its own, and the erasure clears them too."""
    from oursociety_desktop.cli import main
    from oursociety_desktop.models.backup import backup_to
    from oursociety_desktop.models.contacts import forget_contact
    from oursociety_desktop.models.erasure import after_erasure
    from tests.exchange.test_exchange_erasure import leaks, person

    folder_a = tmp_path / "A"
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    folder = tmp_path / "shared"
    folder.mkdir()
    sync_folder(b, folder)
    sync_folder(a, folder)
    sync_folder(b, folder)
    backup = tmp_path / "a-backup.sqlite3"
    backup_to(a.path, backup)
    gone = person(a)
    lost = sync_folder(a, folder).written  # written by the copy about to be replaced
    assert lost is not None
    assert [name for name, secret in leaks(folder, b.signing_key) if secret == "forgottenname"] == [lost.name]
    sync_folder(b, folder)  # B has her now
    a.close()
    assert main(["--data-dir", str(folder_a), "restore", str(backup)]) == 0
    a = Database.open(folder_a)
    sync_folder(a, folder)  # B's bundle brings her back to A
    assert contact_row(a, gone)["given_name"] == "Forgottenname"
    with a.write() as tx:
        forget_contact(tx, gone, "erasure requested")
    after_erasure(a)
    result = sync_folder(a, folder)
    assert lost.name in result.removed and not lost.exists()
    for _ in range(2):
        sync_folder(b, folder)
        sync_folder(a, folder)
    assert leaks(folder, a.signing_key) == [] and leaks(folder, b.signing_key) == []
    assert contact_row(b, gone)["erased"] is True
    assert dump_text(a) == dump_text(b)
    a.close()
    b.close()


def test_a_withdrawn_person_leaves_nothing_in_the_database_file_of_a_hub_without_their_consent(tmp_path) -> None:
    """C (not the consent holder) switches a person's sharing off; B receives the withdrawal. Both keep only her id
    and wishes, but her name and phone digits stayed in the full-text index's segments, in the database file (an
    erasure purges them; a withdrawal did not). They are gone now, at C and at B."""
    from tests.exchange.test_exchange_erasure import leaks, person

    a, b, c = (make_hub(tmp_path, name) for name in ("A", "B", "C"))
    introduce(a, b, c)
    out = tmp_path / "out"
    out.mkdir()
    her = person(a)
    send(a, b, out)
    send(a, c, out)
    assert {secret for _, secret in leaks(b.path.parent)} == {"forgottenname", "900606", "hidden@example.org"}
    edit_contact(c, her, share_with_hubs=False)
    received = send(c, b, out)
    assert received.report.people_withdrawn == 1  # C does not hold her consent: the note does not say it does
    assert "1 person held here was withdrawn (their sharing switched off at another hub): only their id is kept." \
        in received.warnings
    for db in (b, c):
        assert contact_row(db, her)["given_name"] == ""
        db.close()
        assert leaks(db.path.parent) == []
    assert {secret for _, secret in leaks(a.path.parent)} == {"forgottenname", "900606", "hidden@example.org"}
    a.close()

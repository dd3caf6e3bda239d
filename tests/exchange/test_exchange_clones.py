"""A cloned laptop: a copied hub database is found and asked what it is; a restored hub is another copy that other
hubs name; `restore` says it kept a previous database only when it did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.models.backup import backup_to
from oursociety_desktop.models.conflicts import list_conflicts
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.hub_identity import identity_question, new_identity
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import (
    add_contact,
    contact_row,
    dump_text,
    edit_contact,
    export_to,
    introduce,
    make_hub,
    send,
)


def clone(db: Database, where: Path) -> Database:
    """Set up a second laptop from the hub's backup."""
    where.mkdir(parents=True)
    backup = where.parent / f"{where.name}-backup.sqlite3"
    backup_to(db.path, backup)
    shutil.copy(backup, where / db.path.name)
    return Database.open(where)


def test_a_cloned_laptop_is_asked_and_then_converges_with_no_silent_loss(tmp_path: Path) -> None:
    a, c = make_hub(tmp_path, "A"), make_hub(tmp_path, "C")
    introduce(a, c)
    nina = add_contact(a, given_name="Nina", notes="start")
    send(a, c, tmp_path)
    copy = clone(a, tmp_path / "laptop2" / "A")
    assert copy.hub_id == a.hub_id and identity_question(copy) is not None
    with pytest.raises(UserError, match="it is a copy"):
        export_to(copy, tmp_path / "refused.oursociety")
    folder = tmp_path / "shared"
    folder.mkdir()
    with pytest.raises(UserError, match="oursociety hub identity new"):
        sync_folder(copy, folder)
    new_identity(copy, "A (second laptop)")
    assert copy.hub_id != a.hub_id and identity_question(copy) is None
    introduce(a, copy, c)  # a new hub, with a new key: the organisers accept it
    # Both laptops edit Nina; the third hub meets both, and the losing value is in an inbox, not lost.
    edit_contact(a, nina, notes="from the first laptop")
    edit_contact(copy, nina, notes="from the second laptop")
    sync_folder(a, folder)
    result = sync_folder(copy, folder)
    assert len(result.imported) == 1  # it no longer takes A's bundles for its own
    sync_folder(c, folder)
    sync_folder(a, folder)
    sync_folder(copy, folder)
    assert dump_text(a) == dump_text(copy) == dump_text(c)
    kept = contact_row(c, nina)["notes"]
    lost = {"from the first laptop", "from the second laptop"} - {kept}
    inbox = []
    for db in (a, copy, c):
        with db.read() as session:
            inbox += [x.theirs_value for x in list_conflicts(session) if x.field == "notes"]
    assert lost <= set(inbox)
    for db in (a, c, copy):
        db.close()


def test_a_restored_hub_is_named_as_another_copy_and_two_copies_in_use_are_named(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    add_contact(a, given_name="Before")
    send(a, b, tmp_path)
    backup = tmp_path / "a-backup.sqlite3"
    backup_to(a.path, backup)
    old_copy = tmp_path / "old-a.oursociety"
    add_contact(a, given_name="Old laptop")
    export_to(a, old_copy)  # written by the copy that is about to be replaced
    folder = a.path.parent
    a.close()
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    a = Database.open(folder)
    add_contact(a, given_name="After")
    restored = tmp_path / "restored-a.oursociety"
    export_to(a, restored)
    note = import_bundle(b, restored, backup=False, trust_new_hub=True).warnings
    assert any("Hub 'A' is now another copy than before" in n for n in note)
    again = import_bundle(b, old_copy, backup=False, trust_new_hub=True).warnings
    assert any("Two copies of hub 'A' are in use" in n for n in again)
    a.close()
    b.close()


def test_restore_says_it_kept_a_previous_database_only_when_it_did(tmp_path: Path, capsys) -> None:
    db = make_hub(tmp_path, "Hub")
    backup = tmp_path / "hub-backup.sqlite3"
    backup_to(db.path, backup)
    folder, path = db.path.parent, db.path
    db.close()
    path.unlink()
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    assert capsys.readouterr().out == f"Restored from {backup.resolve()}.\n"
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Restored from {backup.resolve()}; the previous database was kept as ")
    kept = Path(said.rsplit(" ", 1)[1].strip())
    assert kept.exists() and kept != path


def test_hub_identity_on_the_command_line(tmp_path: Path, capsys) -> None:
    import json

    db = make_hub(tmp_path, "Hub")
    copy = clone(db, tmp_path / "elsewhere" / "Hub")
    folder = copy.path.parent
    copy.close()
    assert main(["--data-dir", str(folder), "hub", "--json"]) == 0
    assert "it is a copy" in json.loads(capsys.readouterr().out)["identity_question"]
    assert main(["--data-dir", str(folder), "export", str(tmp_path / "x.oursociety")]) == 1
    assert "hub identity" in capsys.readouterr().err
    assert main(["--data-dir", str(folder), "hub", "identity", "keep"]) == 0
    assert "replacing the one it was copied from" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "export", str(tmp_path / "x.oursociety")]) == 0
    db.close()

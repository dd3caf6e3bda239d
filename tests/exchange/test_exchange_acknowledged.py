"""Deltas follow acknowledgements: a lost bundle heals by itself, a swapped or emptied stick gets what its readers
need, and an exchange folder stays small and is read by name, whatever the sync tools leave in it."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.services.exchange_folder import sync_folder
from oursociety_desktop.services.folder_files import MARKER, ids_in_name, is_bundle_name
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


@pytest.fixture
def hubs(tmp_path: Path):
    made = [make_hub(tmp_path, name) for name in ("A", "B", "C")]
    introduce(*made)
    yield made
    for db in made:
        db.close()


def test_a_lost_bundle_for_a_peer_heals_at_the_next_round(hubs, tmp_path: Path) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Kept")
    send(a, b, tmp_path)
    send(b, a, tmp_path)  # B acknowledges
    edit_contact(a, cid, role="treasurer")
    lost = export_to(a, tmp_path / "lost-on-the-bus.oursociety", for_hub=b.hub_id)
    assert lost.manifest.counts["contact"] == 1
    (tmp_path / "lost-on-the-bus.oursociety").unlink()  # never arrives
    add_contact(a, given_name="Later")
    later = export_to(a, tmp_path / "later.oursociety", for_hub=b.hub_id)
    assert later.manifest.counts["contact"] == 2  # the lost edit again, with the new one
    import_bundle(b, tmp_path / "later.oursociety", backup=False, trust_new_hub=True)
    assert contact_row(b, cid)["role"] == "treasurer"
    send(b, a, tmp_path)
    assert export_to(a, tmp_path / "nothing.oursociety", for_hub=b.hub_id).manifest.total_records == 0
    assert dump_text(a) == dump_text(b)


def test_a_lost_bundle_in_an_exchange_folder_heals(hubs, tmp_path: Path) -> None:
    a, b, _ = hubs
    folder = tmp_path / "shared"
    folder.mkdir()
    cid = add_contact(a, given_name="Nia")
    sync_folder(a, folder)
    sync_folder(b, folder)
    sync_folder(a, folder)
    edit_contact(a, cid, role="cook")
    written = sync_folder(a, folder).written
    assert written is not None
    written.unlink()  # deleted from the folder before B read it
    sync_folder(b, folder)
    sync_folder(a, folder)  # B's bundle did not acknowledge the lost one: A writes it again
    sync_folder(b, folder)
    assert contact_row(b, cid)["role"] == "cook"
    assert dump_text(a) == dump_text(b)


def test_a_swapped_or_emptied_stick_gets_what_its_readers_need(hubs, tmp_path: Path) -> None:
    a, b, _ = hubs
    stick1 = tmp_path / "mnt" / "usb"
    stick1.mkdir(parents=True)
    add_contact(a, given_name="First")
    sync_folder(a, stick1)
    sync_folder(b, stick1)
    sync_folder(a, stick1)
    # Stick 2 is mounted where stick 1 was: a folder of another identity, so A writes what B needs.
    shutil.rmtree(stick1)
    stick1.mkdir()
    add_contact(a, given_name="Second")
    result = sync_folder(a, stick1)
    assert result.written is not None and (stick1 / MARKER).exists()
    sync_folder(b, stick1)
    assert dump_text(a) == dump_text(b)
    # Emptied but for its marker: the readers are known and A writes what they have not acknowledged.
    add_contact(a, given_name="Third")
    for path in stick1.glob("*.oursociety"):
        path.unlink()
    assert sync_folder(a, stick1).written is not None
    sync_folder(b, stick1)
    assert dump_text(a) == dump_text(b)


def test_sync_tools_files_are_skipped_or_read_once(hubs, tmp_path: Path) -> None:
    a, b, _ = hubs
    folder = tmp_path / "synced"
    folder.mkdir()
    add_contact(a, given_name="Ines")
    written = sync_folder(a, folder).written
    assert written is not None
    stem = written.name[:-len(".oursociety")]
    # What Syncthing, Nextcloud and Dropbox leave behind, and a file in decomposed Unicode and other case.
    shutil.copy(written, folder / f"{stem}.sync-conflict-20261130-101010-ABCDEFG.oursociety")
    shutil.copy(written, folder / f"{stem} (conflicted copy 2026-11-30 101010).oursociety")
    shutil.copy(written, folder / f"{stem} (Ines's conflicted copy 2026-11-30).oursociety")
    (folder / f".syncthing.{written.name}.tmp").write_bytes(b"half a file")
    (folder / f"~syncthing~{written.name}.tmp").write_bytes(b"half a file")
    (folder / f".~lock.{written.name}").write_bytes(b"x")
    (folder / "stray.oursociety").write_bytes(b"not a bundle")
    first = sync_folder(b, folder)
    assert len(first.imported) == 1  # the bundle once, not once per copy
    assert first.skipped == ["stray.oursociety: stray.oursociety is not an Our Society hub bundle (expected a "
                             ".oursociety file made by `oursociety export`)."]
    again = sync_folder(b, folder)
    assert again.imported == [] and again.skipped == []  # reported once, not at every sync
    assert ids_in_name(unicodedata.normalize("NFD", written.name.upper())) == ids_in_name(written.name)
    assert not is_bundle_name(f".syncthing.{written.name}.tmp") and is_bundle_name(written.name.upper())


def test_the_folder_stays_small_and_only_this_hubs_files_are_removed(hubs, tmp_path: Path) -> None:
    a, b, c = hubs
    folder = tmp_path / "shared"
    folder.mkdir()
    for i in range(6):
        for db in (a, b, c):
            add_contact(db, given_name=f"{db.hub_name} {i}")
            sync_folder(db, folder)
    for _ in range(3):
        for db in (a, b, c):
            sync_folder(db, folder)
    assert dump_text(a) == dump_text(b) == dump_text(c)
    files = list(folder.glob("*.oursociety"))
    introductions = [f for f in files if f.read_bytes().startswith(b"PK")]  # plain: each hub's keys, no records
    assert len(introductions) == 3 and len(files) - 3 <= 3, [f.name for f in files]
    foreign = folder / "from-another-program.oursociety"
    export_to(c, foreign)
    for db in (a, b):
        sync_folder(db, folder)
    assert foreign.exists()  # written by another hub: never deleted


def test_a_delta_for_a_hub_that_acknowledged_nothing_is_full(hubs, tmp_path: Path) -> None:
    a, b, _ = hubs
    add_contact(a, given_name="One")
    send(a, b, tmp_path)
    add_contact(a, given_name="Two")
    assert export_to(a, tmp_path / "again.oursociety", for_hub=b.hub_id).manifest.kind == "full"


def test_hub_json_shows_the_incarnation_and_what_each_peer_acknowledged(hubs, tmp_path: Path, capsys) -> None:
    import json

    from oursociety_desktop.cli import main

    a, b, _ = hubs
    add_contact(a, given_name="Shown")
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    folder = a.path.parent
    a.close()
    assert main(["--data-dir", str(folder), "hub", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert len(info["incarnation"]) == 36
    [peer] = [p for p in info["peers"] if p["id"] == b.hub_id]
    assert peer["trust"] == "trusted" and len(peer["fingerprint"]) == 24 and info["fingerprint"]
    assert peer["id"] == b.hub_id and peer["acknowledged"] and peer["last_heard_from"]
    Database.open(folder).close()

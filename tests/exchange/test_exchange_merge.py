"""Merging bundles between real hubs: per-field LWW, conflicts, deletion, erasure, relay, delta, consent."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from oursociety_desktop.models.clock import Stamp, wall_clock_ms
from oursociety_desktop.models.conflicts import list_conflicts, resolve_conflict
from oursociety_desktop.models.contacts import delete_contact, forget_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.tables import Membership
from oursociety_desktop.services.exchange import accept_quarantined, export_bundle, import_bundle, quarantined
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, export_to, make_hub, send


@pytest.fixture
def hubs(tmp_path: Path) -> tuple[Database, Database, Database]:
    a, b, c = (make_hub(tmp_path, name) for name in ("A", "B", "C"))
    yield a, b, c
    for db in (a, b, c):
        db.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "bundles"
    folder.mkdir()
    return folder


def sound(db: Database) -> None:
    with db.engine.connect() as conn:
        report = check_database(conn)
    assert report.sound, report.problems


def test_full_round_trip_converges_and_reimport_changes_nothing(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Zoë", family_name="Łukasiewicz", phones=[{"label": "m", "value": "07700 900123"}])
    first = send(a, b, out)
    assert first.report.counts["contact"].new == 1 and first.source == "new hub"
    assert dump_text(a) == dump_text(b)
    again = send(a, b, out)
    assert again.changes == 0 and again.report.counts["contact"].unchanged == 1 and again.source == "known hub"
    row = contact_row(b, cid)
    assert row["sort_key"] == "lukasiewicz zoe"
    with b.engine.connect() as conn:
        from oursociety_desktop.models.search import search_contact_ids
        assert search_contact_ids(conn, "900123") == [cid]
    sound(b)


def test_concurrent_edits_to_different_fields_both_survive(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Ada", role="volunteer")
    send(a, b, out)
    edit_contact(a, cid, given_name="Adah")
    edit_contact(b, cid, role="coordinator")
    send(a, b, out)
    send(b, a, out)
    for db in (a, b):
        row = contact_row(db, cid)
        assert (row["given_name"], row["role"]) == ("Adah", "coordinator")
        with db.read() as session:
            assert list_conflicts(session) == []
    assert dump_text(a) == dump_text(b)
    sound(a)
    sound(b)


def test_same_field_concurrent_edit_same_winner_and_loser_in_inbox_where_it_lost(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Ada", notes="start")
    send(a, b, out)
    edit_contact(a, cid, notes="from A")
    edit_contact(b, cid, notes="from B")  # later stamp: B wins
    send(a, b, out)
    send(b, a, out)
    assert contact_row(a, cid)["notes"] == contact_row(b, cid)["notes"] == "from B"
    assert dump_text(a) == dump_text(b)
    with a.read() as session:
        [conflict] = list_conflicts(session)
    assert (conflict.field, conflict.ours_value, conflict.theirs_value) == ("notes", "from B", "from A")
    # Re-importing shows no new conflict.
    assert send(b, a, out).report.new_conflicts == 0
    # Take theirs at A: a new edit that then travels and wins at B too.
    with a.write() as tx:
        resolve_conflict(tx, conflict.id, "theirs")
    with a.read() as session:
        assert list_conflicts(session) == []
    assert contact_row(a, cid)["notes"] == "from A"
    send(a, b, out)
    assert contact_row(b, cid)["notes"] == "from A"
    assert dump_text(a) == dump_text(b)
    # At B the same pair had been listed; A's choice arriving settles it instead of opening a new conflict.
    with b.read() as session:
        assert list_conflicts(session) == []
        assert len(list_conflicts(session, include_resolved=True)) == 1


def test_keep_ours_closes_the_conflict_without_an_edit(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Ada")
    send(a, b, out)
    edit_contact(a, cid, role="x")
    edit_contact(b, cid, role="y")
    send(b, a, out)
    before = dump_text(a)
    with a.read() as session:
        [conflict] = list_conflicts(session)
    with a.write() as tx:
        resolve_conflict(tx, conflict.id, "ours")
    assert dump_text(a) == before


def test_an_edit_elsewhere_does_not_resurrect_a_deleted_record(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Ada")
    send(a, b, out)
    old = out / "old.oursociety"
    export_bundle(a, old)
    with a.write() as tx:
        delete_contact(tx, cid)
    edit_contact(b, cid, role="still here")  # concurrent edit to another field
    send(a, b, out)
    send(b, a, out)
    for db in (a, b):
        row = contact_row(db, cid)
        assert row["deleted"] is True and row["role"] == "still here"
    # An old bundle, made before the delete, never brings it back.
    result = import_bundle(b, old, backup=False, trust_new_hub=True)
    assert contact_row(b, cid)["deleted"] is True
    assert result.changes == 0
    assert dump_text(a) == dump_text(b)


def test_erasure_beats_a_concurrent_edit_and_leaves_nothing_after_vacuum(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Wiremu", family_name="Tapsell", emails=[{"label": "", "value": "wt@example.org"}],
                      phones=[{"label": "", "value": "07700 900777"}], private_notes="secret-note")
    with a.write() as tx:
        group = create_group(tx, {"name": "Choir"})
        add_member(tx, group.id, cid)
    send(a, b, out)
    edit_contact(a, cid, notes="Wiremu edited later", given_name="Wiremu2")
    with b.write() as tx:
        forget_contact(tx, cid, "consent withdrawn")
    send(a, b, out)
    send(b, a, out)
    for db in (a, b):
        row = contact_row(db, cid)
        assert row["erased"] and row["deleted"] and row["given_name"] == "" and row["notes"] == ""
        assert row["erased_reason"] == "consent withdrawn"
        with db.read() as session:
            from sqlmodel import select
            assert all(m.deleted for m in session.exec(select(Membership)).all())
            assert list_conflicts(session, include_resolved=True) == []
        sound(db)
    assert dump_text(a) == dump_text(b)
    for db in (a, b):
        db.close()
        conn = sqlite3.connect(db.path, isolation_level=None)
        conn.execute("VACUUM")
        conn.close()
        data = db.path.read_bytes()
        for secret in (b"Wiremu", b"Tapsell", b"wt@example.org", b"900777", b"secret-note", b"tapsell"):
            assert secret not in data, (db.hub_name, secret)


def test_relay_a_to_b_to_c(hubs, out) -> None:
    a, b, c = hubs
    cid = add_contact(a, given_name="Relay")
    send(a, b, out)
    result = send(b, c, out)
    assert result.report.counts["contact"].new == 1
    assert contact_row(c, cid)["given_name"] == "Relay"
    assert dump_text(a) == dump_text(b) == dump_text(c)


def test_delta_for_a_peer_holds_only_what_changed_and_relays_old_stamps(hubs, out) -> None:
    a, b, c = hubs
    ids = [add_contact(b, given_name=f"B{i}") for i in range(3)]
    first = export_to(b, out / "b1.oursociety", for_hub=c.hub_id)
    assert first.manifest.kind == "full" and first.manifest.counts["contact"] == 3
    import_bundle(c, out / "b1.oursociety", backup=False, trust_new_hub=True)
    send(c, b, out)  # C acknowledges B's first bundle
    edit_contact(b, ids[0], role="edited")
    delta = export_to(b, out / "b2.oursociety", for_hub=c.hub_id)
    assert delta.manifest.kind == "delta" and delta.manifest.counts["contact"] == 1
    # A record written at A *before* B's last bundle for C still reaches C through B's next delta.
    old = add_contact(a, given_name="Old stamp")
    a_bundle = out / "a.oursociety"
    export_to(a, a_bundle)
    import_bundle(c, out / "b2.oursociety", backup=False, trust_new_hub=True)
    send(c, b, out)  # C acknowledges b2: B's next delta for C is empty
    empty = export_to(b, out / "b3.oursociety", for_hub=c.hub_id)
    assert empty.manifest.total_records == 0
    import_bundle(b, a_bundle, backup=False, trust_new_hub=True)
    relay = export_to(b, out / "b4.oursociety", for_hub=c.hub_id)
    assert relay.manifest.counts["contact"] >= 1
    import_bundle(c, out / "b4.oursociety", backup=False, trust_new_hub=True)
    assert contact_row(c, old)["given_name"] == "Old stamp"
    assert dump_text(b) == dump_text(c)


def test_consent_on_the_way_out(hubs, out) -> None:
    a, b, _ = hubs
    kept = add_contact(a, given_name="Hidden", family_name="Person", share_with_hubs=False)
    shared = add_contact(a, given_name="Shared", private_notes="PRIVATE-NOTE-TEXT")
    with a.write() as tx:
        group = create_group(tx, {"name": "Garden"})
        add_member(tx, group.id, kept)
        add_member(tx, group.id, shared)
    path = out / "a.oursociety"
    result = export_to(a, path)
    assert result.manifest.counts["contact"] == 1 and result.manifest.counts["membership"] == 1
    with zipfile.ZipFile(path) as zf:
        everything = b"".join(zf.read(n) for n in zf.namelist())
    for secret in (b"Hidden", kept.encode(), b"PRIVATE-NOTE-TEXT", b"private_notes"):
        assert secret not in everything
    import_bundle(b, path, backup=False, trust_new_hub=True)
    send(b, a, out)  # B acknowledges what it has from A
    # Sharing switched on later brings the contact and its older membership in the next delta.
    edit_contact(a, kept, share_with_hubs=True)
    delta = export_to(a, out / "delta.oursociety", for_hub=b.hub_id)
    assert delta.manifest.counts["contact"] == 1 and delta.manifest.counts["membership"] == 1
    import_bundle(b, out / "delta.oursociety", backup=False, trust_new_hub=True)
    assert contact_row(b, kept)["given_name"] == "Hidden"
    assert contact_row(b, shared)["private_notes"] == ""


def test_a_hub_a_year_ahead_moves_no_other_hubs_clock_and_is_named(hubs, out, monkeypatch) -> None:
    """Case 7 of the issue "A network that survives...": A's clock is a year ahead; C accepts A's record and relays
    it to B; B's preview names A (from the stamp), not C; nobody's own edits carry a future time."""
    a, b, c = hubs
    cid = add_contact(a, given_name="Ada")
    send(a, c, out)
    send(c, b, out)
    year = 365 * 24 * 3600 * 1000
    future = wall_clock_ms() + year
    import oursociety_desktop.models.database as database_module
    real = database_module.HybridLogicalClock

    class FutureClock(real):  # type: ignore[misc, valid-type]
        def __init__(self, hub_id: str, last: str | None = None) -> None:
            super().__init__(hub_id, last, wall=lambda: future)

    monkeypatch.setattr(database_module, "HybridLogicalClock", FutureClock)
    edit_contact(a, cid, role="from the future")
    monkeypatch.setattr(database_module, "HybridLogicalClock", real)
    result = send(a, c, out)
    assert result.report.far_future == 1 and contact_row(c, cid)["role"] == ""  # waiting in quarantine
    assert quarantined(c)[0].hub_id == a.hub_id
    accepted = accept_quarantined(c)
    assert accepted.released == 1 and contact_row(c, cid)["role"] == "from the future"
    path = out / "relayed.oursociety"
    export_to(c, path)
    preview = import_bundle(b, path, dry_run=True, trust_new_hub=True)
    assert preview.report.far_future_hubs == {a.hub_id: 1}
    [note] = [n for n in preview.notes if "ahead" in n]
    assert f"the clock of hub {a.hub_id} is wrong" in note and "'C'" not in note  # B has not met A
    import_bundle(b, path, backup=False, trust_new_hub=True)
    assert contact_row(b, cid)["role"] == ""
    for db in (b, c):  # their own next edits carry their own time, not A's
        edit_contact(db, cid, given_name=f"Ada at {db.hub_name}")
        stamp = contact_row(db, cid)["stamps"]["given_name"]
        assert Stamp.decode(stamp).ms < wall_clock_ms() + 24 * 3600 * 1000
    # The time comes (here: B's clock is told it is a year later): the next import releases the record.
    from oursociety_desktop.models import merge as merge_module

    monkeypatch.setattr(merge_module, "wall_clock_ms", lambda: future + 1000)
    released = send(c, b, out)
    assert released.report.released == 1 and contact_row(b, cid)["role"] == "from the future"


def test_a_stamp_beyond_the_representable_range_is_refused_and_changes_nothing(hubs, out) -> None:
    import hashlib
    import io
    import json
    import zipfile

    from oursociety_desktop.formats.bundle import SIGNATURE_KEY, signed_bytes
    from oursociety_desktop.models.signing import sign

    a, b, _ = hubs
    add_contact(a, given_name="Ada")
    path = out / "a.oursociety"
    export_to(a, path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    [record] = [json.loads(line) for line in members["records/contact.jsonl"].splitlines()]
    hostile = "9999999999999.ffffff." + a.hub_id
    record["stamps"]["role"] = hostile
    data = (json.dumps(record) + "\n").encode()
    members["records/contact.jsonl"] = data
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["records/contact.jsonl"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest[SIGNATURE_KEY] = sign(a.signing_key, signed_bytes(manifest))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, json.dumps(manifest) if name == "manifest.json" else body)
    bad = out / "hostile.oursociety"
    bad.write_bytes(buffer.getvalue())
    before = dump_text(b)
    with pytest.raises(UserError) as info:
        import_bundle(b, bad, backup=False, trust_new_hub=True)
    assert info.value.message == (
        f"The bundle's contact record ({record['id']}) is not valid: the stamp of role lies beyond the year 2255, "
        "outside the dates this app can hold. Nothing was imported.")
    assert dump_text(b) == before
    add_contact(b, given_name="Still writable")  # every write still works



def test_own_bundle_is_named_in_preview_and_refused(hubs, out) -> None:
    a, _, _ = hubs
    add_contact(a)
    path = out / "own.oursociety"
    export_to(a, path)
    preview = import_bundle(a, path, dry_run=True, trust_new_hub=True)
    assert preview.source == "this hub" and "this hub itself" in preview.notes[0]
    from oursociety_desktop.models.errors import UserError
    with pytest.raises(UserError, match="made by this hub itself"):
        import_bundle(a, path, trust_new_hub=True)


def test_encrypted_bundle_round_trip(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Secretive")
    path = out / "enc.oursociety"
    export_to(a, path, passphrase="correct horse battery")
    assert b"Secretive" not in path.read_bytes() and path.read_bytes().startswith(b"OSBENC")
    import_bundle(b, path, passphrase="correct horse battery", backup=False, trust_new_hub=True)
    assert contact_row(b, cid)["given_name"] == "Secretive"


def test_import_backs_up_and_logs(hubs, out) -> None:
    a, b, _ = hubs
    add_contact(a)
    path = out / "a.oursociety"
    export_to(a, path)
    result = import_bundle(b, path, trust_new_hub=True)
    assert result.backup and Path(result.backup).is_file()
    from oursociety_desktop.models.exchange_log import exchange_log, known_peers
    with b.read() as session:
        [entry] = exchange_log(session)
        assert entry.direction == "import" and entry.summary["bundle_id"] == result.manifest.bundle_id
        assert [p.id for p in known_peers(session)] == [a.hub_id]


def test_conflict_on_deleted_field_can_take_theirs(hubs, out) -> None:
    a, b, _ = hubs
    cid = add_contact(a, given_name="Ada")
    send(a, b, out)
    with a.write() as tx:
        delete_contact(tx, cid)
    with a.write() as tx:
        delete_contact(tx, cid, False)
    with b.write() as tx:
        delete_contact(tx, cid)  # later: B's delete wins over A's undelete
    send(b, a, out)
    assert contact_row(a, cid)["deleted"] is True
    with a.read() as session:
        [conflict] = list_conflicts(session)
    assert conflict.field == "deleted" and conflict.theirs_value is False
    with a.write() as tx:
        resolve_conflict(tx, conflict.id, "theirs")
    assert contact_row(a, cid)["deleted"] is False
    send(a, b, out)
    assert contact_row(b, cid)["deleted"] is False
    sound(a)


def test_cancelled_export_leaves_no_file(hubs, out) -> None:
    a, _, _ = hubs
    for i in range(5):
        add_contact(a, given_name=f"P{i}")
    target = out / "cancelled.oursociety"

    def cancel_at_the_end(percent: int, message: str) -> bool:
        return message != "Saving the bundle"  # Cancel at the last moment, with the whole bundle built

    from oursociety_desktop.models.errors import Cancelled
    with pytest.raises(Cancelled):
        export_bundle(a, target, progress=cancel_at_the_end)
    assert list(out.iterdir()) == []
    from oursociety_desktop.models.exchange_log import exchange_log
    with a.read() as session:
        assert exchange_log(session) == []  # the log line was rolled back with it


def test_every_quarantined_version_is_merged_so_no_write_is_lost_without_a_conflict(hubs, out, monkeypatch) -> None:
    """Two hubs with wrong clocks edit the same name: B two days ahead, C a year ahead. A holds both versions in
    quarantine. Accepting them merged only the newest version (C's), so B's name was lost at A with no conflict
    listed (found by the exchange property test). Every version is merged now: C's name wins, B's is in the inbox."""
    a, b, c = hubs
    cid = add_contact(a, given_name="Ada")
    send(a, b, out)
    send(a, c, out)
    import oursociety_desktop.models.database as database_module
    real = database_module.HybridLogicalClock
    day = 24 * 3600 * 1000

    def skewed(offset: int) -> type:
        class SkewedClock(real):  # type: ignore[misc, valid-type]
            def __init__(self, hub_id: str, last: str | None = None) -> None:
                super().__init__(hub_id, last, wall=lambda: wall_clock_ms() + offset)
        return SkewedClock

    monkeypatch.setattr(database_module, "HybridLogicalClock", skewed(2 * day))
    edit_contact(b, cid, given_name="Ada at B")
    monkeypatch.setattr(database_module, "HybridLogicalClock", skewed(365 * day))
    edit_contact(c, cid, given_name="Ada at C")
    monkeypatch.setattr(database_module, "HybridLogicalClock", real)
    b_stamp = contact_row(b, cid)["stamps"]["given_name"]
    assert send(b, a, out).report.far_future == 1
    assert send(c, a, out).report.far_future == 1
    assert accept_quarantined(a).released == 2
    assert contact_row(a, cid)["given_name"] == "Ada at C"
    with a.read() as session:
        listed = [(x.record_id, x.field, x.theirs_value, x.theirs_stamp) for x in list_conflicts(session)]
    assert (cid, "given_name", "Ada at B", b_stamp) in listed

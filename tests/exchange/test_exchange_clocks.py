"""Hubs whose clocks are wrong, met the way they are in the field: an edit made after accepting a record from the
quarantine, and the notes that name whose clock is wrong."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

import oursociety_desktop.models.database as database_module
from oursociety_desktop.models.clock import Stamp, wall_clock_ms
from oursociety_desktop.models.conflicts import list_conflicts
from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange import accept_quarantined
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, introduce, make_hub, send

DAY = 24 * 3600 * 1000


@contextmanager
def clock_off_by(monkeypatch: pytest.MonkeyPatch, offset_ms: int) -> Iterator[None]:
    """This computer's clock `offset_ms` ahead (or behind) while the block runs, for every hub opened in it."""
    real = database_module.HybridLogicalClock

    class SkewedClock(real):  # type: ignore[misc, valid-type]
        def __init__(self, hub_id: str, last: str | None = None) -> None:
            super().__init__(hub_id, last, wall=lambda: wall_clock_ms() + offset_ms)

    monkeypatch.setattr(database_module, "HybridLogicalClock", SkewedClock)
    try:
        yield
    finally:
        monkeypatch.setattr(database_module, "HybridLogicalClock", real)


@pytest.fixture
def hubs(tmp_path: Path) -> Iterator[tuple[Database, Database, Database]]:
    a, b, c = (make_hub(tmp_path, name) for name in ("A", "B", "C"))
    introduce(a, b, c)
    yield a, b, c
    for db in (a, b, c):
        db.close()


def test_an_edit_after_accepting_a_record_from_the_future_wins_everywhere(hubs, tmp_path, monkeypatch) -> None:
    """A's clock is a year ahead. B accepts A's edit from the quarantine, then its organiser corrects the field.
    The correction was stamped by B's clock, below A's stamp: B showed it, A and C kept A's value, and B never
    received A's value again (it had acknowledged it), so the hubs never converged. The correction is stamped just
    above the value it replaces now, and wins at every hub."""
    a, b, c = hubs
    out = tmp_path / "out"
    out.mkdir()
    cid = add_contact(a, given_name="Ada")
    send(a, b, out)
    send(a, c, out)
    with clock_off_by(monkeypatch, 365 * DAY):
        edit_contact(a, cid, role="from the future")
    future = contact_row(a, cid)["stamps"]["role"]
    assert send(a, b, out).report.far_future == 1
    assert accept_quarantined(b).released == 1
    edit_contact(b, cid, role="corrected at B")
    stamp = contact_row(b, cid)["stamps"]["role"]
    ahead = Stamp.decode(future)
    assert stamp == Stamp(ahead.ms, ahead.counter + 1, b.hub_id).encode()
    edit_contact(b, cid, notes="a later note")  # B's clock itself did not move a year ahead
    assert Stamp.decode(contact_row(b, cid)["stamps"]["notes"]).ms < ahead.ms - 300 * DAY
    # A's clock has been put right since: B's correction, stamped ahead, waits in quarantine at A and C too.
    assert send(b, a, out).report.far_future == 1
    assert accept_quarantined(a).released == 1
    assert send(a, c, out).report.far_future == 1
    assert send(b, c, out).report.far_future == 1
    assert accept_quarantined(c).released == 1  # one version, relayed by A and sent by B
    send(c, a, out)
    send(c, b, out)
    for db in (a, b, c):
        assert contact_row(db, cid)["role"] == "corrected at B"
        assert contact_row(db, cid)["stamps"]["role"] == stamp
    assert dump_text(a) == dump_text(b) == dump_text(c)
    with a.read() as session:  # A's own value lost to a later edit made elsewhere: it is in A's inbox
        listed = [(x.record_id, x.field, x.theirs_value) for x in list_conflicts(session)]
    assert listed == [(cid, "role", "from the future")]


def test_a_hub_whose_computer_clock_went_back_is_told_so_not_that_the_others_are_wrong(hubs, tmp_path,
                                                                                      monkeypatch) -> None:
    """A's computer clock was set back a year after A had been in use. Every bundle from B then held stamps a year
    ahead of A's clock, and A's note said B's clock was wrong ("the clock of hub 'B' (…): 1 is wrong"), when A's
    was. The note now says that this computer's clock is behind, from the stamps A already holds; the other case
    names the hub without a stray count."""
    import oursociety_desktop.models.clock as clock_module
    from oursociety_desktop.services.exchange import quarantined

    a, b, _ = hubs
    out = tmp_path / "out"
    out.mkdir()
    cid = add_contact(b, given_name="Bea")
    send(b, a, out)
    edit_contact(a, cid, notes="made at A with its clock right")  # A's latest stamp: today
    held = Stamp.decode(contact_row(a, cid)["stamps"]["notes"])
    edit_contact(b, cid, role="made at B")
    real_ns = clock_module.time.time_ns

    class YearBehind:
        @staticmethod
        def time_ns() -> int:
            return real_ns() - 365 * DAY * 1_000_000

    monkeypatch.setattr(clock_module, "time", YearBehind)
    result = send(b, a, out)
    day = datetime.fromtimestamp(held.ms / 1000, UTC).date().isoformat()
    assert [n for n in result.warnings if "ahead" in n] == [
        "1 record carries a stamp more than 24 hours ahead of this computer's clock, but this hub already holds "
        f"stamps from {day}: this computer's clock is behind now, or was set ahead once. Check its date and time; "
        "the record waits in quarantine until then."]
    assert contact_row(a, cid)["role"] == "" and len(quarantined(a)) == 1
    monkeypatch.setattr(clock_module, "time", time)  # the clock put right: the next bundle releases it
    edit_contact(b, cid, locality="Leeds")
    send(b, a, out)
    assert contact_row(a, cid)["role"] == "made at B" and quarantined(a) == []


def test_a_hub_whose_clock_was_set_ahead_once_is_told_its_changes_wait_elsewhere(hubs, tmp_path,
                                                                                monkeypatch) -> None:
    """One edit made while A's computer was a year ahead leaves A's clock there: every later edit of A, its clock
    put right, carries that time too, and every other hub keeps it in quarantine for a year. A's organiser was
    told nothing; A's sync now says so in one line (B's names A's clock, as before)."""
    from oursociety_desktop.services.exchange_folder import sync_folder

    a, b, _ = hubs
    folder = tmp_path / "shared"
    folder.mkdir()
    cid = add_contact(a, given_name="Ada")
    sync_folder(a, folder)
    sync_folder(b, folder)
    assert sync_folder(a, folder).clock_lines() == []
    with clock_off_by(monkeypatch, 365 * DAY):
        edit_contact(a, cid, notes="typed while the date was wrong")
    edit_contact(a, cid, role="typed with the date put right")
    role_stamp = Stamp.decode(contact_row(a, cid)["stamps"]["role"])
    assert role_stamp.ms > wall_clock_ms() + 300 * DAY  # A's clock stays a year ahead
    day = datetime.fromtimestamp(role_stamp.ms / 1000, UTC).date().isoformat()
    result = sync_folder(a, folder)
    assert result.clock_lines() == [
        f"This hub's clock stands at {day}, more than a day ahead of this computer's clock: the computer's date "
        "was set ahead once, or is behind now. This hub's changes carry that date, and other hubs keep them in "
        "quarantine until then; check the date and time."]
    assert result.to_json()["clock_ahead_until"] == day
    seen = sync_folder(b, folder)
    assert [r.report.far_future for r in seen.imported] == [1] and contact_row(b, cid)["role"] == ""
    assert seen.clock_lines() == []


@pytest.mark.parametrize("where", ["forgotten here", "erasure arriving"])
def test_forgetting_a_person_clears_them_out_of_the_quarantine(hubs, tmp_path, monkeypatch, where) -> None:
    """A's clock was a year ahead when it edited a person and a connection note about her: B keeps both versions
    in quarantine. The person is forgotten (at B, or at C and the erasure reaches B): her record and the note
    stayed in B's quarantine (in the database file) until the stamps' date or an accept. They are cleared now;
    merging what is left later changes nothing about her."""
    from oursociety_desktop.models.connections import create_connection, update_connection
    from oursociety_desktop.models.contacts import forget_contact
    from oursociety_desktop.models.erasure import after_erasure
    from oursociety_desktop.models.tables import Connection
    from oursociety_desktop.services.exchange import quarantined
    from tests.exchange.test_exchange_erasure import leaks, person

    a, b, c = hubs
    out = tmp_path / "out"
    out.mkdir()
    gone = person(a)
    friend = add_contact(a, given_name="Friend")
    with a.write() as tx:
        link = create_connection(tx, {"contact_a": gone, "contact_b": friend, "kind": "knows"}).id
    send(a, b, out)
    send(a, c, out)
    with clock_off_by(monkeypatch, 365 * DAY):
        edit_contact(a, gone, notes="note-about-her-health")
        with a.write() as tx:
            update_connection(tx, link, {"note": "note-about-her-health"})
    assert send(a, b, out).report.far_future == 2
    assert {(e.record_type, e.record_id) for e in quarantined(b)} == {("contact", gone), ("connection", link)}
    assert {secret for _, secret in leaks(b.path.parent)} >= {"note-about-her-health"}  # positive control
    if where == "forgotten here":
        with b.write() as tx:
            forget_contact(tx, gone, "erasure requested")
        after_erasure(b)
    else:
        with c.write() as tx:
            forget_contact(tx, gone, "erasure requested")
        assert send(c, b, out).report.erasures_applied == 1
        after_erasure(b)
    assert [(e.record_type, e.record_id) for e in quarantined(b)] == [("connection", link)]
    b.close()
    assert leaks(b.path.parent) == []
    b = Database.open(b.path.parent)
    assert accept_quarantined(b).released == 1
    row = contact_row(b, gone)
    assert row["erased"] is True and row["given_name"] == "" and row["notes"] == ""
    with b.read() as session:
        kept = session.get(Connection, link)
        assert kept is not None and kept.note == "" and kept.deleted is True
    b.close()


@pytest.mark.parametrize("order", ["withdrawn after", "withdrawn before"])
def test_a_withdrawn_person_is_kept_withheld_in_the_quarantine_too(hubs, tmp_path, monkeypatch, order) -> None:
    """A (the consent holder, its clock a year ahead) edits a person's notes; C switches her sharing off. B, which
    does not hold her consent, keeps only her id and wishes: but A's version waited whole in B's quarantine (her
    notes in B's database file), whichever came first. It waits in the withheld form now."""
    from oursociety_desktop.services.exchange import export_bundle, import_bundle, quarantined
    from tests.exchange.test_exchange_erasure import leaks, person

    a, b, c = hubs
    out = tmp_path / "out"
    out.mkdir()
    her = person(a)
    send(a, b, out)
    send(a, c, out)
    with clock_off_by(monkeypatch, 365 * DAY):
        edit_contact(a, her, notes="note-about-her-health")
    ahead = out / "ahead.oursociety"
    export_bundle(a, ahead)
    edit_contact(c, her, share_with_hubs=False)
    if order == "withdrawn after":
        assert import_bundle(b, ahead, backup=False).report.far_future == 1
        assert send(c, b, out).report.people_withdrawn == 1
    else:
        assert send(c, b, out).report.people_withdrawn == 1
        assert import_bundle(b, ahead, backup=False).report.far_future == 1
    assert [(e.record_type, e.record_id) for e in quarantined(b)] == [("contact", her)]
    b.close()
    assert leaks(b.path.parent) == []
    b = Database.open(b.path.parent)
    accept_quarantined(b)
    row = contact_row(b, her)
    assert (row["share_with_hubs"], row["given_name"], row["notes"]) == (False, "", "")
    b.close()

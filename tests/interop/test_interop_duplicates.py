"""The duplicate finder (names folded with nicknames and transliteration, E.164 phones, emails), "not a
duplicate", and merging: field by field, undoable, and travelling to other hubs as "A merged into B"."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import (
    find_duplicates,
    mark_not_duplicate,
    merge_contacts,
    name_tokens,
    person_key,
    undo_merge,
)
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.tables import Contact, Membership

Run = Callable[..., tuple[int, str, str]]


def _add(db: Database, **values: Any) -> str:
    with db.write() as tx:
        return create_contact(tx, values).id


def _pairs(db: Database) -> dict[frozenset[str], Any]:
    with db.read() as session:
        return {frozenset((p.a, p.b)): p for p in find_duplicates(session.connection())}


def test_name_folding() -> None:
    assert name_tokens("Łukasz Żółć-Wiśniewski") == ["lukasz", "zolc", "wisniewski"]
    assert name_tokens("Bill") == ["william"] and name_tokens("Kasia") == ["katarzyna"]
    assert person_key({"given_name": "Γιώργος", "family_name": "Παπαδόπουλος"}) == \
        person_key({"given_name": "Giorgos", "family_name": "Papadopoulos"})
    assert person_key({"given_name": "Smith", "family_name": "John"}) == \
        person_key({"given_name": "John", "family_name": "Smith"})
    assert person_key({"given_name": "Иван", "family_name": "Петров"}) == "ivan petrov"


def test_finds_pairs_by_name_phone_and_email(db: Database) -> None:
    bill = _add(db, given_name="Bill", family_name="Smith")
    william = _add(db, given_name="William", family_name="SMITH ")
    greek = _add(db, given_name="Γιώργος", family_name="Παπαδόπουλος")
    latin = _add(db, given_name="Giorgos", family_name="Papadopoulos")
    typed_local = _add(db, given_name="Amara", family_name="Okafor", phones=["07700 900456"])
    typed_intl = _add(db, given_name="Amarah", family_name="Okafor", phones=["+44 7700 900456"])
    upper = _add(db, given_name="Zofia", family_name="Nowak", emails=["ZOFIA@Example.org"])
    lower = _add(db, display_name="Z. Nowak (allotment)", emails=["zofia@example.org"])
    # Same name, but both have other emails and other phones: different people, not listed.
    _add(db, given_name="Mohammed", family_name="Khan", emails=["mk1@example.org"], phones=["07700 900001"])
    _add(db, given_name="Mohammed", family_name="Khan", emails=["mk2@example.org"], phones=["07700 900002"])
    # Nothing in common.
    _add(db, given_name="Li", family_name="Wei")
    pairs = _pairs(db)
    assert set(pairs) == {frozenset((bill, william)), frozenset((greek, latin)),
                          frozenset((typed_local, typed_intl)), frozenset((upper, lower))}
    assert "same phone +447700900456" in pairs[frozenset((typed_local, typed_intl))].reasons
    assert "same email zofia@example.org" in pairs[frozenset((upper, lower))].reasons
    assert pairs[frozenset((bill, william))].reasons == ["same name"]


def test_not_a_duplicate_is_remembered(db: Database) -> None:
    a = _add(db, given_name="Anna", family_name="Nowak")
    b = _add(db, given_name="Anna", family_name="Nowak")
    assert frozenset((a, b)) in _pairs(db)
    with db.write() as tx:
        mark_not_duplicate(tx, b, a)
    assert _pairs(db) == {}
    with db.write() as tx:
        mark_not_duplicate(tx, a, b, False)
    assert frozenset((a, b)) in _pairs(db)


def test_cli_duplicates_json(hub: Path, run_cli: Run) -> None:
    code, out, err = run_cli("--data-dir", hub, "contact", "add", "--given", "Anna", "--family", "Kowalska",
                             "--phone", "+44 7700 900001")
    assert code == 0, err
    code, out, err = run_cli("--data-dir", hub, "duplicates", "--json")
    assert code == 0, err
    [pair] = json.loads(out)
    assert pair["score"] >= 90 and {pair["a_name"], pair["b_name"]} == {"Anna Kowalska"}
    assert any("same phone" in r for r in pair["reasons"])
    code, out, _ = run_cli("--data-dir", hub, "duplicates")
    assert "Anna Kowalska  <->" in out


def _merge_setup(db: Database) -> tuple[str, str, str]:
    with db.write() as tx:
        gone = create_contact(tx, {"given_name": "Bill", "family_name": "Smith", "phones": ["07700 900111"],
                                   "emails": ["bill@example.org"], "organisation": "Allotments",
                                   "notes": "Has a van.", "do_not_phone": True, "share_with_hubs": True})
        keep = create_contact(tx, {"given_name": "William", "family_name": "Smith",
                                   "emails": ["BILL@example.org", "w.smith@example.com"],
                                   "share_with_hubs": True})
        group = create_group(tx, {"name": "Allotment group"})
        add_member(tx, group.id, gone.id)
        return gone.id, keep.id, group.id


def test_merge_field_by_field_and_undo(db: Database) -> None:
    gone_id, keep_id, group_id = _merge_setup(db)
    with db.read() as session:
        before = {c.id: c.model_dump() for c in session.exec(select(Contact)).all()}
    with db.write() as tx:
        undo = merge_contacts(tx, gone_id, keep_id, {"given_name": "Bill"})
    with db.read() as session:
        gone, keep = session.get(Contact, gone_id), session.get(Contact, keep_id)
        assert gone is not None and keep is not None
        assert gone.deleted and gone.merged_into == keep_id
        assert keep.given_name == "Bill"  # chosen
        assert keep.organisation == "Allotments" and keep.notes == "Has a van."  # filled from the other side
        assert [p["value"] for p in keep.phones] == ["07700 900111"]
        assert [e["value"] for e in keep.emails] == ["BILL@example.org", "w.smith@example.com"]  # no case dupes
        assert keep.do_not_phone is True  # a "do not" flag is never lost
        members = session.exec(select(Membership).where(Membership.group_id == group_id)).all()
        # One membership per person and group: the other's is tombstoned and the survivor's made.
        assert sorted((m.contact_id, m.deleted) for m in members) == sorted([(keep_id, False), (gone_id, True)])
        # Each changed field carries a new stamp, so the merge wins over older copies elsewhere.
        assert gone.field_stamp("deleted") > gone.base_stamp and gone.field_stamp("merged_into") > gone.base_stamp
    assert _pairs(db) == {}
    with db.write() as tx:
        undo_merge(tx, undo)
    with db.read() as session:
        after = {c.id: c.model_dump() for c in session.exec(select(Contact)).all()}
        members = session.exec(select(Membership).where(Membership.group_id == group_id)).all()
        assert sorted((m.contact_id, m.deleted) for m in members) == sorted([(gone_id, False), (keep_id, True)])
    for cid in (gone_id, keep_id):
        for name in Contact.SYNC_FIELDS:
            assert after[cid][name] == before[cid][name], name


def test_merge_refuses_self_and_deleted(db: Database) -> None:
    from oursociety_desktop.models.errors import UserError

    gone_id, keep_id, _ = _merge_setup(db)
    with pytest.raises(UserError), db.write() as tx:
        merge_contacts(tx, keep_id, keep_id)
    with db.write() as tx:
        merge_contacts(tx, gone_id, keep_id)
    with pytest.raises(UserError, match="has been deleted"), db.write() as tx:
        merge_contacts(tx, gone_id, keep_id)


def test_merge_travels_and_stale_copy_does_not_bring_a_back(tmp_path: Path, run_cli: Run) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    db = Database.create(here, "Here")
    gone_id, keep_id, _ = _merge_setup(db)
    db.close()
    Database.create(there, "There").close()
    old_bundle = tmp_path / "before-merge.oursociety"
    assert run_cli("--data-dir", here, "export", old_bundle, "--full")[0] == 0
    assert run_cli("--data-dir", there, "import", old_bundle, "--trust-new-hub")[0] == 0

    db = Database.open(here)
    with db.write() as tx:
        merge_contacts(tx, gone_id, keep_id)
    db.close()
    new_bundle = tmp_path / "after-merge.oursociety"
    assert run_cli("--data-dir", here, "export", new_bundle, "--full")[0] == 0
    assert run_cli("--data-dir", there, "import", new_bundle, "--trust-new-hub")[0] == 0
    # The stale bundle (from before the merge) arrives again, at both hubs.
    for folder in (there, here):
        code, _, err = run_cli("--data-dir", folder, "import", old_bundle, "--trust-new-hub")
        assert code == 0 or "already" in err or "same hub" in err or "this hub" in err, err
        other = Database.open(folder)
        try:
            with other.read() as session:
                gone = session.get(Contact, gone_id)
                assert gone is not None and gone.deleted and gone.merged_into == keep_id, folder
        finally:
            other.close()

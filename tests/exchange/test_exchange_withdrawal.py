"""A withdrawal of consent travels and wins (issue 14, case 2): switching sharing off at the hub holding the
person's consent leaves every other hub with only the person's id and stamps, however the bundles travel; no hub
relays them again; only the consent holder switches sharing on again; later deletes, erasures and wishes still
travel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oursociety_desktop.formats.csv_write import live_contacts
from oursociety_desktop.formats.pdf.selection import select_contacts
from oursociety_desktop.models.connections import create_connection
from oursociety_desktop.models.contacts import create_contact, delete_contact, forget_contact, update_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import add_member, create_group, remove_member
from oursociety_desktop.models.records import get_record, update_record
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.models.withdrawal import WITHHELD, blank_values, withdrawn_by
from tests.exchange.exchange_helpers import dump_text, edit_contact, introduce, make_hub, send

PHONE = "+44 7700 900123"
EMAIL = "ngozi@example.org"


def _hubs(tmp_path: Path, *names: str) -> list[Database]:
    hubs = [make_hub(tmp_path, name) for name in names]
    introduce(*hubs)
    return hubs


def _bundles(tmp_path: Path) -> Path:
    """The folder the bundles of a test travel through."""
    folder = tmp_path / "bundles"
    folder.mkdir()
    return folder


def _person_with_ties(db: Database) -> tuple[str, str, str]:
    """A shared person with a phone, an email, a group membership and a connection; (person, group, friend)."""
    with db.write() as tx:
        person = create_contact(tx, {"given_name": "Ngozi", "family_name": "Okafor", "share_with_hubs": True,
                                     "phones": [{"label": "mobile", "value": PHONE}],
                                     "emails": [{"label": "home", "value": EMAIL}], "notes": "walks with a stick"})
        friend = create_contact(tx, {"given_name": "Bea", "share_with_hubs": True})
        group = create_group(tx, {"name": "Garden"})
        add_member(tx, group.id, person.id)
        create_connection(tx, {"contact_a": person.id, "contact_b": friend.id, "kind": "knows"})
        return person.id, group.id, friend.id


def _row(db: Database, contact_id: str) -> dict[str, Any] | None:
    with db.read() as session:
        contact = session.get(Contact, contact_id)
        return None if contact is None else contact.model_dump()


def _records_naming(db: Database, contact_id: str) -> int:
    with db.read() as session:
        conn = session.connection()
        return sum(conn.exec_driver_sql(sql, (contact_id,) * sql.count("?")).scalar_one() for sql in (
            "SELECT COUNT(*) FROM membership WHERE contact_id = ?",
            "SELECT COUNT(*) FROM action_link WHERE contact_id = ?",
            "SELECT COUNT(*) FROM connection WHERE contact_a = ? OR contact_b = ? OR introduced_by = ?"))


def _holds_nothing_of(db: Database, contact_id: str) -> None:
    """The hub keeps only id and stamps of the person: every withheld field empty, nothing personal to them, and
    nothing of them anywhere in its database file."""
    row = _row(db, contact_id)
    assert row is not None, f"{db.hub_name} lost even the id"
    assert {name: row[name] for name in WITHHELD} == blank_values(), db.hub_name
    assert not row["share_with_hubs"]
    assert _records_naming(db, contact_id) == 0, db.hub_name
    text = dump_text(db)
    for secret in ("Ngozi", "Okafor", PHONE, EMAIL, "stick"):
        assert secret not in text, (db.hub_name, secret)


def test_case_two_the_withdrawal_travels_and_wins(tmp_path: Path) -> None:
    """Case 2 exactly: A shares a person with B and C and switches sharing off; B relays to D (not knowing yet);
    A deletes the person and removes them from a group; B toggles sharing off and on; A's next export."""
    a, b, c, d = _hubs(tmp_path, "A", "B", "C", "D")
    bundles = _bundles(tmp_path)
    person, group, _friend = _person_with_ties(a)
    send(a, b, bundles)
    send(a, c, bundles)
    assert _row(b, person)["phones"][0]["value"] == PHONE  # positive control: B and C hold the person
    assert _records_naming(c, person) == 2

    edit_contact(a, person, share_with_hubs=False)  # the person withdraws consent at A
    send(b, d, bundles)  # B has not heard yet: it relays the person to D, who never had them
    assert _row(d, person)["emails"][0]["value"] == EMAIL

    with a.write() as tx:  # later, at A: the person is removed from the group, then deleted
        remove_member(tx, group, person)
        delete_contact(tx, person)
    # B's organiser toggles sharing off (a withdrawal made at B)...
    edit_contact(b, person, share_with_hubs=False)
    with pytest.raises(UserError, match="Only hub A"):  # ...and on again: only the consent holder may
        edit_contact(b, person, share_with_hubs=True)
    with b.write() as tx:  # an older version at B wrote it anyway: it counts as switched off everywhere
        contact = get_record(tx.session, Contact, person)
        update_record(tx, contact, {"share_with_hubs": True})
    send(b, a, bundles)
    assert _row(a, person)["share_with_hubs"] is False  # a remote switch never flips it at A

    a_export = bundles / "a-next.oursociety"
    from oursociety_desktop.services.exchange import export_bundle, import_bundle

    export_bundle(a, a_export)  # A's next export carries the person withheld: id, stamps, consent, wishes
    for hub in (b, c, d):
        import_bundle(hub, a_export, backup=False)
    for _ in range(2):  # and everyone hears everyone, relays included
        for source in (a, b, c, d):
            for target in (a, b, c, d):
                if source is not target:
                    send(source, target, bundles)

    for hub in (b, c, d):
        _holds_nothing_of(hub, person)
        assert _row(hub, person)["deleted"] is True, "A's delete still travels"
    held = _row(a, person)
    assert held["share_with_hubs"] is False and held["phones"][0]["value"] == PHONE  # A keeps what it holds
    assert dump_text(a) == dump_text(b) == dump_text(c) == dump_text(d)


def test_no_hub_relays_a_withdrawn_person_to_a_new_hub(tmp_path: Path) -> None:
    a, b, e = _hubs(tmp_path, "A", "B", "E")
    bundles = _bundles(tmp_path)
    person, _group, _friend = _person_with_ties(a)
    send(a, b, bundles)
    edit_contact(a, person, share_with_hubs=False)
    result = send(a, b, bundles)
    assert result.report.people_withdrawn == 1
    assert "1 person held here was withdrawn (their sharing switched off at another hub): only their id is kept." \
        in result.warnings
    _holds_nothing_of(b, person)
    assert withdrawn_by(_row(b, person) or {}) == a.hub_id
    send(b, e, bundles)  # a hub that never had the person gets only the withdrawal from B
    _holds_nothing_of(e, person)
    with b.read() as session:  # nothing to print or export of them either: no empty label, no blank row
        assert person not in {c["id"] for c in live_contacts(session.connection())}
        assert person not in {c.id for c in select_contacts(session, "labels").contacts}
    with pytest.raises(UserError, match="withdrew"):
        edit_contact(b, person, given_name="Ngozi")
    with pytest.raises(UserError, match="withdrawn"), b.write() as tx:
        add_member(tx, create_group(tx, {"name": "Choir"}).id, person)


def test_wishes_deletes_and_erasures_after_a_withdrawal_still_travel(tmp_path: Path) -> None:
    a, b = _hubs(tmp_path, "A", "B")
    bundles = _bundles(tmp_path)
    person, _group, _friend = _person_with_ties(a)
    send(a, b, bundles)
    edit_contact(a, person, share_with_hubs=False)
    edit_contact(a, person, do_not_phone=True, include_in_directory=False)
    send(a, b, bundles)
    row = _row(b, person) or {}
    assert row["do_not_phone"] is True and row["include_in_directory"] is False
    _holds_nothing_of(b, person)
    with a.write() as tx:
        forget_contact(tx, person, "consent withdrawn")
    send(a, b, bundles)
    assert (_row(b, person) or {})["erased"] is True


def test_only_the_consent_holder_shares_again_and_everything_comes_back(tmp_path: Path) -> None:
    a, b, c = _hubs(tmp_path, "A", "B", "C")
    bundles = _bundles(tmp_path)
    person, _group, _friend = _person_with_ties(a)
    send(a, b, bundles)
    send(b, c, bundles)
    edit_contact(c, person, notes="told us at the market")  # an edit at C that A never hears of unwithheld
    edit_contact(b, person, share_with_hubs=False)  # the person asked B to stop sharing them
    send(b, c, bundles)
    send(b, a, bundles)
    assert (_row(a, person) or {})["share_with_hubs"] is False  # B's withdrawal reaches the consent holder
    assert (_row(a, person) or {})["phones"][0]["value"] == PHONE  # which keeps what it holds
    _holds_nothing_of(b, person)
    _holds_nothing_of(c, person)
    with a.write() as tx:  # the person gave consent again, at A
        update_contact(tx, person, {"share_with_hubs": True})
    send(a, b, bundles)
    send(b, c, bundles)
    for hub in (b, c):
        row = _row(hub, person) or {}
        assert row["share_with_hubs"] is True and row["phones"][0]["value"] == PHONE
        assert _records_naming(hub, person) == 2, "the membership and connection come back with the consent"
    assert dump_text(a) == dump_text(b) == dump_text(c)

"""Services: per-field stamps on every edit, tombstones, erasure that cannot be undone, validation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from oursociety_desktop.models import actions, connections, contacts, groups
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.errors import NotFound, RecordErased, ValidationError
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.phones import normalise_phone
from oursociety_desktop.models.tables import Contact, Membership


def test_create_stamps_every_field_with_one_stamp(db: Database) -> None:
    with db.write() as tx:
        contact = contacts.create_contact(tx, {"given_name": "Ada", "family_name": "Okafor"})
    assert contact.origin_hub == db.hub_id
    assert contact.stamps == {}
    assert all(contact.field_stamp(f) == contact.base_stamp == contact.stamp for f in Contact.SYNC_FIELDS)
    assert db.hub_id in contact.stamp


def test_edit_stamps_only_changed_fields(db: Database) -> None:
    with db.write() as tx:
        cid = contacts.create_contact(tx, {"given_name": "Ada", "family_name": "Okafor"}).id
    with db.write() as tx:
        contact = contacts.update_contact(tx, cid, {"family_name": "Okafor", "organisation": "Food Bank"})
    assert set(contact.stamps) == {"organisation"}
    assert contact.stamps["organisation"] > contact.base_stamp
    assert contact.stamp == contact.stamps["organisation"]
    assert contact.field_stamp("family_name") == contact.base_stamp


def test_stamps_persist_across_reopen_and_keep_increasing(db: Database, data_dir) -> None:  # type: ignore[no-untyped-def]
    with db.write() as tx:
        first = contacts.create_contact(tx, {"given_name": "A"}).stamp
    db.close()
    again = Database.open(data_dir)
    with again.write() as tx:
        second = contacts.create_contact(tx, {"given_name": "B"}).stamp
    again.close()
    assert second > first


def test_delete_is_a_tombstone_and_undelete_restores(db: Database) -> None:
    with db.write() as tx:
        cid = contacts.create_contact(tx, {"given_name": "Ada"}).id
    with db.write() as tx:
        contacts.delete_contact(tx, cid)
    with db.read() as session:
        row = session.get(Contact, cid)
        assert row is not None and row.deleted
        assert "deleted" in row.stamps
    with db.write() as tx:
        contacts.delete_contact(tx, cid, False)
    with db.read() as session:
        assert not session.get(Contact, cid).deleted  # type: ignore[union-attr]


def test_forget_wipes_personal_fields_and_related_records(db: Database) -> None:
    with db.write() as tx:
        person = contacts.create_contact(tx, {
            "given_name": "Hodan", "family_name": "Warsame", "phones": [{"label": "m", "value": "07700 900001"}],
            "emails": [{"label": "", "value": "hodan@example.org"}], "notes": "lives at 3 Mill Lane",
            "private_notes": "sensitive", "tags": ["cooking"], "share_with_hubs": True})
        other = contacts.create_contact(tx, {"given_name": "Abdi"})
        third = contacts.create_contact(tx, {"given_name": "Sahra"})
        group = groups.create_group(tx, {"name": "Food"})
        groups.add_member(tx, group.id, person.id)
        action = actions.create_action(tx, {"title": "Call Hodan"})
        actions.link_contact(tx, action.id, person.id, "about")
        connections.create_connection(tx, {"contact_a": person.id, "contact_b": other.id, "note": "Hodan's friend"})
        connections.create_connection(tx, {"contact_a": other.id, "contact_b": third.id,
                                           "introduced_by": person.id, "note": "via Hodan"})
    with db.write() as tx:
        contacts.forget_contact(tx, person.id, "consent withdrawn")
    with db.read() as session:
        row = session.get(Contact, person.id)
        assert row is not None and row.erased and row.deleted
        assert row.erased_reason == "consent withdrawn"
        for name, value in contacts.erased_values().items():
            assert getattr(row, name) == value, name
        assert row.stamps == {} and row.stamp == row.base_stamp
        conn = session.connection()
        assert conn.execute(text("SELECT COUNT(*) FROM membership WHERE deleted = 0")).scalar_one() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM action_link WHERE deleted = 0")).scalar_one() == 0
        notes = [r[0] for r in conn.execute(text("SELECT note FROM connection"))]
        assert notes == ["", ""]
        live = conn.execute(text("SELECT introduced_by FROM connection WHERE deleted = 0")).scalar_one()
        assert live == ""
        assert conn.execute(text("SELECT body FROM contact_search WHERE contact_id = :i"),
                            {"i": person.id}).scalar_one() == ""
        assert check_database(conn).sound


def test_an_erased_record_refuses_later_edits(db: Database) -> None:
    with db.write() as tx:
        cid = contacts.create_contact(tx, {"given_name": "Ada"}).id
    with db.write() as tx:
        contacts.forget_contact(tx, cid)
    for attempt in (lambda tx: contacts.delete_contact(tx, cid, False),
                    lambda tx: contacts.update_contact(tx, cid, {"given_name": "Back"})):
        with pytest.raises((RecordErased, NotFound)), db.write() as tx:
            attempt(tx)
    with db.read() as session:
        assert session.get(Contact, cid).given_name == ""  # type: ignore[union-attr]


def test_new_contacts_take_sharing_from_the_hub_setting(db: Database) -> None:
    with db.write() as tx:
        off = contacts.create_contact(tx, {"given_name": "Default"})
        set_setting(tx.session, "default_share_with_hubs", True)
    with db.write() as tx:
        on = contacts.create_contact(tx, {"given_name": "After"})
        explicit = contacts.create_contact(tx, {"given_name": "Explicit", "share_with_hubs": False})
    assert (off.share_with_hubs, on.share_with_hubs, explicit.share_with_hubs) == (False, True, False)


@pytest.mark.parametrize(
    ("values", "field"),
    [({"given_name": "A", "emails": [{"label": "", "value": "not-an-email"}]}, "emails"),
     ({"given_name": "A", "engagement_stage": "superstar"}, "engagement_stage"),
     ({"given_name": "A", "share_with_hubs": "yes"}, "share_with_hubs"),
     ({"given_name": "   "}, "given_name"),
     ({"given_name": "A", "shoe_size": "9"}, "shoe_size")],
)
def test_invalid_values_are_refused_and_nothing_is_written(db: Database, values: dict[str, object],
                                                           field: str) -> None:
    with pytest.raises(ValidationError) as info, db.write() as tx:
        contacts.create_contact(tx, values)
    assert info.value.field == field
    with db.read() as session:
        assert session.connection().execute(text("SELECT COUNT(*) FROM contact")).scalar_one() == 0


def test_a_phone_that_does_not_parse_is_kept_with_a_warning(db: Database) -> None:
    with db.write() as tx:
        contact = contacts.create_contact(tx, {"given_name": "A", "phones": [{"label": "", "value": "ring the bell"},
                                                                            {"label": "", "value": "12"}]})
    assert [p["value"] for p in contact.phones] == ["ring the bell", "12"]
    assert normalise_phone("ring the bell").warning
    assert normalise_phone("12").warning
    reserved = normalise_phone("07700 900123")
    assert reserved.e164 == "+447700900123" and reserved.warning  # drama range: kept, flagged
    real_shape = normalise_phone("020 7946 0958", "GB")
    assert real_shape.e164 == "+442079460958"
    irish = normalise_phone("087 123 4567", "IE")
    assert irish.e164 == "+353871234567"


def test_groups_memberships_actions_connections(db: Database) -> None:
    with db.write() as tx:
        a = contacts.create_contact(tx, {"given_name": "A"})
        b = contacts.create_contact(tx, {"given_name": "B"})
        parent = groups.create_group(tx, {"name": "North"})
        child = groups.create_group(tx, {"name": "North Food", "parent_id": parent.id})
        groups.add_member(tx, child.id, a.id, "coordinator")
        groups.add_member(tx, child.id, b.id)
        action = actions.create_action(tx, {"title": "Rota", "due": "2026-12-01", "group_id": child.id})
        actions.link_contact(tx, action.id, a.id, "owner")
        connections.create_connection(tx, {"contact_a": a.id, "contact_b": b.id, "kind": "knows"})
    with db.write() as tx:
        with pytest.raises(ValidationError):
            groups.update_group(tx, parent.id, {"parent_id": child.id})
    with db.write() as tx:
        groups.remove_member(tx, child.id, b.id)
        actions.mark_done(tx, action.id, "Rota filled")
    with db.read() as session:
        assert groups.member_counts(session) == {child.id: 1}
        assert groups.find_group(session, "north food").id == child.id
        assert len(connections.connections_of(session, a.id)) == 1
        memberships = session.exec(__import__("sqlmodel").select(Membership)).all()
        assert sorted(m.deleted for m in memberships) == [False, True]
    with pytest.raises(ValidationError), db.write() as tx:
        actions.create_action(tx, {"title": "x", "due": "next tuesday"})


def test_an_organisation_only_contact_is_shown_by_its_organisation(db: Database) -> None:
    with db.write() as tx:
        org = contacts.create_contact(tx, {"organisation": "Riverside Food Bank"})
        person = contacts.create_contact(tx, {"given_name": "Ada", "organisation": "Riverside Food Bank"})
    assert org.shown_name == "Riverside Food Bank"
    assert person.shown_name == "Ada"
    assert Contact().shown_name == "(no name)"


def test_user_errors_are_always_one_line() -> None:
    from oursociety_desktop.models.errors import UserError

    error = UserError("'a\nb\r\nc\u2028d\x00' is not valid")
    assert error.message == "'a ⏎ b ⏎ c ⏎ d' is not valid"
    assert len(UserError("x" * 5000).message) == 600
    assert ValidationError("emails", "bad\nvalue").field == "emails"

"""Lessons (and the people in them), offers, needs and hours travel between two and three hubs like every other
record: consent on the way out, relay, merge per field with conflicts in the inbox, and erasure everywhere. None
of it is code of their own: their registry entries drive it."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from oursociety_desktop.models.conflicts import list_conflicts
from oursociety_desktop.models.contacts import forget_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.hours import add_hours, hub_totals, share_hours_detail
from oursociety_desktop.models.lessons import create_lesson, lessons_of_other_hubs, people_of, update_lesson
from oursociety_desktop.models.offers import create_need, create_offer, update_offer_or_need
from oursociety_desktop.models.tables import Hours, HoursTotal, Lesson, LessonPerson, Need, Offer
from tests.exchange.exchange_helpers import add_contact, dump_text, make_hub, send


def lesson_at(db: Database, lesson_id: str) -> Lesson | None:
    with db.read() as session:
        return session.get(Lesson, lesson_id)


def shown_people(db: Database, lesson_id: str) -> list[str]:
    with db.read() as session:
        return [p.shown for p in people_of(session, lesson_id, db.hub_id)]


def three_hubs(tmp_path: Path) -> tuple[Database, Database, Database]:
    return make_hub(tmp_path, "Hulme"), make_hub(tmp_path, "Moss Side"), make_hub(tmp_path, "Levenshulme")


def test_a_lesson_relays_and_names_people_only_with_their_consent(tmp_path: Path) -> None:
    a, b, c = three_hubs(tmp_path)
    nina = add_contact(a, given_name="Nina", family_name="Okafor", share_with_hubs=True)
    ola = add_contact(a, given_name="Ola", family_name="Nowak", share_with_hubs=True)
    pia = add_contact(a, given_name="Pia", family_name="Private", share_with_hubs=False)
    with a.write() as tx:
        shared = create_lesson(tx, {"title": "Run the repair café on Saturdays", "kind": "lesson learned",
                                    "themes": ["bike repair"], "share_with_hubs": True},
                               {nina: True, ola: False, pia: True}).id
        home = create_lesson(tx, {"title": "Our own notes", "share_with_hubs": False}, {nina: True}).id

    send(a, b, tmp_path)
    send(b, c, tmp_path)  # relayed: C never heard from A directly
    for db in (b, c):
        assert lesson_at(db, shared) is not None and lesson_at(db, home) is None
        # Nina agreed to be named; Ola did not; Pia does not share at all, so her link never left Hulme.
        assert shown_people(db, shared) == ["a member of Hulme", "Nina Okafor"]
        with db.read() as session:
            assert not session.exec(select(LessonPerson).where(LessonPerson.lesson_id == home)).all()
            assert not session.exec(select(LessonPerson).where(LessonPerson.contact_id == pia)).all()
    assert shown_people(a, shared) == ["Nina Okafor", "Ola Nowak", "Pia Private"]
    # "What other hubs learned about bike repair", at Levenshulme and (not its own) at Hulme.
    with c.read() as session:
        assert [x.id for x in lessons_of_other_hubs(session, "Bike Repair", c.hub_id)] == [shared]
    with a.read() as session:
        assert lessons_of_other_hubs(session, "bike repair", a.hub_id) == []
    assert dump_text(b) == dump_text(c)
    for db in (a, b, c):
        db.close()


def test_concurrent_edits_of_a_lesson_merge_the_same_everywhere_with_the_loser_in_the_inbox(tmp_path: Path) -> None:
    a, b, c = three_hubs(tmp_path)
    with a.write() as tx:
        lesson = create_lesson(tx, {"title": "Ask first", "advice": "Listen", "share_with_hubs": True}).id
    send(a, b, tmp_path)
    send(a, c, tmp_path)
    with a.write() as tx:
        update_lesson(tx, lesson, {"title": "Ask first, then act"})
    with b.write() as tx:
        update_lesson(tx, lesson, {"title": "Always ask first", "place": "Moss Side"})
    for source, target in ((a, b), (b, a), (b, c), (a, c)):
        send(source, target, tmp_path)
    assert dump_text(a) == dump_text(b) == dump_text(c)
    final = lesson_at(c, lesson)
    assert final is not None and final.place == "Moss Side" and final.advice == "Listen"
    with a.read() as sa, b.read() as sb:
        inbox = [x for x in list_conflicts(sa) + list_conflicts(sb) if x.record_type == "lesson"]
    assert {x.field for x in inbox} == {"title"}
    for db in (a, b, c):
        db.close()


def test_erasing_a_person_takes_their_name_out_of_every_lesson_and_wipes_their_offers_everywhere(
        tmp_path: Path) -> None:
    a, b, c = three_hubs(tmp_path)
    nina = add_contact(a, given_name="Nina", family_name="Okafor", share_with_hubs=True)
    ola = add_contact(a, given_name="Ola", share_with_hubs=True)
    with a.write() as tx:
        lesson = create_lesson(tx, {"title": "Tool library", "share_with_hubs": True}, {nina: True, ola: False}).id
        offer = create_offer(tx, {"contact_id": nina, "text": "I can fix bikes", "locality": "Hulme"}).id
        need = create_need(tx, {"contact_id": nina, "text": "A van on Saturdays"}).id
    send(a, b, tmp_path)
    send(b, c, tmp_path)
    assert "Nina Okafor" in shown_people(c, lesson)

    with a.write() as tx:
        forget_contact(tx, nina)
    send(a, b, tmp_path)
    send(b, c, tmp_path)
    for db in (a, b, c):
        assert shown_people(db, lesson) == (["Ola"] if db is a else ["a member of Hulme"])
        with db.read() as session:
            gone_offer, gone_need = session.get(Offer, offer), session.get(Need, need)
            assert gone_offer is not None and gone_offer.deleted and gone_offer.text == ""
            assert gone_offer.locality == ""
            assert gone_need is not None and gone_need.deleted and gone_need.text == ""
            assert "Nina" not in dump_text(db) and "fix bikes" not in dump_text(db)
    assert dump_text(b) == dump_text(c)
    for db in (a, b, c):
        db.close()


def test_offers_and_needs_leave_only_with_the_persons_consent_and_merge_per_field(tmp_path: Path) -> None:
    a, b, c = three_hubs(tmp_path)
    shared = add_contact(a, given_name="Sam", share_with_hubs=True)
    private = add_contact(a, given_name="Kit", share_with_hubs=False)
    with a.write() as tx:
        offer = create_offer(tx, {"contact_id": shared, "text": "Carpentry", "themes": ["building"]}).id
        kept = create_offer(tx, {"contact_id": private, "text": "Sewing"}).id
        need = create_need(tx, {"contact_id": private, "text": "Childcare"}).id
    send(a, b, tmp_path)
    send(b, c, tmp_path)
    with c.read() as session:
        assert session.get(Offer, offer) is not None
        assert session.get(Offer, kept) is None and session.get(Need, need) is None
    with a.write() as tx:
        update_offer_or_need(tx, Offer, offer, {"text": "Carpentry and joinery"})
    with c.write() as tx:
        update_offer_or_need(tx, Offer, offer, {"text": "Carpentry (weekends)", "availability": "weekends"})
    for source, target in ((a, c), (c, a), (c, b), (a, b)):
        send(source, target, tmp_path)
    assert dump_text(a) == dump_text(b) == dump_text(c)
    with a.read() as session:
        record = session.get(Offer, offer)
        assert record is not None and record.availability == "weekends"
        assert any(x.record_type == "offer" and x.field == "text" for x in list_conflicts(session))
    for db in (a, b, c):
        db.close()


def test_hours_travel_as_monthly_totals_unless_the_hub_shares_the_detail(tmp_path: Path) -> None:
    a, b, c = three_hubs(tmp_path)
    sam = add_contact(a, given_name="Sam", share_with_hubs=True)
    kit = add_contact(a, given_name="Kit", share_with_hubs=True)
    with a.write() as tx:
        detail = add_hours(tx, {"contact_id": sam, "hours": 3, "date": "2026-05-02", "note": "Sam ran the stall"}).id
        add_hours(tx, {"contact_id": kit, "hours": 2.5, "date": "2026-05-09"})
        add_hours(tx, {"contact_id": kit, "hours": 4, "kind": "pledged", "date": "2026-06-01"})
    send(a, b, tmp_path)
    send(b, c, tmp_path)
    with c.read() as session:
        assert session.get(Hours, detail) is None
        totals = {(t.month, t.given, t.pledged, t.people) for t in hub_totals(session)}
    assert totals == {("2026-05", 5.5, 0.0, 2), ("2026-06", 0.0, 4.0, 0)}
    assert "Sam ran the stall" not in dump_text(c)

    # The option shares the detail; erasing the person then reaches it at every hub.
    with a.write() as tx:
        share_hours_detail(tx, True)
    send(a, b, tmp_path)
    send(b, c, tmp_path)
    with c.read() as session:
        arrived = session.get(Hours, detail)
        assert arrived is not None and arrived.note == "Sam ran the stall"
    with a.write() as tx:
        forget_contact(tx, sam)
    send(a, b, tmp_path)
    send(b, c, tmp_path)
    with c.read() as session:
        erased = session.get(Hours, detail)
        assert erased is not None and erased.deleted and erased.note == ""
        assert session.get(HoursTotal, next(iter(session.exec(select(HoursTotal.id)).all()))) is not None
    for db in (a, b, c):
        db.close()

"""The services' own rules: validation with one-line messages and nothing stored, the sign-in sheet's hours for
everyone ticked, monthly totals rewritten on every change, and lesson people as one record per pair."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from oursociety_desktop.models.errors import UserError  # noqa: E402
from oursociety_desktop.models.groups import create_group  # noqa: E402
from oursociety_desktop.models.hours import (  # noqa: E402
    add_hours,
    delete_hours,
    hours_totals,
    record_sign_in,
    total_id,
)
from oursociety_desktop.models.lessons import create_lesson, people_of, remove_person, set_person  # noqa: E402
from oursociety_desktop.models.tables import Hours, HoursTotal, LessonPerson  # noqa: E402
from tests.learning.learning_helpers import new_hub, person  # noqa: E402


def test_a_sign_in_sheet_records_hours_for_everyone_ticked_and_the_month_total(tmp_path: Path) -> None:
    db = new_hub(tmp_path, "Hulme")
    ann, ray, kit = person(db, "Ann"), person(db, "Ray"), person(db, "Kit")
    with db.write() as tx:
        garden = create_group(tx, {"name": "Garden"}).id
        made = record_sign_in(tx, [ann, ray, kit, ann], 2.5, group_id=garden, when="2026-04-18")
    assert len(made) == 3
    with db.read() as session:
        total = session.get(HoursTotal, total_id(db.hub_id, "2026-04"))
        assert total is not None and (total.given, total.people) == (7.5, 3)
        assert [(r.key, r.given) for r in hours_totals(session, "group")] == [("Garden", 7.5)]
    with db.write() as tx:
        delete_hours(tx, made[0].id)
    with db.read() as session:
        total = session.get(HoursTotal, total_id(db.hub_id, "2026-04"))
        assert total is not None and (total.given, total.people) == (5.0, 2)
    db.close()


@pytest.mark.parametrize("values, message", [
    ({"hours": 0}, "more than 0"),
    ({"hours": "a lot"}, "not a number"),
    ({"hours": 2, "kind": "promised"}, "Unknown kind"),
    ({"hours": 2, "date": "18/04/2026"}, "not a date"),
    ({"hours": 2, "contact_id": "nobody-at-all"}, "No contact"),
])
def test_bad_hours_are_refused_and_nothing_is_stored(tmp_path: Path, values: dict[str, object],
                                                     message: str) -> None:
    db = new_hub(tmp_path, "Hulme")
    ann = person(db, "Ann")
    with pytest.raises(UserError, match=message), db.write() as tx:
        add_hours(tx, {"contact_id": ann, **values})
    with pytest.raises(UserError, match="Tick at least one"), db.write() as tx:
        record_sign_in(tx, [], 2)
    with db.read() as session:
        assert session.exec(select(Hours)).all() == [] and session.exec(select(HoursTotal)).all() == []
    db.close()


def test_a_person_is_in_a_lesson_once_and_consent_can_change(tmp_path: Path) -> None:
    db = new_hub(tmp_path, "Hulme")
    ann = person(db, "Ann", "Lee")
    with db.write() as tx:
        lesson = create_lesson(tx, {"title": "Listen first"}, {ann: False}).id
        set_person(tx, lesson, ann, True)
    with db.read() as session:
        assert len(session.exec(select(LessonPerson)).all()) == 1
        assert [(p.shown, p.named) for p in people_of(session, lesson, db.hub_id)] == [("Ann Lee", True)]
    with db.write() as tx:
        remove_person(tx, lesson, ann)
    with db.read() as session:
        assert people_of(session, lesson, db.hub_id) == []
    with pytest.raises(UserError, match="needs a title"), db.write() as tx:
        create_lesson(tx, {"title": "  "})
    db.close()

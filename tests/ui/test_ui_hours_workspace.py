"""Hours from a sign-in sheet in one screen (real widgets, a real hub): choose the meeting, tick who came, the
hours filled in for all and changed for one, add someone from a blank row, record (one transaction, one undo
step); the totals follow. A refusal records nobody."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.actions import create_action, link_contact
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.tables import Hours
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.hours.models import COL_CAME, COL_HOURS, COL_NAME, TOTAL_GIVEN, TOTAL_KEY
from oursociety_desktop.ui.hours.workspace import HoursWorkspace

TODAY_MEETING = "Tuesday Lunch Club"


@pytest.fixture
def hub(db: Database) -> dict[str, str]:
    from datetime import date

    with db.write() as tx:
        ids = {key: create_contact(tx, {"given_name": given, "family_name": family}).id
               for key, given, family in (("ann", "Ann", "Lee"), ("bob", "Bob", "Marsh"), ("cy", "Cy", "Odo"),
                                          ("dee", "Dee", "Quinn"))}
        group = create_group(tx, {"name": "Lunch Club"})
        for key in ("ann", "bob"):
            add_member(tx, group.id, ids[key])
        meeting = create_action(tx, {"title": TODAY_MEETING, "kind": "meeting", "group_id": group.id,
                                     "starts_at": f"{date.today().isoformat()}T12:30"})
        link_contact(tx, meeting.id, ids["cy"], "attendee")
        ids["meeting"], ids["group"] = meeting.id, group.id
        ids["today"] = date.today().isoformat()
    return ids


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext, hub: dict[str, str]) -> Iterator[HoursWorkspace]:
    widget = HoursWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget


def sheet(ws: HoursWorkspace) -> list[tuple[str, bool, str]]:
    m = ws.sheet
    return [(m.data(m.index(r, COL_NAME)), m.data(m.index(r, COL_CAME), Qt.ItemDataRole.CheckStateRole)
             == Qt.CheckState.Checked, m.data(m.index(r, COL_HOURS))) for r in range(m.rowCount())]


def hours_rows(db: Database) -> list[tuple[str, float, str, str, str, bool]]:
    with db.read() as session:
        return sorted((h.contact_id, h.hours, h.action_id, h.group_id, h.date, h.deleted)
                      for h in session.exec(select(Hours)).all())


def test_a_sheet_is_recorded_in_one_screen_and_undone_in_one_step(
        qtbot: QtBot, ws: HoursWorkspace, ctx: AppContext, db: Database, hub: dict[str, str]) -> None:
    ws.meeting.setCurrentIndex(ws.meeting.findData(hub["meeting"]))  # listed among recent meetings
    # The meeting's attendee and its group's members, as on the printed sheet; its date filled in.
    assert sheet(ws) == [("Ann Lee", False, "2"), ("Bob Marsh", False, "2"), ("Cy Odo", False, "2")]
    assert ws.when.text() == hub["today"]
    ws.hours.setValue(2.5)
    qtbot.mouseClick(ws.fill_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ws.tick_all_button, Qt.MouseButton.LeftButton)
    ws.sheet.setData(ws.sheet.index(1, COL_CAME), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    ws.sheet.setData(ws.sheet.index(2, COL_HOURS), "3,5")  # stayed to wash up
    ws.add_person.set_contact(hub["dee"])  # wrote her name in a blank row
    assert sheet(ws) == [("Ann Lee", True, "2.5"), ("Bob Marsh", False, "2.5"), ("Cy Odo", True, "3.5"),
                         ("Dee Quinn", True, "2.5")]
    qtbot.mouseClick(ws.record_button, Qt.MouseButton.LeftButton)
    assert hours_rows(db) == sorted((hub[k], h, hub["meeting"], "", hub["today"], False)
                                    for k, h in (("ann", 2.5), ("cy", 3.5), ("dee", 2.5)))
    assert "Recorded 8.5 h for 3 people" in ws.sheet_label.text()
    assert [r for r, _c, _h in sheet(ws)] == ["Ann Lee", "Bob Marsh", "Cy Odo", "Dee Quinn"]
    assert not any(came for _r, came, _h in sheet(ws))
    totals = {ws.totals.data(ws.totals.index(r, TOTAL_KEY)): ws.totals.data(ws.totals.index(r, TOTAL_GIVEN))
              for r in range(ws.totals.rowCount())}
    assert totals == {"Ann Lee": "2.5", "Cy Odo": "3.5", "Dee Quinn": "2.5"}
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert all(deleted for *_rest, deleted in hours_rows(db))
    assert ws.sheet_label.text() == "4 people on the sheet"  # no longer "Recorded 8.5 h for 3 people."
    assert ws.totals.rowCount() == 0 or all(ws.totals.data(ws.totals.index(r, TOTAL_GIVEN)) == "0"
                                            for r in range(ws.totals.rowCount()))


def test_a_group_sheet_and_the_totals_by_group(qtbot: QtBot, ws: HoursWorkspace, db: Database,
                                               hub: dict[str, str]) -> None:
    ws.choose(group_id=hub["group"])
    assert [name for name, _c, _h in sheet(ws)] == ["Ann Lee", "Bob Marsh"]
    ws.when.setText("2026-03-14")
    qtbot.mouseClick(ws.tick_all_button, Qt.MouseButton.LeftButton)
    ws.record()
    assert hours_rows(db) == sorted((hub[k], 2.0, "", hub["group"], "2026-03-14", False) for k in ("ann", "bob"))
    ws.by.setCurrentIndex(ws.by.findData("group"))
    assert [(ws.totals.data(ws.totals.index(r, TOTAL_KEY)), ws.totals.data(ws.totals.index(r, TOTAL_GIVEN)))
            for r in range(ws.totals.rowCount())] == [("Lunch Club", "4")]


def test_nobody_ticked_or_a_bad_date_records_nobody(qtbot: QtBot, ws: HoursWorkspace, ctx: AppContext,
                                                    db: Database, hub: dict[str, str]) -> None:
    ws.choose(action_id=hub["meeting"])
    ws.record()
    assert "Tick at least one person" in ws.message.text()
    qtbot.mouseClick(ws.tick_all_button, Qt.MouseButton.LeftButton)
    ws.when.setText("the 31st of Smarch")
    ws.record()
    assert "is not a date" in ws.message.text()
    assert hours_rows(db) == [] and ctx.undo_stack.count() == 0
    assert all(came for _n, came, _h in sheet(ws))  # the ticks stay, to fix the date and try again


def test_the_sheet_counts_its_people_in_words(ws: HoursWorkspace, db: Database, hub: dict[str, str]) -> None:
    ws.choose(group_id=hub["group"])  # Ann and Bob
    assert ws.sheet_label.text() == "2 people on the sheet"
    with db.write() as tx:
        solo = create_group(tx, {"name": "Solo"})
        add_member(tx, solo.id, hub["dee"])
    ws.refresh()
    ws.choose(group_id=solo.id)
    assert ws.sheet_label.text() == "1 person on the sheet"


def test_a_total_without_a_group_is_named_in_the_window_s_language(ws: HoursWorkspace, db: Database,
                                                                     hub: dict[str, str]) -> None:
    # "(none)" and "(no theme)" were the core's English words, shown as they were in a Welsh window and its PDF.
    from PySide6.QtWidgets import QApplication

    from oursociety_desktop.models.hours import add_hours, hours_totals
    from oursociety_desktop.ui.translator import install_translators

    with db.write() as tx:
        add_hours(tx, {"contact_id": hub["ann"], "hours": 2, "date": "2026-03-14"})  # no meeting, no group
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translators(app, "cy")
    try:
        ws.by.setCurrentIndex(ws.by.findData("group"))
        assert ws.totals.data(ws.totals.index(0, TOTAL_KEY)) == "(dim)"
    finally:
        install_translators(app, "en")
    with db.read() as session:
        assert [row.key for row in hours_totals(session, "group")] == ["(none)"]  # --json keeps its key


def test_an_entry_is_deleted_and_a_pledge_recorded_each_undone(qtbot: QtBot, ws: HoursWorkspace, ctx: AppContext,
                                                                db: Database, hub: dict[str, str]) -> None:
    # A wrong number of hours stayed for good once its edit left the undo stack, and pledges could be recorded
    # only from the command line.
    from oursociety_desktop.models.hours import add_hours
    from oursociety_desktop.ui.hours.entries import COL_HOURS as ENTRY_HOURS
    from oursociety_desktop.ui.hours.entries import COL_KIND, COL_PERSON

    with db.write() as tx:
        wrong = add_hours(tx, {"contact_id": hub["ann"], "hours": 20, "date": "2026-03-14"}).id
    ws.refresh()
    ws.right_tabs.setCurrentWidget(ws.entries)
    panel = ws.entries
    model = panel.model

    def shown() -> list[tuple[str, str, str]]:
        return [(model.data(model.index(r, COL_PERSON)), model.data(model.index(r, ENTRY_HOURS)),
                 model.data(model.index(r, COL_KIND))) for r in range(model.rowCount())]

    assert shown() == [("Ann Lee", "20", "given")]
    assert not panel.delete_button.isEnabled()  # nothing selected
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert shown() == [] and ctx.undo_stack.undoText() == "Delete 20 h of Ann Lee"
    assert hours_rows(db) == [(hub["ann"], 20.0, "", "", "2026-03-14", True)]
    ctx.undo_stack.undo()
    assert shown() == [("Ann Lee", "20", "given")]
    qtbot.mouseClick(panel.pledge_button, Qt.MouseButton.LeftButton)  # nobody chosen yet
    assert panel.message.text() == "Choose who pledged the hours first."
    panel.pledger.set_contact(hub["bob"])
    panel.pledged_hours.setValue(3)
    qtbot.mouseClick(panel.pledge_button, Qt.MouseButton.LeftButton)
    assert shown()[0] == ("Bob Marsh", "3", "pledged") and not panel.message.isVisible()
    ws.right_tabs.setCurrentIndex(0)
    totals = {ws.totals.data(ws.totals.index(r, TOTAL_KEY)): ws.totals.data(ws.totals.index(r, 2))
              for r in range(ws.totals.rowCount())}
    assert totals == {"Ann Lee": "0", "Bob Marsh": "3"}
    ctx.undo_stack.undo()
    assert shown() == [("Ann Lee", "20", "given")]
    assert wrong in {r.id for r in panel.model.rows}


@pytest.mark.parametrize(("language", "shown"), [("pl", "1,5"), ("bn", "১.৫"), ("en_GB", "1.5")])
def test_hours_are_written_as_the_window_s_numbers(ws: HoursWorkspace, db: Database, hub: dict[str, str],
                                                  language: str, shown: str) -> None:
    """Counts were '১২ people' in Bengali beside hours written '1.5': hours now follow the locale as counts do."""
    from PySide6.QtCore import QLocale

    from oursociety_desktop.models.hours import add_hours

    with db.write() as tx:
        add_hours(tx, {"contact_id": hub["ann"], "hours": 1.5, "date": "2026-03-14", "group_id": hub["group"]})
    before = QLocale()
    QLocale.setDefault(QLocale(language))
    try:
        ws.refresh()
        ws.by.setCurrentIndex(ws.by.findData("group"))
        assert [ws.totals.data(ws.totals.index(r, TOTAL_GIVEN)) for r in range(ws.totals.rowCount())] == [shown]
    finally:
        QLocale.setDefault(before)

"""Meetings to calendars and email to a group (issue 17): an .ics read back with the icalendar library, the same
from `action export-ics`, the Actions button; a group email link with everyone in Bcc, do-not-email skipped and
counted."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from icalendar import Calendar
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from oursociety_desktop.cli import main
from oursociety_desktop.formats.ics import export_ics
from oursociety_desktop.formats.mailto import group_mail
from oursociety_desktop.models.actions import create_action
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.ui.actions.workspace import ActionsWorkspace
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.groups.workspace import GroupsWorkspace
from oursociety_desktop.ui.tasks import SyncTaskRunner


@pytest.fixture
def meetings(db: Database) -> dict[str, str]:
    with db.write() as tx:
        lunch = create_action(tx, {"title": "Tuesday Lunch Club", "kind": "meeting", "starts_at": "2026-12-01T12:30",
                                   "ends_at": "2026-12-01T14:00", "location": "Hall, Room 2"}).id
        agm = create_action(tx, {"title": "AGM", "kind": "meeting", "due": "2026-12-10"}).id
        undated = create_action(tx, {"title": "Think about funding"}).id
    return {"lunch": lunch, "agm": agm, "undated": undated}


def read_events(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_dated_actions_become_calendar_events(db: Database, meetings: dict[str, str], tmp_path: Path) -> None:
    result = export_ics(db, tmp_path / "hub.ics")
    assert (result.events, result.skipped_undated) == (2, 1)
    events = read_events(tmp_path / "hub.ics")
    lunch = events["Tuesday Lunch Club"]
    assert lunch["dtstart"].dt == datetime(2026, 12, 1, 12, 30)  # type: ignore[index]
    assert lunch["dtend"].dt == datetime(2026, 12, 1, 14, 0)  # type: ignore[index]
    assert str(lunch["location"]) == "Hall, Room 2"  # type: ignore[index]
    assert events["AGM"]["dtstart"].dt == date(2026, 12, 10)  # type: ignore[index]  # an all-day event
    with pytest.raises(UserError):
        export_ics(db, tmp_path / "none.ics", [meetings["undated"]])
    assert not (tmp_path / "none.ics").exists()


def test_cli_action_export_ics(db: Database, data_dir: Path, meetings: dict[str, str], tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "one.ics"
    assert main(["--data-dir", str(data_dir), "action", "export-ics", str(out), "--id", meetings["lunch"]]) == 0
    assert "Wrote 1 event" in capsys.readouterr().out
    assert list(read_events(out)) == ["Tuesday Lunch Club"]
    assert main(["--data-dir", str(data_dir), "action", "export-ics", str(tmp_path / "no" / "x.ics")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_actions_button_saves_the_selected_meeting(db: Database, meetings: dict[str, str], tmp_path: Path,
                                                   qtbot: QtBot) -> None:
    ws = ActionsWorkspace(AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents()))
    qtbot.addWidget(ws)
    ws.show()
    ws.open_record(meetings["lunch"])
    ws.ask_calendar_path = lambda _suggested: tmp_path / "lunch.ics"  # type: ignore[method-assign]
    ws.calendar_button.click()
    assert list(read_events(tmp_path / "lunch.ics")) == ["Tuesday Lunch Club"]
    assert "Saved 1 event to lunch.ics" in ws.message.text()


@pytest.fixture
def club(db: Database) -> str:
    with db.write() as tx:
        group = create_group(tx, {"name": "Garden"}).id
        people = [
            {"given_name": "Ana", "emails": [{"label": "home", "value": "ana@example.org"}]},
            {"given_name": "Bo", "emails": [{"label": "home", "value": "bo+garden@example.org"}]},
            {"given_name": "Cy", "emails": [{"label": "home", "value": "cy@example.org"}], "do_not_email": True},
            {"given_name": "Di"},
        ]
        for values in people:
            add_member(tx, group, create_contact(tx, values).id)
    return group


def test_group_mail_puts_everyone_in_bcc_and_skips_do_not_email(db: Database, club: str) -> None:
    with db.read() as session:
        mail = group_mail(session.connection(), club)
    assert mail.addresses == ["ana@example.org", "bo+garden@example.org"]
    assert (mail.skipped_do_not_email, mail.without_email) == (1, 1)
    link = urlparse(mail.link())
    assert link.scheme == "mailto" and link.path == ""
    assert unquote(parse_qs(link.query)["bcc"][0]).split(",") == mail.addresses


def test_email_the_group_button_says_how_many_were_skipped(db: Database, club: str, qtbot: QtBot) -> None:
    ws = GroupsWorkspace(AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents()))
    qtbot.addWidget(ws)
    ws.show()
    ws.refresh()
    opened: list[str] = []
    ws.open_mail_link = lambda link: opened.append(link) or True  # type: ignore[method-assign]
    ws.open_record(club)
    ws.email_button.click()
    assert len(opened) == 1 and "bcc=ana@example.org" in opened[0]
    text = ws.message.text()
    assert "2 addresses in Bcc" in text and "1 person who asked not to be emailed was left out" in text
    assert "1 member has no email address" in text

"""Meetings to calendars: actions with a date written as an iCalendar file (RFC 5545) that phones and calendar
apps import. The `icalendar` library writes the format (line folding, escaping, time values): a well-kept
implementation of a fiddly standard.

Times are written as the hub keeps them, as local wall-clock times without a zone ("floating" times), so a
meeting at 18:30 shows at 18:30 on the organiser's phone. An action with only a due date is an all-day event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event, vText
from sqlmodel import col, select

from oursociety_desktop import __version__
from oursociety_desktop.i18n import _
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Action
from oursociety_desktop.models.text import newlines_only, single_line

DEFAULT_LENGTH = timedelta(hours=1)  # a meeting with a start and no end


@dataclass(frozen=True)
class IcsResult:
    """What was written."""

    path: Path
    events: int
    skipped_undated: int


def _when(value: str) -> date | datetime:
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def action_event(action: Action, hub_name: str) -> Event | None:
    """The calendar event of one action, or None when it has no date."""
    start_text = action.starts_at or action.due
    if not start_text:
        return None
    event = Event()
    event.add("uid", f"{action.id}@oursociety")
    # Line breaks other than LF pass icalendar's escaping raw (a reader splitting at U+2028 would take the text
    # after one as a property of its own): one-line fields lose them, the notes keep them as escaped LFs.
    event.add("summary", single_line(action.title))
    start = _when(start_text)
    event.add("dtstart", start)
    if isinstance(start, datetime):
        end = _when(action.ends_at) if action.ends_at else start + DEFAULT_LENGTH
        event.add("dtend", end if isinstance(end, datetime) and end > start else start + DEFAULT_LENGTH)
    else:
        event.add("dtend", start + timedelta(days=1))  # an all-day event ends the next day (exclusive)
    if action.location:
        event.add("location", single_line(action.location))
    if action.notes:
        event.add("description", newlines_only(action.notes))
    event.add("categories", [action.kind])
    event.add("dtstamp", datetime.now().astimezone())
    return event


def export_ics(db: Database, out: Path, action_ids: Sequence[str] | None = None, *,
               include_done: bool = False) -> IcsResult:
    """Write the chosen actions (all live open ones when `action_ids` is None) with a date to one .ics file.

    Raises UserError when none of them has a date (no empty calendar is written), and NotFound for an id (or the
    start of one, as the command line takes it) that names no live action."""
    with db.read() as session:
        query = select(Action).where(col(Action.deleted).is_(False))
        if action_ids is not None:
            action_ids = [get_record(session, Action, action_id, live=True).id for action_id in action_ids]
            query = query.where(col(Action.id).in_(list(action_ids)))
        elif not include_done:
            query = query.where(col(Action.status).in_(("open", "doing")))
        actions = list(session.exec(query.order_by(Action.starts_at, Action.due, Action.title)).all())
    calendar = Calendar()
    calendar.add("prodid", f"-//Our Society//Our Society Desktop {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", vText(single_line(db.hub_name)))  # an X- name is TEXT too: escaped like the rest
    events = 0
    for action in actions:
        event = action_event(action, db.hub_name)
        if event is not None:
            calendar.add_component(event)
            events += 1
    if not events:
        raise UserError(_("None of the chosen actions has a date, so there is nothing to put in a calendar."))
    with atomic_write(Path(out)) as fh:
        fh.write(calendar.to_ical())
    return IcsResult(Path(out), events, len(actions) - events)

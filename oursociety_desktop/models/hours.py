"""Time given: hours pledged or given, per person, per action or group, per date, with a note.

The detail is personal data of the person and stays at this hub unless the hub switches `share_hours_detail` on
(models/registry.py). What travels by default is each hub's monthly totals (`hours_total`: hours given and
pledged and how many people gave, nobody named), rewritten here whenever an hour of this hub changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.database import Tx, get_setting, set_setting
from oursociety_desktop.models.errors import UserError, ValidationError
from oursociety_desktop.models.names import name_to_show_sql
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.tables import HOURS_KINDS, Action, Contact, Group, Hours, HoursTotal

MAX_HOURS = 1000.0
BY = ("person", "group", "theme", "month")
_TOTALS_NAMESPACE = uuid.UUID("5d6f8e0e-3c1b-4c57-9a55-1f5e7a2b9c01")


def _clean(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "deleted":
            out[name] = bool(value)
        elif name == "contact_id":
            out[name] = get_record(session, Contact, str(value), live=True).id
        elif name == "action_id":
            out[name] = get_record(session, Action, str(value), live=True).id if value else ""
        elif name == "group_id":
            out[name] = get_record(session, Group, str(value), live=True).id if value else ""
        elif name == "hours":
            try:
                hours = float(str(value).replace(",", "."))
            except ValueError:
                raise ValidationError("hours", _("'{value}' is not a number of hours.").format(value=value)) from None
            if not 0 < hours <= MAX_HOURS:
                raise ValidationError("hours", _("Hours must be more than 0 and at most {max_hours:g}.")
                                               .format(max_hours=MAX_HOURS))
            out[name] = round(hours, 2)
        elif name == "kind":
            if value not in HOURS_KINDS:
                raise ValidationError("kind", _("Unknown kind '{value}'; use one of {hours_kinds}.")
                                              .format(value=value, hours_kinds=', '.join(HOURS_KINDS)))
            out[name] = value
        elif name == "date":
            out[name] = parse_when("date", str(value))[:10]
        else:
            out[name] = str(value).strip()
    return out


def add_hours(tx: Tx, values: Mapping[str, Any]) -> Hours:
    """Record hours given (or pledged) by a person; the date defaults to today."""
    clean = _clean(tx.session, values)
    if not clean.get("contact_id"):
        raise ValidationError("contact_id", _("Say who gave the hours: a contact id is needed."))
    if "hours" not in clean:
        raise ValidationError("hours", _("Say how many hours."))
    if clean.get("action_id") and clean.get("group_id"):
        raise ValidationError("group_id", _("Hours are for an action or for a group, not both."))
    clean.setdefault("date", date.today().isoformat())
    record = create_record(tx, Hours, clean)
    refresh_month_total(tx, clean["date"][:7])
    return record


def record_sign_in(tx: Tx, contact_ids: Iterable[str], hours: float, *, action_id: str = "", group_id: str = "",
                   when: str = "") -> list[Hours]:
    """Hours for everyone ticked on a sign-in sheet, in one transaction (the same hours for all)."""
    return record_attendance(tx, {cid: hours for cid in contact_ids}, action_id=action_id, group_id=group_id,
                             when=when)


def record_attendance(tx: Tx, hours_by_person: Mapping[str, float | str], *, action_id: str = "",
                      group_id: str = "", when: str = "") -> list[Hours]:
    """Hours given by each person ticked on a sign-in sheet (each their own number), in one transaction: all
    are recorded or, if any is refused, none."""
    if not hours_by_person:
        raise UserError(_("Tick at least one person who came."))
    day = when or date.today().isoformat()
    return [add_hours(tx, {"contact_id": cid, "hours": hours, "action_id": action_id, "group_id": group_id,
                           "date": day}) for cid, hours in hours_by_person.items()]


@dataclass(frozen=True)
class SheetPerson:
    """Someone pre-printed on a meeting's or group's sign-in sheet."""

    contact_id: str
    name: str


def sign_in_people(session: Session, action_id: str = "", group_id: str = "") -> list[SheetPerson]:
    """The people a sign-in sheet lists for a meeting (everyone linked to it, and its group's members) or for a
    group (its members), A–Z: the same people the printed sheet has, whoever agreed to be printed."""
    ids: set[str] = set()
    conn = session.connection()
    if action_id:
        action = get_record(session, Action, action_id, live=True)
        ids.update(r[0] for r in conn.execute(text(
            "SELECT contact_id FROM action_link WHERE action_id = :a AND deleted = 0"), {"a": action.id}))
        group_id = group_id or action.group_id
    if group_id:
        ids.update(r[0] for r in conn.execute(text(
            "SELECT contact_id FROM membership WHERE group_id = :g AND deleted = 0"), {"g": group_id}))
    if not ids:
        return []
    rows = conn.execute(text(
        f"SELECT c.id, {name_to_show_sql('c')} FROM contact c WHERE c.deleted = 0 AND c.erased = 0 "  # noqa: S608
        f"AND c.id IN ({', '.join(f':p{i}' for i in range(len(ids)))})"),
        {f"p{i}": cid for i, cid in enumerate(sorted(ids))}).all()
    return sorted((SheetPerson(str(r[0]), str(r[1])) for r in rows), key=lambda p: (p.name.casefold(), p.contact_id))


def recent_meetings(session: Session, days: int = 60) -> list[tuple[str, str, str, str]]:
    """Meetings and events held in the last `days` days (or today), whatever their status: the ones hours are
    recorded for after the sign-in sheet comes back. (id, title, starts_at, due), latest first."""
    since = (date.today() - timedelta(days=days)).isoformat()
    until = (date.today() + timedelta(days=1)).isoformat()
    return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in session.connection().execute(text(
        "SELECT id, title, starts_at, due FROM action WHERE deleted = 0 AND kind IN ('meeting', 'event') "
        "AND COALESCE(NULLIF(starts_at, ''), due) >= :since AND COALESCE(NULLIF(starts_at, ''), due) < :until "
        "ORDER BY COALESCE(NULLIF(starts_at, ''), due) DESC, title LIMIT 500"), {"since": since, "until": until})]


def update_hours(tx: Tx, hours_id: str, changes: Mapping[str, Any]) -> Hours:
    """Change a record of hours."""
    record = get_record(tx.session, Hours, hours_id, live=True)
    before = record.date[:7]
    update_record(tx, record, _clean(tx.session, changes))
    for month in {before, record.date[:7]}:
        refresh_month_total(tx, month)
    return record


def delete_hours(tx: Tx, hours_id: str, deleted: bool = True) -> Hours:
    """Tombstone (or restore) a record of hours."""
    record = get_record(tx.session, Hours, hours_id)
    set_deleted(tx, record, deleted)
    refresh_month_total(tx, record.date[:7])
    return record


def share_hours_detail(tx: Tx, on: bool) -> None:
    """Switch on (or off) sending the detail of hours to other hubs. The setting keeps the stamp of the switch, so
    the next bundle for each peer carries the older detail too."""
    set_setting(tx.session, "share_hours_detail", tx.stamp() if on else False)


def hours_detail_shared(session: Session) -> bool:
    """Whether this hub sends the detail of hours, not only monthly totals."""
    return bool(get_setting(session, "share_hours_detail"))


def total_id(hub_id: str, month: str) -> str:
    """The one id of a hub's total for a month (the same at every hub)."""
    return str(uuid.uuid5(_TOTALS_NAMESPACE, f"{hub_id}:{month}"))


def refresh_month_total(tx: Tx, month: str) -> HoursTotal | None:
    """Rewrite this hub's total for a month from the hours recorded here."""
    if not month:
        return None
    tx.session.flush()
    given, pledged, people = tx.session.connection().execute(text(
        "SELECT COALESCE(SUM(CASE WHEN kind = 'given' THEN hours END), 0), "
        "COALESCE(SUM(CASE WHEN kind = 'pledged' THEN hours END), 0), "
        "COUNT(DISTINCT CASE WHEN kind = 'given' THEN contact_id END) FROM hours "
        "WHERE deleted = 0 AND origin_hub = :hub AND substr(date, 1, 7) = :month"),
        {"hub": tx.hub_id, "month": month}).one()
    values = {"hub_id": tx.hub_id, "month": month, "given": round(float(given), 2),
              "pledged": round(float(pledged), 2), "people": int(people)}
    rid = total_id(tx.hub_id, month)
    existing = tx.session.get(HoursTotal, rid)
    if existing is None:
        return create_record(tx, HoursTotal, values, record_id=rid)
    update_record(tx, existing, values)
    return existing


NO_KEY = N_("(none)")  # hours without a group, or a person without a name
NO_THEME = N_("(no theme)")


@dataclass(frozen=True)
class HoursTotalRow:
    """Hours given and pledged under one key (a person, a group, a theme or a month)."""

    key: str
    given: float
    pledged: float

    @property
    def shown_key(self) -> str:
        """The key as a person reads it: "(none)" and "(no theme)" in their language (the key itself stays the
        same in every language, for `--json`)."""
        return _(self.key) if self.key in (NO_KEY, NO_THEME) else self.key


_KEY_SQL = {
    "person": f"COALESCE({name_to_show_sql('c')}, '')",
    "month": "substr(h.date, 1, 7)",
    "group": "COALESCE(g.name, ga.name, '')",
}


def hours_totals(session: Session, by: str, year: str = "") -> list[HoursTotalRow]:
    """Totals of the hours recorded at this hub (detail rows), by person, group, theme or month.

    A record's group is its group, or its action's group. Its themes are those of the lessons that came from the
    same action or group (a record counts once under each theme; none: "(no theme)")."""
    if by not in BY:
        raise UserError(_("Totals are by {by}, not '{by2}'.").format(by=', '.join(BY), by2=by))
    year_clause = " AND substr(h.date, 1, 4) = :year" if year else ""
    joins = ("FROM hours h LEFT JOIN contact c ON c.id = h.contact_id LEFT JOIN contact_group g ON g.id = h.group_id "
             "LEFT JOIN action a ON a.id = h.action_id LEFT JOIN contact_group ga ON ga.id = a.group_id ")
    if by == "theme":
        key = ("COALESCE((SELECT group_concat(DISTINCT t.value) FROM lesson l, json_each(l.themes) t "
               "WHERE l.deleted = 0 AND ((h.action_id != '' AND l.action_id = h.action_id) OR "
               "(COALESCE(NULLIF(h.group_id, ''), a.group_id, '') != '' AND "
               "l.group_id = COALESCE(NULLIF(h.group_id, ''), a.group_id)))), '')")
    else:
        key = _KEY_SQL[by]
    rows = session.connection().execute(text(
        f"SELECT {key} AS k, SUM(CASE WHEN h.kind = 'given' THEN h.hours ELSE 0 END), "  # noqa: S608
        f"SUM(CASE WHEN h.kind = 'pledged' THEN h.hours ELSE 0 END) {joins}"
        f"WHERE h.deleted = 0{year_clause} GROUP BY k ORDER BY k"), {"year": year}).all()
    if by != "theme":
        return [HoursTotalRow(str(r[0]) or NO_KEY, round(float(r[1]), 2), round(float(r[2]), 2)) for r in rows]
    by_theme: dict[str, list[float]] = {}
    for keys, given, pledged in rows:
        for theme in (str(keys).split(",") if keys else [NO_THEME]):
            totals = by_theme.setdefault(theme, [0.0, 0.0])
            totals[0] += float(given)
            totals[1] += float(pledged)
    return [HoursTotalRow(k, round(v[0], 2), round(v[1], 2)) for k, v in sorted(by_theme.items())]


@dataclass(frozen=True)
class HoursEntry:
    """One record of hours, as a list shows it."""

    id: str
    date: str
    person: str
    hours: float
    kind: str
    what: str  # the meeting's title or the group's name, "" when neither


def recent_hours(session: Session, limit: int = 500) -> list[HoursEntry]:
    """The live hours records of this hub's people, newest first (the last `limit`)."""
    rows = session.connection().execute(text(
        f"SELECT h.id, h.date, COALESCE({name_to_show_sql('c')}, ''), h.hours, h.kind, "  # noqa: S608
        "COALESCE(a.title, g.name, '') FROM hours h LEFT JOIN contact c ON c.id = h.contact_id "
        "LEFT JOIN action a ON a.id = h.action_id AND h.action_id != '' "
        "LEFT JOIN contact_group g ON g.id = h.group_id AND h.group_id != '' "
        "WHERE h.deleted = 0 ORDER BY h.date DESC, h.rowid DESC LIMIT :limit"), {"limit": limit}).all()
    return [HoursEntry(str(r[0]), str(r[1]), str(r[2]), float(r[3]), str(r[4]), str(r[5])) for r in rows]


def hub_totals(session: Session, year: str = "") -> list[HoursTotal]:
    """The monthly totals of every hub this hub knows (its own and those that travelled), by hub then month."""
    rows = session.connection().execute(text(
        "SELECT id FROM hours_total WHERE deleted = 0 AND (:year = '' OR substr(month, 1, 4) = :year) "
        "ORDER BY hub_id, month"), {"year": year}).all()
    return [t for t in (session.get(HoursTotal, r[0]) for r in rows) if t is not None]

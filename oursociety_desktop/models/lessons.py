"""Lessons and stories: what a hub learned, for others starting out, and the people in them.

A lesson names people through `lesson_person` records, each with the person's consent to be named. At the hub
that recorded the link the person is shown by name; everywhere else only with that consent, and otherwise as
"a member of <hub>". The link is personal data of the person (models/registry.py), so it leaves the hub only with
their sharing consent and their erasure tombstones it at every hub: their name leaves every lesson.

Search covers every text field through a derived FTS5 index (`lesson_search`), whose rows remember the stamp of
the lesson they were made from; `refresh_lesson_index` brings rows up to date whatever changed the lesson (an
edit, the bundle merge, a conflict taken, an undo), so no other module has to know about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlmodel import Session, col, select

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.list_order import ListOrder, order_by
from oursociety_desktop.models.names import name_to_show
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.search import _split_cjk, build_match_query
from oursociety_desktop.models.tables import (
    LESSON_KINDS,
    Action,
    Contact,
    Group,
    Hub,
    Lesson,
    LessonPerson,
    PeerHub,
)
from oursociety_desktop.models.text import fold, single_line, without_controls
from oursociety_desktop.models.themes import clean_themes

TEXT_FIELDS = ("title", "challenge", "tried", "worked", "not_worked", "advice", "place")
MAX_TEXT = 20_000


def _clean(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("deleted", "share_with_hubs"):
            out[name] = bool(value)
        elif name == "themes":
            out[name] = clean_themes(value)
        elif name == "kind":
            if value not in LESSON_KINDS:
                raise ValidationError("kind", _("Unknown kind '{value}'; use one of {lesson_kinds}.")
                                              .format(value=value, lesson_kinds=', '.join(LESSON_KINDS)))
            out[name] = value
        elif name == "date":
            out[name] = parse_when("date", str(value))[:10]
        elif name == "group_id":
            out[name] = get_record(session, Group, str(value), live=True).id if value else ""
        elif name == "action_id":
            out[name] = get_record(session, Action, str(value), live=True).id if value else ""
        else:
            textual = (single_line(str(value)) if name in ("title", "place") else without_controls(str(value))).strip()
            if len(textual) > MAX_TEXT:
                raise ValidationError(name, ngettext("The {name} is longer than {max_text} character.",
                                                     "The {name} is longer than {max_text} characters.", MAX_TEXT)
                                      .format(name=name.replace('_', ' '), max_text=MAX_TEXT))
            out[name] = textual
    if "title" in out and not out["title"]:
        raise ValidationError("title", _("A lesson needs a title."))
    return out


def create_lesson(tx: Tx, values: Mapping[str, Any], people: Mapping[str, bool] | None = None,
                  record_id: str | None = None) -> Lesson:
    """Record a lesson; `people` maps contact ids (or prefixes) to their consent to be named."""
    clean = _clean(tx.session, values)
    if not clean.get("title"):
        raise ValidationError("title", _("A lesson needs a title."))
    lesson = create_record(tx, Lesson, clean, record_id=record_id)
    for contact_id, named in (people or {}).items():
        set_person(tx, lesson.id, contact_id, named)
    tx.session.flush()
    refresh_lesson_index(tx.session.connection())
    return lesson


def update_lesson(tx: Tx, lesson_id: str, changes: Mapping[str, Any]) -> Lesson:
    """Change fields of a lesson."""
    lesson = get_record(tx.session, Lesson, lesson_id, live=True)
    update_record(tx, lesson, _clean(tx.session, changes))
    tx.session.flush()
    refresh_lesson_index(tx.session.connection())
    return lesson


def delete_lesson(tx: Tx, lesson_id: str, deleted: bool = True) -> Lesson:
    """Tombstone (or restore) a lesson."""
    lesson = get_record(tx.session, Lesson, lesson_id)
    set_deleted(tx, lesson, deleted)
    return lesson


def set_person(tx: Tx, lesson_id: str, contact_id: str, named: bool) -> LessonPerson:
    """Name a person as involved in a lesson (or change their consent to be named): one record per pair."""
    lesson = get_record(tx.session, Lesson, lesson_id, live=True)
    contact = get_record(tx.session, Contact, contact_id, live=True)
    existing = tx.session.exec(select(LessonPerson).where(
        LessonPerson.lesson_id == lesson.id, LessonPerson.contact_id == contact.id)).first()
    if existing is not None:
        update_record(tx, existing, {"named": bool(named), "deleted": False})
        return existing
    hub = tx.session.get(Hub, tx.hub_id)
    return create_record(tx, LessonPerson, {"lesson_id": lesson.id, "contact_id": contact.id, "named": bool(named),
                                            "hub_name": hub.name if hub is not None else ""})


def remove_person(tx: Tx, lesson_id: str, contact_id: str) -> None:
    """Take a person out of a lesson (a tombstone; undo puts them back)."""
    lesson = get_record(tx.session, Lesson, lesson_id)
    for link in tx.session.exec(select(LessonPerson).where(
            LessonPerson.lesson_id == lesson.id, LessonPerson.contact_id == contact_id)).all():
        set_deleted(tx, link, True)


def hub_names(session: Session) -> dict[str, str]:
    """Names of this hub and of the peers it knows, by hub id."""
    names = {p.id: p.name for p in session.exec(select(PeerHub)).all() if p.name}
    names.update({h.id: h.name for h in session.exec(select(Hub)).all()})
    return names


def member_of(hub_name: str) -> str:
    """How a person who did not agree to be named is shown outside the hub that knows them."""
    return _("a member of {hub_name}").format(hub_name=hub_name) if hub_name else _("a member of another hub")


@dataclass(frozen=True)
class PersonShown:
    """A person involved in a lesson, as this hub may show them."""

    contact_id: str
    shown: str
    named: bool


def people_of(session: Session, lesson_id: str, this_hub: str) -> list[PersonShown]:
    """The live people of a lesson: by name at the hub that recorded them, elsewhere only with consent."""
    names = hub_names(session)
    out: list[PersonShown] = []
    links = session.exec(select(LessonPerson).where(
        LessonPerson.lesson_id == lesson_id, col(LessonPerson.deleted).is_(False))).all()
    for link in links:
        contact = session.get(Contact, link.contact_id)
        at_home = link.origin_hub == this_hub
        if contact is not None and not contact.erased and (at_home or link.named):
            shown = name_to_show(contact.display_name, contact.given_name, contact.family_name,
                                 contact.organisation, contact.erased)
        else:
            shown = member_of(link.hub_name or names.get(link.origin_hub, ""))
        out.append(PersonShown(link.contact_id, shown, link.named))
    return sorted(out, key=lambda p: fold(p.shown))


def lesson_json(session: Session, lesson: Lesson, this_hub: str) -> dict[str, Any]:
    """A lesson as JSON for `lesson show` and `lesson list --json`, people shown as this hub may show them."""
    names = hub_names(session)
    data: dict[str, Any] = {"id": lesson.id, "hub": names.get(lesson.origin_hub, lesson.origin_hub)}
    data.update({name: getattr(lesson, name) for name in Lesson.SYNC_FIELDS})
    data["people"] = [p.shown for p in people_of(session, lesson.id, this_hub)]
    return data


# ---- search and the list ----


def lesson_search_body(values: Mapping[str, Any]) -> str:
    """The folded text a lesson is found by: every text field and its themes and kind."""
    parts = [str(values.get(name) or "") for name in (*TEXT_FIELDS, "kind")]
    parts.extend(str(t) for t in values.get("themes") or [])
    return _split_cjk(fold(" ".join(p for p in parts if p)))


def refresh_lesson_index(conn: Connection) -> int:
    """Rebuild the search rows of lessons changed since their row was made (in a write transaction). Returns how
    many rows were rewritten."""
    import json

    stale = conn.execute(text(
        "SELECT l.id, l.stamp, l.title, l.kind, l.challenge, l.tried, l.worked, l.not_worked, l.advice, l.place, "
        "l.themes FROM lesson l LEFT JOIN lesson_search s ON s.lesson_id = l.id "
        "WHERE s.lesson_id IS NULL OR s.stamp != l.stamp")).all()
    rows = []
    for lid, stamp, title, kind, challenge, tried, worked, not_worked, advice, place, themes in stale:
        values = {"title": title, "kind": kind, "challenge": challenge, "tried": tried, "worked": worked,
                  "not_worked": not_worked, "advice": advice, "place": place,
                  "themes": json.loads(themes) if isinstance(themes, str) else themes}
        rows.append({"lid": lid, "stamp": stamp, "body": lesson_search_body(values)})
    if rows:
        conn.execute(text(
            "INSERT INTO lesson_search (lesson_id, stamp, body) VALUES (:lid, :stamp, :body) "
            "ON CONFLICT(lesson_id) DO UPDATE SET stamp = excluded.stamp, body = excluded.body"), rows)
    return len(rows)


def lesson_index_is_stale(conn: Connection) -> bool:
    """Whether some lesson changed since its search row was made."""
    return conn.execute(text(
        "SELECT 1 FROM lesson l LEFT JOIN lesson_search s ON s.lesson_id = l.id "
        "WHERE s.lesson_id IS NULL OR s.stamp != l.stamp LIMIT 1")).first() is not None


@dataclass(frozen=True)
class LessonFilter:
    """What the Learning list shows: words searched, a theme, a hub, a kind, a year (each optional)."""

    search: str = ""
    theme: str = ""
    hub: str = ""
    kind: str = ""
    year: str = ""


@dataclass(frozen=True)
class LessonRow:
    """One live lesson in a list."""

    id: str
    title: str
    kind: str
    themes: tuple[str, ...]
    date: str
    place: str
    hub_id: str


def _where(flt: LessonFilter) -> tuple[str, dict[str, Any]] | None:
    clauses = ["l.deleted = 0"]
    params: dict[str, Any] = {}
    if flt.search.strip():
        query = build_match_query(flt.search)
        if query is None:
            return None
        clauses.append("l.id IN (SELECT s.lesson_id FROM lesson_fts JOIN lesson_search s "
                       "ON s.rowid = lesson_fts.rowid WHERE lesson_fts MATCH :q)")
        params["q"] = query
    if flt.theme.strip():
        clauses.append("EXISTS (SELECT 1 FROM json_each(l.themes) t WHERE t.value = :theme)")
        params["theme"] = " ".join(flt.theme.split()).lower()
    if flt.hub:
        clauses.append("l.origin_hub = :hub")
        params["hub"] = flt.hub
    if flt.kind:
        clauses.append("l.kind = :kind")
        params["kind"] = flt.kind
    if flt.year:
        clauses.append("substr(l.date, 1, 4) = :year")
        params["year"] = flt.year
    return " AND ".join(clauses), params


LESSON_SORT_KEYS = {"date": "l.date", "kind": "l.kind", "title": "l.title", "place": "l.place"}


def list_lessons(session: Session, flt: LessonFilter, limit: int = 500, offset: int = 0,
                 order: ListOrder | None = None) -> list[LessonRow]:
    """Live lessons matching the filter, newest date first, or in the chosen `order` (a key of LESSON_SORT_KEYS;
    ValueError for another). The search index must be fresh: `refresh_lesson_index` in a write transaction
    first."""
    import json

    where = _where(flt)
    if where is None:
        return []
    clause, params = where
    rows = session.connection().execute(text(
        f"SELECT l.id, l.title, l.kind, l.themes, l.date, l.place, l.origin_hub FROM lesson l WHERE {clause} "  # noqa: S608
        f"ORDER BY {order_by(order, LESSON_SORT_KEYS, 'l.date DESC, l.title, l.id')} LIMIT :limit OFFSET :offset"),
        {**params, "limit": limit, "offset": offset})
    return [LessonRow(r[0], r[1], r[2], tuple(json.loads(r[3]) if isinstance(r[3], str) else r[3]), r[4], r[5], r[6])
            for r in rows]


def lesson_themes(session: Session) -> list[str]:
    """Every theme of a live lesson, sorted."""
    rows = session.connection().execute(text(
        "SELECT DISTINCT t.value FROM lesson l, json_each(l.themes) t WHERE l.deleted = 0 ORDER BY t.value"))
    return [str(r[0]) for r in rows]


def lesson_years(session: Session) -> list[str]:
    """Years of live lessons, newest first."""
    rows = session.connection().execute(text(
        "SELECT DISTINCT substr(date, 1, 4) FROM lesson WHERE deleted = 0 AND date != '' ORDER BY 1 DESC"))
    return [str(r[0]) for r in rows]


def lesson_hubs(session: Session) -> list[tuple[str, str]]:
    """(hub id, hub name) of hubs that lessons came from."""
    names = hub_names(session)
    rows = session.connection().execute(text("SELECT DISTINCT origin_hub FROM lesson WHERE deleted = 0"))
    return sorted(((str(r[0]), names.get(str(r[0]), str(r[0])[:8])) for r in rows), key=lambda h: fold(h[1]))


def lessons_of_other_hubs(session: Session, theme: str, this_hub: str, limit: int = 50) -> list[LessonRow]:
    """"What other hubs learned about <theme>": live lessons of that theme recorded at other hubs."""
    return [row for row in list_lessons(session, LessonFilter(theme=theme), limit=limit * 4)
            if row.hub_id != this_hub][:limit]

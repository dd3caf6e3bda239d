"""Look-ups beside the contact list, for the window, the command line and pickers: a field of chosen contacts, the
tags and groups to filter by, and people to pick by name."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Connection, bindparam, text

from oursociety_desktop.models.names import name_to_show_sql
from oursociety_desktop.models.search import search_contact_ids
from oursociety_desktop.models.tables import Contact


def field_values(conn: Connection, ids: list[str], field: str) -> list[tuple[str, Any]]:
    """(id, value of the synchronised field `field`) of the live contacts among `ids`, in chunks under SQLite's
    variable limit; JSON fields (tags, phones) decoded. Raises ValueError for a field contacts do not have."""
    if field not in Contact.SYNC_FIELDS:
        raise ValueError(f"contacts have no field {field!r}")
    out: list[tuple[str, Any]] = []
    query = text(f"SELECT id, {field} FROM contact WHERE deleted = 0 AND id IN :ids").bindparams(  # noqa: S608
        bindparam("ids", expanding=True))
    json_field = isinstance(Contact.__table__.c[field].type, JSON)  # type: ignore[attr-defined]
    for start in range(0, len(ids), 5000):
        for cid, value in conn.execute(query, {"ids": ids[start:start + 5000]}):
            out.append((cid, json.loads(value) if json_field and isinstance(value, str) else value))
    return out


def all_tags(conn: Connection) -> list[str]:
    """Every tag used by a live contact, sorted."""
    rows = conn.execute(text("SELECT DISTINCT t.value FROM contact c, json_each(c.tags) t WHERE c.deleted = 0 "
                             "ORDER BY t.value COLLATE NOCASE"))
    return [str(r[0]) for r in rows if r[0]]


def all_groups(conn: Connection) -> list[tuple[str, str]]:
    """(id, name) of every live group, by name."""
    rows = conn.execute(text("SELECT id, name FROM contact_group WHERE deleted = 0 ORDER BY name COLLATE NOCASE"))
    return [(str(r[0]), str(r[1])) for r in rows]


# A picked person is shown with where they are from, so two people of one name can be told apart.
_PICK_DETAIL = ("trim(c.organisation || CASE WHEN c.organisation != '' AND c.locality != '' THEN ', ' ELSE '' END "
                "|| c.locality)")


def contacts_to_pick(conn: Connection, typed: str, limit: int, exclude: frozenset[str] = frozenset()
                     ) -> list[tuple[str, str, str]]:
    """Up to `limit` live contacts for a picker, as (id, shown name, "organisation, place"): the best search
    matches for `typed` (the FTS index), or everyone A-Z when nothing is typed; ids in `exclude` left out."""
    fetch = limit + len(exclude)
    if typed.strip():
        ids = search_contact_ids(conn, typed, limit=fetch)
        found = conn.execute(
            text(f"SELECT c.id, {name_to_show_sql('c')}, {_PICK_DETAIL} FROM contact c WHERE c.id IN :ids")
            .bindparams(bindparam("ids", expanding=True)), {"ids": ids or [""]},
        ).all()
        by_id = {r[0]: (str(r[0]), str(r[1]), str(r[2])) for r in found}
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        rows = [(str(r[0]), str(r[1]), str(r[2])) for r in conn.execute(
            text(f"SELECT c.id, {name_to_show_sql('c')}, {_PICK_DETAIL} FROM contact c WHERE c.deleted = 0 "
                 "ORDER BY c.sort_key, c.id LIMIT :n"), {"n": fetch})]
    return [r for r in rows if r[0] not in exclude][:limit]

"""The one rule for a contact's shown name, in Python and in SQL side by side (they must agree; a test proves it
on every combination of display name, given, family, organisation and erased).

The rule: the display name if set, else given and family name in the order the name's culture writes them
(`text.personal_name`: "Łukasz Wójcik", but "王小明"), else the organisation (a contact may be an organisation
only, such as a food bank), else "(erased)" for an erased record, "(withdrawn by <hub>)" for a person whose
consent another hub withdrew (this hub keeps only their id: models/withdrawal.py), or "(no name)".

The SQL form calls this same function, registered on every connection as `shown_name(...)`
(`register_sql_functions`), because the order of a name depends on its script, which SQL cannot tell.
"""

from __future__ import annotations

import sqlite3

from oursociety_desktop.i18n import _
from oursociety_desktop.models.clock import register_stamp_functions
from oursociety_desktop.models.text import personal_name

ERASED_PLACEHOLDER = "(erased)"
NO_NAME_PLACEHOLDER = "(no name)"


def name_to_show(display: str, given: str, family: str, organisation: str, erased: bool = False,
                 withdrawn_by: str = "") -> str:
    """The name people see for a contact, in lists, PDFs and messages (`withdrawn_by`: the name of the hub that
    withdrew the person's consent, when this hub withholds them)."""
    named = name_of(display, given, family, organisation)
    if named:
        return named
    if withdrawn_by and not erased:
        return _("(withdrawn by {hub})").format(hub=withdrawn_by)
    return ERASED_PLACEHOLDER if erased else NO_NAME_PLACEHOLDER


def name_of(display: str, given: str, family: str, organisation: str) -> str:
    """The name the rule gives from the contact's own fields, "" when it has none (where a placeholder would not
    do: a vCard's FN, a file name)."""
    return display or personal_name(given, family) or organisation


def _shown_name_sql(display: str | None, given: str | None, family: str | None, organisation: str | None,
                    erased: int | None, withdrawn_by: str | None = "") -> str:
    return name_to_show(display or "", given or "", family or "", organisation or "", bool(erased), withdrawn_by or "")


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """Make `shown_name(display, given, family, organisation, erased)` callable in SQL on this connection, with
    the clock's `stamp_hub(stamp)` that `withdrawn_by_name_sql` needs."""
    register_stamp_functions(conn)
    conn.create_function("shown_name", 5, _shown_name_sql, deterministic=True)
    conn.create_function("shown_name", 6, _shown_name_sql, deterministic=True)


def name_to_show_sql(alias: str) -> str:
    """An SQL expression computing `name_to_show` for the contact row aliased `alias` (needs the function that
    `register_sql_functions` adds, which every connection of `Database` has)."""
    a = alias
    return (f"shown_name({a}.display_name, {a}.given_name, {a}.family_name, {a}.organisation, {a}.erased, "
            f"{withdrawn_by_name_sql(a)})")


def withdrawn_by_name_sql(alias: str) -> str:
    """An SQL expression naming the hub that withdrew the contact row `alias` when this hub withholds it ("" else;
    models/withdrawal.py): the peer's name, this hub's own, or the start of the hub id."""
    a = alias
    hub = f"stamp_hub(json_extract({a}.stamps, '$.share_with_hubs'))"
    return (f"(CASE WHEN {a}.share_with_hubs = 0 AND {a}.erased = 0 AND {a}.origin_hub <> (SELECT id FROM hub) "
            f"THEN COALESCE((SELECT NULLIF(p.name, '') FROM peer_hub p WHERE p.id = {hub}), "
            f"(SELECT h.name FROM hub h WHERE h.id = {hub}), substr({hub}, 1, 8), '') ELSE '' END)")

"""The one rule for a contact's shown name, in Python and in SQL side by side (they must agree; a test proves it
on every combination of display name, given, family, organisation and erased).

The rule: the display name if set, else given and family name joined by a space, else the organisation (a contact
may be an organisation only, such as a food bank), else "(erased)" for an erased record or "(no name)".
"""

from __future__ import annotations

ERASED_PLACEHOLDER = "(erased)"
NO_NAME_PLACEHOLDER = "(no name)"


def name_to_show(display: str, given: str, family: str, organisation: str, erased: bool = False) -> str:
    """The name people see for a contact, in lists, PDFs and messages."""
    if display:
        return display
    joined = " ".join(p for p in (given, family) if p)
    if joined:
        return joined
    if organisation:
        return organisation
    return ERASED_PLACEHOLDER if erased else NO_NAME_PLACEHOLDER


def name_to_show_sql(alias: str) -> str:
    """An SQL expression computing `name_to_show` for the contact row aliased `alias` (SQLite).

    Given and family names are joined with one space only when both are set, as in Python (no trim, so a name
    with its own leading or trailing spaces shows the same in both)."""
    a = alias
    return (
        f"CASE WHEN {a}.display_name != '' THEN {a}.display_name "
        f"WHEN {a}.given_name != '' AND {a}.family_name != '' THEN {a}.given_name || ' ' || {a}.family_name "
        f"WHEN {a}.given_name != '' THEN {a}.given_name "
        f"WHEN {a}.family_name != '' THEN {a}.family_name "
        f"WHEN {a}.organisation != '' THEN {a}.organisation "
        f"WHEN {a}.erased THEN '{ERASED_PLACEHOLDER}' ELSE '{NO_NAME_PLACEHOLDER}' END"
    )

"""Checking an import before anything is written: every row's values validated and tidied the way the core
would store them (emails it cannot use set aside with a warning, phones read in the hub's region), and the
existing contact each row duplicates found. `people_import.apply_import` then writes the checked rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from oursociety_desktop.formats.import_rows import ImportRow
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.bulk import cyclic_gc_paused
from oursociety_desktop.models.contacts import normalise_values, validate_email
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import MatchIndex
from oursociety_desktop.models.errors import Cancelled, UserError, ValidationError
from oursociety_desktop.models.phones import normalise_phone
from oursociety_desktop.models.progress import Progress

NAME_FIELDS = ("given_name", "family_name", "display_name", "organisation")


def _has_name(values: Mapping[str, Any]) -> bool:
    return any(str(values.get(n) or "").strip() for n in NAME_FIELDS)


_ANGLE_ADDRESS = re.compile(r"<\s*(?:mailto:)?([^<>\s]+@[^<>\s]+)\s*>")
UNNAMED = "Unnamed contact"


def _set_aside_bad_emails(row: ImportRow) -> None:
    """An address that is not an email costs only that value: kept in the notes, with a warning."""
    emails = row.values.get("emails")
    if not isinstance(emails, list):
        return
    good: list[Any] = []
    kept: list[str] = []
    for item in emails:
        value = str(item.get("value", "") if isinstance(item, Mapping) else item).strip()
        label = str(item.get("label", "") if isinstance(item, Mapping) else "").strip()
        if not value:
            continue
        inner = _ANGLE_ADDRESS.search(value)
        if inner and inner.group(1) != value:  # '"Omega" <omega@example.com>': the address is the part in <>
            try:
                validate_email(inner.group(1))
                good.append({"label": label, "value": inner.group(1)})
                row.warn("emails", _("'{value}' was read as '{inner}'").format(value=value, inner=inner.group(1)))
                continue
            except ValidationError:
                pass
        try:
            validate_email(value)
        except ValidationError:
            kept.append(f"Email{f' ({label})' if label else ''}: {value}")
            row.warn("emails", _("'{value}' is not a valid email address; kept in notes").format(value=value))
            continue
        good.append(item)
    if kept:
        notes = str(row.values.get("notes") or "")
        row.values["notes"] = "\n".join([notes, *kept]) if notes else "\n".join(kept)
    if good:
        row.values["emails"] = good
    else:
        row.values.pop("emails", None)


def check_row(row: ImportRow, region: str) -> None:
    """Validate and tidy the row's values (problems are added to the row, never raised)."""
    if row.kind == "group":
        return
    _set_aside_bad_emails(row)
    try:
        row.values = normalise_values(row.values)
    except ValidationError as exc:
        row.add_problem(exc.message.rstrip("."))
        return
    if not row.values and not row.problems:
        # A card holding only a picture (or nothing at all) has no one to import: said, never a reason to refuse.
        row.kind = "empty"
        row.warn("", _("nothing to import (no name, organisation, email, phone or address)"))
        return
    if not _has_name(row.values):
        address = ", ".join(str(row.values.get(k) or "") for k in ("street", "locality", "postcode")
                            if row.values.get(k))
        fallback = next((e["value"] for e in row.values.get("emails", [])), "") or \
            next((p["value"] for p in row.values.get("phones", [])), "") or address.replace("\n", ", ")[:200]
        if fallback:
            row.values["display_name"] = fallback
            row.warn("display_name", _("no name; shown by its email, phone or address"))
        elif row.values:
            # Something worth keeping (notes, tags) but nothing to call the person by: imported, and said.
            row.values["display_name"] = UNNAMED
            row.warn("display_name", _("no name, email, phone or address; imported as '{unnamed}'")
                                     .format(unnamed=UNNAMED))
        elif not row.problems:
            row.add_problem(_("no name, organisation, email or phone"))
    e164s = []
    for phone in row.values.get("phones", []):
        normalised = normalise_phone(phone["value"], region)
        if normalised.e164:
            e164s.append(normalised.e164)
        if normalised.warning and not any(w.field == "phones" and phone["value"] in w.message
                                          for w in row.warnings):
            row.warn("phones", normalised.warning)
    row.e164s = e164s or ()


def plan_import(db: Database, rows: list[ImportRow], progress: Progress | None = None) -> list[ImportRow]:
    """Check every row and find the existing contact it duplicates (for the preview). Changes nothing."""
    with cyclic_gc_paused():
        return _plan(db, rows, progress)


def _plan(db: Database, rows: list[ImportRow], progress: Progress | None) -> list[ImportRow]:
    region = str(db.setting("default_region"))
    with db.read() as session:
        index = MatchIndex.load(session.connection())
    for i, row in enumerate(rows):
        if not row.problems:
            check_row(row, region)
        if row.ok and row.kind == "person":
            match = index.find(row.values, row.e164s)
            row.match_id, row.match_name = match if match else ("", "")
        if row.ok:
            row.source = ""  # only rows with problems are ever written back: 100,000 cards' text need not stay
        if progress is not None and i % 1000 == 0 and progress(min(99, i * 100 // max(1, len(rows))),
                                                                _("Checking rows")) is False:
            raise Cancelled(_("The import was cancelled; nothing was changed."))
    if progress is not None and progress(99, _("Checking rows")) is False:
        raise Cancelled(_("The import was cancelled; nothing was changed."))
    return rows


def refuse_bad_rows(rows: Iterable[ImportRow]) -> None:
    """Raise a one-line UserError naming the first bad row (and how many there are)."""
    bad = [r for r in rows if not r.ok]
    if bad:
        if len(bad) == 1:
            raise UserError(_("{bad}. Nothing was imported; fix the file or choose to skip bad rows.")
                            .format(bad=bad[0].problem_line()))
        raise UserError(ngettext("{bad} (and {more} more bad row). Nothing was imported; fix the file or choose "
                                 "to skip bad rows.", "{bad} (and {more} more bad rows). Nothing was imported; fix "
                                 "the file or choose to skip bad rows.", len(bad) - 1)
                        .format(bad=bad[0].problem_line(), more=len(bad) - 1))

"""Contacts out as CSV that is safe to open in a spreadsheet (formula-like cells escaped, see `csv_io`), with
the headers `csv_mapping` recognises, so an export reads back as it was."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text

from oursociety_desktop.formats.csv_cells import escape_cell
from oursociety_desktop.formats.csv_io import LIST_SEPARATOR
from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.tables import Contact, Group, Membership
from oursociety_desktop.models.withdrawal import withheld_here

# ---------- export ----------

# The file keeps these English headers (another program reads them); the export dialog shows them translated.
EXPORT_HEADERS: dict[str, str] = {
    "given_name": N_("Given Name"), "family_name": N_("Family Name"), "display_name": N_("Display Name"),
    "organisation": N_("Organisation"), "role": N_("Role"), "street": N_("Street"), "locality": N_("Town"),
    "region": N_("Region"), "postcode": N_("Postcode"), "country": N_("Country"), "languages": N_("Languages"),
    "tags": N_("Tags"), "notes": N_("Notes"), "private_notes": N_("Private Notes"),
    "share_with_hubs": N_("Share With Hubs"), "include_in_directory": N_("Include In Directory"),
    "do_not_phone": N_("Do Not Phone"), "do_not_email": N_("Do Not Email"), "do_not_mail": N_("Do Not Mail"),
    "do_not_sms": N_("Do Not SMS"), "engagement_stage": N_("Engagement Stage"),
    "consent_recorded_at": N_("Consent Recorded At"), "consent_method": N_("Consent Method"), "groups": N_("Groups"),
}
DEFAULT_EXPORT_FIELDS = ("given_name", "family_name", "display_name", "organisation", "role", "phones", "emails",
                         "street", "locality", "region", "postcode", "country", "languages", "tags", "notes",
                         "groups")
EXPORTABLE_FIELDS = (*DEFAULT_EXPORT_FIELDS, "private_notes", "share_with_hubs", "include_in_directory",
                     "do_not_phone", "do_not_email", "do_not_mail", "do_not_sms", "engagement_stage",
                     "consent_recorded_at", "consent_method")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def contacts_to_csv(contacts: Sequence[Mapping[str, Any]], fields: Sequence[str] = DEFAULT_EXPORT_FIELDS) -> str:
    """Contacts (dicts of Contact fields) as CSV text with one header row; formula-like cells escaped."""
    unknown = [f for f in fields if f not in EXPORTABLE_FIELDS]
    if unknown:
        raise UserError(_("Cannot export the field '{unknown}'; fields are: {exportable_fields}.")
                        .format(unknown=unknown[0], exportable_fields=', '.join(EXPORTABLE_FIELDS)))
    counts = {f: max((len(c.get(f) or []) for c in contacts), default=0) for f in ("phones", "emails")}
    header: list[str] = []
    for f in fields:
        if f in ("phones", "emails"):
            word = "Phone" if f == "phones" else "E-mail"
            for n in range(1, max(1, counts[f]) + 1):
                header.extend([f"{word} {n} - Label", f"{word} {n} - Value"])
        else:
            header.append(EXPORT_HEADERS[f])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for contact in contacts:
        cells: list[str] = []
        for f in fields:
            if f in ("phones", "emails"):
                items = list(contact.get(f) or [])
                for n in range(max(1, counts[f])):
                    item = items[n] if n < len(items) else {"label": "", "value": ""}
                    cells.extend([escape_cell(str(item.get("label", ""))), escape_cell(str(item.get("value", "")))])
            else:
                cells.append(escape_cell(_cell(contact.get(f, ""))))
        writer.writerow(cells)
    return buffer.getvalue()


def live_contacts(conn: Connection, contact_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Live contacts as dicts of their fields (with id, and `groups`: the names of their live groups), sorted
    like the contact list."""
    table = Contact.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.deleted.is_(False)).order_by(table.c.sort_key, table.c.id)
    groups = group_names_by_contact(conn)
    if contact_ids is not None:
        wanted = set(contact_ids)
        rows = [dict(r._mapping) for r in conn.execute(query) if r._mapping["id"] in wanted]
    else:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    this_hub = str(conn.execute(text("SELECT id FROM hub")).scalar() or "")
    rows = [row for row in rows if not withheld_here(row, this_hub)]  # withdrawn by their hub: nothing to export
    for row in rows:
        row["groups"] = groups.get(row["id"], [])
    return rows


def group_names_by_contact(conn: Connection) -> dict[str, list[str]]:
    """The names of each contact's live groups (live memberships only), sorted."""
    groups = Group.__table__  # type: ignore[attr-defined]
    members = Membership.__table__  # type: ignore[attr-defined]
    query = (select(members.c.contact_id, groups.c.name)
             .join(groups, groups.c.id == members.c.group_id)
             .where(members.c.deleted.is_(False), groups.c.deleted.is_(False)))
    out: dict[str, list[str]] = {}
    for contact_id, name in conn.execute(query):
        out.setdefault(contact_id, []).append(name)
    return {k: sorted(set(v)) for k, v in out.items()}


def export_csv(conn: Connection, out: Path, fields: Sequence[str] = DEFAULT_EXPORT_FIELDS,
               contact_ids: Sequence[str] | None = None, progress: Progress | None = None) -> int:
    """Write live contacts to a CSV file (UTF-8 with BOM, so spreadsheets read accents); returns how many."""
    if progress is not None and progress(0, _("Reading contacts")) is False:
        raise Cancelled(_("The export was cancelled; nothing was written."))
    contacts = live_contacts(conn, contact_ids)
    text = contacts_to_csv(contacts, fields)
    if progress is not None and progress(80, _("Writing the file")) is False:
        raise Cancelled(_("The export was cancelled; nothing was written."))
    with atomic_write(Path(out)) as fh:
        fh.write(text.encode("utf-8-sig"))
    return len(contacts)

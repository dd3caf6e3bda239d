"""CSV columns to contact fields: the suggested mapping (by header, for each tool's preset), what becomes of each
column, and each row turned into an `ImportRow` of contact values. The organiser's saved mappings and the command
line's overrides are in formats/csv_saved_mappings.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from oursociety_desktop.formats.csv_cells import unescape_cell
from oursociety_desktop.formats.csv_io import CsvTable
from oursociety_desktop.formats.csv_presets import (
    COMMON,
    PRESET_CHOICES,
    PRESETS,
    TARGETS,
    compact_key,
    detect_preset,
    header_key,
    lookup,
    numbered_target,
)
from oursociety_desktop.formats.csv_write import EXPORT_HEADERS
from oursociety_desktop.formats.import_rows import ImportRow, RowWarning
from oursociety_desktop.formats.labels import canonical_label
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.bulk import cyclic_gc_paused
from oursociety_desktop.models.contacts import BOOL_FIELDS, MAX_TEXT
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress


@dataclass(frozen=True)
class ColumnMap:
    """Where one column goes: a target (see csv_presets.TARGETS), a fixed label for phones and emails, and the
    index of the column holding each row's label (Google's "Phone 1 - Label"), if any."""

    field: str = "ignore"
    label: str = ""
    label_column: int | None = None


Mapping_ = dict[int, ColumnMap]


# ---------- mapping ----------


def suggest_mapping(headers: Sequence[str], preset: str = "auto") -> Mapping_:
    """A column mapping suggested from the headers (and the preset, or the detected one for "auto"). A column no
    field takes goes to the notes as "Header: value"; only bookkeeping columns a preset names are left out."""
    if preset not in PRESET_CHOICES:
        raise UserError(_("Unknown preset '{preset}'; use one of {preset_choices}.")
                        .format(preset=preset, preset_choices=', '.join(PRESET_CHOICES)))
    chosen = detect_preset(list(headers)) if preset == "auto" else preset
    table = PRESETS.get(chosen, {})
    keys = [header_key(h) for h in headers]
    position = {k: i for i, k in enumerate(keys)}
    own = {header_key(h): (f, "") for f, h in EXPORT_HEADERS.items()}
    mapping: Mapping_ = {}
    for i, key in enumerate(keys):
        numbered = numbered_target(key)
        if numbered is not None:
            field_name, label, label_header = numbered
            label_col = position.get(label_header)
            if label_col is None and label_header:
                label_col = position.get(label_header.replace(" - label", " - type"))
            mapping[i] = ColumnMap(field_name, label, label_col)
            continue
        target = lookup(table, key) or lookup(own, key) or lookup(COMMON, key)
        if target is not None:
            mapping[i] = ColumnMap(*target)
        elif key.replace(" ", "_") in TARGETS and key.replace(" ", "_") not in ("ignore", "note"):
            mapping[i] = ColumnMap(key.replace(" ", "_"))
        else:
            mapping[i] = ColumnMap("note")
    _qualified_names(keys, mapping)
    # CiviCRM-style "Phone Type" columns give the label of the single phone column.
    label_cols = [i for i, m in mapping.items() if m.field == "phone_label"]
    phone_cols = [i for i, m in mapping.items() if m.field == "phone" and m.label_column is None]
    if len(label_cols) == 1 and len(phone_cols) == 1:
        old = mapping[phone_cols[0]]
        mapping[phone_cols[0]] = ColumnMap(old.field, old.label, label_cols[0])
    return mapping


# How a header qualified by whose name it is ("Player First Name", "Main Contact LastName") ends.
_NAME_ENDINGS = {"given_name": ("firstname", "givenname", "forename"),
                 "family_name": ("lastname", "surname", "familyname")}
_NAME_FIELDS = ("given_name", "family_name", "display_name", "organisation")


def _qualified_names(keys: Sequence[str], mapping: Mapping_) -> None:
    """When no column is a name, the first column whose header ends in a name ("Player First Name") is the
    person's name; other such columns (a parent's, a manager's) stay in the notes."""
    if any(m.field in _NAME_FIELDS for m in mapping.values()):
        return
    for field_name, endings in _NAME_ENDINGS.items():
        for i, key in enumerate(keys):
            if mapping[i].field == "note" and compact_key(key).endswith(endings):
                mapping[i] = ColumnMap(field_name)
                break


def column_fates(table: CsvTable, mapping: Mapping_) -> list[tuple[str, str]]:
    """For the preview: each column that no contact field takes, and what happens to it ("kept in notes",
    "not imported", or "label of another column")."""
    label_columns = {m.label_column for m in mapping.values() if m.label_column is not None}
    out: list[tuple[str, str]] = []
    for i, header in enumerate(table.headers):
        m = mapping.get(i, ColumnMap())
        if m.field == "note":
            out.append((header, "kept in notes"))
        elif i in label_columns or m.field.endswith("_label"):
            continue
        elif m.field == "ignore" and _has_values(table, i):
            out.append((header, "not imported"))
    return out


def _has_values(table: CsvTable, column: int) -> bool:
    return any(column < len(cells) and cells[column].strip() for _, cells in table.rows)


def file_warnings(table: CsvTable, mapping: Mapping_) -> list[RowWarning]:
    """What the whole file loses or skips, named: lines before the header row, and columns holding values that
    are not imported."""
    out: list[RowWarning] = []
    if table.skipped:
        lines = ", ".join(str(n) for n in table.skipped)
        out.append(RowWarning("", ngettext("line {lines} before the header row was skipped",
                                           "lines {lines} before the header row were skipped",
                                           len(table.skipped)).format(lines=lines)))
    label_columns = {m.label_column for m in mapping.values() if m.label_column is not None}
    for i, header in enumerate(table.headers):
        m = mapping.get(i, ColumnMap())
        if m.field == "ignore" and i not in label_columns and _has_values(table, i):
            out.append(RowWarning(header, _("column not imported")))
    return out


# ---------- rows to contacts ----------


_TRUE = {"1", "yes", "y", "true", "t", "x", "on", "ja", "oui", "si", "tak"}
_FALSE = {"0", "no", "n", "false", "f", "", "off", "nein", "non", "nie"}


def _split_list(value: str) -> list[str]:
    """A cell holding several values, in the forms real tools write: `A ::: B` (Google), `"A","B"` (Mailchimp's
    tags), `A; B` or `A, B`."""
    text = value.strip()
    if ":::" in text:
        parts = text.split(":::")
    elif _QUOTED_LIST.match(text):
        parts = _QUOTED_ITEM.findall(text)  # the whole cell matched the list's shape: one item per quoted run
    else:
        parts = re.split(r"[;,]", text)
    # Google's system labels ("* myContacts", "* starred") are not tags.
    return [p.strip() for p in parts if p.strip() and not p.strip().startswith("* ")]


_QUOTED_LIST = re.compile(r'^"[^"]+"(\s*[,;]\s*"[^"]+")*$')
_QUOTED_ITEM = re.compile(r'"([^"]+)"')
# Dates a spreadsheet or mail client writes for "no date": 0/0/00, 00/00/0000, 0000-00-00, 1/1/1601 (Outlook).
_EMPTY_DATE = re.compile(r"^(0{1,4}[/.-]0{1,2}[/.-]0{1,4}|0{4}-0{2}-0{2}([ T]0{2}:0{2}(:0{2})?)?|1/1/1601)$")
# A number a spreadsheet turned into scientific notation: 4.47701E+11.
_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE]\+?\d+$")
_SEVERAL_EMAILS = re.compile(r"[;,\s]+")


def _cell_text(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _clean_cell(raw: str) -> str:
    """A cell as read for import: the export's formula escaping undone, line breaks as "\n"."""
    if raw[:1] == "'":
        raw = unescape_cell(raw)
    return _cell_text(raw) if "\r" in raw else raw


# What each used column of a mapping does: (index, header, field, fixed label, index of its label column).
_Plan = tuple[tuple[int, str, str, str, int | None], ...]


def _plan(headers: Sequence[str], mapping: Mapping_) -> _Plan:
    """The columns a mapping takes, in order (ignored columns and label columns are read through others)."""
    out = []
    for i, header in enumerate(headers):
        m = mapping.get(i, ColumnMap())
        if m.field != "ignore" and not m.field.endswith("_label"):
            out.append((i, header, m.field, m.label, m.label_column))
    return tuple(out)


@lru_cache(maxsize=4096)
def _list_cell(value: str) -> tuple[str, ...]:
    """`_split_list`, remembered: the same tags, languages and groups recur on row after row."""
    return tuple(_split_list(value))


_YES_NO = _TRUE | _FALSE
_NOTE_FIELDS = frozenset(("notes", "private_notes"))


def row_to_import(number: int, line: int, cells: list[str], headers: Sequence[str], mapping: Mapping_,
                  flag_columns: frozenset[int] = frozenset()) -> ImportRow:
    """One CSV row into an ImportRow (values of Contact fields) with its problems and warnings.
    `flag_columns`: note columns holding only yes/no values, whose "no" (`Deceased: 0`) says nothing."""
    return _row_to_import(number, line, cells, headers, _plan(headers, mapping), flag_columns)


def _row_to_import(number: int, line: int, cells: list[str], headers: Sequence[str], plan: _Plan,
                   flag_columns: frozenset[int]) -> ImportRow:
    row = ImportRow(number=number, where=f"row {number} (line {line})", source=cells)  # the table's own list
    width = len(headers)
    if len(cells) != width and not (len(cells) > width and not any(c.strip() for c in cells[width:])):
        row.add_problem(ngettext("it has {count} cell but the header has {count2} (ragged row)",
                                 "it has {count} cells but the header has {count2} (ragged row)", len(cells))
                        .format(count=len(cells), count2=width))
        return row
    cells = [_clean_cell(c) if c[:1] == "'" or "\r" in c else c for c in cells[:width]]
    values: dict[str, Any] = {}
    given_parts: dict[str, list[str]] = {"given_name": [], "middle_name": []}
    honorifics: dict[str, list[str]] = {"prefix": [], "suffix": []}
    street2: list[str] = []
    note_lines: list[str] = []
    phones: list[dict[str, str]] = []
    emails: list[dict[str, str]] = []
    for i, header, field_name, fixed_label, label_column in plan:
        raw = cells[i]
        if not raw:
            continue
        if len(raw) > MAX_TEXT:
            row.add_problem(ngettext("the cell in column '{header}' is {count:,} character long, over the "
                                     "{max_text:,}-character limit",
                                     "the cell in column '{header}' is {count:,} characters long, over the "
                                     "{max_text:,}-character limit", len(raw))
                            .format(header=header, count=len(raw), max_text=MAX_TEXT))
            continue
        # Notes keep their own spacing (indented lists, line breaks); a cell of spaces alone is still empty.
        if field_name in _NOTE_FIELDS:
            value = raw
            if not value.strip():
                continue
        else:
            value = raw.strip()
            if not value:
                continue
        label = fixed_label
        if label_column is not None and label_column < len(cells):
            label = cells[label_column].strip() or label
        if field_name in ("phone", "email"):
            target = phones if field_name == "phone" else emails
            label = canonical_label(label)
            parts = [p.strip() for p in value.split(":::")]
            if field_name == "email" and len(parts) == 1 and value.count("@") > 1:
                parts = [p for p in _SEVERAL_EMAILS.split(value) if p]
            for part in parts:
                if not part:
                    continue
                if field_name == "phone" and _SCIENTIFIC.match(part):
                    row.warn("phones", _("'{part}' does not look like a phone number: a spreadsheet turned it into "
                                       "scientific notation and may have lost digits; kept as typed, please check it")
                                       .format(part=part))
                target.append({"label": label, "value": part})
        elif field_name in ("given_name", "middle_name"):
            given_parts[field_name].append(value)
        elif field_name in ("prefix", "suffix"):
            honorifics[field_name].append(value)
        elif field_name == "street2":
            street2.append(value)
        elif field_name == "note":
            if _EMPTY_DATE.match(value):
                continue  # 0/0/00: no date at all
            if i in flag_columns and value.casefold() in _FALSE:
                continue  # "Deceased: 0" says nothing
            if label_column is not None:  # "Custom Field 1 - Label" = Ward, "... - Value" = North
                kind = fixed_label or "Value"
                label = label.lstrip("*").strip()
                if kind in ("Website", "Chat"):
                    note_lines.append(f"{kind}{f' ({label})' if label else ''}: {value}")
                else:
                    note_lines.append(f"{label or kind}: {value}")
            else:
                note_lines.append(f"{header}: {value}")
        elif field_name in ("tags", "languages", "groups"):
            values.setdefault(field_name, []).extend(_list_cell(value))
        elif field_name in BOOL_FIELDS:
            lowered = value.casefold()
            if lowered not in _YES_NO:
                row.add_problem(_("'{value}' in column '{header}' is not yes or no")
                                    .format(value=value, header=header))
                continue
            values[field_name] = lowered in _TRUE
        elif field_name in _NOTE_FIELDS:
            values[field_name] = f"{values[field_name]}\n\n{value}" if values.get(field_name) else value
        elif field_name in values and values[field_name] != value:
            values[field_name] = f"{values[field_name]}, {value}"
        else:
            values[field_name] = value
    given = " ".join(given_parts["given_name"] + given_parts["middle_name"])
    if given:
        values["given_name"] = given
    joined = " ".join(p for p in (values.get("given_name", ""), values.get("family_name", "")) if p)
    if values.get("display_name") == joined:
        del values["display_name"]  # the same as the name it would be derived from: not a display name of its own
    prefix, suffix = " ".join(honorifics["prefix"]), " ".join(honorifics["suffix"])
    if prefix or suffix:
        # Honorifics live in the display name ("Dr. Test Person Jr."); given and family names stay as they are.
        display = values.get("display_name") or joined or values.get("organisation", "")
        if prefix and not display.startswith(prefix):
            display = f"{prefix} {display}".strip()
        if suffix and not display.endswith(suffix):
            display = f"{display} {suffix}".strip()
        values["display_name"] = display
    if street2:
        values["street"] = ", ".join([values["street"], *street2] if values.get("street") else street2)
    if phones:
        values["phones"] = phones
    if emails:
        values["emails"] = emails
    if note_lines:
        joined = "\n".join(note_lines)
        values["notes"] = f"{values['notes']}\n\n{joined}" if values.get("notes") else joined
    row.groups = [g for g in dict.fromkeys(values.pop("groups", ())) if g] or ()
    row.values = values
    return row


def _flag_columns(table: CsvTable, mapping: Mapping_) -> frozenset[int]:
    """Note columns whose every value is a yes/no word (CiviCRM's `Deceased`, `Is Opt Out`)."""
    out = set()
    for i, m in mapping.items():
        if m.field != "note" or m.label_column is not None:
            continue
        seen = {cells[i].strip().casefold() for _, cells in table.rows if i < len(cells) and cells[i].strip()}
        if seen and seen <= (_TRUE | _FALSE) - {"x", "t", "y", "n", "f"} | {"0", "1"}:
            out.add(i)
    return frozenset(out)


def table_to_rows(table: CsvTable, mapping: Mapping_, progress: Progress | None = None) -> list[ImportRow]:
    """Every data row of the table as an ImportRow (`progress` is told every few thousand rows; answering False
    cancels)."""
    flags = _flag_columns(table, mapping)
    plan = _plan(table.headers, mapping)
    rows = []
    with cyclic_gc_paused():
        for n, (line, cells) in enumerate(table.rows, start=1):
            rows.append(_row_to_import(n, line, cells, table.headers, plan, flags))
            if progress is not None and n % 2000 == 0 and \
                    progress(min(99, n * 100 // len(table.rows)), _("Reading contacts")) is False:
                raise Cancelled(_("The import was cancelled; nothing was changed."))
        if progress is not None and rows and progress(99, _("Reading contacts")) is False:  # then one collection
            raise Cancelled(_("The import was cancelled; nothing was changed."))
    return rows

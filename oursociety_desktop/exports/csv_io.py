"""CSV in and out: encoding and delimiter detection, column mapping, rows to contacts, and an
export that is safe to open in a spreadsheet.

Reading: UTF-8 with or without BOM, UTF-16 (BOM or NUL pattern) and Windows-1252 are detected; the delimiter is
the one of `, ; TAB |` that splits the first rows most consistently. Files over `MAX_FILE_BYTES` are refused
before they are read; a cell over the contact field limit or a row with the wrong number of cells is a problem
of that row.

Export: cells starting with `= + - @`, TAB or CR (after any leading apostrophes) get one more leading apostrophe
so a spreadsheet does not run them as formulas; this importer removes exactly that apostrophe, so every value
reads back as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import Session

from oursociety_desktop.exports.charsets import check_encoding_option
from oursociety_desktop.exports.csv_presets import (
    COMMON,
    PRESET_CHOICES,
    PRESETS,
    TARGETS,
    detect_preset,
    header_key,
    lookup,
    numbered_target,
)
from oursociety_desktop.exports.labels import canonical_label
from oursociety_desktop.exports.people_import import ImportRow, RowWarning
from oursociety_desktop.exports.text_files import decode_text_file, detect_encoding, read_limited
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.contacts import BOOL_FIELDS, MAX_TEXT
from oursociety_desktop.models.database import get_setting, set_setting
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.tables import Contact, Group, Membership

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The largest CSV file read (100 MB); bigger files are refused before reading."""
DELIMITERS = (",", ";", "\t", "|")
MAPPINGS_SETTING = "csv_mappings"
LIST_SEPARATOR = " ::: "
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_UNESCAPE = re.compile(r"^'+[=+\-@\t\r]")



@dataclass
class CsvTable:
    """A CSV file read into memory: headers (made unique), rows as (line number, cells), and how it was read."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    source: str
    skipped: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnMap:
    """Where one column goes: a target (see csv_presets.TARGETS), a fixed label for phones and emails, and the
    index of the column holding each row's label (Google's "Phone 1 - Label"), if any."""

    field: str = "ignore"
    label: str = ""
    label_column: int | None = None


Mapping_ = dict[int, ColumnMap]


# ---------- reading ----------


def read_csv_file(path: Path, encoding: str = "", delimiter: str = "") -> CsvTable:
    """Read a CSV file (size-checked first) into a CsvTable."""
    data = read_limited(path, MAX_FILE_BYTES, "CSV")
    return parse_csv(data, Path(path).name, encoding, delimiter)


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most rows of one width (comma when unsure); any line
    ending (CRLF, LF, CR alone) and a preamble of a line or two before the header do not confuse it."""
    sample = text[:65536]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [len(r) for _, r in
                    zip(range(30), csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), strict=False)]
        except csv.Error:
            continue
        if len(rows) > 1 and len(sample) == 65536:
            rows = rows[:-1]  # the last sampled row may be cut short
        widths = Counter(n for n in rows if n > 1)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for header in headers:
        name = header.replace("\ufeff", "").strip() or f"Column {len(out) + 1}"
        count = seen.get(name.casefold(), 0)
        seen[name.casefold()] = count + 1
        out.append(name if not count else f"{name} ({count + 1})")
    return out


_SEP_HINT = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)


def _known_headers(cells: Sequence[str]) -> int:
    """How many cells read like column headers a preset or the common table knows."""
    hits = 0
    for cell in cells:
        if not cell.strip() or len(cell) > 80:
            continue
        if numbered_target(cell) is not None or lookup(COMMON, cell) is not None or \
                any(lookup(table, cell) is not None for table in PRESETS.values()):
            hits += 1
    return hits


def _header_index(rows: list[tuple[int, list[str]]]) -> int:
    """The header row: the first row of two or more cells (a preamble of notes is one cell wide: LinkedIn's
    "Notes:" block); but when that row names no known column and a wider row just below does (a preamble line
    with a comma in it), that one."""
    def width(cells: list[str]) -> int:
        return sum(1 for c in cells if c.strip())

    first = next((i for i, (_, cells) in enumerate(rows[:30]) if width(cells) >= 2), 0)
    if _known_headers(rows[first][1]):
        return first
    for i in range(first + 1, min(len(rows), first + 10)):
        cells = rows[i][1]
        if width(cells) > width(rows[first][1]) and _known_headers(cells) >= 2:
            return i
    return first


def parse_csv(data: bytes, source: str = "the file", encoding: str = "", delimiter: str = "") -> CsvTable:
    """Decode and split a CSV file. Raises UserError for binary junk, unknown encodings, or no header row.
    A spreadsheet's `sep=;` first line sets the delimiter; lines before the header row (a preamble) are skipped
    and named in `CsvTable.skipped`."""
    chosen = check_encoding_option(encoding)
    text = decode_text_file(data, source, "CSV", chosen)
    if not chosen:
        chosen = detect_encoding(data, source, "CSV")
    if text.startswith("\ufeff"):
        text = text[1:]
    first, newline, rest = text.partition("\n") if "\n" in text else text.partition("\r")
    hint = _SEP_HINT.match(first.rstrip("\r"))
    skipped_hint = 0
    if hint:
        delimiter = delimiter or hint.group(1)
        text = rest
        skipped_hint = 1
    delimiter = delimiter or detect_delimiter(text)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for cells in reader:
            rows.append((line + skipped_hint, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UserError(f"{source} line {reader.line_num + skipped_hint}: {exc} (is a closing quote missing?); "
                        "nothing was imported.") from None
    finally:
        csv.field_size_limit(old_limit)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise UserError(f"{source} is empty: it has no header row.")
    start = _header_index(rows)
    skipped = [n for n, _ in rows[:start]]
    rows = rows[start:]
    header_line, headers = rows[0]
    if len(headers) < 2 and len(rows) > 1 and len(headers[0]) > 200:
        raise UserError(f"{source} does not look like a CSV file (no columns found on line {header_line}).")
    return CsvTable(_unique_headers(headers), rows[1:], chosen, delimiter, source, skipped)


# ---------- mapping ----------


def suggest_mapping(headers: Sequence[str], preset: str = "auto") -> Mapping_:
    """A column mapping suggested from the headers (and the preset, or the detected one for "auto"). A column no
    field takes goes to the notes as "Header: value"; only bookkeeping columns a preset names are left out."""
    if preset not in PRESET_CHOICES:
        raise UserError(f"Unknown preset '{preset}'; use one of {', '.join(PRESET_CHOICES)}.")
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
    # CiviCRM-style "Phone Type" columns give the label of the single phone column.
    label_cols = [i for i, m in mapping.items() if m.field == "phone_label"]
    phone_cols = [i for i, m in mapping.items() if m.field == "phone" and m.label_column is None]
    if len(label_cols) == 1 and len(phone_cols) == 1:
        old = mapping[phone_cols[0]]
        mapping[phone_cols[0]] = ColumnMap(old.field, old.label, label_cols[0])
    return mapping


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
        out.append(RowWarning("", f"lines {lines} before the header row were skipped" if len(table.skipped) > 1
                              else f"line {lines} before the header row was skipped"))
    label_columns = {m.label_column for m in mapping.values() if m.label_column is not None}
    for i, header in enumerate(table.headers):
        m = mapping.get(i, ColumnMap())
        if m.field == "ignore" and i not in label_columns and _has_values(table, i):
            out.append(RowWarning(header, "column not imported"))
    return out


def _signature(headers: Sequence[str]) -> str:
    return "\x1f".join(header_key(h) for h in headers)


def mapping_to_json(headers: Sequence[str], mapping: Mapping_) -> dict[str, Any]:
    """A mapping as JSON keyed by header (so it survives reordered columns)."""
    return {headers[i]: {"field": m.field, "label": m.label,
                         "label_column": headers[m.label_column] if m.label_column is not None else ""}
            for i, m in mapping.items() if i < len(headers)}


def mapping_from_json(headers: Sequence[str], data: Mapping[str, Any]) -> Mapping_:
    """The inverse of `mapping_to_json` for a file with these headers (unknown columns are ignored)."""
    position = {h: i for i, h in enumerate(headers)}
    mapping: Mapping_ = {}
    for i, header in enumerate(headers):
        entry = data.get(header)
        if not isinstance(entry, Mapping) or entry.get("field") not in TARGETS:
            mapping[i] = ColumnMap("ignore")
            continue
        mapping[i] = ColumnMap(str(entry["field"]), str(entry.get("label", "")),
                               position.get(str(entry.get("label_column", ""))))
    return mapping


def saved_mapping(session: Session, headers: Sequence[str]) -> Mapping_ | None:
    """The mapping the user saved for files with exactly these headers, if any."""
    saved = get_setting(session, MAPPINGS_SETTING) or {}
    entry = saved.get(_signature(headers)) if isinstance(saved, dict) else None
    return mapping_from_json(headers, entry) if isinstance(entry, dict) else None


def save_mapping(session: Session, headers: Sequence[str], mapping: Mapping_) -> None:
    """Remember a mapping (a hub setting) for the next file with the same headers (inside a write transaction)."""
    saved = dict(get_setting(session, MAPPINGS_SETTING) or {})
    saved[_signature(headers)] = mapping_to_json(headers, mapping)
    set_setting(session, MAPPINGS_SETTING, json.loads(json.dumps(saved)))


def parse_mapping_overrides(headers: Sequence[str], mapping: Mapping_, assignments: Iterable[str]) -> Mapping_:
    """Apply `HEADER=FIELD[:label]` overrides (the CLI's --map) to a mapping."""
    out = dict(mapping)
    keys = {header_key(h): i for i, h in enumerate(headers)}
    for text in assignments:
        header, sep, target = text.rpartition("=")
        if not sep or header_key(header) not in keys:
            raise UserError(f"--map '{text}': no column called '{header}' in the file.")
        field, _, label = target.partition(":")
        if field.strip() not in TARGETS:
            raise UserError(f"--map '{text}': unknown field '{field}'; fields are: {', '.join(TARGETS)}.")
        out[keys[header_key(header)]] = ColumnMap(field.strip(), label.strip())
    return out


# ---------- rows to contacts ----------


def unescape_cell(value: str) -> str:
    """Undo the export's formula escaping: one leading apostrophe before `= + - @`, TAB or CR."""
    return value[1:] if _UNESCAPE.match(value) else value


def escape_cell(value: str) -> str:
    """Guard a cell against spreadsheet formula injection (reversible with `unescape_cell`)."""
    return "'" + value if _FORMULA.match(value) else value


_TRUE = {"1", "yes", "y", "true", "t", "x", "on", "ja", "oui", "si", "tak"}
_FALSE = {"0", "no", "n", "false", "f", "", "off", "nein", "non", "nie"}


def _split_list(value: str) -> list[str]:
    """A cell holding several values, in the forms real tools write: `A ::: B` (Google), `"A","B"` (Mailchimp's
    tags), `A; B` or `A, B`."""
    text = value.strip()
    if ":::" in text:
        parts = text.split(":::")
    elif _QUOTED_LIST.match(text):
        parts = [p.strip().strip('"') for p in next(csv.reader([text], skipinitialspace=True))]
    else:
        parts = re.split(r"[;,]", text)
    # Google's system labels ("* myContacts", "* starred") are not tags.
    return [p.strip() for p in parts if p.strip() and not p.strip().startswith("* ")]


_QUOTED_LIST = re.compile(r'^"[^"]+"(\s*[,;]\s*"[^"]+")*$')
# Dates a spreadsheet or mail client writes for "no date": 0/0/00, 00/00/0000, 0000-00-00, 1/1/1601 (Outlook).
_EMPTY_DATE = re.compile(r"^(0{1,4}[/.-]0{1,2}[/.-]0{1,4}|0{4}-0{2}-0{2}([ T]0{2}:0{2}(:0{2})?)?|1/1/1601)$")
# A number a spreadsheet turned into scientific notation: 4.47701E+11.
_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE]\+?\d+$")
_SEVERAL_EMAILS = re.compile(r"[;,\s]+")


def _cell_text(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def row_to_import(number: int, line: int, cells: list[str], headers: Sequence[str], mapping: Mapping_,
                  flag_columns: frozenset[int] = frozenset()) -> ImportRow:
    """One CSV row into an ImportRow (values of Contact fields) with its problems and warnings.
    `flag_columns`: note columns holding only yes/no values, whose "no" (`Deceased: 0`) says nothing."""
    row = ImportRow(number=number, where=f"row {number} (line {line})", source=list(cells))
    if len(cells) != len(headers) and not (len(cells) > len(headers) and not any(c.strip() for c in
                                                                                  cells[len(headers):])):
        row.problems.append(f"it has {len(cells)} cells but the header has {len(headers)} (ragged row)")
        return row
    cells = [_cell_text(unescape_cell(c)) for c in cells[:len(headers)]] + [""] * max(0, len(headers) - len(cells))
    values: dict[str, Any] = {}
    given_parts: dict[str, list[str]] = {"given_name": [], "middle_name": []}
    honorifics: dict[str, list[str]] = {"prefix": [], "suffix": []}
    street2: list[str] = []
    note_lines: list[str] = []
    phones: list[dict[str, str]] = []
    emails: list[dict[str, str]] = []
    for i, header in enumerate(headers):
        m = mapping.get(i, ColumnMap())
        raw = cells[i]
        if m.field == "ignore" or m.field.endswith("_label"):
            continue
        if len(raw) > MAX_TEXT:
            row.problems.append(f"the cell in column '{header}' is {len(raw):,} characters long, over the "
                                f"{MAX_TEXT:,}-character limit")
            continue
        # Notes keep their own spacing (indented lists, line breaks); a cell of spaces alone is still empty.
        value = raw if m.field in ("notes", "private_notes") else raw.strip()
        if not value.strip():
            continue
        label = m.label
        if m.label_column is not None and m.label_column < len(cells):
            label = cells[m.label_column].strip() or label
        if m.field in ("phone", "email"):
            target = phones if m.field == "phone" else emails
            label = canonical_label(label)
            parts = [p.strip() for p in value.split(":::")]
            if m.field == "email" and len(parts) == 1 and value.count("@") > 1:
                parts = [p for p in _SEVERAL_EMAILS.split(value) if p]
            for part in parts:
                if not part:
                    continue
                if m.field == "phone" and _SCIENTIFIC.match(part):
                    row.warn("phones", f"'{part}' does not look like a phone number: a spreadsheet turned it into "
                                       "scientific notation and may have lost digits; kept as typed, please check it")
                target.append({"label": label, "value": part})
        elif m.field in ("given_name", "middle_name"):
            given_parts[m.field].append(value)
        elif m.field in ("prefix", "suffix"):
            honorifics[m.field].append(value)
        elif m.field == "street2":
            street2.append(value)
        elif m.field == "note":
            if _EMPTY_DATE.match(value):
                continue  # 0/0/00: no date at all
            if i in flag_columns and value.casefold() in _FALSE:
                continue  # "Deceased: 0" says nothing
            if m.label_column is not None:  # "Custom Field 1 - Label" = Ward, "... - Value" = North
                kind = m.label or "Value"
                label = label.lstrip("*").strip()
                if kind in ("Website", "Chat"):
                    note_lines.append(f"{kind}{f' ({label})' if label else ''}: {value}")
                else:
                    note_lines.append(f"{label or kind}: {value}")
            else:
                note_lines.append(f"{header}: {value}")
        elif m.field in ("tags", "languages", "groups"):
            values.setdefault(m.field, []).extend(_split_list(value))
        elif m.field in BOOL_FIELDS:
            lowered = value.casefold()
            if lowered not in _TRUE | _FALSE:
                row.problems.append(f"'{value}' in column '{header}' is not yes or no")
                continue
            values[m.field] = lowered in _TRUE
        elif m.field in ("notes", "private_notes"):
            values[m.field] = f"{values[m.field]}\n\n{value}" if values.get(m.field) else value
        elif m.field in values and values[m.field] != value:
            values[m.field] = f"{values[m.field]}, {value}"
        else:
            values[m.field] = value
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
    row.groups = [g for g in dict.fromkeys(values.pop("groups", [])) if g]
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


def table_to_rows(table: CsvTable, mapping: Mapping_) -> list[ImportRow]:
    """Every data row of the table as an ImportRow."""
    flags = _flag_columns(table, mapping)
    return [row_to_import(n, line, cells, table.headers, mapping, flags)
            for n, (line, cells) in enumerate(table.rows, start=1)]


# ---------- export ----------

EXPORT_HEADERS: dict[str, str] = {
    "given_name": "Given Name", "family_name": "Family Name", "display_name": "Display Name",
    "organisation": "Organisation", "role": "Role", "street": "Street", "locality": "Town",
    "region": "Region", "postcode": "Postcode", "country": "Country", "languages": "Languages", "tags": "Tags",
    "notes": "Notes", "private_notes": "Private Notes", "share_with_hubs": "Share With Hubs",
    "include_in_directory": "Include In Directory", "do_not_phone": "Do Not Phone",
    "do_not_email": "Do Not Email", "do_not_mail": "Do Not Mail", "do_not_sms": "Do Not SMS",
    "engagement_stage": "Engagement Stage", "consent_recorded_at": "Consent Recorded At",
    "consent_method": "Consent Method", "groups": "Groups",
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
        raise UserError(f"Cannot export the field '{unknown[0]}'; fields are: {', '.join(EXPORTABLE_FIELDS)}.")
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
    if progress is not None and progress(0, "Reading contacts") is False:
        raise Cancelled("The export was cancelled; nothing was written.")
    contacts = live_contacts(conn, contact_ids)
    text = contacts_to_csv(contacts, fields)
    if progress is not None and progress(80, "Writing the file") is False:
        raise Cancelled("The export was cancelled; nothing was written.")
    with atomic_write(Path(out)) as fh:
        fh.write(text.encode("utf-8-sig"))
    return len(contacts)

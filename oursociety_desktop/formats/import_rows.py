"""What a reader makes of a contact file: one `ImportRow` per card or CSV row (the contact values read, what is
wrong with it, the warnings to show), and the file of rows that could not be imported. The vCard and CSV readers
build these; `services/people_import.py` checks and applies them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oursociety_desktop.formats.csv_cells import escape_cell, escape_read_cell
from oursociety_desktop.i18n import _
from oursociety_desktop.models.atomic import atomic_write

# Warnings kept per row: a hostile card with 200,000 odd phone numbers would otherwise be checked against every
# warning already made, for each one (minutes of work for a 4 MB file), and list them all.
MAX_ROW_WARNINGS = 50


@dataclass(frozen=True, slots=True)
class RowWarning:
    """Something the user should know about one row: the field (or column, or property) and what happened."""

    field: str
    message: str

    def text(self) -> str:
        """The warning as one line: "field: message" (or just the message when it names no field)."""
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass(slots=True)  # an import of 100,000 people holds 100,000 of these
class ImportRow:
    """One card or CSV row: the contact values read from it, what is wrong with it, and where it came from.

    `kind` is "person", or "group" for a group card (vCard 4.0 `KIND:group`, Apple's
    `X-ADDRESSBOOKSERVER-KIND:group`): its `values` hold only `name`, and `members` the UIDs of its members.
    `source` (the card's text, the CSV row's cells) is what `save_rejected_rows` writes back; checking lets it go
    for a row found good."""

    number: int
    where: str
    source: Any = ""
    values: dict[str, Any] = field(default_factory=dict)
    # The lists below are empty for nearly every row: they start as the one empty tuple and become lists only when
    # something is added (`add_problem`, `warn`...). Five empty lists a row were 500,000 objects at 100,000 rows,
    # each walked by the cycle collector's one collection after the reading (the longest wait between progress
    # reports), and 28 MB.
    problems: Sequence[str] = ()
    warnings: Sequence[RowWarning] = ()
    match_id: str = ""
    match_name: str = ""
    e164s: Sequence[str] = ()
    kind: str = "person"
    uid: str = ""
    members: Sequence[str] = ()
    groups: Sequence[str] = ()
    skipped_binary: int = 0

    @property
    def ok(self) -> bool:
        """True when the row can be imported."""
        return not self.problems

    def warn(self, field_name: str, message: str) -> None:
        """Note something the user should see in the preview and the summary (never a reason to refuse)."""
        warning = RowWarning(field_name, message)
        if len(self.warnings) > MAX_ROW_WARNINGS or warning in self.warnings:
            return
        if len(self.warnings) == MAX_ROW_WARNINGS:
            warning = RowWarning("", _("more warnings about this row were left out"))
        self.warnings = [*self.warnings, warning]

    def add_problem(self, problem: str) -> None:
        """Note a reason the row cannot be imported (one clause, no final full stop)."""
        self.problems = [*self.problems, problem]

    def warning_dicts(self) -> list[dict[str, Any]]:
        """The row's warnings as plain `{row, field, message}` values."""
        return [{"row": self.number, "field": w.field, "message": w.message} for w in self.warnings]

    def problem_line(self) -> str:
        """All of the row's problems on one line."""
        return f"{self.where}: {'; '.join(self.problems)}"


class SharedTexts:
    """Repeated texts of one file (a town, a country, a tag, a label) kept as one object each, per column or field,
    so that 100,000 rows do not hold 100,000 copies of "United Kingdom". A column or field that shows more than
    `cap` different texts (streets, emails) is left alone from then on, so this never costs more than it saves."""

    def __init__(self, cap: int = 10_000) -> None:
        self.cap = cap
        self._columns: list[dict[str, str] | None] = []
        self._fields: dict[str, dict[str, str] | None] = {}

    def _share(self, seen: dict[str, str], text: str) -> str | None:
        shared = seen.get(text)
        if shared is None:
            if len(seen) >= self.cap:
                return None  # too many different texts: stop looking at this one
            seen[text] = shared = text
        return shared

    def cells(self, cells: list[str]) -> list[str]:
        """A CSV row's cells, repeated ones shared with earlier rows (by column)."""
        columns = self._columns
        while len(columns) < len(cells):
            columns.append({})
        out = []
        for i, cell in enumerate(cells):
            seen = columns[i]
            if seen is not None and cell:
                shared = self._share(seen, cell)
                if shared is None:
                    columns[i] = None
                else:
                    cell = shared
            out.append(cell)
        return out

    def values(self, values: dict[str, Any]) -> None:
        """Share the texts of a row's contact values in place (by field; list items and labels too)."""
        fields = self._fields
        for name, value in values.items():
            if type(value) is str:
                seen = fields.get(name)
                shared = seen.get(value) if seen is not None else None
                values[name] = shared if shared is not None else self._field(name, value)
            elif type(value) is list:
                for i, item in enumerate(value):
                    if type(item) is str:
                        value[i] = self._field(name, item)
                    elif type(item) is dict and type(item.get("label")) is str:
                        item["label"] = self._field(f"{name} label", item["label"])

    def _field(self, name: str, text: str) -> str:
        seen = self._fields.setdefault(name, {})
        if seen is None or not text:
            return text
        shared = self._share(seen, text)
        if shared is None:
            self._fields[name] = None
            return text
        return shared


def save_rejected_rows(path: Path, rows: Iterable[ImportRow], header: list[str] | None = None) -> int:
    """Write the rows that could not be imported: as CSV (original cells plus a Problem column) when `header`
    is given, else each row's source text (vCards) one after another. Returns how many were written."""
    bad = [r for r in rows if not r.ok]
    if header is not None:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        # A hostile file's cell (=HYPERLINK(...)) must not run when the organiser opens this file to mend it.
        writer.writerow([*(escape_read_cell(h) for h in header), "Problem"])
        for row in bad:
            writer.writerow([*(escape_read_cell(cell) for cell in row.source), escape_cell("; ".join(row.problems))])
        data = buffer.getvalue().encode("utf-8-sig")
    else:
        data = "".join(str(r.source).rstrip("\r\n") + "\r\n" for r in bad).encode("utf-8")
    with atomic_write(Path(path)) as fh:
        fh.write(data)
    return len(bad)


def warnings_path(errors_to: Path) -> Path:
    """Where the warnings are saved next to the skipped rows: `skipped.csv` → `skipped-warnings.csv`."""
    errors_to = Path(errors_to)
    return errors_to.with_name(f"{errors_to.stem}-warnings.csv")

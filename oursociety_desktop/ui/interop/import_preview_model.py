"""The import preview: one line per card or row, with what will happen to it and what is wrong with it."""

from __future__ import annotations

from typing import Any

from oursociety_desktop.formats.import_rows import ImportRow
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE as ROW_ROLE
from oursociety_desktop.ui.widgets.rows_model import RowsTableModel

COL_WHERE, COL_NAME, COL_STATUS, COL_DETAIL = range(4)


def row_name(row: ImportRow) -> str:
    """The person's name as read from the file."""
    v = row.values
    joined = " ".join(p for p in (v.get("given_name"), v.get("family_name")) if p)
    return str(v.get("name") or v.get("display_name") or joined or v.get("organisation") or "")


class ImportPreviewModel(RowsTableModel):
    """Checked import rows (from `plan_import`)."""

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Where"), self.tr("Name"), self.tr("Will be"), self.tr("Problems and warnings"))

    def counts(self) -> tuple[int, int, int]:
        """(new, duplicates, with problems)."""
        bad = sum(1 for r in self.rows if not r.ok)
        dups = sum(1 for r in self.rows if r.ok and r.match_id)
        return len(self.rows) - bad - dups, dups, bad

    def status(self, row: ImportRow) -> str:
        """New, a duplicate of someone, or not importable."""
        if not row.ok:
            return self.tr("Not importable")
        if row.kind == "group":
            return self.tr("Group")
        if row.kind == "empty":
            return self.tr("Nothing to import")
        if row.match_id:
            return self.tr("Duplicate of {0}").format(row.match_name)
        return self.tr("New")

    def cell(self, row: Any, column: int) -> str:
        detail = "; ".join([*row.problems, *(w.text() for w in row.warnings)])
        return (row.where, row_name(row), self.status(row), detail)[column]

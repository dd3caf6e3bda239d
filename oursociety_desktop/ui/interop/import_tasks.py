"""The import wizard's slow steps, run on the task runner (no Qt here: plain functions of the core)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oursociety_desktop.formats import csv_io, csv_mapping, vcard
from oursociety_desktop.formats.import_rows import ImportRow, RowWarning, save_rejected_rows, warnings_path
from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.services.import_checks import plan_import
from oursociety_desktop.services.people_import import ImportOptions, ImportSummary, apply_import, save_warnings

VCARD_SUFFIXES = (".vcf", ".vcard")


@dataclass
class LoadedFile:
    """A file read for import: vCard rows, or a CSV table still to be mapped."""

    path: Path
    kind: str
    rows: list[ImportRow] = field(default_factory=list)
    table: csv_io.CsvTable | None = None


def kind_of(path: Path) -> str:
    """"vcard" or "csv", from the file name."""
    return "vcard" if path.suffix.lower() in VCARD_SUFFIXES else "csv"


def read_task(progress: Progress, path: Path) -> LoadedFile:
    """Read (and for vCards, parse) the chosen file."""
    progress(0, _("Reading the file"))
    kind = kind_of(path)
    if kind == "vcard":
        return LoadedFile(path, kind, rows=vcard.read_vcard_file(path, progress=progress))
    return LoadedFile(path, kind, table=csv_io.read_csv_file(path, progress=progress))


def plan_task(progress: Progress, db: Database, rows: list[ImportRow], table: csv_io.CsvTable | None = None,
              mapping: csv_mapping.Mapping_ | None = None) -> list[ImportRow]:
    """Check the rows and find duplicates, for the preview; for a CSV file (`table` and its `mapping`) the rows
    are made from the table here first, off the window's thread."""
    if table is not None:
        rows = csv_mapping.table_to_rows(table, mapping or {}, progress)
    return plan_import(db, rows, progress)


def apply_task(progress: Progress, db: Database, rows: list[ImportRow], options: ImportOptions,
               errors_to: Path | None, header: list[str] | None,
               file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    """Import in one transaction; save the rows that were skipped as bad, if asked."""
    summary = apply_import(db, rows, options, progress=progress, file_warnings=file_warnings)
    if errors_to is not None and summary.bad_rows:
        save_rejected_rows(errors_to, rows, header)
    if errors_to is not None and summary.warnings:
        save_warnings(warnings_path(errors_to), summary)
    progress(100, _("Done"))
    return summary

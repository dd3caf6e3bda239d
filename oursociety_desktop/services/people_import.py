"""Applying an import of people (from vCard or CSV): preview, duplicate handling, one transaction.

Readers turn a file into `ImportRow`s (values of Contact fields, with per-row problems and warnings).
`plan_import` checks every row and finds the existing contact each one duplicates; `apply_import` writes
everything in one `db.write()` transaction after an automatic backup: new contacts are stamped like
`create_record` and inserted as tuples a batch at a time with their search rows (as they come for "add" and
"skip", at the end for "update" and "fill"), and the search index is built once at the end, in the same
transaction. A bad row stops the whole import (nothing written) unless the user chose to skip bad rows; skipped
rows can be saved to a file.

Duplicate handling: `skip` leaves the existing contact alone; `update` overwrites its fields with the file's
non-empty values and adds phones, emails and tags it lacks; `fill` only sets fields that are empty and adds the
phones, emails and tags it lacks; `add` adds the row as a new contact anyway. Phones are compared in E.164 and
emails case-insensitively, so one number is never stored twice in two spellings; the summary says what was added
to whom. Group cards and named groups of the file become groups with their members.

Warnings (`RowWarning`: field and message) are collected per row and carried to the summary as
`{row, field, message}`, so the command line, `--json` and the wizard show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from oursociety_desktop.formats.csv_cells import escape_cell
from oursociety_desktop.formats.import_rows import ImportRow, RowWarning
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.backup import automatic_backup
from oursociety_desktop.models.bulk import (
    PEOPLE_IMPORT_PAGE_CACHE_KIB,
    cyclic_gc_paused,
    insert_rows,
    larger_page_cache,
)
from oursociety_desktop.models.choices import DUPLICATE_CHOICES as DUPLICATE_CHOICES
from oursociety_desktop.models.contacts import (
    normalise_values,
    refresh_derived,
)
from oursociety_desktop.models.database import Database, Tx
from oursociety_desktop.models.duplicates import MatchIndex
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.groups import create_group, find_group
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.records import get_record, update_record
from oursociety_desktop.models.search import add_search_rows, search_index_at_end, search_row
from oursociety_desktop.models.tables import Contact, new_id
from oursociety_desktop.models.text import sort_key
from oursociety_desktop.services.import_checks import plan_import, refuse_bad_rows
from oursociety_desktop.services.import_groups import add_to_group, groups_of_file, remember_row
from oursociety_desktop.services.import_merge import merge_changes

_BATCH = 1000  # new contacts written (and indexed) per statement: a tenth of a second, a few MB
_REPORT_ROWS = 1000  # rows between progress reports while importing: a few hundredths of a second


@dataclass
class ImportOptions:
    """What the user chose: duplicate handling, skipping bad rows, a group and/or tag for everyone imported."""

    on_duplicate: str = "skip"
    skip_bad_rows: bool = False
    group: str = ""
    tag: str = ""
    kind: str = "import"


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    total: int = 0
    added: int = 0
    updated: int = 0
    filled: int = 0
    unchanged: int = 0
    duplicates_skipped: int = 0
    bad_rows: int = 0
    groups_added: int = 0
    memberships: int = 0
    skipped_binary: int = 0
    dry_run: bool = False
    group_id: str = ""
    added_ids: list[str] = field(default_factory=list)
    touched_ids: list[str] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        """A one-line summary for the user."""
        people = self.total - self.group_cards
        # Each part is a whole phrase with its own count; the parts are a list, joined as a list is.
        parts = [_("{count} added").format(count=self.added), _("{count} updated").format(count=self.updated),
                 _("{count} filled in").format(count=self.filled),
                 ngettext("{count} duplicate skipped", "{count} duplicates skipped", self.duplicates_skipped)
                 .format(count=self.duplicates_skipped)]
        if self.unchanged:
            parts.append(_("{count} already up to date").format(count=self.unchanged))
        if self.bad_rows:
            parts.append(ngettext("{count} bad row skipped", "{count} bad rows skipped", self.bad_rows)
                         .format(count=self.bad_rows))
        if self.groups_added or self.group_cards:
            parts.append(ngettext("{count} group added", "{count} groups added", self.groups_added)
                         .format(count=self.groups_added))
        if self.empty:
            parts.append(_("{count} with nothing to import").format(count=self.empty))
        if self.skipped_binary:
            parts.append(ngettext("{count} picture, sound or key skipped", "{count} pictures, sounds or keys skipped",
                                  self.skipped_binary).format(count=self.skipped_binary))
        if self.warnings:
            parts.append(ngettext("{count} warning", "{count} warnings", len(self.warnings))
                         .format(count=len(self.warnings)))
        summary = (_("{people} read: {parts} (dry run: nothing was changed).") if self.dry_run
                   else _("{people} read: {parts}."))
        return summary.format(people=people, parts=", ".join(parts))

    group_cards: int = 0
    empty: int = 0
    backup: str = ""  # the automatic backup made just before the import ("" for a dry run)

    def change_lines(self) -> list[str]:
        """One line per existing person an update or fill changed: who, and what was added or changed."""
        return [f"{c['name']}: {'; '.join(c['added'])}" for c in self.changes]

    def warning_lines(self) -> list[str]:
        """One line per warning: where, which field, what happened."""
        return [f"{'file' if not w['row'] else w['where']}: {w['field'] + ': ' if w['field'] else ''}"
                f"{w['message']}" for w in self.warnings]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {"total": self.total, "added": self.added, "updated": self.updated, "filled": self.filled,
                "unchanged": self.unchanged, "duplicates_skipped": self.duplicates_skipped,
                "bad_rows": self.bad_rows, "groups_added": self.groups_added, "memberships": self.memberships,
                "skipped_binary": self.skipped_binary, "empty": self.empty, "dry_run": self.dry_run,
                "warnings": [{"row": w["row"], "field": w["field"], "message": w["message"]}
                             for w in self.warnings],
                "changes": self.changes}


# ---------- applying ----------


@lru_cache(maxsize=1)
def _blank_contact() -> tuple[dict[str, Any], tuple[str, ...]]:
    """A new contact's field values, and the fields whose value is a list (each new row gets lists of its own)."""
    blank = Contact()
    values = {name: getattr(blank, name) for name in Contact.SYNC_FIELDS}
    return values, tuple(name for name, value in values.items() if isinstance(value, list))


def _new_row(values: Mapping[str, Any], tx: Tx, share_default: bool, directory_default: bool = False) -> dict[str, Any]:
    blank, list_fields = _blank_contact()
    row: dict[str, Any] = {**blank, **{name: [] for name in list_fields}}
    row.update({k: list(v) if isinstance(v, list) else v for k, v in values.items()})
    if "share_with_hubs" not in values:
        row["share_with_hubs"] = share_default
    if "include_in_directory" not in values:
        row["include_in_directory"] = directory_default
    stamp = tx.stamp()
    row.update({"id": new_id(), "base_stamp": stamp, "stamps": {},
                "deleted": False, "erased": False, "erased_reason": "", "merged_into": "",
                "sort_key": sort_key(row["family_name"], row["given_name"],
                                     row["display_name"] or row["organisation"])})
    return row


def apply_import(db: Database, rows: list[ImportRow], options: ImportOptions, *, dry_run: bool = False,
                 progress: Progress | None = None, backup: bool = True,
                 file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    """Import checked rows (from `plan_import`) in one transaction. Bad rows refuse everything unless skipped.
    A dry run goes through every step, then rolls back: the summary says what would happen."""
    try:
        with cyclic_gc_paused():
            return _apply(db, rows, options, dry_run, progress, backup, file_warnings)
    except _DryRun as done:
        return done.summary


def _apply(db: Database, rows: list[ImportRow], options: ImportOptions, dry_run: bool, progress: Progress | None,
           backup: bool, file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    if options.on_duplicate not in DUPLICATE_CHOICES:
        raise UserError(_("Unknown duplicate choice '{on_duplicate}'; use {duplicate_choices}.")
                        .format(on_duplicate=options.on_duplicate, duplicate_choices=', '.join(DUPLICATE_CHOICES)))
    summary = ImportSummary(total=len(rows), dry_run=dry_run)
    if not options.skip_bad_rows:
        refuse_bad_rows(rows)
    summary.bad_rows = sum(1 for r in rows if not r.ok)
    summary.group_cards = sum(1 for r in rows if r.kind == "group")
    summary.empty = sum(1 for r in rows if r.kind == "empty")
    summary.skipped_binary = sum(r.skipped_binary for r in rows)
    summary.warnings = [{"row": 0, "where": "file", "field": w.field, "message": w.message} for w in file_warnings]
    for row in rows:
        summary.warnings.extend({"row": row.number, "where": row.where, "field": w.field, "message": w.message}
                                for w in row.warnings)
    tag = options.tag.strip()
    if tag and ("," in tag or ";" in tag):
        raise UserError(_("A tag cannot contain a comma or semicolon."))
    if not dry_run and backup and any(r.ok for r in rows):
        summary.backup = str(automatic_backup(db.path, reason=f"before-{options.kind}-import",
                                              keep=int(db.setting("backup_keep") or 10)))

    def report(done: int, message: str) -> None:
        if progress is not None and progress(min(99, done * 100 // max(1, len(rows))), message) is False:
            raise Cancelled(_("The import was cancelled; nothing was changed."))

    def saving() -> None:
        report(len(rows), _("Saving contacts"))

    with db.write() as tx:
        region = str(tx.setting("default_region"))
        share_default = bool(tx.setting("default_share_with_hubs"))
        directory_default = bool(tx.setting("default_include_in_directory"))
        conn = tx.session.connection()
        index = MatchIndex.load(conn)
        group_id = ""
        if options.group.strip() and not dry_run:
            try:
                group_id = find_group(tx.session, options.group).id
            except UserError:
                group_id = create_group(tx, {"name": options.group.strip()}).id
        summary.group_id = group_id
        pending: dict[str, dict[str, Any]] = {}
        updates: dict[str, Contact] = {}
        by_uid: dict[str, str] = {}
        named_groups: dict[str, list[str]] = {}
        # With "add" and "skip" no later row changes a new contact, so new contacts are written a batch at a time as
        # they come (memory stays flat); "update" and "fill" keep them to the end, merging rows that match. The
        # search index is built in one pass at the end, with progress and Cancel between its chunks.
        streaming = options.on_duplicate in ("add", "skip")
        indexing = nullcontext() if dry_run else search_index_at_end(
            conn, lambda _done, _total: report(len(rows), _("Building the search index")))
        with larger_page_cache(conn, PEOPLE_IMPORT_PAGE_CACHE_KIB), indexing:
            for i, row in enumerate(rows):
                if i % _REPORT_ROWS == 0:
                    report(i, _("Importing"))
                if not row.ok or row.kind != "person":
                    continue
                values = dict(row.values)
                if tag:
                    values["tags"] = [*values.get("tags", []), tag] if tag not in values.get("tags", []) else \
                        values["tags"]
                match = index.find(values, row.e164s) if options.on_duplicate != "add" else None
                if match is None:
                    new = _new_row(values, tx, share_default, directory_default)
                    if not (streaming and dry_run):
                        pending[new["id"]] = new
                    if streaming and not dry_run and len(pending) >= _BATCH:
                        _save_new(conn, list(pending.values()), region)
                        pending.clear()
                        report(i, _("Importing"))
                    if options.on_duplicate != "add":  # later rows of the file may match this one
                        index.add(new["id"], new, row.e164s)
                    summary.added += 1
                    summary.added_ids.append(new["id"])
                    remember_row(row, new["id"], by_uid, named_groups)
                    continue
                target_id = match[0]
                remember_row(row, target_id, by_uid, named_groups)
                if options.on_duplicate == "skip":
                    summary.duplicates_skipped += 1
                    continue
                mode = options.on_duplicate
                if target_id in pending:
                    target = Contact(**{k: v for k, v in pending[target_id].items()})
                else:
                    target = updates.get(target_id) or get_record(tx.session, Contact, target_id)
                changes, said = merge_changes(target, values, mode, region)
                tags_now = changes.get("tags", target.tags)
                if tag and tag not in tags_now:  # the chosen tag marks everyone imported, whatever the mode
                    changes["tags"] = [*tags_now, tag]
                changes = normalise_values(changes)
                if not changes:
                    summary.unchanged += 1
                    if target_id not in pending:
                        summary.touched_ids.append(target_id)
                    continue
                if mode == "update":
                    summary.updated += 1
                else:
                    summary.filled += 1
                if said:
                    summary.changes.append({"id": target_id, "name": match[1], "row": row.number, "added": said})
                if target_id in pending:
                    pending[target_id].update(changes)
                    pending[target_id]["sort_key"] = sort_key(
                        pending[target_id]["family_name"], pending[target_id]["given_name"],
                        pending[target_id]["display_name"] or pending[target_id]["organisation"])
                elif not dry_run:
                    update_record(tx, target, changes)
                    updates[target_id] = target
                    summary.touched_ids.append(target_id)
                else:
                    updates[target_id] = target
                    for name, value in changes.items():
                        setattr(target, name, value)
            memberships = groups_of_file(tx, rows, by_uid, named_groups, summary, dry_run, saving)
            if dry_run:
                raise _DryRun(summary)
            report(len(rows), _("Saving contacts"))
            new_rows = list(pending.values())
            pending.clear()
            for start in range(0, len(new_rows), _BATCH):
                _save_new(conn, new_rows[start:start + _BATCH], region)
                report(len(rows), _("Saving contacts"))
        for contact in updates.values():
            refresh_derived(tx, contact)
        if group_id:
            add_to_group(tx, group_id, [*summary.added_ids, *summary.touched_ids], saving)
        for target_group, members in memberships.items():
            add_to_group(tx, target_group, members, saving)
            saving()
    return summary


def _save_new(conn: Connection, batch: list[dict[str, Any]], region: str) -> None:
    """Insert new contacts and their search rows (indexed at the end of the import)."""
    insert_rows(conn, Contact, batch)
    add_search_rows(conn, [search_row(r, region) for r in batch])


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def run_import(db: Database, rows: list[ImportRow], options: ImportOptions, *, dry_run: bool = False,
               progress: Progress | None = None, file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    """Plan and apply in one call (the CLI and the wizard's last step). A dry run changes nothing."""
    with cyclic_gc_paused():
        plan_import(db, rows, progress)
        return apply_import(db, rows, options, dry_run=dry_run, progress=progress, file_warnings=file_warnings)


# ---------- rejected rows ----------


def save_warnings(path: Path, summary: ImportSummary) -> int:
    """Write the import's warnings as CSV (Row, Where, Field, Message); returns how many."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Row", "Where", "Field", "Message"])
    for warning in summary.warnings:
        # A message may quote a hostile file's value (=HYPERLINK(...)), which must not run in a spreadsheet.
        writer.writerow([warning["row"] or "", *(escape_cell(warning[key]) for key in ("where", "field", "message"))])
    with atomic_write(Path(path)) as fh:
        fh.write(buffer.getvalue().encode("utf-8-sig"))
    return len(summary.warnings)

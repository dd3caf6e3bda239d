"""Applying an import of people (from vCard or CSV): preview, duplicate handling, one transaction (DESIGN.md §7).

Readers turn a file into `ImportRow`s (values of Contact fields, with per-row problems and warnings).
`plan_import` checks every row and finds the existing contact each one duplicates; `apply_import` writes
everything in one `db.write()` transaction after an automatic backup: new contacts are stamped like
`create_record` and inserted in bulk with SQLAlchemy Core, then their search rows in bulk. A bad row stops the
whole import (nothing written) unless the user chose to skip bad rows; skipped rows can be saved to a file.

Duplicate handling: `skip` leaves the existing contact alone; `update` overwrites its fields with the file's
non-empty values and adds phones, emails and tags it lacks; `fill` only sets fields that are empty; `add` adds
the row as a new contact anyway.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.backup import automatic_backup
from oursociety_desktop.models.contacts import (
    BOOL_FIELDS,
    LIST_FIELDS,
    normalise_values,
    refresh_derived,
)
from oursociety_desktop.models.database import Database, Tx
from oursociety_desktop.models.duplicates import MatchIndex
from oursociety_desktop.models.errors import Cancelled, UserError, ValidationError
from oursociety_desktop.models.groups import create_group, find_group
from oursociety_desktop.models.records import get_record, update_record
from oursociety_desktop.models.search import search_body, write_search_rows
from oursociety_desktop.models.tables import Contact, Membership, new_id
from oursociety_desktop.models.text import sort_key

Progress = Callable[[int, str], bool | None]
DUPLICATE_CHOICES = ("skip", "update", "fill", "add")
NAME_FIELDS = ("given_name", "family_name", "display_name", "organisation")
_BATCH = 5000


@dataclass
class ImportRow:
    """One card or CSV row: the contact values read from it, what is wrong with it, and where it came from."""

    number: int
    where: str
    source: Any = ""
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    match_id: str = ""
    match_name: str = ""
    e164s: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the row can be imported."""
        return not self.problems

    def problem_line(self) -> str:
        """All of the row's problems on one line."""
        return f"{self.where}: {'; '.join(self.problems)}"


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
    dry_run: bool = False
    group_id: str = ""
    added_ids: list[str] = field(default_factory=list)
    touched_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        """A one-line summary for the user."""
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.filled} filled in",
                 f"{self.duplicates_skipped} duplicates skipped"]
        if self.unchanged:
            parts.append(f"{self.unchanged} already up to date")
        if self.bad_rows:
            parts.append(f"{self.bad_rows} bad rows skipped")
        tail = " (dry run: nothing was changed)." if self.dry_run else "."
        return f"{self.total} read: " + ", ".join(parts) + tail

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {"total": self.total, "added": self.added, "updated": self.updated, "filled": self.filled,
                "unchanged": self.unchanged, "duplicates_skipped": self.duplicates_skipped,
                "bad_rows": self.bad_rows, "dry_run": self.dry_run, "warnings": self.warnings}


# ---------- planning ----------


def _has_name(values: Mapping[str, Any]) -> bool:
    return any(str(values.get(n) or "").strip() for n in NAME_FIELDS)


def check_row(row: ImportRow, region: str) -> None:
    """Validate and tidy the row's values (problems are added to the row, never raised)."""
    try:
        row.values = normalise_values(row.values)
    except ValidationError as exc:
        row.problems.append(exc.message.rstrip("."))
        return
    if not _has_name(row.values):
        fallback = next((e["value"] for e in row.values.get("emails", [])), "") or \
            next((p["value"] for p in row.values.get("phones", [])), "")
        if fallback:
            row.values["display_name"] = fallback
            row.warnings.append("no name; shown by its email or phone")
        elif row.values or not row.problems:
            row.problems.append("no name, organisation, email or phone")
    for phone in row.values.get("phones", []):
        from oursociety_desktop.models.phones import normalise_phone

        normalised = normalise_phone(phone["value"], region)
        if normalised.e164:
            row.e164s.append(normalised.e164)
        if normalised.warning:
            row.warnings.append(normalised.warning)


def plan_import(db: Database, rows: list[ImportRow], progress: Progress | None = None) -> list[ImportRow]:
    """Check every row and find the existing contact it duplicates (for the preview). Changes nothing."""
    region = str(db.setting("default_region"))
    with db.read() as session:
        index = MatchIndex.load(session.connection())
    for i, row in enumerate(rows):
        if not row.problems:
            check_row(row, region)
        if row.ok:
            match = index.find(row.values, row.e164s)
            row.match_id, row.match_name = match if match else ("", "")
        if progress is not None and i % 2000 == 0 and progress(min(99, i * 100 // max(1, len(rows))),
                                                                "Checking rows") is False:
            raise Cancelled("The import was cancelled; nothing was changed.")
    return rows


def refuse_bad_rows(rows: Iterable[ImportRow]) -> None:
    """Raise a one-line UserError naming the first bad row (and how many there are)."""
    bad = [r for r in rows if not r.ok]
    if bad:
        more = f" (and {len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
        raise UserError(f"{bad[0].problem_line()}{more}. Nothing was imported; fix the file or choose to skip bad "
                        "rows.")


# ---------- applying ----------


def _merge_changes(existing: Contact, incoming: Mapping[str, Any], mode: str) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, value in incoming.items():
        current = getattr(existing, name)
        if name in ("phones", "emails"):
            if mode == "fill" and current:
                continue
            known = {str(item["value"]).casefold() for item in current}
            extra = [item for item in value if str(item["value"]).casefold() not in known]
            if extra:
                changes[name] = [*current, *extra]
        elif name in LIST_FIELDS:
            if mode == "fill" and current:
                continue
            extra = [v for v in value if v not in current]
            if extra:
                changes[name] = [*current, *extra]
        elif name in BOOL_FIELDS:
            if mode == "update" and value != current:
                changes[name] = value
        elif value in ("", None):
            continue
        elif mode == "update" or not current:
            if value != current:
                changes[name] = value
    return changes


@lru_cache(maxsize=1)
def _blank_contact() -> dict[str, Any]:
    blank = Contact()
    return {name: getattr(blank, name) for name in Contact.SYNC_FIELDS}


def _new_row(values: Mapping[str, Any], tx: Tx, share_default: bool, directory_default: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {k: list(v) if isinstance(v, list) else v for k, v in _blank_contact().items()}
    row.update({k: list(v) if isinstance(v, list) else v for k, v in values.items()})
    row.setdefault("share_with_hubs", share_default)
    if "share_with_hubs" not in values:
        row["share_with_hubs"] = share_default
    if "include_in_directory" not in values:
        row["include_in_directory"] = directory_default
    stamp = tx.stamp()
    row.update({"id": new_id(), "origin_hub": tx.hub_id, "base_stamp": stamp, "stamps": {}, "stamp": stamp,
                "deleted": False, "erased": False, "erased_reason": "", "merged_into": "",
                "sort_key": sort_key(row["family_name"], row["given_name"],
                                     row["display_name"] or row["organisation"])})
    return row


def apply_import(db: Database, rows: list[ImportRow], options: ImportOptions, *, dry_run: bool = False,
                 progress: Progress | None = None, backup: bool = True) -> ImportSummary:
    """Import checked rows (from `plan_import`) in one transaction. Bad rows refuse everything unless skipped.
    A dry run goes through every step, then rolls back: the summary says what would happen."""
    try:
        return _apply(db, rows, options, dry_run, progress, backup)
    except _DryRun as done:
        return done.summary


def _apply(db: Database, rows: list[ImportRow], options: ImportOptions, dry_run: bool, progress: Progress | None,
           backup: bool) -> ImportSummary:
    if options.on_duplicate not in DUPLICATE_CHOICES:
        raise UserError(f"Unknown duplicate choice '{options.on_duplicate}'; use {', '.join(DUPLICATE_CHOICES)}.")
    summary = ImportSummary(total=len(rows), dry_run=dry_run)
    if not options.skip_bad_rows:
        refuse_bad_rows(rows)
    summary.bad_rows = sum(1 for r in rows if not r.ok)
    tag = options.tag.strip()
    if tag and ("," in tag or ";" in tag):
        raise UserError("A tag cannot contain a comma or semicolon.")
    if not dry_run and backup and any(r.ok for r in rows):
        automatic_backup(db.path, reason=f"before-{options.kind}-import", keep=int(db.setting("backup_keep") or 10))

    def report(done: int, message: str) -> None:
        if progress is not None and progress(min(99, done * 100 // max(1, len(rows))), message) is False:
            raise Cancelled("The import was cancelled; nothing was changed.")

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
        for i, row in enumerate(rows):
            if i % 1000 == 0:
                report(i, "Importing")
            if not row.ok:
                continue
            values = dict(row.values)
            if tag:
                values["tags"] = [*values.get("tags", []), tag] if tag not in values.get("tags", []) else \
                    values["tags"]
            match = index.find(values, row.e164s) if options.on_duplicate != "add" else None
            if match is None:
                new = _new_row(values, tx, share_default, directory_default)
                pending[new["id"]] = new
                if options.on_duplicate != "add":  # later rows of the file may match this one
                    index.add(new["id"], new, row.e164s)
                summary.added += 1
                summary.added_ids.append(new["id"])
                continue
            target_id = match[0]
            if options.on_duplicate == "skip":
                summary.duplicates_skipped += 1
                continue
            mode = options.on_duplicate
            if target_id in pending:
                target = Contact(**{k: v for k, v in pending[target_id].items()})
            else:
                target = updates.get(target_id) or get_record(tx.session, Contact, target_id)
            changes = _merge_changes(target, values, mode)
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
            if target_id in pending:
                pending[target_id].update(changes)
                pending[target_id]["sort_key"] = sort_key(
                    pending[target_id]["family_name"], pending[target_id]["given_name"],
                    pending[target_id]["display_name"] or pending[target_id]["organisation"])
            elif not dry_run:
                update_record(tx, target, changes)
                updates[target_id] = target
                summary.touched_ids.append(target_id)
        if dry_run:
            raise _DryRun(summary)
        report(len(rows), "Saving contacts")
        new_rows = list(pending.values())
        table = Contact.__table__  # type: ignore[attr-defined]
        for start in range(0, len(new_rows), _BATCH):
            batch = new_rows[start:start + _BATCH]
            conn.execute(insert(table), batch)
            write_search_rows(conn, [(r["id"], *search_body(r, region)) for r in batch])
        for contact in updates.values():
            refresh_derived(tx, contact)
        if group_id:
            _add_to_group(tx, group_id, [*summary.added_ids, *summary.touched_ids])
    return summary


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def run_import(db: Database, rows: list[ImportRow], options: ImportOptions, *, dry_run: bool = False,
               progress: Progress | None = None) -> ImportSummary:
    """Plan and apply in one call (the CLI and the wizard's last step). A dry run changes nothing."""
    plan_import(db, rows, progress)
    return apply_import(db, rows, options, dry_run=dry_run, progress=progress)


def _add_to_group(tx: Tx, group_id: str, contact_ids: list[str]) -> None:
    conn = tx.session.connection()
    table = Membership.__table__  # type: ignore[attr-defined]
    existing = {row[0]: row[1] for row in conn.execute(
        select(table.c.contact_id, table.c.id).where(table.c.group_id == group_id))}
    rows = []
    for contact_id in dict.fromkeys(contact_ids):
        if contact_id in existing:
            membership = tx.session.get(Membership, existing[contact_id])
            if membership is not None and membership.deleted:
                update_record(tx, membership, {"deleted": False})
            continue
        stamp = tx.stamp()
        rows.append({"id": new_id(), "origin_hub": tx.hub_id, "base_stamp": stamp, "stamps": {}, "stamp": stamp,
                     "deleted": False, "group_id": group_id, "contact_id": contact_id, "role": "member",
                     "since": ""})
    for start in range(0, len(rows), _BATCH):
        conn.execute(insert(table), rows[start:start + _BATCH])


# ---------- rejected rows ----------


def save_rejected_rows(path: Path, rows: Iterable[ImportRow], header: list[str] | None = None) -> int:
    """Write the rows that could not be imported: as CSV (original cells plus a Problem column) when `header`
    is given, else each row's source text (vCards) one after another. Returns how many were written."""
    bad = [r for r in rows if not r.ok]
    if header is not None:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([*header, "Problem"])
        for row in bad:
            writer.writerow([*list(row.source), "; ".join(row.problems)])
        data = buffer.getvalue().encode("utf-8-sig")
    else:
        data = "".join(str(r.source).rstrip("\r\n") + "\r\n" for r in bad).encode("utf-8")
    with atomic_write(Path(path)) as fh:
        fh.write(data)
    return len(bad)


def file_size(path: Path) -> int:
    """The size of a file in bytes (0 if it cannot be read)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0

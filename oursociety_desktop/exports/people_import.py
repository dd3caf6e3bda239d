"""Applying an import of people (from vCard or CSV): preview, duplicate handling, one transaction.

Readers turn a file into `ImportRow`s (values of Contact fields, with per-row problems and warnings).
`plan_import` checks every row and finds the existing contact each one duplicates; `apply_import` writes
everything in one `db.write()` transaction after an automatic backup: new contacts are stamped like
`create_record` and inserted in bulk with SQLAlchemy Core, then their search rows in bulk. A bad row stops the
whole import (nothing written) unless the user chose to skip bad rows; skipped rows can be saved to a file.

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
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    validate_email,
)
from oursociety_desktop.models.database import Database, Tx
from oursociety_desktop.models.duplicates import MatchIndex
from oursociety_desktop.models.errors import Cancelled, UserError, ValidationError
from oursociety_desktop.models.groups import create_group, find_group
from oursociety_desktop.models.phones import e164_of, normalise_phone
from oursociety_desktop.models.records import get_record, update_record
from oursociety_desktop.models.search import search_body, write_search_rows
from oursociety_desktop.models.tables import Contact, Membership, new_id
from oursociety_desktop.models.text import sort_key

Progress = Callable[[int, str], bool | None]
DUPLICATE_CHOICES = ("skip", "update", "fill", "add")
NAME_FIELDS = ("given_name", "family_name", "display_name", "organisation")
_BATCH = 5000


@dataclass(frozen=True)
class RowWarning:
    """Something the user should know about one row: the field (or column, or property) and what happened."""

    field: str
    message: str

    def text(self) -> str:
        """The warning as one line: "field: message" (or just the message when it names no field)."""
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass
class ImportRow:
    """One card or CSV row: the contact values read from it, what is wrong with it, and where it came from.

    `kind` is "person", or "group" for a group card (vCard 4.0 `KIND:group`, Apple's
    `X-ADDRESSBOOKSERVER-KIND:group`): its `values` hold only `name`, and `members` the UIDs of its members."""

    number: int
    where: str
    source: Any = ""
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    match_id: str = ""
    match_name: str = ""
    e164s: list[str] = field(default_factory=list)
    kind: str = "person"
    uid: str = ""
    members: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    skipped_binary: int = 0

    @property
    def ok(self) -> bool:
        """True when the row can be imported."""
        return not self.problems

    def warn(self, field_name: str, message: str) -> None:
        """Note something the user should see in the preview and the summary (never a reason to refuse)."""
        warning = RowWarning(field_name, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def warning_dicts(self) -> list[dict[str, Any]]:
        """The row's warnings as plain `{row, field, message}` values."""
        return [{"row": self.number, "field": w.field, "message": w.message} for w in self.warnings]

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
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.filled} filled in",
                 f"{self.duplicates_skipped} duplicates skipped"]
        if self.unchanged:
            parts.append(f"{self.unchanged} already up to date")
        if self.bad_rows:
            parts.append(f"{self.bad_rows} bad rows skipped")
        if self.groups_added or self.group_cards:
            parts.append(f"{self.groups_added} groups added")
        if self.empty:
            parts.append(f"{self.empty} with nothing to import")
        if self.skipped_binary:
            parts.append(f"{self.skipped_binary} pictures, sounds or keys skipped")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        tail = " (dry run: nothing was changed)." if self.dry_run else "."
        return f"{people} read: " + ", ".join(parts) + tail

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


# ---------- planning ----------


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
                row.warn("emails", f"'{value}' was read as '{inner.group(1)}'")
                continue
            except ValidationError:
                pass
        try:
            validate_email(value)
        except ValidationError:
            kept.append(f"Email{f' ({label})' if label else ''}: {value}")
            row.warn("emails", f"'{value}' is not a valid email address; kept in notes")
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
        row.problems.append(exc.message.rstrip("."))
        return
    if not row.values and not row.problems:
        # A card holding only a picture (or nothing at all) has no one to import: said, never a reason to refuse.
        row.kind = "empty"
        row.warn("", "nothing to import (no name, organisation, email, phone or address)")
        return
    if not _has_name(row.values):
        address = ", ".join(str(row.values.get(k) or "") for k in ("street", "locality", "postcode")
                            if row.values.get(k))
        fallback = next((e["value"] for e in row.values.get("emails", [])), "") or \
            next((p["value"] for p in row.values.get("phones", [])), "") or address.replace("\n", ", ")[:200]
        if fallback:
            row.values["display_name"] = fallback
            row.warn("display_name", "no name; shown by its email, phone or address")
        elif row.values:
            # Something worth keeping (notes, tags) but nothing to call the person by: imported, and said.
            row.values["display_name"] = UNNAMED
            row.warn("display_name", f"no name, email, phone or address; imported as '{UNNAMED}'")
        elif not row.problems:
            row.problems.append("no name, organisation, email or phone")
    row.e164s = []
    for phone in row.values.get("phones", []):
        normalised = normalise_phone(phone["value"], region)
        if normalised.e164:
            row.e164s.append(normalised.e164)
        if normalised.warning and not any(w.field == "phones" and phone["value"] in w.message
                                          for w in row.warnings):
            row.warn("phones", normalised.warning)


def plan_import(db: Database, rows: list[ImportRow], progress: Progress | None = None) -> list[ImportRow]:
    """Check every row and find the existing contact it duplicates (for the preview). Changes nothing."""
    region = str(db.setting("default_region"))
    with db.read() as session:
        index = MatchIndex.load(session.connection())
    for i, row in enumerate(rows):
        if not row.problems:
            check_row(row, region)
        if row.ok and row.kind == "person":
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


def _phone_key(value: str, region: str) -> str:
    return e164_of(value, region) or "".join(ch for ch in value if ch.isdigit()) or value.casefold()


def _added(word: str, item: Mapping[str, Any]) -> str:
    label = str(item.get("label") or "")
    return f"added {word} {item['value']}" + (f" ({label})" if label else "")


def _merge_changes(existing: Contact, incoming: Mapping[str, Any], mode: str,
                   region: str = "GB") -> tuple[dict[str, Any], list[str]]:
    """The changes an `update` or `fill` makes, and what they add in words. Phones are compared in E.164 (one
    number is never stored twice in two spellings), emails case-insensitively; both modes add the phones, emails,
    tags and languages the existing person lacks."""
    changes: dict[str, Any] = {}
    said: list[str] = []
    for name, value in incoming.items():
        current = getattr(existing, name)
        if name in ("phones", "emails"):
            def key(item: Mapping[str, Any], phones: bool = name == "phones") -> str:
                text = str(item["value"])
                return _phone_key(text, region) if phones else text.strip().casefold()
            known = {key(item) for item in current}
            extra = []
            for item in value:
                if key(item) not in known:
                    known.add(key(item))
                    extra.append(item)
            if extra:
                changes[name] = [*current, *extra]
                word = "phone" if name == "phones" else "email"
                said.extend(_added(word, item) for item in extra)
        elif name in LIST_FIELDS:
            extra = [v for v in value if v not in current]
            if extra:
                changes[name] = [*current, *extra]
                said.append(f"added {name} {', '.join(extra)}")
        elif name in BOOL_FIELDS:
            if mode == "update" and value != current:
                changes[name] = value
                said.append(f"set {name.replace('_', ' ')} to {'yes' if value else 'no'}")
        elif value in ("", None):
            continue
        elif mode == "update" or not current:
            if value != current:
                changes[name] = value
                said.append(f"{'changed' if current else 'added'} {name.replace('_', ' ')}")
    return changes, said


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
                 progress: Progress | None = None, backup: bool = True,
                 file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    """Import checked rows (from `plan_import`) in one transaction. Bad rows refuse everything unless skipped.
    A dry run goes through every step, then rolls back: the summary says what would happen."""
    try:
        return _apply(db, rows, options, dry_run, progress, backup, file_warnings)
    except _DryRun as done:
        return done.summary


def _apply(db: Database, rows: list[ImportRow], options: ImportOptions, dry_run: bool, progress: Progress | None,
           backup: bool, file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    if options.on_duplicate not in DUPLICATE_CHOICES:
        raise UserError(f"Unknown duplicate choice '{options.on_duplicate}'; use {', '.join(DUPLICATE_CHOICES)}.")
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
        raise UserError("A tag cannot contain a comma or semicolon.")
    if not dry_run and backup and any(r.ok for r in rows):
        summary.backup = str(automatic_backup(db.path, reason=f"before-{options.kind}-import",
                                              keep=int(db.setting("backup_keep") or 10)))

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
        by_uid: dict[str, str] = {}
        named_groups: dict[str, list[str]] = {}
        for i, row in enumerate(rows):
            if i % 1000 == 0:
                report(i, "Importing")
            if not row.ok or row.kind != "person":
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
                _remember(row, new["id"], by_uid, named_groups)
                continue
            target_id = match[0]
            _remember(row, target_id, by_uid, named_groups)
            if options.on_duplicate == "skip":
                summary.duplicates_skipped += 1
                continue
            mode = options.on_duplicate
            if target_id in pending:
                target = Contact(**{k: v for k, v in pending[target_id].items()})
            else:
                target = updates.get(target_id) or get_record(tx.session, Contact, target_id)
            changes, said = _merge_changes(target, values, mode, region)
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
        memberships = _file_groups(tx, rows, by_uid, named_groups, summary, dry_run)
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
        for target_group, members in memberships.items():
            _add_to_group(tx, target_group, members)
    return summary


def _remember(row: ImportRow, contact_id: str, by_uid: dict[str, str], named_groups: dict[str, list[str]]) -> None:
    if row.uid:
        by_uid.setdefault(row.uid, contact_id)
    for name in row.groups:
        named_groups.setdefault(name.strip(), []).append(contact_id)


def _file_groups(tx: Tx, rows: list[ImportRow], by_uid: Mapping[str, str], named_groups: Mapping[str, list[str]],
                 summary: ImportSummary, dry_run: bool) -> dict[str, list[str]]:
    """Groups the file itself holds (group cards with their members, a person's named groups): each found by
    name or made; returns {group id: contact ids} (a dry run only counts)."""
    wanted: dict[str, list[str]] = {}
    for row in rows:
        if row.kind != "group" or not row.ok:
            continue
        members = []
        for uid in row.members:
            if uid in by_uid:
                members.append(by_uid[uid])
            else:
                message = f"member {uid} is not a card of this file; not added"
                row.warn("members", message)
                summary.warnings.append({"row": row.number, "where": row.where, "field": "members",
                                         "message": message})
        wanted.setdefault(str(row.values["name"]).strip(), []).extend(members)
    for name, members in named_groups.items():
        if name:
            wanted.setdefault(name, []).extend(members)
    out: dict[str, list[str]] = {}
    for name, members in wanted.items():
        try:
            found = find_group(tx.session, name).id
        except UserError:
            found = ""
        if not found:
            summary.groups_added += 1
            if not dry_run:
                found = create_group(tx, {"name": name}).id
        summary.memberships += len(dict.fromkeys(members))
        if found:
            out[found] = list(dict.fromkeys(members))
    return out


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def run_import(db: Database, rows: list[ImportRow], options: ImportOptions, *, dry_run: bool = False,
               progress: Progress | None = None, file_warnings: Sequence[RowWarning] = ()) -> ImportSummary:
    """Plan and apply in one call (the CLI and the wizard's last step). A dry run changes nothing."""
    plan_import(db, rows, progress)
    return apply_import(db, rows, options, dry_run=dry_run, progress=progress, file_warnings=file_warnings)


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


def warnings_path(errors_to: Path) -> Path:
    """Where the warnings are saved next to the skipped rows: `skipped.csv` → `skipped-warnings.csv`."""
    errors_to = Path(errors_to)
    return errors_to.with_name(f"{errors_to.stem}-warnings.csv")


def save_warnings(path: Path, summary: ImportSummary) -> int:
    """Write the import's warnings as CSV (Row, Where, Field, Message); returns how many."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Row", "Where", "Field", "Message"])
    for warning in summary.warnings:
        writer.writerow([warning["row"] or "", warning["where"], warning["field"], warning["message"]])
    with atomic_write(Path(path)) as fh:
        fh.write(buffer.getvalue().encode("utf-8-sig"))
    return len(summary.warnings)


def file_size(path: Path) -> int:
    """The size of a file in bytes (0 if it cannot be read)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0

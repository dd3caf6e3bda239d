"""`oursociety check --repair`: rebuild the tables derived from the records, after a backup, in one transaction.

Only the derived tables are written (models/derived.py lists them), and only the rows that differ from what the
records give, so a repair of a sound hub changes nothing. The records, their stamps and every local table are left
as they are: a problem in them (a bad stamp, an erased person's data, a failed integrity check) is the truth a
repair cannot rebuild, and the remedy for it is a backup. When SQLite's integrity check fails nothing is written.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.backup import automatic_backup
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.derived import (
    Drift,
    Expected,
    contact_search_rows,
    expected_rows,
    fts_in_step,
    lesson_search_rows,
    measure_drift,
    phone_rows,
    triggers_off,
)
from oursociety_desktop.models.health import CheckReport, check_database, integrity_report
from oursociety_desktop.models.search import purge_deleted_index_entries


@dataclass
class Repaired:
    """What one repair rewrote: the drift it found, and what that took."""

    drift: Drift = field(default_factory=Drift)
    lesson_rows: int = 0  # lesson search rows written (missing, made from an older version, or wrong)
    contact_fts_rebuilt: bool = False
    lesson_fts_rebuilt: bool = False

    @property
    def changed(self) -> bool:
        """True when some derived row was written."""
        return bool(self.drift.total or self.lesson_rows or self.contact_fts_rebuilt or self.lesson_fts_rebuilt)


@dataclass
class RepairOutcome:
    """A repair's result: the backup taken before it (None when nothing was written: the hub was in step, or its
    integrity check failed, as `after.integrity_failed` says), what it rewrote, and the check run after it."""

    backup: Path | None
    repaired: Repaired
    after: CheckReport


def _fts_sound(conn: Connection, drift: Drift, table: str) -> bool:
    """True when the full-text index `table` ("contact_fts" or "lesson_fts") holds exactly its search rows."""
    missing, stray = ((drift.contact_fts_missing, drift.contact_fts_stray) if table == "contact_fts" else
                      (drift.lesson_fts_missing, drift.lesson_fts_stray))
    return missing == stray == 0 and fts_in_step(conn, table)


def needs_repair(conn: Connection, want: Expected) -> bool:
    """True when `repair_derived` would write something (`want`: what the records give): a row out of step, a
    full-text index to rebuild, or a lesson search row made from an older version of its lesson. Reads only."""
    drift = measure_drift(conn, want)
    have = lesson_search_rows(conn)
    return bool(drift.total) or not _fts_sound(conn, drift, "contact_fts") or \
        not _fts_sound(conn, drift, "lesson_fts") or any(have.get(lid) != row for lid, row in want.lessons.items())


def repair_derived(conn: Connection) -> Repaired:
    """Inside a write transaction: bring every derived table in step with the records, writing only rows that
    differ. A full-text index out of step is rebuilt from its content table (FTS5 'rebuild')."""
    want = expected_rows(conn)
    done = Repaired(drift=measure_drift(conn, want))
    contact_fts_sound = _fts_sound(conn, done.drift, "contact_fts")
    with nullcontext() if contact_fts_sound else triggers_off(conn, "contact_search"):
        _write_contact_rows(conn, want)
        if not contact_fts_sound:
            conn.exec_driver_sql("INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')")
            done.contact_fts_rebuilt = True
    if contact_fts_sound and (done.drift.search_text or done.drift.search_stray):
        # A wrong or stray row may hold the text of a person erased since: its tokens leave the index's segments.
        purge_deleted_index_entries(conn)
    lesson_fts_sound = _fts_sound(conn, done.drift, "lesson_fts")
    with nullcontext() if lesson_fts_sound else triggers_off(conn, "lesson_search"):
        done.lesson_rows = _write_lesson_rows(conn, want)
        if not lesson_fts_sound:
            conn.exec_driver_sql("INSERT INTO lesson_fts(lesson_fts) VALUES ('rebuild')")
            done.lesson_fts_rebuilt = True
    return done


def _write_contact_rows(conn: Connection, want: Expected) -> None:
    have = contact_search_rows(conn)
    stray = [(cid,) for cid in have if cid not in want.contacts]
    if stray:
        conn.exec_driver_sql("DELETE FROM contact_search WHERE contact_id = ?", stray)
    missing = [(cid, body, key, rowid) for cid, (body, key, rowid) in want.contacts.items() if cid not in have]
    if missing:
        conn.exec_driver_sql("INSERT INTO contact_search (contact_id, body, live_sort_key, contact_rowid) "
                             "VALUES (?, ?, ?, ?)", missing)
    texts = [(want.contacts[cid][0], cid) for cid, row in have.items()
             if cid in want.contacts and row[0] != want.contacts[cid][0]]
    if texts:
        conn.exec_driver_sql("UPDATE contact_search SET body = ? WHERE contact_id = ?", texts)
    places = [(*want.contacts[cid][1:], cid) for cid, row in have.items()
              if cid in want.contacts and row[1:] != want.contacts[cid][1:]]
    if places:
        conn.exec_driver_sql("UPDATE contact_search SET live_sort_key = ?, contact_rowid = ? WHERE contact_id = ?",
                             places)
    stored = phone_rows(conn)
    if stored - want.phones:
        conn.exec_driver_sql("DELETE FROM contact_phone WHERE contact_id = ? AND e164 = ?",
                             sorted(stored - want.phones))
    if want.phones - stored:
        conn.exec_driver_sql("INSERT INTO contact_phone (contact_id, e164) VALUES (?, ?)",
                             sorted(want.phones - stored))


def _write_lesson_rows(conn: Connection, want: Expected) -> int:
    have = lesson_search_rows(conn)
    stray = [(lid,) for lid in have if lid not in want.lessons]
    if stray:
        conn.exec_driver_sql("DELETE FROM lesson_search WHERE lesson_id = ?", stray)
    rows = [(lid, stamp, body) for lid, (stamp, body) in want.lessons.items() if have.get(lid) != (stamp, body)]
    if rows:
        conn.exec_driver_sql("INSERT INTO lesson_search (lesson_id, stamp, body) VALUES (?, ?, ?) ON CONFLICT"
                             "(lesson_id) DO UPDATE SET stamp = excluded.stamp, body = excluded.body", rows)
    return len(rows)


def repair_hub(db: Database) -> RepairOutcome:
    """Unless SQLite's integrity check fails, and when something is out of step, back the hub up and rebuild the
    derived tables in one transaction; then check it. The outcome's `after` says what is left (problems of the
    records). A hub in step is neither backed up nor written: a repair run every night must not rotate away the
    backups taken before an upgrade or an import."""
    with db.read() as session:
        conn = session.connection()
        before = integrity_report(conn)
        if before.integrity_failed:
            return RepairOutcome(backup=None, repaired=Repaired(), after=before)
        want = expected_rows(conn)  # worked out once for the question and the check that answers a sound hub
        if not needs_repair(conn, want):
            return RepairOutcome(backup=None, repaired=Repaired(), after=check_database(conn, want))
    backup = automatic_backup(db.path, "before-repair", int(db.setting("backup_keep") or 10))
    with db.write() as tx:
        repaired = repair_derived(tx.session.connection())
    if repaired.changed:
        db.checkpoint()  # the rows rewritten do not stay in the write-ahead log
    with db.read() as session:
        after = check_database(session.connection())
    return RepairOutcome(backup=backup, repaired=repaired, after=after)


def mended_lines(repaired: Repaired) -> list[str]:
    """One line per kind of row a repair rewrote, for the organiser (nothing when nothing was out of step)."""
    drift = repaired.drift
    counted = (
        (drift.search_missing, ngettext("{count} missing search row added",
                                        "{count} missing search rows added", drift.search_missing)),
        (drift.search_stray, ngettext("{count} search row of a contact this hub does not have removed",
                                      "{count} search rows of contacts this hub does not have removed",
                                      drift.search_stray)),
        (drift.search_text, ngettext("{count} search row given its contact's text again",
                                     "{count} search rows given their contacts' text again", drift.search_text)),
        (drift.search_place, ngettext("{count} search row given its contact's place in the list again",
                                      "{count} search rows given their contacts' place in the list again",
                                      drift.search_place)),
        (drift.phone_missing, ngettext("{count} phone number added to the phone index",
                                       "{count} phone numbers added to the phone index", drift.phone_missing)),
        (drift.phone_stray, ngettext("{count} stray entry removed from the phone index",
                                     "{count} stray entries removed from the phone index", drift.phone_stray)),
        (drift.lesson_stray, ngettext("{count} lesson search row of a lesson this hub does not have removed",
                                      "{count} lesson search rows of lessons this hub does not have removed",
                                      drift.lesson_stray)),
        (repaired.lesson_rows, ngettext("{count} lesson search row written from its lesson",
                                        "{count} lesson search rows written from their lessons",
                                        repaired.lesson_rows)),
    )
    lines = [message.format(count=count) for count, message in counted if count]
    if repaired.contact_fts_rebuilt:
        lines.append(_("the contacts' full-text index was rebuilt from their search rows"))
    if repaired.lesson_fts_rebuilt:
        lines.append(_("the lessons' full-text index was rebuilt from their search rows"))
    return lines

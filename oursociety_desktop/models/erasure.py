"""What an erasure does beyond the erasing transaction, so that it leaves nothing behind at this hub:

- the write-ahead log is folded into the database file and truncated (every connection zeroes freed space:
  `secure_delete`), so the old values are in neither file;
- the erased ids are kept in a small file beside the database (`erased-ids.json`), which no restore replaces: when
  a database is opened that lacks some of them (a backup made before the erasure was restored, or copied back by
  hand), the erasures are applied again before anything else (`reapply_erasures`, called by `Database.open`);
- automatic backups are purged of the person: each backup that still holds one of them live is opened, the
  erasure applied in it and the file vacuumed; a backup that cannot be purged (an older schema, damage) is
  deleted. (Why purge rather than encrypt each backup with a key destroyed at rotation: docs/reliability.md.)
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from oursociety_desktop.models.atomic import atomic_write, make_private

if TYPE_CHECKING:
    from oursociety_desktop.models.database import Database

# Why a person was erased, stored with the erasure and sent to every hub. A choice from this list, never free text:
# a typed reason ("her ex-partner found her here") could carry the very personal data the erasure removes.
ERASURE_REASONS: tuple[str, ...] = ("erasure requested", "consent withdrawn", "no longer involved",
                                    "entered in error", "other")
DEFAULT_ERASURE_REASON = ERASURE_REASONS[0]

ERASED_IDS_FILE = "erased-ids.json"
ERASED_IDS_FORMAT = "oursociety-erased-ids"


@dataclass
class ErasureCleanup:
    """What `after_erasure` did."""

    checkpointed: bool
    backups_purged: int
    backups_removed: int


def erased_ids_path(db_path: Path) -> Path:
    """Where the list of erased ids of the hub at `db_path` is kept."""
    return db_path.parent / ERASED_IDS_FILE


def read_erased_ids(db_path: Path) -> dict[str, str]:
    """The erased ids remembered beside the database (id → reason); empty when there is no readable list."""
    try:
        value = json.loads(erased_ids_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ids = value.get("erased") if isinstance(value, dict) and value.get("format") == ERASED_IDS_FORMAT else None
    if not isinstance(ids, dict):
        return {}
    return {str(k): str(v) for k, v in ids.items()}


def remember_erasures(db: Database) -> dict[str, str]:
    """Add every erased contact of the database to the list beside it; returns the whole list."""
    with db.read() as session:
        rows = session.connection().exec_driver_sql("SELECT id, erased_reason FROM contact WHERE erased = 1").all()
    known = read_erased_ids(db.path)
    merged = {**known, **{str(rid): str(reason) for rid, reason in rows}}
    if merged != known:
        with atomic_write(erased_ids_path(db.path)) as fh:
            fh.write(json.dumps({"format": ERASED_IDS_FORMAT, "erased": merged}, sort_keys=True).encode("utf-8"))
    return merged


def reapply_erasures(db: Database) -> int:
    """Erase again, first thing, every remembered person the database holds live (it was restored from, or
    replaced by, a copy older than the erasure). Returns how many were erased again."""
    from oursociety_desktop.models.contacts import erasure_reason, forget_contact

    remembered = read_erased_ids(db.path)
    if not remembered:
        return 0
    with db.read() as session:
        live = [row[0] for row in session.connection().exec_driver_sql(
            "SELECT id FROM contact WHERE erased = 0 AND id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(remembered)),))]
    if not live:
        return 0
    with db.write() as tx:
        for contact_id in live:
            forget_contact(tx, contact_id, erasure_reason(remembered[contact_id]))
    db.checkpoint()
    return len(live)


def after_erasure(db: Database) -> ErasureCleanup:
    """After a transaction that erased people (forget, or an erasure that arrived by bundle): fold the log in,
    remember the ids, purge the automatic backups, and delete the error log of the data folder."""
    checkpointed = db.checkpoint()
    remembered = remember_erasures(db)
    purged, removed = purge_backups(db.path, remembered)
    _remove_error_log(db.path.parent)
    return ErasureCleanup(checkpointed, purged, removed)


def _remove_error_log(folder: Path) -> None:
    """The error log may quote an erased person: a traceback carries the values of the statement that failed, a
    layout error the text of the cell. It cannot be searched for values the erasure has just wiped, so it goes."""
    from oursociety_desktop.paths import log_path

    try:
        log_path(folder).unlink(missing_ok=True)
    except OSError:
        pass


def purge_backups(db_path: Path, erased: dict[str, str]) -> tuple[int, int]:
    """Erase these people in every automatic backup of the hub that still holds one of them live; a backup that
    cannot be purged is deleted. Returns (purged, deleted)."""
    from oursociety_desktop.models.backup import AUTO_PREFIX

    folder = db_path.parent / "backups"
    if not erased or not folder.is_dir():
        return 0, 0
    purged = removed = 0
    for backup in sorted(folder.glob(f"{AUTO_PREFIX}*.sqlite3")):
        try:
            live = _live_in(backup, sorted(erased))
        except sqlite3.Error:
            live = None
        if live == []:
            continue
        try:
            if live is None:
                raise sqlite3.DatabaseError("not a current hub database")
            _erase_in_backup(backup, {contact_id: erased[contact_id] for contact_id in live})
            purged += 1
        except Exception:  # noqa: BLE001 - whatever went wrong, the person must not stay in the file
            _remove_with_log(backup)
            removed += 1
    return purged, removed


def _live_in(backup: Path, erased: list[str]) -> list[str] | None:
    """The erased people this backup holds live; None when it is not a database of the current schema."""
    from oursociety_desktop.models.migrations import LATEST_VERSION

    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        if version != LATEST_VERSION:
            return None
        return [row[0] for row in conn.execute(
            "SELECT id FROM contact WHERE erased = 0 AND id IN (SELECT value FROM json_each(?))",
            (json.dumps(erased),))]
    finally:
        conn.close()


def _erase_in_backup(backup: Path, reasons: dict[str, str]) -> None:
    from oursociety_desktop.models.contacts import erasure_reason, forget_contact
    from oursociety_desktop.models.database import Database

    copy = Database(backup)
    try:
        copy.reload_hub()
        with copy.write() as tx:
            for contact_id, reason in sorted(reasons.items()):
                forget_contact(tx, contact_id, erasure_reason(reason))
    finally:
        copy.close()
    conn = sqlite3.connect(backup, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")  # a backup is one file again
        conn.execute("VACUUM")
    finally:
        conn.close()
    make_private(backup)


def _remove_with_log(backup: Path) -> None:
    for path in (backup, backup.with_name(backup.name + "-wal"), backup.with_name(backup.name + "-shm")):
        path.unlink(missing_ok=True)

"""Backups: consistent copies of the hub database, automatic ones with rotation, and restore."""

from __future__ import annotations

import os
import re
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from oursociety_desktop.i18n import _
from oursociety_desktop.models.atomic import TEMP_SUFFIX, atomic_path, fsync_file, private_folder
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.plain_files import open_plain_file

AUTO_PREFIX = "auto-"
DEFAULT_KEEP = 10


def backup_to(db_path: Path, out: Path) -> Path:
    """Write a consistent copy of the database to `out` (VACUUM INTO a temporary file, checked, then renamed)."""
    out = Path(out)
    with atomic_path(out) as temp:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            source.execute("VACUUM INTO ?", (str(temp),))
        except sqlite3.Error as exc:
            raise UserError(_("Could not back up {db_path}: {exc}.").format(db_path=db_path, exc=exc)) from None
        finally:
            source.close()
        verify_database_file(temp)
    return out


def verify_database_file(path: Path) -> None:
    """Raise UserError unless `path` is an SQLite file that passes integrity_check and holds a hub."""
    try:
        with open_plain_file(path) as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise UserError(_("{path} is not an Our Society database (not an SQLite file).").format(path=path))
    except OSError as exc:
        raise UserError(_("Cannot read {path}: {value}.").format(path=path, value=exc.strerror or exc)) from None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                raise UserError(_("{path} is damaged (integrity check: {value}).")
                                .format(path=path, value=result[0] if result else 'no answer'))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"hub", "contact", "schema_version"} <= tables:
                raise UserError(_("{path} is an SQLite file but not an Our Society hub database.").format(path=path))
            if conn.execute("SELECT COUNT(*) FROM hub").fetchone()[0] != 1:
                raise UserError(_("{path} has no hub record; it cannot be restored.").format(path=path))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(_("{path} is damaged or not a database ({exc}).").format(path=path, exc=exc)) from None


def automatic_backup(db_path: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Back up into the data folder's backups/ before a risky step, keeping the newest `keep` automatic ones."""
    folder = private_folder(db_path.parent / "backups")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe_reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "backup"
    out = backup_to(db_path, folder / f"{AUTO_PREFIX}{stamp}-{safe_reason}.sqlite3")
    rotate_backups(folder, keep)
    return out


def rotate_backups(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond `keep`, and copies left half-written by a backup that was
    interrupted (a hidden `.partial` file of a process that no longer runs: a whole copy of the database, which
    no rotation would ever reach); returns what was removed. Manual backups stay."""
    autos = sorted(p for p in folder.glob(f"{AUTO_PREFIX}*.sqlite3") if p.is_file())
    doomed = autos[: max(0, len(autos) - max(1, keep))]
    doomed.extend(p for p in folder.glob(f".*{TEMP_SUFFIX}") if _writer_gone(p))
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _writer_gone(partial: Path) -> bool:
    """True when the process that was writing `partial` (its pid is in the name) no longer runs."""
    match = re.search(r"\.(\d+)" + re.escape(TEMP_SUFFIX) + "$", partial.name)
    if match is None:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def restore_from(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with a checked backup; the current file, if any, is kept aside first. Returns where
    (None when there was no current file). The restored hub gets a new incarnation: it is another copy of the hub
    than the one that wrote bundles since the backup, and other hubs can tell.

    The caller must have closed every connection to `db_path`.
    """
    backup = Path(backup)
    if not backup.is_file():
        raise UserError(_("No backup file at {backup}.").format(backup=backup))
    verify_database_file(backup)
    aside: Path | None = None
    if db_path.exists():
        aside = _keep_current_aside(db_path)
    with atomic_path(db_path, replacing_database=True) as temp:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            source.execute("VACUUM INTO ?", (str(temp),))
        finally:
            source.close()
        _new_incarnation(temp)
        fsync_file(temp)
        # The old WAL belongs to the old file; leaving it would replay stale pages onto the restored one.
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                os.unlink(side)
    return aside


def _new_incarnation(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(hub)")}
        if "incarnation" in columns:  # a backup from before format 2 gets one from its migration
            with conn:
                conn.execute("UPDATE hub SET incarnation = ?", (str(uuid.uuid4()),))
    finally:
        conn.close()


def _checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the main file, so nothing committed lives only in the -wal file."""
    try:
        conn = sqlite3.connect(db_path, timeout=5)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserError(_("Could not prepare {db_path} for the restore: {exc}. Nothing was changed.")
                        .format(db_path=db_path, exc=exc)) from None


def _keep_current_aside(db_path: Path) -> Path:
    """Copy the current database into backups/ before a restore; a damaged one is moved there as it is."""
    try:
        verify_database_file(db_path)
    except UserError:
        folder = private_folder(db_path.parent / "backups")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"damaged-{stamp}.sqlite3"
        os.replace(db_path, target)
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        return target
    _checkpoint(db_path)
    return automatic_backup(db_path, reason="before-restore")


def ensure_not_busy(db_path: Path, timeout_s: float = 1.5) -> None:
    """Raise DatabaseBusy when another process holds the write lock on a (readable) database file."""
    from oursociety_desktop.models.errors import DatabaseBusy

    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(db_path, timeout=timeout_s, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(
                _("The database in {parent} is busy: another Our Society window or command is using it. "
                "Close it, then restore.").format(parent=db_path.parent)
            ) from None
    except sqlite3.DatabaseError:
        pass  # damaged: the restore is what fixes it
    finally:
        conn.close()

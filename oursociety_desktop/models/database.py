"""The SQLite database: opening it safely, transactions, settings, and translating SQLite's faults into
one-line messages.

Every write runs in one `BEGIN IMMEDIATE` transaction (`Database.write()`), so there is one writer at a time and
a second process gets a clear "busy" message instead of a half-done edit. The hub's hybrid logical clock is read
at the start of each write transaction and saved at its end, so two processes on one database never issue
overlapping stamps.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, select

from oursociety_desktop.i18n import _
from oursociety_desktop.models.atomic import (
    create_private,
    hold_database,
    make_private,
    private_folder,
)
from oursociety_desktop.models.clock import HybridLogicalClock
from oursociety_desktop.models.errors import DatabaseBusy, DatabaseDamaged, UserError
from oursociety_desktop.models.names import register_sql_functions
from oursociety_desktop.models.phones import DEFAULT_REGION
from oursociety_desktop.models.plain_files import open_plain_file
from oursociety_desktop.models.signing import new_signing_key
from oursociety_desktop.models.tables import Hub, Setting, new_id
from oursociety_desktop.models.text import single_line, within_limit

MAX_HUB_NAME = 200  # a hub's name heads every calendar, bundle preview and list of hubs

BUSY_TIMEOUT_MS = 1500

DEFAULT_SETTINGS: dict[str, Any] = {
    "default_region": DEFAULT_REGION,
    "default_share_with_hubs": False,
    "default_include_in_directory": False,  # chosen at first run; older hubs keep the old behaviour
    "text_size": 0,
    "backup_keep": 10,
    # Hours travel to other hubs as monthly totals only, unless the hub chooses to share the detail.
    "share_hours_detail": False,
    # The window's language ("" follows the system; --lang and OURSOCIETY_LANG come first).
    "language": "",
}


def utc_now_iso() -> str:
    """The current time as an ISO 8601 UTC string (second precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Tx:
    """One write transaction: the ORM session, this hub's id, its clock and settings read at the start."""

    session: Session
    hub_id: str
    clock: HybridLogicalClock

    def stamp(self) -> str:
        """A new version stamp, later than any this hub issued or saw."""
        return self.clock.now()

    def stamp_after(self, held: str) -> str:
        """A new version stamp above `held` too: for a local edit of a field whose value is stamped ahead of this
        hub's clock (accepted from quarantine), so that the edit wins over it at every hub."""
        return self.clock.after(held)

    def setting(self, key: str) -> Any:
        """A hub setting, or its default."""
        return get_setting(self.session, key)


def get_setting(session: Session, key: str) -> Any:
    """Read a hub setting, falling back to its default."""
    row = session.get(Setting, key)
    if row is None:
        return DEFAULT_SETTINGS.get(key)
    return row.value


def set_setting(session: Session, key: str, value: Any) -> None:
    """Write a hub setting (inside a write transaction)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def translate_db_error(exc: BaseException, path: Path) -> UserError:
    """Turn an SQLite fault into a one-line message that says what to do."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            _("The database in {parent} is busy: another Our Society window or command is writing to it. "
            "Wait for it to finish or close it, then try again.").format(parent=path.parent)
        )
    if "readonly" in text or "read-only" in text:
        return UserError(_("The data folder {parent} is read-only; choose a writable folder with --data-dir.")
                         .format(parent=path.parent))
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseDamaged(
            _("The database file {path} is damaged or not an Our Society database; "
            "restore a backup with `oursociety restore FILE`.").format(path=path)
        )
    if "disk is full" in text or "database or disk is full" in text:
        return UserError(_("The disk holding {parent} is full; free some space and try again. Nothing was changed.")
                         .format(parent=path.parent))
    if "unable to open" in text:
        return UserError(_("Cannot open the database in {parent}; check the folder exists and is writable.")
                         .format(parent=path.parent))
    return UserError(_("The database in {parent} reported an error: {value!r}")
                     .format(parent=path.parent, value=text.splitlines()[0] if text else exc))


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Autocommit at the driver level; transactions are begun explicitly below, so writes can be IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        # Freed space is zeroed, so an erased person's old values do not linger in free pages or cells.
        cur.execute("PRAGMA secure_delete=ON")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()
        register_sql_functions(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("oursociety_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """An open hub database. Create with `Database.create`, open with `Database.open`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = _make_engine(path)
        hold_database(path)  # no output of this process may be written over it
        self.hub_id = ""
        self.hub_name = ""
        self.incarnation = ""
        self.signing_key = ""
        # People erased again on opening (the file is older than erasures made since: a restored backup).
        self.reapplied_erasures = 0

    # ---- opening ----

    @classmethod
    def create(cls, folder: Path, hub_name: str) -> Database:
        """Create a new hub database in `folder` (made if missing). Refuses to overwrite an existing hub."""
        from oursociety_desktop.models.hub_identity import check_location
        from oursociety_desktop.models.migrations import migrate
        from oursociety_desktop.paths import database_path

        name = within_limit("name", single_line(hub_name).strip(), MAX_HUB_NAME)
        if not name:
            raise UserError(_("The hub needs a name; give one with --hub-name."))
        path = database_path(folder)
        if path.exists():
            raise UserError(_("There is already a hub in {folder}; use it, or choose another folder with --data-dir.")
                            .format(folder=folder))
        try:
            if not folder.exists():
                private_folder(folder)  # personal data: the owner's alone, whatever the umask
            create_private(path)
        except OSError as exc:
            raise UserError(_("Cannot create the data folder {folder}: {value}.")
                            .format(folder=folder, value=exc.strerror or exc)) from None
        _require_writable(folder)
        db = cls(path)
        try:
            migrate(db)
            with db.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
                hub_id = new_id()
                conn.execute(Hub.__table__.insert().values(  # type: ignore[attr-defined]
                    id=hub_id, name=name, created_at=utc_now_iso(), incarnation=new_id(),
                    signing_key=new_signing_key()))
        except (OperationalError, DatabaseError) as exc:
            db.close()
            raise translate_db_error(exc, path) from None
        db._load_hub()
        with db.write() as tx:  # a new hub has no pairs to fold
            tx.session.connection().exec_driver_sql("DELETE FROM setting WHERE key = 'fold_pairs_pending'")
        check_location(db)
        return db

    @classmethod
    def open(cls, folder: Path, *, run_migrations: bool = True) -> Database:
        """Open the hub in `folder`, running pending schema migrations (after a backup) first."""
        from oursociety_desktop.models.erasure import reapply_erasures
        from oursociety_desktop.models.hub_identity import check_location
        from oursociety_desktop.models.migrations import fold_pending_pairs, migrate
        from oursociety_desktop.paths import database_path

        path = database_path(folder)
        if folder.exists() and not folder.is_dir():
            raise UserError(_("The data folder {folder} is a file, not a folder; give the folder that holds the hub.")
                            .format(folder=folder))
        if not folder.is_dir():
            raise UserError(_("The data folder {folder} does not exist; run `oursociety init` to create a hub there.")
                            .format(folder=folder))
        if not path.is_file():
            raise UserError(_("There is no hub in {folder}; run `oursociety init` to create one.")
                            .format(folder=folder))
        _require_writable(folder)
        _require_sqlite_header(path)
        _keep_private(path)
        db = cls(path)
        try:
            if run_migrations:
                migrate(db)
            db._load_hub()
            if run_migrations:
                # Erasures made since the copy this file is (a restored backup) are applied again, first.
                db.reapplied_erasures = reapply_erasures(db)
                fold_pending_pairs(db)
                check_location(db)
        except (OperationalError, DatabaseError) as exc:
            db.close()
            raise translate_db_error(exc, path) from None
        except BaseException:
            db.close()
            raise
        return db

    def reload_hub(self) -> None:
        """Read this hub's id, name, incarnation and key again (after they changed)."""
        self._load_hub()

    def _load_hub(self) -> None:
        with self.read() as session:
            hub = session.exec(select(Hub)).first()
            if hub is None:
                raise UserError(_("The database {path} has no hub record; restore a backup.").format(path=self.path))
            self.hub_id, self.hub_name = hub.id, hub.name
            self.incarnation, self.signing_key = hub.incarnation, hub.signing_key

    def close(self) -> None:
        """Release every connection (the file can then be moved or replaced)."""
        self.engine.dispose()

    def rename(self, name: str) -> str:
        """Give the hub a new name (one transaction); returns it tidied. Raises UserError for an empty name."""
        clean = within_limit("name", single_line(name).strip(), MAX_HUB_NAME)
        if not clean:
            raise UserError(_("The hub needs a name."))
        with self.write() as tx:
            hub = tx.session.get(Hub, self.hub_id)
            assert hub is not None
            hub.name = clean
            tx.session.add(hub)
        self.hub_name = clean
        return clean

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """`with Database.open(folder) as db:` closes the hub when the block ends, however it ends."""
        self.close()

    # ---- transactions ----

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One write transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back on any error."""
        try:
            with self.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
                last = conn.execute(select(Hub.clock).where(Hub.id == self.hub_id)).scalar_one()
                clock = HybridLogicalClock(self.hub_id, last or None)
                start = clock.last  # a hub given a new id has no clock yet (''): saved once it issues a stamp
                with Session(bind=conn, expire_on_commit=False) as session:
                    tx = Tx(session=session, hub_id=self.hub_id, clock=clock)
                    yield tx
                    session.flush()
                if clock.last != start:
                    conn.execute(update(Hub).where(Hub.id == self.hub_id).values(clock=clock.last))  # type: ignore[arg-type]
        except (OperationalError, DatabaseError) as exc:
            raise translate_db_error(exc, self.path) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (one deferred transaction)."""
        try:
            with self.engine.connect() as conn, conn.begin(), Session(bind=conn) as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            raise translate_db_error(exc, self.path) from None

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the database file and truncate it (after an erasure: the old values must
        not stay in the log). True when every frame was folded in (a reader holding an old snapshot prevents it)."""
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise translate_db_error(exc, self.path) from None
        return busy is not None and busy[0] == 0

    def compact_if_freed(self, share: float = 0.05) -> bool | None:
        """VACUUM when at least `share` of the file's pages are free, so the file shrinks to what it holds (a
        100,000-contact hub takes about 2 s). Either way the write-ahead log is folded in and truncated: what wrote
        those pages (a migration rewriting tables, the VACUUM itself) left it as large, for as long as the hub stays
        open. True when VACUUM ran, False when too little was free. Best effort: when it cannot (VACUUM needs room
        for a copy of the file; another process may hold the hub), the file stays as it was, larger than it need
        be, and None is returned."""
        vacuum = False
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                free = conn.execute("PRAGMA freelist_count").fetchone()[0]
                if free >= share * conn.execute("PRAGMA page_count").fetchone()[0]:
                    conn.execute("VACUUM")
                    vacuum = True
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        return vacuum

    def setting(self, key: str) -> Any:
        """Read one hub setting."""
        with self.read() as session:
            return get_setting(session, key)


def _require_writable(folder: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(_("The data folder {folder} is read-only; choose a writable folder with --data-dir.")
                        .format(folder=folder))
    db_file = folder / "oursociety.sqlite3"
    if db_file.exists() and not os.access(db_file, os.W_OK):
        raise UserError(_("The database file {db_file} is read-only; make it writable or restore a backup elsewhere.")
                        .format(db_file=db_file))


def _keep_private(path: Path) -> None:
    """A database made by an older version (0644) becomes the owner's alone, with its write-ahead log."""
    try:
        for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            make_private(side)
    except OSError:
        pass  # not ours to change (another owner): opening still works


def _require_sqlite_header(path: Path) -> None:
    try:
        with open_plain_file(path) as fh:
            header = fh.read(16)
    except OSError as exc:
        raise UserError(_("Cannot read the database file {path}: {value}.")
                        .format(path=path, value=exc.strerror or exc)) from None
    if header != b"SQLite format 3\x00":
        raise DatabaseDamaged(
            _("The database file {path} is damaged or not an Our Society database; "
            "restore a backup with `oursociety restore FILE`.").format(path=path)
        )

"""Helpers for the exchange tests: real hubs in temporary folders, bundles on disk."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from oursociety_desktop.models.contacts import create_contact, update_contact
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.dump import iter_dump_lines
from oursociety_desktop.services.exchange import ExportResult, ImportResult, export_bundle, import_bundle


def make_hub(root: Path, name: str, share_by_default: bool = True) -> Database:
    """A new hub in root/name whose new contacts are shared unless told otherwise."""
    db = Database.create(root / name, name)
    with db.write() as tx:
        set_setting(tx.session, "default_share_with_hubs", share_by_default)
    return db


def introduce(*dbs: Database) -> None:
    """Make every hub trust every other one with its real keys, as organisers do after comparing fingerprints (the
    encryption key comes with the signing key, in the same signed manifest)."""
    from oursociety_desktop.models.signing import encryption_public_key_of, public_key_of
    from oursociety_desktop.models.trust import accept_hub

    for db in dbs:
        with db.write() as tx:
            for other in dbs:
                if other is not db:
                    accept_hub(tx, other.hub_id, other.hub_name, public_key_of(other.signing_key),
                               encryption_public_key_of(other.signing_key))


def add_contact(db: Database, **values: Any) -> str:
    """Create a contact; returns its id."""
    values.setdefault("given_name", "Ada")
    with db.write() as tx:
        return create_contact(tx, values).id


def edit_contact(db: Database, contact_id: str, **changes: Any) -> None:
    """Change fields of a contact in one transaction."""
    with db.write() as tx:
        update_contact(tx, contact_id, changes)


def contact_row(db: Database, contact_id: str) -> dict[str, Any]:
    """A contact's stored row (plain values)."""
    from oursociety_desktop.models.contacts import get_contact

    with db.read() as session:
        return get_contact(session, contact_id).model_dump()


def send(source: Database, target: Database, folder: Path, name: str = "", **export_kw: Any) -> ImportResult:
    """Export a bundle from `source` and import it at `target`."""
    path = folder / (name or f"{source.hub_name}-{len(list(folder.glob('*')))}.oursociety")
    export_bundle(source, path, **export_kw)
    return import_bundle(target, path, backup=False, trust_new_hub=True)


def export_to(db: Database, path: Path, **kw: Any) -> ExportResult:
    """Export a bundle to `path`."""
    return export_bundle(db, path, **kw)


def dump_text(db: Database) -> str:
    """The canonical dump."""
    with db.engine.connect() as conn:
        return "\n".join(iter_dump_lines(conn))


def file_hash(db: Database) -> str:
    """SHA-256 of the database file after every connection closed and the write-ahead log was folded in."""
    db.close()
    conn = sqlite3.connect(db.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(db.path.read_bytes()).hexdigest()

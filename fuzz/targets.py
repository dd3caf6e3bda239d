"""What is fuzzed: each target takes bytes, feeds them through the real reader and import into a real hub, and
may only ever fail with a one-line UserError that leaves the database unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oursociety_desktop.formats import csv_io, csv_mapping, vcard
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.services.exchange import export_bundle, import_bundle
from oursociety_desktop.services.import_checks import plan_import
from oursociety_desktop.services.people_import import ImportOptions, apply_import

PASSPHRASE = "correct horse battery staple"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "interop" / "fixtures"


def state_of(db: Database) -> tuple[object, ...]:
    """A cheap fingerprint of everything an import can change."""
    conn = sqlite3.connect(db.path)
    try:
        return tuple(
            conn.execute(f"SELECT COUNT(*), MAX(stamp) FROM {t}").fetchone()  # noqa: S608 - fixed names
            for t in ("contact", "contact_group", "membership", "action", "action_link", "connection")
        ) + (conn.execute("SELECT COUNT(*) FROM exchange_log").fetchone(), conn.execute(
            "SELECT COUNT(*) FROM conflict").fetchone(), conn.execute("SELECT COUNT(*) FROM peer_hub").fetchone())
    finally:
        conn.close()


def import_vcard(db: Database, data: bytes, work: Path) -> None:
    rows = vcard.parse_vcards(data, "fuzz.vcf")
    plan_import(db, rows)
    apply_import(db, rows, ImportOptions(on_duplicate="update"), backup=False)


def import_csv(db: Database, data: bytes, work: Path) -> None:
    table = csv_io.parse_csv(data, "fuzz.csv")
    mapping = csv_mapping.suggest_mapping(table.headers, "auto")
    rows = csv_mapping.table_to_rows(table, mapping)
    plan_import(db, rows)
    apply_import(db, rows, ImportOptions(on_duplicate="fill"), backup=False)


def _bundle_importer(passphrase: str | None) -> Callable[[Database, bytes, Path], None]:
    def run(db: Database, data: bytes, work: Path) -> None:
        path = work / "fuzz.oursociety"
        path.write_bytes(data)
        import_bundle(db, path, passphrase=passphrase, backup=False, trust_new_hub=True)
    return run


@dataclass
class Target:
    name: str
    run: Callable[[Database, bytes, Path], None]
    seeds: list[bytes]
    structured: bool = False  # a ZIP bundle whose members can be rewritten and re-signed


def _demo_hub(folder: Path, name: str, contacts: int, seed: int) -> Database:
    db = Database.create(folder / name, name)
    generate_demo(db, contacts, seed=seed)
    return db


def build_targets(work: Path) -> list[Target]:
    """Seed corpora: real-shaped fixture files and exports of a small demo hub."""
    source = _demo_hub(work, "source", 40, seed=3)
    with source.write() as tx:
        tx.session.connection().exec_driver_sql("UPDATE contact SET share_with_hubs = 1")
    plain, encrypted = work / "plain.oursociety", work / "encrypted.oursociety"
    export_bundle(source, plain)
    export_bundle(source, encrypted, passphrase=PASSPHRASE)
    from oursociety_desktop.cli import main

    main(["--data-dir", str(source.path.parent), "vcard", "export", str(work / "demo.vcf"), "--version", "4.0"])
    main(["--data-dir", str(source.path.parent), "csv", "export", str(work / "demo.csv")])
    source.close()
    # The fixtures include the field cases (fixtures/field-cases/): files in the shapes real tools write.
    vcards = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.vcf"))] + [(work / "demo.vcf").read_bytes()]
    csvs = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.csv"))] + [(work / "demo.csv").read_bytes()]
    return [
        Target("vcard", import_vcard, vcards),
        Target("csv", import_csv, csvs),
        Target("bundle", _bundle_importer(None), [plain.read_bytes()], structured=True),
        Target("bundle-encrypted", _bundle_importer(PASSPHRASE), [encrypted.read_bytes()]),
    ]


def resign_bundle(members: dict[str, bytes]) -> bytes:
    """Rebuild a plain bundle from (possibly mutated) members, with the manifest's SHA-256 values recomputed, so a
    mutation gets past the integrity check and reaches the schema and merge checks."""
    manifest_raw = members.get("manifest.json", b"{}")
    try:
        manifest = json.loads(manifest_raw)
    except ValueError:
        manifest = None
    if isinstance(manifest, dict) and isinstance(manifest.get("members"), dict):
        for name, info in manifest["members"].items():
            if isinstance(info, dict) and name in members:
                info["sha256"] = hashlib.sha256(members[name]).hexdigest()
                info["bytes"] = len(members[name])
        manifest_raw = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_raw)
        for name, content in members.items():
            if name != "manifest.json":
                zf.writestr(name, content)
    return buffer.getvalue()


def unzip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def run_one(target: Target, db: Database, data: bytes, work: Path) -> str:
    """Feed one input; returns 'accepted' or 'rejected'. Raises AssertionError on any other behaviour."""
    before = state_of(db)
    try:
        target.run(db, data, work)
    except UserError as exc:
        message = exc.message
        assert message and "\n" not in message and "Traceback" not in message, f"bad message: {message!r}"
        assert state_of(db) == before, f"rejected input changed the database: {message}"
        return "rejected"
    return "accepted"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


__all__ = ["Target", "build_targets", "digest", "resign_bundle", "run_one", "unzip_members", "state_of"]

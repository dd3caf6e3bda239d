"""Hub exchange by file: make bundles, preview and apply imports, sync through a shared folder.

These functions are what the command line and the Exchange workspace call. Each takes an optional
`progress(percent, message)` callback; returning False from it cancels, and the transaction rolls back.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.formats.bundle import (
    BundleReader,
    Manifest,
    open_bundle_bytes,
    read_bundle_bytes,
    write_bundle,
)
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.backup import automatic_backup
from oursociety_desktop.models.bulk import cyclic_gc_paused, larger_page_cache
from oursociety_desktop.models.clock import FUTURE_TOLERANCE_MS, stamp_wall_ms
from oursociety_desktop.models.database import Database, Tx
from oursociety_desktop.models.erasure import after_erasure
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.exchange_log import (
    already_merged,
    delta_since,
    log_exchange,
    lower_resend_marks,
    note_peer,
    take_acknowledgement,
)
from oursociety_desktop.models.hub_identity import incarnation_note, note_incarnation, require_settled_identity
from oursociety_desktop.models.knowledge import knowledge_vector, note_bundle_imported
from oursociety_desktop.models.merge import BundleMerger, MergeReport
from oursociety_desktop.models.outgoing import iter_outgoing_lines
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.search import search_index_at_end
from oursociety_desktop.models.signing import public_key_of
from oursociety_desktop.models.tables import PeerHub
from oursociety_desktop.models.trust import (
    TRUSTED,
    PeerTrust,
    accept_hub,
    check_bundle_signer,
    fingerprint,
    pin_on_import,
    require_trusted,
)
from oursociety_desktop.models.wording import record_type_word

# Bundles of at least this many records are merged with the cycle collector paused (see `import_bundle`).
GC_PAUSE_RECORDS = 20_000


def _check(progress: Progress | None, percent: int, message: str) -> None:
    if progress is not None and progress(percent, message) is False:
        raise Cancelled()


# ---- export ----


@dataclass
class ExportResult:
    """A bundle just written."""

    path: Path
    manifest: Manifest

    def to_json(self) -> dict[str, Any]:
        """What `export --json` would print."""
        return {"file": str(self.path), "bundle_id": self.manifest.bundle_id, "kind": self.manifest.kind,
                "since": self.manifest.since, "for_hub": self.manifest.for_hub, "counts": self.manifest.counts}


def export_bundle(db: Database, out: Path, *, for_hub: str | None = None, since: str | None = None,
                  passphrase: str | None = None, progress: Progress | None = None,
                  readers: list[str] | None = None, bundle_id: str | None = None,
                  recipients: list[str] | None = None) -> ExportResult:
    """Write a bundle: full (everything shareable), a delta for a peer hub (`for_hub`: what that hub has not
    acknowledged; full when it acknowledged nothing), or a delta for the hubs reading an exchange folder
    (`readers`), encrypted to a passphrase or to the hubs whose X25519 keys are `recipients`. Nothing moves when a
    bundle is written: only an acknowledgement does. Logged in the exchange log
    with this hub's clock, which a peer's acknowledgement names."""
    out = Path(out)
    require_settled_identity(db)
    for_hub = (for_hub or "").strip().lower() or None
    if for_hub == db.hub_id:
        raise UserError(_("That is this hub's own id; give the id of the hub the bundle is for."))
    _check(progress, 0, _("Reading the records to share"))
    with db.write() as tx:
        conn = tx.session.connection()
        # A stamp of its own for the bundle: above every stamp held here, and never the same for two bundles, so
        # an acknowledgement names exactly one bundle.
        clock = tx.stamp()
        if since is None:
            since = delta_since(tx.session, [for_hub] if for_hub is not None else (readers or []))
        total = _count_rows(conn) if not since else 0
        opaque_types = {name: json.loads(refs) for name, refs in conn.execute(
            text("SELECT name, refs FROM opaque_type"))}
        manifest = write_bundle(out, iter_outgoing_lines(conn, since), source_hub_id=db.hub_id,
                                source_hub_name=db.hub_name, incarnation=db.incarnation, signing_key=db.signing_key,
                                kind="delta" if since else "full", since=since, for_hub=for_hub or "",
                                clock=clock, knowledge=knowledge_vector(conn), opaque_types=opaque_types,
                                passphrase=passphrase, expected_total=total, progress=progress,
                                bundle_id=bundle_id, recipients=recipients)
        log_exchange(tx, "export", for_hub or "", out.name,
                     {"bundle_id": manifest.bundle_id, "kind": manifest.kind, "since": since, "clock": clock,
                      "counts": manifest.counts,
                      "encrypted": passphrase is not None or recipients is not None})
    if progress is not None:
        progress(100, _("Bundle written"))  # done: too late to cancel
    return ExportResult(out, manifest)


def _count_rows(conn: Connection) -> int:
    total = int(conn.execute(text("SELECT COUNT(*) FROM opaque_record")).scalar_one())
    for record_type in REGISTRY:
        total += int(conn.execute(text(f"SELECT COUNT(*) FROM {record_type.table_name}")).scalar_one())  # noqa: S608
    return total


# ---- import ----


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    file_name: str
    manifest: Manifest
    report: MergeReport
    dry_run: bool
    source: str  # "this hub" | "new hub" (not trusted yet) | "known hub" (trusted)
    file_sha256: str = ""
    backup: str = ""
    notes: list[str] = field(default_factory=list)
    # The notes that warn (records kept in quarantine, kinds this version does not know...), for the app's preview.
    warnings: list[str] = field(default_factory=list)
    # The fingerprint of the key that signed the bundle, and whether this import accepted its hub.
    fingerprint: str = ""
    trusted_now: bool = False

    @property
    def changes(self) -> int:
        """Records changed (0 when everything was already known)."""
        return self.report.changes

    def to_json(self) -> dict[str, Any]:
        """Counts and flags, machine-readably (`import --json`)."""
        data = self.report.to_json()
        data.update({"file": self.file_name, "dry_run": self.dry_run, "bundle_id": self.manifest.bundle_id,
                     "kind": self.manifest.kind, "created_at": self.manifest.created_at,
                     "source_hub": {"id": self.manifest.source_hub_id, "name": self.manifest.source_hub_name},
                     "source": self.source, "notes": self.notes, "fingerprint": self.fingerprint,
                     "trusted_now": self.trusted_now})
        return data


class _DryRun(Exception):
    """Raised inside the transaction to roll a preview back."""


def _source_kind(db: Database, manifest: Manifest, label: str) -> tuple[str, PeerTrust | None]:
    """Who sent the bundle: this hub, a trusted hub or a hub not trusted (yet). A bundle claiming this hub or a
    trusted hub but signed by another key is refused as forged (models/trust.py)."""
    with db.read() as session:
        known = check_bundle_signer(session, db.hub_id, public_key_of(db.signing_key), manifest.source_hub_id,
                                    manifest.source_hub_name, manifest.signing_key, label)
    if manifest.source_hub_id == db.hub_id:
        return "this hub", None
    return ("known hub" if known is not None and known.trust == TRUSTED else "new hub"), known


def open_for_import(path: Path, passphrase: str | None, hub_key: str | None = None) -> tuple[BundleReader, str]:
    """Read and check a bundle's container (decrypted with the passphrase, or with `hub_key`, the reading hub's
    private key, when it is encrypted to hubs); returns the reader and the file's SHA-256."""
    data = read_bundle_bytes(Path(path))
    digest = hashlib.sha256(data).hexdigest()
    return open_bundle_bytes(data, passphrase, Path(path).name, hub_key), digest


def import_bundle(db: Database, path: Path, *, passphrase: str | None = None, dry_run: bool = False,
                  progress: Progress | None = None, backup: bool = True, trust_new_hub: bool = False
                  ) -> ImportResult:
    """Preview (`dry_run`) or apply a bundle. Applying backs the database up first, then merges everything in one
    transaction and logs it. Any fault in the bundle, found at any point, rolls everything back.

    A bundle is applied only from a hub this hub trusts; `trust_new_hub` accepts the sending hub and pins its key
    in the same transaction (the organiser compared its fingerprint). A preview of a bundle from a hub not trusted
    yet says so, with the fingerprint. A bundle claiming a trusted hub (or this one) but signed by another key is
    refused with ForgedBundle."""
    path = Path(path)
    _check(progress, 0, _("Checking the bundle"))
    reader, digest = open_for_import(path, passphrase, db.signing_key)
    manifest = reader.manifest
    source, known = _source_kind(db, manifest, path.name)
    print_ = fingerprint(manifest.signing_key)
    notes: list[str] = []
    trust_warning: list[str] = []
    if source == "this hub":
        notes.append(_("This bundle was made by this hub itself."))
        if not dry_run:
            raise UserError(_("{name} was made by this hub itself; there is nothing to import from it.")
                            .format(name=path.name))
    elif source == "new hub":
        if not dry_run and not trust_new_hub:
            require_trusted(known, manifest.source_hub_id, manifest.source_hub_name, manifest.signing_key, path.name,
                            manifest.encryption_key)
        trust_warning.append(
            _("Hub '{name}' is not trusted yet; its key's fingerprint "
              "is {fingerprint}. Compare it with that hub's organiser before "
              "accepting the hub.").format(name=manifest.source_hub_name,
                                           fingerprint=print_ or _("none (an unsigned format 1 bundle)")))
    if not dry_run:
        require_settled_identity(db)
    with db.read() as session:
        copy_note = incarnation_note(session.get(PeerHub, manifest.source_hub_id), manifest.incarnation)
    backup_path = ""
    if not dry_run and backup:
        _check(progress, 2, _("Backing up the database"))
        backup_path = str(automatic_backup(db.path, "before-import", int(db.setting("backup_keep") or 10)))
    total = max(1, manifest.total_records)
    result: ImportResult | None = None
    try:
        def indexing(done: int, total: int) -> None:
            _check(progress, 95 + done * 4 // max(1, total), _("Building the search index"))

        def merging(percent: int, record_type: str) -> None:
            _check(progress, percent, _("Merging {record_type} records").format(
                record_type=record_type_word(record_type)))

        # A big bundle's records would wake the cycle collector thousands of times (2.6 s of 15 at 100k). A small
        # one's need no pause, and a pause ends by moving what was made out of young collections' reach (in the
        # window, among its frozen objects, until it closes): a folder sync's frequent small imports should not.
        paused: AbstractContextManager[None] = (cyclic_gc_paused() if manifest.total_records >= GC_PAUSE_RECORDS
                                                else nullcontext())
        with db.write() as tx, larger_page_cache(tx.session.connection()), \
                search_index_at_end(tx.session.connection(), indexing):
            merger = BundleMerger(tx)
            merger.release_quarantine()
            merger.declare_types(manifest.types)
            if already_merged(tx.session, manifest.bundle_id, digest):
                merger.count_unchanged(manifest.counts)  # this very file was merged here before
            else:
                done = 0
                with paused:
                    for record_type, batch in reader.iter_batches():
                        merger.merge_batch(record_type, batch)
                        done += len(batch)
                        merging(5 + done * 90 // total, record_type)
            report = merger.finish(partial(merging, 95))  # its last steps: pairs checked, erasure rules
            warnings = trust_warning + ([copy_note] if copy_note else [])
            if report.erasures:
                warnings.append(erasure_note(report.erasures, report.people_erased))
            if report.people_withdrawn:
                warnings.append(withdrawal_note(report.people_withdrawn))
            if report.unknown_records:
                warnings.append(ngettext("{count} record of a kind this version does not know; it is "
                                         "kept and passed on.", "{count} records of kinds this version does not know; "
                                         "they are kept and passed on.", report.unknown_records)
                                .format(count=report.unknown_records))
            if report.far_future:
                warnings.append(far_future_note(tx, report.far_future_hubs))
            if report.released:
                warnings.append(ngettext("{count} record kept in quarantine earlier was merged now.",
                                         "{count} records kept in quarantine earlier were merged now.",
                                         report.released).format(count=report.released))
            result = ImportResult(path.name, manifest, report, dry_run, source, digest, backup_path,
                                  notes + warnings, warnings, print_)
            if dry_run:
                raise _DryRun()
            if source == "new hub":
                accept_hub(tx, manifest.source_hub_id, manifest.source_hub_name, manifest.signing_key,
                           manifest.encryption_key)
                result.trusted_now = True
            else:
                pin_on_import(tx, manifest.source_hub_id, manifest.signing_key, manifest.encryption_key)
            _record_import(tx, result)
    except _DryRun:
        pass
    assert result is not None
    if not dry_run and (result.report.erasures or result.report.people_erased):
        after_erasure(db)  # nothing of them in the write-ahead log, the backups, or after a restore
    _check(progress, 100, _("Done"))
    return result


def erasure_note(erasures: int, people_erased: int) -> str:
    """One line on the erasures a bundle carries, counted apart from deletes."""
    # Two whole sentences, each with its own count (one message cannot agree with two numbers).
    return " ".join((
        ngettext("The bundle carries {erasures} erasure of a person (right to erasure, final).",
                 "The bundle carries {erasures} erasures of a person (right to erasure, final).", erasures)
        .format(erasures=erasures),
        ngettext("{people} person held here will have every personal field wiped.",
                 "{people} people held here will have every personal field wiped.", people_erased)
        .format(people=people_erased)))


def withdrawal_note(people: int) -> str:
    """One line on the people withdrawn by the bundle (their sharing switched off at another hub: the consent
    holder, or any hub, as any hub may switch it off): this hub keeps only their id from now on. It said "by the
    hub holding their consent", which a withdrawal made at another hub is not."""
    return ngettext("{n} person held here was withdrawn (their sharing switched off at another hub): only their id "
                    "is kept.",
                    "{n} people held here were withdrawn (their sharing switched off at another hub): only their ids "
                    "are kept.",
                    people).format(n=people)


def far_future_note(tx: Tx, by_hub: dict[str, int]) -> str:
    """One line naming the hubs whose clocks are wrong (from the stamps themselves, not the sender), or saying that
    this computer's clock is: when this hub already holds stamps more than a day ahead of it, its clock went back,
    and every other hub's stamps look far ahead."""
    total = sum(by_hub.values())
    if tx.clock.ahead_of_wall() > FUTURE_TOLERANCE_MS:
        held = datetime.fromtimestamp(stamp_wall_ms(tx.clock.last) / 1000, UTC).date().isoformat()
        return (ngettext("{total} record carries a stamp more than 24 hours ahead of this computer's clock, but this "
                         "hub already holds stamps from {date}: this computer's clock is behind now, or was set ahead "
                         "once. Check its date and time; the record waits in quarantine until then.",
                         "{total} records carry a stamp more than 24 hours ahead of this computer's clock, but this "
                         "hub already holds stamps from {date}: this computer's clock is behind now, or was set ahead "
                         "once. Check its date and time; the records wait in quarantine until then.", total)
                .format(total=total, date=held))
    names = []
    for hub_id in sorted(by_hub):
        peer = tx.session.get(PeerHub, hub_id)
        names.append(f"'{peer.name}' ({hub_id[:8]})" if peer is not None and peer.name else hub_id[:40])
    return (ngettext("{total} record carries a stamp more than 24 hours ahead of this computer's clock; the clock "
                     "of hub {hubs} is wrong. It waits in quarantine, without moving this hub's clock, until that "
                     "time comes or you accept it (`oursociety quarantine accept`).",
                     "{total} records carry a stamp more than 24 hours ahead of this computer's clock; the clock "
                     "of hub {hubs} is wrong. They wait in quarantine, without moving this hub's clock, until that "
                     "time comes or you accept them (`oursociety quarantine accept`).", total)
            .format(total=total, hubs=", ".join(names)))


@dataclass
class QuarantineEntry:
    """A record waiting in quarantine."""

    record_type: str
    record_id: str
    stamp: str
    hub_id: str
    received_at: str

    def to_json(self) -> dict[str, str]:
        """Plain values."""
        return {"record_type": self.record_type, "id": self.record_id, "stamp": self.stamp, "hub": self.hub_id,
                "received_at": self.received_at}


def quarantined(db: Database) -> list[QuarantineEntry]:
    """The records waiting in quarantine, oldest arrival first."""
    with db.read() as session:
        rows = session.connection().execute(text(
            "SELECT record_type, id, stamp, hub_id, received_at FROM quarantined_record "
            "ORDER BY received_at, record_type, id")).all()
    return [QuarantineEntry(*row) for row in rows]


def accept_quarantined(db: Database) -> MergeReport:
    """Merge every record in quarantine now (the organiser accepts them); this hub's clock is not moved."""
    with db.write() as tx:
        merger = BundleMerger(tx)
        merger.release_quarantine(accept_all=True)
        report = merger.finish()
        lower_resend_marks(tx, report.change_floor)
        return report


def _record_import(tx: Tx, result: ImportResult) -> None:
    manifest = result.manifest
    note_incarnation(note_peer(tx, manifest.source_hub_id, manifest.source_hub_name), manifest.incarnation)
    take_acknowledgement(tx, manifest.source_hub_id, manifest.knowledge)
    lower_resend_marks(tx, result.report.change_floor, except_hub=manifest.source_hub_id)
    note_bundle_imported(tx.session.connection(), manifest.source_hub_id, manifest.kind, manifest.since,
                         manifest.clock)
    summary = result.report.to_json()
    summary.update({"bundle_id": manifest.bundle_id, "kind": manifest.kind, "file_sha256": result.file_sha256,
                    "source_hub_name": manifest.source_hub_name})
    log_exchange(tx, "import", manifest.source_hub_id, result.file_name, summary)

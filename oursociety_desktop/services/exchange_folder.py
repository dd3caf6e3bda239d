"""Exchange through a shared folder (a USB stick, a Syncthing or Nextcloud folder): `sync FOLDER`.

A folder is known by the id in its marker file (`oursociety-exchange-folder.json`), never by its path: a swapped,
emptied or newly mounted stick is a new folder, and gets what its readers need. Bundle files are named
`<hub>_<hub id>_<bundle id>.oursociety`, so a sync recognises its own files and bundles it has imported without
opening them. Names are compared after Unicode normalisation (NFC) and case folding; the conflict copies that
Syncthing (`*.sync-conflict-*`), Nextcloud (`* (conflicted copy ...)`) and Dropbox (`* (... conflicted copy ...)`)
make keep the ids in their names, so they are recognised as the same bundle; temporary files of those tools
(`.syncthing.*.tmp`, `~syncthing~*`, `.~*`) are never read.

A sync imports every bundle from another hub it has not imported yet, writes this hub's delta for the hubs that
read the folder (those whose bundles are in it: what they have not acknowledged), and removes this hub's own
bundles once every one of those hubs has acknowledged them. It never deletes a file another hub wrote. A file it
cannot read is reported once, not at every sync, and read again once it changes (a bundle still being copied).
What this hub leaves in a folder reveals nothing about people: its bundles are encrypted to the hubs it trusts, and
its introduction holds only its keys (services/folder_files.py).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oursociety_desktop.formats.bundle import BundleReader, open_bundle
from oursociety_desktop.formats.hub_crypto import NotARecipient
from oursociety_desktop.i18n import _
from oursociety_desktop.models.backup import automatic_backup
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.erasure import read_erased_ids
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.exchange_log import seen_bundle_ids
from oursociety_desktop.models.hub_identity import require_settled_identity
from oursociety_desktop.models.outgoing import iter_outgoing_lines
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.signing import encryption_public_key_of
from oursociety_desktop.models.tables import PeerHub
from oursociety_desktop.models.trust import (
    CONTESTED,
    TRUSTED,
    UntrustedHub,
    contested_message,
    learn_key,
    recipient_keys,
)
from oursociety_desktop.services.exchange import (
    ImportResult,
    export_bundle,
    import_bundle,
    open_for_import,
)
from oursociety_desktop.services.folder_files import (
    adopt_own_files,
    bundle_file_name,
    clock_ahead_of_computer,
    file_key,
    folder_id,
    folder_state,
    ids_in_name,
    is_bundle_name,
    name_key,
    remove_unencrypted_bundles,
    save_folder_state,
    write_introduction,
)


def _check(progress: Progress | None, percent: int, message: str) -> None:
    if progress is not None and progress(percent, message) is False:
        raise Cancelled()


@dataclass
class SyncResult:
    """What `sync FOLDER` did."""

    written: Path | None
    imported: list[ImportResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Hubs whose bundles wait because this hub does not trust them yet: {"id", "name", "fingerprint", "file",
    # "contested" (bundles signed by different keys claimed the hub: models/trust.py)}.
    untrusted: list[dict[str, Any]] = field(default_factory=list)
    # Bundles other hubs encrypted to hubs other than this one (also in `skipped`, with the reason, once), and
    # trusted hubs that cannot read this hub's bundles yet because their encryption key has not reached this hub.
    not_for_us: list[str] = field(default_factory=list)
    unreachable: list[dict[str, str]] = field(default_factory=list)
    introduction: str = ""  # this hub's introduction, when this sync wrote it
    introduced: list[str] = field(default_factory=list)  # the hubs whose introduction this sync read
    # The day this hub's clock stands at when it is more than a day ahead of this computer's ("" when not).
    clock_ahead: str = ""

    def to_json(self) -> dict[str, Any]:
        """Plain summary."""
        return {"written": str(self.written) if self.written else None,
                "imported": [r.to_json() for r in self.imported], "skipped": self.skipped, "removed": self.removed,
                "untrusted_hubs": self.untrusted, "not_for_this_hub": self.not_for_us,
                "unreachable_hubs": self.unreachable, "introduction": self.introduction or None,
                "clock_ahead_until": self.clock_ahead or None,
                "erasures": sum(r.report.erasures for r in self.imported),
                "people_erased": sum(r.report.people_erased for r in self.imported),
                "warnings": [w for r in self.imported for w in r.warnings]}

    def untrusted_lines(self) -> list[str]:
        """One line per hub not trusted yet: a sync never trusts a hub by itself."""
        return [contested_message(hub["name"], hub["id"], hub["fingerprint"]) if hub.get("contested") else
                _("Hub '{name}' ({id}) is not trusted yet, so its bundle {file} was not "
                  "imported; its key's fingerprint is {fingerprint}. Compare it with that hub's organiser, "
                  "then run `oursociety hub trust {id}`.").format(name=hub["name"], id=hub["id"], file=hub["file"],
                                                                 fingerprint=hub["fingerprint"])
                for hub in self.untrusted]

    def clock_lines(self) -> list[str]:
        """One line when this hub's clock stands more than a day ahead of this computer's: its changes carry that
        time, and every other hub keeps them in quarantine until then."""
        if not self.clock_ahead:
            return []
        return [_("This hub's clock stands at {date}, more than a day ahead of this computer's clock: the "
                  "computer's date was set ahead once, or is behind now. This hub's changes carry that date, and "
                  "other hubs keep them in quarantine until then; check the date and time.")
                .format(date=self.clock_ahead)]

    def unreachable_lines(self) -> list[str]:
        """One line per trusted hub this hub cannot encrypt to yet."""
        return [_("Hub '{name}' ({id}) cannot read this hub's bundles yet: its encryption key comes with its next "
                  "bundle (from version 2.1 of the bundle format on).").format(name=hub["name"], id=hub["id"])
                for hub in self.unreachable]


def sync_folder(db: Database, folder: Path, *, passphrase: str | None = None,
                progress: Progress | None = None) -> SyncResult:
    """Import the bundles in `folder` this hub has not imported, write this hub's delta for the folder's readers
    when there is something to say (new records, or acknowledgements of what was just imported), and remove this
    hub's bundles every reader has acknowledged. What this hub writes is encrypted to the hubs it trusts and to
    itself; `passphrase` opens bundles other hubs wrote with one (versions before bundle format 2.1)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(_("The exchange folder {folder} does not exist; plug in the drive or choose another folder.")
                        .format(folder=folder))
    require_settled_identity(db)
    fid = folder_id(folder)
    state = folder_state(db, fid)
    result = SyncResult(written=None)
    with db.read() as session:
        seen = seen_bundle_ids(session)
    readers = set(state["readers"])
    reported = set(state["reported"])
    todo: list[tuple[Path, str]] = []
    present: set[str] = set()
    own: list[Path] = []
    for path in sorted(folder.iterdir(), key=lambda p: name_key(p.name)):
        if not is_bundle_name(path.name) or not path.is_file():
            continue
        key = file_key(path)
        present.add(key)
        ids = ids_in_name(path.name)
        if ids is not None:
            hub, bundle = ids
            if hub == db.hub_id:
                own.append(path)
                continue
            readers.add(hub)
            if bundle not in seen and key not in reported:
                todo.append((path, bundle))
            continue
        if key in reported:
            continue
        try:  # a bundle named by another program: its manifest says what it is
            manifest = open_for_import(path, passphrase, db.signing_key)[0].manifest
        except NotARecipient as exc:
            result.not_for_us.append(path.name)
            result.skipped.append(f"{path.name}: {exc.message}")
            reported.add(key)
            continue
        except UserError as exc:
            result.skipped.append(f"{path.name}: {exc.message}")
            reported.add(key)
            continue
        if manifest.source_hub_id != db.hub_id and manifest.bundle_id not in seen:
            readers.add(manifest.source_hub_id)
            todo.append((path, manifest.bundle_id))
    _import_all(db, todo, passphrase, progress, result, seen, reported)
    _check(progress, 85, _("Writing this hub's changes"))
    adopt_own_files(db, own, state)
    _remove_bundles_naming_erased(db, folder, state, result)
    result.removed.extend(remove_unencrypted_bundles(folder, state))
    readers.discard(db.hub_id)
    with db.read() as session:  # a hub not trusted (yet) reads nothing of ours
        readers = {hub for hub in readers
                   if (peer := session.get(PeerHub, hub)) is not None and peer.trust == TRUSTED}
        recipients, missing = recipient_keys(session, encryption_public_key_of(db.signing_key))
    result.unreachable = [{"id": p.hub_id, "name": p.name} for p in missing if p.hub_id in readers]
    result.introduction = write_introduction(db, folder, state) or ""
    _write_delta(db, folder, sorted(readers), recipients, state, result)
    _remove_acknowledged(db, folder, sorted(readers), state, result)
    state["readers"] = sorted(readers)
    state["reported"] = sorted(k for k in reported if k in present)
    save_folder_state(db, fid, state)
    result.clock_ahead = clock_ahead_of_computer(db)
    _check(progress, 100, _("Done"))
    return result


@dataclass
class SyncPreview:
    """What a sync would bring in, asked before it runs (the app stops for confirmation on erasures and on hubs
    not trusted yet). Each bundle is previewed on its own, so the counts are what each would do alone."""

    bundles: int = 0
    erasures: int = 0
    people_erased: int = 0
    # {"id", "name", "fingerprint", "file", "key" (the public key that signed its bundle)}
    untrusted: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def preview_sync(db: Database, folder: Path, *, passphrase: str | None = None,
                 progress: Progress | None = None) -> SyncPreview:
    """Preview every bundle a sync of `folder` would import; changes nothing (not even the folder's marker).
    Bundles that cannot be read are left for the sync to report."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(_("The exchange folder {folder} does not exist; plug in the drive or choose another folder.")
                        .format(folder=folder))
    with db.read() as session:
        seen = seen_bundle_ids(session)
    paths = [p for p in sorted(folder.iterdir(), key=lambda p: name_key(p.name))
             if is_bundle_name(p.name) and p.is_file()]
    preview = SyncPreview()
    for index, path in enumerate(paths):
        ids = ids_in_name(path.name)
        if ids is not None and (ids[0] == db.hub_id or ids[1] in seen):
            continue
        _check(progress, index * 100 // max(1, len(paths)), _("Checking {name}").format(name=path.name))
        try:
            result = import_bundle(db, path, passphrase=passphrase, dry_run=True)
        except Cancelled:
            raise
        except UserError:
            continue
        if result.source == "this hub" or result.manifest.bundle_id in seen:
            continue
        preview.bundles += 1
        if result.source == "new hub":
            if result.manifest.source_hub_id not in {hub["id"] for hub in preview.untrusted}:
                preview.untrusted.append({"id": result.manifest.source_hub_id,
                                          "name": result.manifest.source_hub_name,
                                          "fingerprint": result.fingerprint, "file": path.name,
                                          "key": result.manifest.signing_key})
        preview.erasures += result.report.erasures
        preview.people_erased += result.report.people_erased
        preview.warnings.extend(result.warnings)
    return preview


def _import_all(db: Database, todo: list[tuple[Path, str]], passphrase: str | None, progress: Progress | None,
                result: SyncResult, seen: set[str], reported: set[str]) -> None:
    backed_up = False
    for index, (path, bundle_id) in enumerate(todo):
        if bundle_id in seen:  # a conflict copy of a bundle imported a moment ago
            continue
        _check(progress, index * 80 // max(1, len(todo)), _("Importing {name}").format(name=path.name))
        if not backed_up:
            automatic_backup(db.path, "before-sync", int(db.setting("backup_keep") or 10))
            backed_up = True
        try:
            imported = import_bundle(db, path, passphrase=passphrase, backup=False)
            seen.add(bundle_id)
            if imported.manifest.clock or imported.manifest.total_records:
                result.imported.append(imported)
            else:  # another hub's introduction: its keys, nothing else
                result.introduced.append(imported.manifest.source_hub_name)
        except Cancelled:
            raise
        except UntrustedHub as exc:  # kept for the sync after the organiser accepts the hub
            # Every file's key is learned, so two keys claiming one hub are seen (models/trust.py `learn_key`)
            with db.write() as tx:
                contested = learn_key(tx, exc.hub_id, exc.hub_name, exc.signing_key, exc.encryption_key).trust \
                    == CONTESTED
            reported_hub = next((hub for hub in result.untrusted if hub["id"] == exc.hub_id), None)
            if reported_hub is None:
                result.untrusted.append({"id": exc.hub_id, "name": exc.hub_name, "fingerprint": exc.fingerprint,
                                         "file": path.name, "contested": contested})
            else:
                reported_hub.update(fingerprint=exc.fingerprint, contested=contested or reported_hub["contested"])
        except NotARecipient as exc:  # written for other hubs: never readable here, reported once
            result.not_for_us.append(path.name)
            result.skipped.append(f"{path.name}: {exc.message}")
            reported.add(file_key(path))
        except UserError as exc:
            result.skipped.append(f"{path.name}: {exc.message}")
            reported.add(file_key(path))


def _remove_bundles_naming_erased(db: Database, folder: Path, state: dict[str, Any], result: SyncResult) -> None:
    """Remove this hub's bundles in the folder that still carry a person erased since they were written (their
    fields, or a record personal to them): the delta written next carries the erasure instead, and everything
    the readers have not acknowledged."""
    erased = set(read_erased_ids(db.path))
    if not erased:
        return
    checked = hashlib.sha256("\n".join(sorted(erased)).encode()).hexdigest()
    keep: list[dict[str, Any]] = []
    for entry in state["written"]:
        path = folder / entry["file"]
        if entry.get("erasures_checked") == checked:  # read once per change of the list, not at every sync
            keep.append(entry)
            continue
        try:
            names_erased = _names_erased(open_bundle(path, hub_key=db.signing_key), erased)
        except UserError:
            names_erased = False  # gone, or not ours to read: left as it is
        entry["erasures_checked"] = checked
        if names_erased:
            path.unlink(missing_ok=True)
            result.removed.append(entry["file"])
            state["digest"] = ""
            continue
        keep.append(entry)
    state["written"] = keep


def _names_erased(reader: BundleReader, erased: set[str]) -> bool:
    for record_type, batch in reader.iter_batches():
        for record in batch:
            if record_type == "contact" and record.get("erased"):
                continue
            if record_type == "contact" and record.get("id") in erased:
                return True
            if not record.get("deleted") and any(isinstance(v, str) and v in erased for v in record.values()):
                return True
    return False


def _write_delta(db: Database, folder: Path, readers: list[str], recipients: list[str], state: dict[str, Any],
                 result: SyncResult) -> None:
    """Write this hub's delta for the readers, encrypted to `recipients`, when it says something: records they
    have not acknowledged that differ from the last bundle written here (or were written for fewer hubs), or an
    acknowledgement of bundles with records just imported (so their writers stop repeating them). A bundle of
    acknowledgements alone is not acknowledged in turn, so hubs that have nothing new fall quiet."""
    from oursociety_desktop.models.exchange_log import delta_since

    with db.read() as session:
        since = delta_since(session, readers)
        digest, records = hashlib.sha256(), 0
        for record_type, line in iter_outgoing_lines(session.connection(), since):
            digest.update(record_type.encode() + b"\0" + line)
            records += 1
    digest.update("\0".join(sorted(recipients)).encode())  # a hub trusted since could not read the last one
    fingerprint = digest.hexdigest() if records else ""
    acknowledge = any(r.manifest.total_records for r in result.imported)
    last = state["written"][-1] if state["written"] else None
    still_there = last is not None and (folder / last["file"]).exists()
    if not acknowledge and (not records or (fingerprint == state["digest"] and still_there)):
        return
    bundle_id = str(uuid.uuid4())
    out = folder / bundle_file_name(db, bundle_id)
    exported = export_bundle(db, out, readers=readers, recipients=recipients, bundle_id=bundle_id)
    # An earlier bundle of acknowledgements alone says less than this one: it goes.
    for entry in [e for e in state["written"] if e.get("records") == 0]:
        (folder / entry["file"]).unlink(missing_ok=True)
        result.removed.append(entry["file"])
        state["written"].remove(entry)
    state["written"].append({"file": out.name, "bundle_id": bundle_id, "clock": exported.manifest.clock,
                             "records": exported.manifest.total_records})
    state["digest"] = fingerprint
    result.written = out


def _remove_acknowledged(db: Database, folder: Path, readers: list[str], state: dict[str, Any],
                         result: SyncResult) -> None:
    """Delete this hub's bundles (only those it wrote here, by name) that every reader has acknowledged. A hub
    that starts reading the folder later has acknowledged nothing, so it is sent a full bundle."""
    if not readers:
        return
    with db.read() as session:
        acks = [(session.get(PeerHub, hub) or PeerHub(id=hub)).acknowledged for hub in readers]
    if not all(acks):
        return
    everyone = min(acks)
    keep: list[dict[str, Any]] = []
    for entry in state["written"]:
        if entry["clock"] and entry["clock"] <= everyone:
            try:
                (folder / entry["file"]).unlink()
                result.removed.append(entry["file"])
                continue
            except FileNotFoundError:
                continue
            except OSError:
                pass
        keep.append(entry)
    state["written"] = keep

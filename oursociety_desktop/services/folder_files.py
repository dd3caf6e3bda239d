"""The files of an exchange folder: their names, the folder's marker, what this hub remembers of each folder, and
the two kinds of file this hub leaves there.

A folder may be copied by anyone who can reach it (a synced laptop, a lost stick), so what this hub leaves in it
reveals nothing about people:

- its **bundles** are encrypted to the hubs it trusts and to itself (formats/hub_crypto.py); a bundle it wrote
  before (plain or with a passphrase) is removed at the next sync, and the next delta carries what it held;
- its **introduction** is a plain, signed bundle without records: the hub's id, name and public keys, and nothing
  else. A hub that meets it in the folder learns the keys (pending), and its organiser compares the fingerprint
  and trusts the hub; from then on each encrypts to the other. Without it two new hubs could never read a word of
  each other: each encrypts only to the hubs it already trusts.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oursociety_desktop.formats.bundle import FILE_SUFFIX, open_bundle, write_bundle
from oursociety_desktop.formats.hub_crypto import MAGIC as HUB_ENCRYPTED
from oursociety_desktop.i18n import _
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.clock import FUTURE_TOLERANCE_MS, stamp_wall_ms, wall_clock_ms
from oursociety_desktop.models.database import Database, get_setting, set_setting
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.plain_files import read_plain_file
from oursociety_desktop.models.tables import Hub

MARKER = "oursociety-exchange-folder.json"
MARKER_FORMAT = "oursociety-exchange-folder"
FOLDERS_SETTING = "exchange_folders"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_IDS_IN_NAME = re.compile(rf"_(?P<hub>{_UUID})_(?P<bundle>{_UUID})")
_TEMPORARY = re.compile(r"^(\.syncthing\..*\.tmp|~syncthing~.*|\.~.*|\..*)$")


def name_key(name: str) -> str:
    """A file name as compared: NFC, case-folded."""
    return unicodedata.normalize("NFC", name).casefold()


def file_key(path: Path) -> str:
    """A file as remembered once reported: its name as compared, its size and its modification time, so a file
    that changes (a bundle still being copied when it was read, complete since) is read again."""
    try:
        info = path.stat()
    except OSError:  # gone meanwhile (a sync tool removed it): its name alone
        return name_key(path.name)
    return f"{name_key(path.name)}\x1f{info.st_size}\x1f{info.st_mtime_ns}"


def ids_in_name(name: str) -> tuple[str, str] | None:
    """(hub id, bundle id) from a bundle file's name (or a sync tool's conflict copy of it), else None."""
    match = _IDS_IN_NAME.search(name_key(name))
    return (match.group("hub"), match.group("bundle")) if match else None


def is_bundle_name(name: str) -> bool:
    """True for a name a sync reads: a `.oursociety` file that is not a sync tool's temporary file."""
    key = name_key(name)
    return key.endswith(FILE_SUFFIX) and not _TEMPORARY.match(key)


def bundle_file_name(db: Database, bundle_id: str) -> str:
    """`<hub name slug>_<hub id>_<bundle id>.oursociety`."""
    slug = re.sub(r"[^a-z0-9]+", "-", db.hub_name.lower()).strip("-")[:30] or "hub"
    return f"{slug}_{db.hub_id}_{bundle_id}{FILE_SUFFIX}"


def folder_id(folder: Path) -> str:
    """The folder's id from its marker file, which is written when missing. Raises UserError for a marker that is
    not ours (the folder is then left alone)."""
    marker = folder / MARKER
    try:
        raw = read_plain_file(marker, 4096)  # a link to /dev/zero or a pipe is refused, not read for ever
    except FileNotFoundError:
        new = str(uuid.uuid4())
        with atomic_write(marker) as fh:
            fh.write(json.dumps({"format": MARKER_FORMAT, "folder_id": new}).encode("utf-8"))
        return new
    except OSError as exc:
        raise UserError(_("Cannot read {marker}: {value}.").format(marker=marker, value=exc.strerror or exc)) from None
    try:
        value = json.loads(raw)
        found = value["folder_id"] if value.get("format") == MARKER_FORMAT else None
    except (ValueError, TypeError, KeyError, AttributeError):
        found = None
    if not isinstance(found, str) or not re.fullmatch(_UUID, found):
        raise UserError(_("{marker} is not an Our Society exchange folder marker; remove it or choose another "
                          "folder.").format(marker=marker))
    return found


def folder_state(db: Database, fid: str) -> dict[str, Any]:
    """What this hub remembers of the folder with id `fid`."""
    with db.read() as session:
        folders = get_setting(session, FOLDERS_SETTING) or {}
    state = dict(folders.get(fid) or {})
    state.setdefault("readers", [])
    state.setdefault("written", [])  # [{"file", "bundle_id", "clock"}], oldest first
    state.setdefault("reported", [])  # unreadable files already reported (`file_key`)
    state.setdefault("digest", "")  # of the last bundle written here, so an unchanged delta is not written again
    state.setdefault("introduction", {})  # {"file", "bundle_id"} of this hub's introduction
    return state


def save_folder_state(db: Database, fid: str, state: dict[str, Any]) -> None:
    """Remember `state` for the folder with id `fid`."""
    with db.write() as tx:
        folders = dict(get_setting(tx.session, FOLDERS_SETTING) or {})
        folders[fid] = state
        set_setting(tx.session, FOLDERS_SETTING, folders)


def write_introduction(db: Database, folder: Path, state: dict[str, Any]) -> str | None:
    """Leave this hub's introduction in the folder when it is not there (first sync, or removed since): a signed
    bundle without records, knowledge or clock, so importing it changes nothing but what is known of this hub.
    A hub that took a new identity since replaces the old one's. Returns the file name written, else None."""
    known = state["introduction"]
    if known and (folder / known["file"]).is_file():
        if known.get("hub") == db.hub_id:
            return None
        (folder / known["file"]).unlink(missing_ok=True)
    bundle_id = str(uuid.uuid4())
    name = bundle_file_name(db, bundle_id)
    write_bundle(folder / name, [], source_hub_id=db.hub_id, source_hub_name=db.hub_name,
                 incarnation=db.incarnation, signing_key=db.signing_key, kind="delta", bundle_id=bundle_id)
    state["introduction"] = {"file": name, "bundle_id": bundle_id, "hub": db.hub_id}
    return name


def remove_unencrypted_bundles(folder: Path, state: dict[str, Any]) -> list[str]:
    """Remove this hub's bundles in the folder not encrypted to hubs (written plain or with a passphrase by an
    earlier version): the next delta holds everything they held that the readers have not acknowledged. Returns
    the names removed."""
    removed, keep = [], []
    for entry in state["written"]:
        path = folder / entry["file"]
        try:
            start = read_plain_file(path, len(HUB_ENCRYPTED))[:len(HUB_ENCRYPTED)]
        except OSError:
            start = HUB_ENCRYPTED  # gone, unreadable, or a pipe or device put in its place: nothing to do here
        if start == HUB_ENCRYPTED:
            keep.append(entry)
            continue
        path.unlink(missing_ok=True)
        removed.append(entry["file"])
        state["digest"] = ""
    state["written"] = keep
    return removed


def clock_ahead_of_computer(db: Database) -> str:
    """The day (ISO) this hub's clock stands at when it is more than a day ahead of this computer's clock (a
    clock set ahead once keeps every later stamp there), else ""."""
    with db.read() as session:
        hub = session.get(Hub, db.hub_id)
        last = hub.clock if hub is not None else ""
    if not last or stamp_wall_ms(last) - wall_clock_ms() <= FUTURE_TOLERANCE_MS:
        return ""
    return datetime.fromtimestamp(stamp_wall_ms(last) / 1000, UTC).date().isoformat()


def adopt_own_files(db: Database, paths: list[Path], state: dict[str, Any]) -> None:
    """Take as this hub's own the files in the folder named by its id that it has no record of writing here: those
    another copy of the hub wrote (before this one was restored from a backup, or in a folder merged into this
    one). They are then removed like the others once every reader has acknowledged them, or at once when they
    carry a person erased since; left unknown, they stayed in the folder for good, erased people included."""
    known = {name_key(entry["file"]) for entry in state["written"]}
    if state["introduction"]:
        known.add(name_key(state["introduction"]["file"]))
    for path in paths:
        if name_key(path.name) in known:
            continue
        try:
            manifest = open_bundle(path, hub_key=db.signing_key).manifest
        except UserError:  # damaged, or written under another key: left as it is
            continue
        state["written"].append({"file": path.name, "bundle_id": manifest.bundle_id, "clock": manifest.clock,
                                 "records": manifest.total_records})

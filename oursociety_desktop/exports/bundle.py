"""The hub bundle file (`*.oursociety`, DESIGN.md §5; specified in docs/bundle-format.md): writing and reading.

A bundle is a ZIP holding `manifest.json` and one JSON Lines member per record type, optionally wrapped in
passphrase encryption (exports/crypto.py). Reading never trusts the file: its size, every member's name, the bytes
each member actually decompresses to, each line's length and nesting, every member's SHA-256 and the record counts
are checked, and any fault is one `UserError` line. Record contents are checked by models/merge.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oursociety_desktop.exports.crypto import decrypt_bundle, encrypt_bundle, is_encrypted
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.database import utc_now_iso
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.tables import SYNCED_TABLES

FORMAT_NAME = "oursociety-bundle"
FORMAT_MAJOR = 1
FORMAT_MINOR = 0
FILE_SUFFIX = ".oursociety"
MANIFEST = "manifest.json"
RECORD_TYPES_IN_ORDER = tuple(cls.RECORD_TYPE for cls in SYNCED_TABLES)
MEMBER_FOR_TYPE = {name: f"records/{name}.jsonl" for name in RECORD_TYPES_IN_ORDER}
ALLOWED_MEMBERS = frozenset({MANIFEST, *MEMBER_FOR_TYPE.values()})

MAX_FILE_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 1024**2
MAX_LINE_BYTES = 4 * 1024**2
# Decompressed bytes allowed in all: generous for JSON Lines (which compress about 5-10 times), far below what a
# decompression bomb (1000 times and more) would produce. Counted on bytes actually decompressed, not on headers.
MIN_DECOMPRESSED_CAP = 64 * 1024**2
MAX_EXPANSION = 200
MAX_DECOMPRESSED_BYTES = 8 * 1024**3
CHUNK = 1024**2
BATCH = 2000
COMPRESS_LEVEL = 1

Progress = Callable[[int, str], bool | None]
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_VERSION = re.compile(r"^(\d{1,4})\.(\d{1,4})$")


@dataclass
class Manifest:
    """What `manifest.json` says about a bundle."""

    bundle_id: str
    source_hub_id: str
    source_hub_name: str
    created_at: str
    kind: str  # "full" | "delta"
    since: str = ""
    for_hub: str = ""
    clock: str = ""
    version: str = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"
    counts: dict[str, int] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def total_records(self) -> int:
        """How many records the bundle holds, all types together."""
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        """The manifest as written into the bundle."""
        return {
            "format": FORMAT_NAME, "version": self.version, "bundle_id": self.bundle_id,
            "source_hub": {"id": self.source_hub_id, "name": self.source_hub_name},
            "created_at": self.created_at, "kind": self.kind, "since": self.since, "for_hub": self.for_hub,
            "clock": self.clock, "counts": self.counts, "members": self.members,
        }


def record_line(record: dict[str, Any]) -> bytes:
    """One record as a JSON Lines line: sorted keys, no spaces, UTF-8, newline-terminated."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def write_bundle(out: Path, records: Iterable[tuple[str, dict[str, Any] | bytes]], *, source_hub_id: str,
                 source_hub_name: str, kind: str, since: str = "", for_hub: str = "", clock: str = "",
                 passphrase: str | None = None, expected_total: int = 0, progress: Progress | None = None
                 ) -> Manifest:
    """Write a bundle of `records` ((record type, outgoing dict or an already encoded line), grouped by type in
    RECORD_TYPES_IN_ORDER).

    The file appears whole or not at all. Every record type gets a member, empty or not.
    """
    manifest = Manifest(bundle_id=str(uuid.uuid4()), source_hub_id=source_hub_id, source_hub_name=source_hub_name,
                        created_at=utc_now_iso(), kind=kind, since=since, for_hub=for_hub, clock=clock,
                        counts={name: 0 for name in RECORD_TYPES_IN_ORDER})
    buffer = io.BytesIO()
    done = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
        grouped = _group_by_type(records)
        for record_type in RECORD_TYPES_IN_ORDER:
            name = MEMBER_FOR_TYPE[record_type]
            digest, size, count = hashlib.sha256(), 0, 0
            with zf.open(name, "w", force_zip64=True) as member:
                pending: list[bytes] = []
                for record in grouped(record_type):
                    pending.append(record if isinstance(record, bytes) else record_line(record))
                    count += 1
                    if len(pending) >= BATCH:
                        size += _flush(member, digest, pending)
                        pending = []
                        done += BATCH
                        _report(progress, done, expected_total, "Writing the bundle")
                size += _flush(member, digest, pending)
            manifest.counts[record_type] = count
            manifest.members[name] = {"sha256": digest.hexdigest(), "size": size}
        zf.writestr(MANIFEST, json.dumps(manifest.to_json(), sort_keys=True, ensure_ascii=False, indent=1))
    # The last moment to cancel: nothing has been written under the target's name yet.
    _report(progress, expected_total, expected_total, "Saving the bundle")
    payload = buffer.getvalue()
    if passphrase is not None:
        payload = encrypt_bundle(payload, passphrase)
    with atomic_write(out) as fh:
        fh.write(payload)
    return manifest


def _flush(member: Any, digest: Any, lines: list[bytes]) -> int:
    if not lines:
        return 0
    data = b"".join(lines)
    digest.update(data)
    member.write(data)
    return len(data)


def _report(progress: Progress | None, done: int, total: int, message: str) -> None:
    if progress is None:
        return
    percent = min(99, done * 100 // total) if total else 99
    if progress(percent, message) is False:
        raise Cancelled()


def _group_by_type(records: Iterable[tuple[str, dict[str, Any] | bytes]]
                   ) -> Callable[[str], Iterator[dict[str, Any] | bytes]]:
    """Hand out the records of one type at a time from a stream already grouped in type order."""
    stream = iter(records)
    lookahead: list[tuple[str, dict[str, Any] | bytes]] = []

    def of_type(record_type: str) -> Iterator[dict[str, Any] | bytes]:
        while True:
            if lookahead:
                item = lookahead[0]
            else:
                nxt = next(stream, None)
                if nxt is None:
                    return
                lookahead.append(nxt)
                item = nxt
            if item[0] != record_type:
                if RECORD_TYPES_IN_ORDER.index(item[0]) < RECORD_TYPES_IN_ORDER.index(record_type):
                    raise ValueError(f"records out of type order: {item[0]} after {record_type}")
                return
            lookahead.pop()
            yield item[1]

    return of_type


# ---- reading ----


class BundleReader:
    """An opened, container-checked bundle. `iter_batches()` streams and checks the records."""

    def __init__(self, zf: zipfile.ZipFile, manifest: Manifest, compressed_size: int, label: str) -> None:
        self._zf = zf
        self.manifest = manifest
        self.label = label
        self._budget = min(MAX_DECOMPRESSED_BYTES, max(MIN_DECOMPRESSED_CAP, MAX_EXPANSION * compressed_size))

    def iter_batches(self, batch: int = BATCH) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(record type, up to `batch` parsed records), type by type; each member's hash and count are checked
        once it has been read to the end, so a caller must treat the records as unconfirmed until iteration ends."""
        for record_type in RECORD_TYPES_IN_ORDER:
            name = MEMBER_FOR_TYPE[record_type]
            expected = self.manifest.members[name]
            digest, count, pending = hashlib.sha256(), 0, []
            for line in self._lines(name, digest):
                pending.append(_parse_line(line, name, count + 1))
                count += 1
                if len(pending) >= batch:
                    yield record_type, pending
                    pending = []
            if pending:
                yield record_type, pending
            if digest.hexdigest() != expected["sha256"]:
                raise UserError(f"The bundle {self.label} was changed or damaged ({name} does not match its "
                                "SHA-256 checksum); nothing was imported.")
            if count != self.manifest.counts.get(record_type, -1):
                raise UserError(f"The bundle {self.label} is inconsistent: {name} holds {count} records, the "
                                f"manifest says {self.manifest.counts.get(record_type)}; nothing was imported.")

    def _lines(self, name: str, digest: Any) -> Iterator[bytes]:
        rest = b""
        try:
            with self._zf.open(name) as member:
                while True:
                    chunk = member.read(CHUNK)
                    if not chunk:
                        break
                    self._budget -= len(chunk)
                    if self._budget < 0:
                        raise UserError(f"The bundle {self.label} expands to far more data than a bundle of its "
                                        "size can hold (a decompression bomb?); nothing was imported.")
                    digest.update(chunk)
                    data = rest + chunk
                    lines = data.split(b"\n")
                    rest = lines.pop()
                    if len(rest) > MAX_LINE_BYTES:
                        raise _too_large(self.label, name)
                    for line in lines:
                        if len(line) > MAX_LINE_BYTES:
                            raise _too_large(self.label, name)
                        if line:
                            yield line
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
            raise UserError(f"The bundle {self.label} is damaged ({_short(exc)}); ask for the file again. "
                            "Nothing was imported.") from None
        if rest.strip():
            raise UserError(f"The bundle {self.label} is damaged: {name} does not end with a complete line; "
                            "nothing was imported.")


def _too_large(label: str, name: str) -> UserError:
    return UserError(f"The bundle {label} holds a record in {name} larger than {MAX_LINE_BYTES // 1024**2} MB; "
                     "it is not a valid bundle. Nothing was imported.")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _parse_line(line: bytes, member: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except RecursionError:
        raise UserError(f"Record {number} of {member} is nested too deeply; the bundle is not valid. "
                        "Nothing was imported.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"Record {number} of {member} is not valid JSON ({_short(exc)}); the bundle is damaged. "
                        "Nothing was imported.") from None
    if not isinstance(value, dict):
        raise UserError(f"Record {number} of {member} is not a JSON object; the bundle is not valid. "
                        "Nothing was imported.")
    return value


def read_bundle_bytes(path: Path) -> bytes:
    """The file's bytes, refusing missing, empty and implausibly large files with one line."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{path.name} is larger than {MAX_FILE_BYTES // 1024**3} GB; it is not a hub bundle.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"No file at {path}.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a bundle file.") from None
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if not data:
        raise UserError(f"{path.name} is empty; it is not a hub bundle. Ask for the file again.")
    return data


def open_bundle(path: Path, passphrase: str | None = None) -> BundleReader:
    """Open and check a bundle file's container and manifest (decrypting it first when it is encrypted)."""
    path = Path(path)
    data = read_bundle_bytes(path)
    return open_bundle_bytes(data, passphrase, path.name)


def open_bundle_bytes(data: bytes, passphrase: str | None, label: str) -> BundleReader:
    """As `open_bundle`, from bytes already read."""
    if is_encrypted(data):
        data = decrypt_bundle(data, passphrase)
    if not data.startswith(b"PK\x03\x04"):
        if not data.strip():
            raise UserError(f"{label} is empty; it is not a hub bundle.")
        raise UserError(f"{label} is not an Our Society hub bundle (expected a .oursociety file made by "
                        "`oursociety export`).")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise UserError(f"The bundle {label} is truncated or damaged ({_short(exc)}); ask for the file again. "
                        "Nothing was imported.") from None
    _check_members(infos, label)
    manifest = _read_manifest(zf, label)
    return BundleReader(zf, manifest, len(data), label)


def _check_members(infos: list[zipfile.ZipInfo], label: str) -> None:
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = re.split(r"[\\/]", name)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise UserError(f"The bundle {label} holds a member with an unsafe path ({name[:80]!r}); it was "
                            "refused. Nothing was imported.")
        if name not in ALLOWED_MEMBERS:
            raise UserError(f"The bundle {label} holds an unexpected member {name[:80]!r}; it is not a valid "
                            "bundle. Nothing was imported.")
        if name in seen:
            raise UserError(f"The bundle {label} holds {name} twice; it is not a valid bundle. Nothing was imported.")
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UserError(f"The bundle {label} stores {name} in a way this app does not read; nothing was imported.")
        seen.add(name)
    if MANIFEST not in seen:
        raise UserError(f"{label} has no manifest.json; it is not an Our Society hub bundle.")
    missing = sorted(ALLOWED_MEMBERS - seen)
    if missing:
        raise UserError(f"The bundle {label} lacks {missing[0]}; it is truncated or not a valid bundle. "
                        "Nothing was imported.")


def _read_manifest(zf: zipfile.ZipFile, label: str) -> Manifest:
    try:
        with zf.open(MANIFEST) as member:
            raw = member.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
        raise UserError(f"The bundle {label} is damaged ({_short(exc)}); ask for the file again.") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise UserError(f"The bundle {label} has a manifest larger than 1 MB; it is not a valid bundle.")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise UserError(f"The manifest of {label} is nested too deeply; it is not a valid bundle.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"The manifest of {label} is not valid JSON ({_short(exc)}); the bundle is damaged.") from None
    return parse_manifest(value, label)


def parse_manifest(value: Any, label: str) -> Manifest:
    """Check a manifest's shape and version; raise UserError for anything missing, wrong or too new."""

    def bad(what: str) -> UserError:
        return UserError(f"The manifest of {label} is not valid ({what}); the bundle is damaged or not a hub bundle.")

    if not isinstance(value, dict) or value.get("format") != FORMAT_NAME:
        raise UserError(f"{label} is not an Our Society hub bundle (its manifest names no '{FORMAT_NAME}' format).")
    version = value.get("version")
    if not isinstance(version, str):
        raise bad("format version")
    match = _VERSION.match(version)
    if match is None:
        raise bad("format version")
    if int(match.group(1)) > FORMAT_MAJOR:
        raise UserError(f"The bundle {label} uses format version {version}, newer than this app reads "
                        f"({FORMAT_MAJOR}.x); update Our Society Desktop to import it.")
    if int(match.group(1)) < 1:
        raise bad("format version")
    hub = value.get("source_hub")
    if not isinstance(hub, dict) or not _short_text(hub.get("id"), 1, 64) or not _short_text(hub.get("name"), 0, 200):
        raise bad("source hub")
    for key in ("bundle_id", "created_at"):
        if not _short_text(value.get(key), 1, 64):
            raise bad(key)
    kind = value.get("kind")
    if kind not in ("full", "delta"):
        raise bad("kind")
    for key in ("since", "for_hub", "clock"):
        if not _short_text(value.get(key, ""), 0, 120):
            raise bad(key)
    counts, members = value.get("counts"), value.get("members")
    if not isinstance(counts, dict) or not isinstance(members, dict):
        raise bad("counts and members")
    clean_counts: dict[str, int] = {}
    for record_type in RECORD_TYPES_IN_ORDER:
        count = counts.get(record_type)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise bad(f"count of {record_type}")
        clean_counts[record_type] = count
        member = members.get(MEMBER_FOR_TYPE[record_type])
        if not isinstance(member, dict) or not isinstance(member.get("sha256"), str) \
                or not _HEX64.match(member["sha256"]):
            raise bad(f"checksum of {MEMBER_FOR_TYPE[record_type]}")
    if set(members) - set(MEMBER_FOR_TYPE.values()):
        raise bad("unknown members listed")
    return Manifest(bundle_id=value["bundle_id"], source_hub_id=hub["id"], source_hub_name=hub["name"],
                    created_at=value["created_at"], kind=kind, since=value.get("since", ""),
                    for_hub=value.get("for_hub", ""), clock=value.get("clock", ""), version=version,
                    counts=clean_counts, members={k: dict(v) for k, v in members.items()})


def _short_text(value: Any, min_len: int, max_len: int) -> bool:
    return isinstance(value, str) and min_len <= len(value) <= max_len

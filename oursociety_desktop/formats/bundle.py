"""The hub bundle file (`*.oursociety`), format 2.0, specified in docs/bundle-format.md: writing and reading.

A bundle is a ZIP holding `manifest.json` and one JSON Lines member per record type it has records of, optionally
wrapped in passphrase encryption (formats/crypto.py) or encrypted to the hubs that may read it
(formats/hub_crypto.py). The manifest is signed with the sending hub's Ed25519 key and
names every member's SHA-256, so the signature covers the whole bundle.

Readers accept format 1.x and 2.x. Within major version 2 a newer minor version may add record members (types this
version does not know: kept and passed on), record fields and manifest keys; a newer major version is refused.
Reading never trusts the file: its size, every member's name, the bytes each member actually decompresses to, each
line's length and nesting, the signature, every member's SHA-256 and the record counts are checked, and any fault
is one `UserError` line. Record contents are checked by the bundle merge (models/merge.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from oursociety_desktop.formats.bundle_lines import parse_record_line, short_reason
from oursociety_desktop.formats.bundle_manifest import (
    FILE_SUFFIX,
    FORMAT_1_TYPES,
    MANIFEST,
    MEMBER_PATTERN,
    SIGNATURE_KEY,
    Manifest,
    declared_types,
    member_for_type,
    parse_manifest,
    signed_bytes,
)
from oursociety_desktop.formats.crypto import decrypt_bundle, encrypt_bundle, is_encrypted
from oursociety_desktop.formats.hub_crypto import decrypt_for_hub, encrypt_to_hubs, is_hub_encrypted
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.atomic import atomic_write
from oursociety_desktop.models.canonical import canonical_line
from oursociety_desktop.models.database import utc_now_iso
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.plain_files import read_plain_file
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.signing import (
    encryption_private_key,
    encryption_public_key_of,
    public_key_of,
    sign,
)

MAX_FILE_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 16 * 1024**2
MAX_LINE_BYTES = 4 * 1024**2
# Decompressed bytes allowed in all: generous for JSON Lines (which compress about 5-10 times), far below what a
# decompression bomb (1000 times and more) would produce. Counted on bytes actually decompressed, not on headers.
MIN_DECOMPRESSED_CAP = 64 * 1024**2
MAX_EXPANSION = 200
MAX_DECOMPRESSED_BYTES = 8 * 1024**3
CHUNK = 1024**2
BATCH = 2000
COMPRESS_LEVEL = 1


__all__ = ["FILE_SUFFIX", "MANIFEST", "SIGNATURE_KEY", "BundleReader", "Manifest", "member_for_type", "open_bundle",
           "open_bundle_bytes", "parse_manifest", "parse_record_line", "read_bundle_bytes", "signed_bytes",
           "write_bundle"]


def write_bundle(out: Path, records: Iterable[tuple[str, dict[str, Any] | bytes]], *, source_hub_id: str,
                 source_hub_name: str, incarnation: str, signing_key: str, kind: str, since: str = "",
                 for_hub: str = "", clock: str = "", knowledge: dict[str, str] | None = None,
                 opaque_types: dict[str, list[dict[str, Any]]] | None = None, passphrase: str | None = None,
                 expected_total: int = 0, progress: Progress | None = None, bundle_id: str | None = None,
                 recipients: list[str] | None = None) -> Manifest:
    """Write a signed bundle of `records` ((record type, outgoing dict or an already encoded line), grouped by
    type: known types in registry order, then others). `signing_key` is the hub's private key (models/signing.py).

    The file appears whole or not at all. A type without records gets no member. Raises ValueError when a type's
    records are not together, UserError through `atomic_write` when the file cannot be written, Cancelled when
    `progress` returns False. With `recipients` (X25519 public keys) the file is encrypted to those hubs; with
    `passphrase`, to the passphrase; never both."""
    if passphrase is not None and recipients is not None:
        raise ValueError("a bundle is encrypted to a passphrase or to hubs, not both")
    manifest = Manifest(bundle_id=bundle_id or str(uuid.uuid4()), source_hub_id=source_hub_id,
                        source_hub_name=source_hub_name,
                        created_at=utc_now_iso(), kind=kind, since=since, for_hub=for_hub, clock=clock,
                        knowledge=dict(knowledge or {}), incarnation=incarnation,
                        signing_key=public_key_of(signing_key),
                        encryption_key=encryption_public_key_of(signing_key),
                        types={**(opaque_types or {}), **declared_types()},
                        counts={name: 0 for name in REGISTRY.names()})
    buffer = io.BytesIO()
    done = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
        member: Any = None
        current, digest, size, count = "", hashlib.sha256(), 0, 0
        pending: list[bytes] = []

        def close_member() -> None:
            nonlocal size
            if member is None:
                return
            size += _flush(member, digest, pending)
            pending.clear()
            member.close()
            manifest.counts[current] = count
            manifest.members[member_for_type(current)] = {"sha256": digest.hexdigest(), "size": size}

        for record_type, record in records:
            if record_type != current:
                close_member()
                if member_for_type(record_type) in manifest.members:
                    raise ValueError(f"records of type {record_type} are not together")
                current, digest, size, count = record_type, hashlib.sha256(), 0, 0
                member = zf.open(member_for_type(record_type), "w", force_zip64=True)
            pending.append(record if isinstance(record, bytes) else canonical_line(record))
            count += 1
            if len(pending) >= BATCH:
                size += _flush(member, digest, pending)
                pending.clear()
                done += BATCH
                _report(progress, done, expected_total, _("Writing the bundle"))
        close_member()
        body = manifest.to_json()
        body[SIGNATURE_KEY] = sign(signing_key, signed_bytes(body))
        manifest.signature = body[SIGNATURE_KEY]
        zf.writestr(MANIFEST, json.dumps(body, sort_keys=True, ensure_ascii=False, indent=1))
    # The last moment to cancel: nothing has been written under the target's name yet.
    _report(progress, expected_total, expected_total, _("Saving the bundle"))
    payload = buffer.getvalue()
    if passphrase is not None:
        payload = encrypt_bundle(payload, passphrase)
    elif recipients is not None:
        payload = encrypt_to_hubs(payload, recipients)
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


# ---- reading ----


class BundleReader:
    """An opened, container-checked bundle. `iter_batches()` streams and checks the records."""

    def __init__(self, zf: zipfile.ZipFile, manifest: Manifest, compressed_size: int, label: str) -> None:
        self._zf = zf
        self.manifest = manifest
        self.label = label
        self._budget = min(MAX_DECOMPRESSED_BYTES, max(MIN_DECOMPRESSED_CAP, MAX_EXPANSION * compressed_size))

    def iter_batches(self, batch: int = BATCH) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(record type, up to `batch` parsed records), type by type (known types in registry order, then the
        others); each member's hash and count are checked once it has been read to the end, so a caller must treat
        the records as unconfirmed until iteration ends. A type without a member has no records."""
        for record_type in self.manifest.record_types():
            name = member_for_type(record_type)
            expected = self.manifest.members[name]
            digest, count, pending = hashlib.sha256(), 0, []
            for line in self._lines(name, digest):
                pending.append(parse_record_line(line, name, count + 1))
                count += 1
                if len(pending) >= batch:
                    yield record_type, pending
                    pending = []
            if pending:
                yield record_type, pending
            if digest.hexdigest() != expected["sha256"]:
                raise UserError(_("The bundle {label} was changed or damaged ({name} does not match its "
                                "SHA-256 checksum); nothing was imported.").format(label=self.label, name=name))
            if count != self.manifest.counts.get(record_type, -1):
                raise UserError(ngettext("The bundle {label} is inconsistent: {name} holds {count} record, the "
                                         "manifest says {expected}; nothing was imported.",
                                         "The bundle {label} is inconsistent: {name} holds {count} records, the "
                                         "manifest says {expected}; nothing was imported.", count)
                                .format(label=self.label, name=name, count=count,
                                        expected=self.manifest.counts.get(record_type)))

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
                        raise UserError(_("The bundle {label} expands to far more data than a bundle of its "
                                        "size can hold (a decompression bomb?); nothing was imported.")
                                        .format(label=self.label))
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
            raise UserError(_("The bundle {label} is damaged ({exc}); ask for the file again. "
                            "Nothing was imported.").format(label=self.label, exc=short_reason(exc))) from None
        if rest.strip():
            raise UserError(_("The bundle {label} is damaged: {name} does not end with a complete line; "
                            "nothing was imported.").format(label=self.label, name=name))


def _too_large(label: str, name: str) -> UserError:
    return UserError(_("The bundle {label} holds a record in {name} larger than {value} MB; "
                     "it is not a valid bundle. Nothing was imported.")
                     .format(label=label, name=name, value=MAX_LINE_BYTES // 1024 ** 2))


def read_bundle_bytes(path: Path) -> bytes:
    """The file's bytes, refusing missing, empty and implausibly large files with one line."""
    path = Path(path)
    try:
        # Its size first, so a huge file is never read; then a plain file only, and no more than the limit (a link
        # in a shared folder may point at /dev/zero, and a file may grow after its size was read).
        too_large = path.stat().st_size > MAX_FILE_BYTES
        data = b"" if too_large else read_plain_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise UserError(_("No file at {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise UserError(_("{path} is a folder, not a bundle file.").format(path=path)) from None
    except OSError as exc:
        raise UserError(_("Cannot read {path}: {value}.").format(path=path, value=exc.strerror or exc)) from None
    if too_large or len(data) > MAX_FILE_BYTES:
        raise UserError(_("{name} is larger than {value} GB; it is not a hub bundle.")
                        .format(name=path.name, value=MAX_FILE_BYTES // 1024 ** 3))
    if not data:
        raise UserError(_("{name} is empty; it is not a hub bundle. Ask for the file again.").format(name=path.name))
    return data


def open_bundle(path: Path, passphrase: str | None = None, hub_key: str | None = None) -> BundleReader:
    """Open and check a bundle file's container and manifest, decrypting it first when it is encrypted: to a
    passphrase, or to hubs (`hub_key` is the reading hub's private key; NotARecipient when the file was not
    written for it)."""
    path = Path(path)
    data = read_bundle_bytes(path)
    return open_bundle_bytes(data, passphrase, path.name, hub_key)


def open_bundle_bytes(data: bytes, passphrase: str | None, label: str, hub_key: str | None = None
                      ) -> BundleReader:
    """As `open_bundle`, from bytes already read."""
    if is_encrypted(data):
        data = decrypt_bundle(data, passphrase)
    elif is_hub_encrypted(data):
        data = decrypt_for_hub(data, encryption_private_key(hub_key) if hub_key else None, label)
    if not data.startswith(b"PK\x03\x04"):
        if not data.strip():
            raise UserError(_("{label} is empty; it is not a hub bundle.").format(label=label))
        raise UserError(_("{label} is not an Our Society hub bundle (expected a .oursociety file made by "
                        "`oursociety export`).").format(label=label))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise UserError(_("The bundle {label} is truncated or damaged ({exc}); ask for the file again. "
                        "Nothing was imported.").format(label=label, exc=short_reason(exc))) from None
    present = _check_members(infos, label)
    manifest = _read_manifest(zf, label)
    _check_listed(manifest, present, label)
    return BundleReader(zf, manifest, len(data), label)


def _check_members(infos: list[zipfile.ZipInfo], label: str) -> set[str]:
    """Refuse unsafe, repeated or oddly stored members; returns the member names."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = re.split(r"[\\/]", name)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise UserError(_("The bundle {label} holds a member with an unsafe path ({name!r}); it was "
                            "refused. Nothing was imported.").format(label=label, name=name[:80]))
        if name != MANIFEST and not MEMBER_PATTERN.fullmatch(name):
            raise _unexpected(label, name)
        if name in seen:
            raise UserError(_("The bundle {label} holds {name} twice; it is not a valid bundle. Nothing was imported.")
                            .format(label=label, name=name))
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UserError(_("The bundle {label} stores {name} in a way this app does not read; nothing was imported.")
                            .format(label=label, name=name))
        seen.add(name)
    if MANIFEST not in seen:
        raise UserError(_("{label} has no manifest.json; it is not an Our Society hub bundle.").format(label=label))
    return seen


def _unexpected(label: str, name: str) -> UserError:
    return UserError(_("The bundle {label} holds an unexpected member {name!r}; it is not a valid bundle. "
                     "Nothing was imported.").format(label=label, name=name[:80]))


def _check_listed(manifest: Manifest, present: set[str], label: str) -> None:
    """Every record member in the file is listed in the manifest, and every listed member is in the file."""
    for name in sorted(present - {MANIFEST}):
        type_match = MEMBER_PATTERN.fullmatch(name)
        assert type_match is not None
        if name not in manifest.members or (manifest.major == 1 and type_match.group(1) not in FORMAT_1_TYPES):
            raise _unexpected(label, name)
    missing = sorted(set(manifest.members) - present)
    if missing:
        raise UserError(_("The bundle {label} lacks {missing}; it is truncated or not a valid bundle. "
                        "Nothing was imported.").format(label=label, missing=missing[0]))


def _read_manifest(zf: zipfile.ZipFile, label: str) -> Manifest:
    try:
        with zf.open(MANIFEST) as member:
            raw = member.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
        raise UserError(_("The bundle {label} is damaged ({exc}); ask for the file again.")
                        .format(label=label, exc=short_reason(exc))) from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise UserError(_("The bundle {label} has a manifest larger than {value} MB; it is not "
                        "a valid bundle.").format(label=label, value=MAX_MANIFEST_BYTES // 1024 ** 2))
    try:
        value = json.loads(raw)
    except RecursionError:
        raise UserError(_("The manifest of {label} is nested too deeply; it is not a valid bundle.")
                        .format(label=label)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(_("The manifest of {label} is not valid JSON ({exc}); the bundle is damaged.")
                        .format(label=label, exc=short_reason(exc))) from None
    return parse_manifest(value, label)



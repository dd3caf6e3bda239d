"""An attacker's bundles, for the exchange property test: made from a genuine bundle by someone who can write to
the shared folder (or hand over a stick) but holds no trusted hub's private key.

Four kinds, each meeting a different defence:

- `wrong key`: records rewritten (a person renamed, another erased), checksums fixed, signed again with the
  attacker's key under the genuine hub's id and name: the pinned key refuses it (ForgedBundle).
- `altered records`: people renamed inside a genuine bundle, manifest and signature kept: the member no longer
  matches its SHA-256 (or, for an erased person renamed, the record is refused as invalid as soon as it is read).
- `restamped replay`: an old genuine bundle with every stamp moved to now, checksums fixed, the genuine signature
  kept: the signature no longer verifies.
- `untrusted erasure`: a hub of the attacker's own, correctly signed, erasing a person: nobody trusts it.

Each may come encrypted to every hub (their encryption keys are public), so the decrypting path is crossed too.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oursociety_desktop.formats.bundle_manifest import signed_bytes
from oursociety_desktop.formats.crypto import decrypt_bundle, is_encrypted
from oursociety_desktop.formats.hub_crypto import encrypt_to_hubs
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.signing import encryption_public_key_of, new_signing_key, public_key_of, sign
from oursociety_desktop.models.trust import ForgedBundle, UntrustedHub
from oursociety_desktop.services.exchange import export_bundle, import_bundle
from tests.exchange.exchange_helpers import dump_text

KINDS = ("wrong key", "altered records", "restamped replay", "untrusted erasure")
ENVELOPE = ("id", "origin_hub", "base_stamp", "stamps")
_STAMP = re.compile(r"^\d{13}\.[0-9a-f]{6}\.")
PASSPHRASE = "property passphrase"
# Forged bundles refused, by kind, over a whole run.
REFUSED: Counter[str] = Counter()


def plain_bytes(path: Path, passphrase: str) -> bytes:
    """A genuine bundle's ZIP bytes (decrypted when it was written with a passphrase)."""
    data = path.read_bytes()
    return decrypt_bundle(data, passphrase) if is_encrypted(data) else data


def contact_lines(plain: bytes) -> list[dict[str, Any]]:
    """The contact records a bundle carries."""
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        if "records/contact.jsonl" not in zf.namelist():
            return []
        return [json.loads(line) for line in zf.read("records/contact.jsonl").splitlines() if line.strip()]


def rewrite(plain: bytes, change: Callable[[str, dict[str, Any]], dict[str, Any]], *,
            manifest_change: Callable[[dict[str, Any]], None] | None = None, fix_checksums: bool = True,
            signing_key: str | None = None) -> bytes:
    """A bundle with every record passed through `change(type, record)`; the manifest's checksums and counts fixed
    (or not), changed by `manifest_change`, and signed again with `signing_key` (or its signature kept)."""
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    for name, body in list(members.items()):
        record_type = name.removeprefix("records/").removesuffix(".jsonl")
        lines = [json.dumps(change(record_type, json.loads(line)), sort_keys=True, ensure_ascii=False,
                            separators=(",", ":")).encode() + b"\n" for line in body.splitlines() if line.strip()]
        members[name] = b"".join(lines)
        if fix_checksums:
            manifest["members"][name] = {"sha256": hashlib.sha256(members[name]).hexdigest(),
                                         "size": len(members[name])}
    if manifest_change is not None:
        manifest_change(manifest)
    if signing_key is not None:
        manifest["source_hub"]["signing_key"] = public_key_of(signing_key)
        manifest["source_hub"]["encryption_key"] = encryption_public_key_of(signing_key)
        manifest["signature"] = sign(signing_key, signed_bytes(manifest))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
        zf.writestr("manifest.json", json.dumps(manifest, sort_keys=True, ensure_ascii=False))
    return out.getvalue()


def _erased(record: dict[str, Any], stamp: str) -> dict[str, Any]:
    """The erased form of a contact record, stamped `stamp`."""
    out: dict[str, Any] = {key: record[key] for key in ENVELOPE if key in record}
    for key, value in record.items():
        if key in ENVELOPE:
            continue
        out[key] = "" if isinstance(value, str) else [] if isinstance(value, list) else \
            False if isinstance(value, bool) else value
    out.update({"engagement_stage": "new", "erased": True, "deleted": True, "erased_reason": "consent withdrawn",
                "base_stamp": stamp, "stamps": {}})
    return out


def forge(kind: str, genuine: bytes, old: bytes, target: str, attacker_key: str) -> bytes:
    """A forged bundle of `kind`, made from the genuine bundle `genuine` (or, for a replay, the older `old`),
    aimed at the person `target` (a contact id the bundle carries)."""
    now_ms = f"{int(time.time() * 1000):013d}"
    if kind == "wrong key":
        def rename_and_erase(record_type: str, record: dict[str, Any]) -> dict[str, Any]:
            if record_type != "contact":
                return record
            if record["id"] == target:
                return _erased(record, f"{now_ms}.000001.{record['origin_hub']}")
            return {**record, "given_name": "Forged", "stamps": {**record.get("stamps", {}),
                                                                 "given_name": f"{now_ms}.000001.x"}}
        return rewrite(genuine, rename_and_erase, signing_key=attacker_key)
    if kind == "altered records":
        return rewrite(genuine, lambda t, r: {**r, "given_name": "Forged"} if t == "contact" else r,
                       fix_checksums=False)
    if kind == "restamped replay":
        def restamp(_record_type: str, record: dict[str, Any]) -> dict[str, Any]:
            out = dict(record)
            out["base_stamp"] = _STAMP.sub(f"{now_ms}.000000.", record["base_stamp"])
            out["stamps"] = {k: _STAMP.sub(f"{now_ms}.000000.", v) for k, v in record.get("stamps", {}).items()}
            return out
        return rewrite(old, restamp)
    assert kind == "untrusted erasure"
    attacker = str(uuid.uuid4())

    def erase(record_type: str, record: dict[str, Any]) -> dict[str, Any]:
        return _erased(record, f"{now_ms}.000000.{attacker}") if record_type == "contact" else record

    def as_attacker(manifest: dict[str, Any]) -> None:
        manifest["source_hub"].update({"id": attacker, "name": "Helpful Hub", "incarnation": str(uuid.uuid4())})
        manifest["knowledge"] = {}

    return rewrite(genuine, erase, manifest_change=as_attacker, signing_key=attacker_key)


def encrypted_to_all(forged: bytes, hubs: list[Database]) -> bytes:
    """The forged bundle encrypted to every hub, as a bundle left in an exchange folder is."""
    return encrypt_to_hubs(forged, [encryption_public_key_of(db.signing_key) for db in hubs])


def hub_state(db: Database) -> str:
    """Everything a forged bundle must not change at a hub: the records, what it knows of every peer (trust, keys,
    acknowledgements), its knowledge vector and its exchange log."""
    with db.read() as session:
        conn = session.connection()
        peers = conn.exec_driver_sql("SELECT * FROM peer_hub ORDER BY id").all()
        known = conn.exec_driver_sql("SELECT * FROM known_stamp ORDER BY hub_id").all()
        log = conn.exec_driver_sql("SELECT COUNT(*) FROM exchange_log").scalar_one()
    return "\n".join([dump_text(db), repr(peers), repr(known), str(log)])


def caught_by(kind: str, exc: UserError, own: bool) -> bool:
    """Whether the defence meant for a kind of forgery refused it (at the hub it claims, or at another)."""
    if kind == "wrong key":
        return isinstance(exc, ForgedBundle)
    if kind == "altered records":
        # The checksum is checked once a member has been read to its end; a record the change made invalid (an
        # erased person renamed) is refused as soon as it is read. Either way the whole bundle is refused.
        return "made by this hub itself" in exc.message if own else \
            "SHA-256" in exc.message or "is not valid" in exc.message
    if kind == "restamped replay":
        return "does not match its signature" in exc.message
    return isinstance(exc, UntrustedHub)


def deliver_forgery(hubs: list[Database], bundles: list[Path], folder: Path, hub: int, kind: str, encrypt: bool,
                    pick: int) -> None:
    """Forge a bundle of `kind` from hub `hub`'s genuine one (an old one of its `bundles` for a replay), perhaps
    encrypted to every hub, and deliver it to every hub: each must refuse it with one line naming the defence
    that caught it, and no hub may change. When hub `hub` shares nobody yet the next hub that does is forged;
    nothing happens when none does."""
    sharing = [i for i in range(len(hubs)) if _shares_somebody(hubs[(hub + i) % len(hubs)])]
    if not sharing:
        return
    hub = (hub + sharing[0]) % len(hubs)
    genuine_path = folder / f"genuine-{len(bundles)}-{pick}.oursociety"
    export_bundle(hubs[hub], genuine_path)
    genuine = genuine_path.read_bytes()
    contacts = contact_lines(genuine)
    if not contacts:
        return
    claimed = f'"id":"{hubs[hub].hub_id}"'.encode()
    older = [plain for path in bundles[-12:] if (plain := plain_bytes(path, PASSPHRASE))
             and claimed in plain.replace(b'": "', b'":"') and contact_lines(plain)]
    old = older[pick % len(older)] if older else genuine
    forged = forge(kind, genuine, old, contacts[pick % len(contacts)]["id"], new_signing_key())
    path = folder / f"forged-{len(bundles)}-{pick}.oursociety"
    path.write_bytes(encrypted_to_all(forged, hubs) if encrypt else forged)
    before = [hub_state(db) for db in hubs]
    for at, db in enumerate(hubs):
        try:
            import_bundle(db, path, passphrase=PASSPHRASE, backup=False)
        except UserError as exc:
            assert "\n" not in exc.message and caught_by(kind, exc, own=at == hub), (kind, exc.message)
        else:
            raise AssertionError(f"a forged bundle ({kind}) was imported at hub {at}")
    assert [hub_state(db) for db in hubs] == before, f"a forged bundle ({kind}) changed a hub"
    REFUSED[kind] += 1


def _shares_somebody(db: Database) -> bool:
    with db.read() as session:
        return bool(session.connection().exec_driver_sql(
            "SELECT 1 FROM contact WHERE share_with_hubs = 1 OR erased = 1 LIMIT 1").first())

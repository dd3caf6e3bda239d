"""docs/bundle-format.md is enough to write and read bundles with nothing but zipfile, json and hashlib."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path

from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, contact_row, export_to, make_hub

TYPES = ("contact", "group", "membership", "action", "action_link", "connection")
# The types of the mutual learning network (docs/bundle-format.md §2).
LEARNING_TYPES = ("lesson", "lesson_person", "offer", "need", "hours", "hours_total")
CONTACT_FIELDS = {
    "given_name": "Hand", "family_name": "Written", "display_name": "", "organisation": "", "role": "",
    "phones": [{"label": "mobile", "value": "07700 900555"}], "emails": [], "street": "", "locality": "",
    "region": "", "postcode": "", "country": "", "languages": ["en"], "tags": [], "notes": "",
    "consent_recorded_at": "", "consent_method": "", "engagement_stage": "new", "share_with_hubs": True,
    "include_in_directory": False, "do_not_phone": False, "do_not_email": False, "do_not_mail": False,
    "do_not_sms": False, "deleted": False, "erased": False, "erased_reason": "", "merged_into": "",
}


def hand_made_bundle(version: str = "1.0", extra: bool = False) -> tuple[bytes, str]:
    hub = "other-program-hub"
    record_id = str(uuid.uuid4())
    record = {"id": record_id, "origin_hub": hub, "base_stamp": f"1700000000000.000000.{hub}", "stamps": {},
              **CONTACT_FIELDS}
    if extra:
        record["a_field_from_a_later_minor_version"] = "ignored"
    members = {f"records/{t}.jsonl": b"" for t in TYPES}
    members["records/contact.jsonl"] = (json.dumps(record) + "\n").encode()
    manifest = {
        "format": "oursociety-bundle", "version": version, "bundle_id": str(uuid.uuid4()),
        "source_hub": {"id": hub, "name": "Another program"}, "created_at": "2026-01-01T00:00:00+00:00",
        "kind": "full", "since": "", "for_hub": "", "clock": f"1700000000000.000000.{hub}",
        "counts": {t: (1 if t == "contact" else 0) for t in TYPES},
        "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                    for name, data in members.items()},
    }
    if extra:
        manifest["something_new"] = {"ignored": True}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue(), record_id


def test_a_bundle_written_from_the_spec_imports(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Reader")
    data, record_id = hand_made_bundle()
    path = tmp_path / "hand.oursociety"
    path.write_bytes(data)
    result = import_bundle(db, path, backup=False, trust_new_hub=True)
    assert result.report.counts["contact"].new == 1 and result.source == "new hub"
    assert contact_row(db, record_id)["family_name"] == "Written"
    db.close()


def test_a_newer_minor_version_with_extra_keys_is_read(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Reader")
    data, record_id = hand_made_bundle(version="1.7", extra=True)
    path = tmp_path / "newer-minor.oursociety"
    path.write_bytes(data)
    import_bundle(db, path, backup=False, trust_new_hub=True)
    assert contact_row(db, record_id)["given_name"] == "Hand"
    db.close()


def test_a_bundle_read_from_the_spec(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Writer")
    cid = add_contact(db, given_name="Spec", family_name="Reader")
    path = tmp_path / "out.oursociety"
    export_to(db, path)
    db.close()
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "oursociety-bundle" and manifest["version"] == "2.1"
        for name, entry in manifest["members"].items():
            data = zf.read(name)
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
        contacts = [json.loads(line) for line in zf.read("records/contact.jsonl").splitlines()]
    [contact] = contacts
    assert contact["id"] == cid and contact["given_name"] == "Spec" and "private_notes" not in contact
    assert set(contact) - {"id", "origin_hub", "base_stamp", "stamps"} == set(CONTACT_FIELDS)
    assert manifest["counts"]["contact"] == 1


def test_a_signed_2_0_bundle_written_from_the_spec_imports(tmp_path: Path) -> None:
    """Format 2.0 with nothing but zipfile, json, hashlib, base64 and an Ed25519 library: the signature is over
    the canonical JSON of the manifest without its signature (docs/bundle-format.md §3)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    hub = "other-program-hub"
    key = Ed25519PrivateKey.generate()
    record_id = str(uuid.uuid4())
    record = {"id": record_id, "origin_hub": hub, "base_stamp": f"1700000000000.000000.{hub}", "stamps": {},
              **CONTACT_FIELDS}
    member = (json.dumps(record) + "\n").encode()
    manifest = {
        "format": "oursociety-bundle", "version": "2.0", "bundle_id": str(uuid.uuid4()),
        "source_hub": {"id": hub, "name": "Another program", "incarnation": str(uuid.uuid4()),
                       "signing_key": base64.b64encode(key.public_key().public_bytes(Encoding.Raw,
                                                                                     PublicFormat.Raw)).decode()},
        "created_at": "2026-01-01T00:00:00+00:00", "kind": "full", "since": "", "for_hub": "",
        "clock": f"1700000000000.000000.{hub}", "knowledge": {hub: f"1700000000000.000000.{hub}"}, "types": {},
        "counts": {"contact": 1},
        "members": {"records/contact.jsonl": {"sha256": hashlib.sha256(member).hexdigest(), "size": len(member)}},
    }
    canonical = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    manifest["signature"] = base64.b64encode(key.sign(canonical)).decode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("records/contact.jsonl", member)
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    path = tmp_path / "spec-2.oursociety"
    path.write_bytes(buffer.getvalue())
    db = make_hub(tmp_path, "Reader")
    result = import_bundle(db, path, backup=False, trust_new_hub=True)
    assert result.report.counts["contact"].new == 1 and result.manifest.knowledge == manifest["knowledge"]
    assert contact_row(db, record_id)["family_name"] == "Written"
    db.close()


def test_a_bundle_verified_from_the_spec(tmp_path: Path) -> None:
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    db = make_hub(tmp_path, "Writer")
    add_contact(db, given_name="Verified")
    path = tmp_path / "out.oursociety"
    export_to(db, path)
    db.close()
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    signature = base64.b64decode(manifest.pop("signature"))
    canonical = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["source_hub"]["signing_key"]))
    key.verify(signature, canonical)  # raises InvalidSignature otherwise
    assert set(manifest["types"]) == set(TYPES) | set(LEARNING_TYPES)
    assert {"field": "contact_id", "target": "contact", "personal": True} in manifest["types"]["membership"]

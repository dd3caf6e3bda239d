"""Bad bundles: each gives one clear line and leaves the database file byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.formats.bundle import MANIFEST, SIGNATURE_KEY, member_for_type, signed_bytes
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.signing import sign
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, export_to, file_hash, make_hub

PASS = "a long enough passphrase"


@pytest.fixture(scope="module")
def source_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("source")
    src = make_hub(root, "Source")
    ids = [add_contact(src, given_name=f"Person {i}", phones=[{"label": "", "value": f"07700 900{i:03d}"}])
           for i in range(5)]
    with src.write() as tx:
        group = create_group(tx, {"name": "Kitchen"})
        for cid in ids:
            add_member(tx, group.id, cid)
    plain, encrypted = root / "plain.oursociety", root / "encrypted.oursociety"
    export_to(src, plain)
    export_to(src, encrypted, passphrase=PASS)
    src.close()
    # The source's private key: the tests below re-sign what they change, so each reaches the check it is about
    # (a bundle changed by someone without the key is refused by its signature: test_exchange_signature.py).
    return {"plain": plain, "encrypted": encrypted, "key": src.signing_key}


@pytest.fixture
def target(tmp_path: Path) -> Database:
    db = make_hub(tmp_path, "Target")
    add_contact(db, given_name="Already here")
    return db


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezip(members: dict[str, bytes], fix_hashes: bool = True, manifest_edit: Callable[[dict], None] | None = None,
          compression: int = zipfile.ZIP_DEFLATED, key: str = "") -> bytes:
    manifest = json.loads(members[MANIFEST])
    if fix_hashes:
        for name, data in members.items():
            if name in manifest["members"]:
                manifest["members"][name]["sha256"] = hashlib.sha256(data).hexdigest()
    if manifest_edit:
        manifest_edit(manifest)
    if key:
        manifest[SIGNATURE_KEY] = sign(key, signed_bytes(manifest))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members.items():
            if name != MANIFEST:
                zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest))
    return buffer.getvalue()


def assert_refused(target: Database, tmp_path: Path, data: bytes, match: str, passphrase: str | None = None) -> str:
    before = file_hash(target)
    path = tmp_path / "bad.oursociety"
    path.write_bytes(data)
    db = Database.open(target.path.parent)
    try:
        with pytest.raises(UserError, match=match) as info:
            import_bundle(db, path, passphrase=passphrase, trust_new_hub=True)
    finally:
        db.close()
    message = info.value.message
    assert "\n" not in message
    assert file_hash(target) == before, "the database file changed"
    return message


def test_empty_file(target, tmp_path) -> None:
    assert_refused(target, tmp_path, b"", "empty")


def test_not_a_bundle_at_all(target, tmp_path) -> None:
    assert_refused(target, tmp_path, b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n", "not an Our Society")
    assert_refused(target, tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(500), "not an Our Society")


def test_a_zip_that_is_not_a_bundle(target, tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert_refused(target, tmp_path, buffer.getvalue(), "unexpected member")


def test_truncated_zip(target, tmp_path, source_bundles) -> None:
    data = source_bundles["plain"].read_bytes()
    assert_refused(target, tmp_path, data[: len(data) // 2], "truncated or damaged")
    assert_refused(target, tmp_path, data[:-30], "truncated or damaged")


def test_corrupt_zip_bytes(target, tmp_path, source_bundles) -> None:
    data = bytearray(source_bundles["plain"].read_bytes())
    with zipfile.ZipFile(source_bundles["plain"]) as zf:
        info = zf.getinfo(member_for_type("contact"))
    # Flip a byte in the middle of the contacts member's compressed data (local header: 30 bytes + name + extra).
    local_extra = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + len(info.filename) + local_extra
    data[start + info.compress_size // 2] ^= 0xFF
    assert_refused(target, tmp_path, bytes(data), "damaged|changed")


def test_changed_record_fails_the_checksum(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])
    name = member_for_type("contact")
    members[name] = members[name].replace(b"Person 1", b"Person X")
    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"], fix_hashes=False), "SHA-256")


def test_changed_byte_in_encrypted_bundle_and_header(target, tmp_path, source_bundles) -> None:
    data = bytearray(source_bundles["encrypted"].read_bytes())
    data[len(data) // 2] ^= 0x01
    assert_refused(target, tmp_path, bytes(data), "passphrase is wrong or the file was changed", PASS)
    data = bytearray(source_bundles["encrypted"].read_bytes())
    data[20] ^= 0x01  # inside the salt: bound as associated data
    assert_refused(target, tmp_path, bytes(data), "passphrase is wrong or the file was changed", PASS)


def test_encryption_header_asking_for_too_much_work(target, tmp_path, source_bundles) -> None:
    data = bytearray(source_bundles["encrypted"].read_bytes())
    data[7], data[8] = 20, 16  # scrypt N = 2**20, r = 16: 2 GiB of memory
    assert_refused(target, tmp_path, bytes(data), "header is damaged", PASS)
    data = bytearray(source_bundles["encrypted"].read_bytes())
    data[6] = 9  # a newer encryption version
    assert_refused(target, tmp_path, bytes(data), "newer than this app", PASS)


def test_wrong_or_missing_passphrase(target, tmp_path, source_bundles) -> None:
    data = source_bundles["encrypted"].read_bytes()
    assert_refused(target, tmp_path, data, "passphrase is wrong", "not the passphrase at all")
    assert_refused(target, tmp_path, data, "encrypted; give its passphrase", None)


def test_newer_major_version(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])

    def newer(manifest: dict) -> None:
        manifest["version"] = "3.0"

    message = assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"], manifest_edit=newer),
                             "newer than this app")
    assert message == ("The bundle bad.oursociety uses format version 3.0, newer than this app reads (2.x); "
                       "update Our Society Desktop to import it.")


@pytest.mark.parametrize("name,match", [
    ("../evil.jsonl", "unsafe path"),
    ("/etc/passwd", "unsafe path"),
    ("records/../../x.jsonl", "unsafe path"),
    ("C:/windows/x.jsonl", "unsafe path"),
    ("records/extra.jsonl", "unexpected member"),
])
def test_unsafe_or_unexpected_member_names(target, tmp_path, source_bundles, name, match) -> None:
    members = members_of(source_bundles["plain"])
    members[name] = b"{}\n"
    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"]), match)


def test_decompression_bomb_is_bounded_by_bytes_actually_read(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])
    manifest = json.loads(members[MANIFEST])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in members.items():
            if name == member_for_type("contact"):
                with zf.open(name, "w") as member:
                    chunk = b"\n" * (1024 * 1024)
                    for _ in range(100):  # 100 MB of blank lines, about 100 kB compressed
                        member.write(chunk)
            elif name != MANIFEST:
                zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    assert_refused(target, tmp_path, data, "decompression bomb")


def test_record_line_too_large(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])
    name = member_for_type("contact")
    members[name] = members[name] + b'{"notes":"' + b"x" * (5 * 1024 * 1024) + b'"}\n'
    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"]), "larger than")


def test_json_too_deep(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])
    name = member_for_type("group")
    members[name] = b"[" * 200_000 + b"]" * 200_000 + b"\n"
    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"]), "nested too deeply")


def test_not_json(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])
    members[member_for_type("group")] = b"{not json\n"
    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"]), "not valid JSON")


@pytest.mark.parametrize("record_type,edit,match", [
    ("contact", lambda r: r.update(phones="07700 900123"), "phones must be a list"),
    ("contact", lambda r: r.pop("family_name"), "'family_name' is missing"),
    ("contact", lambda r: r.update(base_stamp="yesterday"), "not a version stamp"),
    ("contact", lambda r: r.update(share_with_hubs="yes"), "true or false"),
    ("contact", lambda r: r["stamps"].update(private_notes="0000000000001.000000.x"), "unknown field"),
    ("contact", lambda r: r.update(erased=True, deleted=True), "erased but still holds"),
    ("membership", lambda r: r.update(id=7), "id is missing or not text"),
    ("connection", None, "not valid"),
])
def test_records_that_break_the_schema(target, tmp_path, source_bundles, record_type, edit, match) -> None:
    members = members_of(source_bundles["plain"])
    name = member_for_type(record_type)
    lines = members.get(name, b"").splitlines()
    manifest_counts: dict[str, int] = {}
    if edit is None:
        # A bad record in the *last* member: everything before it was merged, and must be rolled back.
        lines = [b'{"id":"x"}']
        manifest_counts[record_type] = 1
    else:
        record = json.loads(lines[0])
        edit(record)
        lines[0] = json.dumps(record).encode()
    members[name] = b"\n".join(lines) + b"\n"

    def counts(manifest: dict) -> None:
        manifest["counts"].update(manifest_counts)
        data = members[name]  # a member the source had no records for is listed now
        manifest["members"].setdefault(name, {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})

    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"], manifest_edit=counts), match)


def test_record_count_mismatch(target, tmp_path, source_bundles) -> None:
    members = members_of(source_bundles["plain"])
    name = member_for_type("contact")
    members[name] = b"\n".join(members[name].splitlines()[:-1]) + b"\n"
    assert_refused(target, tmp_path, rezip(members, key=source_bundles["key"]), "inconsistent")


def test_cli_gives_one_line_and_exit_1(target, tmp_path, capsys) -> None:
    before = file_hash(target)
    bad = tmp_path / "bad.oursociety"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip")
    code = main(["--data-dir", str(target.path.parent), "import", str(bad)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("oursociety: ")
    assert file_hash(target) == before

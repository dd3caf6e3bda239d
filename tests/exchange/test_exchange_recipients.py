"""Bundles left in an exchange folder are encrypted to the hubs the writer trusts (issue 14): a recipient reads
them as before, with the signature still checked after decryption; any other hub gets one line and nothing
changes; and the format is the one docs/bundle-format.md §5.2 describes (a reader and a writer made from that text
alone, with `cryptography`'s primitives, interoperate with the app)."""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from oursociety_desktop.cli import main
from oursociety_desktop.formats.bundle_manifest import signed_bytes
from oursociety_desktop.formats.hub_crypto import NotARecipient, encrypt_to_hubs
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.signing import encryption_public_key_of, new_signing_key, public_key_of, sign
from oursociety_desktop.models.trust import ForgedBundle, distrust_hub
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import add_contact, dump_text, file_hash, introduce, make_hub


@pytest.fixture
def folder_of_two(tmp_path: Path):
    """A and B trust each other and share a folder; C trusts A, but A does not know C. A's person is in the folder."""
    a, b, c = make_hub(tmp_path, "A"), make_hub(tmp_path, "B"), make_hub(tmp_path, "C")
    introduce(a, b)
    introduce(c, a)  # C accepted A ...
    with a.write() as tx:
        distrust_hub(tx, c.hub_id)  # ... A never accepted C
    add_contact(a, given_name="Temitope", phones=[{"label": "", "value": "07700 900888"}])
    folder = tmp_path / "shared"
    folder.mkdir()
    sync_folder(b, folder)
    written = sync_folder(a, folder).written
    assert written is not None
    yield a, b, c, folder, written
    for db in (a, b, c):
        db.close()


def plain_of(data: bytes, private_key: str) -> bytes:
    """Decrypt a bundle encrypted to hubs as docs/bundle-format.md §5.2 says, from the text alone."""
    seed = base64.b64decode(private_key)
    identity = X25519PrivateKey.from_private_bytes(HKDF(hashes.SHA256(), 32, None,
                                                        b"oursociety hub x25519 key v1").derive(seed))
    own = identity.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    magic, version, count, nonce = struct.unpack_from(">6sBH12s", data)
    assert (magic, version) == (b"OSBHUB", 1)
    end = 21 + 80 * count
    for start in range(21, end, 80):
        ephemeral, wrapped = data[start:start + 32], data[start + 32:start + 80]
        shared = identity.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        key = HKDF(hashes.SHA256(), 32, ephemeral + own, b"oursociety-bundle/v1/X25519").derive(shared)
        try:
            file_key = ChaCha20Poly1305(key).decrypt(bytes(12), wrapped, None)
        except Exception:  # noqa: BLE001, S112 - another hub's stanza
            continue
        return ChaCha20Poly1305(file_key).decrypt(nonce, data[end:], data[:end])
    raise AssertionError("not a recipient")


def test_a_recipient_reads_the_folder_bundle_and_the_spec_reads_it_too(folder_of_two) -> None:
    a, b, _c, folder, written = folder_of_two
    data = written.read_bytes()
    assert data.startswith(b"OSBHUB") and b"Temitope" not in data
    assert struct.unpack_from(">6sBH", data)[2] == 2  # A and B: the hubs A trusts, and A itself
    for hub in (a, b):  # a reader made from the documentation opens it with either hub's key
        with zipfile.ZipFile(io.BytesIO(plain_of(data, hub.signing_key))) as zf:
            assert b"Temitope" in zf.read("records/contact.jsonl")
    result = sync_folder(b, folder)
    assert [r.file_name for r in result.imported] == [written.name] and "Temitope" in dump_text(b)


def test_a_hub_that_is_not_a_recipient_gets_one_line_and_nothing_changes(folder_of_two, capsys) -> None:
    a, _b, c, folder, written = folder_of_two
    before = file_hash(c)
    assert main(["--data-dir", str(c.path.parent), "import", str(written)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not for this one" in err and "nothing was imported" in err
    assert file_hash(c) == before
    c_again = type(c).open(c.path.parent)
    try:
        first = sync_folder(c_again, folder)
        assert first.not_for_us == [written.name] and "Temitope" not in dump_text(c_again)
        assert [line for line in first.skipped if written.name in line and "not for this one" in line]
        assert sync_folder(c_again, folder).skipped == []  # reported once, not at every sync
    finally:
        c_again.close()


def test_after_decryption_the_signature_is_still_checked(folder_of_two, tmp_path: Path) -> None:
    """The recipients' public keys are no secret: anyone can encrypt to B. A bundle claiming A, encrypted to B,
    is refused unless A's pinned key signed it; a genuine bundle with a changed record is refused too."""
    a, b, _c, _folder, written = folder_of_two
    before = dump_text(b)
    plain = plain_of(written.read_bytes(), b.signing_key)
    to_b = [encryption_public_key_of(b.signing_key)]
    # Records changed, manifest and signature kept: the member's checksum no longer matches.
    changed = _rezip(plain, lambda name, body: body.replace(b"Temitope", b"Mallory!") if "contact" in name else body)
    (tmp_path / "changed.oursociety").write_bytes(encrypt_to_hubs(changed, to_b))
    with pytest.raises(UserError, match="SHA-256"):
        import_bundle(b, tmp_path / "changed.oursociety", backup=False)
    # The same, signed again with a key of the attacker's own: refused as forged.
    forger = new_signing_key()

    def resign(name: str, body: bytes) -> bytes:
        if name != "manifest.json":
            return body
        manifest = json.loads(body)
        manifest["source_hub"]["signing_key"] = public_key_of(forger)
        manifest["signature"] = sign(forger, signed_bytes(manifest))
        return json.dumps(manifest).encode()

    (tmp_path / "forged.oursociety").write_bytes(encrypt_to_hubs(_rezip(plain, resign), to_b))
    with pytest.raises(ForgedBundle, match="signed by another key"):
        import_bundle(b, tmp_path / "forged.oursociety", backup=False)
    assert dump_text(b) == before


def _rezip(plain: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, change(name, src.read(name)))
    return out.getvalue()


def test_a_file_written_from_the_spec_is_read_and_a_changed_header_byte_is_refused(folder_of_two,
                                                                                  tmp_path: Path) -> None:
    """A writer made from docs/bundle-format.md §5.2 alone: B reads what it wrote; one changed header byte, or a
    newer version, is refused with one line."""
    a, b, _c, _folder, written = folder_of_two
    plain = plain_of(written.read_bytes(), a.signing_key)
    recipient = base64.b64decode(encryption_public_key_of(b.signing_key))
    file_key, nonce = os.urandom(32), os.urandom(12)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    wrap = HKDF(hashes.SHA256(), 32, ephemeral_public + recipient, b"oursociety-bundle/v1/X25519").derive(
        ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient)))
    header = struct.pack(">6sBH12s", b"OSBHUB", 1, 1, nonce) + ephemeral_public + \
        ChaCha20Poly1305(wrap).encrypt(bytes(12), file_key, None)
    (tmp_path / "spec.oursociety").write_bytes(header + ChaCha20Poly1305(file_key).encrypt(nonce, plain, header))
    assert import_bundle(b, tmp_path / "spec.oursociety", dry_run=True).report.counts["contact"].new == 1
    data = bytearray((tmp_path / "spec.oursociety").read_bytes())
    data[12] ^= 1  # a byte of the payload nonce: part of the associated data
    (tmp_path / "nonce.oursociety").write_bytes(bytes(data))
    with pytest.raises(UserError, match="changed after it was encrypted"):
        import_bundle(b, tmp_path / "nonce.oursociety", dry_run=True)
    data[12] ^= 1
    data[6] = 2
    (tmp_path / "newer.oursociety").write_bytes(bytes(data))
    with pytest.raises(UserError, match="newer than this app"):
        import_bundle(b, tmp_path / "newer.oursociety", dry_run=True)
    with pytest.raises(NotARecipient):  # A's own key opens none of the stanzas: B's only
        import_bundle(a, tmp_path / "spec.oursociety", dry_run=True)


def test_a_hub_no_longer_trusted_cannot_read_what_is_written_next(folder_of_two) -> None:
    a, b, _c, folder, _written = folder_of_two
    sync_folder(b, folder)
    with a.write() as tx:
        distrust_hub(tx, b.hub_id)
    add_contact(a, given_name="Afterwards")
    written = sync_folder(a, folder).written
    assert written is not None
    with pytest.raises(NotARecipient):
        import_bundle(b, written, dry_run=True)
    assert struct.unpack_from(">6sBH", written.read_bytes())[2] == 1  # A alone


def test_this_hubs_older_plain_bundles_in_the_folder_are_replaced(folder_of_two) -> None:
    """A bundle an earlier version left in the folder in plain goes at the next sync; the delta written instead
    carries what it held."""
    a, b, _c, folder, written = folder_of_two
    from oursociety_desktop.formats.hub_crypto import decrypt_for_hub
    from oursociety_desktop.models.signing import encryption_private_key

    written.write_bytes(decrypt_for_hub(written.read_bytes(), encryption_private_key(a.signing_key), "x"))
    assert written.read_bytes().startswith(b"PK")  # as an earlier version wrote it
    result = sync_folder(a, folder)
    assert written.name in result.removed and result.written is not None and not written.exists()
    sync_folder(b, folder)
    assert "Temitope" in dump_text(b)


def test_an_introduction_holds_keys_only_and_a_new_identity_replaces_it(folder_of_two) -> None:
    from oursociety_desktop.formats.bundle import open_bundle
    from oursociety_desktop.models.hub_identity import new_identity

    a, _b, _c, folder, _written = folder_of_two
    [intro] = [p for p in folder.glob(f"a_{a.hub_id}_*.oursociety") if p.read_bytes().startswith(b"PK")]
    manifest = open_bundle(intro).manifest
    assert (manifest.total_records, manifest.clock, manifest.knowledge) == (0, "", {})
    assert manifest.encryption_key == encryption_public_key_of(a.signing_key)
    new_identity(a, "A again")
    result = sync_folder(a, folder)
    assert not intro.exists() and result.introduction.startswith(f"a-again_{a.hub_id}_")
    assert open_bundle(folder / result.introduction).manifest.signing_key == public_key_of(a.signing_key)

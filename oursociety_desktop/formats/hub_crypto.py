"""Bundles encrypted to hubs, as age does with its X25519 recipients: a random file key encrypts the plain bundle
(ChaCha20-Poly1305), and the file key is wrapped once for each hub that may read it (X25519 + HKDF-SHA256 +
ChaCha20-Poly1305), so any one of them opens the file with its own private key and nobody else can.

Layout (big-endian; docs/bundle-format.md §5.2 has the same table):

    offset  size  content
    0       6     magic b"OSBHUB"
    6       1     version (1)
    7       2     n, the number of recipient stanzas (1-1000)
    9       12    payload nonce (random)
    21      80·n  stanzas: an ephemeral X25519 public key (32) and the wrapped file key (32 + 16-byte tag)
    21+80·n       the ChaCha20-Poly1305 ciphertext of the plain bundle under the file key, with its tag

Each stanza has its own ephemeral key. Its wrapping key is HKDF-SHA256(ikm = X25519(ephemeral, recipient),
salt = ephemeral public key ‖ recipient public key, info = b"oursociety-bundle/v1/X25519", 32 bytes), used once
with the all-zero nonce. Stanzas do not name their recipient: a reader tries each. The payload's associated data is
the whole header (bytes 0 to 21+80·n), so changing, adding or removing any header byte or stanza fails decryption.

Encryption says who may *read*, not who *wrote*: anyone knowing the public keys can make such a file. The writer
is proven by the Ed25519 signature inside the plain bundle, checked after decryption as for any bundle.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.errors import UserError

MAGIC = b"OSBHUB"
VERSION = 1
HEADER = struct.Struct(">6sBH12s")
KEY_BYTES = 32
STANZA_BYTES = KEY_BYTES + KEY_BYTES + 16
MAX_RECIPIENTS = 1000
WRAP_INFO = b"oursociety-bundle/v1/X25519"
ZERO_NONCE = bytes(12)


class NotARecipient(UserError):
    """A bundle encrypted to other hubs: this hub holds none of the keys it was written for."""


def is_hub_encrypted(data: bytes) -> bool:
    """True when the bytes start like a bundle encrypted to hubs."""
    return data[: len(MAGIC)] == MAGIC


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient, info=WRAP_INFO
                ).derive(shared)


def decode_public_key(text: str) -> bytes | None:
    """The 32 raw bytes of a base64 X25519 public key, or None when it is not one."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if len(raw) == KEY_BYTES else None


def encrypt_to_hubs(plain: bytes, recipients: Iterable[str]) -> bytes:
    """Encrypt a plain bundle to every recipient (base64 X25519 public keys; repeats count once). Raises
    ValueError for no recipient, too many or a key that is not 32 bytes (the caller chooses them), UserError for a
    key of small order."""
    keys = sorted({decode_public_key(key) or b"" for key in recipients})
    if not keys or b"" in keys or len(keys) > MAX_RECIPIENTS:
        raise ValueError("a bundle needs 1-1000 valid recipient keys")
    file_key, nonce = ChaCha20Poly1305.generate_key(), os.urandom(12)
    stanzas = []
    for recipient in keys:
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = _raw(ephemeral.public_key())
        try:
            shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
        except ValueError:  # a point of small order: the shared secret would be all zeros
            raise UserError(_("A trusted hub published an encryption key that cannot be used; nothing was written. "
                              "Stop trusting that hub (`oursociety hub distrust`) and accept it again.")) from None
        wrapped = ChaCha20Poly1305(_wrapping_key(shared, ephemeral_public, recipient)).encrypt(
            ZERO_NONCE, file_key, None)
        stanzas.append(ephemeral_public + wrapped)
    header = HEADER.pack(MAGIC, VERSION, len(stanzas), nonce) + b"".join(stanzas)
    return header + ChaCha20Poly1305(file_key).encrypt(nonce, plain, header)


def decrypt_for_hub(data: bytes, identity: X25519PrivateKey | None, label: str) -> bytes:
    """The plain bundle, when `identity` is one of the recipients. Raises NotARecipient when it is not (or the
    stanzas were changed), UserError for a damaged or newer file or a changed payload."""
    if len(data) < HEADER.size:
        raise UserError(_("The encrypted bundle {label} is truncated; ask for the file again.").format(label=label))
    magic, version, count, nonce = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise UserError(_("{label} is not a bundle encrypted to hubs.").format(label=label))
    if version > VERSION:
        raise UserError(_("The bundle {label} uses hub encryption version {version}, newer than this app "
                          "understands ({known}); update Our Society Desktop.").format(label=label, version=version,
                                                                                       known=VERSION))
    end = HEADER.size + count * STANZA_BYTES
    if version < 1 or not 1 <= count <= MAX_RECIPIENTS or len(data) < end + 16:
        raise UserError(_("The encrypted bundle {label} is truncated or its header is damaged; ask for the file "
                          "again. Nothing was imported.").format(label=label))
    if identity is None:
        raise NotARecipient(_("The bundle {label} is encrypted to hubs; only a hub it was written for can open "
                              "it. Nothing was imported.").format(label=label))
    own = _raw(identity.public_key())
    file_key = None
    for start in range(HEADER.size, end, STANZA_BYTES):
        ephemeral, wrapped = data[start:start + KEY_BYTES], data[start + KEY_BYTES:start + STANZA_BYTES]
        try:
            shared = identity.exchange(X25519PublicKey.from_public_bytes(ephemeral))
            file_key = ChaCha20Poly1305(_wrapping_key(shared, ephemeral, own)).decrypt(ZERO_NONCE, wrapped, None)
            break
        except (InvalidTag, ValueError):  # another hub's stanza (or a point of small order)
            continue
    if file_key is None:
        raise NotARecipient(ngettext(
            "The bundle {label} was written for {count} other hub, not for this one (the hub that wrote it does "
            "not trust this hub yet, or has not learned its key); nothing was imported.",
            "The bundle {label} was written for {count} other hubs, not for this one (the hub that wrote it does "
            "not trust this hub yet, or has not learned its key); nothing was imported.", count).format(
                label=label, count=count))
    try:
        return ChaCha20Poly1305(file_key).decrypt(nonce, data[end:], data[:end])
    except InvalidTag:
        raise UserError(_("The bundle {label} is incomplete (still being copied?) or was changed after it was "
                          "encrypted; it was refused. Nothing was imported.").format(label=label)) from None

"""Hub keys, through the `cryptography` package: an Ed25519 key (RFC 8032) signs every bundle's manifest, and an
X25519 key (RFC 7748) receives the bundles other hubs encrypt to this hub (formats/hub_crypto.py).

Keys and signatures are carried as standard base64 text of their raw bytes: a private key of 32 bytes, a public
key of 32 bytes, a signature of 64 bytes.

The hub stores one secret, its Ed25519 private key (the 32-byte seed). Its X25519 private key is a separate key
derived from that seed with HKDF-SHA256 (RFC 5869: no salt, info `oursociety hub x25519 key v1`, 32 bytes), never
the same key used twice: Ed25519 and X25519 keys stay independent (unlike the Ed25519-to-X25519 conversion, which
reuses one secret for both algorithms and which `cryptography` does not offer), nothing more has to be stored or
backed up, and a new hub identity changes both. The X25519 public key travels in each signed manifest, so a peer
that pinned the Ed25519 key learns it authenticated.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
ENCRYPTION_KEY_INFO = b"oursociety hub x25519 key v1"


def new_signing_key() -> str:
    """A fresh private key, as base64 of its 32 raw bytes."""
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def _private(key: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(key, validate=True))


def public_key_of(private_key: str) -> str:
    """The public key (base64 of 32 bytes) belonging to a private key made by `new_signing_key`."""
    raw = _private(private_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def encryption_private_key(private_key: str) -> X25519PrivateKey:
    """The hub's X25519 private key, derived from its signing key's seed (HKDF-SHA256, see above)."""
    seed = base64.b64decode(private_key, validate=True)
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=ENCRYPTION_KEY_INFO).derive(seed)
    return X25519PrivateKey.from_private_bytes(raw)


def encryption_public_key_of(private_key: str) -> str:
    """The hub's X25519 public key (base64 of 32 bytes), which other hubs encrypt bundles to."""
    raw = encryption_private_key(private_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign(private_key: str, data: bytes) -> str:
    """The signature of `data` (base64 of 64 bytes)."""
    return base64.b64encode(_private(private_key).sign(data)).decode("ascii")


def decode_fixed(text: object, size: int) -> bytes | None:
    """The bytes of base64 `text` when it decodes to exactly `size` bytes, else None."""
    if not isinstance(text, str) or len(text) > 4 * (size // 3 + 1):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == size else None


def verify(public_key: str, data: bytes, signature: str) -> bool:
    """True when `signature` is a valid signature of `data` by the holder of `public_key`; never raises."""
    key, sig = decode_fixed(public_key, PUBLIC_KEY_BYTES), decode_fixed(signature, SIGNATURE_BYTES)
    if key is None or sig is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, data)
    except (InvalidSignature, ValueError):
        return False
    return True

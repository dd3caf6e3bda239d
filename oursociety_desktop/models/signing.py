"""Hub signing keys (Ed25519, RFC 8032, through the `cryptography` package): every bundle's manifest is signed.

Keys and signatures are carried as standard base64 text of their raw bytes: a private key of 32 bytes, a public
key of 32 bytes, a signature of 64 bytes.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


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

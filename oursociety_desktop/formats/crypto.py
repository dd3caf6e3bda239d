"""Passphrase encryption of bundles: AES-256-GCM with a key from scrypt and a per-file salt.

An encrypted bundle is a fixed header followed by the AES-GCM ciphertext of the plain bundle (a ZIP) with its
16-byte tag. The whole header is the associated data, so changing any header byte (version, scrypt cost, salt,
nonce) makes decryption fail exactly as a wrong passphrase or a changed ciphertext byte does.

Header (38 bytes, big-endian): magic ``b"OSBENC"`` (6), encryption version (1 byte, now 1), log2 of scrypt's N (1),
scrypt r (1), scrypt p (1), salt (16), AES-GCM nonce (12). docs/bundle-format.md has the same table.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.errors import UserError

MAGIC = b"OSBENC"
ENCRYPTION_VERSION = 1
HEADER = struct.Struct(">6sBBBB16s12s")
SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
# Refuse headers asking for more work than this: a crafted file must not make the import run for minutes.
MAX_LOG2_N = 20
MAX_R = 16
MAX_P = 4
MIN_PASSPHRASE = 8
# scrypt needs 128 * r * N bytes of memory: a header may not ask for more than this.
MAX_SCRYPT_MEMORY = 256 * 1024**2


def is_encrypted(data: bytes) -> bool:
    """True when the bytes start like an encrypted bundle."""
    return data[: len(MAGIC)] == MAGIC


def derive_key(passphrase: str, salt: bytes, log2_n: int = SCRYPT_LOG2_N, r: int = SCRYPT_R, p: int = SCRYPT_P
               ) -> bytes:
    """The 256-bit AES key for a passphrase and salt (scrypt)."""
    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def check_passphrase(passphrase: str) -> str:
    """Refuse passphrases too short to protect personal data; returns it unchanged otherwise."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(ngettext("The passphrase is too short; use at least {min_passphrase} character.",
                                 "The passphrase is too short; use at least {min_passphrase} characters.",
                                 MIN_PASSPHRASE).format(min_passphrase=MIN_PASSPHRASE))
    return passphrase


def encrypt_bundle(plain: bytes, passphrase: str) -> bytes:
    """Encrypt a plain bundle: header + AES-256-GCM ciphertext (the header is the associated data)."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = HEADER.pack(MAGIC, ENCRYPTION_VERSION, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, nonce)
    key = derive_key(passphrase, salt)
    return header + AESGCM(key).encrypt(nonce, plain, header)


def decrypt_bundle(data: bytes, passphrase: str | None) -> bytes:
    """Decrypt an encrypted bundle. Raises UserError for a missing or wrong passphrase or any changed byte."""
    if len(data) < HEADER.size + 16:
        raise UserError(_("The encrypted bundle is truncated; ask for the file again."))
    magic, version, log2_n, r, p, salt, nonce = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise UserError(_("This file is not an encrypted Our Society bundle."))
    if version > ENCRYPTION_VERSION:
        raise UserError(_("This bundle uses encryption version {version}, newer than this app understands "
                        "({encryption_version}); update Our Society Desktop.")
                        .format(version=version, encryption_version=ENCRYPTION_VERSION))
    if version < 1 or not (10 <= log2_n <= MAX_LOG2_N) or not (1 <= r <= MAX_R) or not (1 <= p <= MAX_P) \
            or 128 * r * 2**log2_n > MAX_SCRYPT_MEMORY:
        raise UserError(_("The encrypted bundle's header is damaged; ask for the file again."))
    if passphrase is None:
        raise UserError(_("This bundle is encrypted; give its passphrase (--passphrase-file F)."))
    key = derive_key(passphrase, salt, log2_n, r, p)
    header = data[: HEADER.size]
    try:
        return AESGCM(key).decrypt(nonce, data[HEADER.size:], header)
    except InvalidTag:
        raise UserError(_("Could not decrypt the bundle: the passphrase is wrong or the file was changed. "
                        "Nothing was imported.")) from None

"""Character sets of imported text, decided per value rather than per file.

Address books mix encodings inside one file: a vCard 2.1 card may say `N;CHARSET=SHIFT_JIS:` on one property and
`CHARSET=KOI8-U` on the next, and one value typed on an old phone may be Windows-1252 in an otherwise UTF-8 file.
So values are decoded one by one: the charset the value names, else the encoding the user gave (`--encoding`),
else UTF-8, else Windows-1252 with a warning; one bad byte sequence never changes how the rest of the file reads.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError

FALLBACK = "cp1252"
_ALIASES = {"utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-user-defined": "cp1252", "ansi": "cp1252",
            "windows-1252": "cp1252", "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8",
            "ascii": "utf-8", "shift-jis": "shift_jis", "sjis": "shift_jis", "x-sjis": "shift_jis",
            "ks_c_5601-1987": "euc-kr", "gb2312": "gbk", "x-mac-roman": "mac-roman", "macintosh": "mac-roman"}

# Codecs Python knows that no file is written in: transforms of bytes (base64, zlib) or of text (rot13), and text
# codecs for other purposes. A card's `CHARSET=base64` stopped the import with an unexpected LookupError, and
# `--encoding punycode` or `undefined` with an unexpected UnicodeError.
_NOT_FILE_ENCODINGS = frozenset(("undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape"))


def codec_name(name: str) -> str | None:
    """The Python codec for a charset name as address books write it (None when unknown)."""
    key = name.strip().strip('"').lower()
    if not key:
        return None
    key = _ALIASES.get(key, key)
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        return None
    # ISO-8859-1 is read as its superset Windows-1252: writers label cp1252 text as latin-1 all the time.
    return FALLBACK if info.name == "latin-1" else info.name


def check_encoding_option(name: str) -> str:
    """The codec for the user's `--encoding` choice, or a one-line refusal that names the option."""
    if not name:
        return ""
    codec = codec_name(name)
    if codec is None:
        raise UserError(_("Unknown text encoding '{name}' given with --encoding; use a name such as utf-8, cp1252, "
                        "iso-8859-7, koi8-u or shift_jis.").format(name=name))
    return codec


@dataclass(frozen=True)
class Decoded:
    """A decoded value and, when its bytes were not what they claimed, a warning saying how it was read."""

    text: str
    warning: str = ""


def decode_value(raw: bytes, charset: str = "", default: str = "", hint: str = "") -> Decoded:
    """Decode one value: its own charset, else `default` (the user's --encoding), else UTF-8, else `hint` (a
    charset other values of the same card name), else Windows-1252. A value whose bytes are mostly in its
    declared charset keeps it, with the bad bytes replaced and a warning. Raises UnicodeError when no choice
    decodes it (the caller names the value and the --encoding option)."""
    if raw.isascii():
        return Decoded(raw.decode("ascii"))
    codec = codec_name(charset) if charset else None
    unknown = bool(charset) and codec is None
    if codec is not None:
        try:
            return Decoded(raw.decode(codec))
        except UnicodeDecodeError:
            pass
    for fallback in (default, "utf-8") if default else ("utf-8",):
        try:
            text = raw.decode(fallback)
        except UnicodeDecodeError:
            continue
        return Decoded(text, _("unknown character set '{charset}'; read as {encoding}").format(
            charset=charset, encoding=fallback if fallback == default else "UTF-8") if unknown else "")
    if codec is not None:
        text = raw.decode(codec, errors="replace")
        return Decoded(text, _("some bytes are not valid {charset}; they were replaced with \ufffd").format(
            charset=charset))
    hinted = codec_name(hint) if hint else None
    if hinted:
        try:
            text = raw.decode(hinted)
            return Decoded(text, (_("unknown character set '{charset}'; read as {encoding}, the character set the "
                                    "card names elsewhere") if unknown else
                                  _("read as {encoding}, the character set the card names elsewhere")).format(
                charset=charset, encoding=hint))
        except UnicodeDecodeError:
            pass
    text = raw.decode(FALLBACK)  # may raise: the caller refuses with the --encoding hint
    return Decoded(text, (_("unknown character set '{charset}'; read as Windows-1252 (give the file's encoding with "
                            "--encoding if it looks wrong)") if unknown else
                          _("not UTF-8; read as Windows-1252 (give the file's encoding with --encoding if it looks "
                            "wrong)")).format(charset=charset))

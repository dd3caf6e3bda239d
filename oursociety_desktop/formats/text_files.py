"""Reading text files for import safely: a size limit checked before reading, and the encoding detected
(UTF-8 with or without BOM, UTF-16 by BOM or NUL pattern, Windows-1252), binary junk refused with one line."""

from __future__ import annotations

from pathlib import Path

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.plain_files import read_plain_file


def checked_size(path: Path, limit: int, kind: str) -> int:
    """The size of a file about to be read, refusing (one line) a missing file, a folder, or a file bigger than
    `limit` bytes."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(_("There is no file {path}.").format(path=path)) from None
    except OSError as exc:
        raise cannot_read(path, exc) from None
    if path.is_dir():
        raise UserError(_("{path} is a folder, not a {kind} file.").format(path=path, kind=kind))
    if size > limit:
        raise UserError(_("{name} is {value:,.1f} MB, over the {value2} MB limit for a "
                        "{kind} import; split it into smaller files and import them one by one.")
                        .format(name=path.name, value=size / 1000000.0, value2=limit // (1024 * 1024), kind=kind))
    return size


def cannot_read(path: Path, exc: OSError) -> UserError:
    """The one-line refusal for a file the system would not let us read."""
    return UserError(_("Cannot read {path}: {value}.").format(path=path, value=exc.strerror or exc))


def over_limit(path: Path, limit: int, kind: str) -> UserError:
    """The one-line refusal for a file that grew past `limit` bytes while it was read."""
    return UserError(_("{name} is over the {value} MB limit for a {kind} import.")
                     .format(name=Path(path).name, value=limit // (1024 * 1024), kind=kind))


def read_limited(path: Path, limit: int, kind: str) -> bytes:
    """Read a whole file, refusing (before reading) one bigger than `limit` bytes."""
    path = Path(path)
    checked_size(path, limit, kind)
    try:
        data = read_plain_file(path, limit)  # a named pipe or a device is refused, not waited on or read for ever
    except OSError as exc:
        raise cannot_read(path, exc) from None
    if len(data) > limit:
        raise over_limit(path, limit, kind)
    return data


def looks_utf16(sample: bytes) -> str | None:
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def refuse_binary(data: bytes, source: str, kind: str) -> None:
    """Refuse (one line) a file whose start holds NUL bytes or many control characters."""
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > max(8, len(sample) // 100):
        raise UserError(_("{source} is not a {kind} file: it contains binary data. Choose the exported "
                        "{kind} file itself.").format(source=source, kind=kind))


def detect_encoding(data: bytes, source: str, kind: str) -> str:
    """The encoding of a text file: UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern) or cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:65536]
    utf16 = looks_utf16(sample)
    if utf16:
        return utf16
    refuse_binary(data, source, kind)
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        raise UserError(_("Could not tell the text encoding of {source} (it is not UTF-8, UTF-16 or Windows-1252); "
                        "give it with --encoding (for example --encoding shift_jis) or save it as UTF-8.")
                        .format(source=source)) from None


def decode_text_file(data: bytes, source: str, kind: str, encoding: str = "") -> str:
    """Decode a whole text file (encoding detected unless given) into str with a clear error on failure."""
    chosen = encoding or detect_encoding(data, source, kind)
    try:
        text = data.decode(chosen)
    except LookupError:
        raise UserError(_("Unknown text encoding '{encoding}' given with --encoding; use a name such as utf-8, "
                        "utf-16, cp1252 or iso-8859-7.").format(encoding=encoding)) from None
    except UnicodeError as exc:  # a decoding error, or a codec's own (utf-7 and others raise the base class)
        raise UserError(_("{source} is not valid {chosen} text (byte {start}); choose another --encoding or "
                        "save it as UTF-8.").format(source=source, chosen=chosen, start=getattr(exc, "start", 0))
                        ) from None
    if "\x00" in text:
        raise UserError(_("{source} is not a {kind} file: it contains binary data.").format(source=source, kind=kind))
    return text

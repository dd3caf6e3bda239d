"""vCard files in and out: our own reader for 2.1, 3.0 and 4.0 and a writer for 3.0 and 4.0.

Four modules below this one: `vcard_cards` (a file's cards from bytes), `vcard_lines` (content lines),
`vcard_values` (properties to a contact's fields) and `vcard_write` (the writer).

Reading is done here rather than with vobject because vobject drops NOTE text after an unescaped comma, reads
4.0 with 3.0 rules, and decodes a whole file in one encoding. This reader works on bytes: each card's lines are
unfolded first (folding and quoted-printable soft breaks in either order; in 2.1 a fold's whitespace is the
value's), then every value is decoded on its own (its CHARSET, the user's --encoding, UTF-8, a charset the card
names elsewhere, Windows-1252 with a warning), so one bad byte sequence costs one value. Real writers' quirks are
tolerated (`#` comments, bare names, unindented 2.1 base64, backslash-continued values, `_` and `/` in names,
grouped BEGIN lines). Group cards (`KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND`) become groups.
Nothing is dropped silently: values with no field of their own are kept as "Label: value" lines of the notes,
and every property not imported is named in the card's warnings. Photos and URLs are never fetched:
PHOTO/LOGO/SOUND/KEY and base64 values are skipped and counted, never a reason to refuse.

Files over `MAX_FILE_BYTES` are refused before they are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from oursociety_desktop.formats.charsets import check_encoding_option
from oursociety_desktop.formats.import_rows import ImportRow, SharedTexts
from oursociety_desktop.formats.labels import apple_label
from oursociety_desktop.formats.text_files import cannot_read, checked_size, looks_utf16, over_limit, refuse_binary
from oursociety_desktop.formats.vcard_cards import RawCard, card_version, chunk_lines, iter_cards, line_blocks
from oursociety_desktop.formats.vcard_lines import VProperty, card_charset, parse_property, unescape_text, unfold
from oursociety_desktop.formats.vcard_values import group_card, uid_of, values_from

# The writer lives in vcard_write.py; its names are part of this module's API too.
from oursociety_desktop.formats.vcard_write import VERSIONS as VERSIONS
from oursociety_desktop.formats.vcard_write import contact_to_vcard as contact_to_vcard
from oursociety_desktop.formats.vcard_write import escape_text as escape_text
from oursociety_desktop.formats.vcard_write import fold_line as fold_line
from oursociety_desktop.formats.vcard_write import safe_file_stem as safe_file_stem
from oursociety_desktop.formats.vcard_write import write_vcards as write_vcards
from oursociety_desktop.i18n import _
from oursociety_desktop.models.bulk import cyclic_gc_paused
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.plain_files import open_plain_file
from oursociety_desktop.models.progress import Progress

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The largest vCard file read (100 MB, about 200,000 cards); bigger files are refused before reading."""


def read_vcard_file(path: Path, encoding: str = "", progress: Progress | None = None) -> list[ImportRow]:
    """Read a .vcf file into one ImportRow per card (problems and warnings listed per card).
    `encoding`: the user's choice for values that name no charset (default: UTF-8, else Windows-1252).
    `progress` is told how far the reading is every few hundred cards; answering False cancels it.
    A UTF-8 or 8-bit file is read from the disk a block at a time (never held whole); UTF-16 is transcoded whole."""
    default = check_encoding_option(encoding)
    path = Path(path)
    size = checked_size(path, MAX_FILE_BYTES, "vCard")
    try:
        with open_plain_file(path) as fh:  # a named pipe or a device is refused, not waited on or read for ever
            head = fh.read(65536)
            if not head.startswith(_BOM) and _wide(head, default):
                data = head + fh.read(MAX_FILE_BYTES + 1 - len(head))
                if len(data) > MAX_FILE_BYTES:
                    raise over_limit(path, MAX_FILE_BYTES, "vCard")
                return parse_vcards(data, path.name, encoding, progress)
            if head.startswith(_BOM):
                head = head[len(_BOM):]
            else:
                refuse_binary(head, path.name, "vCard")
            read = [len(head)]

            def chunks() -> Iterator[bytes]:
                yield head
                while chunk := fh.read(_CHUNK):
                    read[0] += len(chunk)
                    if read[0] > MAX_FILE_BYTES:
                        raise over_limit(path, MAX_FILE_BYTES, "vCard")
                    yield chunk

            return _rows(chunk_lines(chunks()), default, path.name, progress,
                         lambda _card: read[0] * 100 // max(1, size))
    except OSError as exc:
        raise cannot_read(path, exc) from None


_BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 19


def _wide(head: bytes, default: str) -> str:
    """The UTF-16/32 codec a file starting with `head` is in (its BOM, the user's choice, or its NUL pattern)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if default.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        return default
    return looks_utf16(head[:65536]) or ""


def _utf8_bytes(data: bytes, source: str, default: str) -> tuple[bytes, str]:
    """The file's bytes with any BOM removed; UTF-16/32 files are transcoded to UTF-8 first (their values then
    need no other charset). Returns (bytes, the default charset for values)."""
    if data.startswith(_BOM):
        return data[3:], default
    wide = _wide(data, default)
    if wide:
        try:
            return data.decode(wide).lstrip("\ufeff").encode("utf-8"), ""
        except UnicodeDecodeError as exc:
            raise UserError(_("{source} is not valid {wide} text (byte {start}); give its encoding with "
                            "--encoding or save it as UTF-8.")
                            .format(source=source, wide=wide, start=exc.start)) from None
    refuse_binary(data, source, "vCard")
    return data, default


def parse_vcards(data: bytes, source: str = "the file", encoding: str = "",
                 progress: Progress | None = None) -> list[ImportRow]:
    """Parse every card in `data`. Raises UserError when the file is not a vCard file at all, or when a value
    this app needs cannot be decoded (the message names `--encoding`)."""
    default = check_encoding_option(encoding)
    data, default = _utf8_bytes(data, source, default)
    lines = max(1, data.count(b"\n") or data.count(b"\r"))
    return _rows(line_blocks(data), default, source, progress, lambda card: card.line * 100 // lines)


def _rows(blocks: Iterable[list[bytes]], default: str, source: str, progress: Progress | None,
          percent: Callable[[RawCard], int]) -> list[ImportRow]:
    """One row per card of the lines given in blocks; each card's lines are let go once its row is made, so memory
    follows the rows, not the file. Repeated texts are held once (`SharedTexts`)."""
    rows: list[ImportRow] = []
    shared = SharedTexts()
    texts = _CardTexts()
    with cyclic_gc_paused():
        for number, card in enumerate(iter_cards(blocks, source), start=1):
            rows.append(_card_to_row(number, card, default, source, texts))
            shared.values(rows[-1].values)
            if progress is not None and number % _REPORT_EVERY == 0 and \
                    progress(min(99, percent(card)), _("Reading contacts")) is False:
                raise Cancelled(_("The import was cancelled; nothing was changed."))
        if progress is not None and rows and progress(99, _("Reading contacts")) is False:  # then one collection
            raise Cancelled(_("The import was cancelled; nothing was changed."))
    if not rows:
        raise UserError(_("{source} is not a vCard file: it holds no BEGIN:VCARD line. Export contacts as .vcf "
                        "and try again.").format(source=source))
    return rows


_REPORT_EVERY = 500  # cards between progress reports: a few hundredths of a second


class CardText:
    """A card's text as written (its lines joined with CRLF), kept as a slice of a block shared with the cards
    read next to it, and decoded only when asked for (the file of rejected cards). When the rows of a block have
    all let their text go (`plan_import` does for good rows), the block's memory goes back to the system."""

    __slots__ = ("_block", "_start", "_end")

    def __init__(self, block: bytearray, start: int, end: int) -> None:
        self._block, self._start, self._end = block, start, end

    def __str__(self) -> str:
        return self._block[self._start:self._end].decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other) if isinstance(other, (CardText, str)) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


class _CardTexts:
    """The blocks cards' texts are kept in, about 1 MB each."""

    def __init__(self) -> None:
        self.block = bytearray()

    def keep(self, lines: list[bytes]) -> CardText:
        if len(self.block) > _TEXT_BLOCK:
            self.block = bytearray()
        start = len(self.block)
        self.block += b"\r\n".join(lines)
        return CardText(self.block, start, len(self.block))


_TEXT_BLOCK = 1 << 20


def _card_to_row(number: int, card: RawCard, default: str = "", source: str = "the file",
                 texts: _CardTexts | None = None) -> ImportRow:
    row = ImportRow(number=number, where=f"card {number} (line {card.line})",
                    source=(texts or _CardTexts()).keep(card.text))
    if not card.complete:
        # What a cut-off card holds is read (other readers do too); only its last value may be short.
        row.warn("END", _("the file ends before this card's END:VCARD line (the file looks cut off): what the card "
                          "holds was imported, but its last value may be incomplete; please check it"))
    version = card_version(card)
    logical, junk = unfold(card.lines, version)
    for line_number, raw in junk:
        text = raw.decode("utf-8", errors="replace").strip()
        row.warn(_("line {line_number}").format(line_number=line_number),
                 _("not a vCard property, not imported: '{text}'").format(text=text[:60]))
    props: list[VProperty] = []
    hint = card_charset(logical)
    for line_number, line in logical:
        try:
            props.append(parse_property(line, line_number, version, default, hint))
        except ValueError as exc:
            text = line.decode("utf-8", errors="replace").strip()
            row.warn(_("line {line_number}").format(line_number=line_number),
                     _("{exc}; not imported: '{text}'").format(exc=exc, text=text[:60]))
    labels = {p.group: apple_label(unescape_text(p.value, version)) for p in props
              if p.name == "X-ABLABEL" and p.group}
    kind = next((p.value.strip().lower() for p in props if p.name in ("KIND", "X-ADDRESSBOOKSERVER-KIND")), "")
    row.uid = uid_of(next((p.value for p in props if p.name == "UID"), ""))
    if kind == "group":
        group_card(row, props, version, source)
    else:
        row.values = values_from(props, labels, version, row, source)
    shown = row.values.get("name") or row.values.get("display_name") or " ".join(
        v for v in (row.values.get("given_name"), row.values.get("family_name")) if v)
    if shown:
        row.where = f"card {number} ({shown[:40]})"
    return row

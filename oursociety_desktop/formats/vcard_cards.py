"""vCard files split into cards (RFC 6350 section 3.1: BEGIN:VCARD ... END:VCARD), from bytes, a block of lines
at a time: each card's BEGIN line, its own lines (a nested card's are not its parent's) and its VERSION. What a
line says is read in `vcard_lines`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError


@dataclass
class RawCard:
    """One card's raw lines: the line number of its BEGIN, its own (line number, bytes) lines without those of a
    nested card, every line as written (kept for the file of rejected cards), and whether END was seen."""

    line: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)
    text: list[bytes] = field(default_factory=list)
    complete: bool = False


# How deep cards may sit inside cards (a 2.1 AGENT is one level; a writer that forgets END, a few). Each line is
# kept for every card around it, so thousands of BEGIN lines without END would take memory by the square.
MAX_NESTING = 10

# A byte order mark may start a card's first line as well as the file: two exported files joined into one
# (`cat a.vcf b.vcf`, or "combine files" in a file manager) carry the second file's mark before its first BEGIN.
_BEGIN = re.compile(rb"^(?:\xef\xbb\xbf)*\s*(?:[A-Za-z0-9_-]+\.)?BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(rb"^(?:\xef\xbb\xbf)*\s*(?:[A-Za-z0-9_-]+\.)?END\s*:\s*VCARD\s*$", re.IGNORECASE)
_VERSION = re.compile(rb"^\s*VERSION\s*:\s*([0-9.]+)", re.IGNORECASE)


def line_blocks(data: bytes, size: int = 1 << 19) -> Iterator[list[bytes]]:
    """The lines of `data` (split at CRLF, CR or LF, as `re.split` would), a block of about `size` bytes at a time,
    so a large file is never held as one list of lines. Blocks end just after a LF, which always ends a line."""
    start = 0
    while True:
        end = data.find(b"\n", start + size)
        if end < 0:
            yield _EOL.split(data[start:])
            return
        yield _EOL.split(data[start:end + 1])[:-1]  # the last piece is the empty text after that LF
        start = end + 1


def chunk_lines(chunks: Iterable[bytes]) -> Iterator[list[bytes]]:
    """`line_blocks` for bytes that come in consecutive chunks (a file read piece by piece): each block ends just
    after the last LF of a chunk; a chunk with no LF waits for the next (a file of CR line ends is read whole)."""
    pending: list[bytes] = []
    for chunk in chunks:
        end = chunk.rfind(b"\n")
        if end < 0:
            pending.append(chunk)
            continue
        pending.append(chunk[:end + 1])
        yield _EOL.split(b"".join(pending))[:-1]
        pending = [chunk[end + 1:]]
    yield _EOL.split(b"".join(pending))


_EOL = re.compile(rb"\r\n|\r|\n")


def iter_cards(blocks: Iterable[list[bytes]], source: str = "") -> Iterator[RawCard]:
    """The cards of a file whose lines come in consecutive blocks (tolerating grouped BEGIN lines). A card nested
    in another (a 2.1 AGENT, or a card whose END is missing before the next BEGIN, as some writers emit) is a card
    of its own, listed after its parent: its lines are not the parent's, and the person it holds is not lost.
    Cards come in the order they begin, each once the outermost card around it has ended (or, cut off, at the end
    of the file). Cards nested deeper than MAX_NESTING raise UserError (`source` names the file in the message)."""
    open_cards: list[RawCard] = []  # the cards being read, innermost last
    begun: list[RawCard] = []  # every card begun since the outermost open one began, in order
    offset = 0  # lines in the blocks before this one
    for raw_lines in blocks:
        # Only lines naming VCARD can begin or end a card; the lines between two of them are taken as one slice.
        marks = [i for i, raw in enumerate(raw_lines) if b"VCARD" in raw.upper()]
        done = 0  # lines of this block before this index are placed
        for mark in [*marks, len(raw_lines)]:
            if open_cards and done < mark:
                piece = raw_lines[done:mark]
                for card in open_cards:
                    card.text.extend(piece)
                open_cards[-1].lines.extend(zip(range(offset + done + 1, offset + mark + 1), piece, strict=True))
            if mark == len(raw_lines):
                break
            raw, index, done = raw_lines[mark], offset + mark + 1, mark + 1
            for card in open_cards:
                card.text.append(raw)
            if _BEGIN.match(raw):
                if len(open_cards) >= MAX_NESTING:
                    raise UserError(_("{source} line {line}: cards nested more than {limit} deep; no address book "
                                      "writes that, so this is not a vCard file to import. Nothing was imported.")
                                    .format(source=source or "vCard", line=index, limit=MAX_NESTING))
                card = RawCard(line=index, text=[raw])
                begun.append(card)
                open_cards.append(card)
                continue
            if _END.match(raw) and open_cards:
                open_cards.pop().complete = True
                if not open_cards:
                    yield from begun
                    begun = []
                continue
            if open_cards:
                open_cards[-1].lines.append((index, raw))
        offset += len(raw_lines)
    yield from begun


def card_version(card: RawCard) -> str:
    """The card's VERSION ("2.1", "3.0", "4.0"); "3.0" when it names none."""
    for _number, raw in card.lines:
        match = _VERSION.match(raw)
        if match:
            return match.group(1).decode("ascii")
    return "3.0"

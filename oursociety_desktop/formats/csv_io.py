"""CSV files in: encoding and delimiter detection and headers found under any preamble. `csv_mapping` turns rows
into contacts; `csv_write` writes them out; `csv_cells` keeps a written value from running as a spreadsheet
formula.

Reading: UTF-8 with or without BOM, UTF-16 (BOM or NUL pattern) and Windows-1252 are detected; the delimiter is
the one of `, ; TAB |` that splits the first rows most consistently. Files over `MAX_FILE_BYTES` are refused
before they are read; a cell over the contact field limit or a row with the wrong number of cells is a problem
of that row.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oursociety_desktop.formats.charsets import check_encoding_option
from oursociety_desktop.formats.csv_presets import (
    COMMON,
    PRESETS,
    lookup,
    numbered_target,
)
from oursociety_desktop.formats.import_rows import SharedTexts
from oursociety_desktop.formats.text_files import decode_text_file, detect_encoding, read_limited
from oursociety_desktop.i18n import _
from oursociety_desktop.models.bulk import cyclic_gc_paused
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The largest CSV file read (100 MB); bigger files are refused before reading."""
DELIMITERS = (",", ";", "\t", "|")
LIST_SEPARATOR = " ::: "



@dataclass
class CsvTable:
    """A CSV file read into memory: headers (made unique), rows as (line number, cells), and how it was read."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    source: str
    skipped: list[int] = field(default_factory=list)


# ---------- reading ----------


def read_csv_file(path: Path, encoding: str = "", delimiter: str = "", progress: Progress | None = None) -> CsvTable:
    """Read a CSV file (size-checked first) into a CsvTable."""
    with cyclic_gc_paused():
        return parse_csv(read_limited(path, MAX_FILE_BYTES, "CSV"), Path(path).name, encoding, delimiter, progress)


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most rows of one width (comma when unsure); any line
    ending (CRLF, LF, CR alone) and a preamble of a line or two before the header do not confuse it."""
    sample = text[:65536]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [len(r) for _, r in
                    zip(range(30), csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), strict=False)]
        except csv.Error:
            continue
        if len(rows) > 1 and len(sample) == 65536:
            rows = rows[:-1]  # the last sampled row may be cut short
        widths = Counter(n for n in rows if n > 1)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for header in headers:
        name = header.replace("\ufeff", "").strip() or f"Column {len(out) + 1}"
        count = seen.get(name.casefold(), 0)
        seen[name.casefold()] = count + 1
        out.append(name if not count else f"{name} ({count + 1})")
    return out


_SEP_HINT = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)


def _known_headers(cells: Sequence[str]) -> int:
    """How many cells read like column headers a preset or the common table knows."""
    hits = 0
    for cell in cells:
        if not cell.strip() or len(cell) > 80:
            continue
        if numbered_target(cell) is not None or lookup(COMMON, cell) is not None or \
                any(lookup(table, cell) is not None for table in PRESETS.values()):
            hits += 1
    return hits


def _header_index(rows: list[tuple[int, list[str]]]) -> int:
    """The header row: the first row of two or more cells (a preamble of notes is one cell wide: LinkedIn's
    "Notes:" block); but when that row names no known column and a wider row just below does (a preamble line
    with a comma in it), that one."""
    def width(cells: list[str]) -> int:
        return sum(1 for c in cells if c.strip())

    first = next((i for i, (_, cells) in enumerate(rows[:30]) if width(cells) >= 2), 0)
    if _known_headers(rows[first][1]):
        return first
    for i in range(first + 1, min(len(rows), first + 10)):
        cells = rows[i][1]
        if width(cells) > width(rows[first][1]) and _known_headers(cells) >= 2:
            return i
    return first


def parse_csv(data: bytes, source: str = "the file", encoding: str = "", delimiter: str = "",
              progress: Progress | None = None) -> CsvTable:
    """Decode and split a CSV file. Raises UserError for binary junk, unknown encodings, or no header row.
    A spreadsheet's `sep=;` first line sets the delimiter; lines before the header row (a preamble) are skipped
    and named in `CsvTable.skipped`. `progress` is told every few thousand rows; answering False cancels."""
    chosen = check_encoding_option(encoding)
    text = decode_text_file(data, source, "CSV", chosen)
    if not chosen:
        chosen = detect_encoding(data, source, "CSV")
    if text.startswith("\ufeff"):
        text = text[1:]
    first, newline, rest = text.partition("\n") if "\n" in text else text.partition("\r")
    hint = _SEP_HINT.match(first.rstrip("\r"))
    skipped_hint = 0
    if hint:
        delimiter = delimiter or hint.group(1)
        text = rest
        skipped_hint = 1
    delimiter = delimiter or detect_delimiter(text)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    shared = SharedTexts()  # a town or a tag repeated on 100,000 rows is held once
    try:
        line = 1
        for cells in reader:
            rows.append((line + skipped_hint, shared.cells(cells)))
            line = reader.line_num + 1
            if progress is not None and len(rows) % 5000 == 0 and progress(0, _("Reading contacts")) is False:
                raise Cancelled(_("The import was cancelled; nothing was changed."))
    except csv.Error as exc:
        raise UserError(_("{source} line {value}: {exc} (is a closing quote missing?); "
                        "nothing was imported.")
                        .format(source=source, value=reader.line_num + skipped_hint, exc=exc)) from None
    finally:
        csv.field_size_limit(old_limit)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise UserError(_("{source} is empty: it has no header row.").format(source=source))
    start = _header_index(rows)
    skipped = [n for n, _ in rows[:start]]
    rows = rows[start:]
    header_line, headers = rows[0]
    if len(headers) < 2 and len(rows) > 1 and len(headers[0]) > 200:
        raise UserError(_("{source} does not look like a CSV file (no columns found on line {header_line}).")
                        .format(source=source, header_line=header_line))
    return CsvTable(_unique_headers(headers), rows[1:], chosen, delimiter, source, skipped)

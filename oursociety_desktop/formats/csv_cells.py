"""CSV cells safe to open in a spreadsheet (OWASP's "CSV injection"): a cell starting with `= + - @`, TAB or CR
(after any leading apostrophes) gets one more leading apostrophe on export, so a spreadsheet does not run it as
a formula; `unescape_cell` removes exactly that apostrophe on import, so every value reads back as it was."""

from __future__ import annotations

import re

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_UNESCAPE = re.compile(r"^'+[=+\-@\t\r]")
_FORMULA_CHARACTERS = "=+-@\t\r"


def unescape_cell(value: str) -> str:
    """Undo the export's formula escaping: one leading apostrophe before `= + - @`, TAB or CR."""
    return value[1:] if _UNESCAPE.match(value) else value


def escape_cell(value: str) -> str:
    """Guard a cell against spreadsheet formula injection (reversible with `unescape_cell`)."""
    return "'" + value if _FORMULA.match(value) else value


def escape_read_cell(value: str) -> str:
    """Guard a cell as it was read from a file (not yet unescaped), for a file of skipped rows to be mended and
    imported again: an apostrophe goes only before a formula character at the very start, so reading it back
    with `unescape_cell` gives what the first reading gave (a cell already starting with apostrophes is text to
    a spreadsheet, and is written as it came)."""
    return "'" + value if value and value[0] in _FORMULA_CHARACTERS else value

"""Helpers shared by the command modules: opening the hub, printing JSON, parsing FIELD=VALUE."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.paths import storage_warning

if TYPE_CHECKING:
    from oursociety_desktop.models.database import Database

Command = Callable[[argparse.Namespace, Path], int]
SubParsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


def open_hub(folder: Path) -> Database:
    """Open the hub in the data folder (runs pending migrations); warns when the folder is a risky place.
    Use it as `with open_hub(folder) as db:` so the hub is closed however the command ends."""
    from oursociety_desktop.models.database import Database  # not at the top: `--version` answers without it

    warn_about_location(folder)
    return Database.open(folder)


def warn_about_location(folder: Path) -> None:
    """Print a warning on stderr when the data folder is on removable media or in a cloud-synced folder."""
    warning = storage_warning(folder)
    if warning:
        print(_("warning: {warning}").format(warning=warning), file=sys.stderr)


# What a terminal takes as a command rather than text: C0 controls but tab and line feed, DEL and C1 (CSI is one).
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class PrintableOnly:
    """A stream that drops terminal controls from what is written to it. A name that came in a bundle (or a hub's
    name in its manifest, shown before anyone trusts it) can hold ESC sequences: printed as they are, they would
    retitle, clear or drive the organiser's terminal, or set its clipboard. What the hub holds is not changed."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_TERMINAL_CONTROLS.sub("", text) if _TERMINAL_CONTROLS.search(text) else text)
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, encoding, isatty... as the stream has them
        return getattr(self.stream, name)


def print_json(value: Any) -> None:
    """Print JSON with sorted keys, non-ASCII kept."""
    json.dump(value, sys.stdout, ensure_ascii=False, sort_keys=True, indent=2)
    sys.stdout.write("\n")


def path_arg(text: str) -> Path:
    """A file or folder named on the command line. An empty name is refused: as a path it would be the current
    folder, where a sync would write bundles and an export would try to replace the folder itself."""
    if not text.strip():
        raise argparse.ArgumentTypeError(_("a file or folder name is needed, not an empty text"))
    return Path(text)


SQLITE_LARGEST = 2**63 - 1  # SQLite's integers are 64-bit: Python's larger ones cannot reach a query


def limit_option(value: int, *, zero_is_all: bool = False) -> int:
    """A --limit as given: a positive number (0 too, meaning no limit, when `zero_is_all`); a larger one than
    SQLite counts to means all rows. Raises UserError for a negative one."""
    if value < (0 if zero_is_all else 1):
        raise UserError(_("--limit takes a positive number."))
    return min(value, SQLITE_LARGEST)


TRUE_WORDS = {"1", "true", "yes", "on", "y"}
FALSE_WORDS = {"0", "false", "no", "off", "n", ""}


def parse_bool(field: str, text: str) -> bool:
    """true/false, yes/no, 1/0, on/off."""
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise UserError(_("{field} takes true or false, not '{text}'.").format(field=field, text=text))


def parse_labelled_list(text: str) -> list[dict[str, str]]:
    """`label:value;label:value` (or a JSON list) into [{"label", "value"}]."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise UserError(_("Could not read the list '{text}': {msg}.").format(text=text[:40], msg=exc.msg)) from None
        if not isinstance(value, list):
            raise UserError(_("Expected a JSON list of {\"label\", \"value\"} objects."))
        return value
    out = []
    for part in stripped.split(";"):
        part = part.strip()
        if not part:
            continue
        label, sep, value = part.partition(":")
        if sep and label and " " not in label.strip() and not label.strip().startswith("+"):
            out.append({"label": label.strip(), "value": value.strip()})
        else:
            out.append({"label": "", "value": part})
    return out


def undo_import_line(backup: str, args: argparse.Namespace) -> str:
    """After an import: where the backup made just before it is, and the command that puts it back."""
    where = f" --data-dir {shlex.quote(args.data_dir)}" if getattr(args, "data_dir", None) else ""
    return _("Backed up before the import to {backup}; to undo the whole import: {command}").format(
        backup=backup, command=f"oursociety{where} restore {shlex.quote(backup)}")

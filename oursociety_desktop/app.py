"""Start the desktop app on the hub in a data folder."""

from __future__ import annotations

import sys
from pathlib import Path


def run_app(folder: Path, language: str | None = None) -> int:
    """Open the main window (the UI package imports Qt only here, so the CLI never needs a display); `language`
    is the --lang option, if given."""
    from oursociety_desktop.ui.main import run

    return run(folder, sys.argv[:1], language)

"""Where the hub's data lives. The one place that decides it (DESIGN.md §3)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "OURSOCIETY_DATA_DIR"
DATABASE_NAME = "oursociety.sqlite3"
BACKUP_FOLDER = "backups"
LOG_NAME = "oursociety.log"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: `--data-dir`, else $OURSOCIETY_DATA_DIR, else the platform's user data folder.

    Nothing is created here; callers that write create the folder when they need it.
    """
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("OurSociety", appauthor=False))


def database_path(folder: Path) -> Path:
    """The SQLite file inside a data folder."""
    return folder / DATABASE_NAME


def backup_dir(folder: Path) -> Path:
    """Where automatic and manual backups are kept."""
    return folder / BACKUP_FOLDER


def log_path(folder: Path) -> Path:
    """The log file written on unexpected errors."""
    return folder / LOG_NAME

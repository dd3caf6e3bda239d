"""Shared fixtures: every test gets its own data folder with a real SQLite hub in a temporary directory."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# Real widgets, no display: set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from oursociety_desktop.models.database import Database  # noqa: E402

if TYPE_CHECKING:
    from oursociety_desktop.ui.context import AppContext


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder, whatever a test forgets to pass."""
    monkeypatch.setenv("OURSOCIETY_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture(autouse=True)
def _nothing_stays_frozen() -> Iterator[None]:
    """A window frozen as long-lived (ui/heap.py) and never closed would keep its objects from the collector for
    the rest of the run."""
    yield
    gc.unfreeze()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder path (not yet created)."""
    return tmp_path / "hub"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A fresh hub database in a temporary folder."""
    database = Database.create(data_dir, "Test Hub")
    yield database
    database.close()


@pytest.fixture
def ctx(db: Database) -> AppContext:
    """What the window's parts share, on `db`: tasks run at once (synchronously), an empty undo stack.
    (Qt is imported here, not at the top, so the Qt-free tests never load it.)"""
    from PySide6.QtGui import QUndoStack

    from oursociety_desktop.ui.context import AppContext, DataEvents
    from oursociety_desktop.ui.tasks import SyncTaskRunner

    return AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())

"""Pictures of the Network workspace (the drawing, a search, the hubs) on demo hubs, for docs/ and the README.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shot_network.py

A 2,000-contact demo hub receives a bundle from a 400-contact one, so the Hubs tab has two hubs to show.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.services.exchange import export_bundle, import_bundle
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.tasks import SyncTaskRunner

DOCS = Path(__file__).resolve().parent.parent / "docs"


def wait_for(app: QApplication, done: object) -> None:
    import time

    deadline = time.monotonic() + 60
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    app = QApplication(sys.argv)
    root = Path(tempfile.mkdtemp())
    db = Database.create(root / "hub", "Hulme Hub")
    generate_demo(db, 2000, seed=1)
    other = Database.create(root / "other", "Moss Side Hub")
    generate_demo(other, 400, seed=2)
    export_bundle(other, root / "moss.oursociety")
    other.close()
    import_bundle(db, root / "moss.oursociety", backup=False, trust_new_hub=True)
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    from oursociety_desktop.ui.network.workspace import NetworkWorkspace

    ws = NetworkWorkspace(ctx)
    ws.resize(1280, 800)
    ws.show()
    wait_for(app, lambda: ws.reads >= 1)
    app.processEvents()
    ws.grab().save(str(DOCS / "screenshot-network.png"))
    ws.colour_by.setCurrentIndex(ws.colour_by.findData("hub"))
    assert ws.view.item is not None
    busiest = max(ws.view.item.ids, key=lambda pid: sum(1 for e in ws.view.item.graph.edges  # type: ignore[union-attr]
                                                        if pid in (e.a, e.b)))
    ws.search.setText(ws.view.item.person(busiest).label)
    app.processEvents()
    ws.grab().save(str(DOCS / "screenshot-network-search.png"))
    ws.tabs.setCurrentIndex(1)
    app.processEvents()
    ws.grab().save(str(DOCS / "screenshot-network-hubs.png"))
    db.close()


if __name__ == "__main__":
    main()

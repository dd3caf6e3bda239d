"""Pictures of the Learning workspace, the Offers & needs view and the Time given workspace on a demo hub,
for docs/ and the README.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shot_learning.py [--data-dir DIR]

Without --data-dir a 2,000-contact demo hub is made in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.tasks import SyncTaskRunner

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    if args.data_dir:
        db = Database.open(args.data_dir)
    else:
        db = Database.create(Path(tempfile.mkdtemp()) / "hub", "Hulme Hub")
        generate_demo(db, 2000, seed=1)
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    from oursociety_desktop.ui.learning.offers_view import OffersNeedsWorkspace
    from oursociety_desktop.ui.learning.workspace import LearningWorkspace

    learning = LearningWorkspace(ctx)
    learning.resize(1280, 800)
    learning.show()
    learning.view.selectRow(1)
    app.processEvents()
    learning.grab().save(str(DOCS / "screenshot-learning.png"))
    learning.show_theme("elders")
    app.processEvents()
    learning.grab().save(str(DOCS / "screenshot-learning-theme.png"))
    offers = OffersNeedsWorkspace(ctx)
    offers.resize(1280, 700)
    offers.show()
    offers.find_matches()
    app.processEvents()
    offers.grab().save(str(DOCS / "screenshot-offers-needs.png"))
    offers.tabs.setCurrentWidget(offers.entries)
    offers.entries.view.selectRow(0)
    app.processEvents()
    offers.grab().save(str(DOCS / "screenshot-offers-needs-entry.png"))
    from oursociety_desktop.ui.hours.workspace import HoursWorkspace

    hours = HoursWorkspace(ctx)
    hours.resize(1280, 700)
    hours.show()
    hours.meeting.setCurrentIndex(1)  # the latest meeting held (or a group, if its sheet is short)
    if hours.sheet.rowCount() < 4:
        hours.meeting.setCurrentIndex(0)
        hours.group.setCurrentIndex(1)
    hours.sheet.tick_all(True)
    if hours.sheet.rowCount() > 2:
        hours.sheet.rows[1].came = False
        hours.sheet.rows[2].hours = 3.5
    app.processEvents()
    hours.grab().save(str(DOCS / "screenshot-hours-sign-in.png"))
    db.close()


if __name__ == "__main__":
    main()

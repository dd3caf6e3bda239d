"""Show one workspace alone in a window on a hub's data and save a picture of it.

    xvfb-run -a .venv/bin/python scripts/shot_workspace.py groups docs/screenshot-groups.png --data-dir DIR

WORKSPACE is groups, actions or connections. The hub should hold demo data (`oursociety demo --contacts 2000`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.tasks import TaskRunner


def _workspace(name: str, ctx: AppContext) -> QWidget:
    if name == "groups":
        from oursociety_desktop.ui.groups.workspace import GroupsWorkspace

        groups = GroupsWorkspace(ctx)
        # Open the biggest top-level group's tree and show its members.
        model = groups.tree_model
        for row in range(model.rowCount()):
            groups.tree.expand(model.index(row, 0))
        best = max(range(model.rowCount()), key=lambda r: model.index(r, 1).data() or 0, default=0)
        groups.tree.setCurrentIndex(model.index(best, 0))
        groups.members_view.selectRow(0)
        return groups
    if name == "actions":
        from oursociety_desktop.ui.actions.workspace import ActionsWorkspace

        actions = ActionsWorkspace(ctx)
        actions.view.selectRow(0)
        return actions
    if name == "connections":
        from oursociety_desktop.ui.connections.workspace import ConnectionsWorkspace

        connections = ConnectionsWorkspace(ctx)
        connections.view.selectRow(0)
        return connections
    raise SystemExit(f"Unknown workspace '{name}'; use groups, actions or connections.")


def _dark_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for which, colour in ((role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e"),
                          (role.AlternateBase, "#262626"), (role.Text, "#e6e6e6"), (role.Button, "#3a3a3a"),
                          (role.ButtonText, "#e6e6e6"), (role.Highlight, "#2f65ca"),
                          (role.HighlightedText, "#ffffff"), (role.PlaceholderText, "#8a8a8a")):
        palette.setColor(which, QColor(colour))
    return palette


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", choices=("groups", "actions", "connections"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--dark", action="store_true", help="use a dark palette (as a dark desktop theme would)")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Our Society")
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(_dark_palette())
    db = Database.open(args.data_dir)
    ctx = AppContext(db, TaskRunner(show_dialog=False), QUndoStack(), DataEvents())
    widget = _workspace(args.workspace, ctx)
    width, height = (int(v) for v in args.size.split("x"))
    widget.setWindowTitle(f"Our Society — {db.hub_name} — {getattr(widget, 'TITLE', '')}")
    widget.resize(width, height)
    widget.show()
    for _ in range(5):
        app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(args.out)):
        print(f"Could not write {args.out}", file=sys.stderr)
        return 1
    print(f"Saved {args.out}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

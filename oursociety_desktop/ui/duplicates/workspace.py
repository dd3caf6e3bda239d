"""The Duplicates view: likely pairs found on the task runner, a side-by-side merge, and "not a duplicate".

A merge (A into B) and "not a duplicate" are one transaction and one undo step each.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.database import Database, Tx
from oursociety_desktop.models.duplicates import (
    DuplicatePair,
    MergeUndo,
    find_duplicates,
    mark_not_duplicate,
    merge_contacts,
    undo_merge,
)
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.duplicates.pair_model import COL_REASONS, PAIR_ROLE, DuplicatePairModel
from oursociety_desktop.ui.interop.merge_panel import MergePanel
from oursociety_desktop.ui.widgets.edits import MessageLine, try_edit
from oursociety_desktop.ui.wording import plural


def scan_task(progress: Progress, db: Database) -> list[DuplicatePair]:
    """The duplicate scan, run in a worker with its own read transaction."""
    with db.read() as session:
        return find_duplicates(session.connection(), progress)


class DuplicatesWorkspace(QWidget):
    """Find likely duplicate contacts, compare them side by side, merge or mark them as different people."""

    TITLE: ClassVar[str] = QCoreApplication.translate("DuplicatesWorkspace", "Duplicates")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = DuplicatePairModel(self)
        self.current: DuplicatePair | None = None
        self.swapped = False
        self._build()

    def _build(self) -> None:
        self.find_button = QPushButton(self.tr("&Find duplicates"), self)
        self.find_button.setToolTip(self.tr("Compare every contact's name, phones and emails"))
        self.find_button.clicked.connect(self.find_duplicates)
        self.count_label = QLabel(self.tr("Press Find duplicates to look for people entered twice."), self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Likely duplicate pairs"))
        self.view.setAccessibleDescription(self.tr("Pairs of records that may be the same person; Enter compares them"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(COL_REASONS, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        self.panel = MergePanel(self)
        self.swap_button = QPushButton(self.tr("&Swap A and B"), self)
        self.swap_button.setToolTip(self.tr("Keep the other record instead"))
        self.swap_button.clicked.connect(self.swap)
        self.merge_button = QPushButton(self.tr("&Merge A into B"), self)
        self.merge_button.setToolTip(self.tr("Keep B with the chosen values; A is marked as merged (undo: Ctrl+Z)"))
        self.merge_button.clicked.connect(self.merge_current)
        self.not_button = QPushButton(self.tr("&Not a duplicate"), self)
        self.not_button.setToolTip(self.tr("Remember that these are different people"))
        self.not_button.clicked.connect(self.not_duplicate)
        self.message = MessageLine(self)
        for button in (self.swap_button, self.merge_button, self.not_button):
            button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.find_button)
        top.addWidget(self.count_label, 1)
        buttons = QHBoxLayout()
        for button in (self.swap_button, self.merge_button, self.not_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.panel, 1)
        lower_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        """Called when the workspace is shown or data changed: never scans by itself. A full scan of 100,000
        contacts takes seconds of CPU in a worker that competes with the window for the interpreter, so it runs
        only when asked; a list from an earlier scan is marked as possibly out of date."""
        if self.model.pairs:
            self.count_label.setText(plural(
                len(self.model.pairs), "{n} likely duplicate pair from the last search; press Find "
                                               "duplicates to look again.",
                "{n} likely duplicate pairs from the last search; press Find duplicates to look again."))

    def find_duplicates(self) -> None:
        """Scan for duplicates on the task runner; the list updates when it is done."""
        self.find_button.setEnabled(False)
        self.ctx.runner.run(scan_task, self.ctx.db, title=self.tr("Finding duplicates"),
                            on_done=self._on_scanned, on_error=self._on_failed, reads_only=True)

    def _on_scanned(self, pairs: Any) -> None:
        self.find_button.setEnabled(True)
        self.model.set_pairs(list(pairs))
        self.count_label.setText(plural(len(self.model.pairs), "{n} likely duplicate pair.",
                                        "{n} likely duplicate pairs."))
        self._select(None)
        if self.model.pairs:
            self.view.selectRow(0)

    def _on_failed(self, message: str) -> None:
        self.find_button.setEnabled(True)
        self.message.show_error(message)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pair = current.data(PAIR_ROLE) if current.isValid() else None
        self._select(pair if isinstance(pair, DuplicatePair) else None)

    def _select(self, pair: DuplicatePair | None) -> None:
        self.current, self.swapped = pair, False
        for button in (self.swap_button, self.merge_button, self.not_button):
            button.setEnabled(pair is not None)
        if pair is None:
            self.panel.clear()
        else:
            self._load_panel()

    def _ids(self) -> tuple[str, str]:
        assert self.current is not None
        return (self.current.b, self.current.a) if self.swapped else (self.current.a, self.current.b)

    def _load_panel(self) -> None:
        gone, keep = self._ids()
        self.panel.load(self.ctx.db, gone, keep)

    def swap(self) -> None:
        """Keep A instead of B."""
        if self.current is not None:
            self.swapped = not self.swapped
            self._load_panel()

    def merge_current(self) -> None:
        """Merge A into B with the chosen values (one undo step)."""
        if self.current is None:
            return
        gone, keep = self._ids()
        chosen = self.panel.chosen()
        state: dict[str, MergeUndo] = {}

        def do(tx: Tx) -> None:
            state["undo"] = merge_contacts(tx, gone, keep, chosen)

        def undo(tx: Tx) -> None:
            undo_merge(tx, state["undo"])

        if try_edit(self.ctx, self.tr("Merge two contacts"), do, undo, "contact", self.message):
            self._drop_current(gone)

    def not_duplicate(self) -> None:
        """Remember that the selected pair are different people (one undo step)."""
        if self.current is None:
            return
        a, b = self.current.a, self.current.b
        if try_edit(self.ctx, self.tr("Not a duplicate"), lambda tx: mark_not_duplicate(tx, a, b),
                    lambda tx: mark_not_duplicate(tx, a, b, False), "contact", self.message):
            self._drop_current()

    def _drop_current(self, merged_away: str = "") -> None:
        assert self.current is not None
        row = self.view.currentIndex().row()
        if merged_away:
            self.model.remove_contact(merged_away)  # every pair naming it is settled
        else:
            self.model.remove_pair(self.current.a, self.current.b)
        self.count_label.setText(plural(len(self.model.pairs), "{n} likely duplicate pair.",
                                        "{n} likely duplicate pairs."))
        if self.model.pairs:
            self.view.selectRow(min(row, len(self.model.pairs) - 1))
        else:
            self._select(None)

"""The Exchange workspace's conflicts inbox: when two hubs changed the same thing, the later change is kept everywhere
and the other value is listed here, to keep ours or take theirs instead (a new edit that travels)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from oursociety_desktop.models.conflicts import resolve_conflict
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.exchange.exchange_models import ROW_ROLE, ConflictRow, ConflictTableModel
from oursociety_desktop.ui.exchange.widgets import plain_table


class ConflictsPanel(QWidget):
    """The inbox. Emits `resolved(status text)` after a conflict is resolved, `failed(message)` when refused."""

    resolved = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ConflictTableModel(self)
        intro = QLabel(self.tr("When two hubs changed the same thing, the later change is kept everywhere. "
                               "The other value is listed here: keep ours, or take theirs instead."))
        intro.setWordWrap(True)
        self.view = plain_table(self.model, self.tr("Conflicts inbox"))
        row = QHBoxLayout()
        self.keep_ours_button = QPushButton(self.tr("Keep ours"))
        self.take_theirs_button = QPushButton(self.tr("Take theirs"))
        for button, keep in ((self.keep_ours_button, "ours"), (self.take_theirs_button, "theirs")):
            button.setAccessibleName(button.text())
            button.setAccessibleDescription(self.tr("For the selected conflict"))
            button.clicked.connect(lambda _checked=False, k=keep: self.resolve_selected(k))
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def load(self) -> int:
        """Read the inbox again; returns how many conflicts it holds."""
        self.model.load(self.ctx.db)
        count = len(self.model.rows)
        self.keep_ours_button.setEnabled(count > 0)
        self.take_theirs_button.setEnabled(count > 0)
        return count

    def selected_conflict(self) -> ConflictRow | None:
        """The conflict selected in the inbox (the first one if none is selected)."""
        indexes = self.view.selectionModel().selectedRows()
        row = indexes[0].row() if indexes else 0
        if row >= len(self.model.rows):
            return None
        value = self.model.index(row, 0).data(ROW_ROLE)
        return value if isinstance(value, ConflictRow) else None

    def resolve_selected(self, keep: str) -> None:
        """Keep ours, or take theirs (a new edit that travels to the other hubs)."""
        conflict = self.selected_conflict()
        if conflict is None:
            return
        try:
            with self.ctx.db.write() as tx:
                resolve_conflict(tx, conflict.id, keep)
        except UserError as exc:
            self.failed.emit(exc.message)
            return
        self.resolved.emit(self.tr("Kept ours.") if keep == "ours" else self.tr("Took theirs: a new edit."))

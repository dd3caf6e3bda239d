"""The Time given workspace's entries: the hours recorded, newest first, each of which can be deleted (a wrong
number stayed for good once its edit left the undo stack), and hours pledged (promised, not yet given), which
only the command line could record. Each is one undoable edit."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from oursociety_desktop.i18n import N_
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.hours import HoursEntry, add_hours, delete_hours, recent_hours
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.edits import MessageLine, try_edit
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE, RowsTableModel
from oursociety_desktop.ui.widgets.tables import record_table, size_columns
from oursociety_desktop.ui.wording import hours_text

COL_DATE, COL_PERSON, COL_HOURS, COL_KIND, COL_FOR = range(5)
SHOWN = 500  # the newest entries


class HoursEntriesModel(RowsTableModel):
    """Hours records (`HoursEntry`), newest first."""

    HEADERS = (N_("Date"), N_("Person"), N_("Hours"), N_("Given or pledged"), N_("For"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds = {"given": self.tr("given"), "pledged": self.tr("pledged")}

    def cell(self, row: HoursEntry, column: int) -> str:
        return (row.date, row.person, hours_text(row.hours), self._kinds.get(row.kind, row.kind), row.what)[column]

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_HOURS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HoursEntriesPanel(QWidget):
    """The list of entries with Delete, and a row to record hours someone pledged."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = MessageLine(self)
        self.model = HoursEntriesModel(self)
        self.view = record_table(self, self.model, self.tr("Hours recorded, newest first"), COL_FOR)
        self.fit_columns()
        self.delete_button = QPushButton(self.tr("&Delete entry"), self)
        self.delete_button.setToolTip(self.tr("Delete the selected entry (undo brings it back)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.view.selectionModel().currentRowChanged.connect(lambda _current, _previous: self._enable())
        self.model.modelReset.connect(self._enable)
        self.pledger = ContactButton(ctx, self.tr("Who pledges hours"), self.tr("Pledged by: choose…"), self)
        self.pledger.setAccessibleName(self.tr("Who pledges hours"))
        self.pledged_hours = QDoubleSpinBox(self)
        self.pledged_hours.setAccessibleName(self.tr("Hours pledged"))
        self.pledged_hours.setRange(0.25, 1000)
        self.pledged_hours.setSingleStep(0.5)
        self.pledged_hours.setValue(2.0)
        self.pledged_hours.setSuffix(self.tr(" h"))
        self.pledge_button = QPushButton(self.tr("Record &pledge"), self)
        self.pledge_button.setToolTip(self.tr("Hours promised, not yet given, dated today"))
        self.pledge_button.clicked.connect(self.record_pledge)
        pledge_row = QHBoxLayout()
        pledge_row.addWidget(self.pledger, 1)
        pledge_row.addWidget(self.pledged_hours)
        pledge_row.addWidget(self.pledge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        below = QHBoxLayout()
        below.addWidget(self.delete_button)
        below.addStretch(1)
        layout.addLayout(below)
        layout.addWidget(QLabel(self.tr("Hours pledged:"), self))
        layout.addLayout(pledge_row)
        layout.addWidget(self.message)
        self._enable()

    def fit_columns(self) -> None:
        """Widths in characters of the current text size."""
        size_columns(self.view, {COL_DATE: 11, COL_PERSON: 18, COL_HOURS: 6})
        header = self.view.horizontalHeader()
        header.resizeSection(COL_KIND, header.sectionSizeHint(COL_KIND))  # its heading is its longest text

    def refresh(self) -> None:
        """Read the newest entries again."""
        with self.ctx.db.read() as session:
            self.model.set_rows(recent_hours(session, SHOWN))

    def _enable(self) -> None:
        self.delete_button.setEnabled(self.view.currentIndex().isValid())

    def delete_selected(self) -> None:
        """Delete the selected entry (undo brings it back)."""
        entry = self.model.data(self.view.currentIndex(), ROW_ROLE)
        if entry is None:
            return
        try_edit(self.ctx, self.tr("Delete {0} h of {1}").format(hours_text(entry.hours), entry.person),
                 lambda tx: delete_hours(tx, entry.id), lambda tx: delete_hours(tx, entry.id, False), "hours",
                 self.message)

    def record_pledge(self) -> None:
        """Record the hours the chosen person pledged, dated today (one undoable edit)."""
        contact_id, hours = self.pledger.contact_id, self.pledged_hours.value()
        if not contact_id:
            self.message.show_error(self.tr("Choose who pledged the hours first."))
            return
        made: list[str] = []

        def do(tx: Tx) -> None:
            made[:] = [add_hours(tx, {"contact_id": contact_id, "hours": hours, "kind": "pledged",
                                      "date": date.today().isoformat()}).id]

        def undo(tx: Tx) -> None:
            for hours_id in made:
                delete_hours(tx, hours_id)

        if try_edit(self.ctx, self.tr("Record a pledge"), do, undo, "hours", self.message):
            self.pledger.set_contact("")

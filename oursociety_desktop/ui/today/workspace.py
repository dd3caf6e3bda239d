"""Today: overdue and upcoming actions, recently changed contacts and the hub's counts; each line opens its
record (Enter or double-click)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.today import ActionLine, read_summary
from oursociety_desktop.ui.actions.labels import kind_labels, status_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.fields import HeadingLabel
from oursociety_desktop.ui.wording import local_time, plural


class TodayWorkspace(QWidget):
    """The first page an organiser sees. Emits `open_record(record_type, id)` when a line is activated."""

    TITLE = QCoreApplication.translate("Workspaces", "Today")
    open_record = Signal(str, str)
    start_requested = Signal(str)  # an empty hub's first step: "person", "import" or "demo"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.heading = HeadingLabel("", 1.5, self)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                            | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overdue = self._list([self.tr("Overdue action"), self.tr("Due"), self.tr("Kind"), self.tr("Status")],
                                  self.tr("Overdue actions"))
        self.upcoming = self._list([self.tr("Action"), self.tr("Due"), self.tr("Kind"), self.tr("Status")],
                                   self.tr("Upcoming actions, next two weeks"))
        self.recent = self._list([self.tr("Contact"), self.tr("Changed")], self.tr("Recently changed contacts"))
        grid = QGridLayout()
        grid.addWidget(self._box(self.tr("Overdue"), self.overdue), 0, 0)
        grid.addWidget(self._box(self.tr("Coming up (next 14 days)"), self.upcoming), 0, 1)
        grid.addWidget(self._box(self.tr("Recently changed contacts"), self.recent), 1, 0, 1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.start_box = self._start_box()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.start_box)
        layout.addLayout(grid, 1)
        self.setTabOrder(self.overdue, self.upcoming)
        self.setTabOrder(self.upcoming, self.recent)
        ctx.events.changed.connect(self._on_changed)
        self.refresh()

    def _list(self, headers: list[str], name: str) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setAccessibleName(name)
        tree.setAccessibleDescription(self.tr("Enter opens the selected row"))
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.header().setStretchLastSection(False)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        tree.itemActivated.connect(self._activated)
        return tree

    def _start_box(self) -> QGroupBox:
        """Shown while the hub has nobody in it: the three ways to begin."""
        box = QGroupBox(self.tr("This hub is empty: start here"), self)
        row = QHBoxLayout(box)
        self.start_buttons: dict[str, QPushButton] = {}
        for key, text, tip in (
                ("person", self.tr("Add your &first person…"), self.tr("File → New person (Ctrl+N)")),
                ("import", self.tr("&Import a file…"), self.tr("People from a phone's vCard or a spreadsheet's CSV")),
                ("demo", self.tr("Try &demo data"), self.tr("500 made-up people, groups and meetings to try "
                                                           "things out; delete them by starting a new hub"))):
            button = QPushButton(text, box)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setAccessibleDescription(tip)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, k=key: self.start_requested.emit(k))
            row.addWidget(button)
            self.start_buttons[key] = button
        row.addStretch(1)
        box.hide()
        return box

    def _box(self, title: str, tree: QTreeWidget) -> QGroupBox:
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        layout.addWidget(tree)
        return box

    def _on_changed(self, _record_types: frozenset[str]) -> None:
        # Hidden behind another workspace, the page is read again when shown (the main window refreshes on show):
        # re-reading it on every edit elsewhere held the event loop up to 1.3 s at 100k (the event-loop watchdog).
        if self.isWindow() or self.isVisibleTo(self.window()):
            self.refresh()

    def refresh(self) -> None:
        """Re-read the page."""
        today = self.today()
        with self.ctx.db.read() as session:
            summary = read_summary(session.connection(), today)
        day = QLocale().toString(QDate(today.year, today.month, today.day), QLocale.FormatType.LongFormat)
        self.heading.setText(self.tr("{0} — {1}").format(self.ctx.db.hub_name, day))
        c = summary.counts
        self.start_box.setVisible(c["contacts"] == 0)
        self.counts.setText(" · ".join((
            plural(c["contacts"], "{n} contact", "{n} contacts"), plural(c["groups"], "{n} group", "{n} groups"),
            plural(c["open_actions"], "{n} open action", "{n} open actions") + ", "
            + plural(c["overdue"], "{n} overdue", "{n} overdue"),
            plural(c["connections"], "{n} connection", "{n} connections"))))
        self._fill_actions(self.overdue, summary.overdue, self.tr("Nothing overdue."))
        self._fill_actions(self.upcoming, summary.upcoming, self.tr("Nothing due in the next two weeks."))
        self.recent.clear()
        for line in summary.recent:
            when = local_time(datetime.fromtimestamp(line.changed_ms / 1000, UTC))
            self._add(self.recent, [line.name or self.tr("(no name)"), when], ("contact", line.id))
        if not summary.recent:
            self._add(self.recent, [self.tr("No contacts yet.")], None)

    def _fill_actions(self, tree: QTreeWidget, lines: list[ActionLine], empty: str) -> None:
        tree.clear()
        kinds, statuses = kind_labels(), status_labels()  # stored in English, shown in the window's language
        for line in lines:
            self._add(tree, [line.title, line.due, kinds.get(line.kind, line.kind),
                             statuses.get(line.status, line.status)], ("action", line.id))
        if not lines:
            self._add(tree, [empty], None)

    def _add(self, tree: QTreeWidget, texts: list[str], target: tuple[str, str] | None) -> None:
        item = QTreeWidgetItem(tree, texts)
        item.setData(0, Qt.ItemDataRole.UserRole, target)
        if target is None:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target:
            self.open_record.emit(target[0], target[1])

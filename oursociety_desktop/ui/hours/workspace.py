"""The Time given workspace: hours from a sign-in sheet after a meeting in one screen (choose the meeting or
group, tick who came, the hours filled in for all and changed for anyone who stayed longer), and the totals by
person, group, theme or month."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.groups import group_choices
from oursociety_desktop.models.hours import (
    delete_hours,
    hours_totals,
    recent_meetings,
    record_attendance,
    sign_in_people,
)
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Action, Contact
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.hours.entries import HoursEntriesPanel
from oursociety_desktop.ui.hours.models import COL_CAME, COL_HOURS, COL_NAME, HoursTotalsModel, SignInSheetModel
from oursociety_desktop.ui.learning import describe_inputs
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.edits import MessageLine, try_edit
from oursociety_desktop.ui.widgets.flow import FlowRow
from oursociety_desktop.ui.widgets.meeting_picker import make_searchable, meeting_label
from oursociety_desktop.ui.widgets.narrowing import may_narrow
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.widgets.tab_order import tab_in_order
from oursociety_desktop.ui.widgets.tables import record_table, size_columns
from oursociety_desktop.ui.wording import hours_text, plural

DEFAULT_HOURS = 2.0


class HoursWorkspace(RefreshWhenShown, QWidget):
    """Hours from a sign-in sheet, and the totals."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"hours", "action", "group", "membership", "contact"})
    TITLE: ClassVar[str] = QCoreApplication.translate("HoursWorkspace", "Time given")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet = SignInSheetModel(self)
        self.totals = HoursTotalsModel(self)
        self._build()
        ctx.events.changed.connect(self.on_data_changed)
        self.refresh()
        describe_inputs(self, self.tr("the Time given workspace"))

    def _build(self) -> None:
        self.meeting = QComboBox(self)
        self.meeting.setAccessibleName(self.tr("Meeting"))
        make_searchable(self.meeting)
        self.meeting.setMinimumContentsLength(32)
        may_narrow(self.meeting, 14)  # the sheet fits beside the totals at 1024 pixels with Larger text
        self.group = QComboBox(self)
        self.group.setAccessibleName(self.tr("Group"))
        self.when = QLineEdit(self)
        self.when.setAccessibleName(self.tr("Date"))
        self.when.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.hours = QDoubleSpinBox(self)
        self.hours.setAccessibleName(self.tr("Hours each"))
        self.hours.setRange(0.25, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(DEFAULT_HOURS)
        self.hours.setSuffix(self.tr(" h"))
        self.fill_button = QPushButton(self.tr("&Fill in for all"), self)
        self.fill_button.setToolTip(self.tr("Give everyone on the sheet these hours"))
        self.fill_button.clicked.connect(lambda: self.sheet.fill_hours(self.hours.value()))
        self.meeting.currentIndexChanged.connect(lambda _i: self._load_sheet())
        self.group.currentIndexChanged.connect(lambda _i: self._load_sheet())
        self.sheet_view = record_table(self, self.sheet, self.tr("Who came"), COL_NAME)
        char = self.fontMetrics().horizontalAdvance("0")
        self.tick_all_button = QPushButton(self.tr("&Tick all"), self)
        self.tick_all_button.clicked.connect(lambda: self.sheet.tick_all(True))
        self.untick_all_button = QPushButton(self.tr("U&ntick all"), self)
        self.untick_all_button.clicked.connect(lambda: self.sheet.tick_all(False))
        self.add_person = ContactButton(self.ctx, self.tr("Someone who wrote their name in a blank row"),
                                        self.tr("Add someone who came…"), self)
        self.add_person.setAccessibleName(self.tr("Add someone who came"))
        self.add_person.changed.connect(self._on_person_added)
        self.record_button = QPushButton(self.tr("&Record hours"), self)
        self.record_button.clicked.connect(self.record)
        self.sheet_label = QLabel(self)
        self.message = MessageLine(self)

        self.by = QComboBox(self)
        self.by.setAccessibleName(self.tr("Totals by"))
        for key, shown in (("person", self.tr("person")), ("group", self.tr("group")), ("theme", self.tr("theme")),
                           ("month", self.tr("month"))):
            self.by.addItem(shown, key)
        self.year = QComboBox(self)
        self.year.setAccessibleName(self.tr("Year"))
        self.by.currentIndexChanged.connect(lambda _i: self._load_totals())
        self.year.currentIndexChanged.connect(lambda _i: self._load_totals())
        self.totals_view = record_table(self, self.totals, self.tr("Hours totals"), 0)

        choose = QHBoxLayout()
        when_row = QHBoxLayout()
        for row, caption, widget in ((choose, self.tr("&Meeting:"), self.meeting),
                                     (choose, self.tr("or &group:"), self.group),
                                     (when_row, self.tr("&Date:"), self.when),
                                     (when_row, self.tr("&Hours each:"), self.hours)):
            buddy = QLabel(caption, self)
            buddy.setBuddy(widget)
            row.addWidget(buddy)
            row.addWidget(widget, 2 if widget is self.meeting else 1 if widget is self.group else 0)
        when_row.addWidget(self.fill_button)
        when_row.addStretch(1)
        actions = QHBoxLayout()
        marking = FlowRow()  # on two lines when the pane is narrow (1024 pixels with Larger text)
        for button in (self.tick_all_button, self.untick_all_button, self.add_person):
            marking.addWidget(button)
        actions.addLayout(marking)
        actions.addStretch(1)
        actions.addWidget(self.sheet_label)
        actions.addWidget(self.record_button)
        sheet_box = QGroupBox(self.tr("From a sign-in sheet"), self)
        sheet_layout = QVBoxLayout(sheet_box)
        sheet_layout.addLayout(choose)
        sheet_layout.addLayout(when_row)
        sheet_layout.addWidget(self.sheet_view, 1)
        sheet_layout.addLayout(actions)
        sheet_layout.addWidget(self.message)
        totals_box = QWidget(self)
        totals_layout = QVBoxLayout(totals_box)
        by_row = QHBoxLayout()
        for caption, combo in ((self.tr("&By:"), self.by), (self.tr("&Year:"), self.year)):
            buddy = QLabel(caption, self)
            buddy.setBuddy(combo)
            by_row.addWidget(buddy)
            by_row.addWidget(combo)
        by_row.addStretch(1)
        totals_layout.addLayout(by_row)
        totals_layout.addWidget(self.totals_view, 1)
        self.entries = HoursEntriesPanel(self.ctx, self)
        self.right_tabs = QTabWidget(self)
        self.right_tabs.addTab(totals_box, self.tr("Totals"))
        self.right_tabs.addTab(self.entries, self.tr("Entries"))
        split = QSplitter(self)
        split.addWidget(sheet_box)
        split.addWidget(self.right_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([char * 110, char * 60])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        entries = self.entries
        tab_in_order(self.record_button, self.right_tabs.tabBar(), self.by, self.year, self.totals_view, entries.view,
                     entries.delete_button, entries.pledger, entries.pledged_hours, entries.pledge_button)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Widths in characters of the current text size; the totals' number columns as wide as their headings
        ("Hours pledged" was cut to "Hours pledge" with Larger text)."""
        size_columns(self.sheet_view, {COL_CAME: 7, COL_HOURS: 9})
        size_columns(self.totals_view, {})
        header = self.totals_view.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("0")
        for column in range(1, self.totals.columnCount()):
            header.resizeSection(column, max(header.sectionSizeHint(column), 9 * char + 16))
        self.entries.fit_columns()

    # ---- reading ----

    def refresh(self) -> None:
        """Refill the meeting and group choices (keeping the choice) and the totals; the sheet being entered is
        kept as it is unless its meeting or group went away."""
        self._stale = False
        with self.ctx.db.read() as session:
            meetings = recent_meetings(session)
            groups = group_choices(session)
        self._fill(self.meeting, self.tr("No meeting"), [(meeting_label(t, s or d), a) for a, t, s, d in meetings])
        self._fill(self.group, self.tr("No group"), [(name, gid) for gid, name in groups])
        years = [str(y) for y in range(date.today().year, date.today().year - 6, -1)]
        self._fill(self.year, self.tr("every year"), [(y, y) for y in years])
        self._load_totals()
        self.entries.refresh()
        if self.sheet.rowCount():  # "Recorded 6 h for 3 people." no longer holds after an undo
            self._count_sheet()

    def _count_sheet(self) -> None:
        self.sheet_label.setText(plural(self.sheet.rowCount(), "{n} person on the sheet", "{n} people on the sheet"))

    @staticmethod
    def _fill(combo: QComboBox, empty: str, items: list[tuple[str, str]]) -> None:
        keep = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(empty, "")
        for label, value in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(keep)))
        combo.blockSignals(False)

    def choose(self, action_id: str = "", group_id: str = "") -> None:
        """Open the sheet of a meeting or a group (as if chosen in the lists)."""
        self.group.setCurrentIndex(max(0, self.group.findData(group_id)))
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(action_id)))
        self._load_sheet()

    def _load_sheet(self) -> None:
        action_id, group_id = self.meeting.currentData() or "", self.group.currentData() or ""
        with self.ctx.db.read() as session:
            people = sign_in_people(session, action_id, group_id)
            if action_id:
                action = get_record(session, Action, action_id)
                self.when.setText((action.starts_at or action.due)[:10] or date.today().isoformat())
            elif not self.when.text():
                self.when.setText(date.today().isoformat())
        line = self.meeting.lineEdit()
        if line is not None:
            line.setCursorPosition(0)  # the start of a long label: its date
        self.sheet.set_people(people, self.hours.value())
        self._count_sheet()

    def _load_totals(self) -> None:
        by = self.by.currentData() or "person"
        with self.ctx.db.read() as session:
            rows = hours_totals(session, by, self.year.currentData() or "")
        self.totals.set_rows(rows, self.by.currentText().capitalize())
        self.fit_columns()

    # ---- recording ----

    def _on_person_added(self, contact_id: str) -> None:
        if not contact_id:
            return
        with self.ctx.db.read() as session:
            name = get_record(session, Contact, contact_id).shown_name
        self.sheet.add_person(contact_id, name, self.hours.value())
        self.add_person.set_contact("")

    def record(self) -> None:
        """Record the hours of everyone ticked, in one transaction and one undo step."""
        ticked = self.sheet.ticked()
        action_id = self.meeting.currentData() or ""
        group_id = "" if action_id else (self.group.currentData() or "")
        when = self.when.text().strip()
        made: list[str] = []

        def do(tx: Tx) -> None:
            made[:] = [h.id for h in record_attendance(tx, ticked, action_id=action_id, group_id=group_id,
                                                       when=when)]

        def undo(tx: Tx) -> None:
            for hours_id in made:
                delete_hours(tx, hours_id)

        if try_edit(self.ctx, self.tr("Record hours from a sign-in sheet"), do, undo, "hours", self.message):
            total = sum(ticked.values())
            self.sheet.tick_all(False)
            self.sheet_label.setText(plural(len(ticked), "Recorded {hours} h for {n} person.",
                                            "Recorded {hours} h for {n} people.", hours=hours_text(total)))
            self._load_totals()

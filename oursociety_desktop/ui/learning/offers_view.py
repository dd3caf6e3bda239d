"""The Offers & needs view: suggested introductions from needs to offers, each with its reasons; the broker
accepts one (a connection and a follow-up action, one undoable edit) or declines it (remembered)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from oursociety_desktop.i18n import N_
from oursociety_desktop.models.actions import delete_action
from oursociety_desktop.models.connections import delete_connection
from oursociety_desktop.models.database import Database, Tx
from oursociety_desktop.models.match_decisions import accept_match, decline_match, forget_decision
from oursociety_desktop.models.matching import Match, find_matches
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning import describe_inputs
from oursociety_desktop.ui.learning.offer_editor import OffersNeedsPanel
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.edits import MessageLine, try_edit
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE, RowsTableModel
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.widgets.tab_order import tab_in_order
from oursociety_desktop.ui.widgets.tables import record_table, size_columns
from oursociety_desktop.ui.wording import plural

COL_NEED_PERSON, COL_NEED, COL_OFFER_PERSON, COL_OFFER, COL_WHY = range(5)


def matches_task(progress: Progress, db: Database) -> list[Match]:
    """Matching, run in a worker with its own read transaction."""
    with db.read() as session:
        return find_matches(session.connection(), db.hub_id, progress=progress)


class MatchTableModel(RowsTableModel):
    """The suggestions of the last matching run (`rows`: Match)."""

    HEADERS = (N_("Who needs"), N_("Need"), N_("Who offers"), N_("Offer"), N_("Why"))

    def cell(self, row: Match, column: int) -> str:
        return (row.need_person, row.need_text, row.offer_person, row.offer_text, row.reason)[column]

    @property
    def matches(self) -> list[Match]:
        """The suggestions shown."""
        return self.rows

    def set_matches(self, matches: list[Match]) -> None:
        """Show a new list of suggestions."""
        self.set_rows(matches)


class OffersNeedsWorkspace(RefreshWhenShown, QWidget):
    """Suggested introductions, with accept and decline."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"offer", "need", "contact", "connection"})
    TITLE: ClassVar[str] = QCoreApplication.translate("Workspaces", "Offers & needs")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = MatchTableModel(self)
        self.view = record_table(self, self.model, self.tr("Suggested introductions"), COL_WHY)
        self.fit_columns_of_suggestions()
        self.count_label = QLabel(self)
        self.find_button = QPushButton(self.tr("&Find matches"), self)
        self.find_button.clicked.connect(self.find_matches)
        self.broker = ContactButton(ctx, self.tr("Who makes the introduction"), self.tr("Broker: choose…"), self)
        self.broker.setAccessibleName(self.tr("Who makes the introduction"))
        self.accept_button = QPushButton(self.tr("&Introduce them"), self)
        self.accept_button.setToolTip(self.tr("Record the introduction and a follow-up action"))
        self.accept_button.clicked.connect(self.accept_selected)
        self.decline_button = QPushButton(self.tr("&Decline"), self)
        self.decline_button.setToolTip(self.tr("Do not suggest this pair again"))
        self.decline_button.clicked.connect(self.decline_selected)
        self.message = MessageLine(self)
        # Introduce and Decline act on the selected suggestion: without one they are greyed, not silent.
        self.view.selectionModel().currentRowChanged.connect(lambda _current, _previous: self._enable_buttons())
        self.model.modelReset.connect(self._enable_buttons)
        self._enable_buttons()
        top = QHBoxLayout()
        top.addWidget(self.find_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.broker)
        bottom.addWidget(self.accept_button)
        bottom.addWidget(self.decline_button)
        bottom.addStretch(1)
        suggestions = QWidget(self)
        suggestions_layout = QVBoxLayout(suggestions)
        suggestions_layout.setContentsMargins(0, 0, 0, 0)
        suggestions_layout.addLayout(top)
        suggestions_layout.addWidget(self.view, 1)
        suggestions_layout.addLayout(bottom)
        suggestions_layout.addWidget(self.message)
        self.entries = OffersNeedsPanel(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(suggestions, self.tr("Suggested introductions"))
        self.tabs.addTab(self.entries, self.tr("Offers and needs"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        tab_in_order(self.tabs.tabBar(), self.find_button, self.view, self.broker, self.accept_button,
                     self.decline_button)
        ctx.events.changed.connect(self.on_data_changed)
        self.refresh()

        describe_inputs(self, self.tr("Offers and needs"))

    def fit_columns_of_suggestions(self) -> None:
        """Widths in characters of the current text size."""
        size_columns(self.view, {COL_NEED_PERSON: 16, COL_NEED: 32, COL_OFFER_PERSON: 16, COL_OFFER: 32})

    def fit_columns(self) -> None:
        """Both lists fitted again to a new text size."""
        self.fit_columns_of_suggestions()
        self.entries.fit_columns()

    def refresh(self) -> None:
        """Called when the view is shown or data changed: reads the list of offers and needs again; never
        matches by itself (like the duplicate scan, matching a large hub is seconds of CPU in a worker), it says
        the suggestions may be out of date."""
        self._stale = False
        self.message.clear_error()  # an earlier refusal or failed matching no longer holds; a note stays
        self.entries.refresh()
        if self.model.matches:
            self.count_label.setText(plural(
                len(self.model.matches), "{n} suggestion from the last search; press Find matches to look again.",
                "{n} suggestions from the last search; press Find matches to look again."))
        else:
            self.count_label.setText(self.tr("Press Find matches to see suggested introductions."))

    def find_matches(self) -> None:
        """Run matching in a worker; the list fills when it is done."""
        self.find_button.setEnabled(False)
        self.ctx.runner.run(matches_task, self.ctx.db, title=self.tr("Matching needs to offers"),
                            on_done=self._on_found, on_error=self._on_failed, reads_only=True)

    def _on_found(self, matches: Any) -> None:
        self.find_button.setEnabled(True)
        self.model.set_matches(list(matches))
        self.count_label.setText(plural(len(self.model.matches), "{n} suggestion", "{n} suggestions"))
        if self.model.matches:
            self.view.selectRow(0)

    def _on_failed(self, message: str) -> None:
        self.find_button.setEnabled(True)
        self.message.show_error(message)

    def _enable_buttons(self) -> None:
        chosen = self.view.currentIndex().isValid()
        self.accept_button.setEnabled(chosen)
        self.decline_button.setEnabled(chosen)

    def selected(self) -> Match | None:
        """The suggestion under the cursor."""
        index = self.view.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    def accept_selected(self) -> None:
        """Introduce the two people of the selected suggestion (undo removes the connection and follow-up)."""
        match = self.selected()
        if match is None:
            return
        broker = self.broker.contact_id
        made: dict[str, str] = {}

        def do(tx: Tx) -> None:
            connection = accept_match(tx, match.need_id, match.offer_id, broker)
            made["connection"], made["action"] = connection.id, connection.follow_up_action_id

        def undo(tx: Tx) -> None:
            delete_connection(tx, made["connection"])
            if made.get("action"):
                delete_action(tx, made["action"])
            forget_decision(tx, match.need_id, match.offer_id)

        names = (match.need_person, match.offer_person)
        if try_edit(self.ctx, self.tr("Introduce {0} to {1}").format(*names), do, undo, "connection", self.message):
            self.find_matches()
            self.message.show_note(self.tr("Introduced {0} to {1}; a follow-up action is in Actions, due in a "
                                           "week.").format(*names), self.ctx.undo_stack)

    def decline_selected(self) -> None:
        """Do not suggest the selected pair again (undo forgets the decline)."""
        match = self.selected()
        if match is None:
            return
        if try_edit(self.ctx, self.tr("Decline suggestion"),
                    lambda tx: decline_match(tx, match.need_id, match.offer_id),
                    lambda tx: forget_decision(tx, match.need_id, match.offer_id), "need", self.message):
            self.find_matches()

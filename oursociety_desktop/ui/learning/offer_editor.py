"""Offers and needs entered in the window: the list (newest first, or one person's), and an editor for one offer
or need. Adding, changing and deleting are each one undoable edit, as everywhere else; what the editor holds
unsaved is saved when another entry is chosen, a new one started, or the panel hidden."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.offers import (
    OfferNeedRow,
    OfferOrNeed,
    create_need,
    create_offer,
    delete_offer_or_need,
    list_offers_or_needs,
    update_offer_or_need,
)
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import NEED_KINDS, OFFER_KINDS, Need, Offer, new_id
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.edits import MessageLine, save_keys, try_edit
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE, RowsTableModel
from oursociety_desktop.ui.widgets.tab_order import tab_in_order
from oursociety_desktop.ui.widgets.tables import record_table, select_row_quietly, size_columns
from oursociety_desktop.ui.wording import plural

COL_SIDE, COL_PERSON, COL_KIND, COL_TEXT, COL_THEMES, COL_PLACE, COL_WHEN, COL_UNTIL = range(8)

LIST_LIMIT = 500  # of each side; a person's own list shows all of theirs
EDITED_FIELDS = ("contact_id", "kind", "text", "themes", "locality", "availability", "until")


def _t(text: str) -> str:
    """`text` in the user's language (a name Babel extracts, unlike an alias of `translate`)."""
    return QCoreApplication.translate("OffersNeeds", text)


def kind_labels() -> dict[str, str]:
    """Stored offer and need kinds -> labels."""
    return {"skill": _t("a skill"), "time": _t("time"),
            "lend": _t("a thing to lend"), "space": _t("a space"),
            "help": _t("help"), "advice": _t("advice")}


def table_of(side: str) -> type[OfferOrNeed]:
    """The record class of a side ("offer" or "need")."""
    return Offer if side == "offer" else Need


class OfferNeedTableModel(RowsTableModel):
    """Live offers and needs, offers first, each newest first; a row is (side, OfferNeedRow)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds = kind_labels()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Offer/need"), self.tr("Person"), self.tr("Kind"), self.tr("What"), self.tr("Themes"),
                self.tr("Where"), self.tr("When"), self.tr("Until"))

    def row_of(self, record_id: str) -> int:
        """The row showing a record, or -1."""
        return next((i for i, (_side, row) in enumerate(self.rows) if row.id == record_id), -1)

    def cell(self, row: Any, column: int) -> str:
        side, record = row
        return str((self.tr("offer") if side == "offer" else self.tr("need"), record.person,
                    self._kinds.get(record.kind, record.kind), record.text, ", ".join(record.themes), record.locality,
                    record.availability, record.until)[column])


class OfferNeedEditor(QWidget):
    """One offer or need: `load(side, row)` / `values()`; the side cannot change once saved."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.side = QComboBox(self)
        self.side.addItem(self.tr("An offer (a skill, time, a thing to lend, a space)"), "offer")
        self.side.addItem(self.tr("A need (help, advice, a skill, a space)"), "need")
        self.side.currentIndexChanged.connect(lambda _i: self._fill_kinds())
        self.person = ContactButton(ctx, self.tr("Whose offer or need"), self.tr("Choose a person…"), self)
        self.kind = QComboBox(self)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.themes = QLineEdit(self)
        self.themes.setPlaceholderText(self.tr("comma-separated, e.g. bike repair, youth"))
        self.locality = QLineEdit(self)
        self.locality.setPlaceholderText(self.tr("empty: where the person lives"))
        self.availability = QLineEdit(self)
        self.availability.setPlaceholderText(self.tr("e.g. weekends, tuesday evenings"))
        self.until = QLineEdit(self)
        self.until.setPlaceholderText(self.tr("YYYY-MM-DD; empty: it stands"))
        for label, widget, name in ((self.tr("&Offer or need"), self.side, self.tr("Offer or need")),
                                    (self.tr("&Person"), self.person, self.tr("Person")),
                                    (self.tr("&Kind"), self.kind, self.tr("Kind")),
                                    (self.tr("&What"), self.text, self.tr("What is offered or needed")),
                                    (self.tr("T&hemes"), self.themes, self.tr("Themes")),
                                    (self.tr("Whe&re"), self.locality, self.tr("Where")),
                                    (self.tr("Whe&n"), self.availability, self.tr("When")),
                                    (self.tr("&Until"), self.until, self.tr("Until"))):
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        self._fill_kinds()
        self.loaded: dict[str, Any] = self.values()  # what the form held when loaded or saved

    def _fill_kinds(self, keep: str = "") -> None:
        labels = kind_labels()
        kinds = OFFER_KINDS if self.side.currentData() == "offer" else NEED_KINDS
        self.kind.clear()
        for kind in kinds:
            self.kind.addItem(labels[kind], kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(keep)))

    def load(self, side: str, row: OfferNeedRow | None, contact_id: str = "") -> None:
        """Show an offer or need (None: an empty form for a new one of `side`, for `contact_id` if given)."""
        self.side.setEnabled(row is None)
        self.side.setCurrentIndex(max(0, self.side.findData(side)))
        self._fill_kinds(row.kind if row else "")
        self.person.set_contact(row.contact_id if row else contact_id)
        self.text.setPlainText(row.text if row else "")
        self.themes.setText(", ".join(row.themes) if row else "")
        self.locality.setText(row.locality if row else "")
        self.availability.setText(row.availability if row else "")
        self.until.setText(row.until if row else "")
        for line in (self.themes, self.locality, self.availability, self.until):
            line.setCursorPosition(0)  # long text shows its beginning
        self.loaded = self.values()

    def is_dirty(self) -> bool:
        """True when the form holds something changed since it was loaded or saved."""
        return self.values() != self.loaded

    def values(self) -> dict[str, Any]:
        """The fields as the form holds them (checked by the core when saved)."""
        values: dict[str, Any] = {"contact_id": self.person.contact_id, "kind": self.kind.currentData(),
                                  "text": self.text.toPlainText(), "themes": self.themes.text(),
                                  "availability": self.availability.text(), "until": self.until.text()}
        if self.locality.text().strip() or not self.side.isEnabled():  # a saved one: emptying it empties it
            values["locality"] = self.locality.text()
        return values


class OffersNeedsPanel(QWidget):
    """The list of offers and needs with the editor beside it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: tuple[str, str] | None = None  # (side, id) of the record in the editor
        self._saving = False  # while a save runs, the list it re-reads must not start another
        self.model = OfferNeedTableModel(self)
        # "What" has a width of its own: as the stretching column it got what the seven others left, which beside
        # the editor was nothing ("Hel…"); the last column takes the spare width of a wide window instead.
        self.view = record_table(self, self.model, self.tr("Offers and needs"), COL_UNTIL)
        self.fit_columns()
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._on_current(current.row()))
        self.only_person = ContactButton(ctx, self.tr("Show one person's offers and needs"),
                                         self.tr("Everyone's (choose a person…)"), self)
        self.only_person.setAccessibleName(self.tr("Show one person's offers and needs"))
        self.only_person.changed.connect(lambda _id: self.refresh())
        self.everyone_button = QPushButton(self.tr("E&veryone"), self)
        self.everyone_button.clicked.connect(lambda: self.only_person.set_contact(""))
        self.count_label = QLabel(self)
        self.editor = OfferNeedEditor(ctx, self)
        self.new_offer_button = QPushButton(self.tr("New o&ffer"), self)
        self.new_offer_button.clicked.connect(lambda: self.new_record("offer"))
        self.new_need_button = QPushButton(self.tr("New n&eed"), self)
        self.new_need_button.clicked.connect(lambda: self.new_record("need"))
        self.save_button = QPushButton(self.tr("Sa&ve"), self)
        self.save_button.clicked.connect(self.save)
        save_keys(self, self.save_button, self.save)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self.delete_current)
        self.message = MessageLine(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Showing:"), self))
        top.addWidget(self.only_person)
        top.addWidget(self.everyone_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        for button in (self.new_offer_button, self.new_need_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        right_layout.addStretch(1)
        split = QSplitter(self)
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        char = self.fontMetrics().horizontalAdvance("0")
        split.setSizes([char * 130, char * 60])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self.editor.load("offer", None)
        editor = self.editor
        tab_in_order(self.only_person, self.everyone_button, self.view, editor.side, editor.person, editor.kind,
                     editor.text, editor.themes, editor.locality, editor.availability, editor.until,
                     self.new_offer_button, self.new_need_button, self.save_button, self.delete_button)

    def fit_columns(self) -> None:
        """Widths in characters of the current text size."""
        size_columns(self.view, {COL_SIDE: 9, COL_PERSON: 15, COL_KIND: 9, COL_TEXT: 30, COL_THEMES: 11, COL_PLACE: 9,
                                 COL_WHEN: 9, COL_UNTIL: 9})

    # ---- reading ----

    def refresh(self) -> None:
        """Read the list again, keeping the record in the editor selected."""
        person = self.only_person.contact_id
        limit = 100_000 if person else LIST_LIMIT
        with self.ctx.db.read() as session:
            rows = [("offer", r) for r in list_offers_or_needs(session, Offer, person, limit)]
            rows += [("need", r) for r in list_offers_or_needs(session, Need, person, limit)]
        self.model.set_rows(rows)
        offers = sum(1 for side, _row in rows if side == "offer")
        self.count_label.setText(self.tr("{0}, {1}").format(plural(offers, "{n} offer", "{n} offers"),
                                                            plural(len(rows) - offers, "{n} need", "{n} needs")))
        row = self.model.row_of(self.current[1]) if self.current else -1
        if row >= 0:
            self.view.selectRow(row)

    def _on_current(self, row: int) -> None:
        found = self.model.data(self.model.index(row, 0), ROW_ROLE) if row >= 0 and not self._saving else None
        if found is None:
            return
        side, record = found
        if (side, record.id) == self.current and self.editor.is_dirty():
            return  # the list was read again under the entry being typed: the typing stays
        if (side, record.id) != self.current and not self.save_pending():
            # The entry that could not be saved stays, its message shown; after the click has selected its row.
            QTimer.singleShot(0, self._select_current)
            return
        self.current = (side, record.id)
        self._select_current()  # saving a new entry above read the list again and moved the selection
        self.editor.load(side, record)

    def _select_current(self) -> None:
        select_row_quietly(self.view, self.model.row_of(self.current[1]) if self.current else -1)

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_pending()  # another tab, another workspace or closing the window keeps what was typed
        super().hideEvent(event)

    # ---- editing ----

    def save_pending(self) -> bool:
        """Save what the editor holds unsaved, if anything; False when it was refused (its message shown)."""
        return not self.editor.is_dirty() or self.save()

    def new_record(self, side: str) -> None:
        """An empty form for a new offer or need (of the person shown, if one is), after saving the shown one."""
        if not self.save_pending():
            return
        self.current = None
        self.view.clearSelection()
        self.editor.load(side, None, self.only_person.contact_id)
        self.editor.text.setFocus()

    def save(self) -> bool:
        """Save the form: a new record, or the changes to the shown one; one undoable edit either way. Returns
        False when the core refused it (the message is shown, nothing changed)."""
        values = self.editor.values()
        if self.current is None:
            side = self.editor.side.currentData()
            record_id = new_id()
            cls = table_of(side)
            create = create_offer if side == "offer" else create_need

            def do(tx: Tx) -> Any:
                if tx.session.get(cls, record_id) is not None:  # redo after an undo: bring it back
                    return delete_offer_or_need(tx, cls, record_id, False)
                return create(tx, values, record_id)

            text, undo = (self.tr("Add offer") if side == "offer" else self.tr("Add need"),
                          lambda tx: delete_offer_or_need(tx, cls, record_id))
        else:
            side, record_id = self.current
            cls = table_of(side)
            with self.ctx.db.read() as session:
                before = get_record(session, cls, record_id)
                old = {name: getattr(before, name) for name in EDITED_FIELDS}
            text, do, undo = (self.tr("Edit offer") if side == "offer" else self.tr("Edit need"),
                              lambda tx: update_offer_or_need(tx, cls, record_id, values),
                              lambda tx: update_offer_or_need(tx, cls, record_id, old))
        self._saving = True
        try:
            if not try_edit(self.ctx, text, do, undo, side, self.message):
                return False
            self.current = (side, record_id)
            self.refresh()
            found = self.model.data(self.model.index(self.model.row_of(record_id), 0), ROW_ROLE)
            if found is not None:
                self.editor.load(side, found[1])  # the saved values, as the core tidied them
            else:
                self.editor.loaded = self.editor.values()  # saved, though the list shows only someone else's
            return True
        finally:
            self._saving = False

    def delete_current(self) -> None:
        """Delete the shown offer or need (undo brings it back)."""
        if self.current is None:
            return
        side, record_id = self.current
        cls = table_of(side)
        if try_edit(self.ctx, self.tr("Delete offer") if side == "offer" else self.tr("Delete need"),
                    lambda tx: delete_offer_or_need(tx, cls, record_id),
                    lambda tx: delete_offer_or_need(tx, cls, record_id, False), side, self.message):
            self.current = None
            self.refresh()
            self.editor.load(side, None, self.only_person.contact_id)

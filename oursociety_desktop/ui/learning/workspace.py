"""The Learning workspace: lessons and stories from this hub and others, found by any word of any field (any
script), filtered by theme, hub, kind and year, and edited beside the list; every save is one undoable edit.
What the editor holds unsaved is saved when another lesson is chosen, a new one started, a person added, or the
workspace hidden, as in the Actions workspace, so nothing typed is lost.

`show_theme(theme)` is "what other hubs learned about <theme>": the view a new group or action opens on."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.lessons import (
    LessonFilter,
    create_lesson,
    delete_lesson,
    lesson_hubs,
    lesson_themes,
    lesson_years,
    people_of,
    refresh_lesson_index,
    remove_person,
    set_person,
    update_lesson,
)
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Lesson, new_id
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning import describe_inputs
from oursociety_desktop.ui.learning.editor import LessonEditor
from oursociety_desktop.ui.learning.lesson_model import (
    COL_DATE,
    COL_HUB,
    COL_KIND,
    COL_PLACE,
    COL_THEMES,
    COL_TITLE,
    LESSON_ROW_ROLE,
    LessonTableModel,
    lesson_kind_labels,
)
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.edits import MessageLine, save_keys, try_edit
from oursociety_desktop.ui.widgets.narrowing import may_narrow
from oursociety_desktop.ui.widgets.scrolling import VerticalScrollArea
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.widgets.tab_order import tab_in_order
from oursociety_desktop.ui.widgets.tables import record_table, select_row_quietly, size_columns
from oursociety_desktop.ui.wording import plural

SEARCH_DELAY_MS = 200


class LearningWorkspace(RefreshWhenShown, QWidget):
    """Lessons and stories: search, filter, read and edit."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"lesson", "lesson_person", "contact"})
    TITLE: ClassVar[str] = QCoreApplication.translate("LearningWorkspace", "Learning")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = LessonTableModel(ctx, self)
        self.current_id = ""
        self._saving = False  # while a save runs, the list it re-reads must not start another
        self._build()
        ctx.events.changed.connect(self.on_data_changed)
        self.refresh()

        describe_inputs(self, self.tr("the Learning workspace"))
    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search every field of every lesson…"))
        self.search.setAccessibleName(self.tr("Search lessons"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.theme = self._combo(self.tr("Theme"))
        self.hub = self._combo(self.tr("Hub"))
        self.kind = self._combo(self.tr("Kind"))
        self.year = self._combo(self.tr("Year"))
        may_narrow(self.hub, 8)  # the row of filters fits 1024 pixels with Larger text
        may_narrow(self.kind, 6)
        self.count_label = QLabel(self)
        # The title has a width of its own: as the stretching column it got what the five others left beside the
        # editor ("Caawinta casharr…"); the last column takes the spare width of a wide window instead.
        self.view = record_table(self, self.model, self.tr("Lessons"), COL_HUB)
        self.fit_columns()
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._on_current(current.row()))
        self.editor = LessonEditor(self)
        self.new_button = QPushButton(self.tr("&New lesson"), self)
        self.new_button.clicked.connect(self.new_lesson)
        self.save_button = QPushButton(self.tr("Sa&ve"), self)
        self.save_button.clicked.connect(self.save)
        save_keys(self, self.save_button, self.save)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self.delete_current)
        self.person_button = ContactButton(self.ctx, self.tr("A person involved in this lesson"),
                                           self.tr("Add a person…"), self)
        self.person_button.setAccessibleName(self.tr("Add a person involved in this lesson"))
        self.person_button.changed.connect(self._on_person_chosen)
        self.named_box = QCheckBox(self.tr("Agreed to be &named"), self)
        self.named_box.setToolTip(self.tr("Without it, other hubs see them as a member of this hub"))
        self.remove_person_button = QPushButton(self.tr("Re&move person"), self)
        self.remove_person_button.setToolTip(self.tr("Take the person selected above out of this lesson"))
        self.remove_person_button.clicked.connect(self.remove_chosen_person)
        self.editor.people.currentItemChanged.connect(lambda _item, _previous: self._enable_remove())
        self.editor.named_changed.connect(self.set_named)
        self.message = MessageLine(self)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for label, combo in ((self.tr("T&heme:"), self.theme), (self.tr("H&ub:"), self.hub),
                             (self.tr("&Kind:"), self.kind), (self.tr("&Year:"), self.year)):
            caption = QLabel(label, self)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo)
        filters.addWidget(self.count_label)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        # The lesson's eleven fields are taller than a 1024x600 screen has room for: they scroll, the list and
        # the buttons stay.
        form = self.editor_scroll = VerticalScrollArea(self.editor, right)
        form.setFrameShape(QFrame.Shape.NoFrame)
        form.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right_layout.addWidget(form, 1)
        self.editor.people_box.setParent(right)
        right_layout.addWidget(self.editor.people_box)
        people = QHBoxLayout()
        people.addWidget(self.person_button)
        people.addWidget(self.named_box)
        people.addWidget(self.remove_person_button)
        people.addStretch(1)
        right_layout.addLayout(people)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        split = QSplitter(self)
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        char = self.fontMetrics().horizontalAdvance("0")
        split.setSizes([char * 110, char * 70])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        editor = self.editor
        tab_in_order(self.search, self.theme, self.hub, self.kind, self.year, self.view, editor.title, editor.kind,
                     editor.themes, *editor.long.values(), editor.place, editor.date, editor.share,
                     editor.people, self.person_button, self.named_box, self.remove_person_button, self.new_button,
                     self.save_button, self.delete_button)

    def fit_columns(self) -> None:
        """Widths in characters of the current text size."""
        size_columns(self.view, {COL_DATE: 11, COL_KIND: 13, COL_TITLE: 30, COL_THEMES: 16, COL_PLACE: 11,
                                 COL_HUB: 11})

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        return combo

    # ---- reading ----

    def refresh(self) -> None:
        """Bring the search index up to date, refill the filter choices and read the list again."""
        self._stale = False
        with self.ctx.db.write() as tx:
            refresh_lesson_index(tx.session.connection())
        with self.ctx.db.read() as session:
            themes, hubs, years = lesson_themes(session), lesson_hubs(session), lesson_years(session)
        everything = self.tr("(all)")
        self._fill(self.theme, [(everything, "")] + [(t, t) for t in themes])
        self._fill(self.hub, [(everything, "")] + [(name, hub_id) for hub_id, name in hubs])
        self._fill(self.kind, [(everything, "")] + [(label, k) for k, label in lesson_kind_labels().items()])
        self._fill(self.year, [(everything, "")] + [(y, y) for y in years])
        self.apply_filter()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        keep = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        for label, value in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(keep)))
        combo.blockSignals(False)

    def current_filter(self) -> LessonFilter:
        """The filter the controls describe."""
        return LessonFilter(search=self.search.text(), theme=self.theme.currentData() or "",
                            hub=self.hub.currentData() or "", kind=self.kind.currentData() or "",
                            year=self.year.currentData() or "")

    def apply_filter(self) -> None:
        """Read the list again for the current filter; what the editor holds unsaved is saved first."""
        kept = self._saving or self.save_pending()
        self.model.set_filter(self.current_filter())
        self.count_label.setText(plural(self.model.rowCount(), "{n} lesson", "{n} lessons"))
        if not kept:  # refused: the editor keeps what was typed, with its message
            self._select(self.current_id)
        elif self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(max(0, self.model.row_of(self.current_id)) if self.current_id else 0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        else:
            self.current_id = ""
            self.editor.load(None)

    def show_theme(self, theme: str) -> None:
        """What this and other hubs learned about a theme (the view for a new group or action of that theme)."""
        self.search.clear()
        index = self.theme.findData(" ".join(theme.split()).lower())
        self.theme.setCurrentIndex(max(0, index))

    def _on_current(self, row: int) -> None:
        found = self.model.data(self.model.index(row, 0), LESSON_ROW_ROLE) if row >= 0 and not self._saving else None
        if found is None:
            return
        if found.id == self.current_id and self.editor.is_dirty():
            return  # the list was read again under the lesson being typed: the typing stays
        if found.id != self.current_id and not self.save_pending():
            # The lesson that could not be saved stays, its message shown; after the click has selected its row.
            QTimer.singleShot(0, lambda: self._select(self.current_id))
            return
        self._select(found.id)  # saving a new lesson above read the list again and moved the selection
        self._show(found.id)

    def _select(self, lesson_id: str) -> None:
        select_row_quietly(self.view, self.model.row_of(lesson_id) if lesson_id else -1)

    def _show(self, lesson_id: str) -> None:
        self.current_id = lesson_id
        with self.ctx.db.read() as session:
            lesson = session.get(Lesson, lesson_id)
            people = people_of(session, lesson_id, self.ctx.db.hub_id)
        self.editor.load(lesson, people)
        self._enable_remove()

    def _enable_remove(self) -> None:
        self.remove_person_button.setEnabled(bool(self.current_id and self.editor.chosen_person()))

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_pending()  # switching workspace or closing the window keeps what was typed
        super().hideEvent(event)

    # ---- editing ----

    def save_pending(self) -> bool:
        """Save what the editor holds unsaved, if anything; False when it was refused (its message shown)."""
        return not self.editor.is_dirty() or self.save()

    def new_lesson(self) -> None:
        """Clear the editor for a new lesson (saved with Save), after saving the shown one's changes."""
        if not self.save_pending():
            return
        self.current_id = ""
        self.view.clearSelection()
        self.editor.load(None)
        self.editor.title.setFocus()

    def save(self) -> bool:
        """Save the editor's fields: a new lesson, or the changes to the shown one, as one undoable edit.
        Returns False when the core refused them (the message is shown, nothing changed)."""
        values = self.editor.values()
        lesson_id = self.current_id or new_id()
        if not self.current_id:
            def do(tx: Tx) -> Any:
                if tx.session.get(Lesson, lesson_id) is not None:  # redo after an undo: bring it back
                    return delete_lesson(tx, lesson_id, False)
                return create_lesson(tx, values, record_id=lesson_id)

            text, undo = self.tr("Add lesson"), lambda tx: delete_lesson(tx, lesson_id)
        else:
            with self.ctx.db.read() as session:
                before = get_record(session, Lesson, lesson_id)
                old = {name: getattr(before, name) for name in values}
            text, do, undo = (self.tr("Edit lesson"), lambda tx: update_lesson(tx, lesson_id, values),
                              lambda tx: update_lesson(tx, lesson_id, old))
        self._saving = True
        try:
            if not try_edit(self.ctx, text, do, undo, "lesson", self.message):
                return False
            if lesson_id != self.current_id:
                self.current_id = lesson_id
                self.refresh()
            self._select(lesson_id)
            self._show(lesson_id)  # the saved values, as the core tidied them
            return True
        finally:
            self._saving = False

    def add_person(self, contact_id: str, named: bool) -> None:
        """Name a person as involved in the shown lesson, with or without their consent to be named (undoable).
        A new lesson is saved first; one with nothing typed yet says so."""
        if not contact_id or not self.save_pending():
            return
        if not self.current_id:
            self.message.show_error(self.tr("Give the lesson a title and save it before adding people to it."))
            return
        lesson_id = self.current_id
        if try_edit(self.ctx, self.tr("Add person to lesson"), lambda tx: set_person(tx, lesson_id, contact_id, named),
                    lambda tx: remove_person(tx, lesson_id, contact_id), "lesson_person", self.message):
            self._show(lesson_id)

    def set_named(self, contact_id: str, named: bool) -> None:
        """Record that a person of the shown lesson agreed to be named, or withdrew it (undoable)."""
        lesson_id = self.current_id
        if not lesson_id:
            return
        text = self.tr("Agreed to be named") if named else self.tr("Not to be named")
        try_edit(self.ctx, text, lambda tx: set_person(tx, lesson_id, contact_id, named),
                 lambda tx: set_person(tx, lesson_id, contact_id, not named), "lesson_person", self.message)
        self._show(lesson_id)  # the list as it now stands (as it was, when refused)

    def remove_chosen_person(self) -> None:
        """Take the person selected in the list out of the shown lesson (undo puts them back as they were)."""
        lesson_id, contact_id = self.current_id, self.editor.chosen_person()
        if not lesson_id or not contact_id:
            return
        with self.ctx.db.read() as session:
            named = next((p.named for p in people_of(session, lesson_id, self.ctx.db.hub_id)
                          if p.contact_id == contact_id), False)
        if try_edit(self.ctx, self.tr("Remove person from lesson"), lambda tx: remove_person(tx, lesson_id, contact_id),
                    lambda tx: set_person(tx, lesson_id, contact_id, named), "lesson_person", self.message):
            self._show(lesson_id)

    def _on_person_chosen(self) -> None:
        chosen = self.person_button.contact_id
        if chosen:
            self.add_person(chosen, self.named_box.isChecked())
            self.person_button.set_contact("")

    def delete_current(self) -> None:
        """Delete the shown lesson (undo brings it back)."""
        if not self.current_id:
            return
        lesson_id = self.current_id
        if try_edit(self.ctx, self.tr("Delete lesson"), lambda tx: delete_lesson(tx, lesson_id),
                    lambda tx: delete_lesson(tx, lesson_id, False), "lesson", self.message):
            self.current_id = ""

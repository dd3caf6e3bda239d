"""The options side of the Print workspace: which product, and the options that apply to it.

`PrintOptionsPanel.product()` and `.options()` hand the choice to the Qt-free products in `formats/pdf/`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats.pdf.labels import find_format, label_formats
from oursociety_desktop.formats.pdf.options import CONTACT_FIELDS, DEFAULT_FIELDS, PrintOptions, default_paper
from oursociety_desktop.formats.pdf.products import PRODUCTS
from oursociety_desktop.models.actions import meetings_to_sign_in
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import group_choices
from oursociety_desktop.ui.widgets.meeting_picker import make_searchable, meeting_label, upcoming_first

# Which options each product honours; the others are disabled so nobody wonders why a choice did nothing.
MAX_MEETINGS = 300

USES: dict[str, set[str]] = {
    "directory": {"paper", "large", "fields", "sort", "group", "tag", "by_group"},
    "group": {"paper", "large", "fields", "sort", "group", "tag"},
    "signin": {"paper", "large", "sort", "group", "tag", "meeting", "blank_rows"},
    "labels": {"large", "sort", "group", "tag", "label_format", "start_at"},
    "actions": {"paper", "large", "group", "tag", "by_group"},
    "calls": {"paper", "large", "sort", "group", "tag"},
}


def fit_to_pane(combo: QComboBox) -> None:
    """A list that does not ask for the width of its longest entry (a label sheet's full name, a meeting title):
    it takes the width the pane has, and its open list is still as wide as its entries (Qt widens the popup)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


class PrintOptionsPanel(QWidget):
    """Product and options; emits `changed` whenever the user changes anything."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._build()
        self.reload_choices()
        self._apply_product()

    def _build(self) -> None:
        titles = {"directory": self.tr("Directory"), "group": self.tr("Group sheet"),
                  "signin": self.tr("Sign-in sheet"), "labels": self.tr("Address labels"),
                  "actions": self.tr("Action list"), "calls": self.tr("Call list")}
        self.product_combo = QComboBox(self)
        for key in PRODUCTS:
            self.product_combo.addItem(titles[key], key)
        self.product_combo.setAccessibleName(self.tr("What to print"))
        self.product_combo.setAccessibleDescription(self.tr("A directory, group or sign-in sheet, labels, actions "
                                                            "or calls"))
        self.paper_combo = QComboBox(self)
        self.paper_combo.addItem(self.tr("A4"), "a4")
        self.paper_combo.addItem(self.tr("US Letter"), "letter")
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(default_paper()))
        self.paper_combo.setAccessibleName(self.tr("Paper size"))
        self.paper_combo.setAccessibleDescription(self.tr("A4 or US Letter"))
        self.large_check = QCheckBox(self.tr("&Large print (16 pt)"), self)
        self.large_check.setAccessibleName(self.tr("Large print"))
        self.large_check.setAccessibleDescription(self.tr("16 point text for people who read better with it"))
        self.sort_combo = QComboBox(self)
        self.sort_combo.addItem(self.tr("Family name"), "family")
        self.sort_combo.addItem(self.tr("First name"), "given")
        self.sort_combo.setAccessibleName(self.tr("Sort by"))
        self.sort_combo.setAccessibleDescription(self.tr("Order of the people on the printout"))
        self.group_combo = QComboBox(self)
        self.group_combo.setAccessibleName(self.tr("Group"))
        self.group_combo.setAccessibleDescription(self.tr("Print only this group's members"))
        self.tag_edit = QLineEdit(self)
        self.tag_edit.setPlaceholderText(self.tr("any tag"))
        self.tag_edit.setAccessibleName(self.tr("Only people with this tag"))
        self.tag_edit.setAccessibleDescription(self.tr("Leave empty for everyone"))
        self.by_group_check = QCheckBox(self.tr("Sections by &group"), self)
        self.by_group_check.setAccessibleName(self.tr("Sections by group"))
        self.by_group_check.setAccessibleDescription(self.tr("One section per group"))
        self.meeting_combo = QComboBox(self)
        self.meeting_combo.setAccessibleName(self.tr("Meeting"))
        self.meeting_combo.setAccessibleDescription(self.tr("Coming meetings first; type part of a title or date"))
        make_searchable(self.meeting_combo)  # coming meetings first, with weekday, date and time; type to narrow
        self.blank_spin = QSpinBox(self)
        self.blank_spin.setRange(0, 200)
        self.blank_spin.setValue(10)
        self.blank_spin.setAccessibleName(self.tr("Blank rows for newcomers"))
        self.blank_spin.setAccessibleDescription(self.tr("Empty rows at the end of a sign-in sheet"))
        self.format_combo = QComboBox(self)
        for code, fmt in label_formats().items():
            self.format_combo.addItem(fmt.name, code)
        self.format_combo.setAccessibleName(self.tr("Label sheet"))
        self.format_combo.setAccessibleDescription(self.tr("The make and size of the label sheet"))
        self.start_spin = QSpinBox(self)
        self.start_spin.setAccessibleName(self.tr("Start at label"))
        self.start_spin.setAccessibleDescription(self.tr("Skips labels already used on the first sheet"))
        self.field_checks: dict[str, QCheckBox] = {}
        fields_box = QGroupBox(self.tr("Show"), self)
        fields_layout = QVBoxLayout(fields_box)
        names = {"organisation": self.tr("Organisation"), "role": self.tr("Role"), "phone": self.tr("Phone"),
                 "email": self.tr("Email"), "address": self.tr("Address"), "languages": self.tr("Languages"),
                 "tags": self.tr("Skills and interests")}
        for field in CONTACT_FIELDS:
            check = QCheckBox(names[field], fields_box)
            check.setChecked(field in DEFAULT_FIELDS)
            check.setAccessibleName(self.tr("Show {0}").format(names[field]))
            check.setAccessibleDescription(self.tr("Print each person's {0}").format(names[field].lower()))
            check.toggled.connect(self.changed)
            fields_layout.addWidget(check)
            self.field_checks[field] = check
        self.fields_box = fields_box

        form = QFormLayout()
        form.addRow(self.tr("&Print:"), self.product_combo)
        form.addRow(self.tr("&Paper:"), self.paper_combo)
        form.addRow("", self.large_check)
        form.addRow(self.tr("&Sort by:"), self.sort_combo)
        form.addRow(self.tr("G&roup:"), self.group_combo)
        form.addRow(self.tr("&Tag:"), self.tag_edit)
        form.addRow("", self.by_group_check)
        form.addRow(self.tr("&Meeting:"), self.meeting_combo)
        form.addRow(self.tr("&Blank rows:"), self.blank_spin)
        form.addRow(self.tr("Label &sheet:"), self.format_combo)
        form.addRow(self.tr("Start at &label:"), self.start_spin)
        # Narrow pane (a small window, Larger text): a field goes under its label rather than past the edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for combo in (self.product_combo, self.paper_combo, self.sort_combo, self.group_combo, self.meeting_combo,
                      self.format_combo):
            fit_to_pane(combo)
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(fields_box)
        layout.addLayout(row)
        layout.addStretch(1)
        self._form = form

        self.product_combo.currentIndexChanged.connect(self._apply_product)
        self.format_combo.currentIndexChanged.connect(self._apply_format)
        for combo in (self.paper_combo, self.sort_combo, self.group_combo, self.meeting_combo, self.format_combo):
            combo.currentIndexChanged.connect(self.changed)
        for check in (self.large_check, self.by_group_check):
            check.toggled.connect(self.changed)
        self.tag_edit.editingFinished.connect(self.changed)
        self.blank_spin.valueChanged.connect(self.changed)
        self.start_spin.valueChanged.connect(self.changed)
        self._apply_format()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # A check box (a row without a label) stays in the field column even when the other rows wrap under
        # their labels, but the form leaves that column out of its minimum width: at 1024x700 with Larger text
        # "Large print (16 pt)" lost its last letters. Room for the widest label and the widest check box.
        hint = super().minimumSizeHint()
        form = self._form
        items = (form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(form.rowCount()))
        labels = [label.sizeHint().width() for item in items if item is not None and (label := item.widget())]
        spacing = form.horizontalSpacing()
        if spacing < 0:
            spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
        margins = self._layout.contentsMargins()
        checks = max(check.sizeHint().width() for check in (self.large_check, self.by_group_check))
        width = max(labels, default=0) + spacing + checks + margins.left() + margins.right()
        return QSize(max(hint.width(), width), hint.height())

    def reload_choices(self) -> None:
        """Refill the group and meeting lists from the database, keeping the current choices."""
        group_id, meeting_id = self.group_combo.currentData(), self.meeting_combo.currentData()
        with self.db.read() as session:
            groups = group_choices(session)
            meetings = meetings_to_sign_in(session, limit=MAX_MEETINGS)
        for combo in (self.group_combo, self.meeting_combo):
            combo.blockSignals(True)
            combo.clear()
        self.group_combo.addItem(self.tr("Everyone"), "")
        for gid, name in groups:
            self.group_combo.addItem(name, gid)
        self.meeting_combo.addItem(self.tr("No meeting"), "")
        for aid, title, starts, due in upcoming_first(meetings):
            self.meeting_combo.addItem(meeting_label(title, starts or due), aid)
        for combo, wanted in ((self.group_combo, group_id), (self.meeting_combo, meeting_id)):
            index = combo.findData(wanted) if wanted else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def _apply_product(self) -> None:
        uses = USES[self.product()]
        widgets = {"paper": self.paper_combo, "large": self.large_check, "sort": self.sort_combo,
                   "group": self.group_combo, "tag": self.tag_edit, "by_group": self.by_group_check,
                   "meeting": self.meeting_combo, "blank_rows": self.blank_spin, "label_format": self.format_combo,
                   "start_at": self.start_spin, "fields": self.fields_box}
        for key, widget in widgets.items():
            widget.setEnabled(key in uses)
        self.changed.emit()

    def _apply_format(self) -> None:
        fmt = find_format(str(self.format_combo.currentData()))
        self.start_spin.setRange(1, fmt.per_sheet)

    def product(self) -> str:
        """The chosen product's key ("directory", "labels"...)."""
        return str(self.product_combo.currentData())

    def set_product(self, key: str) -> None:
        """Choose a product by key."""
        self.product_combo.setCurrentIndex(self.product_combo.findData(key))

    def options(self) -> PrintOptions:
        """The chosen options, for the core."""
        product = self.product()
        label_format = str(self.format_combo.currentData())
        paper = find_format(label_format).paper if product == "labels" else str(self.paper_combo.currentData())
        return PrintOptions(
            paper=paper, large_print=self.large_check.isChecked(),
            fields=tuple(f for f, check in self.field_checks.items() if check.isChecked()),
            sort=str(self.sort_combo.currentData()), group=str(self.group_combo.currentData() or ""),
            tag=self.tag_edit.text().strip(), by_group=self.by_group_check.isChecked(),
            action=str(self.meeting_combo.currentData() or ""), blank_rows=self.blank_spin.value(),
            label_format=label_format, start_at=self.start_spin.value(),
        )

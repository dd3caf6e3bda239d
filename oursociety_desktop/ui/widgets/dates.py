"""A date (or date and time) field: type it as you would say it, or pick it on a calendar.

Typed dates are read in the user's locale by `dateparser` ("3/12" is 3 December in Britain and 12 March in the
US; "3 Dec", "next tue", "tomorrow 7pm", Polish "wtorek" too), after the ISO form the database keeps. A well-kept
parser of human dates in 200 languages beats a hand-made one; without it (not installed) ISO still works. The
button beside the text, or Alt+Down, opens a calendar.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QVBoxLayout, QWidget

from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.errors import ValidationError


def locale_date_order(locale: QLocale | None = None) -> str:
    """"DMY", "MDY" or "YMD": the order the user's locale writes a short date in."""
    pattern = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).lower()
    positions = {letter: pattern.find(letter) for letter in "dmy"}
    if any(p < 0 for p in positions.values()):
        return "DMY"
    return "".join(sorted("DMY", key=lambda letter: positions[letter.lower()]))


def parse_typed_date(text: str, with_time: bool, today: datetime | None = None, order: str = "DMY",
                     languages: tuple[str, ...] = ("en",)) -> str:
    """Typed text → the ISO form the core keeps ("" for empty). Raises ValueError when it is not a date."""
    clean = text.strip()
    if not clean:
        return ""
    try:
        return parse_when("date", clean)
    except ValidationError:
        pass
    try:
        import dateparser  # imported when first needed: it takes ~0.3 s to load
    except ImportError as exc:  # pragma: no cover - a dependency; ISO still works without it
        raise ValueError(clean) from exc
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future", "DATE_ORDER": order,
                                "RELATIVE_BASE": today or datetime.now().replace(second=0, microsecond=0)}
    found = dateparser.parse(clean, languages=[*languages, "en"] if "en" not in languages else list(languages),
                             settings=settings)
    if not isinstance(found, datetime):
        raise ValueError(clean)
    if with_time and found.time() != time(0, 0):
        return str(found.replace(second=0, microsecond=0).isoformat(timespec="minutes"))
    return str(found.date().isoformat())


def warm_up() -> None:
    """Load dateparser and its English data (about a second): done on the start-up thread that preloads slow
    modules, so the first date typed does not freeze the window."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a dependency
        return
    dateparser.parse("3 Dec", languages=["en"], settings={"PREFER_DATES_FROM": "future"})


class CalendarPopup(QWidget):
    """The calendar under a date field; Enter or a click picks the day, Escape closes it."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName(self.tr("Calendar"))
        self.calendar.setAccessibleDescription(self.tr("Arrow keys move by day, Page Up and Down by month; Enter "
                                                       "picks the day"))
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def _pick(self, day: QDate) -> None:
        self.picked.emit(day)
        self.close()


class DateEdit(QLineEdit):
    """A QLineEdit for a date (`with_time` for a date and time) with a calendar button.

    `set_iso(value)` shows a stored value in the user's locale; `iso(field)` reads the text back in ISO form and
    raises ValidationError (naming `field`) with a plain message when it is not a date."""

    def __init__(self, with_time: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.with_time = with_time
        # Short, so it fits a half-width field at larger text; the tooltip says more.
        self.setPlaceholderText(self.tr("3 Dec 18:30") if with_time else self.tr("3 Dec"))
        self.setToolTip(self.tr("Type a date as you would say it (3 Dec, 3/12/2026, next tue, tomorrow 7pm) or "
                                "choose it on the calendar (Alt+Down)"))
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.calendar_action = QAction(icon, self.tr("Choose on a calendar (Alt+Down)"), self)
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.popup: CalendarPopup | None = None
        self._stored = ("", "")  # (value, its shown text): read back exactly when the text was not edited

    # ---- values ----

    def set_iso(self, value: str) -> None:
        """Show a stored ISO date or date-time ('' empties the field)."""
        text = self.shown(value)
        self._stored = (value, text)
        self.setText(text)

    def shown(self, value: str) -> str:
        """How a stored value is written in this field (the locale's short date, 24-hour time)."""
        if not value:
            return ""
        locale = QLocale()
        if locale.language() == QLocale.Language.C:
            return value.replace("T", " ")  # no locale to follow: the unambiguous ISO form
        try:
            if len(value) == 10:
                day = date.fromisoformat(value)
                return locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        day_text = locale.toString(QDate(moment.year, moment.month, moment.day), QLocale.FormatType.ShortFormat)
        return f"{day_text} {moment:%H:%M}"

    def iso(self, field: str = "date") -> str:
        """The text as the core keeps it. Raises ValidationError for text that is not a date."""
        if self.text() == self._stored[1]:
            return self._stored[0]
        language = QLocale().name().split("_")[0]
        try:
            return parse_typed_date(self.text(), self.with_time, order=locale_date_order(),
                                    languages=(language,) if language.isalpha() and language.islower() else ("en",))
        except ValueError:
            raise ValidationError(field, self.tr("“{0}” is not a date I can read; try 3 Dec, 3/12/2026 or next "
                                                 "tue, or choose one on the calendar.").format(self.text())) from None

    # ---- calendar ----

    def open_calendar(self) -> CalendarPopup:
        """Show the calendar under the field, on the day typed (or today)."""
        popup = self.popup or CalendarPopup(self)
        self.popup = popup
        popup.picked.connect(self._picked, Qt.ConnectionType.UniqueConnection)
        try:
            current = self.iso()
        except ValidationError:
            current = ""
        if current:
            day = date.fromisoformat(current[:10])
            popup.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        else:
            popup.calendar.setSelectedDate(QDate.currentDate())
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        popup.show()
        popup.calendar.setFocus()
        return popup

    def _picked(self, day: QDate) -> None:
        moment = ""
        try:
            current = self.iso()
        except ValidationError:
            current = ""
        picked = date(day.year(), day.month(), day.day()).isoformat()
        if self.with_time and len(current) > 10:
            moment = f"{picked}T{current[11:16]}"  # a new day keeps the time already there
        self.set_iso(moment or picked)
        self.setModified(True)
        self.editingFinished.emit()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier) or \
                event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        super().keyPressEvent(event)

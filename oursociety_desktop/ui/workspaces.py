"""The one registry of workspaces the main window shows: title, where the class lives, and its shortcut.

A new workspace (Exchange, Print, Import/Export...) is added here and nowhere else. Modules are imported when
the window is built, so a missing module is an error the developer sees, never silently skipped.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from oursociety_desktop.i18n import _


@dataclass(frozen=True)
class WorkspaceSpec:
    """One entry of the navigation: `key` names it in code (and in screenshot file names)."""

    key: str
    title: str  # untranslated; shown through `translated_title()`
    module: str
    class_name: str
    shortcut: str

    def translated_title(self) -> str:
        """The title in the user's language."""
        return _(self.title)

    def load(self) -> type[QWidget]:
        """Import and return the workspace class (raises ImportError / AttributeError if it is not there)."""
        module = importlib.import_module(self.module)
        cls = getattr(module, self.class_name)
        if not (isinstance(cls, type) and issubclass(cls, QWidget)):
            raise TypeError(f"{self.module}.{self.class_name} is not a QWidget subclass")
        return cls


def _noop(text: str) -> str:
    """Marks a title for translation (like QT_TRANSLATE_NOOP); it is translated when shown."""
    return text


WORKSPACES: tuple[WorkspaceSpec, ...] = (
    WorkspaceSpec("today", _noop("Today"),
                  "oursociety_desktop.ui.today.workspace", "TodayWorkspace", "Ctrl+1"),
    WorkspaceSpec("contacts", _noop("Contacts"),
                  "oursociety_desktop.ui.contacts.workspace", "ContactsWorkspace", "Ctrl+2"),
    WorkspaceSpec("groups", _noop("Groups"),
                  "oursociety_desktop.ui.groups.workspace", "GroupsWorkspace", "Ctrl+3"),
    WorkspaceSpec("actions", _noop("Actions"),
                  "oursociety_desktop.ui.actions.workspace", "ActionsWorkspace", "Ctrl+4"),
    WorkspaceSpec("connections", _noop("Connections"),
                  "oursociety_desktop.ui.connections.workspace", "ConnectionsWorkspace", "Ctrl+5"),
    WorkspaceSpec("exchange", _noop("Exchange"),
                  "oursociety_desktop.ui.exchange.workspace", "ExchangeWorkspace", "Ctrl+6"),
    WorkspaceSpec("print", _noop("Print"),
                  "oursociety_desktop.ui.printing.workspace", "PrintWorkspace", "Ctrl+7"),
    WorkspaceSpec("interop", _noop("Import & export"),
                  "oursociety_desktop.ui.interop.workspace", "InteropWorkspace", "Ctrl+8"),
    WorkspaceSpec("duplicates", _noop("Duplicates"),
                  "oursociety_desktop.ui.duplicates.workspace", "DuplicatesWorkspace", "Ctrl+9"),
    WorkspaceSpec("learning", _noop("Learning"),
                  "oursociety_desktop.ui.learning.workspace", "LearningWorkspace", "Ctrl+Shift+L"),
    WorkspaceSpec("offers", _noop("Offers & needs"),
                  "oursociety_desktop.ui.learning.offers_view", "OffersNeedsWorkspace", "Ctrl+Shift+O"),
    WorkspaceSpec("network", _noop("Network"),
                  "oursociety_desktop.ui.network.workspace", "NetworkWorkspace", "Ctrl+Shift+I"),
    WorkspaceSpec("hours", _noop("Time given"),
                  "oursociety_desktop.ui.hours.workspace", "HoursWorkspace", "Ctrl+Shift+H"),
)

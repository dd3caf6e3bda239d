"""Screenshots of the real app on a demo hub, taken under Xvfb: one per registered workspace at the window's
default size, the same at 1024x700 with Larger text (docs/screenshot-<name>-1024-larger.png), plus the contact
editor, the focus frame on the contacts list, adding a person, the keyboard shortcuts, settings, the first-run
dialog and the end of a vCard import, saved as docs/screenshot-<name>.png.

    .venv/bin/python scripts/screenshots.py [--out docs] [--contacts 2000] [--lang ur | --netbook]

Without a display it re-runs itself under `xvfb-run` (Debian package xvfb).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 800)  # the virtual screen; the window keeps its own default size
SMALL = (1024, 700)  # with Larger text
NETBOOK = (1024, 600)
DEFAULT = (1200, 760)  # the window's own size


def ensure_display() -> None:
    """Re-execute under xvfb-run when there is no X display."""
    if os.environ.get("DISPLAY") or os.environ.get("OURSOCIETY_SCREENSHOTS_CHILD"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        sys.exit("screenshots: no display and no xvfb-run; install the Debian package xvfb.")
    env = {**os.environ, "OURSOCIETY_SCREENSHOTS_CHILD": "1", "QT_QPA_PLATFORM": "xcb"}
    code = subprocess.call([xvfb, "-a", "-s", f"-screen 0 {SIZE[0]}x{SIZE[1]}x24", sys.executable, *sys.argv],
                           env=env)
    sys.exit(code)


def build_hub(folder: Path, contacts: int) -> None:
    """A demo hub, plus a few actions due soon (demo dates are fixed) and a contact with every field filled."""
    from sqlmodel import select

    from oursociety_desktop.models.actions import create_action, link_contact
    from oursociety_desktop.models.contacts import create_contact
    from oursociety_desktop.models.database import Database, set_setting
    from oursociety_desktop.models.demo import generate_demo
    from oursociety_desktop.models.groups import add_member
    from oursociety_desktop.models.tables import Group

    db = Database.create(folder, "Riverside Community Hub")
    with db.write() as tx:  # as chosen at first run: new people are listed in printouts
        set_setting(tx.session, "default_include_in_directory", True)
    generate_demo(db, contacts, seed=1)
    today = date.today()
    with db.write() as tx:
        layla = create_contact(tx, {
            "given_name": "ليلى", "family_name": "حداد", "organisation": "Women's Circle", "role": "coordinator",
            "engagement_stage": "leader",
            "phones": [{"label": "mobile", "value": "07700 900123"}, {"label": "home", "value": "0161 496 0777"}],
            "emails": [{"label": "home", "value": "layla.haddad@example.org"}],
            "street": "12 Mill Lane", "locality": "Manchester", "region": "Greater Manchester",
            "postcode": "M4 6AB", "country": "United Kingdom", "languages": ["Arabic", "English"],
            "tags": ["translation", "cooking", "youth work"], "notes": "Runs the Tuesday conversation club.",
            "private_notes": "Prefers a call after 6 pm.", "share_with_hubs": True, "include_in_directory": True,
            "do_not_mail": True, "consent_recorded_at": (today - timedelta(days=40)).isoformat(),
            "consent_method": "signed form",
        })
        for group in tx.session.exec(select(Group).where(Group.deleted == False).limit(2)).all():  # noqa: E712
            add_member(tx, group.id, layla.id, "coordinator")
        for days, title, kind in ((0, "Call the council about the hall booking", "call"),
                                  (2, "Tenants' forum", "meeting"), (3, "Follow up with new volunteers", "follow-up"),
                                  (6, "Street party planning", "event"), (9, "Print sign-in sheets", "task"),
                                  (12, "Monthly hub meeting", "meeting")):
            due = (today + timedelta(days=days)).isoformat()
            action = create_action(tx, {"title": title, "kind": kind, "due": due})
            link_contact(tx, action.id, layla.id, "owner")
    db.close()


def dark_palette() -> object:
    """A dark system palette, as a desktop in dark mode would give the app (the app sets no colours itself)."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#232427"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1b1c1e"), (QPalette.ColorRole.AlternateBase, "#26282b"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#303236"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#3d6fb4"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#303236"),
                         (QPalette.ColorRole.ToolTipText, "#e6e6e6"), (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
                         (QPalette.ColorRole.Mid, "#3a3c40"), (QPalette.ColorRole.Midlight, "#4a4c50"),
                         (QPalette.ColorRole.Dark, "#151617"), (QPalette.ColorRole.Light, "#505256")):
        palette.setColor(role, QColor(colour))
    return palette


def save(widget: object, path: Path) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    deadline = time.perf_counter() + 0.6
    while time.perf_counter() < deadline:
        QApplication.processEvents()
    screen = QGuiApplication.primaryScreen()
    image = screen.grabWindow(widget.winId()) if screen is not None else widget.grab()
    if image.isNull() or image.width() < 50:
        image = widget.grab()
    image.save(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Grażyna Wiśniewska
N:Wiśniewska;Grażyna;;;
EMAIL:grazyna@example.org
TEL;TYPE=cell:07700 900311
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Tomás Ó Briain
N:Ó Briain;Tomás;;;
END:VCARD
"""


def import_a_vcard(ctx: object, window: object, work: Path) -> object:
    """The import wizard's last page after a vCard import: what it did, Undo, and the backup to restore."""
    from PySide6.QtWidgets import QApplication

    from oursociety_desktop.ui.interop.import_wizard import ImportWizard

    vcf = work / "phone.vcf"
    vcf.write_text(VCARDS, encoding="utf-8")
    wizard = ImportWizard(ctx, window)  # type: ignore[arg-type]
    wizard.resize(640, 420)
    wizard.show()
    wizard.file_page.path_edit.setText(str(vcf))

    def wait_for(done: object) -> None:
        deadline = time.perf_counter() + 30
        while not done() and time.perf_counter() < deadline:  # type: ignore[operator]
            QApplication.processEvents()
            time.sleep(0.01)

    wizard.next()
    wait_for(lambda: wizard.currentPage() is wizard.preview_page and wizard.preview_page.isComplete())
    wizard.next()
    wizard.next()
    wait_for(wizard.result_page.isComplete)
    return wizard


def show_layla(window: object, db: object) -> object:
    """Contacts, with the contact whose every field is filled open in the editor."""
    from sqlmodel import text

    from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace

    contacts = window.show_workspace("contacts")  # type: ignore[attr-defined]
    assert isinstance(contacts, ContactsWorkspace)
    contacts.filters.search.setText("حداد")
    contacts.filters.emit_now()
    with db.read() as session:  # type: ignore[attr-defined]
        layla = session.exec(text(
            "SELECT id FROM contact WHERE given_name = 'ليلى' AND family_name = 'حداد'")).first()
    assert layla is not None
    contacts.select_contact(layla[0])
    return contacts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--lang", default="", help="only the main workspaces, in this language "
                        "(docs/screenshot-<workspace>-<lang>.png)")
    parser.add_argument("--netbook", action="store_true", help="only every workspace and the contact editor "
                        "at 1024x600 (docs/screenshot-<workspace>-1024x600.png)")
    args = parser.parse_args()
    ensure_display()
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from oursociety_desktop.models.consent import hub_consent_defaults
    from oursociety_desktop.models.database import Database
    from oursociety_desktop.ui.contacts.dialogs import NewContactDialog
    from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
    from oursociety_desktop.ui.first_run import FirstRunDialog
    from oursociety_desktop.ui.main import application, make_context
    from oursociety_desktop.ui.main_window import MainWindow
    from oursociety_desktop.ui.settings import SettingsDialog

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="oursociety-shots-"))
    folder = work / "OurSociety"
    build_hub(folder, args.contacts)
    app = application([])
    if args.lang:
        from oursociety_desktop.ui.translator import install_translators

        install_translators(app, args.lang)
    db = Database.open(folder)
    ctx = make_context(db)
    window = MainWindow(ctx, folder)
    ctx.runner.parent_widget = window
    window.move(0, 0)
    window.show()

    def fill_workspaces() -> None:
        """Something open in each editor, and a preview in Print, as an organiser would have them."""
        window.show_workspace("actions").view.selectRow(2)  # type: ignore[attr-defined]
        printing = window.show_workspace("print")
        printing.make_preview()  # type: ignore[attr-defined]
        deadline = time.perf_counter() + 30
        while ctx.runner.busy() and time.perf_counter() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)

    fill_workspaces()
    if args.lang:
        for key in ("today", "contacts", "groups", "actions", "print"):
            window.show_workspace(key)
            save(window, out / f"screenshot-{key}-{args.lang}.png")
        return
    if args.netbook:
        window.resize(*NETBOOK)
        for spec in window.specs:
            window.show_workspace(spec.key)
            save(window, out / f"screenshot-{spec.key}-1024x600.png")
        show_layla(window, db)
        save(window, out / "screenshot-contact-editor-1024x600.png")
        window.larger_text.trigger()
        window.resize(*SMALL)
        save(window, out / "screenshot-contact-editor-1024-larger.png")
        window.close()
        db.close()
        shutil.rmtree(work, ignore_errors=True)
        return
    for spec in window.specs:
        window.show_workspace(spec.key)
        save(window, out / f"screenshot-{spec.key}.png")
    window.resize(*SMALL)
    window.larger_text.trigger()
    for spec in window.specs:
        window.show_workspace(spec.key)
        save(window, out / f"screenshot-{spec.key}-1024-larger.png")
    window.larger_text.trigger()
    window.resize(*DEFAULT)
    contacts = show_layla(window, db)
    assert isinstance(contacts, ContactsWorkspace)
    save(window, out / "screenshot-contact-editor.png")
    contacts.editor.verticalScrollBar().setValue(contacts.editor.verticalScrollBar().maximum())
    save(window, out / "screenshot-contact-editor-consent.png")
    contacts.editor.verticalScrollBar().setValue(0)
    window.activateWindow()
    contacts.table.setFocus(Qt.FocusReason.TabFocusReason)  # the list with the keyboard focus is framed
    save(window, out / "screenshot-focus-frame.png")
    app.setPalette(dark_palette())  # what a system in dark mode hands the app
    save(window, out / "screenshot-contacts-dark.png")
    app.setPalette(app.style().standardPalette())
    person = NewContactDialog(lambda _values: None, hub_consent_defaults(db.setting), window)
    person.given.setText("Zofia")
    person.family.setText("Nowak")
    person.method.setCurrentIndex(person.method.findData("paper"))
    person.show()
    save(person, out / "screenshot-new-person.png")
    person.close()
    shortcuts = window.show_shortcuts()
    save(shortcuts, out / "screenshot-shortcuts.png")
    shortcuts.close()
    settings = SettingsDialog(ctx, folder, window)
    settings.show()
    save(settings, out / "screenshot-settings.png")
    settings.close()
    first = FirstRunDialog(work / "NewHub")
    first.show()
    save(first, out / "screenshot-first-run.png")
    first.close()
    save(import_a_vcard(ctx, window, work), out / "screenshot-import-done.png")
    window.close()
    app.processEvents()
    db.close()
    shutil.rmtree(work, ignore_errors=True)
    QApplication.quit()


if __name__ == "__main__":
    main()

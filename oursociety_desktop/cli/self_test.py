"""`oursociety --self-test`: prove that this copy of the program works, from source or from a standalone build.

In a temporary folder (the organiser's own hub is never touched): create a hub, add a person with a Welsh and
Polish name and find them by a search typed without accents, show the main window on the hub (headless unless
QT_QPA_PLATFORM says otherwise), print a directory with the bundled fonts and read it back through Qt's PDF
module, write a bundle and read it into a second hub. One line per step on stdout; exit 0, or 1 with a one-line
message on stderr naming the step that failed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from oursociety_desktop import __version__, i18n
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.errors import UserError

GIVEN, FAMILY = "Siân", "Łukasiewicz"
TYPED = "sian lukasiewicz"  # no accents, as people type: the search folds both names


def seconds_since_start() -> float | None:
    """How long ago this process started (Linux: from /proc, to 10 ms), so the time to the first window counts the
    standalone build's loader and the interpreter's start too. None where the system does not say."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        started_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, counted after the command's name
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return None


class SelfTest:
    """The steps, run in order on one temporary folder."""

    def __init__(self, root: Path) -> None:
        from oursociety_desktop.models.database import Database

        self.root = root
        self.db: Database | None = None
        self.contact_id = ""
        self.pdf = root / "directory.pdf"

    def catalogues(self) -> str:
        missing = [code for code in i18n.LANGUAGES if code != "en" and not i18n.has_catalogue(code)]
        if missing:
            raise UserError(_("The translations for {codes} are missing.").format(codes=", ".join(missing)))
        count = len(i18n.LANGUAGES) - 1
        return i18n.ngettext("the translations of {count} language are present",
                             "the translations of {count} languages are present", count).format(count=count)

    def hub(self) -> str:
        from oursociety_desktop.models.database import Database, set_setting

        self.db = Database.create(self.root / "hub", "Self-test Hub")
        with self.db.write() as tx:
            set_setting(tx.session, "default_share_with_hubs", True)
        return _("a temporary hub was created")

    def person(self) -> str:
        from oursociety_desktop.models.contacts import create_contact
        from oursociety_desktop.models.search import search_contact_ids

        assert self.db is not None
        with self.db.write() as tx:
            self.contact_id = create_contact(tx, {
                "given_name": GIVEN, "family_name": FAMILY, "share_with_hubs": True, "include_in_directory": True,
            }).id
        with self.db.read() as session:
            found = search_contact_ids(session.connection(), TYPED)
        if found != [self.contact_id]:
            raise UserError(_("A search for '{typed}' did not find the person just added.").format(typed=TYPED))
        return _("a person was added and found by a search for '{typed}'").format(typed=TYPED)

    def window(self) -> str:
        from oursociety_desktop.app import window_self_test

        assert self.db is not None
        rows, shown_at = window_self_test(self.db, self.root / "hub", self.contact_id)
        age = seconds_since_start()
        if age is not None:
            age -= time.monotonic() - shown_at
        if rows != 1:
            raise UserError(ngettext("The contacts list showed {rows} row instead of the one person.",
                                     "The contacts list showed {rows} rows instead of the one person.",
                                     rows).format(rows=rows))
        if age is None:
            return _("the main window opened and listed the person")
        return _("the main window opened and listed the person (first shown {seconds:.1f} s after the program "
                 "started)").format(seconds=age)

    def printed(self) -> str:
        from oursociety_desktop.app import pdf_text
        from oursociety_desktop.formats.pdf.options import PrintOptions
        from oursociety_desktop.formats.pdf.products import print_product

        assert self.db is not None
        result = print_product("directory", self.db, PrintOptions(), self.pdf)
        pages, text = pdf_text(self.pdf)
        if result.entries != 1 or pages != result.pages or FAMILY not in text:
            raise UserError(_("The printed directory does not read back with the person's name in it."))
        return i18n.ngettext("a directory of {pages} page was printed and read back",
                             "a directory of {pages} pages was printed and read back", pages).format(pages=pages)

    def bundle(self) -> str:
        from oursociety_desktop.models.database import Database
        from oursociety_desktop.models.search import search_contact_ids
        from oursociety_desktop.services.exchange import export_bundle, import_bundle

        assert self.db is not None
        path = self.root / "self-test.oursociety"
        export_bundle(self.db, path)
        with Database.create(self.root / "partner", "Self-test Partner") as partner:
            import_bundle(partner, path, backup=False, trust_new_hub=True)
            with partner.read() as session:
                found = search_contact_ids(session.connection(), TYPED)
        if found != [self.contact_id]:
            raise UserError(_("The bundle was written but the second hub did not receive the person."))
        return _("a bundle was written and read into a second hub")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def failure_line(number: int, total: int, problem: str) -> str:
    """The one line a failed self-test leaves on stderr."""
    return _("oursociety: the self-test failed at step {number} of {total}: {problem}").format(
        number=number, total=total, problem=problem)


def run_self_test() -> int:
    """Run every step; returns the exit code."""
    # Headless by default, so the check runs the same on a desktop, a server or CI; QT_QPA_PLATFORM=xcb (or
    # wayland, windows, cocoa) checks the system's own platform plug-in instead.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from oursociety_desktop.app import report_qt_failures

    started = time.perf_counter()
    print(_("Self-test of Our Society Desktop {version}").format(version=__version__), flush=True)
    with tempfile.TemporaryDirectory(prefix="oursociety-self-test-") as folder:
        test = SelfTest(Path(folder))
        steps: list[Callable[[], str]] = [test.catalogues, test.hub, test.person, test.window, test.printed,
                                          test.bundle]
        current = [0]

        def qt_fatal(problem: str) -> None:
            # Qt aborts the process right after a fatal message: say which step failed, and leave with 1 first.
            print(failure_line(current[0], len(steps), problem), file=sys.stderr, flush=True)
            shutil.rmtree(folder, ignore_errors=True)
            os._exit(1)

        report_qt_failures(qt_fatal)
        try:
            for number, step in enumerate(steps, start=1):
                current[0] = number
                try:
                    done = step()
                except UserError as exc:
                    problem = exc.message
                except Exception as exc:  # noqa: BLE001 - a broken build fails in any way: say which step
                    first_line = (str(exc).strip().splitlines() or [""])[0]
                    problem = f"{type(exc).__name__}: {first_line}"
                else:
                    print(_("{number}/{total} ok: {what}").format(number=number, total=len(steps), what=done),
                          flush=True)
                    continue
                print(failure_line(number, len(steps), problem), file=sys.stderr)
                return 1
        finally:
            test.close()
    print(_("Self-test passed in {seconds:.1f} s.").format(seconds=time.perf_counter() - started))
    return 0

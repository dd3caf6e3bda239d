"""The `oursociety` command: the same core as the app, scriptable.

Exit 0 on success, 1 on bad input (one line on stderr, never a traceback), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import oursociety_desktop.cli as _cli_package
from oursociety_desktop import __version__, i18n
from oursociety_desktop.cli.common import Command, PrintableOnly
from oursociety_desktop.i18n import _
from oursociety_desktop.models.atomic import append_private
from oursociety_desktop.models.errors import UserError, one_line
from oursociety_desktop.paths import data_dir, log_path


def command_modules() -> list[ModuleType]:
    """Every module of this package with a `register(subparsers)` function, in name order.

    An area (exchange, printing, vCard/CSV...) adds its commands by adding a module here; nothing else changes.
    Every module is imported to build the parser, whichever command runs (the window too): a module imports at its
    top only what `register` needs (the choices it offers come from light modules), and each command imports what
    only it needs when it runs, so no command starts by loading another's libraries (ReportLab, networkx, numpy...).
    """
    modules = []
    for info in sorted(pkgutil.iter_modules(_cli_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_cli_package.__name__}.{info.name}")
        if callable(getattr(module, "register", None)):
            modules.append(module)
    return modules


def top_level_parser(parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser,
                     add_help: bool = True) -> argparse.ArgumentParser:
    """The parser of the options that come before the command."""
    parser = parser_class(prog="oursociety", description=_("Our Society Desktop: a hub organiser."),
                          add_help=add_help)
    parser.add_argument("--data-dir", metavar="DIR", help=_("the hub's data folder (default: $OURSOCIETY_DATA_DIR, "
                                                          "else the user data folder)"))
    parser.add_argument("--lang", metavar="CODE", help=_("the language of messages and printed pages, e.g. cy, pl, "
                                                       "ur, bn, ar (default: $OURSOCIETY_LANG, else the system's)"))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help=_("check this copy of the program on a temporary hub (the window headless, a printed "
                               "page, a bundle) and exit 0 when it works; your own hub is not touched"))
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = top_level_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The language first: the help texts and argparse's own messages are built in it.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    i18n.install(i18n.choose_language(early.parse_known_args(args_list)[0].lang))
    print_version_first(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    folder = data_dir(args.data_dir)
    handler: Command | None = getattr(args, "handler", None)
    if args.self_test:  # a temporary hub of its own: the data folder is not used
        from oursociety_desktop.cli.self_test import run_self_test

        return run_self_test()
    if handler is None:
        from oursociety_desktop.app import run_app

        return run_app(folder, args.lang)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableOnly(sys.stdout), PrintableOnly(sys.stderr)
    try:
        return _run(handler, args, folder)
    finally:
        sys.stdout, sys.stderr = streams


def _run(handler: Command, args: argparse.Namespace, folder: Path) -> int:
    """The command, with every failure said in one line."""
    try:
        return handler(args, folder)
    except UserError as exc:
        print(_("oursociety: {message}").format(message=exc.message), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("oursociety: interrupted; nothing was changed by the unfinished step."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, details to the log
        where = _log_unexpected(folder)
        # One line whatever the exception says (a LayoutError's text holds line breaks and a whole paragraph), and
        # short enough that where the details are is never cut off
        detail = one_line(str(exc))
        detail = detail if len(detail) <= 200 else detail[:199] + "…"
        print(_("oursociety: unexpected error ({name__}: {exc}); details in {where}")
              .format(name__=type(exc).__name__, exc=detail, where=where), file=sys.stderr)
        return 1


class _NotTheVersion(Exception):
    """The arguments ask for something else before the version: the whole parser answers them."""


class _FirstLook(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheVersion(message)


class _HelpFirst(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        raise _NotTheVersion(option_string)


def print_version_first(args: Sequence[str]) -> None:
    """`oursociety --version` before any command: print the version and exit as the whole parser does, without
    registering the commands, whose modules (and the database layer under them) take most of a second to import.
    Anything else first (help, a mistake, a command and what follows it) returns, for the whole parser to answer."""
    look = top_level_parser(_FirstLook, add_help=False)
    look.add_argument("-h", "--help", nargs=0, action=_HelpFirst)
    look.add_argument("command", nargs=argparse.REMAINDER)  # everything from the command on is the command's
    try:
        look.parse_known_args(list(args))  # the --version action prints and exits when it is reached
    except _NotTheVersion:
        pass


def _log_unexpected(folder: Path) -> str:
    text = traceback.format_exc()
    target = log_path(folder) if folder.is_dir() else Path.home() / ".oursociety-error.log"
    try:
        append_private(target, text + "\n")
        return str(target)
    except OSError:
        return "(no log could be written)"

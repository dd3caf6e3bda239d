"""The command starts without the libraries of commands it is not running: building the parser (which `--help`,
`--version`, every command and the window go through) imports no PDF, drawing, matching or Qt library; only the
command that needs one imports it, when it runs. Each check is a fresh interpreter, since this one has them all."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from oursociety_desktop import __version__
from oursociety_desktop.cli import build_parser, print_version_first
from tests.cli_helpers import run

ROOT = Path(__file__).resolve().parents[2]
# What a few commands need and building the parser does not: ReportLab (print), networkx (network export),
# numpy and rapidfuzz (matches, duplicates, imports), Qt (the window).
HEAVY = ("reportlab", "networkx", "numpy", "rapidfuzz", "PySide6")

LOADED = """
import json, sys
from oursociety_desktop.cli import build_parser, main
try:
    {call}
except SystemExit:
    pass
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def loaded_after(call: str) -> set[str]:
    """The top-level packages in sys.modules of a fresh interpreter after `call` (its stdout's last line)."""
    proc = subprocess.run([sys.executable, "-c", LOADED.format(call=call)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def heavy_loaded(call: str) -> list[str]:
    """The HEAVY libraries loaded by `call` in a fresh interpreter."""
    return sorted(loaded_after(call) & set(HEAVY))


def test_building_the_parser_imports_no_command_library() -> None:
    assert heavy_loaded("build_parser()") == []


def test_version_and_help_import_no_command_library() -> None:
    assert heavy_loaded("main(['--version'])") == []
    assert heavy_loaded("main(['--help'])") == []


def test_a_command_imports_only_what_it_needs(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--data-dir", hub, "contact", "add", "--given", "Anna")[0] == 0
    for command in (["stats"], ["contact", "list"]):
        assert heavy_loaded(f"main({['--data-dir', str(hub), *command]!r})") == [], command
    # The check can fail: a command that needs a library has it.
    assert heavy_loaded(f"main({['--data-dir', str(hub), 'duplicates']!r})") == ["rapidfuzz"]


def test_the_version_is_answered_before_the_database_layer_is_imported() -> None:
    assert not loaded_after("main(['--version'])") & {"sqlalchemy", "sqlmodel", *HEAVY}
    # The check can fail: anything that needs the commands registers them, and they import the database layer.
    assert {"sqlalchemy", "sqlmodel"} <= loaded_after("main(['--help'])")


def answer(parse: Callable[[list[str]], object], args: list[str]) -> tuple[object, str] | None:
    """(exit code, stdout) when `parse` exits (the version, help or a usage error), else None."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            parse(args)
        except SystemExit as exc:
            return exc.code, out.getvalue()
    return None


@pytest.mark.parametrize("args", [
    ["--version"], ["--lang", "cy", "--version"], ["--data-dir", "/tmp/x", "--version"], ["--data-dir=x", "--vers"],
    ["--version", "-h"], ["--bogus", "--version"], ["--self-test", "--version"], ["--version", "stats"],
    ["-h", "--version"], ["--he", "--version"], ["--data-dir", "--version"], ["--lang", "--version"],
    ["stats", "--version"], ["--", "--version"], ["--version=3"], ["nonsense", "--version"],
    ["vcard", "export", "x.vcf", "--version", "4.0"], [],
])
def test_the_early_version_answers_only_when_the_whole_parser_prints_the_version(args: list[str]) -> None:
    whole = answer(build_parser().parse_args, args)
    early = answer(print_version_first, args)
    version = (0, f"oursociety {__version__}\n")
    if early is not None:
        assert early == whole == version
    else:
        assert whole != version

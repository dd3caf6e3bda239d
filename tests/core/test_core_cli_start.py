"""The command starts without the libraries of commands it is not running: building the parser (which `--help`,
`--version`, every command and the window go through) imports no PDF, drawing, matching or Qt library; only the
command that needs one imports it, when it runs. Each check is a fresh interpreter, since this one has them all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


def heavy_loaded(call: str) -> list[str]:
    """The HEAVY libraries in sys.modules of a fresh interpreter after `call` (its stdout's last line)."""
    proc = subprocess.run([sys.executable, "-c", LOADED.format(call=call)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout.splitlines()[-1]))
    return sorted(loaded & set(HEAVY))


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

"""Fixtures of the core tests: a hub made by the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run


@pytest.fixture
def hub(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A hub made with `oursociety init` (closed), named Riverside Hub."""
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "init", "--hub-name", "Riverside Hub")
    assert code == 0 and "Riverside Hub" in out
    return data_dir

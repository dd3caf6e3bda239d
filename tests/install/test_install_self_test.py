"""`oursociety --self-test` from source, as a real process: every step passes on a working install, and a broken
Qt (no platform plug-in to be had, as in a build that left it out) ends in one line and exit 1, not an abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STEPS = 6


def self_test(env_extra: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "oursociety_desktop", "--self-test"], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def test_the_self_test_passes_from_source_and_touches_no_hub(tmp_path: Path) -> None:
    own_hub = tmp_path / "own-hub"
    proc = self_test({"OURSOCIETY_DATA_DIR": str(own_hub), "OURSOCIETY_LANG": "en"}, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Self-test of Our Society Desktop")
    assert [line.split(" ", 1)[0] for line in lines[1:1 + STEPS]] == [f"{n}/{STEPS}" for n in range(1, STEPS + 1)]
    assert all(" ok: " in line for line in lines[1:1 + STEPS])
    assert "found by a search for 'sian lukasiewicz'" in lines[3]
    assert "main window opened and listed the person" in lines[4]
    assert lines[-1].startswith("Self-test passed in ")
    assert proc.stderr == ""
    assert not own_hub.exists()  # the organiser's own data folder is never touched


def test_the_self_test_speaks_the_chosen_language(tmp_path: Path) -> None:
    proc = self_test({"OURSOCIETY_LANG": "cy"}, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Self-test of Our Society Desktop" not in proc.stdout  # the Welsh catalogue answered


def test_a_qt_without_its_platform_plugin_fails_in_one_line(tmp_path: Path) -> None:
    proc = self_test({"QT_QPA_PLATFORM": "no-such-platform", "OURSOCIETY_LANG": "en"}, tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith(f"oursociety: the self-test failed at step 4 of {STEPS}: Qt: ")
    assert "platform plugin" in proc.stderr
    assert "4/6 ok" not in proc.stdout

"""The Linux desktop integration: the desktop entry and AppStream metadata pass the freedesktop.org validators
(Debian's desktop-file-utils and appstream), the icons are the sizes their folders say, the build's share/ layout
is as the icon theme specification places it, and install-desktop-entry.sh points the menu at the build folder."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"

_spec = importlib.util.spec_from_file_location("linux_share", ROOT / "packaging" / "linux_share.py")
assert _spec is not None and _spec.loader is not None
linux_share = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(linux_share)
APP_ID, ICON_SIZES, install_share = linux_share.APP_ID, linux_share.ICON_SIZES, linux_share.install_share

needs_desktop_file_utils = pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                                              reason="Debian's desktop-file-utils is not installed")
needs_appstream = pytest.mark.skipif(shutil.which("appstreamcli") is None,
                                     reason="Debian's appstream is not installed")


def validate_desktop_entry(path: Path) -> None:
    proc = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")


@needs_desktop_file_utils
def test_the_desktop_entry_is_valid() -> None:
    validate_desktop_entry(LINUX / f"{APP_ID}.desktop")


@needs_appstream
def test_the_appstream_metadata_is_valid() -> None:
    proc = subprocess.run(["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "W:" not in proc.stdout and "E:" not in proc.stdout, proc.stdout


def test_the_entry_and_the_metadata_name_the_same_app() -> None:
    entry = (LINUX / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in entry and "Exec=oursociety\n" in entry
    assert f"<id>{APP_ID}</id>" in metainfo and f"<launchable type=\"desktop-id\">{APP_ID}.desktop<" in metainfo
    from oursociety_desktop import __version__

    assert f'<release version="{__version__}"' in metainfo


def test_each_icon_is_drawn_at_its_size() -> None:
    for size in ICON_SIZES:
        image = QImage(str(ROOT / "oursociety_desktop" / "resources" / "icons" / f"oursociety-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # drawn, not an empty square
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner stays transparent


@needs_desktop_file_utils
def test_the_build_folder_installs_into_the_menu(tmp_path: Path) -> None:
    build = tmp_path / "Our Society 0.1"  # a space, as a folder copied from a stick may have
    written = install_share(build)
    share = build / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert len(written) == len(ICON_SIZES) + 4

    data = tmp_path / "xdg-data"
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    proc = subprocess.run(["sh", str(build / "install-desktop-entry.sh")], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    installed = data / "applications" / f"{APP_ID}.desktop"
    lines = installed.read_text(encoding="utf-8").splitlines()
    assert f'Exec="{build}/oursociety"' in lines and f"TryExec={build}/oursociety" in lines
    validate_desktop_entry(installed)
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()

    proc = subprocess.run(["sh", str(build / "install-desktop-entry.sh"), "--remove"], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert not installed.exists()
    assert not (data / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").exists()


def test_the_window_carries_the_icon(qapp: object) -> None:
    from oursociety_desktop.ui.main import application

    app = application(["oursociety"])
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    assert sizes == set(ICON_SIZES)
    assert app.desktopFileName() == APP_ID

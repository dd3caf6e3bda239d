"""Lay out the Linux desktop integration inside a build folder, as the freedesktop.org specifications place it:

    share/applications/org.oursociety.Desktop.desktop
    share/icons/hicolor/<n>x<n>/apps/org.oursociety.Desktop.png  (16 to 256) and scalable/apps/....svg
    share/metainfo/org.oursociety.Desktop.metainfo.xml
    install-desktop-entry.sh   (copies them into ~/.local/share, pointing the entry at this folder)

Called by packaging/oursociety.spec after the build, and by the tests on a folder of their own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

APP_ID = "org.oursociety.Desktop"
HERE = Path(__file__).resolve().parent
ICONS = HERE.parent / "oursociety_desktop" / "resources" / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def install_share(folder: Path) -> list[Path]:
    """Copy the desktop entry, icons and AppStream metadata into `folder`; returns the files written."""
    share = folder / "share"
    targets = {
        HERE / "linux" / f"{APP_ID}.desktop": share / "applications" / f"{APP_ID}.desktop",
        HERE / "linux" / f"{APP_ID}.metainfo.xml": share / "metainfo" / f"{APP_ID}.metainfo.xml",
        ICONS / "oursociety.svg": share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        HERE / "linux" / "install-desktop-entry.sh": folder / "install-desktop-entry.sh",
    }
    for size in ICON_SIZES:
        targets[ICONS / f"oursociety-{size}.png"] = (share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
                                                      / f"{APP_ID}.png")
    for source, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return list(targets.values())

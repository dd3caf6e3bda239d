"""Render the app's SVG icon to the PNG sizes desktops and the window use, and to the Windows .ico and macOS .icns
the standalone builds take (packaging/icons/), with Qt's own SVG renderer and image writers (offline, no Inkscape
or librsvg needed). Run after changing the SVG, then commit what it wrote:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "oursociety_desktop" / "resources" / "icons"
BUILD_ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, out: Path, image_format: str = "PNG") -> None:
    """Draw `svg` on a transparent square of `size` pixels and save it (PNG, ICO or ICNS)."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), image_format):
        raise SystemExit(f"render_icons: could not write {out}")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICONS / "oursociety.svg"
    for size in SIZES:
        render(svg, size, ICONS / f"oursociety-{size}.png")
    BUILD_ICONS.mkdir(exist_ok=True)
    render(svg, 256, BUILD_ICONS / "oursociety.ico", "ICO")
    render(svg, 512, BUILD_ICONS / "oursociety.icns", "ICNS")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

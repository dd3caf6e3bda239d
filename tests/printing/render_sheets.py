"""Print every product from the every-script hub and render each page to PNG, pages side by side per product:
the sheets kept in docs/ (print-scripts-*.png) to be looked at.

    .venv/bin/python -m tests.printing.render_sheets docs/ [--dpi 60] [--demo]

With --demo, also the first page of each product printed from the 2,000-contact demo hub (docs/print-*.png).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from oursociety_desktop.formats.pdf.options import CONTACT_FIELDS, PrintOptions  # noqa: E402
from oursociety_desktop.formats.pdf.products import print_product  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from tests.printing.scripts_hub import HUB_NAME, build_scripts_hub  # noqa: E402

SHEETS: list[tuple[str, str, dict[str, object]]] = [
    ("directory", "directory", {"fields": CONTACT_FIELDS}),
    ("directory-large", "directory", {"large_print": True}),
    ("directory-by-group", "directory", {"by_group": True}),
    ("group", "group", {"group": "everyone"}),
    ("group-large", "group", {"group": "everyone", "large_print": True}),
    ("signin", "signin", {"action": "meeting"}),
    ("labels-L7160", "labels", {"label_format": "L7160"}),
    ("labels-L7160-large", "labels", {"label_format": "L7160", "large_print": True}),
    ("labels-L7161-large", "labels", {"label_format": "L7161", "large_print": True}),
    ("labels-5160", "labels", {"label_format": "5160", "paper": "letter"}),
    ("actions", "actions", {}),
    ("actions-large", "actions", {"large_print": True}),
    ("calls", "calls", {}),
    ("calls-large", "calls", {"large_print": True}),
]


def side_by_side(pages: list[Path], target: Path) -> None:
    """The pages in a row, each framed by a grey line (Pillow comes with ReportLab)."""
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in pages]
    sheet = Image.new("RGB", (sum(i.width + 4 for i in images), max(i.height for i in images) + 4), "#888888")
    x = 2
    for image in images:
        sheet.paste(image, (x, 2))
        x += image.width + 4
    sheet.save(target, optimize=True)


def render(out_dir: Path, dpi: int) -> list[Path]:
    """Write docs/print-scripts-<sheet>.png for every sheet; returns the PNGs."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database.create(folder / "hub", HUB_NAME)
        hub = build_scripts_hub(db)
        for sheet, product, extra in SHEETS:
            values: dict[str, object] = {"paper": "a4", "today": date(2026, 3, 10), **extra}
            if values.get("group") == "everyone":
                values["group"] = hub.group_ids["everyone"]
            if values.get("action") == "meeting":
                values["action"] = hub.meeting_id
            pdf = folder / f"{sheet}.pdf"
            print_product(product, db, PrintOptions(**values), pdf)  # type: ignore[arg-type]
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / sheet)], check=True)
            pages = sorted(folder.glob(f"{sheet}-*.png"))
            target = out_dir / f"print-scripts-{sheet}.png"
            side_by_side(pages, target)
            written.append(target)
        db.close()
    return written


DEMO_SHEETS: list[tuple[str, str, dict[str, object]]] = [
    ("directory", "directory", {}), ("directory-large", "directory", {"large_print": True}),
    ("group", "group", {"group": "first"}), ("signin", "signin", {"group": "first"}),
    ("labels", "labels", {}), ("actions", "actions", {}), ("calls", "calls", {}),
]


def render_demo(out_dir: Path, dpi: int) -> list[Path]:
    """Write docs/print-<product>.png: the first page of each product from the demo hub."""
    from sqlmodel import col, select

    from oursociety_desktop.models.demo import generate_demo
    from oursociety_desktop.models.tables import Group

    written = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database.create(folder / "hub", "Leeds Community Hub")
        generate_demo(db, 2000, today=date(2026, 3, 10))
        with db.read() as session:
            first = session.exec(select(Group).where(col(Group.deleted).is_(False)).order_by(col(Group.name))).first()
        for sheet, product, extra in DEMO_SHEETS:
            values: dict[str, object] = {"paper": "a4", "today": date(2026, 3, 10), **extra}
            if values.get("group") == "first" and first is not None:
                values["group"] = first.id
            pdf = folder / f"{sheet}.pdf"
            print_product(product, db, PrintOptions(**values), pdf)  # type: ignore[arg-type]
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(out_dir / f"print-{sheet}")], check=True)
            written.append(out_dir / f"print-{sheet}.png")
        db.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    for path in render(args.out_dir, args.dpi) + (render_demo(args.out_dir, args.dpi) if args.demo else []):
        print(path)


if __name__ == "__main__":
    main()

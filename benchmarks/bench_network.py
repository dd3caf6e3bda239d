"""Network benchmark (issue 18): the network of introductions of the 100,000-contact hub (10,000 connections) read
and laid out (the work done off the GUI thread), beside the same run's baseline of plain sqlite3 SELECTs of the same
rows; then one frame of the drawing painted by Qt (the whole network, and zoomed in with names), against 50 ms (20
frames a second while panning and zooming), with an empty scene's frame of the same size named beside it.

    python -m benchmarks.bench_network [--contacts 100000] [--hub DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from benchmarks.common import Row, build_hub, measure, print_table
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.network import layout_network, read_network

FRAME = (1280, 800)


def plain_select(hub: Path) -> float:
    """Seconds to SELECT the live connections and the rows of the people in them, with sqlite3 alone."""
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    start = time.perf_counter()
    rows = conn.execute("SELECT contact_a, contact_b, kind, introduced_by FROM connection WHERE deleted = 0").fetchall()
    ids = sorted({x for r in rows for x in (r[0], r[1], r[3]) if x})
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        conn.execute(f"SELECT id, display_name, given_name, family_name, origin_hub FROM contact "  # noqa: S608
                     f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(hub: Path, runs: int = 3) -> list[Row]:
    """Measure reading, laying out and painting the network of an existing hub."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication, QGraphicsScene

    import oursociety_desktop.ui  # noqa: F401  (the PySide6 refcount guard, before any Qt call)
    from oursociety_desktop.ui.network.scene import NetworkItem

    db = Database.open(hub)
    found: list[tuple[int, int]] = []

    def read_and_lay_out() -> None:
        with db.read() as session:
            graph = read_network(session, db.hub_id)
        found.append((len(graph.people), graph.connection_count))
        layout_network(graph)

    median, low, high, _ = measure(read_and_lay_out, runs)
    with db.read() as session:
        graph = read_network(session, db.hub_id)
    positions = layout_network(graph)
    db.close()
    baseline = min(plain_select(hub) for _ in range(runs))

    app = QApplication.instance() or QApplication([])
    del app
    image = QImage(FRAME[0], FRAME[1], QImage.Format.Format_ARGB32_Premultiplied)
    empty = QGraphicsScene()
    scene = QGraphicsScene()
    item = NetworkItem(graph, positions)
    scene.addItem(item)
    whole = item.boundingRect()
    corner = QRectF(whole.left(), whole.top(), FRAME[0] / 1.5, FRAME[1] / 1.5)  # zoomed in: names drawn

    def frame(target: QGraphicsScene, source: QRectF) -> None:
        painter = QPainter(image)
        target.render(painter, QRectF(0, 0, *FRAME), source)
        painter.end()

    empty_frame = measure(lambda: frame(empty, whole), 5)[0]
    whole_frame = measure(lambda: frame(scene, whole), 5)
    zoomed_frame = measure(lambda: frame(scene, corner), 5)
    people, connections = found[-1]
    return [
        Row(f"network read and laid out ({people:,} people, {connections:,} connections)", median, low, high,
            baseline, "off the GUI thread", runs=runs),
        Row(f"network: one frame of the whole drawing painted (an empty scene's frame: {empty_frame * 1000:.1f} ms)",
            whole_frame[0], whole_frame[1], whole_frame[2], None, "≤ 50 ms", runs=5),
        Row("network: one frame zoomed in, names drawn", zoomed_frame[0], zoomed_frame[1], zoomed_frame[2],
            None, "≤ 50 ms", runs=5),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--hub", type=Path, help="use an existing demo hub instead of building one")
    args = parser.parse_args()
    hub = args.hub or build_hub(args.contacts)[0]
    print_table("Network (baseline: plain sqlite3 SELECTs of the same rows; an empty scene's frame)", run(hub))


if __name__ == "__main__":
    main()

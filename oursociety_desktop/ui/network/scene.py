"""The network drawn with Qt: one graphics item paints every person and line, and a view pans and zooms it.

One item instead of one per person: 20,000 items cost seconds to build on the GUI thread, while one item builds
its point lists once (per colour) and lets Qt draw them in C++. Names are drawn only when zoomed in far enough to
read them, and only for the people in view.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from oursociety_desktop.models.network import (
    EDGE_INTRODUCER,
    PALETTE,
    NetworkGraph,
    NetworkPerson,
    Position,
    colour_keys,
    colour_of,
)

UNIT = 60.0  # scene pixels per layout unit
NODE_PX = 9  # a person's dot, on screen, whatever the zoom
LABEL_ZOOM = 0.9  # names appear from this zoom on
DASH_ZOOM = 0.5
MAX_LABELS = 600
PICK_PX = 8  # how near (on screen) a click or hover must be to a person
ZOOM_STEP = 1.25
MAX_FIT_ZOOM = 1.5


class NetworkItem(QGraphicsItem):
    """Every person and line of a laid-out network."""

    def __init__(self, graph: NetworkGraph, positions: Mapping[str, Position], by: str = "group") -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.graph = graph
        self.ids = [pid for pid in graph.people if pid in positions]
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        xy = np.array([positions[pid] for pid in self.ids], dtype=float).reshape(-1, 2) * UNIT
        self.xs, self.ys = xy[:, 0], xy[:, 1]
        self.highlighted: list[str] = []
        self.selected = ""
        self._lines: dict[str, list[QLineF]] = {"connection": [], EDGE_INTRODUCER: []}
        pull = np.zeros(len(self.ids))  # where a person's neighbours lie: > 0 mostly to the right
        for edge in graph.edges:
            a, b = self.index.get(edge.a), self.index.get(edge.b)
            if a is not None and b is not None:
                self._lines[edge.role].append(QLineF(self.xs[a], self.ys[a], self.xs[b], self.ys[b]))
                pull[a] += self.xs[b] - self.xs[a]
                pull[b] += self.xs[a] - self.xs[b]
        # A name goes on the side away from the person's lines, so it does not run over their neighbours.
        self.label_left = pull > 1e-6
        # One path per kind of line: Qt strokes a path of 15,000 segments in half the time of a list of lines.
        self._paths: dict[str, QPainterPath] = {}
        for role, lines in self._lines.items():
            path = QPainterPath()
            for line in lines:
                path.moveTo(line.p1())
                path.lineTo(line.p2())
            self._paths[role] = path
        if self.ids:
            self._bounds = QRectF(float(self.xs.min()), float(self.ys.min()), float(np.ptp(self.xs)),
                                  float(np.ptp(self.ys))).adjusted(-UNIT, -UNIT, UNIT * 4, UNIT)
        else:
            self._bounds = QRectF(0, 0, UNIT, UNIT)
        self.set_colour_by(by)

    def set_colour_by(self, by: str) -> None:
        """Colour people by their group or their hub."""
        self.by = by
        keys = colour_keys(self.graph, by)
        self.colours = [colour_of(self.graph.people[pid], by, keys) for pid in self.ids]
        polygons: list[list[QPointF]] = [[] for _ in PALETTE]
        for i, colour in enumerate(self.colours):
            polygons[colour].append(QPointF(self.xs[i], self.ys[i]))
        self._points = [QPolygonF(points) for points in polygons]
        self.update()

    def person(self, pid: str) -> NetworkPerson:
        """The person drawn with this id."""
        return self.graph.people[pid]

    def position(self, pid: str) -> QPointF:
        """Where a person is drawn, in scene coordinates."""
        i = self.index[pid]
        return QPointF(self.xs[i], self.ys[i])

    def nearest(self, point: QPointF, within: float) -> str:
        """The person nearest a scene point, if one is within `within` scene units; else ""."""
        if not self.ids:
            return ""
        distance = (self.xs - point.x()) ** 2 + (self.ys - point.y()) ** 2
        i = int(np.argmin(distance))
        return self.ids[i] if distance[i] <= within * within else ""

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        zoom = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, zoom > 0.3)
        # Introducers' lines are dashed once zoomed in enough to see it (dashing 10,000 tiny lines costs a frame).
        dashed = Qt.PenStyle.DashLine if zoom >= DASH_ZOOM else Qt.PenStyle.SolidLine
        for role, colour, style in ((EDGE_INTRODUCER, QColor("#A8A8A8"), dashed),
                                    ("connection", QColor("#505050"), Qt.PenStyle.SolidLine)):
            pen = QPen(colour, 1.0, style)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._paths[role])
        for hex_colour, points in zip(PALETTE, self._points, strict=True):
            pen = QPen(QColor(hex_colour), NODE_PX, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPoints(points)
        ring = QPen(QColor("#D00000"), 3.0)
        ring.setCosmetic(True)
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = NODE_PX / max(zoom, 1e-6)
        for pid in [*self.highlighted, *([self.selected] if self.selected else [])]:
            if pid in self.index:
                painter.drawEllipse(self.position(pid), radius, radius)
        if zoom >= LABEL_ZOOM:
            self._paint_labels(painter, option.exposedRect, zoom)

    def _paint_labels(self, painter: QPainter, exposed: QRectF, zoom: float) -> None:
        inside = np.nonzero((self.xs >= exposed.left()) & (self.xs <= exposed.right())
                            & (self.ys >= exposed.top()) & (self.ys <= exposed.bottom()))[0]
        if len(inside) > MAX_LABELS:
            return
        painter.setPen(QColor("#000000"))
        font = painter.font()
        font.setPointSizeF(max(1.0, 9.0 / zoom))
        painter.setFont(font)
        offset = (NODE_PX * 0.8) / zoom
        metrics = QFontMetricsF(font)
        for i in inside:
            label = self.graph.people[self.ids[i]].label
            x = self.xs[i] - offset - metrics.horizontalAdvance(label) if self.label_left[i] else self.xs[i] + offset
            painter.drawText(QPointF(x, self.ys[i] + offset * 0.5), label)


class NetworkView(QGraphicsView):
    """Pans with the mouse (drag) or the arrow keys, zooms with the wheel or + and -, 0 fits everything;
    hovering shows who a dot is, a click selects them."""

    person_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item: NetworkItem | None = None
        self.auto_fit = True  # until the user zooms or pans, resizing keeps the whole network in view
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setBackgroundBrush(QColor("#FFFFFF"))
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def show_network(self, item: NetworkItem) -> None:
        """Replace the drawing."""
        self.scene().clear()
        self.item = item
        self.scene().addItem(item)
        # Room around the drawing, so any person (even one at an edge) can be brought to the middle.
        bounds = item.boundingRect()
        room = max(bounds.width(), bounds.height(), 2000.0)
        self.scene().setSceneRect(bounds.adjusted(-room, -room, room, room))
        if self.auto_fit:
            self.fit()

    def zoom(self) -> float:
        """The current scale (1.0: one scene pixel per screen pixel)."""
        return float(self.transform().m11())

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, within sensible limits."""
        target = self.zoom() * factor
        self.auto_fit = False
        if 0.002 <= target <= 40:
            self.scale(factor, factor)

    def fit(self) -> None:
        """Show the whole network."""
        self.auto_fit = True
        if self.item is None:
            return
        bounds = self.item.boundingRect()
        self.fitInView(bounds, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > MAX_FIT_ZOOM:  # a handful of people: not blown up to fill the screen
            self.resetTransform()
            self.scale(MAX_FIT_ZOOM, MAX_FIT_ZOOM)
            self.centerOn(bounds.center())

    def focus_on(self, pid: str, zoom: float = 1.5) -> None:
        """Centre on a person, zoomed in enough to read names."""
        if self.item is None or pid not in self.item.index:
            return
        self.auto_fit = False
        self.resetTransform()
        self.scale(zoom, zoom)
        self.centerOn(self.item.position(pid))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def _pick(self, event: QMouseEvent) -> str:
        if self.item is None:
            return ""
        return self.item.nearest(self.mapToScene(event.position().toPoint()), PICK_PX / max(self.zoom(), 1e-6))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        pid = self._pick(event)
        if pid and self.item is not None:
            person = self.item.person(pid)
            details = ", ".join(part for part in (person.group, person.hub) if part)
            QToolTip.showText(event.globalPosition().toPoint(),
                              f"{person.label} ({details})" if details else person.label, self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pid = self._pick(event)
        if pid:
            self.person_clicked.emit(pid)
        else:
            self.auto_fit = False  # a drag to pan starts here
        super().mousePressEvent(event)

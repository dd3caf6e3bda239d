"""The Network workspace: who introduced whom, drawn (pan, zoom, search, colour by group or hub, export as PNG
or PDF), and the hubs known with what each has shared.

Reading and laying out run on a background thread (a few seconds for 10,000 connections); the window stays
interactive and shows the drawing when it is ready. Exporting runs on the task runner, with Cancel.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats.network_drawing import LEGEND_OTHER, export_network, legend
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.hub_summary import HubSummary, hub_summaries
from oursociety_desktop.models.network import NetworkGraph, Position, layout_network, read_network
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.ui.background import read_in_background
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning import describe_inputs
from oursociety_desktop.ui.network.hubs_model import COL_HUB, COL_LESSONS, HubTableModel
from oursociety_desktop.ui.network.scene import NetworkItem, NetworkView
from oursociety_desktop.ui.widgets.edits import MessageLine
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.widgets.tab_order import tab_in_order
from oursociety_desktop.ui.widgets.tables import record_table, size_columns
from oursociety_desktop.ui.wording import plural


@dataclass(frozen=True)
class NetworkRead:
    """What the workspace shows, read and laid out in one go off the GUI thread."""

    graph: NetworkGraph
    positions: dict[str, Position]
    hubs: list[HubSummary]


def read_network_view(db: Database) -> NetworkRead:
    """The network as this hub's window shows it (everyone named), laid out, and the hubs' summary."""
    with db.read() as session:
        graph = read_network(session, db.hub_id)
        hubs = hub_summaries(session, db.hub_id)
    return NetworkRead(graph, layout_network(graph), hubs)


def export_task(progress: Progress, db: Database, out: Path, by: str) -> int:
    """`export_network` in a worker."""
    return export_network(db, out, by=by, progress=progress)


class NetworkWorkspace(RefreshWhenShown, QWidget):
    """The network drawn, and the hubs it spans."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"connection", "contact", "membership", "group"})
    TITLE: ClassVar[str] = QCoreApplication.translate("NetworkWorkspace", "Network")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: NetworkRead | None = None
        self.reads = 0  # answers delivered (tests wait on it)
        self._found: list[str] = []
        self._found_at = -1
        self._build()
        ctx.events.changed.connect(self.on_data_changed)
        self.refresh()
        describe_inputs(self, self.tr("the Network workspace"))

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a person, a group or a hub… (Enter: next)"))
        self.search.setAccessibleName(self.tr("Find in the network"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.search_people())
        self.search.returnPressed.connect(self.find_next)
        self.colour_by = QComboBox(self)
        self.colour_by.addItem(self.tr("group"), "group")
        self.colour_by.addItem(self.tr("hub"), "hub")
        self.colour_by.setAccessibleName(self.tr("Colour people by"))
        self.colour_by.currentIndexChanged.connect(lambda _i: self._recolour())
        caption = QLabel(self.tr("&Colour by:"), self)
        caption.setBuddy(self.colour_by)
        self.zoom_in = QPushButton(self.tr("Zoom &in"), self)
        self.zoom_in.setToolTip(self.tr("Zoom in (+ on the drawing; or the mouse wheel)"))
        self.zoom_out = QPushButton(self.tr("Zoom &out"), self)
        self.zoom_out.setToolTip(self.tr("Zoom out (- on the drawing)"))
        self.fit_button = QPushButton(self.tr("&Whole network"), self)
        self.fit_button.setToolTip(self.tr("Show everything (0 on the drawing)"))
        self.png_button = QPushButton(self.tr("Export &PNG…"), self)
        self.pdf_button = QPushButton(self.tr("Export P&DF…"), self)
        for button in (self.png_button, self.pdf_button):
            button.setToolTip(self.tr("People who did not agree to appear in printed lists are shown as a member "
                                      "of their hub"))
        self.count_label = QLabel(self)
        self.view = NetworkView(self)
        self.view.setAccessibleName(self.tr("Network of introductions"))
        self.view.setAccessibleDescription(self.tr("Drag to move, + and - to zoom, 0 for the whole network; the "
                                                   "Hubs tab lists the same network as text"))
        self.view.person_clicked.connect(self.select_person)
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1.25))
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(0.8))
        self.fit_button.clicked.connect(self.view.fit)
        self.png_button.clicked.connect(lambda: self._ask_and_export(".png"))
        self.pdf_button.clicked.connect(lambda: self._ask_and_export(".pdf"))
        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName(self.tr("What the colours mean"))
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setAccessibleName(self.tr("Selected person"))
        self.hubs_model = HubTableModel(self)
        self.hubs_view = record_table(self, self.hubs_model, self.tr("Hubs known"), COL_HUB)
        self.message = MessageLine(self)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(caption)
        bar.addWidget(self.colour_by)
        for button in (self.zoom_in, self.zoom_out, self.fit_button, self.png_button, self.pdf_button):
            bar.addWidget(button)
        drawing = QWidget(self)
        drawing_layout = QVBoxLayout(drawing)
        drawing_layout.setContentsMargins(0, 0, 0, 0)
        drawing_layout.addLayout(bar)
        drawing_layout.addWidget(self.view, 1)
        drawing_layout.addWidget(self.legend)
        drawing_layout.addWidget(self.info)
        self.hubs_note = QLabel(self.tr("Every hub this one knows: for this hub, what it holds and how much of it "
                                        "may be shared; for the others, what reached this hub from them."), self)
        self.hubs_note.setWordWrap(True)
        hubs = QWidget(self)
        hubs_layout = QVBoxLayout(hubs)
        hubs_layout.setContentsMargins(0, 0, 0, 0)
        hubs_layout.addWidget(self.hubs_note)
        hubs_layout.addWidget(self.hubs_view, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(drawing, self.tr("Who introduced whom"))
        self.tabs.addTab(hubs, self.tr("Hubs"))
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        tab_in_order(self.tabs.tabBar(), self.search, self.colour_by, self.zoom_in, self.zoom_out, self.fit_button,
                     self.png_button, self.pdf_button, self.view)
        self.fit_columns()

    def fit_columns(self) -> None:
        """The hubs list's widths in characters of the current text size."""
        size_columns(self.hubs_view, {column: 30 if column == COL_HUB else 22 if column <= COL_LESSONS else 14
                                      for column in range(self.hubs_model.columnCount())})

    # ---- reading ----

    def refresh(self) -> None:
        """Read and lay out the network again, off the GUI thread; the old drawing stays until the new one is
        ready."""
        self._stale = False
        self.count_label.setText(self.tr("Reading the network…"))
        db = self.ctx.db
        read_in_background(self, lambda: read_network_view(db), NetworkWorkspace._show_read, "network-read")

    def _show_read(self, read: NetworkRead) -> None:
        self.loaded = read
        before = self.view.item
        item = NetworkItem(read.graph, read.positions, self.colour_by.currentData())
        if before is not None:  # a fresh read keeps what was found and chosen, and the view where it was
            self._found = [pid for pid in self._found if pid in item.index]
            self._found_at = min(self._found_at, len(self._found) - 1)
            item.highlighted = self._found
            item.selected = before.selected if before.selected in item.index else ""
        self.view.show_network(item)
        self.hubs_model.set_hubs(read.hubs)
        self._show_legend()
        self.count_label.setText(", ".join((
            plural(len(read.graph.people), "{n} person", "{n} people"),
            plural(read.graph.connection_count, "{n} connection", "{n} connections"),
            plural(len(read.hubs), "{n} hub", "{n} hubs"))))
        if not read.graph.people:
            self.info.setText(self.tr("No connections yet: record who introduced whom in Connections, or accept a "
                                      "suggested introduction in Offers & needs."))
        self.reads += 1

    def _recolour(self) -> None:
        if self.view.item is not None:
            self.view.item.set_colour_by(self.colour_by.currentData())
        self._show_legend()

    def _show_legend(self) -> None:
        if self.loaded is None or not self.loaded.graph.people:
            self.legend.clear()
            return
        by = self.colour_by.currentData()
        other = self.tr("other or none")
        entries = [f'<span style="color:{colour}">\u25CF</span>&nbsp;'
                   f'{html.escape(other if label == LEGEND_OTHER else label)}&nbsp;({count:,})'
                   for label, colour, count in legend(self.loaded.graph, by)]
        self.legend.setText("&nbsp;&nbsp; ".join(entries))

    # ---- finding and selecting ----

    def search_people(self) -> None:
        """Ring everyone the search words match, and go to the first."""
        item = self.view.item
        if item is None:
            return
        self._found = item.graph.find(self.search.text()) if self.search.text().strip() else []
        item.highlighted = self._found
        item.update()
        self._found_at = -1
        if self._found:
            self.find_next()
        elif self.search.text().strip():
            item.selected = ""  # the ring of a person an earlier word found would say the opposite of the line below
            self.info.setText(self.tr("Nobody in the network matches “{0}”.").format(self.search.text()))

    def find_next(self) -> None:
        """Go to the next person the search found."""
        if not self._found:
            return
        self._found_at = (self._found_at + 1) % len(self._found)
        self.select_person(self._found[self._found_at])

    def select_person(self, pid: str) -> None:
        """Centre on a person and say who they are and how many lines they have."""
        item = self.view.item
        if item is None or pid not in item.index:
            return
        item.selected = pid
        item.update()
        self.view.focus_on(pid)
        person = item.person(pid)
        lines = sum(1 for e in item.graph.edges if pid in (e.a, e.b))
        where = ", ".join(part for part in (person.group, person.hub) if part)
        found = (self.tr(" ({0} of {1} found)").format(self._found_at + 1, len(self._found))
                 if pid in self._found else "")
        self.info.setText(self.tr("{0} — {1}; {2}{3}").format(
            person.label, where or self.tr("no group"),
            plural(lines, "{n} line in the network", "{n} lines in the network"), found))

    # ---- export ----

    def _ask_and_export(self, suffix: str) -> None:
        kind = "PNG" if suffix == ".png" else "PDF"
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the network as {0}").format(kind), str(Path.home() / f"network{suffix}"),
            self.tr("{0} files (*{1})").format(kind, suffix))
        if name:
            self.export_to(Path(name) if Path(name).suffix else Path(name + suffix))

    def export_to(self, out: Path) -> None:
        """Draw the network to a PNG or PDF file in a worker (consent rules of drawings that leave the hub)."""
        self.message.clear_message()
        self.ctx.runner.run(export_task, self.ctx.db, out, self.colour_by.currentData(),
                            title=self.tr("Drawing the network"),
                            on_done=lambda drawn: self._exported(out, drawn), on_error=self.message.show_error)

    def _exported(self, out: Path, drawn: Any) -> None:
        self.info.setText(plural(int(drawn), "Drew {n} person to {path}", "Drew {n} people to {path}", path=out))

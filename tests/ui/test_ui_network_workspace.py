"""The Network workspace, driven as a user would (real widgets offscreen, a real hub): the drawing arrives from a
background read, search rings and centres people, zoom and pan, colours, a click selects, export writes real
files, and the Hubs tab lists what each hub shared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.connections import create_connection
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.network.hubs_model import COL_HUB, COL_PEOPLE
from oursociety_desktop.ui.network.workspace import NetworkWorkspace


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    with db.write() as tx:
        made = {key: create_contact(tx, {"given_name": given, "family_name": family,
                                         "include_in_directory": key != "pia"}).id
                for key, given, family in (("nina", "Nina", "Okafor"), ("ola", "Ola", "Nowak"),
                                           ("pia", "Pia", "Private"), ("zoe", "Zoe", "Adams"))}
        create_connection(tx, {"contact_a": made["ola"], "contact_b": made["pia"], "kind": "introduced",
                               "introduced_by": made["nina"]})
    return made


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> Iterator[NetworkWorkspace]:
    widget = NetworkWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.reads >= 1, timeout=10_000)
    yield widget


def test_the_drawing_arrives_from_a_background_read_and_updates_after_an_edit(
        qtbot: QtBot, ws: NetworkWorkspace, ctx: AppContext, db: Database, people: dict[str, str]) -> None:
    assert ws.view.item is not None
    assert set(ws.view.item.ids) == {people["nina"], people["ola"], people["pia"]}
    assert "3 people, 1 connection, 1 hub" in ws.count_label.text()
    with db.write() as tx:
        create_connection(tx, {"contact_a": people["zoe"], "contact_b": people["nina"], "kind": "knows"})
    ctx.events.announce("connection")
    qtbot.waitUntil(lambda: ws.reads >= 2, timeout=10_000)
    assert people["zoe"] in ws.view.item.ids
    assert "4 people, 2 connections" in ws.count_label.text()


def test_search_rings_and_centres_each_match_in_turn(qtbot: QtBot, ws: NetworkWorkspace,
                                                     people: dict[str, str]) -> None:
    item = ws.view.item
    assert item is not None
    qtbot.keyClicks(ws.search, "a")  # every name here has an "a"
    assert set(item.highlighted) == {people["nina"], people["ola"], people["pia"]}
    ws.search.clear()
    qtbot.keyClicks(ws.search, "okafor")
    assert item.highlighted == [people["nina"]] and item.selected == people["nina"]
    assert "Nina Okafor" in ws.info.text() and "2 lines in the network" in ws.info.text()
    centre = ws.view.mapToScene(ws.view.viewport().rect().center())
    target = item.position(people["nina"])
    assert abs(centre.x() - target.x()) < 5 and abs(centre.y() - target.y()) < 5
    ws.search.clear()
    qtbot.keyClicks(ws.search, "nobody-like-this")
    assert item.highlighted == [] and "Nobody in the network matches" in ws.info.text()
    ws.search.clear()
    qtbot.keyClicks(ws.search, "okaforx")  # "okafor" found Nina on the way: no ring is left on her
    assert item.highlighted == [] and item.selected == ""


def test_zoom_pan_keys_and_a_click_on_a_person(qtbot: QtBot, ws: NetworkWorkspace, people: dict[str, str]) -> None:
    before = ws.view.zoom()
    qtbot.mouseClick(ws.zoom_in, Qt.MouseButton.LeftButton)
    assert ws.view.zoom() == pytest.approx(before * 1.25)
    ws.view.setFocus()
    QTest.keyClick(ws.view, Qt.Key.Key_Minus)
    assert ws.view.zoom() == pytest.approx(before)
    QTest.keyClick(ws.view, Qt.Key.Key_Plus)
    QTest.keyClick(ws.view, Qt.Key.Key_Plus)
    assert ws.view.zoom() == pytest.approx(before * 1.25 * 1.25)
    QTest.keyClick(ws.view, Qt.Key.Key_0)  # the whole network again
    assert ws.view.zoom() == pytest.approx(before, rel=0.1)
    item = ws.view.item
    assert item is not None
    spot: QPoint = ws.view.mapFromScene(item.position(people["ola"]))
    QTest.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    assert item.selected == people["ola"] and "Ola Nowak" in ws.info.text()
    ws.colour_by.setCurrentIndex(ws.colour_by.findData("hub"))
    assert item.by == "hub"


def test_export_writes_png_and_pdf_with_consent_and_refuses_a_bad_name(
        ws: NetworkWorkspace, tmp_path: Path) -> None:
    ws.export_to(tmp_path / "net.pdf")
    text = PdfReader(tmp_path / "net.pdf").pages[0].extract_text()
    assert "Nina Okafor" in text and "a member of Test Hub" in text and "Pia" not in text
    assert "Drew 3 people" in ws.info.text()
    ws.export_to(tmp_path / "net.png")
    assert (tmp_path / "net.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ws.export_to(tmp_path / "net.gif")
    assert "PNG or PDF" in ws.message.text() and not (tmp_path / "net.gif").exists()


def test_the_hubs_tab_lists_this_hub_with_what_it_may_share(ws: NetworkWorkspace) -> None:
    model = ws.hubs_model
    assert model.rowCount() == 1
    assert model.data(model.index(0, COL_HUB)) == "Test Hub (this hub)"
    assert model.data(model.index(0, COL_PEOPLE)).startswith("4 (")


def test_the_legend_says_what_the_colours_mean(ws: NetworkWorkspace) -> None:
    assert "other or none" in ws.legend.text() and "(3)" in ws.legend.text()  # nobody is in a group yet
    ws.colour_by.setCurrentIndex(ws.colour_by.findData("hub"))
    assert "Test Hub&nbsp;(3)" in ws.legend.text()


def test_a_fresh_read_keeps_what_was_found_and_where_the_view_is(
        qtbot: QtBot, ws: NetworkWorkspace, ctx: AppContext, people: dict[str, str]) -> None:
    qtbot.keyClicks(ws.search, "okafor")
    centre = ws.view.mapToScene(ws.view.viewport().rect().center())
    ctx.events.announce("contact")
    qtbot.waitUntil(lambda: ws.reads >= 2, timeout=10_000)
    item = ws.view.item
    assert item is not None
    assert item.highlighted == [people["nina"]] and item.selected == people["nina"]
    after = ws.view.mapToScene(ws.view.viewport().rect().center())
    assert abs(after.x() - centre.x()) < 1 and abs(after.y() - centre.y()) < 1

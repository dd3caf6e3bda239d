"""The network drawn: the graph read from real connections (consent for drawings that leave the hub), its
layout, the PNG and PDF files (`network export`), and the per-hub summary of what each hub shared."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from oursociety_desktop.cli import main
from oursociety_desktop.models.connections import create_connection
from oursociety_desktop.models.contacts import delete_contact, forget_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.hours import add_hours
from oursociety_desktop.models.hub_summary import hub_summaries
from oursociety_desktop.models.lessons import create_lesson
from oursociety_desktop.models.network import EDGE_INTRODUCER, colour_keys, layout_network, read_network
from oursociety_desktop.services.exchange import export_bundle, import_bundle
from tests.learning.learning_helpers import need, new_hub, offer, person


def connect(db: Database, a: str, b: str, by: str = "", kind: str = "introduced") -> str:
    with db.write() as tx:
        return create_connection(tx, {"contact_a": a, "contact_b": b, "kind": kind, "introduced_by": by}).id


@pytest.fixture
def hub(tmp_path: Path) -> Database:
    db = new_hub(tmp_path, "Hulme Hub")
    return db


def small_network(db: Database) -> dict[str, str]:
    people = {
        "nina": person(db, "Nina", "Okafor", include_in_directory=True),
        "ola": person(db, "Ola", "Nowak", include_in_directory=True),
        "pia": person(db, "Pia", "Private", include_in_directory=False),
        "zoe": person(db, "Ζωή", "Παπαδοπούλου", include_in_directory=True),
        "ali": person(db, "علي", "", include_in_directory=True),
        "lone": person(db, "Lone", "Nobody"),
    }
    connect(db, people["ola"], people["pia"], by=people["nina"])
    connect(db, people["zoe"], people["ali"], kind="knows")
    return people


def test_the_graph_holds_connections_and_introducers_and_names_only_with_consent_outside(hub: Database) -> None:
    p = small_network(hub)
    with hub.read() as session:
        inside = read_network(session, hub.hub_id)
        outside = read_network(session, hub.hub_id, outside=True)
    assert set(inside.people) == {p["nina"], p["ola"], p["pia"], p["zoe"], p["ali"]}  # Lone has no connection
    assert inside.connection_count == 2
    introducer_lines = {(e.a, e.b) for e in inside.edges if e.role == EDGE_INTRODUCER}
    assert introducer_lines == {(p["nina"], p["ola"]), (p["nina"], p["pia"])}
    assert inside.people[p["pia"]].label == "Pia Private"  # the hub's own window names everyone
    assert outside.people[p["pia"]].label == "a member of Hulme Hub" and not outside.people[p["pia"]].named
    assert outside.people[p["nina"]].label == "Nina Okafor"
    assert inside.find("παπαδοπουλου") == [p["zoe"]]  # folded: no accent typed
    assert inside.find("hulme okafor") == [p["nina"]]


def test_deleted_and_erased_people_leave_the_drawing_with_their_lines(hub: Database) -> None:
    p = small_network(hub)
    with hub.write() as tx:
        delete_contact(tx, p["ali"])
        forget_contact(tx, p["pia"], "erasure requested")
    with hub.read() as session:
        graph = read_network(session, hub.hub_id)
    assert p["ali"] not in graph.people and p["pia"] not in graph.people
    assert graph.connection_count == 0
    assert all(p["pia"] not in (e.a, e.b) for e in graph.edges)


def test_the_layout_places_everyone_apart_and_is_the_same_each_time(hub: Database) -> None:
    p = small_network(hub)
    ids = [person(hub, f"P{i}") for i in range(30)]
    for i in range(1, 30):  # one bigger cluster (a chain with a hub), laid out by a spring layout
        connect(hub, ids[0] if i % 3 == 0 else ids[i - 1], ids[i], kind="knows")
    with hub.read() as session:
        graph = read_network(session, hub.hub_id)
    first = layout_network(graph)
    assert layout_network(graph) == first
    assert set(first) == set(graph.people)
    points = sorted(first.values())
    assert all(points[i] != points[i + 1] for i in range(len(points) - 1))
    # Separate clusters do not overlap: Zoe and Ali stay nearer each other than to anyone of the big cluster.
    zx, zy = first[p["zoe"]]
    ax, ay = first[p["ali"]]
    pair = (zx - ax) ** 2 + (zy - ay) ** 2
    assert all((zx - first[i][0]) ** 2 + (zy - first[i][1]) ** 2 > pair for i in ids)


def test_colours_go_to_the_most_common_groups_and_the_rest_share_one(hub: Database) -> None:
    small_network(hub)
    with hub.read() as session:
        graph = read_network(session, hub.hub_id)
    keys = colour_keys(graph, "hub")
    assert keys["Hulme Hub"] == 0 and "(other)" in keys


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def table_dump(folder: Path) -> str:
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    try:
        return "\n".join(str(r) for t in ("contact", "connection") for r in conn.execute(f"SELECT * FROM {t}"))
    finally:
        conn.close()


def test_network_export_draws_a_pdf_and_a_png_naming_only_those_who_agreed(
        hub: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_network(hub)
    folder = hub.path.parent
    hub.close()
    pdf, png = tmp_path / "network.pdf", tmp_path / "network.png"
    code, out, err = run(capsys, "--data-dir", str(folder), "network", "export", str(pdf))
    assert code == 0, err
    assert "Drew 5 people" in out
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Network of introductions: 5 people, 2 connections" in text
    assert "Nina Okafor" in text and "Ola Nowak" in text and "Παπαδοπούλου" in text
    assert "a member of Hulme Hub" in text and "Pia" not in text
    assert "Contains personal data" in text and "Page 1 of 1" in text
    code, _out, err = run(capsys, "--data-dir", str(folder), "network", "export", str(png), "--by", "hub")
    assert code == 0, err
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 1000
        colours = {colour for _count, colour in image.convert("RGB").getcolors(1_000_000) or []}
    assert (0x00, 0x72, 0xB2) in colours  # the first palette colour: everyone is of this hub


def test_network_export_refuses_bad_input_in_one_line_and_writes_nothing(
        hub: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_network(hub)
    folder = hub.path.parent
    hub.close()
    before = table_dump(folder)
    code, _out, err = run(capsys, "--data-dir", str(folder), "network", "export", str(tmp_path / "network.svg"))
    assert code == 1 and err.count("\n") == 1 and "PNG or PDF" in err
    code, _out, err = run(capsys, "--data-dir", str(folder), "network", "export",
                          str(tmp_path / "missing" / "network.png"))
    assert code == 1 and err.count("\n") == 1 and "does not exist" in err
    assert not list(tmp_path.glob("network.*")) and not (tmp_path / "missing").exists()
    assert table_dump(folder) == before


def test_an_empty_network_draws_a_page_that_says_so(hub: Database, tmp_path: Path) -> None:
    from oursociety_desktop.formats.network_drawing import export_network

    assert export_network(hub, tmp_path / "empty.pdf") == 0
    text = PdfReader(tmp_path / "empty.pdf").pages[0].extract_text()
    assert "No connections yet" in text


def send(source: Database, target: Database, folder: Path) -> None:
    path = folder / f"{source.hub_name}-{len(list(folder.glob('*.oursociety')))}.oursociety"
    export_bundle(source, path)
    import_bundle(target, path, backup=False, trust_new_hub=True)


def test_the_hub_summary_counts_what_each_hub_shared_and_the_last_exchange(tmp_path: Path) -> None:
    hulme, moss = new_hub(tmp_path, "Hulme"), new_hub(tmp_path, "Moss Side")
    nina = person(hulme, "Nina", "Okafor")
    person(hulme, "Pia", "Private", share_with_hubs=False)
    offer(hulme, nina, "Bike repair on Saturdays")
    need(hulme, nina, "A van for moving")
    with hulme.write() as tx:
        create_lesson(tx, {"title": "Tea first", "share_with_hubs": True})
        create_lesson(tx, {"title": "Our own notes", "share_with_hubs": False})
        add_hours(tx, {"contact_id": nina, "hours": 3, "date": "2026-05-02"})
    person(moss, "Ola", "Nowak")
    send(hulme, moss, tmp_path)

    with hulme.read() as session:
        [mine] = hub_summaries(session, hulme.hub_id)
    assert (mine.name, mine.is_this_hub, mine.people, mine.people_shared, mine.lessons, mine.lessons_shared) == \
        ("Hulme", True, 2, 1, 2, 1)
    assert (mine.offers, mine.needs, mine.hours_given) == (1, 1, 3.0)

    with moss.read() as session:
        here, there = hub_summaries(session, moss.hub_id)
    assert here.name == "Moss Side" and here.is_this_hub and here.people == 1
    assert there.name == "Hulme" and not there.is_this_hub
    assert (there.people, there.lessons, there.offers, there.needs, there.hours_given) == (1, 1, 1, 1, 3.0)
    assert there.last_received and there.last_exchange == there.last_received and there.last_sent == ""
    send(moss, hulme, tmp_path)
    with hulme.read() as session:
        _mine, seen = hub_summaries(session, hulme.hub_id)
    assert seen.name == "Moss Side" and seen.people == 1 and seen.last_received


def test_the_layout_stops_when_cancel_is_pressed_and_goes_on_when_progress_says_nothing(hub: Database) -> None:
    from oursociety_desktop.models.errors import Cancelled

    small_network(hub)
    with hub.read() as session:
        graph = read_network(session, hub.hub_id)
    with pytest.raises(Cancelled):
        layout_network(graph, progress=lambda _percent, _message: False)
    assert set(layout_network(graph, progress=lambda _percent, _message: None)) == set(graph.people)


def test_an_arabic_name_in_the_png_reads_right_to_left_joined() -> None:
    # With Pillow's own shaping (libraqm, in its wheels) the name was joined and reordered twice: it came out
    # backwards, letter by letter. Drawn the way the PNG draws a label, it must match Pillow's shaping of the name
    # as typed.
    from PIL import ImageChops, ImageDraw, ImageFont, features

    from oursociety_desktop.formats import network_drawing

    if not features.check("raqm"):
        pytest.skip("this Pillow has no libraqm: the name is joined and reordered by arabic_reshaper and python-bidi")
    name = "عائشة حسين"

    def drawn(text: str, font: ImageFont.FreeTypeFont) -> Image.Image:
        image = Image.new("L", (400, 60), 255)
        ImageDraw.Draw(image).text((10, 10), text, fill=0, font=font)
        return image

    ours = drawn(network_drawing._visual(name), network_drawing._pil_font(name, 24))
    font_file = network_drawing._pil_font(name, 24).path
    reference = drawn(name, ImageFont.truetype(font_file, 24, layout_engine=ImageFont.Layout.RAQM))
    assert ImageChops.difference(ours, reference).getbbox() is None
    assert ours.getbbox() is not None  # something was drawn

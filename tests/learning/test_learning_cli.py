"""The learning network's command line: lesson add/list/show, offer add, need add, matches (and accept),
hours add and totals; bad input says what is wrong in one line, exits 1 and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import run


def dump(folder: Path) -> str:
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    try:
        return "\n".join(str(r) for t in ("lesson", "lesson_person", "offer", "need", "hours", "hours_total",
                                          "connection", "action", "match_decision")
                         for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1"))  # noqa: S608
    finally:
        conn.close()


@pytest.fixture
def hub(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, "--data-dir", str(data_dir), "init", "--hub-name", "Hulme Hub")[0] == 0
    return data_dir


def add(capsys: pytest.CaptureFixture[str], hub: Path, *args: str) -> str:
    code, out, err = run(capsys, "--data-dir", str(hub), *args)
    assert code == 0, err
    return out.strip()


def test_lessons_from_the_command_line(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nina = add(capsys, hub, "contact", "add", "--given", "Nina", "--family", "Łukasiewicz", "--share")
    add(capsys, hub, "group", "add", "Repair Café")
    lesson = add(capsys, hub, "lesson", "add", "Saturday mornings work best", "--kind", "story", "--challenge",
                 "Few people came on weekday evenings", "--worked", "Moving to Saturday, with tea",
                 "--theme", "Bike repair", "--person", nina, "--group", "Repair Café", "--share",
                 "--date", "2026-04-11")
    add(capsys, hub, "lesson", "add", "Γιώργος taught us to ask first", "--theme", "listening")
    code, out, _ = run(capsys, "--data-dir", str(hub), "lesson", "list", "--search", "weekday")
    assert code == 0 and lesson[:8] in out and "Saturday mornings" in out and "Γιώργος" not in out
    code, out, _ = run(capsys, "--data-dir", str(hub), "lesson", "list", "--search", "γιωργος", "--json")
    assert [x["title"] for x in json.loads(out)] == ["Γιώργος taught us to ask first"]
    code, out, _ = run(capsys, "--data-dir", str(hub), "lesson", "list", "--theme", "bike repair", "--json")
    assert [x["id"] for x in json.loads(out)] == [lesson]
    code, out, _ = run(capsys, "--data-dir", str(hub), "lesson", "show", lesson, "--json")
    shown = json.loads(out)
    assert shown["kind"] == "story" and shown["themes"] == ["bike repair"] and shown["people"] == ["Nina Łukasiewicz"]
    assert shown["hub"] == "Hulme Hub" and shown["share_with_hubs"] is True


def test_offers_needs_matches_and_accept(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann = add(capsys, hub, "contact", "add", "--given", "Ann")
    ray = add(capsys, hub, "contact", "add", "--given", "Ray")
    bea = add(capsys, hub, "contact", "add", "--given", "Bea")
    offer = add(capsys, hub, "offer", "add", ray, "Bike repair at my shed", "--theme", "cycling",
                "--locality", "Hulme")
    need = add(capsys, hub, "need", "add", ann, "My bike needs a repair", "--locality", "Hulme")
    code, out, _ = run(capsys, "--data-dir", str(hub), "matches", "--json")
    [suggestion] = json.loads(out)
    assert suggestion["need"] == need and suggestion["offer"] == offer
    assert suggestion["reasons"] == ["both mention bike repair", "both in Hulme"]
    connection = add(capsys, hub, "matches", "accept", need, offer, "--broker", bea)
    assert len(connection) == 36
    code, out, _ = run(capsys, "--data-dir", str(hub), "matches", "--json")
    assert json.loads(out) == []


def test_hours_add_and_totals(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann = add(capsys, hub, "contact", "add", "--given", "Ann")
    add(capsys, hub, "group", "add", "Garden")
    add(capsys, hub, "hours", "add", ann, "2.5", "--group", "Garden", "--date", "2026-03-04")
    add(capsys, hub, "hours", "add", ann, "3", "--date", "2026-04-01", "--pledged")
    code, out, _ = run(capsys, "--data-dir", str(hub), "hours", "--by", "month", "--json")
    assert json.loads(out) == [{"month": "2026-03", "given": 2.5, "pledged": 0.0},
                               {"month": "2026-04", "given": 0.0, "pledged": 3.0}]
    code, out, _ = run(capsys, "--data-dir", str(hub), "hours", "--by", "group", "--json")
    assert {"group": "Garden", "given": 2.5, "pledged": 0.0} in json.loads(out)


@pytest.mark.parametrize("bad", [
    ("lesson", "add", ""),
    ("lesson", "add", "Title", "--date", "someday"),
    ("lesson", "add", "Title", "--person", "no-such-person"),
    ("lesson", "add", "Title", "--group", "No Such Group"),
    ("offer", "add", "no-such-person", "Carpentry"),
    ("need", "add", "CONTACT", ""),
    ("need", "add", "CONTACT", "Help", "--kind", "magic"),
    ("hours", "add", "CONTACT", "-2"),
    ("hours", "add", "CONTACT", "lots"),
    ("hours", "add", "CONTACT", "2", "--date", "2026-13-40"),
    ("hours", "--year", "26"),
    ("matches", "accept", "no-need", "no-offer"),
])
def test_bad_input_is_one_line_exit_1_and_changes_nothing(hub: Path, capsys: pytest.CaptureFixture[str],
                                                          bad: tuple[str, ...]) -> None:
    ann = add(capsys, hub, "contact", "add", "--given", "Ann")
    add(capsys, hub, "hours", "add", ann, "1", "--date", "2026-01-01")
    before = dump(hub)
    code, out, err = run(capsys, "--data-dir", str(hub), *[ann if a == "CONTACT" else a for a in bad])
    assert code == 1 and err.startswith("oursociety: ") and err.count("\n") == 1, err
    assert dump(hub) == before

"""One command-line grammar: groups, actions and connections have the same verbs as contacts (add, show --json,
edit --set, delete, list --search --json), built on the core functions the window uses; bad input changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import file_digest, run


def cli(capsys: pytest.CaptureFixture[str], hub: Path, *args: str) -> str:
    code, out, err = run(capsys, "--data-dir", str(hub), *args)
    assert code == 0, err
    return out


def test_every_field_of_an_action_can_be_set_shown_listed_and_deleted(hub: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    action = cli(capsys, hub, "action", "add", "Planning meeting", "--set", "location=Community Hall",
                 "--set", "starts_at=2026-12-03T18:00", "--set", "ends_at=2026-12-03T19:30").strip()
    assert cli(capsys, hub, "action", "edit", action, "--set", "status=done", "--set", "outcome=Agreed a date") \
        == f"Updated Planning meeting ({action}).\n"
    shown = json.loads(cli(capsys, hub, "action", "show", action, "--json"))
    assert {k: shown[k] for k in ("title", "location", "starts_at", "ends_at", "status", "outcome")} == {
        "title": "Planning meeting", "location": "Community Hall", "starts_at": "2026-12-03T18:00",
        "ends_at": "2026-12-03T19:30", "status": "done", "outcome": "Agreed a date"}
    assert [a["id"] for a in json.loads(cli(capsys, hub, "action", "list", "--search", "PLAN", "--json"))] \
        == [action]
    assert json.loads(cli(capsys, hub, "action", "list", "--search", "budget", "--json")) == []
    cli(capsys, hub, "action", "delete", action)
    assert json.loads(cli(capsys, hub, "action", "list", "--json")) == []


def test_groups_and_connections_follow_the_same_grammar(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    group = cli(capsys, hub, "group", "add", "Tuesday Lunch Club", "--description", "Soup and talk").strip()
    cli(capsys, hub, "group", "edit", group, "--set", "name=Wednesday Lunch Club")
    assert json.loads(cli(capsys, hub, "group", "show", group, "--json"))["name"] == "Wednesday Lunch Club"
    assert [g["name"] for g in json.loads(cli(capsys, hub, "group", "list", "--search", "wednesday", "--json"))] \
        == ["Wednesday Lunch Club"]
    lucja = cli(capsys, hub, "contact", "add", "--given", "Łucja", "--family", "Nowak").strip()
    omar = cli(capsys, hub, "contact", "add", "--given", "Omar", "--family", "Haddad").strip()
    link = cli(capsys, hub, "connection", "add", lucja, omar, "--kind", "knows", "--date", "2026-11-02").strip()
    # Names in any script are matched without regard to case ("ŁUCJA" finds Łucja).
    listed = json.loads(cli(capsys, hub, "connection", "list", "--search", "ŁUCJA", "--json"))
    assert [(c["id"], c["label"], c["date"]) for c in listed] == [(link, "Łucja Nowak — Omar Haddad", "2026-11-02")]
    assert cli(capsys, hub, "connection", "edit", link, "--set", "note=Met at the market") \
        == f"Updated Łucja Nowak — Omar Haddad ({link}).\n"
    cli(capsys, hub, "connection", "delete", link)
    cli(capsys, hub, "group", "delete", group)
    assert json.loads(cli(capsys, hub, "connection", "list", "--json")) == []
    assert json.loads(cli(capsys, hub, "group", "list", "--json")) == []


@pytest.mark.parametrize(("args", "message"), [
    (("action", "edit", "{action}", "--set", "bogus=1"), "Unknown action field 'bogus'; fields are: title,"),
    (("action", "edit", "{action}", "--set", "deleted=1"), "Unknown action field 'deleted'"),
    (("action", "edit", "{action}", "--set", "status"), "--set takes FIELD=VALUE, not 'status'."),
    (("action", "add", "Second", "--set", "merged_into=x"), "Unknown action field 'merged_into'"),
    (("group", "edit", "no-such-id", "--set", "name=X"), "No group with id 'no-such-id'."),
    (("connection", "delete", "no-such-id"), "No connection with id 'no-such-id'."),
    (("action", "list", "--limit", "0"), "--limit takes a positive number."),
    (("connection", "add", "a", "b", "--set", "note=x"), "Give note with --note, not with --set."),
    (("action", "add", "Call", "--group", "x", "--set", "group_id=y"), "Give group_id with --group, not with --set."),
])
def test_bad_input_is_one_line_and_changes_nothing(hub: Path, capsys: pytest.CaptureFixture[str],
                                                   args: tuple[str, ...], message: str) -> None:
    action = cli(capsys, hub, "action", "add", "Planning meeting").strip()
    before = file_digest(hub)
    code, out, err = run(capsys, "--data-dir", str(hub), *(a.format(action=action) for a in args))
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1
    assert file_digest(hub) == before


@pytest.mark.parametrize(("change", "message"), [
    ("contact_a={omar}", "A connection needs two different people."),
    ("contact_b=", "A connection needs two people."),
    ("introduced_by={lucja}", "The person who made the introduction must be someone else."),
])
def test_an_edit_keeps_a_connection_between_two_people(hub: Path, capsys: pytest.CaptureFixture[str], change: str,
                                                        message: str) -> None:
    lucja = cli(capsys, hub, "contact", "add", "--given", "Łucja").strip()
    omar = cli(capsys, hub, "contact", "add", "--given", "Omar").strip()
    link = cli(capsys, hub, "connection", "add", lucja, omar, "--kind", "knows").strip()
    before = file_digest(hub)
    code, _out, err = run(capsys, "--data-dir", str(hub), "connection", "edit", link, "--set",
                          change.format(lucja=lucja, omar=omar))
    assert code == 1 and message in err
    assert file_digest(hub) == before

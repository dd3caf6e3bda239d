"""Contact files in the shapes real tools write (fixtures/field-cases/, one file per kind of fault), each imported
with its exact expected values: by the command line (a real run, a dry run and --json agreeing, warnings shown)
and through the app's import wizard."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from oursociety_desktop.formats import csv_write
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.tables import Contact, Group, Membership
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.interop.import_preview_model import COL_DETAIL, COL_NAME, COL_STATUS
from oursociety_desktop.ui.interop.import_wizard import (
    PAGE_CHOICES,
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_RESULT,
    ImportWizard,
)

CASES = Path(__file__).parent / "fixtures" / "field-cases"
Run = Callable[..., tuple[int, str, str]]
_DEFAULTS = {name: getattr(Contact(), name) for name in Contact.PERSONAL_FIELDS}
EMAIL = "test.person@example.org"


def _unassigned(number: str) -> str:
    return f"'{number}' is not an assigned number range; kept, please check it."


# file -> (people by shown name with every field that is not a default, groups with their members' names,
#          warnings as (row, field, message), CSV columns no field takes with what happens to them)
EXPECTED: dict[str, tuple[dict[str, dict[str, Any]], dict[str, list[str]], list[tuple[int, str, str]],
                          list[tuple[str, str]]]] = {
    "01-linkedin-preamble.csv": (
        {"Test Person": {"given_name": "Test", "family_name": "Person", "organisation": "Example Co-op",
                         "role": "Organiser", "emails": [{"label": "", "value": EMAIL}],
                         "notes": "URL: https://www.example.org/in/test-person-0000\nConnected On: 12 Mar 2024"}},
        {}, [(0, "", "lines 1, 2 before the header row were skipped")],
        [("URL", "kept in notes"), ("Connected On", "kept in notes")]),
    "02-excel-sep-hint.csv": (
        {"Test Person": {"given_name": "Test", "family_name": "Person", "emails": [{"label": "", "value": EMAIL}]}},
        {}, [], []),
    "03-google-2024-labels.csv": (
        {"Dr. Test Person Jr.": {"given_name": "Test", "family_name": "Person", "display_name": "Dr. Test Person Jr.",
                                 "emails": [{"label": "home", "value": EMAIL}],
                                 "notes": "Ward: North\nAnniversary: 2010-06-01\nSpouse: Other Person"}},
        {}, [], [("Custom Field 1 - Value", "kept in notes"), ("Event 1 - Value", "kept in notes"),
                 ("Relation 1 - Value", "kept in notes")]),
    "04-outlook-zero-dates.csv": (
        {"Dr. Test Person Jr.": {"given_name": "Test", "family_name": "Person", "display_name": "Dr. Test Person Jr.",
                                 "emails": [{"label": "", "value": EMAIL}]}},
        {}, [], [("Birthday", "kept in notes"), ("Anniversary", "kept in notes")]),
    "05-vcard4-group-card.vcf": (
        {"Test Person": {"display_name": "Test Person", "phones": [{"label": "", "value": "07700900193"}]}},
        {"Tenants Committee": ["Test Person"]}, [(2, "phones", _unassigned("07700900193"))], []),
    "07-android-custom-labels.vcf": (
        {"Android Person": {"given_name": "Android", "family_name": "Person",
                            "phones": [{"label": "AllotmentShed", "value": "07700 900210"}],
                            "notes": "Allotment renewal: 2030-07-15"}},
        {}, [(1, "phones", _unassigned("07700 900210"))], []),
    "08-fold-splits-utf8.vcf": (
        {"Zoë Testperson": {"given_name": "Zoë", "family_name": "Testperson", "notes": "Meets at the café"}},
        {}, [], []),
    "10-mailchimp-tags.csv": (
        {"Test Person": {"given_name": "Test", "family_name": "Person", "emails": [{"label": "", "value": EMAIL}],
                         "tags": ["Volunteers", "Food bank"]}},
        {}, [], []),
    "11-empty-address-first.vcf": (
        {"Test Person": {"given_name": "Test", "family_name": "Person", "street": "1 Example Road",
                         "locality": "Testtown", "postcode": "TT1 1AA", "country": "GB"}},
        {}, [], []),
    "12-excel-mangled-phone.csv": (
        {"Excel Tester": {"given_name": "Excel", "family_name": "Tester",
                          "phones": [{"label": "mobile", "value": "4.47701E+11"}]}},
        {}, [(1, "phones", "'4.47701E+11' does not look like a phone number: a spreadsheet turned it into "
                           "scientific notation and may have lost digits; kept as typed, please check it")], []),
    "13a-same-person-sheet.csv": (
        {"Zoe Testperson": {"given_name": "Zoe", "family_name": "Testperson",
                            "phones": [{"label": "mobile", "value": "07700 900280"}]}},
        {}, [(1, "phones", _unassigned("07700 900280"))], []),
    "13b-same-person-phone.vcf": (
        {"Zoe Testperson": {"given_name": "Zoe", "family_name": "Testperson",
                            "phones": [{"label": "mobile", "value": "+447700900280"},
                                       {"label": "home", "value": "020 7946 0280"}]}},
        {}, [(1, "phones", _unassigned("+447700900280"))], []),
    "15-thunderbird-uk-columns.csv": (
        {"Thunder Briton": {"given_name": "Thunder", "family_name": "Briton",
                            "emails": [{"label": "", "value": "thunder.gb@example.org"}], "street": "2 Example Road",
                            "locality": "Testtown", "region": "Testshire", "postcode": "TT1 1AB"}},
        {}, [], []),
}


def people_of(db: Database) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Live people (fields that are not defaults) by shown name, and groups with their members' names."""
    with db.read() as session:
        contacts = [c for c in session.exec(select(Contact)).all() if not c.deleted]
        people = {c.shown_name: {k: getattr(c, k) for k in Contact.PERSONAL_FIELDS if getattr(c, k) != _DEFAULTS[k]}
                  for c in contacts}
        names = {c.id: c.shown_name for c in contacts}
        groups: dict[str, list[str]] = {g.name: [] for g in session.exec(select(Group)).all() if not g.deleted}
        group_names = {g.id: g.name for g in session.exec(select(Group)).all()}
        for m in session.exec(select(Membership)).all():
            if not m.deleted:
                groups[group_names[m.group_id]].append(names[m.contact_id])
    return people, {k: sorted(v) for k, v in groups.items()}


def _kind(name: str) -> str:
    return "vcard" if name.endswith(".vcf") else "csv"


def _fresh_hub(folder: Path) -> Path:
    Database.create(folder, "Field Hub").close()
    return folder


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_field_case_by_command_line(name: str, tmp_path: Path, run_cli: Run, db_fingerprint: Any) -> None:
    people, groups, warnings, _ = EXPECTED[name]
    hub = _fresh_hub(tmp_path / "hub")
    path = CASES / name
    before = db_fingerprint(hub)
    code, out, err = run_cli("--data-dir", hub, _kind(name), "import", path, "--dry-run", "--json")
    assert code == 0, err
    dry = json.loads(out)
    assert db_fingerprint(hub) == before
    code, out, err = run_cli("--data-dir", hub, _kind(name), "import", path, "--json")
    assert code == 0, err
    real = json.loads(out)
    assert dry.pop("dry_run") is True and real.pop("dry_run") is False
    assert dry == real  # the dry run reported exactly what the real run did
    assert real["warnings"] == [{"row": r, "field": f, "message": m} for r, f, m in warnings]
    assert (real["added"], real["bad_rows"], real["problems"]) == (len(people), 0, [])
    assert real["groups_added"] == len(groups)
    db = Database.open(hub)
    try:
        assert people_of(db) == (people, groups)
    finally:
        db.close()
    # The plain summary shows every warning too, on a dry run as on a real run.
    other = _fresh_hub(tmp_path / "other")
    for extra in (["--dry-run"], []):
        code, out, err = run_cli("--data-dir", other, _kind(name), "import", path, *extra)
        assert code == 0, err
        assert f"{len(people)} added" in out
        if warnings:
            assert f"Warnings ({len(warnings)}):" in out
        for _, _, message in warnings:
            assert message in out


def test_same_person_from_sheet_then_phone(tmp_path: Path, run_cli: Run) -> None:
    """13a then 13b: `update` stores the mobile once (numbers compared in E.164); `fill` adds the home number and
    the summary says what was added to whom."""
    for mode, phones in (("update", [{"label": "mobile", "value": "07700 900280"},
                                     {"label": "home", "value": "020 7946 0280"}]),
                         ("fill", [{"label": "mobile", "value": "07700 900280"},
                                   {"label": "home", "value": "020 7946 0280"}])):
        hub = _fresh_hub(tmp_path / mode)
        assert run_cli("--data-dir", hub, "csv", "import", CASES / "13a-same-person-sheet.csv")[0] == 0
        code, dry, err = run_cli("--data-dir", hub, "vcard", "import", CASES / "13b-same-person-phone.vcf",
                                 "--on-duplicate", mode, "--dry-run")
        assert code == 0, err
        code, out, err = run_cli("--data-dir", hub, "vcard", "import", CASES / "13b-same-person-phone.vcf",
                                 "--on-duplicate", mode)
        assert code == 0, err
        done = "1 updated" if mode == "update" else "1 filled in"
        assert done in out and done in dry and "0 added" in out
        assert "  Zoe Testperson: added phone 020 7946 0280 (home)" in out.splitlines()
        assert "  Zoe Testperson: added phone 020 7946 0280 (home)" in dry.splitlines()
        db = Database.open(hub)
        try:
            people, _ = people_of(db)
        finally:
            db.close()
        assert people == {"Zoe Testperson": {"given_name": "Zoe", "family_name": "Testperson", "phones": phones}}
        # Importing the phone's card again adds nothing: the mobile is the same number in another spelling.
        code, out, err = run_cli("--data-dir", hub, "vcard", "import", CASES / "13b-same-person-phone.vcf",
                                 "--on-duplicate", mode, "--json")
        assert json.loads(out)["unchanged"] == 1 and json.loads(out)["changes"] == []


def _next(qtbot: Any, wizard: ImportWizard, page: int) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=3000)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_field_case_through_the_wizard(name: str, ctx: AppContext, qtbot: Any) -> None:
    people, groups, warnings, columns = EXPECTED[name]
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(CASES / name))
    if _kind(name) == "csv":
        _next(qtbot, wizard, PAGE_MAPPING)
    _next(qtbot, wizard, PAGE_PREVIEW)
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.ready, timeout=3000)
    assert preview.model.counts() == (len(people) + len(groups), 0, 0)
    statuses = {preview.model.data(preview.model.index(i, COL_NAME)): preview.model.data(
        preview.model.index(i, COL_STATUS)) for i in range(preview.model.rowCount())}
    assert statuses == {**{name: "New" for name in people}, **{name: "Group" for name in groups}}
    # Every row's warnings are shown in the preview; the file's own, above the rows.
    for row_number, _, message in warnings:
        if row_number == 0:
            assert message in preview.file_notes.text()
            continue
        detail = preview.model.data(preview.model.index(row_number - 1, COL_DETAIL))
        assert message in detail
    if columns:
        assert preview.columns.text() == "Columns no field takes: " + "; ".join(f"{h} — {f}" for h, f in columns)
    else:
        assert not preview.columns.text()
    _next(qtbot, wizard, PAGE_CHOICES)
    _next(qtbot, wizard, PAGE_RESULT)
    qtbot.waitUntil(lambda: wizard.result_page.done, timeout=3000)
    assert wizard.summary is not None and wizard.summary.added == len(people)
    for _, _, message in warnings:
        assert message in wizard.result_page.result_label.text()
    assert people_of(ctx.db) == (people, groups)


ROUND_TRIP = sorted(p.name for p in CASES.iterdir()) + sorted(
    p.name for p in (CASES.parent).iterdir() if p.suffix in (".vcf", ".csv"))


def _path(name: str) -> Path:
    return CASES / name if (CASES / name).exists() else CASES.parent / name


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_keeps_everything(name: str, tmp_path: Path, run_cli: Run) -> None:
    """import → vCard 4.0 export → import into a new hub → CSV export (every field) → import into a third hub:
    the same people, labels, groups, consent flags and notes in all three."""
    first = _fresh_hub(tmp_path / "first")
    db = Database.open(first)
    try:
        with db.write() as tx:  # someone with every consent and privacy choice set, in a group
            person = create_contact(tx, {"given_name": "Consent", "family_name": "Flags", "do_not_phone": True,
                                         "do_not_email": True, "do_not_mail": True, "do_not_sms": True,
                                         "share_with_hubs": True, "include_in_directory": True,
                                         "consent_recorded_at": "2026-01-02", "consent_method": "paper form",
                                         "engagement_stage": "active", "notes": "Two\nlines"})
            add_member(tx, create_group(tx, {"name": "Flag wavers"}).id, person.id)
    finally:
        db.close()
    code, out, err = run_cli("--data-dir", first, _kind(name), "import", _path(name), "--skip-bad")
    assert code == 0, err
    cards, table = tmp_path / "all.vcf", tmp_path / "all.csv"
    assert run_cli("--data-dir", first, "vcard", "export", cards, "--version", "4.0")[0] == 0
    second = _fresh_hub(tmp_path / "second")
    code, out, err = run_cli("--data-dir", second, "vcard", "import", cards, "--json")
    assert code == 0 and json.loads(out)["problems"] == [], err
    code, _, err = run_cli("--data-dir", second, "csv", "export", table, "--fields",
                           ",".join(f for f in csv_write.EXPORTABLE_FIELDS if f != "private_notes"))
    assert code == 0, err
    third = _fresh_hub(tmp_path / "third")
    code, out, err = run_cli("--data-dir", third, "csv", "import", table, "--json")
    assert code == 0 and json.loads(out)["problems"] == [], err
    states = []
    for folder in (first, second, third):
        hub_db = Database.open(folder)
        try:
            states.append(people_of(hub_db))
        finally:
            hub_db.close()
    assert states[0][0]["Consent Flags"]["do_not_sms"] is True
    assert states[1] == states[0]
    assert states[2] == states[0]

"""The record registry and what reads it: the shown-name rule in SQL and Python, dangling references of every
declared reference, an organisation-only contact named by its organisation in every list."""

from __future__ import annotations

import itertools
import sqlite3
import uuid

import hypothesis
import pytest
from hypothesis import strategies as st
from sqlalchemy import text

from oursociety_desktop.models.actions import ActionFilter, create_action, link_contact, links_of, list_actions
from oursociety_desktop.models.connections import create_connection, list_connections
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group, members_of
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.names import name_to_show, name_to_show_sql, register_sql_functions
from oursociety_desktop.models.records import create_record
from oursociety_desktop.models.references import related_to_contact
from oursociety_desktop.models.registry import PAIR_NAMESPACE, REGISTRY, RecordType, Reference, Registry, pair_id
from oursociety_desktop.models.tables import Contact


def test_the_sql_and_python_shown_names_agree_on_every_combination() -> None:
    conn = sqlite3.connect(":memory:")
    register_sql_functions(conn)  # as every connection of a hub database has
    conn.execute("CREATE TABLE hub (id TEXT, name TEXT)")
    conn.execute("CREATE TABLE peer_hub (id TEXT, name TEXT)")
    conn.execute("INSERT INTO hub VALUES ('here', 'This Hub')")
    conn.execute("INSERT INTO peer_hub VALUES ('there', 'Northside')")
    conn.execute("CREATE TABLE contact (display_name TEXT, given_name TEXT, family_name TEXT, organisation TEXT, "
                 "erased BOOLEAN, share_with_hubs BOOLEAN, origin_hub TEXT, stamps TEXT)")
    values = ("", "X", " padded ", "王", "小明")
    # Shared, or withdrawn by another hub (the consent holder "there" switched sharing off): "(withdrawn by ...)".
    withdrawn = '{"share_with_hubs": "1795504749561.000000.there"}'
    combos = [(*names, erased, share, "there", withdrawn if not share else "{}")
              for names in itertools.product(values, values, values, values)
              for erased in (False, True) for share in (True, False)]
    conn.executemany("INSERT INTO contact VALUES (?, ?, ?, ?, ?, ?, ?, ?)", combos)
    rows = conn.execute(f"SELECT display_name, given_name, family_name, organisation, erased, share_with_hubs, "
                        f"{name_to_show_sql('c')} FROM contact c").fetchall()
    assert len(rows) == 5 ** 4 * 4
    for display, given, family, organisation, erased, share, shown in rows:
        by = "Northside" if not share and not erased else ""
        assert shown == name_to_show(display, given, family, organisation, bool(erased), by), (display, given, family)
    assert name_to_show("", "", "", "Acme Food Bank") == "Acme Food Bank"
    assert name_to_show("", "", "", "", erased=True) == "(erased)"
    assert name_to_show("", "", "", "", withdrawn_by="Northside") == "(withdrawn by Northside)"
    assert name_to_show("", "小明", "王", "") == "王小明"  # family name first, as the name's culture writes it


def test_an_organisation_only_contact_shows_by_its_organisation_in_every_list(db: Database) -> None:
    with db.write() as tx:
        acme = create_contact(tx, {"organisation": "Acme Food Bank"}).id
        nina = create_contact(tx, {"given_name": "Nina", "family_name": "Okafor"}).id
        sam = create_contact(tx, {"given_name": "Sam"}).id
        group = create_group(tx, {"name": "Tuesday Lunch Club"})
        add_member(tx, group.id, acme)
        action = create_action(tx, {"title": "Collect donations"})
        link_contact(tx, action.id, acme, "owner")
        create_connection(tx, {"contact_a": nina, "contact_b": sam, "kind": "introduced", "introduced_by": acme})
    with db.read() as session:
        assert [m.name for m in members_of(session, group.id)] == ["Acme Food Bank"]
        [row] = list_actions(session, ActionFilter())
        assert "Acme Food Bank" in str(row)
        [link] = links_of(session, action.id)
        assert link.name == "Acme Food Bank"
        [connection] = list_connections(session)
        assert "Acme Food Bank" in str(connection) and "(no name)" not in str(connection)
        related = related_to_contact(session.connection(), nina)
        [introduced] = [r for r in related if r.record_type == "connection"]
        assert introduced.targets["introduced_by"]["label"] == "Acme Food Bank"


def test_check_reports_a_dangling_reference_of_every_declared_reference(db: Database) -> None:
    declared = [(t, ref) for t in REGISTRY for ref in t.references]
    assert {(t.name, r.field) for t, r in declared} >= {
        ("connection", "introduced_by"), ("connection", "follow_up_action_id"), ("action", "group_id"),
        ("group", "parent_id"), ("membership", "group_id"), ("action_link", "contact_id")}
    with db.write() as tx:
        for record_type, ref in declared:
            create_record(tx, record_type.table, {ref.field: f"missing-{record_type.name}-{ref.field}"})
    with db.read() as session:
        report = check_database(session.connection())
    assert report.sound
    for record_type, ref in declared:
        assert any(f"live {record_type.name.replace('_', ' ')} record" in w and f"({ref.field})" in w
                   for w in report.warnings), (record_type.name, ref.field)


def test_the_registry_refuses_a_reference_to_an_undeclared_type() -> None:
    with pytest.raises(ValueError, match="undeclared type"):
        Registry().add(RecordType(Contact, references=(Reference("merged_into", "nothing_like_it"),)))
    with pytest.raises(ValueError, match="declared twice"):
        REGISTRY.add(RecordType(Contact))


def test_stats_and_check_cover_every_declared_type(db: Database) -> None:
    from oursociety_desktop.models.health import hub_stats

    with db.read() as session:
        stats = hub_stats(session.connection())
        tables = {row[0] for row in session.connection().execute(text("SELECT name FROM sqlite_master"))}
    assert list(stats["records"]) == list(REGISTRY.names())
    assert all(t.table_name in tables for t in REGISTRY)


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(st.sampled_from(["membership", "action_link", "lesson_person"]), st.text(max_size=40),
                  st.text(max_size=40))
def test_pair_ids_are_the_uuid5_every_hub_derives(record_type: str, first: str, second: str) -> None:
    """`pair_id` spells UUID 5 out for speed; the id must stay the one `uuid.uuid5` gives, at every hub, for any
    text (other scripts, surrogate-free Unicode, separators inside values)."""
    values = {"a": first, "b": second}
    expected = str(uuid.uuid5(PAIR_NAMESPACE, "\x1f".join([record_type, first, second])))
    assert pair_id(record_type, values, ("a", "b")) == expected

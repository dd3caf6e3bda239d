"""Realistic demo data, deterministic for a seed (`oursociety demo`), written in bulk inside one transaction.

The people come from models/demo_contacts.py, the mutual learning network from models/demo_learning.py; rows are
built as tuples and written with one executemany per batch (models/demo_rows.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from oursociety_desktop.i18n import _
from oursociety_desktop.models import demo_names as N
from oursociety_desktop.models.bulk import larger_page_cache
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo_contacts import CONTACT_COLUMNS, contact_rows, contact_writer
from oursociety_desktop.models.demo_learning import generate_learning_demo, live_people
from oursociety_desktop.models.demo_rows import Draws, RowWriter, secondary_indexes_at_end
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.search import SearchRow, add_search_rows, search_index_at_end
from oursociety_desktop.models.tables import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CONNECTION_KINDS,
    Action,
    ActionLink,
    Group,
    Membership,
)
from oursociety_desktop.models.tables import (
    Connection as ConnectionRecord,
)

BATCH = 5000
# Memberships and action links carry the id derived from their pair, as everywhere else: with random ids every
# hub importing a demo bundle re-identified them one by one (`fold_pairs`: 99 s of a 110 s import of 10k).
MEMBERSHIP = REGISTRY["membership"]
ACTION_LINK = REGISTRY["action_link"]
# Tables whose own indexes are made once at the end (see `secondary_indexes_at_end`).
INDEXED_AT_END = ("contact", "membership", "action", "action_link", "connection", "contact_phone")
LOCATIONS = ("", "Community centre", "Library meeting room", "St Mary's hall", "Online")
CONNECTION_NOTES = ("Both keen on growing food.", "Neighbours who had never met.", "Shared interest in youth work.",
                    "")


@dataclass(frozen=True)
class DemoSize:
    """How much demo data to make. Defaults scale with the number of contacts as in the reference hub of
    docs/benchmarks.md."""

    contacts: int
    groups: int
    memberships: int
    actions: int
    connections: int

    @classmethod
    def for_contacts(cls, contacts: int) -> DemoSize:
        """The reference proportions: 100,000 contacts, 500 groups, 200,000 memberships, 50,000 actions."""
        groups = max(3, min(500, contacts // 200)) if contacts else 0
        return cls(contacts, groups, contacts * 2 if groups else 0, contacts // 2, contacts // 10)


_GIVEN, _FAMILY, _LOCALITY = (CONTACT_COLUMNS.index(name) for name in ("given_name", "family_name", "locality"))
# The columns each kind of demo row sets, in the order of its tuple; the others keep their defaults.
GROUP_COLUMNS = ("id", "base_stamp", "name", "description", "kind", "parent_id")
MEMBERSHIP_COLUMNS = ("id", "base_stamp", "group_id", "contact_id", "role", "since")
ACTION_COLUMNS = ("id", "base_stamp", "title", "kind", "status", "due", "starts_at", "ends_at", "location",
                  "group_id", "outcome")
LINK_COLUMNS = ("id", "base_stamp", "action_id", "contact_id", "role")
CONNECTION_COLUMNS = ("id", "base_stamp", "contact_a", "contact_b", "kind", "introduced_by", "date", "note")


class _Run:
    """One demo generation: the transaction's connection and clock, the seeded draws, progress and counts."""

    def __init__(self, conn: Connection, stamp: Callable[[], str], draws: Draws, size: DemoSize, today: date,
                 progress: Progress | None) -> None:
        self.conn, self.stamp, self.draws, self.size, self.today = conn, stamp, draws, size, today
        self.progress = progress
        self.made = {"contact": 0, "group": 0, "membership": 0, "action": 0, "action_link": 0, "connection": 0}
        self.total_steps = max(1, size.contacts + size.memberships + size.actions * 2 + size.connections
                               + size.groups)
        self.done = 0
        self.contact_ids: list[str] = []
        self.first_names: list[str] = []
        # (id, family name, locality) of every live contact, the demo's own included: whom the learning network
        # is about.
        self.people = live_people(conn)
        self.group_ids: list[str] = []

    def report(self, step: int, message: str) -> None:
        self.done += step
        if self.progress is not None and \
                self.progress(min(99, self.done * 100 // self.total_steps), message) is False:
            raise Cancelled(_("Demo data generation was cancelled; nothing was added."))

    def days_before(self, days: int) -> list[str]:
        """ISO dates of `today` minus 0..days-1 days (indexed by the number of days)."""
        return [(self.today - timedelta(days=d)).isoformat() for d in range(days)]

    def contacts(self, region: str) -> None:
        writer = contact_writer()
        batch: list[tuple[Any, ...]] = []
        search_rows: list[SearchRow] = []
        ids, names, people = self.contact_ids, self.first_names, self.people
        for row, search in contact_rows(self.draws, self.size.contacts, self.stamp, region, self.today):
            batch.append(row)
            search_rows.append(search)
            ids.append(row[0])
            names.append(row[_GIVEN])
            people.append((row[0], row[_FAMILY], row[_LOCALITY]))
            if len(batch) >= BATCH:
                self._contacts(writer, batch, search_rows)
                batch, search_rows = [], []
        self._contacts(writer, batch, search_rows)

    def _contacts(self, writer: RowWriter, batch: list[tuple[Any, ...]], search_rows: list[SearchRow]) -> None:
        self.made["contact"] += writer.write(self.conn, batch)
        add_search_rows(self.conn, search_rows)
        self.report(len(batch), _("Adding contacts"))

    def groups(self) -> None:
        draws, rows, group_ids = self.draws, [], self.group_ids
        topics, places = N.GROUP_TOPICS, N.GROUP_PLACES
        for i in range(self.size.groups):
            s = self.stamp()
            topic, place = topics[i % len(topics)], places[(i // len(topics)) % len(places)]
            # Every third group (and some others) sits inside an earlier one, so even a small hub shows nesting.
            nested = bool(group_ids) and (i % 3 == 2 or draws.random() < 0.3)
            parent = draws.choice(group_ids[: max(1, len(group_ids) // 4)]) if nested else ""
            gid = draws.uuid4()
            suffix = f" {i // (len(topics) * len(places)) + 1}" if i >= len(topics) * len(places) else ""
            kind = draws.choice(("working group", "neighbourhood circle", "project"))
            rows.append((gid, s, f"{place} {topic}{suffix}", f"{topic} work in the {place.lower()} of town.", kind,
                         parent))
            group_ids.append(gid)
        self.made["group"] = RowWriter(Group, GROUP_COLUMNS).write(self.conn, rows)
        self.report(len(rows), _("Adding groups"))

    def memberships(self) -> None:
        group_ids, contact_ids = self.group_ids, self.contact_ids
        if not group_ids or not contact_ids:
            return
        below, chance, getrandbits, stamp = self.draws.below, self.draws.random, self.draws.getrandbits, self.stamp
        pair_id, since = MEMBERSHIP.identity_id, self.days_before(1500)
        groups, people = len(group_ids), len(contact_ids)
        seen: set[tuple[str, str]] = set()
        rows: list[tuple[Any, ...]] = []
        wanted = min(self.size.memberships, groups * people)
        while len(seen) < wanted:
            pair = (group_ids[below(groups)], contact_ids[below(people)])
            if pair in seen:
                continue
            seen.add(pair)
            s = stamp()
            getrandbits(128)  # an id was drawn here once: drawn still, so the rest of the demo data stays as it was
            rows.append((pair_id({"group_id": pair[0], "contact_id": pair[1]}), s, pair[0], pair[1],
                         "coordinator" if chance() < 0.05 else "member", since[below(1500)]))
            if len(rows) % BATCH == 0:
                self.report(BATCH, _("Adding memberships"))
        self.report(len(rows) % BATCH, _("Adding memberships"))
        self.made["membership"] = self._in_id_order(RowWriter(Membership, MEMBERSHIP_COLUMNS), rows,
                                                    _("Adding memberships"))

    def _in_id_order(self, writer: RowWriter, rows: list[tuple[Any, ...]], message: str) -> int:
        """Write rows (id first) in the order of their ids: each lands next to the one before in the primary key's
        index instead of at a random place (a quarter less of SQLite's work for 200,000 memberships)."""
        rows.sort()
        for start in range(0, len(rows), BATCH * 4):
            writer.write(self.conn, rows[start:start + BATCH * 4])
            self.report(0, message)
        return len(rows)

    def actions(self) -> None:
        contact_ids, first_names, group_ids = self.contact_ids, self.first_names, self.group_ids
        if not contact_ids:
            return
        draws, stamp, today = self.draws, self.stamp, self.today
        below, chance, getrandbits, uuid4 = draws.below, draws.random, draws.getrandbits, draws.uuid4
        due_on = {days: (today + timedelta(days=days)).isoformat() for days in range(-90, 90)}
        kinds, statuses, titles = ACTION_KINDS, ACTION_STATUSES, N.MEETING_TITLES
        verbs, topics, people = N.ACTION_VERBS, N.ACTION_TOPICS, len(contact_ids)
        link_id = ACTION_LINK.identity_id
        action_writer = RowWriter(Action, ACTION_COLUMNS)
        actions: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        for _count in range(self.size.actions):
            s = stamp()
            kind, status = kinds[below(len(kinds))], statuses[below(len(statuses))]
            # Finished work lies in the past; open work mostly ahead, a little of it overdue, as in a real hub.
            due = due_on[-90 + below(91) if status in ("done", "cancelled") else -10 + below(100)]
            about = below(people)
            gathering = kind in ("meeting", "event")
            title = titles[below(len(titles))] if gathering else \
                f"{verbs[below(len(verbs))]} {first_names[about]} {topics[below(len(topics))]}"
            aid = uuid4()
            location = LOCATIONS[below(len(LOCATIONS))]
            group = group_ids[below(len(group_ids))] if group_ids and chance() < 0.6 else ""
            actions.append((aid, s, title, kind, status, due, f"{due}T18:30" if gathering else "",
                            f"{due}T20:00" if gathering else "", location, group,
                            "Went well; next steps agreed." if status == "done" else ""))
            roles = [("owner", contact_ids[below(people)])]
            if not gathering:
                roles.append(("about", contact_ids[about]))
            for role, who in roles:
                ls = stamp()
                getrandbits(128)  # an id was drawn here once, see memberships
                links.append((link_id({"action_id": aid, "contact_id": who, "role": role}), ls, aid, who, role))
            if len(actions) >= BATCH:
                self._actions(action_writer, actions)
                actions = []
        self._actions(action_writer, actions)
        self.made["action_link"] = self._in_id_order(RowWriter(ActionLink, LINK_COLUMNS), links,
                                                     _("Adding actions"))

    def _actions(self, action_writer: RowWriter, actions: list[tuple[Any, ...]]) -> None:
        self.made["action"] += action_writer.write(self.conn, actions)
        self.report(len(actions) * 2, _("Adding actions"))

    def connections(self) -> None:
        contact_ids, draws, stamp = self.contact_ids, self.draws, self.stamp
        dates, rows = self.days_before(700), []
        for _count in range(self.size.connections if len(contact_ids) >= 3 else 0):
            a, b, c = draws.rng.sample(contact_ids, 3)
            s = stamp()
            kind = draws.choice(CONNECTION_KINDS)
            rows.append((draws.uuid4(), s, a, b, kind, c if kind == "introduced" else "",
                         dates[draws.below(700)], draws.choice(CONNECTION_NOTES)))
        self.made["connection"] = RowWriter(ConnectionRecord, CONNECTION_COLUMNS).write(self.conn, rows)
        self.report(len(rows), _("Adding connections"))


def _refuse_a_seed_used(conn: Connection, seed: int, region: str, today: date) -> None:
    """A seed gives the same people every time: a second demo of the same seed would repeat their ids. Refuse it in
    words (SQLite's own message was "unique constraint failed: contact.id")."""
    first = next(contact_rows(Draws(random.Random(seed)), 1, lambda: "", region, today), None)
    if first is not None and conn.exec_driver_sql("SELECT 1 FROM contact WHERE id = ?", (first[0][0],)).first():
        raise UserError(_("This hub already holds the demo data of seed {seed}; add more with another seed "
                          "(--seed).").format(seed=seed))


def generate_demo(db: Database, contacts: int, seed: int = 1, progress: Progress | None = None,
                  today: date | None = None) -> dict[str, int]:
    """Add demo records to the hub in one transaction. Returns how many of each were made.

    Everything but the dates is determined by the seed; dates are spread around `today` (default: the real
    date), so a demo hub always has work due this week and a little overdue.
    """
    today = today or date.today()
    size = DemoSize.for_contacts(max(0, contacts))
    region = str(db.setting("default_region"))
    with db.write() as tx:
        conn = tx.session.connection()
        _refuse_a_seed_used(conn, seed, region, today)
        run = _Run(conn, tx.stamp, Draws(random.Random(seed)), size, today, progress)

        def indexing(_done: int, _total: int) -> None:
            run.report(0, _("Building the search index"))

        with larger_page_cache(conn), search_index_at_end(conn, indexing), \
                secondary_indexes_at_end(conn, INDEXED_AT_END):
            run.contacts(region)
            run.groups()
            run.memberships()
            run.actions()
            run.connections()
            run.made.update(generate_learning_demo(conn, db.hub_id, tx.stamp, size.contacts, seed, run.group_ids,
                                                   today, run.people))
    if progress is not None:
        progress(100, _("Done"))
    return run.made

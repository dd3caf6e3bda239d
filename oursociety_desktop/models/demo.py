"""Realistic demo data, deterministic for a seed (`oursociety demo`), written in bulk with SQLAlchemy Core.

Phone numbers use Ofcom's ranges reserved for drama (07700 900xxx, 0161 496 0xxx...), so no real person is
ever rung; names come from many cultures and scripts.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlmodel import SQLModel

from oursociety_desktop.i18n import _
from oursociety_desktop.models import demo_names as N
from oursociety_desktop.models.bulk import insert_rows, larger_page_cache
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo_learning import generate_learning_demo
from oursociety_desktop.models.errors import Cancelled
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.search import SearchRow, search_index_at_end, search_row, write_search_rows
from oursociety_desktop.models.tables import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CONNECTION_KINDS,
    CONTACT_STAGES,
    Action,
    ActionLink,
    Contact,
    Group,
    Membership,
)
from oursociety_desktop.models.tables import (
    Connection as ConnectionRecord,
)
from oursociety_desktop.models.text import sort_key

"""A progress callback: (percent, message). Returning False asks the generator to stop (Cancel)."""

BATCH = 5000
# Memberships and action links carry the id derived from their pair, as everywhere else: with random ids every
# hub importing a demo bundle re-identified them one by one (`fold_pairs`: 99 s of a 110 s import of 10k).
MEMBERSHIP = REGISTRY["membership"]
ACTION_LINK = REGISTRY["action_link"]


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


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _phone(rng: random.Random, town: tuple[str, str, str, str]) -> dict[str, str]:
    if rng.random() < 0.65:
        number = f"07700 900{rng.randrange(1000):03d}"
        return {"label": "mobile", "value": number if rng.random() < 0.7 else "+44 " + number[1:]}
    return {"label": rng.choice(("home", "work")), "value": f"{town[3]}{rng.randrange(1000):03d}"}


def _script(name: str) -> str:
    """The script a name is written in, roughly: "LATIN", "GREEK", "ARABIC", "CJK", "BENGALI"..."""
    first = next((ch for ch in name if ch.isalpha()), "a")
    if ord(first) < 0x0250 or 0x1E00 <= ord(first) <= 0x1EFF:
        return "LATIN"
    return unicodedata.name(first, "OTHER").split()[0]


def _same_script(family: str, given: str, families: tuple[str, ...]) -> str:
    """A family name in the given name's script: "王" with "小明" (shown "王小明"), never "Wang" with "小明". Chosen
    without drawing from the random stream, so the rest of the demo data stays as it was."""
    script = _script(given)
    if _script(family) == script:
        return family
    candidates = [f for f in families if _script(f) == script]
    return candidates[len(given) % len(candidates)] if candidates else family


def _contact_rows(rng: random.Random, count: int, stamp: Callable[[], str], region: str, today: date
                  ) -> Iterator[tuple[dict[str, Any], SearchRow]]:
    for _count in range(count):
        culture, givens, families, languages = rng.choice(N.CULTURES)
        given, family = rng.choice(givens), rng.choice(families)
        family = _same_script(family, given, families)
        town = rng.choice(N.TOWNS)
        phones = [_phone(rng, town) for _count in range(rng.choice((0, 1, 1, 1, 2)))]
        ascii_given = given if given.isascii() else "friend"
        email_name = f"{ascii_given}.{family}".lower().replace(" ", "").replace("'", "")
        if not email_name.isascii():
            email_name = f"member{rng.randrange(100000)}"
        emails = [{"label": "home", "value": f"{email_name}{rng.randrange(100)}@example.org"}] \
            if rng.random() < 0.7 else []
        tags = sorted(set(rng.sample(N.SKILLS, rng.randrange(0, 3)) + rng.sample(N.INTERESTS, rng.randrange(0, 3))))
        s = stamp()
        share = rng.random() < 0.6
        row: dict[str, Any] = {
            "id": _uuid(rng), "base_stamp": s, "stamps": {}, "deleted": False,
            "given_name": given, "family_name": family, "display_name": "",
            "organisation": rng.choice(N.ORGANISATIONS), "role": rng.choice(N.ROLES),
            "phones": phones, "emails": emails,
            "street": f"{rng.randrange(1, 220)} {rng.choice(N.STREETS)}", "locality": town[0], "region": town[1],
            "postcode": f"{town[2]}{rng.randrange(1, 30)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            "country": "United Kingdom", "languages": list(languages[: rng.randrange(1, len(languages) + 1)]),
            "tags": tags, "notes": "" if rng.random() < 0.7 else f"Met at the {rng.choice(N.MEETING_TITLES).lower()}.",
            "private_notes": "" if rng.random() < 0.9 else "Prefers a call in the evening.",
            "share_with_hubs": share, "include_in_directory": rng.random() < 0.8,
            "do_not_phone": rng.random() < 0.08, "do_not_email": rng.random() < 0.08,
            "do_not_mail": rng.random() < 0.1, "do_not_sms": rng.random() < 0.1,
            "consent_recorded_at": (today - timedelta(days=rng.randrange(900))).isoformat(),
            "consent_method": rng.choice(("paper form", "verbal, at a meeting", "online form", "email")),
            "engagement_stage": rng.choice(CONTACT_STAGES), "erased": False, "erased_reason": "", "merged_into": "",
            "sort_key": sort_key(family, given, ""),
        }
        yield row, search_row(row, region)
        del culture


def _bulk(conn: Connection, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    insert_rows(conn, table, rows)


def generate_demo(db: Database, contacts: int, seed: int = 1, progress: Progress | None = None,
                  today: date | None = None) -> dict[str, int]:
    """Add demo records to the hub in one transaction. Returns how many of each were made.

    Everything but the dates is determined by the seed; dates are spread around `today` (default: the real
    date), so a demo hub always has work due this week and a little overdue.
    """
    today = today or date.today()
    size = DemoSize.for_contacts(max(0, contacts))
    rng = random.Random(seed)
    made = {"contact": 0, "group": 0, "membership": 0, "action": 0, "action_link": 0, "connection": 0}
    total_steps = max(1, size.contacts + size.memberships + size.actions * 2 + size.connections + size.groups)
    done = 0

    def report(step: int, message: str) -> None:
        nonlocal done
        done += step
        if progress is not None and progress(min(99, done * 100 // total_steps), message) is False:
            raise Cancelled(_("Demo data generation was cancelled; nothing was added."))

    region = str(db.setting("default_region"))
    def indexing(_done: int, _total: int) -> None:
        report(0, _("Building the search index"))

    with db.write() as tx, larger_page_cache(tx.session.connection()), \
            search_index_at_end(tx.session.connection(), indexing):
        conn = tx.session.connection()
        stamp = tx.stamp
        hub = db.hub_id
        contact_ids: list[str] = []
        first_names: dict[str, str] = {}
        batch: list[dict[str, Any]] = []
        search_rows: list[SearchRow] = []
        for row, search_row in _contact_rows(rng, size.contacts, stamp, region, today):
            batch.append(row)
            search_rows.append(search_row)
            contact_ids.append(row["id"])
            first_names[row["id"]] = row["given_name"]
            if len(batch) >= BATCH:
                _bulk(conn, Contact, batch)
                write_search_rows(conn, search_rows)
                report(len(batch), _("Adding contacts"))
                batch, search_rows = [], []
        _bulk(conn, Contact, batch)
        write_search_rows(conn, search_rows)
        report(len(batch), _("Adding contacts"))
        made["contact"] = len(contact_ids)

        group_ids: list[str] = []
        group_rows: list[dict[str, Any]] = []
        for i in range(size.groups):
            s = stamp()
            topic, place = N.GROUP_TOPICS[i % len(N.GROUP_TOPICS)], N.GROUP_PLACES[(i // len(N.GROUP_TOPICS))
                                                                                   % len(N.GROUP_PLACES)]
            # Every third group (and some others) sits inside an earlier one, so even a small hub shows nesting.
            nested = bool(group_ids) and (i % 3 == 2 or rng.random() < 0.3)
            parent = rng.choice(group_ids[: max(1, len(group_ids) // 4)]) if nested else ""
            gid = _uuid(rng)
            suffix = f" {i // (len(N.GROUP_TOPICS) * len(N.GROUP_PLACES)) + 1}" \
                if i >= len(N.GROUP_TOPICS) * len(N.GROUP_PLACES) else ""
            group_rows.append({
                "id": gid, "base_stamp": s, "stamps": {}, "deleted": False,
                "name": f"{place} {topic}{suffix}", "description": f"{topic} work in the {place.lower()} of town.",
                "kind": rng.choice(("working group", "neighbourhood circle", "project")), "parent_id": parent,
            })
            group_ids.append(gid)
        _bulk(conn, Group, group_rows)
        made["group"] = len(group_rows)
        report(len(group_rows), _("Adding groups"))

        if group_ids and contact_ids:
            seen: set[tuple[str, str]] = set()
            rows: list[dict[str, Any]] = []
            while len(seen) < min(size.memberships, len(group_ids) * len(contact_ids)):
                pair = (rng.choice(group_ids), rng.choice(contact_ids))
                if pair in seen:
                    continue
                seen.add(pair)
                s = stamp()
                _uuid(rng)  # drawn as before, so the rest of the demo data stays as it was
                rows.append({"id": MEMBERSHIP.identity_id({"group_id": pair[0], "contact_id": pair[1]}),
                             "base_stamp": s, "stamps": {},
                             "deleted": False, "group_id": pair[0], "contact_id": pair[1],
                             "role": "coordinator" if rng.random() < 0.05 else "member",
                             "since": (today - timedelta(days=rng.randrange(1500))).isoformat()})
                if len(rows) >= BATCH:
                    _bulk(conn, Membership, rows)
                    report(len(rows), _("Adding memberships"))
                    made["membership"] += len(rows)
                    rows = []
            _bulk(conn, Membership, rows)
            made["membership"] += len(rows)
            report(len(rows), _("Adding memberships"))

        actions: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for _count in range(size.actions if contact_ids else 0):
            s = stamp()
            kind = rng.choice(ACTION_KINDS)
            status = rng.choice(ACTION_STATUSES)
            # Finished work lies in the past; open work mostly ahead, a little of it overdue, as in a real hub.
            days = rng.randrange(-90, 1) if status in ("done", "cancelled") else rng.randrange(-10, 90)
            due = today + timedelta(days=days)
            about = rng.choice(contact_ids)
            title = rng.choice(N.MEETING_TITLES) if kind in ("meeting", "event") else \
                f"{rng.choice(N.ACTION_VERBS)} {first_names[about]} {rng.choice(N.ACTION_TOPICS)}"
            aid = _uuid(rng)
            actions.append({
                "id": aid, "base_stamp": s, "stamps": {}, "deleted": False,
                "title": title, "kind": kind, "status": status, "due": due.isoformat(),
                "starts_at": f"{due.isoformat()}T18:30" if kind in ("meeting", "event") else "",
                "ends_at": f"{due.isoformat()}T20:00" if kind in ("meeting", "event") else "",
                "location": rng.choice(("", "Community centre", "Library meeting room", "St Mary's hall", "Online")),
                "group_id": rng.choice(group_ids) if group_ids and rng.random() < 0.6 else "",
                "notes": "", "outcome": "Went well; next steps agreed." if status == "done" else "",
            })
            roles = [("owner", rng.choice(contact_ids))]
            if kind not in ("meeting", "event"):
                roles.append(("about", about))
            for role, who in roles:
                ls = stamp()
                _uuid(rng)  # drawn as before, so the rest of the demo data stays as it was
                link = {"action_id": aid, "contact_id": who, "role": role}
                links.append({"id": ACTION_LINK.identity_id(link), "base_stamp": ls, "stamps": {}, "deleted": False,
                              **link})
            if len(actions) >= BATCH:
                _bulk(conn, Action, actions)
                _bulk(conn, ActionLink, links)
                made["action"] += len(actions)
                made["action_link"] += len(links)
                report(len(actions) * 2, _("Adding actions"))
                actions, links = [], []
        _bulk(conn, Action, actions)
        _bulk(conn, ActionLink, links)
        made["action"] += len(actions)
        made["action_link"] += len(links)

        connections: list[dict[str, Any]] = []
        for _count in range(size.connections if len(contact_ids) >= 3 else 0):
            a, b, c = rng.sample(contact_ids, 3)
            s = stamp()
            kind = rng.choice(CONNECTION_KINDS)
            connections.append({
                "id": _uuid(rng), "base_stamp": s, "stamps": {}, "deleted": False,
                "contact_a": a, "contact_b": b, "kind": kind, "introduced_by": c if kind == "introduced" else "",
                "date": (today - timedelta(days=rng.randrange(700))).isoformat(),
                "note": rng.choice(("Both keen on growing food.", "Neighbours who had never met.",
                                    "Shared interest in youth work.", "")),
                "follow_up_action_id": "",
            })
        _bulk(conn, ConnectionRecord, connections)
        made["connection"] = len(connections)
        report(len(connections), _("Adding connections"))
        made.update(generate_learning_demo(conn, hub, stamp, size.contacts, seed, group_ids, today))
    if progress is not None:
        progress(100, _("Done"))
    return made

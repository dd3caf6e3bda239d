"""What each hub has shared, for "network the networks": every hub this hub knows (itself, the peers it
exchanged bundles with, and hubs whose records reached it through a relay), with counts of the people, lessons,
offers and needs that came from it, its hours given (from the monthly totals that travel), and the last bundle
received from it and sent for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.lessons import hub_names

UNNAMED_HUB = N_("hub {short_id}")


@dataclass(frozen=True)
class HubSummary:
    """One hub as this hub knows it. For this hub, `*_shared` counts what may leave it; for another hub, what
    reached this one (all of it was shared)."""

    hub_id: str
    name: str
    is_this_hub: bool
    people: int
    people_shared: int
    lessons: int
    lessons_shared: int
    offers: int
    needs: int
    hours_given: float
    last_received: str
    last_sent: str

    @property
    def last_exchange(self) -> str:
        """The later of the last bundle received from this hub and the last sent for it ("" if never)."""
        return max(self.last_received, self.last_sent)

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON."""
        return {"hub_id": self.hub_id, "name": self.name, "this_hub": self.is_this_hub, "people": self.people,
                "people_shared": self.people_shared, "lessons": self.lessons,
                "lessons_shared": self.lessons_shared, "offers": self.offers, "needs": self.needs,
                "hours_given": self.hours_given, "last_received": self.last_received, "last_sent": self.last_sent}


def _counts(session: Session, sql: str) -> dict[str, tuple[int, int]]:
    return {str(r[0]): (int(r[1]), int(r[2] or 0)) for r in session.connection().execute(text(sql))}


def hub_summaries(session: Session, this_hub: str) -> list[HubSummary]:
    """Every hub known here: this hub first, then the others by name."""
    people = _counts(session, "SELECT origin_hub, COUNT(*), SUM(share_with_hubs) FROM contact "
                              "WHERE deleted = 0 AND erased = 0 GROUP BY origin_hub")
    lessons = _counts(session, "SELECT origin_hub, COUNT(*), SUM(share_with_hubs) FROM lesson "
                               "WHERE deleted = 0 GROUP BY origin_hub")
    offers = _counts(session, "SELECT origin_hub, COUNT(*), 0 FROM offer WHERE deleted = 0 GROUP BY origin_hub")
    needs = _counts(session, "SELECT origin_hub, COUNT(*), 0 FROM need WHERE deleted = 0 GROUP BY origin_hub")
    conn = session.connection()
    hours = {str(r[0]): float(r[1] or 0) for r in conn.execute(text(
        "SELECT hub_id, SUM(given) FROM hours_total WHERE deleted = 0 GROUP BY hub_id"))}
    received = {str(r[0]): str(r[1] or "") for r in conn.execute(text(
        "SELECT id, last_import_at FROM peer_hub"))}
    for hub_id, at in conn.execute(text(
            "SELECT peer_hub, MAX(at) FROM exchange_log WHERE direction = 'import' GROUP BY peer_hub")):
        received[str(hub_id)] = max(received.get(str(hub_id), ""), str(at or ""))
    sent = {str(r[0]): str(r[1] or "") for r in conn.execute(text(
        "SELECT peer_hub, MAX(at) FROM exchange_log WHERE direction = 'export' AND peer_hub != '' "
        "GROUP BY peer_hub"))}
    names = hub_names(session)
    known = ({this_hub} | set(received) | set(people) | set(lessons) | set(offers) | set(needs) | set(hours)) - {""}
    out: list[HubSummary] = []
    for hub_id in known:
        mine = hub_id == this_hub
        p_all, p_shared = people.get(hub_id, (0, 0))
        l_all, l_shared = lessons.get(hub_id, (0, 0))
        out.append(HubSummary(
            hub_id=hub_id, name=names.get(hub_id) or _(UNNAMED_HUB).format(short_id=hub_id[:8]), is_this_hub=mine,
            people=p_all, people_shared=p_shared if mine else p_all, lessons=l_all,
            lessons_shared=l_shared if mine else l_all, offers=offers.get(hub_id, (0, 0))[0],
            needs=needs.get(hub_id, (0, 0))[0], hours_given=round(hours.get(hub_id, 0.0), 2),
            last_received="" if mine else received.get(hub_id, ""), last_sent="" if mine else sent.get(hub_id, "")))
    out.sort(key=lambda h: (not h.is_this_hub, h.name.casefold(), h.hub_id))
    return out

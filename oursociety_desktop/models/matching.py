"""Matching offers to needs, to suggest introductions.

For each live need, the live offers that fit: shared themes, shared words of the text (folded as in search, so
"Café" and "cafe" are one word), the same locality, overlapping availability; ranked by those, then by the text
similarity rapidfuzz measures, each suggestion with its reasons ("both mention bike repair; both in Hulme").

Who may be suggested: a person is never suggested to themself, nor after the broker declined or accepted the
pair; records that ran out (`until` passed) are left out; and a match that crosses hubs (either person came from
another hub) needs both people's sharing consent.

Candidates come from an inverted index of the offers' words and themes (each also paired with the place), read
rarest key first, so each need is compared only with a few dozen offers that share the most telling things with
it; a key held by very many offers adds candidates only while too few were found.

Accepting a suggestion records a Connection of kind "introduced", the broker as introducer, and a follow-up action
whose text says how each person may be reached (`do_not_phone`, `do_not_email`); declining is remembered.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, text

from oursociety_desktop.models.connections import record_introduction
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.names import name_to_show
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Connection as ConnectionRecord
from oursociety_desktop.models.tables import Contact, MatchDecision, Need, Offer
from oursociety_desktop.models.text import fold

# Reasons: whole phrases with named placeholders, joined with "; " when shown.
REASON_THEMES = "both about {themes}"
REASON_WORDS = "both mention {words}"
REASON_PLACE = "both in {place}"
REASON_TIME = "both free on {when}"
FOLLOW_UP_TITLE = "Introduce {need_person} to {offer_person}"
REACH_BOTH = "by phone or email"
REACH_EMAIL_ONLY = "by email (not by phone)"
REACH_PHONE_ONLY = "by phone (not by email)"
REACH_NEITHER = "in person or by post (no phone calls, no email)"
FOLLOW_UP_NOTES = ("{need_person} needs: {need_text}\n{offer_person} offers: {offer_text}\nWhy: {reasons}\n"
                   "Reach {need_person} {need_reach}; reach {offer_person} {offer_reach}.")

STOPWORDS = frozenset("""
a an and any are as at be been but by can could do does for from get got have has help i if in into is it its
me my need needs needed of offer offers on or our out some someone something the their them they this to up us
want wants we with who would you your will just also all more very like able about after before how what when
where which while than then there these those so not no yes am was were been being here free
""".split())
AVAILABILITY_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday weekday weekdays weekend weekends morning mornings
afternoon afternoons evening evenings night nights daytime
""".split())
_WORD = re.compile(r"\w+")
COMMON_SHARE = 0.1
# Per need: candidates gathered from its keys, of which the most-shared are scored in full.
CANDIDATES = 40
SCORED = 24
MAX_POSTING = 400

THEME_WEIGHT = 4.0
WORD_WEIGHT = 2.0
PLACE_WEIGHT = 2.0
TIME_WEIGHT = 1.0


def _stem(word: str) -> str:
    """A light stem so "bikes"/"bike" and "repairing"/"repair" meet (English-leaning, harmless elsewhere)."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(folded: str) -> list[str]:
    """The folded words that carry meaning (no stop words, no one- or two-letter words), in order."""
    return [w for w in _WORD.findall(folded) if len(w) > 2 and w not in STOPWORDS and not w.isdigit()]


@dataclass
class _Side:
    """What matching knows of one offer or need."""

    id: str
    contact_id: str
    text: str
    words: list[str]
    stems: set[str]
    themes: set[str]
    place: str
    place_shown: str
    when: dict[str, str]
    crosses: bool
    shares: bool
    folded: str


@dataclass(frozen=True)
class Match:
    """One suggested introduction: a need, an offer that fits it, how well, and why."""

    need_id: str
    offer_id: str
    need_contact: str
    offer_contact: str
    score: float
    reasons: tuple[str, ...]
    need_text: str = ""
    offer_text: str = ""
    need_person: str = ""
    offer_person: str = ""

    @property
    def reason(self) -> str:
        """The reasons as one line."""
        return "; ".join(self.reasons)

    def to_json(self) -> dict[str, Any]:
        """The suggestion as JSON (`oursociety matches --json`)."""
        return {"need": self.need_id, "offer": self.offer_id, "need_person": self.need_person,
                "offer_person": self.offer_person, "need_text": self.need_text, "offer_text": self.offer_text,
                "score": round(self.score, 2), "reasons": list(self.reasons)}


@dataclass
class _People:
    names: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    shares: dict[str, bool] = field(default_factory=dict)


def _load_people(conn: Connection, ids: set[str]) -> _People:
    people = _People()
    rows = conn.execute(text(
        "SELECT id, display_name, given_name, family_name, organisation, origin_hub, share_with_hubs FROM contact "
        "WHERE deleted = 0 AND erased = 0"))
    for cid, display, given, family, org, origin, shares in rows:
        if cid in ids:
            people.names[cid] = name_to_show(display, given, family, org, False)
            people.origin[cid] = origin
            people.shares[cid] = bool(shares)
    return people


def _load_side(conn: Connection, table: str, today: str) -> list[tuple[Any, ...]]:
    return list(conn.execute(text(
        f"SELECT id, contact_id, text, themes, locality, availability FROM {table} "  # noqa: S608
        "WHERE deleted = 0 AND (until = '' OR until >= :today) ORDER BY id"), {"today": today}))


def _side(row: tuple[Any, ...], people: _People, this_hub: str) -> _Side | None:
    rid, cid, body, themes_raw, locality, availability = row
    if cid not in people.names:
        return None
    folded = fold(body or "")
    words = content_words(folded)
    themes = json.loads(themes_raw) if isinstance(themes_raw, str) else list(themes_raw or [])
    return _Side(
        id=rid, contact_id=cid, text=body or "", words=words, stems={_stem(w) for w in words},
        themes={fold(t) for t in themes if t}, place=fold(locality or ""), place_shown=(locality or "").strip(),
        when={_stem(w): w for w in _WORD.findall(fold(availability or "")) if w in AVAILABILITY_WORDS},
        crosses=people.origin.get(cid, this_hub) != this_hub, shares=people.shares.get(cid, False), folded=folded)


def _shared_phrases(need: _Side, common: set[str]) -> list[str]:
    """The need's runs of consecutive words whose stems the offer also has ("bike repair"), longest first."""
    phrases: list[str] = []
    run: list[str] = []
    for word in [*need.words, ""]:
        if word and _stem(word) in common:
            run.append(word)
            continue
        if run:
            phrases.append(" ".join(run))
        run = []
    return sorted(dict.fromkeys(phrases), key=lambda p: (-len(p.split()), need.words.index(p.split()[0])))


def _allowed(need: _Side, offer: _Side) -> bool:
    if need.contact_id == offer.contact_id:
        return False
    if need.crosses or offer.crosses:
        return need.shares and offer.shares
    return True


def _quick_score(need: _Side, offer: _Side) -> float:
    """The same score as `_score`, without the reasons."""
    return (THEME_WEIGHT * len(need.themes & offer.themes) + WORD_WEIGHT * len(need.stems & offer.stems)
            + (PLACE_WEIGHT if need.place and need.place == offer.place else 0.0)
            + (TIME_WEIGHT if need.when.keys() & offer.when.keys() else 0.0))


def _score(need: _Side, offer: _Side) -> tuple[float, tuple[str, ...]]:
    reasons: list[str] = []
    score = 0.0
    themes = sorted(need.themes & offer.themes)
    if themes:
        score += THEME_WEIGHT * len(themes)
        reasons.append(REASON_THEMES.format(themes=", ".join(themes)))
    common = need.stems & offer.stems
    if common:
        score += WORD_WEIGHT * len(common)
        phrases = [p for p in _shared_phrases(need, common) if p not in themes]
        if phrases:
            reasons.append(REASON_WORDS.format(words=", ".join(phrases[:3])))
    if need.place and need.place == offer.place:
        score += PLACE_WEIGHT
        reasons.append(REASON_PLACE.format(place=need.place_shown))
    when = sorted(need.when.keys() & offer.when.keys())
    if when:
        score += TIME_WEIGHT
        reasons.append(REASON_TIME.format(when=", ".join(need.when[w] for w in when)))
    return score, tuple(reasons)


def _keys(side: _Side) -> set[str]:
    """The index keys of an offer or need: its themes and word stems, each also paired with its place (so that
    among many offers sharing a common word, those in the same place are found first)."""
    keys = {*(f"t:{t}" for t in side.themes), *(f"w:{s}" for s in side.stems)}
    if side.place:
        keys |= {f"{side.place}|{k}" for k in keys}
    return keys


def find_matches(conn: Connection, this_hub: str, *, today: str = "", per_need: int = 3,
                 need_ids: Iterable[str] | None = None,
                 progress: Progress | None = None) -> list[Match]:
    """Suggested introductions: for each live need (or those named), up to `per_need` offers that fit, best
    first; needs in the order of their best suggestion's score."""
    today = today or date.today().isoformat()
    offer_rows = _load_side(conn, "offer", today)
    need_rows = _load_side(conn, "need", today)
    if need_ids is not None:
        wanted = set(need_ids)
        need_rows = [r for r in need_rows if r[0] in wanted]
    people = _load_people(conn, {r[1] for r in offer_rows} | {r[1] for r in need_rows})
    offers = [s for s in (_side(r, people, this_hub) for r in offer_rows) if s is not None]
    decided = {(n, o) for n, o in conn.execute(text("SELECT need_id, offer_id FROM match_decision"))}

    postings: dict[str, list[int]] = defaultdict(list)
    for index, offer in enumerate(offers):
        for key in _keys(offer):
            postings[key].append(index)
    too_common = max(50, min(MAX_POSTING, int(len(offers) * COMMON_SHARE)))

    matches: list[Match] = []
    for done, row in enumerate(need_rows):
        if progress is not None and done % 2000 == 0 and progress(int(100 * done / max(1, len(need_rows))),
                                                                  "Matching needs to offers") is False:
            raise UserError("Cancelled; nothing was changed.")
        need = _side(row, people, this_hub)
        if need is None:
            continue
        # Rarest keys first: a word or theme few offers share says more, and common ones only add candidates
        # while fewer than CANDIDATES were found.
        keys = sorted(_keys(need), key=lambda k: (len(postings.get(k, ())), k))
        hits: Counter[int] = Counter()
        for key in keys:
            posting = postings.get(key, ())
            if not posting:
                continue
            if len(posting) > too_common and len(hits) >= CANDIDATES:
                break
            hits.update(posting[:too_common] if len(posting) > too_common else posting)
        # A cheap score for the candidates; similarity and the reasons only for the few that may be shown.
        quick: list[tuple[float, str, _Side]] = []
        for index, _count in hits.most_common(SCORED):
            offer = offers[index]
            if (need.id, offer.id) in decided or not _allowed(need, offer):
                continue
            score = _quick_score(need, offer)
            if score > 0:
                quick.append((score, offer.id, offer))
        quick.sort(key=lambda r: (-r[0], r[1]))
        ranked: list[tuple[float, float, str, _Side]] = []
        for score, oid, offer in quick[:per_need * 2]:
            similarity = fuzz.token_set_ratio(need.folded, offer.folded) / 100.0
            ranked.append((score + similarity, similarity, oid, offer))
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
        for total, _sim, _oid, offer in ranked[:per_need]:
            matches.append(Match(need.id, offer.id, need.contact_id, offer.contact_id, total,
                                 _score(need, offer)[1], need.text, offer.text,
                                 people.names.get(need.contact_id, ""), people.names.get(offer.contact_id, "")))
    best: dict[str, float] = {}
    for m in matches:
        best[m.need_id] = max(best.get(m.need_id, 0.0), m.score)
    matches.sort(key=lambda m: (-best[m.need_id], m.need_id, -m.score, m.offer_id))
    return matches


# ---- the broker's decisions ----


def how_to_reach(contact: Contact) -> str:
    """How a follow-up may say to reach a person, from their do-not-phone and do-not-email wishes."""
    if contact.do_not_phone and contact.do_not_email:
        return REACH_NEITHER
    if contact.do_not_phone:
        return REACH_EMAIL_ONLY
    if contact.do_not_email:
        return REACH_PHONE_ONLY
    return REACH_BOTH


def _pair(tx: Tx, need_id: str, offer_id: str) -> tuple[Need, Offer, Contact, Contact]:
    need = get_record(tx.session, Need, need_id, live=True)
    offer = get_record(tx.session, Offer, offer_id, live=True)
    asker = get_record(tx.session, Contact, need.contact_id, live=True)
    giver = get_record(tx.session, Contact, offer.contact_id, live=True)
    if asker.id == giver.id:
        raise UserError("That need and that offer are the same person's.")
    crosses = asker.origin_hub != tx.hub_id or giver.origin_hub != tx.hub_id
    if crosses and not (asker.share_with_hubs and giver.share_with_hubs):
        raise UserError("These two people are at different hubs and one of them has not agreed to share; they "
                        "cannot be introduced through the network.")
    return need, offer, asker, giver


def _decide(tx: Tx, need_id: str, offer_id: str, decision: str, connection_id: str = "") -> None:
    row = tx.session.get(MatchDecision, (need_id, offer_id))
    if row is None:
        row = MatchDecision(need_id=need_id, offer_id=offer_id)
    row.decision = decision
    row.decided_at = utc_now_iso()
    row.connection_id = connection_id
    tx.session.add(row)


def accept_match(tx: Tx, need_id: str, offer_id: str, broker_id: str = "", *, due_in_days: int = 7
                 ) -> ConnectionRecord:
    """Introduce the person with the need to the person with the offer: a Connection of kind "introduced" (the
    broker as introducer) and a follow-up action saying how to reach each; the pair is not suggested again."""
    need, offer, asker, giver = _pair(tx, need_id, offer_id)
    earlier = tx.session.get(MatchDecision, (need.id, offer.id))
    if earlier is not None and earlier.decision == "accepted":
        raise UserError("This introduction was already made.")
    broker = get_record(tx.session, Contact, broker_id, live=True).id if broker_id else ""
    if broker in (asker.id, giver.id):
        raise UserError("The broker must be someone other than the two people introduced.")
    need_side = _side((need.id, need.contact_id, need.text, need.themes, need.locality, need.availability),
                      _People({asker.id: asker.shown_name}, {asker.id: tx.hub_id}, {}), tx.hub_id)
    offer_side = _side((offer.id, offer.contact_id, offer.text, offer.themes, offer.locality, offer.availability),
                       _People({giver.id: giver.shown_name}, {giver.id: tx.hub_id}, {}), tx.hub_id)
    assert need_side is not None and offer_side is not None
    reasons = "; ".join(_score(need_side, offer_side)[1]) or "chosen by the broker"
    names = {"need_person": asker.shown_name, "offer_person": giver.shown_name}
    notes = FOLLOW_UP_NOTES.format(**names, need_text=need.text, offer_text=offer.text, reasons=reasons,
                                   need_reach=how_to_reach(asker), offer_reach=how_to_reach(giver))
    today = date.today()
    connection = record_introduction(
        tx, {"contact_a": asker.id, "contact_b": giver.id, "kind": "introduced", "introduced_by": broker,
             "date": today.isoformat(), "note": reasons},
        {"title": FOLLOW_UP_TITLE.format(**names), "notes": notes,
         "due": (today + timedelta(days=due_in_days)).isoformat()})
    _decide(tx, need.id, offer.id, "accepted", connection.id)
    return connection


def decline_match(tx: Tx, need_id: str, offer_id: str) -> None:
    """Remember that the broker does not want this pair suggested again."""
    need = get_record(tx.session, Need, need_id)
    offer = get_record(tx.session, Offer, offer_id)
    _decide(tx, need.id, offer.id, "declined")


def forget_decision(tx: Tx, need_id: str, offer_id: str) -> None:
    """Undo a decline: the pair may be suggested again."""
    row = tx.session.get(MatchDecision, (need_id, offer_id))
    if row is not None:
        tx.session.delete(row)

"""Matching offers to needs, to suggest introductions.

For each live need, the live offers that fit: shared themes, shared words of the text (folded as in search, so
"Café" and "cafe" are one word), the same locality, overlapping availability; ranked by those, then by the text
similarity rapidfuzz measures, each suggestion with its reasons ("both mention bike repair; both in Hulme").

Who may be suggested: a person is never suggested to themself, nor after the broker declined or accepted the
pair; records that ran out (`until` passed) are left out; and a match that crosses hubs (either person came from
another hub) needs both people's sharing consent.

Candidates come from an inverted index of the offers' themes and word stems: every offer sharing one with the
need is scored at once with numpy (shared themes and words counted from the postings, place and availability
compared as codes and bit masks), so the work grows with the pairs that share something, not with all pairs; a
theme or word held by very many offers is read only together with the need's place.

Accepting a suggestion records a Connection of kind "introduced", the broker as introducer, and a follow-up action
whose text says how each person may be reached (`do_not_phone`, `do_not_email`); declining is remembered.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache, partial
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from sqlalchemy import Connection, text

from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.names import name_to_show
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.tables import Contact, Need, Offer
from oursociety_desktop.models.text import fold

# Reasons: whole phrases with named placeholders, joined with "; " when shown.
REASON_THEMES = N_("both about {themes}")
REASON_WORDS = N_("both mention {words}")
REASON_PLACE = N_("both in {place}")
REASON_TIME = N_("both free on {when}")

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
# A theme or word held by more offers than this is read only together with the need's place.
COMMON_POSTING = 1000

THEME_WEIGHT = 4.0
WORD_WEIGHT = 2.0
PLACE_WEIGHT = 2.0
TIME_WEIGHT = 1.0


@lru_cache(maxsize=65536)
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
    stems: frozenset[str]
    themes: frozenset[str]
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
    # Why, worked out when first asked for: a window shows the reasons of the rows on screen, not of 75,000.
    explain: Callable[[], tuple[str, ...]] = field(compare=False, repr=False)
    need_text: str = ""
    offer_text: str = ""
    need_person: str = ""
    offer_person: str = ""

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        """What the need and the offer have in common, as whole phrases ("both in Hulme")."""
        return self.explain()

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
    # Only the people with a live offer or need, found by primary key (CROSS JOIN keeps SQLite from walking
    # every live contact first), not every contact of the hub.
    rows = conn.execute(text(
        "SELECT c.id, c.display_name, c.given_name, c.family_name, c.organisation, c.origin_hub, c.share_with_hubs "
        "FROM (SELECT contact_id FROM offer WHERE deleted = 0 UNION SELECT contact_id FROM need WHERE deleted = 0) x "
        "CROSS JOIN contact c ON c.id = x.contact_id WHERE c.deleted = 0 AND c.erased = 0"))
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


@lru_cache(maxsize=8192)
def _parse_text(body: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    folded = fold(body)
    words = content_words(folded)
    return folded, tuple(words), frozenset(_stem(w) for w in words)


_fold_theme = lru_cache(maxsize=4096)(fold)


@lru_cache(maxsize=1024)
def _parse_when(availability: str) -> tuple[tuple[str, str], ...]:
    return tuple((_stem(w), w) for w in _WORD.findall(fold(availability)) if w in AVAILABILITY_WORDS)


def _side(row: tuple[Any, ...], people: _People, this_hub: str) -> _Side | None:
    rid, cid, body, themes_raw, locality, availability = row
    if cid not in people.names:
        return None
    folded, words, stems = _parse_text(body or "")
    themes = json.loads(themes_raw) if isinstance(themes_raw, str) else list(themes_raw or [])
    return _Side(
        id=rid, contact_id=cid, text=body or "", words=list(words), stems=stems,
        themes=frozenset(_fold_theme(t) for t in themes if t), place=_fold_theme(locality or ""),
        place_shown=(locality or "").strip(),
        when=dict(_parse_when(availability or "")),
        crosses=people.origin.get(cid, this_hub) != this_hub, shares=people.shares.get(cid, False), folded=folded)


def _shared_phrases(need: _Side, common: frozenset[str]) -> list[str]:
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


def _reasons(need: _Side, offer: _Side) -> tuple[str, ...]:
    return _score(need, offer)[1]


def _score(need: _Side, offer: _Side) -> tuple[float, tuple[str, ...]]:
    reasons: list[str] = []
    score = 0.0
    themes = sorted(need.themes & offer.themes)
    if themes:
        score += THEME_WEIGHT * len(themes)
        reasons.append(_(REASON_THEMES).format(themes=", ".join(themes)))
    common = need.stems & offer.stems
    if common:
        score += WORD_WEIGHT * len(common)
        phrases = [p for p in _shared_phrases(need, common) if p not in themes]
        if phrases:
            reasons.append(_(REASON_WORDS).format(words=", ".join(phrases[:3])))
    if need.place and need.place == offer.place:
        score += PLACE_WEIGHT
        reasons.append(_(REASON_PLACE).format(place=need.place_shown))
    when = sorted(need.when.keys() & offer.when.keys())
    if when:
        score += TIME_WEIGHT
        reasons.append(_(REASON_TIME).format(when=", ".join(need.when[w] for w in when)))
    return score, tuple(reasons)


class _OfferIndex:
    """The live offers as arrays (place, availability, person, consent) and an inverted index from each theme and
    word stem to the offers that have it, so a need is scored against every offer sharing something with it in a
    few vectorised steps rather than one Python call per pair."""

    def __init__(self, offers: list[_Side]) -> None:
        self.offers = offers
        places: dict[str, int] = {}
        contacts: dict[str, int] = {}
        self.when_bits: dict[str, int] = {}
        self.place = np.array([places.setdefault(o.place, len(places)) if o.place else -1 for o in offers],
                              dtype=np.int64)
        self.places = places
        self.contact = np.array([contacts.setdefault(o.contact_id, len(contacts)) for o in offers], dtype=np.int64)
        self.contacts = contacts
        self.when = np.array([self.bits(o.when) for o in offers], dtype=np.int64)
        self.crosses = np.array([o.crosses for o in offers], dtype=bool)
        self.shares = np.array([o.shares for o in offers], dtype=bool)
        lists: dict[str, list[int]] = defaultdict(list)
        for index, offer in enumerate(offers):
            for theme in offer.themes:
                lists["t:" + theme].append(index)
            for stem in offer.stems:
                lists["w:" + stem].append(index)
        self.postings = {key: np.array(found, dtype=np.int64) for key, found in lists.items()}
        self._score = np.zeros(len(offers), dtype=np.int64)
        # A key held by very many offers ("help", a broad theme) is read only together with the need's place.
        self.by_place: dict[str, np.ndarray] = {}
        for key, found in lists.items():
            if len(found) > COMMON_POSTING:
                grouped: dict[str, list[int]] = defaultdict(list)
                for index in found:
                    grouped[offers[index].place].append(index)
                for place, members in grouped.items():
                    self.by_place[f"{place}|{key}"] = np.array(members, dtype=np.int64)

    def bits(self, when: dict[str, str]) -> int:
        """The availability words as a bit mask (each word one bit, numbered as first seen)."""
        mask = 0
        for stem in when:
            mask |= 1 << self.when_bits.setdefault(stem, len(self.when_bits))
        return mask

    def best(self, need: _Side, count: int) -> list[tuple[int, float]]:
        """The `count` offers that fit the need best, as (offer index, quick score), best first (ties: the lower
        offer id first, as the offers are sorted by id). Every offer sharing a theme or a word stem with the need
        is scored: THEME_WEIGHT per shared theme, WORD_WEIGHT per shared word stem, PLACE_WEIGHT for the same
        place, TIME_WEIGHT when their availability overlaps; an offer the need may not be matched with (the same
        person; across hubs without both people's consent) is left out."""
        parts: list[np.ndarray] = []
        for key, weight in [*(("t:" + t, THEME_WEIGHT) for t in need.themes),
                            *(("w:" + w, WORD_WEIGHT) for w in need.stems)]:
            found = self.postings.get(key)
            if found is not None and len(found) > COMMON_POSTING:
                found = self.by_place.get(f"{need.place}|{key}") if need.place else None
            if found is None or not len(found):
                continue
            # A posting names each offer once, so adding into the shared accumulator needs no np.add.at.
            self._score[found] += int(weight)
            parts.append(found)
        if not parts:
            return []
        joined = parts[0] if len(parts) == 1 else np.concatenate(parts)
        score = self._score[joined]
        self._score[joined] = 0  # ready for the next need
        place = self.places.get(need.place, -2) if need.place else -2
        score = score + int(PLACE_WEIGHT) * (self.place[joined] == place)
        when = sum(1 << self.when_bits[w] for w in need.when if w in self.when_bits)
        if when:
            score = score + int(TIME_WEIGHT) * ((self.when[joined] & when) != 0)
        allowed = self.contact[joined] != self.contacts.get(need.contact_id, -1)
        if need.crosses:
            allowed &= self.shares[joined] & need.shares
        else:
            allowed &= ~self.crosses[joined] | (self.shares[joined] & need.shares)
        # One integer per candidate orders by score, then by the lower index; an offer met through several
        # keys appears once per key with the same value, so take enough to keep `count` distinct ones.
        size = len(self.offers) + 1
        rank = np.where(allowed & (score > 0), score * size + (size - 1 - joined), -1)
        take = count * (len(parts) + 1)
        if len(rank) > take:
            rank = rank[np.argpartition(rank, len(rank) - take)[len(rank) - take:]]
        return [(size - 1 - value % size, float(value // size))
                for value in sorted({int(v) for v in rank if v >= 0}, reverse=True)[:count]]


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
    index = _OfferIndex(offers)
    position = {offer.id: i for i, offer in enumerate(offers)}
    decided: dict[str, set[int]] = defaultdict(set)
    for need_id, offer_id in conn.execute(text("SELECT need_id, offer_id FROM match_decision")):
        if offer_id in position:
            decided[need_id].add(position[offer_id])

    matches: list[Match] = []
    for done, row in enumerate(need_rows):
        if progress is not None and done % 2000 == 0 and progress(int(100 * done / max(1, len(need_rows))),
                                                                  _("Matching needs to offers")) is False:
            raise UserError(_("Cancelled; nothing was changed."))
        need = _side(row, people, this_hub)
        if need is None:
            continue
        skip = decided.get(need.id, set())
        # Similarity (and the reasons) only for the few that may be shown.
        best = [(i, quick) for i, quick in index.best(need, per_need * 2 + len(skip)) if i not in skip]
        ranked: list[tuple[float, float, str, _Side]] = []
        for i, quick in best[:per_need * 2]:
            offer = offers[i]
            similarity = fuzz.token_set_ratio(need.folded, offer.folded) / 100.0
            ranked.append((quick + similarity, similarity, offer.id, offer))
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
        for total, _sim, _oid, offer in ranked[:per_need]:
            matches.append(Match(need.id, offer.id, need.contact_id, offer.contact_id, total,
                                 partial(_reasons, need, offer), need.text, offer.text,
                                 people.names.get(need.contact_id, ""), people.names.get(offer.contact_id, "")))
    best_score: dict[str, float] = {}
    for m in matches:
        best_score[m.need_id] = max(best_score.get(m.need_id, 0.0), m.score)
    matches.sort(key=lambda m: (-best_score[m.need_id], m.need_id, -m.score, m.offer_id))
    return matches


def match_reasons(need: Need, offer: Offer, asker: Contact, giver: Contact, this_hub: str) -> tuple[str, ...]:
    """Why this offer fits this need, as the suggestions say it ("both about bike repair"; empty when nothing in
    common was found)."""
    need_side = _side((need.id, need.contact_id, need.text, need.themes, need.locality, need.availability),
                      _People({asker.id: asker.shown_name}, {asker.id: this_hub}, {}), this_hub)
    offer_side = _side((offer.id, offer.contact_id, offer.text, offer.themes, offer.locality, offer.availability),
                       _People({giver.id: giver.shown_name}, {giver.id: this_hub}, {}), this_hub)
    assert need_side is not None and offer_side is not None
    return _score(need_side, offer_side)[1]

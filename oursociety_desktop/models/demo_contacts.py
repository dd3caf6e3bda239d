"""The demo's people: contact rows and their search rows, made together.

Phone numbers use Ofcom's ranges reserved for drama (07700 900xxx, 0161 496 0xxx...), so no real person is ever
rung; names come from many cultures and scripts. A person is drawn from the seeded stream as the demo always drew
them; what follows from the names, the town or a number (the family name in the given name's script, the sort
key, the folded search text, a number's E.164 form and digit tokens) is worked out once per distinct value and
remembered, as the pools are small and 100,000 people repeat them again and again. A contact's search row is what
`search.search_row` gives for it (tests/core/test_core_demo_rows.py holds them to that).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from json.encoder import encode_basestring_ascii
from typing import Any

from oursociety_desktop.models import demo_names as N
from oursociety_desktop.models.bulk import json_text
from oursociety_desktop.models.demo_rows import Draws, RowWriter
from oursociety_desktop.models.phones import e164_of
from oursociety_desktop.models.search import SearchRow, _folded_part, phone_tokens
from oursociety_desktop.models.tables import CONTACT_STAGES, Contact
from oursociety_desktop.models.text import sort_key

# The columns a demo contact sets, in the order of its row tuple; the others keep their defaults.
CONTACT_COLUMNS = (
    "id", "base_stamp", "given_name", "family_name", "organisation", "role", "phones", "emails", "street",
    "locality", "region", "postcode", "country", "languages", "tags", "notes", "private_notes", "share_with_hubs",
    "include_in_directory", "do_not_phone", "do_not_email", "do_not_mail", "do_not_sms", "consent_recorded_at",
    "consent_method", "engagement_stage", "sort_key",
)
CONSENT_METHODS = ("paper form", "verbal, at a meeting", "online form", "email")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
CONSENT_DAYS = 900


def contact_writer() -> RowWriter:
    """The writer of the rows `contact_rows` makes."""
    return RowWriter(Contact, CONTACT_COLUMNS)


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


def demo_e164(number: str, region: str) -> str | None:
    """The E.164 form of a number the demo makes (national "07700 900123" or international "+44 7700 900123",
    all in the UK's drama ranges): in the UK, its digits after +44, which is what `phones.e164_of` reads for
    them (tests/core/test_core_demo_rows.py checks every one); elsewhere, `e164_of`'s reading."""
    if region.upper() != "GB":
        return e164_of(number, region)
    digits = number.replace(" ", "")
    return "+44" + digits[1:] if digits.startswith("0") else digits


def contact_rows(draws: Draws, count: int, stamp: Callable[[], str], region: str, today: date
                 ) -> Iterator[tuple[tuple[Any, ...], SearchRow]]:
    """`count` demo people: each as its row (`CONTACT_COLUMNS`) and its search row."""
    below, chance, sample_few, uuid4 = draws.below, draws.random, draws.sample_few, draws.uuid4
    cultures, towns, streets = N.CULTURES, N.TOWNS, N.STREETS
    organisations, roles, titles = N.ORGANISATIONS, N.ROLES, N.MEETING_TITLES
    skills, interests, letters = N.SKILLS, N.INTERESTS, POSTCODE_LETTERS
    phone_counts, stages = (0, 1, 1, 1, 2), CONTACT_STAGES
    consent_dates = [(today - timedelta(days=d)).isoformat() for d in range(CONSENT_DAYS)]
    folded: dict[str, str] = {"": ""}
    people: dict[tuple[int, str, str], tuple[str, str, str, str, str, str | None]] = {}
    spoken: dict[tuple[int, int], tuple[list[str], str, list[str]]] = {}
    numbers: dict[tuple[str, str], tuple[str, str | None, list[str]]] = {}
    tag_sets: dict[tuple[str, ...], tuple[str, list[str]]] = {}

    def fold_once(value: str) -> str:
        known = folded.get(value)
        if known is None:
            known = folded[value] = _folded_part(value)
        return known

    def person(culture: int, given: str, drawn: str) -> tuple[str, str, str, str, str, str | None]:
        """(given, family, sort key, folded given, folded family, e-mail name or None) of a drawn pair."""
        family = _same_script(drawn, given, cultures[culture][2])
        ascii_given = given if given.isascii() else "friend"
        email_name = f"{ascii_given}.{family}".lower().replace(" ", "").replace("'", "")
        made = (given, family, sort_key(family, given, ""), fold_once(given), fold_once(family),
                email_name if email_name.isascii() else None)
        people[culture, given, drawn] = made
        return made

    def languages_of(culture: int, n: int) -> tuple[list[str], str, list[str]]:
        """(languages, their JSON, folded) of the first `n` languages of a culture."""
        chosen = list(cultures[culture][3][:n])
        made = chosen, json_text(chosen), [fold_once(x) for x in chosen]
        spoken[culture, n] = made
        return made

    def number_of(label: str, value: str) -> tuple[str, str | None, list[str]]:
        """(JSON of the phone entry, E.164 or None, digit tokens) of a number."""
        e164 = demo_e164(value, region)
        made = json_text([{"label": label, "value": value}])[1:-1], e164, phone_tokens(value, e164)
        numbers[label, value] = made
        return made

    def tags_of(tags: tuple[str, ...]) -> tuple[str, list[str]]:
        """(JSON, folded) of a set of tags."""
        made = json_text(list(tags)), [fold_once(x) for x in tags]
        tag_sets[tags] = made
        return made

    for _count in range(count):
        culture = below(len(cultures))
        _name, givens, families, languages = cultures[culture]
        given, family = givens[below(len(givens))], families[below(len(families))]
        given, family, key, folded_given, folded_family, email_name = \
            people.get((culture, given, family)) or person(culture, given, family)
        town = towns[below(len(towns))]
        phone_parts: list[str] = []
        e164s: list[str] = []
        digits: list[str] = []
        for _phone in range(phone_counts[below(5)]):
            if chance() < 0.65:
                label = "mobile"
                value = f"07700 900{below(1000):03d}"
                if chance() >= 0.7:
                    value = "+44 " + value[1:]
            else:
                label = ("home", "work")[below(2)]
                value = f"{town[3]}{below(1000):03d}"
            entry, e164, tokens = numbers.get((label, value)) or number_of(label, value)
            phone_parts.append(entry)
            if e164:
                e164s.append(e164)
            digits.extend(tokens)
        if email_name is None:
            email_name = f"member{below(100000)}"
        email = f"{email_name}{below(100)}@example.org" if chance() < 0.7 else ""
        emails = f'[{{"label": "home", "value": {encode_basestring_ascii(email)}}}]' if email else "[]"
        tags = tuple(sorted(set(sample_few(skills, below(3)) + sample_few(interests, below(3)))))
        tags_json, tags_folded = tag_sets.get(tags) or tags_of(tags)
        s = stamp()
        share = chance() < 0.6
        cid = uuid4()
        organisation, role = organisations[below(len(organisations))], roles[below(len(roles))]
        street = f"{1 + below(219)} {streets[below(len(streets))]}"
        postcode = f"{town[2]}{1 + below(29)} {1 + below(9)}{letters[below(20)]}{letters[below(20)]}"
        n = 1 + below(len(languages))
        spoken_now = spoken.get((culture, n)) or languages_of(culture, n)
        notes = "" if chance() < 0.7 else f"Met at the {titles[below(len(titles))].lower()}."
        private_notes = "" if chance() < 0.9 else "Prefers a call in the evening."
        row = (
            cid, s, given, family, organisation, role, f"[{', '.join(phone_parts)}]", emails, street, town[0],
            town[1], postcode, "United Kingdom", spoken_now[1], tags_json, notes, private_notes, share, chance() < 0.8,
            chance() < 0.08, chance() < 0.08, chance() < 0.1, chance() < 0.1, consent_dates[below(CONSENT_DAYS)],
            CONSENT_METHODS[below(4)], stages[below(len(stages))], key,
        )
        # The parts `search_body` folds, in its order: names, organisation, role, place, postcode (as written and
        # without its space), tags, languages, e-mail; then the phones' digit tokens.
        parts = [folded_given, folded_family, fold_once(organisation), fold_once(role), fold_once(town[0]),
                 fold_once(town[1]), _folded_part(postcode), _folded_part(postcode.replace(" ", "")),
                 *tags_folded, *spoken_now[2]]
        if email:
            parts.append(_folded_part(email))
        body = " ".join([part for part in parts if part])
        yield row, (cid, " ".join([body, *digits]).strip(), list(dict.fromkeys(e164s)), key)

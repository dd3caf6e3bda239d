"""The demo's people: contact rows and their search rows, made together.

Phone numbers use Ofcom's ranges reserved for drama (07700 900xxx, 0161 496 0xxx...), so no real person is ever
rung; names come from many cultures and scripts. A person is drawn from the seeded stream as the demo always drew
them; what follows from the names or a number (the family name in the given name's script, the sort key, the JSON
of a phone entry, of a set of tags or languages) is worked out once per distinct value and remembered, as the
pools are small and 100,000 people repeat them again and again. A contact's search row is `search.search_row` of
its values, as for every other way a contact is written.
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
from oursociety_desktop.models.search import SearchRow, search_row
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


def contact_rows(draws: Draws, count: int, stamp: Callable[[], str], region: str, today: date
                 ) -> Iterator[tuple[tuple[Any, ...], SearchRow]]:
    """`count` demo people: each as its row (`CONTACT_COLUMNS`) and its search row."""
    below, chance, sample_few, uuid4 = draws.below, draws.random, draws.sample_few, draws.uuid4
    cultures, towns, streets = N.CULTURES, N.TOWNS, N.STREETS
    organisations, roles, titles = N.ORGANISATIONS, N.ROLES, N.MEETING_TITLES
    skills, interests, letters = N.SKILLS, N.INTERESTS, POSTCODE_LETTERS
    phone_counts, stages = (0, 1, 1, 1, 2), CONTACT_STAGES
    consent_dates = [(today - timedelta(days=d)).isoformat() for d in range(CONSENT_DAYS)]
    people: dict[tuple[int, str, str], tuple[str, str, str, str | None]] = {}
    spoken: dict[tuple[int, int], tuple[list[str], str]] = {}
    numbers: dict[tuple[str, str], str] = {}
    tag_sets: dict[tuple[str, ...], str] = {}

    def person(culture: int, given: str, drawn: str) -> tuple[str, str, str, str | None]:
        """(given, family, sort key, e-mail name or None) of a drawn pair."""
        family = _same_script(drawn, given, cultures[culture][2])
        ascii_given = given if given.isascii() else "friend"
        email_name = f"{ascii_given}.{family}".lower().replace(" ", "").replace("'", "")
        made = given, family, sort_key(family, given, ""), email_name if email_name.isascii() else None
        people[culture, given, drawn] = made
        return made

    def languages_of(culture: int, n: int) -> tuple[list[str], str]:
        """(languages, their JSON) of the first `n` languages of a culture."""
        chosen = list(cultures[culture][3][:n])
        made = spoken[culture, n] = chosen, json_text(chosen)
        return made

    def number_of(label: str, value: str) -> str:
        """The JSON of a phone entry."""
        made = numbers[label, value] = json_text([{"label": label, "value": value}])[1:-1]
        return made

    def tags_of(tags: tuple[str, ...]) -> str:
        """The JSON of a set of tags."""
        made = tag_sets[tags] = json_text(list(tags))
        return made

    for _count in range(count):
        culture = below(len(cultures))
        _name, givens, families, languages = cultures[culture]
        given, family = givens[below(len(givens))], families[below(len(families))]
        given, family, key, email_name = people.get((culture, given, family)) or person(culture, given, family)
        town = towns[below(len(towns))]
        phone_parts: list[str] = []
        phones: list[dict[str, str]] = []
        for _phone in range(phone_counts[below(5)]):
            if chance() < 0.65:
                label = "mobile"
                value = f"07700 900{below(1000):03d}"
                if chance() >= 0.7:
                    value = "+44 " + value[1:]
            else:
                label = ("home", "work")[below(2)]
                value = f"{town[3]}{below(1000):03d}"
            phone_parts.append(numbers.get((label, value)) or number_of(label, value))
            phones.append({"value": value})
        if email_name is None:
            email_name = f"member{below(100000)}"
        email = f"{email_name}{below(100)}@example.org" if chance() < 0.7 else ""
        emails = f'[{{"label": "home", "value": {encode_basestring_ascii(email)}}}]' if email else "[]"
        tags = tuple(sorted(set(sample_few(skills, below(3)) + sample_few(interests, below(3)))))
        tags_json = tag_sets.get(tags) or tags_of(tags)
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
        values = {"id": cid, "deleted": False, "erased": False, "sort_key": key, "given_name": given,
                  "family_name": family, "organisation": organisation, "role": role, "locality": town[0],
                  "region": town[1], "postcode": postcode, "tags": tags, "languages": spoken_now[0],
                  "phones": phones, "emails": [{"value": email}] if email else ()}
        yield row, search_row(values, region)

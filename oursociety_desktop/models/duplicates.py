"""Duplicate contacts: finding likely pairs, remembering "not a duplicate", and merging.

Names are compared folded (case, accents, ł→l, Greek and Cyrillic transliterated to Latin, spacing, hyphens)
with common nicknames mapped to one form (Bill→William, Kasia→Katarzyna); phones in E.164 through the
`contact_phone` index; emails case-insensitively. Pairs are only scored inside blocks (same email, same phone,
same folded name, or names whose longest word starts alike), so 100,000 contacts scan in seconds. Blocks bigger
than `MAX_BLOCK` (a shared office number, a very common name) are too weak to flag on their own and are left out.

A merge of A into B sets B's fields field by field, moves A's memberships, action links and connections to B,
and marks A `merged_into = B` and `deleted`: ordinary stamped edits, so the merge travels to other hubs in
bundles and a stale copy of A (older stamps) cannot bring it back. `undo_merge` restores everything as new edits.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, select

from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.names import name_to_show
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.records import get_record, update_record
from oursociety_desktop.models.references import follow_merge
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import Contact, ContactPhone, NotDuplicate
from oursociety_desktop.models.text import fold
from oursociety_desktop.models.withdrawal import refuse_if_withheld

THRESHOLD = 70
MAX_BLOCK = 50
MAX_SAME_NAME = 25
FUZZY_CUTOFF = 88

_NICKNAMES: dict[str, tuple[str, ...]] = {
    "william": ("bill", "billy", "will", "willy", "liam"), "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "richard": ("dick", "rick", "ricky", "rich"), "james": ("jim", "jimmy", "jamie"),
    "michael": ("mike", "mikey", "mick", "micky"), "katherine": ("kate", "katie", "kathy", "cathy", "catherine",
                                                                 "kathryn", "kat", "kitty"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby", "elisabeth", "bess"),
    "thomas": ("tom", "tommy"), "anthony": ("tony", "antony"), "susan": ("sue", "susie", "suzanne"),
    "david": ("dave", "davey"), "daniel": ("dan", "danny"), "christopher": ("chris", "kit"),
    "alexander": ("alex", "sasha", "sandy", "aleksander", "aleksandr"), "samuel": ("sam", "sammy"),
    "benjamin": ("ben", "benny"), "joseph": ("joe", "joey"), "nicholas": ("nick", "nicky"),
    "margaret": ("maggie", "meg", "peggy", "madge"), "jennifer": ("jen", "jenny"), "andrew": ("andy", "drew"),
    "stephen": ("steve", "steven", "stevie"), "edward": ("ed", "eddie", "ted", "ned"), "henry": ("harry", "hal"),
    "john": ("jack", "johnny", "jon"), "patricia": ("pat", "patty", "trish"), "deborah": ("deb", "debbie"),
    "rebecca": ("becky", "becca"), "victoria": ("vicky", "tori"), "jacqueline": ("jackie",),
    "charles": ("charlie", "chuck"), "frederick": ("fred", "freddie"), "gerald": ("gerry", "jerry"),
    "timothy": ("tim", "timmy"), "matthew": ("matt",), "jonathan": ("jonny",), "peter": ("pete",),
    "abigail": ("abby", "abbie"), "kimberly": ("kim",), "pamela": ("pam",), "sandra": ("sandy",),
    "barbara": ("barb", "basia"), "katarzyna": ("kasia",), "malgorzata": ("gosia", "malgosia"),
    "wojciech": ("wojtek",), "tomasz": ("tomek",), "aleksandra": ("ola",), "magdalena": ("magda",),
    "muhammad": ("mohammed", "mohammad", "mohamed", "muhammed", "mohamad"), "giorgos": ("george", "yiorgos"),
    "dmitry": ("dima", "dmitri"), "ivan": ("vanya",), "yevgeny": ("zhenya", "evgeny"), "ekaterina": ("katya",),
    "francisco": ("paco", "pancho"), "jose": ("pepe",), "giuseppe": ("beppe", "peppe"),
}
NICKNAMES: dict[str, str] = {nick: full for full, nicks in _NICKNAMES.items() for nick in nicks}

# Greek and Cyrillic letters to Latin (after fold() has removed accents and case), so "Γιώργος" meets "Giorgos".
_TRANSLIT = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
})
_SEPARATORS = re.compile(r"[\s\-‐.,'’\"()/]+")


def name_tokens(text: str) -> list[str]:
    """A name's words folded, transliterated and with nicknames mapped to one form."""
    words = _SEPARATORS.split(fold(text).replace("ου", "ou").translate(_TRANSLIT))
    return [NICKNAMES.get(w, w) for w in words if w]


def person_key(values: Mapping[str, Any]) -> str:
    """The folded name two records of one person share: words of given and family name (else display name,
    else organisation), sorted, so "Smith, John" and "John Smith" meet."""
    text = " ".join(str(values.get(n) or "") for n in ("given_name", "family_name")).strip()
    if not text:
        text = str(values.get("display_name") or "") or str(values.get("organisation") or "")
    return " ".join(sorted(name_tokens(text)))


def name_similarity(a: str, b: str) -> float:
    """0–100: how alike two person keys are (order of words ignored)."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_sort_ratio(a, b))


def emails_of(values: Mapping[str, Any]) -> set[str]:
    """Email addresses, case-folded."""
    return {str(e.get("value", "")).strip().casefold() for e in values.get("emails") or [] if e.get("value")}


@dataclass
class _Person:
    id: str
    key: str
    emails: set[str]
    phones: set[str]
    shown: str


class MatchIndex:
    """Existing contacts by email, E.164 phone and folded name: finds the contact an imported row duplicates."""

    def __init__(self) -> None:
        self.people: dict[str, _Person] = {}
        self.by_email: dict[str, list[str]] = defaultdict(list)
        self.by_phone: dict[str, list[str]] = defaultdict(list)
        self.by_name: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def load(cls, conn: Connection) -> MatchIndex:
        """Every live contact of the hub."""
        index = cls()
        for person in load_people(conn):
            index._register(person)
        return index

    def _register(self, person: _Person) -> None:
        self.people[person.id] = person
        for email in person.emails:
            self.by_email[email].append(person.id)
        for phone in person.phones:
            self.by_phone[phone].append(person.id)
        if person.key:
            self.by_name[person.key].append(person.id)

    def add(self, contact_id: str, values: Mapping[str, Any], e164s: Iterable[str]) -> None:
        """Register a contact added during an import, so later rows can match it."""
        self._register(_Person(contact_id, person_key(values), emails_of(values), set(e164s), _shown(values)))

    def find(self, values: Mapping[str, Any], e164s: Iterable[str]) -> tuple[str, str] | None:
        """(id, shown name) of the existing contact these values most likely belong to, or None."""
        if not self.people:
            return None  # an empty hub: no one to match, so no name to fold
        key = person_key(values)
        emails = emails_of(values)
        phones = set(e164s)
        for email in sorted(emails):
            for cid in self.by_email.get(email, []):
                other = self.people[cid]
                if not key or not other.key or name_similarity(key, other.key) >= 50:
                    return cid, other.shown
        for phone in sorted(phones):
            for cid in self.by_phone.get(phone, []):
                other = self.people[cid]
                if not key or not other.key or name_similarity(key, other.key) >= 80:
                    return cid, other.shown
        if key and " " in key:
            for cid in self.by_name.get(key, []):
                other = self.people[cid]
                if emails and other.emails and not emails & other.emails:
                    continue
                if phones and other.phones and not phones & other.phones:
                    continue
                return cid, other.shown
        return None


def _shown(values: Mapping[str, Any]) -> str:
    return name_to_show(str(values.get("display_name") or ""), str(values.get("given_name") or ""),
                        str(values.get("family_name") or ""), str(values.get("organisation") or ""))


def load_people(conn: Connection) -> list[_Person]:
    """Every live (not deleted, not erased) contact's name key, emails and E.164 phones."""
    table = Contact.__table__  # type: ignore[attr-defined]
    phones: dict[str, set[str]] = defaultdict(set)
    phone_table = ContactPhone.__table__  # type: ignore[attr-defined]
    for cid, e164 in conn.execute(select(phone_table.c.contact_id, phone_table.c.e164)):
        phones[cid].add(e164)
    people = []
    rows = conn.execute(select(table.c.id, table.c.given_name, table.c.family_name, table.c.display_name,
                               table.c.organisation, table.c.emails)
                        .where(table.c.deleted.is_(False), table.c.erased.is_(False)))
    for cid, given, family, display, organisation, emails in rows:
        values = {"given_name": given, "family_name": family, "display_name": display, "organisation": organisation,
                  "emails": emails or []}
        people.append(_Person(cid, person_key(values), emails_of(values), phones.get(cid, set()), _shown(values)))
    return people


# ---------- the finder ----------


@dataclass
class DuplicatePair:
    """Two contacts that may be one person, with a 0–100 score and the reasons for it."""

    a: str
    b: str
    score: int
    reasons: list[str] = field(default_factory=list)
    a_name: str = ""
    b_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {"a": self.a, "b": self.b, "score": self.score, "reasons": self.reasons, "a_name": self.a_name,
                "b_name": self.b_name}


def score_pair(a: _Person, b: _Person) -> tuple[int, list[str]]:
    """Score two people 0–100 with the reasons; THRESHOLD and above are listed as likely duplicates."""
    similarity = name_similarity(a.key, b.key)
    reasons = []
    score = similarity * 0.85
    shared_emails = a.emails & b.emails
    shared_phones = a.phones & b.phones
    # Both have emails (or phones) and none is shared: evidence of two people.
    if a.emails and b.emails and not shared_emails:
        score -= 15
    if a.phones and b.phones and not shared_phones:
        score -= 15
    if shared_emails:
        score = max(score, 70 + 0.3 * similarity)
        reasons.append(_("same email {value}").format(value=sorted(shared_emails)[0]))
    if shared_phones:
        score = max(score, 55 + 0.4 * similarity)
        reasons.append(_("same phone {value}").format(value=sorted(shared_phones)[0]))
    if similarity >= 100:
        reasons.append(_("same name"))
    elif similarity >= 60:
        reasons.append(_("similar names ({similarity:.0f}%)").format(similarity=similarity))
    return max(0, min(100, round(score))), reasons


def _candidate_pairs(people: list[_Person]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    by_email: dict[str, list[int]] = defaultdict(list)
    by_phone: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(people):
        for email in person.emails:
            by_email[email].append(i)
        for phone in person.phones:
            by_phone[phone].append(i)
        if person.key:
            by_name[person.key].append(i)
    for blocks, limit in ((by_email, MAX_BLOCK), (by_phone, MAX_BLOCK), (by_name, MAX_SAME_NAME)):
        for members in blocks.values():
            if 1 < len(members) <= limit:
                pairs.update(combinations(members, 2))
    # Similar (not equal) names: compare distinct keys whose longest word starts with the same four letters.
    fuzzy_blocks: dict[str, list[str]] = defaultdict(list)
    for key in by_name:
        longest = max(key.split(), key=len)
        fuzzy_blocks[longest[:4]].append(key)
    for keys in fuzzy_blocks.values():
        if len(keys) < 2:
            continue
        for j, key in enumerate(keys[:-1]):
            for other, _score, _index in process.extract(key, keys[j + 1:], scorer=fuzz.token_sort_ratio,
                                                    score_cutoff=FUZZY_CUTOFF, limit=None):
                left, right = by_name[key], by_name[other]
                if len(left) * len(right) <= MAX_SAME_NAME:
                    pairs.update((min(x, y), max(x, y)) for x in left for y in right)
    return pairs


def find_duplicates(conn: Connection, progress: Progress | None = None, threshold: int = THRESHOLD
                    ) -> list[DuplicatePair]:
    """Likely duplicate pairs among live contacts, best first, leaving out pairs marked "not a duplicate"."""
    def report(percent: int, message: str) -> None:
        if progress is not None and progress(percent, message) is False:
            raise Cancelled(_("The duplicate search was cancelled."))

    report(0, _("Reading contacts"))
    people = load_people(conn)
    report(30, _("Comparing names, phones and emails"))
    pairs = _candidate_pairs(people)
    not_dup = {(a, b) for a, b in conn.execute(select(NotDuplicate.__table__.c.contact_a,  # type: ignore[attr-defined]
                                                      NotDuplicate.__table__.c.contact_b))}  # type: ignore[attr-defined]
    report(70, _("Scoring pairs"))
    found: list[DuplicatePair] = []
    for i, j in pairs:
        a, b = people[i], people[j]
        if a.id > b.id:
            a, b = b, a
        if (a.id, b.id) in not_dup:
            continue
        score, reasons = score_pair(a, b)
        if score >= threshold:
            found.append(DuplicatePair(a.id, b.id, score, reasons, a.shown, b.shown))
    found.sort(key=lambda p: (-p.score, fold(p.a_name), p.a, p.b))
    report(100, _("Done"))
    return found


def mark_not_duplicate(tx: Tx, a: str, b: str, flag: bool = True) -> None:
    """Remember (or forget, for undo) that two contacts are different people."""
    first, second = sorted((a, b))
    row = tx.session.get(NotDuplicate, (first, second))
    if flag and row is None:
        tx.session.add(NotDuplicate(contact_a=first, contact_b=second))
    elif not flag and row is not None:
        tx.session.delete(row)


# ---------- merging ----------

MERGE_FIELDS = tuple(f for f in Contact.PERSONAL_FIELDS)
_CONSENT = ("share_with_hubs", "include_in_directory")
_PRIVACY_OR = ("do_not_phone", "do_not_email", "do_not_mail", "do_not_sms")


def suggested_merge(gone: Contact, keep: Contact) -> dict[str, Any]:
    """Field-by-field values for merging `gone` into `keep`: keep's value unless empty; phones, emails, tags and
    languages combined; notes joined; any "do not contact" flag kept.

    Consent stays as the contact that stays has it: switching its sharing off here would be a withdrawal made by a
    merge, which other hubs holding it would never hear of. So that nothing the person did not agree to share
    leaves the hub, a record that may not leave it (`gone` unshared) adds nothing to one that may (`keep` shared):
    its values stay on the merged-away record, where the organiser can still choose them."""
    private_into_shared = keep.share_with_hubs and not gone.share_with_hubs
    merged: dict[str, Any] = {}
    for name in MERGE_FIELDS:
        mine, theirs = getattr(keep, name), getattr(gone, name)
        if name in _PRIVACY_OR:
            merged[name] = bool(mine or theirs)
        elif name in _CONSENT or private_into_shared:
            merged[name] = mine
        elif name in ("phones", "emails"):
            seen = {str(i["value"]).casefold() for i in mine}
            merged[name] = [*mine, *(i for i in theirs if str(i["value"]).casefold() not in seen)]
        elif name in ("tags", "languages"):
            merged[name] = [*mine, *(t for t in theirs if t not in mine)]
        elif name in ("notes", "private_notes"):
            merged[name] = mine if not theirs or theirs in mine else (f"{mine}\n\n{theirs}" if mine else theirs)
        else:
            merged[name] = mine if mine not in ("", None) else theirs
    return merged


@dataclass
class MergeUndo:
    """What a merge changed, so `undo_merge` can put it back: old values per record."""

    gone_id: str
    keep_id: str
    before: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def _record(tx: Tx, undo: MergeUndo, record: Any, changes: Mapping[str, Any]) -> None:
    old = {name: getattr(record, name) for name in changes}
    if update_record(tx, record, changes):
        undo.before.append((record.RECORD_TYPE, record.id, old))


def merge_contacts(tx: Tx, gone_id: str, keep_id: str, chosen: Mapping[str, Any] | None = None) -> MergeUndo:
    """Merge contact `gone_id` into `keep_id` ("A merged into B") with the chosen field values (default:
    `suggested_merge`). What referred to A follows to B (the registry's merge rules: a membership or link B already
    has is tombstoned instead); A is marked merged and deleted."""
    from oursociety_desktop.models.contacts import normalise_values, refresh_derived

    gone = get_record(tx.session, Contact, gone_id, live=True)
    keep = get_record(tx.session, Contact, keep_id, live=True)
    if gone.id == keep.id:
        raise UserError(_("A contact cannot be merged into itself."))
    for contact in (gone, keep):
        refuse_if_withheld(tx, contact)  # a withdrawn person held here has nothing to merge
    values = suggested_merge(gone, keep)
    if chosen:
        unknown = set(chosen) - set(MERGE_FIELDS)
        if unknown:
            raise UserError(_("Cannot merge the field '{value}'.").format(value=sorted(unknown)[0]))
        values.update(chosen)
    values = normalise_values(values)
    undo = MergeUndo(gone.id, keep.id)
    _record(tx, undo, keep, values)
    refresh_derived(tx, keep)
    follow_merge(tx, gone.id, keep.id,
                 on_change=lambda record, before: undo.before.append((record.RECORD_TYPE, record.id, before)))
    _record(tx, undo, gone, {"merged_into": keep.id, "deleted": True})
    return undo


def undo_merge(tx: Tx, undo: MergeUndo) -> None:
    """Put back what a merge changed (newest first), as new stamped edits that travel like any other."""
    from oursociety_desktop.models.contacts import refresh_derived
    for record_type, record_id, old in reversed(undo.before):
        record = get_record(tx.session, REGISTRY[record_type].table, record_id)
        update_record(tx, record, old)
        if isinstance(record, Contact):
            refresh_derived(tx, record)

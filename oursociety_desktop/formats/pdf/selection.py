"""Who may appear on paper, and with what.

Directories, sheets and call lists show only contacts with `include_in_directory`; labels skip `do_not_mail`;
phone numbers are left off for `do_not_phone`, emails for `do_not_email`; erased, deleted and merged-away
contacts never appear. Every product reads contacts through this module, so the rules live in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session, col

from oursociety_desktop.formats.pdf.collation import collation_key
from oursociety_desktop.formats.pdf.shaping import isolate_join
from oursociety_desktop.i18n import ngettext
from oursociety_desktop.models.groups import find_group
from oursociety_desktop.models.names import name_to_show
from oursociety_desktop.models.tables import Contact, Group, Membership
from oursociety_desktop.models.text import fold
from oursociety_desktop.models.withdrawal import withheld_here


@dataclass
class PrintedContact:
    """A contact as it may be printed: the withheld details are already gone."""

    id: str
    name: str
    sort_key: str
    given_name: str = ""
    family_name: str = ""
    organisation: str = ""
    role: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    address_lines: list[str] = field(default_factory=list)
    street_lines: list[str] = field(default_factory=list)  # the first lines of the address
    short_address_lines: list[str] = field(default_factory=list)  # the same without the region
    languages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def order_text(self, sort: str) -> str:
        """The name as it is filed: family name first ("family" order) or given name first ("given")."""
        parts = (self.given_name, self.family_name) if sort == "given" else (self.family_name, self.given_name)
        return " ".join(p for p in parts if p).strip() or self.name

    def key(self, sort: str) -> bytes:
        """The sort key for "family" (family name first) or "given" order, by the Unicode Collation Algorithm."""
        return collation_key(self.order_text(sort))

    def field_text(self, name: str) -> str:
        """One printable field ("phone", "email", "address"...) as text, lines separated by newlines."""
        if name == "phone":
            return "\n".join(self.phones)
        if name == "email":
            return "\n".join(self.emails)
        # Each part keeps its own reading direction: an Arabic street name does not reorder the rest.
        if name == "address":
            return isolate_join(self.address_lines, ", ")
        if name in ("languages", "tags"):
            return isolate_join(getattr(self, name), ", ")
        return str(getattr(self, name))


def _labelled(items: Any, with_label: bool = True) -> list[str]:
    out = []
    for item in items or []:
        if isinstance(item, dict):
            value = str(item.get("value", "")).strip()
            label = str(item.get("label", "")).strip()
            if value:
                out.append(f"{value} ({label})" if label and with_label else value)
        elif str(item).strip():
            out.append(str(item).strip())
    return out


def address_lines(row: Any, home_country: str = "", with_region: bool = True) -> list[str]:
    """Street (which may hold several lines), town, region and postcode, country (unless it is the home
    country): the empty ones dropped. Without the region (county, state) when space is short: the post
    does not need it in most countries."""
    lines = [line.strip() for line in (row.street or "").splitlines() if line.strip()]
    lines.append(row.locality or "")
    # A no-break space keeps a postcode on one line when the line wraps.
    postcode = " ".join((row.postcode or "").split()).replace(" ", "\u00a0")
    lines.append(" ".join(p for p in (row.region if with_region else "", postcode) if p))
    if row.country and (not home_country or _fold(row.country) != home_country):
        lines.append(row.country)
    return [line for line in lines if line.strip()]


_fold = lru_cache(maxsize=1024)(fold)


def home_country(rows: Sequence[Any]) -> str:
    """The country most contacts live in (folded): left off addresses, as on domestic post."""
    counts = Counter(row.country for row in rows if row.country)
    return _fold(counts.most_common(1)[0][0]) if counts else ""


def printed_contact(row: Any, home_country: str = "") -> PrintedContact:
    """Build the printable form of a contact row, leaving off what the person asked to keep off paper."""
    display = name_to_show(row.display_name, row.given_name, row.family_name, row.organisation or "")
    return PrintedContact(
        id=row.id, name=display, sort_key=row.sort_key or fold(display),
        given_name=row.given_name or "", family_name=row.family_name or "",
        organisation=row.organisation or "", role=row.role or "",
        phones=[] if row.do_not_phone else _labelled(row.phones),
        emails=[] if row.do_not_email else _labelled(row.emails, with_label=False),
        address_lines=address_lines(row, home_country),
        street_lines=[line.strip() for line in (row.street or "").splitlines() if line.strip()],
        short_address_lines=address_lines(row, home_country, with_region=False),
        languages=list(row.languages or []), tags=list(row.tags or []),
    )


@dataclass
class Selection:
    """The contacts a product may print, and how many matched the filters but were withheld."""

    contacts: list[PrintedContact]
    withheld: int


def resolve_group(session: Session, name_or_id: str) -> Group | None:
    """The group an option names (a one-line UserError if there is none), or None when no group was asked."""
    return find_group(session, name_or_id) if name_or_id.strip() else None


def group_roles(session: Session, group_id: str) -> dict[str, str]:
    """contact id -> role for the live members of a group."""
    rows = session.execute(
        select(col(Membership.contact_id), col(Membership.role)).where(
            col(Membership.group_id) == group_id, col(Membership.deleted).is_(False))
    ).all()
    return {contact_id: role for contact_id, role in rows}


def memberships(session: Session) -> dict[str, list[tuple[str, str]]]:
    """group id -> [(contact id, role)] for every live membership."""
    out: dict[str, list[tuple[str, str]]] = {}
    rows = session.execute(select(col(Membership.group_id), col(Membership.contact_id), col(Membership.role))
                           .where(col(Membership.deleted).is_(False))).all()
    for group_id, contact_id, role in rows:
        out.setdefault(group_id, []).append((contact_id, role))
    return out


def select_contacts(session: Session, purpose: str, *, contact_ids: Iterable[str] | None = None,
                    tag: str = "") -> Selection:
    """Live contacts allowed on paper for `purpose`: "directory" (directories, sheets, call lists) or "labels".

    `contact_ids` limits the choice (a group's members, a meeting's attendees); `tag` keeps only contacts with
    that tag. Contacts that match but may not be printed are counted in `withheld`.
    """
    table: Any = Contact.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.deleted.is_(False), table.c.erased.is_(False), table.c.merged_into == "")
    wanted = None if contact_ids is None else set(contact_ids)
    if wanted is not None and len(wanted) <= 500:
        query = query.where(table.c.id.in_(sorted(wanted)))
    folded_tag = fold(tag)
    chosen, withheld = [], 0
    this_hub = str(session.execute(text("SELECT id FROM hub")).scalar() or "")
    # A person withdrawn by the hub holding their consent: this hub keeps nothing of them to print.
    rows = [row for row in session.execute(query).all() if not withheld_here(dict(row._mapping), this_hub)]
    home = home_country(rows)
    for row in rows:
        if wanted is not None and row.id not in wanted:
            continue
        if folded_tag and folded_tag not in (fold(t) for t in row.tags or []):
            continue
        allowed = not row.do_not_mail if purpose == "labels" else bool(row.include_in_directory)
        if not allowed:
            withheld += 1
            continue
        chosen.append(printed_contact(row, home))
    return Selection(chosen, withheld)


def withheld_note(count: int, reason: str) -> list[str]:
    """A line for the organiser about people left off, or nothing."""
    if not count:
        return []
    return [ngettext("{count} person not printed: {reason}.", "{count} people not printed: {reason}.", count)
            .format(count=count, reason=reason)]

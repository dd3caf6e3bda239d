"""Email a group: a mailto: link with every member's address in Bcc (so members do not see each other's
addresses), leaving out people who asked not to be emailed. No mail is sent from here; the link opens the
organiser's own mail program."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import Connection, text

from oursociety_desktop.models.contacts import validate_email
from oursociety_desktop.models.errors import ValidationError

# Mail programs and browsers cut longer links (about 2,000 characters is safe everywhere).
MAX_LINK = 2000


@dataclass
class GroupMail:
    """Who a group email reaches and who it leaves out."""

    group_name: str
    addresses: list[str] = field(default_factory=list)
    skipped_do_not_email: int = 0
    without_email: int = 0

    def link(self, subject: str = "") -> str:
        """The mailto: link: no To, everyone in Bcc."""
        # "+" is encoded too: some mail programs read a bare one as a space.
        query = "bcc=" + ",".join(quote(a, safe="@.-_") for a in self.addresses)
        if subject:
            query += "&subject=" + quote(subject)
        return f"mailto:?{query}"

    def fits_in_a_link(self, subject: str = "") -> bool:
        """False when the link is too long for mail programs: copy the addresses instead."""
        return len(self.link(subject)) <= MAX_LINK


def group_mail(conn: Connection, group_id: str) -> GroupMail:
    """The first email address of every live member of a group (each address once), minus do-not-email."""
    name = conn.execute(text("SELECT name FROM contact_group WHERE id = :gid"), {"gid": group_id}).scalar_one()
    mail = GroupMail(str(name))
    seen: set[str] = set()
    rows = conn.execute(text(
        "SELECT c.emails, c.do_not_email FROM membership m JOIN contact c ON c.id = m.contact_id "
        "WHERE m.group_id = :gid AND m.deleted = 0 AND c.deleted = 0 AND c.erased = 0 ORDER BY c.sort_key"),
        {"gid": group_id})
    for emails, do_not_email in rows:
        items = json.loads(emails) if isinstance(emails, str) else (emails or [])
        address = next((str(e.get("value", "")).strip() for e in items if str(e.get("value", "")).strip()), "")
        if address and not _one_address(address):
            address = ""  # counted with those without one: the organiser sees who the email does not reach
        if do_not_email:
            mail.skipped_do_not_email += 1
        elif not address:
            mail.without_email += 1
        elif address.lower() not in seen:
            seen.add(address.lower())
            mail.addresses.append(address)
    return mail


def _one_address(address: str) -> bool:
    """Whether the text is one email address. An address that came in a bundle was not checked here: a mail
    program reads a comma or a line break in the link (encoded or not) as the end of an address, so "a@x.org,
    b@y.org" would add a recipient nobody chose, in Bcc where nobody sees it."""
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True

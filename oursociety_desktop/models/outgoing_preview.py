"""What a bundle would carry, before it is saved: the people who go, the people held back and why, and per group
how many of its members go.

It reads the consent rules of `sharing` (who may leave, which links travel) and changes nothing, so the Exchange
workspace and `oursociety export --dry-run` show the same numbers an organiser can check before sending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.i18n import N_, Nn_, _, ngettext
from oursociety_desktop.models.sharing import shareable_contact_ids

# Why a live person stays at home (key → the sentence shown; the UI translates its own copy).
HELD_BACK_REASONS: dict[str, str] = {
    "not_asked": N_("not asked yet: no consent recorded, and the hub's default is not to share"),
    "declined": N_("said no to sharing with other hubs"),
}

# The same reasons as whole sentences with a count, for the command line's preview.
HELD_BACK_LINES: dict[str, tuple[str, str]] = {
    "not_asked": Nn_("  {count} person not asked yet: no consent recorded, and the hub's default is not to share.",
                  "  {count} people not asked yet: no consent recorded, and the hub's default is not to share."),
    "declined": Nn_("  {count} person said no to sharing with other hubs.",
                 "  {count} people said no to sharing with other hubs."),
}


@dataclass(frozen=True)
class PersonLine:
    """One person in the preview."""

    id: str
    name: str
    reason: str = ""  # a key of HELD_BACK_REASONS for people held back, "" for people who go


@dataclass(frozen=True)
class GroupLine:
    """A group that travels, with how many of its live members go with it."""

    id: str
    name: str
    members: int
    going: int


@dataclass
class OutgoingPreview:
    """Everything `outgoing_preview` found."""

    going: list[PersonLine] = field(default_factory=list)
    held_back: list[PersonLine] = field(default_factory=list)
    groups: list[GroupLine] = field(default_factory=list)

    def reasons(self) -> dict[str, int]:
        """How many people are held back for each reason."""
        counts: dict[str, int] = {}
        for person in self.held_back:
            counts[person.reason] = counts.get(person.reason, 0) + 1
        return counts

    def as_json(self) -> dict[str, Any]:
        """The preview as plain data (for --json)."""
        return {
            "going": len(self.going), "held_back": len(self.held_back), "held_back_reasons": self.reasons(),
            "held_back_people": [{"id": p.id, "name": p.name, "reason": p.reason} for p in self.held_back],
            "groups": [{"id": g.id, "name": g.name, "members": g.members, "going": g.going} for g in self.groups],
        }


def _name(display: str, given: str, family: str, organisation: str) -> str:
    return display or " ".join(p for p in (given, family) if p) or organisation or "(no name)"


def outgoing_preview(conn: Connection) -> OutgoingPreview:
    """Who a full bundle would carry and who it would hold back, by name; groups with their travelling members."""
    shareable = shareable_contact_ids(conn)
    preview = OutgoingPreview()
    rows = conn.execute(text(
        "SELECT id, display_name, given_name, family_name, organisation, consent_method FROM contact "
        "WHERE deleted = 0 AND erased = 0 ORDER BY sort_key, rowid"))
    for cid, display, given, family, organisation, method in rows:
        name = _name(display or "", given or "", family or "", organisation or "")
        if cid in shareable:
            preview.going.append(PersonLine(cid, name))
        else:
            preview.held_back.append(PersonLine(cid, name, "declined" if method else "not_asked"))
    members: dict[str, list[str]] = {}
    for group_id, contact_id in conn.execute(text(
            "SELECT m.group_id, m.contact_id FROM membership m JOIN contact c ON c.id = m.contact_id "
            "WHERE m.deleted = 0 AND c.deleted = 0 AND c.erased = 0")):
        members.setdefault(group_id, []).append(contact_id)
    for gid, name in conn.execute(text(
            "SELECT id, name FROM contact_group WHERE deleted = 0 ORDER BY name COLLATE NOCASE")):
        ids = members.get(gid, [])
        preview.groups.append(GroupLine(gid, name, len(ids), sum(1 for c in ids if c in shareable)))
    return preview


def describe_preview(preview: OutgoingPreview) -> list[str]:
    """The preview as sentences for the command line (whole sentences, named numbers)."""
    lines = [_("People who go: {count}.").format(count=len(preview.going)),
             _("People held back: {count}.").format(count=len(preview.held_back))]
    for reason, count in preview.reasons().items():
        lines.append(ngettext(*HELD_BACK_LINES[reason], count).format(count=count))
    for group in preview.groups:
        lines.append(ngettext("Group {name}: {going} of {members} member goes.",
                              "Group {name}: {going} of {members} members go.", group.members)
                     .format(name=group.name, going=group.going, members=group.members))
    return lines

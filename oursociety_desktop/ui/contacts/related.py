"""What a contact is part of: their groups, actions and connections, described for the editor's related lists.

The records come from `models.references.related_to_contact`, which follows every reference the record registry
declares; this module only words them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from sqlalchemy import Connection

from oursociety_desktop.models.references import RelatedRecord, related_to_contact


def _tr(source: str) -> str:
    return QCoreApplication.translate("ContactRelated", source)


@dataclass(frozen=True)
class RelatedItem:
    """One line in the editor's related lists; `record_type` and `record_id` say what it opens."""

    record_type: str
    record_id: str
    text: str


def related_items(conn: Connection, contact_id: str) -> dict[str, list[RelatedItem]]:
    """The editor's three lists: "group" (live groups with the role, by name), "action" (open ones first, soonest
    due first) and "connection" (newest first, described from the contact's side)."""
    records = related_to_contact(conn, contact_id)

    def live(record: RelatedRecord, field: str) -> bool:
        return field in record.targets and not record.targets[field]["deleted"]

    groups = [r for r in records if r.record_type == "membership" and live(r, "group_id")]
    groups.sort(key=lambda r: str(r.targets["group_id"]["label"]).casefold())
    actions = [r for r in records if r.record_type == "action_link" and live(r, "action_id")]
    actions.sort(key=lambda r: (r.targets["action_id"]["status"] in ("done", "cancelled"),
                                r.targets["action_id"]["due"] == "", r.targets["action_id"]["due"]))
    connections = [r for r in records if r.record_type == "connection"]
    connections.sort(key=lambda r: str(r.values["date"]), reverse=True)
    return {
        "group": [RelatedItem("group", r.values["group_id"], _tr("{0} ({1})").format(
            r.targets["group_id"]["label"], r.values["role"])) for r in groups],
        "action": [_action_item(r) for r in actions],
        "connection": [_connection_item(r, contact_id) for r in connections],
    }


def _action_item(record: RelatedRecord) -> RelatedItem:
    action = record.targets["action_id"]
    pattern = _tr("{0} — {1}, due {2} ({3})") if action["due"] else _tr("{0} — {1} ({3})")
    text = pattern.format(action["label"], action["status"], action["due"], record.values["role"])
    return RelatedItem("action", record.values["action_id"], text)


def _connection_item(record: RelatedRecord, contact_id: str) -> RelatedItem:
    values = record.values

    def name(field: str) -> str:
        return str(record.targets.get(field, {}).get("label") or "?")

    if values["introduced_by"] == contact_id:
        line = _tr("introduced {0} and {1}").format(name("contact_a"), name("contact_b"))
    else:
        other = name("contact_b") if values["contact_a"] == contact_id else name("contact_a")
        line = (_tr("{0}: {1} (introduced by {2})") if values["introduced_by"] else _tr("{0}: {1}")).format(
            values["kind"], other, name("introduced_by"))
    when = values["date"]
    return RelatedItem("connection", record.record_id, _tr("{0}, {1}").format(line, when) if when else line)

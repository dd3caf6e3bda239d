"""Undoable contact edits: each function is one database transaction and one step on the undo stack.

The UI calls these; they raise the core's UserError (ValidationError says which field) when an edit is refused,
and then nothing is changed and nothing is pushed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from oursociety_desktop.models.consent import CONSENTS, RECEIPT_FIELDS
from oursociety_desktop.models.contact_lookups import field_values
from oursociety_desktop.models.contacts import (
    create_contact,
    delete_contact,
    forget_contact,
    normalise_values,
    update_contact,
)
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.erasure import after_erasure
from oursociety_desktop.models.errors import Cancelled
from oursociety_desktop.models.groups import add_member, member_ids, remove_member
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Contact, Group
from oursociety_desktop.models.wording import field_label
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.edits import DbCommand, push, push_create, push_update
from oursociety_desktop.ui.wording import plural

# Selections larger than this are changed on the task runner (with progress and Cancel), not on the GUI thread.
INLINE_LIMIT = 300
PROGRESS_EVERY = 100


def _tr(text: str) -> str:
    return QCoreApplication.translate("ContactCommands", text)


def describe(ctx: AppContext, ids: Sequence[str]) -> str:
    """The shown name of one contact (e.g. Anna Adams), or "3 contacts" for several: for undo texts and dialogs."""
    if len(ids) != 1:
        return plural(len(ids), "{n} contact", "{n} contacts")
    with ctx.db.read() as session:
        return get_record(session, Contact, ids[0]).shown_name


def _column_values(ctx: AppContext, ids: Sequence[str], field: str) -> list[tuple[str, Any]]:
    with ctx.db.read() as session:
        return field_values(session.connection(), list(ids), field)


def _push_each(ctx: AppContext, text: str, items: list[str], forward: Callable[[Tx, str], object],
               backward: Callable[[Tx, str], object], record_type: str) -> None:
    """One undoable step that applies `forward` to every item (and `backward` on undo).

    A few items are done at once; a large selection runs on the task runner with progress and Cancel (Cancel
    rolls the whole step back), and the step is pushed on the undo stack when it is done.
    """

    def run(step: Callable[[Tx, str], object], tx: Tx, progress: Progress | None = None) -> None:
        for number, item in enumerate(items, start=1):
            step(tx, item)
            if progress is not None and number % PROGRESS_EVERY == 0 and \
                    progress(number * 100 // len(items), text) is False:
                raise Cancelled(_tr("Cancelled; nothing was changed."))

    def do(tx: Tx) -> None:
        run(forward, tx)

    def undo(tx: Tx) -> None:
        run(backward, tx)

    if len(items) <= INLINE_LIMIT:
        push(ctx, text, do, undo, record_type)
        return

    def task(progress: Progress) -> int:
        with ctx.db.write() as tx:
            run(forward, tx, progress)
        return len(items)

    def done(_count: object) -> None:
        ctx.undo_stack.push(DbCommand(ctx, text, do, undo, record_type))  # its first redo is skipped: done above
        ctx.events.announce(record_type)

    ctx.runner.run(task, title=text, on_done=done, on_error=ctx.events.failed.emit)


def new_contact(ctx: AppContext, values: Mapping[str, Any]) -> str:
    """Create a contact (undo deletes it); returns its id."""
    return push_create(ctx, _tr("Add contact"), lambda tx: create_contact(tx, values), delete_contact, "contact")


def edit_fields(ctx: AppContext, contact_id: str, changes: Mapping[str, Any]) -> bool:
    """Change some fields of one contact; returns False when nothing differed (nothing is pushed)."""
    with ctx.db.read() as session:
        contact = get_record(session, Contact, contact_id, live=True)
        before = {name: getattr(contact, name) for name in changes}
    clean = normalise_values(changes)  # a refused value raises here, before anything is written
    if all(before[name] == clean[name] for name in clean):
        return False
    label = ", ".join(field_label(name) for name in changes)  # "do not post", as the box says
    push_update(ctx, _tr("Edit {0} of {1}").format(label, contact.shown_name), update_contact, contact_id, changes,
                before, "contact")
    return True


def delete_contacts(ctx: AppContext, ids: Sequence[str]) -> None:
    """Delete contacts (tombstones); undo brings them back."""
    chosen = list(ids)
    _push_each(ctx, _tr("Delete {0}").format(describe(ctx, chosen)), chosen,
               lambda tx, cid: delete_contact(tx, cid), lambda tx, cid: delete_contact(tx, cid, False), "contact")


def forget_contacts(ctx: AppContext, ids: Sequence[str], reason: str) -> None:
    """Erase people for good. Not undoable: erasure is final, so nothing is pushed on the undo stack."""
    with ctx.db.write() as tx:
        for cid in ids:
            forget_contact(tx, cid, reason)
    after_erasure(ctx.db)  # nothing of them in the write-ahead log, the backups, or after a restore
    ctx.events.announce("contact", "membership")


def add_to_group(ctx: AppContext, ids: Sequence[str], group_id: str) -> int:
    """Put contacts in a group; undo takes out only those who were not members before. Returns how many."""
    with ctx.db.read() as session:
        group = get_record(session, Group, group_id, live=True)
        members = member_ids(session, group.id)
    joining = [cid for cid in ids if cid not in members]
    group_key = group.id  # an id, not the ORM object, may cross to the worker thread
    if not joining:
        return 0

    _push_each(ctx, _tr("Add {0} to {1}").format(describe(ctx, joining), group.name), joining,
               lambda tx, cid: add_member(tx, group_key, cid), lambda tx, cid: remove_member(tx, group_key, cid),
               "membership")
    return len(joining)


def add_tag(ctx: AppContext, ids: Sequence[str], tag: str) -> int:
    """Tag contacts; undo removes the tag from those who did not have it. Returns how many changed."""
    word = tag.strip()
    if not word:
        return 0
    rows = _column_values(ctx, ids, "tags")
    tagging = {cid: list(tags or []) for cid, tags in rows if word not in (tags or [])}
    if not tagging:
        return 0

    _push_each(ctx, _tr("Tag {0} with {1}").format(describe(ctx, list(tagging)), word), list(tagging),
               lambda tx, cid: update_contact(tx, cid, {"tags": [*tagging[cid], word]}),
               lambda tx, cid: update_contact(tx, cid, {"tags": tagging[cid]}), "contact")
    return len(tagging)


def set_flag(ctx: AppContext, ids: Sequence[str], field: str, value: bool) -> int:
    """Set a consent flag (share_with_hubs, include_in_directory...) on contacts. Returns how many changed."""
    if field not in Contact.PERSONAL_FIELDS or not isinstance(getattr(Contact(), field), bool):
        raise ValueError(field)
    rows = _column_values(ctx, ids, field)
    changing = [cid for cid, current in rows if bool(current) != value]
    if not changing:
        return 0

    # Switching a consent on records a receipt (how: not stated) that the undo takes back with the switch.
    receipts = _receipts(ctx, changing) if value and field in CONSENTS else {}
    _push_each(ctx, _tr("Set {0} for {1}").format(field_label(field), describe(ctx, changing)), changing,
               lambda tx, cid: update_contact(tx, cid, {field: value}),
               lambda tx, cid: update_contact(tx, cid, {field: not value, **receipts.get(cid, {})}), "contact")
    return len(changing)


def _receipts(ctx: AppContext, ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """The consent receipt each contact has now (what an undo of a switch puts back)."""
    out: dict[str, dict[str, str]] = {cid: {} for cid in ids}
    with ctx.db.read() as session:
        for name in RECEIPT_FIELDS:
            for cid, value in field_values(session.connection(), list(ids), name):
                out[cid][name] = value
    return out


def push_import_undo(ctx: AppContext, file_name: str, added_ids: Sequence[str]) -> None:
    """Make an import just done one undoable step: undo takes the people it added out again (redo brings them
    back). People it updated keep the file's values; the automatic backup made before the import has the old."""
    chosen = list(added_ids)
    if not chosen:
        return

    def remove(tx: Tx) -> None:
        for contact_id in chosen:
            delete_contact(tx, contact_id)

    def bring_back(tx: Tx) -> None:
        for contact_id in chosen:
            delete_contact(tx, contact_id, False)

    # Already applied by the import: the command's first redo does nothing (see DbCommand).
    ctx.undo_stack.push(DbCommand(ctx, _tr("Import of {0}").format(file_name), bring_back, remove, "contact"))

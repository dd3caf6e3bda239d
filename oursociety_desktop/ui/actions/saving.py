"""The undoable writes behind the action editor: create or change an action, mark it done."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from oursociety_desktop.models.actions import create_action, delete_action, mark_done, update_action
from oursociety_desktop.models.database import Tx
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.edits import push


def _t(text: str) -> str:
    return QCoreApplication.translate("ActionEditor", text)


def save_action(ctx: AppContext, action_id: str, changes: Mapping[str, str], loaded: Mapping[str, str]) -> str:
    """Create the action ('' id: `changes` are all its values) or change its fields; one undoable step.
    Returns the action's id. Raises the core's UserError (nothing changed) when refused."""
    if not action_id:
        created: list[str] = []

        def do(tx: Tx) -> None:
            if created:
                delete_action(tx, created[0], False)
            else:
                created.append(create_action(tx, changes).id)

        push(ctx, _t("New action {0}").format(changes.get("title", "")), do,
             lambda tx: delete_action(tx, created[0], True), "action")
        return created[0]
    if changes:
        before = {name: loaded[name] for name in changes}
        new = dict(changes)
        push(ctx, _t("Edit action {0}").format(loaded.get("title", "")),
             lambda tx: update_action(tx, action_id, new), lambda tx: update_action(tx, action_id, before), "action")
    return action_id


def mark_action_done(ctx: AppContext, action_id: str, outcome: str, loaded: Mapping[str, str]) -> None:
    """Close the action with its outcome; undo brings back its status and outcome."""
    before = {"status": loaded["status"], "outcome": loaded["outcome"]}
    push(ctx, _t("Mark done {0}").format(loaded.get("title", "")),
         lambda tx: mark_done(tx, action_id, outcome), lambda tx: update_action(tx, action_id, before), "action")

"""The undoable writes behind the action editor: create or change an action, mark it done."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from oursociety_desktop.models.actions import create_action, delete_action, mark_done, update_action
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.edits import push, push_create, push_update


def _t(text: str) -> str:
    return QCoreApplication.translate("ActionEditor", text)


def save_action(ctx: AppContext, action_id: str, changes: Mapping[str, str], loaded: Mapping[str, str]) -> str:
    """Create the action ('' id: `changes` are all its values) or change its fields; one undoable step.
    Returns the action's id. Raises the core's UserError (nothing changed) when refused."""
    if not action_id:
        values = dict(changes)
        return push_create(ctx, _t("New action {0}").format(changes.get("title", "")),
                           lambda tx: create_action(tx, values), delete_action, "action")
    if changes:
        push_update(ctx, _t("Edit action {0}").format(loaded.get("title", "")), update_action, action_id, changes,
                    loaded, "action")
    return action_id


def mark_action_done(ctx: AppContext, action_id: str, outcome: str, loaded: Mapping[str, str]) -> None:
    """Close the action with its outcome; undo brings back its status and outcome."""
    before = {"status": loaded["status"], "outcome": loaded["outcome"]}
    push(ctx, _t("Mark done {0}").format(loaded.get("title", "")),
         lambda tx: mark_done(tx, action_id, outcome), lambda tx: update_action(tx, action_id, before), "action")

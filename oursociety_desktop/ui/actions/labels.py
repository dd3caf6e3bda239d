"""Translated labels for the stored action kinds, statuses and link roles (stored values stay English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("ActionLabels", text)


def kind_labels() -> dict[str, str]:
    """Stored kind -> label."""
    return {"task": _t("task"), "meeting": _t("meeting"), "event": _t("event"), "call": _t("call"),
            "follow-up": _t("follow-up")}


def status_labels() -> dict[str, str]:
    """Stored status -> label."""
    return {"open": _t("open"), "doing": _t("doing"), "done": _t("done"), "cancelled": _t("cancelled")}


def role_labels() -> dict[str, str]:
    """Stored link role -> label."""
    return {"owner": _t("owner"), "attendee": _t("attendee"), "about": _t("about")}

"""Translated labels for stored group kinds and membership roles (stored values stay English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("GroupLabels", text)


def kind_labels() -> dict[str, str]:
    """Stored group kind -> label."""
    return {"working group": _t("working group"), "neighbourhood circle": _t("neighbourhood circle"),
            "project": _t("project"), "network": _t("network"), "other": _t("other")}


def role_labels() -> dict[str, str]:
    """Stored membership role -> label."""
    return {"member": _t("member"), "coordinator": _t("coordinator")}

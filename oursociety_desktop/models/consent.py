"""Consent at the door: how a person's consent was given, and the consent fields a new person starts with.

A new person is shared with other hubs and listed in printed directories only if they said so; when nobody asked
them, the hub's defaults apply (chosen at first run, changed in Settings), and whoever adds them is told which.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from oursociety_desktop.i18n import N_, _

# Command-line spelling → the words stored in `consent_method` (in English, as they travel; shown as they are
# stored, and translated where this app says how consent was given).
CONSENT_METHODS: dict[str, str] = {
    "in-person": N_("in person"),
    "paper": N_("on paper"),
    "phone": N_("by phone"),
    "online": N_("online"),
}


@dataclass(frozen=True)
class HubConsentDefaults:
    """What a new person gets when nobody stated their consent."""

    share_with_hubs: bool
    include_in_directory: bool


def hub_consent_defaults(setting: Any) -> HubConsentDefaults:
    """The hub's defaults, read through `setting(key)` (a transaction's or a database's)."""
    return HubConsentDefaults(bool(setting("default_share_with_hubs")),
                              bool(setting("default_include_in_directory")))


def consent_values(defaults: HubConsentDefaults, share: bool | None = None, directory: bool | None = None,
                   method: str = "", today: date | None = None) -> dict[str, Any]:
    """The consent fields of a new person: what was stated, else the hub's default.

    `method` is a key of CONSENT_METHODS or free words; when given, the consent is recorded as of `today`."""
    values: dict[str, Any] = {
        "share_with_hubs": defaults.share_with_hubs if share is None else share,
        "include_in_directory": defaults.include_in_directory if directory is None else directory,
    }
    words = CONSENT_METHODS.get(method.strip(), method.strip())
    if words:
        values.update(receipt_values(words, "", today))
    return values


def describe_consent(values: Mapping[str, Any]) -> str:
    """One sentence saying which consents a person has and how they were given (for the CLI and dialogs)."""
    method = str(values.get("consent_method") or "")
    sentence = _CONSENT_SENTENCES[(bool(values.get("share_with_hubs")), bool(values.get("include_in_directory")),
                                   bool(method))]
    return _(sentence).format(method=method)


# (shared with other hubs, in printed directories, a consent method recorded) -> the sentence, whole.
_CONSENT_SENTENCES = {
    (True, True, True): N_("Shared with other hubs, in printed directories; consent given {method}."),
    (True, False, True): N_("Shared with other hubs, left out of printed directories; consent given {method}."),
    (False, True, True): N_("Not shared with other hubs, in printed directories; consent given {method}."),
    (False, False, True): N_("Not shared with other hubs, left out of printed directories; consent given {method}."),
    (True, True, False): N_("Shared with other hubs, in printed directories; consent not recorded (hub defaults)."),
    (True, False, False): N_("Shared with other hubs, left out of printed directories; consent not recorded "
                             "(hub defaults)."),
    (False, True, False): N_("Not shared with other hubs, in printed directories; consent not recorded "
                             "(hub defaults)."),
    (False, False, False): N_("Not shared with other hubs, left out of printed directories; consent not recorded "
                              "(hub defaults)."),
}


# ---- consent receipts ----

CONSENTS = ("share_with_hubs", "include_in_directory")
RECEIPT_FIELDS = ("consent_recorded_at", "consent_method", "consent_recorded_by")


def default_recorder() -> str:
    """Who records a consent when nobody says: the computer account's name ("" when it cannot be told)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


def receipt_values(method: str = "", recorded_by: str = "", today: date | None = None) -> dict[str, str]:
    """A consent receipt: when (today), how (a key of CONSENT_METHODS or free words; "" when not stated) and who
    recorded it (default: the computer account)."""
    words = CONSENT_METHODS.get(method.strip(), method.strip())
    return {"consent_recorded_at": (today or date.today()).isoformat(), "consent_method": words,
            "consent_recorded_by": recorded_by.strip() or default_recorder()}


def with_receipt(before: Mapping[str, Any], changes: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """The changes, with a consent receipt added when they switch sharing or the directory on: the receipt fields
    the changes name are kept, the others filled in (when: today; how: not stated; who: the computer account)."""
    out = dict(changes)
    switched_on = any(out.get(name) is True and not before.get(name) for name in CONSENTS)
    if not switched_on:
        return out
    receipt = receipt_values(str(out.get("consent_method") or ""), str(out.get("consent_recorded_by") or ""), today)
    for name in RECEIPT_FIELDS:
        if not out.get(name):
            out[name] = receipt[name]
    return out


def describe_receipt(values: Mapping[str, Any]) -> str:
    """The consent receipt in words ("" when none is recorded)."""
    when = str(values.get("consent_recorded_at") or "")
    if not when:
        return ""
    how = str(values.get("consent_method") or "") or _("how not stated")
    who = str(values.get("consent_recorded_by") or "") or _("someone not named")
    return _("Consent recorded on {when}, {how}, by {who}.").format(when=when, how=how, who=who)

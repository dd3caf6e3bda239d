"""Consent at the door: how a person's consent was given, and the consent fields a new person starts with.

A new person is shared with other hubs and listed in printed directories only if they said so; when nobody asked
them, the hub's defaults apply (chosen at first run, changed in Settings), and whoever adds them is told which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from oursociety_desktop.i18n import N_, _

# Command-line spelling → the words stored in `consent_method` (shown as is on screen and in exports).
CONSENT_METHODS: dict[str, str] = {
    "in-person": "in person",
    "paper": "on paper",
    "phone": "by phone",
    "online": "online",
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
        values["consent_method"] = words
        values["consent_recorded_at"] = (today or date.today()).isoformat()
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

"""Phone numbers: kept as typed, normalised to E.164 with `phonenumbers` for search and duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from oursociety_desktop.i18n import _

DEFAULT_REGION = "GB"


@dataclass(frozen=True)
class NormalisedPhone:
    """A typed number with its E.164 form (None when it does not parse) and a warning to show, if any."""

    typed: str
    e164: str | None
    warning: str | None


def normalise_phone(typed: str, region: str = DEFAULT_REGION) -> NormalisedPhone:
    """Normalise a typed number in the hub's default region. Never refuses: odd numbers get a warning."""
    text = typed.strip()
    if not text:
        return NormalisedPhone(typed, None, None)
    try:
        parsed = phonenumbers.parse(text, region.upper() or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return NormalisedPhone(typed, None, _("'{text}' does not look like a phone number; kept as typed.")
                                            .format(text=text))
    if not phonenumbers.is_possible_number(parsed):
        return NormalisedPhone(typed, None, _("'{text}' has the wrong length for a phone number; kept as typed.")
                                            .format(text=text))
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(parsed):
        return NormalisedPhone(typed, e164, _("'{text}' is not an assigned number range; kept, please check it.")
                                            .format(text=text))
    return NormalisedPhone(typed, e164, None)


@lru_cache(maxsize=100_000)
def e164_of(typed: str, region: str = DEFAULT_REGION) -> str | None:
    """Just the E.164 form of a typed number (None when it does not parse), cached: what search indexing needs,
    without the slower validity check that only serves the warning."""
    text = typed.strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, region.upper() or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def is_known_region(region: str) -> bool:
    """True for a region code phonenumbers knows (GB, IE, PL...)."""
    return region.upper() in phonenumbers.SUPPORTED_REGIONS

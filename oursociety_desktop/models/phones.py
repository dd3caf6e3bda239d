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
    """Normalise a typed number in the hub's default region. Never refuses: odd numbers get a warning.
    The reading is cached by (number, region) (imports repeat the same numbers and formats); the warning is
    worded at each call, in the language in use then."""
    text = typed.strip()
    if not text:
        return NormalisedPhone(typed, None, None)
    e164, fault = _reading(text, region)
    if fault == _UNPARSEABLE:
        return NormalisedPhone(typed, None, _("'{text}' does not look like a phone number; kept as typed.")
                                            .format(text=text))
    if fault == _WRONG_LENGTH:
        return NormalisedPhone(typed, None, _("'{text}' has the wrong length for a phone number; kept as typed.")
                                            .format(text=text))
    if not _assigned(text, region):
        return NormalisedPhone(typed, e164, _("'{text}' is not an assigned number range; kept, please check it.")
                                            .format(text=text))
    return NormalisedPhone(typed, e164, None)


_UNPARSEABLE = "unparseable"
_WRONG_LENGTH = "wrong length"
# Numbers read per (text, region): an import of 100,000 people reads each number twice (checking, then indexing),
# and the same numbers recur across a file; each entry is a few hundred bytes.
_CACHED_NUMBERS = 100_000


@lru_cache(maxsize=64)  # `normalise_phone` asks `_reading` then `_assigned` for the same number: parsed once
def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    """The parsed number; never changed by its callers (it is shared)."""
    return phonenumbers.parse(text, region.upper() or DEFAULT_REGION)


@lru_cache(maxsize=_CACHED_NUMBERS)
def _reading(text: str, region: str) -> tuple[str | None, str]:
    """(E.164 or None, "" or why there is none) for a stripped, non-empty number."""
    try:
        parsed = _parse(text, region)
    except phonenumbers.NumberParseException:
        return None, _UNPARSEABLE
    if not phonenumbers.is_possible_number(parsed):
        return None, _WRONG_LENGTH
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)), ""


@lru_cache(maxsize=_CACHED_NUMBERS)
def _assigned(text: str, region: str) -> bool:
    """Whether a number that reads (see `_reading`) is in an assigned range: the slower check, asked only for the
    warning."""
    return bool(phonenumbers.is_valid_number(_parse(text, region)))


def e164_of(typed: str, region: str = DEFAULT_REGION) -> str | None:
    """Just the E.164 form of a typed number (None when it does not parse), cached: what search indexing needs,
    without the slower validity check that only serves the warning."""
    text = typed.strip()
    if not text:
        return None
    return _reading(text, region)[0]


def is_known_region(region: str) -> bool:
    """True for a region code phonenumbers knows (GB, IE, PL...)."""
    return region.upper() in phonenumbers.SUPPORTED_REGIONS

"""Phone and email labels as different sources spell them ("Mobile", "mobile", "CELL", "* Home",
Apple's `_$!<Mobile>!$_`), stored in one canonical form; a custom label is kept as written."""

from __future__ import annotations

import re
from functools import lru_cache

# Standard labels (lower case) by every spelling seen; the vCard writer turns these back into TYPE values.
_CANONICAL = {
    "cell": "mobile", "mobile": "mobile", "cellular": "mobile", "cell phone": "mobile", "mobile phone": "mobile",
    "handy": "mobile", "iphone": "iphone", "home": "home", "personal": "home", "private": "home", "work": "work",
    "business": "work", "office": "work", "other": "other", "main": "main", "fax": "fax", "pager": "pager",
    "text": "text", "video": "video", "car": "car", "home fax": "home fax", "work fax": "work fax",
    "fax home": "home fax", "fax work": "work fax", "business fax": "work fax", "other fax": "fax",
    "internet": "", "voice": "", "pref": "", "x-internet": "",
}
_APPLE = re.compile(r"_\$!<(.*)>!\$_")


@lru_cache(maxsize=4096)  # the same few labels come back on every row of an import
def canonical_label(label: str) -> str:
    """One form per standard label ("CELL", "Mobile" -> "mobile"); a custom label kept as written."""
    text = label.strip()
    match = _APPLE.fullmatch(text)
    if match:
        text = match.group(1).strip()
    text = text.lstrip("*").strip()  # Google's "* Home" marks the primary one
    key = " ".join(text.casefold().replace("_", " ").split())
    if key in _CANONICAL:
        return _CANONICAL[key]
    return text


# TYPE values (lower case) and the label we keep; "voice", "internet", "pref" say nothing an organiser needs.
VCARD_TYPE_LABELS = {"cell": "mobile", "mobile": "mobile", "home": "home", "work": "work", "fax": "fax",
                  "pager": "pager", "text": "text", "video": "video", "main": "main", "other": "other",
                  "iphone": "iphone", "car": "car", "msg": "message", "textphone": "textphone", "isdn": "isdn",
                  "bbs": "bbs", "modem": "modem", "postal": "postal", "parcel": "parcel", "dom": "domestic",
                  "intl": "international"}
IGNORED_VCARD_TYPES = {"voice", "internet", "pref", "x400", "aol", "applelink", "attmail", "cis", "eworld", "ibmmail",
                  "mcimail", "powershare", "prodigy", "tlx"}


def label_from_types(types: list[str]) -> str:
    """The label of a vCard property from its TYPE values (`CELL,VOICE` gives "mobile"); a custom `X-` type
    (Android's `TYPE=x-shed`) is kept as written, without its prefix."""
    return _label_from_types(tuple(types))


@lru_cache(maxsize=4096)
def _label_from_types(types: tuple[str, ...]) -> str:
    words: list[str] = []
    custom: list[str] = []
    for raw in types:
        t = raw.strip().lower()
        if not t or t in IGNORED_VCARD_TYPES:
            continue
        if t.startswith("x-"):
            if t not in ("x-internet", "x-pref"):
                custom.append(raw.strip()[2:])
            continue
        mapped = VCARD_TYPE_LABELS.get(t, t)
        if mapped not in words:
            words.append(mapped)
    if custom:
        return " ".join(custom)
    return canonical_label(" ".join(words))


def apple_label(value: str) -> str:
    """The label inside Apple's `_$!<Mobile>!$_` wrapping, in lower case; any other text as written."""
    match = _APPLE.fullmatch(value.strip())
    return match.group(1).lower() if match else value.strip()

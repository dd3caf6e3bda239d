"""Phone and email labels as different sources spell them ("Mobile", "mobile", "CELL", "* Home",
Apple's `_$!<Mobile>!$_`), stored in one canonical form; a custom label is kept as written."""

from __future__ import annotations

import re

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

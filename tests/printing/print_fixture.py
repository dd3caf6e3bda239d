"""A small hub with people in many scripts and every privacy flag, shared by the printing tests."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from oursociety_desktop.models import actions, contacts, groups
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.text import personal_name
from tests.printing.scripts_hub import pdftotext

TODAY = date(2026, 3, 10)

LISTED = {
    "pl": ("Łukasz", "Wójcik"),
    "el": ("Ελένη", "Παπαδοπούλου"),
    "ru": ("Дмитрий", "Иванов"),
    "ar": ("محمد", "العلي"),
    "ur": ("عائشہ", "خان"),
    "zh": ("小明", "王"),
}
LONG_NAME = ("Bartholomew Maximilian Theodore", "Featherstonehaugh-Cholmondeley-Worthington")
LONG_STREET = "Flat 27, The Old Co-operative Society Warehouse Buildings, 1234 Long Meadow Industrial Estate Road"


@dataclass
class Hub:
    db: Database
    ids: dict[str, str] = field(default_factory=dict)


def person(tx: Any, given: str, family: str, **extra: Any) -> str:
    values = {"given_name": given, "family_name": family, "include_in_directory": True,
              "phones": [{"label": "mobile", "value": "07700 900" + str(100 + len(given) + len(family))}],
              "emails": [{"label": "home", "value": f"p{len(given)}{len(family)}@example.org"}],
              "street": "12 High Street", "locality": "Leeds", "postcode": "LS1 1AA", "country": "United Kingdom"}
    values.update(extra)
    return contacts.create_contact(tx, values).id


def build_hub(db: Database) -> Hub:
    hub = Hub(db)
    with db.write() as tx:
        for key, (given, family) in LISTED.items():
            hub.ids[key] = person(tx, given, family)
        hub.ids["long"] = person(tx, *LONG_NAME, street=LONG_STREET)
        hub.ids["hidden"] = person(tx, "Hidden", "Notlisted", include_in_directory=False)
        hub.ids["nophone"] = person(tx, "Nora", "Nophone", do_not_phone=True,
                                    phones=[{"label": "mobile", "value": "07700 900999"}])
        hub.ids["noemail"] = person(tx, "Eddie", "Noemail", do_not_email=True,
                                    emails=[{"label": "", "value": "secret.eddie@example.org"}])
        hub.ids["nomail"] = person(tx, "Mary", "Nomail", do_not_mail=True)
        hub.ids["deleted"] = person(tx, "Derek", "Deleted")
        hub.ids["erased"] = person(tx, "Erin", "Erased")
        hub.ids["tagged"] = person(tx, "Tara", "Tagged", tags=["Gardening"])
        contacts.delete_contact(tx, hub.ids["deleted"])
        contacts.forget_contact(tx, hub.ids["erased"])
        choir = groups.create_group(tx, {"name": "Choir", "description": "Sings on Tuesdays."})
        hub.ids["choir"] = choir.id
        for key, role in (("pl", "coordinator"), ("el", "member"), ("hidden", "member"), ("nophone", "member")):
            groups.add_member(tx, choir.id, hub.ids[key], role)
        meeting = actions.create_action(tx, {"title": "Spring meeting", "kind": "meeting",
                                             "starts_at": "2026-03-20T18:30", "location": "Library",
                                             "group_id": choir.id})
        hub.ids["meeting"] = meeting.id
        actions.link_contact(tx, meeting.id, hub.ids["ru"], "attendee")
        late = actions.create_action(tx, {"title": "Book the hall", "due": "2026-03-01", "group_id": choir.id})
        soon = actions.create_action(tx, {"title": "Order songbooks", "due": "2026-04-01"})
        done = actions.create_action(tx, {"title": "Already finished task", "due": "2026-02-01"})
        secret = actions.create_action(tx, {"title": "Call the plumber", "due": "2026-05-01"})
        actions.link_contact(tx, late.id, hub.ids["pl"], "owner")
        actions.link_contact(tx, soon.id, hub.ids["el"], "owner")
        actions.link_contact(tx, secret.id, hub.ids["hidden"], "owner")
        actions.mark_done(tx, done.id)
    return hub


def normal(text: str) -> str:
    """Text pypdf drew, with compatibility forms folded (only for the positions and sizes of drawn strings)."""
    return unicodedata.normalize("NFKC", text)


def pdf_text(path: Path) -> str:
    """The text poppler's pdftotext extracts, as a reader's search sees it (not folded: it must be NFC as is)."""
    return pdftotext(path)


def flat(text: str) -> str:
    """Text with every run of whitespace (line breaks from wrapping) made one space."""
    return " ".join(text.split())


def page_texts(path: Path) -> list[str]:
    return pdftotext(path).split("\f")[:-1]


def drawn_strings(path: Path, page_index: int = 0) -> list[tuple[str, float, float, float]]:
    """(text, font size, x, y) of every string drawn on a page."""
    out: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            out.append((normal(text), size * tm[0] if tm[0] else size, tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    PdfReader(str(path)).pages[page_index].extract_text(visitor_text=visit)
    return out


def shown(given: str, family: str) -> str:
    """A name as printed (family name first for Chinese, Japanese and Korean)."""
    return personal_name(given, family)

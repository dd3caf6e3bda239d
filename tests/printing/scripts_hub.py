"""A hub with people, organisations, addresses, groups and actions in every script the network's members write,
and the helpers that read a printed PDF back with poppler's pdftotext (what a reader's search sees)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from oursociety_desktop.models import actions, contacts, groups
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.text import personal_name


@dataclass(frozen=True)
class Person:
    script: str
    given: str
    family: str
    organisation: str
    street: str
    group: str
    action: str

    @property
    def name(self) -> str:
        """The name as printed (family name first for Chinese, Japanese and Korean)."""
        return personal_name(self.given, self.family)


PEOPLE = (
    Person("polish", "Łukasz", "Wójcik", "Spółdzielnia Łąka", "ul. Żółkiewskiego 5", "Chór Łąka",
           "Zamówić śpiewniki"),
    Person("welsh", "Dafydd", "ap Gwŷn", "Cymdeithas y Dŵr", "Heol y Dŵr 3", "Côr Tŷ Ŵyn", "Trefnu'r ŵyl"),
    Person("vietnamese", "Ánh Tuyết", "Nguyễn", "Hội Người Việt", "Đường Hòa Bình 12", "Nhóm Phụ nữ Việt",
           "Tổ chức Tết Trung thu"),
    Person("greek", "Ελένη", "Παπαδοπούλου", "Ελληνική Κοινότητα", "Οδός Αθηνάς 7", "Χορωδία Ελπίδα",
           "Οργάνωση γιορτής"),
    Person("cyrillic", "Дмитрий", "Иванов", "Русский клуб", "ул. Ленина 9", "Шахматный кружок", "Купить доски"),
    Person("hebrew", "שרה", "כהן", "קהילת שלום", "רחוב הרצל 4", "מקהלת השלום", "לארגן ארוחה"),
    Person("arabic", "محمد", "العلي", "جمعية الأمل", "شارع النيل 8", "نادي القراءة", "تنظيم الإفطار"),
    Person("urdu", "عائشہ", "خان", "اردو مرکز", "گلی نمبر ۲", "خواتین گروپ", "کھانے کا انتظام"),
    Person("bengali", "রহিম", "আহমেদ", "বাংলা সমিতি", "নাসরিন ইন্দ্র সড়ক ১", "নারী দল", "বৈঠক ডাকুন"),
    Person("devanagari", "अनीता", "शर्मा", "हिंदी सभा", "गांधी मार्ग 6", "महिला मंडल", "बैठक बुलाना"),
    Person("tamil", "செல்வி", "முருகன்", "தமிழ் சங்கம்", "கோயில் தெரு 2", "இளைஞர் குழு", "கூட்டம் நடத்து"),
    Person("thai", "สมชาย", "ใจดี", "สมาคมไทย", "ถนนสุขุมวิท 11", "กลุ่มแม่บ้าน", "จัดงานสงกรานต์"),
    Person("chinese", "小明", "王", "华人协会", "和平路 8号", "太极拳小组", "组织春节聚会"),
    Person("japanese", "太郎", "山田", "日本人会", "桜通り 3", "さくら会", "お花見の準備"),
    Person("korean", "민준", "김", "한인회", "평화로 5", "한국어 교실", "모임 준비하기"),
)
HUB_NAME = "Hub \u2014 مركز \u2014 কেন্দ্র"  # a hub's name mixing directions and scripts
EMOJI_GROUP = "Garden club 🌻"
EMOJI_ACTION = "Street party 🎉 with music 🎶"
MIXED_ADDRESS = ("Community centre", "قاعة المجتمع", "12 Hope Street")  # street lines, English and Arabic


@dataclass
class ScriptsHub:
    db: Database
    group_ids: dict[str, str]
    meeting_id: str


def build_scripts_hub(db: Database) -> ScriptsHub:
    """Every person listed, in a group of their script, owning an action in their script; one meeting with
    everyone invited; an emoji group and action; a person whose address mixes English and Arabic."""
    group_ids: dict[str, str] = {}
    with db.write() as tx:
        everyone = groups.create_group(tx, {"name": "Everyone \u2014 كل الناس \u2014 সবাই"})
        group_ids["everyone"] = everyone.id
        meeting = actions.create_action(tx, {"title": "Welcome evening \u2014 أمسية الترحيب", "kind": "meeting",
                                             "starts_at": "2026-03-20T18:30", "location": "Library",
                                             "group_id": everyone.id})
        for i, p in enumerate(PEOPLE):
            cid = contacts.create_contact(tx, {
                "given_name": p.given, "family_name": p.family, "organisation": p.organisation,
                "include_in_directory": True, "street": p.street, "locality": "Leeds", "postcode": "LS1 1AA",
                "phones": [{"label": "mobile", "value": f"07700 900{100 + i}"}],
                "emails": [{"label": "home", "value": f"member{i}@example.org"}],
                "tags": [p.group], "languages": [p.script]}).id
            group = groups.create_group(tx, {"name": p.group, "description": f"{p.group} \u2014 {p.organisation}"})
            group_ids[p.script] = group.id
            groups.add_member(tx, group.id, cid, "coordinator")
            groups.add_member(tx, everyone.id, cid, "member")
            action = actions.create_action(tx, {"title": p.action, "due": "2026-04-01", "group_id": group.id})
            actions.link_contact(tx, action.id, cid, "owner")
            actions.link_contact(tx, meeting.id, cid, "attendee")
        mixed = contacts.create_contact(tx, {
            "given_name": "Amal", "family_name": "Hope", "include_in_directory": True,
            "street": "\n".join(MIXED_ADDRESS), "locality": "Leeds", "postcode": "LS2 2BB"}).id
        groups.add_member(tx, everyone.id, mixed, "member")
        garden = groups.create_group(tx, {"name": EMOJI_GROUP, "description": "Seeds 🌱 and soup 🍲"})
        group_ids["emoji"] = garden.id
        groups.add_member(tx, garden.id, mixed, "coordinator")
        party = actions.create_action(tx, {"title": EMOJI_ACTION, "due": "2026-05-01", "group_id": garden.id})
        actions.link_contact(tx, party.id, mixed, "owner")
    return ScriptsHub(db, group_ids, meeting.id)


_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdftotext(path: Path, layout: bool = False) -> str:
    """The PDF's text as poppler extracts it (bidi embedding marks it adds around right-to-left text removed)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return _BIDI_MARKS.sub("", out)


def flat(text: str) -> str:
    """Whitespace runs (line breaks from wrapping, no-break spaces) made one space."""
    return " ".join(text.replace("\u00a0", " ").split())


def unreadable(text: str) -> list[str]:
    """Characters a search would not match: presentation forms, private-use glyph codes, replacement marks."""
    return sorted({ch for ch in text if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF
                   or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd"})


def not_nfc(text: str) -> bool:
    return not unicodedata.is_normalized("NFC", text)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def fonts_used(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font `pdffonts` lists."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID: emb is the 5th field from the end
        rows.append((parts[0], parts[-5] == "yes"))
    return rows

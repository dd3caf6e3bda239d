"""Every stored text is NFC: typed, received in a bundle, or already in the database (migration 7)."""

from __future__ import annotations

import json
import unicodedata

from sqlalchemy import text

from oursociety_desktop.models import actions, contacts, groups
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import find_duplicates
from oursociety_desktop.models.migrations import MIGRATIONS
from oursociety_desktop.models.search import search_contact_ids
from oursociety_desktop.models.tables import Action, Contact, Group
from oursociety_desktop.models.text import nfc, personal_name

ZOE_NFD = unicodedata.normalize("NFD", "Zoë")
NGUYEN_NFD = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
WELSH_NFD = unicodedata.normalize("NFD", "Dŵr ŷ")


def _is_nfc(value: object) -> bool:
    return unicodedata.is_normalized("NFC", json.dumps(value, ensure_ascii=False))


def test_nfc_composes_and_leaves_ascii_alone() -> None:
    assert nfc(ZOE_NFD) == "Zo\u00eb" and len(nfc(ZOE_NFD)) == 3
    assert nfc("plain") == "plain"


def test_typed_text_is_stored_composed(db: Database) -> None:
    with db.write() as tx:
        cid = contacts.create_contact(tx, {"given_name": ZOE_NFD, "family_name": NGUYEN_NFD, "street": WELSH_NFD,
                                           "tags": [ZOE_NFD], "phones": [{"label": ZOE_NFD, "value": "0113 496 0000"}]
                                           }).id
        gid = groups.create_group(tx, {"name": WELSH_NFD, "description": ZOE_NFD}).id
        aid = actions.create_action(tx, {"title": NGUYEN_NFD, "location": WELSH_NFD}).id
        contacts.update_contact(tx, cid, {"organisation": WELSH_NFD})
    with db.read() as session:
        contact = session.get(Contact, cid)
        group = session.get(Group, gid)
        action = session.get(Action, aid)
        assert contact is not None and group is not None and action is not None
        assert contact.given_name == "Zo\u00eb" and contact.organisation == "D\u0175r \u0177"
        for value in (contact.given_name, contact.family_name, contact.street, contact.tags, contact.phones,
                      contact.organisation, group.name, group.description, action.title, action.location):
            assert _is_nfc(value), value


def test_search_and_duplicates_work_the_same_on_decomposed_input(db: Database) -> None:
    with db.write() as tx:
        contacts.create_contact(tx, {"given_name": "Zoë", "family_name": "Łącka", "emails": ["zoe@example.org"]})
        contacts.create_contact(tx, {"given_name": ZOE_NFD, "family_name": unicodedata.normalize("NFD", "Łącka")})
    with db.engine.connect() as conn:
        assert len(search_contact_ids(conn, ZOE_NFD)) == 2
        assert len(search_contact_ids(conn, "Zoë")) == 2
        pairs = find_duplicates(conn)
    assert len(pairs) == 1 and pairs[0].score >= 80


def test_migration_7_normalises_existing_rows_and_is_a_no_op_on_a_fresh_hub(db: Database) -> None:
    step = next(m for m in MIGRATIONS if m.version == 7)
    with db.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
        before = conn.execute(text("SELECT COUNT(*) FROM contact")).scalar()
        step.apply(conn)  # fresh hub: nothing to change, nothing fails
        assert conn.execute(text("SELECT COUNT(*) FROM contact")).scalar() == before == 0
    with db.write() as tx:
        cid = contacts.create_contact(tx, {"given_name": "Zoë", "family_name": "Plain"}).id
        gid = groups.create_group(tx, {"name": "Choir"}).id
    # Older versions stored text as typed: put decomposed text back behind the services' backs.
    with db.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
        conn.execute(text("UPDATE contact SET given_name = :g, tags = :t, edit_stamp = 'kept' WHERE id = :id"),
                     {"g": ZOE_NFD, "t": json.dumps([NGUYEN_NFD]), "id": cid})
        conn.execute(text("UPDATE contact_group SET name = :n WHERE id = :id"), {"n": WELSH_NFD, "id": gid})
        step.apply(conn)
        row = conn.execute(text("SELECT given_name, tags, stamp FROM contact WHERE id = :id"), {"id": cid}).one()
        name = conn.execute(text("SELECT name FROM contact_group WHERE id = :id"), {"id": gid}).scalar()
    assert row[0] == "Zo\u00eb" and json.loads(row[1]) == ["Nguyễn Thị Ánh"] and _is_nfc(json.loads(row[1]))
    assert row[2] == "kept"  # normalising is not an edit: no new stamp to send to other hubs
    assert name == "D\u0175r \u0177"


def test_east_asian_names_are_shown_family_name_first() -> None:
    assert personal_name("小明", "王") == "王小明"
    assert personal_name("太郎", "山田") == "山田太郎"
    assert personal_name("민준", "김") == "김민준"
    assert personal_name("Wei", "Wang") == "Wei Wang"
    assert personal_name("Łukasz", "Wójcik") == "Łukasz Wójcik"


def test_demo_pairs_names_of_one_script_and_shows_chinese_family_first(db: Database) -> None:
    from oursociety_desktop.models.demo import generate_demo
    from oursociety_desktop.models.names import name_to_show

    generate_demo(db, 600)
    with db.engine.connect() as conn:
        people = [(g, f) for g, f in conn.execute(text("SELECT given_name, family_name FROM contact"))]
    han = [(g, f) for g, f in people if g and "\u4e00" <= g[0] <= "\u9fff"]
    assert han, "the demo has Chinese names written in Chinese characters"
    for given, family in han:
        assert "\u4e00" <= family[0] <= "\u9fff", (given, family)  # never "小明 Wang"
        assert name_to_show("", given, family, "") == family + given  # "王小明", not "小明 王"
    assert all(_latin(g) == _latin(f) for g, f in people)  # given and family name in the same script


def _latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in text if ch.isalpha())


def test_decomposed_text_prints_composed(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from oursociety_desktop.formats.pdf.options import PrintOptions
    from oursociety_desktop.formats.pdf.products import print_product
    from tests.printing.scripts_hub import pdftotext

    with db.write() as tx:
        cid = contacts.create_contact(tx, {"given_name": "Zoë", "family_name": "Nguyễn",
                                           "include_in_directory": True}).id
    # Data stored before normalisation at entry (and before migration 5 ran) may still be decomposed.
    with db.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
        conn.execute(text("UPDATE contact SET given_name = :g, family_name = :f WHERE id = :id"),
                     {"g": ZOE_NFD, "f": unicodedata.normalize("NFD", "Nguyễn"), "id": cid})
    out = tmp_path / "d.pdf"
    print_product("directory", db, PrintOptions(paper="a4"), out)
    extracted = pdftotext(out)
    assert "Zoë Nguyễn" in extracted and unicodedata.is_normalized("NFC", extracted)

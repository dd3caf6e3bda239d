"""ContactTableModel without a window: paging, the id role, search in any script, and the filters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.contact_lookups import all_groups, all_tags
from oursociety_desktop.models.contacts import create_contact, delete_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.ui.contacts.contact_model import (
    COL_EMAIL,
    COL_NAME,
    COL_PHONE,
    COL_SHARING,
    COL_TAGS,
    COLUMN_COUNT,
    CONTACT_ID_ROLE,
    PAGE_SIZE,
    ContactTableModel,
)


def _app() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    return app


def _names(model: ContactTableModel) -> list[str]:
    return [model.data(model.index(r, COL_NAME)) for r in range(model.rowCount())]


def _seed(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ids = {
            "zofia": create_contact(tx, {"given_name": "Zofia", "family_name": "Łukasiewicz", "tags": ["cooking"],
                                         "phones": [{"label": "mobile", "value": "07700 900123"}],
                                         "emails": [{"label": "home", "value": "zofia@example.org"},
                                                    {"label": "work", "value": "z@example.org"}],
                                         "share_with_hubs": True}).id,
            "omar": create_contact(tx, {"given_name": "عمر", "family_name": "حداد", "tags": ["driving"],
                                        "include_in_directory": True}).id,
            "anna": create_contact(tx, {"given_name": "Anna", "family_name": "Adams", "do_not_phone": True}).id,
            "gone": create_contact(tx, {"given_name": "Gone", "family_name": "Away"}).id,
        }
        delete_contact(tx, ids["gone"])
        garden = create_group(tx, {"name": "Garden"})
        add_member(tx, garden.id, ids["omar"])
        ids["garden"] = garden.id
    return ids


def test_lists_live_contacts_in_name_order_with_id_role(db: Database) -> None:
    _app()
    ids = _seed(db)
    model = ContactTableModel(db)
    assert model.columnCount() == COLUMN_COUNT
    assert _names(model) == ["Anna Adams", "Zofia Łukasiewicz", "عمر حداد"]
    assert model.data(model.index(1, COL_NAME), CONTACT_ID_ROLE) == ids["zofia"]
    assert model.data(model.index(1, COL_PHONE)) == "07700 900123"
    assert model.data(model.index(1, COL_EMAIL)) == "zofia@example.org (+1)"
    assert model.data(model.index(1, COL_TAGS)) == "cooking"
    # The consent column is an icon, in words for screen readers and tooltips.
    assert model.data(model.index(1, COL_SHARING)) is None
    assert model.data(model.index(1, COL_SHARING), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(1, COL_SHARING), Qt.ItemDataRole.AccessibleTextRole) == \
        "Shared with other hubs; not in the printed directory"
    assert model.data(model.index(0, COL_SHARING), Qt.ItemDataRole.AccessibleTextRole) == \
        "Not shared with other hubs; not in the printed directory"
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "Name"
    assert model.data(model.index(7, COL_NAME)) is None  # past the end


def test_search_any_script_and_phone_digits(db: Database) -> None:
    _app()
    ids = _seed(db)
    model = ContactTableModel(db)
    model.set_query(ContactQuery(search="lukas"))
    assert _names(model) == ["Zofia Łukasiewicz"]
    model.set_query(ContactQuery(search="Łuk"))
    assert _names(model) == ["Zofia Łukasiewicz"]
    model.set_query(ContactQuery(search="حد"))
    assert [model.data(model.index(0, COL_NAME), CONTACT_ID_ROLE)] == [ids["omar"]]
    model.set_query(ContactQuery(search="900123"))
    assert _names(model) == ["Zofia Łukasiewicz"]
    model.set_query(ContactQuery(search="away"))  # deleted contacts are not listed
    assert model.rowCount() == 0
    model.set_query(ContactQuery(search='"*)('))  # nothing searchable: no rows, no error
    assert model.rowCount() == 0


def test_filters_by_group_tag_and_consent(db: Database) -> None:
    _app()
    ids = _seed(db)
    model = ContactTableModel(db)
    model.set_query(ContactQuery(group_id=ids["garden"]))
    assert _names(model) == ["عمر حداد"]
    model.set_query(ContactQuery(tag="cooking"))
    assert _names(model) == ["Zofia Łukasiewicz"]
    model.set_query(ContactQuery(flags=("share",)))
    assert _names(model) == ["Zofia Łukasiewicz"]
    model.set_query(ContactQuery(flags=("directory",)))
    assert _names(model) == ["عمر حداد"]
    model.set_query(ContactQuery(flags=("do_not_phone",)))
    assert _names(model) == ["Anna Adams"]
    model.set_query(ContactQuery(search="anna", flags=("share",)))
    assert model.rowCount() == 0
    with db.read() as session:
        assert all_tags(session.connection()) == ["cooking", "driving"]
        assert all_groups(session.connection()) == [(ids["garden"], "Garden")]


def test_fetches_pages_lazily(db: Database) -> None:
    _app()
    generate_demo(db, 1200, seed=3)
    model = ContactTableModel(db)
    assert model.rowCount() == 1200
    assert model.pages_fetched == 1  # opening reads one page only
    last = model.data(model.index(1199, COL_NAME))
    assert last and model.pages_fetched == 2
    model.data(model.index(PAGE_SIZE * 2 + 5, COL_NAME))
    assert model.pages_fetched == 3
    model.data(model.index(3, COL_NAME))  # cached
    assert model.pages_fetched == 3
    # Rows come out in the same order as one big query would give.
    with db.read() as session:
        everything = ContactQuery().page(session.connection(), 0, 2000)
    assert [model.contact_id(r) for r in range(0, 1200, 97)] == [everything[r].id for r in range(0, 1200, 97)]
    wanted = everything[777].id
    assert model.row_of(wanted) == 777
    # A filter shows its first page at once and the full count just after.
    model.set_query(ContactQuery(flags=("share",)))
    assert model.rowCount() == PAGE_SIZE and not model.count_exact
    with db.read() as session:
        shared = ContactQuery(flags=("share",)).count(session.connection())
    assert shared > PAGE_SIZE
    assert model.complete_count() == shared == model.rowCount()
    assert model.count_exact
    assert model.data(model.index(shared - 1, COL_NAME))

"""A record type declared here, in the tests, with its table, its registry entry and its "migration" (creating the
table) and nothing else, round-trips through export, import, merge, conflicts, erasure, the duplicate merge and
`check`: proof that adding a type touches no other module (docs/architecture.md walks through the same steps)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from sqlmodel import Field

from oursociety_desktop.models.conflicts import list_conflicts
from oursociety_desktop.models.contacts import forget_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.records import create_record, get_record, update_record
from oursociety_desktop.models.registry import ERASE_CLEAR, REGISTRY, RecordType, Reference
from oursociety_desktop.models.tables import SyncedRecord
from tests.exchange.exchange_helpers import add_contact, dump_text, make_hub, send


class Kudos(SyncedRecord, table=True):
    """Thanks given to a person, optionally by another person (a type that exists only in these tests)."""

    __tablename__ = "test_kudos"
    RECORD_TYPE: ClassVar[str] = "kudos"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ("contact_id", "giver_id", "words", "deleted")

    contact_id: str = Field(default="", index=True)
    giver_id: str = ""
    words: str = ""


KUDOS = RecordType(
    Kudos,
    references=(Reference("contact_id", "contact", personal=True),
                Reference("giver_id", "contact", personal=True, on_erase=ERASE_CLEAR)),
    erase_wipes=("words",),
    label=lambda row: str(row.get("words") or ""), label_sql=lambda alias: f"{alias}.words",
)


@pytest.fixture
def kudos_type() -> Iterator[RecordType]:
    with REGISTRY.extended(KUDOS) as declared:
        yield declared


def hub(root: Path, name: str) -> Database:
    db = make_hub(root, name)
    with db.engine.begin() as conn:  # the type's migration
        Kudos.__table__.create(conn)  # type: ignore[attr-defined]
    return db


def give(db: Database, contact_id: str, words: str, giver_id: str = "") -> str:
    with db.write() as tx:
        return create_record(tx, Kudos, {"contact_id": contact_id, "giver_id": giver_id, "words": words}).id


def kudos(db: Database, kudos_id: str) -> Kudos:
    with db.read() as session:
        return get_record(session, Kudos, kudos_id)


def edit(db: Database, kudos_id: str, **changes: str) -> None:
    with db.write() as tx:
        update_record(tx, get_record(tx.session, Kudos, kudos_id), changes)


def test_a_declared_type_round_trips_through_every_path(tmp_path: Path, kudos_type: RecordType) -> None:
    a, b = hub(tmp_path, "A"), hub(tmp_path, "B")
    nina = add_contact(a, given_name="Nina", share_with_hubs=True)
    ola = add_contact(a, given_name="Ola", share_with_hubs=False)
    shared = give(a, nina, "Fixed 12 bikes")
    kept_home = give(a, ola, "Cooked for forty")
    by_unshared = give(a, nina, "Thanks from Ola", giver_id=ola)

    # Consent: only the kudos naming shared people leaves.
    send(a, b, tmp_path)
    assert kudos(b, shared).words == "Fixed 12 bikes"
    with b.read() as session:
        assert session.get(Kudos, kept_home) is None and session.get(Kudos, by_unshared) is None
    assert dump_text(a) == dump_text(b)

    # Merge per field, with the losing value in an inbox.
    edit(a, shared, words="Fixed 13 bikes")
    edit(b, shared, words="Fixed 12 bikes and a trailer")
    send(a, b, tmp_path)
    send(b, a, tmp_path)
    assert dump_text(a) == dump_text(b)
    with a.read() as session_a, b.read() as session_b:
        inbox = [c for c in list_conflicts(session_a) + list_conflicts(session_b) if c.record_type == "kudos"]
    assert inbox and {c.field for c in inbox} == {"words"}

    # The duplicate merge: kudos of the merged-away person follow to the survivor.
    nina_again = add_contact(a, given_name="Nina", family_name="Again", share_with_hubs=True)
    moved = give(a, nina_again, "Lent a ladder")
    with a.write() as tx:
        merge_contacts(tx, nina_again, nina)
    assert kudos(a, moved).contact_id == nina

    # Erasure: the kudos about her are tombstoned and wiped, at this hub and where the erasure arrives.
    with a.write() as tx:
        forget_contact(tx, nina)
    send(a, b, tmp_path)
    for db in (a, b):
        record = kudos(db, shared)
        assert record.deleted and record.words == ""
    assert dump_text(a) == dump_text(b)

    # check: every declared reference of the new type is checked too.
    give(b, "no-such-person", "Dangling")
    with b.read() as session:
        report = check_database(session.connection())
    assert report.sound
    assert any("live kudos record" in w and "(contact_id)" in w for w in report.warnings)
    a.close()
    b.close()


def test_erasing_the_giver_clears_the_reference_and_keeps_the_kudos(tmp_path: Path, kudos_type: RecordType) -> None:
    a = hub(tmp_path, "A")
    nina = add_contact(a, given_name="Nina")
    sam = add_contact(a, given_name="Sam")
    thanks = give(a, nina, "Sam says thank you", giver_id=sam)
    with a.write() as tx:
        forget_contact(tx, sam)
    record = kudos(a, thanks)
    assert not record.deleted and record.giver_id == "" and record.words == ""
    a.close()


"""Bundle merges keep every contact's search row in step with its contact (its live sort key and rowid): new,
updated, deleted, erased, withdrawn, conflicting and merged contacts, and bundles arriving twice or out of order."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from oursociety_desktop.models.conflicts import resolve_conflict
from oursociety_desktop.models.contacts import create_contact, delete_contact, forget_contact, update_contact
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.models.tables import Conflict
from oursociety_desktop.services.exchange import export_bundle, import_bundle
from tests.core.test_core_search_rows import assert_in_step
from tests.exchange.exchange_helpers import introduce, make_hub, send


def test_bundle_merges_of_every_kind_keep_search_rows_in_step(tmp_path: Path) -> None:
    a, b, c = (make_hub(tmp_path, name) for name in ("A", "B", "C"))
    introduce(a, b, c)
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    try:
        with a.write() as tx:
            ids = [create_contact(tx, {"given_name": given, "family_name": family, "locality": "Leeds"}).id
                   for family in ("Patel", "Smith", "Pask") for given in ("Ann", "Paul", "Zygmunt")]
        send(a, b, bundles)
        send(a, c, bundles)
        assert_in_step(b)
        # At A: renamed, deleted, erased, withdrawn, merged; at B: the same people edited meanwhile (conflicts).
        with a.write() as tx:
            update_contact(tx, ids[0], {"family_name": "Paxton"})
            delete_contact(tx, ids[1])
            forget_contact(tx, ids[2])
            update_contact(tx, ids[3], {"share_with_hubs": False})
            merge_contacts(tx, ids[4], ids[5])
            update_contact(tx, ids[6], {"given_name": "Anne"})
        with b.write() as tx:
            update_contact(tx, ids[0], {"family_name": "Pace"})
            update_contact(tx, ids[2], {"given_name": "Annie"})
            update_contact(tx, ids[6], {"given_name": "Anna"})
            create_contact(tx, {"given_name": "Ann", "family_name": "Patel"})
            update_contact(tx, ids[7], {"share_with_hubs": False})  # withdrawn at B, which keeps only the id
        assert_in_step(b)
        stale = bundles / "stale.oursociety"
        export_bundle(a, stale)
        send(b, a, bundles)
        assert_in_step(a)
        import_bundle(b, stale, backup=False, trust_new_hub=True)
        assert_in_step(b)
        with b.read() as session:
            at_b = {r[0]: r[1:] for r in session.connection().exec_driver_sql(
                "SELECT id, deleted, erased, merged_into, family_name FROM contact").all()}
        assert at_b[ids[1]][0] and at_b[ids[2]][1] and at_b[ids[4]][2] == ids[5]
        assert at_b[ids[3]][3] == ""  # withdrawn at A: B keeps only the id and stamps
        import_bundle(b, stale, backup=False, trust_new_hub=True)  # the same bundle again
        assert_in_step(b)
        with b.write() as tx:
            for conflict in tx.session.exec(select(Conflict).where(Conflict.record_type == "contact")).all():
                assert conflict.id is not None
                resolve_conflict(tx, conflict.id, "theirs")
        assert_in_step(b)
        with a.write() as tx:  # undeleted after the delete travelled
            delete_contact(tx, ids[1], deleted=False)
        send(a, b, bundles)
        send(b, c, bundles)  # C hears of everything through B first, then A's older bundle arrives
        import_bundle(c, stale, backup=False, trust_new_hub=True)
        for hub in (a, b, c):
            assert_in_step(hub)
    finally:
        for hub in (a, b, c):
            hub.close()

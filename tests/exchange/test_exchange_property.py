"""Property test of hub exchange over an unreliable network: several hubs make random creates, edits, deletes,
erasures, membership adds and removals, actions, action links added and removed, connections, duplicate
merges (all six record types) and withdrawals of consent (property_withdrawal.py), some with clocks up to a
year wrong, and exchange full bundles and deltas for peers that are lost (never imported), duplicated, reordered
and delivered stale; a hub may be restored from its own backup. After a final round in which every message is
delivered (and the organisers accept what waits in quarantine): the dump is byte-identical at every hub, no
acknowledged write is lost (it survives, or its own hub overwrote it later, or it sits in a conflicts inbox, or a
withdrawal won over it), no person vanishes who was not deleted, merged or erased, nothing deleted comes back, and
no hub but the consent holder holds anything personal of a person withdrawn at the end.
Forged bundles (tests/exchange/forgery.py: a genuine hub's bundle re-signed with another key, records altered, an
old bundle restamped, an erasure from an untrusted hub) reach every hub along the way: each is refused with one line
and changes nothing at any hub.

The default run is small so the suite stays fast. Longer runs (OURSOCIETY_PROPERTY_STEPS sets the steps per example):
    OURSOCIETY_PROPERTY_EXAMPLES=1000 OURSOCIETY_PROPERTY_HUBS=5 \
        .venv/bin/pytest tests/exchange/test_exchange_property.py
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlmodel import select

import oursociety_desktop.models.database as database_module
from oursociety_desktop.models.actions import create_action, link_contact
from oursociety_desktop.models.backup import backup_to, restore_from
from oursociety_desktop.models.clock import HybridLogicalClock, wall_clock_ms
from oursociety_desktop.models.connections import create_connection
from oursociety_desktop.models.contacts import create_contact, delete_contact, forget_contact, update_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import add_member, create_group, remove_member
from oursociety_desktop.models.records import set_deleted
from oursociety_desktop.models.references import live_pairs
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import Conflict, Contact, Group
from oursociety_desktop.services.exchange import accept_quarantined, export_bundle, import_bundle
from tests.exchange import forgery
from tests.exchange.exchange_helpers import dump_text, introduce, make_hub
from tests.exchange.property_withdrawal import WithdrawalRules

EXAMPLES = int(os.environ.get("OURSOCIETY_PROPERTY_EXAMPLES", "25"))
HUBS = max(3, int(os.environ.get("OURSOCIETY_PROPERTY_HUBS", "3")))
STEPS = int(os.environ.get("OURSOCIETY_PROPERTY_STEPS", "25"))

EDITABLE = {
    "given_name": st.sampled_from(["Ada", "Bea", "Cai", "Dara", "Émile", "Łucja"]),
    "role": st.sampled_from(["", "treasurer", "secretary", "volunteer"]),
    "tags": st.lists(st.sampled_from(["garden", "food", "youth"]), max_size=2, unique=True),
}


@dataclass(frozen=True)
class Write:
    """An acknowledged field write: committed at `hub` with `stamp`."""

    hub: int
    record_id: str
    field: str
    value: Any
    stamp: str


class HubExchange(WithdrawalRules, RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="exchange-property-"))
        self.bundles_dir = self.root / "bundles"
        self.bundles_dir.mkdir()
        self.hubs: list[Database] = [make_hub(self.root, f"hub{i}") for i in range(HUBS)]
        introduce(*self.hubs)  # the organisers compared fingerprints: imports check every bundle's pinned key
        self.contacts: list[str] = []
        self.groups: list[str] = []
        self.bundles: list[Path] = []
        self.imported: set[tuple[int, Path]] = set()  # (hub, file) imported there
        self.imported_at_backup: dict[int, set[Path]] = {}  # what each hub had imported at its last backup
        self.writes: list[Write] = []
        self.deleted: set[str] = set()
        self.erased: set[str] = set()
        self.merged: set[str] = set()
        self.actions: list[str] = []
        self.backups: dict[int, tuple[Path, str]] = {}  # hub -> (backup file, its clock)
        self.restored_after: dict[str, str] = {}  # hub id -> the clock of the backup it was restored to
        self.withdrawn_ever: set[str] = set()  # people whose sharing a hub switched off (property_withdrawal.py)

    def teardown(self) -> None:
        for db in self.hubs:
            db.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # ---- local work ----

    @rule(hub=st.integers(0, HUBS - 1), given=EDITABLE["given_name"], share=st.booleans())
    def create(self, hub: int, given: str, share: bool) -> None:
        with self.hubs[hub].write() as tx:
            self.contacts.append(create_contact(tx, {"given_name": given, "share_with_hubs": share}).id)

    @rule(hub=st.integers(0, HUBS - 1), name=st.sampled_from(["Choir", "Kitchen", "Garden"]))
    def group(self, hub: int, name: str) -> None:
        with self.hubs[hub].write() as tx:
            self.groups.append(create_group(tx, {"name": name}).id)

    def acknowledge(self, hub: int, contact_id: str, field: str, value: Any, stamp: str) -> None:
        """Remember a committed write (an edit that changed nothing has no new stamp: nothing to remember)."""
        if stamp:
            self.writes.append(Write(hub, contact_id, field, value, stamp))

    def live_here(self, hub: int) -> list[str]:
        """Contacts this hub holds and may edit, newest first (recent ones overlap most between hubs)."""
        with self.hubs[hub].read() as session:
            rows = session.connection().exec_driver_sql(
                "SELECT id FROM contact WHERE deleted = 0 ORDER BY base_stamp DESC LIMIT 3").all()
        return [row[0] for row in rows]

    @precondition(lambda self: self.contacts)
    @rule(hub=st.integers(0, HUBS - 1), pick=st.integers(0, 10_000), data=st.data())
    def edit(self, hub: int, pick: int, data: st.DataObject) -> None:
        here = self.live_here(hub)
        if not here:
            return
        contact_id = here[pick % len(here)]
        field = data.draw(st.sampled_from(sorted(EDITABLE)))
        value = data.draw(EDITABLE[field])
        if isinstance(value, str):
            value = f"{value} {len(self.writes)}"  # distinct values, so a lost write cannot hide behind an equal one
        try:
            with self.hubs[hub].write() as tx:
                before = tx.session.get(Contact, contact_id)
                old = before.field_stamp(field) if before is not None else ""
                contact = update_contact(tx, contact_id, {field: value})
                stamp = contact.field_stamp(field) if contact.field_stamp(field) != old else ""
        except UserError:
            return  # not at this hub yet, deleted or erased: refused, nothing written
        self.acknowledge(hub, contact_id, field, contact.synced_values()[field], stamp)

    @precondition(lambda self: self.contacts)
    @rule(first=st.integers(0, HUBS - 1), second=st.integers(0, HUBS - 1), pick=st.integers(0, 10_000),
          field=st.sampled_from(sorted(EDITABLE)), data=st.data())
    def concurrent_edits(self, first: int, second: int, pick: int, field: str, data: st.DataObject) -> None:
        """Two hubs change the same field of a contact they both hold, before either hears of the other's edit."""
        both = [cid for cid in self.live_here(first) if cid in self.live_here(second)]
        if first == second or not both:
            return
        contact_id = both[pick % len(both)]
        for hub in (first, second):
            value = data.draw(EDITABLE[field])
            if isinstance(value, str):
                value = f"{value} {len(self.writes)}"
            elif isinstance(value, list):
                value = [*value, f"t{len(self.writes)}"]
            try:
                with self.hubs[hub].write() as tx:
                    before = tx.session.get(Contact, contact_id)
                    old = before.field_stamp(field) if before is not None else ""
                    contact = update_contact(tx, contact_id, {field: value})
                    stamp = contact.field_stamp(field) if contact.field_stamp(field) != old else ""
            except UserError:
                continue
            self.acknowledge(hub, contact_id, field, contact.synced_values()[field], stamp)

    @precondition(lambda self: self.contacts)
    @rule(hub=st.integers(0, HUBS - 1), pick=st.integers(0, 10_000))
    def delete(self, hub: int, pick: int) -> None:
        contact_id = self.contacts[pick % len(self.contacts)]
        try:
            with self.hubs[hub].write() as tx:
                before = tx.session.get(Contact, contact_id)
                old = before.field_stamp("deleted") if before is not None else ""
                contact = delete_contact(tx, contact_id)
                if contact.field_stamp("deleted") != old:
                    self.acknowledge(hub, contact_id, "deleted", True, contact.field_stamp("deleted"))
        except UserError:
            return
        self.deleted.add(contact_id)

    @precondition(lambda self: self.contacts)
    @rule(hub=st.integers(0, HUBS - 1), pick=st.integers(0, 10_000))
    def forget(self, hub: int, pick: int) -> None:
        contact_id = self.contacts[pick % len(self.contacts)]
        try:
            with self.hubs[hub].write() as tx:
                forget_contact(tx, contact_id, "consent withdrawn")
        except UserError:
            return
        self.erased.add(contact_id)

    @precondition(lambda self: self.contacts and self.groups)
    @rule(hub=st.integers(0, HUBS - 1), g=st.integers(0, 10_000), c=st.integers(0, 10_000), remove=st.booleans())
    def membership(self, hub: int, g: int, c: int, remove: bool) -> None:
        group_id, contact_id = self.groups[g % len(self.groups)], self.contacts[c % len(self.contacts)]
        try:
            with self.hubs[hub].write() as tx:
                (remove_member if remove else add_member)(tx, group_id, contact_id)
        except UserError:
            return

    @precondition(lambda self: len(self.contacts) >= 2)
    @rule(hub=st.integers(0, HUBS - 1), a=st.integers(0, 10_000), b=st.integers(0, 10_000))
    def duplicate_merge(self, hub: int, a: int, b: int) -> None:
        """Merge two people the hub holds (crossing merges at other hubs included)."""
        here = self.live_here(hub)
        if len(here) < 2 or a % len(here) == b % len(here):
            return
        gone, keep = here[a % len(here)], here[b % len(here)]
        try:
            with self.hubs[hub].write() as tx:
                merge_contacts(tx, gone, keep)
        except UserError:
            return
        self.merged.add(gone)

    @precondition(lambda self: self.contacts)
    @rule(hub=st.integers(0, HUBS - 1), skew_days=st.sampled_from([-365, -30, 2, 30, 365]),
          given=EDITABLE["given_name"])
    def edit_with_a_wrong_clock(self, hub: int, skew_days: int, given: str) -> None:
        """An edit at a hub whose system clock is days or a year wrong."""
        here = self.live_here(hub)
        if not here:
            return
        offset = skew_days * 24 * 3600 * 1000

        class SkewedClock(HybridLogicalClock):
            def __init__(self, hub_id: str, last: str | None = None) -> None:
                super().__init__(hub_id, last, wall=lambda: wall_clock_ms() + offset)

        real = database_module.HybridLogicalClock
        database_module.HybridLogicalClock = SkewedClock  # type: ignore[misc]
        try:
            with self.hubs[hub].write() as tx:
                before = tx.session.get(Contact, here[0])
                old = before.field_stamp("given_name") if before is not None else ""
                contact = update_contact(tx, here[0], {"given_name": f"{given} {len(self.writes)}"})
                stamp = contact.field_stamp("given_name") if contact.field_stamp("given_name") != old else ""
        except UserError:
            return
        finally:
            database_module.HybridLogicalClock = real  # type: ignore[misc]
        self.acknowledge(hub, here[0], "given_name", contact.given_name, stamp)

    @rule(hub=st.integers(0, HUBS - 1))
    def back_up(self, hub: int) -> None:
        db = self.hubs[hub]
        path = self.root / f"backup-{hub}-{len(self.bundles)}.sqlite3"
        backup_to(db.path, path)
        with db.read() as session:
            clock = str(session.connection().exec_driver_sql("SELECT clock FROM hub").scalar_one())
        self.backups[hub] = (path, clock)
        self.imported_at_backup[hub] = {p for h, p in self.imported if h == hub}

    @precondition(lambda self: self.backups)
    @rule(pick=st.integers(0, 10_000))
    def restore_a_backup(self, pick: int) -> None:
        """A hub restored from its own older backup: what it wrote after it is gone from it (it may survive at
        hubs that received it)."""
        hub = sorted(self.backups)[pick % len(self.backups)]
        path, clock = self.backups[hub]
        db = self.hubs[hub]
        folder = db.path.parent
        db.close()
        restore_from(path, db.path)
        self.hubs[hub] = Database.open(folder)
        hub_id = self.hubs[hub].hub_id
        # Writes made at that hub after the backup are no longer promised: the organiser chose to go back.
        self.writes = [w for w in self.writes if not (w.hub == hub and w.stamp > clock)]
        # Bundles it imported after the backup are gone from it too: reading one again changes it again.
        self.imported = {(h, p) for h, p in self.imported if h != hub}
        self.imported |= {(hub, p) for p in self.imported_at_backup[hub]}
        self.restored_after.setdefault(hub_id, clock)

    @rule(hub=st.integers(0, HUBS - 1), title=st.sampled_from(["Book the hall", "Call the council"]))
    def action(self, hub: int, title: str) -> None:
        with self.hubs[hub].write() as tx:
            self.actions.append(create_action(tx, {"title": title}).id)

    @precondition(lambda self: self.contacts and self.actions)
    @rule(hub=st.integers(0, HUBS - 1), a=st.integers(0, 10_000), c=st.integers(0, 10_000), remove=st.booleans())
    def action_link(self, hub: int, a: int, c: int, remove: bool) -> None:
        """Link a person to an action as its owner, or take the link away (the same pair at every hub)."""
        action_id, contact_id = self.actions[a % len(self.actions)], self.contacts[c % len(self.contacts)]
        try:
            with self.hubs[hub].write() as tx:
                if remove:
                    for link in live_pairs(tx, REGISTRY["action_link"],
                                           {"action_id": action_id, "contact_id": contact_id, "role": "owner"}):
                        set_deleted(tx, link, True)
                else:
                    link_contact(tx, action_id, contact_id, "owner")
        except UserError:
            return

    @precondition(lambda self: len(self.contacts) >= 2)
    @rule(hub=st.integers(0, HUBS - 1), a=st.integers(0, 10_000), b=st.integers(0, 10_000),
          by=st.integers(0, 10_000))
    def connection(self, hub: int, a: int, b: int, by: int) -> None:
        """Two people the hub holds get to know each other, perhaps introduced by a third."""
        here = self.live_here(hub)
        if len(here) < 2 or a % len(here) == b % len(here):
            return
        pair = (here[a % len(here)], here[b % len(here)])
        third = [cid for cid in here if cid not in pair]
        try:
            with self.hubs[hub].write() as tx:
                create_connection(tx, {"contact_a": pair[0], "contact_b": pair[1], "kind": "introduced",
                                       "introduced_by": third[by % len(third)] if third else ""})
        except UserError:
            return

    # ---- exchange ----

    @rule(hub=st.integers(0, HUBS - 1), peer=st.integers(0, HUBS - 1), delta=st.booleans(),
          encrypt=st.booleans())
    def export(self, hub: int, peer: int, delta: bool, encrypt: bool) -> None:
        path = self.bundles_dir / f"{len(self.bundles):04d}.oursociety"
        for_hub = self.hubs[peer].hub_id if delta and peer != hub else None
        export_bundle(self.hubs[hub], path, for_hub=for_hub, passphrase="property passphrase" if encrypt else None)
        self.bundles.append(path)

    @rule(hub=st.integers(0, HUBS - 1))
    def broadcast(self, hub: int) -> None:
        """One hub's full bundle reaches every other hub (and stays available to be imported again later)."""
        path = self.bundles_dir / f"{len(self.bundles):04d}.oursociety"
        export_bundle(self.hubs[hub], path)
        self.bundles.append(path)
        for other, db in enumerate(self.hubs):
            if other != hub:
                import_bundle(db, path, backup=False)
                self.imported.add((other, path))

    @precondition(lambda self: self.bundles)
    @rule(hub=st.integers(0, HUBS - 1), pick=st.integers(0, 10_000))
    def import_any(self, hub: int, pick: int) -> None:
        """Any bundle, at any time: stale, duplicated, out of order, relayed."""
        path = self.bundles[pick % len(self.bundles)]
        if (hub, path) in self.imported:
            # The same file again: its records are not read (services/exchange.py). Reading them would change
            # nothing: a preview that reads them says so.
            with patch("oursociety_desktop.services.exchange.already_merged", return_value=False):
                reread = import_bundle(self.hubs[hub], path, passphrase="property passphrase", dry_run=True)
            assert reread.changes == 0 and reread.report.new_conflicts == 0, reread.report.to_json()
        try:
            import_bundle(self.hubs[hub], path, passphrase="property passphrase", backup=False)
            self.imported.add((hub, path))
        except UserError as exc:
            assert "made by this hub itself" in exc.message

    # ---- forged bundles (issue 14): someone who can write to the folder but holds no trusted hub's key ----

    @precondition(lambda self: self.contacts)
    @rule(hub=st.integers(0, HUBS - 1), encrypt=st.booleans(), pick=st.integers(0, 10_000))
    def forged_bundles(self, hub: int, encrypt: bool, pick: int) -> None:
        """Bundles forged from hub `hub`'s genuine one, one of each kind (an untrusted erasure claims a hub of the
        attacker's own), reach every hub, perhaps encrypted to all of them: none changes anything at any hub, and
        each hub refuses each with one line naming the defence that caught it."""
        for kind in forgery.KINDS:
            forgery.deliver_forgery(self.hubs, self.bundles, self.bundles_dir, hub, kind, encrypt, pick)

    @invariant()
    def databases_stay_sound(self) -> None:
        from oursociety_desktop.models.health import check_database

        for db in self.hubs:
            with db.engine.connect() as conn:
                report = check_database(conn)
            assert report.sound, report.problems

    # ---- the end: everyone imports everything ----

    def converge(self) -> None:
        for round_number in range(2 * HUBS + 2):
            changed = 0
            for db in self.hubs:  # what waits in quarantine is accepted by each organiser
                changed += accept_quarantined(db).changes
            fresh = []
            for i, db in enumerate(self.hubs):
                path = self.bundles_dir / f"final-{round_number}-{i}.oursociety"
                export_bundle(db, path)
                fresh.append(path)
            for i, db in enumerate(self.hubs):
                for j, path in enumerate(fresh):
                    if i != j:
                        result = import_bundle(db, path, backup=False)
                        changed += result.changes + result.report.far_future  # quarantined: accepted next round
            if not changed:
                return
        raise AssertionError("hubs did not converge")

    def check_converged(self) -> None:
        self.converge()
        dumps = [dump_text(db) for db in self.hubs]
        assert all(d == dumps[0] for d in dumps), "dumps differ after everyone imported everything"
        final: dict[str, Contact] = {}
        conflict_stamps: set[tuple[str, str, str]] = set()
        for db in self.hubs:
            with db.read() as session:
                for contact in session.exec(select(Contact)).all():
                    final.setdefault(contact.id, contact)
                for conflict in session.exec(select(Conflict)).all():
                    conflict_stamps.add((conflict.record_id, conflict.field, conflict.theirs_stamp))
                assert session.exec(select(Group)).all() is not None
        for write in self.writes:
            contact = final.get(write.record_id)
            if contact is None or contact.erased or not contact.share_with_hubs:
                continue  # erasure beats every edit; an unshared contact never leaves its hub
            if self.lost_to_a_withdrawal(write.record_id, write.field):
                continue
            if contact.field_stamp(write.field) == write.stamp or getattr(contact, write.field) == write.value:
                continue
            if any(w.hub == write.hub and w.record_id == write.record_id and w.field == write.field
                   and w.stamp > write.stamp for w in self.writes):
                continue  # its own hub wrote that field again later
            assert (write.record_id, write.field, write.stamp) in conflict_stamps, f"lost write {write}"
        for contact_id in self.deleted:
            contact = final.get(contact_id)
            if contact is not None and contact.share_with_hubs and not self.restored_after:
                assert contact.deleted, f"deleted contact {contact_id} came back"
        for contact_id in self.contacts:  # no person vanishes who was not deleted, merged or erased
            contact = final.get(contact_id)
            if contact is None or contact_id in self.deleted | self.erased | self.merged or contact.erased:
                continue
            if contact.deleted and contact.merged_into:
                continue  # merged away by a crossing merge: the survivor holds them
            assert not contact.deleted, f"contact {contact_id} vanished"
        self.check_withdrawals()


class HubExchangeMachine(HubExchange):
    def teardown(self) -> None:
        try:
            self.check_converged()
        finally:
            super().teardown()
            if os.environ.get("OURSOCIETY_PROPERTY_REPORT"):
                print("forged bundles refused:", dict(forgery.REFUSED))


# OURSOCIETY_PROPERTY_SHRINK=0 reports a failure as found (shrinking whole hubs can take minutes).
PHASES = [p for p in Phase if p != Phase.shrink or os.environ.get("OURSOCIETY_PROPERTY_SHRINK", "1") != "0"]

HubExchangeMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, phases=PHASES, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestHubExchange = HubExchangeMachine.TestCase

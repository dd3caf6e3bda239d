"""The withdrawal part of the exchange property test (kept apart so that other rules merge easily): a hub switches
a person's sharing off (any hub holding them may: a withdrawal made there) or, at the hub holding the person's
consent, on again; after everything is delivered, no hub other than the consent holder holds a personal field of a
person withdrawn at the end, nor any record personal to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule
from sqlmodel import select

from oursociety_desktop.models.contacts import update_contact
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import add_member
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.models.withdrawal import WITHHELD, blank_values

if TYPE_CHECKING:
    from oursociety_desktop.models.database import Database

HUB_INDEX = st.integers(0, 9)


class WithdrawalRules:
    """Rules mixed into the property test's state machine (which has `hubs`, `contacts` and `live_here`)."""

    hubs: list[Database]
    contacts: list[str]
    withdrawn_ever: set[str]

    def live_here(self, hub: int) -> list[str]:  # provided by the state machine
        raise NotImplementedError

    def held_elsewhere(self, hub: int) -> list[str]:
        """People shared at this hub that another hub holds too, the ones in a group there first."""
        db = self.hubs[hub]
        with db.read() as session:
            here = [row[0] for row in session.connection().exec_driver_sql(
                "SELECT c.id FROM contact c WHERE c.deleted = 0 AND c.share_with_hubs = 1 ORDER BY "
                "EXISTS (SELECT 1 FROM membership m WHERE m.contact_id = c.id AND m.deleted = 0) DESC, c.id")]
        elsewhere: set[str] = set()
        for other in self.hubs:
            if other is not db:
                with other.read() as session:
                    elsewhere.update(row[0] for row in session.connection().exec_driver_sql(
                        "SELECT id FROM contact WHERE deleted = 0"))
        return [cid for cid in here if cid in elsewhere] or here

    def withdraw_at(self, hub: int, pick: int, holder: bool) -> None:
        db = self.hubs[hub % len(self.hubs)]
        here = self.held_elsewhere(hub % len(self.hubs))
        if holder:
            with db.read() as session:
                here = [cid for cid in here if (c := session.get(Contact, cid)) is not None
                        and c.origin_hub == db.hub_id]
        if not here:
            return
        contact_id = here[pick % min(len(here), 4)]
        try:
            with db.write() as tx:
                update_contact(tx, contact_id, {"share_with_hubs": False})
        except UserError:
            return
        self.withdrawn_ever.add(contact_id)

    @precondition(lambda self: self.contacts)
    @rule(hub=HUB_INDEX, pick=st.integers(0, 10_000))
    def withdraw(self, hub: int, pick: int) -> None:
        """A person withdraws their consent to be shared, at a hub holding them that is not their consent holder
        (the withdrawal travels from there)."""
        self.withdraw_at(hub, pick, holder=False)

    @precondition(lambda self: self.contacts)
    @rule(hub=HUB_INDEX, pick=st.integers(0, 10_000))
    def withdraw_at_the_consent_holder(self, hub: int, pick: int) -> None:
        """A person withdraws their consent at the hub holding it."""
        self.withdraw_at(hub, pick, holder=True)

    @precondition(lambda self: self.contacts)
    @rule(hub=HUB_INDEX, pick=st.integers(0, 10_000))
    def join_a_group_here(self, hub: int, pick: int) -> None:
        """A person shared at this hub joins a group this hub holds (so withdrawals meet memberships to remove)."""
        db = self.hubs[hub % len(self.hubs)]
        people = self.held_elsewhere(hub % len(self.hubs))
        with db.read() as session:
            groups = [row[0] for row in session.connection().exec_driver_sql(
                "SELECT id FROM contact_group WHERE deleted = 0 ORDER BY id")]
        if not people or not groups:
            return
        try:
            with db.write() as tx:
                add_member(tx, groups[pick % len(groups)], people[pick % len(people)])
        except UserError:
            return

    @precondition(lambda self: self.withdrawn_ever)
    @rule(hub=HUB_INDEX, pick=st.integers(0, 10_000))
    def share_again(self, hub: int, pick: int) -> None:
        """The person gives consent again: only the hub holding their consent may switch sharing on."""
        db = self.hubs[hub % len(self.hubs)]
        contact_id = sorted(self.withdrawn_ever)[pick % len(self.withdrawn_ever)]
        try:
            with db.write() as tx:
                contact = tx.session.get(Contact, contact_id)
                before = bool(contact is not None and contact.share_with_hubs)
                update_contact(tx, contact_id, {"share_with_hubs": True})
        except UserError:
            return
        assert before or (contact is not None and contact.origin_hub == db.hub_id), \
            "a hub other than the consent holder switched sharing on"

    def lost_to_a_withdrawal(self, record_id: str, field: str) -> bool:
        """An edit of a withheld field of a person once withdrawn may be lost: the withdrawal wins over edits made
        elsewhere meanwhile."""
        return record_id in self.withdrawn_ever and field in WITHHELD

    def check_withdrawals(self) -> None:
        """After delivery of everything: a person withdrawn at the end is held, with personal fields, by their
        consent holder alone, and no other hub holds a record personal to them."""
        rows: dict[str, list[tuple[Database, dict[str, Any]]]] = {}
        for db in self.hubs:
            with db.read() as session:
                for contact in session.exec(select(Contact)).all():
                    values = contact.model_dump()
                    rows.setdefault(contact.id, []).append((db, values))
        blank = blank_values()
        for contact_id, held in rows.items():
            withdrawn = [values for _db, values in held if not values["share_with_hubs"] and not values["erased"]]
            if not withdrawn:
                continue
            for db, values in held:
                if values["origin_hub"] == db.hub_id:
                    continue
                assert {name: values[name] for name in WITHHELD} == blank, \
                    f"hub {db.hub_name} holds personal fields of withdrawn person {contact_id}"
                with db.read() as session:
                    named = session.connection().exec_driver_sql(
                        "SELECT (SELECT COUNT(*) FROM membership WHERE contact_id = ?) + "
                        "(SELECT COUNT(*) FROM action_link WHERE contact_id = ?) + "
                        "(SELECT COUNT(*) FROM connection WHERE ? IN (contact_a, contact_b, introduced_by))",
                        (contact_id, contact_id, contact_id)).scalar_one()
                assert named == 0, f"hub {db.hub_name} holds records personal to withdrawn person {contact_id}"

"""The broker's decisions on suggested introductions: accept one (a Connection of kind "introduced" and a follow-up
action saying how to reach each person), decline one (not suggested again), or forget a decline. The suggestions
themselves are made in matching.py."""

from __future__ import annotations

from datetime import date, timedelta

from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.connections import record_introduction
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.matching import match_reasons
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Connection as ConnectionRecord
from oursociety_desktop.models.tables import Contact, MatchDecision, Need, Offer

# In the broker's language when the introduction is made: the follow-up action keeps the words it was given.
FOLLOW_UP_TITLE = N_("Introduce {need_person} to {offer_person}")
REACH_BOTH = N_("by phone or email")
REACH_EMAIL_ONLY = N_("by email (not by phone)")
REACH_PHONE_ONLY = N_("by phone (not by email)")
REACH_NEITHER = N_("in person or by post (no phone calls, no email)")
FOLLOW_UP_NOTES = N_("{need_person} needs: {need_text}\n{offer_person} offers: {offer_text}\nWhy: {reasons}\n"
                     "Reach {need_person} {need_reach}; reach {offer_person} {offer_reach}.")


def how_to_reach(contact: Contact) -> str:
    """How a follow-up may say to reach a person, from their do-not-phone and do-not-email wishes."""
    if contact.do_not_phone and contact.do_not_email:
        return _(REACH_NEITHER)
    if contact.do_not_phone:
        return _(REACH_EMAIL_ONLY)
    if contact.do_not_email:
        return _(REACH_PHONE_ONLY)
    return _(REACH_BOTH)


def _pair(tx: Tx, need_id: str, offer_id: str) -> tuple[Need, Offer, Contact, Contact]:
    need = get_record(tx.session, Need, need_id, live=True)
    offer = get_record(tx.session, Offer, offer_id, live=True)
    asker = get_record(tx.session, Contact, need.contact_id, live=True)
    giver = get_record(tx.session, Contact, offer.contact_id, live=True)
    if asker.id == giver.id:
        raise UserError(_("That need and that offer are the same person's."))
    crosses = asker.origin_hub != tx.hub_id or giver.origin_hub != tx.hub_id
    if crosses and not (asker.share_with_hubs and giver.share_with_hubs):
        raise UserError(_("These two people are at different hubs and one of them has not agreed to share; they "
                        "cannot be introduced through the network."))
    return need, offer, asker, giver


def _decide(tx: Tx, need_id: str, offer_id: str, decision: str, connection_id: str = "") -> None:
    row = tx.session.get(MatchDecision, (need_id, offer_id))
    if row is None:
        row = MatchDecision(need_id=need_id, offer_id=offer_id)
    row.decision = decision
    row.decided_at = utc_now_iso()
    row.connection_id = connection_id
    tx.session.add(row)


def accept_match(tx: Tx, need_id: str, offer_id: str, broker_id: str = "", *, due_in_days: int = 7
                 ) -> ConnectionRecord:
    """Introduce the person with the need to the person with the offer: a Connection of kind "introduced" (the
    broker as introducer) and a follow-up action saying how to reach each; the pair is not suggested again."""
    need, offer, asker, giver = _pair(tx, need_id, offer_id)
    earlier = tx.session.get(MatchDecision, (need.id, offer.id))
    if earlier is not None and earlier.decision == "accepted":
        raise UserError(_("This introduction was already made."))
    broker = get_record(tx.session, Contact, broker_id, live=True).id if broker_id else ""
    if broker in (asker.id, giver.id):
        raise UserError(_("The broker must be someone other than the two people introduced."))
    reasons = "; ".join(match_reasons(need, offer, asker, giver, tx.hub_id)) or _("chosen by the broker")
    names = {"need_person": asker.shown_name, "offer_person": giver.shown_name}
    notes = _(FOLLOW_UP_NOTES).format(**names, need_text=need.text, offer_text=offer.text, reasons=reasons,
                                   need_reach=how_to_reach(asker), offer_reach=how_to_reach(giver))
    today = date.today()
    connection = record_introduction(
        tx, {"contact_a": asker.id, "contact_b": giver.id, "kind": "introduced", "introduced_by": broker,
             "date": today.isoformat(), "note": reasons},
        {"title": _(FOLLOW_UP_TITLE).format(**names), "notes": notes,
         "due": (today + timedelta(days=due_in_days)).isoformat()})
    _decide(tx, need.id, offer.id, "accepted", connection.id)
    return connection


def decline_match(tx: Tx, need_id: str, offer_id: str) -> None:
    """Remember that the broker does not want this pair suggested again."""
    need = get_record(tx.session, Need, need_id)
    offer = get_record(tx.session, Offer, offer_id)
    _decide(tx, need.id, offer.id, "declined")


def forget_decision(tx: Tx, need_id: str, offer_id: str) -> None:
    """Undo a decline: the pair may be suggested again."""
    row = tx.session.get(MatchDecision, (need_id, offer_id))
    if row is not None:
        tx.session.delete(row)

"""Which copy of a hub this database is, and what to do when it was copied.

A hub's id names it in every stamp it issues; two databases using one id (a laptop set up from another's backup,
a database copied while in use) would each take the other's bundles for their own and overwrite each other's
edits without a conflict. So each database keeps:

- its **incarnation** (a UUID, in every bundle's manifest): a restored database gets a new one, so other hubs
  can tell the copies apart and name them (`note_incarnation`);
- its **location** (this computer's name and the database file's path): a database opened somewhere else than it
  was last opened is a copy, and until the organiser says whether it is a new hub (`new_identity`: a new id,
  incarnation and key, keeping the data) or replaces the old laptop (`keep_identity`), it makes and takes no
  bundles (`require_settled_identity`).
"""

from __future__ import annotations

import os
import platform
import uuid

from sqlalchemy import select, text, update

from oursociety_desktop.i18n import _
from oursociety_desktop.models.clock import Stamp, stamp_hub
from oursociety_desktop.models.database import MAX_HUB_NAME, Database, Tx, get_setting, set_setting
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.sharing import FORMER_IDS
from oursociety_desktop.models.signing import new_signing_key
from oursociety_desktop.models.tables import Hub, PeerHub
from oursociety_desktop.models.text import single_line, within_limit

LOCATION = "hub_location"
QUESTION = "hub_identity_question"


def current_location(db: Database) -> dict[str, str]:
    """Where this database is now: this computer's name and the file's resolved path."""
    return {"computer": platform.node(), "path": os.path.realpath(db.path)}


def check_location(db: Database) -> None:
    """Compare where the database is with where it was last opened; a difference raises the identity question
    (remembered until answered). The first open just records the place."""
    here = current_location(db)
    with db.write() as tx:
        known = get_setting(tx.session, LOCATION)
        if not known:
            set_setting(tx.session, LOCATION, here)
        elif known != here and not get_setting(tx.session, QUESTION):
            # The clock as copied: every stamp of this hub's id above it was issued by this copy.
            set_setting(tx.session, QUESTION, {"was": known, "now": here, "clock": tx.clock.last})


def identity_question(db: Database) -> str | None:
    """The question to put to the organiser, as one line, or None when this copy's identity is settled."""
    pending = db.setting(QUESTION)
    if not pending:
        return None
    was = pending.get("was", {})
    return (_("This hub's database was last used at {path} on {computer}: it is "
              "a copy. If this is a new hub, run `oursociety hub identity new` (it keeps the data under a new hub "
              "id); if it replaces the old laptop, run `oursociety hub identity keep`.")
            .format(path=was.get("path", "?"), computer=was.get("computer", "?")))


def require_settled_identity(db: Database) -> None:
    """Raise UserError (the question) while the organiser has not said what this copy is."""
    question = identity_question(db)
    if question is not None:
        raise UserError(question)


def keep_identity(db: Database) -> None:
    """This copy replaces the old one: same hub id, a new incarnation, this place remembered."""
    with db.write() as tx:
        tx.session.connection().execute(text("UPDATE hub SET incarnation = :i"), {"i": str(uuid.uuid4())})
        set_setting(tx.session, LOCATION, current_location(db))
        tx.session.connection().execute(text("DELETE FROM setting WHERE key = :k"), {"k": QUESTION})
    db.reload_hub()


def new_identity(db: Database, name: str = "") -> str:
    """This copy is a new hub: a new id, incarnation and signing key (the data stays, and the records the old hub
    created keep their origin). What was edited on this copy before the question was answered is stamped again by
    the new id: under the old one it would travel as the old hub's own edits and overwrite that hub's concurrent
    edits with no conflict listed. The old hub's records that stay home there (hours, unless it shares their detail)
    stay home here too. Other hubs meet it as a new hub. Returns the new id."""
    new_id = str(uuid.uuid4())
    new_name = within_limit("name", single_line(name).strip(), MAX_HUB_NAME)
    old_id = db.hub_id
    with db.write() as tx:
        hub = tx.session.get(Hub, old_id)
        assert hub is not None
        pending = get_setting(tx.session, QUESTION)
        copied_at = pending.get("clock", "") if isinstance(pending, dict) else ""
        last = Stamp.decode(tx.clock.last)
        conn = tx.session.connection()
        conn.execute(text("UPDATE hub SET id = :new, name = :name, incarnation = :i, signing_key = :k, clock = :c "
                          "WHERE id = :old"),
                     {"new": new_id, "name": new_name or hub.name, "i": str(uuid.uuid4()),
                      "k": new_signing_key(), "old": old_id, "c": Stamp(last.ms, last.counter, new_id).encode()})
        if copied_at:
            _restamp_copy_edits(tx, old_id, new_id, copied_at)
        set_setting(tx.session, FORMER_IDS, [*(get_setting(tx.session, FORMER_IDS) or []), old_id])
        # What peers acknowledged was sent by the old id: the new hub owes them everything.
        conn.execute(text("UPDATE peer_hub SET acknowledged = '', resend_from = '', resend_after_log = 0"))
        set_setting(tx.session, LOCATION, current_location(db))
        conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": QUESTION})
    db.reload_hub()
    return new_id


def _restamp_copy_edits(tx: Tx, old_id: str, new_id: str, copied_at: str) -> None:
    """Give the new id every stamp of the old id issued after the copy was made (above `copied_at`): the edits made
    on this copy. Their time and counter stay, so their order among the hub's stamps is kept."""
    conn = tx.session.connection()

    def moved(stamp: str) -> str:
        if stamp <= copied_at or stamp_hub(stamp) != old_id:
            return stamp
        issued = Stamp.decode(stamp)
        return Stamp(issued.ms, issued.counter, new_id).encode()

    for record_type in REGISTRY:
        table = record_type.table.__table__  # type: ignore[attr-defined]
        rows = conn.execute(select(table.c.id, table.c.base_stamp, table.c.stamps, table.c.edit_stamp)
                            .where(table.c.stamp > copied_at)).all()
        for rid, base, stamps, edit in rows:
            new_stamps = {name: moved(stamp) for name, stamp in (stamps or {}).items()}
            conn.execute(update(table).where(table.c.id == rid).values(
                base_stamp=moved(base), stamps=new_stamps, edit_stamp=moved(edit) if edit else edit))


def incarnation_note(peer: PeerHub | None, incarnation: str) -> str | None:
    """One line when a peer's bundle comes from another copy of the hub than the last one seen: a restored or
    moved hub (a new incarnation), or two copies of one hub in use (an older incarnation again)."""
    if peer is None or not incarnation or not peer.incarnation or incarnation == peer.incarnation:
        return None
    name = peer.name or peer.id[:8]
    if incarnation in peer.incarnations:
        return (_("Two copies of hub '{name}' are in use (copies {known} and {new}); ask "
                  "its organiser which one is the hub, and to run `oursociety hub identity new` on the other.")
                .format(name=name, known=peer.incarnation[:8], new=incarnation[:8]))
    return (_("Hub '{name}' is now another copy than before ({new}, was {known}): "
              "restored from a backup or moved to another computer.")
            .format(name=name, new=incarnation[:8], known=peer.incarnation[:8]))


def note_incarnation(peer: PeerHub, incarnation: str) -> None:
    """Record the incarnation a peer's latest bundle came from."""
    if not incarnation:
        return
    if incarnation not in peer.incarnations:
        peer.incarnations = [*peer.incarnations, incarnation]
    peer.incarnation = incarnation

"""Local bookkeeping of hub exchange: known peer hubs, delta watermarks, exchange folders and the exchange log.

A delta bundle for a peer holds every shareable record whose `stamp` is above that peer's `sent_watermark`
(the hub clock when the last bundle for it was made). An import can bring records whose stamps are *below* a
watermark (they were written at a third hub long ago): so that they still relay, every import lowers each
watermark to just under the lowest record stamp it changed (`lower_watermarks`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from oursociety_desktop.models.database import Tx, get_setting, set_setting, utc_now_iso
from oursociety_desktop.models.tables import ExchangeLog, PeerHub

FOLDER_WATERMARKS = "exchange_folder_watermarks"
EXCHANGE_FOLDER = "exchange_folder"


def below(stamp: str) -> str:
    """A watermark just under `stamp`: every stamp >= `stamp` compares greater than it (its ms.counter prefix)."""
    return stamp[:21]


def ceiling(clock: str) -> str:
    """The watermark after a bundle made when the hub clock read `clock`: at or above every stamp with the same
    time and counter, whatever hub issued it (a stamp observed from another hub can equal the clock's time and
    counter yet sort above it by hub id)."""
    return clock[:21] + "\U0010ffff" if clock else ""


def note_peer(tx: Tx, hub_id: str, name: str) -> PeerHub:
    """Record (or refresh) a peer hub we received a bundle from."""
    now = utc_now_iso()
    peer = tx.session.get(PeerHub, hub_id)
    if peer is None:
        peer = PeerHub(id=hub_id, name=name, first_seen_at=now, last_import_at=now)
    else:
        peer.name = name or peer.name
        peer.last_import_at = now
    tx.session.add(peer)
    return peer


def is_known_peer(session: Session, hub_id: str) -> bool:
    """True when this hub has exchanged bundles with `hub_id` before."""
    return session.get(PeerHub, hub_id) is not None


def peer_watermark(session: Session, hub_id: str) -> str:
    """Where the next delta for a peer starts ("" when nothing was sent yet: a full bundle)."""
    peer = session.get(PeerHub, hub_id)
    return peer.sent_watermark if peer is not None else ""


def set_peer_watermark(tx: Tx, hub_id: str, watermark: str) -> None:
    """After a delta bundle for a peer was written: the next one starts above `watermark`."""
    peer = tx.session.get(PeerHub, hub_id)
    if peer is None:
        peer = PeerHub(id=hub_id, name="", first_seen_at=utc_now_iso())
    peer.sent_watermark = watermark
    tx.session.add(peer)


def folder_watermark(session: Session, folder_key: str) -> str:
    """Where the next delta written to an exchange folder starts."""
    marks = get_setting(session, FOLDER_WATERMARKS) or {}
    return str(marks.get(folder_key, ""))


def set_folder_watermark(tx: Tx, folder_key: str, watermark: str) -> None:
    """After this hub's delta was written to an exchange folder."""
    marks = dict(get_setting(tx.session, FOLDER_WATERMARKS) or {})
    marks[folder_key] = watermark
    set_setting(tx.session, FOLDER_WATERMARKS, marks)


def lower_watermarks(tx: Tx, floor: str) -> None:
    """Bring every peer and folder watermark down to just under `floor` (the lowest stamp an import changed)."""
    if not floor:
        return
    mark = below(floor)
    tx.session.flush()
    tx.session.connection().execute(
        text("UPDATE peer_hub SET sent_watermark = :m WHERE sent_watermark > :m"), {"m": mark}
    )
    marks = dict(get_setting(tx.session, FOLDER_WATERMARKS) or {})
    lowered = {key: min(value, mark) if value else value for key, value in marks.items()}
    if lowered != marks:
        set_setting(tx.session, FOLDER_WATERMARKS, lowered)


def log_exchange(tx: Tx, direction: str, peer_hub: str, file_name: str, summary: dict[str, Any]) -> ExchangeLog:
    """Add a line to the exchange log."""
    entry = ExchangeLog(at=utc_now_iso(), direction=direction, peer_hub=peer_hub, file_name=file_name,
                        summary=summary)
    tx.session.add(entry)
    return entry


def exchange_log(session: Session, limit: int = 500) -> list[ExchangeLog]:
    """The newest log lines first."""
    return list(session.exec(select(ExchangeLog).order_by(col(ExchangeLog.id).desc()).limit(limit)).all())


def seen_bundle_ids(session: Session) -> set[str]:
    """Ids of bundles this hub has imported (so an exchange folder does not import them again)."""
    rows = session.connection().execute(text(
        "SELECT json_extract(summary, '$.bundle_id') FROM exchange_log WHERE direction = 'import'"
    ))
    return {row[0] for row in rows if row[0]}


def known_peers(session: Session) -> list[PeerHub]:
    """Every peer hub, by name."""
    return list(session.exec(select(PeerHub).order_by(col(PeerHub.name), col(PeerHub.id))).all())

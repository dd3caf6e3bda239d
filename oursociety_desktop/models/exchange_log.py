"""Local bookkeeping of hub exchange: known peer hubs and what each has acknowledged, exchange folders, and the
exchange log.

A delta bundle for a peer holds every shareable record stamped after what the peer has **acknowledged**: this
hub's clock when it wrote the latest bundle the peer imported contiguously, as named in the knowledge vector of
the peer's latest bundle to reach this hub (models/knowledge.py). Until the peer says more, every delta for it
repeats everything since then, so a lost bundle heals at the next round; a peer that acknowledged nothing gets a
full bundle. Records imported here after that bundle may carry older stamps (written long ago at a third hub): so
that they still reach the peer, each import lowers the peer's `resend_from` mark below them, until the peer
acknowledges a bundle written after that import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from oursociety_desktop.models.clock import floor_below, stamp_hub
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.tables import ExchangeLog, PeerHub

EXCHANGE_FOLDER = "exchange_folder"


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


def delta_since(session: Session, hub_ids: list[str]) -> str:
    """Where a delta for these peers starts: the lowest of their acknowledgements and resend marks; "" (a full
    bundle) when there is none, or when any of them has acknowledged nothing."""
    marks: list[str] = []
    for hub_id in hub_ids:
        peer = session.get(PeerHub, hub_id)
        if peer is None or not peer.acknowledged:
            return ""
        marks.append(min(peer.acknowledged, peer.resend_from) if peer.resend_from else peer.acknowledged)
    return min(marks, default="")


def take_acknowledgement(tx: Tx, hub_id: str, knowledge: dict[str, str]) -> None:
    """Keep what a peer's latest bundle says it holds. Its entry for this hub is the acknowledgement, taken when it
    names a bundle this hub wrote (else ignored: a delta then repeats more, never less)."""
    peer = tx.session.get(PeerHub, hub_id)
    if peer is None:
        return
    peer.knowledge = dict(knowledge)
    ack = knowledge.get(tx.hub_id, "")
    written = _export_written_at(tx.session, ack) if ack and stamp_hub(ack) == tx.hub_id else None
    if written is not None:
        log_id, since = written
        if peer.resend_from and log_id > peer.resend_after_log and since <= peer.resend_from:
            peer.resend_from, peer.resend_after_log = "", 0
        peer.acknowledged = ack
    tx.session.add(peer)


def _export_written_at(session: Session, clock: str) -> tuple[int, str] | None:
    """(exchange log id, since) of the bundle this hub wrote when its clock read `clock`."""
    row = session.connection().execute(text(
        "SELECT id, json_extract(summary, '$.since') FROM exchange_log WHERE direction = 'export' "
        "AND json_extract(summary, '$.clock') = :c ORDER BY id DESC LIMIT 1"), {"c": clock}).first()
    return (int(row[0]), str(row[1] or "")) if row is not None else None


def lower_resend_marks(tx: Tx, floor: str, except_hub: str = "") -> None:
    """After an import changed records stamped from `floor` up: every peer's next delta starts below them (but
    the sender's: it has them)."""
    if not floor:
        return
    mark = floor_below(floor)
    tx.session.flush()
    last_log = tx.session.connection().execute(text("SELECT COALESCE(MAX(id), 0) FROM exchange_log")).scalar_one()
    tx.session.connection().execute(
        text("UPDATE peer_hub SET resend_from = CASE WHEN resend_from = '' OR resend_from > :m THEN :m "
             "ELSE resend_from END, resend_after_log = :log WHERE id != :sender"),
        {"m": mark, "log": int(last_log), "sender": except_hub})


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


def already_merged(session: Session, bundle_id: str, file_sha256: str) -> bool:
    """True when this very file (same bundle id, same SHA-256 of its bytes) was imported here before, and nothing
    of it waited in quarantine. Merging is idempotent and every later change here only adds newer stamps, so
    merging it again would change nothing: the import may skip its records (a stick plugged in twice, a synced
    folder read again)."""
    row = session.connection().execute(text(
        "SELECT 1 FROM exchange_log WHERE direction = 'import' AND json_extract(summary, '$.bundle_id') = :b "
        "AND json_extract(summary, '$.file_sha256') = :d "
        "AND COALESCE(json_extract(summary, '$.far_future_records'), 0) = 0 LIMIT 1"),
        {"b": bundle_id, "d": file_sha256}).first()
    return row is not None


def known_peers(session: Session) -> list[PeerHub]:
    """Every peer hub, by name."""
    return list(session.exec(select(PeerHub).order_by(col(PeerHub.name), col(PeerHub.id))).all())

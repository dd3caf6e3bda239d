"""The knowledge vector: for every hub that issued stamps, the highest of its stamps this hub holds.

Every bundle carries its sender's vector (docs/bundle-format.md), so a receiver learns what the sender already
has. It is kept up to date as stamps are issued here (`Database.write`) and as records arrive (the bundle merge).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, text

from oursociety_desktop.models.clock import stamp_hub


def newest_by_hub(stamps: Iterable[str], into: dict[str, str] | None = None) -> dict[str, str]:
    """Fold stamps into {issuing hub id: highest stamp} (updating `into` when given)."""
    out = {} if into is None else into
    for stamp in stamps:
        hub = stamp_hub(stamp)
        if stamp > out.get(hub, ""):
            out[hub] = stamp
    return out


def note_known(conn: Connection, newest: Mapping[str, str]) -> None:
    """Raise the vector's entries to the given stamps (an entry never goes down)."""
    if newest:
        conn.execute(
            text("INSERT INTO known_stamp (hub_id, stamp) VALUES (:h, :s) "
                 "ON CONFLICT (hub_id) DO UPDATE SET stamp = max(stamp, excluded.stamp)"),
            [{"h": hub, "s": stamp} for hub, stamp in sorted(newest.items())],
        )


def knowledge_vector(conn: Connection) -> dict[str, str]:
    """{hub id: highest stamp held from it}, for every hub this hub holds stamps of."""
    return {hub: stamp for hub, stamp in conn.execute(text("SELECT hub_id, stamp FROM known_stamp ORDER BY hub_id"))}

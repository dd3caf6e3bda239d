"""The knowledge vector: for every hub this hub has imported bundles from, the clock of that hub's latest bundle
imported *contiguously* — so this hub holds everything that hub had shared with it up to that stamp.

A bundle is contiguous when it is full, or when it is a delta whose base (`since`) is at or below what this hub
already held from its sender: nothing the sender had before the bundle can be missing here. A delta after a lost
one is imported all the same, but does not move the vector, so the sender's next delta repeats what was lost.

Every bundle carries its sender's vector (docs/bundle-format.md §3); the entry for a receiving hub is that hub's
**acknowledgement**: what it may leave out of its next delta for the sender (models/exchange_log.py).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from oursociety_desktop.models.clock import HUB_ID, is_stamp


def note_bundle_imported(conn: Connection, source_hub: str, kind: str, since: str, clock: str) -> bool:
    """Raise the vector's entry for `source_hub` to `clock` when the bundle (`kind`, `since`, `clock` from its
    manifest) was contiguous with what this hub held. Returns True when the entry moved."""
    if not clock:
        return False
    held = conn.execute(text("SELECT stamp FROM known_stamp WHERE hub_id = :h"), {"h": source_hub}).scalar() or ""
    if not is_stamp(held):  # taken from a manifest before clocks were checked: above every real stamp, it would stay
        held = ""
    contiguous = kind == "full" or since == "" or (held != "" and since <= held)
    if not contiguous or clock <= held:
        return False
    conn.execute(text("INSERT INTO known_stamp (hub_id, stamp) VALUES (:h, :s) "
                      "ON CONFLICT (hub_id) DO UPDATE SET stamp = excluded.stamp"), {"h": source_hub, "s": clock})
    return True


def knowledge_vector(conn: Connection) -> dict[str, str]:
    """{hub id: clock of its latest bundle imported contiguously}. An entry that is not a stamp, or not under a hub
    id (taken from a bundle's `clock` and source hub before manifests were checked for them), is left out: every
    reader would refuse a bundle carrying it."""
    return {hub: stamp for hub, stamp in conn.execute(text("SELECT hub_id, stamp FROM known_stamp ORDER BY hub_id"))
            if is_stamp(stamp) and HUB_ID.fullmatch(hub)}

"""Counts per record type (`oursociety stats`) and integrity and invariant checks (`oursociety check`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.migrations import LATEST_VERSION, current_version
from oursociety_desktop.models.references import dangling_references
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import Contact


def record_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """Per record type: live and deleted counts (and erased, for contacts)."""
    out: dict[str, dict[str, int]] = {}
    for record_type in REGISTRY:
        row = conn.execute(
            text(f"SELECT COUNT(*), COALESCE(SUM(deleted), 0) FROM {record_type.table_name}")  # noqa: S608
        ).one()
        total, deleted = int(row[0]), int(row[1])
        out[record_type.name] = {"live": total - deleted, "deleted": deleted}
    out["contact"]["erased"] = int(conn.execute(text("SELECT COUNT(*) FROM contact WHERE erased = 1")).scalar_one())
    out["contact"]["shared"] = int(
        conn.execute(text("SELECT COUNT(*) FROM contact WHERE deleted = 0 AND share_with_hubs = 1")).scalar_one()
    )
    return out


def hub_stats(conn: Connection) -> dict[str, Any]:
    """Counts of records, open conflicts and known peer hubs."""
    return {
        "records": record_counts(conn),
        "unknown_kind_records": int(conn.execute(text("SELECT COUNT(*) FROM opaque_record")).scalar_one()),
        "open_conflicts": int(conn.execute(text("SELECT COUNT(*) FROM conflict WHERE resolved = 0")).scalar_one()),
        "peer_hubs": int(conn.execute(text("SELECT COUNT(*) FROM peer_hub")).scalar_one()),
    }


@dataclass
class CheckReport:
    """What `check` found: problems break an invariant; warnings are worth knowing but expected in sync."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        """True when no invariant is broken."""
        return not self.problems


def check_database(conn: Connection) -> CheckReport:
    """Run SQLite's integrity check and this app's invariants over the whole database."""
    report = CheckReport()
    integrity = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if integrity != ["ok"]:
        report.problems.append("SQLite integrity check: " + "; ".join(integrity[:5]))
        return report
    version = current_version(conn)
    if version != LATEST_VERSION:
        report.problems.append(f"schema version is {version}, expected {LATEST_VERSION}")
    hubs = int(conn.execute(text("SELECT COUNT(*) FROM hub")).scalar_one())
    if hubs != 1:
        report.problems.append(f"expected exactly one hub record, found {hubs}")
    for record_type in REGISTRY:
        name = record_type.table_name
        bad = conn.execute(
            text(f"SELECT COUNT(*) FROM {name} WHERE base_stamp = '' OR stamp = '' OR stamp < base_stamp")  # noqa: S608
        ).scalar_one()
        if bad:
            report.problems.append(f"{bad} {record_type.name} record(s) without valid version stamps")
        over = conn.execute(
            text(f"SELECT COUNT(*) FROM {name}, json_each({name}.stamps) j WHERE j.value > {name}.stamp")  # noqa: S608
        ).scalar_one()
        if over:
            report.problems.append(f"{over} {record_type.name} field stamp(s) newer than their record's stamp")
    personal = " OR ".join(
        f"{f} NOT IN ('', '[]', 0)" for f in Contact.PERSONAL_FIELDS if f != "engagement_stage"
    )
    leaked = conn.execute(text(f"SELECT COUNT(*) FROM contact WHERE erased = 1 AND ({personal})")).scalar_one()  # noqa: S608
    if leaked:
        report.problems.append(f"{leaked} erased contact(s) still hold personal data")
    contacts = conn.execute(text("SELECT COUNT(*) FROM contact")).scalar_one()
    indexed = conn.execute(text("SELECT COUNT(*) FROM contact_search")).scalar_one()
    if contacts != indexed:
        report.problems.append(f"search index covers {indexed} of {contacts} contacts")
    fts = [row[0] for row in conn.execute(text("SELECT COUNT(*) FROM contact_fts"))]
    if fts and fts[0] != indexed:
        report.problems.append(f"full-text index holds {fts[0]} rows for {indexed} search rows")
    for dangling in dangling_references(conn):
        report.warnings.append(
            f"{dangling.count} live {dangling.record_type.replace('_', ' ')} record(s) name a "
            f"{dangling.target.replace('_', ' ')} this hub does not have ({dangling.field})")
    return report

"""Counts per record type (`oursociety stats`) and integrity and invariant checks (`oursociety check`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.derived import Drift, Expected, measure_drift
from oursociety_desktop.models.migrations import LATEST_VERSION, current_version
from oursociety_desktop.models.references import dangling_references
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.models.wording import record_type_word


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
    # The problems of tables derived from the records (among `problems`), which `check --repair` rebuilds.
    derived: list[str] = field(default_factory=list)
    # SQLite's own check failed: nothing else was checked, and nothing may be written.
    integrity_failed: bool = False

    @property
    def sound(self) -> bool:
        """True when no invariant is broken."""
        return not self.problems


def integrity_report(conn: Connection) -> CheckReport:
    """SQLite's own integrity check alone: a report with its findings as the one problem, or an empty one."""
    report = CheckReport()
    integrity = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if integrity != ["ok"]:
        report.problems.append(_("SQLite integrity check: {findings}").format(findings="; ".join(integrity[:5])))
        report.integrity_failed = True
    return report


def check_database(conn: Connection, expected: Expected | None = None) -> CheckReport:
    """Run SQLite's integrity check and this app's invariants over the whole database (`expected`: what the derived
    tables should hold, when the caller has worked it out already)."""
    report = integrity_report(conn)
    if report.integrity_failed:
        return report
    version = current_version(conn)
    if version != LATEST_VERSION:
        report.problems.append(_("schema version is {version}, expected {expected}").format(
            version=version, expected=LATEST_VERSION))
    hubs = int(conn.execute(text("SELECT COUNT(*) FROM hub")).scalar_one())
    if hubs != 1:
        report.problems.append(_("expected exactly one hub record, found {count}").format(count=hubs))
    for record_type in REGISTRY:
        name = record_type.table_name
        bad = conn.execute(
            text(f"SELECT COUNT(*) FROM {name} WHERE base_stamp = '' OR stamp = '' OR stamp < base_stamp")  # noqa: S608
        ).scalar_one()
        if bad:
            report.problems.append(ngettext(
                "{count} {record_type} record without valid version stamps",
                "{count} {record_type} records without valid version stamps", bad).format(
                    count=bad, record_type=record_type_word(record_type.name)))
        over = conn.execute(
            text(f"SELECT COUNT(*) FROM {name}, json_each({name}.stamps) j WHERE j.value > {name}.stamp")  # noqa: S608
        ).scalar_one()
        if over:
            report.problems.append(ngettext(
                "{count} {record_type} field stamp newer than its record's stamp",
                "{count} {record_type} field stamps newer than their record's stamp", over).format(
                    count=over, record_type=record_type_word(record_type.name)))
    personal = " OR ".join(
        f"{f} NOT IN ('', '[]', 0)" for f in Contact.PERSONAL_FIELDS if f != "engagement_stage"
    )
    leaked = conn.execute(text(f"SELECT COUNT(*) FROM contact WHERE erased = 1 AND ({personal})")).scalar_one()  # noqa: S608
    if leaked:
        report.problems.append(ngettext("{count} erased contact still holds personal data",
                                        "{count} erased contacts still hold personal data", leaked).format(
                                            count=leaked))
    report.derived = derived_problems(measure_drift(conn, expected), contacts=int(
        conn.execute(text("SELECT COUNT(*) FROM contact")).scalar_one()))
    report.problems.extend(report.derived)
    for dangling in dangling_references(conn):
        report.warnings.append(ngettext(
            "{count} live {record_type} record refers to a missing {target} ({field})",
            "{count} live {record_type} records refer to a missing {target} ({field})",
            dangling.count).format(count=dangling.count, record_type=record_type_word(dangling.record_type),
                                   target=record_type_word(dangling.target), field=dangling.field))
    return report


def derived_problems(drift: Drift, contacts: int) -> list[str]:
    """What `check` says of each derived table out of step with the records (`contacts`: how many there are)."""
    out: list[str] = []
    if drift.search_missing:
        out.append(ngettext("search index covers {indexed} of {contacts} contact",
                            "search index covers {indexed} of {contacts} contacts", contacts).format(
            indexed=contacts - drift.search_missing, contacts=contacts))
    fts, lesson_fts = (drift.contact_fts_missing + drift.contact_fts_stray,
                       drift.lesson_fts_missing + drift.lesson_fts_stray)
    counted = (
        (drift.search_stray, ngettext("{count} search row for a contact this hub does not have",
                                      "{count} search rows for contacts this hub does not have", drift.search_stray)),
        (drift.search_text, ngettext("{count} search row whose text is not its contact's",
                                     "{count} search rows whose text is not their contacts'", drift.search_text)),
        (drift.search_place, ngettext("{count} search row out of step with its contact's place in the list",
                                      "{count} search rows out of step with their contacts' place in the list",
                                      drift.search_place)),
        (drift.phone_missing, ngettext("{count} phone number missing from the phone index",
                                       "{count} phone numbers missing from the phone index", drift.phone_missing)),
        (drift.phone_stray, ngettext("{count} phone index entry that no contact's phones give",
                                     "{count} phone index entries that no contact's phones give", drift.phone_stray)),
        (fts, ngettext("{count} contact search row out of step with the full-text index",
                       "{count} contact search rows out of step with the full-text index", fts)),
        (drift.lesson_stray, ngettext("{count} lesson search row for a lesson this hub does not have",
                                      "{count} lesson search rows for lessons this hub does not have",
                                      drift.lesson_stray)),
        (drift.lesson_text, ngettext("{count} lesson search row whose text is not its lesson's",
                                     "{count} lesson search rows whose text is not their lessons'", drift.lesson_text)),
        (lesson_fts, ngettext("{count} lesson search row out of step with the full-text index",
                              "{count} lesson search rows out of step with the full-text index", lesson_fts)),
    )
    return out + [message.format(count=count) for count, message in counted if count]

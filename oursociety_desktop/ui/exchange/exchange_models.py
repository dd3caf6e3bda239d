"""Table models of the Exchange workspace: the import preview, the conflicts inbox, the exchange log, known hubs.

These tables are small (one row per record type, conflict, bundle or peer), so each model holds plain rows
loaded in one query; `ROW_ROLE` returns a row's object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oursociety_desktop.i18n import N_
from oursociety_desktop.models.clock import stamp_wall_ms
from oursociety_desktop.models.conflicts import list_conflicts, record_label
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.exchange_log import exchange_log, known_peers
from oursociety_desktop.models.merge import MergeReport
from oursociety_desktop.models.trust import fingerprint
from oursociety_desktop.models.wording import field_label, record_type_heading
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE as ROW_ROLE
from oursociety_desktop.ui.widgets.rows_model import RowsTableModel
from oursociety_desktop.ui.wording import local_time, plural


def shown_value(value: Any) -> str:
    """A stored value as one line of text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        parts = [f"{v.get('label', '')}: {v.get('value', '')}".strip(": ") if isinstance(v, dict) else str(v)
                 for v in value]
        return ", ".join(parts)
    return str(value) if value is not None else ""


COL_TYPE, COL_NEW, COL_UPDATED, COL_DELETED, COL_CONFLICTING, COL_UNCHANGED = range(6)


class PreviewModel(RowsTableModel):
    """Per record type: new, updated, deleted, conflicting and unchanged records of an import."""

    HEADERS = (N_("Records"), N_("New"), N_("Updated"), N_("Deleted"), N_("Conflicting"), N_("Unchanged"))

    def set_report(self, report: MergeReport | None) -> None:
        """Show a merge report (None clears)."""
        self.set_rows([] if report is None else [(name, counts) for name, counts in report.counts.items()])

    def cell(self, row: Any, column: int) -> str:
        name, counts = row
        if column == COL_TYPE:
            return record_type_heading(name)
        values = (counts.new, counts.updated, counts.deleted, counts.conflicting, counts.unchanged)
        return str(values[column - 1])


COL_RECORD, COL_FIELD, COL_OURS, COL_THEIRS, COL_DETECTED = range(5)


@dataclass(frozen=True)
class ConflictRow:
    """One open conflict with a name for its record."""

    id: int
    record_type: str
    record_label: str
    field: str
    ours_value: Any
    theirs_value: Any
    theirs_stamp: str
    detected_at: str


class ConflictTableModel(RowsTableModel):
    """The conflicts inbox: record, field, the value kept here (ours) and the value that lost (theirs)."""

    HEADERS = (N_("Record"), N_("Field"), N_("Kept here (ours)"), N_("Lost (theirs)"), N_("Detected"))

    def load(self, db: Database) -> None:
        """Read the open conflicts."""
        with db.read() as session:
            rows = [ConflictRow(c.id or 0, c.record_type, record_label(session, c.record_type, c.record_id),
                                c.field, c.ours_value, c.theirs_value, c.theirs_stamp, c.detected_at)
                    for c in list_conflicts(session)]
        self.set_rows(rows)

    def cell(self, row: Any, column: int) -> str:
        assert isinstance(row, ConflictRow)
        if column == COL_RECORD:
            return self.tr("{type}: {label}").format(type=record_type_heading(row.record_type), label=row.record_label)
        if column == COL_FIELD:
            return field_label(row.field)
        if column == COL_OURS:
            return shown_value(row.ours_value)
        if column == COL_THEIRS:
            return shown_value(row.theirs_value)
        return local_time(row.detected_at)


COL_AT, COL_DIRECTION, COL_PEER, COL_FILE, COL_SUMMARY = range(5)


class ExchangeLogModel(RowsTableModel):
    """Bundles made and imported, newest first."""

    HEADERS = (N_("When"), N_("Direction"), N_("Hub"), N_("File"), N_("Summary"))

    def load(self, db: Database) -> None:
        """Read the log."""
        with db.read() as session:
            names = {p.id: p.name for p in known_peers(session)}
            rows = [(e.at, e.direction, names.get(e.peer_hub) or e.peer_hub[:8], e.file_name, e.summary)
                    for e in exchange_log(session)]
        self.set_rows(rows)

    def cell(self, row: Any, column: int) -> str:
        at, direction, peer, file_name, summary = row
        if column == COL_AT:
            return local_time(str(at))
        if column == COL_DIRECTION:
            return self.tr("Import") if direction == "import" else self.tr("Export")
        if column == COL_PEER:
            return str(peer)
        if column == COL_FILE:
            return str(file_name)
        if direction == "import":
            return plural(int(summary.get("changes", 0)), "{n} change", "{n} changes") + ", " + \
                plural(int(summary.get("new_conflicts", 0)), "{n} new conflict", "{n} new conflicts")
        counts = summary.get("counts") or {}
        return plural(sum(counts.values()), "{n} record, {kind}", "{n} records, {kind}",
                      kind=summary.get("kind", ""))


COL_HUB_NAME, COL_HUB_ID, COL_FIRST_SEEN, COL_LAST_IMPORT, COL_ACKNOWLEDGED, COL_KEY, COL_TRUST = range(7)


class PeerHubModel(RowsTableModel):
    """Hubs this one has exchanged with: when we last heard from each, and up to when it has acknowledged what
    this hub sent (a delta for it repeats everything after that)."""

    HEADERS = (N_("Hub"), N_("Id"), N_("First seen"), N_("Last heard from"), N_("Has everything up to"),
               N_("Key fingerprint"), N_("Trust"))

    def load(self, db: Database) -> None:
        """Read the known hubs."""
        with db.read() as session:
            self.set_rows([(p.name, p.id, p.first_seen_at, p.last_import_at, p.acknowledged,
                            fingerprint(p.signing_key), p.trust) for p in known_peers(session)])

    def cell(self, row: Any, column: int) -> str:
        value = row[column]
        if column == COL_TRUST:
            return {"trusted": self.tr("trusted"), "pending": self.tr("waiting for your word"),
                    "contested": self.tr("claimed by two keys: compare the fingerprint")}.get(
                str(value), self.tr("not trusted"))
        if column == COL_KEY and not value:
            return self.tr("not known yet")
        if column == COL_ACKNOWLEDGED and not value:
            return self.tr("nothing yet")
        if column == COL_ACKNOWLEDGED and value:
            return local_time(datetime.fromtimestamp(stamp_wall_ms(value) / 1000, UTC))
        if column in (COL_FIRST_SEEN, COL_LAST_IMPORT) and value:
            return local_time(str(value))
        return str(value)

"""Hub exchange commands: export, import, sync, conflicts, conflicts resolve."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oursociety_desktop.cli.common import open_hub, path_arg, print_json, undo_import_line
from oursociety_desktop.i18n import N_, _, ngettext
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.plain_files import read_plain_file
from oursociety_desktop.models.wording import field_label, record_type_word

if TYPE_CHECKING:
    from oursociety_desktop.models.database import Database
    from oursociety_desktop.services.exchange import ImportResult

MAX_PASSPHRASE_FILE = 4096


def register(sub: Any) -> None:
    """Add this module's sub-commands."""
    p = sub.add_parser("export", help=_("write a hub bundle (*.oursociety) for another hub"))
    p.add_argument("file", type=path_arg)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--for-hub", metavar="HUB_ID", help=_("only what changed since the last bundle for that hub"))
    which.add_argument("--full", action="store_true", help=_("everything shareable (the default)"))
    p.add_argument("--passphrase-file", type=path_arg, metavar="F", help=_("encrypt with the passphrase in file F"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("write nothing: list who would go, who is held back and why, and members per group"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help=_("preview or import a hub bundle"))
    p.add_argument("file", type=path_arg)
    p.add_argument("--dry-run", action="store_true", help=_("show what would change, change nothing"))
    p.add_argument("--trust-new-hub", action="store_true",
                   help=_("accept the sending hub when it is new (compare its key's fingerprint with its organiser "
                        "first: `import --dry-run` shows it)"))
    p.add_argument("--passphrase-file", type=path_arg, metavar="F")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("sync", help=_("exchange through a shared folder (USB stick, synced folder); what this hub "
                                      "writes there is encrypted to the hubs it trusts"))
    p.add_argument("folder", type=path_arg)
    p.add_argument("--passphrase-file", type=path_arg, metavar="F",
                   help=_("the passphrase of bundles other hubs wrote with one (older versions)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser("quarantine", help=_("records stamped far ahead, waiting; or accept them"))
    p.add_argument("--json", action="store_true")
    q_sub = p.add_subparsers(dest="quarantine_command", metavar="accept")
    q_sub.add_parser("accept", help=_("merge every record in quarantine now"))
    p.set_defaults(handler=cmd_quarantine)

    p = sub.add_parser("conflicts", help=_("the conflicts inbox, or resolve one"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help=_("include resolved conflicts"))
    conflict_sub = p.add_subparsers(dest="conflicts_command", metavar="resolve")
    r = conflict_sub.add_parser("resolve", help=_("keep ours, or take theirs (a new edit that travels)"))
    r.add_argument("id", type=int)
    r.add_argument("--keep", choices=("ours", "theirs"), required=True)
    p.set_defaults(handler=cmd_conflicts)


def cmd_quarantine(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.services.exchange import accept_quarantined, quarantined

    with open_hub(folder) as db:
        if args.quarantine_command == "accept":
            report = accept_quarantined(db)
            print(ngettext("Merged {released} record from quarantine: {changes} change(s).",
                           "Merged {released} records from quarantine: {changes} change(s).", report.released)
                  .format(released=report.released, changes=report.changes))
            return 0
        entries = quarantined(db)
    if args.json:
        print_json([e.to_json() for e in entries])
    elif not entries:
        print(_("Nothing in quarantine."))
    else:
        for entry in entries:
            print(_("{record_type} {record_id}: stamped {stamp} by hub {hub_id}, "
                  "received {received_at}")
                  .format(record_type=record_type_word(entry.record_type), record_id=entry.record_id, stamp=entry.stamp,
                          hub_id=entry.hub_id, received_at=entry.received_at))
    return 0


def read_passphrase(path: Path | None) -> str | None:
    """The passphrase from a file (its first line, without the line ending)."""
    if path is None:
        return None
    try:
        raw = read_plain_file(Path(path), MAX_PASSPHRASE_FILE)
    except OSError as exc:
        raise UserError(_("Cannot read the passphrase file {path}: {value}.")
                        .format(path=path, value=exc.strerror or exc)) from None
    if len(raw) > MAX_PASSPHRASE_FILE:
        raise UserError(_("The passphrase file {path} is too large; put only the passphrase in it.").format(path=path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(_("The passphrase file {path} is not UTF-8 text.").format(path=path)) from None
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise UserError(_("The passphrase file {path} is empty.").format(path=path))
    return passphrase


def _hub_to_export_for(db: Database, wanted: str) -> str:
    """The id --for-hub names: a hub met before (its id, the start of it, or its name), or the whole id of a hub
    not met yet (which gets everything). A typing mistake is refused, not taken for a hub that acknowledged
    nothing: the organiser would get a full bundle where they asked for a delta, and not know why."""
    import uuid

    from oursociety_desktop.models.trust import find_peer

    with db.read() as session:
        try:
            return find_peer(session, wanted).id
        except UserError:
            pass
    try:
        return str(uuid.UUID(wanted.strip()))
    except ValueError:
        raise UserError(_("No hub '{wanted}' has been met yet, and it is not a hub's id; `oursociety hub` shows "
                          "a hub's id.").format(wanted=wanted[:60])) from None


def cmd_export(args: argparse.Namespace, folder: Path) -> int:
    if args.dry_run:
        return cmd_export_preview(args, folder)
    from oursociety_desktop.services.exchange import export_bundle

    passphrase = read_passphrase(args.passphrase_file)
    with open_hub(folder) as db:
        for_hub = _hub_to_export_for(db, args.for_hub) if args.for_hub is not None else None
        result = export_bundle(db, args.file, for_hub=for_hub, passphrase=passphrase)
    if args.json:
        print_json(result.to_json())
    else:
        counts = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in result.manifest.counts.items() if n)
        print(_("Wrote {kind} bundle {file} ({value})")
              .format(kind=result.manifest.kind, file=args.file, value=counts or _('no records')))
    return 0


def cmd_export_preview(args: argparse.Namespace, folder: Path) -> int:
    """`export --dry-run`: the people a bundle would carry and hold back, nothing written."""
    from oursociety_desktop.models.outgoing_preview import describe_preview, outgoing_preview

    with open_hub(folder) as db:
        with db.read() as session:
            preview = outgoing_preview(session.connection())
    if args.json:
        print_json(preview.as_json())
    else:
        print("\n".join(describe_preview(preview)))
    return 0


# A bundle's kind and where it came from, as `describe_import` names them.
_KINDS = {"full": N_("full"), "delta": N_("delta")}
_SOURCES = {"this hub": N_("this hub"), "new hub": N_("new hub"), "known hub": N_("known hub")}


def describe_import(result: ImportResult) -> list[str]:
    """The preview / summary as lines of text."""
    m = result.manifest
    heading = (_("Would import {file}: {kind} bundle from hub '{hub}' ({hub_id}, {source}), made {made}")
               if result.dry_run else
               _("Imported {file}: {kind} bundle from hub '{hub}' ({hub_id}, {source}), made {made}"))
    lines = [heading.format(file=result.file_name, kind=_(_KINDS[m.kind]) if m.kind in _KINDS else m.kind,
                            hub=m.source_hub_name, hub_id=m.source_hub_id,
                            source=_(_SOURCES[result.source]) if result.source in _SOURCES else result.source,
                            made=m.created_at)]
    lines.extend(_("  note: {warning}").format(warning=note) for note in result.notes)
    table = [[_("type"), _("new"), _("updated"), _("deleted"), _("erased"), _("conflict"), _("unchanged")]]
    table += [[record_type_word(record_type), *(f"{n:,}" for n in (c.new, c.updated, c.deleted, c.erased,
                                                                  c.conflicting, c.unchanged))]
              for record_type, c in result.report.counts.items()]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines.extend("  " + " ".join([row[0].ljust(widths[0]), *(cell.rjust(max(8, width))
                                                           for cell, width in zip(row[1:], widths[1:], strict=True))])
                 for row in table)
    if result.trusted_now:
        lines.append(_("  Hub '{hub}' is now trusted (key {fingerprint}).")
                     .format(hub=m.source_hub_name, fingerprint=result.fingerprint))
    lines.append(_("  {changes}; {conflicts}").format(
        changes=ngettext("{count} change", "{count} changes", result.changes).format(count=result.changes),
        conflicts=ngettext("{count} new conflict", "{count} new conflicts", result.report.new_conflicts)
        .format(count=result.report.new_conflicts)))
    return lines


def cmd_import(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.services.exchange import import_bundle

    passphrase = read_passphrase(args.passphrase_file)
    with open_hub(folder) as db:
        result = import_bundle(db, args.file, passphrase=passphrase, dry_run=args.dry_run,
                               trust_new_hub=args.trust_new_hub)
    if args.json:
        print_json(result.to_json())
    else:
        print("\n".join(describe_import(result)))
        if result.backup:
            print(undo_import_line(result.backup, args))
    return 0


def cmd_sync(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.services.exchange_folder import sync_folder

    passphrase = read_passphrase(args.passphrase_file)
    with open_hub(folder) as db:
        result = sync_folder(db, args.folder, passphrase=passphrase)
    if args.json:
        print_json(result.to_json())
        return 0
    for imported in result.imported:
        print(_("Imported {file_name} from '{source_hub_name}': {changes}, {conflicts}").format(
            file_name=imported.file_name, source_hub_name=imported.manifest.source_hub_name,
            changes=ngettext("{count} change", "{count} changes", imported.changes).format(count=imported.changes),
            conflicts=ngettext("{count} new conflict", "{count} new conflicts", imported.report.new_conflicts)
            .format(count=imported.report.new_conflicts)))
        for warning in imported.warnings:
            print(_("  note: {warning}").format(warning=warning))
    for name in result.introduced:
        print(_("Read the introduction of hub '{name}': its keys, so that this hub can encrypt to it").format(
            name=name))
    for line in result.untrusted_lines() + result.unreachable_lines() + result.clock_lines():
        print(line)
    for skipped in result.skipped:
        print(_("Skipped {skipped}").format(skipped=skipped))
    print(_("Wrote {name}").format(name=result.written.name) if result.written else _("Nothing new to write"))
    return 0


def cmd_conflicts(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.conflicts import conflict_json, list_conflicts, record_label, resolve_conflict

    with open_hub(folder) as db:
        if args.conflicts_command == "resolve":
            with db.write() as tx:
                resolve_conflict(tx, args.id, args.keep)
            print(_("Conflict {id} resolved: kept {keep}").format(id=args.id, keep=args.keep))
            return 0
        with db.read() as session:
            conflicts = list_conflicts(session, include_resolved=args.all)
            labels = {c.record_id: record_label(session, c.record_type, c.record_id) for c in conflicts}
    if args.json:
        print_json([{**conflict_json(c), "record_label": labels[c.record_id]} for c in conflicts])
        return 0
    if not conflicts:
        print(_("No open conflicts."))
    for c in conflicts:
        line = (_("{id}: {record_type} '{label}' {field}: ours {ours!r} vs theirs {theirs!r} (resolved)")
                if c.resolved else _("{id}: {record_type} '{label}' {field}: ours {ours!r} vs theirs {theirs!r}"))
        print(line.format(id=c.id, record_type=record_type_word(c.record_type), label=labels[c.record_id],
                          field=field_label(c.field), ours=c.ours_value, theirs=c.theirs_value))
    return 0

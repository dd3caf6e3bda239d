"""Interoperability commands: vcard import|export, csv import|export, duplicates."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oursociety_desktop.cli.common import limit_option, open_hub, path_arg, print_json, undo_import_line
from oursociety_desktop.formats import csv_write
from oursociety_desktop.formats.csv_presets import PRESET_CHOICES
from oursociety_desktop.formats.vcard_write import VERSIONS as VCARD_VERSIONS
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.atomic import atomic_write, check_writable_target, private_folder
from oursociety_desktop.models.choices import DUPLICATE_CHOICES
from oursociety_desktop.models.errors import UserError

if TYPE_CHECKING:
    from oursociety_desktop.formats.import_rows import ImportRow, RowWarning
    from oursociety_desktop.models.database import Database


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=path_arg)
    p.add_argument("--dry-run", action="store_true", help=_("check and count, change nothing"))
    p.add_argument("--on-duplicate", choices=DUPLICATE_CHOICES, default="skip",
                   help=_("what to do with people already in the hub (default: skip)"))
    p.add_argument("--group", default="", help=_("put everyone imported in this group (made if missing)"))
    p.add_argument("--tag", default="", help=_("add this tag to everyone imported"))
    p.add_argument("--skip-bad", action="store_true", help=_("import the good rows and skip the bad ones"))
    p.add_argument("--errors-to", type=path_arg, metavar="FILE",
                   help=_("save rows that could not be imported to FILE, and the warnings to FILE-warnings.csv "
                        "(implies --skip-bad)"))
    p.add_argument("--encoding", default="",
                   help=_("the file's text encoding when it is not UTF-8 (e.g. cp1252, iso-8859-7, koi8-u, shift_jis)"))
    p.add_argument("--json", action="store_true")


def register(sub: Any) -> None:
    """Add the vcard, csv and duplicates commands."""
    vc = sub.add_parser("vcard", help=_("import or export vCard (.vcf) files"))
    vsub = vc.add_subparsers(dest="vcard_command", metavar="import|export", required=True)
    p = vsub.add_parser("import", help=_("import a vCard file (2.1, 3.0 or 4.0)"))
    _import_options(p)
    p.set_defaults(handler=cmd_vcard_import)
    p = vsub.add_parser("export", help=_("export live contacts as vCards"))
    p.add_argument("out", type=path_arg)
    p.add_argument("--version", dest="vcard_version", choices=VCARD_VERSIONS, default="3.0")
    p.add_argument("--one-per-contact", action="store_true", help=_("OUT is a folder; one .vcf file per contact"))
    p.set_defaults(handler=cmd_vcard_export)

    cs = sub.add_parser("csv", help=_("import or export CSV files"))
    csub = cs.add_subparsers(dest="csv_command", metavar="import|export", required=True)
    p = csub.add_parser("import", help=_("import a CSV file with a column mapping"))
    _import_options(p)
    p.add_argument("--preset", choices=PRESET_CHOICES, default="auto")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD[:LABEL]",
                   help=_("map a column by hand (repeatable)"))
    p.add_argument("--save-mapping", action="store_true", help=_("remember this mapping for files with these headers"))
    p.add_argument("--delimiter", default="", help=_("the delimiter (default: detected)"))
    p.set_defaults(handler=cmd_csv_import)
    p = csub.add_parser("export", help=_("export live contacts as CSV"))
    p.add_argument("out", type=path_arg)
    p.add_argument("--fields", default=",".join(csv_write.DEFAULT_EXPORT_FIELDS),
                   help=_("comma-separated fields (from: {exportable_fields})")
                        .format(exportable_fields=', '.join(csv_write.EXPORTABLE_FIELDS)))
    p.set_defaults(handler=cmd_csv_export)

    p = sub.add_parser("duplicates", help=_("list likely duplicate contacts"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=0, help=_("show at most this many pairs"))
    p.set_defaults(handler=cmd_duplicates)


def _finish_import(db: Database, rows: list[ImportRow], args: argparse.Namespace, kind: str,
                   header: list[str] | None, file_warnings: Sequence[RowWarning] = ()) -> int:
    from oursociety_desktop.formats.import_rows import save_rejected_rows, warnings_path
    from oursociety_desktop.models.consent import consent_values, describe_consent, hub_consent_defaults
    from oursociety_desktop.services.people_import import ImportOptions, ImportSummary, run_import, save_warnings

    skip_bad = args.skip_bad or args.errors_to is not None
    if args.errors_to is not None:
        check_writable_target(args.errors_to)
    options = ImportOptions(on_duplicate=args.on_duplicate, skip_bad_rows=skip_bad, group=args.group,
                            tag=args.tag, kind=kind)
    summary: ImportSummary = run_import(db, rows, options, dry_run=args.dry_run, file_warnings=file_warnings)
    bad = [r for r in rows if not r.ok]
    if args.errors_to is not None and bad:
        save_rejected_rows(args.errors_to, bad, header)
    if args.errors_to is not None and summary.warnings:
        saved = save_warnings(warnings_path(args.errors_to), summary)
        print(ngettext("Saved {saved} warning to {errors_to}.", "Saved {saved} warnings to {errors_to}.", saved)
              .format(saved=saved, errors_to=warnings_path(args.errors_to)), file=sys.stderr)
    for row in bad[:20]:
        print(_("skipped {row}").format(row=row.problem_line()), file=sys.stderr)
    if args.json:
        data = summary.as_dict()
        data["problems"] = [r.problem_line() for r in bad]
        print_json(data)
        return 0
    print(summary.line())
    for line in summary.change_lines():
        print(f"  {line}")
    warnings = summary.warning_lines()
    if warnings:
        print(_("Warnings ({count}):").format(count=len(warnings)))
        for line in warnings[:_SHOWN_WARNINGS]:
            print(f"  {line}")
        if len(warnings) > _SHOWN_WARNINGS:
            print(_("  … and {count} more (all of them with --json).").format(count=len(warnings) - _SHOWN_WARNINGS))
    if summary.added:  # consent at the door: say what the new people were given, since nobody asked them
        defaults = consent_values(hub_consent_defaults(db.setting))
        print(_("New people: {defaults} Ask them, then record their answers "
              "(`oursociety contact edit`).").format(defaults=describe_consent(defaults)))
    if summary.backup:
        print(undo_import_line(summary.backup, args))
    return 0


_SHOWN_WARNINGS = 30


def cmd_vcard_import(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.formats import vcard

    rows = vcard.read_vcard_file(args.file, args.encoding)
    with open_hub(folder) as db:
        return _finish_import(db, rows, args, "vcard", None)


def cmd_csv_import(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.formats import csv_io, csv_mapping, csv_saved_mappings

    delimiter = "\t" if args.delimiter in ("tab", "\\t") else args.delimiter
    if len(delimiter) > 1:  # the csv module takes one character (it stopped with an unexpected TypeError)
        raise UserError(_("--delimiter takes one character, or 'tab', not '{delimiter}'.").format(delimiter=delimiter))
    table = csv_io.read_csv_file(args.file, args.encoding, delimiter)
    with open_hub(folder) as db:
        with db.read() as session:
            saved = args.preset == "auto" and not args.map
            mapping = csv_saved_mappings.saved_mapping(session, table.headers) if saved else None
        if mapping is None:
            mapping = csv_mapping.suggest_mapping(table.headers, args.preset)
        mapping = csv_saved_mappings.parse_mapping_overrides(table.headers, mapping, args.map)
        if not any(m.field not in ("ignore", "note") for m in mapping.values()):
            raise UserError(_("No column of {name} could be matched to a contact field; map them with "
                            "--map HEADER=FIELD.").format(name=args.file.name))
        rows = csv_mapping.table_to_rows(table, mapping)
        code = _finish_import(db, rows, args, "csv", table.headers, csv_mapping.file_warnings(table, mapping))
        if args.save_mapping and not args.dry_run:
            with db.write() as tx:
                csv_saved_mappings.save_mapping(tx.session, table.headers, mapping)
        return code


def cmd_vcard_export(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.formats import vcard

    with open_hub(folder) as db:
        with db.read() as session:
            contacts = csv_write.live_contacts(session.connection())
    out: Path = args.out
    if args.one_per_contact:
        if out.exists() and not out.is_dir():
            raise UserError(_("{out} is a file; --one-per-contact needs a folder.").format(out=out))
        try:
            private_folder(out)
        except OSError as exc:
            raise UserError(_("Cannot create the folder {out}: {value}.")
                            .format(out=out, value=exc.strerror or exc)) from None
        for values in contacts:
            with atomic_write(out / f"{vcard.safe_file_stem(values)}.vcf") as fh:
                fh.write(vcard.contact_to_vcard(values, args.vcard_version).encode("utf-8"))
        print(ngettext("Wrote {count} vCard file to {out}.", "Wrote {count} vCard files to {out}.", len(contacts))
              .format(count=len(contacts), out=out))
        return 0
    with atomic_write(out) as fh:
        for chunk in vcard.write_vcards(contacts, args.vcard_version):
            fh.write(chunk)
    print(ngettext("Wrote {count} contact to {out}.", "Wrote {count} contacts to {out}.", len(contacts))
          .format(count=len(contacts), out=out))
    return 0


def cmd_csv_export(args: argparse.Namespace, folder: Path) -> int:
    fields = [f.strip() for f in args.fields.split(",") if f.strip()]
    if not fields:
        raise UserError(_("Choose at least one field with --fields."))
    with open_hub(folder) as db:
        with db.read() as session:
            count = csv_write.export_csv(session.connection(), args.out, fields)
    print(ngettext("Wrote {count} contact to {out}.", "Wrote {count} contacts to {out}.", count)
          .format(count=count, out=args.out))
    return 0


def cmd_duplicates(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.duplicates import find_duplicates

    limit_option(args.limit, zero_is_all=True)
    with open_hub(folder) as db:
        with db.read() as session:
            pairs = find_duplicates(session.connection())
    if args.limit > 0:
        pairs = pairs[:args.limit]
    if args.json:
        print_json([p.as_dict() for p in pairs])
        return 0
    if not pairs:
        print(_("No likely duplicates found."))
    for pair in pairs:
        print(f"{pair.score:3d}  {pair.a[:8]} {pair.a_name}  <->  {pair.b[:8]} {pair.b_name}  "
              f"({'; '.join(pair.reasons)})")
    return 0

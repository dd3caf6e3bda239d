"""Hub-level commands: gui, init, hub, demo, stats, check, dump, backup, restore."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oursociety_desktop.cli.common import open_hub, path_arg, print_json, warn_about_location
from oursociety_desktop.i18n import Nn_, _, ngettext
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.wording import record_type_heading
from oursociety_desktop.paths import database_path

if TYPE_CHECKING:
    from oursociety_desktop.models.health import CheckReport


def register(sub: Any) -> None:
    """Add this module's sub-commands."""
    p = sub.add_parser("gui", help=_("open the desktop app"))
    p.set_defaults(handler=cmd_gui)

    p = sub.add_parser("init", help=_("create a new hub in the data folder"))
    p.add_argument("--hub-name", default="Our Society hub")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("hub", help=_("show this hub, rename it, trust another hub, or say what a copied hub is"))
    p.add_argument("--json", action="store_true")
    hub_sub = p.add_subparsers(dest="hub_command", metavar="rename|identity|trust|distrust")
    r = hub_sub.add_parser("rename", help=_("rename this hub"))
    r.add_argument("name")
    r = hub_sub.add_parser("identity", help=_("a copied hub: a new hub, or the one it replaces"))
    r.add_argument("choice", choices=("new", "keep"),
                   help=_("new: a new hub with its own id, keeping the data; keep: this copy replaces the old one"))
    r.add_argument("--name", default="", help=_("the new hub's name (with new)"))
    r = hub_sub.add_parser("trust", help=_("trust a hub met before, after comparing its key's fingerprint"))
    r.add_argument("hub", help=_("the hub's id (or its first 8 characters, or its name)"))
    r.add_argument("--fingerprint", help=_("refuse unless the hub's key has this fingerprint"))
    r = hub_sub.add_parser("distrust", help=_("stop trusting a hub and forget its key"))
    r.add_argument("hub", help=_("the hub's id (or its first 8 characters, or its name)"))
    p.set_defaults(handler=cmd_hub)

    p = sub.add_parser("demo", help=_("add realistic demo data"))
    p.add_argument("--contacts", type=int, default=500)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("stats", help=_("counts per record type"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("check", help=_("integrity and invariants; exit 0 when sound"))
    p.add_argument("--repair", action="store_true",
                   help=_("after a backup, rebuild the search and phone indexes from the records"))
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("dump", help=_("canonical JSON of the synchronised state"))
    p.add_argument("--include-unshared", action="store_true",
                   help=_("also unshared contacts and private notes (this hub's whole state)"))
    p.set_defaults(handler=cmd_dump)

    p = sub.add_parser("backup", help=_("write a consistent copy of the database"))
    p.add_argument("out", type=path_arg)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help=_("replace the database with a backup (the current one is kept aside)"))
    p.add_argument("file", type=path_arg)
    p.set_defaults(handler=cmd_restore)


def cmd_gui(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.app import run_app

    return run_app(folder, args.lang)


def cmd_init(args: argparse.Namespace, folder: Path) -> int:
    warn_about_location(folder)
    with Database.create(folder, args.hub_name) as db:
        print(_("Created hub '{hub_name}' ({hub_id}) in {folder}")
              .format(hub_name=db.hub_name, hub_id=db.hub_id, folder=folder))
    return 0


def cmd_hub(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.exchange_log import known_peers
    from oursociety_desktop.models.hub_identity import identity_question, keep_identity, new_identity
    from oursociety_desktop.models.trust import distrust_hub, fingerprint, own_fingerprint, trust_hub

    with open_hub(folder) as db:
        if args.hub_command == "identity":
            if args.choice == "new":
                old = db.hub_id
                new_identity(db, args.name)
                print(_("This copy is now a new hub '{hub_name}' ({hub_id}); it was {old}.")
                      .format(hub_name=db.hub_name, hub_id=db.hub_id, old=old))
            else:
                keep_identity(db)
                print(_("This copy is hub '{hub_name}' ({hub_id}), replacing the one it was copied from.")
                      .format(hub_name=db.hub_name, hub_id=db.hub_id))
            return 0
        if args.hub_command == "rename":
            name = db.rename(args.name)
            print(_("Hub renamed to '{name}'.").format(name=name))
            return 0
        if args.hub_command in ("trust", "distrust"):
            with db.write() as tx:
                if args.hub_command == "trust":
                    changed = trust_hub(tx, args.hub, args.fingerprint)
                else:
                    changed = distrust_hub(tx, args.hub)
            said = _("Hub '{name}' ({hub_id}) is now trusted.") if args.hub_command == "trust" else \
                _("Hub '{name}' ({hub_id}) is no longer trusted; its key is forgotten.")
            print(said.format(name=changed.name, hub_id=changed.hub_id))
            return 0
        info: dict[str, Any] = {
            "id": db.hub_id, "name": db.hub_name, "fingerprint": own_fingerprint(db.signing_key),
            "incarnation": db.incarnation,
            "identity_question": identity_question(db), "data_dir": str(folder),
            "database": str(database_path(folder)), "default_region": db.setting("default_region"),
            "default_share_with_hubs": db.setting("default_share_with_hubs")}
        with db.read() as session:
            peers = [{"id": p.id, "name": p.name, "incarnation": p.incarnation, "acknowledged": p.acknowledged,
                      "last_heard_from": p.last_import_at, "fingerprint": fingerprint(p.signing_key),
                      "trust": p.trust or "none"} for p in known_peers(session)]
        if args.json:
            print_json({**info, "peers": peers})
        else:
            for key, value in info.items():
                print(f"{key}: {value}")
            for peer in peers:
                print(_("peer {name} ({id}): {trust}, key {fingerprint}; last heard from {heard}, "
                        "has everything up to {acknowledged}")
                      .format(name=peer['name'], id=peer['id'], trust=peer['trust'],
                              fingerprint=peer['fingerprint'] or _('not known'),
                              heard=peer['last_heard_from'] or _('never'),
                              acknowledged=peer['acknowledged'] or _('nothing yet')))
        return 0


def cmd_demo(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.demo import generate_demo

    if args.contacts < 0 or args.contacts > 2_000_000:
        raise UserError(_("--contacts takes a number from 0 to 2,000,000."))
    with open_hub(folder) as db:
        started = time.perf_counter()
        made = generate_demo(db, args.contacts, args.seed)
        elapsed = time.perf_counter() - started
        for record_type, count in made.items():
            print(_("{records}: {count}").format(records=record_type_heading(record_type), count=f"{count:,}"))
        print(_("Added in {seconds} s.").format(seconds=f"{elapsed:.1f}"))
        return 0


# What `stats` counts of each record type (models/health.py `record_counts`).
_COUNTED = {"live": Nn_("{count} live", "{count} live"), "deleted": Nn_("{count} deleted", "{count} deleted"),
            "erased": Nn_("{count} erased", "{count} erased"), "shared": Nn_("{count} shared", "{count} shared")}


def cmd_stats(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.health import hub_stats

    with open_hub(folder) as db:
        with db.read() as session:
            stats = hub_stats(session.connection())
        if args.json:
            print_json(stats)
        else:
            for record_type, counts in stats["records"].items():
                detail = ", ".join(ngettext(*_COUNTED[k], v).format(count=f"{v:,}") if k in _COUNTED else f"{k}: {v:,}"
                                   for k, v in counts.items())
                print(_("{records}: {count}").format(records=record_type_heading(record_type), count=detail))
            if stats["unknown_kind_records"]:
                print(_("records of kinds this version does not know (kept and passed on): "
                      "{stats:,}").format(stats=stats['unknown_kind_records']))
            print(_("open conflicts: {stats}").format(stats=stats['open_conflicts']))
            print(_("peer hubs: {stats}").format(stats=stats['peer_hubs']))
        return 0


def cmd_check(args: argparse.Namespace, folder: Path) -> int:
    if args.repair:
        return _check_and_repair(folder)
    from oursociety_desktop.models.health import check_database

    with open_hub(folder) as db:
        with db.read() as session:
            report = check_database(session.connection())
    if _said_sound(report):
        return 0
    print(ngettext("oursociety: the database has {count} problem; see above.",
                   "oursociety: the database has {count} problems; see above.", len(report.problems))
          .format(count=len(report.problems)), file=sys.stderr)
    if report.derived:
        print(_("The search and phone indexes are rebuilt from the records by: oursociety check --repair"),
              file=sys.stderr)
    return 1


def _said_sound(report: CheckReport) -> bool:
    """Print a check's warnings and problems, and "ok" when it found none; True when the hub is sound."""
    for warning in report.warnings:
        print(_("warning: {warning}").format(warning=warning))
    for problem in report.problems:
        print(_("problem: {problem}").format(problem=problem))
    if report.sound:
        print("ok")
    return report.sound


def _check_and_repair(folder: Path) -> int:
    from oursociety_desktop.models.repair import mended_lines, repair_hub
    from oursociety_desktop.paths import backup_dir

    with open_hub(folder) as db:
        outcome = repair_hub(db)
    report = outcome.after
    if report.integrity_failed:
        for problem in report.problems:
            print(_("problem: {problem}").format(problem=problem))
        print(_("oursociety: SQLite's integrity check failed, so nothing was written. Restore a backup: "
                "oursociety restore FILE (automatic backups are in {folder}).").format(folder=backup_dir(folder)),
              file=sys.stderr)
        return 1
    if outcome.backup is not None:
        print(_("Backed up before the repair to {backup}").format(backup=outcome.backup))
    lines = mended_lines(outcome.repaired)
    for line in lines:
        print(_("mended: {line}").format(line=line))
    if not lines:
        print(_("Nothing derived from the records was out of step; nothing was changed."))
    if _said_sound(report):
        return 0
    print(ngettext("oursociety: {count} problem is in the records themselves and cannot be mended by a repair; "
                   "restore a backup made before it appeared: oursociety restore FILE (automatic backups are in "
                   "{folder}).",
                   "oursociety: {count} problems are in the records themselves and cannot be mended by a repair; "
                   "restore a backup made before they appeared: oursociety restore FILE (automatic backups are in "
                   "{folder}).", len(report.problems)).format(count=len(report.problems), folder=backup_dir(folder)),
          file=sys.stderr)
    return 1


def cmd_dump(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.dump import iter_dump_lines

    with open_hub(folder) as db:
        with db.read() as session:
            out = sys.stdout
            for line in iter_dump_lines(session.connection(), args.include_unshared):
                out.write(line)
                out.write("\n")
        return 0


def cmd_backup(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.backup import backup_to

    with open_hub(folder) as db:
        out = backup_to(db.path, args.out.expanduser().resolve())
    print(_("Backup written to {out}").format(out=out))
    return 0


def cmd_restore(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.backup import ensure_not_busy, restore_from, verify_database_file

    source = args.file.expanduser().resolve()
    verify_database_file(source)
    if not folder.is_dir():
        raise UserError(_("The data folder {folder} does not exist; create a hub with `oursociety init` first.")
                        .format(folder=folder))
    # The current database may be damaged (that is when people restore), so it is not opened, only checked
    # for another process holding its write lock.
    ensure_not_busy(database_path(folder))
    aside = restore_from(source, database_path(folder))
    # Opening runs any migration the restored copy needs and applies again the erasures made since the backup.
    with Database.open(folder) as reopened:
        reapplied = reopened.reapplied_erasures
    if aside is None:
        print(_("Restored from {source}.").format(source=source))
    else:
        print(_("Restored from {source}; the previous database was kept as {aside}").format(source=source, aside=aside))
    if reapplied:
        print(ngettext("The backup is older than {reapplied} erasure made since; it was applied again before "
                       "anything else.", "The backup is older than {reapplied} erasures made since; they were "
                       "applied again before anything else.", reapplied).format(reapplied=reapplied))
    return 0

"""The same verbs for every record type on the command line: `show ID [--json]`, `edit ID --set FIELD=VALUE...`,
`delete ID`, `list [--search TEXT] [--json]`, and `add ... [--set FIELD=VALUE...]` for the fields without an
option of their own.

A record type takes part by declaring a `Verbs` (its table and the core functions that change it); the values
are checked once, by those core functions, exactly as when the window saves. Contacts keep their own `list`
(the full-text search) and `add` options (consent at the door) but share `--set` parsing with the rest.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from oursociety_desktop.cli.common import limit_option, open_hub, parse_bool, parse_labelled_list, print_json
from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import SyncedRecord
from oursociety_desktop.models.wording import record_type_word

# Fields no `--set` may change: the record's life is changed by its own verbs (delete, forget, merge).
NOT_SETTABLE = frozenset({"deleted", "erased", "erased_reason", "merged_into"})
LABELLED_LISTS = frozenset({"phones", "emails"})


@dataclass(frozen=True)
class Verbs:
    """How the command line changes one record type: through the core's own functions."""

    record_type: str  # a REGISTRY name
    create: Callable[[Tx, Mapping[str, Any]], SyncedRecord]
    update: Callable[[Tx, str, Mapping[str, Any]], SyncedRecord]
    delete: Callable[[Tx, str], SyncedRecord]

    @property
    def table(self) -> type[SyncedRecord]:
        """The record type's table class."""
        return REGISTRY[self.record_type].table

    def settable(self) -> list[str]:
        """The fields `--set` may change, in the table's order."""
        return [f for f in self.table.SYNC_FIELDS if f not in NOT_SETTABLE]


def parse_assignment(table: type[SyncedRecord], assignment: str) -> tuple[str, Any]:
    """`FIELD=VALUE` into (field, value typed as the field is: yes/no, a comma list, a number or text).

    Raises UserError naming the settable fields when FIELD is not one of them."""
    field, sep, raw = assignment.partition("=")
    field = field.strip()
    if not sep or not field:
        raise UserError(_("--set takes FIELD=VALUE, not '{assignment}'.").format(assignment=assignment))
    settable = [f for f in table.SYNC_FIELDS if f not in NOT_SETTABLE]
    if field not in settable:
        raise UserError(_("Unknown {record_type} field '{field}'; fields are: {settable}.")
                        .format(record_type=record_type_word(table.RECORD_TYPE), field=field,
                                settable=', '.join(settable)))
    kind = table.model_fields[field].annotation
    if kind is bool:
        return field, parse_bool(field, raw)
    if field in LABELLED_LISTS:
        return field, parse_labelled_list(raw)
    if kind in (list[str], list):
        return field, [p.strip() for p in raw.split(",") if p.strip()]
    if kind in (int, float):
        try:
            return field, kind(raw)
        except ValueError:
            raise UserError(_("{field} takes a number, not '{raw}'.").format(field=field, raw=raw)) from None
    return field, raw


def assignments(table: type[SyncedRecord], given: list[str] | None, own: Mapping[str, str] | None = None
                ) -> dict[str, Any]:
    """Every `--set FIELD=VALUE` of a command, parsed (a field given twice keeps the last value). `own` maps the
    fields the command has an option of its own for to that option: setting one of them with --set too is
    refused (UserError), so two values for one field never meet."""
    parsed = dict(parse_assignment(table, a) for a in given or [])
    for name in parsed:
        if own and name in own:
            raise UserError(_("Give {name} with {name2}, not with --set.").format(name=name, name2=own[name]))
    return parsed


def record_json(record: SyncedRecord) -> dict[str, Any]:
    """A record as `show --json` prints it: its id and synchronised fields."""
    return {"id": record.id, **record.synced_values()}


def register_verbs(sub: Any, verbs: Verbs, helps: Mapping[str, str]) -> None:
    """Add a sub-command for each of show, edit, delete and list that `helps` maps to its help text (whole
    sentences, each translated as one, since "a {noun}" reads wrong in English and in every other language).
    An edit's help text holds `{fields}`, filled with the fields `--set` takes."""
    if "show" in helps:
        p = sub.add_parser("show", help=helps["show"])
        p.add_argument("id")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=lambda args, folder: _show(verbs, args, folder))
    if "edit" in helps:
        p = sub.add_parser("edit", help=helps["edit"].format(fields=", ".join(verbs.settable())))
        p.add_argument("id")
        p.add_argument("--set", dest="assignments", action="append", required=True, metavar="FIELD=VALUE")
        p.set_defaults(handler=lambda args, folder: _edit(verbs, args, folder))
    if "delete" in helps:
        p = sub.add_parser("delete", help=helps["delete"])
        p.add_argument("id")
        p.set_defaults(handler=lambda args, folder: _delete(verbs, args, folder))
    if "list" in helps:
        p = sub.add_parser("list", help=helps["list"])
        p.add_argument("--search", default="")
        p.add_argument("--limit", type=int, default=1000)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=lambda args, folder: _list(verbs, args, folder))


def add_set_option(parser: argparse.ArgumentParser, verbs: Verbs) -> None:
    """`--set FIELD=VALUE` on an `add` command, for the fields without an option of their own."""
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="FIELD=VALUE",
                        help=_("any other field: {verbs}").format(verbs=', '.join(verbs.settable())))


def _show(verbs: Verbs, args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db, db.read() as session:
        data = record_json(get_record(session, verbs.table, args.id))
    if args.json:
        print_json(data)
    else:
        for key, value in data.items():
            print(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    return 0


def describe(session: Session, record_type: str, record: SyncedRecord) -> str:
    """How a record is named in messages and lists: its label (a group's name, an action's title), else the
    labels of the records that make it what it is (a connection: "Anna Kowalska — Omar Haddad")."""
    declared = REGISTRY[record_type]
    values = record.synced_values()
    if declared.label is not None:
        return declared.label(values)
    parts = []
    for ref in declared.references:
        if ref.field in (declared.distinct_fields or declared.identity) and values.get(ref.field):
            target = REGISTRY[ref.target]
            other = session.get(target.table, values[ref.field])
            if other is not None:
                parts.append(describe(session, ref.target, other))
    return " — ".join(parts) or record.id


def _edit(verbs: Verbs, args: argparse.Namespace, folder: Path) -> int:
    changes = assignments(verbs.table, args.assignments)
    with open_hub(folder) as db, db.write() as tx:
        record = verbs.update(tx, args.id, changes)
        named = describe(tx.session, verbs.record_type, record)
    print(_("Updated {named} ({id}).").format(named=named, id=record.id))
    return 0


def _delete(verbs: Verbs, args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db, db.write() as tx:
        record = verbs.delete(tx, args.id)
        named = describe(tx.session, verbs.record_type, record)
    print(_("Deleted {named} ({id}).").format(named=named, id=record.id))
    return 0


def _list(verbs: Verbs, args: argparse.Namespace, folder: Path) -> int:
    limit_option(args.limit)
    words = [w.casefold() for w in args.search.split()]
    with open_hub(folder) as db, db.read() as session:
        live = session.exec(select(verbs.table).where(col(verbs.table.deleted).is_(False))).all()
        named = [(describe(session, verbs.record_type, r), r) for r in live]
    # Matched and sorted in Python, not SQL: SQLite's lower() folds ASCII only, and names come in every script.
    found = sorted(((name, r) for name, r in named if all(w in name.casefold() for w in words)),
                   key=lambda pair: (pair[0].casefold(), pair[1].id))[:args.limit]
    if args.json:
        print_json([{**record_json(r), "label": name} for name, r in found])
    else:
        for name, r in found:
            print(f"{r.id[:8]}  {name}")
    return 0

"""`oursociety print directory|group|signin|labels|actions|calls -o OUT.pdf [options]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oursociety_desktop.cli.common import open_hub, path_arg
from oursociety_desktop.formats.pdf.choices import (
    CONTACT_FIELDS,
    DEFAULT_FIELDS,
    LEARNING_PRODUCT_NAMES,
    PAPER_NAMES,
    PRODUCT_NAMES,
    SORT_ORDERS,
    default_paper,
    label_format_specs,
)
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.errors import UserError, one_line

if TYPE_CHECKING:
    from oursociety_desktop.formats.pdf.options import PrintOptions


def register(sub: Any) -> None:
    """Add the `print` command."""
    p = sub.add_parser("print", help=_("print a directory, group sheet, sign-in sheet, labels, action or call list"))
    products = [*PRODUCT_NAMES, *LEARNING_PRODUCT_NAMES]
    p.add_argument("product", choices=products, metavar="|".join(products))
    p.add_argument("-o", "--output", required=True, type=path_arg, metavar="OUT.pdf", help=_("the PDF to write"))
    p.add_argument("--group", default="", metavar="NAME", help=_("only this group (name or id)"))
    p.add_argument("--tag", default="", help=_("only contacts with this tag"))
    p.add_argument("--paper", choices=PAPER_NAMES, default=None,
                   help=_("paper size (default from the locale: {value})").format(value=default_paper()))
    p.add_argument("--large-print", action="store_true", help=_("body text at 16 pt"))
    p.add_argument("--fields", default=",".join(DEFAULT_FIELDS),
                   help=_("comma-separated, from {contact_fields} (default: %(default)s)")
                        .format(contact_fields=', '.join(CONTACT_FIELDS)))
    p.add_argument("--sort", choices=SORT_ORDERS, default="family", help=_("sort by family or first name"))
    p.add_argument("--by-group", action="store_true", help=_("directory: sections by group; actions: by group"))
    p.add_argument("--action", default="", metavar="ID", help=_("sign-in sheet: the meeting (an action id)"))
    p.add_argument("--blank-rows", type=int, default=10, help=_("sign-in sheet: empty rows for newcomers"))
    p.add_argument("--label-format", default="L7160", metavar="CODE",
                   help=_("labels: {value} (default: %(default)s)").format(value=', '.join(label_format_specs())))
    p.add_argument("--start-at", type=int, default=1, metavar="N", help=_("labels: first unused label on the sheet"))
    p.add_argument("--theme", default="", help=_("digest: only lessons of this theme"))
    p.add_argument("--since", default="", metavar="DATE", help=_("digest: only lessons from this date"))
    p.add_argument("--contact", default="", metavar="ID", help=_("certificate: the volunteer"))
    p.add_argument("--year", default="", help=_("certificate, hours: the year (default: this year)"))
    p.set_defaults(handler=cmd_print)


def options_from_args(args: argparse.Namespace) -> PrintOptions:
    """The print options the command line asked for."""
    from oursociety_desktop.formats.pdf.options import PrintOptions  # ReportLab: only `print` needs it

    fields = tuple(f.strip() for f in args.fields.split(",") if f.strip())
    options = PrintOptions(fields=fields, sort=args.sort, group=args.group, tag=args.tag,
                           large_print=args.large_print, by_group=args.by_group, action=args.action,
                           blank_rows=args.blank_rows, label_format=args.label_format, start_at=args.start_at,
                           theme=args.theme, since=args.since, contact=args.contact, year=args.year)
    if args.paper:
        options.paper = args.paper
    elif args.product == "labels":
        from oursociety_desktop.formats.pdf.labels import find_format

        options.paper = find_format(args.label_format).paper
    return options


def cmd_print(args: argparse.Namespace, folder: Path) -> int:
    """Write the product; say how many pages and who was left out."""
    options = options_from_args(args)
    out = Path(args.output).expanduser().absolute()
    if out.suffix.lower() != ".pdf":
        raise UserError(_("The output should be a .pdf file, not '{name}'.").format(name=out.name))
    with open_hub(folder) as db:
        if args.product in LEARNING_PRODUCT_NAMES:
            from oursociety_desktop.formats.pdf.learning import LEARNING_PRODUCTS

            result = LEARNING_PRODUCTS[args.product](db, options, out, None)
        else:
            from oursociety_desktop.formats.pdf.products import print_product

            result = print_product(args.product, db, options, out)
    pages = ngettext("{pages} page", "{pages} pages", result.pages).format(pages=result.pages)
    entries = ngettext("{entries} entry", "{entries} entries", result.entries).format(entries=result.entries)
    print(_("Wrote {out} ({pages}, {entries}).").format(out=out, pages=pages, entries=entries))
    for note in result.notes:
        print(one_line(note), file=sys.stderr)  # a note naming people: a 100,000-character name is cut
    return 0

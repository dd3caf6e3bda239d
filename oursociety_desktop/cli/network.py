"""`oursociety network export OUT.png|OUT.pdf [--by group|hub]`: the network of introductions, drawn."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from oursociety_desktop.cli.common import open_hub, path_arg
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.choices import COLOUR_BY


def register(sub: Any) -> None:
    """Add the `network` command."""
    p = sub.add_parser("network", help=_("the network of introductions: draw it"))
    nsub = p.add_subparsers(dest="network_command", metavar="export", required=True)
    e = nsub.add_parser("export", help=_("draw who introduced whom to a PNG or PDF file"))
    e.add_argument("output", type=path_arg, metavar="OUT.png|OUT.pdf")
    e.add_argument("--by", choices=COLOUR_BY, default="group", help=_("colour people by group or by hub"))
    e.set_defaults(handler=cmd_network_export)


def cmd_network_export(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.formats.network_drawing import export_network  # networkx and ReportLab: only here

    db = open_hub(folder)
    try:
        drawn = export_network(db, Path(args.output), by=args.by)
    finally:
        db.close()
    print(ngettext("Drew {drawn} person to {output}", "Drew {drawn} people to {output}", drawn)
          .format(drawn=drawn, output=args.output))
    return 0

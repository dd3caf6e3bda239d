"""The printed products by name, as the command line and the Print workspace offer them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from oursociety_desktop.formats.pdf.action_list import print_action_list
from oursociety_desktop.formats.pdf.call_list import print_call_list
from oursociety_desktop.formats.pdf.choices import PRODUCT_NAMES
from oursociety_desktop.formats.pdf.directory import print_directory
from oursociety_desktop.formats.pdf.group_sheet import print_group_sheet
from oursociety_desktop.formats.pdf.labels import print_labels
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult
from oursociety_desktop.formats.pdf.signin import print_signin_sheet
from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.progress import Progress

Product = Callable[[Database, PrintOptions, Path, Progress | None], PrintResult]

# The names live in `choices`, where the command line reads them without ReportLab.
PRODUCTS: dict[str, Product] = dict(zip(PRODUCT_NAMES, (
    print_directory, print_group_sheet, print_signin_sheet, print_labels, print_action_list, print_call_list),
    strict=True))

# Translated where shown: _(PRODUCT_TITLES[name]).
PRODUCT_TITLES = {
    "directory": N_("Directory"),
    "group": N_("Group sheet"),
    "signin": N_("Sign-in sheet"),
    "labels": N_("Address labels"),
    "actions": N_("Action list"),
    "calls": N_("Call list"),
}


def print_product(name: str, db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                  ) -> PrintResult:
    """Write the named product to `out`."""
    if name not in PRODUCTS:
        raise UserError(_("Unknown product '{name}'; use one of {products}.")
                        .format(name=name, products=', '.join(PRODUCTS)))
    return PRODUCTS[name](db, options, Path(out), progress)

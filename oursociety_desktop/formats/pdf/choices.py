"""What the printed products offer by name, read without ReportLab: the products, the contact fields a list can
show, the default paper and the label formats. The command line offers these as the choices of `print` before it
knows which command runs, so that no other command (nor `--help`) starts by loading the PDF machinery."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any

PRODUCT_NAMES = ("directory", "group", "signin", "labels", "actions", "calls")
"""The products of `products.PRODUCTS`, in the order they are offered."""
LEARNING_PRODUCT_NAMES = ("digest", "certificate", "hours")
"""The mutual learning network's products, `learning.LEARNING_PRODUCTS`."""

PAPER_NAMES = ("a4", "letter")
"""The paper sizes, `options.PAPER_SIZES`."""
SORT_ORDERS = ("family", "given")
"""How a list of people is sorted: by family name or by first name."""

# Countries whose stationery is US Letter; everyone else uses A4.
LETTER_COUNTRIES = ("US", "CA")

CONTACT_FIELDS = ("organisation", "role", "phone", "email", "address", "languages", "tags")
"""Fields a directory, group sheet or call list can show besides the name."""
DEFAULT_FIELDS = ("phone", "email", "address")


def default_paper(environ: dict[str, str] | None = None) -> str:
    """"letter" for US and Canadian locales (LC_ALL, LC_PAPER, LANG, in that order), else "a4"."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(name, "")
        if value:
            territory = value.split(".")[0].partition("_")[2].upper()
            return "letter" if territory in LETTER_COUNTRIES else "a4"
    return "a4"


@cache
def label_format_specs() -> dict[str, dict[str, Any]]:
    """The label formats shipped in resources/labels/formats.json: each one's sheet layout by code, in the file's
    order (`labels.label_formats` makes them `LabelFormat`s)."""
    text = resources.files("oursociety_desktop.resources").joinpath("labels", "formats.json").read_text("utf-8")
    data: dict[str, dict[str, Any]] = json.loads(text)
    return {code: spec for code, spec in data.items() if not code.startswith("_")}

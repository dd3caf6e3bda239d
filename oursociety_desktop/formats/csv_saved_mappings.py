"""The CSV mappings an organiser saved (a hub setting, by the file's headers) and the command line's `--map`
overrides of a suggested mapping."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlmodel import Session

from oursociety_desktop.formats.csv_mapping import ColumnMap, Mapping_
from oursociety_desktop.formats.csv_presets import TARGETS, header_key
from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import get_setting, set_setting
from oursociety_desktop.models.errors import UserError

MAPPINGS_SETTING = "csv_mappings"  # the hub setting holding the mappings organisers saved, by header signature


def _signature(headers: Sequence[str]) -> str:
    return "\x1f".join(header_key(h) for h in headers)


def mapping_to_json(headers: Sequence[str], mapping: Mapping_) -> dict[str, Any]:
    """A mapping as JSON keyed by header (so it survives reordered columns)."""
    return {headers[i]: {"field": m.field, "label": m.label,
                         "label_column": headers[m.label_column] if m.label_column is not None else ""}
            for i, m in mapping.items() if i < len(headers)}


def mapping_from_json(headers: Sequence[str], data: Mapping[str, Any]) -> Mapping_:
    """The inverse of `mapping_to_json` for a file with these headers (unknown columns are ignored)."""
    position = {h: i for i, h in enumerate(headers)}
    mapping: Mapping_ = {}
    for i, header in enumerate(headers):
        entry = data.get(header)
        if not isinstance(entry, Mapping) or entry.get("field") not in TARGETS:
            mapping[i] = ColumnMap("ignore")
            continue
        mapping[i] = ColumnMap(str(entry["field"]), str(entry.get("label", "")),
                               position.get(str(entry.get("label_column", ""))))
    return mapping


def saved_mapping(session: Session, headers: Sequence[str]) -> Mapping_ | None:
    """The mapping the user saved for files with exactly these headers, if any."""
    saved = get_setting(session, MAPPINGS_SETTING) or {}
    entry = saved.get(_signature(headers)) if isinstance(saved, dict) else None
    return mapping_from_json(headers, entry) if isinstance(entry, dict) else None


def save_mapping(session: Session, headers: Sequence[str], mapping: Mapping_) -> None:
    """Remember a mapping (a hub setting) for the next file with the same headers (inside a write transaction)."""
    saved = dict(get_setting(session, MAPPINGS_SETTING) or {})
    saved[_signature(headers)] = mapping_to_json(headers, mapping)
    set_setting(session, MAPPINGS_SETTING, json.loads(json.dumps(saved)))


def parse_mapping_overrides(headers: Sequence[str], mapping: Mapping_, assignments: Iterable[str]) -> Mapping_:
    """Apply `HEADER=FIELD[:label]` overrides (the CLI's --map) to a mapping."""
    out = dict(mapping)
    keys = {header_key(h): i for i, h in enumerate(headers)}
    for text in assignments:
        header, sep, target = text.rpartition("=")
        if not sep or header_key(header) not in keys:
            raise UserError(_("--map '{text}': no column called '{header}' in the file.")
                            .format(text=text, header=header))
        field, _colon, label = target.partition(":")
        if field.strip() not in TARGETS:
            raise UserError(_("--map '{text}': unknown field '{field}'; fields are: {targets}.")
                            .format(text=text, field=field, targets=', '.join(TARGETS)))
        out[keys[header_key(header)]] = ColumnMap(field.strip(), label.strip())
    return out

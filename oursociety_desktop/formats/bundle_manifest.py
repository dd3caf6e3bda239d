"""The manifest of a hub bundle (format 2.1, docs/bundle-format.md §3): its shape, its check on reading, and what
its signature signs. formats/bundle.py reads and writes the rest of the bundle.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oursociety_desktop.i18n import _
from oursociety_desktop.models.canonical import canonical_json
from oursociety_desktop.models.clock import HUB_ID, is_stamp
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.incoming import FIELD_NAME, TYPE_NAME
from oursociety_desktop.models.registry import REGISTRY, member_name
from oursociety_desktop.models.signing import PUBLIC_KEY_BYTES, SIGNATURE_BYTES, decode_fixed, verify
from oursociety_desktop.models.text import single_line

FORMAT_NAME = "oursociety-bundle"
FORMAT_MAJOR = 2
FORMAT_MINOR = 1  # 2.1: groups and actions carry themes; consent withdrawal and receipts; bundles encrypted to hubs
READABLE_MAJORS = (1, 2)
FILE_SUFFIX = ".oursociety"
MANIFEST = "manifest.json"
SIGNATURE_KEY = "signature"
# The six record types of format 1: a 1.x bundle holds no other member.
FORMAT_1_TYPES = ("contact", "group", "membership", "action", "action_link", "connection")
MEMBER_PATTERN = re.compile(r"records/([a-z][a-z0-9_]{0,39})\.jsonl")
MAX_KNOWLEDGE_ENTRIES = 100_000
MAX_DECLARED_TYPES = 200

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# `since`: a stamp, or the mark just under one (its time and counter with their dot, models/clock.floor_below).
_SINCE = re.compile(r"[0-9]{13}\.[0-9a-f]{6}\.(?:" + HUB_ID.pattern + ")?")
_VERSION = re.compile(r"([0-9]{1,4})\.([0-9]{1,4})")


def member_for_type(record_type: str) -> str:
    """The member holding records of a type (known or not)."""
    return member_name(record_type)


@dataclass
class Manifest:
    """What `manifest.json` says about a bundle."""

    bundle_id: str
    source_hub_id: str
    source_hub_name: str
    created_at: str
    kind: str  # "full" | "delta"
    since: str = ""
    for_hub: str = ""
    clock: str = ""
    version: str = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"
    counts: dict[str, int] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Format 2: what the sender holds from each hub, which copy of the hub wrote it, its key and the references
    # of every record type it wrote (so a reader that does not know a type can still apply consent and erasure).
    knowledge: dict[str, str] = field(default_factory=dict)
    incarnation: str = ""
    signing_key: str = ""
    # (2.1) The hub's X25519 public key, which other hubs encrypt the bundles they leave in a folder to.
    encryption_key: str = ""
    signature: str = ""
    types: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def total_records(self) -> int:
        """How many records the bundle holds, all types together."""
        return sum(self.counts.values())

    @property
    def major(self) -> int:
        """The format's major version."""
        return int(self.version.split(".")[0])

    def record_types(self) -> list[str]:
        """The types the bundle has a member for: known ones in registry order, then the others by name."""
        present = [name for name in self.counts if member_for_type(name) in self.members]
        known = [name for name in REGISTRY.names() if name in present]
        return known + sorted(name for name in present if name not in REGISTRY)

    def to_json(self) -> dict[str, Any]:
        """The manifest as written into the bundle, without its signature."""
        return {
            "format": FORMAT_NAME, "version": self.version, "bundle_id": self.bundle_id,
            "source_hub": {"id": self.source_hub_id, "name": self.source_hub_name,
                           "incarnation": self.incarnation, "signing_key": self.signing_key,
                           **({"encryption_key": self.encryption_key} if self.encryption_key else {})},
            "created_at": self.created_at, "kind": self.kind, "since": self.since, "for_hub": self.for_hub,
            "clock": self.clock, "knowledge": self.knowledge, "types": self.types, "counts": self.counts,
            "members": self.members,
        }


def signed_bytes(manifest: dict[str, Any]) -> bytes:
    """What a manifest's signature signs: the canonical JSON of the manifest without its `signature` key."""
    return canonical_json({k: v for k, v in manifest.items() if k != SIGNATURE_KEY}).encode("utf-8")


def declared_types() -> dict[str, list[dict[str, Any]]]:
    """The references of every known type, as a manifest declares them."""
    return {t.name: [{"field": r.field, "target": r.target, "personal": r.personal} for r in t.references]
            for t in REGISTRY}


def parse_manifest(value: Any, label: str) -> Manifest:
    """Check a manifest's shape, version and (format 2) signature; raise UserError for anything missing, wrong or
    too new. Keys a newer minor version added are ignored (and covered by the signature)."""

    def bad(what: str) -> UserError:
        return UserError(_("The manifest of {label} is not valid ({what}); the bundle is damaged or not a hub bundle.")
                         .format(label=label, what=what))

    if not isinstance(value, dict) or value.get("format") != FORMAT_NAME:
        raise UserError(_("{label} is not an Our Society hub bundle (its manifest names no '{format_name}' format).")
                        .format(label=label, format_name=FORMAT_NAME))
    version = value.get("version")
    match = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise bad("format version")
    major = int(match.group(1))
    if major > FORMAT_MAJOR:
        raise UserError(_("The bundle {label} uses format version {version}, newer than this app reads "
                        "({format_major}.x); update Our Society Desktop to import it.")
                        .format(label=label, version=version, format_major=FORMAT_MAJOR))
    if major not in READABLE_MAJORS:
        raise bad("format version")
    hub = value.get("source_hub")
    if not isinstance(hub, dict) or not _matches(HUB_ID, hub.get("id")) \
            or not _short_text(hub.get("name"), 0, 200):
        raise bad("source hub")
    if not _matches(HUB_ID, value.get("bundle_id")):
        raise bad("bundle_id")
    created_at = value.get("created_at")
    if not isinstance(created_at, str) or not 1 <= len(created_at) <= 64 or not created_at.isascii() \
            or not created_at.isprintable():
        raise bad("created_at")
    kind = value.get("kind")
    if kind not in ("full", "delta"):
        raise bad("kind")
    # The bundle's clock is a stamp (§8), or empty (an introduction): it becomes this hub's knowledge of the source
    # hub, which every bundle written here carries and every reader checks.
    if value.get("clock", "") != "" and not is_stamp(value.get("clock")):
        raise bad("clock")
    if value.get("since", "") != "" and not _matches(_SINCE, value.get("since")):
        raise bad("since")
    if value.get("for_hub", "") != "" and not _matches(HUB_ID, value.get("for_hub")):
        raise bad("for_hub")
    counts, members = _counts_and_members(value, bad)
    # The name as this hub shows and keeps it: one line without controls (the signature covers it as written)
    manifest = Manifest(bundle_id=value["bundle_id"], source_hub_id=hub["id"],
                        source_hub_name=single_line(hub["name"]).strip(),
                        created_at=value["created_at"], kind=kind, since=value.get("since", ""),
                        for_hub=value.get("for_hub", ""), clock=value.get("clock", ""), version=str(version),
                        counts=counts, members=members)
    if major >= 2:
        _read_format_two(value, hub, manifest, bad, label)
    return manifest


def _counts_and_members(value: dict[str, Any], bad: Callable[[str], UserError]
                        ) -> tuple[dict[str, int], dict[str, dict[str, Any]]]:
    counts, members = value.get("counts"), value.get("members")
    if not isinstance(counts, dict) or not isinstance(members, dict) or len(counts) > MAX_DECLARED_TYPES:
        raise bad("counts and members")
    clean_counts: dict[str, int] = {}
    for record_type, count in counts.items():
        if not isinstance(record_type, str) or not TYPE_NAME.fullmatch(record_type):
            raise bad("a record type name")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise bad(f"count of {record_type}")
        clean_counts[record_type] = count
    for name, member in members.items():
        type_match = MEMBER_PATTERN.fullmatch(name) if isinstance(name, str) else None
        if type_match is None or type_match.group(1) not in clean_counts:
            raise bad("unknown members listed")
        if not isinstance(member, dict) or not isinstance(member.get("sha256"), str) \
                or not _HEX64.match(member["sha256"]):
            raise bad(f"checksum of {name}")
    for record_type, count in clean_counts.items():
        if count and member_for_type(record_type) not in members:
            raise bad(f"count of {record_type} without its member")
    return clean_counts, {k: dict(v) for k, v in members.items()}


def _read_format_two(value: dict[str, Any], hub: dict[str, Any], manifest: Manifest,
                     bad: Callable[[str], UserError], label: str) -> None:
    """Check and take the keys format 2 added: knowledge vector, incarnation, signing key and signature, types."""
    knowledge = value.get("knowledge")
    if not isinstance(knowledge, dict) or len(knowledge) > MAX_KNOWLEDGE_ENTRIES \
            or not all(_matches(HUB_ID, h) and is_stamp(s) for h, s in knowledge.items()):
        raise bad("knowledge vector")
    if not _matches(HUB_ID, hub.get("incarnation")):
        raise bad("hub incarnation")
    if decode_fixed(hub.get("signing_key"), PUBLIC_KEY_BYTES) is None:
        raise bad("hub signing key")
    if "encryption_key" in hub and decode_fixed(hub["encryption_key"], PUBLIC_KEY_BYTES) is None:
        raise bad("hub encryption key")
    if decode_fixed(value.get(SIGNATURE_KEY), SIGNATURE_BYTES) is None:
        raise bad("signature")
    if not verify(hub["signing_key"], signed_bytes(value), value[SIGNATURE_KEY]):
        raise UserError(_("The bundle {label} does not match its signature (it was changed after the hub "
                        "'{value}' wrote it, or forged); nothing was imported.")
                        .format(label=label, value=hub['name'][:60]))
    manifest.knowledge = dict(knowledge)
    manifest.incarnation = hub["incarnation"]
    manifest.signing_key = hub["signing_key"]
    manifest.encryption_key = hub.get("encryption_key", "")
    manifest.signature = value[SIGNATURE_KEY]
    manifest.types = _declared_types(value.get("types", {}), bad)


def _declared_types(types: Any, bad: Callable[[str], UserError]) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(types, dict) or len(types) > MAX_DECLARED_TYPES:
        raise bad("types")
    out: dict[str, list[dict[str, Any]]] = {}
    for name, refs in types.items():
        if not TYPE_NAME.fullmatch(name) or not isinstance(refs, list) or len(refs) > 64:
            raise bad("types")
        clean = []
        for ref in refs:
            if not isinstance(ref, dict) or not isinstance(ref.get("field"), str) \
                    or not FIELD_NAME.fullmatch(ref["field"]) or not isinstance(ref.get("target"), str) \
                    or not TYPE_NAME.fullmatch(ref["target"]) or type(ref.get("personal")) is not bool:
                raise bad(f"references of {name}")
            clean.append({"field": ref["field"], "target": ref["target"], "personal": ref["personal"]})
        out[name] = clean
    return out


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _short_text(value: Any, min_len: int, max_len: int) -> bool:
    return isinstance(value, str) and min_len <= len(value) <= max_len

"""Bundle format 2: 1.x bundles still import; a newer minor version's record types and fields are kept, survive a
restart, merge per field and are relayed; a newer major version is refused; the manifest's new keys are checked."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from oursociety_desktop.formats.bundle import MANIFEST, SIGNATURE_KEY, signed_bytes
from oursociety_desktop.models.clock import HybridLogicalClock
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.signing import new_signing_key, sign
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, dump_text, edit_contact, export_to, file_hash, make_hub, send

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Written by the 1.0 writer of the previous release (`oursociety export --full` of a 40-contact demo hub).
BUNDLE_1_0 = FIXTURES / "bundle-1.0-riverside.oursociety"


def test_a_bundle_of_the_previous_release_imports(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Upgraded")
    with zipfile.ZipFile(BUNDLE_1_0) as zf:
        assert json.loads(zf.read(MANIFEST))["version"] == "1.0"
    result = import_bundle(db, BUNDLE_1_0, backup=False, trust_new_hub=True)
    counts = {name: c.new + c.deleted for name, c in result.report.counts.items() if c.new + c.deleted}
    assert counts == {"contact": 22, "group": 3, "membership": 45, "action": 20, "action_link": 15, "connection": 1}
    assert result.manifest.version == "1.0" and result.report.unknown_records == 0
    with db.read() as session:
        assert check_database(session.connection()).sound
    again = import_bundle(db, BUNDLE_1_0, backup=False, trust_new_hub=True)
    assert again.changes == 0
    db.close()


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def repack(members: dict[str, bytes], key: str, edit: Any = None) -> bytes:
    """Re-zip members with a manifest whose hashes and counts fit them, edited by `edit`, signed with `key`."""
    manifest = json.loads(members[MANIFEST])
    for name, data in members.items():
        if name.startswith("records/"):
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            manifest["counts"][name[len("records/"):-len(".jsonl")]] = len(data.splitlines())
    if edit is not None:
        edit(manifest)
    manifest[SIGNATURE_KEY] = sign(key, signed_bytes(manifest))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name != MANIFEST:
                zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest))
    return buffer.getvalue()


@pytest.fixture
def newer_bundle(tmp_path: Path) -> dict[str, Any]:
    """A "2.9" bundle from hub New: a member `records/future_kind.jsonl` (one record personal to a shared contact,
    one to nobody) and an unknown field `pronouns` on a contact, stamped like any other field."""
    new = make_hub(tmp_path, "New")
    nina = add_contact(new, given_name="Nina", family_name="Okafor")
    plain = tmp_path / "plain.oursociety"
    export_to(new, plain)
    members = members_of(plain)
    clock = HybridLogicalClock(new.hub_id)
    stamp = clock.now()
    contacts = [json.loads(line) for line in members["records/contact.jsonl"].splitlines()]
    contacts[0]["pronouns"] = "she/her"
    contacts[0]["stamps"]["pronouns"] = stamp
    members["records/contact.jsonl"] = b"".join(json.dumps(c).encode() + b"\n" for c in contacts)
    future = [
        {"id": "f-1", "origin_hub": new.hub_id, "base_stamp": stamp, "stamps": {}, "contact_id": nina,
         "skill": "bike repair", "deleted": False},
        {"id": "f-2", "origin_hub": new.hub_id, "base_stamp": stamp, "stamps": {}, "contact_id": "",
         "skill": "kitchen space", "deleted": False},
    ]
    members["records/future_kind.jsonl"] = b"".join(json.dumps(r).encode() + b"\n" for r in future)

    def newer(manifest: dict[str, Any]) -> None:
        manifest["version"] = "2.9"
        manifest["something_new"] = {"from": "a later minor version"}
        manifest["types"]["future_kind"] = [{"field": "contact_id", "target": "contact", "personal": True}]

    path = tmp_path / "newer.oursociety"
    path.write_bytes(repack(members, new.signing_key, newer))
    info = {"path": path, "nina": nina, "key": new.signing_key, "members": members}
    new.close()
    return info


def opaque_rows(db: Database) -> list[tuple[str, str, dict[str, Any]]]:
    with db.read() as session:
        rows = session.connection().execute(text(
            "SELECT record_type, id, fields FROM opaque_record ORDER BY id")).all()
    return [(t, i, json.loads(f)) for t, i, f in rows]


def test_a_newer_minor_version_is_kept_survives_a_restart_and_is_relayed(tmp_path: Path, newer_bundle) -> None:
    old = make_hub(tmp_path, "Old")
    preview = import_bundle(old, newer_bundle["path"], dry_run=True, trust_new_hub=True)
    assert "2 records of kinds this version does not know; they are kept and passed on." in preview.notes
    assert opaque_rows(old) == []
    result = import_bundle(old, newer_bundle["path"], backup=False, trust_new_hub=True)
    assert result.report.unknown_records == 2 and result.report.counts["future_kind"].new == 2
    old.close()
    old = Database.open(tmp_path / "Old")  # a restart
    assert [r[1] for r in opaque_rows(old)] == ["f-1", "f-2"]
    with old.read() as session:
        extra = session.connection().execute(text("SELECT extra FROM contact WHERE id = :i"),
                                             {"i": newer_bundle["nina"]}).scalar_one()
    assert json.loads(extra) == {"pronouns": "she/her"}
    third = make_hub(tmp_path, "Third")
    send(old, third, tmp_path)
    assert opaque_rows(third) == opaque_rows(old)
    assert dump_text(third) == dump_text(old)
    assert '"pronouns":"she/her"' in dump_text(third)
    # A later edit of a known field at the old hub keeps the unknown field, and it travels on.
    edit_contact(old, newer_bundle["nina"], given_name="Nina B.")
    send(old, third, tmp_path)
    assert dump_text(third) == dump_text(old)
    with third.read() as session:
        row = session.connection().execute(text("SELECT given_name, extra, stamps FROM contact WHERE id = :i"),
                                           {"i": newer_bundle["nina"]}).one()
    assert row[0] == "Nina B." and json.loads(row[1]) == {"pronouns": "she/her"}
    assert "pronouns" in json.loads(row[2])
    old.close()
    third.close()


def test_unknown_records_follow_consent_and_erasure(tmp_path: Path, newer_bundle) -> None:
    from oursociety_desktop.models.contacts import forget_contact, update_contact

    old = make_hub(tmp_path, "Old")
    import_bundle(old, newer_bundle["path"], backup=False, trust_new_hub=True)
    with old.write() as tx:
        update_contact(tx, newer_bundle["nina"], {"share_with_hubs": False})
    withheld = make_hub(tmp_path, "Withheld")
    send(old, withheld, tmp_path)
    # The record personal to Nina stays with her consent; the one naming nobody travels.
    assert [r[1] for r in opaque_rows(withheld)] == ["f-2"]
    with old.write() as tx:
        forget_contact(tx, newer_bundle["nina"], "erasure requested")
    assert [r[1] for r in opaque_rows(old)] == ["f-2"]
    with old.read() as session:
        assert check_database(session.connection()).sound
    old.close()
    withheld.close()


@pytest.mark.parametrize("declared", [[], [{"field": "contact_id", "target": "contact", "personal": False}],
                                      [{"field": "contact_id", "target": "group", "personal": True}]],
                         ids=["left out", "not personal", "personal to a group"])
def test_a_reference_declared_personal_stays_personal(tmp_path: Path, newer_bundle, declared) -> None:
    """A later (or delayed, or forged) bundle that declared future_kind's contact_id not personal made the hub keep
    Nina's id in f-1 after her erasure, and pass it on."""
    from oursociety_desktop.models.contacts import forget_contact

    old = make_hub(tmp_path, "Old")
    import_bundle(old, newer_bundle["path"], backup=False, trust_new_hub=True)

    def unsaid(manifest: dict[str, Any]) -> None:
        manifest["version"] = "2.9"
        manifest["bundle_id"] = "a-later-bundle"
        manifest["types"]["future_kind"] = declared

    later = tmp_path / "later.oursociety"
    later.write_bytes(repack(newer_bundle["members"], newer_bundle["key"], unsaid))
    import_bundle(old, later, backup=False)
    with old.read() as session:
        refs = session.connection().execute(text("SELECT refs FROM opaque_type WHERE name = 'future_kind'")).scalar()
    assert json.loads(refs) == [{"field": "contact_id", "target": "contact", "personal": True}]
    with old.write() as tx:
        forget_contact(tx, newer_bundle["nina"], "erasure requested")
    assert [r[1] for r in opaque_rows(old)] == ["f-2"]
    old.close()


def test_a_first_declaration_cannot_lock_a_field_out_of_erasure() -> None:
    """Erasure follows references personal to a contact: one declared personal to a group first must give way."""
    from oursociety_desktop.models.merge_opaque import kept_personal

    to_group = {"field": "contact_id", "target": "group", "personal": True}
    to_contact = {"field": "contact_id", "target": "contact", "personal": True}
    assert kept_personal([to_group], [to_contact]) == [to_contact]
    assert kept_personal([to_contact], [to_group]) == [to_contact]


@pytest.mark.parametrize("suffix", ["\n", " ", "\u202e", "\u00a0", "\u00e9"],
                         ids=["line break", "space", "override", "nbsp", "accent"])
def test_a_record_id_with_a_space_or_a_control_is_refused(tmp_path: Path, suffix: str) -> None:
    """A trusted hub's bundle whose ids ended in a line break added a second Nina beside the first, listed alike."""
    new = make_hub(tmp_path, "New")
    nina = add_contact(new, given_name="Nina", family_name="Okafor")
    old = make_hub(tmp_path, "Old")
    send(new, old, tmp_path)
    plain = tmp_path / "again.oursociety"
    export_to(new, plain)
    members = members_of(plain)
    members["records/contact.jsonl"] = members["records/contact.jsonl"].replace(
        json.dumps(nina).encode(), json.dumps(nina + suffix).encode())
    forged = tmp_path / "forged.oursociety"
    forged.write_bytes(repack(members, new.signing_key, lambda m: m.update(bundle_id="another-bundle")))
    before = file_hash(old)
    old = Database.open(tmp_path / "Old")
    with pytest.raises(UserError) as refused:
        import_bundle(old, forged, backup=False)
    shown = ascii(nina + suffix)[1:-1]
    assert refused.value.message == (f"The bundle's contact record ({shown}) is not valid: its id holds a space, a "
                                     "control or a character outside ASCII. Nothing was imported.")
    assert file_hash(old) == before
    new.close()


def test_newer_fields_merge_per_field_by_stamp(tmp_path: Path, newer_bundle) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    import_bundle(a, newer_bundle["path"], backup=False, trust_new_hub=True)
    import_bundle(b, newer_bundle["path"], backup=False, trust_new_hub=True)
    # A newer write of the unknown field (from the newer hub, re-signed) reaches only B; A then gets it relayed.
    members = dict(newer_bundle["members"])
    contacts = [json.loads(line) for line in members["records/contact.jsonl"].splitlines()]
    later = HybridLogicalClock(contacts[0]["origin_hub"], contacts[0]["stamps"]["pronouns"]).now()
    contacts[0]["pronouns"], contacts[0]["stamps"]["pronouns"] = "they/them", later
    members["records/contact.jsonl"] = b"".join(json.dumps(c).encode() + b"\n" for c in contacts)
    path = tmp_path / "later.oursociety"
    path.write_bytes(repack(members, newer_bundle["key"], lambda m: m.update(version="2.9")))
    import_bundle(b, path, backup=False, trust_new_hub=True)
    send(b, a, tmp_path)
    send(a, b, tmp_path)
    assert dump_text(a) == dump_text(b) and '"pronouns":"they/them"' in dump_text(a)
    # The older value arriving again changes nothing.
    assert import_bundle(a, newer_bundle["path"], backup=False, trust_new_hub=True).changes == 0
    a.close()
    b.close()


def test_a_delta_needs_no_member_for_types_without_records(tmp_path: Path) -> None:
    src = make_hub(tmp_path, "Source")
    add_contact(src, given_name="Only", family_name="Contacts")
    path = tmp_path / "contacts-only.oursociety"
    export_to(src, path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["manifest.json", "records/contact.jsonl"]
    target = make_hub(tmp_path, "Target")
    assert import_bundle(target, path, backup=False, trust_new_hub=True).report.counts["contact"].new == 1
    src.close()
    target.close()


@pytest.fixture
def signed_source(tmp_path: Path) -> dict[str, Any]:
    src = make_hub(tmp_path, "Source")
    add_contact(src, given_name="Signed")
    path = tmp_path / "signed.oursociety"
    export_to(src, path)
    info = {"members": members_of(path), "key": src.signing_key}
    src.close()
    return info


def refused(target: Database, tmp_path: Path, data: bytes) -> str:
    before = file_hash(target)
    path = tmp_path / "bad.oursociety"
    path.write_bytes(data)
    db = Database.open(target.path.parent)
    try:
        with pytest.raises(UserError) as info:
            import_bundle(db, path, trust_new_hub=True)
    finally:
        db.close()
    assert file_hash(target) == before, "the database file changed"
    assert "\n" not in info.value.message
    return info.value.message


@pytest.mark.parametrize("edit,expected", [
    (lambda m: m.update(version="3.0"), "The bundle bad.oursociety uses format version 3.0, newer than this app "
                                        "reads (2.x); update Our Society Desktop to import it."),
    (lambda m: m["knowledge"].update({"hub-x": "yesterday"}), "knowledge vector"),
    (lambda m: m.update(knowledge=["not", "a", "map"]), "knowledge vector"),
    (lambda m: m["source_hub"].update(incarnation=""), "hub incarnation"),
    (lambda m: m["source_hub"].update(signing_key="c2hvcnQ="), "hub signing key"),
    (lambda m: m["types"].update({"future_kind": [{"field": "x", "target": "contact"}]}), "references of future_kind"),
])
def test_a_manifest_whose_format_two_keys_are_wrong_is_refused(tmp_path: Path, signed_source, edit, expected) -> None:
    target = make_hub(tmp_path, "Target")
    message = refused(target, tmp_path, repack(signed_source["members"], signed_source["key"], edit))
    assert message == expected or expected in message


def test_a_manifest_changed_without_the_key_or_signed_by_another_key_is_refused(tmp_path: Path,
                                                                              signed_source) -> None:
    target = make_hub(tmp_path, "Target")
    members = dict(signed_source["members"])
    manifest = json.loads(members[MANIFEST])
    manifest["source_hub"]["name"] = "Someone Else"
    members[MANIFEST] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    message = refused(target, tmp_path, buffer.getvalue())
    assert message == ("The bundle bad.oursociety does not match its signature (it was changed after the hub "
                       "'Someone Else' wrote it, or forged); nothing was imported.")
    assert "does not match its signature" in refused(target, tmp_path,
                                                     repack(signed_source["members"], new_signing_key()))


def test_the_apps_preview_says_unknown_kinds_are_kept_and_passed_on(qtbot, tmp_path: Path, newer_bundle) -> None:
    from PySide6.QtGui import QUndoStack

    from oursociety_desktop.ui.context import AppContext, DataEvents
    from oursociety_desktop.ui.exchange.workspace import ExchangeWorkspace
    from oursociety_desktop.ui.tasks import SyncTaskRunner

    old = make_hub(tmp_path, "Old")
    ctx = AppContext(db=old, runner=SyncTaskRunner(), undo_stack=QUndoStack(), events=DataEvents())
    widget = ExchangeWorkspace(ctx)
    qtbot.addWidget(widget)
    panel = widget.import_panel
    panel.ask_open_path = lambda: newer_bundle["path"]  # type: ignore[method-assign]
    panel.ask_trust_hub = lambda name, hub_id, fingerprint: True  # type: ignore[method-assign]
    panel.choose_import_button.click()
    panel.preview_button.click()
    assert "2 records of kinds this version does not know; they are kept and passed on." in \
        panel.preview_notes.text()
    rows = [panel.preview_model.index(r, 0).data() for r in range(panel.preview_model.rowCount())]
    assert rows[-1] == "Future kind"
    panel.apply_button.click()
    assert len(opaque_rows(old)) == 2
    old.close()

"""Faults met in the field, through real exchange folders: a bundle found while it was still being copied."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, introduce, make_hub


@pytest.fixture
def hubs(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    yield a, b
    a.close()
    b.close()


def test_a_bundle_found_half_copied_is_read_once_it_is_complete(hubs, tmp_path: Path) -> None:
    """A copy to the stick (or a Nextcloud download) was half done when B synced. B said the file had been changed
    (as if forged) and remembered it by its name: once complete, it was never read, and B missed A's edit until A
    happened to write again. It is now named as possibly incomplete, and read once it has changed."""
    a, b = hubs
    folder = tmp_path / "stick"
    folder.mkdir()
    ines = add_contact(a, given_name="Ines")
    sync_folder(a, folder)
    sync_folder(b, folder)
    sync_folder(a, folder)
    edit_contact(a, ines, role="treasurer")
    written = sync_folder(a, folder).written
    assert written is not None
    whole = written.read_bytes()
    written.write_bytes(whole[:len(whole) // 2])
    first = sync_folder(b, folder)
    assert first.imported == []
    assert first.skipped == [f"{written.name}: The bundle {written.name} is incomplete (still being copied?) or was "
                             "changed after it was encrypted; it was refused. Nothing was imported."]
    assert contact_row(b, ines)["role"] == ""
    assert sync_folder(b, folder).skipped == []  # reported once while it stays as it is
    written.write_bytes(whole)
    os.utime(written, ns=(written.stat().st_atime_ns, written.stat().st_mtime_ns + 1_000_000_000))
    second = sync_folder(b, folder)
    assert [r.file_name for r in second.imported] == [written.name] and second.skipped == []
    assert contact_row(b, ines)["role"] == "treasurer"
    sync_folder(a, folder)
    assert dump_text(a) == dump_text(b)

"""An exchange folder is writable by whoever shares it: a link to a device or a named pipe put in it under a name a
sync reads is refused in one line, before a byte of it is read, and changes nothing.

Before, `sync` read the folder's marker file to its end: a link to /dev/zero ran the computer out of memory
("unexpected error (MemoryError)"), and a named pipe made the sync wait for ever. `import` of such a path did the
same.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.models.database import Database
from oursociety_desktop.services.folder_files import MARKER
from tests.cli_helpers import NOT_PLAIN, NOT_PLAIN_KINDS, not_a_plain_file, returns_within
from tests.exchange.exchange_helpers import add_contact, file_hash, make_hub

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and /dev/zero are POSIX")



def run_with_deadline(args: list[str]) -> int:
    """main(args), failing the test instead of hanging it."""
    return returns_within(lambda: main(args), f"oursociety {' '.join(args[2:])}", seconds=20)


@pytest.fixture
def hub(tmp_path: Path) -> Database:
    """A hub holding one person, so that 'changes nothing' has something to change."""
    made = make_hub(tmp_path, "Hub")
    add_contact(made, given_name="Ada")
    return made


@pytest.mark.parametrize("kind", NOT_PLAIN_KINDS)
def test_a_marker_that_is_not_a_plain_file_is_refused_in_one_line(hub: Database, tmp_path: Path, capsys,
                                                                  kind: str) -> None:
    before = file_hash(hub)
    folder = tmp_path / "shared"
    folder.mkdir()
    marker = folder / MARKER
    not_a_plain_file(marker, kind)
    code = run_with_deadline(["--data-dir", str(hub.path.parent), "sync", str(folder)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"oursociety: Cannot read {marker}: {NOT_PLAIN}.\n"
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]
    assert file_hash(hub) == before


@pytest.mark.parametrize("kind", NOT_PLAIN_KINDS)
def test_importing_a_bundle_path_that_is_not_a_plain_file_is_refused_in_one_line(hub: Database, tmp_path: Path,
                                                                                capsys, kind: str) -> None:
    before = file_hash(hub)
    path = tmp_path / "from-the-stick.oursociety"
    not_a_plain_file(path, kind)
    code = run_with_deadline(["--data-dir", str(hub.path.parent), "import", "--dry-run", str(path)])
    assert code == 1
    assert capsys.readouterr().err == f"oursociety: Cannot read {path}: {NOT_PLAIN}.\n"
    assert file_hash(hub) == before


def test_a_small_file_read_under_a_large_limit_takes_little_memory(tmp_path: Path) -> None:
    """read(limit + 1) asked for the whole limit at once: 2 GiB for every bundle read, whatever its size."""
    import tracemalloc

    from oursociety_desktop.formats.bundle import MAX_FILE_BYTES
    from oursociety_desktop.models.plain_files import read_plain_file

    path = tmp_path / "small.oursociety"
    path.write_bytes(b"PK" + b"x" * 1000)
    tracemalloc.start()
    try:
        assert read_plain_file(path, MAX_FILE_BYTES) == b"PK" + b"x" * 1000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 ** 2, peak


@pytest.mark.parametrize("kind", NOT_PLAIN_KINDS)
def test_a_passphrase_file_that_is_not_plain_is_refused_in_one_line(hub: Database, tmp_path: Path, capsys,
                                                                    kind: str) -> None:
    before = file_hash(hub)
    secret = tmp_path / "passphrase.txt"
    not_a_plain_file(secret, kind)
    code = run_with_deadline(["--data-dir", str(hub.path.parent), "export", str(tmp_path / "out.oursociety"),
                              "--passphrase-file", str(secret)])
    assert code == 1
    assert capsys.readouterr().err == f"oursociety: Cannot read the passphrase file {secret}: {NOT_PLAIN}.\n"
    assert not (tmp_path / "out.oursociety").exists()
    assert file_hash(hub) == before

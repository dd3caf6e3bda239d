"""Files that appear whole or not at all: write to a temporary file beside the target, fsync, rename
. A crash or an error leaves the target as it was and no partial file under its name.

Every file written here holds personal data (a database copy, a bundle, a PDF, a CSV), so it is created readable
and writable by its owner alone (0600 on POSIX), whatever the umask; folders made for such files are 0700."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError

TEMP_SUFFIX = ".partial"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
_DATABASE_FILES = ("", "-wal", "-shm", "-journal")

# Every hub database this process has opened: no export, backup or other output may be written over one of them
# or its side files (a mistyped file name would replace the hub), also once it is closed again (a command writes
# its output after closing the hub). Only a restore replaces one (`atomic_path(..., replacing_database=True)`).
_OPENED: set[Path] = set()  # each database file and its side files


def hold_database(path: Path) -> None:
    """Note that this process opened the database at `path`: outputs may not be written over it."""
    resolved = Path(path).resolve()
    _OPENED.update(resolved.with_name(resolved.name + suffix) for suffix in _DATABASE_FILES)


def _database_in_use(target: Path) -> bool:
    return target.resolve() in _OPENED


def private_folder(folder: Path) -> Path:
    """Make `folder` (and missing parents) if needed, and make it the owner's alone (0700)."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    if os.name == "posix":
        os.chmod(folder, PRIVATE_FOLDER)
    return folder


def make_private(path: Path) -> None:
    """Make an existing file the owner's alone (0600), when it is not already."""
    if os.name == "posix" and path.exists() and path.stat().st_mode & 0o777 != PRIVATE_FILE:
        os.chmod(path, PRIVATE_FILE)


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner alone (fails if it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)  # the umask may have taken bits away; never adds any
    finally:
        os.close(fd)


def append_private(path: Path, text: str) -> None:
    """Append `text` to a file that is the owner's alone (0600), made if missing (a log: what it reports may name
    people)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")


def check_writable_target(target: Path, *, replacing_database: bool = False) -> None:
    """Raise a one-line UserError when `target` cannot be written (missing or read-only folder, a folder, or a
    hub database this process opened)."""
    folder = target.parent
    if not folder.is_dir():
        raise UserError(_("Cannot write {target}: the folder {folder} does not exist.")
                        .format(target=target, folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(_("Cannot write {target}: the folder {folder} is read-only.")
                        .format(target=target, folder=folder))
    if target.is_dir():
        raise UserError(_("Cannot write {target}: it is a folder.").format(target=target))
    if not replacing_database and _database_in_use(target):
        raise UserError(_("Cannot write {target}: it is the hub's own database; choose another file name.")
                        .format(target=target))


@contextmanager
def atomic_path(target: Path, *, replacing_database: bool = False) -> Iterator[Path]:
    """Yield a temporary path (an empty file, 0600) to fill; on success it is fsynced and renamed onto `target`,
    else removed. Only a restore (`replacing_database`, every connection to it closed) may replace a database."""
    target = Path(target)
    check_writable_target(target, replacing_database=replacing_database)
    temp = _temp_name(target)
    try:
        _remove_quietly(temp)  # left by a crash of an earlier process with this pid
        create_private(temp)
        yield temp
        make_private(temp)
        fsync_file(temp)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        _remove_quietly(temp)
        raise UserError(_("Could not write {target}: {value}. Nothing was written.")
                        .format(target=target, value=exc.strerror or exc)) from None
    except BaseException:
        _remove_quietly(temp)
        raise


@contextmanager
def atomic_write(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file to write; it replaces `target` only once complete and flushed to disk."""
    with atomic_path(target) as temp, temp.open("wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass

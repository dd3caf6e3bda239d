"""Reading a file that someone else may have put there (an exchange folder, a stick, a file named on the command
line): only a plain file, and never more than a limit.

A shared folder may hold, under a name this app reads, a link to `/dev/zero` or `/dev/urandom` (read for ever, until
the memory runs out), or a named pipe (opening it waits for a writer that never comes). So a file is opened without
waiting, checked to be a regular file before a byte is read, and read up to a limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from oursociety_desktop.i18n import _


class NotAPlainFile(OSError):
    """The path names a pipe, a device, a socket or a link to one: not read. Its `strerror` is one line for people."""


def open_plain_file(path: Path) -> BinaryIO:
    """The regular file at `path`, open for reading in binary (buffered; the caller closes it). Raises
    IsADirectoryError for a folder, NotAPlainFile for anything else that is not a regular file (before reading from
    it), and the OSError the system gives otherwise (FileNotFoundError...)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotAPlainFile(errno.EINVAL, _("it is not a plain file (a pipe, a device, or a link to one)"),
                                str(path))
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_plain_file(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the regular file at `path` (a caller refuses a longer result as too large).
    Raises as `open_plain_file`."""
    with open_plain_file(path) as fh:
        # In pieces: read(limit + 1) would ask for the whole limit (2 GiB for a bundle) before reading a byte.
        chunks, left = [], limit + 1
        while left > 0 and (chunk := fh.read(min(left, 16 * 1024 ** 2))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

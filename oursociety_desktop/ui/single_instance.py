"""One window per hub: a second start asks the running app, over a local socket, to bring its window to the front.

The socket is a QLocalServer (a Unix socket or a Windows named pipe; no network) named after the data folder, so two
hubs in two folders can be open side by side. The lock file in the data folder still guards the database itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

MESSAGE = b"show\n"
WAIT_MS = 1000


def server_name(folder: Path) -> str:
    """The local socket's name for a data folder (the same for every start on this folder)."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"oursociety-{digest}"


def ask_running_to_show(folder: Path, wait_ms: int = WAIT_MS) -> bool:
    """Ask an app already running on `folder` to show its window. True when one answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(folder))
    if not socket.waitForConnected(wait_ms):
        return False
    socket.write(MESSAGE)
    sent = socket.waitForBytesWritten(wait_ms) or socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    return bool(sent)


class InstanceServer(QObject):
    """Listens for later starts on the same folder; emits `show_requested` for each."""

    show_requested = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(folder)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)

    def listen(self) -> bool:
        """Start listening (a socket left by a crashed run is removed first). False when it cannot."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _connected(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            # A one-line message from a local peer: read it now or as soon as it arrives, then drop the socket.
            if not socket.bytesAvailable():
                socket.waitForReadyRead(WAIT_MS)
            message = bytes(socket.readAll().data())
            socket.abort()
            socket.deleteLater()
            if message.startswith(MESSAGE.strip()):
                self.show_requested.emit()

    def close(self) -> None:
        """Stop listening."""
        self.server.close()

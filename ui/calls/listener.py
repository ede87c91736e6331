"""The app's ears for the telephone system: a local socket only this user can reach, and,
when the administrator turns it on, an HTTP port on 127.0.0.1 with a shared token.

Both read an event with :mod:`hotline.calls` and hand the :class:`IncomingCall` to
``handler``, which shows it and says how (``"form"`` or ``"banner"``) or raises a
:class:`HotlineError` whose text goes back to the sender. Nothing here touches the database.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QHostAddress, QLocalServer, QLocalSocket, QTcpServer, QTcpSocket

from hotline import calls
from hotline.calls import IncomingCall
from hotline.errors import HotlineError
from hotline.i18n import N_, _

log = logging.getLogger(__name__)

Handler = Callable[[IncomingCall], str]
STALL_MS = 5000  # a connection that sends no whole request by then is closed
MSG_OTHER_USER = N_("来电事件来自其他用户，已拒绝。")


def _reply_for(handler: Handler, call: IncomingCall) -> dict[str, object]:
    try:
        return {"ok": True, "shown": handler(call)}
    except HotlineError as exc:
        return calls.error_reply(exc)


class LocalCallListener(QObject):
    """The local socket of :func:`hotline.calls.socket_address`, one JSON line per event."""

    def __init__(self, handler: Handler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handler = handler
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.address = ""
        self.refused = 0  # events refused because they came from another user

    def start(self, address: str | None = None) -> bool:
        """Listen; False (logged) when another app of this user listens already or the
        address cannot be used."""
        try:
            address = address or calls.socket_address()
        except HotlineError as exc:
            log.error("incoming calls: %s", exc.text)
            return False
        if sys.platform != "win32" and _someone_listens(address):
            log.warning("incoming calls go to the app already running for this user")
            return False
        QLocalServer.removeServer(address)  # a socket file a crash left behind
        if not self.server.listen(address):
            log.error("incoming calls: cannot listen on %s: %s", address, self.server.errorString())
            return False
        self.address = address
        log.info("listening for incoming calls on the local socket")
        return True

    def stop(self) -> None:
        if self.server.isListening():
            self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            if connection is None:
                return
            # Another user's event is refused only after its line is read: a socket closed
            # with the line unread would leave the sender a broken pipe instead of the answer.
            other = calls.peer_is_same_user(int(connection.socketDescriptor())) is False
            buffer = bytearray()
            timer = QTimer(connection, singleShot=True, interval=STALL_MS)
            timer.timeout.connect(lambda c=connection: c.abort())
            timer.start()
            connection.readyRead.connect(
                lambda c=connection, b=buffer, o=other: self._read(c, b, other=o)
            )
            connection.disconnected.connect(connection.deleteLater)
            if connection.bytesAvailable():
                self._read(connection, buffer, other=other)

    def _read(self, connection: QLocalSocket, buffer: bytearray, *, other: bool = False) -> None:
        buffer += bytes(connection.readAll().data())
        if b"\n" not in buffer and len(buffer) <= calls.MAX_LINE:
            return
        line = bytes(buffer).split(b"\n", 1)[0]
        buffer.clear()
        if other:
            self.refused += 1
            log.warning("an incoming-call event from another user was refused")
            self._answer(connection, {"ok": False, "error": _(MSG_OTHER_USER)})
            return
        try:
            call = calls.parse_line(line)
        except HotlineError as exc:
            self._answer(connection, calls.error_reply(exc))
            return
        self._answer(connection, _reply_for(self.handler, call))

    @staticmethod
    def _answer(connection: QLocalSocket, reply: dict[str, object]) -> None:
        connection.write(calls.encode_line(reply))
        connection.flush()
        connection.disconnectFromServer()


def _someone_listens(address: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        try:
            probe.connect(address)
        except OSError:
            return False
    return True


class HttpCallListener(QObject):
    """``http://127.0.0.1:PORT/call`` for softphones that can only open a URL (off unless
    the administrator turned it on; the token is compared in constant time)."""

    def __init__(self, handler: Handler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handler = handler
        self.token = ""
        self.server = QTcpServer(self)
        self.server.newConnection.connect(self._accept)

    def start(self, port: int, token: str) -> bool:
        self.stop()
        self.token = token
        if not self.server.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), port):
            log.error("incoming calls over HTTP: port %s: %s", port, self.server.errorString())
            return False
        log.info("listening for incoming calls on 127.0.0.1:%s", self.server.serverPort())
        return True

    def stop(self) -> None:
        if self.server.isListening():
            self.server.close()

    def port(self) -> int:
        return int(self.server.serverPort()) if self.server.isListening() else 0

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            if connection is None:
                return
            buffer = bytearray()
            timer = QTimer(connection, singleShot=True, interval=STALL_MS)
            timer.timeout.connect(lambda c=connection: c.abort())
            timer.start()
            connection.readyRead.connect(lambda c=connection, b=buffer: self._read(c, b))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QTcpSocket, buffer: bytearray) -> None:
        buffer += bytes(connection.readAll().data())
        if not calls.http_head_complete(bytes(buffer)) and len(buffer) <= calls.MAX_LINE * 2:
            return
        peer = connection.peerAddress()
        address = "127.0.0.1" if peer.isLoopback() else peer.toString()
        answer = calls.handle_http(bytes(buffer), token=self.token, peer=address)
        buffer.clear()
        if answer.call is not None:
            reply = _reply_for(self.handler, answer.call)
            answer = calls.HttpAnswer(200 if reply["ok"] else 503, reply)
        connection.write(answer.encode())
        connection.flush()
        connection.disconnectFromHost()

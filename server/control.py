"""The control channel: Kea's unix-socket JSON protocol, one command per connection."""

from __future__ import annotations

import json
import logging
import os
import selectors
import socket
from collections.abc import Callable

log = logging.getLogger("lessor.ctrl")

SUCCESS, ERROR, UNSUPPORTED, EMPTY = 0, 1, 2, 3


def answer(result: int, text: str = "", arguments=None) -> dict:
    out: dict = {"result": result, "text": text}
    if arguments is not None:
        out["arguments"] = arguments
    return out


class ControlChannel:
    """A non-blocking unix socket; the service loop calls `accept` and `service` when readable."""

    def __init__(self, path: str, commands: dict[str, Callable[[dict], dict]]):
        self.path = path
        self.commands = commands
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.pending: dict[int, tuple[socket.socket, bytearray]] = {}

    def close(self) -> None:
        for conn, _ in self.pending.values():
            conn.close()
        self.pending.clear()
        self.sock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def accept(self) -> socket.socket | None:
        try:
            conn, _ = self.sock.accept()
        except BlockingIOError:
            return None
        conn.setblocking(False)
        self.pending[conn.fileno()] = (conn, bytearray())
        return conn

    def service(self, conn: socket.socket) -> bool:
        """Read from a client; when a whole request is in, answer and close. True when done."""
        _, buf = self.pending[conn.fileno()]
        try:
            chunk = conn.recv(65536)
        except BlockingIOError:
            return False
        except OSError:
            chunk = b""
        if chunk:
            buf += chunk
            try:
                request = json.loads(buf.decode())
            except (ValueError, UnicodeDecodeError):
                if len(buf) > 4 * 1024 * 1024:
                    return self._finish(conn, answer(ERROR, "request too large"))
                return False
            return self._finish(conn, self.handle(request))
        return self._finish(conn, answer(ERROR, "incomplete or invalid JSON request") if buf else None)

    def handle(self, request) -> dict:
        if not isinstance(request, dict) or "command" not in request:
            return answer(ERROR, "invalid command: a JSON object with 'command' is expected")
        extra = set(request) - {"command", "arguments", "service"}
        if extra:
            return answer(ERROR, f"invalid command: unknown top-level key(s) {', '.join(sorted(extra))}")
        name = request["command"]
        handler = self.commands.get(name)
        if handler is None:
            return answer(UNSUPPORTED, f"'{name}' command not supported.")
        args = request.get("arguments") or {}
        if not isinstance(args, dict):
            return answer(ERROR, "'arguments' must be an object")
        try:
            return handler(args)
        except Exception as exc:  # noqa: BLE001 - a command must never take the server down
            log.exception("CTRL_COMMAND_FAILED %s", name)
            return answer(ERROR, f"{name} failed: {exc}")

    def _finish(self, conn: socket.socket, reply: dict | None) -> bool:
        self.pending.pop(conn.fileno(), None)
        if reply is not None:
            try:
                conn.setblocking(True)
                conn.settimeout(2.0)
                conn.sendall(json.dumps(reply).encode())
            except OSError:
                pass
        conn.close()
        return True


def on_control_event(control: ControlChannel | None, selector: selectors.BaseSelector, kind: str, conn) -> None:
    """A service loop's share of the channel: `kind` "ctrl" is a new connection on the listening socket,
    "conn" more of a request on `conn` (registered with data ("conn", conn)). A connection left over from
    a channel that a reload closed is dropped."""
    if kind == "ctrl":
        new = control.accept() if control else None
        if new is not None:
            selector.register(new, selectors.EVENT_READ, ("conn", new))
        return
    selector.unregister(conn)
    if control is None or conn.fileno() not in control.pending:
        conn.close()
    elif not control.service(conn):
        selector.register(conn, selectors.EVENT_READ, ("conn", conn))

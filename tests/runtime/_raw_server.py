"""A loopback server that writes raw bytes: for faults a well-behaved HTTP
server cannot produce (a gzip bomb, a body trickled byte by byte, a
connection cut mid-body).

``respond(conn, stop)`` gets each connection after the request has been read
and writes whatever it likes; ``stop`` is set when the test ends, and a
responder that waits must give up then. Every test using it is bounded: the
server's threads are joined (within seconds) when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Respond = Callable[[socket.socket, threading.Event], None]


@dataclass
class RawServer:
    url: str
    requests: list[bytes] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # bytes written per request


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def raw_serving(respond: Respond) -> Iterator[RawServer]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.05)
    server = RawServer(f"http://127.0.0.1:{listener.getsockname()[1]}")
    stop = threading.Event()
    workers: list[threading.Thread] = []

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            server.requests.append(_read_request(conn))
            with contextlib.suppress(OSError):
                respond(conn, stop)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=handle, args=(conn,))
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept)
    acceptor.start()
    try:
        yield server
    finally:
        stop.set()
        acceptor.join(5)
        listener.close()
        for worker in workers:
            worker.join(5)


def head(status: int = 200, **headers: str) -> bytes:
    """A response's status line and headers (names as given, ``_`` -> ``-``)."""
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()

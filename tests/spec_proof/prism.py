"""Prism (`@stoplight/prism-cli`, from npm) as a local mock server of a spec.

Installed once per machine (npmcache), started on 127.0.0.1 on a free port,
stopped by killing its process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest

from .npmcache import npm_install

PRISM_VERSION = "5.16.0"
_START_TIMEOUT = 90.0


def prism_binary() -> Path:
    """The Prism executable, installed with npm if it is not there yet."""
    what = "the Prism mock server"
    folder = npm_install("prism", (f"@stoplight/prism-cli@{PRISM_VERSION}",), what)
    return folder / "node_modules" / ".bin" / "prism"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def prism_mock(spec: Path, log: Path) -> Iterator[str]:
    """Runs `prism mock` (static mode: its dynamic mode fails on the spec's
    date-time patterns) and yields its base URL."""
    binary = prism_binary()
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(binary), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed as one
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url, log)
        yield url
    finally:
        _stop(proc)


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Prism exited with {proc.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url + "/", timeout=1.0)
            return  # any answer (404 included) means it is serving
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"Prism did not answer within {_START_TIMEOUT}s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # SIGTERM first; then SIGKILL for whatever of the group is left (children
    # can outlive the leader).
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=10.0)
        except subprocess.TimeoutExpired:
            continue

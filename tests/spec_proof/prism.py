"""Prism (`@stoplight/prism-cli`, from npm) as a local mock server of a spec.

Installed once into a cache folder (pinned version, under a file lock so that
parallel runs don't clash), started on 127.0.0.1 on a free port, stopped by
killing its process group."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest

PRISM_VERSION = "5.16.0"
_START_TIMEOUT = 90.0


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meetingbaas-sdkgen" / f"prism-{PRISM_VERSION}"


def prism_binary() -> Path:
    """The Prism executable, installed with npm if it is not there yet."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.skip("node and npm are needed to install the Prism mock server")
    target = cache_dir()
    binary = target / "node_modules" / ".bin" / "prism"
    if binary.is_file():
        return binary
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f"prism-{PRISM_VERSION}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run may be installing it
        if not binary.is_file():
            _install(npm, target)
    return binary


def _install(npm: str, target: Path) -> None:
    # Install beside the target and rename: a half-done install is never used.
    staging = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    result = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(staging),
            "--no-audit",
            "--no-fund",
            "--no-save",
            f"@stoplight/prism-cli@{PRISM_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        pytest.fail(f"npm install of Prism failed:\n{result.stderr[-3000:]}")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


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

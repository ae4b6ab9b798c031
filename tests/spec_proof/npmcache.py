"""Pinned npm packages the tests run (Prism, zod), installed by the tests
themselves once per machine into the user cache (~/.cache/meetingbaas-sdkgen/),
under a file lock so that parallel runs don't clash."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meetingbaas-sdkgen"


def node_and_npm(what: str) -> tuple[str, str]:
    """The node and npm executables; skips the test, saying why, without them."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip(f"node and npm are needed to install {what}")
    return node, npm


def npm_install(name: str, packages: tuple[str, ...], what: str) -> Path:
    """The folder holding ``node_modules`` with exactly ``packages`` (each
    `name@version`), installed with npm if it is not there yet."""
    _, npm = node_and_npm(what)
    stamp = hashlib.sha256("\n".join(packages).encode()).hexdigest()[:12]
    target = cache_root() / f"{name}-{stamp}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run may be installing it
        if not target.is_dir():
            _install(npm, target, packages, what)
    return target


def _install(npm: str, target: Path, packages: tuple[str, ...], what: str) -> None:
    # Install beside the target and rename: a half-done install is never used.
    staging = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    command = [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund"]
    result = subprocess.run(
        [*command, "--no-save", *packages],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        pytest.fail(f"npm install of {what} failed:\n{result.stderr[-3000:]}")
    staging.rename(target)

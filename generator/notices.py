"""Warnings for the command line: collected while a command runs, printed once each
when it ends (not when it fails: bad input is one line on stderr)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

_active: list[list[str]] = []


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect warnings while the block runs; print them to stderr if it succeeds."""
    with captured() as found:
        yield found
    for message in found:
        print(f"sdkgen: warning: {message}", file=sys.stderr)


def warn(*messages: str) -> None:
    """Report warnings to the running command, if any (library use: ignored)."""
    if _active:
        found = _active[-1]
        found.extend(m for m in messages if m not in found)


def pending() -> list[str]:
    """The running command's warnings so far (a live list)."""
    return _active[-1] if _active else []


@contextmanager
def captured() -> Iterator[list[str]]:
    """The warnings the block gives, kept from the running command (the caller
    passes them on with ``warn``)."""
    found: list[str] = []
    _active.append(found)
    try:
        yield found
    finally:
        _active.pop()

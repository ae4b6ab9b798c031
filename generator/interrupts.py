"""SIGINT/SIGTERM as an exception, deferred while the output is being swapped.

Outside ``deferred()`` a signal raises ``Interrupted`` at once (``finally`` blocks
clean up). Inside it, a signal is only recorded: the writer calls ``checkpoint()``
where stopping is safe and finishes its commit, uninterrupted, once it has begun.
A signal the process was started ignoring (a background job of a shell without
job control) stays ignored, as Python leaves SIGINT and as shells expect.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

PAUSE_ENV = "SDKGEN_TEST_PAUSE_AT"


def _not_ignored() -> tuple[signal.Signals, ...]:
    return tuple(
        s
        for s in (signal.SIGINT, signal.SIGTERM)
        if signal.getsignal(s) != signal.SIG_IGN
    )


# Read once, at first import (before sdkgen sets any handler): what the parent gave.
SIGNALS = _not_ignored()


class Interrupted(BaseException):
    """A signal arrived; like KeyboardInterrupt, ``except Exception`` lets it by."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


_pending: list[int] = []
_deferring = [False]


def _handler(signum: int, frame: FrameType | None) -> None:
    if _deferring[0]:
        _pending.append(signum)
        return
    raise Interrupted(signum)


def _exit_now(signum: int, frame: FrameType | None) -> None:
    """Outside a command (start-up, after its end): stop at once, 128+N."""
    flush_output()
    os._exit(128 + signum)


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe: nothing to keep
            stream.flush()


def exit_on_signal() -> None:
    """A process running the command line: SIGINT/SIGTERM end it with 128+N
    (never a traceback, never -N) at any moment ``raising`` does not cover."""
    if _main_thread():
        for s in SIGNALS:
            signal.signal(s, _exit_now)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def raising() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Interrupted`` (the CLI runs inside this)."""
    if not _main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        _restore(old)


@contextmanager
def deferred() -> Iterator[None]:
    """Record signals instead of raising; one recorded is raised on leaving."""
    if not _main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in SIGNALS}
    was_deferring = _deferring[0]
    _deferring[0] = True
    for s in SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        _deferring[0] = was_deferring
        _restore(old)
    if not was_deferring:
        checkpoint()


def _restore(old: dict[signal.Signals, Any]) -> None:
    for s, handler in old.items():
        # None: a handler installed outside Python; the default is the nearest.
        signal.signal(s, signal.SIG_DFL if handler is None else handler)


def checkpoint() -> None:
    """Raise a signal recorded while deferred (a safe place to stop)."""
    if _pending:
        signum = _pending[0]
        _pending.clear()
        raise Interrupted(signum)


def pause_at(stage: str) -> None:
    """Test hook: with SDKGEN_TEST_PAUSE_AT=stage, say so and wait for a signal."""
    if os.environ.get(PAUSE_ENV) != stage:
        return
    print(f"sdkgen: paused at {stage}", file=sys.stderr, flush=True)
    while not _pending:  # outside deferred(), the handler raises in here instead
        time.sleep(0.01)

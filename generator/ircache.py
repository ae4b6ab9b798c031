"""Normalised specs kept between runs in the user cache, so ``sdkgen diff`` of
specs seen before skips validating and normalising them again.

An entry is keyed by the spec's sha256, the config and the generator's own code
(every module's size and mtime), and is written only after the spec validated. A
miss, an unreadable or corrupt entry, or a cache that cannot be written only
costs time: every failure here falls back silently. ``SDKGEN_NO_CACHE`` turns it
off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__


def cache_dir() -> Path | None:
    if os.environ.get("SDKGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meetingbaas-sdkgen" / "ir"


@cache
def _code_stamp() -> str:
    here = Path(__file__).resolve().parent
    stamp = hashlib.sha256(__version__.encode())
    for path in sorted(here.rglob("*.py")):
        st = path.stat()
        stamp.update(
            f"{path.relative_to(here)}:{st.st_size}:{st.st_mtime_ns};".encode()
        )
    return stamp.hexdigest()


def key(spec_sha256: str, config: Any, source: str) -> str:
    text = f"{spec_sha256}|{config!r}|{source}|{_code_stamp()}"
    return hashlib.sha256(text.encode()).hexdigest()


def get(entry: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / entry, "rb") as f:
            return pickle.load(f)
    except Exception:  # a bad entry is a miss, never an error
        return None


def put(entry: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    tmp = folder / f".{entry}.{os.getpid()}"
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(folder / entry)
    except Exception:  # a cache that cannot be written is only slower
        pass
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)

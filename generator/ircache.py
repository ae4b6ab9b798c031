"""Normalised specs kept between runs in the user cache, so ``sdkgen diff`` of
specs seen before skips validating and normalising them again.

An entry is keyed by the spec's sha256, the config and the generator's own code
(every module's size and mtime), and is written only after the spec validated. A
miss, an unreadable or corrupt entry, or a cache that cannot be written only
costs time: every failure here falls back silently. ``SDKGEN_NO_CACHE`` turns it
off.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from .usercache import cache_root, write_atomically
from .warm import code_stamp


def cache_dir() -> Path | None:
    root = cache_root()
    return None if root is None else root / "ir"


def key(spec_sha256: str, config: Any, source: str) -> str:
    text = f"{spec_sha256}|{config!r}|{source}|{code_stamp()}"
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
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a value that cannot be kept is only slower next time
        return
    write_atomically(folder / entry, data)

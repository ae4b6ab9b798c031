"""sdkgen's folder in the user cache, and writing into it.

Every cache kept there (warm records, rendered pieces, compiled templates, the
validator, normalised specs, black's output) only saves time: ``SDKGEN_NO_CACHE``
turns them all off, and a write that fails leaves things as they were.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_root() -> Path | None:
    """``$XDG_CACHE_HOME/meetingbaas-sdkgen`` (or ``~/.cache/...``); None when off."""
    if os.environ.get("SDKGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meetingbaas-sdkgen"


def write_atomically(path: Path, data: bytes) -> bool:
    """``data`` at ``path`` by rename, so a reader sees the old file or the new
    one; False (and nothing left behind) when it cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):  # a signal may land between the two
            tmp.unlink(missing_ok=True)

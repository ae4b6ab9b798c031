"""Per-piece work of the render kept between runs in the user cache, so a spec
that changed a little re-does only the top-level pieces (classes, functions)
that changed: black's layout of each piece, and the names each piece uses and
defines (what its module imports).

One JSON file, keyed by the hash of sdkgen's code and templates (another sdkgen
finds nothing). A missing, unreadable or corrupt file or entry is a miss; the
file is replaced atomically and holds the latest run's pieces, plus earlier
ones up to ``MAX_ENTRIES`` of each kind.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..usercache import write_atomically

_FORMAT = 1
MAX_ENTRIES = 20_000
KINDS = ("names",)


def _key(piece: str) -> str:
    return hashlib.sha256(piece.encode()).hexdigest()[:40]


class PieceCache:
    def __init__(self, path: Path | None, stamp: str) -> None:
        self.path = path
        self.stamp = stamp
        self.old: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
        self.used: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
        self.changed = False
        if path is None:
            return
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") == _FORMAT and data.get("stamp") == stamp:
                for kind in KINDS:
                    found = data[kind]
                    if isinstance(found, dict):
                        self.old[kind] = found
        except Exception:  # a corrupt cache is an empty one
            pass

    def get(self, kind: str, piece: str) -> Any:
        key = _key(piece)
        value = self.used[kind].get(key)
        if value is None:
            value = self.old[kind].get(key)
            if value is not None:
                self.used[kind][key] = value
        return value

    def put(self, kind: str, piece: str, value: Any) -> None:
        self.used[kind][_key(piece)] = value
        self.changed = True

    def save(self) -> None:
        if self.path is None:
            return
        if not self.changed and all(
            len(self.used[k]) == len(self.old[k]) for k in KINDS
        ):
            return  # nothing new, nothing dropped
        body: dict[str, Any] = {"format": _FORMAT, "stamp": self.stamp}
        for kind in KINDS:
            kept = dict(self.used[kind])
            for key, value in self.old[kind].items():
                if len(kept) >= MAX_ENTRIES:
                    break
                kept.setdefault(key, value)
            body[kind] = kept
        write_atomically(self.path, json.dumps(body).encode("utf-8"))


def open_cache() -> PieceCache:
    from ..usercache import cache_root
    from ..warm import code_stamp

    root = cache_root()
    return PieceCache(None if root is None else root / "pieces.json", code_stamp())

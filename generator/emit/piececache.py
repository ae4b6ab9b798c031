"""The names each top-level piece (class, function) of a generated module uses
and defines, kept between runs, so a spec that changed a little re-scans only
the pieces that changed (what a module imports is read off those names).

What it saves (CPU time, fastest of 7, a run of the bundled spec with one
field added): 0.375 s against 0.446 s without it, -16%; a cold run pays one
small write per module. One entry per module in the user cache
(``usercache.Store``), keyed by sdkgen's code stamp and the module's path,
holding its pieces of the latest run: a run reads the entries of the modules
it makes and rewrites only those whose pieces changed. A missing, unreadable
or corrupt entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeGuard

from .. import usercache

STORE = usercache.Store("pieces", 32 * usercache.MB)
Names = list[list[str]]  # [used, defined]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class PieceCache:
    def __init__(self, store: usercache.Store | None, stamp: str) -> None:
        self.store = store
        self.stamp = stamp
        self.old: dict[str, dict[str, Names]] = {}  # module -> piece -> names
        self.used: dict[str, dict[str, Names]] = {}
        self.changed: set[str] = set()

    def get(self, module: str, piece: str) -> Names | None:
        found = self._entry(module).get(_hash(piece))
        if not _is_names(found):
            return None
        self.used.setdefault(module, {})[_hash(piece)] = found
        return found

    def put(self, module: str, piece: str, names: Names) -> None:
        self.used.setdefault(module, {})[_hash(piece)] = names
        self.changed.add(module)

    def save(self) -> None:
        """Rewrite the entries of modules with new pieces or fewer pieces."""
        if self.store is None:
            return
        for module, pieces in sorted(self.used.items()):
            if module in self.changed or len(pieces) != len(self._entry(module)):
                data = json.dumps(pieces, sort_keys=True).encode("utf-8")
                self.store.put(self._key(module), data)

    def _key(self, module: str) -> str:
        return _hash(f"{self.stamp}\0{module}")

    def _entry(self, module: str) -> dict[str, Any]:
        if module not in self.old:
            self.old[module] = {}
            data = None if self.store is None else self.store.get(self._key(module))
            try:
                found = json.loads(data) if data is not None else {}
                if isinstance(found, dict):
                    self.old[module] = found
            except ValueError:  # a corrupt entry is an empty one
                pass
        return self.old[module]


def _is_names(found: object) -> TypeGuard[Names]:
    return (
        isinstance(found, list)
        and len(found) == 2
        and all(isinstance(part, list) for part in found)
        and all(isinstance(n, str) for part in found for n in part)
    )


def open_cache() -> PieceCache:
    return PieceCache(STORE, usercache.code_stamp())

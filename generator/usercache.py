"""sdkgen's folder in the user cache: every cache sdkgen keeps, and what they
share (the folder, the stamp of sdkgen's own code, one file per entry,
writing by rename, pruning by size).

Each cache (warm records, the names of rendered pieces, compiled templates,
the validator, normalised specs) is a ``Store``: a folder of its own with one
file per entry, so a run reads and writes only the entries it uses. The first
write of a run prunes the folder, oldest first, to its size budget. Every
cache only saves time: ``SDKGEN_NO_CACHE`` turns them all off, a missing or
corrupt entry is a miss, and a write that fails leaves things as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from . import __version__

# Libraries whose version can change the output or the warnings.
_LIBRARIES = ("black", "ruff", "jinja2", "openapi_pydantic", "pydantic", "yaml")
MB = 1 << 20


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


class Store:
    """One cache folder under the root: an entry per file, named by its key."""

    def __init__(self, name: str, budget: int) -> None:
        self.name = name
        self.budget = budget
        self._pruned = False

    @property
    def folder(self) -> Path | None:
        root = cache_root()
        return None if root is None else root / self.name

    def path(self, key: str) -> Path | None:
        folder = self.folder
        return None if folder is None else folder / key

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> bool:
        path = self.path(key)
        if path is None:
            return False
        self.prune()
        return write_atomically(path, data)

    def prune(self) -> None:
        """Once a run: the oldest entries go until the folder fits its budget."""
        if self._pruned or self.folder is None:
            return
        self._pruned = True
        prune(self.folder, self.budget)


def prune(folder: Path, budget: int) -> None:
    """Delete the oldest files of ``folder`` (by mtime) until the rest take at
    most ``budget`` bytes; a folder that cannot be read is left alone."""
    try:
        entries = []
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                entries.append((st.st_mtime_ns, st.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= budget:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size


@cache
def code_stamp() -> str:
    """sdkgen's own modules and templates (the checkout's, or the wheel's copy)."""
    here = Path(__file__).resolve().parent
    roots = [here, here.parent / "templates", here / "templates"]
    return tree_stamp([r for r in roots if r.is_dir()])


def tree_stamp(roots: Sequence[Path]) -> str:
    """sha256 over every file's name and contents (not mtimes) under ``roots``,
    with sdkgen's version and the libraries' install stamps."""
    stamp = hashlib.sha256(__version__.encode())
    for root in roots:
        stamp.update(f"{root}\0".encode())
        for path in sorted(_files(root)):
            stamp.update(f"{path.relative_to(root)}\0".encode())
            stamp.update(hashlib.sha256(path.read_bytes()).digest())
    for name in _LIBRARIES:
        stamp.update(library_stamp(name).encode())
    return stamp.hexdigest()


def _files(root: Path) -> Iterable[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if not name.endswith((".pyc", ".pyo")):
                yield Path(folder) / name


def library_stamp(name: str) -> str:
    """Where a library is installed and its ``__init__``'s size and mtime: an
    upgrade changes one of them, and finding it imports nothing."""
    try:
        found = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        found = None
    origin = found.origin if found is not None else None
    if not origin:
        return f"{name}:-;"
    try:
        st = os.stat(origin)
    except OSError:
        return f"{name}:{origin}:-;"
    return f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns};"

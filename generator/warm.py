"""A ``generate`` whose inputs have not changed since the last run into the same
output folder: answered from a record in the user cache, without loading the spec,
importing the pipeline or rendering anything.

The record is keyed by the command's arguments, sdkgen's version and a hash of its
own code and templates (plus where the libraries that shape the output live), and
lists every input file the last full run read, with its sha256 (or that it was
absent): the spec, each file it refers to by ``$ref``, the config and the lock
candidates. It holds the manifest's sha256 and the warnings that run gave, which
are replayed. A hit also needs the manifest to be that one and every owned file
to still hash to it. Anything else (a miss, a corrupt record, a foreign manifest,
an interrupted run's leftovers) falls back to the full run, which decides.

The record lives in the user cache, not in the manifest: ``generated/``'s
manifest is committed, and a key holding a hash of sdkgen's code would change it
with every generator commit (and would differ between checkouts).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .parse import refs
from .usercache import cache_root, write_atomically

_FORMAT = 1
# Libraries whose version can change the output or the warnings.
_LIBRARIES = ("black", "jinja2", "openapi_pydantic", "pydantic", "yaml")
_MAX_RECORDS = 256  # one per output folder; the oldest go first


def usable(
    spec: str | None, *, update_lock: bool, pause_env: str = "SDKGEN_TEST_PAUSE_AT"
) -> bool:
    """Whether a run may be answered from (or recorded in) the warm cache.
    ``--update-lock`` always runs in full (it may write the lock); a URL spec
    must be fetched anyway; the pause hook is for tests of the full run."""
    if update_lock or os.environ.get(pause_env):
        return False
    return spec is None or not spec.startswith(("http://", "https://"))


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
        stamp.update(_library(name).encode())
    return stamp.hexdigest()


def _files(root: Path) -> Iterable[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if not name.endswith((".pyc", ".pyo")):
                yield Path(folder) / name


def _library(name: str) -> str:
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


def key(spec: str | None, config: Path | None, out: Path, max_bytes: int) -> str:
    parts = [
        _FORMAT,
        code_stamp(),
        os.path.abspath(spec) if spec is not None else None,
        os.path.abspath(config) if config is not None else None,
        os.path.abspath(out),
        max_bytes,
        repr(refs.current()),  # a wider --ref-root reads other files
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _record_path(out: Path) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    name = hashlib.sha256(os.path.abspath(out).encode()).hexdigest()
    return root / "warm" / f"{name}.json"


def file_hash(path: str) -> str | None:
    """The sha256 of a regular file, or None when there is none to read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None  # a FIFO or device: never read (the full run refuses)
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def lookup(key_text: str, out: Path, *, strict: bool) -> tuple[int, list[str]] | None:
    """(files in the output, the warnings to replay) when the output is exactly
    what the last full run with these inputs wrote; None sends the run in full."""
    path = _record_path(out)
    if path is None:
        return None
    try:
        record = json.loads(path.read_bytes())
        if record.get("key") != key_text:
            return None
        warnings = [str(w) for w in record["warnings"]]
        if strict and warnings:
            return None  # the full run decides which warning is the error
        for dep, digest in record["inputs"]:
            if file_hash(dep) != digest:
                return None
        files = _owned_files_intact(out, str(record["manifest"]))
    except Exception:  # a corrupt record is a miss
        return None
    return None if files is None else (files, warnings)


def _owned_files_intact(out: Path, manifest_sha: str) -> int | None:
    from .emit.transaction import (
        JOURNAL_NAME,
        JOURNAL_TMP_NAME,
        STAGE_NAME,
        NotRegular,
    )
    from .emit.writer import MANIFEST_NAME, _current, read_manifest

    base = Path(os.path.abspath(out))
    leftovers = (JOURNAL_NAME, JOURNAL_TMP_NAME, STAGE_NAME)
    if any(os.path.lexists(base / name) for name in leftovers):
        return None  # an interrupted run: the full run completes it
    if _current(base, MANIFEST_NAME) is None:
        return None
    manifest = read_manifest(base)
    if manifest is None or file_hash(str(base / MANIFEST_NAME)) != manifest_sha:
        return None
    for rel, digest in manifest.items():
        try:
            data = _current(base, rel)
        except NotRegular:
            return None
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return None
    return len(manifest) + 1


def remember(
    key_text: str,
    out: Path,
    inputs: Mapping[str, str | None],
    warnings: Sequence[str],
) -> None:
    """Record a full run that left ``out`` up to date. ``inputs``: every file
    the run read (or looked for), with the sha256 of the bytes it read, taken
    before or while reading, so an edit during the run is a later miss. Written
    atomically; a cache that cannot be written is only slower."""
    path = _record_path(out)
    if path is None:
        return
    manifest = file_hash(os.path.join(os.path.abspath(out), ".sdkgen-manifest.json"))
    if manifest is None:
        return
    record: dict[str, Any] = {
        "key": key_text,
        "inputs": sorted([dep, digest] for dep, digest in inputs.items()),
        "manifest": manifest,
        "warnings": list(warnings),
    }
    if write_atomically(path, json.dumps(record).encode("utf-8")):
        _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the newest ``_MAX_RECORDS`` records (tests make many output folders)."""
    records = sorted(
        (entry.stat().st_mtime_ns, entry.path)
        for entry in os.scandir(folder)
        if entry.name.endswith(".json")
    )
    for _, old in records[: max(0, len(records) - _MAX_RECORDS)]:
        with contextlib.suppress(OSError):
            os.unlink(old)

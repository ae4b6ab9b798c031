"""Write rendered files into ``--out`` safely, or compare them (``--check``).

``write_tree`` is the one entry point. Ownership: ``.sdkgen-manifest.json`` in the
output folder lists every file the generator wrote, with its sha256; only those
are ever overwritten or deleted. A non-empty folder without a manifest is refused
(``force`` writes beside what is there); a file in the way that is not owned is
never touched, even with ``force``; an owned file edited since it was written is
reported (overwritten only with ``force``). Nothing is written through a symlink.
How the new files are put in place atomically is ``transaction.py``'s job.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import SpecError
from . import transaction
from .transaction import JOURNAL_NAME, STAGE_NAME

MANIFEST_NAME = ".sdkgen-manifest.json"
_RESERVED = {MANIFEST_NAME, STAGE_NAME, JOURNAL_NAME, transaction.JOURNAL_TMP_NAME}
_MANIFEST_FORMAT = 1
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


@dataclass
class Plan:
    changed: list[str]  # new or different (the manifest included)
    stale: list[str]  # owned, not generated any more
    unchanged: int
    edited: list[str] = field(default_factory=list)  # owned, changed since written
    foreign: list[str] = field(default_factory=list)  # in the way, not owned
    blocked: list[str] = field(default_factory=list)  # symlinks or folders in the way

    @property
    def up_to_date(self) -> bool:
        return not (self.changed or self.stale or self.edited or self.blocked)


def write_tree(
    out_dir: Path,
    files: Mapping[str, str],
    *,
    force: bool = False,
    check: bool = False,
) -> Plan:
    """Make ``out_dir`` hold exactly ``files`` (relative POSIX paths -> text).

    ``check`` writes nothing and returns what differs. Otherwise refusals raise
    SpecError (one line naming the folder); a run interrupted before (even by
    SIGKILL) is completed first.
    """
    out = Path(os.path.abspath(out_dir))
    wanted = _with_manifest(files)
    if check:
        return plan_tree(out, wanted, force=True, check=True)
    _ensure_folder(out)
    try:
        with _only_run(out):
            transaction.recover(out)
            result = plan_tree(out, wanted, force=force, check=False)
            if result.changed or result.stale:
                writes = {rel: wanted[rel] for rel in result.changed}
                transaction.commit(out, writes, result.stale, last=MANIFEST_NAME)
    except OSError as exc:
        raise SpecError(f"cannot write the output: {exc}", str(out)) from None
    return result


@contextmanager
def _only_run(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder itself while writing: a second run
    on the same folder would otherwise take the first one's live stage for the
    leftovers of a killed run. Where there is no flock (Windows), no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SpecError(
                "another sdkgen run is writing this folder; run again when it ends",
                str(out),
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def plan(files: Mapping[str, str], out: Path) -> Plan:
    """What ``write_tree(out, files, check=True)`` reports."""
    return write_tree(out, files, check=True)


def write(files: Mapping[str, str], out: Path, *, force: bool = False) -> Plan:
    return write_tree(out, files, force=force)


def manifest_text(files: Mapping[str, bytes]) -> str:
    hashes = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    body = {"format": _MANIFEST_FORMAT, "generator": "meetingbaas-sdkgen"}
    return json.dumps({**body, "files": dict(sorted(hashes.items()))}, indent=2) + "\n"


def _with_manifest(files: Mapping[str, str]) -> dict[str, bytes]:
    wanted = {}
    for rel, text in files.items():
        safe = safe_relative(rel)
        if safe.parts[0] in _RESERVED:
            raise SpecError(f"{rel!r} is a name sdkgen keeps for itself", rel)
        wanted[safe.as_posix()] = text.encode("utf-8")
    wanted[MANIFEST_NAME] = manifest_text(wanted).encode("utf-8")
    return wanted


def safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or "\\" in path:
        raise SpecError(f"refusing to write outside the output folder: {path!r}", path)
    return rel


def _ensure_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SpecError("the output path is not a folder", str(out)) from None
    except OSError as exc:
        raise SpecError(
            f"cannot create the output folder: {exc.strerror or exc}", str(out)
        ) from None


def read_manifest(out: Path) -> dict[str, str] | None:
    """The owned files (relative path -> sha256), or None when there is no manifest."""
    path = out / MANIFEST_NAME
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SpecError(
            f"cannot read the manifest: {exc.strerror or exc}", str(path)
        ) from None
    try:
        doc: Any = json.loads(data)
        owned = doc["files"]
        assert isinstance(owned, dict)
        for rel, digest in owned.items():
            assert isinstance(rel, str) and isinstance(digest, str)
            assert safe_relative(rel).parts[0] not in _RESERVED
    except (ValueError, KeyError, TypeError, AssertionError, SpecError):
        raise SpecError(
            "not a valid sdkgen manifest (delete it only if you know what it owned)",
            str(path),
        ) from None
    return {safe_relative(rel).as_posix(): digest for rel, digest in owned.items()}


def read_regular(path: Path) -> bytes:
    """A regular file's bytes, never following a symlink (OSError otherwise)."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise IsADirectoryError(f"{path} is not a regular file")
        return fh.read()


def current_bytes(out: Path, rel: str) -> bytes | None:
    """The bytes at ``out/rel``, None if absent; a symlink or folder in the way
    raises ``transaction.NotRegular``."""
    return read_regular(out / rel) if transaction.regular_inside(out, rel) else None


def plan_tree(
    out: Path, wanted: Mapping[str, bytes], *, force: bool, check: bool
) -> Plan:
    owned = read_manifest(out) if out.is_dir() else None
    if owned is None and not check and not force and _non_empty(out):
        raise SpecError(
            f"not empty and has no {MANIFEST_NAME}, so sdkgen owns nothing here; "
            "use an empty folder, or pass --force to add the SDK beside your files "
            "(files sdkgen does not own are never touched)",
            str(out),
        )
    owned = owned or {}
    plan = Plan([], [], 0)
    for rel, data in sorted(wanted.items()):
        _plan_wanted(plan, out, rel, data, owned, check)
    for rel in sorted(set(owned) - set(wanted)):
        _plan_stale(plan, out, rel, owned[rel])
    plan.edited.sort()
    plan.blocked = sorted(set(plan.blocked))
    if not check:
        _refuse(out, plan, force=force)
    return plan


def _plan_wanted(
    plan: Plan, out: Path, rel: str, data: bytes, owned: dict[str, str], check: bool
) -> None:
    """Where one wanted file stands: unchanged, changed, edited or foreign."""
    found, current = _read(out, rel, plan.blocked)
    if not found:
        return
    if current == data:
        plan.unchanged += 1
        # Harmless to a write (nothing would be lost), but --check tells.
        if check and rel in owned and _sha(current) != owned[rel]:
            plan.edited.append(rel)
        return
    plan.changed.append(rel)
    if current is None or rel == MANIFEST_NAME:
        return
    if rel not in owned:
        plan.foreign.append(rel)
    elif _sha(current) != owned[rel]:
        plan.edited.append(rel)


def _plan_stale(plan: Plan, out: Path, rel: str, sha: str) -> None:
    """An owned file no longer wanted: stale, and edited when its bytes are
    not those sdkgen wrote (``sha``)."""
    found, current = _read(out, rel, plan.blocked)
    if found and current is not None:  # None: already gone
        plan.stale.append(rel)
        if _sha(current) != sha:
            plan.edited.append(rel)


def _read(out: Path, rel: str, blocked: list[str]) -> tuple[bool, bytes | None]:
    """(False, None) when something is in the way (noted in ``blocked``), else
    (True, the bytes there or None); an unreadable file reads as b"" (it differs)."""
    try:
        return True, current_bytes(out, rel)
    except transaction.NotRegular as exc:
        blocked.append(_relative(out, exc.path))
        return False, None
    except OSError:
        return True, b""


def _refuse(out: Path, result: Plan, *, force: bool) -> None:
    if result.blocked:
        raise SpecError(
            f"{_some(result.blocked)} in the way: a symlink or a folder where sdkgen "
            "writes a file, or a file where it needs a folder (it never writes "
            "through a symlink); move it away",
            str(out),
        )
    if result.foreign:
        raise SpecError(
            f"{_some(result.foreign)} in the way and not owned by sdkgen (not in "
            f"{MANIFEST_NAME}); move it away, sdkgen never overwrites it",
            str(out),
        )
    if result.edited and not force:
        raise SpecError(
            f"{_some(result.edited)} edited since sdkgen wrote it; "
            "pass --force to overwrite, or keep your changes elsewhere first",
            str(out),
        )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _some(rels: list[str]) -> str:
    shown = ", ".join(rels[:5]) + (
        f" and {len(rels) - 5} more" if len(rels) > 5 else ""
    )
    return f"{len(rels)} file{'s' if len(rels) != 1 else ''} ({shown})"


def _relative(out: Path, path: Path) -> str:
    return path.relative_to(out).as_posix()


def _non_empty(out: Path) -> bool:
    try:
        with os.scandir(out) as entries:
            return any(True for _ in entries)
    except OSError:
        return False

"""Put new files in place so the folder holds the old tree or the new one, never a mix.

1. Stage every new file under ``<out>/.sdkgen-stage/`` (a fresh folder: nothing in
   it can be a planted symlink). A signal here removes the stage: the old tree.
2. Write the journal ``<out>/.sdkgen-journal.json`` (atomically, by rename): from
   this point the run is decided.
3. Rename staged files over their targets (the manifest last), delete stale ones,
   remove the journal and the stage. Signals wait until this is done: the new tree.
   Were the process killed outright, the next run finds the journal and completes
   it before doing anything else (``recover``).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import NoReturn

from ..errors import SpecError
from ..interrupts import checkpoint, deferred, pause_at

STAGE_NAME = ".sdkgen-stage"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; elsewhere lstat checks stand alone
JOURNAL_NAME = ".sdkgen-journal.json"
JOURNAL_TMP_NAME = ".sdkgen-journal.json.tmp"


def commit(
    out: Path, writes: Mapping[str, bytes], deletes: list[str], *, last: str
) -> None:
    """Replace ``writes`` and delete ``deletes`` under ``out``, all or nothing."""
    order = sorted(writes, key=lambda rel: (rel == last, rel))
    stage = out / STAGE_NAME
    with deferred():
        _remove(stage)
        try:
            stage.mkdir()
            for i, rel in enumerate(order):
                _write_new(stage / rel, writes[rel])
                if i == len(order) // 2:
                    pause_at("staging")
                checkpoint()
            pause_at("staged")
            checkpoint()
            _write_journal(out, order, deletes)
        except BaseException:
            _remove(out / JOURNAL_TMP_NAME)
            _remove(stage)
            raise
        # Decided: from here on a signal only waits for the end.
        pause_at("journal")
        _roll_forward(out, order, deletes)


def recover(out: Path) -> bool:
    """Complete a run that was stopped after it was decided; drop one stopped before.

    True when an interrupted run was completed.
    """
    with deferred():
        _remove(out / JOURNAL_TMP_NAME)
        journal = out / JOURNAL_NAME
        try:
            raw = journal.read_bytes() if not journal.is_symlink() else b""
        except FileNotFoundError:
            _remove(out / STAGE_NAME)
            return False
        except OSError as exc:
            raise SpecError(
                f"cannot read: {exc.strerror or exc}", str(journal)
            ) from None
        try:
            doc = json.loads(raw)
            writes = [_checked(rel) for rel in doc["write"]]
            deletes = [_checked(rel) for rel in doc["delete"]]
        except (ValueError, KeyError, TypeError, SpecError):
            raise SpecError(
                "not a valid sdkgen journal (a run was interrupted; remove it and "
                f"{STAGE_NAME} to give that run up)",
                str(journal),
            ) from None
        _trust(out, journal, writes, deletes)
        _roll_forward(out, writes, deletes)
        return True


def _trust(out: Path, journal: Path, writes: list[str], deletes: list[str]) -> None:
    """A journal is acted on only when every path it names that is still to be
    moved or deleted is a regular file inside the folder, reached through no
    symlink, and every file it would replace or delete is one the manifest
    owns: a planted journal can then do nothing a real run would not."""
    from .writer import MANIFEST_NAME, read_manifest  # the writer imports this

    owned = set(read_manifest(out) or ()) | {MANIFEST_NAME}
    stage = out / STAGE_NAME
    if os.path.lexists(stage) and not _is_dir(stage):  # a symlink or a file
        _distrust(journal, STAGE_NAME)

    def found(base: Path, rel: str) -> bool:
        try:
            return regular_inside(base, rel)
        except NotRegular:
            _distrust(journal, rel)

    staged = [rel for rel in writes if found(stage, rel)]  # others: moved already
    for rel in staged + deletes:
        if found(out, rel) and rel not in owned:
            _distrust(journal, rel)


class NotRegular(Exception):
    """``path`` is a symlink, or not a folder where one leads on, or not a
    regular file at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path


def regular_inside(base: Path, rel: str) -> bool:
    """Whether ``base/rel`` exists (False: absent) as a regular file reached
    through real folders only; anything else in the way raises NotRegular."""
    node = base
    parts = PurePosixPath(rel).parts
    for i, part in enumerate(parts):
        node = node / part
        try:
            mode = os.lstat(node).st_mode
        except FileNotFoundError:
            return False
        last = i == len(parts) - 1
        if not (stat.S_ISREG(mode) if last else stat.S_ISDIR(mode)):
            raise NotRegular(node)  # S_ISREG and S_ISDIR are False for a symlink
    return True


def _distrust(journal: Path, rel: str) -> NoReturn:
    raise SpecError(
        f"lists {rel!r}, which is not a regular file sdkgen owns in this folder: "
        f"not trusted (remove it and {STAGE_NAME} to give that run up)",
        str(journal),
    )


def _checked(rel: object) -> str:
    if not isinstance(rel, str):
        raise TypeError(rel)
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise SpecError("path leaves the folder", rel)
    return path.as_posix()


def _write_journal(out: Path, order: list[str], deletes: list[str]) -> None:
    tmp = out / JOURNAL_TMP_NAME
    _remove(tmp)
    _write_new(tmp, json.dumps({"write": order, "delete": deletes}).encode("utf-8"))
    os.replace(tmp, out / JOURNAL_NAME)


def _roll_forward(out: Path, writes: list[str], deletes: list[str]) -> None:
    """Move the staged files in and delete the stale ones, the last write (the
    manifest) last of all: while a delete is pending, the manifest on disk is
    still the one that owns it (``recover`` checks that)."""
    stage = out / STAGE_NAME
    _move_in(out, stage, writes[:-1], pause=True)
    for rel in deletes:
        target = out / rel
        if _is_regular(target) or os.path.islink(target):
            os.unlink(target)
            _prune_empty_parents(out, target.parent)
    _move_in(out, stage, writes[-1:], pause=len(writes) == 1)
    pause_at("committed")
    _remove(out / JOURNAL_NAME)
    _remove(stage)


def _move_in(out: Path, stage: Path, rels: list[str], *, pause: bool) -> None:
    """Rename staged files over their targets (``pause``: the test hook
    ``committing`` after the first)."""
    for i, rel in enumerate(rels):
        staged = stage / rel
        if not _is_regular(staged):
            continue  # moved already, by the run this one completes
        target = out / rel
        _make_parents(out, PurePosixPath(rel))
        if _is_dir(target):
            raise SpecError(
                "a folder appeared where a staged file goes; move it away and rerun",
                str(target),
            )
        os.replace(staged, target)  # replaces a symlink itself, never its target
        if pause and i == 0:
            pause_at("committing")


def _write_new(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _make_parents(out: Path, rel: PurePosixPath) -> None:
    """Create the folders of ``rel`` under ``out``; a symlink among them is refused."""
    node = out
    for part in rel.parts[:-1]:
        node = node / part
        try:
            mode = os.lstat(node).st_mode
        except FileNotFoundError:
            node.mkdir()
            continue
        if not stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
            raise SpecError(
                "not a folder (a symlink or a file); sdkgen never writes through "
                "one: move it away and rerun",
                str(node),
            )


def _prune_empty_parents(out: Path, folder: Path) -> None:
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or not ours to judge): stop
        folder = folder.parent


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _remove(path: Path) -> None:
    """Remove a file, a symlink (not what it points to) or a folder we staged."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)  # does not follow symlinks inside
    else:
        os.unlink(path)

"""Which files a spec's ``$ref``s may read, and how a ``$ref`` is shown in a message.

A spec is untrusted input (``sdkgen diff`` runs in CI on a pull request's spec
and posts what it read), so a ``$ref`` to another file is followed only when the
file lies inside the spec's own folder tree, or a folder given with
``--ref-root``; symlinks are resolved before that check, so none leads out.
An absolute path is refused unless ``--allow-absolute-refs`` is given (and even
then it must lie inside an allowed folder). URLs are never fetched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ..errors import SpecError


@dataclass(frozen=True)
class RefPolicy:
    # Folders (real paths) whose files refs may read besides the spec's own tree.
    roots: tuple[str, ...] = ()
    absolute: bool = False  # absolute-path refs allowed (still inside a root)


_policy: ContextVar[RefPolicy] = ContextVar("ref_policy", default=RefPolicy())


def policy(roots: list[str] | None = None, absolute: bool = False) -> RefPolicy:
    return RefPolicy(tuple(os.path.realpath(r) for r in roots or ()), absolute)


def current() -> RefPolicy:
    return _policy.get()


@contextmanager
def allowing(chosen: RefPolicy) -> Iterator[None]:
    """Refs follow ``chosen`` while the block runs (the command line's flags)."""
    token = _policy.set(chosen)
    try:
        yield
    finally:
        _policy.reset(token)


def target_file(path: str, referrer: str, spec: str, where: str) -> str:
    """The file a ``$ref``'s path part names (relative to ``referrer``), or a
    SpecError at ``where`` when the policy refuses it. ``spec`` is the top-level
    spec file: its folder tree is always allowed."""
    chosen = current()
    if os.path.isabs(path) and not chosen.absolute:
        raise SpecError(
            "$ref to an absolute path refused (--allow-absolute-refs allows it)",
            where,
        )
    target = os.path.normpath(os.path.join(os.path.dirname(referrer), path))
    real = os.path.realpath(target)  # symlinks resolved: none leads out unseen
    roots = (os.path.realpath(os.path.dirname(spec)), *chosen.roots)
    if not any(_inside(real, root) for root in roots):
        raise SpecError(
            "$ref leads outside the spec's folder (--ref-root DIR allows another "
            "folder)",
            where,
        )
    return target


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


# A pointer, or a path or plain URL (no query, no user) of a JSON/YAML file with
# an optional pointer: what a reference looks like. Anything else could be a
# token pasted by mistake.
_REF_LIKE = re.compile(
    r"#(/[^\s?&=]*)?"
    r"|(https?://[A-Za-z0-9.\-]+(:[0-9]+)?/)?[A-Za-z0-9_.\-/]{1,200}"
    r"\.(?:ya?ml|json)(#(/[^\s?&=]*)?)?"
)


def shown(ref: str) -> str:
    """``ref`` as a message shows it: quoted when it looks like a reference, else
    withheld (a message never echoes what could be a secret; the message's
    pointer says where the value is)."""
    if len(ref) <= 300 and _REF_LIKE.fullmatch(ref):
        return repr(ref)
    return "(value not shown)"

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ..errors import SpecError


@dataclass(frozen=True)
class RefPolicy:
    # Folders (real paths) whose files refs may read besides the spec's own tree.
    roots: tuple[str, ...] = ()
    absolute: bool = False  # absolute-path refs allowed (still inside a root)


_DEFAULT = RefPolicy()
_policy: ContextVar[RefPolicy] = ContextVar("ref_policy", default=_DEFAULT)


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


# Real specs chain a few refs at most (tests follow 200); a hostile one chains
# thousands, which the walks after this (some recursive) follow again and again.
MAX_REF_CHAIN = 256


# Each ref with the depth of its deepest use and that place, which ``name``
# turns into a pointer (only for an error: building them all costs time).
Uses = list[tuple[str, int, Any]]


def check_chains(doc: Any, refs: Uses, name: Callable[[Any], str]) -> None:
    """Refuse a chain of more than MAX_REF_CHAIN local ``$ref``s, naming it.
    Each ref's chain is measured once."""
    from .loader import lookup_pointer, pointer_tokens  # the loader imports this

    def next_ref(ref: str) -> str | None:
        if not ref.startswith("#"):
            return None
        found, node = lookup_pointer(doc, pointer_tokens(ref[1:]))
        nxt = node.get("$ref") if found and isinstance(node, dict) else None
        return nxt if isinstance(nxt, str) else None

    lengths: dict[str, int] = {}  # ref -> how many refs its chain has
    for ref, _, place in refs:
        if _chain_length(ref, next_ref, lengths) > MAX_REF_CHAIN:
            first = [ref]
            while len(first) < 3 and (nxt := next_ref(first[-1])) is not None:
                first.append(nxt)
            names = " -> ".join(shown(r) for r in first)
            raise SpecError(
                f"$ref chain of more than {MAX_REF_CHAIN} refs: {names} -> ...",
                name(place),
            )


def _chain_length(
    ref: str, next_ref: Callable[[str], str | None], lengths: dict[str, int]
) -> int:
    """How many refs the chain from ``ref`` has (past MAX_REF_CHAIN: more than
    that), remembered in ``lengths`` for every ref of the chain."""
    chain, total = [ref], 0
    while chain[-1] not in lengths:
        nxt = next_ref(chain[-1])
        if nxt is None or nxt in chain:  # its end, or a cycle (reported elsewhere)
            break
        chain.append(nxt)
        if len(chain) > MAX_REF_CHAIN:
            break
    else:
        total = lengths[chain.pop()]
    for r in reversed(chain):
        total += 1
        lengths[r] = total
    return total


def check_nesting(doc: Any, refs: Uses, limit: int, name: Callable[[Any], str]) -> None:
    """Refuse nesting deeper than ``limit`` levels counted through local
    ``$ref``s (a ref back to one being walked ends that path, as it ends the
    normaliser's: a recursive type), naming the chain of refs. Iterative, and
    each ref's target is walked once."""
    from .loader import lookup_pointer, pointer_tokens

    inside: dict[str, tuple[int, list[tuple[int, str]]]] = {}

    def children(ref: str) -> list[tuple[int, str]]:
        if ref not in inside:
            found, node = (
                lookup_pointer(doc, pointer_tokens(ref[1:]))
                if ref.startswith("#")
                else (False, None)
            )
            inside[ref] = _refs_below(node) if found else (0, [])
        return inside[ref][1]

    depth: dict[str, int] = {}
    for start, used_at, place in refs:
        path, iters = [start], [iter(children(start))]
        while path:
            step = next(iters[-1], None)
            if step is None:
                ref = path.pop()
                iters.pop()
                depth[ref] = max(
                    [inside[ref][0]] + [d + depth.get(c, 0) for d, c in inside[ref][1]]
                )
            elif step[1] not in depth and step[1] not in path:
                path.append(step[1])
                iters.append(iter(children(step[1])))
        if used_at + depth[start] > limit:
            raise SpecError(
                f"nested more than {limit} levels deep through $refs: "
                f"{_deepest(start, inside, depth)}",
                name(place),
            )


def _refs_below(node: Any) -> tuple[int, list[tuple[int, str]]]:
    """How deep ``node`` nests by itself, and each ``$ref`` in it with its depth."""
    deepest, found = 0, []
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        current, level = stack.pop()
        if level > deepest:
            deepest = level
        if type(current) is dict:
            ref = current.get("$ref")
            if type(ref) is str and ref.startswith("#"):
                found.append((level, ref))
            values: Any = current.values()
        else:
            values = current
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append((value, level + 1))
    return deepest, found


def _deepest(
    start: str,
    inside: dict[str, tuple[int, list[tuple[int, str]]]],
    depth: dict[str, int],
) -> str:
    """The refs on ``start``'s deepest path, the first few of them."""
    chain = [start]
    while len(chain) < 4:
        kids = [(d + depth.get(c, 0), c) for d, c in inside[chain[-1]][1]]
        kids = [k for k in kids if k[1] not in chain]
        if not kids:
            return " -> ".join(shown(r) for r in chain)
        chain.append(max(kids)[1])
    return " -> ".join(shown(r) for r in chain) + " -> ..."

"""Values a spec may hold that Python code cannot: taken out before anything reads them.

JSON's ``NaN``/``Infinity`` and YAML's ``.nan``/``.inf`` (or ``1e400``) have no
literal in Python, and a lone surrogate (``"\\ud800"``) cannot be written to a
UTF-8 file. Each is warned about with its pointer and dropped: a non-finite
number with its entry, a lone surrogate from its text. The same walk bounds
``$ref`` chains (``refs.check_chains``), so a hostile document costs one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .loader import MAX_DEPTH, chain_pointer
from .refs import check_chains, check_nesting

_SURROGATE = re.compile("[\ud800-\udfff]")

# (parent chain, key): the pointer text is built only for a warning.
Chain = tuple[Any, str | int] | None


def scrub(doc: dict[str, Any], warn: Callable[[str, str], None]) -> None:
    """Drop from ``doc`` (in place) what Python cannot hold, calling ``warn``
    (pointer, message) for each; then bound its ``$ref`` chains and nesting."""
    used: dict[str, tuple[int, Chain]] = {}  # ref -> its deepest use
    stack: list[tuple[Any, Chain, int]] = [(doc, None, 0)]
    seen: set[int] = set()
    while stack:
        node, chain, depth = stack.pop()
        if id(node) in seen:  # shared by YAML aliases: scrubbed once
            continue
        seen.add(id(node))
        fixes = _walk_children(node, chain, depth, stack, warn)
        if isinstance(node, dict):
            _scrub_dict(node, chain, depth, fixes, used, warn)
        elif fixes:
            _apply_list(node, fixes)
    refs = [(ref, depth, chain) for ref, (depth, chain) in used.items()]
    check_chains(doc, refs, _ref_pointer)
    check_nesting(doc, refs, MAX_DEPTH, _ref_pointer)


def _walk_children(
    node: Any,
    chain: Chain,
    depth: int,
    stack: list[tuple[Any, Chain, int]],
    warn: Callable[[str, str], None],
) -> list[tuple[Any, Any]]:
    """Push a node's collections on ``stack``; the (key, repaired value) of
    each of its values Python cannot hold."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    fixes: list[tuple[Any, Any]] = []
    for key, value in items:
        kind = type(value)
        if kind is dict or kind is list:
            stack.append((value, (chain, key), depth + 1))
        elif _unholdable(value, kind):
            fixes.append((key, _fixed(value, (chain, key), warn)))
    return fixes


def _unholdable(value: Any, kind: type) -> bool:
    """A number Python has no literal for (inf, nan), or a text with a lone
    surrogate (not a character)."""
    return (kind is float and not math.isfinite(value)) or (
        kind is str and not value.isascii() and _SURROGATE.search(value) is not None
    )


def _scrub_dict(
    node: dict[Any, Any],
    chain: Chain,
    depth: int,
    fixes: list[tuple[Any, Any]],
    used: dict[str, tuple[int, Chain]],
    warn: Callable[[str, str], None],
) -> None:
    """Record a mapping's ``$ref`` (at its deepest use), repair its values and
    its keys."""
    ref = node.get("$ref")
    if isinstance(ref, str) and used.get(ref, (-1, None))[0] < depth:
        used[ref] = (depth, chain)
    if fixes:
        _apply_dict(node, fixes)
    if not all(type(k) is str and k.isascii() for k in node):
        _scrub_keys(node, chain, warn)


def _ref_pointer(chain: Any) -> str:
    return _pointer((chain, "$ref"))


def _apply_dict(node: dict[Any, Any], fixes: list[tuple[Any, Any]]) -> None:
    for key, fixed in fixes:
        if fixed is _DROP:
            del node[key]
        else:
            node[key] = fixed


def _apply_list(node: list[Any], fixes: list[tuple[Any, Any]]) -> None:
    for index, fixed in reversed(fixes):  # from the end: indices stay right
        if fixed is _DROP:
            del node[index]
        else:
            node[index] = fixed


_DROP = object()


def _fixed(value: Any, chain: Chain, warn: Callable[[str, str], None]) -> Any:
    """The repaired copy of a value Python cannot hold, or ``_DROP``."""
    if isinstance(value, float):
        warn(_pointer(chain), f"{value} has no Python literal: dropped")
        return _DROP
    warn(_pointer(chain), "lone surrogate (not a character) dropped from the text")
    return _SURROGATE.sub("", value)


def _scrub_keys(
    node: dict[Any, Any], chain: Chain, warn: Callable[[str, str], None]
) -> None:
    bad = [k for k in node if _bad_key(k)]
    for key in bad:
        value = node.pop(key)
        where = _pointer(chain)
        fixed = _SURROGATE.sub("", key) if isinstance(key, str) else None
        if fixed is None or fixed in node:
            warn(
                where,
                "a key Python cannot hold dropped (non-finite or a lone surrogate)",
            )
            continue
        warn(where, f"lone surrogate dropped from the key {fixed!r}")
        node[fixed] = value


def _bad_key(key: Any) -> bool:
    """A non-finite number or a text with a lone surrogate, as a key."""
    return (isinstance(key, float) and not math.isfinite(key)) or (
        isinstance(key, str) and _SURROGATE.search(key) is not None
    )


def _pointer(chain: Chain) -> str:
    # A key's lone surrogate is dropped before anyone reads it, but not from
    # the pointer that names where it was: shown as "?" there.
    return _SURROGATE.sub("?", chain_pointer(chain))

"""Where each operation goes in the SDK (``client.calendars.events.list``), as
words: its resource chain and its method.

Resource layout rules (overridable per operationId in ``spec/sdkgen.toml``):
- A static path segment is a *collection* when a ``{param}`` follows it somewhere, or
  it is the top segment, or its path has several operations or a GET returning a list.
  Other trailing segments are *actions* (``/bots/{bot_id}/leave`` -> ``bots.leave``).
- A collection right after another static segment qualifies it:
  ``/bots/scheduled`` -> ``scheduled_bots``.
- CRUD verbs give the method: collection GET ``list``, POST ``create``; item GET
  ``retrieve``, PATCH/PUT ``update``, DELETE ``delete``. Actions are named from the
  operationId without the resource's nouns (``batchCreateBots`` -> ``batch_create``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from .. import ir
from ..naming import action_name, snake

_VERSION_SEGMENT = re.compile(r"^(v\d+(\.\d+)*|\d{4}-\d{2}-\d{2})$")
_EXTENSION = re.compile(r"\.(json|xml|yaml|yml|csv|txt)$", re.I)

Place = tuple[tuple[str, ...], str]  # (resource chain, method)


class Placed(Protocol):
    """What placing an operation reads of it."""

    @property
    def operation_id(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def tag(self) -> str: ...
    @property
    def response(self) -> ir.SuccessResponse | None: ...


def place_operations(
    parsed: Sequence[Placed], overrides: Mapping[str, str]
) -> list[Place]:
    """Where each operation goes, as words: its resource chain and its method.
    Spelling them and resolving clashes is the naming pass's job (``finalnames``)."""
    collections = _collections(parsed)
    out: list[Place] = []
    for p in parsed:
        if p.operation_id in overrides:
            *chain_parts, method_name = overrides[p.operation_id].split(".")
            out.append((tuple(chain_parts), method_name))
        else:
            out.append(_place(p, collections))
    return out


def _segments(path: str) -> list[str]:
    """The path's segments that name things: no version (``v2``, a date like
    ``2010-04-01``) and no file extension (``Messages.json`` -> ``Messages``)."""
    parts = [_EXTENSION.sub("", p) for p in path.split("/") if p]
    return [p for p in parts if p and not _VERSION_SEGMENT.match(p)]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _collections(parsed: Sequence[Placed]) -> set[tuple[str, ...]]:
    """Static path prefixes (params dropped) that name a collection."""
    ops_per_path: dict[str, list[Placed]] = {}
    for p in parsed:
        ops_per_path.setdefault(p.path, []).append(p)
    found: set[tuple[str, ...]] = set()
    for path, ops in ops_per_path.items():
        found.update(_path_collections(_segments(path), ops))
    return found


def _path_collections(segs: list[str], ops: list[Placed]) -> Iterator[tuple[str, ...]]:
    """The collections one path names (``ops``: its operations)."""
    several = len(ops) > 1 or any(_lists(o) for o in ops)
    statics: list[str] = []
    for i, seg in enumerate(segs):
        if _is_param(seg):
            continue
        statics.append(seg)
        followed_by_param = i + 1 < len(segs) and _is_param(segs[i + 1])
        last = i == len(segs) - 1
        if followed_by_param or len(statics) == 1 or (last and several):
            yield tuple(statics)


def _lists(o: Placed) -> bool:
    """A GET returning a list."""
    return (
        o.method == "get"
        and o.response is not None
        and isinstance(o.response.type, ir.ListType)
    )


def _place(p: Placed, collections: set[tuple[str, ...]]) -> Place:
    segs = _segments(p.path)
    chain, action = _chain(segs, collections)
    if not chain:
        # "/" or a version-only path: the operation sits on the tag's resource
        # (or "api"), named after its operationId.
        return (snake(p.tag) or "api",), snake(p.operation_id) or p.method
    resource = tuple(chain)
    on_item = bool(segs) and _is_param(segs[-1])
    return resource, _method_name(p, resource, action, on_item)


def _chain(
    segs: list[str], collections: set[tuple[str, ...]]
) -> tuple[list[str], str | None]:
    """The resource chain a path's static segments name, and its action (a
    static segment that is no collection), if any."""
    chain: list[str] = []
    statics: list[str] = []
    action: str | None = None
    prev_static = False
    for seg in segs:
        if _is_param(seg):
            prev_static = False
            continue
        statics.append(seg)
        if tuple(statics) in collections or not chain:
            name = snake(seg)
            if prev_static and chain:
                chain[-1] = f"{name}_{chain[-1]}"  # /bots/scheduled -> scheduled_bots
            else:
                chain.append(name)
        else:
            action = seg
        prev_static = True
    return chain, action


_VERBS = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}


def _method_name(
    p: Placed, resource: tuple[str, ...], action: str | None, on_item: bool
) -> str:
    if action is not None:
        return action_name(p.operation_id, resource) or snake(action)
    if p.method == "post" and on_item:
        return action_name(p.operation_id, resource) or "update"
    if p.method == "get":
        return "retrieve" if on_item else "list"
    return _VERBS.get(p.method, p.method)

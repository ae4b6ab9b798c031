"""Which new operation each old one became: same method and path (path parameter
names ignored), else the same operationId with a new method or path."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import ir

_PARAM = re.compile(r"{[^}]*}")


@dataclass(frozen=True)
class OperationMatch:
    pairs: tuple[tuple[ir.Operation, ir.Operation], ...]
    removed: tuple[ir.Operation, ...]
    added: tuple[ir.Operation, ...]


def _key(op: ir.Operation) -> tuple[str, str]:
    return op.http_method, _PARAM.sub("{}", op.path)


def _order(op: ir.Operation) -> tuple[str, str]:
    return op.path, op.http_method


def match_operations(old: ir.Api, new: ir.Api) -> OperationMatch:
    taken: set[int] = set()  # ids of the new operations paired
    pairs, unmatched_old = _pair_by(old.operations, new.operations, _key, taken)
    by_id, removed = _pair_by(unmatched_old, new.operations, _operation_id, taken)
    added = [op for op in new.operations if id(op) not in taken]
    return OperationMatch(
        pairs=tuple(sorted(pairs + by_id, key=lambda p: _order(p[1]))),
        removed=tuple(sorted(removed, key=_order)),
        added=tuple(sorted(added, key=_order)),
    )


def _operation_id(op: ir.Operation) -> Any:
    return op.operation_id


def _pair_by(
    old: Sequence[ir.Operation],
    new: Sequence[ir.Operation],
    key: Callable[[ir.Operation], Any],
    taken: set[int],
) -> tuple[list[tuple[ir.Operation, ir.Operation]], list[ir.Operation]]:
    """(old, new) pairs of operations with one ``key`` (each new one paired
    once, its id added to ``taken``), and the old ones left unpaired."""
    new_by_key: dict[Any, ir.Operation] = {}
    for op in new:
        if id(op) not in taken:
            new_by_key[key(op)] = op
    pairs: list[tuple[ir.Operation, ir.Operation]] = []
    unpaired: list[ir.Operation] = []
    for op in old:
        found = new_by_key.pop(key(op), None)
        if found is not None:
            pairs.append((op, found))
            taken.add(id(found))
        else:
            unpaired.append(op)
    return pairs, unpaired


def params_by_key(params: tuple[ir.Param, ...]) -> dict[str, ir.Param]:
    """Parameters by wire name; by location and wire name for a name one operation
    uses in two places (``id`` in the path and the query)."""
    count = Counter(p.wire_name for p in params)
    return {
        (p.wire_name if count[p.wire_name] == 1 else f"{p.location} {p.wire_name}"): p
        for p in params
    }

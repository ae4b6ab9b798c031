"""Which new operation each old one became: same method and path (path parameter
names ignored), else the same operationId with a new method or path."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

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
    new_by_key = {_key(op): op for op in new.operations}
    pairs: list[tuple[ir.Operation, ir.Operation]] = []
    unmatched_old: list[ir.Operation] = []
    taken: set[int] = set()
    for op in old.operations:
        found = new_by_key.get(_key(op))
        if found is not None and id(found) not in taken:
            pairs.append((op, found))
            taken.add(id(found))
        else:
            unmatched_old.append(op)
    new_by_id = {op.operation_id: op for op in new.operations if id(op) not in taken}
    removed: list[ir.Operation] = []
    for op in unmatched_old:
        found = new_by_id.pop(op.operation_id, None)
        if found is not None:
            pairs.append((op, found))
            taken.add(id(found))
        else:
            removed.append(op)
    added = [op for op in new.operations if id(op) not in taken]
    return OperationMatch(
        pairs=tuple(sorted(pairs, key=lambda p: _order(p[1]))),
        removed=tuple(sorted(removed, key=_order)),
        added=tuple(sorted(added, key=_order)),
    )


def params_by_key(params: tuple[ir.Param, ...]) -> dict[str, ir.Param]:
    """Parameters by wire name; by location and wire name for a name one operation
    uses in two places (``id`` in the path and the query)."""
    count = Counter(p.wire_name for p in params)
    return {
        (p.wire_name if count[p.wire_name] == 1 else f"{p.location} {p.wire_name}"): p
        for p in params
    }

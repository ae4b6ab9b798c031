"""Which new model/enum each old one became: same name, else a rename.

A rename is found from evidence first: walking both versions side by side from each
operation and event, the old type that sits where a new one sits. A gone name with no
such evidence is matched by structure (the same fields, or the same enum values).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from typing import assert_never

from .. import ir
from .context import Context, Mapping
from .ops_match import match_operations, params_by_key
from .reach import part_type


def build_mapping(ctx: Context) -> Mapping:
    models, enums = survey(ctx)
    old, new = ctx.old.tables, ctx.new.tables
    return Mapping(
        models=_pair(set(old.models), set(new.models), models, _model_signatures(ctx)),
        enums=_pair(set(old.enums), set(new.enums), enums, _enum_signatures(ctx)),
    )


def survey(
    ctx: Context,
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """How often each (old, new) model and enum pair sits at the same place."""
    found = _Survey(ctx)
    for old, new in _same_places(ctx):
        found.visit(old, new)
    found.follow_fields()
    return found.models, found.enums


def _same_places(
    ctx: Context,
) -> Iterator[tuple[ir.TypeRef | None, ir.TypeRef | None]]:
    """(old, new) types at the same place: a matched operation's parameter,
    body and response, an event's payload."""
    for o, n in match_operations(ctx.old.api, ctx.new.api).pairs:
        yield from _operation_places(o, n)
    new_events = {(e.kind, e.event): e for e in ctx.new.api.events}
    for e in ctx.old.api.events:
        if (e.kind, e.event) in new_events:
            yield e.type, new_events[(e.kind, e.event)].type


def _operation_places(
    o: ir.Operation, n: ir.Operation
) -> Iterator[tuple[ir.TypeRef | None, ir.TypeRef | None]]:
    """A matched operation's parameters (by key), then its body and response."""
    new_params = params_by_key(n.params)
    for key, p in params_by_key(o.params).items():
        if key in new_params:
            yield p.type, new_params[key].type
    yield part_type(o.body), part_type(n.body)
    yield part_type(o.response), part_type(n.response)


class _Survey:
    """The pairs met so far, and the model pairs whose fields are still to
    visit."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.models: Counter[tuple[str, str]] = Counter()
        self.enums: Counter[tuple[str, str]] = Counter()
        self.queue: deque[tuple[str, str]] = deque()
        self.seen: set[tuple[str, str]] = set()

    def visit(self, old: ir.TypeRef | None, new: ir.TypeRef | None) -> None:
        if old is None or new is None:
            return
        relation = self.ctx.relate(old, new)
        self.enums.update(relation.pairs.enums)
        for pair in sorted(relation.pairs.models):
            self.models[pair] += 1
            if pair not in self.seen:
                self.seen.add(pair)
                self.queue.append(pair)

    def follow_fields(self) -> None:
        """Visit the fields both models of each pair have (and of the pairs
        that meets)."""
        tables = self.ctx.old.tables, self.ctx.new.tables
        while self.queue:
            old_name, new_name = self.queue.popleft()
            old_fields = {f.wire_name: f for f in tables[0].models[old_name].fields}
            for f in tables[1].models[new_name].fields:
                if f.wire_name in old_fields:
                    self.visit(old_fields[f.wire_name].type, f.type)


def _pair(
    old: set[str],
    new: set[str],
    evidence: Counter[tuple[str, str]],
    signatures: tuple[dict[str, object], dict[str, object]],
) -> dict[str, str]:
    mapping = {name: name for name in old & new}
    gone, fresh = old - new, new - old
    # Most evidence first; ties by name, so the result does not depend on order.
    for (o, n), _ in sorted(evidence.items(), key=lambda kv: (-kv[1], kv[0])):
        if o in gone and n in fresh:
            mapping[o] = n
            gone.discard(o)
            fresh.discard(n)
    _pair_by_signature(gone, fresh, signatures, mapping)
    return mapping


def _pair_by_signature(
    gone: set[str],
    fresh: set[str],
    signatures: tuple[dict[str, object], dict[str, object]],
    mapping: dict[str, str],
) -> None:
    """Pair a gone name with the one fresh name of the same signature, where
    no other gone name has it."""
    old_sig, new_sig = signatures
    for o in sorted(gone):
        same = [n for n in sorted(fresh) if new_sig[n] == old_sig[o]]
        rivals = [g for g in gone if old_sig[g] == old_sig[o]]
        if len(same) == 1 and len(rivals) == 1:
            mapping[o] = same[0]
            fresh.discard(same[0])


def _model_signatures(ctx: Context) -> tuple[dict[str, object], dict[str, object]]:
    def sig(m: ir.Model) -> object:
        return tuple(
            sorted((f.wire_name, f.required, _erased(f.type)) for f in m.fields)
        )

    return (
        {m.name: sig(m) for m in ctx.old.api.models},
        {m.name: sig(m) for m in ctx.new.api.models},
    )


def _enum_signatures(ctx: Context) -> tuple[dict[str, object], dict[str, object]]:
    def sig(e: ir.Enum) -> object:
        return tuple(sorted(e.values, key=repr))

    return (
        {e.name: sig(e) for e in ctx.old.api.enums},
        {e.name: sig(e) for e in ctx.new.api.enums},
    )


def _erased(t: ir.TypeRef) -> str:
    """A type's structure with the names of models and enums left out."""
    match t:
        case ir.ModelRef():
            return "model"
        case ir.EnumRef():
            return "enum"
        case ir.Nullable():
            return f"{_erased(t.inner)}?"
        case ir.ListType():
            return f"list[{_erased(t.item)}]"
        case ir.DictType():
            return f"dict[{_erased(t.value)}]"
        case ir.UnionType():
            return "|".join(_erased(o) for o in t.options)
        case ir.Primitive() | ir.LiteralType():
            return repr(t)
        case _:
            assert_never(t)

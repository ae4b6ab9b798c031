"""Which old and new types sit at the same place, found by walking both versions
side by side from every operation and event, whatever the types are named.

A model pair is compared field by field and an enum pair value by value once, for
each side (request or response) it is met on, and its changes are said to be seen
through every operation or event that reaches it there (``used_by``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ir
from .context import Context
from .ops_match import match_operations, params_by_key
from .reach import event_label, op_label, part_type
from .rules import Direction

# (old name, new name, side)
Key = tuple[str, str, Direction]


@dataclass
class Uses:
    models: dict[Key, set[str]] = field(default_factory=dict)
    enums: dict[Key, set[str]] = field(default_factory=dict)


def collect_uses(ctx: Context) -> Uses:
    walker = _Walker(ctx)
    for o, n in match_operations(ctx.old.api, ctx.new.api).pairs:
        _walk_operation(walker, o, n)
    new_events = {(e.kind, e.event): e for e in ctx.new.api.events}
    for event in ctx.old.api.events:
        if (event.kind, event.event) in new_events:
            same = new_events[(event.kind, event.event)]
            walker.walk(event.type, same.type, "response", event_label(same))
    return walker.uses


def _walk_operation(walker: _Walker, o: ir.Operation, n: ir.Operation) -> None:
    """The types a matched operation's two versions hold at the same place."""
    label = op_label(n)
    new_params = params_by_key(n.params)
    for key, p in params_by_key(o.params).items():
        if key in new_params:
            walker.walk(p.type, new_params[key].type, "request", label)
    walker.walk(part_type(o.body), part_type(n.body), "request", label)
    walker.walk(part_type(o.response), part_type(n.response), "response", label)
    new_errors = {e.status: e for e in n.errors}
    for e in o.errors:
        if e.status in new_errors:
            walker.walk(e.type, new_errors[e.status].type, "response", label)


class _Walker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.uses = Uses()
        # Model pair -> the model and enum pairs its common fields hold.
        self._children: dict[tuple[str, str], list[tuple[bool, str, str]]] = {}

    def walk(
        self,
        old: ir.TypeRef | None,
        new: ir.TypeRef | None,
        side: Direction,
        label: str,
    ) -> None:
        if old is None or new is None:
            return
        stack = self._pairs(old, new)
        while stack:  # iterative and remembering what it saw: cycles end
            is_model, o, n = stack.pop()
            table = self.uses.models if is_model else self.uses.enums
            labels = table.setdefault((o, n, side), set())
            if label in labels:
                continue
            labels.add(label)
            if is_model:
                stack.extend(self._model_children(o, n))

    def _pairs(self, old: ir.TypeRef, new: ir.TypeRef) -> list[tuple[bool, str, str]]:
        pairs = self.ctx.relate(old, new).pairs
        found = [(True, o, n) for o, n in sorted(pairs.models)]
        return found + [(False, o, n) for o, n in sorted(pairs.enums)]

    def _model_children(self, old: str, new: str) -> list[tuple[bool, str, str]]:
        key = (old, new)
        if key not in self._children:
            old_model = self.ctx.old.tables.models.get(old)
            new_model = self.ctx.new.tables.models.get(new)
            found: list[tuple[bool, str, str]] = []
            if old_model and new_model:
                found = self._field_pairs(old_model, new_model)
            self._children[key] = found
        return self._children[key]

    def _field_pairs(
        self, old_model: ir.Model, new_model: ir.Model
    ) -> list[tuple[bool, str, str]]:
        """The model and enum pairs the fields both models have hold."""
        found: list[tuple[bool, str, str]] = []
        new_fields = {f.wire_name: f for f in new_model.fields}
        for f in old_model.fields:
            if f.wire_name in new_fields:
                found.extend(self._pairs(f.type, new_fields[f.wire_name].type))
        return found

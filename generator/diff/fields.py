"""Fields of a model present in both versions, compared on each side it is used on.

Request side (the user builds it): what used to be accepted must still be. Response
side (the user reads it, webhook payloads included): what is returned must still fit
what the user's code expects.
"""

from __future__ import annotations

import json

from .. import ir
from ..describe import json_value, type_str
from . import constraints, pointers
from .context import Context
from .rules import Direction
from .sdktext import code, field_ref


def directions(*usages: tuple[ir.Usage, ...]) -> list[Direction]:
    used = {u for usage in usages for u in usage}
    found: list[Direction] = []
    if "request" in used:
        found.append("request")
    if used & {"response", "event"}:
        found.append("response")
    return found


def compare_model(ctx: Context, old: ir.Model, new: ir.Model) -> None:
    old_fields = {f.wire_name: f for f in old.fields}
    new_fields = {f.wire_name: f for f in new.fields}
    for direction in directions(old.usage, new.usage):
        for wire in sorted(old_fields.keys() | new_fields.keys()):
            o, n = old_fields.get(wire), new_fields.get(wire)
            _FieldDiff(ctx, old, new, direction, o, n).run()


def _dump(value: ir.JsonValue) -> str:
    return json.dumps(json_value(value), sort_keys=True)


class _FieldDiff:
    def __init__(
        self,
        ctx: Context,
        old_model: ir.Model,
        new_model: ir.Model,
        direction: Direction,
        old: ir.Field | None,
        new: ir.Field | None,
    ) -> None:
        self.ctx = ctx
        self.old_model, self.new_model = old_model, new_model
        self.direction = direction
        self.old, self.new = old, new
        self.request = direction == "request"
        wire = (new or old).wire_name  # type: ignore[union-attr]
        self.subject = f"{new_model.name}.{wire}"
        renamed = old_model.name != new_model.name
        self.was = f" (model was {old_model.name})" if renamed else ""
        self.reach = ctx.new.reach

    # -- reporting ---------------------------------------------------------------------

    def _add(
        self, suffix: str, message: str, sdk: str, topic: str, old_side: bool = False
    ) -> None:
        side_model = self.old_model if old_side else self.new_model
        f = self.old if old_side else self.new
        assert f is not None
        version = self.ctx.old if old_side else self.ctx.new
        self.ctx.add(
            f"{self.direction}-property-{suffix}",
            resource=version.reach.resource(side_model.name),
            subject=self.subject,
            message=message + self.was,
            sdk=sdk,
            pointer=pointers.property_of(version.raw, side_model.source, f.wire_name),
            side="old" if old_side else "new",
            used_by=version.reach.used_by(side_model.name),
            topic=topic,
        )

    def _ref(self, f: ir.Field, old_side: bool = False) -> str:
        version = self.ctx.old if old_side else self.ctx.new
        model = self.old_model if old_side else self.new_model
        return field_ref(version.reach, model.name, f, self.request)

    # -- rules -------------------------------------------------------------------------

    def run(self) -> None:
        o, n = self.old, self.new
        if o is None and n is not None:
            self._added(n)
        elif n is None and o is not None:
            self._add(
                "removed",
                f"property {o.wire_name!r} removed",
                f"{self._ref(o, old_side=True)} removed",
                "presence",
                old_side=True,
            )
        elif o is not None and n is not None:
            self._both(o, n)

    def _added(self, n: ir.Field) -> None:
        ref = self._ref(n)
        if self.request and n.required:
            self._add(
                "added-required",
                f"required property {n.wire_name!r} added ({type_str(n.type)})",
                f"{ref} is a new required argument",
                "presence",
            )
            return
        kind = "optional " if self.request else ""
        self._add(
            "added",
            f"{kind}property {n.wire_name!r} added ({type_str(n.type)})",
            f"{ref} added",
            "presence",
        )

    def _both(self, o: ir.Field, n: ir.Field) -> None:
        ref = self._ref(n)
        if o.python_name != n.python_name:
            self._add(
                "renamed",
                f"property {n.wire_name!r}: Python name "
                f"{o.python_name!r} -> {n.python_name!r}",
                f"{code(f'{self.old_model.name}.{o.python_name}')} is now {ref}",
                "python-name",
            )
        self._required(o, n, ref)
        self._nullable(o, n, ref)
        self._type(o, n, ref)
        if self.request:
            self._constraints(o, n, ref)
            self._default(o, n, ref)
        if n.deprecated and not o.deprecated:
            self.ctx.add(
                "property-deprecated",
                resource=self.reach.resource(self.new_model.name),
                subject=self.subject,
                message=f"property {n.wire_name!r} deprecated",
                sdk=f"{ref} is deprecated",
                pointer=pointers.property_of(
                    self.ctx.new.raw, self.new_model.source, n.wire_name
                ),
                used_by=self.reach.used_by(self.new_model.name),
                topic="deprecated",
            )

    def _required(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        if self.request:
            was, now = o.required, n.required
        else:  # a defaulted field is always present when read
            was, now = o.required or o.has_default, n.required or n.has_default
        if was == now:
            return
        if now:
            sdk = (
                f"{ref} must now be given"
                if self.request
                else f"{ref} is always present"
            )
            self._add(
                "became-required", f"{n.wire_name!r} became required", sdk, "required"
            )
        else:
            sdk = (
                f"{ref} may now be left out"
                if self.request
                else f"{ref} may be missing (None when absent)"
            )
            self._add(
                "became-optional", f"{n.wire_name!r} became optional", sdk, "required"
            )

    def _nullable(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        if o.nullable == n.nullable:
            return
        if n.nullable:
            sdk = f"{ref} accepts None" if self.request else f"{ref} may now be None"
            self._add(
                "became-nullable", f"{n.wire_name!r} became nullable", sdk, "nullable"
            )
        else:
            sdk = (
                f"{ref} no longer accepts None"
                if self.request
                else f"{ref} is never None"
            )
            self._add(
                "became-non-nullable",
                f"{n.wire_name!r} is no longer nullable",
                sdk,
                "nullable",
            )

    def _type(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        old_t, new_t = ir.unwrap_nullable(o.type), ir.unwrap_nullable(n.type)
        relation = self.ctx.relate(old_t, new_t)
        change = f"{type_str(old_t)} -> {type_str(new_t)}"
        if self.request and not relation.widened:
            self._add(
                "type-changed",
                f"{n.wire_name!r} type {change}",
                f"{ref} no longer accepts every value it did ({change})",
                "type",
            )
        elif self.request and not relation.narrowed:
            self._add(
                "type-widened",
                f"{n.wire_name!r} type widened {change}",
                f"{ref} accepts more ({change})",
                "type",
            )
        elif not self.request and not relation.narrowed:
            self._add(
                "type-changed",
                f"{n.wire_name!r} type {change}",
                f"{ref} now holds {type_str(new_t)} (was {type_str(old_t)})",
                "type",
            )
        elif not self.request and not relation.widened:
            self._add(
                "type-narrowed",
                f"{n.wire_name!r} type narrowed {change}",
                f"{ref} now holds {type_str(new_t)} (was {type_str(old_t)})",
                "type",
            )
        for rename in self.ctx.slot_renames(relation):
            self._add(
                "type-renamed",
                f"{n.wire_name!r} type {rename.old_name} -> {rename.new_name}",
                (
                    f"{ref} now takes {code(rename.new_name)} instances, not "
                    f"{code(rename.old_name)}"
                    if self.request
                    else f"{ref} now holds {code(rename.new_name)} instances, not "
                    f"{code(rename.old_name)}"
                ),
                f"type-renamed:{rename.old_name}",
            )

    def _constraints(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        for change in constraints.compare(o.type, n.type):
            suffix = (
                "constraint-tightened" if change.tightened else "constraint-loosened"
            )
            verb = "refuses values it accepted" if change.tightened else "accepts more"
            self._add(
                suffix,
                f"{n.wire_name!r} {change.text}",
                f"{ref} {verb} ({change.text})",
                f"constraint:{change.text}",
            )

    def _default(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        if o.required or n.required:
            return  # the required-ness change says it
        if (o.has_default, o.default) == (n.has_default, n.default):
            return
        was = _dump(o.default) if o.has_default else "none"
        now = _dump(n.default) if n.has_default else "none"
        self._add(
            "default-changed",
            f"{n.wire_name!r} default {was} -> {now}",
            f"leaving out {ref} now means {now} (was {was})",
            "default",
        )

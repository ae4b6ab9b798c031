"""Fields of two models met at the same place, compared on the side they are used on.

Request side (the user builds it): what used to be accepted must still be. Response
side (the user reads it, webhook payloads included): what is returned must still fit
what the user's code expects.
"""

from __future__ import annotations

import json

from .. import ir
from ..describe import json_value, type_str
from . import constraints, pointers, unions
from .context import Context
from .enums import ValueSet, compare_values, value_sets
from .rules import Direction
from .sdktext import code, field_ref
from .typecompat import Relation


def directions(*usages: tuple[ir.Usage, ...]) -> list[Direction]:
    used = {u for usage in usages for u in usage}
    found: list[Direction] = []
    if "request" in used:
        found.append("request")
    if used & {"response", "event"}:
        found.append("response")
    return found


def compare_model(
    ctx: Context,
    old: ir.Model,
    new: ir.Model,
    direction: Direction,
    used_by: tuple[str, ...],
) -> None:
    old_fields = {f.wire_name: f for f in old.fields}
    new_fields = {f.wire_name: f for f in new.fields}
    for wire in sorted(old_fields.keys() | new_fields.keys()):
        o, n = old_fields.get(wire), new_fields.get(wire)
        _FieldDiff(ctx, old, new, direction, used_by, o, n).run()


def field_name(f: ir.Field) -> str:
    """The wire name, and the Python name when it differs."""
    if f.python_name == f.wire_name:
        return repr(f.wire_name)
    return f"{f.wire_name!r} (Python {f.python_name!r})"


def _dump(value: ir.JsonValue) -> str:
    return json.dumps(json_value(value), sort_keys=True)


# (request side, tightened) -> rule and what it means for the SDK's field.
_CONSTRAINT_RULES: dict[tuple[bool, bool], tuple[str, str]] = {
    (True, True): (
        "request-property-constraint-tightened",
        "refuses values it accepted",
    ),
    (True, False): ("request-property-constraint-loosened", "accepts more"),
    (False, True): ("response-property-constraint-tightened", "holds a narrower range"),
    (False, False): (
        "response-property-constraint-loosened",
        "may hold values released SDKs' validation refuses",
    ),
}


def _defaults(f: ir.Field) -> tuple[str, ...]:
    """The field's defaults: every copy's where merged copies disagree."""
    return f.copy_defaults or ((_dump(f.default) if f.has_default else "none"),)


def _defaults_text(f: ir.Field) -> str:
    found = _defaults(f)
    return found[0] if len(found) == 1 else f"one of {', '.join(found)} by use"


class _FieldDiff:
    def __init__(
        self,
        ctx: Context,
        old_model: ir.Model,
        new_model: ir.Model,
        direction: Direction,
        used_by: tuple[str, ...],
        old: ir.Field | None,
        new: ir.Field | None,
    ) -> None:
        self.ctx = ctx
        self.old_model, self.new_model = old_model, new_model
        self.direction = direction
        self.used_by = used_by
        self.old, self.new = old, new
        self.request = direction == "request"
        wire = (new or old).wire_name  # type: ignore[union-attr]
        self.subject = f"{new_model.name}.{wire}"
        renamed = old_model.name != new_model.name
        self.was = f" (model was {old_model.name})" if renamed else ""

    # -- reporting ---------------------------------------------------------------------

    def _pick(self, request: str, response: str) -> str:
        """The request side's text (a rule id, a message) or the response side's."""
        return request if self.request else response

    def _add(
        self, rule_id: str, message: str, sdk: str, topic: str, old_side: bool = False
    ) -> None:
        side_model = self.old_model if old_side else self.new_model
        f = self.old if old_side else self.new
        assert f is not None
        version = self.ctx.old if old_side else self.ctx.new
        fallback = version.reach.resource(side_model.name)
        self.ctx.add(
            rule_id,
            resource=self.ctx.resource_of(self.used_by, fallback),
            subject=self.subject,
            message=message + self.was,
            sdk=sdk,
            pointer=pointers.property_of(version.raw, side_model.source, f.wire_name),
            side="old" if old_side else "new",
            used_by=self.used_by,
            topic=topic,
        )

    def _ref(self, f: ir.Field, old_side: bool = False) -> str:
        version = self.ctx.old if old_side else self.ctx.new
        model = self.old_model if old_side else self.new_model
        return field_ref(version.reach, model.name, f, self.request)

    # -- rules -------------------------------------------------------------------------

    def run(self) -> None:
        o, n = self.old, self.new
        if o is not None and n is not None:
            self._both(o, n)
        elif n is not None:
            self._added(n)
        elif o is not None:
            self._add(
                self._pick("request-property-removed", "response-property-removed"),
                f"property {field_name(o)} removed",
                f"{self._ref(o, old_side=True)} removed",
                "presence",
                old_side=True,
            )

    def _added(self, n: ir.Field) -> None:
        ref = self._ref(n)
        if self.request and n.required:
            self._add(
                "request-property-added-required",
                f"required property {field_name(n)} added ({type_str(n.type)})",
                f"{ref} is a new required argument",
                "presence",
            )
            return
        kind = self._pick("optional ", "")
        self._add(
            self._pick("request-property-added", "response-property-added"),
            f"{kind}property {field_name(n)} added ({type_str(n.type)})",
            f"{ref} added",
            "presence",
        )

    def _both(self, o: ir.Field, n: ir.Field) -> None:
        ref = self._ref(n)
        if o.python_name != n.python_name:
            self._add(
                self._pick("request-property-renamed", "response-property-renamed"),
                f"property {n.wire_name!r}: Python name "
                f"{o.python_name!r} -> {n.python_name!r}",
                f"{code(f'{self.old_model.name}.{o.python_name}')} is now {ref}",
                "python-name",
            )
        self._required(o, n, ref)
        self._nullable(o, n, ref)
        values = value_sets(self.ctx, o.type, n.type)
        if values is not None:
            self._values(*values)
        elif not self._format(o, n, ref):
            self._type(o, n, ref)
        self._constraints(o, n, ref)
        self._mapping(o, n, ref)
        self._default(o, n, ref)
        if n.deprecated and not o.deprecated:
            self._add(
                "property-deprecated",
                f"property {field_name(n)} deprecated",
                f"{ref} is deprecated",
                "deprecated",
            )

    def _required(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        if self.request:
            was, now = o.required, n.required
        else:  # a defaulted field is always present when read
            was, now = o.required or o.has_default, n.required or n.has_default
        if was == now:
            return
        name = field_name(n)
        if now:
            self._add(
                self._pick(
                    "request-property-became-required",
                    "response-property-became-required",
                ),
                f"{name} became required",
                self._pick(f"{ref} must now be given", f"{ref} is always present"),
                "required",
            )
        else:
            sdk = self._pick(
                f"{ref} may now be left out", f"{ref} may be missing (None when absent)"
            )
            self._add(
                self._pick(
                    "request-property-became-optional",
                    "response-property-became-optional",
                ),
                f"{name} became optional",
                sdk,
                "required",
            )

    def _nullable(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        if o.nullable == n.nullable:
            return
        name = field_name(n)
        if n.nullable:
            sdk = self._pick(f"{ref} accepts None", f"{ref} may now be None")
            self._add(
                self._pick(
                    "request-property-became-nullable",
                    "response-property-became-nullable",
                ),
                f"{name} became nullable",
                sdk,
                "nullable",
            )
        else:
            sdk = self._pick(f"{ref} no longer accepts None", f"{ref} is never None")
            self._add(
                self._pick(
                    "request-property-became-non-nullable",
                    "response-property-became-non-nullable",
                ),
                f"{name} is no longer nullable",
                sdk,
                "nullable",
            )

    def _values(self, old: ValueSet, new: ValueSet) -> None:
        assert self.new is not None
        compare_values(
            self.ctx,
            old,
            new,
            self.direction,
            subject=self.subject,
            resource=self.ctx.resource_of(
                self.used_by, self.ctx.new.reach.resource(self.new_model.name)
            ),
            pointer=pointers.property_of(
                self.ctx.new.raw, self.new_model.source, self.new.wire_name
            ),
            used_by=self.used_by,
        )

    def _format(self, o: ir.Field, n: ir.Field, ref: str) -> bool:
        """Report a changed ``format``; True when that is the whole type change."""
        change = constraints.format_change(o.type, n.type)
        if change is None:
            return False
        if change.python_type:
            self._add(
                "format-python-type-changed",
                f"{field_name(n)} {change.text}",
                f"{ref} is now {change.new_type} (was {change.old_type})",
                "type",
            )
        else:
            self._add(
                "format-changed",
                f"{field_name(n)} {change.text}",
                f"none: {ref} keeps its Python type",
                "format",
            )
        return change.python_type

    def _type(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        old_t, new_t = ir.unwrap_nullable(o.type), ir.unwrap_nullable(n.type)
        relation = self.ctx.relate(old_t, new_t)
        if self.request:
            self._request_type(n, ref, old_t, new_t, relation)
        else:
            self._response_type(n, ref, old_t, new_t, relation)
        for rename in self.ctx.slot_renames(relation):
            old_name, new_name = code(rename.old_name), code(rename.new_name)
            self._add(
                self._pick(
                    "request-property-type-renamed", "response-property-type-renamed"
                ),
                f"{n.wire_name!r} type {rename.old_name} -> {rename.new_name}",
                self._pick(
                    f"{ref} now takes {new_name} instances, not {old_name}",
                    f"{ref} now holds {new_name} instances, not {old_name}",
                ),
                f"type-renamed:{rename.old_name}",
            )

    def _request_type(
        self,
        n: ir.Field,
        ref: str,
        old_t: ir.TypeRef,
        new_t: ir.TypeRef,
        relation: Relation,
    ) -> None:
        """An argument's type change: breaking unless it only widened."""
        change = f"{type_str(old_t)} -> {type_str(new_t)}"
        if not relation.widened:
            self._add(
                "request-property-type-changed",
                f"{field_name(n)} type {change}",
                f"{ref} no longer accepts every value it did ({change})",
                "type",
            )
        elif not relation.narrowed:
            self._add(
                "request-property-type-widened",
                f"{field_name(n)} type widened {change}",
                f"{ref} accepts more ({change})",
                "type",
            )

    def _response_type(
        self,
        n: ir.Field,
        ref: str,
        old_t: ir.TypeRef,
        new_t: ir.TypeRef,
        relation: Relation,
    ) -> None:
        """A read field's type change: breaking unless it only narrowed."""
        change = f"{type_str(old_t)} -> {type_str(new_t)}"
        holds = f"{ref} now holds {type_str(new_t)} (was {type_str(old_t)})"
        if not relation.narrowed:
            self._add(
                "response-property-type-changed",
                f"{field_name(n)} type {change}",
                holds,
                "type",
            )
        elif not relation.widened:
            self._add(
                "response-property-type-narrowed",
                f"{field_name(n)} type narrowed {change}",
                holds,
                "type",
            )

    def _mapping(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        relation = self.ctx.relate(o.type, n.type)
        if text := unions.mapping_changes(o.type, n.type, relation):
            self._add(
                "discriminator-mapping-changed",
                f"{field_name(n)} discriminator: {text}",
                f"{ref} may hold another class for the same data ({text})",
                f"mapping:{text}",
            )

    def _constraints(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        name = field_name(n)
        for change in constraints.compare(o.type, n.type):
            if change.pattern_changed or (
                # Released SDKs check a response's old pattern: dropping it matters.
                change.pattern and not self.request and not change.tightened
            ):
                self._pattern(name, ref, change.text)
                continue
            rule_id, verb = _CONSTRAINT_RULES[(self.request, change.tightened)]
            self._add(
                rule_id,
                f"{name} {change.text}",
                f"{ref} {verb} ({change.text})",
                f"constraint:{change.text}",
            )

    def _pattern(self, name: str, ref: str, text: str) -> None:
        self._add(
            self._pick("request-pattern-changed", "response-pattern-changed"),
            f"{name} {text}",
            self._pick(
                f"{ref} may refuse values it accepted ({text})",
                f"released SDKs check {ref} against the old pattern and may refuse "
                f"what the API now returns ({text})",
            ),
            f"constraint:{text}",
        )

    def _default(self, o: ir.Field, n: ir.Field, ref: str) -> None:
        if o.required or n.required:
            return  # the required-ness change says it
        if _defaults(o) == _defaults(n):
            return
        if not self.request and not (o.has_default and n.has_default):
            return  # present-or-not: the required-ness change says it
        was, now = _defaults_text(o), _defaults_text(n)
        self._add(
            self._pick(
                "request-property-default-changed", "response-property-default-changed"
            ),
            f"{field_name(n)} default {was} -> {now}",
            self._pick(
                f"leaving out {ref} now means {now} (was {was})",
                f"when the API leaves it out, {ref} now reads {now} (was {was})",
            ),
            "default",
        )

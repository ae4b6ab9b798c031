"""Operations: added, removed, moved, renamed; then each matched pair's parameters,
body, result, pagination and errors."""

from __future__ import annotations

import re

from .. import ir
from ..describe import json_value, type_str
from . import constraints, pointers, unions
from .context import Context
from .enums import compare_values, value_sets
from .ops_match import match_operations, params_by_key
from .reach import op_label, op_resource, part_type
from .sdktext import argument, call, code
from .typecompat import Relation

_PATH_PARAM = re.compile(r"{[^}]*}")


def report_operations(ctx: Context) -> None:
    match = match_operations(ctx.old.api, ctx.new.api)
    for op in match.added:
        _add(
            ctx,
            "operation-added",
            op,
            f"{op_label(op)} added",
            f"new method {code(call(op))}",
        )
    for op in match.removed:
        ctx.add(
            "operation-removed",
            resource=op_resource(op),
            subject=op_label(op),
            message=f"{op_label(op)} removed ({op.operation_id})",
            sdk=f"{code(call(op))} removed",
            pointer=pointers.operation(op.path, op.http_method),
            side="old",
        )
    for old, new in match.pairs:
        _OperationDiff(ctx, old, new).run()


def _add(
    ctx: Context,
    rule_id: str,
    op: ir.Operation,
    message: str,
    sdk: str,
    topic: str = "",
) -> None:
    ctx.add(
        rule_id,
        resource=op_resource(op),
        subject=op_label(op),
        message=message,
        sdk=sdk,
        pointer=pointers.operation(op.path, op.http_method),
        topic=topic,
    )


class _OperationDiff:
    def __init__(self, ctx: Context, old: ir.Operation, new: ir.Operation) -> None:
        self.ctx, self.old, self.new = ctx, old, new
        self.label = op_label(new)

    def run(self) -> None:
        o, n = self.old, self.new
        self._request_line()
        if o.python_call != n.python_call:
            self._op(
                "operation-renamed",
                f"{self.label} is now generated as {n.python_call}",
                f"{code(call(o))} is now {code(call(n))}",
            )
        if n.deprecated and not o.deprecated:
            self._op(
                "operation-deprecated",
                f"{self.label} deprecated",
                f"{code(call(n))} is deprecated",
            )
        self._params()
        self._body()
        self._response()
        self._errors()

    def _request_line(self) -> None:
        """The HTTP method or the path's shape changed."""
        o, n = self.old, self.new
        if o.http_method != n.http_method:
            self._op(
                "operation-method-changed",
                f"{o.operation_id}: {o.http_method} -> {n.http_method} {n.path}",
                f"{code(call(n))} now sends {n.http_method}; released SDKs send "
                f"{o.http_method}",
            )
        if o.path != n.path and _shape(o.path) != _shape(n.path):
            self._op(
                "operation-path-changed",
                f"{o.operation_id}: {o.path} -> {n.path}",
                f"{code(call(n))} now calls {n.path}; released SDKs call {o.path}",
            )

    def _new_arg(self, p: ir.Param) -> str:
        return argument(self.ctx.new.reach, self.new, p)

    def _old_arg(self, p: ir.Param) -> str:
        return argument(self.ctx.old.reach, self.old, p)

    def _op(self, rule_id: str, message: str, sdk: str, topic: str = "") -> None:
        _add(self.ctx, rule_id, self.new, message, sdk, topic)

    def _param_pointer(self, op: ir.Operation, p: ir.Param, old: bool = False) -> str:
        raw = self.ctx.old.raw if old else self.ctx.new.raw
        return pointers.parameter(raw, op.path, op.http_method, p.location, p.wire_name)

    def _param(
        self, rule_id: str, p: ir.Param, message: str, sdk: str, old: bool = False
    ) -> None:
        op = self.old if old else self.new
        self.ctx.add(
            rule_id,
            resource=op_resource(op),
            subject=f"{self.label} {p.location} param {p.wire_name}",
            message=message,
            sdk=sdk,
            pointer=self._param_pointer(op, p, old),
            side="old" if old else "new",
            used_by=(self.label,),
        )

    # -- parameters ----------------------------------------------------------------

    def _params(self) -> None:
        old_params = params_by_key(self.old.params)
        new_params = params_by_key(self.new.params)
        self._pair_renamed_path_params(old_params, new_params)
        for name, n in new_params.items():
            if name in old_params:
                self._param_pair(old_params[name], n)
            else:
                self._param_added(n)
        for name, o in old_params.items():
            if name not in new_params:
                self._param_removed(o)
        self._path_order()

    def _pair_renamed_path_params(
        self, old_params: dict[str, ir.Param], new_params: dict[str, ir.Param]
    ) -> None:
        """A path parameter renamed in place (/bots/{id} -> /bots/{bot_id}) is
        the same positional argument: pair those by position, and take them
        out of ``old_params`` and ``new_params``."""
        old_key = {id(p): key for key, p in old_params.items()}
        new_key = {id(p): key for key, p in new_params.items()}
        for o, n in zip(_path_params(self.old), _path_params(self.new), strict=False):
            o_key, n_key = old_key[id(o)], new_key[id(n)]
            if o_key not in new_params and n_key not in old_params:
                old_params.pop(o_key)
                new_params.pop(n_key)
                self._path_param_renamed(o, n)

    def _param_added(self, n: ir.Param) -> None:
        if n.required:
            where = "positional" if n.location == "path" else "keyword"
            self._param(
                "request-param-added-required",
                n,
                f"required {n.location} parameter {n.wire_name!r} added",
                f"{code(self._new_arg(n))} is a new required {where} argument",
            )
        else:
            self._param(
                "request-param-added",
                n,
                f"optional {n.location} parameter {n.wire_name!r} added",
                f"{code(self._new_arg(n))} added",
            )

    def _param_removed(self, o: ir.Param) -> None:
        self._param(
            "request-param-removed",
            o,
            f"{o.location} parameter {o.wire_name!r} removed",
            f"{code(self._old_arg(o))} removed: calls passing it fail",
            old=True,
        )

    def _path_order(self) -> None:
        """The path parameters both sides have, in another order."""
        old_order = [p.wire_name for p in _path_params(self.old)]
        new_order = [p.wire_name for p in _path_params(self.new)]
        kept_old = [w for w in old_order if w in new_order]
        kept_new = [w for w in new_order if w in old_order]
        if kept_old != kept_new:
            self._op(
                "request-path-params-reordered",
                f"path parameters {kept_old} -> {kept_new}",
                f"positional arguments of {code(call(self.new))} come in another order",
            )

    def _path_param_renamed(self, o: ir.Param, n: ir.Param) -> None:
        self._param(
            "request-param-renamed",
            n,
            f"path parameter {o.wire_name!r} renamed to {n.wire_name!r}",
            f"{code(self._old_arg(o))} is now {code(self._new_arg(n))}: "
            "positional calls still work, keyword calls fail",
        )
        self._param_pair(o, n, check_name=False)

    def _param_pair(self, o: ir.Param, n: ir.Param, check_name: bool = True) -> None:
        ref = code(self._new_arg(n))
        self._param_moved(o, n, ref, check_name)
        if o.required != n.required:
            rule_id = (
                "request-param-became-required"
                if n.required
                else "request-param-became-optional"
            )
            state = "required" if n.required else "optional"
            self._param(
                rule_id, n, f"{n.wire_name!r} became {state}", f"{ref} is now {state}"
            )
        self._param_values(o, n, ref)
        self._param_constraints(o, n, ref)
        self._param_default(o, n, ref)
        if n.deprecated and not o.deprecated:
            self._param(
                "request-param-deprecated",
                n,
                f"{n.wire_name!r} deprecated",
                f"{ref} is deprecated",
            )

    def _param_constraints(self, o: ir.Param, n: ir.Param, ref: str) -> None:
        for c in constraints.compare(o.type, n.type):
            rule_id, verb = _param_constraint_rule(c)
            self._param(
                rule_id, n, f"{n.wire_name!r} {c.text}", f"{ref} {verb} ({c.text})"
            )

    def _param_moved(
        self, o: ir.Param, n: ir.Param, ref: str, check_name: bool
    ) -> None:
        """Sent in another place, or under another Python name."""
        if o.location != n.location:
            self._param(
                "request-param-location-changed",
                n,
                f"parameter {n.wire_name!r} moved from {o.location} to {n.location}",
                f"{ref} is sent in the {n.location} now; released SDKs send it in "
                f"the {o.location}",
            )
        if check_name and o.python_name != n.python_name:
            self._param(
                "request-param-renamed",
                n,
                f"parameter {n.wire_name!r}: Python name {o.python_name!r} -> "
                f"{n.python_name!r}",
                f"{code(self._old_arg(o))} is now {ref}",
            )

    def _param_values(self, o: ir.Param, n: ir.Param, ref: str) -> None:
        """Its enum values, else its format or type."""
        values = value_sets(self.ctx, o.type, n.type)
        if values is not None:
            compare_values(
                self.ctx,
                *values,
                "request",
                subject=f"{self.label} {n.location} param {n.wire_name}",
                resource=op_resource(self.new),
                pointer=self._param_pointer(self.new, n),
                used_by=(self.label,),
            )
        elif not self._param_format(o, n, ref):
            self._param_type(o, n, ref)

    def _param_default(self, o: ir.Param, n: ir.Param, ref: str) -> None:
        """The default of a parameter optional on both sides."""
        if o.required or n.required:
            return
        if (o.has_default, o.default) == (n.has_default, n.default):
            return
        was = repr(json_value(o.default)) if o.has_default else "none"
        now = repr(json_value(n.default)) if n.has_default else "none"
        self._param(
            "request-param-default-changed",
            n,
            f"{n.wire_name!r} default {was} -> {now}",
            f"leaving out {ref} now means {now} (was {was})",
        )

    def _param_type(self, o: ir.Param, n: ir.Param, ref: str) -> None:
        relation = self.ctx.relate(o.type, n.type)
        change = f"{type_str(o.type)} -> {type_str(n.type)}"
        if not relation.widened:
            self._param(
                "request-param-type-changed",
                n,
                f"{n.wire_name!r} type {change}",
                f"{ref} no longer accepts every value it did ({change})",
            )
        elif not relation.narrowed:
            self._param(
                "request-param-type-widened",
                n,
                f"{n.wire_name!r} type widened {change}",
                f"{ref} accepts more ({change})",
            )
        for rename in self.ctx.slot_renames(relation):
            self._param(
                "request-property-type-renamed",
                n,
                f"{n.wire_name!r} type {rename.old_name} -> {rename.new_name}",
                f"{ref} now takes {code(rename.new_name)}, not {code(rename.old_name)}",
            )

    def _param_format(self, o: ir.Param, n: ir.Param, ref: str) -> bool:
        """Report a changed ``format``; True when that is the whole type change."""
        change = constraints.format_change(o.type, n.type)
        if change is None:
            return False
        if change.python_type:
            self._param(
                "format-python-type-changed",
                n,
                f"{n.wire_name!r} {change.text}",
                f"{ref} now takes {change.new_type} (was {change.old_type})",
            )
        else:
            self._param(
                "format-changed",
                n,
                f"{n.wire_name!r} {change.text}",
                f"none: {ref} keeps its Python type",
            )
        return change.python_type

    # -- body ----------------------------------------------------------------------

    def _body(self) -> None:
        o, n = self.old.body, self.new.body
        if o is not None and n is not None:
            self._body_changed(o, n)
        elif n is not None:
            self._body_added(n)
        elif o is not None:
            self._op(
                "request-body-removed",
                f"request body removed (was {type_str(o.type)})",
                f"the body arguments of {code(call(self.new))} are gone",
            )

    def _body_changed(self, o: ir.RequestBody, n: ir.RequestBody) -> None:
        relation = self.ctx.relate(o.type, n.type)
        change = f"{type_str(o.type)} -> {type_str(n.type)}"
        if not relation.widened:
            self._op(
                "request-body-type-changed",
                f"request body {change}",
                f"{code(call(self.new))} no longer accepts every body it did",
            )
        elif not relation.narrowed:
            self._op(
                "request-body-type-widened",
                f"request body widened {change}",
                f"{code(call(self.new))} accepts more bodies",
            )
        self._mapping(o.type, n.type, relation, "request body")
        self._sent_defaults(o, n)
        for rename in self.ctx.slot_renames(relation):
            self._op(
                "request-property-type-renamed",
                f"request body type {rename.old_name} -> {rename.new_name}",
                f"{code(call(self.new))} now takes {code(rename.new_name)}, not "
                f"{code(rename.old_name)}",
            )

    def _body_added(self, n: ir.RequestBody) -> None:
        required = self._required_body_fields(n)
        if required:
            self._op(
                "request-body-added-required",
                f"request body added ({type_str(n.type)}) with required "
                f"{', '.join(required)}",
                f"{code(call(self.new))} needs new arguments: {', '.join(required)}",
            )
        else:
            self._op(
                "request-body-added",
                f"request body added ({type_str(n.type)})",
                f"{code(call(self.new))} takes new optional arguments",
            )

    def _sent_defaults(self, o: ir.RequestBody, n: ir.RequestBody) -> None:
        """Defaulted fields the spec now lists as required, or no longer does."""
        model = ir.unwrap_nullable(n.type)
        owner = model.name if isinstance(model, ir.ModelRef) else "body"
        old, new = set(o.send_defaults), set(n.send_defaults)
        for wire in sorted(old ^ new):
            now = wire in new
            self.ctx.add(
                "request-property-sent-by-default"
                if now
                else "request-property-no-longer-sent-by-default",
                resource=op_resource(self.new),
                subject=f"{owner}.{wire}",
                message=f"property {wire!r} with a default "
                + ("became required" if now else "is no longer required"),
                sdk=f"{code(call(self.new))} "
                + (
                    f"now always sends {wire!r} (its default when not given); "
                    "released SDKs leave it out"
                    if now
                    else f"no longer sends {wire!r} unless it is given"
                ),
                pointer=pointers.operation(self.new.path, self.new.http_method),
                used_by=(self.label,),
                topic=f"sent-default:{wire}",
            )

    def _required_body_fields(self, body: ir.RequestBody) -> list[str]:
        t = ir.unwrap_nullable(body.type)
        if isinstance(t, ir.ModelRef):
            model = self.ctx.new.tables.models[t.name]
            return [f.python_name for f in model.fields if f.required]
        return ["body"] if body.required else []

    # -- result ----------------------------------------------------------------------

    def _response(self) -> None:
        o, n = self.old.response, self.new.response
        self._response_body(part_type(o), part_type(n))
        if o and n:
            self._response_kept(o, n)
        self._pagination()

    def _response_kept(self, o: ir.SuccessResponse, n: ir.SuccessResponse) -> None:
        """The envelope and status of a success response both sides have."""
        if o.unwrapped != n.unwrapped:
            state = "now" if n.unwrapped else "no longer"
            self._op(
                "response-unwrapped-changed",
                f"success body {state} a {{success, data}} envelope",
                f"{code(call(self.new))} {state} returns the envelope's data only",
            )
        if o.status != n.status:
            self._op(
                "response-status-changed",
                f"success status {o.status} -> {n.status}",
                "no change in the SDK",
            )

    def _response_body(
        self, old_t: ir.TypeRef | None, new_t: ir.TypeRef | None
    ) -> None:
        if old_t is not None and new_t is not None:
            self._response_types(old_t, new_t)
        elif new_t is not None:
            self._op(
                "response-body-added",
                f"success response now has a body ({type_str(new_t)})",
                f"{code(call(self.new))} returns {type_str(new_t)} (was None)",
            )
        elif old_t is not None:
            self._op(
                "response-body-removed",
                f"success response body removed (was {type_str(old_t)})",
                f"{code(call(self.new))} returns None",
            )

    def _response_types(self, old_t: ir.TypeRef, new_t: ir.TypeRef) -> None:
        relation = self.ctx.relate(old_t, new_t)
        change = f"{type_str(old_t)} -> {type_str(new_t)}"
        if not relation.narrowed:
            self._op(
                "response-type-changed",
                f"success response {change}",
                f"{code(call(self.new))} returns {type_str(new_t)} "
                f"(was {type_str(old_t)})",
            )
        elif not relation.widened:
            self._op(
                "response-type-narrowed",
                f"success response narrowed {change}",
                f"{code(call(self.new))} returns {type_str(new_t)}",
            )
        self._mapping(old_t, new_t, relation, "success response")
        for rename in self.ctx.slot_renames(relation):
            self._op(
                "response-property-type-renamed",
                f"success response type {rename.old_name} -> {rename.new_name}",
                f"{code(call(self.new))} returns {code(rename.new_name)} "
                f"instances, not {code(rename.old_name)}",
            )

    def _mapping(
        self, old_t: ir.TypeRef, new_t: ir.TypeRef, relation: Relation, what: str
    ) -> None:
        if text := unions.mapping_changes(old_t, new_t, relation):
            self._op(
                "discriminator-mapping-changed",
                f"{what} discriminator: {text}",
                f"{code(call(self.new))}: the same data may parse as another class "
                f"({text})",
                f"mapping:{text}",
            )

    def _pagination(self) -> None:
        o, n = self.old.pagination, self.new.pagination
        if (o is None) == (n is None):
            return
        if n is not None:
            self._op(
                "pagination-added",
                "cursor pagination added",
                f"{code(call(self.new))} returns a page iterator (was a list)",
            )
        else:
            self._op(
                "pagination-removed",
                "cursor pagination removed",
                f"{code(call(self.new))} returns a list (was a page iterator)",
            )

    # -- errors ----------------------------------------------------------------------

    def _errors(self) -> None:
        old_errors = {e.status: e for e in self.old.errors}
        new_errors = {e.status: e for e in self.new.errors}
        for status in sorted(old_errors.keys() | new_errors.keys()):
            o, n = old_errors.get(status), new_errors.get(status)
            found = self._error_change(status, o, n)
            if found is not None:
                self._error(status, *found, gone=n is None)

    def _error(self, status: str, rule_id: str, message: str, gone: bool) -> None:
        """Report an error response change (``gone``: on the old side only)."""
        side = self.old if gone else self.new
        where = pointers.operation(side.path, side.http_method)
        self.ctx.add(
            rule_id,
            resource=op_resource(self.new),
            subject=f"{self.label} {status} error",
            message=message,
            sdk=f"none: {code(call(self.new))} raises an APIStatusError "
            "subclass chosen by status either way",
            pointer=f"{where}/responses/{status}",
            side="old" if gone else "new",
            used_by=(self.label,),
        )

    def _error_change(
        self, status: str, o: ir.ErrorResponse | None, n: ir.ErrorResponse | None
    ) -> tuple[str, str] | None:
        """(rule id, message) of an error response added, removed or changed."""
        if o is None:
            return "error-response-added", f"error {status} documented"
        if n is None:
            return "error-response-removed", f"error {status} no longer documented"
        if self.ctx.same_type(o.type, n.type):
            return None
        change = f"{type_str(o.type)} -> {type_str(n.type)}"
        return "error-response-changed", f"error {status} body {change}"


def _shape(path: str) -> str:
    return _PATH_PARAM.sub("{}", path)


def _path_params(op: ir.Operation) -> list[ir.Param]:
    return [p for p in op.params if p.location == "path"]


def _param_constraint_rule(c: constraints.ConstraintChange) -> tuple[str, str]:
    """(rule id, what the SDK's argument does now) of a parameter's changed
    constraint."""
    if c.pattern_changed:
        return "request-pattern-changed", "may refuse values it took"
    if c.tightened:
        return "request-param-constraint-tightened", "refuses values it accepted"
    return "request-param-constraint-loosened", "accepts more"

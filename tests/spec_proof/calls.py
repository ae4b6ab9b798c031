"""Valid arguments for every operation, built from the generator's IR and view
(argument names as the SDK spells them), never listed per endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator import ir
from generator.emit.view import MethodView, TypeSpeller, method_view

from .strategies import ecma_regex

_ONE = settings(
    database=None,
    derandomize=True,
    max_examples=1,
    phases=[Phase.generate],  # no shrinking: any valid string will do
    suppress_health_check=list(HealthCheck),
)


@cache
def _from_pattern(pattern: str, low: int, high: int) -> str:
    """One string the pattern (ECMA semantics) allows, the same on every run."""
    found: list[str] = []

    @_ONE
    @given(
        st.from_regex(ecma_regex(pattern), fullmatch=True).filter(
            lambda s: low <= len(s) <= high
        )
    )
    def grab(value: str) -> None:
        found.append(value)

    grab()
    return found[0]


# Strings for formats JSON Schema names; anything else gets plain text.
_FORMATS = {
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "email": "someone@example.com",
}


@dataclass(frozen=True)
class Call:
    operation: ir.Operation
    view: MethodView
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def _string(t: ir.Primitive) -> Any:
    c = t.constraints
    if t.format == "date-time":
        return datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    if c.pattern is not None:
        low = c.min_length or 0
        high = c.max_length if c.max_length is not None else 10**6
        return _from_pattern(c.pattern, low, high)
    text = _FORMATS.get(t.format or "", "sdkgen")
    if c.min_length is not None and len(text) < c.min_length:
        text = text + "x" * (c.min_length - len(text))
    if c.max_length is not None:
        text = text[: c.max_length]
    return text


def _number(t: ir.Primitive) -> int | float:
    c = t.constraints
    low: float = 1
    if c.minimum is not None:
        low = max(low, c.minimum) if c.minimum > 0 else c.minimum
    if c.exclusive_minimum is not None:
        low = max(low, c.exclusive_minimum + 1)
    if c.maximum is not None:
        low = min(low, c.maximum)
    if c.exclusive_maximum is not None:
        low = min(low, c.exclusive_maximum - 1)
    return int(low) if t.kind == "int" else float(low)


def value_for(t: ir.TypeRef, api: ir.Api, types: ModuleType) -> Any:
    """A valid value of an IR type: the first option, the smallest list, the
    required fields only of a model (as a mapping, which the SDK accepts)."""
    if isinstance(t, ir.Nullable):
        return value_for(t.inner, api, types)
    if isinstance(t, ir.EnumRef):
        values = api.enum(t.name).values
        return getattr(types, t.name)(values[0]) if values else None
    if isinstance(t, ir.LiteralType):
        return t.value
    if isinstance(t, ir.ModelRef):
        model = api.model(t.name)
        return {
            f.python_name: value_for(f.type, api, types)
            for f in model.fields
            if f.required
        }
    if isinstance(t, ir.ListType):
        return [value_for(t.item, api, types)] * max(t.min_items or 1, 1)
    if isinstance(t, ir.DictType):
        return {}
    if isinstance(t, ir.UnionType):
        return value_for(t.options[0], api, types)
    if t.kind == "str":
        return _string(t)
    if t.kind in ("int", "float"):
        return _number(t)
    if t.kind == "bool":
        return True
    return "sdkgen"


def calls(api: ir.Api, types: ModuleType) -> list[Call]:
    """One call per operation: every parameter (optional ones too, so that
    their serialisation is checked) and the body's required fields."""
    models = {m.name: m for m in api.models}
    out: list[Call] = []
    for op in api.operations:
        view = method_view(op, api, TypeSpeller(), models)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        params = dict(zip(view.param_args, op.params, strict=True))
        for arg in view.positional:
            if arg.name in params:
                args.append(value_for(params[arg.name].type, api, types))
        if view.body_items_model or (
            view.body_plain and any(a.name == "body" for a in view.positional)
        ):
            assert op.body is not None
            args.append(value_for(op.body.type, api, types))
        for arg in view.keyword:
            if arg.name in params:
                kwargs[arg.name] = value_for(params[arg.name].type, api, types)
        if view.body_model:
            fields = {f.python_name: f for f in api.model(view.body_model).fields}
            for field_name, arg_name in view.body_args:
                f = fields[field_name]
                if f.required:
                    kwargs[arg_name] = value_for(f.type, api, types)
        out.append(Call(op, view, tuple(args), kwargs))
    return out

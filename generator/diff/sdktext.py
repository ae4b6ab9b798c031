"""How IR things are spelled in the generated SDK, for the "what it means" column."""

from __future__ import annotations

from .. import ir
from ..describe import type_str
from ..finalnames import member_names
from .reach import Reach

_MAX_CALLS = 3


def code(text: str) -> str:
    return f"`{text}`"


def call(op: ir.Operation) -> str:
    return f"{op.python_call}()"


def argument(reach: Reach, op: ir.Operation, param: ir.Param) -> str:
    """``client.bots.retrieve(bot_id)`` for path params, else ``...(..., name=)``,
    with the argument's final name in the generated method."""
    args = reach.arguments.get(f"{op.http_method} {op.path}", {})
    name = args.get((param.location, param.wire_name), param.python_name)
    if param.location == "path":
        return f"{op.python_call}({name}, ...)"
    return f"{op.python_call}(..., {name}=...)"


def field_ref(reach: Reach, model: str, f: ir.Field, request: bool) -> str:
    """A request field is also an argument of the methods that flatten its model."""
    attr = f"{model}.{f.python_name}"
    calls = reach.flattened.get(model, []) if request else []
    if not calls:
        return code(attr)
    shown = ", ".join(
        code(f"{c}(..., {args.get(f.wire_name, f.python_name)}=...)")
        for c, args in calls[:_MAX_CALLS]
    )
    more = f" (+{len(calls) - _MAX_CALLS} more)" if len(calls) > _MAX_CALLS else ""
    return f"{shown}{more} and {code(attr)}"


def members(values: tuple[str | int, ...]) -> dict[str | int, str]:
    """Value -> generated member name, as the emitter names it."""
    return dict(zip(values, member_names(values), strict=True))


def spell(t: ir.TypeRef | None) -> str:
    return type_str(t)

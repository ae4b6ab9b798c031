"""Which operations and events reach each model and enum of one API version.

Used to say where a model change shows (``used_by``), to group it under a resource,
and to spell body fields as the keyword arguments the client methods flatten them to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import ir
from ..finalnames import call_arguments

WEBHOOKS = "webhooks"
SHARED = "types"


def op_label(op: ir.Operation) -> str:
    return f"{op.http_method} {op.path}"


def event_label(event: ir.WebhookEvent) -> str:
    return f"{event.kind} {event.event}"


def op_resource(op: ir.Operation) -> str:
    return ".".join(op.resource) or "client"


def part_type(part: ir.RequestBody | ir.SuccessResponse | None) -> ir.TypeRef | None:
    """The type of an operation's body or response, when it has one."""
    return part.type if part else None


def operation_types(op: ir.Operation) -> list[ir.TypeRef | None]:
    """The types an operation points at directly: its parameters', body's,
    response's and errors'."""
    return [
        *(p.type for p in op.params),
        part_type(op.body),
        part_type(op.response),
        *(e.type for e in op.errors),
    ]


@dataclass
class Reach:
    # Model or enum name -> labels of the operations/events that reach it.
    users: dict[str, set[str]] = field(default_factory=dict)
    # Label -> the resource it belongs to.
    resource_of: dict[str, str] = field(default_factory=dict)
    # Body model name -> (python call, body wire name -> argument name) of the
    # methods that take its fields as keyword arguments.
    flattened: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)
    # Operation label -> its methods' final argument names (see ``finalnames``).
    arguments: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)

    def used_by(self, name: str) -> tuple[str, ...]:
        return tuple(sorted(self.users.get(name, ())))

    def resource(self, name: str) -> str:
        """The one resource whose operations/events use the type, else ``types``:
        a type shared across resources is reported once, with the shared types."""
        found = {self.resource_of[u] for u in self.users.get(name, ())}
        return found.pop() if len(found) == 1 else SHARED


def build_reach(api: ir.Api) -> Reach:
    reach = Reach()
    children = {
        m.name: [t for f in m.fields for t in ir.refs_in(f.type)] for m in api.models
    }
    models = {m.name: m for m in api.models}
    for op in api.operations:
        _reach_operation(reach, op, models, children)
    for event in api.events:
        label = event_label(event)
        reach.resource_of[label] = WEBHOOKS
        _mark(reach, label, [event.type], children)
    for calls in reach.flattened.values():
        calls.sort(key=lambda item: item[0])
    return reach


def _reach_operation(
    reach: Reach,
    op: ir.Operation,
    models: dict[str, ir.Model],
    children: dict[str, list[str]],
) -> None:
    """One operation: its arguments, resource, the types it reaches, and the
    call that flattens its body model into keyword arguments."""
    label = op_label(op)
    args = reach.arguments[label] = call_arguments(op, models)
    reach.resource_of[label] = op_resource(op)
    _mark(reach, label, operation_types(op), children)
    body = ir.unwrap_nullable(op.body.type) if op.body else None
    if isinstance(body, ir.ModelRef):
        _flatten(reach, body.name, op.python_call, args)


def _flatten(
    reach: Reach, model: str, call: str, args: dict[tuple[str, str], str]
) -> None:
    """Record that ``call`` takes the body model's fields as keyword arguments."""
    body_args = {w: a for (kind, w), a in args.items() if kind == "body"}
    reach.flattened.setdefault(model, []).append((call, body_args))


def _mark(
    reach: Reach,
    label: str,
    roots: Iterable[ir.TypeRef | None],
    children: dict[str, list[str]],
) -> None:
    stack = [name for root in roots for name in ir.refs_in(root)]
    while stack:
        name = stack.pop()
        users = reach.users.setdefault(name, set())
        if label in users:
            continue
        users.add(label)
        stack.extend(children.get(name, ()))

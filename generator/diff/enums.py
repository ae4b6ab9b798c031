"""Values of two enums met at the same place: added and removed members."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import assert_never

from .. import ir
from .context import Context
from .rules import Direction
from .sdktext import code, members


def _value_rules(direction: Direction) -> tuple[str, str]:
    """The (added, removed) rule ids; a value users may read (any but a
    request's) is the louder case when added: match statements miss it."""
    if direction == "request":
        return "request-enum-value-added", "request-enum-value-removed"
    return "response-enum-value-added", "response-enum-value-removed"


def compare_enum(
    ctx: Context,
    old: ir.Enum,
    new: ir.Enum,
    direction: Direction,
    used_by: tuple[str, ...],
) -> None:
    old_members, new_members = members(old.values), members(new.values)
    renamed = f" (enum was {old.name})" if old.name != new.name else ""
    resource = ctx.resource_of(used_by, ctx.new.reach.resource(new.name))
    added, removed = _value_rules(direction)
    for value in new.values:
        if value in old_members:
            continue
        member = f"{new.name}.{new_members[value]}"
        ctx.add(
            added,
            resource=resource,
            subject=new.name,
            message=f"enum value {value!r} ({new_members[value]}) added{renamed}",
            sdk=f"{code(member)} added",
            pointer=new.source,
            used_by=used_by,
            topic=f"value:{value!r}",
        )
    for value in old.values:
        if value in new_members:
            continue
        member = f"{old.name}.{old_members[value]}"
        ctx.add(
            removed,
            resource=resource,
            subject=new.name,
            message=f"enum value {value!r} ({old_members[value]}) removed{renamed}",
            sdk=(
                f"{code(member)} removed"
                if old.name == new.name
                else f"{code(new.name)} has no member for it (was {code(member)})"
            ),
            pointer=old.source,
            side="old",
            used_by=used_by,
            topic=f"value:{value!r}",
        )


def value_sets(
    ctx: Context, old: ir.TypeRef, new: ir.TypeRef
) -> tuple[ValueSet, ValueSet] | None:
    """An enum on one side and a one-value literal (a one-value enum) on the other:
    the values of each, so the change is said value by value."""
    old, new = ir.unwrap_nullable(old), ir.unwrap_nullable(new)
    pair = (
        _value_set(ctx.old.tables.enums, old),
        _value_set(ctx.new.tables.enums, new),
    )
    if pair[0] is None or pair[1] is None:
        return None
    if not (isinstance(old, ir.LiteralType) ^ isinstance(new, ir.LiteralType)):
        return None  # two enums: the walk pairs them; two literals: a type change
    return pair[0], pair[1]


@dataclass(frozen=True)
class ValueSet:
    values: tuple[str | int, ...]
    members: dict[str | int, str]  # value -> how code names it
    enum: str | None = None  # the enum class, when it is one

    @staticmethod
    def of_enum(e: ir.Enum) -> ValueSet:
        spelled = {v: f"{e.name}.{m}" for v, m in members(e.values).items()}
        return ValueSet(e.values, spelled, e.name)


def _value_set(enums: Mapping[str, ir.Enum], t: ir.TypeRef) -> ValueSet | None:
    match t:
        case ir.EnumRef():
            return ValueSet.of_enum(enums[t.name]) if t.name in enums else None
        case ir.LiteralType() if isinstance(t.value, str | int) and not isinstance(
            t.value, bool
        ):
            return ValueSet((t.value,), {t.value: f"Literal[{t.value!r}]"})
        case (
            ir.LiteralType()
            | ir.Primitive()
            | ir.ModelRef()
            | ir.ListType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return None
        case _:
            assert_never(t)


def compare_values(
    ctx: Context,
    old: ValueSet,
    new: ValueSet,
    direction: Direction,
    *,
    subject: str,
    resource: str,
    pointer: str,
    used_by: tuple[str, ...],
) -> None:
    """Values added to or removed from one field or argument (enum <-> literal).

    The enum's name is the subject, so the change is one finding however many
    fields and arguments hold the enum."""
    subject = new.enum or old.enum or subject
    added, removed = _value_rules(direction)
    for value in new.values:
        if value not in old.values:
            ctx.add(
                added,
                resource=resource,
                subject=subject,
                message=f"value {value!r} ({new.members[value]}) added (was "
                f"{_spell(old)})",
                sdk=f"now {_spell(new)}",
                pointer=pointer,
                used_by=used_by,
                topic=f"value:{value!r}",
            )
    for value in old.values:
        if value not in new.values:
            ctx.add(
                removed,
                resource=resource,
                subject=subject,
                message=f"value {value!r} ({old.members[value]}) removed",
                sdk=f"now {_spell(new)}; {code(old.members[value])} no longer fits",
                pointer=pointer,
                used_by=used_by,
                topic=f"value:{value!r}",
            )


def _spell(values: ValueSet) -> str:
    if len(values.values) == 1:
        return code(next(iter(values.members.values())))
    name = next(iter(values.members.values())).rsplit(".", 1)[0]
    return code(name)

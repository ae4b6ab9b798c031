"""Values of two enums met at the same place: added and removed members."""

from __future__ import annotations

from .. import ir
from .context import Context
from .rules import Direction
from .sdktext import code, members


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
    request = direction == "request"
    for value in new.values:
        if value in old_members:
            continue
        member = f"{new.name}.{new_members[value]}"
        ctx.add(
            # A value users may read is the louder case: match statements miss it.
            "request-enum-value-added" if request else "response-enum-value-added",
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
            "request-enum-value-removed" if request else "response-enum-value-removed",
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

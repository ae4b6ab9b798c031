"""Values of an enum present in both versions: added and removed members."""

from __future__ import annotations

from .. import ir
from .context import Context
from .fields import directions
from .sdktext import code, members


def compare_enum(ctx: Context, old: ir.Enum, new: ir.Enum) -> None:
    old_members, new_members = members(old.values), members(new.values)
    renamed = f" (enum was {old.name})" if old.name != new.name else ""
    for value in new.values:
        if value in old_members:
            continue
        # A value users may read is the louder case: match statements miss it.
        side = "response" if "response" in directions(new.usage) else "request"
        ctx.add(
            f"{side}-enum-value-added",
            resource=ctx.new.reach.resource(new.name),
            subject=new.name,
            message=f"enum value {value!r} added{renamed}",
            sdk=f"{code(f'{new.name}.{new_members[value]}')} added",
            pointer=new.source,
            used_by=ctx.new.reach.used_by(new.name),
        )
    for value in old.values:
        if value in new_members:
            continue
        side = "request" if "request" in directions(old.usage) else "response"
        ctx.add(
            f"{side}-enum-value-removed",
            resource=ctx.new.reach.resource(new.name),
            subject=new.name,
            message=f"enum value {value!r} removed{renamed}",
            sdk=f"{code(f'{old.name}.{old_members[value]}')} removed",
            pointer=old.source,
            side="old",
            used_by=ctx.new.reach.used_by(new.name),
        )

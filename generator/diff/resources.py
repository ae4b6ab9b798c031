"""Resource classes: the same resource (``client.bots``) under a new class name.

The naming pass renames a resource's class when a new type takes its name
(``Bots`` -> ``BotsResource``); calls keep working, code that imports the class
for annotations does not.
"""

from __future__ import annotations

from .. import ir
from . import pointers
from .context import Context


def report_resources(ctx: Context) -> None:
    old = {r.path: r for r in ctx.old.api.resources}
    first_op: dict[tuple[str, ...], ir.Operation] = {}
    for o in ctx.new.api.operations:
        first_op.setdefault(o.resource, o)
    for new in ctx.new.api.resources:
        was = old.get(new.path)
        if was is None or was.class_name == new.class_name:
            continue
        attribute = ".".join(("client", *new.path))
        module = f"resources.{new.module}"
        op = first_op.get(new.path)
        ctx.add(
            "resource-class-renamed",
            resource=".".join(new.path),
            subject=attribute,
            message=f"{attribute} is now class {new.class_name} (was {was.class_name})",
            sdk=f"`{module}.{was.class_name}` is now `{module}.{new.class_name}` "
            f"(`{attribute}` is unchanged)",
            pointer=pointers.operation(op.path, op.http_method) if op else "",
        )

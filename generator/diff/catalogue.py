"""Generated classes that appear, disappear or get a new name.

A class that only ever sat inside another class that also appeared (or disappeared)
is folded into that one's change, so one conceptual change is one line.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import ir
from .context import Context, Version
from .reach import operation_types
from .sdktext import code


def report_catalogue(ctx: Context) -> None:
    models, enums = ctx.mapping.models, ctx.mapping.enums
    old, new = ctx.old.tables, ctx.new.tables
    gone = {n for n in old.models if n not in models} | {
        n for n in old.enums if n not in enums
    }
    fresh = (set(new.models) - set(models.values())) | (
        set(new.enums) - set(enums.values())
    )
    for root, nested in _fold(ctx.old, gone).items():
        _report(ctx, ctx.old, root, nested, "removed")
    for root, nested in _fold(ctx.new, fresh).items():
        _report(ctx, ctx.new, root, nested, "added")
    _report_renames(ctx)


def _report_renames(ctx: Context) -> None:
    """Models, then enums, whose class name changed."""
    new = ctx.new.tables
    for old_name, new_name in sorted(ctx.mapping.models.items()):
        if old_name != new_name:
            source = new.models[new_name].source
            _renamed(ctx, "model-renamed", "model", old_name, new_name, source)
    for old_name, new_name in sorted(ctx.mapping.enums.items()):
        if old_name != new_name:
            source = new.enums[new_name].source
            _renamed(ctx, "enum-renamed", "enum", old_name, new_name, source)


def _renamed(
    ctx: Context, rule_id: str, kind: str, old_name: str, new_name: str, source: str
) -> None:
    ctx.add(
        rule_id,
        resource=ctx.new.reach.resource(new_name),
        subject=new_name,
        message=f"{kind} {old_name} is now generated as {new_name}",
        sdk=f"{code(old_name)} is now {code(new_name)}: imports of "
        f"{code(old_name)} fail; to keep the old name, add "
        f"{code(_keep(source, old_name))} to sdkgen.toml's [type_names]",
        pointer=source,
        used_by=ctx.new.reach.used_by(new_name),
    )


def _keep(pointer: str, name: str) -> str:
    """The override that gives the type at ``pointer`` its old name back."""
    return f'"{pointer}" = "{name}"'


_CATALOGUE_RULES = {
    ("model", "added"): "model-added",
    ("model", "removed"): "model-removed",
    ("enum", "added"): "enum-added",
    ("enum", "removed"): "enum-removed",
}


def _report(
    ctx: Context, version: Version, name: str, nested: list[str], action: str
) -> None:
    tables = version.tables
    kind = "model" if name in tables.models else "enum"
    source = (
        tables.models[name].source if kind == "model" else tables.enums[name].source
    )
    also = f" (with {', '.join(nested)})" if nested else ""
    ctx.add(
        _CATALOGUE_RULES[(kind, action)],
        resource=version.reach.resource(name),
        subject=name,
        message=f"{kind} {name} {action}{also}",
        sdk=_catalogue_sdk(name, nested, action),
        pointer=source,
        side="old" if action == "removed" else "new",
        used_by=version.reach.used_by(name),
    )


def _catalogue_sdk(name: str, nested: list[str], action: str) -> str:
    """What a class (with the classes folded into it) appearing or going means."""
    classes = f"{len(nested)} nested class" + ("" if len(nested) == 1 else "es")
    if action == "removed" and nested:
        return f"{code(name)} and {classes} no longer exist: imports of them fail"
    if action == "removed":
        return f"{code(name)} no longer exists: imports of it fail"
    return f"new class {code(name)}" + (f" and {classes}" if nested else "")


def _fold(version: Version, names: set[str]) -> dict[str, list[str]]:
    """Root name -> the names nested only under changed classes, reached from it."""
    parents = _parents(version.api.models)
    direct = _direct(version.api)
    roots = sorted(n for n in names if _is_root(n, names, direct, parents))
    children = {
        m.name: [c for f in m.fields for c in ir.refs_in(f.type)]
        for m in version.api.models
    }
    return {root: _nested(root, children, names, roots) for root in roots}


def _is_root(
    name: str, names: set[str], direct: set[str], parents: dict[str, set[str]]
) -> bool:
    """A changed name reported on its own line: one an operation or event points
    at, or one not only ever inside other changed classes."""
    inside = parents.get(name)
    return name in direct or not inside or not inside <= names


def _nested(
    root: str, children: dict[str, list[str]], names: set[str], roots: list[str]
) -> list[str]:
    """The changed names (no root) reached from ``root`` through changed ones."""
    found: list[str] = []
    stack = list(children.get(root, ()))
    while stack:
        name = stack.pop()
        if name in names and name not in roots and name not in found:
            found.append(name)
            stack.extend(children.get(name, ()))
    return sorted(found)


def _parents(models: Iterable[ir.Model]) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    for m in models:
        for f in m.fields:
            for name in ir.refs_in(f.type):
                parents.setdefault(name, set()).add(m.name)
    return parents


def _direct(api: ir.Api) -> set[str]:
    """Names an operation or event points at directly (not only through a model)."""
    roots = [t for op in api.operations for t in operation_types(op)]
    roots.extend(e.type for e in api.events)
    return {name for t in roots for name in ir.refs_in(t)}

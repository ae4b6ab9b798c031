"""Which public module of ``types/`` each model, TypedDict and alias is defined in.

One call should import only the models it can meet. Those that one resource
module reaches (through its signatures and the fields of what they name) go
in ``types/<resource>.py``, those several reach in ``types/shared.py``; of
those no call reaches, what a webhook or callback event reaches goes in
``types/webhooks.py`` and the rest (error bodies and the like) in
``types/other.py``. A type reached by a resource refers only to types that
resource also reaches, so a resource's module imports only ``shared``,
``shared`` imports none of them, ``webhooks`` imports those and ``other``
any: no import cycles. ``types/models.py`` re-exports every one.

The modules are public and their names stable: a type that moves between
releases (a second resource starts using it) stays importable from the module
``sdkgen.lock`` says it was released in (``moved_types``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from .. import ir

SHARED, WEBHOOKS, OTHER = "shared", "webhooks", "other"
# Module names of ``types/`` that are not a resource's.
RESERVED = frozenset({SHARED, WEBHOOKS, OTHER, "enums", "models"})


def resource_module(resource: str) -> str:
    """The ``types/`` module of the types only ``resource`` (a module of
    ``resources/``) reaches."""
    return resource + "_resource" if resource in RESERVED else resource


def _users(
    deps: Mapping[str, AbstractSet[str]], roots: Mapping[str, AbstractSet[str]]
) -> dict[str, set[str]]:
    """Name -> the roots that reach it."""
    users: dict[str, set[str]] = {name: set() for name in deps}
    for root, names in roots.items():
        stack = sorted(n for n in names if n in deps)
        while stack:
            name = stack.pop()
            if root in users[name]:
                continue
            users[name].add(root)
            stack.extend(n for n in deps[name] if n in deps)
    return users


def type_groups(
    deps: Mapping[str, AbstractSet[str]],
    roots: Mapping[str, AbstractSet[str]],
    events: Iterable[str] = (),
) -> dict[str, str]:
    """Name -> module stem. ``deps``: each type's names in its annotations;
    ``roots``: each resource module's names it uses itself; ``events``: the
    webhook and callback payload models."""
    by_calls = _users(deps, roots)
    by_events = _users(deps, {WEBHOOKS: set(events)})
    groups: dict[str, str] = {}
    for name, found in by_calls.items():
        if len(found) == 1:
            groups[name] = resource_module(next(iter(found)))
        elif found:
            groups[name] = SHARED
        else:
            groups[name] = WEBHOOKS if by_events[name] else OTHER
    return groups


def moved_types(
    locked: Mapping[str, ir.TypeIdentity], groups: Mapping[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """Old module -> (name, new module) of each type released in one module of
    ``types/`` and defined in another now: the old one keeps it importable."""
    moved: dict[str, list[tuple[str, str]]] = {}
    for name, identity in sorted(locked.items()):
        old, new = identity.module, groups.get(name)
        if old and new and old != new and old not in ("enums", "models"):
            moved.setdefault(old, []).append((name, new))
    return moved


def group_doc(stem: str) -> str:
    """The docstring's first line for a module of ``types/``."""
    if stem == SHARED:
        return "Models that the calls of several resources use."
    if stem == WEBHOOKS:
        return "Webhook and callback payloads, and the models only they use."
    if stem == OTHER:
        return "Models that no call or event uses (error bodies and the like)."
    return f"Models that only ``{stem.removesuffix('_resource')}`` calls use."


def homes_in(types_init: str) -> dict[str, str]:
    """Name -> module of ``types/``, read off a rendered ``types/__init__.py``
    (its ``_EXPORTS`` table): what ``--update-lock`` and ``release`` record."""
    import ast

    for node in ast.parse(types_init).body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "_EXPORTS"
            and isinstance(node.value, ast.Dict)
        ):
            table = ast.literal_eval(node.value)
            return {str(k): str(v).lstrip(".") for k, v in table.items()}
    return {}


def homes_of(
    files: Mapping[str, str], package: str, module: str = ""
) -> dict[str, str]:
    """``homes_in`` of the rendered package (``module``: a subpackage's API)."""
    init = files.get(f"{package}/{module + '/' if module else ''}types/__init__.py")
    return homes_in(init) if init is not None else {}

"""Which module of ``types/`` each model, TypedDict and alias is defined in.

One call should import only the models it can meet. Those that one resource
module reaches (through its signatures and the fields of what they name) go
in ``types/_for_<resource>.py``, those several reach in ``types/_shared.py``,
and those no call reaches (webhook payloads, error bodies) in
``types/_other.py``. A type reached by a resource refers only to types that
resource also reaches, so a ``_for_`` module imports only ``_shared`` and
``_shared`` imports none of them: no import cycles. ``types/models.py``
re-exports every one, as before the split.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

SHARED, OTHER = "_shared", "_other"


def resource_module(resource: str) -> str:
    return f"_for_{resource}"


def type_groups(
    deps: Mapping[str, AbstractSet[str]], roots: Mapping[str, AbstractSet[str]]
) -> dict[str, str]:
    """Name -> module stem. ``deps``: each type's names in its annotations;
    ``roots``: each resource module's names it uses itself."""
    users: dict[str, set[str]] = {name: set() for name in deps}
    for resource, names in roots.items():
        _mark_users(resource, names, deps, users)
    return {name: _group(found) for name, found in users.items()}


def _mark_users(
    resource: str,
    names: AbstractSet[str],
    deps: Mapping[str, AbstractSet[str]],
    users: dict[str, set[str]],
) -> None:
    """Add ``resource`` to the users of each type it reaches from ``names``."""
    stack = sorted(n for n in names if n in deps)
    while stack:
        name = stack.pop()
        if resource in users[name]:
            continue
        users[name].add(resource)
        stack.extend(n for n in deps[name] if n in deps)


def _group(users: set[str]) -> str:
    """The module of a type used by ``users`` (resources)."""
    if len(users) == 1:
        return resource_module(next(iter(users)))
    return SHARED if users else OTHER


def group_doc(stem: str) -> str:
    """The docstring's first line for a module of ``types/``."""
    if stem == SHARED:
        return "Models that the calls of several resources use."
    if stem == OTHER:
        return "Models that no call uses (webhook payloads, error bodies and the like)."
    return f"Models that only ``{stem.removeprefix('_for_')}`` calls use."

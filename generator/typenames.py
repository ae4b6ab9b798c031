"""Final names for shapes: short, readable, deterministic, stable across versions.

Rules, in order:
1. A shape named by the spec (a component, an operation's result) takes that name,
   with zod's ``Input`` suffix dropped.
2. Otherwise it is named after the property, parameter or array it sits in
   (``timeout_config`` -> ``TimeoutConfig``; ``participants`` items -> ``Participant``);
   the spelling met most often wins.
3. When different shapes want one name, the shape met most often keeps it (then the
   shallower, then the one first met); the others are qualified by their parent's name
   (``BotWebhookFailedData``), and only then numbered.
4. ``type_names`` in ``spec/sdkgen.toml`` renames whatever these rules get wrong.
Only shapes reachable from an operation or webhook event get a name (and are emitted).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping

from . import ir
from .errors import SpecError
from .naming import type_name
from .shapes import NameHint, Shape

# Too vague on their own: a property of this name is qualified by its parent's name.
_GENERIC = frozenset(
    {
        "Data",
        "Item",
        "Value",
        "Result",
        "Object",
        "Model",
        "Config",
        "Error",
        "Status",
        "Type",
        "Method",
        "Provider",
        "Instance",
        "Kind",
        "Mode",
        "Info",
        "Settings",
        "Options",
        "State",
        "Details",
    }
)
# Dropped from a parent's name before it qualifies a child: CallbackConfig + Method
# -> CallbackMethod.
_PARENT_SUFFIXES = (
    "RequestBody",
    "Request",
    "Response",
    "Result",
    "Details",
    "Config",
    "Data",
)
# Names the generated package defines itself.
_RESERVED = frozenset(
    {
        "BaseModel",
        "RequestModel",
        "MeetingBaas",
        "AsyncMeetingBaas",
        "Field",
        "Enum",
        "Any",
        "Literal",
        "Optional",
        "Union",
        "Annotated",
        "APIError",
        "APIResponse",
        "NotGiven",
        "UnknownWebhookEvent",
    }
)


def refs_in(t: ir.TypeRef | None) -> Iterator[str]:
    """Shape ids (or names) a type points at, in order."""
    if t is None:
        return
    if isinstance(t, ir.ModelRef | ir.EnumRef):
        yield t.name
    elif isinstance(t, ir.Nullable):
        yield from refs_in(t.inner)
    elif isinstance(t, ir.ListType):
        yield from refs_in(t.item)
    elif isinstance(t, ir.DictType):
        yield from refs_in(t.value)
    elif isinstance(t, ir.UnionType):
        for option in t.options:
            yield from refs_in(option)


def reachable(
    shapes: Mapping[str, Shape], roots: Iterable[ir.TypeRef | None]
) -> dict[str, int]:
    """Breadth-first from the roots: shape id -> depth, in visiting order."""
    depth: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque()
    for root in roots:
        for sid in refs_in(root):
            if sid in shapes and sid not in depth:
                depth[sid] = 0
                queue.append((sid, 0))
    while queue:
        sid, d = queue.popleft()
        for f in shapes[sid].fields:
            for cid in refs_in(f.type):
                if cid in shapes and cid not in depth:
                    depth[cid] = d + 1
                    queue.append((cid, d + 1))
    return depth


def bare_name(hint: NameHint) -> str:
    name = type_name(hint.name)
    if (
        (hint.priority == 0 or hint.component)
        and name.endswith("Input")
        and len(name) > len("Input")
    ):
        name = name[: -len("Input")]
    return name


def preferred(shape: Shape) -> tuple[str, int]:
    """The shape's own best name and how many hints agree on it."""
    best = min(h.priority for h in shape.hints)
    counts = Counter(bare_name(h) for h in shape.hints if h.priority == best)
    name, count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return name, count


def assign_names(
    shapes: Mapping[str, Shape],
    roots: Iterable[ir.TypeRef | None],
    overrides: Mapping[str, str],
) -> dict[str, str]:
    """Shape id -> final type name, for every reachable shape."""
    depth = reachable(shapes, roots)
    wanted = {sid: preferred(shapes[sid]) for sid in depth}
    by_name: dict[str, list[str]] = {}
    for sid, (name, _) in wanted.items():
        by_name.setdefault(name, []).append(sid)
    # The shape met most often keeps a contested name; ties go to the shallower one.
    keeper = {
        name: min(sids, key=lambda s: (-wanted[s][1], depth[s], shapes[s].source))
        for name, sids in by_name.items()
        if name not in _RESERVED
    }
    _check_overrides(overrides)
    chosen: set[str] = set()  # names given by overrides so far
    names: dict[str, str] = {}
    taken: set[str] = set()
    for sid in depth:  # breadth-first: parents are named before their children
        name = wanted[sid][0]
        spec_named = min(h.priority for h in shapes[sid].hints) == 0
        if keeper.get(name) != sid or (name in _GENERIC and not spec_named):
            name = _qualified(shapes[sid], name, names, shapes)
        # Overrides apply here so that children are qualified by the chosen name.
        if name in overrides:
            name = overrides[name]
            if name in taken:
                raise SpecError(
                    f"{name!r} is already taken by another type",
                    "sdkgen.toml#/type_names",
                )
            chosen.add(name)
        elif name in chosen:
            raise SpecError(
                f"{name!r} is already taken by another type", "sdkgen.toml#/type_names"
            )
        names[sid] = _unique(name, taken)
    return names


def _qualified(
    shape: Shape, name: str, names: Mapping[str, str], shapes: Mapping[str, Shape]
) -> str:
    """Prefix a contested or vague name with its most common parent's stem."""
    stems: Counter[str] = Counter()
    for hint in shape.hints:
        if bare_name(hint) == name and hint.parent is not None:
            parent = names.get(hint.parent) or (
                preferred(shapes[hint.parent])[0] if hint.parent in shapes else ""
            )
            if _stem(parent):
                stems[_stem(parent)] += 1
    if stems:
        stem = min(stems.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return name if name.startswith(stem) else stem + name
    # Spec-named shapes that clash keep the spec's full name (e.g. a real "...Input").
    for hint in shape.hints:
        if hint.priority == 0 and type_name(hint.name) != name:
            return type_name(hint.name)
    return name


def _stem(parent: str) -> str:
    for suffix in _PARENT_SUFFIXES:
        if parent.endswith(suffix) and len(parent) > len(suffix):
            return parent[: -len(suffix)]
    return parent


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken or candidate in _RESERVED:
        candidate = f"{name}{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _check_overrides(overrides: Mapping[str, str]) -> None:
    for old, new in sorted(overrides.items()):
        if not new.isidentifier() or new in _RESERVED:
            raise SpecError(
                f"{new!r} is not a usable type name", f"sdkgen.toml#/type_names/{old}"
            )


def rename(t: ir.TypeRef, names: Mapping[str, str]) -> ir.TypeRef:
    """Replace shape ids by final names throughout a type."""
    if isinstance(t, ir.ModelRef):
        return ir.ModelRef(names[t.name])
    if isinstance(t, ir.EnumRef):
        return ir.EnumRef(names[t.name])
    if isinstance(t, ir.Nullable):
        return ir.Nullable(rename(t.inner, names))
    if isinstance(t, ir.ListType):
        return ir.ListType(rename(t.item, names), t.min_items, t.max_items)
    if isinstance(t, ir.DictType):
        return ir.DictType(rename(t.value, names))
    if isinstance(t, ir.UnionType):
        return ir.UnionType(tuple(rename(o, names) for o in t.options), t.discriminator)
    return t

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
4. ``type_names`` in ``spec/sdkgen.toml`` renames whatever these rules get wrong,
   keyed by a generated name or by the JSON pointer of a schema the type comes from;
   ``sdkgen.lock`` keeps released names. When two types want one name the stronger
   claim keeps it (pointer override > name override > lock > rules) and the other
   is qualified, with a warning: a clash never stops generation.
Only shapes reachable from an operation or webhook event get a name (and are emitted).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import assert_never

from .. import ir
from ..errors import SpecError, escape_pointer_token
from ..finalnames import MODULE_NAMES, RUNTIME_NAMES, is_reserved_type_name
from ..naming import type_name
from .schemas import NameHint, component_name
from .shapes import Shape

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
# Names the generated package uses itself, whatever the API's title (the
# title's client names come with NameRules.reserved), and typing names a
# reader would take for typing's.
_RESERVED = MODULE_NAMES | RUNTIME_NAMES | {"Enum", "Optional", "Union"}


def reachable(
    shapes: Mapping[str, Shape], roots: Iterable[ir.TypeRef | None]
) -> dict[str, int]:
    """Breadth-first from the roots: shape id -> depth, in visiting order."""
    depth: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque()
    _enqueue(shapes, depth, queue, roots, 0)
    while queue:
        sid, d = queue.popleft()
        _enqueue(shapes, depth, queue, (f.type for f in shapes[sid].fields), d + 1)
    return depth


def _enqueue(
    shapes: Mapping[str, Shape],
    depth: dict[str, int],
    queue: deque[tuple[str, int]],
    types: Iterable[ir.TypeRef | None],
    d: int,
) -> None:
    """Queue the shapes ``types`` refer to that were not met yet, at depth ``d``."""
    for t in types:
        for sid in ir.refs_in(t):
            if sid in shapes and sid not in depth:
                depth[sid] = d
                queue.append((sid, d))


def bare_name(hint: NameHint, twins: AbstractSet[str] | None = None) -> str:
    """The hint's name; zod's ``Input`` twin of a schema named as the schema
    (``twins``: the names that are such twins; None: every ``...Input``)."""
    name = type_name(hint.name)
    if (
        (hint.priority == 0 or hint.component)
        and name.endswith("Input")
        and len(name) > len("Input")
        and (twins is None or name in twins)
    ):
        name = name[: -len("Input")]
    return name


def input_twins(components: Iterable[str]) -> frozenset[str]:
    """The ``XInput`` names of a spec's components that have an ``X`` beside
    them: where the spec shows zod's convention ([conventions] input_twins)."""
    names = {type_name(c) for c in components}
    return frozenset(n for n in names if n.endswith("Input") and n[:-5] in names)


def preferred(shape: Shape, twins: AbstractSet[str] | None = None) -> tuple[str, int]:
    """The shape's own best name and how many hints agree on it. Names that
    differ only by a leading verb (``CreateOrgMembershipOutput``,
    ``GetOrgMembershipOutput``: equal shapes merged into one type) give way to
    what they share, so that no use reads wrong (a list returning ``Create...``)."""
    best = min(h.priority for h in shape.hints)
    counts = Counter(bare_name(h, twins) for h in shape.hints if h.priority == best)
    shared = _without_verb(counts)
    if shared is not None:
        return shared, counts.total()
    name, count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return name, count


# Leading words of an operation's name that say what a call does, not what the
# value is.
_VERBS = re.compile(
    "^(?:Add|Create|Delete|Edit|Fetch|Find|Get|List|Modify|Patch|Post|Put|Read"
    "|Remove|Replace|Retrieve|Search|Set|Update|Upsert)(?=[A-Z])"
)


def verbless(name: str) -> str:
    """``name`` without a leading verb (``CreateWidget`` -> ``Widget``)."""
    return _VERBS.sub("", name)


def _without_verb(names: Iterable[str]) -> str | None:
    """The one name several names become without their leading verb, or None
    (one name only, or they do not agree)."""
    distinct = set(names)
    if len(distinct) < 2:
        return None
    stems = {verbless(name) for name in distinct}
    return stems.pop() if len(stems) == 1 else None


@dataclass(frozen=True)
class NameRules:
    """What besides the rules decides names: the config's overrides and the lock."""

    # Generated (or released) name -> name: ``[type_names] Old = "New"``.
    overrides: Mapping[str, str] = field(default_factory=dict)
    # JSON pointer of a schema the type comes from -> name.
    pointer_names: Mapping[str, str] = field(default_factory=dict)
    # Released name -> where its type came from (``sdkgen.lock``).
    locked: Mapping[str, ir.TypeIdentity] = field(default_factory=dict)
    # Names the SDK's own modules use beside the types (finalnames).
    reserved: frozenset[str] = frozenset()
    # ``XInput`` names that are zod twins of ``X`` (input_twins); None: all.
    twins: AbstractSet[str] | None = None

    def blocks(self, name: str) -> bool:
        return name in _RESERVED or is_reserved_type_name(name, self.reserved)


@dataclass(frozen=True)
class Naming:
    names: dict[str, str]  # shape id -> final name
    warnings: tuple[str, ...]
    identities: dict[str, ir.TypeIdentity]  # final name -> identity (for the lock)


@dataclass(frozen=True)
class _Claim:
    name: str
    strength: int  # _RULE < _LOCK < _OVERRIDE < _POINTER
    # A locked name's type whose structure did not change: it keeps the name.
    same_shape: bool
    votes: int  # how many of the shape's pointers (or hints) back the claim
    where: str  # the entry that made it, for warnings
    key: str | None = None  # the [type_names] key it used, if any


_RULE, _LOCK, _OVERRIDE, _POINTER = range(4)
_WHY = {
    _RULE: "naming rules",
    _LOCK: "the lock",
    _OVERRIDE: "override",
    _POINTER: "pointer override",
}


def name_shapes(
    shapes: Mapping[str, Shape],
    roots: Iterable[ir.TypeRef | None],
    rules: NameRules,
) -> Naming:
    """Final names; clashes never fail: the stronger claim keeps the name.

    A name given by a pointer override beats one given by a name override, which
    beats the lock's, which beats the rules'. Two passes: the first finds who wants
    which name, the second reserves each contested name for its strongest claimant
    and gives the others a qualified name (with a warning).
    """
    depth = reachable(shapes, roots)
    _check_overrides(rules, rules.overrides, rules.pointer_names)
    pinned = _votes(shapes, depth, rules.pointer_names)
    lock_index: dict[str, str] = {}
    for name in sorted(rules.locked):
        for ptr in rules.locked[name].pointers:
            lock_index.setdefault(ptr, name)
    locked = _votes(shapes, depth, lock_index)
    structure = shape_hashes(shapes, depth)
    same_shape = {
        sid
        for sid, (name, _, _) in locked.items()
        if rules.locked[name].shape == structure[sid]
    }
    namer = _Namer(shapes, depth, rules, pinned, locked, same_shape)
    first = namer.run({}, {})
    second = namer.run(_owners(first.claims, namer), first.claims)
    warnings = [*second.lost, *_dead(shapes, depth, rules, second)]
    identities = {
        name: ir.TypeIdentity(tuple(shapes[sid].wheres), structure[sid])
        for sid, name in second.names.items()
    }
    return Naming(second.names, tuple(warnings), identities)


def shape_hashes(shapes: Mapping[str, Shape], sids: Iterable[str]) -> dict[str, str]:
    """Shape id -> a hash of its structure with its children's, stable across builds
    (shape ids are not: they number shapes in the order met)."""
    memo: dict[str, str] = {}

    def of_shape(sid: str, stack: tuple[str, ...]) -> str:
        if sid in stack:
            return "cycle"
        if sid not in memo:
            shape = shapes[sid]
            if shape.kind == "enum":
                text = repr(("enum", sorted(map(repr, shape.values))))
            else:
                text = repr(
                    sorted(
                        (
                            f.wire_name,
                            f.required,
                            f.has_default,
                            repr(f.default),
                            of_type(f.type, (*stack, sid)),
                        )
                        for f in shape.fields
                    )
                )
            memo[sid] = hashlib.sha256(text.encode()).hexdigest()[:16]
        return memo[sid]

    def of_type(t: ir.TypeRef, stack: tuple[str, ...]) -> str:
        match t:
            case ir.ModelRef() | ir.EnumRef():
                return of_shape(t.name, stack) if t.name in shapes else "recursive"
            case ir.Nullable():
                return "?" + of_type(t.inner, stack)
            case ir.ListType():
                return f"[{of_type(t.item, stack)}]{t.min_items},{t.max_items}"
            case ir.DictType():
                return "{" + of_type(t.value, stack) + "}"
            case ir.UnionType():
                options = ",".join(of_type(o, stack) for o in t.options)
                return f"|{options}|{t.discriminator}"
            case ir.Primitive() | ir.LiteralType():
                return repr(t)
            case _:
                assert_never(t)

    return {sid: of_shape(sid, ()) for sid in sids}


def _votes(
    shapes: Mapping[str, Shape], sids: Iterable[str], index: Mapping[str, str]
) -> dict[str, tuple[str, int, str]]:
    """Shape id -> (name most of its pointers map to, how many, first such pointer)."""
    out: dict[str, tuple[str, int, str]] = {}
    if not index:
        return out
    for sid in sids:
        found = Counter(index[p] for p in shapes[sid].wheres if p in index)
        if found:
            name, n = min(found.items(), key=lambda kv: (-kv[1], kv[0]))
            first = next(p for p in shapes[sid].wheres if index.get(p) == name)
            out[sid] = (name, n, first)
    return out


@dataclass
class _Pass:
    names: dict[str, str] = field(default_factory=dict)
    claims: dict[str, _Claim] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    matched: set[str] = field(default_factory=set)  # [type_names] keys used


class _Namer:
    def __init__(
        self,
        shapes: Mapping[str, Shape],
        depth: Mapping[str, int],
        rules: NameRules,
        pinned: Mapping[str, tuple[str, int, str]],
        locked: Mapping[str, tuple[str, int, str]],
        same_shape: set[str],
    ) -> None:
        self.shapes, self.depth, self.rules = shapes, depth, rules
        self.pinned, self.locked = pinned, locked
        # Shapes whose structure is still the one their locked name was released with.
        self.same_shape = same_shape
        self.wanted = {sid: preferred(shapes[sid], rules.twins) for sid in depth}
        by_name: dict[str, list[str]] = {}
        for sid, (name, _) in self.wanted.items():
            by_name.setdefault(name, []).append(sid)
        # The shape met most often keeps a contested name; ties go to the shallower.
        self.keeper = {
            name: min(sids, key=self.rank)
            for name, sids in by_name.items()
            if not rules.blocks(name)
        }

    def _unique(
        self, name: str, taken: set[str], reserved: Mapping[str, str], sid: str
    ) -> str:
        """``name``, or the first free spelling after it: a name the SDK uses
        itself becomes ``<name>Model``/``<name>Enum`` (Petstore's ``Tag`` beside
        pydantic's), a taken one ``<name>2``, ``<name>3``..."""
        if self.rules.blocks(name):
            name += "Enum" if self.shapes[sid].kind == "enum" else "Model"
        candidate, n = name, 2
        while (
            candidate in taken
            or self.rules.blocks(candidate)
            or reserved.get(candidate, sid) != sid
        ):
            candidate = f"{name}{n}"
            n += 1
        taken.add(candidate)
        return candidate

    def rank(self, sid: str) -> tuple[int, int, str]:
        return (-self.wanted[sid][1], self.depth[sid], self.shapes[sid].source)

    def run(self, reserved: Mapping[str, str], before: Mapping[str, _Claim]) -> _Pass:
        out = _Pass()
        taken: set[str] = set()
        for sid in self.depth:  # breadth-first: parents are named before children
            rule = self._rule(sid, out.names)
            claim = self._claim(sid, rule)
            out.claims[sid] = claim
            if claim.key is not None:
                out.matched.add(claim.key)
            owner = reserved.get(claim.name, sid)
            if owner == sid:
                out.names[sid] = self._unique(claim.name, taken, reserved, sid)
                continue
            fallback = self._fallback(sid, rule, claim.name, reserved)
            name = self._unique(fallback, taken, reserved, sid)
            out.names[sid] = name
            won = out.claims.get(owner) or before[owner]
            out.lost.append(self._lost(won, claim.name, owner, sid, name))
        return out

    def _rule(self, sid: str, names: Mapping[str, str]) -> str:
        """The name the rules give a shape: the one it wants, qualified by its
        parent when another shape keeps it or it is too vague alone."""
        rule = self.wanted[sid][0]
        spec_named = min(h.priority for h in self.shapes[sid].hints) == 0
        if self.keeper.get(rule) != sid or (rule in _GENERIC and not spec_named):
            rule = _qualified(
                self.shapes[sid], rule, names, self.shapes, self.rules.twins
            )
        return rule

    def _fallback(
        self, sid: str, rule: str, claimed: str, reserved: Mapping[str, str]
    ) -> str:
        """The name of a shape whose claimed name another keeps: its rule's
        when that is free, else the claimed one qualified."""
        if rule != claimed and reserved.get(rule, sid) == sid:
            return rule
        return _requalify(self.shapes[sid], claimed)

    def _lost(self, won: _Claim, claimed: str, owner: str, sid: str, name: str) -> str:
        """The warning for a shape that lost ``claimed`` to ``owner``."""
        return (
            f"{won.where}: two types want the name {claimed!r}; the one at "
            f"{self.shapes[owner].source} keeps it ({_WHY[won.strength]}), the one "
            f"at {self.shapes[sid].source} is named {name!r}"
        )

    def _claim(self, sid: str, rule: str) -> _Claim:
        overrides = self.rules.overrides
        if sid in self.pinned:
            name, votes, ptr = self.pinned[sid]
            return _Claim(name, _POINTER, False, votes, _entry(ptr), ptr)
        lock = self.locked.get(sid)
        for key in (rule, lock[0] if lock else None):
            if key is not None and key in overrides:
                return _Claim(overrides[key], _OVERRIDE, False, 0, _entry(key), key)
        if lock:
            where = f"sdkgen.lock#/types/{escape_pointer_token(lock[0])}"
            same = sid in self.same_shape
            return _Claim(lock[0], _LOCK, same, lock[1], where)
        return _Claim(rule, _RULE, False, self.wanted[sid][1], "#")


def _owners(claims: Mapping[str, _Claim], namer: _Namer) -> dict[str, str]:
    """Name -> the shape that keeps it, for names an override or the lock gives."""
    by_name: dict[str, list[str]] = {}
    for sid, claim in claims.items():
        by_name.setdefault(claim.name, []).append(sid)
    owners: dict[str, str] = {}
    for name, sids in by_name.items():
        if max(claims[s].strength for s in sids) > _RULE:
            owners[name] = min(
                sids,
                key=lambda s: (
                    -claims[s].strength,
                    not claims[s].same_shape,
                    -claims[s].votes,
                    *namer.rank(s),
                ),
            )
    return owners


def _dead(
    shapes: Mapping[str, Shape],
    depth: Mapping[str, int],
    rules: NameRules,
    done: _Pass,
) -> list[str]:
    """Warnings for [type_names] entries that no type of this spec needs.

    A name-keyed entry whose name a type has anyway (the spec names it so) is
    satisfied, not dead: one config serves several spellings of the spec.
    """
    met = {p for sid in depth for p in shapes[sid].wheres}
    given = set(done.names.values())
    dead = [
        k
        for k, v in rules.overrides.items()
        if k not in done.matched and v not in given
    ]
    dead += [k for k in rules.pointer_names if k not in met]
    return [
        f"{_entry(key)}: matches no type of this spec (dead entry)"
        for key in sorted(dead)
    ]


def _entry(key: str) -> str:
    return f"sdkgen.toml#/type_names/{escape_pointer_token(key)}"


def _requalify(shape: Shape, name: str) -> str:
    """A name another type keeps, qualified by the component this shape sits in."""
    component = component_name("/".join(shape.source.split("/")[:4]))
    stem = _stem(type_name(component)) if component else ""
    return stem + name if stem and not name.startswith(stem) else name


def _qualified(
    shape: Shape,
    name: str,
    names: Mapping[str, str],
    shapes: Mapping[str, Shape],
    twins: AbstractSet[str] | None = None,
) -> str:
    """Prefix a contested or vague name with its most common parent's stem."""
    stems = _parent_stems(shape, name, names, shapes, twins)
    if stems:
        stem = min(stems.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return name if name.startswith(stem) else stem + name
    # Spec-named shapes that clash keep the spec's full name (e.g. a real "...Input").
    for hint in shape.hints:
        if hint.priority == 0 and type_name(hint.name) != name:
            return type_name(hint.name)
    return name


def _parent_stems(
    shape: Shape,
    name: str,
    names: Mapping[str, str],
    shapes: Mapping[str, Shape],
    twins: AbstractSet[str] | None,
) -> Counter[str]:
    """How often each parent's stem names the shape's place where its hint
    gives it ``name``."""
    stems: Counter[str] = Counter()
    for hint in shape.hints:
        if bare_name(hint, twins) == name and hint.parent is not None:
            parent = names.get(hint.parent) or (
                preferred(shapes[hint.parent], twins)[0]
                if hint.parent in shapes
                else ""
            )
            if _stem(parent):
                stems[_stem(parent)] += 1
    return stems


def _stem(parent: str) -> str:
    for suffix in _PARENT_SUFFIXES:
        if parent.endswith(suffix) and len(parent) > len(suffix):
            return parent[: -len(suffix)]
    return parent


def _check_overrides(rules: NameRules, *tables: Mapping[str, str]) -> None:
    for table in tables:
        for old, new in sorted(table.items()):
            if not new.isidentifier() or rules.blocks(new):
                raise SpecError(f"{new!r} is not a usable type name", _entry(old))

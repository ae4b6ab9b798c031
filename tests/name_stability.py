"""Helpers for the name-stability tests: type identities across two builds, and
one-at-a-time seeded mutations of a spec document."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from generator import ir
from generator.config import Config
from generator.parse.loader import LoadedSpec
from generator.parse.normalise import normalise

KINDS = (
    "add-enum-value",
    "remove-enum-value",
    "add-field",
    "remove-field",
    "add-operation",
    "remove-operation",
    "make-optional",
    "change-type",
)
_HTTP = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def build(raw: dict[str, Any], config: Config) -> ir.Api:
    return normalise(LoadedSpec("mutated", "", raw), config)


def with_lock(config: Config, api: ir.Api) -> Config:
    """The config as it is once ``api``'s names were released (its lock)."""
    return replace(config, locked_names=dict(api.identities))


def without_lock(config: Config) -> Config:
    return replace(config, locked_names={}, lock_path=None)


@dataclass(frozen=True)
class TypeId:
    """A type across builds: its deep structure and every place it was met."""

    shape: str
    wheres: frozenset[str]


def type_ids(api: ir.Api) -> dict[str, TypeId]:
    """Name -> identity, for every model and enum."""
    models = {m.name: m for m in api.models}
    enums = {e.name: e for e in api.enums}
    memo: dict[str, str] = {}

    def sig(name: str, stack: tuple[str, ...]) -> str:
        if name in stack:
            return "cycle"
        if name not in memo:
            if name in enums:
                text = repr(("enum", sorted(map(repr, enums[name].values))))
            else:
                text = repr(
                    (
                        "model",
                        sorted(
                            (
                                f.wire_name,
                                f.required,
                                f.has_default,
                                repr(f.default),
                                type_sig(f.type, (*stack, name)),
                            )
                            for f in models[name].fields
                        ),
                    )
                )
            memo[name] = hashlib.sha256(text.encode()).hexdigest()[:16]
        return memo[name]

    def type_sig(t: ir.TypeRef, stack: tuple[str, ...]) -> str:
        if isinstance(t, ir.ModelRef | ir.EnumRef):
            return sig(t.name, stack)
        if isinstance(t, ir.Nullable):
            return f"?{type_sig(t.inner, stack)}"
        if isinstance(t, ir.ListType):
            return f"[{type_sig(t.item, stack)}]{t.min_items},{t.max_items}"
        if isinstance(t, ir.DictType):
            return f"{{{type_sig(t.value, stack)}}}"
        if isinstance(t, ir.UnionType):
            inner = ",".join(type_sig(o, stack) for o in t.options)
            return f"|{inner}|{t.discriminator}"
        return repr(t)

    wheres = dict(api.identities)
    return {
        name: TypeId(sig(name, ()), frozenset(wheres[name].pointers))
        for name in sorted([*models, *enums])
    }


@dataclass(frozen=True)
class Stability:
    untouched: int  # types whose structure and places are the same in both builds
    kept: int  # of those, how many kept their name
    moved: tuple[tuple[str, str], ...]  # (old name, new name) of the others


def compare(old: ir.Api, new: ir.Api) -> Stability:
    before, after = type_ids(old), type_ids(new)
    by_id = {tid: name for name, tid in after.items()}
    untouched = [(name, by_id[tid]) for name, tid in before.items() if tid in by_id]
    moved = tuple((a, b) for a, b in untouched if a != b)
    return Stability(len(untouched), len(untouched) - len(moved), moved)


@dataclass(frozen=True)
class Mutation:
    kind: str
    pointer: str
    doc: dict[str, Any]


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, str(i)))


def _sites(doc: dict[str, Any], kind: str) -> list[tuple[str, ...]]:
    if kind in ("add-operation", "remove-operation"):
        return [
            ("paths", p, m)
            for p, item in (doc.get("paths") or {}).items()
            for m in item
            if m in _HTTP
        ]
    found = []
    for path, node in _walk(doc, ()):
        enum = node.get("enum")
        strings = isinstance(enum, list) and all(isinstance(v, str) for v in enum)
        props = node.get("properties")
        if (
            (kind == "add-enum-value" and strings and len(enum) >= 2)
            or (kind == "remove-enum-value" and strings and len(enum) >= 3)
            or (kind == "add-field" and isinstance(props, dict) and props)
            or (kind == "remove-field" and isinstance(props, dict) and len(props) >= 2)
            or (
                kind == "make-optional"
                and isinstance(props, dict)
                and isinstance(node.get("required"), list)
                and any(r in props for r in node["required"])
            )
            or (
                kind == "change-type"
                and node.get("type") in ("string", "integer", "number", "boolean")
                and "enum" not in node
                and "const" not in node
                and len(path) >= 2
                and path[-2] == "properties"
            )
        ):
            found.append(path)
    return found


def _at(doc: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = doc
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def mutations(text: str, kind: str, count: int, seed: int) -> Iterator[Mutation]:
    """``count`` documents, each ``text`` with one ``kind`` change at a seeded place."""
    rng = random.Random(f"{seed}:{kind}")
    sites = _sites(json.loads(text), kind)
    for path in rng.sample(sites, min(count, len(sites))):
        doc = json.loads(text)
        _apply(doc, kind, path, rng)
        pointer = "#/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in path)
        yield Mutation(kind, pointer, doc)


def _apply(
    doc: dict[str, Any], kind: str, path: tuple[str, ...], rng: random.Random
) -> None:
    if kind == "add-operation":
        op = json.loads(json.dumps(_at(doc, path)))
        op["operationId"] = f"{op.get('operationId', 'op')}Copy"
        doc["paths"][f"{path[1]}/zz-copy"] = {path[2]: op}
        return
    if kind == "remove-operation":
        item = doc["paths"][path[1]]
        del item[path[2]]
        if not any(m in _HTTP for m in item):
            del doc["paths"][path[1]]
        return
    node = _at(doc, path)
    if kind == "add-enum-value":
        node["enum"].append("zz_new_value")
    elif kind == "remove-enum-value":
        node["enum"].pop(rng.randrange(len(node["enum"])))
    elif kind == "add-field":
        node["properties"]["zz_new_field"] = {"type": "string"}
    elif kind == "remove-field":
        name = rng.choice(sorted(node["properties"]))
        del node["properties"][name]
        if name in (node.get("required") or []):
            node["required"].remove(name)
    elif kind == "make-optional":
        props = node["properties"]
        name = rng.choice(sorted(r for r in node["required"] if r in props))
        node["required"].remove(name)
    elif kind == "change-type":
        node["type"] = "integer" if node["type"] == "string" else "string"
        for key in (
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ):
            node.pop(key, None)


@dataclass(frozen=True)
class History:
    """What became of each name of ``old`` in ``new``."""

    kept_same_shape: tuple[str, ...]
    kept_new_shape: tuple[str, ...]
    # (old name, what happened and why)
    changed: tuple[tuple[str, str], ...]


def history(old: ir.Api, new: ir.Api) -> History:
    before, after = type_ids(old), type_ids(new)
    by_shape = {t.shape: name for name, t in after.items()}
    same, reshaped, changed = [], [], []
    for name, tid in before.items():
        if by_shape.get(tid.shape) == name:
            same.append(name)
        elif tid.shape in by_shape:
            changed.append((name, f"same shape now named {by_shape[tid.shape]}"))
        elif name in after and after[name].wheres & tid.wheres:
            reshaped.append(name)
        else:
            changed.append((name, _why_gone(name, tid, after, new)))
    return History(tuple(same), tuple(reshaped), tuple(changed))


def _why_gone(name: str, tid: TypeId, after: dict[str, TypeId], new: ir.Api) -> str:
    heirs = sorted(n for n, t in after.items() if t.wheres & tid.wheres)
    if not heirs:
        return "removed: no type of the new spec comes from its places"
    clash = [w for w in new.warnings if f"'{name}'" in w]
    if clash:
        return f"shape changed; its places now hold {', '.join(heirs)}: {clash[0]}"
    if name in after:
        return (
            "shape changed; the name now belongs to another type "
            f"({', '.join(heirs)} hold its places)"
        )
    return f"shape changed and its places now hold {', '.join(heirs)}"

"""Known changes applied one at a time to a real spec, at places a seeded random
generator picks, and what ``sdkgen diff`` must say about each.

``KINDS`` is the table: what to change, which rule must report it at which level,
and what the finding must name. ``run_kind`` applies one kind at many places of one
spec and returns, per place, whether the diff got it right (and why not).
Run ``python -m tests.diff_mutations`` for the per-kind table over the shared specs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import Config
from generator.diff import DiffReport, diff_versions
from generator.diff.context import Version, make_version
from generator.diff.report import SpecInfo
from generator.diff.rules import LEVEL_RANK
from generator.naming import enum_member
from generator.parse.loader import LoadedSpec
from generator.parse.normalise import normalise

Doc = dict[str, Any]
Key = str | int
# Areas of rules about generated class names, reported beside structural changes.
NAMING_RULES = frozenset({"model-added", "model-removed", "enum-added", "enum-removed"})
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
ENVELOPE = frozenset({"success", "data", "cursor", "prev_cursor"})
NEW_NAME = "zz_added"
NEW_VALUE = "zz_new_value"


@dataclass(frozen=True)
class Site:
    """One property of an object schema (or one parameter) reached by an operation."""

    op: str  # "GET /v2/bots"
    side: str  # "request" or "response"
    node: tuple[Key, ...]  # where the object schema (or parameter) sits in the doc
    prop: str  # property (or parameter) name


@dataclass(frozen=True)
class Kind:
    name: str
    rule: str
    level: str
    # Is a site usable for this kind; apply the change there, returning what the
    # finding must mention (a field name or an enum value).
    fits: Callable[[Doc, Site], bool]
    apply: Callable[[Doc, Site], str]
    side: str
    params: bool = False  # sites are query parameters, not properties
    # Made on both versions before the change (the old version holds it too).
    prepare: Callable[[Doc, Site], None] | None = None
    # No finding at all above the kind's level, class names included.
    alone: bool = False


@dataclass(frozen=True)
class Outcome:
    site: Site
    right: bool
    why: str
    # A class-name finding (reported separately) above the kind's level came too.
    renamed: bool = False


# -- finding places -------------------------------------------------------------------


def _get(doc: Any, node: tuple[Key, ...]) -> Any:
    for key in node:
        doc = doc[key]
    return doc


def _resolve(doc: Doc, node: tuple[Key, ...]) -> tuple[Key, ...]:
    seen: set[str] = set()
    value = _get(doc, node)
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        node = tuple(
            part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/")
        )
        value = _get(doc, node)
    return node


def _objects(doc: Doc, start: tuple[Key, ...]) -> Iterator[tuple[Key, ...]]:
    """Every object schema (with properties) reached from ``start``, once."""
    seen: set[tuple[Key, ...]] = set()
    stack = [start]
    while stack:
        node = _resolve(doc, stack.pop())
        if node in seen:
            continue
        seen.add(node)
        value = _get(doc, node)
        if not isinstance(value, dict):
            continue
        props = value.get("properties")
        if isinstance(props, dict):
            yield node
            stack.extend((*node, "properties", p) for p in props)
        for key in ("items", "additionalProperties"):
            if isinstance(value.get(key), dict):
                stack.append((*node, key))
        for key in ("allOf", "anyOf", "oneOf"):
            if isinstance(value.get(key), list):
                stack.extend((*node, key, i) for i in range(len(value[key])))


def sites(doc: Doc, side: str, params: bool = False) -> list[Site]:
    found: set[Site] = set()
    for path, item in sorted(doc.get("paths", {}).items()):
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            label = f"{method.upper()} {path}"
            where: tuple[Key, ...] = ("paths", path, method)
            if params:
                for i in range(len(op.get("parameters") or [])):
                    node = _resolve(doc, (*where, "parameters", i))
                    value = _get(doc, node)
                    if isinstance(value, dict) and value.get("in") == "query":
                        found.add(Site(label, "request", node, value["name"]))
                continue
            for start in _roots(doc, op, where, side):
                for node in _objects(doc, start):
                    for prop in _get(doc, node)["properties"]:
                        found.add(Site(label, side, node, prop))
    return sorted(found, key=lambda s: (s.op, [str(k) for k in s.node], s.prop))


def _roots(
    doc: Doc, op: Doc, where: tuple[Key, ...], side: str
) -> list[tuple[Key, ...]]:
    if side == "request":
        body = op.get("requestBody")
        if isinstance(body, dict) and "application/json" in body.get("content", {}):
            return [(*where, "requestBody", "content", "application/json", "schema")]
        return []
    out = []
    for status, response in (op.get("responses") or {}).items():
        if not str(status).startswith("2") or not isinstance(response, dict):
            continue
        media = (response.get("content") or {}).get("application/json")
        if not isinstance(media, dict) or "schema" not in media:
            continue
        schema = (*where, "responses", status, "content", "application/json", "schema")
        node = _resolve(doc, schema)
        props = _get(doc, node).get("properties")
        if isinstance(props, dict) and "data" in props and set(props) <= ENVELOPE:
            out.append((*node, "properties", "data"))  # what the SDK returns
        else:
            out.append(schema)
    return out


# -- the kinds ------------------------------------------------------------------------


def _prop(doc: Doc, site: Site) -> Any:
    return _get(doc, site.node)["properties"][site.prop]


def _plain(schema: Any) -> bool:
    """A property with no default, const or discriminating role."""
    return (
        isinstance(schema, dict)
        and "default" not in schema
        and "const" not in schema
        and "$ref" not in schema
    )


def _required(doc: Doc, site: Site) -> list[str]:
    value = _get(doc, site.node).get("required")
    return value if isinstance(value, list) else []


def _string(schema: Any) -> bool:
    return (
        _plain(schema)
        and schema.get("type") == "string"
        and "enum" not in schema
        and schema.get("format") != "date-time"
    )


def _inner(doc: Doc, start: tuple[Key, ...]) -> tuple[Key, ...] | None:
    """Where the schema at ``start`` really is: through ``$ref`` and, for a
    nullable ``anyOf``/``oneOf``, its one non-null option."""
    node = _resolve(doc, start)
    value = _get(doc, node)
    if not isinstance(value, dict):
        return None
    for key in ("anyOf", "oneOf"):
        options = value.get(key)
        if isinstance(options, list):
            found = [
                _resolve(doc, (*node, key, i))
                for i, o in enumerate(options)
                if o != {"type": "null"}
            ]
            return found[0] if len(found) == 1 else None
    return node


def _enum_node(doc: Doc, start: tuple[Key, ...], least: int) -> tuple[Key, ...] | None:
    """The string enum a property or parameter schema holds, when it has at least
    ``least`` values."""
    node = _inner(doc, start)
    value = _get(doc, node) if node else None
    values = value.get("enum") if isinstance(value, dict) else None
    if (
        isinstance(value, dict)
        and isinstance(values, list)
        and len(values) >= least
        and all(isinstance(v, str) for v in values)
        and "const" not in value
    ):
        return node
    return None


def _string_node(doc: Doc, start: tuple[Key, ...]) -> tuple[Key, ...] | None:
    node = _inner(doc, start)
    return node if node and _string(_get(doc, node)) else None


def _param_to_integer(doc: Doc, site: Site) -> str:
    node = _string_node(doc, _start(site, True))
    assert node is not None
    schema = _get(doc, node)
    for key in ("format", "pattern", "minLength", "maxLength", "example"):
        schema.pop(key, None)
    schema["type"] = "integer"
    return site.prop


def _start(site: Site, params: bool) -> tuple[Key, ...]:
    return (*site.node, "schema") if params else (*site.node, "properties", site.prop)


def _leaves_an_object(doc: Doc, site: Site) -> bool:
    """Removing the property keeps a model (not an empty dict, not an envelope)."""
    rest = set(_get(doc, site.node)["properties"]) - {site.prop}
    return bool(rest) and not rest <= ENVELOPE


def _made_optional(doc: Doc, site: Site) -> str:
    _required(doc, site).remove(site.prop)
    return site.prop


def _to_integer(doc: Doc, site: Site) -> str:
    schema = _prop(doc, site)
    for key in ("format", "pattern", "minLength", "maxLength", "example", "examples"):
        schema.pop(key, None)
    schema["type"] = "integer"
    return site.prop


def _removed(doc: Doc, site: Site) -> str:
    del _get(doc, site.node)["properties"][site.prop]
    if site.prop in _required(doc, site):
        _required(doc, site).remove(site.prop)
    return site.prop


def _added(doc: Doc, site: Site) -> str:
    _get(doc, site.node)["properties"][NEW_NAME] = {"type": "string"}
    return NEW_NAME


def _made_required(doc: Doc, site: Site) -> str:
    node = _get(doc, site.node)
    node["required"] = [*_required(doc, site), site.prop]
    return site.prop


def _value_added(doc: Doc, site: Site) -> str:
    node = _enum_node(doc, _start(site, False), 2)
    assert node is not None
    _get(doc, node)["enum"].append(NEW_VALUE)
    return NEW_VALUE


def _value_removed_at(doc: Doc, site: Site, params: bool = False) -> str:
    node = _enum_node(doc, _start(site, params), 2)
    assert node is not None
    schema = _get(doc, node)
    values = schema["enum"]
    # The choice is seeded by the place, so a run is repeatable.
    seed = int(hashlib.sha256(repr(site).encode()).hexdigest()[:8], 16)
    value: str = values.pop(random.Random(seed).randrange(len(values)))
    holder = _get(doc, _start(site, params))
    for where in (schema, holder):
        if isinstance(where, dict) and where.get("default") == value:
            where.pop("default")
    return value


def _value_removed(doc: Doc, site: Site) -> str:
    return _value_removed_at(doc, site, False)


def _param_made_required(doc: Doc, site: Site) -> str:
    _get(doc, site.node)["required"] = True
    return site.prop


def _param_schema(doc: Doc, site: Site) -> Any:
    return _get(doc, site.node).get("schema")


def _op_node(site: Site) -> tuple[Key, ...]:
    method, path = site.op.split(" ", 1)
    return ("paths", path, method.lower())


def _body_top(doc: Doc, site: Site) -> bool:
    """The site is a field of the request body itself (a method argument)."""
    start = (*_op_node(site), "requestBody", "content", "application/json", "schema")
    return _resolve(doc, start) == site.node


_REQUEST_NODES: dict[int, tuple[Doc, frozenset[tuple[Key, ...]]]] = {}


def _request_only_elsewhere(doc: Doc, site: Site) -> bool:
    """The site's object is never met in a request body."""
    held = _REQUEST_NODES.get(id(doc))
    if held is None or held[0] is not doc:
        held = (doc, frozenset(s.node for s in sites(doc, "request")))
        _REQUEST_NODES[id(doc)] = held
    return site.node not in held[1]


def _int_default(schema: Any) -> bool:
    value = schema.get("default") if isinstance(schema, dict) else None
    return isinstance(value, int) and not isinstance(value, bool)


def _default_bumped(doc: Doc, site: Site) -> str:
    _prop(doc, site)["default"] += 1
    return site.prop


def _with_union(doc: Doc, site: Site) -> None:
    """The property becomes a union of two new models told apart by a mapping."""
    found = doc["components"]["schemas"]
    for name, extra in (("ZzOptionA", "zz_a"), ("ZzOptionB", "zz_b")):
        found[name] = {
            "type": "object",
            "properties": {"kind": {"type": "string"}, extra: {"type": "string"}},
            "required": ["kind", extra],
        }
    _get(doc, site.node)["properties"][site.prop] = {
        "oneOf": [
            {"$ref": "#/components/schemas/ZzOptionA"},
            {"$ref": "#/components/schemas/ZzOptionB"},
        ],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                "a": "#/components/schemas/ZzOptionA",
                "b": "#/components/schemas/ZzOptionB",
            },
        },
    }


def _mapping_swapped(doc: Doc, site: Site) -> str:
    mapping = _prop(doc, site)["discriminator"]["mapping"]
    mapping["a"], mapping["b"] = mapping["b"], mapping["a"]
    return site.prop


def _option_dropped(doc: Doc, site: Site) -> str:
    union = _prop(doc, site)
    union["oneOf"].pop()
    del union["discriminator"]["mapping"]["b"]
    return site.prop


def _shorter(schema: Any) -> bool:
    return _string(schema) and schema.get("maxLength", 2) > schema.get("minLength", 0)


def _max_length_tightened(doc: Doc, site: Site) -> str:
    schema = _prop(doc, site)
    schema["maxLength"] = schema.get("maxLength", 10_001) - 1
    return site.prop


def _param_to_header(doc: Doc, site: Site) -> str:
    _get(doc, site.node)["in"] = "header"
    return site.prop


KINDS: tuple[Kind, ...] = (
    Kind(
        "required response field made optional",
        "response-property-became-optional",
        "breaking",
        lambda d, s: _plain(_prop(d, s)) and s.prop in _required(d, s),
        _made_optional,
        "response",
    ),
    Kind(
        "response field type string -> integer",
        "response-property-type-changed",
        "breaking",
        lambda d, s: _string(_prop(d, s)),
        _to_integer,
        "response",
    ),
    Kind(
        "response field removed",
        "response-property-removed",
        "breaking",
        lambda d, s: _plain(_prop(d, s)) and _leaves_an_object(d, s),
        _removed,
        "response",
    ),
    Kind(
        "response field added",
        "response-property-added",
        "info",
        lambda d, s: NEW_NAME not in _get(d, s.node)["properties"],
        _added,
        "response",
    ),
    Kind(
        "response enum value added",
        "response-enum-value-added",
        "warning",
        lambda d, s: _enum_node(d, _start(s, False), 2) is not None,
        _value_added,
        "response",
    ),
    Kind(
        "response enum value removed",
        "response-enum-value-removed",
        "breaking",
        lambda d, s: _enum_node(d, _start(s, False), 2) is not None,
        _value_removed,
        "response",
    ),
    Kind(
        "request enum value removed",
        "request-enum-value-removed",
        "breaking",
        lambda d, s: _enum_node(d, _start(s, False), 2) is not None,
        _value_removed,
        "request",
    ),
    Kind(
        "request field type string -> integer",
        "request-property-type-changed",
        "breaking",
        lambda d, s: _string(_prop(d, s)),
        _to_integer,
        "request",
    ),
    Kind(
        "optional request field added",
        "request-property-added",
        "info",
        lambda d, s: NEW_NAME not in _get(d, s.node)["properties"],
        _added,
        "request",
    ),
    Kind(
        "optional request field made required",
        "request-property-became-required",
        "breaking",
        lambda d, s: _plain(_prop(d, s)) and s.prop not in _required(d, s),
        _made_required,
        "request",
    ),
    Kind(
        "request field removed",
        "request-property-removed",
        "breaking",
        lambda d, s: _plain(_prop(d, s)) and _leaves_an_object(d, s),
        _removed,
        "request",
    ),
    Kind(
        "optional query parameter made required",
        "request-param-became-required",
        "breaking",
        lambda d, s: (
            not _get(d, s.node).get("required")
            and "default" not in (_param_schema(d, s) or {})
        ),
        _param_made_required,
        "request",
        params=True,
    ),
    Kind(
        "request field with a default made required",
        "request-property-sent-by-default",
        "breaking",
        lambda d, s: (
            _body_top(d, s)
            and "default" in (_prop(d, s) or {})
            and "$ref" not in _prop(d, s)
            and s.prop not in _required(d, s)
        ),
        _made_required,
        "request",
    ),
    Kind(
        "request default changed in one copy of a shared object",
        "request-property-default-changed",
        "warning",
        lambda d, s: _int_default(_prop(d, s)),
        _default_bumped,
        "request",
        alone=True,
    ),
    Kind(
        "response maxLength tightened",
        "response-property-constraint-tightened",
        "info",
        lambda d, s: _shorter(_prop(d, s)) and _request_only_elsewhere(d, s),
        _max_length_tightened,
        "response",
    ),
    Kind(
        "response discriminator mapping changed",
        "discriminator-mapping-changed",
        "breaking",
        lambda d, s: _plain(_prop(d, s)) and _leaves_an_object(d, s),
        _mapping_swapped,
        "response",
        prepare=_with_union,
    ),
    Kind(
        "request oneOf option removed",
        "request-property-type-changed",
        "breaking",
        lambda d, s: _plain(_prop(d, s)) and _leaves_an_object(d, s),
        _option_dropped,
        "request",
        prepare=_with_union,
    ),
    Kind(
        "query parameter moved to a header",
        "request-param-location-changed",
        "breaking",
        lambda d, s: True,
        _param_to_header,
        "request",
        params=True,
    ),
    Kind(
        "query parameter type string -> integer",
        "request-param-type-changed",
        "breaking",
        lambda d, s: _string_node(d, _start(s, True)) is not None,
        _param_to_integer,
        "request",
        params=True,
    ),
)


# -- running --------------------------------------------------------------------------


def version(doc: Doc, source: str, config: Config) -> Version:
    data = json.dumps(doc, sort_keys=True).encode()
    spec = LoadedSpec(source, hashlib.sha256(data).hexdigest(), doc)
    api = normalise(spec, config)
    return make_version(SpecInfo(source, api.title, api.version, spec.sha256), api, doc)


def judge(report: DiffReport, kind: Kind, site: Site, named: str) -> tuple[bool, str]:
    """Right level under --fail-on, and the finding names the field/value and op."""
    structural = [
        c
        for c in report.changes
        if c.rule.area != "naming" and c.rule.id not in NAMING_RULES
    ]
    worst = min((LEVEL_RANK[c.level] for c in structural), default=None)
    if worst != LEVEL_RANK[kind.level]:
        found = sorted({(c.rule.id, c.level) for c in structural})
        return False, f"worst structural level is not {kind.level}: {found}"
    # A change met on both sides of a shared type is one finding, under the rule of
    # either side when both sides give the same level.
    twin = kind.rule.replace("request-", "@").replace("response-", "request-")
    twin = twin.replace("@", "response-")
    hits = [
        c
        for c in structural
        if c.rule.id == kind.rule or (c.rule.id == twin and c.level == kind.level)
    ]
    if kind.rule.endswith("enum-value-added") or kind.rule.endswith("value-removed"):
        member = enum_member(named)
        hits = [
            c for c in hits if repr(named) in c.message and member in c.message + c.sdk
        ]
    elif kind.params:
        hits = [c for c in hits if f"param {named}" in c.subject]
    else:
        hits = [c for c in hits if c.subject.endswith(f".{named}")]
    hits = [c for c in hits if site.op in c.used_by]
    # One finding per class: a type built on another (allOf) has its own.
    if not hits or len({c.subject for c in hits}) != len(hits):
        found = sorted({(c.rule.id, c.subject, c.used_by) for c in structural})
        return (
            False,
            f"{kind.rule} for {named!r} via {site.op} not found (or twice): {found}",
        )
    return True, ""


def run_kind(
    doc: Doc, old: Version, kind: Kind, places: int, seed: int, config: Config
) -> list[Outcome]:
    candidates = [s for s in sites(doc, kind.side, kind.params) if kind.fits(doc, s)]
    chosen = random.Random(seed).sample(candidates, min(places, len(candidates)))
    out = []
    for site in chosen:
        before, base = old, doc
        if kind.prepare is not None:
            base = copy.deepcopy(doc)
            kind.prepare(base, site)
            before = version(base, "prepared", config)
        new_doc = copy.deepcopy(base)
        named = kind.apply(new_doc, site)
        report = diff_versions(before, version(new_doc, "mutated", config))
        right, why = judge(report, kind, site, named)
        louder = [
            c for c in report.changes if LEVEL_RANK[c.level] < LEVEL_RANK[kind.level]
        ]
        if kind.alone and louder and right:
            right = False
            why = f"louder findings: {sorted({(c.rule.id, c.subject) for c in louder})}"
        out.append(Outcome(site, right, why, renamed=bool(louder)))
    return out


def main() -> None:  # pragma: no cover - a report for people
    import sys

    from generator.parse.loader import load_spec

    places = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = sys.argv[2] if len(sys.argv) > 2 else "meeting-baas-v2"
    shared = Path(__file__).parents[1].parent / "shared" / "specs" / folder
    specs = sorted(
        p for p in shared.iterdir() if p.suffix in (".json", ".yaml", ".yml")
    )
    config = Config()
    totals: dict[str, list[int]] = {k.name: [0, 0, 0] for k in KINDS}
    for index, path in enumerate(specs):
        try:
            doc = load_spec(str(path)).raw
            old = version(doc, path.name, config)
        except Exception as exc:  # a spec the generator refuses: no diff case
            print(f"{path.name}: skipped ({type(exc).__name__})")
            continue
        for k_index, kind in enumerate(KINDS):
            for o in run_kind(doc, old, kind, places, index * 100 + k_index, config):
                totals[kind.name][0] += 1
                totals[kind.name][1] += o.right
                totals[kind.name][2] += o.renamed
                if not o.right:
                    print(f"{path.name}: {kind.name} at {o.site}: {o.why}")
        print(f"{path.name}: done", flush=True)
    print(f"{'kind':45} right/tried  with a louder class-name finding")
    for name, (tried, right, renamed) in totals.items():
        print(f"{name:45} {right:4}/{tried:<4}  {renamed}")


if __name__ == "__main__":
    main()

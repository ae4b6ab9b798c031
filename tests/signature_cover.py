"""What a spec's operations take (parameters, top-level body properties) that
the normalised API does not: the corpus test holds each to a warning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import ir, notices
from generator.config import Config
from generator.errors import escape_pointer_token
from generator.parse.normalise import normalise
from generator.parse.problems import Problems, load_lenient
from generator.parse.shapes import ShapeBuilder, resolve

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def normalised(spec: Path) -> tuple[ir.Api | None, dict[str, Any], list[str]]:
    """The spec's API as ``generate`` makes it, its document, every warning."""
    problems = Problems()
    with notices.captured() as found:
        loaded = load_lenient(str(spec), problems)
        api = normalise(loaded, Config(), problems) if loaded is not None else None
    raw = loaded.raw if loaded is not None else {}
    return api, raw, [*problems.warnings, *found]


def _deref(raw: dict[str, Any], node: Any) -> Any:
    for _ in range(50):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        try:
            node = resolve(raw, node["$ref"], node["$ref"])
        except Exception:  # a dangling ref: warned about by the generator
            return None
    return node


def _properties(raw: dict[str, Any], entry: Any) -> list[str]:
    schema = _deref(raw, entry.get("schema") if isinstance(entry, dict) else None)
    if isinstance(schema, dict) and "allOf" in schema:
        try:
            schema = ShapeBuilder(raw).merge_all_of(schema, "#")
        except Exception:  # a broken allOf: warned about by the generator
            return []
    props = schema.get("properties") if isinstance(schema, dict) else None
    return list(props) if isinstance(props, dict) else []


def _body_properties(
    raw: dict[str, Any], op: dict[str, Any], where: str
) -> Iterator[tuple[str, str]]:
    """(pointer of its media type, name) of each top-level body property."""
    body = op.get("requestBody")
    if isinstance(body, dict) and isinstance(body.get("$ref"), str):
        where = body["$ref"]
        body = _deref(raw, body)
    else:
        where += "/requestBody"
    content = body.get("content") if isinstance(body, dict) else None
    for media, entry in (content if isinstance(content, dict) else {}).items():
        for name in _properties(raw, entry):
            yield f"{where}/content/{escape_pointer_token(media)}", name


def expected(raw: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    """(pointer a warning about it would name, HTTP method, path, "query:name"
    or "body:name") of each input of each operation."""
    paths = raw.get("paths") if isinstance(raw.get("paths"), dict) else {}
    for path, item in paths.items():
        item = _deref(raw, item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            where = f"#/paths/{escape_pointer_token(path)}/{method}"
            for p in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
                p = _deref(raw, p)
                if isinstance(p, dict) and "name" in p and "in" in p:
                    yield where, method.upper(), path, f"{p['in']}:{p['name']}"
            for at, name in _body_properties(raw, op, where):
                yield at, method.upper(), path, f"body:{name}"


def taken(api: ir.Api) -> dict[tuple[str, str], set[str]]:
    """(HTTP method, path) -> the inputs its generated method takes ("body:*"
    for a body taken as one value)."""
    models = {m.name: m for m in api.models}
    out: dict[tuple[str, str], set[str]] = {}
    for op in api.operations:
        names = {f"{p.location}:{p.wire_name}" for p in op.params}
        if op.body is not None:
            t = ir.unwrap_nullable(op.body.type)
            if isinstance(t, ir.ModelRef):
                names |= {f"body:{f.wire_name}" for f in models[t.name].fields}
            else:
                names.add("body:*")
        out[(op.http_method, op.path)] = names
    return out

"""A synthetic OpenAPI 3.1 spec of a chosen size, for the scaling benchmark.

Each resource has one model (a dozen fields of mixed types, an enum, a nested
object), a create body and five operations (list, create, retrieve, update,
delete), every field documented, so the spec grows with resources the way a
real API does.
``python benchmarks/synth_spec.py 4000000 out.json`` writes a ~4 MB spec.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_WORDS = [
    "meeting",
    "bot",
    "recording",
    "transcript",
    "calendar",
    "event",
    "webhook",
    "status",
    "speaker",
    "segment",
    "participant",
    "platform",
    "schedule",
    "retry",
    "timeout",
    "stream",
    "audio",
    "video",
]


def _text(seed: int, words: int) -> str:
    return " ".join(_WORDS[(seed * 7 + i * 3) % len(_WORDS)] for i in range(words))


def _resource(i: int, doc_words: int) -> tuple[dict[str, Any], dict[str, Any]]:
    name = f"Thing{i}"
    ref = {"$ref": f"#/components/schemas/{name}"}
    props: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "description": _text(i, doc_words)},
        "name": {"type": "string", "maxLength": 200},
        "count": {"type": "integer", "minimum": 0},
        "ratio": {"type": "number"},
        "active": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "state": {"type": "string", "enum": ["new", "running", "done", "failed"]},
        "note": {"type": ["string", "null"], "description": _text(i + 1, doc_words)},
        "extra": {"type": "object", "additionalProperties": True},
        "owner": {
            "type": "object",
            "properties": {
                "user_id": {"type": "string"},
                "email": {"type": "string", "format": "email"},
            },
            "required": ["user_id"],
        },
        "url": {"type": "string", "format": "uri"},
    }
    for k, prop in enumerate(props.values()):
        prop.setdefault("description", _text(i + k, doc_words))
    schemas = {
        name: {
            "type": "object",
            "description": _text(i + 2, doc_words),
            "properties": props,
            "required": ["id", "name", "state"],
        },
        f"{name}Create": {
            "type": "object",
            "properties": {k: props[k] for k in ("name", "count", "tags", "note")},
            "required": ["name"],
        },
        f"{name}List": {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": ref},
                "cursor": {"type": ["string", "null"]},
            },
            "required": ["data"],
        },
    }
    ok = {"description": "OK", "content": {"application/json": {"schema": ref}}}
    body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{name}Create"}
            }
        },
    }
    item_id = {
        "name": "item_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    tag = [f"things{i}"]
    base = f"/v1/things{i}"
    paths = {
        base: {
            "get": {
                "operationId": f"listThings{i}",
                "tags": tag,
                "summary": _text(i, 6),
                "description": _text(i + 3, doc_words),
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{name}List"}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": f"createThing{i}",
                "tags": tag,
                "description": _text(i + 4, doc_words),
                "requestBody": body,
                "responses": {"201": ok},
            },
        },
        base + "/{item_id}": {
            "get": {
                "operationId": f"getThing{i}",
                "tags": tag,
                "parameters": [item_id],
                "responses": {"200": ok, "404": {"description": "Not found"}},
            },
            "patch": {
                "operationId": f"updateThing{i}",
                "tags": tag,
                "parameters": [item_id],
                "requestBody": body,
                "responses": {"200": ok},
            },
            "delete": {
                "operationId": f"deleteThing{i}",
                "tags": tag,
                "parameters": [item_id],
                "responses": {"204": {"description": "Deleted"}},
            },
        },
    }
    return schemas, paths


def build(target_bytes: int, doc_words: int = 300) -> dict[str, Any]:
    """A spec of about ``target_bytes`` of JSON: ~40 kB (5 operations) per
    resource, so 4 MB has ~500 operations and every size has the same shape."""
    per = len(json.dumps(_spec(1, doc_words)))
    return _spec(max(1, round(target_bytes / per)), doc_words)


def _spec(resources: int, doc_words: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for i in range(resources):
        s, p = _resource(i, doc_words)
        schemas.update(s)
        paths.update(p)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


if __name__ == "__main__":
    target = int(sys.argv[1])
    Path(sys.argv[2]).write_text(json.dumps(build(target)))

"""A small API in two versions for rule-by-rule tests of ``sdkgen diff``.

``base()`` returns a fresh spec each call; a test edits a copy and diffs the pair.
"""

from __future__ import annotations

from typing import Any

from generator.config import Config
from generator.diff import DiffReport, diff_specs
from generator.parse.loader import LoadedSpec, check_refs, check_version, parse_openapi

from .conftest import make_spec


def envelope(data: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"success": {"type": "boolean", "const": True}, "data": data},
        "required": ["success", "data"],
    }


def op(
    op_id: str,
    data: Any,
    *,
    body: Any | None = None,
    params: list[Any] | None = None,
    tag: str = "Things",
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "operationId": op_id,
        "tags": [tag],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": envelope(data)}},
            },
            "404": {
                "description": "not found",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}
                    }
                },
            },
        },
    }
    if body is not None:
        found["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    if params:
        found["parameters"] = params
    return found


def query(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def base() -> dict[str, Any]:
    thing = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
            "status": {"$ref": "#/components/schemas/ThingStatus"},
            "duration": {"type": "number"},
        },
        "required": ["id", "name", "status", "duration"],
    }
    create = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 100},
            "mode": {
                "type": "string",
                "enum": ["speaker_view", "audio_only", "gallery_view"],
                "default": "speaker_view",
            },
            "size": {"type": "integer", "minimum": 1, "maximum": 10},
        },
        "required": ["name"],
    }
    thing_ref = {"$ref": "#/components/schemas/Thing"}
    schemas = {
        "Thing": thing,
        "ThingStatus": {"type": "string", "enum": ["ok", "failed", "running"]},
        "CreateThingRequest": create,
        "Error": {
            "type": "object",
            "properties": {"message": {"type": "string"}},
            "required": ["message"],
        },
        "ThingWebhookCompleted": {
            "type": "object",
            "properties": {
                "event": {"type": "string", "const": "thing.completed"},
                "data": {
                    "type": "object",
                    "properties": {
                        "thing_id": {"type": "string"},
                        "duration": {"type": "number"},
                    },
                    "required": ["thing_id", "duration"],
                },
            },
            "required": ["event", "data"],
        },
    }
    paths = {
        "/v2/things": {
            "get": op(
                "listThings",
                {"type": "array", "items": thing_ref},
                params=[query("name", {"type": "string"})],
            ),
            "post": op(
                "createThing",
                thing_ref,
                body={"$ref": "#/components/schemas/CreateThingRequest"},
            ),
        },
        "/v2/things/{thing_id}": {
            "get": op(
                "getThing",
                thing_ref,
                params=[
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
            ),
        },
    }
    doc = make_spec(schemas, paths)
    doc["servers"] = [{"url": "https://api.example.com"}]
    doc["components"]["securitySchemes"] = {
        "ApiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}
    }
    doc["security"] = [{"ApiKey": []}]
    return doc


def loaded(doc: dict[str, Any], source: str) -> LoadedSpec:
    check_version(doc)
    check_refs(doc)
    return LoadedSpec(source, "0" * 64, validated(doc))


def diff_docs(old: dict[str, Any], new: dict[str, Any]) -> DiffReport:
    return diff_specs(loaded(old, "old.json"), loaded(new, "new.json"), Config())


def validated(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc``, once validated as the loader validates a spec."""
    parse_openapi(doc)
    return doc

"""A hand-made spec for tests/test_testing_kit.py: the fake API of
``<package>.testing`` with the spec's examples (valid and not), parameters
it checks, nested objects ``returns`` merges into, and a server URL with a
path."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
SERVER = "https://api.example.com/v1"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {JSON: {"schema": schema, **extra}}


PET_EXAMPLE = {
    "id": 7,
    "name": "Rex",
    "profile": {"city": "Paris", "zip": "75001"},
    "tags": ["good", "small"],
}
LISTED = [
    {"id": 1, "name": "Ada", "profile": {"city": "Lyon"}},
    {"id": 2, "name": "Bob", "tags": []},
]
CREATED = {"id": 3, "name": "Cleo", "profile": {"city": "Nice", "zip": "06000"}}
TWIN = {"success": True, "data": {"id": 8, "name": "Rox"}}
# Invalid: the schema's example lacks the required ``name``; the media
# type's example gives a string for an integer.
OWNER_EXAMPLE = {"email": "owner@example.com"}
STATS_EXAMPLE = {"count": "many"}
OWNER_POINTER = "#/components/schemas/Owner/example"
STATS_POINTER = "#/paths/~1stats/get/responses/200/content/application~1json/example"

_PARAMS = [
    {
        "name": "kind",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "enum": ["cat", "dog"]},
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    },
    {
        "name": "tags",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "integer"}},
    },
    {"name": "X-Budget", "in": "header", "schema": {"type": "integer"}},
    {"name": "level", "in": "query", "schema": {"type": "integer", "enum": [1, 2]}},
]
_PET_ID = {
    "name": "pet_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}

KIT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Fake Kit", "version": "1.0"},
    "servers": [{"url": SERVER}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": _PARAMS,
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json(
                            {"type": "array", "items": ref("Pet")},
                            examples={
                                "broken": {"value": [{"id": "one"}]},
                                "two": {"value": LISTED},
                            },
                        ),
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "requestBody": {"required": True, "content": _json(ref("NewPet"))},
                "responses": {
                    "201": {
                        "description": "made",
                        "content": _json(ref("Pet"), example=CREATED),
                    }
                },
            },
        },
        "/pets/{pet_id}": {
            "get": {
                "operationId": "getPet",
                "parameters": [_PET_ID],
                "responses": {
                    "200": {"description": "ok", "content": _json(ref("Pet"))}
                },
            }
        },
        "/pets/{pet_id}/twin": {
            "get": {
                "operationId": "getTwin",
                "parameters": [_PET_ID],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json(
                            {
                                "type": "object",
                                "required": ["success", "data"],
                                "properties": {
                                    "success": {"type": "boolean"},
                                    "data": ref("Pet"),
                                },
                            },
                            example=TWIN,
                        ),
                    }
                },
            }
        },
        "/owners/{owner_id}": {
            "get": {
                "operationId": "getOwner",
                "parameters": [
                    {**_PET_ID, "name": "owner_id", "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": _json(ref("Owner"))}
                },
            }
        },
        "/stats": {
            "get": {
                "operationId": "getStats",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json(ref("Stats"), example=STATS_EXAMPLE),
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "profile": ref("Profile"),
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
                "example": PET_EXAMPLE,
            },
            "Profile": {
                "type": "object",
                "required": ["city"],
                "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
            },
            "Owner": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "email": {
                        "type": "string",
                        "format": "email",
                        "example": "ann@example.com",
                    },
                },
                "example": OWNER_EXAMPLE,
            },
            "Stats": {
                "type": "object",
                "required": ["count"],
                "properties": {"count": {"type": "integer"}},
            },
        }
    },
}

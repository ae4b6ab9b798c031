"""Hand-made specs for tests/test_wire.py: one per serialization rule of
OpenAPI (parameter ``style``/``explode``/``allowReserved``, a body's
``encoding``), each checked as bytes on a loopback server."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

_STR = {"type": "string"}
_INT = {"type": "integer"}
_WHEN = {"type": "string", "format": "date-time"}
_ADDRESS = {
    "type": "object",
    "required": ["line1"],
    "properties": {"line1": _STR, "city": _STR, "zip": _STR},
}
_ITEM = {
    "type": "object",
    "required": ["price"],
    "properties": {"price": _STR, "quantity": _INT},
}
_RECEIPT = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": _STR,
        "sent_at": _WHEN,
        # Defaults as strings on a date-time (nanoseconds) and a union field.
        "due": {**_WHEN, "default": "2025-09-23T15:00:14.534988882+00:00"},
        "mode": {
            "anyOf": [{"enum": ["fast", "slow"]}, _INT],
            "default": "fast",
        },
    },
}


def _ok() -> dict[str, Any]:
    return {
        "200": {
            "description": "ok",
            "content": {JSON: {"schema": {"$ref": "#/components/schemas/Receipt"}}},
        }
    }


def _param(name: str, where: str, schema: dict[str, Any], **how: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema, **how}


def _body(media: str, encoding: dict[str, Any] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/Order"}}
    if encoding:
        entry["encoding"] = encoding
    return {"required": True, "content": {media: entry}}


_ARRAY = {"type": "array", "items": _STR}
_MESSAGE = {
    "oneOf": [
        {"$ref": "#/components/schemas/UserMessage"},
        {"$ref": "#/components/schemas/SystemMessage"},
    ],
    "discriminator": {"propertyName": "role"},
}
_COLOUR = {
    "type": "object",
    "properties": {"R": _INT, "G": _INT, "B": _INT},
}


def _event(kind: str, extra: str) -> dict[str, Any]:
    """A webhook event: every one says ``object: "event"``; ``type`` differs."""
    return {
        "post": {
            "requestBody": {
                "content": {
                    JSON: {
                        "schema": {
                            "type": "object",
                            "required": ["object", "type", extra],
                            "properties": {
                                "object": {"const": "event"},
                                "type": {"const": kind},
                                extra: _STR,
                            },
                        }
                    }
                }
            },
            "responses": {"200": {"description": "ok"}},
        }
    }


WIRE = {
    "openapi": "3.1.0",
    "info": {"title": "Wire", "version": "1.0"},
    "webhooks": {
        "batchCompleted": _event("batch.completed", "output"),
        "batchFailed": _event("batch.failed", "error"),
    },
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        # Stripe-like: deepObject objects and arrays of objects in a form.
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "requestBody": _body(
                    FORM,
                    {
                        "address": {"style": "deepObject", "explode": True},
                        "items": {"style": "deepObject", "explode": True},
                        "codes": {"style": "form", "explode": False},
                        "extra": {"contentType": JSON},
                    },
                ),
                "responses": _ok(),
            }
        },
        # No encoding: the defaults (form, exploded) for every field.
        "/orders/plain": {
            "post": {
                "operationId": "createPlainOrder",
                "requestBody": _body(FORM),
                "responses": _ok(),
            }
        },
        "/uploads": {
            "post": {
                "operationId": "upload",
                "requestBody": _body(
                    MULTIPART,
                    {
                        "items": {"style": "deepObject", "explode": True},
                        "extra": {"contentType": "application/vnd.api+json"},
                        "file": {"contentType": "image/png"},
                    },
                ),
                "responses": _ok(),
            }
        },
        # JSON Schema's "at least one of": the object plus anyOf of required lists.
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {
                            "schema": {
                                "type": "object",
                                "properties": {"a": _STR, "b": _INT, "c": _STR},
                                "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
                            }
                        }
                    },
                },
                "responses": _ok(),
            }
        },
        # A discriminator without mapping: the tags are the options' consts.
        "/messages": {
            "post": {
                "operationId": "sendMessage",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": _MESSAGE}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {JSON: {"schema": _MESSAGE}},
                    }
                },
            }
        },
        # Recursion through allOf (a described $ref): Person.manager is a Person.
        "/people": {
            "get": {
                "operationId": "getBoss",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            JSON: {"schema": {"$ref": "#/components/schemas/Person"}}
                        },
                    }
                },
            }
        },
        "/styles/{id}/{label}/{matrix}": {
            "get": {
                "operationId": "getStyles",
                "parameters": [
                    _param("id", "path", _ARRAY, required=True),
                    _param("label", "path", _ARRAY, required=True, style="label"),
                    _param(
                        "matrix",
                        "path",
                        _COLOUR,
                        required=True,
                        style="matrix",
                        explode=True,
                    ),
                    _param("tags", "query", _ARRAY),
                    _param("ids", "query", _ARRAY, explode=False),
                    _param(
                        "space", "query", _ARRAY, style="spaceDelimited", explode=False
                    ),
                    _param(
                        "pipe", "query", _ARRAY, style="pipeDelimited", explode=False
                    ),
                    _param("colour", "query", _COLOUR),
                    _param("rgb", "query", _COLOUR, explode=False),
                    _param(
                        "filter", "query", _COLOUR, style="deepObject", explode=True
                    ),
                    _param("since", "query", _WHEN),
                    _param(
                        "until", "query", {**_WHEN, "default": "2031-01-01T00:00:00Z"}
                    ),
                    _param("redirect", "query", _STR, allowReserved=True),
                    _param("X-Ids", "header", _ARRAY),
                    _param("X-Colour", "header", _COLOUR, explode=True),
                    _param("session", "cookie", _STR),
                    _param("prefs", "cookie", _ARRAY, explode=False),
                ],
                "responses": _ok(),
            }
        },
    },
    "components": {
        "schemas": {
            "Receipt": _RECEIPT,
            "Person": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": _STR,
                    "\U0001f600 mood": _STR,  # beyond the BMP
                    "manager": {
                        "allOf": [{"$ref": "#/components/schemas/Person"}],
                        "description": "Who they report to.",
                    },
                    # Several parts: annotations only, or more properties.
                    "mentor": {
                        "allOf": [
                            {"$ref": "#/components/schemas/Person"},
                            {"description": "Who they learn from."},
                        ]
                    },
                    "deputy": {
                        "allOf": [
                            {"$ref": "#/components/schemas/Person"},
                            {"type": "object", "properties": {"since": _WHEN}},
                        ]
                    },
                },
            },
            "UserMessage": {
                "type": "object",
                "required": ["role", "content"],
                "properties": {"role": {"enum": ["user"]}, "content": _STR},
            },
            "SystemMessage": {
                "type": "object",
                "required": ["role", "content"],
                "properties": {"role": {"const": "system"}, "content": _STR},
            },
            "Address": _ADDRESS,
            "Item": _ITEM,
            "Order": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": _STR,
                    "send_at": _WHEN,
                    "count": _INT,
                    "paid": {"type": "boolean"},
                    "note": {"type": ["string", "null"]},
                    "address": {"$ref": "#/components/schemas/Address"},
                    "items": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Item"},
                    },
                    "tags": _ARRAY,
                    "codes": _ARRAY,
                    "extra": {"type": "object", "properties": {"k": _STR}},
                    "file": {"type": "string", "format": "binary"},
                },
            },
        }
    },
}

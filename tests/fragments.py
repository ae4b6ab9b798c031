"""Small hand-made specs, one construct each, for tests/test_fragments.py."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _ok(schema: dict[str, Any] | None = None, status: str = "200") -> dict[str, Any]:
    if schema is None:
        return {status: {"description": "ok"}}
    return {status: {"description": "ok", "content": {JSON: {"schema": schema}}}}


def _doc(
    title: str,
    paths: dict[str, Any],
    schemas: dict[str, Any] | None = None,
    version: str = "3.1.0",
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": title, "version": "1.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }
    doc.update(extra)
    return doc


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# Names that are not Python identifiers, unicode, collisions after case
# changes, keyword/builtin schema and field names, "/" and version-only paths,
# no operationId, recursive schemas, non-string enums, an empty 204.
HOSTILE = _doc(
    "Ünïcödé Tëst API",
    {
        "/": {"get": {"responses": _ok(ref("None"))}},
        "/v1": {"get": {"operationId": "getVersion", "responses": _ok(ref("Node"))}},
        "/3d_secure/{id}": {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "delete": {
                "deprecated": True,
                "responses": {"204": {"description": "gone"}},
            },
        },
        "/class": {"post": {"operationId": "import", "responses": _ok(ref("Pair"))}},
    },
    {
        "None": {
            "type": "object",
            "required": ["class", "3d", "fooBar", "foo_bar", "π", "model_dump"],
            "properties": {
                "class": {"type": "string"},
                "3d": {"type": "integer"},
                "fooBar": {"type": "string"},
                "foo_bar": {"type": "string"},
                "π": {"type": "number"},
                "model_dump": {"type": "boolean"},
                "kind": {"enum": ["a-b", "a_b", "", "1x", "class", "ünï"]},
                "level": {"enum": [1, 2, 3]},
                "mixed": {"enum": [1, "one", 2.5]},
            },
        },
        "Node": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": ref("Node")},
                "pair": ref("Pair"),
            },
        },
        "Pair": {
            "type": "object",
            "properties": {"node": ref("Node"), "other": ref("Pair")},
        },
    },
)

# Both valid for {"petType": "dog", "name": ...}: only the mapping tells them apart.
_CAT = {
    "type": "object",
    "required": ["petType", "name"],
    "properties": {
        "petType": {"type": "string"},
        "name": {"type": "string"},
        "lives": {"type": "integer"},
    },
}
_DOG = {
    "type": "object",
    "required": ["petType", "name"],
    "properties": {
        "petType": {"type": "string"},
        "name": {"type": "string"},
        "good": {"type": "boolean"},
    },
}
UNIONS = _doc(
    "Unions",
    {
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": _ok(
                    {
                        "oneOf": [ref("Cat"), ref("Dog")],
                        "discriminator": {
                            "propertyName": "petType",
                            "mapping": {
                                "cat": "#/components/schemas/Cat",
                                "dog": "#/components/schemas/Dog",
                            },
                        },
                    }
                ),
            }
        },
        "/shapes": {
            "get": {
                "operationId": "listShapes",
                "responses": _ok(
                    {
                        "type": "array",
                        "items": {
                            "anyOf": [ref("Circle"), ref("Square"), {"type": "string"}]
                        },
                    }
                ),
            }
        },
    },
    {
        "Cat": _CAT,
        "Dog": _DOG,
        "Circle": {
            "type": "object",
            "required": ["kind", "radius"],
            "properties": {"kind": {"const": "circle"}, "radius": {"type": "number"}},
        },
        "Square": {
            "type": "object",
            "required": ["kind", "side"],
            "properties": {"kind": {"const": "square"}, "side": {"type": "number"}},
        },
    },
)

BODIES = _doc(
    "Bodies",
    {
        "/maps": {
            "put": {
                "operationId": "putMap",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {
                            "schema": {
                                "type": "object",
                                "additionalProperties": ref("Item"),
                            }
                        }
                    },
                },
                "responses": _ok(
                    {"type": "object", "additionalProperties": {"type": "integer"}}
                ),
            }
        },
        "/free": {
            "post": {
                "operationId": "postFree",
                "requestBody": {"content": {JSON: {"schema": {"type": "object"}}}},
                "responses": _ok(),
            }
        },
        "/tags": {
            "post": {
                "operationId": "postTags",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {"schema": {"type": "array", "items": {"type": "string"}}}
                    },
                },
                "responses": {"204": {"description": "done"}},
            }
        },
        "/either": {
            "post": {
                "operationId": "postEither",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {
                            "schema": {
                                "oneOf": [
                                    ref("Item"),
                                    {"type": "array", "items": ref("Item")},
                                ]
                            }
                        }
                    },
                },
                "responses": _ok(ref("Item")),
            }
        },
        # A union with an any-value option (found by fuzzing: a redundant cast).
        "/loose": {
            "get": {
                "operationId": "getLoose",
                "responses": _ok({"oneOf": [ref("Item"), {}]}),
            }
        },
        # An untyped optional field: null is one of its values, sent when given.
        "/notes": {
            "post": {
                "operationId": "postNote",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "note": {},
                                    "count": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "done"}},
            }
        },
        # A scalar whose Python type is no str (found by fuzzing: mypy failed).
        "/moment": {
            "post": {
                "operationId": "postMoment",
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {"schema": {"type": "string", "format": "date-time"}}
                    },
                },
                "responses": {"204": {"description": "done"}},
            }
        },
    },
    {
        "Item": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "integer"}},
        }
    },
)

FORMS = _doc(
    "Forms",
    {
        "/files": {
            "post": {
                "operationId": "uploadFile",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file", "purpose"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "purpose": {"type": "string"},
                                    "tags": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": _ok(
                    {"type": "object", "properties": {"id": {"type": "string"}}}
                ),
            }
        },
        "/tokens": {
            "post": {
                "operationId": "createToken",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["grant_type"],
                                "properties": {
                                    "grant_type": {"type": "string"},
                                    "scope": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                    },
                                    "meta": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": _ok(
                    {"type": "object", "properties": {"token": {"type": "string"}}}
                ),
            }
        },
        "/files/{id}/content": {
            "get": {
                "operationId": "downloadFile",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "the file",
                        "content": {
                            "application/octet-stream": {
                                "schema": {"type": "string", "format": "binary"}
                            }
                        },
                    }
                },
            }
        },
        "/blobs/{name}": {
            "put": {
                "operationId": "putBlob",
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
        "/health": {
            "get": {
                "operationId": "health",
                "responses": {
                    "200": {
                        "description": "text",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
    },
)

PARAMS = _doc(
    "Params",
    {
        "/items/{item_id}": {
            "parameters": [
                {
                    "name": "item_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
            ],
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {
                        "name": "tag",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "pipes",
                        "in": "query",
                        "style": "pipeDelimited",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "style": "deepObject",
                        "schema": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                ],
                "responses": _ok(
                    {"type": "object", "properties": {"ok": {"type": "boolean"}}}
                ),
            },
        }
    },
    servers=[
        {
            "url": "https://{region}.example.com/{base}",
            "variables": {"region": {"default": "eu"}, "base": {"default": "v2"}},
        }
    ],
)


def _secured(title: str, scheme: dict[str, Any]) -> dict[str, Any]:
    return _doc(
        title,
        {
            "/me": {
                "get": {"operationId": "getMe", "responses": _ok({"type": "object"})}
            }
        },
        components={"securitySchemes": {"main": scheme}, "schemas": {}},
        security=[{"main": []}],
    )


AUTH = {
    "bearer": _secured("Bearer Auth", {"type": "http", "scheme": "bearer"}),
    "basic": _secured("Basic Auth", {"type": "http", "scheme": "basic"}),
    "query": _secured(
        "Query Key", {"type": "apiKey", "in": "query", "name": "api_key"}
    ),
    "cookie": _secured("Cookie Key", {"type": "apiKey", "in": "cookie", "name": "sid"}),
    "oauth": _secured(
        "OAuth",
        {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "https://x/t", "scopes": {}}},
        },
    ),
}


def _hook(schema: dict[str, Any]) -> dict[str, Any]:
    body = {"content": {JSON: {"schema": schema}}}
    return {"post": {"requestBody": body, "responses": _ok()}}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


# Webhooks told apart by a const that is not `event`, by their name only, and
# a plain oneOf union; a per-operation callback keyed by another const.
WEBHOOKS = _doc(
    "Hooks",
    {
        "/subscriptions": {
            "post": {
                "operationId": "subscribe",
                "responses": _ok({"type": "object"}),
                "callbacks": {
                    "onStatus": {
                        "{$request.body#/url}": _hook(
                            _obj(
                                ["kind", "state"],
                                kind={"const": "status"},
                                state={"type": "string"},
                            )
                        )
                    }
                },
            }
        }
    },
    {
        "OrderPaid": _obj(
            ["type", "amount"], type={"const": "order.paid"}, amount={"type": "integer"}
        ),
        "RefundIssued": _obj(
            ["type", "order"],
            type={"enum": ["refund.issued"]},
            order={"type": "string"},
        ),
        "Parcel": _obj(["parcel_id"], parcel_id={"type": "string"}),
        "Freight": _obj(["freight_id"], freight_id={"type": "string"}),
    },
    webhooks={
        "orderPaid": _hook(ref("OrderPaid")),
        "refundIssued": _hook(ref("RefundIssued")),
        "ping": _hook(_obj(["ping_id"], ping_id={"type": "string"})),
        "shipment": _hook({"oneOf": [ref("Parcel"), ref("Freight")]}),
    },
)


def _get(op_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "get": {"operationId": op_id, "responses": _ok({"type": "object"}), **extra}
    }


# Several schemes: a header key AND a bearer token by default, alternatives on
# one operation, none on another.
MULTI_AUTH = _doc(
    "Multi Auth",
    {
        "/me": _get("getMe"),
        "/alt": _get("getAlt", security=[{"queryKey": []}, {"bearer": []}]),
        "/public": _get("getPublic", security=[]),
    },
    components={
        "schemas": {},
        "securitySchemes": {
            "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "bearer": {"type": "http", "scheme": "bearer"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
        },
    },
    security=[{"apiKeyHeader": [], "bearer": []}],
)

# apiKey in the query, http basic and a bearer token: the default (bearer), two
# schemes together, alternatives, and an operation open to anyone.
THREE_AUTH = _doc(
    "Three Auth",
    {
        "/me": _get("getMe"),
        "/both": _get("getBoth", security=[{"queryKey": [], "basic": []}]),
        "/either": _get(
            "getEither", security=[{"queryKey": [], "basic": []}, {"bearer": []}]
        ),
        "/public": _get("getPublic", security=[]),
    },
    components={
        "schemas": {},
        "securitySchemes": {
            "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
            "basic": {"type": "http", "scheme": "basic"},
            "bearer": {"type": "http", "scheme": "bearer"},
        },
    },
    security=[{"bearer": []}],
)


def _signed_hook(schema: dict[str, Any]) -> dict[str, Any]:
    hook = _hook(schema)
    hook["post"]["parameters"] = [
        {"$ref": f"#/components/parameters/{part}"}
        for part in ("WebhookId", "WebhookTimestamp", "WebhookSignature")
    ]
    return hook


# Webhooks whose requests declare the Standard Webhooks headers.
SIGNED_WEBHOOKS = _doc(
    "Signed Hooks",
    {"/ping": _get("ping")},
    webhooks={
        "orderPaid": _signed_hook(
            _obj(["type"], type={"const": "order.paid"}, amount={"type": "integer"})
        )
    },
    components={
        "schemas": {},
        "parameters": {
            f"Webhook{part.title()}": {
                "name": f"webhook-{part}",
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
            }
            for part in ("id", "timestamp", "signature")
        },
    },
)

# The two JSON Schema dialects: 3.0's ``nullable`` and boolean
# ``exclusiveMinimum``; 3.1's type arrays, ``const``, boolean schemas,
# ``prefixItems`` and ``$ref`` with siblings.
FLAVOUR_30 = _doc(
    "Flavour Thirty",
    {
        "/gauges": {
            "post": {
                "operationId": "putGauge",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": ref("Gauge")}},
                },
                "responses": _ok(ref("Gauge")),
            }
        }
    },
    {
        "Gauge": {
            "type": "object",
            "required": ["level"],
            "properties": {
                "level": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
                "note": {"type": "string", "nullable": True},
            },
        }
    },
    version="3.0.3",
)
FLAVOUR_31 = _doc(
    "Flavour ThirtyOne",
    {
        "/points": {
            "post": {
                "operationId": "putPoint",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": ref("Point")}},
                },
                "responses": _ok(ref("Point")),
            }
        }
    },
    {
        "Point": {
            "type": "object",
            "required": ["kind", "coords"],
            "properties": {
                "kind": {"const": "point"},
                "label": {"type": ["string", "null"]},
                "coords": {
                    "type": "array",
                    "prefixItems": [{"type": "number"}, {"type": "number"}],
                    "items": False,
                },
                "extra": True,
                "tags": {"type": "array", "items": True},
                "unit": {"$ref": "#/components/schemas/Unit", "description": "Unit."},
                "weight": {"type": "number", "exclusiveMinimum": 0},
            },
        },
        "Unit": {"type": "string", "enum": ["m", "km"]},
    },
)

FRAGMENTS: dict[str, dict[str, Any]] = {
    "hostile": HOSTILE,
    "unions": UNIONS,
    "bodies": BODIES,
    "forms": FORMS,
    "params": PARAMS,
    "webhooks": WEBHOOKS,
    "multi_auth": MULTI_AUTH,
    "flavour_30": FLAVOUR_30,
    "flavour_31": FLAVOUR_31,
    "three_auth": THREE_AUTH,
    "signed_webhooks": SIGNED_WEBHOOKS,
    **{f"auth_{k}": v for k, v in AUTH.items()},
}

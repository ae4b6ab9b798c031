"""Every rule of ``generator/diff/rules.py``, each triggered by one small edit.

``CASES`` holds, per rule id, the level it must have and an old/new pair of the
fixture spec that makes the diff report that rule exactly once. A rule with no case
here (or no ``the_change`` test in test_diff_rules.py) fails the coverage test.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.diff import RULES

from .diff_fixtures import base, diff_docs, envelope, query

Doc = dict[str, Any]
Edit = Callable[[Doc], None]


def _nothing(doc: Doc) -> None:
    pass


@dataclass(frozen=True)
class Case:
    rule: str
    level: str
    new: Edit  # applied to the fixture to make the new version
    old: Edit = _nothing  # applied to the fixture to make the old version
    # Text the change must mention (subject, message or SDK line).
    says: str = ""


# -- helpers to reach into the fixture ------------------------------------------------


def schemas(doc: Doc) -> Doc:
    found: Doc = doc["components"]["schemas"]
    return found


def props(doc: Doc, schema: str) -> Doc:
    found: Doc = schemas(doc)[schema]["properties"]
    return found


def path_op(doc: Doc, path: str, method: str) -> Doc:
    found: Doc = doc["paths"][path][method]
    return found


def get_thing(doc: Doc) -> Doc:
    return path_op(doc, "/v2/things/{thing_id}", "get")


def list_things(doc: Doc) -> Doc:
    return path_op(doc, "/v2/things", "get")


def create_thing(doc: Doc) -> Doc:
    return path_op(doc, "/v2/things", "post")


def name_param(doc: Doc) -> Doc:
    found: Doc = list_things(doc)["parameters"][0]
    return found


def data_of(op: Doc, status: str = "200") -> Doc:
    schema = op["responses"][status]["content"]["application/json"]["schema"]
    found: Doc = schema["properties"]["data"]
    return found


def set_data(op: Doc, data: Any, status: str = "200") -> None:
    content = op["responses"][status]["content"]["application/json"]
    content["schema"] = envelope(data)


def nullable(schema: Doc) -> Doc:
    return {"anyOf": [schema, {"type": "null"}]}


def two_path_params(doc: Doc, first: str, second: str) -> None:
    op = copy.deepcopy(get_thing(doc))
    op["operationId"] = "getPart"
    op["parameters"] = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
        for n in ("thing_id", "part_id")
    ]
    doc["paths"][f"/v2/things/{{{first}}}/parts/{{{second}}}"] = {"get": op}


def thing_with(**fields: Any) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        props(doc, "Thing").update(copy.deepcopy(fields))

    return edit


def also(*edits: Edit) -> Edit:
    def edit(doc: Doc) -> None:
        for e in edits:
            e(doc)

    return edit


def field_edit(schema: str, name: str, **changes: Any) -> Edit:
    def edit(doc: Doc) -> None:
        props(doc, schema)[name].update(copy.deepcopy(changes))

    return edit


def unrequire(schema: str, name: str) -> Edit:
    def edit(doc: Doc) -> None:
        schemas(doc)[schema]["required"].remove(name)

    return edit


def replace_field(schema: str, name: str, value: Any) -> Edit:
    def edit(doc: Doc) -> None:
        props(doc, schema)[name] = copy.deepcopy(value)

    return edit


def cursor_paged(doc: Doc) -> None:
    op = list_things(doc)
    op["parameters"].append(query("cursor", {"type": "string"}))
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    schema["properties"]["cursor"] = nullable({"type": "string"})
    schema["required"].append("cursor")


def inline_get_thing_with_extra(doc: Doc) -> None:
    thing = copy.deepcopy(schemas(doc)["Thing"])
    thing["properties"]["extra"] = {"type": "string"}
    set_data(get_thing(doc), thing)


def split_status_enum(doc: Doc) -> None:
    props(doc, "CreateThingRequest")["status"] = {
        "type": "string",
        "enum": ["ok", "failed"],
    }


def shared_status(doc: Doc) -> None:
    props(doc, "CreateThingRequest")["status"] = {
        "$ref": "#/components/schemas/ThingStatus"
    }


def clash(schema: str) -> Edit:
    """A new wire name taking the Python name ``fooBar`` had: it gets ``foo_bar_2``."""

    def edit(doc: Doc) -> None:
        found = props(doc, schema)
        rest = dict(found)
        found.clear()
        found.update({"foo_bar": {"type": "string"}, "fooBar": {"type": "string"}})
        found.update(rest)

    return edit


def server_with_variable(default: str) -> Edit:
    def edit(doc: Doc) -> None:
        doc["servers"] = [
            {
                "url": "https://{region}.example.com",
                "variables": {"region": {"default": default}},
            }
        ]

    return edit


def model_named_things(doc: Doc) -> None:
    """A new model takes the name of the ``things`` resource's class."""
    schemas(doc)["Things"] = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
    }
    props(doc, "Thing")["batch"] = {"$ref": "#/components/schemas/Things"}


def renamed_status_enum(doc: Doc) -> None:
    schemas(doc)["ThingState"] = schemas(doc).pop("ThingStatus")
    props(doc, "Thing")["status"] = {"$ref": "#/components/schemas/ThingState"}


OWNER = {
    "type": "object",
    "properties": {"login": {"type": "string"}},
    "required": ["login"],
}
PRIORITY = {"type": "string", "enum": ["low", "high", "urgent"]}


CASES: tuple[Case, ...] = (
    # -- operations
    Case(
        "operation-renamed",
        "breaking",
        lambda d: d["paths"].update(
            {"/v2/items/{thing_id}": d["paths"].pop("/v2/things/{thing_id}")}
        ),
        says="client.items.retrieve()",
    ),
    Case(
        "resource-class-renamed",
        "warning",
        model_named_things,
        says="`resources.things.Things` is now `resources.things.ThingsResource`",
    ),
    Case(
        "operation-deprecated",
        "warning",
        lambda d: get_thing(d).update(deprecated=True),
        says="GET /v2/things/{thing_id}",
    ),
    # -- parameters
    Case(
        "request-param-became-optional",
        "info",
        _nothing,
        lambda d: name_param(d).update(required=True),
        says="client.things.list(..., name=...)",
    ),
    Case(
        "request-param-type-widened",
        "info",
        lambda d: name_param(d).update(schema={"type": "number"}),
        lambda d: name_param(d).update(schema={"type": "integer"}),
        says="'name'",
    ),
    Case(
        "request-param-constraint-tightened",
        "breaking",
        lambda d: name_param(d)["schema"].update(maxLength=10),
        says="maxLength none -> 10",
    ),
    Case(
        "request-param-constraint-loosened",
        "info",
        _nothing,
        lambda d: name_param(d)["schema"].update(maxLength=10),
        says="maxLength 10 -> none",
    ),
    Case(
        "request-param-location-changed",
        "breaking",
        lambda d: name_param(d).update({"in": "header"}),
        says="moved from query to header",
    ),
    Case(
        "request-param-renamed",
        "breaking",
        lambda d: (
            d["paths"].update(
                {"/v2/things/{id}": d["paths"].pop("/v2/things/{thing_id}")}
            )
            or get_thing_by_id(d)["parameters"][0].update(name="id")
        ),
        says="'thing_id' renamed to 'id'",
    ),
    Case(
        "request-path-params-reordered",
        "breaking",
        lambda d: two_path_params(d, "part_id", "thing_id"),
        lambda d: two_path_params(d, "thing_id", "part_id"),
        says="['thing_id', 'part_id'] -> ['part_id', 'thing_id']",
    ),
    Case(
        "request-param-deprecated",
        "info",
        lambda d: name_param(d).update(deprecated=True),
        says="'name' deprecated",
    ),
    # -- request bodies
    Case(
        "request-body-added-required",
        "breaking",
        _nothing,
        lambda d: create_thing(d).pop("requestBody"),
        says="with required name",
    ),
    Case(
        "request-body-added",
        "info",
        lambda d: schemas(d)["CreateThingRequest"].pop("required"),
        also(
            lambda d: create_thing(d).pop("requestBody"),
            lambda d: schemas(d)["CreateThingRequest"].pop("required"),
        ),
        says="request body added",
    ),
    Case(
        "request-body-removed",
        "breaking",
        lambda d: create_thing(d).pop("requestBody"),
        says="client.things.create()",
    ),
    Case(
        "request-body-type-changed",
        "breaking",
        lambda d: create_thing(d)["requestBody"]["content"]["application/json"].update(
            schema={"type": "array", "items": {"type": "string"}}
        ),
        says="request body CreateThingRequest -> list[str]",
    ),
    Case(
        "request-body-type-widened",
        "info",
        lambda d: create_thing(d)["requestBody"]["content"]["application/json"].update(
            schema={"type": "number"}
        ),
        lambda d: create_thing(d)["requestBody"]["content"]["application/json"].update(
            schema={"type": "integer"}
        ),
        says="widened",
    ),
    # -- request properties
    Case(
        "request-property-became-optional",
        "info",
        unrequire("CreateThingRequest", "name"),
        says="CreateThingRequest.name",
    ),
    Case(
        "request-property-type-widened",
        "info",
        field_edit("CreateThingRequest", "size", type="number"),
        says="'size' type widened",
    ),
    Case(
        "request-property-became-non-nullable",
        "breaking",
        _nothing,
        replace_field(
            "CreateThingRequest", "name", nullable({"type": "string", "maxLength": 100})
        ),
        says="'name' is no longer nullable",
    ),
    Case(
        "request-property-became-nullable",
        "info",
        replace_field(
            "CreateThingRequest", "name", nullable({"type": "string", "maxLength": 100})
        ),
        says="'name' became nullable",
    ),
    Case(
        "request-property-default-changed",
        "warning",
        field_edit("CreateThingRequest", "mode", default="audio_only"),
        says='"speaker_view" -> "audio_only"',
    ),
    Case(
        "request-property-renamed",
        "breaking",
        clash("CreateThingRequest"),
        lambda d: props(d, "CreateThingRequest").update(fooBar={"type": "string"}),
        says="'foo_bar' -> 'foo_bar_2'",
    ),
    Case(
        "request-property-type-renamed",
        "breaking",
        split_status_enum,
        shared_status,
        says="ThingStatus ->",
    ),
    # -- responses
    Case(
        "response-body-added",
        "info",
        _nothing,
        lambda d: get_thing(d)["responses"]["200"].pop("content"),
        says="client.things.retrieve()",
    ),
    Case(
        "response-body-removed",
        "breaking",
        lambda d: get_thing(d)["responses"]["200"].pop("content"),
        says="returns None",
    ),
    Case(
        "response-type-changed",
        "breaking",
        lambda d: set_data(get_thing(d), {"type": "string"}),
        says="Thing -> str",
    ),
    Case(
        "response-type-narrowed",
        "info",
        lambda d: set_data(get_thing(d), {"type": "integer"}),
        lambda d: set_data(get_thing(d), {"type": "number"}),
        says="narrowed",
    ),
    Case(
        "response-unwrapped-changed",
        "breaking",
        lambda d: get_thing(d)["responses"]["200"]["content"][
            "application/json"
        ].update(schema={"$ref": "#/components/schemas/Thing"}),
        says="no longer",
    ),
    Case(
        "response-status-changed",
        "info",
        lambda d: create_thing(d)["responses"].update(
            {"201": create_thing(d)["responses"].pop("200")}
        ),
        says="200 -> 201",
    ),
    Case("pagination-added", "breaking", cursor_paged, says="page iterator"),
    Case(
        "pagination-removed",
        "breaking",
        _nothing,
        cursor_paged,
        says="page iterator",
    ),
    Case(
        "response-property-became-required",
        "info",
        _nothing,
        unrequire("Thing", "duration"),
        says="Thing.duration",
    ),
    Case(
        "response-property-became-non-nullable",
        "info",
        _nothing,
        replace_field("Thing", "duration", nullable({"type": "number"})),
        says="'duration' is no longer nullable",
    ),
    Case(
        "response-property-type-narrowed",
        "info",
        field_edit("Thing", "duration", type="integer"),
        says="'duration' type narrowed",
    ),
    Case(
        "response-property-renamed",
        "breaking",
        clash("Thing"),
        lambda d: props(d, "Thing").update(fooBar={"type": "string"}),
        says="'foo_bar' -> 'foo_bar_2'",
    ),
    Case(
        "response-property-type-renamed",
        "warning",
        inline_get_thing_with_extra,
        says="GET /v2/things/{thing_id}",
    ),
    Case(
        "response-property-default-changed",
        "warning",
        thing_with(note={"type": "string", "default": "b"}),
        thing_with(note={"type": "string", "default": "a"}),
        says='"a" -> "b"',
    ),
    Case(
        "property-deprecated",
        "info",
        field_edit("Thing", "name", deprecated=True),
        says="Thing.name",
    ),
    # -- formats and patterns
    Case(
        "format-changed",
        "info",
        field_edit("Thing", "id", format="uri"),
        says="format 'uuid' -> 'uri'",
    ),
    Case(
        "format-python-type-changed",
        "breaking",
        field_edit("Thing", "name", format="date-time"),
        says="now datetime (was str)",
    ),
    Case(
        "request-pattern-changed",
        "breaking",
        field_edit("CreateThingRequest", "name", pattern="^b"),
        field_edit("CreateThingRequest", "name", pattern="^a"),
        says="pattern '^a' -> '^b'",
    ),
    Case(
        "response-pattern-changed",
        "warning",
        field_edit("Thing", "name", pattern="^b"),
        field_edit("Thing", "name", pattern="^a"),
        says="pattern '^a' -> '^b'",
    ),
    # -- generated types
    Case("model-added", "info", thing_with(owner=OWNER), says="Owner"),
    Case("model-removed", "breaking", _nothing, thing_with(owner=OWNER)),
    Case("enum-added", "info", thing_with(priority=PRIORITY), says="Priority"),
    Case("enum-removed", "breaking", _nothing, thing_with(priority=PRIORITY)),
    Case("enum-renamed", "breaking", renamed_status_enum, says="ThingState"),
    # -- errors, security, servers
    Case(
        "error-response-changed",
        "info",
        lambda d: path_op(d, "/v2/things", "post")["responses"]["404"]["content"][
            "application/json"
        ].update(schema={"type": "string"}),
        says="error 404",
    ),
    Case(
        "security-scheme-added",
        "warning",
        lambda d: d["components"]["securitySchemes"].update(
            Bearer={"type": "http", "scheme": "bearer"}
        ),
        says="'Bearer'",
    ),
    Case(
        "security-scheme-removed",
        "breaking",
        _nothing,
        lambda d: d["components"]["securitySchemes"].update(
            Bearer={"type": "http", "scheme": "bearer"}
        ),
        says="'Bearer'",
    ),
    Case(
        "security-requirement-changed",
        "warning",
        lambda d: d.update(security=[]),
        says="global security",
    ),
    Case(
        "server-added",
        "info",
        lambda d: d["servers"].append({"url": "https://eu.example.com"}),
        says="https://eu.example.com",
    ),
    Case(
        "server-removed",
        "info",
        _nothing,
        lambda d: d["servers"].append({"url": "https://eu.example.com"}),
        says="https://eu.example.com",
    ),
    Case(
        "server-variable-changed",
        "warning",
        server_with_variable("eu"),
        server_with_variable("us"),
        says="'region'",
    ),
)


def get_thing_by_id(doc: Doc) -> Doc:
    return path_op(doc, "/v2/things/{id}", "get")


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_case_triggers_its_rule_once_at_its_level(case: Case) -> None:
    check_case(case)


def check_case(case: Case) -> None:
    """The case's edit makes the diff report its rule once, at its level."""
    old, new = base(), base()
    case.old(old)
    case.new(new)
    report = diff_docs(old, new)
    found = [c for c in report.changes if c.rule.id == case.rule]
    assert len(found) == 1, [(c.rule.id, c.subject, c.message) for c in report.changes]
    change = found[0]
    assert change.level == case.level
    assert case.says in f"{change.subject} {change.message} {change.sdk}"


def _rules_named_in(path: Path) -> set[str]:
    return set(re.findall(r'"([a-z][a-z-]+)"', path.read_text())) & set(RULES)


def test_every_rule_has_a_test() -> None:
    here = Path(__file__).parent
    from .test_diff_round3 import CASES as ROUND3

    covered = {c.rule for c in (*CASES, *ROUND3)}
    covered |= _rules_named_in(here / "test_diff_rules.py")
    assert sorted(set(RULES) - covered) == []


def test_every_rule_id_is_written_out_where_it_is_reported() -> None:
    # Literal ids can be searched for: no id is assembled from parts.
    source = "".join(
        p.read_text()
        for p in (Path(__file__).parents[1] / "generator" / "diff").glob("*.py")
        if p.name != "rules.py"
    )
    assert sorted(r for r in RULES if f'"{r}"' not in source) == []

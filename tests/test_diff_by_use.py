"""``sdkgen diff`` compares types where they are used, not by their names.

A shape the normaliser split (one inline copy changed) gets a new class name: the
field or value change behind it must still be reported at its own level, with the
rename beside it, never instead of it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from generator.config import Config
from generator.diff import DiffReport
from generator.diff.output import to_json, to_markdown, to_text
from generator.emit.view import build_view, walk
from generator.finalnames import call_arguments
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise

from .conftest import ROOT
from .diff_fixtures import base, diff_docs, envelope, query

Doc = dict[str, Any]


def rules(report: DiffReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for c in report.changes:
        found.setdefault(c.rule.id, []).append(f"{c.subject}: {c.message}")
    return found


def thing_copy_with(doc: Doc, path: str, method: str, edit: Any) -> None:
    """Give one operation its own inline copy of Thing, edited."""
    thing = copy.deepcopy(doc["components"]["schemas"]["Thing"])
    edit(thing)
    content = doc["paths"][path][method]["responses"]["200"]["content"]
    content["application/json"]["schema"] = envelope(thing)


def test_field_made_optional_in_a_split_copy_is_breaking_not_just_a_rename() -> None:
    new = base()
    thing_copy_with(
        new, "/v2/things/{thing_id}", "get", lambda t: t["required"].remove("name")
    )
    report = diff_docs(base(), new)
    [change] = [
        c for c in report.changes if c.rule.id == "response-property-became-optional"
    ]
    assert change.level == "breaking" and change.subject.endswith(".name")
    assert change.used_by == ("GET /v2/things/{thing_id}",)
    # The class the operation returns changed name too: said separately.
    assert "response-property-type-renamed" in rules(report)


def test_response_field_type_change_in_a_split_copy_is_breaking() -> None:
    def edit(t: Doc) -> None:
        t["properties"]["name"] = {"type": "integer"}

    new = base()
    thing_copy_with(new, "/v2/things/{thing_id}", "get", edit)
    report = diff_docs(base(), new)
    [change] = [
        c for c in report.changes if c.rule.id == "response-property-type-changed"
    ]
    assert "'name' type str -> int" in change.message


def test_request_enum_value_removed_in_one_copy_names_the_value_and_member() -> None:
    old, new = base(), base()
    for doc in (old, new):
        doc["paths"]["/v2/things"]["get"]["parameters"].append(
            query("mode", {"type": "string", "enum": ["a_b", "c", "gallery_view"]})
        )
    schema = new["paths"]["/v2/things"]["get"]["parameters"][1]["schema"]
    schema["enum"].remove("gallery_view")
    report = diff_docs(old, new)
    [change] = [c for c in report.changes if c.rule.id == "request-enum-value-removed"]
    assert change.level == "breaking"
    assert "'gallery_view' (GALLERY_VIEW)" in change.message
    assert "GALLERY_VIEW" in change.sdk
    assert change.used_by == ("GET /v2/things",)


def test_response_enum_value_added_in_one_place_is_a_warning_naming_it() -> None:
    def edit(t: Doc) -> None:
        t["properties"]["status"] = {
            "type": "string",
            "enum": ["ok", "failed", "running", "paused"],
        }

    new = base()
    thing_copy_with(new, "/v2/things/{thing_id}", "get", edit)
    report = diff_docs(base(), new)
    [change] = [c for c in report.changes if c.rule.id == "response-enum-value-added"]
    assert change.level == "warning"
    assert "'paused' (PAUSED)" in change.message and ".PAUSED" in change.sdk
    assert change.used_by == ("GET /v2/things/{thing_id}",)
    assert not report.at_or_above("breaking") or all(
        c.rule.area == "naming" for c in report.at_or_above("breaking")
    )


def test_a_change_seen_through_several_operations_is_one_finding() -> None:
    new = base()
    new["components"]["schemas"]["Thing"]["required"].remove("duration")
    report = diff_docs(base(), new)
    found = [
        c for c in report.changes if c.rule.id == "response-property-became-optional"
    ]
    assert len(found) == 1
    users = ("GET /v2/things", "GET /v2/things/{thing_id}", "POST /v2/things")
    assert found[0].used_by == users
    assert all(u in to_text(report) for u in users)
    assert all(u in to_markdown(report) for u in users)
    [doc] = [
        c
        for c in json.loads(to_json(report))["changes"]
        if c["rule"] == "response-property-became-optional"
    ]
    assert tuple(doc["used_by"]) == users


def test_cyclic_types_are_walked_once() -> None:
    node = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Node"},
            },
        },
        "required": ["name", "children"],
    }
    old, new = base(), base()
    for doc in (old, new):
        doc["components"]["schemas"]["Node"] = copy.deepcopy(node)
        doc["components"]["schemas"]["Thing"]["properties"]["tree"] = {
            "$ref": "#/components/schemas/Node"
        }
    new["components"]["schemas"]["Node"]["required"].remove("name")
    report = diff_docs(old, new)
    assert rules(report) == {
        "response-property-became-optional": ["Node.name: 'name' became optional"]
    }


def test_diff_spells_arguments_as_the_sdk_does() -> None:
    # `timeout` is every method's own option: the SDK calls the parameter timeout_.
    old, new = base(), base()
    new["paths"]["/v2/things"]["get"]["parameters"].append(
        query("timeout", {"type": "integer"})
    )
    new["components"]["schemas"]["CreateThingRequest"]["properties"]["headers"] = {
        "type": "string"
    }
    report = diff_docs(old, new)
    sdk = " ".join(c.sdk for c in report.changes)
    assert "client.things.list(..., timeout_=...)" in sdk
    assert "client.things.create(..., headers_=...)" in sdk
    assert "timeout=" not in sdk and "headers=" not in sdk


def test_emitter_and_diff_resolve_argument_names_alike() -> None:
    spec = load_spec(str(ROOT / "spec" / "meeting-baas-v2.yaml"))
    api = normalise(spec, Config())
    view = build_view(api, Config(), spec.sha256, "0")
    models = {m.name: m for m in api.models}
    ops = {op.python_call: op for op in api.operations}
    checked = 0
    for resource in walk(view.resources):
        for method in resource.methods:
            names = [a.name for a in method.positional + method.keyword]
            expected = list(call_arguments(ops[method.python_call], models).values())
            assert sorted(names) == sorted(expected), method.python_call
            checked += 1
    assert checked == len(api.operations)


def test_enums_in_a_union_are_paired_by_their_values() -> None:
    def with_param(doc: Doc, second: list[str]) -> None:
        schema = {
            "anyOf": [
                {"type": "string", "enum": ["red", "green", "blue"]},
                {"type": "string", "enum": second},
            ]
        }
        doc["paths"]["/v2/things"]["get"]["parameters"].append(query("colour", schema))

    old, new = base(), base()
    with_param(old, ["cyan", "magenta", "yellow"])
    with_param(new, ["cyan", "yellow"])
    report = diff_docs(old, new)
    removed = [c for c in report.changes if "value-removed" in c.rule.id]
    assert [c.rule.id for c in removed] == ["request-enum-value-removed"]
    assert "'magenta'" in removed[0].message


def test_a_name_used_in_the_path_and_the_query_is_two_parameters() -> None:
    def with_query(doc: Doc, required: bool) -> None:
        op = doc["paths"]["/v2/things/{thing_id}"]["get"]
        op["parameters"].append(query("thing_id", {"type": "string"}, required))

    old, new = base(), base()
    with_query(old, False)
    with_query(new, True)
    report = diff_docs(old, new)
    assert [(c.rule.id, c.subject) for c in report.changes] == [
        (
            "request-param-became-required",
            "GET /v2/things/{thing_id} query param thing_id",
        )
    ]

"""``sdkgen diff`` rule by rule: one small edit of a small spec per rule."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from generator.diff import RULES, Change, DiffReport

from .diff_fixtures import base, diff_docs, query

Doc = dict[str, Any]


def edited(edit: Callable[[Doc], None]) -> DiffReport:
    old = base()
    new = copy.deepcopy(old)
    edit(new)
    return diff_docs(old, new)


def the_change(report: DiffReport, rule_id: str) -> Change:
    found = [c for c in report.changes if c.rule.id == rule_id]
    assert len(found) == 1, (rule_id, [(c.rule.id, c.subject) for c in report.changes])
    return found[0]


def retarget(node: object, old: str, new: str) -> None:
    """Point every ``$ref`` to ``old`` at ``new`` instead."""
    if isinstance(node, dict):
        if node.get("$ref") == old:
            node["$ref"] = new
        for value in node.values():
            retarget(value, old, new)
    elif isinstance(node, list):
        for value in node:
            retarget(value, old, new)


def schemas(doc: Doc) -> Doc:
    result: Doc = doc["components"]["schemas"]
    return result


def create_body(doc: Doc) -> Doc:
    result: Doc = schemas(doc)["CreateThingRequest"]
    return result


def thing(doc: Doc) -> Doc:
    result: Doc = schemas(doc)["Thing"]
    return result


def list_op(doc: Doc) -> Doc:
    result: Doc = doc["paths"]["/v2/things"]["get"]
    return result


def test_same_spec_reports_nothing_and_suggests_no_bump() -> None:
    report = diff_docs(base(), base())
    assert report.changes == ()
    assert report.bump == "none"


def test_every_rule_has_a_known_level_and_bump() -> None:
    for rule in RULES.values():
        assert rule.level in ("breaking", "warning", "info")
        assert rule.bump in ("major", "minor", "patch")
        assert rule.level != "breaking" or rule.bump == "major"


# -- operations ---------------------------------------------------------------------


def test_operation_added_is_info_and_names_the_new_method() -> None:
    def edit(doc: Doc) -> None:
        doc["paths"]["/v2/things/{thing_id}"]["delete"] = copy.deepcopy(
            doc["paths"]["/v2/things/{thing_id}"]["get"]
        ) | {"operationId": "deleteThing"}

    report = edited(edit)
    change = the_change(report, "operation-added")
    assert change.level == "info" and change.subject == "DELETE /v2/things/{thing_id}"
    assert "client.things.delete()" in change.sdk
    assert report.bump == "minor"


def test_operation_removed_is_breaking() -> None:
    report = edited(lambda doc: doc["paths"].pop("/v2/things/{thing_id}"))
    change = the_change(report, "operation-removed")
    assert change.level == "breaking" and "client.things.retrieve()" in change.sdk
    assert change.side == "old"
    assert change.pointer == "#/paths/~1v2~1things~1{thing_id}/get"
    assert report.bump == "major"


def test_operation_method_changed_keeps_its_operation_id() -> None:
    def edit(doc: Doc) -> None:
        item = doc["paths"]["/v2/things/{thing_id}"]
        item["post"] = item.pop("get")

    change = the_change(edited(edit), "operation-method-changed")
    assert change.level == "breaking" and "GET" in change.message


def test_operation_path_changed_keeps_its_operation_id() -> None:
    def edit(doc: Doc) -> None:
        item = doc["paths"].pop("/v2/things/{thing_id}")
        doc["paths"]["/v2/things/by-id/{thing_id}"] = item

    change = the_change(edited(edit), "operation-path-changed")
    assert (
        change.level == "breaking" and "/v2/things/by-id/{thing_id}" in change.message
    )


# -- parameters -----------------------------------------------------------------------


def test_required_param_added_is_breaking_and_spelled_as_an_argument() -> None:
    report = edited(
        lambda doc: list_op(doc)["parameters"].append(
            query("owner", {"type": "string"}, required=True)
        )
    )
    change = the_change(report, "request-param-added-required")
    assert change.level == "breaking"
    assert "client.things.list(..., owner=...)" in change.sdk


def test_optional_param_added_is_info() -> None:
    report = edited(
        lambda doc: list_op(doc)["parameters"].append(
            query("owner", {"type": "string"})
        )
    )
    assert the_change(report, "request-param-added").level == "info"
    assert report.bump == "minor"


def test_param_removed_is_breaking() -> None:
    report = edited(lambda doc: list_op(doc).pop("parameters"))
    change = the_change(report, "request-param-removed")
    assert change.level == "breaking" and "name" in change.message


def test_param_became_required_is_breaking() -> None:
    report = edited(lambda doc: list_op(doc)["parameters"][0].update(required=True))
    assert the_change(report, "request-param-became-required").level == "breaking"


def test_param_type_changed_is_breaking() -> None:
    report = edited(
        lambda doc: list_op(doc)["parameters"][0].update(schema={"type": "integer"})
    )
    assert the_change(report, "request-param-type-changed").level == "breaking"


def test_param_default_changed_is_a_warning() -> None:
    def with_default(value: str) -> Doc:
        doc = base()
        list_op(doc)["parameters"][0]["schema"]["default"] = value
        return doc

    report = diff_docs(with_default("a"), with_default("b"))
    change = the_change(report, "request-param-default-changed")
    assert change.level == "warning"
    assert "'a'" in change.message and "'b'" in change.message


# -- request fields -------------------------------------------------------------------


def test_required_request_field_added_is_breaking_for_the_flattened_call() -> None:
    def edit(doc: Doc) -> None:
        create_body(doc)["properties"]["owner"] = {"type": "string"}
        create_body(doc)["required"].append("owner")

    change = the_change(edited(edit), "request-property-added-required")
    assert change.level == "breaking" and change.subject == "CreateThingRequest.owner"
    assert "client.things.create(..., owner=...)" in change.sdk


def test_optional_request_field_added_is_info() -> None:
    def edit(doc: Doc) -> None:
        create_body(doc)["properties"]["owner"] = {"type": "string"}

    assert the_change(edited(edit), "request-property-added").level == "info"


def test_required_request_field_with_default_added_breaks_released_sdks() -> None:
    # Calls need no new argument (the new SDK sends the default), but released
    # SDKs leave the field out, which a server enforcing the spec refuses.
    def edit(doc: Doc) -> None:
        create_body(doc)["properties"]["owner"] = {"type": "string", "default": "me"}
        create_body(doc)["required"].append("owner")

    report = edited(edit)
    assert not [c for c in report.changes if c.rule.id.endswith("added-required")]
    change = the_change(report, "request-property-sent-by-default")
    assert change.level == "breaking"
    assert change.subject == "CreateThingRequest.owner"


def test_request_field_removed_is_breaking() -> None:
    report = edited(lambda doc: create_body(doc)["properties"].pop("size"))
    change = the_change(report, "request-property-removed")
    assert change.level == "breaking" and change.subject == "CreateThingRequest.size"


def test_request_field_made_required_is_breaking() -> None:
    report = edited(lambda doc: create_body(doc)["required"].append("size"))
    assert the_change(report, "request-property-became-required").level == "breaking"


def test_request_field_type_changed_is_breaking() -> None:
    report = edited(
        lambda doc: create_body(doc)["properties"].update(size={"type": "string"})
    )
    assert the_change(report, "request-property-type-changed").level == "breaking"


@pytest.mark.parametrize(
    ("field", "key", "value", "rule_id"),
    [
        ("name", "maxLength", 50, "request-property-constraint-tightened"),
        ("name", "maxLength", 200, "request-property-constraint-loosened"),
        ("size", "minimum", 2, "request-property-constraint-tightened"),
        ("size", "minimum", 0, "request-property-constraint-loosened"),
        ("size", "maximum", 5, "request-property-constraint-tightened"),
        ("name", "pattern", "^[a-z]+$", "request-property-constraint-tightened"),
        ("name", "minLength", 3, "request-property-constraint-tightened"),
    ],
)
def test_request_constraints(field: str, key: str, value: object, rule_id: str) -> None:
    report = edited(
        lambda doc: create_body(doc)["properties"][field].update({key: value})
    )
    change = the_change(report, rule_id)
    assert change.subject == f"CreateThingRequest.{field}"
    assert change.level == ("breaking" if rule_id.endswith("tightened") else "info")


def test_pattern_removed_is_loosened() -> None:
    def with_pattern(doc: Doc) -> Doc:
        create_body(doc)["properties"]["name"]["pattern"] = "^[a-z]+$"
        return doc

    old = with_pattern(base())
    report = diff_docs(old, base())
    assert the_change(report, "request-property-constraint-loosened").level == "info"


# -- responses ------------------------------------------------------------------------


def test_response_field_removed_is_breaking_for_readers() -> None:
    def edit(doc: Doc) -> None:
        thing(doc)["properties"].pop("duration")
        thing(doc)["required"].remove("duration")

    change = the_change(edited(edit), "response-property-removed")
    assert change.level == "breaking" and change.subject == "Thing.duration"
    assert "Thing.duration" in change.sdk


def test_response_field_made_nullable_is_breaking() -> None:
    report = edited(
        lambda doc: thing(doc)["properties"].update(
            duration={"anyOf": [{"type": "number"}, {"type": "null"}]}
        )
    )
    assert the_change(report, "response-property-became-nullable").level == "breaking"


def test_response_field_made_optional_is_breaking() -> None:
    report = edited(lambda doc: thing(doc)["required"].remove("duration"))
    assert the_change(report, "response-property-became-optional").level == "breaking"


def test_response_field_added_is_info() -> None:
    report = edited(
        lambda doc: thing(doc)["properties"].update(
            created_at={"type": "string", "format": "date-time"}
        )
    )
    change = the_change(report, "response-property-added")
    assert change.level == "info" and change.subject == "Thing.created_at"


def test_response_field_type_changed_is_breaking() -> None:
    report = edited(
        lambda doc: thing(doc)["properties"].update(duration={"type": "string"})
    )
    change = the_change(report, "response-property-type-changed")
    assert change.level == "breaking" and "float" in change.message


# -- enums ----------------------------------------------------------------------------


def test_enum_value_added_to_a_response_is_a_warning() -> None:
    report = edited(lambda doc: schemas(doc)["ThingStatus"]["enum"].append("paused"))
    change = the_change(report, "response-enum-value-added")
    assert change.level == "warning" and "ThingStatus.PAUSED" in change.sdk


def test_enum_value_removed_from_a_response_is_breaking() -> None:
    report = edited(lambda doc: schemas(doc)["ThingStatus"]["enum"].remove("failed"))
    assert the_change(report, "response-enum-value-removed").level == "breaking"


def test_enum_value_added_to_a_request_is_info() -> None:
    report = edited(
        lambda doc: create_body(doc)["properties"]["mode"]["enum"].append("grid")
    )
    change = the_change(report, "request-enum-value-added")
    assert change.level == "info" and "GRID" in change.sdk


def test_enum_value_removed_from_a_request_is_breaking() -> None:
    report = edited(
        lambda doc: create_body(doc)["properties"]["mode"]["enum"].remove("audio_only")
    )
    assert the_change(report, "request-enum-value-removed").level == "breaking"


# -- webhooks -------------------------------------------------------------------------


def test_webhook_event_added_is_a_warning() -> None:
    def edit(doc: Doc) -> None:
        failed = copy.deepcopy(schemas(doc)["ThingWebhookCompleted"])
        failed["properties"]["event"]["const"] = "thing.failed"
        schemas(doc)["ThingWebhookFailed"] = failed

    change = the_change(edited(edit), "webhook-event-added")
    assert change.level == "warning" and "thing.failed" in change.message


def test_webhook_event_removed_is_breaking() -> None:
    report = edited(lambda doc: schemas(doc).pop("ThingWebhookCompleted"))
    assert the_change(report, "webhook-event-removed").level == "breaking"


def test_webhook_payload_field_removed_is_breaking_like_a_response() -> None:
    def edit(doc: Doc) -> None:
        data = schemas(doc)["ThingWebhookCompleted"]["properties"]["data"]
        data["properties"].pop("duration")
        data["required"].remove("duration")

    change = the_change(edited(edit), "response-property-removed")
    assert change.resource == "webhooks"
    assert change.subject == "ThingWebhookCompletedData.duration"


# -- errors, security, servers, names -------------------------------------------------


def test_error_response_added_and_removed_are_info() -> None:
    def edit(doc: Doc) -> None:
        responses = list_op(doc)["responses"]
        responses["429"] = responses.pop("404")

    report = edited(edit)
    assert the_change(report, "error-response-added").level == "info"
    assert the_change(report, "error-response-removed").level == "info"
    assert report.bump == "patch"


def test_api_key_header_renamed_is_breaking() -> None:
    report = edited(
        lambda doc: doc["components"]["securitySchemes"]["ApiKey"].update(
            name="x-other-key"
        )
    )
    assert the_change(report, "security-scheme-changed").level == "breaking"


def test_default_server_changed_is_a_warning() -> None:
    report = edited(lambda doc: doc.update(servers=[{"url": "https://new.example"}]))
    change = the_change(report, "server-default-changed")
    assert change.level == "warning" and "https://new.example" in change.sdk


def test_model_renamed_in_the_spec_is_breaking_for_importers() -> None:
    def edit(doc: Doc) -> None:
        schemas(doc)["Widget"] = schemas(doc).pop("Thing")
        retarget(doc, "#/components/schemas/Thing", "#/components/schemas/Widget")

    change = the_change(edited(edit), "model-renamed")
    assert change.level == "breaking"
    assert "Thing" in change.message and "Widget" in change.message


def test_worst_change_decides_the_bump() -> None:
    def edit(doc: Doc) -> None:
        schemas(doc)["ThingStatus"]["enum"].append("paused")  # warning
        create_body(doc)["properties"].pop("size")  # breaking

    report = edited(edit)
    assert report.counts()["breaking"] == 1 and report.counts()["warning"] == 1
    assert report.bump == "major"

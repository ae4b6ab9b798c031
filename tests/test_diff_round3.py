"""Round 3 of ``sdkgen diff``: discriminator mappings, defaulted fields made
required, response constraints, removed union options and defaults on shared
objects. Each rule case here counts for ``test_every_rule_has_a_test``."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.config import Config
from generator.parse.normalise import normalise

from .diff_fixtures import base, diff_docs, loaded
from .test_diff_rule_cases import Case, check_case, field_edit, props, schemas

Doc = dict[str, Any]


def with_shape(doc: Doc) -> None:
    """Thing.shape: a union of A and B told apart by ``kind`` through a mapping."""
    found = schemas(doc)
    for name, extra in (("A", "a"), ("B", "b")):
        found[name] = {
            "type": "object",
            "properties": {"kind": {"type": "string"}, extra: {"type": "string"}},
            "required": ["kind"],
        }
    props(doc, "Thing")["shape"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/A"},
            {"$ref": "#/components/schemas/B"},
        ],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                "x": "#/components/schemas/A",
                "y": "#/components/schemas/B",
            },
        },
    }


def swap_mapping(doc: Doc) -> None:
    with_shape(doc)
    mapping = props(doc, "Thing")["shape"]["discriminator"]["mapping"]
    mapping["x"], mapping["y"] = mapping["y"], mapping["x"]


def mode_required(doc: Doc) -> None:
    schemas(doc)["CreateThingRequest"]["required"].append("mode")


CASES: tuple[Case, ...] = (
    Case(
        "discriminator-mapping-changed",
        "breaking",
        swap_mapping,
        with_shape,
        says="'x' selects B, not A",
    ),
    Case(
        "request-property-sent-by-default",
        "breaking",
        mode_required,
        says="CreateThingRequest.mode",
    ),
    Case(
        "request-property-no-longer-sent-by-default",
        "info",
        lambda d: None,
        mode_required,
        says="CreateThingRequest.mode",
    ),
    Case(
        "response-property-constraint-loosened",
        "warning",
        lambda d: None,
        field_edit("Thing", "name", maxLength=10),
        says="maxLength 10 -> none",
    ),
    Case(
        "response-property-constraint-tightened",
        "info",
        field_edit("Thing", "name", maxLength=10),
        says="maxLength none -> 10",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_round3_rule_case_triggers_its_rule_once_at_its_level(case: Case) -> None:
    check_case(case)


def test_mapping_change_on_a_response_body_union_is_breaking() -> None:
    def as_body(doc: Doc, swap: bool) -> None:
        (swap_mapping if swap else with_shape)(doc)
        union = props(doc, "Thing").pop("shape")
        get = doc["paths"]["/v2/things/{thing_id}"]["get"]
        schema = get["responses"]["200"]["content"]["application/json"]["schema"]
        schema["properties"]["data"] = union

    old, new = base(), base()
    as_body(old, False)
    as_body(new, True)
    report = diff_docs(old, new)
    found = [c for c in report.changes if c.rule.id == "discriminator-mapping-changed"]
    assert [c.level for c in found] == ["breaking"]
    assert "client.things.retrieve()" in found[0].sdk


def test_a_removed_union_option_is_no_rename_of_a_kept_one() -> None:
    old = base()
    with_shape(old)
    new = copy.deepcopy(old)
    shape = props(new, "Thing")["shape"]
    shape["oneOf"].pop()
    del shape["discriminator"]["mapping"]["y"]
    report = diff_docs(old, new)
    found = sorted((c.rule.id, c.subject) for c in report.changes)
    # B's fields are not reported as A's: A is unchanged, B is gone.
    assert found == [
        ("model-removed", "B"),
        ("response-property-type-narrowed", "Thing.shape"),
    ]


def _two_copies(doc: Doc, second_default: int) -> None:
    """One inline timeout object, repeated in two request bodies."""

    def timeout(default: int) -> Doc:
        return {
            "type": "object",
            "properties": {"waiting": {"type": "integer", "default": default}},
        }

    schemas(doc)["CreateThingRequest"]["properties"]["timeout_config"] = timeout(600)
    other = copy.deepcopy(doc["paths"]["/v2/things"]["post"])
    other["operationId"] = "updateThing"
    other["parameters"] = [
        {
            "name": "thing_id",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        }
    ]
    other["requestBody"]["content"]["application/json"]["schema"] = {
        "type": "object",
        "properties": {"timeout_config": timeout(second_default)},
    }
    doc["paths"]["/v2/things/{thing_id}"]["patch"] = other


def test_a_default_changed_in_one_copy_keeps_the_shared_class() -> None:
    old, new = base(), base()
    _two_copies(old, 600)
    _two_copies(new, 900)
    config = Config()
    old_names = {m.name for m in normalise(loaded(old, "o"), config).models}
    new_names = {m.name for m in normalise(loaded(new, "n"), config).models}
    assert old_names == new_names
    report = diff_docs(old, new)
    found = [(c.rule.id, c.level, c.message) for c in report.changes]
    assert len(found) == 1, found
    rule_id, level, message = found[0]
    assert (rule_id, level) == ("request-property-default-changed", "warning")
    assert message.endswith("default 600 -> one of 600, 900 by use")


def test_markdown_leads_with_breaking_then_warnings_and_folds_the_rest() -> None:
    from generator.diff.output import to_markdown

    old = base()
    new = copy.deepcopy(old)
    schemas(new)["CreateThingRequest"]["properties"].pop("size")  # breaking
    schemas(new)["ThingStatus"]["enum"].append("paused")  # warning
    for n in range(30):  # a pile of additions
        props(new, "Thing")[f"extra_{n}"] = {"type": "string"}
    text = to_markdown(diff_docs(old, new))
    breaking = text.index("### Breaking (1)")
    warnings = text.index("### Warnings (1)")
    folded = text.index("<details>")
    assert breaking < warnings < folded < text.index("extra_0")
    assert "<summary>Other changes (30)</summary>" in text
    assert text.index("CreateThingRequest.size") < warnings
    assert text.rstrip().endswith("</details>")


def test_an_unwritable_step_summary_warns_and_keeps_the_breaking_exit(
    tmp_path: Any, monkeypatch: Any, capsys: Any
) -> None:
    import json

    from generator.cli import main

    old = base()
    new = copy.deepcopy(old)
    schemas(new)["CreateThingRequest"]["properties"].pop("size")
    paths = []
    for name, doc in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(json.dumps(doc))
        paths.append(str(tmp_path / name))
    folder = tmp_path / "summary-is-a-folder"
    folder.mkdir()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(folder))
    code = main(["diff", *paths, "--format", "github"])
    err = capsys.readouterr().err
    assert code == 1
    assert "sdkgen: warning: $GITHUB_STEP_SUMMARY: cannot append the report" in err
    assert "Traceback" not in err

"""Multi-file specs at the scale of real ones: bounded by bytes, not by file
count; files told apart by their path; a refusal names its first causes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.parse.bundle import bundle
from generator.parse.loader import MAX_SPEC_BYTES
from generator.parse.problems import Problems, load_lenient


def _root(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}


def _ok(ref: str) -> dict[str, Any]:
    return {
        "get": {
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": ref}}},
                }
            }
        }
    }


def test_more_files_than_a_thousand_are_bundled(tmp_path: Path) -> None:
    count = 1200
    for i in range(count):
        (tmp_path / "models").mkdir(exist_ok=True)
        (tmp_path / "models" / f"m{i}.json").write_text(
            json.dumps({"type": "object", "properties": {f"f{i}": {"type": "string"}}})
        )
    doc = _root({f"/m{i}": _ok(f"models/m{i}.json") for i in range(count)})
    bundled = bundle(doc, str(tmp_path / "openapi.json"), MAX_SPEC_BYTES)
    schema = bundled["paths"]["/m1199"]["get"]["responses"]["200"]["content"]
    assert schema["application/json"]["schema"]["properties"] == {
        "f1199": {"type": "string"}
    }


def test_files_sharing_a_base_name_are_no_cycle(tmp_path: Path) -> None:
    (tmp_path / "responses").mkdir()
    (tmp_path / "models").mkdir()
    (tmp_path / "responses" / "account.json").write_text(
        json.dumps(
            {"type": "object", "properties": {"a": {"$ref": "../models/account.json"}}}
        )
    )
    (tmp_path / "models" / "account.json").write_text(
        json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})
    )
    doc = _root({"/a": _ok("responses/account.json")})
    bundled = bundle(doc, str(tmp_path / "openapi.json"), MAX_SPEC_BYTES)
    got = bundled["paths"]["/a"]["get"]["responses"]["200"]["content"]
    inner = got["application/json"]["schema"]["properties"]["a"]
    assert inner == {"type": "object", "properties": {"id": {"type": "string"}}}


def test_a_real_cycle_is_named_by_paths(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.json").write_text(
        json.dumps({"items": {"$ref": "../b/x.json"}})
    )
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.json").write_text(
        json.dumps({"items": {"$ref": "../a/x.json"}})
    )
    doc = _root({"/a": _ok("a/x.json")})
    with pytest.raises(SpecError, match=r"a/x\.json# -> b/x\.json# -> a/x\.json#"):
        bundle(doc, str(tmp_path / "openapi.json"), MAX_SPEC_BYTES)


def test_all_files_share_one_byte_budget(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"m{i}.json").write_text(json.dumps({"description": "x" * 400}))
    doc = _root({f"/m{i}": _ok(f"m{i}.json") for i in range(3)})
    with pytest.raises(SpecError, match="larger than"):
        bundle(doc, str(tmp_path / "openapi.json"), 1000)
    assert bundle(doc, str(tmp_path / "openapi.json"), 2000)["paths"]


def test_refusing_a_spec_names_its_first_invalid_parts(tmp_path: Path) -> None:
    """More invalid parts than are taken out one by one: the error says
    which came first (not only that there were too many)."""
    bad = {"get": {"responses": {"200": {"description": 5}}}}
    doc = _root({f"/p{i:03}": bad for i in range(205)})
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(doc))
    with pytest.raises(SpecError) as caught:
        load_lenient(str(spec), Problems())
    message = caught.value.message
    assert message.startswith("more than 200 invalid parts; the first: #/paths/")
    assert message.count("not valid OpenAPI") == 3

"""The loader validates a spec as openapi-pydantic's model for the flavour it
declares does, without importing openapi-pydantic (its validator is shipped as
data, ``parse/validator.py``); where the models must be imported, only that
flavour's are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.parse.loader import load_spec

from .conftest import ROOT, make_spec

PROBE = """
import json, sys
from generator.parse.loader import load_spec, openapi_model
loaded = [load_spec(path) for path in sys.argv[1:]]
validated_alone = "openapi_pydantic" not in sys.modules
models = [openapi_model(s.raw["openapi"]) for s in loaded]
only_flavours = "openapi_pydantic.v3.parser" not in sys.modules
import openapi_pydantic  # the real package still imports afterwards
same = all(
    openapi_pydantic.parse_obj(s.raw) == m.model_validate(s.raw)
    for s, m in zip(loaded, models)
)
modules = [m.__module__ for m in models]
print(json.dumps([validated_alone, only_flavours, same, modules]))
"""


def _specs(tmp_path: Path) -> list[str]:
    paths = []
    for version in ("3.0.3", "3.1.0"):
        doc = make_spec({"A": {"type": "object"}}, openapi=version)
        doc["info"]["description"] = f"flavour {version}"
        path = tmp_path / f"{version}.json"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
    return paths


def test_flavour_import_matches_the_package_parser(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *_specs(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    validated_alone, only_flavours, same, modules = json.loads(result.stdout)
    assert validated_alone, "validating a spec imported openapi-pydantic"
    assert only_flavours, "the union parser (both flavours) was imported"
    assert same, "a flavour's model differs from openapi_pydantic.parse_obj's"
    assert modules == [
        "openapi_pydantic.v3.v3_0.open_api",
        "openapi_pydantic.v3.v3_1.open_api",
    ]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_an_invalid_document_is_refused_at_its_pointer(
    tmp_path: Path, version: str
) -> None:
    doc = make_spec({"A": {"type": "object"}}, openapi=version)
    doc["info"]["title"] = 3
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    assert caught.value.where == "#/info/title"
    assert "not a valid OpenAPI document" in str(caught.value)

"""The loader imports only the openapi-pydantic flavour a spec declares."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, make_spec

PROBE = """
import json, sys
from generator.parse.loader import load_spec
loaded = [load_spec(path) for path in sys.argv[1:]]
only_flavours = "openapi_pydantic.v3.parser" not in sys.modules
import openapi_pydantic  # the real package still imports afterwards
same = all(
    openapi_pydantic.parse_obj(spec.raw) == spec.document for spec in loaded
)
print(json.dumps([only_flavours, same, [type(s.document).__module__ for s in loaded]]))
"""


def test_flavour_import_matches_the_package_parser(tmp_path: Path) -> None:
    paths = []
    for version in ("3.0.3", "3.1.0"):
        doc = make_spec({"A": {"type": "object"}}, openapi=version)
        doc["info"]["description"] = f"flavour {version}"
        path = tmp_path / f"{version}.json"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    only_flavours, same, modules = json.loads(result.stdout)
    assert only_flavours, "the union parser (both flavours) was imported"
    assert same, "our typed document differs from openapi_pydantic.parse_obj's"
    assert modules == [
        "openapi_pydantic.v3.v3_0.open_api",
        "openapi_pydantic.v3.v3_1.open_api",
    ]

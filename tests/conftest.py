from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPECS = ROOT.parent / "shared" / "specs" / "meeting-baas-v2"
SHARED_REASON = (
    "../shared/specs/meeting-baas-v2 is absent (it holds the published specs)"
)


def shared_specs() -> list[Path]:
    return sorted(SHARED_SPECS.glob("*.json")) if SHARED_SPECS.is_dir() else []


def shared_spec(name: str) -> Path:
    path = SHARED_SPECS / name
    if not path.is_file():
        pytest.skip(SHARED_REASON)
    return path


def spec_params() -> list[Any]:
    """One pytest param per published spec, or one skipped param when absent."""
    found = shared_specs()
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SHARED_REASON))]
    return [pytest.param(p, id=p.stem) for p in found]


def make_spec(
    schemas: dict[str, Any] | None = None,
    paths: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Test API", "version": "1.0.0"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }
    doc.update(top)
    return doc


def json_op(
    response: Any,
    *,
    body: Any | None = None,
    params: list[Any] | None = None,
    op_id: str = "doThing",
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": op_id,
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": response}},
            }
        },
    }
    if body is not None:
        op["requestBody"] = {"content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


@pytest.fixture
def write_spec(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(doc: dict[str, Any], name: str = "spec.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(doc))
        return path

    return write


GENERATED = ROOT / "generated"


@pytest.fixture(scope="session")
def sdk() -> Any:
    """The committed SDK package (generated/meetingbaas), imported from its folder."""
    import importlib
    import sys

    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    return importlib.import_module("meetingbaas")

"""openapi-pydantic's validator rebuilt from the user cache (generator/parse/
validator.py) says what the models say: the same verdict and the same errors
(location, message, input) on real specs and on broken ones, so the parts a
run takes out and the warnings it gives are the same."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic_core import ValidationError

from generator import cli
from generator.parse import problems, validator
from generator.parse.loader import openapi_model, parse_text

from .conftest import ROOT, json_op, make_spec, shared_specs

CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
FLAVOURS = ["3.0.3", "3.1.0"]


def revived(version: str) -> Any:
    """The validator as a later run rebuilds it (through JSON, as cached)."""
    described = validator.describe(openapi_model(version))
    assert described is not None
    return validator.revive(json.loads(json.dumps(described)))


def errors(check: Callable[[], object]) -> list[Any] | None:
    try:
        check()
    except ValidationError as exc:
        return exc.errors(include_url=False)
    return None


def assert_same(version: str, doc: Any) -> list[Any] | None:
    theirs = errors(lambda: openapi_model(version).model_validate(doc))
    ours = errors(lambda: revived(version).validate_python(doc))
    assert ours == theirs
    return theirs


def real_specs() -> list[Any]:
    found = [ROOT / "spec" / "meeting-baas-v2.yaml", *shared_specs()]
    if CORPUS.is_dir():
        found += sorted(
            p for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml")
        )
    # Swagger 2.0 (the corpus has one) has no OpenAPI 3 models to compare with.
    return [pytest.param(p, id=p.name) for p in found if not _is_swagger(p)]


def _is_swagger(path: Path) -> bool:
    head = path.read_bytes()[:4096]
    return b'"swagger"' in head or head.lstrip().startswith(b"swagger:")


@pytest.mark.parametrize("path", real_specs())
def test_real_specs_get_the_models_verdict(path: Path) -> None:
    doc = parse_text(path.read_bytes(), str(path))
    version = str(doc.get("openapi", ""))
    view = problems._standard_view(doc, version.startswith("3.0."))
    assert_same(version, view)  # as generate validates it
    assert_same(version, doc)  # as it is (often with errors)


def _broken() -> dict[str, Callable[[dict[str, Any]], None]]:
    def at(*keys: str, value: Any) -> Callable[[dict[str, Any]], None]:
        def change(doc: dict[str, Any]) -> None:
            node = doc
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node[keys[-1]] = value

        return change

    op = ("paths", "/things", "get")
    return {
        "schema-type-number": at("components", "schemas", "Bad", value={"type": 5}),
        "schema-not-object": at("components", "schemas", "Bad", value=[1]),
        "param-without-in": at(*op, "parameters", value=[{"name": "q"}]),
        "param-in-unknown": at(*op, "parameters", value=[{"name": "q", "in": "body"}]),
        "responses-a-list": at(*op, "responses", value=[1]),
        "response-no-description": at(*op, "responses", value={"200": {}}),
        "info-missing-title": at("info", value={"version": "1"}),
        "servers-not-a-list": at("servers", value={"url": "x"}),
        "server-variable-enum": at(
            "servers", value=[{"url": "{a}", "variables": {"a": {"enum": 3}}}]
        ),
        "security-scheme-type": at(
            "components", "securitySchemes", "k", value={"type": "nope"}
        ),
        "api-key-without-in": at(
            "components", "securitySchemes", "k", value={"type": "apiKey", "name": "x"}
        ),
        "oauth-flows-wrong": at(
            "components", "securitySchemes", "o", value={"type": "oauth2", "flows": 1}
        ),
        "tags-of-strings": at("tags", value=["a"]),
        "paths-a-list": at("paths", value=[]),
        "openapi-a-number": at("openapi", value=3),
        "extra-top-level": at("whatever", value={"a": 1}),
        "discriminator-without-property": at(
            "components", "schemas", "U", value={"oneOf": [], "discriminator": {}}
        ),
        "header-with-in": at(
            *op, "responses", "200", "headers", value={"h": {"in": "header"}}
        ),
        "example-and-examples": at(
            *op, "parameters", value=[{"name": "q", "in": "query", "examples": 1}]
        ),
    }


BROKEN = _broken()
# openapi-pydantic lets these pass; both must agree on that too.
ACCEPTED = {
    "extra-top-level",
    "api-key-without-in",
    "header-with-in",
    "security-scheme-type",
}


@pytest.mark.parametrize("version", FLAVOURS)
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_documents_get_the_models_errors(version: str, name: str) -> None:
    doc = make_spec(
        {"Ok": {"type": "object", "properties": {"id": {"type": "string"}}}},
        {"/things": {"get": json_op({"$ref": "#/components/schemas/Ok"})}},
        openapi=version,
    )
    broken = copy.deepcopy(doc)
    BROKEN[name](broken)
    assert assert_same(version, doc) is None
    found = assert_same(version, broken)
    if name not in ACCEPTED:
        assert found, "the mutation should break the document"


def test_the_shipped_validator_is_what_the_installed_libraries_make() -> None:
    assert validator.SHIPPED.read_text("utf-8") == validator.shipped_text(), (
        "a library changed: run `python -m generator.parse.validator`"
    )
    for version in FLAVOURS:
        assert validator._shipped(version) is not None


def test_the_shipped_validator_is_not_used_for_other_libraries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(validator, "library_stamp", lambda flavour: "other")
    assert validator._shipped("3.1.0") is None
    assert validator._shipped("2.0") is None


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user cache alone (as where other libraries are installed)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    monkeypatch.setattr(validator, "_shipped", lambda version: None)
    validator._cached.cache_clear()
    yield tmp_path / "cache" / "meetingbaas-sdkgen"
    validator._cached.cache_clear()


def _cache_files(folder: Path) -> list[Path]:
    found = folder / "validator"
    return sorted(found.glob("openapi-validator-*.json")) if found.is_dir() else []


def test_first_validation_writes_the_cache_and_a_later_one_reads_it(
    cache_home: Path,
) -> None:
    doc = make_spec({"Bad": {"type": 5}})
    with pytest.raises(ValidationError):
        validator.validate("3.1.0", doc)
    assert len(_cache_files(cache_home)) == 1
    assert validator._cached("3.1.0") is None  # this process: the models
    validator._cached.cache_clear()
    assert validator._cached("3.1.0") is not None  # a later run: the cache
    with pytest.raises(ValidationError):
        validator.validate("3.1.0", doc)
    validator.validate("3.1.0", make_spec({"Ok": {"type": "object"}}))


def test_a_corrupt_cache_is_a_miss(cache_home: Path) -> None:
    validator.validate("3.0.3", make_spec(openapi="3.0.3"))
    (path,) = _cache_files(cache_home)
    path.write_text('{"schema": {"type": "no-such-schema"}, "config": null}')
    validator._cached.cache_clear()
    assert validator._cached("3.0.3") is None
    with pytest.raises(ValidationError):
        validator.validate("3.0.3", make_spec({"Bad": {"type": 5}}, openapi="3.0.3"))


def test_no_cache_with_sdkgen_no_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    validator.validate("3.1.0", make_spec())
    assert _cache_files(cache_home) == []


def test_with_the_cache_generate_warns_and_skips_as_without(
    tmp_path: Path,
    cache_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = make_spec(
        {"Ok": {"type": "object"}, "Bad": {"type": 5}},
        {
            "/ok": {"get": json_op({"$ref": "#/components/schemas/Ok"})},
            "/bad": {
                "get": json_op(
                    {"$ref": "#/components/schemas/Ok"},
                    params=[{"name": "q"}],
                    op_id="badThing",
                )
            },
        },
    )
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc))

    def run(name: str) -> tuple[int, str, list[str]]:
        out = tmp_path / name
        code = cli.main(["generate", "--spec", str(spec), "--out", str(out)])
        files = sorted(p.read_text() for p in out.rglob("*.py"))
        return code, capsys.readouterr().err, files

    validator._cached.cache_clear()
    first = run("a")  # imports the models, writes the cache
    assert _cache_files(cache_home)
    validator._cached.cache_clear()
    assert validator._cached("3.1.0") is not None
    second = run("b")  # from the cache
    assert first == second
    assert "operation skipped" in first[1] and "treated as any value" in first[1]


def test_a_first_run_imports_no_openapi_pydantic(tmp_path: Path) -> None:
    """An empty user cache, as on a fresh machine: the shipped validator."""
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    code = (
        "import sys\n"
        "from generator.parse import validator\n"
        "validator.validate('3.1.0', {'openapi': '3.1.0', 'info': "
        "{'title': 't', 'version': '1'}, 'paths': {}})\n"
        "print(any(m.startswith(('openapi_pydantic', 'pydantic.')) "
        "for m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert done.stdout.strip() == "False", done.stderr


def test_a_model_holding_what_cannot_be_described_is_not_cached() -> None:
    """A validator function (none in openapi-pydantic today) cannot be data."""
    import pydantic

    class Odd(pydantic.BaseModel):
        x: int

        @pydantic.field_validator("x")
        @classmethod
        def positive(cls, value: int) -> int:
            return value

    assert validator.describe(Odd) is None
    assert validator.describe(openapi_model("3.1.0")) is not None

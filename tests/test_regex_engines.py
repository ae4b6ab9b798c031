"""A spec's ``pattern`` that pydantic-core's engine cannot read (look-around,
backreferences) must not break the SDK at run time: its model uses Python's
``re``; a pattern no engine reads is dropped with a warning naming it."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import ir
from generator.regexes import needs_python_re, unreadable

from .conftest import ROOT, json_op, key_for, make_spec

LOOKAHEAD = "^(?!x)[a-z]+$"
PLAIN = "^[a-z]+$"
BROKEN = "([a-z"


def _spec() -> dict[str, Any]:
    def text(pattern: str) -> dict[str, Any]:
        return {"type": "string", "pattern": pattern}

    return make_spec(
        {
            "Tagged": {
                "type": "object",
                "properties": {
                    "code": text(LOOKAHEAD),
                    "codes": {"type": "array", "items": text(LOOKAHEAD)},
                    "plain": text(PLAIN),
                },
            },
            "Plain": {"type": "object", "properties": {"plain": text(PLAIN)}},
            "Broken": {"type": "object", "properties": {"bad": text(BROKEN)}},
        },
        {
            f"/{name.lower()}": {
                "get": json_op({"$ref": f"#/components/schemas/{name}"}, op_id=name)
            }
            for name in ("Tagged", "Plain", "Broken")
        }
        | {
            # A bare list of patterned strings (no model to carry the engine),
            # and a patterned query parameter.
            "/codes": {
                "get": json_op(
                    {"type": "array", "items": text(LOOKAHEAD)},
                    op_id="listCodes",
                    params=[
                        {
                            "name": "prefix",
                            "in": "query",
                            "schema": text(LOOKAHEAD),
                        }
                    ],
                )
            }
        },
        info={"title": "Regex Engines", "version": "1"},
    )


def test_which_engine_reads_what() -> None:
    assert unreadable(PLAIN) is None and unreadable(LOOKAHEAD) is None
    assert unreadable(BROKEN)  # neither: Python's reason
    text = ir.Primitive("str", None, ir.Constraints(pattern=LOOKAHEAD))
    assert needs_python_re(ir.Nullable(ir.ListType(text)))
    assert not needs_python_re(ir.Primitive("str", None, ir.Constraints(pattern=PLAIN)))


def test_models_check_every_pattern_they_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(_spec()))
    out = tmp_path / "sdk"
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "generate", "--spec", str(spec),
         "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "pattern" in line]
    assert warnings == [
        "sdkgen: warning: #/components/schemas/Broken/properties/bad/pattern: a "
        "pattern no regex engine reads (unterminated character set at position "
        "1): not checked"
    ]
    # No argument has a description: the docstrings list none (no bare "Args:").
    codes = (out / "regex_engines_client" / "resources" / "codes.py").read_text()
    assert "Args:" not in codes and "prefix: str | NotGiven" in codes
    monkeypatch.syspath_prepend(str(out))
    types = importlib.import_module("regex_engines_client.types")
    tagged = types.Tagged.model_validate({"code": "abc", "codes": ["de"]})
    assert tagged.code == "abc"
    for bad in ({"code": "xabc"}, {"codes": ["ok", "xno"]}, {"plain": "A"}):
        with pytest.raises(ValueError, match="String should match pattern"):
            types.Tagged.model_validate(bad)
    assert types.Tagged.model_config.get("regex_engine") == "python-re"
    assert "regex_engine" not in types.Plain.model_config  # the fast one
    assert types.Broken.model_validate({"bad": "(("}).bad == "(("
    # A bare list of patterned strings is checked by Python's engine too, and
    # so is a patterned query parameter, before anything is sent.
    package = importlib.import_module("regex_engines_client")
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, json=["ab", "xno"] if "bad" in sent[-1] else ["ab"])

    cls = package.RegexEnginesClient
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = cls(**key_for(cls), http_client=http, base_url="http://127.0.0.1:9")
    assert client.codes.list(prefix="ok") == ["ab"]
    assert sent == ["http://127.0.0.1:9/codes?prefix=ok"]
    with pytest.raises(package.APIResponseValidationError, match="pattern"):
        client.with_options(strict_response_validation=True).codes.list(prefix="bad")
    with pytest.raises(package.RequestValidationError, match="pattern"):
        client.codes.list(prefix="xno")
    assert len(sent) == 2  # the refused call sent nothing

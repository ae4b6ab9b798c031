"""Any text and any number in every text and number slot of a spec (issue 21):
random strings over the whole of Unicode, lone surrogates included, and random
numbers, NaN and infinities included, give a package that compiles and imports
in a fresh process, with warnings for what was dropped, or one line, exit 2."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .hostile import compiles, imports_fresh, sdkgen

TEXT_SLOTS = 16
NUMBER_SLOTS = 8

_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=12),  # surrogates too
    st.sampled_from(["\ud800", "a\udfffb", "#-imports-#", '"""', "\\", "class"]),
)
_NUMBER = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0]),
)


_THING = "#/components/schemas/Thing"


def _spec(t: list[str], n: list[Any]) -> dict[str, Any]:
    """A spec with ``t`` in every text slot and ``n`` in every number slot."""
    thing = {
        "type": "object",
        "description": t[0],
        "required": [t[1]],
        "properties": {
            t[1]: {"type": "string", "description": t[2], "default": t[3]},
            t[4]: {"enum": [t[5], t[6]], "example": t[5]},
            "count": {
                "type": "number",
                "default": n[0],
                "minimum": n[1],
                "maximum": n[2],
                "example": n[3],
            },
            "level": {"enum": [n[4], n[5]]},
            "fixed": {"const": n[6]},
            "size": {"type": "integer", "maxLength": n[7], "title": t[7]},
        },
    }
    op = {
        "operationId": t[8],
        "summary": t[9],
        "description": t[10],
        "tags": [t[11]],
        "parameters": [
            {"name": t[12], "in": "query", "description": t[13], "schema": {}}
        ],
        "responses": {
            "200": {
                "description": t[14],
                "content": {"application/json": {"schema": {"$ref": _THING}}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": t[15], "version": t[0], "description": t[2]},
        "servers": [{"url": "https://api.example.com/" + t[3]}],
        "paths": {"/things/" + t[4].replace("/", "_"): {"post": op}},
        "components": {
            "schemas": {"Thing": thing, t[6] or "Other": {"type": "string"}}
        },
    }


@pytest.mark.slow
@pytest.mark.property
@settings(max_examples=int(os.environ.get("SDKGEN_EXAMPLES", "10")))
@given(
    texts=st.lists(_TEXT, min_size=TEXT_SLOTS, max_size=TEXT_SLOTS),
    numbers=st.lists(_NUMBER, min_size=NUMBER_SLOTS, max_size=NUMBER_SLOTS),
)
@example(texts=["\ud800"] * TEXT_SLOTS, numbers=[float("nan")] * NUMBER_SLOTS)
@example(texts=["a\udc00", "json"] * (TEXT_SLOTS // 2), numbers=[1e400] * NUMBER_SLOTS)
def test_any_text_and_number_give_an_importable_package_or_one_line(
    texts: list[str], numbers: list[Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps(_spec(texts, numbers)))  # \ud800 escapes, NaN
        out = Path(tmp) / "out"
        done = sdkgen("generate", "--spec", spec, "--out", out)
        assert "Traceback" not in done.err and "internal error" not in done.err
        if done.code == 2:
            done.one_line_error()
            return
        assert done.code == 0, done.err
        compiles(out)
        [package] = [p.name for p in out.iterdir() if (p / "__init__.py").is_file()]
        imports_fresh(out, package)

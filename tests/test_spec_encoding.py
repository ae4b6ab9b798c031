"""A spec that is not UTF-8 is refused naming the byte, never read with
replacement characters; UTF-16 with a byte order mark is read as it declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import sdkgen_process

DOC = {
    "openapi": "3.1.0",
    "info": {"title": "Café", "version": "1"},
    "paths": {
        "/café": {
            "get": {"operationId": "get", "responses": {"200": {"description": "ok"}}}
        }
    },
}


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_latin_1_spec_is_refused_naming_the_byte_offset(
    tmp_path: Path, suffix: str
) -> None:
    text = json.dumps(DOC, ensure_ascii=False)
    spec = tmp_path / f"spec{suffix}"
    spec.write_bytes(text.encode("latin-1"))
    offset = text.encode("latin-1").index("é".encode("latin-1"))
    done = sdkgen_process("inspect", "--spec", str(spec))
    assert done.returncode == 2
    assert done.stderr == (
        f"sdkgen: error: {spec}: not UTF-8: byte 0xe9 at byte offset {offset}"
        " (save the spec as UTF-8)\n"
    )


def test_utf_16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_bytes(json.dumps(DOC, ensure_ascii=False).encode("utf-16"))
    done = sdkgen_process("inspect", "--spec", str(spec), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "/café" in done.stdout

"""`sdkgen inspect` end to end: output, determinism, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import json_op, make_spec, shared_spec


def run_sdkgen(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_inspect_json_is_identical_across_hash_seeds() -> None:
    spec = shared_spec("2025-12-03-45770ed.json")
    first = run_sdkgen("inspect", "--spec", str(spec), "--format", "json", seed="1")
    second = run_sdkgen("inspect", "--spec", str(spec), "--format", "json", seed="4242")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert {op["python"] for op in data["operations"]} >= {
        "client.bots.create",
        "client.calendars.events.list",
    }


def test_inspect_text_lists_operations_models_enums_events(write_spec: Any) -> None:
    body = {
        "type": "object",
        "properties": {"recording_mode": {"type": "string", "enum": ["a", "b"]}},
    }
    doc = make_spec(
        paths={
            "/v1/things": {
                "post": json_op({"type": "string"}, body=body, op_id="createThing")
            }
        }
    )
    result = run_sdkgen("inspect", "--spec", str(write_spec(doc)))
    assert result.returncode == 0, result.stderr
    assert "client.things.create()" in result.stdout
    assert "RecordingMode: a, b" in result.stdout


def test_inspect_reads_yaml(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /pets:\n    get:\n"
        "      operationId: listPets\n      responses:\n"
        "        '200':\n          description: ok\n"
    )
    result = run_sdkgen("inspect", "--spec", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["operations"][0]["python"] == "client.pets.list"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"openapi": "3.1.0", "info": ', "not valid JSON"),
        ("title: just yaml\nitems: [1, 2]\n", "#/openapi: not an OpenAPI document"),
        ('{"swagger": "2.0"}', "Swagger 2.0 is not supported"),
        ("key: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / ("spec.json" if content.startswith("{") else "spec.yaml")
    path.write_text(content)
    result = run_sdkgen("inspect", "--strict", "--spec", str(path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_dangling_ref_names_the_pointer(write_spec: Any) -> None:
    doc = make_spec(
        paths={"/a": {"get": json_op({"$ref": "#/components/schemas/Missing"})}}
    )
    result = run_sdkgen("inspect", "--strict", "--spec", str(write_spec(doc)))
    assert result.returncode == 2
    assert (
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
        in result.stderr
    )
    assert "Missing" in result.stderr and result.stderr.count("\n") == 1
    # Without --strict: as generate, the warning and exit 0.
    lenient = run_sdkgen("inspect", "--spec", str(write_spec(doc)))
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.startswith(
        "sdkgen: warning: #/paths/~1a/get: operation skipped: $ref"
    )


def test_invalid_openapi_structure_names_the_pointer(write_spec: Any) -> None:
    doc = make_spec(paths={"/a": {"get": {"responses": {"200": {"description": 5}}}}})
    result = run_sdkgen("inspect", "--strict", "--spec", str(write_spec(doc)))
    assert result.returncode == 2
    assert "#/paths/~1a/get/responses/200" in result.stderr


def test_missing_file_and_bad_usage_exit_2(tmp_path: Path) -> None:
    missing = run_sdkgen("inspect", "--spec", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read the spec" in missing.stderr
    usage = run_sdkgen("inspect", "--format", "xml")
    assert usage.returncode == 2


def test_unreachable_url_is_a_clean_error() -> None:
    # Port 9 on loopback: nothing listens, so the connection is refused at once.
    result = run_sdkgen("inspect", "--spec", "http://127.0.0.1:9/spec.json")
    assert result.returncode == 2 and "cannot download the spec" in result.stderr


def test_spec_is_read_from_a_url(tmp_path: Path, write_spec: Any) -> None:
    import functools
    import http.server
    import threading

    doc = make_spec(
        paths={"/v1/things": {"get": json_op({"type": "string"}, op_id="listThings")}}
    )
    write_spec(doc, "spec.json")
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/spec.json"
        ok = run_sdkgen("inspect", "--spec", url, "--format", "json")
        missing = run_sdkgen("inspect", "--spec", url.replace("spec.json", "nope.json"))
    finally:
        server.shutdown()
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["operations"][0]["python"] == "client.things.list"
    assert missing.returncode == 2 and "404" in missing.stderr

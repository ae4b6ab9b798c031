"""spec/meeting-baas-v1.yaml: it has exactly the published v1 spec's operations,
generates a package on its own without a warning, with the Python names of
spec/sdkgen.toml's [apis.v1] tables, and every operation of that package,
imported in a fresh process, can be called sync and async against a loopback
server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, sdkgen_process
from .runtime._loopback import Reply, Seen, Server
from .spec_proof.prism import prism_mock

SPEC = ROOT / "spec" / "meeting-baas-v1.yaml"
CONFIG = ROOT / "spec" / "sdkgen.toml"
PUBLISHED = (
    ROOT.parent / "shared" / "specs" / "meeting-baas-v1" / "2026-04-10-b092869.json"
)
PACKAGE = "meetingbaas_v1"
_METHODS = ("get", "put", "post", "patch", "delete")

# (method, path) pairs where our operation list differs from the published one,
# each with its reason. spec/README.md ("v1") says why there are none: the
# reference SDK and the published spec list the same 26 operations.
ADDED: dict[tuple[str, str], str] = {}
REMOVED: dict[tuple[str, str], str] = {}


def _raw() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text("utf-8"))
    return loaded


def _operations(doc: dict[str, Any]) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation, path parameters written `{}` (their
    names never reach the wire; ours name what they identify)."""
    return {
        (method.upper(), re.sub(r"\{[^}]*\}", "{}", path))
        for path, item in doc["paths"].items()
        for method in item
        if method in _METHODS
    }


def _v1_tables() -> dict[str, Any]:
    """spec/sdkgen.toml's [apis.v1] (the v1 API of the meetingbaas package)."""
    tables: dict[str, Any] = tomllib.loads(CONFIG.read_text("utf-8"))["apis"]["v1"]
    return tables


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """[apis.v1]'s [operations] and [webhooks] as a package's whole sdkgen.toml,
    in a folder of its own (so that no sdkgen.lock of the v2 API is read)."""
    folder = tmp_path_factory.mktemp("v1config")
    path = folder / "sdkgen.toml"
    lines = [f'[package]\nname = "{PACKAGE}"\nversion = "0.1.0"\n']
    for table in ("operations", "webhooks"):
        lines.append(f"[{table}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in _v1_tables()[table].items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def inspected(config: Path) -> dict[str, Any]:
    done = sdkgen_process(
        "inspect", "--spec", str(SPEC), "--config", str(config), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no warning, dead name entries included
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.fixture(scope="module")
def sdk_dir(config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("v1sdk")
    done = sdkgen_process(
        "generate", "--spec", str(SPEC), "--config", str(config),
        "--out", str(out), "--strict", "--force",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr + done.stdout
    return out


def test_operations_are_the_published_ones(inspected: dict[str, Any]) -> None:
    if not PUBLISHED.is_file():
        pytest.skip(f"{PUBLISHED} is absent (the published v1 spec)")
    published = _operations(json.loads(PUBLISHED.read_text("utf-8")))
    ours = _operations(_raw())
    assert len(ours) == 26
    assert ours == (published - set(REMOVED)) | set(ADDED)
    # inspect (what the SDK is made of) lists exactly these, each once
    listed = [
        (op["method"], re.sub(r"\{[^}]*\}", "{}", op["path"]))
        for op in inspected["operations"]
    ]
    assert sorted(listed) == sorted(ours)


# The v1 SDK's calls, as users will write them: a change to the path rules or to
# spec/sdkgen.toml's [apis.v1.operations] that renames one must show up here.
CALLS = {
    "delete_data": "client.bots.delete_data",
    "get_meeting_data": "client.bots.get_meeting_data",
    "join": "client.bots.join",
    "leave": "client.bots.leave",
    "bots_with_metadata": "client.bots.list",
    "retranscribe_bot": "client.bots.retranscribe",
    "get_screenshots": "client.bots.screenshots.list",
    "list_events": "client.calendar_events.list",
    "get_event": "client.calendar_events.retrieve",
    "schedule_record_event": "client.calendar_events.schedule_bot",
    "unschedule_record_event": "client.calendar_events.unschedule_bot",
    "patch_bot": "client.calendar_events.update_bot",
    "create_calendar": "client.calendars.create",
    "delete_calendar": "client.calendars.delete",
    "list_calendars": "client.calendars.list",
    "list_raw_calendars": "client.calendars.list_raw",
    "resync_all_calendars": "client.calendars.resync_all",
    "get_calendar": "client.calendars.retrieve",
    "update_calendar": "client.calendars.update",
    "webhook_documentation": "client.webhook_documentation.all",
    "bot_webhook_documentation": "client.webhook_documentation.bot",
    "calendar_webhook_documentation": "client.webhook_documentation.calendar",
    "create_zoom_oauth_connection": "client.zoom_oauth_connections.create",
    "delete_zoom_oauth_connection": "client.zoom_oauth_connections.delete",
    "list_zoom_oauth_connections": "client.zoom_oauth_connections.list",
    "get_zoom_oauth_connection": "client.zoom_oauth_connections.retrieve",
}


def test_calls_read_well(inspected: dict[str, Any], tmp_path: Path) -> None:
    calls = {op["operation_id"]: op["python"] for op in inspected["operations"]}
    assert calls == CALLS
    # each [apis.v1.operations] entry is needed: the path rules alone name
    # that call differently
    wanted = _v1_tables()["operations"]
    bare = tmp_path / "sdkgen.toml"
    bare.write_text(f'[package]\nname = "{PACKAGE}"\n', "utf-8")
    done = sdkgen_process(
        "inspect", "--spec", str(SPEC), "--config", str(bare), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    by_rules = {
        op["operation_id"]: op["python"] for op in json.loads(done.stdout)["operations"]
    }
    for operation_id, name in wanted.items():
        assert by_rules[operation_id] != f"client.{name}" == CALLS[operation_id]


def _target(schema: Any, raw: dict[str, Any]) -> Any:
    """The schema a chain of local `$ref`s ends at."""
    while isinstance(schema, dict) and "$ref" in schema:
        target: Any = raw
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def example(schema: Any, raw: dict[str, Any]) -> Any:
    """A document the schema allows, with every property (optional ones too,
    so that the SDK's parsing of each is exercised) and no nulls."""
    schema = _target(schema, raw)
    if not isinstance(schema, dict):
        return "any"
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][-1]
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o != {"type": "null"}]
        return example(options[0], raw)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: example(p, raw) for name, p in props.items()} or {"k": 1}
    if kind == "array":
        if "prefixItems" in schema:
            return [example(p, raw) for p in schema["prefixItems"]]
        return [example(schema["items"], raw)] * max(schema.get("minItems", 1), 1)
    if kind == "string":
        return {
            "uuid": "3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f",
            "date-time": "2030-01-02T03:04:05Z",
            "uri": "https://example.com/a",
        }.get(schema.get("format", ""), "text")
    if kind == "integer":
        return max(int(schema.get("minimum", 7)), 7)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return {"free": ["form", 1]}  # no type: any JSON value


def _success(op: dict[str, Any]) -> tuple[int, Any]:
    status = min(code for code in op["responses"] if code.startswith("2"))
    content = op["responses"][status].get("content")
    if content is None:
        return int(status), None
    return int(status), content["application/json"]["schema"]


def _routes(raw: dict[str, Any]) -> list[tuple[str, re.Pattern[str], str, Reply]]:
    """(method, path regex, operationId, reply) for every operation."""
    out = []
    for path, item in raw["paths"].items():
        pattern = re.compile(
            "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "$"
        )
        for method, op in item.items():
            status, schema = _success(op)
            body = b"" if schema is None else example(schema, raw)
            out.append(
                (method.upper(), pattern, op["operationId"], Reply(status, body))
            )
    return out


def _expected_outcome(schema: Any, body: Any, raw: dict[str, Any]) -> Any:
    """What the driver should report for a reply: the class named after the
    response's component, holding the served document unchanged (so every
    field, optional ones too, was parsed and kept)."""
    if schema is None:
        return None
    if schema.get("type") == "array":
        return [_expected_outcome(schema["items"], b, raw) for b in body]
    if "$ref" not in schema:  # free-form: the JSON value itself
        return {"class": type(body).__name__, "json": body}
    return {"class": schema["$ref"].rsplit("/", 1)[1], "json": body}


# The SDKs under test: the v1 spec generated as a package of its own, and the
# committed `meetingbaas.v1` subpackage that spec/sdkgen.toml's [apis.v1] makes.
TARGETS = ("standalone", "committed")


@pytest.fixture(params=TARGETS)
def target(request: pytest.FixtureRequest, sdk_dir: Path) -> tuple[Path, str]:
    """(folder to import from, package name) of one SDK under test."""
    if request.param == "committed":
        return ROOT / "generated", "meetingbaas.v1"
    return sdk_dir, PACKAGE


def _drive(
    target: tuple[Path, str], config: Path, url: str, tmp_path: Path
) -> dict[str, Any]:
    """The driver's report: every operation of the SDK ``target`` called sync
    and async against URL, and each webhook payload of the spec (an example)
    parsed."""
    sdk_dir, package = target
    raw = _raw()
    webhooks = tmp_path / "webhooks.json"
    payloads = {
        name: example(
            item["post"]["requestBody"]["content"]["application/json"]["schema"], raw
        )
        for name, item in raw["webhooks"].items()
    }
    webhooks.write_text(json.dumps(payloads), "utf-8")
    done = subprocess.run(
        [
            sys.executable, "-m", "tests.spec_v1_driver",
            str(sdk_dir), package, str(SPEC), str(config), url, str(webhooks),
        ],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout)
    # each webhook payload parsed into the model its event names, unchanged
    for name, item in raw["webhooks"].items():
        schema = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert report["webhooks"][name] == _expected_outcome(
            schema, payloads[name], raw
        )
    assert len(report["webhooks"]) == 4
    return report


def test_every_operation_called_sync_and_async(
    target: tuple[Path, str], config: Path, tmp_path: Path
) -> None:
    raw = _raw()
    routes = _routes(raw)
    wrong: list[str] = []

    def handler(seen: Seen) -> Reply:
        for method, pattern, _, reply in routes:
            if method == seen.method and pattern.match(seen.path):
                return reply
        wrong.append(f"{seen.method} {seen.path}")
        return Reply(599, b"")

    server = Server(handler).start()
    try:
        report = _drive(target, config, server.url, tmp_path)
    finally:
        server.stop()
    assert wrong == []
    assert report["violations"] == []
    ops = {
        op["operationId"]: op for item in raw["paths"].values() for op in item.values()
    }
    assert set(report["sync"]) == set(report["async"]) == set(ops)
    # every operation reached its own route twice, with the API key
    hits: dict[str, int] = {}
    for seen in server.seen:
        op_id = next(
            i for m, p, i, _ in routes if m == seen.method and p.match(seen.path)
        )
        hits[op_id] = hits.get(op_id, 0) + 1
        assert seen.headers.get("x-meeting-baas-api-key") == "k", op_id
        # the calls pass every parameter, optional ones too
        for param in ops[op_id].get("parameters", []):
            param = _target(param, raw)
            if param["in"] == "query":
                assert param["name"] in seen.query, (op_id, param["name"])
        if "requestBody" in ops[op_id]:
            # the calls give the required fields only: nothing else is sent,
            # not even fields with a default (the deprecated `reserved`)
            sent = json.loads(seen.body)
            assert set(sent) == set(_required_body_fields(ops[op_id], raw)), op_id
    assert hits == {op_id: 2 for op_id in ops}
    # and returned the served document, parsed into the right class
    for method, _, op_id, reply in routes:
        _, schema = _success(ops[op_id])
        expected = _expected_outcome(schema, reply.body, raw)
        assert report["sync"][op_id] == report["async"][op_id], op_id
        assert report["sync"][op_id] == expected, (method, op_id)


def _required_body_fields(op: dict[str, Any], raw: dict[str, Any]) -> list[str]:
    """Names of the fields a request body requires."""
    schema = _target(op["requestBody"]["content"]["application/json"]["schema"], raw)
    return list(schema.get("required", []))


@pytest.mark.slow
@pytest.mark.prism
def test_every_operation_against_prism(
    target: tuple[Path, str], config: Path, tmp_path: Path
) -> None:
    """Prism, mocking spec/meeting-baas-v1.yaml, finds every request valid and
    answers each with a document the SDK parses, sync and async alike."""
    with prism_mock(SPEC, tmp_path / "prism.log") as url:
        report = _drive(target, config, url, tmp_path)
    assert report["violations"] == []
    assert len(report["sync"]) == 26
    assert report["sync"] == report["async"]


@pytest.mark.slow
def test_generated_package_is_strict_clean(sdk_dir: Path) -> None:
    mypy = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", PACKAGE,
            "--config-file", "pyproject.toml",
        ],
        capture_output=True, text=True, cwd=sdk_dir, timeout=600,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        capture_output=True, text=True, cwd=sdk_dir, timeout=300,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout[-3000:]

"""Final names of the client's calls (generator/finalnames.py ``place_calls``):
resource chains, methods, resource classes and modules are decided once, in the
normaliser, and the emitted SDK and ``sdkgen diff`` read the same ones."""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.cli import main
from generator.config import Config
from generator.emit.importable import IMPORTABLE
from generator.finalnames import CLASS_SCOPE, MODULE_NAMES, place_calls
from generator.parse.loader import LoadedSpec
from generator.parse.normalise import normalise

from .conftest import ROOT, key_for, make_spec

PACKAGE = "naming_clash_client"  # from the title below


def _op(
    op_id: str,
    tag: str = "",
    path_params: tuple[str, ...] = (),
    returns: str = "",
    query: str = "",
) -> Any:
    schema = {"$ref": f"#/components/schemas/{returns}"} if returns else {}
    op: dict[str, Any] = {
        "operationId": op_id,
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {"schema": schema or {"type": "string"}}
                },
            }
        },
    }
    if tag:
        op["tags"] = [tag]
    op["parameters"] = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
        for n in path_params
    ]
    if query:
        op["parameters"].append({"name": query, "in": "query", "schema": {}})
    return op


def clash_spec() -> dict[str, Any]:
    """Every kind of clash the naming pass resolves, once."""
    bot = {"type": "object", "properties": {"id": {"type": "string"}}}
    foo_param = {"type": "object", "properties": {"n": {"type": "integer"}}}
    req = {
        "type": "object",
        "properties": {"foo": {"$ref": "#/components/schemas/Bot"}},
    }
    things = _op("createThing", returns="BotParam")
    things["requestBody"] = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Req"}}
        }
    }
    return make_spec(
        # A model named like the TypedDict that signatures accept for `Bot`.
        schemas={"Bot": bot, "BotParam": foo_param, "Req": req},
        paths={
            # The tag names resource `bot`, whose class would be the model `Bot`.
            "/": {"get": _op("getBotStatus", tag="Bot", returns="Bot", query="q")},
            # Same resource, an operationId equal to the first after snake_case
            # (so are the private models of their query arguments).
            "/v1": {"get": _op("get_bot_status", tag="Bot", query="q")},
            # Two paths whose resource classes are both `ScheduledBots`.
            "/scheduled/{sid}/bots/{id}": {
                "get": _op("getScheduledBot", path_params=("sid", "id"))
            },
            "/scheduled_bots": {"get": _op("listScheduledBots")},
            # A method named like a child resource, and methods named like the
            # builtins the class body's annotations use.
            "/bots/{bot_id}/files/{file_id}": {
                "get": _op("getFile", path_params=("bot_id", "file_id"))
            },
            "/bots/{bot_id}/sync": {"post": _op("files", path_params=("bot_id",))},
            "/bots/{bot_id}/obj": {"post": _op("object", path_params=("bot_id",))},
            "/bots/{bot_id}/text": {"post": _op("str", path_params=("bot_id",))},
            # A resource class named like a runtime class (`Body`).
            "/body": {"get": _op("getBody")},
            "/things": {"post": things},
            # A resource named like a public attribute of the runtime's client.
            "/strict_response_validation": {"get": _op("check")},
        },
        info={"title": "Naming Clash API", "version": "1"},
    )


def _normalise(doc: dict[str, Any]) -> ir.Api:
    return normalise(LoadedSpec("x", "0" * 64, doc), Config())


def _write(folder: Path, name: str, doc: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("final_names")
    (folder / "empty.toml").write_text("")
    spec = _write(folder, "new.json", clash_spec())
    out = folder / "out"
    code = main(["generate", "--spec", str(spec), "--out", str(out)])
    assert code == 0
    sys.path.insert(0, str(out))
    yield folder
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def _emitted_calls(resource: object, prefix: str) -> Iterator[tuple[str, str]]:
    """(python call, class name) of every method reachable from ``resource``."""
    for name, attr in sorted(vars(type(resource)).items()):
        if name.startswith("_") or name.startswith("with_"):
            continue
        if isinstance(attr, cached_property):
            child = getattr(resource, name)
            yield from _emitted_calls(child, f"{prefix}.{name}")
        elif callable(attr):
            yield f"{prefix}.{name}", type(resource).__name__


def _client_calls() -> dict[str, str]:
    pkg = importlib.import_module(PACKAGE)
    client = pkg.NamingClashClient(**key_for(pkg.NamingClashClient))
    return dict(_emitted_calls(client, "client"))


def _diff_calls(folder: Path, old: dict[str, Any], capsys: Any) -> list[str]:
    """The calls ``sdkgen diff`` prints from ``old`` to the clash spec."""
    capsys.readouterr()
    code = main(
        [
            "diff",
            str(_write(folder, "old.json", old)),
            str(folder / "new.json"),
            "--format",
            "json",
            "--fail-on",
            "never",
            "--config",
            str(folder / "empty.toml"),
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    texts = [c["sdk"] for c in report["changes"]]
    return [m for t in texts for m in re.findall(r"client(?:\.\w+)+", t)]


def test_emitted_calls_and_diff_calls_agree(generated: Path, capsys: Any) -> None:
    emitted = _client_calls()
    old = {**clash_spec(), "paths": {}}
    assert sorted(_diff_calls(generated, old, capsys)) == sorted(emitted)
    # And each clash was resolved, the same way in the IR the diff reads.
    assert emitted == {
        "client.body.list": "BodyResource",
        "client.bot.get_bot_status": "BotResource",
        "client.bot.get_status_get": "BotResource",
        "client.bots.files.retrieve": "BotsFiles",
        "client.bots.files_": "Bots",
        "client.bots.object_": "Bots",
        "client.bots.str_": "Bots",
        "client.scheduled.bots.retrieve": "ScheduledBots",
        "client.scheduled_bots.list": "ScheduledBotsResource",
        "client.strict_response_validation_.list": "StrictResponseValidation",
        "client.things.create": "Things",
    }
    api = _normalise(clash_spec())
    assert {
        ".".join(("client", *o.resource, o.method_name)) for o in api.operations
    } == set(emitted)
    params = [o.params_model for o in api.operations if o.resource == ("bot",)]
    assert params == ["_GetBotStatusParams", "_GetBotStatusParams2"]
    assert api.model("Bot").param_dict == "BotParam2"
    pkg = importlib.import_module(PACKAGE)
    assert pkg.BotParam.model_fields.keys() == {"n"}  # the model kept its name
    assert (
        importlib.import_module(PACKAGE + ".types").BotParam2.__required_keys__ == set()
    )


def test_a_name_taken_by_a_new_operation_is_a_rename_in_the_diff(
    generated: Path, capsys: Any
) -> None:
    """The old spec has only the second operation, so it had the name first."""
    old = clash_spec()
    old["paths"] = {"/v1": old["paths"]["/v1"]}
    calls = _diff_calls(generated, old, capsys)
    assert "client.bot.get_bot_status" in calls  # the released name...
    assert "client.bot.get_status_get" in calls  # ...and the one it now has
    assert "client.bot.get_status_get" in _client_calls()


def test_a_resource_named_like_a_client_attribute_gets_a_suffix(
    generated: Path,
) -> None:
    """The client's attributes are read off the runtime's source: a path
    ``/strict_response_validation`` once made a resource the client could not
    reach (the attribute is a bool) and four mypy --strict errors."""
    pkg = importlib.import_module(PACKAGE)
    client = pkg.NamingClashClient(**key_for(pkg.NamingClashClient))
    assert client.strict_response_validation is False
    assert "client.strict_response_validation_.list" in _client_calls()


def test_generated_clash_sdk_passes_mypy_strict(generated: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", PACKAGE],
        cwd=generated / "out",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


_MODEL = {"type": "object", "properties": {"id": {"type": "string"}}}


@pytest.mark.parametrize(
    ("schemas", "segment", "class_name"),
    [
        ({}, "bots", "Bots"),
        ({"AsyncBots": _MODEL}, "bots", "BotsResource"),
        ({"BotsWithRawResponse": _MODEL}, "bots", "BotsResource"),
        ({}, "none", "NoneResource"),  # the keyword None
        ({}, "date_time", "DateTimeResource"),  # the emitter's alias
        ({}, "timeout", "TimeoutResource"),  # attribute timeout_
    ],
)
def test_resource_class_keeps_clear_of_module_names(
    schemas: dict[str, Any], segment: str, class_name: str
) -> None:
    ok = {"get": _op("getThing", returns=next(iter(schemas), ""))}
    api = _normalise(make_spec(schemas=schemas, paths={f"/{segment}": ok}))
    (resource,) = api.resources
    assert resource.class_name == class_name
    assert resource.module == resource.path[0]


def test_naming_pass_is_idempotent() -> None:
    """Final names are final: naming them again changes nothing."""
    api = _normalise(clash_spec())
    assert place_calls(api) == api


def test_module_names_cover_the_emitters_imports() -> None:
    """Every class-like name the emitter may import beside a resource class is
    reserved by the naming pass (its table and the emitter's must not drift)."""
    imported = {n for n in IMPORTABLE if n[:1].isupper()}
    assert imported <= MODULE_NAMES


def _class_scope_names(source: str) -> set[str]:
    """Lower-case names a class body reads at its own level: decorators and the
    annotations of its methods (what a method or resource attribute would hide)."""
    found: set[str] = set()
    for cls in ast.walk(ast.parse(source)):
        if not isinstance(cls, ast.ClassDef):
            continue
        for fn in cls.body:
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
            nodes = [a.annotation for a in args] + [fn.returns, *fn.decorator_list]
            for node in nodes:
                for name in ast.walk(node) if node is not None else ():
                    if isinstance(name, ast.Name) and name.id[:1].islower():
                        found.add(name.id)
    return found


def test_class_scope_names_cover_what_generated_classes_read(generated: Path) -> None:
    """A method or resource called like a name its class body reads is renamed
    (``str_``): the naming pass's list must hold every such name the clients and
    resources use (the committed SDK and the clash SDK, which has every kind)."""
    sources = [
        *(ROOT / "generated" / "meetingbaas").glob("_client.py"),
        *(ROOT / "generated" / "meetingbaas" / "resources").glob("*.py"),
        *(generated / "out" / PACKAGE).glob("_client.py"),
        *(generated / "out" / PACKAGE / "resources").glob("*.py"),
    ]
    used = set().union(*(_class_scope_names(p.read_text()) for p in sources))
    assert "cached_property" in used  # the walk sees them
    # Never bare ``list``: it is a CRUD method name, so it is spelled builtins.list.
    assert used <= CLASS_SCOPE

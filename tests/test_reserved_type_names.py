"""Schemas spelled like a name the SDK's own modules use (``Timeout``, pydantic's
``Tag``, ``NotFoundError``, the client class...) get ``<name>Model`` /
``<name>Enum``, so the generated package still imports and type-checks."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.finalnames import is_reserved_type_name, reserved_type_names
from generator.naming import type_name

from .conftest import GENERATED, key_for, make_spec

TITLE = "Reserved Words API"
PACKAGE = "reserved_words_client"
# Those a schema name can spell as it is (not DEFAULT_TIMEOUT, say).
NAMES = sorted(
    n for n in reserved_type_names(TITLE) | {"DateTime", "Uuid2"} if type_name(n) == n
)


# Models whatever their place in the list: the union below needs them.
UNION = ("Tag", "Discriminator")


def _is_enum(i: int, name: str) -> bool:
    return i % 3 == 2 and name not in UNION


def _schema(i: int, name: str) -> dict[str, Any]:
    if _is_enum(i, name):
        return {"type": "string", "enum": [f"{name.lower()}_a", f"{name.lower()}_b"]}
    return {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"type": "string"},
            f"at_{i}": {"type": "string", "format": "date-time"},
            f"link_{i}": {"type": "string", "format": "uri"},
        },
    }


def reserved_spec() -> dict[str, Any]:
    schemas = {n: _schema(i, n) for i, n in enumerate(NAMES)}
    # A discriminated union: the models module then imports pydantic's Tag.
    schemas["Either"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/Tag"},
            {"$ref": "#/components/schemas/Body"},
        ],
        "discriminator": {"propertyName": "kind"},
    }
    paths = {
        f"/things/{i}": {
            "post": {
                "operationId": f"send{i}",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{n}"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{n}"}
                            }
                        },
                    }
                },
            }
        }
        for i, n in enumerate([*NAMES, "Either"])
    }
    doc = make_spec(schemas=schemas, paths=paths)
    doc["info"]["title"] = TITLE
    return doc


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("reserved")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(reserved_spec()))
    assert main(["generate", "--spec", str(spec), "--out", str(folder / "out")]) == 0
    sys.path.insert(0, str(folder / "out"))
    yield folder / "out"
    sys.path.remove(str(folder / "out"))
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def test_every_module_imports_and_types_take_a_suffix(out: Path) -> None:
    package = importlib.import_module(PACKAGE)
    types = importlib.import_module(PACKAGE + ".types")
    for module in sorted((out / PACKAGE).rglob("*.py")):
        dotted = ".".join(module.relative_to(out).with_suffix("").parts)
        importlib.import_module(dotted.removesuffix(".__init__"))
    for i, name in enumerate(NAMES):
        if name.endswith("Input"):
            continue  # the twin rule names it without "Input" (File)
        suffix = "Enum" if _is_enum(i, name) else "Model"
        assert hasattr(types, name + suffix), name
    # The package's own names are still the runtime's.
    assert package.Timeout is importlib.import_module(PACKAGE + "._types").Timeout
    assert issubclass(package.NotFoundError, package.APIError)
    # The union's discriminator picks the model by its schema name.
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"kind": "Tag"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    cls = package.ReservedWordsClient
    client = cls(**key_for(cls), http_client=http)
    last = getattr(client.things, f"send{len(NAMES)}")
    assert type(last({"kind": "Tag"})).__name__ == "TagModel"


def test_generated_sdk_passes_mypy_strict(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", PACKAGE],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def _names_beside_types(source: str) -> set[str]:
    """Names a module that imports the API's types imports or defines at its
    top level (``if TYPE_CHECKING:`` imports included); none for the others."""
    tree = ast.parse(source)
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    if not any(
        isinstance(n, ast.ImportFrom)
        and (n.module or "").split(".")[-1] in ("types", "models", "enums")
        for n in imports
    ):
        return set()
    found = {(a.asname or a.name).split(".")[0] for n in imports for a in n.names}
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def test_reserved_names_cover_what_the_sdk_defines_beside_the_types() -> None:
    """Every class-like name a module of the committed SDK that imports the API's
    types also imports or defines, other than those types and the resource
    classes, is reserved (the list and the emitter must not drift); for each
    API of the package, with its own client's names."""
    package = GENERATED / "meetingbaas"
    missing: list[str] = []
    for folder, client in ((package, "MeetingBaas"), (package / "v1", "MeetingBaasV1")):
        own = {
            n.name
            for path in [
                *(folder / "types").glob("*.py"),
                *(folder / "resources").glob("*.py"),
            ]
            for n in ast.parse(path.read_text("utf-8")).body
            if isinstance(n, ast.ClassDef)
        }
        reserved = reserved_type_names("Meeting BaaS API", client)
        missing += sorted(
            f"{path.relative_to(package)}: {name}"
            for path in folder.rglob("*.py")
            if folder != package or path.relative_to(package).parts[0] != "v1"
            for name in _names_beside_types(path.read_text("utf-8"))
            if type_name(name) == name
            and name not in own
            and not is_reserved_type_name(name, reserved)
        )
    assert not missing

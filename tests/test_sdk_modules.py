"""How the generated SDK's modules are laid out so that a call imports little.

The package and ``types`` export their names lazily (module ``__getattr__``),
each call's models sit in a public module of their own (``types/<resource>.py``,
``shared.py``, ``webhooks.py``, ``other.py``), and ``types/models.py`` re-exports
them all. A model stays importable from the module it was released in.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.emit import runtimeapi
from generator.emit.forwardrefs import forward_quoted, names_in, quoted
from generator.emit.typegroups import OTHER, RESERVED, SHARED, WEBHOOKS, type_groups
from generator.emit.view import FieldView, ModelView, ParamDictView

from .conftest import GENERATED, json_op, make_spec

TYPES = GENERATED / "meetingbaas" / "types"


@pytest.mark.parametrize("module", ["", ".types", ".types.models", ".resources"])
def test_every_name_in_all_resolves(sdk: Any, module: str) -> None:
    mod = importlib.import_module("meetingbaas" + module)
    assert mod.__all__ and len(set(mod.__all__)) == len(mod.__all__)
    for name in mod.__all__:
        assert getattr(mod, name) is not None, name
    star: dict[str, object] = {}
    exec(f"from meetingbaas{module} import *", star)
    assert set(star) - {"__builtins__"} == set(mod.__all__)


def test_the_package_exports_every_exception_the_runtime_defines(sdk: Any) -> None:
    """Read off the runtime's ``_exceptions.__all__``, not kept by hand: each
    exception class there is the package's, the same object."""
    runtime = importlib.import_module("meetingbaas._exceptions")
    classes = [n for n in runtime.__all__ if isinstance(getattr(runtime, n), type)]
    assert len(classes) >= 20
    for name in classes:
        assert name in sdk.__all__ and getattr(sdk, name) is getattr(runtime, name)


@pytest.mark.parametrize("stem", runtimeapi.PACKAGE_MODULES)
def test_the_package_exports_each_runtime_modules_package_exports(
    sdk: Any, stem: str
) -> None:
    """Read off each runtime module's ``_PACKAGE_EXPORTS``, not kept by hand:
    the package exports exactly those of the module, the same objects."""
    runtime = importlib.import_module(f"meetingbaas.{stem}")
    listed = set(runtime._PACKAGE_EXPORTS)
    assert listed and listed <= set(runtime.__all__)
    from_module = {n for n, m in sdk._EXPORTS.items() if m == f".{stem}"}
    assert from_module == listed
    for name in listed:
        assert name in sdk.__all__ and getattr(sdk, name) is getattr(runtime, name)


def test_webhook_secret_errors_are_package_exports_only_with_a_verifier() -> None:
    def webhooks(*features: str) -> tuple[str, ...]:
        return dict(runtimeapi.package_exports_of(features))[".webhooks"]

    optional = {"WebhookSecretError", "WebhookVerificationError"}
    assert not optional & set(webhooks())
    assert "WebhookParseError" in webhooks()
    assert optional <= set(webhooks("standard-webhooks"))
    assert optional <= set(webhooks("callback-secret"))


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ('__all__ = ["A"]\n_PACKAGE_EXPORTS = ("A", "B")\nA = B = 1\n', "its __all__"),
        ('__all__ = ["A", "B"]\n_PACKAGE_EXPORTS = ("A", "B")\nA = 1\n', "it does"),
    ],
)
def test_a_package_export_its_module_does_not_offer_fails_generation(
    monkeypatch: pytest.MonkeyPatch, source: str, why: str
) -> None:
    monkeypatch.setattr(runtimeapi, "runtime_text", lambda name: source)
    monkeypatch.setattr(runtimeapi, "PACKAGE_MODULES", ("_drift",))
    runtimeapi._package_exports.cache_clear()
    message = f"templates/runtime/_drift.py: _PACKAGE_EXPORTS names 'B', which {why}"
    try:
        with pytest.raises(RuntimeError, match=re.escape(message)):
            runtimeapi.package_exports_of(())
    finally:  # the parsed fake must not outlive the test
        runtimeapi.runtime_tree.cache_clear()
        runtimeapi._package_exports.cache_clear()


def test_lazy_exports_raise_attribute_error_for_unknown_names(sdk: Any) -> None:
    for mod in (
        sdk,
        importlib.import_module("meetingbaas.types"),
        importlib.import_module("meetingbaas.resources"),
    ):
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = mod.no_such_name
        assert dir(mod) == sorted(mod.__all__)


def _type_checking_names(path: Path) -> set[str]:
    """The names a type checker sees imported under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text("utf-8"))
    block = next(
        n
        for n in tree.body
        if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    return {
        alias.asname or alias.name
        for n in block.body
        if isinstance(n, ast.ImportFrom)
        for alias in n.names
    }


def test_types_package_shows_type_checkers_what_it_exports_lazily(sdk: Any) -> None:
    types = importlib.import_module("meetingbaas.types")
    seen = _type_checking_names(TYPES / "__init__.py")
    assert seen == set(types._EXPORTS) == set(types.__all__)


def test_resources_package_exports_every_resource_class_lazily(sdk: Any) -> None:
    resources = importlib.import_module("meetingbaas.resources")
    seen = _type_checking_names(GENERATED / "meetingbaas" / "resources" / "__init__.py")
    assert seen == set(resources._EXPORTS) == set(resources.__all__)
    assert {"Bots", "AsyncBots", "BotsScreenshots", "AsyncCalendarsEvents"} <= seen
    assert resources.Bots is importlib.import_module("meetingbaas.resources.bots").Bots
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from meetingbaas.resources import Storage\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.startswith('meetingbaas.resources')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(GENERATED)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [
        "['meetingbaas.resources',",
        "'meetingbaas.resources.storage']",
    ]


def _relative_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        n.module or ""
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.level == 1
    }


def test_model_modules_import_each_other_without_cycles() -> None:
    groups = sorted(p.stem for p in TYPES.glob("*.py") if p.stem != "__init__")
    assert {SHARED, WEBHOOKS, OTHER} <= set(groups)
    resources = [g for g in groups if g not in RESERVED]
    assert "bots" in resources and "calendars" in resources, groups
    for stem in groups:
        imported = _relative_imports(TYPES / f"{stem}.py") - {"enums"}
        if stem == SHARED:
            assert imported == set(), imported
        elif stem == WEBHOOKS:
            assert imported <= {SHARED, *resources}, imported
        elif stem in resources:
            assert imported <= {SHARED}, (stem, imported)


def test_a_resource_imports_only_its_own_models() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import meetingbaas.resources.bots\n"
        "print(sorted(m for m in sys.modules if m.startswith('meetingbaas.types')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(GENERATED)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [
        "['meetingbaas.types',",
        "'meetingbaas.types.bots',",
        "'meetingbaas.types.enums',",
        "'meetingbaas.types.shared']",
    ]


def test_type_groups_follow_every_reference() -> None:
    deps = {
        "A": {"Shared"},  # only bots
        "Shared": {"Leaf"},  # bots and calendars
        "Leaf": set(),
        "C": set(),  # only calendars
        "Event": {"A", "Payload"},  # no call: a webhook payload
        "Payload": set(),  # only the event reaches it
        "Error": set(),  # nothing reaches it
        "M": set(),  # only the resource "models" (a name types/ has already)
    }
    roots = {
        "bots": {"A", "Shared", "int"},
        "calendars": {"C", "Shared"},
        "models": {"M"},
    }
    assert type_groups(deps, roots, ["Event"]) == {
        "A": "bots",
        "Shared": SHARED,
        "Leaf": SHARED,  # reached through Shared by both
        "C": "calendars",
        "Event": WEBHOOKS,
        "Payload": WEBHOOKS,
        "Error": OTHER,
        "M": "models_resource",
    }


def _field(annotation: str) -> FieldView:
    return FieldView("f", annotation, "", "")


def test_forward_references_are_quoted_and_others_left_as_objects() -> None:
    node = ModelView("Node", "BaseModel", "", [_field("list[Node] | None")], [])
    leaf = ModelView("Leaf", "BaseModel", "", [_field('Literal["Node"]')], [])
    uses = ModelView("Uses", "BaseModel", "", [_field("Leaf | Later")], [])
    later = ModelView("Later", "BaseModel", "", [_field("int")], [])
    param = ParamDictView("AParam", "A", [_field("BParam")])
    models, dicts = forward_quoted(
        [node, leaf, uses, later], [param, ParamDictView("BParam", "B", [])]
    )
    assert [m.fields[0].annotation for m in models] == [
        '"list[Node] | None"',  # itself: not defined while its body runs
        'Literal["Node"]',  # a string's text is no reference
        '"Leaf | Later"',
        "int",
    ]
    assert dicts[0].fields[0].annotation == '"BParam"'
    assert names_in('Annotated[str, Field(pattern="[A-Z]")] | X') == {
        "Annotated",
        "str",
        "Field",
        "pattern",
        "X",
    }
    assert eval(quoted('Literal["a"] | X')) == 'Literal["a"] | X'
    assert eval(quoted("Literal['a', \"b\"]")) == "Literal['a', \"b\"]"


NODE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        "owner": {"$ref": "#/components/schemas/Owner"},
    },
    "required": ["name"],
}
OWNER = {"type": "object", "properties": {"key": {"type": "string"}}}
EVENT = {
    "type": "object",
    "properties": {
        "datetime": {"type": "string"},
        "at": {"type": "string", "format": "date-time"},
    },
}
BOX_REF = {"$ref": "#/components/schemas/Box"}
BOX = {"type": "object", "properties": {"item": {"$ref": "#/components/schemas/Item"}}}
NO_CONTENT = {"operationId": "ping", "responses": {"204": {"description": "ok"}}}
SPECS = {
    "nothing to type": make_spec(paths={"/ping": {"get": NO_CONTENT}}),
    # Node refers to itself (a quoted annotation) and to Owner, which the
    # owners resource also returns (so Owner is shared, Node is not).
    "recursive and shared": make_spec(
        {"Node": NODE, "Owner": OWNER},
        {
            "/tree": {
                "get": json_op({"$ref": "#/components/schemas/Node"}, op_id="getTree")
            },
            "/owner": {
                "get": json_op({"$ref": "#/components/schemas/Owner"}, op_id="getOwner")
            },
        },
    ),
    # A query parameter called ``datetime`` is a field of the resource module's
    # params class: the module still imports ``datetime`` for the body's
    # date-time argument (a class body's names are no module names).
    "a field named like an import": make_spec(
        {"Event": EVENT},
        {
            "/events": {
                "post": json_op(
                    {"$ref": "#/components/schemas/Event"},
                    body={"$ref": "#/components/schemas/Event"},
                    op_id="createEvent",
                )
                | {
                    "parameters": [
                        {
                            "name": "datetime",
                            "in": "query",
                            "schema": {"type": "string"},
                        }
                    ]
                }
            }
        },
    ),
    # BoxParam's field names ItemParam (defined after it: quoted) and Item,
    # which lives in shared with Box (both resources return a Box) and is
    # named nowhere else in boxes: the quoted annotation needs its import.
    "quoted names another module's model": make_spec(
        {"Box": BOX, "Item": OWNER},
        {
            "/boxes": {
                "post": json_op(
                    {"$ref": "#/components/schemas/Box"},
                    body={"type": "object", "properties": {"box": BOX_REF}},
                    op_id="createBox",
                )
            },
            "/items": {"get": json_op(BOX_REF, op_id="getItem")},
        },
    ),
}
CHECK = """\
import sys; sys.path.insert(0, sys.argv[1])
import other_api, other_api.types as t, other_api.types.models as m
assert set(m.__all__) <= set(t.__all__)
[getattr(t, n) for n in t.__all__]
if sys.argv[2] == "recursive and shared":
    leaf = {"name": "b", "owner": {"key": "o"}}
    tree = t.Node.model_validate({"name": "a", "children": [leaf]})
    assert tree.children[0].owner.key == "o"
    assert t.Node.__module__.endswith(".types.tree"), t.Node.__module__
    assert t.Owner.__module__.endswith(".types.shared"), t.Owner.__module__
if sys.argv[2] == "a field named like an import":
    import datetime, typing
    import other_api.resources.events as events
    hints = typing.get_type_hints(events.Events.create)
    assert datetime.datetime in typing.get_args(hints["at"]), hints
if sys.argv[2] == "quoted names another module's model":
    import typing
    hints = typing.get_type_hints(t.BoxParam)
    assert t.Item.__module__.endswith(".types.shared"), t.Item.__module__
    assert t.Item in typing.get_args(hints["item"]), hints
"""


@pytest.mark.parametrize("name", sorted(SPECS))
def test_other_specs_get_clean_importable_model_modules(
    name: str, tmp_path: Path, write_spec: Any
) -> None:
    path = write_spec(SPECS[name])
    config = tmp_path / "sdkgen.toml"
    config.write_text('[package]\nname = "other_api"\n')
    out = tmp_path / "o"
    args = ["generate", "--spec", str(path), "--config", str(config)]
    assert main([*args, "--out", str(out)]) == 0
    pkg = out / "other_api"
    # Unused or unsorted imports in what this module split writes.
    targets = [pkg / "types", pkg / "_client.py", pkg / "resources"]
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,I"]
        + [str(t) for t in targets],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(out), name], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_tuples_and_digit_names_are_laid_out_as_ruff_wants(
    tmp_path: Path, write_spec: Any
) -> None:
    """Found by fuzzing: two keyless webhook payloads were written ``(A,B,)``
    (the formatter explodes a trailing comma), and ``Error4002`` was imported before
    ``Error404`` (ruff's isort sorts digits by value)."""
    schemas = {
        f"Error{n}": {"type": "object", "properties": {f"e{n}": {"type": "string"}}}
        for n in (404, 4002)
    }
    hooks = {
        name: {"type": "object", "properties": {name: {"type": "integer"}}}
        for name in ("a", "b")
    }
    doc = make_spec(
        schemas,
        {
            "/e": {
                "get": json_op({"$ref": "#/components/schemas/Error404"})
                | {"operationId": "getE"},
                "post": json_op({"$ref": "#/components/schemas/Error4002"})
                | {"operationId": "postE"},
            }
        },
    )
    doc["openapi"] = "3.1.0"
    doc["webhooks"] = {
        name: {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
        for name, schema in hooks.items()
    }
    out = tmp_path / "o"
    assert main(["generate", "--spec", str(write_spec(doc)), "--out", str(out)]) == 0
    for tool in (
        ["ruff", "format", "--isolated", "--check", *map(str, out.rglob("*.py"))],
        ["ruff", "check", "--no-cache", "."],
    ):
        done = subprocess.run(
            [sys.executable, "-m", *tool], cwd=out, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_long_basic_auth_argument_is_laid_out_as_the_formatter_does(
    tmp_path: Path, write_spec: Any
) -> None:
    """Found by fuzzing: ``"x": None if x is None else ":".join(x)`` over the
    line length was split at the call; the formatter parenthesizes the conditional."""
    schemes = {
        "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "model_config": {"type": "http", "scheme": "basic"},
    }
    doc = make_spec(paths={"/a": {"get": json_op({"type": "object"})}})
    doc["components"]["securitySchemes"] = schemes
    doc["security"] = [{name: []} for name in schemes]
    out = tmp_path / "o"
    assert main(["generate", "--spec", str(write_spec(doc)), "--out", str(out)]) == 0
    client = next(out.glob("*/_client.py")).read_text("utf-8")
    assert '"model_config": None\n' in client  # ruff splits at the conditional
    done = subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "format", "--isolated", "--check"),
            *map(str, out.rglob("*.py")),
        ],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr

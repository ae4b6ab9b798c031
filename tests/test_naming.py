"""Spec names -> Python identifiers (generator/naming.py), and the problems policy
(generator/parse/problems.py): skip with a warning naming the pointer, or refuse."""

from __future__ import annotations

import ast
import keyword
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config import Config
from generator.emit.render import templates_dir
from generator.errors import SpecError
from generator.naming import (
    ascii_text,
    enum_member,
    identifier,
    python_member,
    sdk_names,
    type_name,
)
from generator.parse.normalise import normalise
from generator.parse.problems import Problems, load_lenient

from .conftest import json_op, make_spec

HOSTILE = [
    "class",
    "None",
    "3d_secure",
    "π",
    "Straße",
    "中文",
    "fooBar",
    "list",
    "",
    "a-b",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_spelling_is_a_usable_identifier(text: str) -> None:
    for name in (
        python_member(text),
        identifier(text),
        type_name(text),
        enum_member(text),
    ):
        assert name.isidentifier() and name.isascii(), name
        assert not keyword.iskeyword(name), name


def test_unicode_is_transliterated_not_dropped() -> None:
    assert ascii_text("café Straße") == "cafe Strasse"
    assert python_member("π") == "pi"
    assert type_name("中文") == "U4e2dU6587"
    assert python_member("ünï") != python_member("ün")


def test_keywords_builtins_and_leading_digits() -> None:
    assert python_member("class") == "class_"
    assert python_member("id") == "id_"
    assert python_member("model_config") == "model_config_"
    assert python_member("model_extra") == "model_extra_"
    assert python_member("3d") == "n_3d"
    assert type_name("None") == "None_"
    assert type_name("3dSecure") == "N3dSecure"
    assert identifier("3d_secure") == "n_3d_secure"
    assert identifier("match") == "match_"  # soft keyword


def test_sdk_names_come_from_the_title() -> None:
    assert sdk_names("Swagger Petstore - OpenAPI 3.0") == (
        "swagger_petstore_3_0_client",
        "SwaggerPetstore30Client",
        "SWAGGER_PETSTORE_3_0",
    )
    assert sdk_names("There's an API")[0] == "theres_an_client"
    assert sdk_names("")[0] == "api_client"
    assert sdk_names("class")[0] == "class_sdk_client"
    # Never the vendor's own SDK's name, installed beside it.
    assert sdk_names("Stripe API") == ("stripe_client", "StripeClient", "STRIPE")
    assert sdk_names("OpenAI API")[0] == "openai_client"
    assert sdk_names("Foo Client")[0] == "foo_client"


def test_a_long_title_keeps_the_runtime_formatter_clean(
    write_spec: Any, tmp_path: Path
) -> None:
    """The client class (and its error class) come from the title, at most 46
    characters; the runtime is copied as written (it names the error class
    ``SDKError``, from _constants.py), so no line of it grows."""
    doc = make_spec(paths={"/a": {"get": json_op({"type": "object"})}})
    doc["info"]["title"] = "A" * 200
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(write_spec(doc)), "--out", str(out)]) == 0
    package = out / ("a" * 40 + "_client")
    client = (package / "_base_client.py").read_text("utf-8")
    template = (templates_dir() / "runtime" / "_base_client.py").read_text("utf-8")
    assert client.split("\n", 1)[1] == template
    constants = (package / "_constants.py").read_text("utf-8")
    assert f"class {'A' + 'a' * 39}Error(Exception):" in constants
    done = subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "format", "--isolated", "--check"),
            *map(str, out.rglob("*.py")),  # the READMEs' examples are not formatted
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_case_collisions_are_resolved_deterministically(write_spec: Any) -> None:
    schema = {
        "type": "object",
        "properties": {"fooBar": {"type": "string"}, "foo_bar": {"type": "string"}},
    }
    spec = make_spec(paths={"/a": {"get": json_op(schema)}})
    runs = [
        [f.python_name for m in _api(write_spec(spec)).models for f in m.fields]
        for _ in range(2)
    ]
    assert runs[0] == runs[1] == ["foo_bar", "foo_bar_2"]


def _merged_names(write_spec: Any, *components: str) -> list[str]:
    """The names of the types made from equal components, one call each."""
    shape = {"type": "object", "properties": {"id": {"type": "string"}}}
    ref = "#/components/schemas/"
    spec = make_spec(
        paths={
            f"/{i}": {"get": json_op({"$ref": ref + name}, op_id=f"op{i}")}
            for i, name in enumerate(components)
        },
        schemas=dict.fromkeys(components, shape),
    )
    return sorted(m.name for m in _api(write_spec(spec)).models)


def test_equal_shapes_merged_keep_a_name_that_fits_every_use(
    write_spec: Any,
) -> None:
    # Names that differ only by a leading verb give way to what they share.
    assert _merged_names(
        write_spec, "CreateOrgMembershipOutput", "GetOrgMembershipOutput"
    ) == ["OrgMembershipOutput"]
    assert _merged_names(write_spec, "ListWidgets", "Widgets") == ["Widgets"]
    # One name keeps its verb; names that differ otherwise keep today's rule.
    assert _merged_names(write_spec, "CreateWidget") == ["CreateWidget"]
    assert _merged_names(write_spec, "Getaway", "Setaway") == ["Getaway"]
    assert _merged_names(write_spec, "CreateFoo", "GetBar") == ["CreateFoo"]


def _body_type_name(write_spec: Any, config: Config, *components: str) -> str:
    """The type of a call's body, the first of ``components`` (all equal)."""
    shape = {"type": "object", "properties": {"id": {"type": "string"}}}
    body = {"$ref": f"#/components/schemas/{components[0]}"}
    spec = make_spec(
        paths={"/w": {"post": json_op({"type": "string"}, body=body, op_id="make")}},
        schemas=dict.fromkeys(components, shape),
    )
    loaded = load_lenient(str(write_spec(spec)), Problems())
    assert loaded is not None
    (model,) = normalise(loaded, config, Problems()).models
    return str(model.name)


def test_input_twins_only_where_the_spec_shows_them(write_spec: Any) -> None:
    # zod's twins: WidgetInput beside Widget is named Widget.
    assert _body_type_name(write_spec, Config(), "WidgetInput", "Widget") == "Widget"
    # A lone ...Input is a name of its own.
    assert _body_type_name(write_spec, Config(), "UserInput") == "UserInput"
    # [conventions] input_twins = false: never.
    off = Config(input_twins=False)
    assert _body_type_name(write_spec, off, "WidgetInput", "Widget") == "WidgetInput"


def _api(path: Path, problems: Problems | None = None) -> Any:
    problems = problems or Problems()
    spec = load_lenient(str(path), problems)
    assert spec is not None
    return normalise(spec, Config(), problems)


def test_dangling_ref_in_a_schema_becomes_any_with_a_warning(write_spec: Any) -> None:
    spec = make_spec(
        paths={"/a": {"get": json_op({"$ref": "#/components/schemas/A"})}},
        schemas={
            "A": {
                "type": "object",
                "properties": {"b": {"$ref": "#/components/schemas/Gone"}},
            }
        },
    )
    problems = Problems()
    api = _api(write_spec(spec), problems)
    assert [o.operation_id for o in api.operations]  # the operation stays
    assert problems.warnings == [
        "#/components/schemas/A/properties/b: $ref '#/components/schemas/Gone' "
        "points to nothing: treated as any value"
    ]
    with pytest.raises(SpecError, match="#/components/schemas/A/properties/b"):
        _api(write_spec(spec), Problems(strict=True))


def test_pure_ref_cycle_skips_the_operation(write_spec: Any) -> None:
    spec = make_spec(
        paths={
            "/a": {"get": json_op({"$ref": "#/components/schemas/A"})},
            "/b": {"get": json_op({"type": "string"})},
        },
        schemas={
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
        },
    )
    problems = Problems()
    api = _api(write_spec(spec), problems)
    assert [o.path for o in api.operations] == ["/b"]
    assert any(
        w.startswith("#/paths/~1a/get: operation skipped: $ref cycle")
        for w in problems.warnings
    )


def test_standard_json_schema_openapi_pydantic_refuses_is_accepted(
    write_spec: Any,
) -> None:
    schema = {
        "type": "object",
        "required": [],
        "x-meta": {"$ref": "#/nowhere"},  # extensions are opaque
        "properties": {
            "anything": {"type": "array", "items": True},
            "never": {"enum": []},
            "whatever": True,  # boolean schemas wherever a schema may be
            "pair": {"prefixItems": [True, {"type": "string"}], "items": False},
            "either": {"anyOf": [False, {"not": True}, {"type": "integer"}]},
            "both": {"allOf": [True, {"type": "string"}]},
            "mapped": {"type": "object", "patternProperties": {"^a": False}},
        },
    }
    problems = Problems()
    api = _api(write_spec(make_spec(paths={"/a": {"get": json_op(schema)}})), problems)
    assert problems.warnings == []
    assert api.operations


def test_swagger_2_warns_or_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "swagger.json"
    spec.write_text(
        '{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}'
    )
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0
    warning = capsys.readouterr().err.strip()
    assert warning.startswith(
        "sdkgen: warning: #/swagger: Swagger 2.0 is not supported"
    )
    assert main(["generate", "--strict", "--spec", str(spec), "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == warning.replace("warning", "error", 1)
    assert not out.exists()


def test_self_allof_is_skipped_and_a_deep_ref_chain_followed(
    write_spec: Any,
) -> None:
    chain = {f"C{i}": {"$ref": f"#/components/schemas/C{i + 1}"} for i in range(200)}
    chain["C200"] = {"type": "string"}
    spec = make_spec(
        paths={
            "/self": {"get": json_op({"$ref": "#/components/schemas/Self"})},
            "/deep": {"get": json_op({"$ref": "#/components/schemas/C0"}, op_id="d")},
            "/fine": {"get": json_op({"type": "integer"}, op_id="f")},
        },
        schemas={"Self": {"allOf": [{"$ref": "#/components/schemas/Self"}]}, **chain},
    )
    problems = Problems()
    api = _api(write_spec(spec), problems)
    assert sorted(o.path for o in api.operations) == ["/deep", "/fine"]
    assert [w.split(":")[0] for w in problems.warnings] == ["#/paths/~1self/get"]


_NAME = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=12
)


@pytest.mark.property
@settings(max_examples=int(os.environ.get("SDKGEN_EXAMPLES", "10")))
@given(
    props=st.lists(_NAME, min_size=1, max_size=6, unique=True),
    schema_name=_NAME.filter(lambda n: n and "/" not in n and "~" not in n),
    segment=_NAME.filter(lambda n: "/" not in n and "{" not in n and "}" not in n),
    values=st.lists(_NAME, min_size=2, max_size=5, unique=True),
)
@example(
    props=["class", "Class", "3d", "π"],
    schema_name="None",
    segment="3d_secure",
    values=["a-b", "a_b"],
)
@example(props=[""], schema_name="0", segment="None", values=["", "0"])
def test_any_spec_names_give_valid_python(
    props: list[str], schema_name: str, segment: str, values: list[str]
) -> None:
    """Whatever the spec's names, every emitted module compiles."""
    schema = {
        "type": "object",
        "properties": {p: {"type": "string"} for p in props}
        | {"kind_": {"enum": values}},
    }
    doc = make_spec(
        schemas={schema_name: schema},
        paths={
            f"/{segment}/{{id}}": {
                "parameters": [
                    {"name": p or "x", "in": "query", "schema": {"type": "string"}}
                    for p in props
                ]
                + [{"name": "id", "in": "path", "required": True, "schema": {}}],
                "post": json_op(
                    {"$ref": f"#/components/schemas/{schema_name}"},
                    body={"$ref": f"#/components/schemas/{schema_name}"},
                    op_id=segment or "op",
                ),
            }
        },
    )
    from generator.emit.render import render
    from generator.parse.loader import LoadedSpec

    problems = Problems()
    api = normalise(LoadedSpec("x", "0" * 64, doc), Config(), problems)
    files = render(api, Config(package="fuzzed"), "0" * 64)
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")


_TEXT = st.text(max_size=12)


@pytest.mark.property
@settings(max_examples=int(os.environ.get("SDKGEN_EXAMPLES", "10")))
@given(texts=st.lists(_TEXT, min_size=8, max_size=8))
@example(texts=["a\x00b", "\x1b[31m", "q\r\nz\rw", '"', "\\", "\u2028", "\x1f", "\x00"])
@example(texts=["#-imports-#"] * 8)  # found: the template's import marker in spec text
def test_any_spec_text_gives_valid_python(texts: list[str]) -> None:
    """Titles, versions, descriptions, summaries, defaults and enum values of any
    text (NUL, escapes, line separators, quotes) still give modules that compile,
    and a docstring keeps the text it was given."""
    title, version, about, summary, param, schema, prop, value = texts
    doc = make_spec(
        schemas={
            "Thing": {
                "type": "object",
                "description": schema,
                "properties": {
                    "name": {"type": "string", "description": prop, "default": value},
                    "kind": {"enum": [value, value + "x"]},
                },
            }
        },
        paths={
            "/things/{id}": {
                "get": json_op({"$ref": "#/components/schemas/Thing"})
                | {
                    "summary": summary,
                    "description": about,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": param,
                            "schema": {"type": "string"},
                        }
                    ],
                }
            }
        },
        info={"title": title, "version": version, "description": about},
    )
    from generator.emit.render import render
    from generator.parse.loader import LoadedSpec

    api = normalise(LoadedSpec("x", "0" * 64, doc), Config(), Problems())
    files = render(api, Config(package="texts"), "0" * 64)
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    models = "\n".join(v for k, v in files.items() if k.startswith("texts/types/"))
    wanted = " ".join(schema.split())
    if wanted and "\\" not in schema and '"' not in schema:
        # The model's docstring, as Python reads it back, holds the text.
        found = [
            ast.get_docstring(node, clean=False) or ""
            for node in ast.walk(ast.parse(models))
            if isinstance(node, ast.ClassDef) and node.name == "Thing"
        ]
        assert found and " ".join(found[0].split()) == wanted, (found, schema)

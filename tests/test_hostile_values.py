"""Hostile specs and configs, value side: nothing in them becomes code, no
generated package shadows what it imports, numbers and text Python cannot hold
are warned about and dropped, file names stay bounded (issue 21)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.diff.output import to_markdown

from .diff_fixtures import base, diff_docs
from .hostile import compiles, imports_fresh, sdkgen, spec_with, write_json

CODE = 'os.system("touch PWNED")'


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        (
            f"[package]\nname = 'probe'\nversion = '1.0\"; import os; {CODE} #'",
            "version",
        ),
        ('[package]\nname = "a;import os"', "name"),
        ('[package]\nname = "types"', "name"),
        ('[package]\nname = "json"', "name"),
        ('[package]\nname = "httpx"', "name"),
        ('[package]\nname = "class"', "name"),
        (
            '[package]\nname = "probe"\ndistribution = "x\\"\\n[evil]\\na = \\"1"',
            "distribution",
        ),
        ('[package]\nname = "probe"\nversion = "2026-13-45"', "version"),
        ('[type_names]\nThing = "class"', "type_names/Thing"),
        ('[type_names]\nThing = "int"', "type_names/Thing"),
        ('[type_names]\nThing = "A; import os"', "type_names/Thing"),
        ('[operations]\ngetX = "x.def"', "operations/getX"),
    ],
)
def test_config_values_that_cannot_stand_in_code_are_refused_naming_the_key(
    tmp_path: Path, toml: str, key: str
) -> None:
    doc = spec_with({"$ref": "#/components/schemas/Thing"})
    doc["components"]["schemas"]["Thing"] = {"type": "object"}
    spec = write_json(tmp_path / "api" / "spec.json", doc)
    (tmp_path / "api" / "sdkgen.toml").write_text(toml + "\n")
    out = tmp_path / "out"
    error = sdkgen("generate", "--spec", spec, "--out", out).one_line_error()
    assert f"sdkgen.toml#/package/{key}" in error or f"sdkgen.toml#/{key}" in error
    assert not out.exists() and not list(tmp_path.rglob("PWNED"))
    assert "sdkgen.toml#/" in sdkgen("diff", spec, spec).one_line_error()


def test_a_valid_config_still_generates_a_package_that_imports(tmp_path: Path) -> None:
    spec = write_json(tmp_path / "api" / "spec.json", spec_with({"type": "object"}))
    (tmp_path / "api" / "sdkgen.toml").write_text(
        '[package]\nname = "probe_sdk"\ndistribution = "probe-sdk"\n'
        'version = "2.0.0rc1"\n'
    )
    out = tmp_path / "out"
    assert sdkgen("generate", "--spec", spec, "--out", out).code == 0
    imports_fresh(out, "probe_sdk")
    assert 'version = "2.0.0rc1"' in (out / "pyproject.toml").read_text()


SHADOWING = ["email", "http", "json", "logging", "os", "typing", "pydantic", "httpx"]


@pytest.mark.parametrize("title", SHADOWING)
def test_a_title_that_would_shadow_gets_a_suffixed_package(
    tmp_path: Path, title: str
) -> None:
    spec = write_json(
        tmp_path / "spec.json", spec_with({"type": "object"}, title=title)
    )
    out = tmp_path / "out"
    warned = sdkgen("generate", "--spec", spec, "--out", out).warned()
    assert f"'{title}_client'" in warned and "#/info/title" in warned
    assert (out / f"{title}_client" / "__init__.py").is_file()
    assert not (out / title).exists()
    imports_fresh(out, f"{title}_client")


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"]


@pytest.mark.parametrize("number", NON_FINITE)
def test_non_finite_numbers_are_warned_about_and_dropped(
    tmp_path: Path, number: str
) -> None:
    slot = "__NUMBER__"  # a string in the document, the number in its text
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "number", "default": slot, "minimum": slot},
            "e": {"enum": [1, slot], "example": slot},
            "c": {"const": slot},
        },
    }
    text = json.dumps(spec_with(schema)).replace(f'"{slot}"', number)
    spec = tmp_path / "spec.json"
    spec.write_text(text)
    out = tmp_path / "out"
    warned = sdkgen("generate", "--spec", spec, "--out", out).warned()
    assert "no Python literal: dropped" in warned
    assert "#/paths/~1x/get/responses/200/content/application~1json/schema" in warned
    sources = "".join(p.read_text() for p in out.rglob("*.py"))
    assert not re.search(r"\b(inf|nan)\b", sources)  # bare names: NameError
    imports_fresh(out, "probe_client")
    assert sdkgen("generate", "--spec", spec, "--out", out, "--strict").code == 2
    assert sdkgen("diff", spec, spec).code == 0


def test_yaml_non_finite_numbers_are_dropped_too(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Probe, version: '1'}\npaths:\n"
        "  /x:\n    get:\n      operationId: getX\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n"
        "                type: object\n                properties:\n"
        "                  n: {type: number, default: .inf, maximum: .nan,"
        " enum: [1.5, -.inf]}\n"
    )
    out = tmp_path / "out"
    assert (
        sdkgen("generate", "--spec", spec, "--out", out)
        .warned()
        .count("no Python literal")
        == 3
    )
    imports_fresh(out, "probe_client")


@pytest.mark.parametrize(
    "place", ["description", "enum", "property", "title", "operationId", "key"]
)
def test_lone_surrogates_are_warned_about_and_dropped(
    tmp_path: Path, place: str
) -> None:
    lone = "a\ud800b\udfff"
    schema: dict[str, object] = {"type": "object", "properties": {"p": {}}}
    doc = spec_with(schema)
    op = doc["paths"]["/x"]["get"]
    if place == "description":
        op["description"] = lone
    elif place == "enum":
        schema["properties"] = {"p": {"enum": [lone, "b"]}}
    elif place == "property":
        schema["properties"] = {lone: {"type": "string"}}
    elif place == "title":
        doc["info"]["title"] = "Probe" + lone
    elif place == "operationId":
        op["operationId"] = lone
    else:
        doc["paths"]["/x"]["get"]["responses"]["200"]["x-" + lone] = 1
    spec = write_json(tmp_path / "spec.json", doc)
    out = tmp_path / "out"
    done = sdkgen("generate", "--spec", spec, "--out", out)
    assert "lone surrogate" in done.warned()
    compiles(out)
    [package] = [p.name for p in out.iterdir() if (p / "__init__.py").is_file()]
    imports_fresh(out, package)
    assert "lone surrogate" in sdkgen("inspect", "--spec", spec).warned()
    strict = sdkgen("inspect", "--strict", "--spec", spec)
    assert "lone surrogate" in strict.one_line_error()
    diffed = sdkgen("diff", spec, spec)  # diff warns
    assert diffed.code == 0 and "lone surrogate" in diffed.err, diffed.err


def test_a_250_character_path_segment_gives_bounded_file_names(tmp_path: Path) -> None:
    seg = "a" * 250
    doc = spec_with({"type": "object", "properties": {"x": {"type": "string"}}})
    doc["paths"] = {f"/{seg}": doc["paths"]["/x"], f"/b{seg}/{seg}c": {
        "post": {"operationId": "z" * 300, "responses": {"200": {"description": "ok"}}}
    }}  # fmt: skip
    spec = write_json(tmp_path / "spec.json", doc)
    out = tmp_path / "out"
    done = sdkgen("generate", "--spec", spec, "--out", out)
    assert done.code == 0, done.err
    assert max(len(p.name.encode()) for p in out.rglob("*")) <= 120
    again = tmp_path / "again"
    assert sdkgen("generate", "--spec", spec, "--out", again).code == 0
    assert sorted(p.name for p in out.rglob("*.py")) == sorted(
        p.name for p in again.rglob("*.py")
    )  # shortened the same way every run
    imports_fresh(out, "probe_client")


def test_markdown_report_does_not_ping_or_link() -> None:
    old = base()
    new = json.loads(json.dumps(old))
    new["components"]["schemas"]["ThingStatus"]["enum"].append(
        "@org/team [x](https://evil.example) #12 `tick"
    )
    new["info"]["version"] = "@everyone <img src=x>"
    text = to_markdown(diff_docs(old, new))
    assert "@\u200borg/team" in text and "@org" not in text
    assert "@\u200beveryone" in text and "<img" not in text
    assert "\\[x\\](https://evil.example)" in text and "#\u200b12" in text


@pytest.mark.parametrize("rev", ["--output=PLANTED", "-p", "--exec=touch PLANTED"])
def test_a_git_revision_starting_with_a_dash_is_refused(
    tmp_path: Path, rev: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    spec = write_json(tmp_path / "spec.json", spec_with({"type": "object"}))
    error = sdkgen("diff", f"git:{rev}:spec.json", spec).one_line_error()
    assert "cannot start with '-'" in error
    assert not list(tmp_path.rglob("PLANTED"))

"""Hostile specs, ``$ref`` side: nothing outside the spec's folder is read and
published, no ``$ref`` value that could be a secret is echoed, and deep chains
end fast with exit 2 naming them (issue 21). Every file is planted by the test
in its own temporary folder."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.parse import refs
from generator.parse.loader import MAX_DEPTH, parse_text
from generator.parse.scrub import scrub

from .conftest import ROOT
from .hostile import (
    MARKER,
    Run,
    imports_fresh,
    sdkgen,
    spec_with,
    tree_text,
    write_json,
)

OUTSIDE_YAML = (
    f"type: object\ndescription: {MARKER}\nproperties: {{a: {{type: string}}}}\n"
)


def _plant(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A spec in tmp/repo/api/ whose response refers outside its folder; the
    outside file holds MARKER. Returns (spec, the ref it uses)."""
    outside = tmp_path / "outside"
    outside.mkdir(parents=True)
    (outside / "s.yaml").write_text(OUTSIDE_YAML)
    api = tmp_path / "repo" / "api"
    api.mkdir(parents=True)
    ref = {
        "sibling": "../../outside/s.yaml",
        "climbing": "../" * 12 + str(outside / "s.yaml").lstrip("/"),
        "absolute": str(outside / "s.yaml"),
        "file-symlink": "link.yaml",
        "folder-symlink": "linked/s.yaml",
    }[kind]
    if kind == "file-symlink":
        (api / "link.yaml").symlink_to(outside / "s.yaml")
    if kind == "folder-symlink":
        (api / "linked").symlink_to(outside)
    return write_json(api / "spec.json", spec_with({"$ref": ref})), ref


KINDS = ["sibling", "climbing", "absolute", "file-symlink", "folder-symlink"]
POINTER = "#/paths/~1x/get/responses/200/content/application~1json/schema"


@pytest.mark.parametrize("kind", KINDS)
def test_generate_and_inspect_never_read_outside_the_spec_folder(
    tmp_path: Path, kind: str
) -> None:
    spec, _ = _plant(tmp_path, kind)
    out = tmp_path / "out"
    done = sdkgen("generate", "--spec", spec, "--out", out)
    assert POINTER in done.warned()
    assert MARKER not in done.out + done.err + tree_text(out)
    imports_fresh(out, "probe_client")
    strict = sdkgen("inspect", "--strict", "--spec", spec, "--format", "json")
    assert POINTER in strict.one_line_error() and MARKER not in strict.out + strict.err


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "github"])
def test_diff_never_publishes_an_outside_file(
    tmp_path: Path, kind: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    spec, _ = _plant(tmp_path, kind)
    done = sdkgen("diff", spec, spec, "--format", fmt)
    assert POINTER in done.one_line_error()
    published = done.out + done.err + (summary.read_text() if summary.exists() else "")
    assert MARKER not in published


def test_release_refuses_a_new_spec_that_refers_outside(tmp_path: Path) -> None:
    spec, _ = _plant(tmp_path, "sibling")
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "spec", root / "spec")
    done = sdkgen("release", "--root", root, "--spec", spec, "--dry-run")
    assert MARKER not in done.out + done.err
    assert POINTER in done.one_line_error()


def test_ref_root_and_absolute_flag_widen_it_explicitly(tmp_path: Path) -> None:
    spec, _ = _plant(tmp_path, "sibling")
    done = sdkgen("inspect", "--spec", spec, "--ref-root", tmp_path / "outside")
    assert done.code == 0, done.err
    absolute, _ = _plant(tmp_path / "b", "absolute")
    refused = sdkgen(
        "inspect", "--strict", "--spec", absolute, "--ref-root", tmp_path / "b"
    )
    assert "--allow-absolute-refs" in refused.one_line_error()
    allowed = sdkgen(
        "inspect", "--spec", absolute, "--ref-root", tmp_path / "b",
        "--allow-absolute-refs",
    )  # fmt: skip
    assert allowed.code == 0, allowed.err


def test_a_symlink_inside_the_folder_to_a_file_inside_is_followed(
    tmp_path: Path,
) -> None:
    api = tmp_path / "api"
    (api / "parts").mkdir(parents=True)
    (api / "parts" / "s.yaml").write_text(OUTSIDE_YAML)
    (api / "alias.yaml").symlink_to(api / "parts" / "s.yaml")
    spec = write_json(api / "spec.json", spec_with({"$ref": "alias.yaml"}))
    done = sdkgen("inspect", "--spec", spec)
    assert done.code == 0 and "sdkgen: warning" not in done.err, done.err


SECRET = "ghp_" + "Z9" * 18


@pytest.mark.parametrize(
    "ref",
    [SECRET, "#/x-token", f"https://host/x.yaml?token={SECRET}", f"{SECRET}.yaml#x"],
)
def test_a_ref_value_that_could_be_a_secret_is_never_echoed(
    tmp_path: Path, ref: str
) -> None:
    doc = spec_with({"$ref": ref})
    doc["x-token"] = SECRET  # "#/x-token" resolves to this string
    spec = write_json(tmp_path / "spec.json", doc)
    runs = [
        sdkgen("generate", "--spec", spec, "--out", tmp_path / "out"),
        sdkgen("inspect", "--spec", spec),
        sdkgen("diff", spec, spec, "--format", "markdown"),
    ]
    for run in runs:
        assert run.code in (0, 2), run.err
        assert SECRET not in run.err and "Traceback" not in run.err
        # The place is named instead (where it is used, or what it points to).
        assert "#/paths/~1x/get" in run.err or "#/x-token: " in run.err
    assert runs[0].code == 0 and SECRET not in tree_text(tmp_path / "out")


def _chain(n: int, link: Callable[[int], Any]) -> dict[str, Any]:
    doc = spec_with({"$ref": "#/components/schemas/S0"})
    schemas = {f"S{i}": link(i + 1) for i in range(n)}
    schemas[f"S{n}"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    doc["components"]["schemas"] = schemas
    return doc


def _ref(i: int) -> Any:
    return {"$ref": f"#/components/schemas/S{i}"}


CHAINS = {
    "ref-to-ref": lambda i: _ref(i),
    "property": lambda i: {"type": "object", "properties": {"n": _ref(i)}},
    "allOf": lambda i: {"allOf": [_ref(i)]},
    "array": lambda i: {"type": "array", "items": _ref(i)},
}


@pytest.mark.parametrize("shape", sorted(CHAINS))
def test_a_5000_ref_chain_ends_fast_with_exit_2_naming_it(
    tmp_path: Path, shape: str
) -> None:
    spec = write_json(tmp_path / "spec.json", _chain(5000, CHAINS[shape]))
    for args in (
        ["generate", "--spec", spec, "--out", tmp_path / "out"],
        ["inspect", "--spec", spec],
        ["diff", spec, spec],
    ):
        start = time.monotonic()
        done: Run = sdkgen(*args)
        assert time.monotonic() - start < 10  # was > 60 s (killed), or exit 3
        error = done.one_line_error()
        assert "#/components/schemas/S" in error and "->" in error
    assert not (tmp_path / "out").exists()


def test_the_bound_itself_takes_well_under_a_second() -> None:
    doc = _chain(5000, CHAINS["property"])
    text = parse_text(__import__("json").dumps(doc).encode(), "x.json")
    start = time.monotonic()
    with pytest.raises(Exception, match="through \\$refs"):
        scrub(text, lambda where, message: None)
    assert time.monotonic() - start < 1.0


def test_chains_within_the_bounds_are_followed(tmp_path: Path) -> None:
    """The bounds sit above what real specs (and the naming tests) use."""
    shallow = _chain(refs.MAX_REF_CHAIN - 2, CHAINS["ref-to-ref"])
    nested = _chain(MAX_DEPTH // 8, CHAINS["property"])
    for name, doc in (("a.json", shallow), ("b.json", nested)):
        done = sdkgen("inspect", "--spec", write_json(tmp_path / name, doc))
        assert done.code == 0, done.err


def test_ref_root_does_not_leak_into_other_runs(tmp_path: Path) -> None:
    """The policy is the command's: a later run without the flag refuses again."""
    spec, _ = _plant(tmp_path, "sibling")
    assert sdkgen("inspect", "--spec", spec, "--ref-root", tmp_path).code == 0
    assert refs.current() == refs.RefPolicy()
    sdkgen("inspect", "--strict", "--spec", spec).one_line_error()
    assert os.path.isdir(tmp_path / "outside")

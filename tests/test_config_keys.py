"""Unknown sdkgen.toml keys: a warning naming the key's pointer and the closest
known key; ``--strict`` refuses them and leaves the output untouched."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from generator.configkeys import API_KEYS, TABLES, unknown_keys

from .conftest import ROOT, sdkgen_process

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1.0"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""

MISSPELT = """\
[package]
name = "pets"
client_class = "PetsClient"

[webhook]
signature = "none"
"""


def _project(folder: Path, config: str) -> Path:
    folder.mkdir()
    (folder / "sdkgen.toml").write_text(config, "utf-8")
    spec = folder / "pets.yaml"
    spec.write_text(SPEC, "utf-8")
    return spec


def test_a_misspelt_key_is_named_with_the_closest_known_one(tmp_path: Path) -> None:
    spec = _project(tmp_path / "spec", MISSPELT)
    out = tmp_path / "out"
    done = sdkgen_process("generate", "--spec", str(spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    config = spec.parent / "sdkgen.toml"
    warnings = [line for line in done.stderr.splitlines() if "unknown key" in line]
    assert warnings == [
        f"sdkgen: warning: {config}#/webhook: unknown key 'webhook', ignored; did"
        " you mean 'webhooks'? (known here: apis, conventions, format, operations,"
        " package, type_names, webhooks)",
        f"sdkgen: warning: {config}#/package/client_class: unknown key"
        " 'client_class', ignored; did you mean 'client'? (known here: client,"
        " distribution, env_prefix, example, name, readme, spec, version)",
    ]
    assert (out / "pets" / "_client.py").is_file()  # the rest of the file applies


def test_strict_refuses_an_unknown_key_and_writes_nothing(tmp_path: Path) -> None:
    spec = _project(tmp_path / "spec", MISSPELT)
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("kept", "utf-8")
    done = sdkgen_process(
        "generate", "--strict", "--spec", str(spec), "--out", str(out)
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "#/webhook: unknown key" in done.stderr
    assert "ignored" not in done.stderr  # refused, not ignored
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


def test_an_api_tables_keys_are_checked_too(tmp_path: Path) -> None:
    data = {"apis": {"v1": {"spek": "v1.yaml", "webhooks": {"signatur": "none"}}}}
    found = unknown_keys(data, tmp_path / "sdkgen.toml")
    assert [(where.split("#")[1], text.split(";")[1]) for where, text in found] == [
        ("/apis/v1/spek", " did you mean 'spec'? (known here: client, operations,"
         " spec, type_names, webhooks)"),
        ("/apis/v1/webhooks/signatur", " did you mean 'signature'? (known here:"
         " callback_secret_header, signature)"),
    ]  # fmt: skip


def test_names_to_rename_are_never_unknown(tmp_path: Path) -> None:
    data = {"type_names": {"Anything": "X"}, "operations": {"any_id": "a.b"}}
    assert unknown_keys(data, tmp_path / "sdkgen.toml") == ()


def test_the_bundled_config_uses_known_keys_only() -> None:
    path = ROOT / "spec" / "sdkgen.toml"
    assert unknown_keys(tomllib.loads(path.read_text("utf-8")), path) == ()


def test_every_key_the_loader_reads_is_known() -> None:
    """Drift: a key the loader reads (``.get("key"``) but the table of known keys
    lacks would be warned about while it works."""
    known = set(TABLES) | API_KEYS
    known |= {key for keys in TABLES.values() if keys is not None for key in keys}
    sources = ("config.py", "configcheck.py", "apiconfig.py")
    reads = re.compile(r'(?:package|table|data)\.get\("([a-z_]+)"')
    read = {
        key
        for name in sources
        for key in reads.findall((ROOT / "generator" / name).read_text("utf-8"))
    }
    assert read and read <= known, sorted(read - known)


def test_inspect_warns_and_its_strict_refuses(tmp_path: Path) -> None:
    spec = _project(tmp_path / "spec", MISSPELT)
    shown = sdkgen_process("inspect", "--spec", str(spec))
    assert shown.returncode == 0 and "Operations (1)" in shown.stdout
    assert shown.stderr.count("unknown key") == 2
    refused = sdkgen_process("inspect", "--strict", "--spec", str(spec))
    assert refused.returncode == 2 and refused.stdout == ""
    assert "unknown key 'webhook'; did you mean" in refused.stderr

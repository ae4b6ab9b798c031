"""Multi-file specs: ``$ref``s to other local files are followed (bundled into
the root document); generate + import + ``mypy --strict`` + a call, and the
clear warnings/refusals for refs that cannot be followed."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from generator.errors import SpecError
from generator.parse.bundle import bundle
from generator.parse.loader import MAX_SPEC_BYTES, load_spec

from .conftest import key_for, sdkgen_process

ROOT = Path(__file__).resolve().parent.parent

ROOT_SPEC = """\
openapi: 3.1.0
info: {title: Split Pets, version: "1.0"}
servers: [{url: "https://api.example.com"}]
paths:
  /pets/{id}:
    parameters:
      - $ref: "parts/common.yaml#/components/parameters/PetId"
    get:
      operationId: getPet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "parts/pet.yaml#/components/schemas/Pet"}
  /owners:
    get:
      operationId: listOwners
      responses:
        "200": {$ref: "parts/common.yaml#/components/responses/Owners"}
components:
  schemas:
    Tag: {$ref: "parts/tag.json"}
"""

PET = """\
components:
  schemas:
    Pet:
      type: object
      required: [name, tag]
      properties:
        name: {type: string}
        tag: {$ref: "../openapi.yaml#/components/schemas/Tag"}
        owner: {$ref: "common.yaml#/components/schemas/Owner"}
"""

COMMON = """\
components:
  parameters:
    PetId: {name: id, in: path, required: true, schema: {type: string}}
  responses:
    Owners:
      description: ok
      content:
        application/json:
          schema: {type: array, items: {$ref: "#/components/schemas/Owner"}}
  schemas:
    Owner:
      type: object
      required: [name]
      properties:
        name: {type: string}
        pets:
          type: array
          items: {$ref: "pet.yaml#/components/schemas/Pet"}
"""

TAG = {
    "type": "object",
    "required": ["label"],
    "properties": {"label": {"type": "string"}},
}


def _write_split(folder: Path) -> Path:
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "pet.yaml").write_text(PET)
    (folder / "parts" / "common.yaml").write_text(COMMON)
    (folder / "parts" / "tag.json").write_text(json.dumps(TAG))
    spec = folder / "openapi.yaml"
    spec.write_text(ROOT_SPEC)
    return spec


_sdkgen = sdkgen_process


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("split")
    spec = _write_split(folder / "spec")
    done = _sdkgen("generate", "--spec", str(spec), "--out", str(folder / "out"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    sys.path.insert(0, str(folder / "out"))
    yield folder
    sys.path.remove(str(folder / "out"))


def test_refs_across_files_become_one_document(tmp_path: Path) -> None:
    spec = _write_split(tmp_path)
    raw = load_spec(str(spec)).raw
    schemas = raw["components"]["schemas"]
    assert schemas["Tag"] == TAG  # a whole file, inlined where it is referred to
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}
    # Mutual references between two other files end as local refs both ways.
    assert schemas["Pet"]["properties"]["owner"] == {
        "$ref": "#/components/schemas/Owner"
    }
    assert schemas["Owner"]["properties"]["pets"]["items"] == {
        "$ref": "#/components/schemas/Pet"
    }
    assert raw["components"]["parameters"]["PetId"]["in"] == "path"
    assert (
        (raw["paths"]["/owners"]["get"]["responses"]["200"]["$ref"])
        == "#/components/responses/Owners"
    )


def test_split_spec_generates_a_working_typed_sdk(split: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "-p",
            "split_pets_client",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(split / "out")},
        cwd=split,
    )
    assert done.returncode == 0, done.stdout
    pkg = importlib.import_module("split_pets_client")

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/pets/p1"
        body = {"name": "Rex", "tag": {"label": "dog"}, "owner": {"name": "Ann"}}
        return httpx.Response(200, json=body)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    cls = pkg.SplitPetsClient
    client = cls(**key_for(cls, "K"), http_client=http, max_retries=0)
    pet = client.pets.retrieve("p1")
    assert type(pet).__name__ == "Pet"
    assert pet.tag.label == "dog" and pet.owner.name == "Ann"


def test_a_cycle_of_whole_file_refs_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text('allOf: [{$ref: "b.yaml"}]\n')
    (tmp_path / "b.yaml").write_text('items: {$ref: "a.yaml"}\n')
    doc = {"openapi": "3.1.0", "components": {"schemas": {"A": {"$ref": "a.yaml"}}}}
    with pytest.raises(
        SpecError, match=r"cycle across files: a\.yaml# -> b\.yaml# -> a\.yaml#"
    ):
        bundle(doc, str(tmp_path / "root.json"), MAX_SPEC_BYTES)


def test_unfollowable_refs_warn_or_are_refused(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    body = {"$ref": "missing.yaml#/components/schemas/Gone"}
    url = {"$ref": "https://example.com/x.yaml#/X"}
    ok = {"description": "ok", "content": {"application/json": {"schema": url}}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Broken Refs", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "a", "responses": {"200": ok}}},
            "/b": {
                "get": {
                    "operationId": "b",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": body}},
                        }
                    },
                }
            },
        },
    }
    spec.write_text(json.dumps(doc))
    done = _sdkgen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    missing = "#/paths/~1b/get/responses/200/content/application~1json/schema"
    assert any(
        f"{missing}: cannot follow" in line and "missing.yaml" in line for line in lines
    )
    assert any(
        "https://example.com/x.yaml" in line and "not local" in line for line in lines
    )
    strict = _sdkgen(
        "generate", "--strict", "--spec", str(spec), "--out", str(tmp_path / "o2")
    )
    assert strict.returncode == 2
    assert "Traceback" not in strict.stderr
    assert len(strict.stderr.strip().splitlines()) == 1


def test_referenced_files_share_the_loaders_size_bound(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(json.dumps({"description": "x" * 500}))
    doc = {"openapi": "3.1.0", "components": {"schemas": {"B": {"$ref": "big.json"}}}}
    with pytest.raises(SpecError, match="larger than 100 bytes") as found:
        bundle(doc, str(tmp_path / "root.json"), 100)
    assert found.value.where == "#/components/schemas/B"
    assert bundle(doc, str(tmp_path / "root.json"), 1000)["components"]["schemas"][
        "B"
    ] == {"description": "x" * 500}

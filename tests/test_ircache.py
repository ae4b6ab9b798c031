"""``sdkgen diff`` keeps normalised specs in the user cache (generator/ircache.py):
a second run gives the same report, warnings and exit code from the cache; a
corrupt entry or a spec that does not validate falls back to the full path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "meeting-baas-v2.yaml"


def diff(old: Path, new: Path, cache: Path, **env: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "diff", str(old), str(new)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "XDG_CACHE_HOME": str(cache),
            **env,
        },
    )
    return done.returncode, done.stdout, done.stderr


def entries(cache: Path) -> list[Path]:
    folder = cache / "meetingbaas-sdkgen" / "ir"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def changed_spec(tmp_path: Path) -> Path:
    """The bundled spec without one of its operations: a breaking change."""
    doc = yaml.safe_load(SPEC.read_text("utf-8"))
    path = next(iter(doc["paths"]))
    del doc["paths"][path]
    new = tmp_path / "new.json"
    new.write_text(json.dumps(doc))
    return new


def test_second_diff_is_answered_from_the_cache_with_the_same_result(
    tmp_path: Path,
) -> None:
    new, cache = changed_spec(tmp_path), tmp_path / "cache"
    first = diff(SPEC, new, cache)
    assert first[0] == 1 and "removed" in first[1]
    assert len(entries(cache)) == 2
    stamps = [p.stat().st_mtime_ns for p in entries(cache)]
    assert diff(SPEC, new, cache) == first
    assert [p.stat().st_mtime_ns for p in entries(cache)] == stamps  # only read


def test_corrupt_entries_fall_back_silently(tmp_path: Path) -> None:
    new, cache = changed_spec(tmp_path), tmp_path / "cache"
    first = diff(SPEC, new, cache)
    for entry in entries(cache):
        entry.write_bytes(b"not a pickle")
    assert diff(SPEC, new, cache) == first


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    new, cache = changed_spec(tmp_path), tmp_path / "cache"
    assert diff(SPEC, new, cache, SDKGEN_NO_CACHE="1")[0] == 1
    assert entries(cache) == []


def test_a_spec_that_does_not_validate_is_never_cached(tmp_path: Path) -> None:
    doc = yaml.safe_load(SPEC.read_text("utf-8"))
    doc["info"] = {"title": 5}  # openapi-pydantic refuses it
    bad, cache = tmp_path / "bad.json", tmp_path / "cache"
    bad.write_text(json.dumps(doc))
    first = diff(SPEC, bad, cache)
    assert first[0] == 2 and first[2].count("\n") == 1
    assert diff(SPEC, bad, cache) == first


def test_a_change_to_a_referenced_file_alone_is_not_served_stale(
    tmp_path: Path,
) -> None:
    def write(folder: Path, extra: bool) -> Path:
        folder.mkdir(exist_ok=True)
        props = {"name": {"type": "string"}}
        if extra:
            props["age"] = {"type": "integer"}
        pet = {
            "components": {"schemas": {"Pet": {"type": "object", "properties": props}}}
        }
        (folder / "pet.json").write_text(json.dumps(pet))
        ok = {
            "description": "ok",
            "content": {
                "application/json": {
                    "schema": {"$ref": "pet.json#/components/schemas/Pet"}
                }
            },
        }
        doc = {
            "openapi": "3.1.0",
            "info": {"title": "Pets", "version": "1"},
            "paths": {
                "/pet": {"get": {"operationId": "getPet", "responses": {"200": ok}}}
            },
        }
        (folder / "openapi.json").write_text(json.dumps(doc))
        return folder / "openapi.json"

    cache = tmp_path / "cache"
    old = write(tmp_path / "old", extra=False)
    new = write(tmp_path / "new", extra=False)
    assert diff(old, new, cache)[0] == 0
    write(tmp_path / "new", extra=True)  # only the referenced file changes
    code, out, _ = diff(old, new, cache)
    assert code == 0 and "age" in out  # an added response field: info

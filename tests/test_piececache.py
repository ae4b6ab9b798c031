"""The per-piece render cache (generator/emit/piececache.py): the used names of
top-level pieces kept between runs; a miss or a bad entry only costs time,
never changes a byte."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from generator.config import load_config
from generator.emit import render as render_module
from generator.emit import usednames
from generator.parse.normalise import normalise
from generator.parse.problems import Problems, load_lenient
from tests.conftest import json_op, make_spec


def _doc(extra_field: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {"id": {"type": "string"}, "n": {"type": "integer"}}
    if extra_field:
        props["added"] = {"type": "string"}
    schemas = {
        f"Thing{i}": {"type": "object", "required": ["id"], "properties": props}
        if i == 0
        else {
            "type": "object",
            "properties": {"id": {"type": "string"}, f"f{i}": {"type": "number"}},
        }
        for i in range(6)
    }
    paths = {
        f"/t{i}": {
            "get": json_op({"$ref": f"#/components/schemas/Thing{i}"}, op_id=f"t{i}")
        }
        for i in range(6)
    }
    return make_spec(schemas, paths, servers=[{"url": "https://api.example.com"}])


def _render(tmp_path: Path, doc: dict[str, Any]) -> dict[str, str]:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc))
    problems = Problems()
    loaded = load_lenient(str(spec), problems)
    assert loaded is not None
    config = load_config(tmp_path / "sdkgen.toml")
    return render_module.render(normalise(loaded, config, problems), config, "0")


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A cache of the test's own; counts the name scans done."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    seen: dict[str, list[str]] = {"names": []}
    real_names = usednames._names

    def names(source: str, filename: str) -> tuple[set[str], set[str]]:
        seen["names"].append(source)
        return real_names(source, filename)

    monkeypatch.setattr(usednames, "_names", names)
    return seen


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "meetingbaas-sdkgen" / "pieces").iterdir())


def _uncached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc: dict[str, Any]
) -> dict[str, str]:
    with monkeypatch.context() as m:
        m.setenv("SDKGEN_NO_CACHE", "1")
        return _render(tmp_path, doc)


def test_a_second_run_reuses_every_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    first = _render(tmp_path, _doc())
    assert calls["names"]
    for seen in calls.values():
        seen.clear()
    assert _render(tmp_path, _doc()) == first
    assert calls == {"names": []}
    assert first == _uncached(tmp_path, monkeypatch, _doc())


def test_one_field_changed_redoes_only_its_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    _render(tmp_path, _doc())
    pieces = len(calls["names"])
    for seen in calls.values():
        seen.clear()
    changed = _render(tmp_path, _doc(extra_field=True))
    assert 0 < len(calls["names"]) < pieces / 2
    assert all("added" in p for p in calls["names"])
    assert changed == _uncached(tmp_path, monkeypatch, _doc(extra_field=True))


@pytest.mark.parametrize(
    "garbage",
    ["{", "[]", '{"x": 1}', "\x00"],
    ids=["truncated", "list", "other", "binary"],
)
def test_a_corrupt_entry_is_a_miss_and_is_written_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    calls: dict[str, list[str]],
    garbage: str,
) -> None:
    first = _render(tmp_path, _doc())
    for entry in _entries(tmp_path):
        entry.write_text(garbage)
    calls["names"].clear()
    assert _render(tmp_path, _doc()) == first
    assert calls["names"]
    for entry in _entries(tmp_path):
        json.loads(entry.read_text())  # written whole again


def test_bad_entries_are_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    first = _render(tmp_path, _doc())
    for path in _entries(tmp_path):
        data = json.loads(path.read_text())
        path.write_text(json.dumps({key: [["x"], "y"] for key in data}))
    for seen in calls.values():
        seen.clear()
    assert _render(tmp_path, _doc()) == first
    assert calls["names"]


def test_another_generator_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    first = _render(tmp_path, _doc())
    monkeypatch.setattr("generator.usercache.code_stamp", lambda: "another sdkgen")
    for seen in calls.values():
        seen.clear()
    assert _render(tmp_path, _doc()) == first
    assert calls["names"]


def test_one_entry_per_module_and_an_unchanged_run_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    files = _render(tmp_path, _doc())
    entries = _entries(tmp_path)
    modules = [p for p in files if p.endswith(".py")]
    assert 1 < len(entries) <= len(modules)
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    for path in entries:
        os.utime(path, ns=(1, 1))
    _render(tmp_path, _doc())
    assert {p: p.stat().st_mtime_ns for p in _entries(tmp_path)} == dict.fromkeys(
        stamps, 1
    )
    # One field more: only the entries of the modules that hold it change.
    _render(tmp_path, _doc(extra_field=True))
    rewritten = [p for p in _entries(tmp_path) if p.stat().st_mtime_ns != 1]
    assert 0 < len(rewritten) < len(entries)

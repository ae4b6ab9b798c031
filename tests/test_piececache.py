"""The per-piece render cache (generator/emit/piececache.py): the used names of
top-level pieces kept between runs; a miss or a bad entry only costs time,
never changes a byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.config import load_config
from generator.emit import piececache
from generator.emit import render as render_module
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
    real_names = render_module._names

    def names(source: str, filename: str) -> tuple[set[str], set[str]]:
        seen["names"].append(source)
        return real_names(source, filename)

    monkeypatch.setattr(render_module, "_names", names)
    return seen


def _cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "meetingbaas-sdkgen" / "pieces.json"


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
    ["{", "[]", '{"format": 1}', "\x00"],
    ids=["truncated", "list", "no-stamp", "binary"],
)
def test_a_corrupt_cache_file_is_an_empty_cache(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    calls: dict[str, list[str]],
    garbage: str,
) -> None:
    first = _render(tmp_path, _doc())
    _cache_file(tmp_path).write_text(garbage)
    assert _render(tmp_path, _doc()) == first
    json.loads(_cache_file(tmp_path).read_text())  # written whole again


def test_bad_entries_are_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    first = _render(tmp_path, _doc())
    path = _cache_file(tmp_path)
    data = json.loads(path.read_text())
    data["names"] = {key: [["x"], "y"] for key in data["names"]}
    path.write_text(json.dumps(data))
    for seen in calls.values():
        seen.clear()
    assert _render(tmp_path, _doc()) == first
    assert calls["names"]


def test_another_generator_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[str]]
) -> None:
    first = _render(tmp_path, _doc())
    monkeypatch.setattr("generator.warm.code_stamp", lambda: "another sdkgen")
    for seen in calls.values():
        seen.clear()
    assert _render(tmp_path, _doc()) == first
    assert calls["names"]


def test_the_cache_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "pieces.json"
    old = piececache.PieceCache(path, "s")
    for i in range(10):
        old.put("names", f"old {i}", f"laid {i}")
    old.save()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(piececache, "MAX_ENTRIES", 4)
        new = piececache.PieceCache(path, "s")
        new.put("names", "new", "laid new")
        assert new.get("names", "old 3") == "laid 3"
        new.save()
    kept = json.loads(path.read_text())["names"]
    assert len(kept) == 4
    again = piececache.PieceCache(path, "s")
    assert again.get("names", "new") == "laid new"
    assert again.get("names", "old 3") == "laid 3"  # used by the latest run

"""generate validates the spec with openapi-pydantic in a forked child while it
normalises and renders (generator/parse/problems.py ``Validation``); whatever the
child says, the result is the one the in-process way gives."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from generator import cli
from generator.parse import problems
from tests.conftest import json_op, make_spec


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new sdkgen process on an idle machine: openapi-pydantic not
    imported yet (here another test may have imported it), a core free, no
    other thread (here one another test left may still be ending)."""
    monkeypatch.setattr(problems, "model_imported", lambda: False)
    monkeypatch.setattr(problems, "core_free", lambda: True)
    monkeypatch.setattr(problems.threading, "active_count", lambda: 1)


def _spec(tmp_path: Path, schemas: dict[str, Any], paths: dict[str, Any]) -> Path:
    doc = make_spec(schemas, paths, servers=[{"url": "https://api.example.com"}])
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps(doc))
    return spec


def _files(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _generate(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spec: Path,
    name: str,
    *extra: str,
) -> tuple[int, str, dict[str, str]]:
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    out = tmp_path / name
    code = cli.main(["generate", "--spec", str(spec), "--out", str(out), *extra])
    err = capsys.readouterr().err
    return code, err, _files(out) if out.is_dir() else {}


OK = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}},
}
# openapi-pydantic refuses these: a schema whose type is a number, and an
# operation whose parameter has no "in".
BAD_SCHEMA = {"type": 5}
BAD_PARAM = {"name": "q", "schema": {"type": "string"}}


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "in-process"])
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_an_invalid_document_gives_what_the_in_process_way_gives(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fork: bool,
    strict: bool,
) -> None:
    spec = _spec(
        tmp_path,
        {"Ok": OK, "Bad": BAD_SCHEMA},
        {
            "/ok": {"get": json_op({"$ref": "#/components/schemas/Ok"})},
            "/bad": {
                "get": json_op(
                    {"$ref": "#/components/schemas/Ok"},
                    params=[BAD_PARAM],
                    op_id="badThing",
                )
            },
        },
    )
    extra = ("--strict",) if strict else ()
    if not fork:
        monkeypatch.setattr(problems.os, "fork", _no_fork)
    code, err, files = _generate(tmp_path, monkeypatch, capsys, spec, "o", *extra)
    if strict:
        assert code == 2 and files == {}
        assert err.startswith("sdkgen: error: ") and err.count("\n") == 1
        return
    assert code == 0
    assert "sdkgen: warning: #/components/schemas/Bad" in err
    assert "the schema is treated as any value" in err
    assert "#/paths/~1bad/get: operation skipped: not valid OpenAPI" in err
    types = "".join(v for k, v in files.items() if "/types/" in k)
    assert "class Ok(" in types
    assert not any("bad_thing" in v for v in files.values())


def test_forked_and_in_process_runs_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for schemas in ({"Ok": OK}, {"Ok": OK, "Bad": BAD_SCHEMA}):
        spec = _spec(
            tmp_path,
            schemas,
            {"/ok": {"get": json_op({"$ref": "#/components/schemas/Ok"})}},
        )
        forked = _generate(tmp_path, monkeypatch, capsys, spec, f"f{len(schemas)}")
        with monkeypatch.context() as m:
            m.setattr(problems.os, "fork", _no_fork)
            alone = _generate(tmp_path, monkeypatch, capsys, spec, f"a{len(schemas)}")
        assert forked[0] == alone[0] == 0
        assert forked[1] == alone[1]
        assert forked[2] == alone[2]


def _validation(tmp_path: Path, doc: dict[str, Any]) -> problems.Validation:
    spec = tmp_path / "v.json"
    data = json.dumps(doc).encode()
    spec.write_bytes(data)
    return problems.Validation(str(spec), data, 1 << 20)


def test_the_child_says_valid_only_for_a_valid_document(tmp_path: Path) -> None:
    check = _validation(tmp_path, make_spec({"Ok": OK}))
    assert check.forked
    assert check.valid(()) is True
    assert _validation(tmp_path, make_spec({"Bad": BAD_SCHEMA})).valid(()) is False
    check = _validation(tmp_path, make_spec({"Ok": OK}))
    check.stop()  # a run that ended early leaves no child behind
    assert check.pid is None and check.valid(()) is False


def test_a_verdict_on_other_referenced_files_is_not_taken(tmp_path: Path) -> None:
    """The child read the files its refs name itself: if they are not the ones
    this process read (changed in between), its verdict is not used."""
    (tmp_path / "pet.json").write_text(json.dumps({"Pet": OK}))
    doc = make_spec(
        paths={"/p": {"get": json_op({"$ref": "pet.json#/Pet"})}},
        servers=[{"url": "https://api.example.com"}],
    )
    pet = str(tmp_path / "pet.json")
    digest = hashlib.sha256((tmp_path / "pet.json").read_bytes()).hexdigest()
    assert _validation(tmp_path, doc).valid(((pet, digest),)) is True
    assert _validation(tmp_path, doc).valid(((pet, "0" * 64),)) is False
    assert _validation(tmp_path, doc).valid(()) is False


def test_no_child_where_validating_here_is_cheap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problems, "model_imported", lambda: True)
    check = _validation(tmp_path, make_spec({"Ok": OK}))
    assert not check.forked and check.valid(()) is False


def _no_fork() -> int:
    raise OSError("no fork here")


def test_no_child_when_no_core_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problems, "core_free", lambda: False)
    assert not _validation(tmp_path, make_spec({"Ok": OK})).forked


@pytest.mark.parametrize(
    ("loadavg", "free"),
    [
        ("0.50 0.40 0.30 1/90 4242\n", True),  # only this process runs
        ("1.90 1.80 1.70 2/95 4242\n", False),  # one other: both cores busy
        ("not a loadavg", True),  # unreadable: the 1-minute average (0.2)
    ],
)
def test_a_core_is_free_only_when_fewer_run_than_there_are_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loadavg: str, free: bool
) -> None:
    (tmp_path / "loadavg").write_text(loadavg)
    monkeypatch.undo()  # the real core_free, not the fixture's
    monkeypatch.setattr(problems, "LOADAVG", str(tmp_path / "loadavg"))
    monkeypatch.setattr(problems.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(problems.os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert problems.core_free() is free

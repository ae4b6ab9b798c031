"""The warm path of ``generate`` (generator/warm.py): a run whose inputs, code and
output are as the last run left them is answered from its record; anything else
runs in full and behaves exactly as without the record."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import cli, usercache, warm
from tests.conftest import json_op, make_spec

Run = Callable[..., tuple[int, str, str]]

PET = {
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
            }
        }
    }
}


@pytest.fixture
def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Run, list[int]]:
    """``run(*args)`` -> (exit code, stdout, stderr), in-process, with a cache of
    its own; the list counts the full runs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    full: list[int] = []
    real = cli._generate

    def counting(args: Any) -> Any:
        full.append(1)
        return real(args)

    monkeypatch.setattr(cli, "_generate", counting)

    def go(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return go, full


def _split_spec(folder: Path) -> Path:
    """A spec whose one schema lives in another file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pet.json").write_text(json.dumps(PET))
    doc = make_spec(
        paths={"/pet": {"get": json_op({"$ref": "pet.json#/components/schemas/Pet"})}},
        servers=[{"url": "https://api.example.com"}],
    )
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(doc))
    return spec


@pytest.fixture
def split(tmp_path: Path) -> tuple[Path, Path]:
    return _split_spec(tmp_path / "spec"), tmp_path / "out"


def test_an_unchanged_run_is_answered_from_the_record(
    run: tuple[Run, list[int]], split: tuple[Path, Path]
) -> None:
    go, full = run
    spec, out = split
    first = go("generate", "--spec", str(spec), "--out", str(out))
    assert first[0] == 0 and len(full) == 1
    files = len(json.loads((out / ".sdkgen-manifest.json").read_text())["files"])
    again = go("generate", "--spec", str(spec), "--out", str(out))
    assert again == (0, f"{out}: 0 written, {files + 1} unchanged, 0 removed\n", "")
    check = go("generate", "--spec", str(spec), "--out", str(out), "--check")
    assert check == (0, f"{out}: up to date ({files + 1} files)\n", "")
    assert len(full) == 1


def test_a_change_to_a_referenced_file_alone_is_noticed(
    run: tuple[Run, list[int]], split: tuple[Path, Path]
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    pet = spec.parent / "pet.json"
    changed = json.loads(pet.read_text())
    changed["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}
    pet.write_text(json.dumps(changed))
    code, stdout, _ = go("generate", "--spec", str(spec), "--out", str(out), "--check")
    assert code == 1 and "differs:" in stdout and "/types/" in stdout
    code, stdout, _ = go("generate", "--spec", str(spec), "--out", str(out))
    assert code == 0 and " 0 written" not in stdout
    types = "".join(p.read_text() for p in out.rglob("types/*.py"))
    assert "age: int | None" in types
    assert len(full) == 3


@pytest.mark.parametrize("name", ["sdkgen.toml", "sdkgen.lock"])
def test_a_new_config_or_lock_beside_the_spec_is_noticed(
    run: tuple[Run, list[int]], split: tuple[Path, Path], name: str
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    text = '[package]\nname = "pets"\n' if name == "sdkgen.toml" else "{}"
    (spec.parent / name).write_text(text)
    code, _, err = go("generate", "--spec", str(spec), "--out", str(out))
    assert len(full) == 2
    if name == "sdkgen.toml":
        assert code == 0 and (out / "pets").is_dir()
    else:  # an invalid lock: the full run refuses it, as it always did
        assert code == 2 and "sdkgen.lock" in err


def test_a_generator_code_change_is_never_served_stale(
    run: tuple[Run, list[int]],
    split: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    monkeypatch.setattr(usercache, "code_stamp", lambda: "another generator")
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    assert len(full) == 2


def test_the_code_stamp_follows_file_contents(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "a.py.j2").write_text("{{ x }}\n")
    (tmp_path / "pkg" / "b.py").write_text("B = 1\n")
    roots = [tmp_path / "pkg"]
    before = usercache.tree_stamp(roots)
    assert usercache.tree_stamp(roots) == before
    (tmp_path / "pkg" / "sub" / "a.py.j2").write_text("{{ y }}\n")
    assert usercache.tree_stamp(roots) != before
    (tmp_path / "pkg" / "sub" / "a.py.j2").write_text("{{ x }}\n")
    assert usercache.tree_stamp(roots) == before
    (tmp_path / "pkg" / "c.py").write_text("")
    assert usercache.tree_stamp(roots) != before


def test_the_real_code_stamp_covers_the_templates() -> None:
    stamp = usercache.code_stamp()
    roots = [Path(warm.__file__).resolve().parent]
    assert usercache.tree_stamp(roots) != stamp  # the templates are part of it


def test_an_edited_owned_file_behaves_as_without_the_record(
    run: tuple[Run, list[int]], split: tuple[Path, Path]
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    models = next(out.rglob("types/models.py"))
    original = models.read_text()
    models.write_text(original + "# mine\n")
    code, stdout, _ = go("generate", "--spec", str(spec), "--out", str(out), "--check")
    assert code == 1 and "models.py" in stdout
    code, _, err = go("generate", "--spec", str(spec), "--out", str(out))
    assert code == 2 and "edited since sdkgen wrote it" in err
    assert go("generate", "--spec", str(spec), "--out", str(out), "--force")[0] == 0
    assert models.read_text() == original
    models.unlink()  # a deleted owned file is written again
    code, stdout, _ = go("generate", "--spec", str(spec), "--out", str(out))
    assert code == 0 and stdout.startswith(f"{out}: 1 written")
    assert len(full) == 5


def test_a_corrupt_record_is_a_miss_and_is_replaced(
    run: tuple[Run, list[int]], split: tuple[Path, Path], tmp_path: Path
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    (record,) = (tmp_path / "cache" / "meetingbaas-sdkgen" / "warm").glob("*.json")
    for garbage in ('{"key": ', "[]", '{"key": 1}', "\x00\xff"):
        record.write_text(garbage)
        code, stdout, _ = go("generate", "--spec", str(spec), "--out", str(out))
        assert code == 0 and stdout.endswith("unchanged, 0 removed\n")
    assert len(full) == 5
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    assert len(full) == 5  # the last full run wrote a good record again


def test_a_foreign_manifest_falls_back_to_the_full_run(
    run: tuple[Run, list[int]], split: tuple[Path, Path]
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    (out / ".sdkgen-manifest.json").write_text('{"files": []}')
    code, _, err = go("generate", "--spec", str(spec), "--out", str(out))
    assert code == 2 and "not a valid sdkgen manifest" in err
    assert len(full) == 2


def test_warnings_are_replayed_and_strict_still_refuses(
    run: tuple[Run, list[int]], tmp_path: Path
) -> None:
    go, full = run
    doc = make_spec(
        paths={"/a": {"get": json_op({"$ref": "#/components/schemas/Missing"})}},
        servers=[{"url": "https://api.example.com"}],
    )
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(doc))
    out = tmp_path / "out"
    first = go("generate", "--spec", str(spec), "--out", str(out))
    assert first[0] == 0 and "sdkgen: warning: " in first[2]
    again = go("generate", "--spec", str(spec), "--out", str(out))
    assert again[0] == 0 and again[2] == first[2]
    assert len(full) == 1
    strict = go("generate", "--spec", str(spec), "--out", str(out), "--strict")
    assert strict[0] == 2 and strict[2].startswith("sdkgen: error: ")
    assert len(full) == 2


def test_update_lock_always_runs_in_full(
    run: tuple[Run, list[int]], split: tuple[Path, Path]
) -> None:
    go, full = run
    spec, out = split
    (spec.parent / "sdkgen.toml").write_text('[package]\nname = "pets"\n')
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    code, stdout, _ = go(
        "generate", "--spec", str(spec), "--out", str(out), "--update-lock"
    )
    assert code == 0 and "sdkgen.lock: updated" in stdout
    assert (spec.parent / "sdkgen.lock").is_file()
    assert len(full) == 2
    # The lock it wrote is an input: the next run reads it in full, once.
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    assert len(full) == 3


def test_no_cache_turns_it_off(
    run: tuple[Run, list[int]],
    split: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    go, full = run
    spec, out = split
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    for _ in range(2):
        assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    assert len(full) == 2


def test_records_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record folder is pruned to its size budget, oldest first, by the
    first write of each run."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "meetingbaas-sdkgen" / "warm"
    for n in range(5):
        monkeypatch.setattr(warm, "RECORDS", usercache.Store("warm", 300))
        out = tmp_path / f"out{n}"
        out.mkdir()
        (out / ".sdkgen-manifest.json").write_text("{}")
        warm.remember(f"k{n}", out, {}, [])
        os.utime(warm.RECORDS.path(warm._record_key(out)), ns=(n, n))  # type: ignore[arg-type]
    sizes = [p.stat().st_size for p in folder.iterdir()]
    assert sum(sizes[:-1]) <= 300 < sum(sizes) + sizes[0] * 2
    assert len(sizes) < 5
    newest = warm.RECORDS.path(warm._record_key(tmp_path / "out4"))
    assert newest is not None and newest.exists()


@pytest.mark.parametrize("leftover", [".sdkgen-stage", ".sdkgen-journal.json.tmp"])
def test_an_interrupted_runs_leftovers_send_the_run_in_full(
    run: tuple[Run, list[int]], split: tuple[Path, Path], leftover: str
) -> None:
    go, full = run
    spec, out = split
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    if leftover.endswith(".tmp"):
        (out / leftover).write_text("{")
    else:
        (out / leftover).mkdir()
    assert go("generate", "--spec", str(spec), "--out", str(out))[0] == 0
    assert len(full) == 2
    assert not (out / leftover).exists()  # the full run cleaned it up


def test_a_hit_imports_none_of_the_pipeline(
    split: tuple[Path, Path], tmp_path: Path
) -> None:
    """The point of the record: a no-change run loads no spec, no pydantic, no
    Jinja (checked in a fresh interpreter, as the command runs)."""
    import os
    import subprocess
    import sys

    spec, out = split
    heavy = ["pydantic", "jinja2", "yaml", "generator.parse.normalise"]
    argv = ["generate", "--spec", str(spec), "--out", str(out)]
    code = (
        "import sys, contextlib, io\n"
        "from generator.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "XDG_CACHE_HOME": str(tmp_path / "c")}
    env.pop("SDKGEN_NO_CACHE", None)

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert loaded() != "[]"  # the full run
    assert loaded() == "[]"  # the hit

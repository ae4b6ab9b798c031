"""The formatter (generator/emit/formatting.py): ruff by default, black when
``[format] tool = "black"`` says so; ``generate --check`` holds the output to
whichever tool the config names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.emit import formatting

from .conftest import GENERATED, ROOT

SPEC_DIR = ROOT / "spec"

# A def whose long annotated parameter black and ruff lay out differently.
LONG = (
    "def f(*, aaaaaaaaaaaaaaaaaaaaaaaaaa: int, bbbbbbbbbbbbbbbbbb: "
    "Aaaaaaaaaaa | Bbbbbbbbbbbbbb | None | Cccccccccccccccccc = NOT_GIVEN) -> None:\n"
    "    pass\n"
)


def sdkgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SDKGEN_NO_CACHE": "1"},
        check=False,
    )


def _spec_with(tmp_path: Path, toml_extra: str) -> Path:
    """The bundled spec beside a copy of its config plus ``toml_extra``."""
    folder = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, folder)  # every API the config names comes along
    config = (SPEC_DIR / "sdkgen.toml").read_text("utf-8") + "\n" + toml_extra
    (folder / "sdkgen.toml").write_text(config)
    return folder / "meeting-baas-v2.yaml"


def _ruff_check(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            "--check",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _black_check(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "black",
            "--check",
            "-q",
            "-t",
            "py311",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_tools_lay_out_alike_only_where_they_agree() -> None:
    ruff = formatting.format_modules({"a.py": LONG})["a.py"]
    black = formatting.format_modules({"a.py": LONG}, "black")["a.py"]
    assert ruff != black
    assert "bbbbbbbbbbbbbbbbbb: Aaaaaaaaaaa\n" in ruff
    assert "bbbbbbbbbbbbbbbbbb: (\n" in black
    # Each is stable under its own tool.
    assert formatting.format_modules({"a.py": ruff}) == {"a.py": ruff}
    assert formatting.format_modules({"a.py": black}, "black") == {"a.py": black}


def test_ruff_ignores_a_config_file_near_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scratch folder's parents may hold a pyproject.toml or ruff.toml; a
    line length of 40 there must not change the bytes."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    (tmp_path / "ruff.toml").write_text("line-length = 40\n")
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(formatting, "_memory", lambda: None)  # under tmp_path
    text = "x = call(argument_one, argument_two, argument_three)\n"
    assert formatting.format_modules({"a.py": text}) == {"a.py": text}


def test_invalid_python_is_a_format_error() -> None:
    for tool in formatting.FORMATTERS:
        with pytest.raises(formatting.FormatError):
            formatting.format_modules({"a.py": "def (:\n"}, tool)


def test_the_committed_sdk_is_ruff_stable() -> None:
    done = _ruff_check(sorted((GENERATED / "meetingbaas").rglob("*.py")))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_black_is_selectable_and_check_uses_the_configured_tool(
    tmp_path: Path,
) -> None:
    black_spec = _spec_with(tmp_path / "b", '[format]\ntool = "black"\n')
    ruff_spec = _spec_with(tmp_path / "r", '[format]\ntool = "ruff"\n')
    out = tmp_path / "out"
    done = sdkgen("generate", "--spec", str(black_spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    python = sorted(out.rglob("*.py"))
    assert _black_check(python).returncode == 0
    assert (
        sdkgen(
            "generate", "--check", "--spec", str(black_spec), "--out", str(out)
        ).returncode
        == 0
    )
    # The same output, checked against the ruff config, differs.
    checked = sdkgen("generate", "--check", "--spec", str(ruff_spec), "--out", str(out))
    assert checked.returncode == 1
    assert "differs: " in checked.stdout and "resources/bots.py" in checked.stdout
    # And the other way round.
    done = sdkgen("generate", "--spec", str(ruff_spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert _ruff_check(python).returncode == 0
    assert (
        sdkgen(
            "generate", "--check", "--spec", str(ruff_spec), "--out", str(out)
        ).returncode
        == 0
    )
    assert (
        sdkgen(
            "generate", "--check", "--spec", str(black_spec), "--out", str(out)
        ).returncode
        == 1
    )


@pytest.mark.parametrize(
    ("toml", "shown"),
    [
        ('[format]\ntool = "yapf"\n', "'yapf'"),
        ("[format]\ntool = 3\n", "3"),
        ('format = "ruff"\n', "[format] must be a table"),
    ],
    ids=["unknown", "not-a-string", "not-a-table"],
)
def test_an_unknown_formatter_is_refused_naming_the_key(
    tmp_path: Path, toml: str, shown: str
) -> None:
    spec = _spec_with(tmp_path, "")
    config = spec.parent / "sdkgen.toml"
    config.write_text(toml + config.read_text("utf-8"))
    out = tmp_path / "out"
    done = sdkgen("generate", "--spec", str(spec), "--out", str(out))
    assert done.returncode == 2
    assert "[format]" in done.stderr and shown in done.stderr
    assert "sdkgen.toml" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()

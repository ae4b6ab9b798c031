"""``[package] spec``: the spec generate, diff and release read when given none,
any name, relative to sdkgen.toml's folder and never outside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PETS = """\
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
OWNERS = """\
  /owners:
    get:
      operationId: listOwners
      responses:
        "204": {description: none}
"""
CONFIG = '[package]\nname = "pets"\nversion = "0.1.0"\nspec = "api/pets.yaml"\n'


def sdkgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``sdkgen ARGS`` run in ``cwd``, on this checkout's generator."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def _repo(root: Path, config: str = CONFIG) -> Path:
    (root / "spec" / "api").mkdir(parents=True)
    (root / "spec" / "api" / "pets.yaml").write_text(PETS, "utf-8")
    (root / "spec" / "sdkgen.toml").write_text(config, "utf-8")
    return root


def test_generate_and_check_read_the_configured_spec(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    done = sdkgen(repo, "generate")
    assert done.returncode == 0, done.stderr
    client = (repo / "generated" / "pets" / "_client.py").read_text("utf-8")
    assert "class PetsClient" in client  # not the bundled Meeting BaaS SDK
    assert not (repo / "generated" / "meetingbaas").exists()
    assert sdkgen(repo, "generate", "--check").returncode == 0
    (repo / "spec" / "api" / "pets.yaml").write_text(PETS + OWNERS, "utf-8")
    stale = sdkgen(repo, "generate", "--check")
    assert stale.returncode == 1 and "differs:" in stale.stdout


def test_diff_compares_with_the_configured_spec(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "old.yaml").write_text(PETS.replace("/pets:", "/dogs:"), "utf-8")
    done = sdkgen(repo, "diff", "old.yaml", "--format", "json")
    assert done.returncode == 1, done.stderr  # /dogs removed: breaking
    assert "spec/api/pets.yaml" in done.stdout
    assert "listPets: /dogs -> /pets" in done.stdout


def test_release_moves_a_spec_of_any_name(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert sdkgen(repo, "generate").returncode == 0
    new = repo / "new.yaml"
    new.write_text(PETS + OWNERS, "utf-8")
    done = sdkgen(repo, "release", "--spec", "new.yaml", "--date", "2026-01-02")
    assert done.returncode == 0, done.stderr
    assert "did write spec/api/pets.yaml" in done.stdout
    assert (repo / "spec" / "api" / "pets.yaml").read_text("utf-8") == PETS + OWNERS
    assert 'version = "0.2.0"' in (repo / "spec" / "sdkgen.toml").read_text("utf-8")
    assert sorted(p.name for p in (repo / "spec").iterdir()) == [
        "api",
        "sdkgen.lock",
        "sdkgen.toml",
    ]
    owners = repo / "generated" / "pets" / "resources" / "owners.py"
    assert owners.is_file()
    assert sdkgen(repo, "generate", "--check").returncode == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"../pets.yaml"', "no absolute path, no .."),
        ('"api/../../pets.yaml"', "no absolute path, no .."),
        ('"/etc/passwd"', "no absolute path, no .."),
        ("3", "relative to the config's folder"),
        ('""', "relative to the config's folder"),
        ('"out/pets.yaml"', "a symlink leads out"),
    ],
)
def test_a_spec_outside_the_config_folder_is_refused(
    tmp_path: Path, value: str, expected: str
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "pets.yaml").write_text(PETS, "utf-8")
    config = f'[package]\nname = "pets"\nspec = {value}\n'
    repo = _repo(tmp_path / "repo", config)
    (repo / "spec" / "out").symlink_to(outside)
    for args in (("generate",), ("diff", "spec/api/pets.yaml")):
        done = sdkgen(repo, *args)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1
        assert "spec/sdkgen.toml#/package/spec" in done.stderr
        assert expected in done.stderr
    assert not (repo / "generated").exists()
    # given --spec, the config still refuses it (it is checked at load)
    spec, config = "spec/api/pets.yaml", "spec/sdkgen.toml"
    done = sdkgen(repo, "generate", "--spec", spec, "--config", config)
    assert done.returncode == 2 and "#/package/spec" in done.stderr


def test_a_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    repo = _repo(tmp_path, CONFIG.replace("api/pets.yaml", "current.yaml"))
    (repo / "spec" / "current.yaml").symlink_to("api/pets.yaml")
    done = sdkgen(repo, "generate")
    assert done.returncode == 0, done.stderr
    assert (repo / "generated" / "pets" / "_client.py").is_file()


def test_a_config_naming_no_package_names_it_after_the_title(tmp_path: Path) -> None:
    """Never ``meetingbaas`` for another API: ``<title>_client``, kept by a
    release (the distribution too, unless given)."""
    repo = _repo(tmp_path, '[package]\nversion = "0.1.0"\nspec = "api/pets.yaml"\n')
    assert sdkgen(repo, "generate").returncode == 0
    package = repo / "generated" / "pets_client"
    assert (package / "_client.py").is_file()
    assert not (repo / "generated" / "meetingbaas").exists()
    project = (repo / "generated" / "pyproject.toml").read_text("utf-8")
    assert 'name = "pets_client"' in project
    (repo / "new.yaml").write_text(PETS + OWNERS, "utf-8")
    done = sdkgen(repo, "release", "--spec", "new.yaml", "--date", "2026-01-02")
    assert done.returncode == 0, done.stderr
    assert (package / "resources" / "owners.py").is_file()
    assert sdkgen(repo, "generate", "--check").returncode == 0

"""The composite action other repositories call (action.yml): its inputs reach
the shell only as environment variables, and its script runs the sdkgen command
they name, with sdkgen's exit codes, in a repository ``sdkgen init`` made."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from .test_config_spec import OWNERS, PETS, sdkgen

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
SCRIPT = ROOT / "tools" / "sdkgen-action.sh"


def test_inputs_reach_the_shell_as_environment_only() -> None:
    inputs = set(ACTION["inputs"])
    steps = ACTION["runs"]["steps"]
    used: set[str] = set()
    for step in steps:
        # An expression inside `run:` would be spliced into the script.
        assert "${{" not in step.get("run", ""), step
        for value in step.get("env", {}).values():
            used.update(re.findall(r"\$\{\{ inputs\.([\w-]+) \}\}", value))
        for value in step.get("with", {}).values():
            used.update(re.findall(r"\$\{\{ inputs\.([\w-]+) \}\}", str(value)))
    assert used == inputs
    assert ACTION["runs"]["using"] == "composite"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository for the Pets API made by ``sdkgen init``, committed on
    branch ``base``, its SDK generated."""
    spec = tmp_path / "pets.yaml"
    spec.write_text(PETS, "utf-8")
    assert (
        sdkgen(tmp_path, "init", "--spec", str(spec), "--dir", "repo").returncode == 0
    )
    root = tmp_path / "repo"
    assert sdkgen(root, "generate").returncode == 0
    git = "git init -q -b base && git add -A && git commit -qm init"
    subprocess.run(["bash", "-c", git], cwd=root, env=_env(), check=True)
    return root


def _env(**inputs: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SDKGEN": f"{sys.executable} -m generator.cli",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        **{f"SDKGEN_{k.upper()}": v for k, v in inputs.items()},
    }


def action(repo: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=repo,
        env=_env(**inputs),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_passes_then_fails_on_a_stale_sdk(repo: Path) -> None:
    assert action(repo, command="check").returncode == 0
    (repo / "spec" / "pets.yaml").write_text(PETS + OWNERS, "utf-8")
    stale = action(repo, command="check")
    assert stale.returncode == 1, stale.stderr


def test_diff_reports_and_fails_only_on_breaking(repo: Path) -> None:
    old = "git:base:spec/pets.yaml"
    (repo / "spec" / "pets.yaml").write_text(PETS + OWNERS, "utf-8")
    added = action(repo, command="diff", old=old, format="text")
    assert added.returncode == 0, added.stderr
    assert "0 breaking, 0 warning, 1 info" in added.stdout
    subprocess.run(
        ["git", "commit", "-qam", "owners"], cwd=repo, env=_env(), check=True
    )
    (repo / "spec" / "pets.yaml").write_text(PETS, "utf-8")  # owners removed
    removed = action(repo, command="diff", old="git:HEAD:spec/pets.yaml")
    assert removed.returncode == 1, removed.stderr
    assert "::error" in removed.stdout  # GitHub annotations by default
    tolerated = action(
        repo, command="diff", old="git:HEAD:spec/pets.yaml", fail_on="never"
    )
    assert tolerated.returncode == 0


def test_release_moves_to_the_new_spec_and_bumps(repo: Path, tmp_path: Path) -> None:
    live = tmp_path / "live.yaml"
    live.write_text(PETS + OWNERS, "utf-8")
    done = action(repo, command="release", spec=str(live))
    assert done.returncode == 0, done.stderr
    assert (repo / "spec" / "pets.yaml").read_text("utf-8") == PETS + OWNERS
    assert 'version = "0.2.0"' in (repo / "spec" / "sdkgen.toml").read_text("utf-8")
    assert action(repo, command="check").returncode == 0


def test_bad_inputs_exit_2_and_are_never_evaluated(repo: Path, tmp_path: Path) -> None:
    assert action(repo, command="deploy").returncode == 2
    assert action(repo, command="diff").returncode == 2  # no old spec
    assert action(repo, command="release").returncode == 2  # no new spec
    planted = tmp_path / "pwned"
    hostile = f"$(touch {planted})"
    done = action(repo, command="diff", old=hostile, new=f"`touch {planted}`")
    assert done.returncode == 2, done.stderr
    assert not planted.exists()

"""``pip install .`` (not editable) carries everything the generator reads."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import GENERATED, ROOT

# Left in generated/ by local tool runs; git ignores them.
CACHES = ["__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"]
# Written by `sdkgen release`, not by `sdkgen generate`.
RELEASE_FILES = ["CHANGELOG.md"]


def _differences(a: Path, b: Path) -> list[str]:
    found: list[str] = []
    compared = filecmp.dircmp(a, b, ignore=CACHES + RELEASE_FILES)
    found += compared.left_only + compared.right_only + compared.diff_files
    for name in compared.common_dirs:
        found += [f"{name}/{d}" for d in _differences(a / name, b / name)]
    return found


@pytest.mark.slow  # builds and unpacks a wheel
def test_installed_wheel_generates_the_committed_sdk_from_elsewhere(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "--no-build-isolation", str(ROOT), "-w", str(wheels)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("meetingbaas_sdkgen-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # a pure-Python wheel installs by unpacking
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "generate", "--out", "sdk"],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site), "SDKGEN_NO_CACHE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The unpacked copy, not the checkout, did the work.
    probe = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(site))
    assert _differences(GENERATED, elsewhere / "sdk") == []


@pytest.mark.slow  # builds a wheel and a virtual environment
def test_the_wheel_in_a_fresh_venv_starts_a_repository_and_generates(
    tmp_path: Path,
) -> None:
    """As a user would: install the wheel (its dependencies from this
    environment, no network), then ``sdkgen --version``, ``init`` and
    ``generate`` from the venv's own console script, and the SDK it made
    installs and imports there."""
    from .test_config_spec import PETS

    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "--no-build-isolation", str(ROOT), "-w", str(wheels)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("meetingbaas_sdkgen-*.whl")
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        check=True,
    )
    python, sdkgen = venv / "bin" / "python", venv / "bin" / "sdkgen"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["SDKGEN_NO_CACHE"] = "1"

    def run(*args: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run(
            [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    install = ("-m", "pip", "install", "-q", "--no-deps", "--no-index",
               "--no-build-isolation")  # fmt: skip
    run(python, *install, wheel)
    assert "sdkgen" in run(sdkgen, "--version")
    where = run(python, "-c", "import generator; print(generator.__file__)")
    assert where.startswith(str(venv)), where  # the wheel, not this checkout
    (tmp_path / "pets.yaml").write_text(PETS, "utf-8")
    run(sdkgen, "init", "--spec", "pets.yaml", "--dir", "repo")
    repo = tmp_path / "repo"
    run(sdkgen, "generate", cwd=repo)
    run(sdkgen, "generate", "--check", cwd=repo)
    run(python, *install, repo / "generated")
    code = (
        "import pets_client as p; c = p.PetsClient();"
        " print(type(c).__name__, callable(c.pets.list))"
    )
    assert run(python, "-c", code, cwd=tmp_path).split() == ["PetsClient", "True"]

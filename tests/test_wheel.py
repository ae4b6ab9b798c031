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

"""Static checks: the assembled package is mypy --strict clean and vendorable."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ._rt_helpers import RUNTIME_DIR

# pydantic_core ships with pydantic (a hard dependency of it), so it adds nothing.
ALLOWED_THIRD_PARTY = {"httpx", "pydantic", "pydantic_core"}


def test_runtime_imports_only_httpx_pydantic_and_relative() -> None:
    stdlib = sys.stdlib_module_names
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert (
                    top in stdlib or top in ALLOWED_THIRD_PARTY or top == ("__future__")
                ), f"{path.name} imports {name}"


@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy not installed")
def test_mypy_strict_on_assembled_package(package_dir: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(package_dir.parent / ".mypy_cache"),
            str(package_dir),
        ],
        capture_output=True,
        text=True,
        cwd=package_dir.parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

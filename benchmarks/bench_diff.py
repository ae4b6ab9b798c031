"""Speed of ``sdkgen diff`` (run: nox -s bench).

Target: the two largest published specs diffed end to end, process start and both
loads included, in under a second on this 2-core machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "specs" / "meeting-baas-v2"


def _largest_two() -> list[str]:
    found = sorted(SPECS.glob("*.json"), key=lambda p: p.stat().st_size)[-2:]
    if len(found) < 2:
        pytest.skip("../shared/specs/meeting-baas-v2 is absent (published specs)")
    return [str(p) for p in sorted(found)]


def _diff(args: list[str]) -> None:
    # Exit 1 means "found breaking changes", which is a successful run here.
    result = subprocess.run(args, capture_output=True, cwd=ROOT, check=False)
    assert result.returncode in (0, 1), result.stderr


def test_diff_two_largest_specs_end_to_end(benchmark: Any) -> None:
    old, new = _largest_two()
    args = [sys.executable, "-m", "generator.cli", "diff", old, new, "--format", "json"]
    benchmark.pedantic(_diff, args=(args,), rounds=5, iterations=1)


def test_diff_of_loaded_versions(benchmark: Any) -> None:
    """The comparison alone, both specs already loaded and normalised."""
    from generator.config import load_config
    from generator.diff.engine import _load, diff_versions

    old, new = (_load(p, load_config()) for p in _largest_two())
    report = benchmark(diff_versions, old, new)
    assert report.changes

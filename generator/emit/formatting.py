"""Lay out the generated Python with the formatter ``sdkgen.toml`` names.

``ruff format`` (the default) runs once over every module, written to a
scratch folder: one process formats the bundled SDK in about 0.1 s and a
3 MB spec's 100k lines in well under a second. ``black`` (``[format] tool =
"black"``, for teams that pin it) runs in-process, one module at a time.
Both are pinned in pyproject.toml: their version decides the bytes of
``generated/``. Either runs with its own defaults only (line length 88,
Python 3.11), never with a configuration file found near the output.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

FORMATTERS = ("ruff", "black")
LINE_LENGTH = 88


class FormatError(RuntimeError):
    """The formatter refused the generated code or could not run: an sdkgen bug
    (the templates wrote invalid Python) or a broken installation."""


def format_modules(texts: Mapping[str, str], tool: str = "ruff") -> dict[str, str]:
    """Each Python module of ``texts`` (relative path -> source) as ``tool``
    lays it out."""
    if tool == "black":
        return {path: _black(text) for path, text in texts.items()}
    if tool != "ruff":
        raise ValueError(f"unknown formatter {tool!r}")
    return _ruff(texts)


def _ruff(texts: Mapping[str, str]) -> dict[str, str]:
    if not texts:
        return {}
    with tempfile.TemporaryDirectory(prefix="sdkgen-format-", dir=_memory()) as scratch:
        root = Path(scratch)
        # Numbered names: a module's path plays no part in its layout.
        names = {path: f"m{i}.py" for i, path in enumerate(sorted(texts))}
        for path, name in names.items():
            (root / name).write_text(texts[path], "utf-8")
        _run_ruff([*(str(root / n) for n in names.values())], root)
        return {path: (root / name).read_text("utf-8") for path, name in names.items()}


def _memory() -> str | None:
    """A folder in memory where there is one (Linux): the modules are written
    and read back once, and a disk makes that the slow part."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _run_ruff(files: list[str], cwd: Path) -> None:
    command = [
        _ruff_bin(),
        "format",
        "--isolated",  # no pyproject.toml or ruff.toml from around the output
        "--no-cache",
        "--quiet",
        f"--line-length={LINE_LENGTH}",
        "--target-version=py311",
        *files,
    ]
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise FormatError(f"cannot run ruff: {exc}") from exc
    if done.returncode != 0:
        first = (done.stderr or done.stdout).strip().splitlines()[:1]
        raise FormatError(f"ruff format failed: {' '.join(first) or done.returncode}")


def _ruff_bin() -> str:
    """The ruff executable installed with sdkgen (the pinned one), not
    whichever ruff comes first on PATH."""
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError as exc:
        raise FormatError("ruff is not installed (pip install ruff)") from exc
    try:
        return str(find_ruff_bin())
    except FileNotFoundError as exc:
        raise FormatError(f"cannot find the ruff executable: {exc}") from exc


def _black(text: str) -> str:
    try:
        import black
        from black.mode import Mode, TargetVersion
    except ImportError as exc:
        raise FormatError("black is not installed (pip install black)") from exc
    mode = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})
    try:
        return black.format_str(text, mode=mode)
    except Exception as exc:  # black's errors share no base class
        raise FormatError(f"black failed: {exc}") from exc

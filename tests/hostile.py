"""Helpers for the hostile-input tests: run sdkgen in this process and look at
everything it printed and wrote."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cli import main

from .conftest import json_op, make_spec

MARKER = "OUTSIDE-MARKER-7731"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def one_line_error(self) -> str:
        """The refusal: exit 2, one line on stderr."""
        assert self.code == 2, (self.code, self.err)
        assert self.err.count("\n") == 1 and self.err.startswith("sdkgen: error: ")
        assert "Traceback" not in self.err
        return self.err

    def warned(self) -> str:
        """Success with a warning: exit 0, and ``sdkgen: warning:`` lines."""
        assert self.code == 0, (self.code, self.err)
        assert "sdkgen: warning: " in self.err and "Traceback" not in self.err
        return self.err


def sdkgen(*args: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def spec_with(schema: Any, **info: Any) -> dict[str, Any]:
    """A one-operation spec whose response is ``schema``."""
    doc = make_spec(paths={"/x": {"get": json_op(schema, op_id="getX")}})
    doc["info"].update({"title": "Probe", **info})  # package "probe"
    return doc


def write_json(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))  # surrogates as \\ud800, NaN as NaN
    return path


def tree_text(folder: Path) -> str:
    """Every file under ``folder``, as text (what a reader of the output sees)."""
    if not folder.exists():
        return ""
    return "".join(
        p.read_bytes().decode("utf-8", "replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    )


def imports_fresh(out: Path, package: str) -> None:
    """``import package`` (and its resources) in a new interpreter."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {package}, {package}.resources, {package}.types",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(out)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def compiles(out: Path) -> None:
    for path in sorted(out.rglob("*.py")):
        compile(path.read_text("utf-8"), str(path), "exec", dont_inherit=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (symlinks not followed)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }

"""OLD and NEW of ``sdkgen diff``: a file, an http(s) URL, or ``git:REV:path``.

``git:REV:path`` reads a committed spec with ``git show REV:path`` in the current
directory's repository (the path is from the repository root; ``./`` makes it
relative to the current directory, as git does).
"""

from __future__ import annotations

import hashlib
import subprocess

from ..errors import SpecError
from ..loader import (
    LoadedSpec,
    check_refs,
    check_version,
    load_spec,
    parse_openapi,
    parse_text,
)

GIT_PREFIX = "git:"
GIT_TIMEOUT_SECONDS = 60.0


def load_source(source: str) -> LoadedSpec:
    if not source.startswith(GIT_PREFIX):
        return load_spec(source)
    rev, sep, path = source[len(GIT_PREFIX) :].partition(":")
    if not sep or not rev or not path:
        raise SpecError("expected git:REV:path, e.g. git:HEAD:spec/api.yaml", source)
    data = git_show(rev, path, source)
    doc = parse_text(data, path)
    check_version(doc)
    check_refs(doc)
    return LoadedSpec(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        raw=doc,
        document=parse_openapi(doc),
    )


def git_show(rev: str, path: str, source: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", "show", f"{rev}:{path}"],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise SpecError("cannot run git: it is not installed", source) from None
    except subprocess.TimeoutExpired:
        raise SpecError("git show timed out", source) from None
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[0] if lines else f"git exited with {result.returncode}"
        raise SpecError(f"cannot read the spec from git: {reason}", source)
    return result.stdout

"""OLD and NEW of ``sdkgen diff``: a file, an http(s) URL, or ``git:REV:path``.

``git:REV:path`` reads a committed spec with ``git show REV:path`` in the current
directory's repository (the path is from the repository root; ``./`` makes it
relative to the current directory, as git does).
"""

from __future__ import annotations

import subprocess
from typing import Any

from ..errors import SpecError
from ..parse.loader import (
    MAX_SPEC_BYTES,
    LoadedSpec,
    read_document,
    read_source,
    typed_spec,
)

GIT_PREFIX = "git:"
GIT_TIMEOUT_SECONDS = 60.0


def load_source(source: str, max_bytes: int = MAX_SPEC_BYTES) -> LoadedSpec:
    data, doc = read_source_document(source, max_bytes)
    return typed_spec(source, data, doc)


def read_source_document(
    source: str, max_bytes: int = MAX_SPEC_BYTES, read: dict[str, str] | None = None
) -> tuple[bytes, dict[str, Any]]:
    """The bytes and the raw (version-checked) document of a file, URL or git
    spec; ``read`` gets the path and sha256 of each other file it refers to."""
    if not source.startswith(GIT_PREFIX):
        data = read_source(source, max_bytes)
        return data, read_document(data, source, read=read)
    rev, sep, path = source[len(GIT_PREFIX) :].partition(":")
    if not sep or not rev or not path:
        raise SpecError("expected git:REV:path, e.g. git:HEAD:spec/api.yaml", source)
    if rev.startswith("-"):  # never an option to git, whatever follows
        raise SpecError("a git revision cannot start with '-'", source)
    # The blob's size first, so an oversized one is never read.
    size = git_show(rev, path, source, ["cat-file", "-s"]).strip()
    if not size.isdigit() or int(size) > max_bytes:
        raise SpecError(
            f"the spec is larger than {max_bytes} bytes (raise --max-spec-bytes)",
            source,
        )
    data = git_show(rev, path, source)
    # Other files of a git revision are not read: its refs to them stay errors.
    return data, read_document(data, path, files=False)


def git_show(
    rev: str, path: str, source: str, command: list[str] | None = None
) -> bytes:
    """``git show REV:path`` (or another git ``command`` given ``REV:path``)."""
    try:
        result = subprocess.run(
            ["git", *(command or ["show"]), "--end-of-options", f"{rev}:{path}"],
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

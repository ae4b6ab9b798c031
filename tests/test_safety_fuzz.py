"""Mutated published specs: `generate` exits 0 or 2, never a traceback, never a file
outside `--out`, and the previous output stays intact when it refuses."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.emit.writer import MANIFEST_NAME
from generator.errors import pointer

from .conftest import GENERATED, SHARED_REASON, shared_specs

EXAMPLES = int(os.environ.get("SDKGEN_EXAMPLES", "10"))
ODD_STRINGS = [
    "",
    " ",
    "\x00",
    "\u202e",
    "💥",
    "a\nb",
    '"""',
    "'''",
    "\\",
    "{{ x }}",
    "{% raw %}",
    "#/$ref",
    "../../escape",
    "class",
    "None",
    "__init__",
    "1abc",
    "a-b c",
    "x" * 300,
]
ODD_VALUES: list[Any] = [None, 0, -1, 1.5, True, "x", [], {}, [1], {"a": 1}]

Path_ = tuple[str | int, ...]


@cache
def spec_text(index: int) -> str:
    return shared_specs()[index].read_text()


@cache
def container_paths(index: int) -> list[Path_]:
    """Every path to a dict or list in the spec, in document order."""
    found: list[Path_] = []
    stack: list[tuple[Any, Path_]] = [(json.loads(spec_text(index)), ())]
    while stack:
        node, path = stack.pop()
        found.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in reversed(list(items)):
            if isinstance(value, dict | list):
                stack.append((value, (*path, key)))
    return found


def node_at(doc: Any, path: Path_) -> Any:
    for token in path:
        doc = doc[token]
    return doc


def mutate(doc: dict[str, Any], index: int, kind: str, at: int, pick: int) -> None:
    paths = container_paths(index)
    path = paths[at % len(paths)]
    node = node_at(doc, path)
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if kind == "cycle":
        schemas = sorted(doc.get("components", {}).get("schemas", {}))
        if len(schemas) >= 2 and pick % 2:
            a, b = schemas[at % len(schemas)], schemas[pick % len(schemas)]
            doc["components"]["schemas"][a] = {"$ref": f"#/components/schemas/{b}"}
            doc["components"]["schemas"][b] = {"$ref": f"#/components/schemas/{a}"}
        elif isinstance(node, dict):
            node["$ref"] = pointer(*path[: pick % (len(path) + 1)])  # an ancestor
        return
    if kind == "insert" and isinstance(node, dict):
        node[ODD_STRINGS[pick % len(ODD_STRINGS)]] = {"type": "string"}
        return
    if not keys:
        return
    key = keys[pick % len(keys)]
    if kind == "drop":
        del node[key]
    elif kind == "retype":
        node[key] = ODD_VALUES[(pick // len(keys)) % len(ODD_VALUES)]
    elif kind in ("odd", "insert"):
        node[key] = ODD_STRINGS[(pick // len(keys)) % len(ODD_STRINGS)]


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


mutations = st.lists(
    st.tuples(
        st.sampled_from(["drop", "retype", "odd", "insert", "cycle"]),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=3,
)


@pytest.mark.slow
@pytest.mark.property
@pytest.mark.skipif(not shared_specs(), reason=SHARED_REASON)
@settings(
    max_examples=2 * EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(index=st.integers(0, 10**3), changes=mutations)
# A cyclic $ref at the document root (a KeyError once the root was cleared).
@example(index=0, changes=[("cycle", 0, 0)])
def test_mutated_specs_exit_0_or_2_and_keep_the_output_safe(
    index: int, changes: list[tuple[str, int, int]]
) -> None:
    index %= len(shared_specs())
    doc = json.loads(spec_text(index))
    for kind, at, pick in changes:
        mutate(doc, index, kind, at, pick)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        spec = root / "spec.json"
        spec.write_text(json.dumps(doc))
        out = root / "out"
        shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
        before = files_under(out)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["generate", "--spec", str(spec), "--out", str(out)])
        stderr = err.getvalue()
        assert code in (0, 2), stderr
        assert "Traceback" not in stderr
        assert sorted(p.name for p in root.iterdir()) == ["out", "spec.json"]
        after = files_under(out)
        if code == 2:  # one error line (warnings, if any, are other lines)
            errors = [
                ln for ln in stderr.splitlines() if ln.startswith("sdkgen: error")
            ]
            assert len(errors) == 1, stderr
            assert after == before
        else:
            owned = json.loads(after.pop(MANIFEST_NAME))["files"]
            was_owned = json.loads(before[MANIFEST_NAME])["files"]
            hashes = {rel: hashlib.sha256(b).hexdigest() for rel, b in after.items()}
            assert {rel: hashes.get(rel) for rel in owned} == owned
            # What sdkgen did not own (a changelog, caches) is exactly as it was.
            mine = set(owned) | set(was_owned) | {MANIFEST_NAME}
            assert {r: b for r, b in after.items() if r not in mine} == {
                r: b for r, b in before.items() if r not in mine
            }

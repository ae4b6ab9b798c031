"""spec/meeting-baas-v2.yaml says what the newest published spec (2026-05-11) says,
plus what the live API (the official TS SDK's reference) adds or changes, each change
that is not a plain addition listed in spec/README.md; and the normaliser reads the
published 2025-12-03 spec as it reads our own earlier description of that API (spec/
as of commit 96ca0ff, read from git history)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.config import default_spec_path, load_config
from generator.diff.engine import diff_specs
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise
from generator.parse.operations import raw_operations

from .conftest import ROOT, shared_spec

NEWEST = "2026-05-11-5ec0cc7.json"
# The commit whose spec/ described the 2025-12-03 API in this project's own words.
OLD_OWN_SPEC = ("96ca0ff", "spec/meeting-baas-v2.yaml", "2025-12-03-45770ed.json")

# Provenance, not SDK: pointers differ between the two spellings of the spec.
DOC_FIELDS = {"doc", "summary", "description", "source", "stats"}
DOC_FIELDS |= {"identities", "warnings", "examples"}  # examples document too


def without_docs(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: without_docs(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in DOC_FIELDS
        }
    if isinstance(value, tuple):
        return [without_docs(v) for v in value]
    return value


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = first_difference(a.get(key), b.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


# What the live API may add to the published spec without a listed decision.
ADDITIONS = {
    "operation-added",
    "model-added",
    "enum-added",
    "request-property-added",
    "response-property-added",
    "response-enum-value-added",
}


def _decision_rows() -> list[str]:
    text = (ROOT / "spec" / "README.md").read_text(encoding="utf-8")
    v2 = text.split("\n## v2\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in v2.splitlines() if line.startswith("| `")]


def test_own_spec_is_the_published_one_plus_the_live_api() -> None:
    published_path = shared_spec(NEWEST)
    config = load_config()
    published_spec = load_spec(str(published_path))
    own_spec = load_spec(str(default_spec_path()))
    ours = normalise(own_spec, config)
    published = normalise(published_spec, config)
    report = diff_specs(published_spec, own_spec, config)
    assert report.counts()["breaking"] == 0, [c.message for c in report.changes]
    # Every published operation, event, scheme and server is still there.
    calls = {op.operation_id: op.python_call for op in ours.operations}
    for op in published.operations:
        assert calls.get(op.operation_id) == op.python_call, op.operation_id
    assert {e.name for e in ours.events} == {e.name for e in published.events}
    assert ours.auth == published.auth and ours.servers == published.servers
    # The operations the live API adds are the only other operations.
    added = [c for c in report.changes if c.rule.id == "operation-added"]
    assert len(ours.operations) == len(published.operations) + len(added)
    assert len(ours.operations) == len(raw_operations(own_spec.raw))
    # Anything but a plain addition is a decision spec/README.md lists.
    rows = _decision_rows()
    decided = [c for c in report.changes if c.rule.id not in ADDITIONS]
    assert decided, "the live API differs from the published spec"
    for change in decided:
        model, _, field_name = change.subject.partition(".")
        assert any(f"`{model}" in r and field_name in r for r in rows), change.subject


def test_decisions_name_subjects_the_diff_finds() -> None:
    """The README's table lists no decision the diff does not find (no stale rows)."""
    config = load_config()
    report = diff_specs(
        load_spec(str(shared_spec(NEWEST))), load_spec(str(default_spec_path())), config
    )
    subjects = {c.subject for c in report.changes}
    for row in _decision_rows():
        first = row.split("|")[1]
        named = first.split("`")[1]
        assert any(s == named or s.startswith(named + ".") for s in subjects), row


def _git_show(rev: str, path: str) -> bytes:
    result = subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, check=False
    )
    if result.returncode != 0:
        pytest.skip(f"git history with {rev} is not available here")
    return result.stdout


def test_normaliser_reads_the_2025_12_03_spec_as_our_own_description_of_it(
    tmp_path: Path,
) -> None:
    rev, path, published_name = OLD_OWN_SPEC
    published_path = shared_spec(published_name)
    old_own = tmp_path / "meeting-baas-v2.yaml"
    old_own.write_bytes(_git_show(rev, path))
    # The overrides in use then; the ones added since name types it did not have.
    config = load_config()
    ours = normalise(load_spec(str(old_own)), config)
    published = normalise(load_spec(str(published_path)), config)
    a, b = without_docs(ours), without_docs(published)
    assert a == b, first_difference(a, b)
    assert len(ours.operations) == 30
    assert len(ours.events) == 12


def test_own_spec_has_its_own_docs() -> None:
    ours = normalise(load_spec(str(default_spec_path())), load_config())
    assert all(op.summary for op in ours.operations)
    create = next(op for op in ours.operations if op.operation_id == "createBot")
    assert create.body is not None and isinstance(create.body.type, ir.ModelRef)
    body = next(m for m in ours.models if m.name == create.body.type.name)
    assert all(f.doc for f in body.fields), "every createBot field is documented"


def test_inspect_without_spec_reads_the_bundled_one() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "inspect", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    in_spec = len(raw_operations(load_spec(str(default_spec_path())).raw))
    assert data["title"] == "Meeting BaaS API" and len(data["operations"]) == in_spec

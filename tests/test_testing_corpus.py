"""The fake API of every corpus spec's SDK (issue 28): each operation called
through ``<package>.testing`` parses under strict response validation, and each
default body passes jsonschema against the operation's response schema."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import _lenient_api
from generator.parse.loader import MAX_SPEC_BYTES

from .fake_checks import call_every_operation, fake_ops, schema_problems
from .spec_proof.schemas import clean
from .test_corpus import SPECS, _refused, package_of, sdkgen

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SPECS, reason="../shared/specs/corpus is absent"),
]
GOOD = [s for s in SPECS if not _refused(s.stem)]
_OPC = ("opc_baseline_openapi_3.0", "opc_baseline_openapi_3.1")
# Calls the SDK refuses to send with the arguments tests/spec_proof/calls.py
# builds, so the fake never sees them: none since the wire work (#25: a multipart
# body holding a model is serialized by _serialize.py, and parameters sharing a
# wire name across locations are keyed by Python name).
UNSENT: dict[str, frozenset[str]] = {}
# Default bodies jsonschema refuses, where the IR cannot tell: a oneOf with an
# accept-anything option `{}` beside object options (no object is valid under
# exactly one), and an allOf whose parts each forbid additional properties.
SCHEMA_GAPS: dict[str, frozenset[str]] = dict.fromkeys(
    _OPC,
    frozenset(
        {
            "models.get_allof",
            "responses.reference",
            "tests.list",
            "types.post_unions_duplicate",
        }
    ),
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fakes")


def _sdk(spec: Path, out: Path) -> tuple[Any, Any, Any, Any]:
    """(api, raw spec, package, its testing module) of one corpus spec."""
    config = out / f"{spec.stem}.toml"
    config.write_text(f'[package]\nname = "{package_of(spec)}"\n')
    folder = out / spec.stem
    run = sdkgen(
        "generate", "--spec", str(spec), "--out", str(folder), "--config", str(config)
    )
    assert run.returncode == 0, run.stderr
    # Leniently, as generate reads it: a broken part is skipped with a warning.
    loaded, _, api = _lenient_api(str(spec), config, False, MAX_SPEC_BYTES)
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(package_of(spec))
        testing = importlib.import_module(package_of(spec) + ".testing")
    finally:
        sys.path.remove(str(folder))
    return api, clean(loaded.raw), package, testing


@pytest.mark.parametrize("spec", GOOD, ids=[s.stem for s in GOOD])
def test_every_operation_of_the_fake(spec: Path, made: Path) -> None:
    api, raw, package, testing = _sdk(spec, made)
    problems, unsent = call_every_operation(api, package, testing)
    assert problems == []
    assert {u.split(":")[0] for u in unsent} == UNSENT.get(spec.stem, frozenset())
    ops = fake_ops(testing.FakeTransport())
    assert sorted(ops) == sorted(
        op.python_call.removeprefix("client.") for op in api.operations
    )
    checked, problems = schema_problems(raw, api, ops.values())
    assert {p.split(" at ")[0] for p in problems} == SCHEMA_GAPS.get(
        spec.stem, frozenset()
    )
    assert checked > len(problems) or not checked

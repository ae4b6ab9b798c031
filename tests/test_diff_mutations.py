"""Known changes, one at a time, at seeded-random places of each published spec:
``sdkgen diff`` must give each the level of its kind under ``--fail-on`` and name
the field or value and the operation (the table is ``tests/diff_mutations.KINDS``).

``SDKGEN_MUTATIONS`` sets the places per kind and spec (default 4).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

from generator.config import Config
from generator.diff.context import Version

from .conftest import shared_specs, spec_params
from .diff_mutations import KINDS, Kind, run_kind, version

PLACES = int(os.environ.get("SDKGEN_MUTATIONS", "4"))


@cache
def _old(path: Path) -> tuple[dict[str, object], Version]:
    doc = json.loads(path.read_text("utf-8"))
    return doc, version(doc, path.name, Config())


def _check(path: Path, kind: Kind, places: int, seed: int) -> None:
    doc, old = _old(path)
    outcomes = run_kind(doc, old, kind, places, seed, Config())
    assert outcomes, f"no place for {kind.name!r} in {path.name}"
    wrong = [f"{o.site}: {o.why}" for o in outcomes if not o.right]
    assert wrong == []


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
@pytest.mark.parametrize("path", spec_params())
def test_each_kind_at_many_places_gets_its_level_and_names_it(
    path: Path, kind: Kind
) -> None:
    seed = KINDS.index(kind) * 1000 + sorted(shared_specs()).index(path)
    _check(path, kind, PLACES, seed)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_kind_once_on_the_newest_spec(kind: Kind) -> None:
    found = shared_specs()
    if not found:
        pytest.skip("../shared/specs/meeting-baas-v2 is absent")
    _check(found[-1], kind, 1, KINDS.index(kind))

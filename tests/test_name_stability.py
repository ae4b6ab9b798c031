"""Names stay put when the spec changes: seeded one-change mutations of every
published spec, and the real history of published versions.

Each build uses the project's ``spec/sdkgen.toml`` overrides. "Rules" builds have no
lock; "lock" builds use the lock the unchanged spec's names would have written (what
``sdkgen generate --update-lock`` records at a release). The lock is what promises
stability; the rules-only figures are printed for comparison (``pytest -s``).
``SDKGEN_MUTATIONS`` sets the places changed per kind of change and spec.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from generator.config import Config, load_config

from .conftest import spec_params
from .name_stability import (
    KINDS,
    build,
    compare,
    history,
    mutations,
    with_lock,
    without_lock,
)

PLACES = int(os.environ.get("SDKGEN_MUTATIONS", "6"))
SEED = 13


def project_config() -> Config:
    return without_lock(load_config())


def check_mutations(path: Path, places: int) -> dict[str, tuple[int, int]]:
    """Mode -> (untouched types, of which kept their name), over every mutation."""
    text = path.read_text("utf-8")
    rules = project_config()
    released = build(json.loads(text), rules)
    locked = with_lock(rules, released)
    # The lock reproduces the release it was written from.
    assert compare(released, build(json.loads(text), locked)).moved == ()
    totals = {"rules": [0, 0], "lock": [0, 0]}
    moved: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    for kind in KINDS:
        done = 0
        for m in mutations(text, kind, places, SEED):
            done += 1
            for mode, config in (("rules", rules), ("lock", locked)):
                api = build(m.doc, config)  # never fails: a clash is a warning
                found = compare(released, api)
                totals[mode][0] += found.untouched
                totals[mode][1] += found.kept
                if mode == "lock" and found.moved:
                    moved.append((m.kind, m.pointer, found.moved))
        assert done > 0 or kind == "remove-enum-value", f"no place for {kind}"
    for mode, (untouched, kept) in totals.items():
        print(f"{path.name} {mode}: {kept}/{untouched} untouched types kept")
    assert totals["lock"][0] > 0
    assert moved == [], moved
    return {mode: (u, k) for mode, (u, k) in totals.items()}


@pytest.mark.slow
@pytest.mark.parametrize("path", spec_params())
def test_one_change_at_a_time_keeps_every_untouched_name(path: Path) -> None:
    totals = check_mutations(path, PLACES)
    untouched, kept = totals["lock"]
    assert kept == untouched


@pytest.mark.parametrize("path", spec_params()[-1:])
def test_one_change_of_each_kind_keeps_every_untouched_name(path: Path) -> None:
    check_mutations(path, 1)


def test_published_history_keeps_the_names_of_unchanged_types() -> None:
    paths = [p.values[0] for p in spec_params()]
    if paths[0] is None:
        pytest.skip("published specs absent")
    rules = project_config()
    lines = []
    for old_path, new_path in itertools.pairwise(paths):
        old = build(json.loads(old_path.read_text("utf-8")), rules)
        new = build(json.loads(new_path.read_text("utf-8")), with_lock(rules, old))
        found = history(old, new)
        lines.append(
            f"{old_path.stem} -> {new_path.stem}: kept {len(found.kept_same_shape)} "
            f"(same shape) + {len(found.kept_new_shape)} (shape changed), "
            f"changed {len(found.changed)}"
        )
        lines.extend(f"    {name}: {why}" for name, why in found.changed)
        # Every type whose shape did not change keeps its name ...
        assert not [c for c in found.changed if c[1].startswith("same shape")]
        # ... and every name that went, went with its type.
        assert all(why.startswith("removed") for _, why in found.changed), lines
    print("\n".join(lines))

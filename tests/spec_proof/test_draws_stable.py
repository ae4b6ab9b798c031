"""The `ci` hypothesis profile draws the same documents whatever the hash seed or
process: a suite whose examples depend on luck could pass or fail by chance."""

from __future__ import annotations

import os
import subprocess
import sys

from ..conftest import ROOT

_DRAW = """
import hashlib, json
import tests.conftest  # loads the ci profile
from hypothesis import given, settings
from tests.spec_proof.strategies import SETTINGS, instances
from tests.spec_proof.targets import COMMITTED, spec_named

spec = spec_named(COMMITTED)
drawn = []
for case in spec.cases[:12]:
    @settings(SETTINGS, max_examples=5)
    @given(instances(case.schema, spec.raw))
    def keep(value):
        drawn.append(value)
    keep()
print(hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest())
"""


def _digest(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env.pop("SDKGEN_HYPOTHESIS_PROFILE", None)
    done = subprocess.run(
        [sys.executable, "-c", _DRAW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_ci_profile_draws_the_same_documents_under_any_hash_seed() -> None:
    first, second = _digest("1"), _digest("4242")
    assert len(first) == 64
    assert first == second

"""pytest parameters derived from the specs (never listed by hand)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ..conftest import SHARED_REASON, shared_specs
from .targets import all_specs

_MISSING = pytest.mark.skip(reason=SHARED_REASON)


def spec_names() -> list[Any]:
    """Every spec; plus one skipped param saying why when the published ones are
    absent."""
    out: list[Any] = [pytest.param(s.name, id=s.name) for s in all_specs()]
    if not shared_specs():
        out.append(pytest.param(None, id="published", marks=_MISSING))
    return out


def case_params(side: str | None = None) -> list[Any]:
    """(spec, case index) for every schema case, each distinct schema once: a
    schema a newer version repeats unchanged is covered by the older one."""
    seen: set[str] = set()
    out: list[Any] = []
    for spec in all_specs():
        for i, case in enumerate(spec.cases):
            key = json.dumps([case.side, case.schema], sort_keys=True)
            if key in seen or (side is not None and case.side != side):
                continue
            seen.add(key)
            out.append(pytest.param(spec.name, i, id=f"{spec.name}:{case.label}"))
    return out


def pattern_params() -> list[Any]:
    seen: set[str] = set()
    out: list[Any] = []
    for spec in all_specs():
        for pattern in spec.patterns:
            if pattern not in seen:
                seen.add(pattern)
                out.append(pytest.param(spec.name, pattern, id=f"pattern{len(seen)}"))
    return out

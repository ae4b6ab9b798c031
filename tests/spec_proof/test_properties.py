"""Round trips: spec instance -> SDK type -> JSON -> spec-valid and equal again.

Every request body, response (its `data` when the SDK unwraps the envelope),
error body and webhook/callback payload of every spec, found from the IR.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from .params import case_params
from .strategies import SETTINGS, instances, swap_datetimes, validator
from .targets import Spec, sdk_type, spec_named

pytestmark = pytest.mark.property


def _adapter(spec: Spec, index: int, sdk_for: Callable[[Spec], ModuleType]) -> Any:
    sdk = sdk_for(spec)
    return TypeAdapter(sdk_type(spec.cases[index].type, sdk.types))


def _dump(adapter: Any, value: Any) -> Any:
    return adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


@pytest.mark.parametrize(("spec_name", "index"), case_params())
def test_spec_instances_round_trip(
    spec_name: str, index: int, sdk_for: Callable[[Spec], ModuleType]
) -> None:
    spec = spec_named(spec_name)
    case = spec.cases[index]
    adapter = _adapter(spec, index, sdk_for)
    check = validator(case.schema)

    @SETTINGS
    @given(instances(case.schema, spec.raw, request=case.side == "request"))
    def round_trip(instance: Any) -> None:
        assert check.is_valid(instance)  # hypothesis-jsonschema drew a valid one
        parsed = adapter.validate_python(instance)
        dumped = _dump(adapter, parsed)
        errors = [e.message for e in check.iter_errors(dumped)]
        assert not errors, (case.label, dumped)
        assert adapter.validate_python(dumped) == parsed

    round_trip()


@pytest.mark.parametrize(("spec_name", "index"), case_params(side="request"))
def test_request_models_send_only_spec_valid_json(
    spec_name: str, index: int, sdk_for: Callable[[Spec], ModuleType]
) -> None:
    """Users pass datetimes of any offset: what goes on the wire
    must still be what the spec allows (UTC, written with Z)."""
    spec = spec_named(spec_name)
    case = spec.cases[index]
    adapter = _adapter(spec, index, sdk_for)
    check = validator(case.schema)

    @SETTINGS
    @given(instances(case.schema, spec.raw, request=True), st.data())
    def serialised_is_valid(instance: Any, data: st.DataObject) -> None:
        user_input = swap_datetimes(case.schema, instance, data.draw)
        dumped = _dump(adapter, adapter.validate_python(user_input))
        errors = [e.message for e in check.iter_errors(dumped)]
        assert not errors, (case.label, user_input, dumped)

    serialised_is_valid()

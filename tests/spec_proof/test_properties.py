"""Round trips: spec instance -> SDK type -> JSON -> spec-valid and equal again.

Every request body, response (its `data` when the SDK unwraps the envelope),
error body and webhook/callback payload of every spec, found from the IR.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from .params import case_params
from .strategies import (
    SETTINGS,
    instances,
    shift_year_zero,
    swap_datetimes,
    validator,
    year_zero_datetimes,
)
from .targets import COMMITTED, Spec, sdk_type, spec_named

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
        if year_zero_datetimes(instance):
            assert_year_zero_refused(adapter, instance)
            instance = shift_year_zero(instance)
        parsed = adapter.validate_python(instance)
        dumped = _dump(adapter, parsed)
        errors = [e.message for e in check.iter_errors(dumped)]
        assert not errors, (case.label, dumped)
        assert adapter.validate_python(dumped) == parsed

    round_trip()


def assert_year_zero_refused(adapter: Any, instance: Any) -> None:
    """The stated difference: a spec-valid year 0000 is refused, and the error
    names the value Python cannot hold (pydantic's error carries its field path)."""
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(instance)
    culprits = set(year_zero_datetimes(instance))
    assert any(
        "year 0 is out of range" in e["msg"] and e["input"] in culprits and e["loc"]
        for e in caught.value.errors()
    ), caught.value.errors()


def test_year_zero_datetime_is_refused_naming_the_field(
    sdk_for: Callable[[Spec], ModuleType],
) -> None:
    """Not left to luck: every response of the committed spec that carries a
    date-time gets one in the year 0000 (which its pattern allows) and must fail
    with an error naming that field."""
    spec = spec_named(COMMITTED)
    checked = 0
    for index, case in enumerate(spec.cases):
        if case.side != "response":
            continue
        found = _instance_with_datetime(case.schema, spec.raw)
        if found is not None:
            assert_year_zero_refused(_adapter(spec, index, sdk_for), found)
            checked += 1
    assert checked >= 3, "expected several responses with date-time fields"


def _instance_with_datetime(schema: Any, raw: dict[str, Any]) -> Any | None:
    """A drawn instance with its first date-time set to the year 0000, if any
    draw has a date-time at all."""
    found: list[Any] = []

    @SETTINGS
    @given(instances(schema, raw))
    def draw(instance: Any) -> None:
        if not found and _set_first_datetime(instance):
            found.append(instance)

    draw()
    return found[0] if found else None


def _set_first_datetime(value: Any) -> bool:
    """Rewrites the first date-time string found in ``value`` to the year 0000."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and _DATETIME.match(item):
                value[key] = "0000-02-29" + item[10:]
                return True
            if _set_first_datetime(item):
                return True
    if isinstance(value, list):
        return any(_set_first_datetime(item) for item in value)
    return False


_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


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
        # A user cannot hold the year 0000 in a datetime (the stated difference
        # above), so such a draw stands for the nearest value they can pass.
        user_input = swap_datetimes(case.schema, shift_year_zero(instance), data.draw)
        dumped = _dump(adapter, adapter.validate_python(user_input))
        errors = [e.message for e in check.iter_errors(dumped)]
        assert not errors, (case.label, user_input, dumped)

    serialised_is_valid()

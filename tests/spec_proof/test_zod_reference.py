"""Our SDK and spec against the official TypeScript SDK's zod schemas (an
independent implementation of the live API, ../shared/reference/).

Operations are paired by method and path. Each way:
- requests our SDK sends (hypothesis-drawn bodies, every parameter) pass the
  reference's zod schemas for that operation's path, query and body;
- documents drawn from our spec's success responses pass the reference's zod
  response schema;
- documents @anatine/zod-mock makes from that zod schema are parsed by our SDK
  (strict response validation).
Every difference is listed below with its reason; an unlisted one fails, and
so does a listed one that no longer happens."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import GENERATED
from .calls import Call, calls
from .strategies import EXAMPLES, instances, shift_year_zero
from .targets import Spec
from .zodcalls import (
    body_calls,
    capture,
    draw,
    parse_with_sdk,
    repair,
    response_schema,
    split,
)
from .zodref import (
    ApiUnderTest,
    RefOperation,
    ZodReference,
    api_params,
    client_class,
    path_key,
    reference_operations,
    zod_reference,
)

pytestmark = pytest.mark.zod

# Operations of our spec the reference lacks: (api, "METHOD path") -> reason.
OURS_ONLY: dict[tuple[str, str], str] = {}

# Requests our SDK sends that the reference's zod refuses:
# (api, operationId, part, the zod issue's start) -> reason.
REQUEST_DIFFERENCES: dict[tuple[str, str, str, str], str] = {}

# Documents of our spec the reference's response zod refuses (same keys).
RESPONSE_DIFFERENCES: dict[tuple[str, str, str, str], str] = {}

# Reference documents our models refuse, after the stated repair of free-text
# date-times and ids: (api, operationId) -> reason.
MOCK_DIFFERENCES: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def zod() -> Iterator[ZodReference]:
    with zod_reference() as runner:
        yield runner


@pytest.fixture(params=api_params())
def api(request: pytest.FixtureRequest) -> ApiUnderTest:
    param: ApiUnderTest = request.param
    return param


def _spec(api: ApiUnderTest) -> Spec:
    return Spec(api.name, api.spec)


def _sdk(api: ApiUnderTest) -> tuple[Any, Any, Any]:
    """(top package, sync client class, types module) of the committed SDK."""
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    sdk, client = client_class(api)
    types = __import__(f"{api.module}.types", fromlist=["types"])
    return sdk, client, types


def _paired(
    zod: ZodReference, api: ApiUnderTest, spec: Spec
) -> tuple[list[tuple[Call, RefOperation]], dict[str, RefOperation]]:
    """Our calls with their reference operation; the reference's table."""
    ref = reference_operations(zod, api.name)
    _, _, types = _sdk(api)
    out = []
    for call in calls(spec.api, types):
        key = path_key(call.operation.http_method, call.operation.path)
        if key in ref:
            out.append((call, ref[key]))
    return out, ref


def test_operations_pair_with_the_reference(zod: ZodReference, api: ApiUnderTest) -> None:
    spec = _spec(api)
    ref = reference_operations(zod, api.name)
    ours = {path_key(op.http_method, op.path) for op in spec.api.operations}
    unpaired = sorted(k for k in ours - ref.keys() if (api.name, k) not in OURS_ONLY)
    stale = sorted(k for (name, k) in OURS_ONLY if name == api.name and k in ref)
    documented = {k for k, op in ref.items() if op.documented}
    report = (
        f"{api.name}: {len(ours & ref.keys())} of our {len(ours)} operations paired with "
        f"the reference's {len(documented)} documented ({len(ref)} in all)"
    )
    print(report)
    assert not unpaired, f"{report}; ours only, unlisted: {unpaired}"
    assert not stale, f"{report}; listed as ours only but the reference has: {stale}"
    assert len(documented) == api.reference_count, report


def test_spec_has_every_reference_operation(zod: ZodReference, api: ApiUnderTest) -> None:
    spec = _spec(api)
    ref = reference_operations(zod, api.name)
    ours = {path_key(op.http_method, op.path) for op in spec.api.operations}
    missing = sorted(k for k, op in ref.items() if op.documented and k not in ours)
    if len(ours) < api.reference_count:
        pytest.xfail(
            f"{api.spec.name} has {len(ours)} of the reference's {api.reference_count} "
            f"operations (issue #24 grows it); missing: {missing}"
        )
    assert not missing, missing


def _differences(
    found: list[tuple[str, str, str, str]], listed: dict[tuple[str, str, str, str], str],
    api: str,
) -> tuple[list[str], list[str]]:
    """(unlisted issues, listed differences that never happened)."""
    hit: set[tuple[str, str, str, str]] = set()
    unlisted: list[str] = []
    for op_id, part, label, issue in found:
        keys = [k for k in listed if k[:3] == (api, op_id, part) and issue.startswith(k[3])]
        hit.update(keys)
        if not keys:
            unlisted.append(f"{op_id} {part} [{label}] {issue}")
    stale = [" ".join(k) for k in listed if k[0] == api and k not in hit]
    return sorted(set(unlisted)), sorted(stale)


def _request_checks(
    call: Call, ref: RefOperation, sent: Any, schemas: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    """(part, zod check) for one captured request: path, query, body."""
    out: list[tuple[str, dict[str, Any]]] = []
    for part, value, suffix, query in (
        ("path", sent.path, "Params", False),
        ("query", sent.query, "QueryParams", True),
        ("body", sent.body, "Body", False),
    ):
        name = ref.name + suffix
        if name in schemas:
            out.append((part, {"schema": name, "value": value, "query": query}))
        elif value:  # something sent where the reference expects nothing
            out.append((part, {"schema": name, "value": value, "query": query}))
    return out


def test_requests_pass_the_reference_zod(zod: ZodReference, api: ApiUnderTest) -> None:
    spec = _spec(api)
    sdk, client, _ = _sdk(api)
    paired, _ = _paired(zod, api, spec)
    schemas = set(zod.ask("schemas", api=api.name))
    checks: list[dict[str, Any]] = []
    labels: list[tuple[str, str, str]] = []
    requests = 0
    for base, ref in paired:
        for call in body_calls(spec, base):
            sent = split(call.operation, capture(client, sdk, call))
            requests += 1
            for part, check in _request_checks(call, ref, sent, schemas):
                checks.append(check)
                labels.append((call.operation.operation_id, part, ref.name))
    results = zod.ask("validate", api=api.name, checks=checks)
    found = [
        (op_id, part, ref_name, issue)
        for (op_id, part, ref_name), issues in zip(labels, results, strict=True)
        for issue in issues
    ]
    unlisted, stale = _differences(found, REQUEST_DIFFERENCES, api.name)
    report = (
        f"{api.name}: {requests} requests of {len(paired)} operations, "
        f"{len(checks)} zod checks"
    )
    print(report)
    assert len({c.operation.operation_id for c, _ in paired}) == len(paired)
    assert not unlisted, f"{report}; unlisted differences:\n" + "\n".join(unlisted)
    assert not stale, f"{report}; listed but not seen: {stale}"


# orval, which made the reference, writes a zod response schema for a 200
# answer only: operations answering 201 have none, and are counted as such.
NO_ZOD_RESPONSE = "the reference has no zod schema for a non-200 success response"


def _response_pairs(
    zod: ZodReference, api: ApiUnderTest, spec: Spec
) -> tuple[list[tuple[Call, str, Any]], list[str]]:
    """(call, zod response schema name, our response schema) for each paired
    operation with a response document; and the operations left unchecked
    because the reference has no zod schema for their answer."""
    paired, _ = _paired(zod, api, spec)
    schemas = set(zod.ask("schemas", api=api.name))
    out: list[tuple[Call, str, Any]] = []
    unchecked: list[str] = []
    for call, ref in paired:
        op = call.operation
        schema = response_schema(spec, op)
        if schema is None or op.response is None:
            continue
        name = ref.name + "Response"
        if name in schemas:
            out.append((call, name, schema))
        else:
            assert op.response.status != 200, f"no {name} for a 200 answer"
            unchecked.append(op.operation_id)
    return out, unchecked


def test_spec_responses_pass_the_reference_zod(zod: ZodReference, api: ApiUnderTest) -> None:
    spec = _spec(api)
    pairs, unchecked = _response_pairs(zod, api, spec)
    checks: list[dict[str, Any]] = []
    labels: list[tuple[str, str, str]] = []
    for call, name, schema in pairs:
        # Closed objects: keys the spec leaves open would only be noise here.
        for document in draw(instances(schema, spec.raw, request=True)):
            checks.append({"schema": name, "value": shift_year_zero(document)})
            labels.append((call.operation.operation_id, "response", name))
    results = zod.ask("validate", api=api.name, checks=checks)
    found = [
        (op_id, part, ref_name, issue)
        for (op_id, part, ref_name), issues in zip(labels, results, strict=True)
        for issue in issues
    ]
    unlisted, stale = _differences(found, RESPONSE_DIFFERENCES, api.name)
    report = (
        f"{api.name}: {len(checks)} documents of {len(pairs)} operations' responses "
        f"checked; {len(unchecked)} unchecked ({NO_ZOD_RESPONSE}: {unchecked})"
    )
    print(report)
    assert pairs and len(checks) >= len(pairs)
    assert not unlisted, f"{report}; unlisted differences:\n" + "\n".join(unlisted)
    assert not stale, f"{report}; listed but not seen: {stale}"


def test_reference_mocks_parse_with_our_models(zod: ZodReference, api: ApiUnderTest) -> None:
    spec = _spec(api)
    sdk, client, _ = _sdk(api)
    pairs, unchecked = _response_pairs(zod, api, spec)
    refused: dict[tuple[str, str], str] = {}
    fixes: list[str] = []
    for call, name, schema in pairs:
        op = call.operation
        assert op.response is not None
        for document in zod.ask("mocks", api=api.name, schema=name, count=EXAMPLES):
            repaired = repair(schema, document, fixes)
            error = parse_with_sdk(client, call, op.response.status, repaired)
            if error is not None:
                first = (str(error).splitlines() or [""])[0]
                refused.setdefault((api.name, op.operation_id), f"{type(error).__name__}: {first}")
    unlisted = {k: v for k, v in refused.items() if k not in MOCK_DIFFERENCES}
    stale = [k for k in MOCK_DIFFERENCES if k[0] == api.name and k not in refused]
    report = (
        f"{api.name}: reference documents for {len(pairs)} operations parsed by our "
        f"SDK; {len(unchecked)} unchecked ({NO_ZOD_RESPONSE}); {len(fixes)} "
        "free-text date-times/ids replaced"
    )
    print(report)
    assert pairs
    assert not unlisted, f"{report}; refused:\n" + "\n".join(
        f"{k[1]}: {v}" for k, v in unlisted.items()
    )
    assert not stale, f"{report}; listed but parsed: {stale}"

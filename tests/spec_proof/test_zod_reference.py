"""Our SDK and spec against the official TypeScript SDK's zod schemas (an
independent implementation of the live API, ../shared/reference/), for every
API of the package (v2; v1 once its spec and package exist).

Operations are paired by method and path. Each way:
- requests our SDK sends (the IR's call, then hypothesis-drawn path and query
  arguments and bodies) pass the reference's zod schemas for that operation's
  path, query and body, and send no key the reference does not declare;
- documents drawn from our spec's success responses pass the reference's zod
  response schema;
- documents @anatine/zod-mock makes from that zod schema are parsed by our
  SDK (strict response validation).
Every difference is listed below with its reason; an unlisted one fails, and
so does a listed one that no longer happens (remove it then)."""

from __future__ import annotations

import importlib
import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import GENERATED
from .calls import Call, calls
from .strategies import EXAMPLES, instances, shift_year_zero
from .targets import Spec
from .zodcalls import (
    Sent,
    capture,
    draw,
    drawn_calls,
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
    api_spec,
    client_class,
    path_key,
    reference_operations,
    zod_reference,
)

pytestmark = pytest.mark.zod

# Differences that issue #24's growth of spec/ removes: listed only while the
# API's spec has fewer operations than the reference, and must be gone after.
_NEWER = (
    "the live API added it after the published spec ours follows (2026-05-11); "
    "issue #24 brings spec/ up to the reference"
)
PENDING_DIFFERENCES: dict[tuple[str, str, str, str], str] = {
    ("v2", "getBotDetails", "response", "/data/meet_login_credential_id:"): (
        f"the reference requires this field (UUID or null); {_NEWER}"
    ),
    ("v2", "getBotDetails", "response", "/data/callback_config:"): (
        f"the reference requires this field (object or null); {_NEWER}"
    ),
    (
        "v2",
        "getScheduledBotDetails",
        "response",
        "/data/timeout_config/max_recording_duration:",
    ): f"the reference requires this field (integer or null); {_NEWER}",
}
PENDING_REFUSED_MOCKS: dict[tuple[str, str], str] = {
    ("v2", "getBotDetails"): (
        "transcription_provider: the reference allows deepgram, assemblyai, "
        f"speechmatics, soniox and elevenlabs besides gladia; {_NEWER}"
    ),
    ("v2", "getScheduledBotDetails"): (
        "transcription_config.provider: the reference allows deepgram, assemblyai, "
        f"speechmatics and soniox besides gladia; {_NEWER}"
    ),
}

# Operations of our spec the reference lacks: (api, "METHOD path") -> reason.
OURS_ONLY: dict[tuple[str, str], str] = {}

# What the reference's zod refuses in what we send or document, or our SDK
# refuses to send: (api, operationId or "*", "path" | "query" | "body" |
# "response" | "sdk", the issue's start, e.g. its JSON pointer, or "*" and its
# end) -> reason.
DIFFERENCES: dict[tuple[str, str, str, str], str] = {
    ("v1", "*", "response", "*: Invalid datetime"): (
        "the reference's zod takes only a `Z` offset; our v1 spec, like the "
        "published one, any RFC 3339 offset (spec/README.md says so)"
    ),
    ("v1", "resync_all_calendars", "response", "/errors/*/*: Expected object"): (
        "each error is a [calendar UUID, message] pair of strings in the published "
        "spec and ours; orval read the pair's item list as objects (a flaw of the "
        "reference's generator)"
    ),
}

# Reference documents our models refuse (after the stated replacements, see
# zodcalls.repair): (api, operationId) -> reason.
REFUSED_MOCKS: dict[tuple[str, str], str] = {
    ("v1", "resync_all_calendars"): (
        "errors: the reference's mock has objects where the spec has a [UUID, "
        "message] pair of strings (orval's reading of the pair, see DIFFERENCES)"
    ),
}
for _op in (
    "webhook_documentation",
    "bot_webhook_documentation",
    "calendar_webhook_documentation",
):
    REFUSED_MOCKS[("v1", _op)] = (
        "the reference types the answer as any JSON; zod-mock makes no value for "
        "that, an empty answer our SDK refuses where a document is expected"
    )


def _complete(api: ApiUnderTest, spec: Spec) -> bool:
    return len(spec.api.operations) >= api.reference_count


def _listed(api: ApiUnderTest, spec: Spec) -> dict[tuple[str, str, str, str], str]:
    pending = {} if _complete(api, spec) else PENDING_DIFFERENCES
    return {k: v for k, v in (DIFFERENCES | pending).items() if k[0] == api.name}


def _listed_mocks(api: ApiUnderTest, spec: Spec) -> dict[tuple[str, str], str]:
    pending = {} if _complete(api, spec) else PENDING_REFUSED_MOCKS
    return {k: v for k, v in (REFUSED_MOCKS | pending).items() if k[0] == api.name}


def _ours_lacks(api: ApiUnderTest, spec: Spec) -> set[tuple[str, str, str]]:
    """Fields of the reference's documents our spec does not declare (our
    models keep them as extra data): the listed "requires this field" ones."""
    return {
        (name, op, pointer.rstrip(":"))
        for (name, op, part, pointer), reason in _listed(api, spec).items()
        if part == "response" and "requires this field" in reason
    }


# orval, which made the reference, writes a zod response schema for a 200
# answer only: operations answering 201 have none, and are counted as such.
NO_ZOD_RESPONSE = "the reference has no zod schema for a non-200 success response"

_UNDECLARED = "sdkgen_undeclared"


@pytest.fixture(scope="module")
def zod() -> Iterator[ZodReference]:
    with zod_reference() as runner:
        yield runner


@pytest.fixture(params=api_params())
def api(request: pytest.FixtureRequest) -> ApiUnderTest:
    param: ApiUnderTest = request.param
    return param


def _spec(api: ApiUnderTest) -> Spec:
    return api_spec(api)


def _sdk(api: ApiUnderTest) -> tuple[Any, Any, Any]:
    """(top package, sync client class, types module) of the committed SDK."""
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    sdk, client = client_class(api)
    types = importlib.import_module(f"{api.module}.types")
    return sdk, client, types


def _paired(
    zod: ZodReference, api: ApiUnderTest, spec: Spec
) -> list[tuple[Call, RefOperation]]:
    """Our calls (one per operation) with their reference operation."""
    ref = reference_operations(zod, api.name)
    _, _, types = _sdk(api)
    out = []
    for call in calls(spec.api, types):
        key = path_key(call.operation.http_method, call.operation.path)
        if key in ref:
            out.append((call, ref[key]))
    return out


def _ours(spec: Spec) -> set[str]:
    return {path_key(op.http_method, op.path) for op in spec.api.operations}


def test_operations_pair_with_the_reference(
    zod: ZodReference, api: ApiUnderTest
) -> None:
    ref = reference_operations(zod, api.name)
    ours = _ours(_spec(api))
    unpaired = sorted(k for k in ours - ref.keys() if (api.name, k) not in OURS_ONLY)
    stale = sorted(k for (name, k) in OURS_ONLY if name == api.name and k in ref)
    documented = {k for k, op in ref.items() if op.documented}
    report = (
        f"{api.name}: {len(ours & ref.keys())} of our {len(ours)} operations paired "
        f"with the reference's {len(documented)} documented ({len(ref)} in all; "
        "the others are internal, untagged and without a summary)"
    )
    print(report)
    assert not unpaired, f"{report}; ours only, unlisted: {unpaired}"
    assert not stale, f"{report}; listed as ours only but the reference has: {stale}"
    assert len(documented) == api.reference_count, report
    assert not ours & {k for k, op in ref.items() if not op.documented}, report


def test_spec_has_every_reference_operation(
    zod: ZodReference, api: ApiUnderTest
) -> None:
    ref = reference_operations(zod, api.name)
    ours = _ours(_spec(api))
    missing = sorted(k for k, op in ref.items() if op.documented and k not in ours)
    if len(ours) < api.reference_count:
        pytest.xfail(
            f"{api.spec.name} has {len(ours)} of the reference's {api.reference_count} "
            f"operations (issue #24 grows it); missing: {missing}"
        )
    assert not missing, missing


def _matches(key: tuple[str, str, str, str], api: str, found: tuple[str, ...]) -> bool:
    """A listed difference covers an issue: same API and part, its operation
    (or "*", every operation), and the issue's start (or, after "*", its end)."""
    op_id, part, _, issue = found
    if key[0] != api or key[2] != part or key[1] not in (op_id, "*"):
        return False
    if key[3].startswith("*"):
        return issue.endswith(key[3][1:])
    return issue.startswith(key[3])


def _differences(
    found: list[tuple[str, str, str, str]],
    api: str,
    parts: set[str],
    listed: dict[tuple[str, str, str, str], str],
) -> tuple[list[str], list[str]]:
    """(unlisted issues, listed differences of these parts never seen); array
    indices in an issue's pointer read as "*"."""
    hit: set[tuple[str, str, str, str]] = set()
    unlisted: list[str] = []
    for op_id, part, label, issue in found:
        issue = re.sub(r"/\d+(?=/|:)", "/*", issue)
        keys = [k for k in listed if _matches(k, api, (op_id, part, label, issue))]
        hit.update(keys)
        if not keys:
            unlisted.append(f"{op_id} {part} [{label}] {issue}")
    stale = [" ".join(k) for k in listed if k[2] in parts and k not in hit]
    return sorted(set(unlisted)), sorted(stale)


def _request_checks(
    ref: RefOperation, sent: Sent, schemas: set[str]
) -> list[tuple[str, Any]]:
    """(part, zod check) for one captured request: path, query, body; a part
    the reference has no schema for is checked only when something was sent."""
    out: list[tuple[str, Any]] = []
    for part, value, suffix in (
        ("path", list(sent.path.values()), "Params"),
        ("query", sent.query, "QueryParams"),
        ("body", sent.body, "Body"),
    ):
        name = ref.name + suffix
        if name in schemas or value:
            flags = {"query": part == "query", "path": part == "path"}
            out.append((part, {"schema": name, "value": value} | flags))
    return out


def _undeclared(check: dict[str, Any]) -> dict[str, Any] | None:
    """The check with one key the reference cannot know, or None (no object)."""
    value = check["value"]
    if check["path"] or not isinstance(value, dict):  # path values go by position
        return None
    extra = [""] if check["query"] else True
    return check | {"value": value | {_UNDECLARED: extra}}


def test_requests_pass_the_reference_zod(zod: ZodReference, api: ApiUnderTest) -> None:
    spec = _spec(api)
    sdk, client, _ = _sdk(api)
    paired = _paired(zod, api, spec)
    schemas = set(zod.ask("schemas", api=api.name))
    checks: list[dict[str, Any]] = []
    labels: list[tuple[str, str, str]] = []
    probes: dict[tuple[str, str], dict[str, Any]] = {}
    requests = 0
    for base, ref in paired:
        for call in drawn_calls(spec, base):
            request = capture(client, sdk, call)
            requests += 1
            if isinstance(request, Exception):  # the SDK refused the arguments
                checks.append({"schema": "", "value": None, "refused": str(request)})
                labels.append((call.operation.operation_id, "sdk", ref.name))
                continue
            sent = split(call.operation, request)
            for part, check in _request_checks(ref, sent, schemas):
                checks.append(check)
                labels.append((call.operation.operation_id, part, ref.name))
                probe = _undeclared(check)
                if probe is not None:
                    probes.setdefault((call.operation.operation_id, part), probe)
    refused = [c["refused"] for c in checks if "refused" in c]
    results = iter(
        zod.ask(
            "validate", api=api.name, checks=[c for c in checks if "refused" not in c]
        )
    )
    found = [
        (op_id, part, name, issue)
        for (op_id, part, name), check in zip(labels, checks, strict=True)
        for issue in ([check["refused"]] if "refused" in check else next(results))
    ]
    unlisted, stale = _differences(
        found, api.name, {"path", "query", "body", "sdk"}, _listed(api, spec)
    )
    report = (
        f"{api.name}: {requests} requests of {len(paired)} operations, "
        f"{len(checks) - len(refused)} zod checks; {len(refused)} refused by our SDK"
    )
    print(report)
    assert len({c.operation.operation_id for c, _ in paired}) == len(paired)
    assert not unlisted, f"{report}; unlisted differences:\n" + "\n".join(unlisted)
    assert not stale, f"{report}; listed but not seen: {stale}"
    # The oracle sees what is sent: a key the reference cannot know is reported.
    answers = zod.ask("validate", api=api.name, checks=list(probes.values()))
    for where, issues in zip(probes, answers, strict=True):
        assert f"/{_UNDECLARED}: not declared by the reference" in issues, (
            where,
            issues,
        )


def _response_pairs(
    zod: ZodReference, api: ApiUnderTest, spec: Spec
) -> tuple[list[tuple[Call, str, Any]], list[str]]:
    """(call, zod response schema name, our response schema) for each paired
    operation with a response document; and the operations left unchecked
    because the reference has no zod schema for their answer."""
    schemas = set(zod.ask("schemas", api=api.name))
    out: list[tuple[Call, str, Any]] = []
    unchecked: list[str] = []
    for call, ref in _paired(zod, api, spec):
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


def test_spec_responses_pass_the_reference_zod(
    zod: ZodReference, api: ApiUnderTest
) -> None:
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
        (op_id, part, name, issue)
        for (op_id, part, name), issues in zip(labels, results, strict=True)
        for issue in issues
    ]
    unlisted, stale = _differences(found, api.name, {"response"}, _listed(api, spec))
    report = (
        f"{api.name}: {len(checks)} documents of {len(pairs)} operations' responses "
        f"checked; {len(unchecked)} unchecked ({NO_ZOD_RESPONSE}: {unchecked})"
    )
    print(report)
    assert pairs and len(checks) >= len(pairs)
    assert not unlisted, f"{report}; unlisted differences:\n" + "\n".join(unlisted)
    assert not stale, f"{report}; listed but not seen: {stale}"


def _reference_documents(
    zod: ZodReference, api: ApiUnderTest, spec: Spec
) -> Iterator[tuple[Call, Any, list[Any]]]:
    """(call, our response schema, the reference's documents) per operation:
    zod-mock's from its zod schema, or its own MSW factory's (faker) where it
    has no zod schema (a non-200 answer)."""
    pairs, _ = _response_pairs(zod, api, spec)
    by_op = {c.operation.operation_id: (name, schema) for c, name, schema in pairs}
    for call, ref in _paired(zod, api, spec):
        schema = response_schema(spec, call.operation)
        if schema is None:
            continue
        if call.operation.operation_id in by_op:
            name = by_op[call.operation.operation_id][0]
            docs = zod.ask("mocks", api=api.name, schema=name, count=EXAMPLES)
        else:
            docs = zod.ask("mswMocks", api=api.name, operation=ref.name, count=EXAMPLES)
            assert docs is not None, f"the reference has no mock for {ref.name}"
        yield call, schema, docs


def test_reference_mocks_parse_with_our_models(
    zod: ZodReference, api: ApiUnderTest
) -> None:
    spec = _spec(api)
    _, client, _ = _sdk(api)
    refused: dict[tuple[str, str], str] = {}
    fixes: Counter[str] = Counter()
    lacking: set[tuple[str, str, str]] = set()
    checked = 0
    for call, schema, documents in _reference_documents(zod, api, spec):
        op = call.operation
        assert op.response is not None
        checked += 1
        for document in documents:
            found: list[str] = []
            repaired = repair(schema, document, found)
            for fix in found:
                kind, _, where = fix.partition(" ")
                fixes[kind] += 1
                if kind == "extra":
                    where = re.sub(r"/\d+(?=/|$)", "", where.split(":")[0])
                    lacking.add((api.name, op.operation_id, where))
            error = parse_with_sdk(client, call, op.response.status, repaired)
            if error is not None:
                first = (str(error).splitlines() or [""])[0]
                why = f"{type(error).__name__}: {first}"
                refused.setdefault((api.name, op.operation_id), why)
    report = (
        f"{api.name}: the reference's documents for {checked} operations parsed by "
        f"our SDK (zod-mock; its MSW factories where it has no zod schema); "
        f"replaced where they are looser: {fixes['text']} date-times/ids, "
        f"{fixes['const']} `success` flags"
    )
    print(report)
    with_response = [
        c
        for c, _ in _paired(zod, api, spec)
        if response_schema(spec, c.operation) is not None
    ]
    assert checked == len(with_response), report  # every operation with a document
    listed = _listed_mocks(api, spec)
    unlisted = {k: v for k, v in refused.items() if k not in listed}
    assert not unlisted, f"{report}; refused:\n" + "\n".join(
        f"{k[1]}: {v}" for k, v in unlisted.items()
    )
    stale = [k for k in listed if k not in refused]
    assert not stale, f"{report}; listed but parsed: {stale}"
    assert lacking == _ours_lacks(api, spec), (
        f"{report}; fields of the reference our spec lacks differ from the list"
    )


def test_zod_mock_documents_and_the_reference(
    zod: ZodReference, api: ApiUnderTest
) -> None:
    """How faithful zod-mock is: its documents that the reference's own zod
    refuses are only date-times drawn from the regex alone (minutes without
    seconds), which repair() replaces."""
    pairs, _ = _response_pairs(zod, api, _spec(api))
    issues: Counter[str] = Counter()
    for _, name, _ in pairs:
        documents = zod.ask("mocks", api=api.name, schema=name, count=EXAMPLES)
        checks = [{"schema": name, "value": d} for d in documents]
        for found in zod.ask("validate", api=api.name, checks=checks):
            issues.update(issue.rsplit(": ", 1)[1] for issue in found)
    print(f"{api.name}: zod-mock documents the reference's zod refuses: {dict(issues)}")
    assert set(issues) <= {"Invalid datetime"}, issues

"""Checks of a generated SDK's fake API (``<package>.testing``) against its spec,
shared by the bundled SDK's tests and the corpus ones.

Every operation is called through the SDK (valid arguments from the IR, as
tests/spec_proof/calls.py builds them) on a client with
``strict_response_validation=True`` whose transport is the fake; the fake's
default body is also held to the operation's response schema with jsonschema.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

import jsonschema

from generator import ir
from generator.parse.operations import _json_schema, _success_status

from .spec_proof.calls import calls
from .spec_proof.schemas import _data_of_envelope, _raw_ops, inline


def fake_ops(fake: Any) -> dict[str, Any]:
    """Every operation of a FakeTransport, by its key ("bots.create")."""
    return {op.facts.key: op for _, _, op in fake._routes}


def target_of(client: Any, op: ir.Operation) -> Any:
    target = client
    for name in op.resource:
        target = getattr(target, name)
    return getattr(target, op.method_name)


def call_every_operation(
    api: ir.Api, package: ModuleType, testing: ModuleType
) -> tuple[list[str], list[str]]:
    """Each operation called once through the fake: (problems found, calls
    the SDK refused to send, which never reached the fake)."""
    problems: list[str] = []
    unsent: list[str] = []
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    for call in calls(api, package.types):
        key = call.operation.python_call.removeprefix("client.")
        before = len(fake.calls)
        try:
            result = target_of(client, call.operation)(*call.args, **call.kwargs)
            if call.view.paginated:
                list(result)
        except Exception as exc:  # any: reported with its operation
            found = f"{key}: {type(exc).__name__}: {exc}"
            (problems if len(fake.calls) > before else unsent).append(found)
            continue
        if [c.operation for c in fake.calls[before:]] != [key]:
            problems.append(f"{key}: the fake recorded {fake.calls[before:]}")
    return problems, unsent


def response_schema(
    raw: dict[str, Any], op: ir.Operation, ops: dict[tuple[str, str], Any]
) -> Any:
    """The spec's JSON schema of the operation's success body (refs inlined)."""
    assert op.response is not None
    responses = ops[(op.path, op.http_method)].get("responses") or {}
    found = _json_schema(raw, responses[_success_status(responses)], "#")
    return None if found is None else inline(raw, found[0])


def schema_problems(
    raw: dict[str, Any], api: ir.Api, fake_operations: Iterable[Any]
) -> tuple[int, list[str]]:
    """(bodies checked, problems): each JSON default body against its schema."""
    by_key = {op.facts.key: op for op in fake_operations}
    ops = _raw_ops(raw)
    checked, problems = 0, []
    for op in api.operations:
        facts = by_key[op.python_call.removeprefix("client.")].facts
        if facts.media != "json":
            continue
        schema = response_schema(raw, op, ops)
        if schema is None:
            continue
        schema = nullable_as_null(schema)  # the generator reads it in 3.1 too
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.FormatChecker()
        )
        errors = list(validator.iter_errors(facts.example))
        checked += 1
        if errors:
            errors = [jsonschema.exceptions.best_match(errors)]
            where = "/".join(str(p) for p in errors[0].absolute_path)
            problems.append(f"{facts.key} at /{where}: {errors[0].message[-300:]}")
    return checked, problems


def data_schema(raw: dict[str, Any], op: ir.Operation) -> Any:
    """The schema of what the SDK returns for ``op``: the envelope's ``data``
    when it unwraps one, else the whole body (refs inlined)."""
    assert op.response is not None
    raw_op = _raw_ops(raw)[(op.path, op.http_method)]
    responses = raw_op["responses"]
    found = _json_schema(raw, responses[_success_status(responses)], "#")
    assert found is not None, op.operation_id
    schema = found[0]
    if op.response.unwrapped:
        schema = _data_of_envelope(raw, schema)
    return inline(raw, schema)


def round_trip(
    testing: ModuleType, op: ir.Operation, call: Any, value: Any
) -> tuple[Any, Any]:
    """(what the SDK call returned, ``value``) after ``returns(value)``."""
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    key = op.python_call.removeprefix("client.")
    fake_ops(fake)[key].returns(value)
    result = target_of(client, op)(*call.args, **call.kwargs)
    return (list(result) if call.view.paginated else result), value


def nullable_as_null(schema: Any) -> Any:
    """An OpenAPI 3.0 schema's ``nullable: true`` as JSON Schema says it."""
    if isinstance(schema, list):
        return [nullable_as_null(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: nullable_as_null(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out

"""Reading one schema of the spec: its constraints, its default (checked
against its own type and format), its description for messages, and the
small helpers every parser shares (JSON pointers, frozen JSON values,
component names, unique names).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from .. import ir
from ..describe import json_value
from ..errors import escape_pointer_token
from ..naming import singular, words
from .loader import deref


@dataclass(frozen=True)
class NameHint:
    """Where a shape was met, for naming it: a spec name or a property of a parent."""

    priority: int  # 0: a component/spec name, 1: a property or parameter name
    name: str
    parent: str | None = None  # the parent shape's id, for qualified names
    component: bool = False  # a components/schemas name (may carry zod's "Input")


_NUMBER_KEYS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)


def _default_text(f: ir.Field) -> str:
    if not f.has_default:
        return "none"
    return json.dumps(json_value(f.default), sort_keys=True)


def merge_defaults(kept: list[ir.Field], copy: list[ir.Field]) -> list[ir.Field]:
    """``kept`` (the first copy's fields) noting where another copy of the same
    model has another default, so that a diff still sees a default change."""
    other = {f.wire_name: f for f in copy}
    merged: list[ir.Field] = []
    for f in kept:
        texts = set(f.copy_defaults) or {_default_text(f)}
        texts.add(_default_text(other[f.wire_name]))
        found = tuple(sorted(texts)) if len(texts) > 1 else ()
        merged.append(replace(f, copy_defaults=found) if found else f)
    return merged


def freeze(value: Any) -> ir.JsonValue:
    """JSON -> hashable IR value (objects become sorted key/value tuples)."""
    if isinstance(value, dict):
        return tuple((str(k), freeze(v)) for k, v in sorted(value.items()))
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value  # type: ignore[no-any-return]


def child(where: str, *tokens: str | int) -> str:
    return where + "".join("/" + escape_pointer_token(t) for t in tokens)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (),  # a null default returns early; nothing else is null
}


# Primitive kind, or list/dict -> (Python types of a default, its JSON name).
_DEFAULT_KINDS: dict[str, tuple[tuple[type, ...], str]] = {
    "list": ((list,), "array"),
    "dict": ((dict,), "object"),
    "str": ((str,), "string"),
    "int": ((int,), "integer"),
    "float": ((int, float), "number"),
    "bool": ((bool,), "boolean"),
}


def kind_problem(value: Any, kind: str) -> str | None:
    types, name = _DEFAULT_KINDS[kind]
    if isinstance(value, types) and (kind == "bool" or not isinstance(value, bool)):
        return None
    return f"default {value!r} is not of type {name}"


def is_one_of(value: Any, allowed: list[Any]) -> bool:
    """``value in allowed``, where True is not 1."""
    return value in [
        v for v in allowed if isinstance(v, bool) == isinstance(value, bool)
    ]


def default_problem(schema: dict[str, Any]) -> str | None:
    """Why a schema's ``default`` does not match its own type or format."""
    value = schema.get("default")
    if value is None:
        return None
    allowed = [schema["const"]] if "const" in schema else schema.get("enum")
    # (a value the model's field would refuse)
    if isinstance(allowed, list) and not is_one_of(value, allowed):
        return f"default {value!r} is not one of the allowed values"
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if not isinstance(kinds, list):
        return None
    if not any(_fits(value, k) for k in kinds):
        return f"default {value!r} is not of type {'/'.join(map(str, kinds))}"
    return _format_problem(value, schema.get("format"))


def _fits(value: Any, kind: Any) -> bool:
    """``value`` is of JSON type ``kind`` (a bool is no number)."""
    return isinstance(value, _JSON_TYPES.get(kind, (object,))) and not (
        kind in ("integer", "number") and isinstance(value, bool)
    )


def _format_problem(value: Any, fmt: Any) -> str | None:
    if isinstance(value, str) and fmt in _FORMAT_CHECKS:
        try:
            _FORMAT_CHECKS[fmt](value)
        except ValueError:
            return f"default {value!r} is not a valid {fmt}"
    return None


def _check_uuid(value: str) -> None:

    uuid.UUID(value)


def _check_datetime(value: str) -> None:

    datetime.fromisoformat(value.replace("Z", "+00:00"))


def _check_date(value: str) -> None:

    date.fromisoformat(value)


_FORMAT_CHECKS = {
    "uuid": _check_uuid,
    "date-time": _check_datetime,
    "date": _check_date,
}


def is_null_schema(schema: Any, raw: dict[str, Any]) -> bool:
    schema = deref(raw, schema, "#")[0]
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("type") == ["null"]
    )


def item_hint(hint: NameHint) -> NameHint:
    *head, last = words(hint.name) or [hint.name]
    return NameHint(
        hint.priority, "_".join([*head, singular(last)]), hint.parent, hint.component
    )


def component_name(ref: str) -> str | None:
    prefix = "#/components/schemas/"
    return (
        ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
        if ref.startswith(prefix)
        else None
    )


def ref_of(schema: Any) -> str | None:
    """A schema's ``$ref`` when it has a string one, else None."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref if isinstance(ref, str) else None


def ref_component(schema: Any) -> str | None:
    """The component a schema's ``$ref`` names, else None."""
    ref = ref_of(schema)
    return None if ref is None else component_name(ref)


def component_names(raw: dict[str, Any]) -> list[str]:
    """The names of the spec's component schemas."""
    components = raw.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return [str(n) for n in schemas] if isinstance(schemas, dict) else []


def resolve(raw: dict[str, Any], ref: str, where: str) -> Any:
    from .loader import resolve_pointer

    return resolve_pointer(raw, ref, where)


def constraints_of(schema: dict[str, Any]) -> ir.Constraints:
    numbers = {k: schema.get(k) for k in _NUMBER_KEYS}
    # OpenAPI 3.0 spells exclusive bounds as booleans next to minimum/maximum.
    if numbers["exclusiveMinimum"] is True:
        numbers["exclusiveMinimum"], numbers["minimum"] = numbers["minimum"], None
    if numbers["exclusiveMaximum"] is True:
        numbers["exclusiveMaximum"], numbers["maximum"] = numbers["maximum"], None
    for k in ("exclusiveMinimum", "exclusiveMaximum"):
        if numbers[k] is False:
            numbers[k] = None
    return ir.Constraints(
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        pattern=schema.get("pattern"),
        minimum=numbers["minimum"],
        maximum=numbers["maximum"],
        exclusive_minimum=numbers["exclusiveMinimum"],
        exclusive_maximum=numbers["exclusiveMaximum"],
        multiple_of=numbers["multipleOf"],
    )


def describe(schema: Any, raw: dict[str, Any]) -> str:
    """The schema's description, or the first one found inside an anyOf wrapper."""
    if not isinstance(schema, dict):
        return ""
    text = schema.get("description")
    if isinstance(text, str) and text.strip():
        return text.strip()
    if isinstance(schema.get("$ref"), str):  # a property documented by its type
        return describe(resolve(raw, schema["$ref"], schema["$ref"]), raw)
    for option in _inline_options(schema):
        inner = describe(option, raw)
        if inner:
            return inner
    return ""


def _inline_options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of a schema's anyOf, oneOf and allOf that are no $ref."""
    return [
        option
        for key in ("anyOf", "oneOf", "allOf")
        for option in schema.get(key) or []
        if isinstance(option, dict) and "$ref" not in option
    ]


def unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name}_{n}"
        n += 1
    used.add(candidate)
    return candidate

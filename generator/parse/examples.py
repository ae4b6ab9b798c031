"""The spec's example values, read into the IR (``ir.Example``) for the fake
API of ``<package>.testing``: a schema's ``example`` and ``examples`` (3.1's
JSON Schema array), a media type's ``example`` and ``examples.{name}.value``.

Only read here; whether one fits its schema is decided where it is used
(``generator/emit/examplecheck.py``), which warns with its pointer when not.
"""

from __future__ import annotations

import json
from typing import Any

from .. import ir
from ..errors import SpecError
from .loader import deref, lookup_pointer, pointer_tokens
from .schemas import child

_MAX_EXAMPLES = 8  # per place: the first valid one is used


def _example(value: Any, where: str) -> ir.Example | None:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # not JSON (a YAML date, NaN): unusable
        return None
    return ir.Example(text, where)


def schema_examples(raw: Any, schema: Any, where: str) -> tuple[ir.Example, ...]:
    """A schema's own examples (its ``$ref``s followed): ``example``, then the
    items of ``examples``."""
    try:
        schema, where = deref(raw, schema, where)
    except SpecError:
        return ()
    if not isinstance(schema, dict):
        return ()
    found: list[ir.Example | None] = []
    if "example" in schema:
        found.append(_example(schema["example"], child(where, "example")))
    listed = schema.get("examples")
    if isinstance(listed, list):
        found.extend(
            _example(v, child(where, "examples", i))
            for i, v in enumerate(listed[:_MAX_EXAMPLES])
        )
    return tuple(e for e in found if e is not None)


def at_pointer(raw: Any, where: str) -> Any:
    """The node at a local pointer (``#/components/...``), or None."""
    if not where.startswith("#"):
        return None
    found, node = lookup_pointer(raw, pointer_tokens(where[1:]))
    return node if found else None


def model_examples(
    raw: Any, source: str
) -> tuple[tuple[ir.Example, ...], dict[str, tuple[ir.Example, ...]]]:
    """The examples of the schema a model was made from, and of each property
    that schema declares itself (by wire name; only those that have some)."""
    schema = at_pointer(raw, source) if source else None
    if not isinstance(schema, dict):
        return (), {}
    props = schema.get("properties")
    fields: dict[str, tuple[ir.Example, ...]] = {}
    if isinstance(props, dict):
        for name, prop in props.items():
            if isinstance(prop, dict) and ("example" in prop or "examples" in prop):
                where = child(source, "properties", name)
                fields[str(name)] = schema_examples(raw, prop, where)
    return schema_examples(raw, schema, source), fields


def media_examples(
    raw: Any, entry: Any, where: str, schema: Any, schema_where: str
) -> tuple[ir.Example, ...]:
    """A media type's examples, then its schema's: ``where`` is the media
    type's pointer."""
    found: list[ir.Example | None] = []
    if isinstance(entry, dict):
        if "example" in entry:
            found.append(_example(entry["example"], child(where, "example")))
        named = entry.get("examples")
        if isinstance(named, dict):
            for name, value in list(named.items())[:_MAX_EXAMPLES]:
                found.append(_named_example(raw, value, child(where, "examples", name)))
    out = [e for e in found if e is not None]
    out.extend(schema_examples(raw, schema, schema_where))
    return tuple(out)


def _named_example(raw: Any, value: Any, where: str) -> ir.Example | None:
    """An Example Object's ``value`` (its ``$ref`` followed); none for an
    ``externalValue``."""
    try:
        value, where = deref(raw, value, where)
    except SpecError:
        return None
    if not isinstance(value, dict) or "value" not in value:
        return None
    return _example(value["value"], child(where, "value"))

"""What a schema's parts say, read without building types: an OpenAPI
``discriminator``'s values and ``anyOf``/``oneOf`` options that only list
required properties (``allOf`` is read in ``allof.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir
from .schemas import ref_component

__all__ = ["required_sets", "spec_discriminator"]


def spec_discriminator(
    discriminator: Any,
    met: list[tuple[Any, ir.TypeRef]],
    literal_of: Callable[[ir.TypeRef, str], str | None],
) -> tuple[str, tuple[tuple[str, ir.TypeRef], ...]] | None:
    """(property, (value, option) pairs) of an OpenAPI ``discriminator``: the
    ``mapping``'s values; where it names none for an option, the const value
    the option declares for the property, else its component name."""
    found = _property_and_mapping(discriminator)
    if found is None:
        return None
    prop, mapping = found
    pairs: list[tuple[str, ir.TypeRef]] = []
    for option, t in met:
        tags = _option_tags(option, t, prop, mapping, literal_of)
        if tags is None:
            return None
        pairs.extend((tag, t) for tag in tags)
    return prop, tuple(pairs)


def _property_and_mapping(discriminator: Any) -> tuple[str, dict[Any, Any]] | None:
    if not isinstance(discriminator, dict):
        return None
    prop = discriminator.get("propertyName")
    mapping = discriminator.get("mapping") or {}
    if not isinstance(prop, str) or not isinstance(mapping, dict):
        return None
    return prop, mapping


def _option_tags(
    option: Any,
    t: ir.TypeRef,
    prop: str,
    mapping: dict[Any, Any],
    literal_of: Callable[[ir.TypeRef, str], str | None],
) -> list[str] | None:
    """The discriminator values that pick one option; None when the option
    has none to go by (not a model, or inline with no const)."""
    if not isinstance(t, ir.ModelRef):
        return None
    ref = option.get("$ref") if isinstance(option, dict) else None
    name = ref_component(option)
    tags = _mapped_tags(mapping, ref, name)
    const = None if tags else literal_of(t, prop)
    if const is not None:
        return [const]
    if not isinstance(ref, str):
        return None  # an inline option with no const: no name to go by
    return tags or _implicit_tags(name or ref, mapping)


def _mapped_tags(mapping: dict[Any, Any], ref: Any, name: str | None) -> list[str]:
    """The values the mapping gives an option's ``$ref`` (or its component
    name); none for an option without a ``$ref``."""
    return [str(k) for k, v in mapping.items() if ref and v in (ref, name)]


def _implicit_tags(name: str, mapping: dict[Any, Any]) -> list[str]:
    """An option's component name as its value, unless the mapping names that
    value: it picks its schema, whichever other option's component has that
    name (``pet`` beside ``Pet``): one type per value."""
    implicit = str(name)
    return [] if implicit in mapping else [implicit]


_RULE_ONLY = {"required", "description", "title", "$comment"}


def required_sets(schema: dict[str, Any], key: str) -> tuple[tuple[str, ...], ...]:
    """``anyOf``/``oneOf`` options that only list required properties of the
    schema's own ``properties`` (JSON Schema's "at least one of"), else ()."""
    options, properties = schema.get(key), schema.get("properties")
    if not isinstance(options, list) or not options or not isinstance(properties, dict):
        return ()
    sets = []
    for option in options:
        names = _required_only(option, properties)
        if names is None:
            return ()
        sets.append(names)
    return tuple(sets)


def _required_only(option: Any, properties: dict[str, Any]) -> tuple[str, ...] | None:
    """The names an option that only lists required ``properties`` lists."""
    names = option.get("required") if isinstance(option, dict) else None
    if (
        not isinstance(names, list)
        or set(option) - _RULE_ONLY
        or not all(isinstance(n, str) and n in properties for n in names)
    ):
        return None
    return tuple(names)

"""Validating response data: strict, or lenient (the default).

Lenient validation never fails a call because the server deviated from the
spec in one field: the parts that validate are typed, the rest are kept as
the raw JSON value, and a warning is logged. ``strict=True`` raises instead.
Leniency is for fields: a value that is wholly not the declared type (``null``,
``42`` or ``"text"`` where an object or a list of objects is expected) raises
in either mode.
"""

from __future__ import annotations

import functools
import logging
import types
import typing
from typing import Any

import pydantic
import pydantic_core
from pydantic.fields import FieldInfo

from ._constants import LOGGER_NAME
from ._models import BaseModel, mark, refuse_coercions

__all__ = ["describe_errors", "type_adapter", "validate"]

log = logging.getLogger(LOGGER_NAME)


_PYTHON_RE = pydantic.ConfigDict(regex_engine="python-re")


def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    try:
        return pydantic.TypeAdapter(tp)
    except pydantic_core.SchemaError:
        # A pattern with look-around or backreferences, which pydantic-core's
        # engine cannot read: a model says so in its config, a bare type
        # (a list of patterned strings) cannot, so Python's ``re`` checks it.
        return pydantic.TypeAdapter(tp, config=_PYTHON_RE)


@functools.cache
def _cached_adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return _adapter(tp)


def type_adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    # Building a TypeAdapter compiles a validator: do it once per type.
    try:
        return _cached_adapter(tp)
    except TypeError:  # unhashable type expression
        return _adapter(tp)


def describe_errors(exc: pydantic.ValidationError, limit: int = 3) -> str:
    """Where and why validation failed, without the offending values.

    Values are left out on purpose: a response may echo a credential.
    """
    errors = exc.errors(include_input=False, include_url=False)
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
        for e in errors[:limit]
    ]
    more = len(errors) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def validate(tp: Any, value: object, *, strict: bool, where: str) -> Any:
    """``value`` as ``tp``; raises ``pydantic.ValidationError`` only if strict."""
    try:
        return type_adapter(tp).validate_python(value)
    except pydantic.ValidationError as exc:
        if strict or not _fits(tp, value):
            raise
        log.warning(
            "%s did not match the expected schema (%s); returning the data with"
            " the mismatching fields left as raw JSON values. Pass"
            " strict_response_validation=True to raise instead.",
            where,
            describe_errors(exc),
        )
    return _lenient(tp, value)


def _fits(tp: Any, value: object) -> bool:
    """Whether ``value`` is of ``tp``'s kind, so that salvaging its fields makes
    sense: an object for a model, a list whose items fit for a list, and for
    anything else a value that validates."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _fits(typing.get_args(tp)[0], value)
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return isinstance(value, dict)
    if origin is list:
        (item_type,) = typing.get_args(tp) or (Any,)
        return isinstance(value, list) and all(_fits(item_type, v) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    if origin is typing.Union or origin is types.UnionType:
        return any(_fits(arg, value) for arg in typing.get_args(tp))
    try:
        type_adapter(tp).validate_python(value)
    except (pydantic.ValidationError, TypeError):
        return False
    return True


def _lenient(tp: Any, value: object) -> Any:
    try:
        return type_adapter(tp).validate_python(value)
    except pydantic.ValidationError:
        return _salvage(tp, value)


def _salvage(tp: Any, value: object) -> Any:
    """What can be typed inside a ``value`` that is not a valid ``tp``."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        # Only to reach models and lists inside: the constraints failed.
        return _salvage(typing.get_args(tp)[0], value)
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return _construct(tp, value) if isinstance(value, dict) else value
    if origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(tp) or (Any,)
        return [_lenient(item_type, item) for item in value]
    if (origin is typing.Union or origin is types.UnionType) and isinstance(
        value, dict
    ):
        # Which member was meant is unknowable; the first model at least
        # gives typed access to the fields it shares with the value.
        for arg in typing.get_args(tp):
            if isinstance(arg, type) and issubclass(arg, pydantic.BaseModel):
                return _construct(arg, value)
    return value


def _field_type(field: FieldInfo) -> Any:
    if field.metadata:
        return typing.Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def _construct(model: type[pydantic.BaseModel], data: dict[str, Any]) -> Any:
    """A ``model`` instance: fields that validate are typed, others kept raw."""
    names = {(f.alias or n): n for n, f in model.model_fields.items()}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, raw in data.items():
        name = names.get(key, key if key in model.model_fields else None)
        if name is None:
            extra[key] = raw
        else:
            field_type = _field_type(model.model_fields[name])
            try:
                # The model's own field checks first (see _models).
                refuse_coercions(model, raw, name)
                values[name] = type_adapter(field_type).validate_python(raw)
            except ValueError:  # includes pydantic.ValidationError
                values[name] = _salvage(field_type, raw)
    fields_set = set(values)
    for name, field in model.model_fields.items():
        if name not in values:
            # A missing required field reads as None rather than raising
            # AttributeError; it is not in model_fields_set.
            values[name] = (
                None
                if field.is_required()
                else field.get_default(call_default_factory=True)
            )
    instance = model.model_construct(_fields_set=fields_set, **values)
    if extra and instance.__pydantic_extra__ is not None:
        instance.__pydantic_extra__.update(extra)
    if isinstance(instance, BaseModel):
        mark(instance, "_raw_kept", True)
    return instance

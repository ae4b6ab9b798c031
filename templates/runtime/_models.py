"""Base classes for the generated pydantic models and enums."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from typing import Any, ClassVar, Literal

import pydantic
from pydantic import ConfigDict, ValidationInfo, field_validator

__all__ = ["BaseModel", "OpenEnum", "RequestModel"]

# The package __init__ re-exports these; the rest of __all__ is for the SDK's modules.
_PACKAGE_EXPORTS: tuple[str, ...] = ("BaseModel", "OpenEnum", "RequestModel")


@functools.cache
def _scalar_types(annotation: Any) -> frozenset[type]:
    """The plain classes an annotation admits (through Annotated, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _scalar_types(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        found: frozenset[type] = frozenset()
        for arg in typing.get_args(annotation):
            found |= _scalar_types(arg)
        return found
    return frozenset({annotation}) if isinstance(annotation, type) else frozenset()


def refuse_coercions(cls: type[pydantic.BaseModel], value: Any, name: str) -> Any:
    # pydantic's lax mode reads True as 1 and 0 as 1970-01-01: both are almost
    # always a bug on one side, so they are refused instead of coerced.
    if not isinstance(value, int | float):  # first: most values are strings
        return value
    field = cls.model_fields.get(name)
    if field is None:
        return value
    try:
        kinds = _scalar_types(field.annotation)  # type: ignore[arg-type]
    except TypeError:  # unhashable annotation
        return value
    if isinstance(value, bool):
        if bool not in kinds and kinds & {int, float, dt.datetime, dt.date}:
            raise ValueError("Input should not be a boolean")
    elif kinds & {dt.datetime, dt.date} and not kinds & {int, float}:
        raise ValueError("Input should be a datetime string, not a number")
    return value


def _private(model: pydantic.BaseModel) -> dict[str, Any]:
    return model.__pydantic_private__ or {}


def mark(model: pydantic.BaseModel, name: str, value: object) -> None:
    """Set ``_request_id`` or ``_raw_kept`` (see :class:`BaseModel`)."""
    private = model.__pydantic_private__
    if private is None:
        object.__setattr__(model, "__pydantic_private__", {name: value})
    else:
        private[name] = value


class BaseModel(pydantic.BaseModel):
    """Base for response and webhook models.

    Unknown fields are accepted and kept (``model_extra``) so that an API
    adding a field never breaks an installed SDK, and the data is not lost.
    """

    model_config = ConfigDict(
        extra="allow",
        # Generated fields use Python names with the wire name as alias;
        # accept both so users can build models by hand in tests.
        populate_by_name=True,
        # Field names such as `model_id` are legitimate API names.
        protected_namespaces=(),
        # Validators are built on first use, not at import: an SDK with a hundred
        # models imports in a few milliseconds.
        defer_build=True,
        # NaN and Infinity are not JSON numbers; never let them through.
        allow_inf_nan=False,
    )

    # Both kept in pydantic's private-values dict, set only when there is
    # something to say: declared private attributes would cost every model
    # instance a Python call when it is validated (a page of a thousand
    # objects: 40 % slower).

    @property
    def _request_id(self) -> str | None:
        """The id of the response this object came from (``x-request-id``),
        as openai-python has it; None for objects built by hand."""
        value = _private(self).get("_request_id")
        return value if isinstance(value, str) else None

    @property
    def _raw_kept(self) -> bool:
        """Whether lenient parsing kept a raw value in this object: exporting
        then skips pydantic's "unexpected value" warnings, which would only
        repeat the warning logged when the response was read."""
        return bool(_private(self).get("_raw_kept"))

    def __eq__(self, other: object) -> bool:
        # pydantic also compares private values: an object read from a
        # response (which knows its request id) would never equal the same
        # value built by hand. That metadata is not part of the value.
        if not isinstance(other, pydantic.BaseModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and (self.__pydantic_extra__ or {}) == (other.__pydantic_extra__ or {})
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as in pydantic

    @field_validator("*", mode="before")
    @classmethod
    def _no_lax_coercion(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_coercions(cls, value, info.field_name or "")

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        if self._raw_kept:
            kwargs.setdefault("warnings", False)
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        if self._raw_kept:
            kwargs.setdefault("warnings", False)
        return super().model_dump_json(**kwargs)

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        by_alias: bool = True,
        exclude_unset: bool = True,
    ) -> dict[str, Any]:
        """The model as a dict keyed by wire names, leaving out unset fields."""
        return self.model_dump(
            mode=mode, by_alias=by_alias, exclude_unset=exclude_unset
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        by_alias: bool = True,
        exclude_unset: bool = True,
    ) -> str:
        """The model as a JSON string keyed by wire names."""
        return self.model_dump_json(
            indent=indent, by_alias=by_alias, exclude_unset=exclude_unset
        )


class RequestModel(pydantic.BaseModel):
    """Base for request bodies.

    ``extra="forbid"`` turns a misspelt field into an immediate local error
    instead of a silently ignored value (or a 400 from the server).
    ``validate_assignment`` keeps a model valid after it is mutated; assigned
    fields also count as "set", so they are sent (bodies are dumped with
    ``exclude_unset=True``, which leaves untouched defaults to the server).
    """

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        validate_assignment=True,
        protected_namespaces=(),
        defer_build=True,
        allow_inf_nan=False,
    )

    # Set by the generated models that have them. Defaults here, because a
    # look-up that misses goes through pydantic's slow class __getattr__.
    __non_nullable__: ClassVar[frozenset[str]] = frozenset()
    __comma_lists__: ClassVar[frozenset[str]] = frozenset()
    __requires_any__: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _no_lax_coercion(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_coercions(cls, value, info.field_name or "")


class OpenEnum(enum.StrEnum):
    """A string enum that accepts values it does not know.

    ``RecordingMode("new_mode")`` returns a pseudo-member (cached, so identity
    holds) instead of raising; pydantic validation goes through the same
    hook, so a field typed ``RecordingMode`` keeps working when the API adds a
    value. Pseudo-members are not listed by ``list(RecordingMode)`` and report
    ``is_known == False``. Being a ``StrEnum``, members compare equal to and
    format as their raw string value.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        # setdefault: two threads creating the same pseudo-member agree on one.
        return cls._value2member_map_.setdefault(value, member)

    @property
    def is_known(self) -> bool:
        """Whether this value was declared in the SDK (False for pseudo-members)."""
        return type(self).__members__.get(self._name_) is self

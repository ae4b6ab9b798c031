"""Value formats and request building shared by the generated models and resources."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import pydantic
from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from ._models import OpenEnum
from ._types import NOT_GIVEN

__all__ = [
    "UriFormat",
    "ZuluDateTime",
    "build",
    "build_items",
    "path_segment",
    "split_params",
]

M = TypeVar("M", bound=pydantic.BaseModel)


def _to_zulu(value: datetime) -> str:
    # The API accepts only UTC written with "Z"; naive datetimes are taken as UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


class ZuluDateTime:
    """``Annotated[datetime, ZuluDateTime(pattern)]``: strings must match the spec's
    pattern (the API's ``...Z`` form), datetimes of any offset are accepted, and
    values are always sent as UTC with ``Z``."""

    def __init__(self, pattern: str | None = None) -> None:
        self.regex = re.compile(pattern) if pattern else None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        regex = self.regex

        def check(value: Any) -> Any:
            if isinstance(value, str) and regex is not None and not regex.search(value):
                # Templates substitute {value} with str(); repr() keeps quotes.
                raise PydanticCustomError(
                    "datetime_format",
                    "Datetime must be ISO 8601 in UTC ending in 'Z', got {value}",
                    {"value": repr(value)},
                )
            return value

        return core_schema.no_info_before_validator_function(
            check,
            handler(source),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _to_zulu, when_used="json"
            ),
        )


class UriFormat:
    """``Annotated[str, UriFormat()]``: an absolute URL with a scheme and a host."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def check(value: str) -> str:
            parts = urlsplit(value)
            if not parts.scheme or not (parts.netloc or parts.path) or " " in value:
                raise PydanticCustomError(
                    "url_format",
                    "Input should be an absolute URL, got {value}",
                    {"value": repr(value)},
                )
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


def build(model: type[M], values: Mapping[str, Any]) -> M:
    """Validate the arguments a caller gave (NOT_GIVEN left out) into a request model.

    Besides the model's own rules: an enum value the SDK does not know and an
    explicit None for a field the spec does not allow to be null are refused here,
    so the request is never sent.
    """
    instance = model.model_validate(
        {k: v for k, v in values.items() if v is not NOT_GIVEN}
    )
    _check_request_values(instance, model.__name__)
    return instance


def build_items(
    model: type[M],
    items: Iterable[M | Mapping[str, Any]],
    *,
    min_items: int | None = None,
    max_items: int | None = None,
) -> list[M]:
    """A batch body: each item a model instance or a mapping of its fields.

    The spec's item-count bounds are checked here so that an empty or
    oversized batch is refused before anything is sent.
    """
    if isinstance(items, str | bytes | Mapping | pydantic.BaseModel):
        # A lone item would otherwise iterate as its keys, fields or chars.
        raise TypeError(f"body: expected a sequence of {model.__name__} items")
    items = list(items)
    if min_items is not None and len(items) < min_items:
        raise ValueError(
            f"body: at least {min_items} item(s) required, got {len(items)}"
        )
    if max_items is not None and len(items) > max_items:
        raise ValueError(f"body: at most {max_items} items allowed, got {len(items)}")
    out: list[M] = []
    for i, item in enumerate(items):
        if isinstance(item, model):
            _check_request_values(item, f"{model.__name__}[{i}]")
            out.append(item)
        else:
            out.append(build(model, item))  # type: ignore[arg-type]
    return out


def _check_request_values(value: Any, where: str) -> None:
    if isinstance(value, OpenEnum) and not value.is_known:
        allowed = ", ".join(repr(m.value) for m in type(value))
        raise ValueError(f"{where}: unknown value {value.value!r} (allowed: {allowed})")
    if isinstance(value, pydantic.BaseModel):
        non_nullable: Iterable[str] = getattr(value, "__non_nullable__", ())
        for name in value.model_fields_set:
            item = getattr(value, name, None)
            if item is None and name in non_nullable:
                raise ValueError(
                    f"{where}.{name}: may be left out but must not be None"
                )
            _check_request_values(item, f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_request_values(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_request_values(item, f"{where}[{key!r}]")


def split_params(
    params: pydantic.BaseModel,
    *,
    query: Iterable[str] = (),
    header: Iterable[str] = (),
    cookie: Iterable[str] = (),
    delimited: Mapping[str, str] | None = None,
    deep: Iterable[str] = (),
) -> tuple[dict[str, object], dict[str, str]]:
    """Query and header values of a params model, keyed by wire name, JSON-encoded.

    ``delimited`` arrays are joined by their separator (OpenAPI ``explode:
    false``; header arrays always); ``deep`` objects become ``name[key]`` query
    keys; ``cookie`` values join one ``Cookie`` header.
    """
    data = params.model_dump(mode="json", by_alias=False)
    fields = type(params).model_fields
    joined = delimited or {}

    def wire(n: str) -> str:
        return fields[n].alias or n

    def value(n: str) -> Any:
        v = data[n]
        if n in joined and isinstance(v, list):
            return joined[n].join(_scalar_text(i) for i in v)
        return v

    query_values: dict[str, object] = {}
    for n in query:
        if data.get(n) is None:
            continue
        if n in deep and isinstance(data[n], dict):
            for key, item in data[n].items():
                query_values[f"{wire(n)}[{key}]"] = item
        else:
            query_values[wire(n)] = value(n)
    header_values = {
        wire(n): _scalar_text(value(n)) for n in header if data.get(n) is not None
    }
    cookies = [
        f"{wire(n)}={_scalar_text(value(n))}" for n in cookie if data.get(n) is not None
    ]
    if cookies:
        header_values["Cookie"] = "; ".join(cookies)
    return query_values, header_values


def tagged(prop: str, tags: Mapping[str, str]) -> Callable[[Any], str | None]:
    """A pydantic discriminator for the spec's ``discriminator``: the tag of the
    option a value's ``prop`` names (``tags``: value -> option tag)."""

    def pick(value: Any) -> str | None:
        if not isinstance(value, Mapping):  # an instance: tagged by its class
            name = type(value).__name__
            return name if name in tags.values() else None
        found = value.get(prop)
        return tags.get(found) if isinstance(found, str) else None

    return pick


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def path_segment(value: object) -> str:
    """A path parameter, quoted so that it stays one segment."""
    return quote(str(value), safe="")

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

from ._exceptions import RequestValidationError
from ._models import OpenEnum
from ._types import NOT_GIVEN

__all__ = [
    "UriFormat",
    "ZuluDateTime",
    "build",
    "build_items",
    "path_segment",
    "tagged",
]

M = TypeVar("M", bound=pydantic.BaseModel)


# What a reader accepts whatever the spec's pattern says (it describes what the
# server writes today): RFC 3339 with any offset and any fraction of a second.
_RFC3339 = re.compile(
    r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[Zz]|[+-]\d\d:\d\d)$"
)


def _to_zulu(value: object) -> object:
    # The API accepts only UTC written with "Z". Validation refuses naive
    # datetimes; were one to get here, astimezone() reads it as local time.
    # Anything else is a raw value kept by lenient parsing: exported as it is.
    if not isinstance(value, datetime):
        return value
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


class ZuluDateTime:
    """``Annotated[datetime, ZuluDateTime(pattern)]``: strings must match the spec's
    pattern (the API's ``...Z`` form) or be RFC 3339 with any offset and
    fraction of a second (read as an aware datetime), datetimes of any offset
    are accepted, and values are always sent as UTC with ``Z``. Naive
    datetimes are refused (the SDK will not guess their timezone: use
    ``datetime.now(UTC)`` or ``.astimezone()``), and so are numbers and
    booleans."""

    def __init__(self, pattern: str | None = None) -> None:
        self.regex = re.compile(pattern) if pattern else None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        regex = self.regex

        def check(value: Any) -> Any:
            if isinstance(value, bool | int | float):
                raise PydanticCustomError(
                    "datetime_type",
                    "Input should be a datetime or an RFC 3339 string, not a number",
                )
            if isinstance(value, datetime) and value.utcoffset() is None:
                raise PydanticCustomError(
                    "datetime_naive",
                    "Datetime has no timezone; attach one (e.g. datetime.now(UTC)"
                    " or value.astimezone() for local time)",
                )
            if (
                isinstance(value, str)
                and regex is not None
                and not regex.search(value)
                and not _RFC3339.match(value)
            ):
                # Templates substitute {value} with str(); repr() keeps quotes.
                raise PydanticCustomError(
                    "datetime_format",
                    "Datetime must be RFC 3339 with a timezone (such as 'Z' or"
                    " '+02:00'), got {value}",
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
    given = {k: v for k, v in values.items() if v is not NOT_GIVEN}
    for name in getattr(model, "__comma_lists__", ()):
        if isinstance(given.get(name), list | tuple | set | frozenset):
            given[name] = _join_list(name, given[name])
    try:
        instance = model.model_validate(given)
    except pydantic.ValidationError as exc:
        raise _argument_error(model, exc) from None
    _check_request_values(instance, model.__name__)
    _check_requires_any(model, instance.model_fields_set)
    return instance


def _check_requires_any(model: type[pydantic.BaseModel], given: set[str]) -> None:
    """The spec's "at least one of these" (``anyOf`` of ``required`` lists)."""
    sets: tuple[tuple[str, ...], ...] = getattr(model, "__requires_any__", ())
    if sets and not any(all(n in given for n in group) for group in sets):
        wanted = " or ".join("(" + ", ".join(group) + ")" for group in sets)
        raise RequestValidationError(
            f"{model.__name__}: give at least one of {wanted}", argument=sets[0][0]
        )


def _join_list(name: str, items: Iterable[object]) -> str:
    """A list filter as the API takes it: one comma-separated string."""
    texts: list[str] = []
    for item in items:
        text = item.value if isinstance(item, OpenEnum) else item
        if not isinstance(text, str) or not text or "," in text:
            raise RequestValidationError(
                f"{name}: each item must be a non-empty string without commas",
                argument=name,
            )
        texts.append(text)
    return ",".join(sorted(texts) if isinstance(items, set | frozenset) else texts)


def _argument_error(
    model: type[pydantic.BaseModel], exc: pydantic.ValidationError
) -> RequestValidationError:
    """The first problem, named by the argument the caller passed."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = [str(p) for p in first["loc"]]
    names = {(f.alias or n): n for n, f in model.model_fields.items()}
    argument = names.get(loc[0], loc[0]) if loc else "arguments"
    where = ".".join([argument, *loc[1:]])
    value = first.get("input")
    # Said once: the SDK's own messages (URLs, date-times) name the value.
    named = "got " in first["msg"] or isinstance(value, dict | list)
    shown = "" if named else f" (got {value!r:.80})"
    more = exc.error_count() - 1
    suffix = f" and {more} more problem(s)" if more else ""
    return RequestValidationError(
        f"{where}: {first['msg']}{shown}{suffix}",
        argument=argument,
        errors=[dict(e) for e in errors],
    )


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
        raise RequestValidationError(
            f"body: at least {min_items} item(s) required, got {len(items)}",
            argument="body",
        )
    if max_items is not None and len(items) > max_items:
        raise RequestValidationError(
            f"body: at most {max_items} items allowed, got {len(items)}",
            argument="body",
        )
    out: list[M] = []
    for i, item in enumerate(items):
        try:
            if isinstance(item, model):
                _check_request_values(item, f"body[{i}]")
                out.append(item)
            else:
                out.append(build(model, item))  # type: ignore[arg-type]
        except RequestValidationError as exc:
            # Named by its place in the batch: body[3].meeting_url.
            text = str(exc).removeprefix(f"{model.__name__}.")
            where = text if text.startswith(f"body[{i}]") else f"body[{i}].{text}"
            raise RequestValidationError(
                where, argument="body", errors=exc.errors
            ) from None
    return out


# Values that hold nothing to check (neither an enum member nor a container).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _check_request_values(value: Any, where: str) -> None:
    if type(value) in _PLAIN:  # most arguments: skip the isinstance chain
        return
    if isinstance(value, OpenEnum) and not value.is_known:
        allowed = ", ".join(repr(m.value) for m in type(value))
        raise RequestValidationError(
            f"{where}: unknown value {value.value!r} (allowed: {allowed})",
            argument=where.split(".")[1] if "." in where else where,
        )
    if isinstance(value, pydantic.BaseModel):
        # From the class: a miss on the instance goes through pydantic's slow
        # __getattr__ and an AttributeError.
        non_nullable: Iterable[str] = getattr(type(value), "__non_nullable__", ())
        for name in value.model_fields_set:
            item = getattr(value, name, None)
            if item is None and name in non_nullable:
                raise RequestValidationError(
                    f"{where}.{name}: may be left out but must not be None",
                    argument=name,
                )
            _check_request_values(item, f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_request_values(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_request_values(item, f"{where}[{key!r}]")


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


def path_segment(value: object) -> str:
    """A path parameter, quoted so that it stays one segment.

    ``.`` and ``..`` are encoded too: left as they are, URL normalisation
    would turn them into "this" or "parent" directory.
    """
    text = quote(str(value), safe="")
    if text in (".", ".."):
        return text.replace(".", "%2E")
    return text

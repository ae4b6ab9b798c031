"""Small shared types: the NOT_GIVEN sentinel, timeouts and per-request options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Final, Literal, TypeAlias

import httpx
import pydantic

__all__ = [
    "NOT_GIVEN",
    "APIFacts",
    "Body",
    "FileInput",
    "FormBody",
    "NotGiven",
    "RawBody",
    "RequestOptions",
    "Timeout",
    "request_options",
]

# The package __init__ re-exports these; the rest of __all__ is for the SDK's modules.
_PACKAGE_EXPORTS: tuple[str, ...] = (
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "Timeout",
)


class NotGiven:
    """Marks "argument not passed", distinct from an explicit ``None``.

    ``None`` is meaningful for some options (``timeout=None`` disables the
    timeout), so omission needs its own value.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A singleton keeps identity checks (`is NOT_GIVEN`) reliable.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        # Pickle/copy by name so the singleton survives round trips.
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

# A file to upload: its bytes, an open binary file, or (filename, content) or
# (filename, content, content type).
FileContent: TypeAlias = bytes | IO[bytes]
FileInput: TypeAlias = (
    FileContent | tuple[str, FileContent] | tuple[str, FileContent, str]
)


@dataclass(frozen=True)
class FormBody:
    """A body sent as ``multipart/form-data`` or form-urlencoded, not JSON."""

    # A request model (the fields the caller set are sent) or a mapping.
    fields: pydantic.BaseModel | Mapping[str, object]
    content_type: str
    # Each field's (style, explode, allowReserved, contentType) from the spec's
    # ``encoding``, where it is not a plain scalar (see _serialize.py).
    encoding: Mapping[str, tuple[str, bool, bool, str]] | None = None


@dataclass(frozen=True)
class RawBody:
    """A body sent as it is: a file's bytes or text, with its media type."""

    content: FileInput | str
    content_type: str


# A request body: a model, a plain mapping, a list of them (batch endpoints), a
# form, or raw content.
Body: TypeAlias = (
    pydantic.BaseModel | Mapping[str, object] | Sequence[object] | FormBody | RawBody
)

# `None` means "no timeout at all"; a float applies to every phase.
Timeout = float | httpx.Timeout | None


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides, layered on top of the client's configuration."""

    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, object] | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    # Merged over the JSON body (top level); for fields this SDK lacks.
    extra_body: Mapping[str, object] | None = None
    # The operation's security alternatives (scheme names needed together);
    # None: the API's default.
    security: tuple[tuple[str, ...], ...] | None = None


# Frozen, so one instance serves every call that overrides nothing.
_NO_OPTIONS = RequestOptions()


def request_options(
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, object] | None,
    extra_body: Mapping[str, object] | None,
    timeout: Timeout | NotGiven,
    headers: Mapping[str, str] | None = None,
    security: tuple[tuple[str, ...], ...] | None = None,
) -> RequestOptions:
    """A call's options: its ``extra_*`` and ``timeout`` arguments, the header
    parameters it sends (``extra_headers`` win) and its security alternatives."""
    if headers:
        extra_headers = {**headers, **(extra_headers or {})}
    elif (
        extra_headers is None
        and extra_query is None
        and extra_body is None
        and timeout is NOT_GIVEN
        and security is None
    ):
        return _NO_OPTIONS
    return RequestOptions(
        extra_headers=extra_headers,
        extra_query=extra_query,
        extra_body=extra_body,
        timeout=timeout,
        security=security,
    )


@dataclass(frozen=True)
class APIFacts:
    """What one API of the package says about reaching it (its ``_constants.API``);
    each generated client carries its API's as ``_api``."""

    api_key_header: str
    # Where the key goes ("header", "query" or "cookie"; api_key_header names
    # it) and what precedes it in a header ("Bearer " for http bearer schemes).
    api_key_in: str
    api_key_prefix: str
    api_key_env: str
    # Several security schemes: name -> (where, header/query/cookie name,
    # prefix, environment variable, client argument) of each credential;
    # empty when the api_key_* say it all.
    auth_schemes: Mapping[str, tuple[str, str, str, str, str]]
    # Alternatives of schemes needed together; None: send every credential given.
    default_security: tuple[tuple[str, ...], ...] | None
    base_url_env: str
    default_base_url: str

"""Exception hierarchy raised by the client.

SDKError (named after the package: ``<Client>Error``, defined in _constants.py)
├── APIError
│   ├── APIStatusError (non-2xx response)
│   │   ├── BadRequestError (400)
│   │   ├── AuthenticationError (401)
│   │   ├── PaymentRequiredError (402)
│   │   ├── PermissionDeniedError (403)
│   │   ├── NotFoundError (404)
│   │   ├── ConflictError (409)
│   │   ├── UnprocessableEntityError (422)
│   │   ├── RateLimitError (429)
│   │   └── InternalServerError (>= 500)
│   ├── APIConnectionError (no usable response; names the URL)
│   │   ├── APITimeoutError
│   │   └── ResponseTooLargeError (body over ``max_response_bytes``, decoded)
│   ├── UnsafeRedirectError (a redirect that would resend the body elsewhere)
│   └── APIResponseValidationError (2xx response we could not understand)
│       └── UnsuccessfulResponseError (2xx with ``"success": false``)
├── RequestValidationError (also a ValueError: a bad argument, nothing sent)
├── ClientClosedError (a call on a closed client)
├── PaginationError (the server's cursors go round in a cycle)
└── WebhookVerificationError, WebhookParseError (defined in webhooks.py)
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import time
from collections.abc import Iterable
from typing import Any

import httpx

from ._constants import CREDENTIAL_HEADERS, SDKError

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PaginationError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseTooLargeError",
    "UnprocessableEntityError",
    "UnsafeRedirectError",
    "UnsuccessfulResponseError",
    "error_class_for_status",
    "make_status_error",
]

# Checked in order; the first header present wins.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid")

# Keeps messages readable when a proxy answers with a whole HTML page.
_MAX_TEXT_IN_MESSAGE = 500


REDACTED = "<redacted>"
# Request headers that carry credentials: every API's key headers, and these.
SECRET_HEADERS = CREDENTIAL_HEADERS | {"authorization", "cookie"}


class RequestValidationError(SDKError, ValueError):
    """An argument was refused before anything was sent; ``argument`` names it."""

    argument: str | None
    errors: list[dict[str, Any]]
    """pydantic's error list (loc, type, msg) when the model refused a value."""

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.argument = argument
        self.errors = errors or []


class ClientClosedError(SDKError):
    """The client was closed (``close()`` or its ``with`` block ended)."""


class PaginationError(SDKError):
    """Auto-pagination stopped: the server sent a cursor it had sent before."""


class APIError(SDKError):
    """An error tied to a specific HTTP request."""

    message: str
    request: httpx.Request
    body: Any
    """Parsed JSON body if the response was JSON, else its text, else None."""

    def __init__(
        self, message: str, request: httpx.Request, *, body: object | None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        # The request is finished: scrub its credentials so that neither the
        # message, the body nor exc.request.headers can show them.
        self._redact(redact_request_headers(request))

    def _redact(self, secrets: Iterable[str]) -> None:
        """Scrub ``secrets`` (every credential the client holds) from all this
        error shows, wherever a server echoed them; safe to call again."""
        found = [s for s in secrets if s]
        if not found:
            return
        self.message = redact(self.message, found)
        self.args = (self.message,)
        for name in ("body", "details", "errors"):
            if name in self.__dict__:
                setattr(self, name, redact_value(self.__dict__[name], found))
        for name in ("request_id", "code"):
            value = self.__dict__.get(name)
            if isinstance(value, str):
                setattr(self, name, redact(value, found))
        redact_request(self.request, found)


class APIResponseValidationError(APIError):
    """A successful response whose body did not match the expected schema."""

    response: httpx.Response
    status_code: int
    errors: list[dict[str, Any]]
    """Where and why validation failed (pydantic's loc, type, msg), if it did."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        body: object | None,
        message: str = "Data returned by the API is not in the expected shape.",
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.errors = errors or []
        super().__init__(message, response.request, body=body)


class UnsuccessfulResponseError(APIResponseValidationError):
    """A 2xx response whose body says ``"success": false``."""

    code: str | None

    def __init__(
        self, response: httpx.Response, *, body: object | None, message: str
    ) -> None:
        super().__init__(response, body=body, message=message)
        raw = body.get("code") if isinstance(body, dict) else None
        self.code = raw if isinstance(raw, str) else None


class UnsafeRedirectError(APIError):
    """A redirect to another origin that would have resent the request body.

    Redirects to another origin are followed only for body-less requests, and
    then without the API key.
    """


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status code."""

    response: httpx.Response
    status_code: int
    code: str | None
    """Machine-readable error code from the body, e.g. ``FST_ERR_VALIDATION``."""
    details: Any
    request_id: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        code: str | None = None,
        details: Any = None,
    ) -> None:
        # Set first: APIError's init scrubs them too.
        self.response = response
        self.status_code = response.status_code
        self.code = code
        self.details = details
        self.request_id = request_id_in(response.headers)
        super().__init__(message, response.request, body=body)


class BadRequestError(APIStatusError):
    @property
    def validation_errors(self) -> list[Any]:
        """The validation issues the API reported in ``details``, as a list.

        The API may send a list, a single object or null; null yields ``[]``
        (the human-readable reason is then only in ``message``).
        """
        if isinstance(self.details, list):
            return list(self.details)
        if self.details is None:
            return []
        return [self.details]


class AuthenticationError(APIStatusError):
    pass


class PaymentRequiredError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked to wait (``Retry-After``, else the body's
        ``retryAfter``), if it said."""
        return retry_after(self.response)


class InternalServerError(APIStatusError):
    pass


class APIConnectionError(APIError):
    """No usable response: DNS failure, refused connection, reset, TLS error,
    a redirect to something that is not http(s)... The message names the URL
    (without credentials)."""

    def __init__(
        self, *, request: httpx.Request, message: str = "Connection error."
    ) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    def __init__(
        self, *, request: httpx.Request, message: str = "Request timed out."
    ) -> None:
        super().__init__(request=request, message=message)


class ResponseTooLargeError(APIConnectionError):
    """The response body, decompressed, was larger than the client's
    ``max_response_bytes``; reading stopped there (a decompression bomb, or a
    download to stream with ``with_streaming_response`` instead)."""


_STATUS_TO_ERROR: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status (the single mapping point)."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_TO_ERROR.get(status_code, APIStatusError)


def make_status_error(
    response: httpx.Response, *, redact: Iterable[str] = ()
) -> APIStatusError:
    """Build the exception for an error response, whatever its body looks like.

    Strings in ``redact`` (the API key) are scrubbed from the message, in case
    a server or proxy ever echoes request headers back.
    """
    secrets = [s for s in redact if s]
    secrets.extend(redact_request_headers(response.request))
    body = redact_value(_decode_body(response), secrets)
    code: str | None = None
    details: Any = None
    reason: str | None = None
    if isinstance(body, dict):
        raw_code = body.get("code")
        code = raw_code if isinstance(raw_code, str) else None
        details = body.get("details")
        for key in ("message", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                reason = value
                break
        if reason is None:
            reason = json.dumps(body)[:_MAX_TEXT_IN_MESSAGE]
    elif isinstance(body, str) and body.strip():
        reason = body.strip()[:_MAX_TEXT_IN_MESSAGE]
    elif body is not None:
        reason = json.dumps(body)[:_MAX_TEXT_IN_MESSAGE]

    status = f"{response.status_code} {response.reason_phrase}".strip()
    message = status
    if code:
        message += f" [{code}]"
    if reason:
        message += f": {reason}"
    request_id = request_id_in(response.headers)
    if request_id:
        message += f" (request id: {request_id})"
    cls = error_class_for_status(response.status_code)
    error = cls(message, response=response, body=body, code=code, details=details)
    error._redact(secrets)
    return error


def _decode_body(response: httpx.Response) -> object | None:
    try:
        text = response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return None
    if not text:
        return None
    try:
        parsed: object = json.loads(text)
    except (ValueError, RecursionError):
        return text
    return parsed


def redact_request_headers(request: httpx.Request) -> list[str]:
    """Replace credential headers of a finished request; return their values."""
    secrets: list[str] = []
    for name in SECRET_HEADERS:
        value = request.headers.get(name)
        if value and value != REDACTED:
            secrets.append(value)
            request.headers[name] = REDACTED
    return secrets


def redact_request(request: httpx.Request, secrets: list[str]) -> None:
    """Replace ``secrets`` in a finished request's headers and query."""
    for name, value in list(request.headers.items()):
        if any(secret in value for secret in secrets):
            request.headers[name] = REDACTED
    if not request.url.query:
        return
    items = request.url.params.multi_items()
    if any(secret in v for _, v in items for secret in secrets):
        params = [
            (k, REDACTED if any(s in v for s in secrets) else v) for k, v in items
        ]
        request.url = request.url.copy_with(params=params)


def redact(text: str, secrets: Iterable[str]) -> str:
    # Longest first, so that a secret containing another is fully removed.
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def redact_value(value: object, secrets: Iterable[str]) -> object:
    """``value`` (a decoded JSON body) with every secret replaced in its strings."""
    secrets = [s for s in secrets if s]
    if not secrets:
        return value
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_value(item, secrets) for item in value]
    if isinstance(value, dict):
        return {
            redact(str(k), secrets): redact_value(v, secrets) for k, v in value.items()
        }
    return value


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait: the headers first, else the body's ``retryAfter``
    (read only when the body is already in memory)."""
    from_headers = parse_retry_after(response.headers)
    if from_headers is not None:
        return from_headers
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    if b"retryAfter" not in content:  # most bodies: no JSON parse
        return None
    body = _decode_body(response)
    value = body.get("retryAfter") if isinstance(body, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value > 0 and math.isfinite(value) else None


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait per ``retry-after-ms`` / ``Retry-After``, if parseable."""
    retry_after_ms = headers.get("retry-after-ms")
    if retry_after_ms is not None:
        try:
            return float(retry_after_ms) / 1000
        except ValueError:
            pass
    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    try:
        return float(retry_after)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp() - time.time()


def request_id_in(headers: httpx.Headers) -> str | None:
    """The first request-id header present, by ``REQUEST_ID_HEADERS``' order."""
    present = headers.keys()  # lower-cased once (each .get() lower-cases all)
    for name in REQUEST_ID_HEADERS:
        value = headers[name] if name in present else None
        if value:
            return value
    return None

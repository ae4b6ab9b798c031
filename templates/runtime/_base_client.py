"""HTTP plumbing shared by every resource: auth, retries, errors, parsing.

Generated resources call exactly two methods of the client: ``_request`` for
ordinary calls and ``_get_page`` for list endpoints.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import math
import os
import random
import time
import types
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, Generic, Self, TypeVar, overload

import httpx
import pydantic

from ._constants import API, LOG_ENV, LOGGER_NAME, USER_AGENT, SDKError
from ._exceptions import (
    SECRET_HEADERS,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    ClientClosedError,
    RequestValidationError,
    UnsafeRedirectError,
    UnsuccessfulResponseError,
    make_status_error,
    redact,
    retry_after,
)
from ._pagination import AsyncCursorPage, AsyncPaginator, SyncCursorPage
from ._reading import ReadLimits, aread_body, read_body, transport_error
from ._response import (
    APIResponse,
    async_to_raw_response_wrapper,
    raw_response_requested,
    stream_requested,
    to_raw_response_wrapper,
)
from ._serialize import form_content, query_string
from ._types import (
    NOT_GIVEN,
    APIFacts,
    Body,
    FileInput,
    FormBody,
    NotGiven,
    RawBody,
    RequestOptions,
    Timeout,
)
from ._validation import describe_errors, type_adapter, validate
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIResponse",
    "AsyncAPIClient",
    "SyncAPIClient",
    "async_to_raw_response_wrapper",
    "to_raw_response_wrapper",
]

# The package __init__ re-exports these; the rest of __all__ is for the SDK's modules.
_PACKAGE_EXPORTS: tuple[str, ...] = (
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
)

log = logging.getLogger(LOGGER_NAME)

T = TypeVar("T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
# A body larger than this once decompressed is refused while it is read: 1 MB
# of gzip can inflate to gigabytes. Downloads can stream instead.
DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024

# Backoff: delay = min(0.5 * 2**retries_taken, 8) * jitter, where jitter is
# uniform in (0.75, 1.0] so concurrent clients spread out instead of
# retrying in lockstep: ~0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s...
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server asking to wait longer than this is not retried: the call raises
# (RateLimitError carries `retry_after`) so the caller decides, instead of
# being parked for minutes or retrying too early.
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 20
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# POST creates things (bots, calendars): resending it after the server may
# have acted could duplicate the side effect. This API's PUT/PATCH/DELETE set
# or remove state, so repeating them is harmless and they retry like GET.
_NON_IDEMPOTENT_METHODS = frozenset({"POST"})

# Failures that happen before a single byte of the request is sent, so a
# retry cannot duplicate anything, whatever the method.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which an idempotent request may be retried.
_RETRYABLE_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
)

_DEFAULT_OPTIONS = RequestOptions()


def _key_argument(
    api: APIFacts, api_key: str | None, current: str | None
) -> dict[str, Any]:
    """``with_options``' ``api_key=`` for a copy: none for an API that takes
    no credential (its client has no such argument)."""
    if api.api_key_in != "none" or api.auth_schemes:
        return {"api_key": api_key or current}
    if api_key is not None:
        raise TypeError("this API takes no api_key (its spec describes none)")
    return {}


@functools.cache
def _any_adapter() -> pydantic.TypeAdapter[Any]:
    # Built on first use: building a validator at import costs milliseconds.
    return pydantic.TypeAdapter(Any)


def _setup_logging() -> None:
    """``<PREFIX>_LOG=debug`` (or ``info``) prints this package's logs to stderr."""
    level = os.environ.get(LOG_ENV, "").strip().lower()
    if level not in ("debug", "info"):
        return
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s")
        )
        log.addHandler(handler)
    log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


def _check_api_key(api_key: str) -> None:
    """Refuse keys that cannot be sent as a header value (without showing them)."""
    for index, char in enumerate(api_key):
        if char.isspace() or not char.isprintable() or not char.isascii():
            what = (
                repr(char)
                if char.isascii() and (char.isspace() or not char.isprintable())
                else "a non-ASCII character"
            )
            raise SDKError(
                f"Invalid API key: character {index + 1} of {len(api_key)} is"
                f" {what}; a key is printable ASCII without spaces (was it read"
                " from a file with a trailing newline?)."
            )


def safe_url(url: httpx.URL | str) -> str:
    """``url`` with any password replaced, for logs and reprs."""
    url = httpx.URL(url) if isinstance(url, str) else url
    if url.password:
        url = url.copy_with(username=url.username, password="***")
    return str(url)


class _LazySafeUrl:
    """``safe_url(url)`` when a log line is formatted; nothing while logging is off."""

    __slots__ = ("url",)

    def __init__(self, url: httpx.URL | str) -> None:
        self.url = url

    def __str__(self) -> str:
        return safe_url(self.url)

    __repr__ = __str__


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default_port


class _BaseClient(Generic[_HttpxClientT]):
    """Configuration and the I/O-free half of the request cycle."""

    # The API this client calls: its key header, env vars, base URL, schemes.
    _api: APIFacts = API
    api_key: str
    # Several security schemes: scheme name -> credential, as given or from env.
    _credentials: dict[str, str]
    _api_key_scheme = ""  # several schemes: the one ``api_key`` is for
    base_url: httpx.URL
    timeout: Timeout
    max_retries: int
    _client: _HttpxClientT

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        random_fn: Callable[[], float] | None,
        strict_response_validation: bool,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float | None = None,
    ) -> None:
        _setup_logging()
        if api_key is None:
            api_key = os.environ.get(self._api.api_key_env)
        if not hasattr(self, "_credentials"):  # several schemes: set by the client
            self._credentials = {}
        if self._api.api_key_in == "none":
            api_key = ""  # the API describes no credential: none is sent
        elif self._api.auth_schemes and not api_key:
            api_key = ""  # another scheme's credential may do; checked per call
        elif not api_key:
            raise SDKError(
                "No API key provided: pass `api_key=` to the client or set the "
                f"{self._api.api_key_env} environment variable."
            )
        for credential in (api_key, *self._credentials.values()):
            if credential:
                _check_api_key(credential)
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if max_response_bytes <= 0:
            raise ValueError("max_response_bytes must be > 0")
        if attempt_timeout is not None and not attempt_timeout > 0:
            raise ValueError("attempt_timeout must be > 0 (or None)")
        self.max_response_bytes = max_response_bytes
        self.attempt_timeout = attempt_timeout
        self.api_key = api_key
        self.strict_response_validation = strict_response_validation
        self.base_url = httpx.URL(
            str(
                base_url
                or os.environ.get(self._api.base_url_env)
                or self._api.default_base_url
            )
        )
        self.timeout = timeout
        self.max_retries = max_retries
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._headers_cache: tuple[str, httpx.Headers] | None = None
        self._base_url_text: tuple[httpx.URL | None, str] = (None, "")
        self._random: Callable[[], float] = (
            random.random if random_fn is None else random_fn
        )

    # -- configuration ---------------------------------------------------

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers sent with every request (user headers override ours)."""
        return {
            **_auth_headers(self._api, self.api_key),
            "User-Agent": f"{USER_AGENT}/{__version__}",
            "Accept": "application/json",
            # The encodings whose inflation _reading bounds step by step.
            "Accept-Encoding": "gzip, deflate",
            **self._custom_headers,
        }

    def _base_headers(self) -> httpx.Headers:
        """``default_headers``, built once per api key (read on every call).

        httpx copies a Headers it is given, so one instance serves every call;
        copying it is cheaper than building it from a dict each time.
        """
        cached = self._headers_cache
        if cached is None or cached[0] is not self.api_key:
            headers = httpx.Headers(self.default_headers)
            cached = self._headers_cache = (self.api_key, headers)
        return cached[1]

    def __repr__(self) -> str:
        # Deliberately leaves out api_key and headers.
        return (
            f"{type(self).__name__}(base_url={safe_url(self.base_url)!r},"
            f" max_retries={self.max_retries!r}, timeout={self.timeout!r})"
        )

    @staticmethod
    def _resolve_timeout(
        timeout: Timeout, http_client: httpx.Client | httpx.AsyncClient | None
    ) -> Timeout:
        # A caller-supplied httpx client configured with its own timeout wins
        # over our default (but not over an explicit `timeout=`).
        if (
            http_client is not None
            and timeout is DEFAULT_TIMEOUT
            and http_client.timeout != httpx.Timeout(5.0)
        ):
            return http_client.timeout
        return timeout

    # -- building requests -----------------------------------------------

    def _build_url(self, path: str) -> str:
        # A string: httpx parses it once, in build_request.
        if path.startswith(("http://", "https://")):
            return path
        base, text = self._base_url_text
        if base is not self.base_url:  # str(URL) is rebuilt on every call
            text = str(self.base_url).rstrip("/")
            self._base_url_text = (self.base_url, text)
        return text + "/" + path.lstrip("/")

    def _build_request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None,
        body: Body | None,
        options: RequestOptions,
    ) -> httpx.Request:
        auth_query = _auth_query(self._api, self.api_key)
        content: bytes | None = None
        files: list[tuple[str, Any]] | None = None
        headers: Mapping[str, str]
        if (
            body is None
            and not options.extra_body
            and not options.extra_headers
            and not self._api.auth_schemes
        ):
            # The common call: httpx copies these into the request's own
            # headers, so the cached ones are passed as they are.
            headers = self._base_headers()
        else:
            headers = httpx.Headers(self._base_headers())
            if self._api.auth_schemes:
                auth_headers, auth_query = _scheme_auth(
                    self._api, self._credentials, options.security
                )
                headers.update(auth_headers)
            if isinstance(body, RawBody):
                content = _raw_content(body.content)
                headers["Content-Type"] = body.content_type
            elif isinstance(body, FormBody):
                content, files = form_content(body)
                if files is None:  # form-urlencoded: encoded here, like JSON
                    headers["Content-Type"] = body.content_type
            elif body is not None or options.extra_body:
                content = _encode_body(body, options.extra_body)
                headers["Content-Type"] = "application/json"
            if options.extra_headers:
                headers.update(options.extra_headers)
        query_items = {**auth_query, **(query or {}), **(options.extra_query or {})}
        url = self._build_url(path)
        if query_items:  # encoded by _serialize: httpx would encode it again
            url += ("&" if "?" in url else "?") + query_string(query_items)
        timeout = (
            self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        )
        return self._client.build_request(
            method.upper(),
            url,
            headers=headers,
            content=content,
            files=files,
            timeout=timeout,
        )

    # -- retry policy ----------------------------------------------------

    def _retry_delay(
        self, retries_taken: int, response: httpx.Response | None
    ) -> float:
        if response is not None:
            wait = retry_after(response)
            if wait is not None and 0 < wait <= MAX_RETRY_AFTER:
                return wait
        delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * self._random())

    def _make_status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(response, redact=self._secrets())

    def _take_credentials(self, given: Mapping[str, str | None]) -> None:
        """Several schemes: each credential as given, else from its env var."""
        self._credentials = {}
        for name, value in given.items():
            value = value or os.environ.get(self._api.auth_schemes[name][3])
            if value:
                self._credentials[name] = value

    def _secrets(self) -> tuple[str, ...]:
        """Every credential the client holds, as given and as sent (http
        basic's base64 form): scrubbed from all the SDK shows."""
        found: list[str] = []
        for value in (self.api_key, *self._credentials.values()):
            if not value:
                continue
            found.append(value)
            if ":" in value:  # http basic: the header's form, and the password
                found.append(base64.b64encode(value.encode()).decode())
                # Parts long enough not to match ordinary text.
                found.extend(p for p in value.split(":") if len(p) >= 8)
        return tuple(dict.fromkeys(found))

    def _check_open(self) -> None:
        if self._client.is_closed:
            raise ClientClosedError(
                "This client is closed (close() was called or its `with` block"
                " ended); create a new client."
            )

    def _read_limits(self) -> ReadLimits:
        """This attempt's bounds on reading a body: size, and when it must end."""
        deadline = (
            None
            if self.attempt_timeout is None
            else time.monotonic() + self.attempt_timeout
        )
        return ReadLimits(self.max_response_bytes, deadline, self.attempt_timeout)

    def _redirect_request(
        self, request: httpx.Request, response: httpx.Response
    ) -> httpx.Request | None:
        """The request a redirect asks for, made safe; None if not a redirect.

        Same-origin redirects are followed as browsers do. To another origin
        (scheme, host or port) the credentials are removed, and a request
        whose body would be resent is refused with UnsafeRedirectError.
        """
        if response.status_code not in _REDIRECT_STATUSES:
            return None
        location = response.headers.get("location")
        if not location:
            return None
        try:
            url = request.url.join(location)
        except httpx.InvalidURL:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            # javascript:, mailto:, data:... (the target is left out: it can
            # be anything, and long).
            raise APIConnectionError(
                request=request,
                message=f"{response.status_code} redirect of {request.method}"
                f" {safe_url(request.url)} to a location that is not an http(s)"
                " URL; not followed.",
            )
        method = request.method
        # As browsers do: 303 becomes a GET, and so does a POST after 301/302.
        status = response.status_code
        if (status == 303 and method != "HEAD") or (
            status in (301, 302) and method == "POST"
        ):
            method = "GET"
        keep_body = method == request.method and bool(request.content)
        headers = httpx.Headers(request.headers)
        headers["Host"] = url.netloc.decode("ascii")
        if not keep_body:
            for name in ("content-type", "content-length", "transfer-encoding"):
                headers.pop(name, None)
        if _origin(url) != _origin(request.url):
            if keep_body:
                raise UnsafeRedirectError(
                    f"Refusing to follow a {response.status_code} redirect of"
                    f" {request.method} {safe_url(request.url)} to another origin"
                    f" ({safe_url(url.copy_with(query=None))}): the request body"
                    " would be sent there.",
                    request,
                    body=None,
                )
            # Whatever header carries the key (ours, a custom one) goes.
            for name, value in list(headers.items()):
                if name.lower() in SECRET_HEADERS or any(
                    secret in value for secret in self._secrets()
                ):
                    del headers[name]
        log.debug(
            "Following %d redirect to %s", response.status_code, _LazySafeUrl(url)
        )
        return httpx.Request(
            method,
            url,
            headers=headers,
            content=request.content if keep_body else None,
            extensions=request.extensions,
        )

    def _log_response(self, request: httpx.Request, response: httpx.Response) -> None:
        if not log.isEnabledFor(logging.DEBUG):  # the header look-up costs
            return
        log.debug(
            'HTTP response: %s %s "%d %s" (request id: %s)',
            request.method,
            _LazySafeUrl(request.url),
            response.status_code,
            response.reason_phrase,
            _shown(response.headers.get("x-request-id"), self._secrets()),
        )

    # -- parsing ---------------------------------------------------------

    def _parse_page(
        self,
        response: httpx.Response,
        item_type: Any,
    ) -> tuple[list[Any], str | None, str | None]:
        envelope = _from_envelope(response, item_type, page=True)
        if envelope is not None:
            cursor = envelope.cursor
            if "cursor" not in envelope.model_fields_set:
                cursor = envelope.next_cursor
            prev = envelope.prev_cursor
            return (
                envelope.data,
                None if cursor is None else str(cursor),
                None if prev is None else str(prev),
            )
        payload = _json_body(response)
        _check_success(response, payload)
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            raise APIResponseValidationError(
                response,
                body=payload,
                message="Expected a list envelope with a `data` array.",
            )
        next_cursor = payload.get("cursor", payload.get("next_cursor"))
        prev_cursor = payload.get("prev_cursor")
        items = _validate(
            response,
            types.GenericAlias(list, (item_type,)),
            payload["data"],
            strict=self.strict_response_validation,
        )
        return (
            items,
            None if next_cursor is None else str(next_cursor),
            None if prev_cursor is None else str(prev_cursor),
        )


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Synchronous client base; each API's generated client subclasses it."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float | None = None,
        _sleep: Callable[[float], None] | None = None,
        _random: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=self._resolve_timeout(timeout, http_client),
            max_retries=max_retries,
            default_headers=default_headers,
            random_fn=_random,
            strict_response_validation=strict_response_validation,
            max_response_bytes=max_response_bytes,
            attempt_timeout=attempt_timeout,
        )
        self._sleep: Callable[[float], None] = time.sleep if _sleep is None else _sleep
        # Only close what we opened: a caller's client may be shared.
        self._owns_client = http_client is None
        self._client = (
            httpx.Client(timeout=self.timeout, follow_redirects=True)
            if http_client is None
            else http_client
        )

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        strict_response_validation: bool | None = None,
        max_response_bytes: int | None = None,
        attempt_timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> Self:
        """A copy with some options changed; it shares this client's connections.

        ``default_headers`` are merged over the current custom headers.
        """
        copy = type(self)(
            **_key_argument(self._api, api_key, self.api_key),
            base_url=base_url or self.base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            http_client=self._client if http_client is None else http_client,
            default_headers={**self._custom_headers, **(default_headers or {})},
            strict_response_validation=(
                self.strict_response_validation
                if strict_response_validation is None
                else strict_response_validation
            ),
            max_response_bytes=(
                self.max_response_bytes
                if max_response_bytes is None
                else max_response_bytes
            ),
            attempt_timeout=(
                self.attempt_timeout
                if isinstance(attempt_timeout, NotGiven)
                else attempt_timeout
            ),
        )
        # Set after construction so subclasses need not forward test hooks.
        copy._sleep = self._sleep
        copy._random = self._random
        # Several schemes: this client's credentials, api_key= changing its own.
        if self._api.auth_schemes:
            new_key = {copy._api_key_scheme: api_key} if api_key else {}
            copy._credentials = {**self._credentials, **new_key}
        return copy

    copy = with_options

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def is_closed(self) -> bool:
        return self._client.is_closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the request loop ------------------------------------------------

    def _send_following_redirects(self, request: httpx.Request) -> httpx.Response:
        # httpx would forward our key header to any host, so redirects are
        # followed here (see _redirect_request), never by httpx.
        limits = self._read_limits()
        for redirects in range(MAX_REDIRECTS):
            response = self._client.send(request, follow_redirects=False, stream=True)
            next_request = self._redirect_request(request, response)
            if next_request is None or redirects == MAX_REDIRECTS - 1:
                break  # the last redirect is the answer: an APIStatusError
            response.close()
            request = next_request
        if not stream_requested.get() or not response.is_success:
            read_body(response, limits)
        return response

    def _send(self, request: httpx.Request) -> tuple[httpx.Response, int]:
        """Send with retries; returns a 2xx response and the retries taken."""
        self._check_open()
        try:
            return self._send_attempts(request)
        except APIError as exc:
            exc._redact(self._secrets())
            raise

    def _send_attempts(self, request: httpx.Request) -> tuple[httpx.Response, int]:
        retries_taken = 0
        while True:
            can_retry = retries_taken < self.max_retries
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "HTTP request: %s %s", request.method, _LazySafeUrl(request.url)
                )
            try:
                response = self._send_following_redirects(request)
            except httpx.RequestError as exc:
                if can_retry and _should_retry_error(request.method, exc):
                    self._sleep_before_retry(request, retries_taken, None)
                    retries_taken += 1
                    continue
                raise transport_error(request, exc) from exc
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise transport_error(request, exc) from exc

            self._log_response(request, response)
            if response.is_success:
                return response, retries_taken
            if (
                can_retry
                and _should_retry_response(request.method, response)
                and not _waits_too_long(response)
            ):
                response.close()
                self._sleep_before_retry(request, retries_taken, response)
                retries_taken += 1
                continue
            raise self._make_status_error(response)

    def _sleep_before_retry(
        self,
        request: httpx.Request,
        retries_taken: int,
        response: httpx.Response | None,
    ) -> None:
        delay = self._retry_delay(retries_taken, response)
        log.debug(
            "Retrying %s %s in %.2f s (%d retries left)",
            request.method,
            _LazySafeUrl(request.url),
            delay,
            self.max_retries - retries_taken,
        )
        self._sleep(delay)

    def _execute(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None,
        body: Body | None,
        options: RequestOptions,
        parse: Callable[[httpx.Response], T],
    ) -> APIResponse[T]:
        request = self._build_request(
            method, path, query=query, body=body, options=options
        )
        response, retries_taken = self._send(request)
        return APIResponse(
            response, parse=parse, retries_taken=retries_taken, secrets=self._secrets
        )

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: None,
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> None: ...

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: type[T],
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> T: ...

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: Any,
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> Any: ...

    def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: Any,
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> Any:
        """Send one API call and return the validated result.

        ``unwrap=True`` validates ``body["data"]`` of the success envelope
        against ``result_type``; ``unwrap=False`` validates the whole JSON.
        ``result_type=None`` (or an empty body) returns None. Under a
        raw-response wrapper the :class:`APIResponse` is returned instead.
        """
        raw = raw_response_requested.get()
        response = self._execute(
            method,
            path,
            query=query,
            body=body,
            options=options,
            parse=functools.partial(
                _parse_result,
                result_type=result_type,
                unwrap=unwrap,
                strict=self.strict_response_validation,
            ),
        )
        return response if raw else response.parse()

    @overload
    def _get_page(
        self,
        path: str,
        *,
        item_type: type[T],
        query: Mapping[str, object] | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
    ) -> SyncCursorPage[T]: ...

    @overload
    def _get_page(
        self,
        path: str,
        *,
        item_type: Any,
        query: Mapping[str, object] | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
    ) -> SyncCursorPage[Any]: ...

    def _get_page(
        self,
        path: str,
        *,
        item_type: Any,
        query: Mapping[str, object] | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
    ) -> SyncCursorPage[Any]:
        """GET a list endpoint; the page fetches later pages on demand."""
        response = self._execute_page(path, item_type, dict(query or {}), options)
        if raw_response_requested.get():
            return response  # type: ignore[return-value]
        return response.parse()

    def _execute_page(
        self,
        path: str,
        item_type: Any,
        query: dict[str, object],
        options: RequestOptions,
    ) -> APIResponse[SyncCursorPage[Any]]:
        def fetch_page(cursor: str) -> SyncCursorPage[Any]:
            next_query, next_options = _next_page_request(query, options, cursor)
            return self._execute_page(path, item_type, next_query, next_options).parse()

        def parse(response: httpx.Response) -> SyncCursorPage[Any]:
            items, next_cursor, prev_cursor = self._parse_page(response, item_type)
            return SyncCursorPage(
                data=items,
                next_cursor=next_cursor,
                prev_cursor=prev_cursor,
                fetch_page=fetch_page,
                cursor=_current_cursor(query, options),
            )

        return self._execute(
            "GET", path, query=query, body=None, options=options, parse=parse
        )


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Asynchronous client base; each API's generated async client subclasses it."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float | None = None,
        _sleep: Callable[[float], Awaitable[None]] | None = None,
        _random: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=self._resolve_timeout(timeout, http_client),
            max_retries=max_retries,
            default_headers=default_headers,
            random_fn=_random,
            strict_response_validation=strict_response_validation,
            max_response_bytes=max_response_bytes,
            attempt_timeout=attempt_timeout,
        )
        if _sleep is None:
            import asyncio  # here: a sync-only program need not import asyncio

            _sleep = asyncio.sleep
        self._sleep: Callable[[float], Awaitable[None]] = _sleep
        self._owns_client = http_client is None
        self._client = (
            httpx.AsyncClient(timeout=self.timeout, follow_redirects=True)
            if http_client is None
            else http_client
        )

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        strict_response_validation: bool | None = None,
        max_response_bytes: int | None = None,
        attempt_timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> Self:
        """A copy with some options changed; it shares this client's connections.

        ``default_headers`` are merged over the current custom headers.
        """
        copy = type(self)(
            **_key_argument(self._api, api_key, self.api_key),
            base_url=base_url or self.base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            http_client=self._client if http_client is None else http_client,
            default_headers={**self._custom_headers, **(default_headers or {})},
            strict_response_validation=(
                self.strict_response_validation
                if strict_response_validation is None
                else strict_response_validation
            ),
            max_response_bytes=(
                self.max_response_bytes
                if max_response_bytes is None
                else max_response_bytes
            ),
            attempt_timeout=(
                self.attempt_timeout
                if isinstance(attempt_timeout, NotGiven)
                else attempt_timeout
            ),
        )
        copy._sleep = self._sleep
        copy._random = self._random
        # Several schemes: this client's credentials, api_key= changing its own.
        if self._api.auth_schemes:
            new_key = {copy._api_key_scheme: api_key} if api_key else {}
            copy._credentials = {**self._credentials, **new_key}
        return copy

    copy = with_options

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def close(self) -> None:
        await self.aclose()

    def is_closed(self) -> bool:
        return self._client.is_closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- the request loop ------------------------------------------------

    async def _send_following_redirects(self, request: httpx.Request) -> httpx.Response:
        # httpx would forward our key header to any host, so redirects are
        # followed here (see _redirect_request), never by httpx.
        limits = self._read_limits()
        for redirects in range(MAX_REDIRECTS):
            response = await self._client.send(
                request, follow_redirects=False, stream=True
            )
            next_request = self._redirect_request(request, response)
            if next_request is None or redirects == MAX_REDIRECTS - 1:
                break  # the last redirect is the answer: an APIStatusError
            await response.aclose()
            request = next_request
        if not stream_requested.get() or not response.is_success:
            await aread_body(response, limits)
        return response

    async def _send(self, request: httpx.Request) -> tuple[httpx.Response, int]:
        """Send with retries; returns a 2xx response and the retries taken."""
        self._check_open()
        try:
            return await self._send_attempts(request)
        except APIError as exc:
            exc._redact(self._secrets())
            raise

    async def _send_attempts(
        self, request: httpx.Request
    ) -> tuple[httpx.Response, int]:
        retries_taken = 0
        while True:
            can_retry = retries_taken < self.max_retries
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "HTTP request: %s %s", request.method, _LazySafeUrl(request.url)
                )
            try:
                response = await self._send_following_redirects(request)
            except httpx.RequestError as exc:
                if can_retry and _should_retry_error(request.method, exc):
                    await self._sleep_before_retry(request, retries_taken, None)
                    retries_taken += 1
                    continue
                raise transport_error(request, exc) from exc
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise transport_error(request, exc) from exc

            self._log_response(request, response)
            if response.is_success:
                return response, retries_taken
            if (
                can_retry
                and _should_retry_response(request.method, response)
                and not _waits_too_long(response)
            ):
                await response.aclose()
                await self._sleep_before_retry(request, retries_taken, response)
                retries_taken += 1
                continue
            raise self._make_status_error(response)

    async def _sleep_before_retry(
        self,
        request: httpx.Request,
        retries_taken: int,
        response: httpx.Response | None,
    ) -> None:
        delay = self._retry_delay(retries_taken, response)
        log.debug(
            "Retrying %s %s in %.2f s (%d retries left)",
            request.method,
            _LazySafeUrl(request.url),
            delay,
            self.max_retries - retries_taken,
        )
        await self._sleep(delay)

    async def _execute(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None,
        body: Body | None,
        options: RequestOptions,
        parse: Callable[[httpx.Response], T],
    ) -> APIResponse[T]:
        request = self._build_request(
            method, path, query=query, body=body, options=options
        )
        response, retries_taken = await self._send(request)
        return APIResponse(
            response, parse=parse, retries_taken=retries_taken, secrets=self._secrets
        )

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: None,
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> None: ...

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: type[T],
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> T: ...

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: Any,
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> Any: ...

    async def _request(
        self,
        method: str,
        path: str,
        *,
        result_type: Any,
        query: Mapping[str, object] | None = None,
        body: Body | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
        unwrap: bool = True,
    ) -> Any:
        """Async twin of :meth:`SyncAPIClient._request`."""
        raw = raw_response_requested.get()
        response = await self._execute(
            method,
            path,
            query=query,
            body=body,
            options=options,
            parse=functools.partial(
                _parse_result,
                result_type=result_type,
                unwrap=unwrap,
                strict=self.strict_response_validation,
            ),
        )
        return response if raw else response.parse()

    @overload
    def _get_page(
        self,
        path: str,
        *,
        item_type: type[T],
        query: Mapping[str, object] | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
    ) -> AsyncPaginator[T]: ...

    @overload
    def _get_page(
        self,
        path: str,
        *,
        item_type: Any,
        query: Mapping[str, object] | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
    ) -> AsyncPaginator[Any]: ...

    def _get_page(
        self,
        path: str,
        *,
        item_type: Any,
        query: Mapping[str, object] | None = None,
        options: RequestOptions = _DEFAULT_OPTIONS,
    ) -> AsyncPaginator[Any]:
        """GET a list endpoint: ``await`` it for the first page, or ``async for``
        over it for every item; later pages are fetched on demand."""

        async def first_page() -> AsyncCursorPage[Any]:
            response = await self._execute_page(
                path, item_type, dict(query or {}), options
            )
            if raw_response_requested.get():
                return response  # type: ignore[return-value]
            return response.parse()

        return AsyncPaginator(first_page)

    async def _execute_page(
        self,
        path: str,
        item_type: Any,
        query: dict[str, object],
        options: RequestOptions,
    ) -> APIResponse[AsyncCursorPage[Any]]:
        async def fetch_page(cursor: str) -> AsyncCursorPage[Any]:
            next_query, next_options = _next_page_request(query, options, cursor)
            response = await self._execute_page(
                path, item_type, next_query, next_options
            )
            return response.parse()

        def parse(response: httpx.Response) -> AsyncCursorPage[Any]:
            items, next_cursor, prev_cursor = self._parse_page(response, item_type)
            return AsyncCursorPage(
                data=items,
                next_cursor=next_cursor,
                prev_cursor=prev_cursor,
                fetch_page=fetch_page,
                cursor=_current_cursor(query, options),
            )

        return await self._execute(
            "GET", path, query=query, body=None, options=options, parse=parse
        )


# -- helpers -----------------------------------------------------------------


def _shown(value: str | None, secrets: tuple[str, ...]) -> str | None:
    return None if value is None else redact(value, secrets)


def _should_retry_error(method: str, exc: httpx.RequestError) -> bool:
    if isinstance(exc, _NOT_SENT_ERRORS):
        return True
    if method.upper() in _NON_IDEMPOTENT_METHODS:
        return False
    return isinstance(exc, _RETRYABLE_ERRORS)


def _waits_too_long(response: httpx.Response) -> bool:
    wait = retry_after(response)
    return wait is not None and wait > MAX_RETRY_AFTER


def _should_retry_response(method: str, response: httpx.Response) -> bool:
    # The server knows best whether repeating is safe.
    override = response.headers.get("x-should-retry", "").lower()
    if override == "true":
        return True
    if override == "false":
        return False
    status = response.status_code
    if status == 429:
        # A rate-limited request was rejected before any processing.
        return True
    if method.upper() in _NON_IDEMPOTENT_METHODS:
        return False
    return status == 408 or status >= 500


def _raw_content(value: FileInput | str) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, tuple):  # (filename, content[, type]): the content
        value = value[1]
    return value if isinstance(value, bytes) else value.read()


def _auth_headers(api: APIFacts, api_key: str) -> dict[str, str]:
    """Where the spec's security scheme puts the key: a header (with ``Bearer ``
    or ``Basic `` for ``http`` schemes), a cookie, or the query (below); none
    here with several schemes (each call adds what it needs)."""
    if api.auth_schemes:
        return {}
    if api.api_key_in == "cookie":
        return {"Cookie": f"{api.api_key_header}={api_key}"}
    if api.api_key_in != "header":
        return {}
    if api.api_key_prefix == "Basic " and ":" in api_key:  # "user:password" as given
        api_key = base64.b64encode(api_key.encode()).decode()
    return {api.api_key_header: api.api_key_prefix + api_key}


def _scheme_auth(
    api: APIFacts,
    credentials: Mapping[str, str],
    security: tuple[tuple[str, ...], ...] | None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and query parameters for the first alternative of an operation's
    security the client has every credential for (several schemes): exactly
    the schemes it lists. With none met, an error naming what would do; where
    the spec states no security at all, every credential given."""
    alternatives = api.default_security if security is None else security
    met = [a for a in alternatives or () if all(n in credentials for n in a)]
    if met:
        names = met[0]
    elif alternatives == ():  # ``security: []``: this operation is anonymous
        names = ()
    elif alternatives is None:  # none stated: send what we have
        names = tuple(n for n in api.auth_schemes if n in credentials)
    else:
        raise SDKError(_missing_credentials(api, alternatives))
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    cookies: list[str] = []
    for name in names:
        where, param, prefix, _, _ = api.auth_schemes[name]
        value = credentials[name]
        if where == "query":
            query[param] = value
        elif where == "cookie":
            cookies.append(f"{param}={value}")
        else:
            if prefix == "Basic " and ":" in value:
                value = base64.b64encode(value.encode()).decode()
            headers[param] = prefix + value
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return headers, query


def _missing_credentials(
    api: APIFacts, alternatives: tuple[tuple[str, ...], ...]
) -> str:
    """Which client arguments (or environment variables) this call needs."""
    schemes = api.auth_schemes
    options = [
        " and ".join(f"`{schemes[n][4]}=` (or {schemes[n][3]})" for n in names)
        for names in alternatives
    ]
    return (
        "This call needs credentials the client was not given: pass "
        + " or ".join(options)
        + "."
    )


def _auth_query(api: APIFacts, api_key: str) -> dict[str, str]:
    if api.api_key_in == "query":
        return {api.api_key_header: api_key}
    return {}


def _encode_body(body: Body | None, extra_body: Mapping[str, object] | None) -> bytes:
    data = {} if body is None else _body_data(body)
    if extra_body:
        _check_finite(extra_body, "extra_body")
        if not isinstance(data, dict):
            raise RequestValidationError(
                "extra_body: this request's body is not a JSON object",
                argument="extra_body",
            )
        # Per-call additions win, as extra_headers/extra_query do.
        data = {**data, **_body_data(extra_body)}
    try:
        return json.dumps(
            data, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode()
    except ValueError as exc:
        raise RequestValidationError(
            f"body: cannot be sent as JSON ({exc})", argument="body"
        ) from None


def _check_finite(value: object, where: str) -> None:
    # pydantic would quietly send NaN/Infinity as null.
    if isinstance(value, float) and not math.isfinite(value):
        raise RequestValidationError(
            f"{where}: {value!r} cannot be sent as JSON", argument=where.split(".")[0]
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_finite(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_finite(item, f"{where}[{index}]")


def _body_data(body: object) -> Any:
    if isinstance(body, pydantic.BaseModel):
        # exclude_unset: only what the caller chose goes on the wire, so
        # server-side defaults apply to everything else.
        return body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(body, Mapping):
        return _any_adapter().dump_python(
            {k: v for k, v in body.items() if not isinstance(v, NotGiven)},
            mode="json",
            by_alias=True,
        )
    if isinstance(body, list | tuple):  # batch endpoints send a JSON array
        return [_body_data(item) for item in body]
    return _any_adapter().dump_python(body, mode="json", by_alias=True)


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except RecursionError:
        raise APIResponseValidationError(
            response,
            body=None,
            message=f"Response from {response.request.url.path} is nested too"
            " deeply to be parsed.",
        ) from None
    except ValueError as exc:
        raise APIResponseValidationError(
            response,
            body=response.text,
            message=f"Expected a JSON response body from {response.request.url.path}.",
        ) from exc


def _validate(response: httpx.Response, tp: Any, value: object, *, strict: bool) -> Any:
    try:
        # The usual case, without building the message text below.
        return type_adapter(tp).validate_python(value)
    except (pydantic.ValidationError, RecursionError):
        pass  # validated again below, to warn or raise as configured
    where = f"Response from {response.request.url.path}"
    try:
        return validate(tp, value, strict=strict, where=where)
    except pydantic.ValidationError as exc:
        # Not chained: pydantic's own message prints the input values, and a
        # server may have echoed a credential into them.
        raise APIResponseValidationError(
            response,
            body=value,
            message=f"{where} did not match the expected schema: "
            + describe_errors(exc),
            errors=[
                {"loc": e["loc"], "type": e["type"], "msg": e["msg"]}
                for e in exc.errors(include_url=False, include_input=False)
            ],
        ) from None
    except RecursionError:
        raise APIResponseValidationError(
            response, body=None, message=f"{where} is nested too deeply."
        ) from None


def _check_success(response: httpx.Response, payload: object) -> None:
    """A 2xx whose envelope says ``"success": false`` is an error, not data."""
    if isinstance(payload, dict) and payload.get("success") is False:
        reason = payload.get("message") or payload.get("error") or "no reason given"
        raise UnsuccessfulResponseError(
            response,
            body=payload,
            message=f"{response.status_code} response from"
            f" {response.request.url.path} says success=false: {reason}",
        )


@functools.cache
def _envelope_model(tp: Any, page: bool) -> type[pydantic.BaseModel]:
    """The success envelope around ``tp`` (a list of it for a page)."""
    fields: dict[str, Any] = {
        "success": (Any, None),
        "data": (types.GenericAlias(list, (tp,)) if page else tp, ...),
    }
    if page:
        for name in ("cursor", "next_cursor", "prev_cursor"):
            fields[name] = (Any, None)
    model: type[pydantic.BaseModel] = pydantic.create_model("SuccessEnvelope", **fields)
    return model


def _from_envelope(response: httpx.Response, tp: Any, *, page: bool) -> Any:
    """The envelope validated straight from the response bytes in one pass, or
    None for anything unusual (a failure, ``success: false``, a type that
    cannot be cached): the step-by-step parse below then reports or salvages
    it, so this shortcut never changes a result, only how fast it comes."""
    try:
        model = _envelope_model(tp, page)
        envelope: Any = model.model_validate_json(response.content)
    except Exception:  # whatever it is, the step-by-step parse decides
        return None
    return None if envelope.success is False else envelope


def _parse_result(
    response: httpx.Response, *, result_type: Any, unwrap: bool, strict: bool
) -> Any:
    if result_type is None:
        return None
    if result_type is bytes:  # a binary response (file download)
        return response.content
    if result_type is str and "json" not in response.headers.get("content-type", ""):
        return response.text  # a text response
    if response.status_code == 204 or not response.content:
        raise APIResponseValidationError(
            response,
            body=None,
            message=f"Response from {response.request.url.path} has no body"
            f" (HTTP {response.status_code}), but a result was expected.",
        )
    if unwrap:
        envelope = _from_envelope(response, result_type, page=False)
        if envelope is not None:
            return envelope.data
    payload = _json_body(response)
    if unwrap:
        _check_success(response, payload)
        if not isinstance(payload, dict) or "data" not in payload:
            raise APIResponseValidationError(
                response,
                body=payload,
                message="Expected a success envelope with a `data` field.",
            )
        payload = payload["data"]
    return _validate(response, result_type, payload, strict=strict)


def _next_page_request(
    query: Mapping[str, object], options: RequestOptions, cursor: str
) -> tuple[dict[str, object], RequestOptions]:
    # The new cursor must win over any cursor pinned in extra_query.
    if options.extra_query and "cursor" in options.extra_query:
        extra = {k: v for k, v in options.extra_query.items() if k != "cursor"}
        options = replace(options, extra_query=extra)
    return {**query, "cursor": cursor}, options


def _current_cursor(query: Mapping[str, object], options: RequestOptions) -> str | None:
    cursor = (options.extra_query or {}).get("cursor", query.get("cursor"))
    return None if cursor is None or isinstance(cursor, NotGiven) else str(cursor)

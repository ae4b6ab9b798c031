"""Parse the API's webhooks into typed models, and check where they come from
as far as the API says how.
# >>> standard-webhooks

They are signed the Standard Webhooks (Svix) way. Typical use in a web handler,
with the *raw* request body::

    from <package> import webhooks

    try:
        event = webhooks.unwrap(request.body, request.headers, secret)
    except webhooks.WebhookVerificationError:
        return Response(status=400)
    if event.event == "bot.completed":
        ...
# <<< standard-webhooks
# >>> !standard-webhooks

The API's description does not say how webhooks are signed, so this module does
not verify them: check that a request comes from the API as its documentation
says before trusting what :func:`parse` returns.
# <<< !standard-webhooks
"""

# >>> template-only
# The lines between "# >>> name" and "# <<< name" are kept only in an SDK whose
# API has that feature ("!name": one whose API has not; see emit/sections.py).
# <<< template-only
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any, NamedTuple

import pydantic
from pydantic import ConfigDict

from . import _constants
from ._validation import describe_errors
from ._webhook_registry import (
    CALLBACK_KEYLESS,
    CALLBACK_KEYS,
    CALLBACK_MODELS,
    CALLBACK_NAMES,
    EVENT_KEYLESS,
    EVENT_KEYS,
    EVENT_MODELS,
    EVENT_NAMES,
    CallbackEvent,
    WebhookEvent,
)

__all__ = [
    "CallbackEvent",
    "UnknownWebhookEvent",
    # >>> standard-webhooks
    "Webhook",
    # <<< standard-webhooks
    "WebhookEvent",
    "WebhookParseError",
    # >>> standard-webhooks|callback-secret
    "WebhookSecretError",
    "WebhookVerificationError",
    # <<< standard-webhooks|callback-secret
    "parse",
    "parse_callback",
    # >>> standard-webhooks
    "unwrap",
    "verify",
    # <<< standard-webhooks
    # >>> callback-secret
    "verify_callback",
    # <<< callback-secret
]

# The package __init__ re-exports these; the rest of __all__ is for the SDK's modules.
_PACKAGE_EXPORTS: tuple[str, ...] = (
    "UnknownWebhookEvent",
    "WebhookEvent",
    "WebhookParseError",
    # >>> standard-webhooks|callback-secret
    "WebhookSecretError",
    "WebhookVerificationError",
    # <<< standard-webhooks|callback-secret
)


class WebhookParseError(_constants.SDKError, ValueError):
    """The payload is not a JSON object with a string ``event`` field, or a
    known event does not match its model."""


# >>> standard-webhooks|callback-secret
class WebhookVerificationError(_constants.SDKError):
    """The request is not a genuine, fresh webhook: reject it (e.g. HTTP 400)."""


class WebhookSecretError(_constants.SDKError, ValueError):
    """The secret given to verify with is unusable (empty or malformed).

    Deliberately not a WebhookVerificationError: it is the receiver's
    misconfiguration, not a bad request, and must not be answered quietly.
    """


# <<< standard-webhooks|callback-secret
class UnknownWebhookEvent(pydantic.BaseModel):
    """An event type this SDK version does not know; all fields are kept.

    ``event`` is the value of the property that names the event type (``event``
    or whichever the spec uses); "" when the payload has none.
    """

    model_config = ConfigDict(extra="allow")

    event: str = ""
    data: Any = None


# >>> standard-webhooks
DEFAULT_TOLERANCE = 300
_SECRET_PREFIX = "whsec_"
# Each header may come with either prefix (Standard Webhooks or Svix).
_HEADER_PREFIXES = ("webhook-", "svix-")


# A shorter key is guessable; Standard Webhooks secrets are 24 to 64 bytes.
MIN_SECRET_BYTES = 16


class Webhook:
    """A webhook endpoint's verifier: the secret is decoded and checked once.

    ``Webhook(secret)`` raises :class:`WebhookSecretError` at once for a secret
    that is not base64 (padded or not, with or without ``whsec_``), decodes to
    fewer than 16 bytes, or to zeros only (which would verify signatures made
    with an empty key). Build it when your app starts, then call
    :meth:`verify` or :meth:`unwrap` for each request.
    """

    def __init__(self, secret: str, *, tolerance: int = DEFAULT_TOLERANCE) -> None:
        self._key = _decode_secret(secret)
        self.tolerance = tolerance

    def __repr__(self) -> str:
        return f"Webhook(secret=<redacted>, tolerance={self.tolerance})"

    def verify(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        now: float | None = None,
    ) -> None:
        """See the module's :func:`verify`."""
        _verify(payload, headers, self._key, self.tolerance, now)

    def unwrap(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        now: float | None = None,
        name: str | None = None,
    ) -> WebhookEvent | UnknownWebhookEvent:
        """:meth:`verify`, then :func:`parse`."""
        self.verify(payload, headers, now=now)
        return parse(payload, name=name)


def verify(
    payload: str | bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a webhook's signature and timestamp; raise if either is wrong.

    ``payload`` must be the raw body exactly as received: re-serialised JSON
    will not match the signature. ``secret`` is the endpoint's signing secret
    (``whsec_<base64>``, or the bare base64 part; padding optional). Any
    ``v1`` signature in the header may match, which keeps verification working
    during key rotation. ``tolerance`` (seconds) bounds the clock skew accepted
    in both directions and so limits replays; ``now`` overrides the clock
    (tests).
    """
    _verify(payload, headers, _decode_secret(secret), tolerance, now)


def _verify(
    payload: str | bytes,
    headers: Mapping[str, str],
    key: bytes,
    tolerance: int,
    now: float | None,
) -> None:
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = _header(lowered, "id")
    timestamp_header = _header(lowered, "timestamp")
    signature_header = _header(lowered, "signature")

    try:
        timestamp = int(timestamp_header)
    except ValueError:
        raise WebhookVerificationError(
            f"Invalid webhook timestamp header: {timestamp_header!r}"
        ) from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("Webhook timestamp is too old")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("Webhook timestamp is too new (in the future)")

    body = payload.encode() if isinstance(payload, str) else payload
    signed = f"{msg_id}.{timestamp_header}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    expected = base64.b64encode(digest)

    for entry in signature_header.split():
        version, _, signature = entry.partition(",")
        # Other versions (e.g. asymmetric "v1a") are not ours to check.
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return
    raise WebhookVerificationError("No matching webhook signature found")


# <<< standard-webhooks
def parse(
    payload: str | bytes | Mapping[str, Any],
    *,
    name: str | None = None,
) -> WebhookEvent | UnknownWebhookEvent:
    """Turn a webhook body into its typed event model.

    Does NOT verify the signature: use :func:`unwrap` on untrusted input.
    ``name`` is the webhook's name in the spec, for payloads told apart by the
    URL they are sent to rather than by a field. Unknown event names give an
    :class:`UnknownWebhookEvent`, so a new event type never breaks a handler; a
    known event that does not match its model raises :class:`WebhookParseError`.
    Once ``UnknownWebhookEvent`` is ruled out (``isinstance``),
    ``event.event == "..."`` narrows to one model.
    """
    event: WebhookEvent | UnknownWebhookEvent = _parse(
        payload, Lookup(EVENT_KEYS, EVENT_MODELS, EVENT_NAMES, EVENT_KEYLESS), name
    )
    return event


def parse_callback(
    payload: str | bytes | Mapping[str, Any],
    *,
    name: str | None = None,
) -> CallbackEvent | UnknownWebhookEvent:
    """:func:`parse` for per-bot callbacks (check them with :func:`verify_callback`)."""
    lookup = Lookup(CALLBACK_KEYS, CALLBACK_MODELS, CALLBACK_NAMES, CALLBACK_KEYLESS)
    event: CallbackEvent | UnknownWebhookEvent = _parse(payload, lookup, name)
    return event


class Lookup(NamedTuple):
    """Where one API's payloads find their models (its ``_webhook_registry``)."""

    keys: tuple[str, ...]  # properties whose value picks a model
    models: Mapping[str, type[pydantic.BaseModel]]  # by that value
    names: Mapping[str, tuple[type[pydantic.BaseModel], ...]]  # by spec name
    keyless: tuple[type[pydantic.BaseModel], ...]  # no const: tried in order


def parse_with(
    payload: str | bytes | Mapping[str, Any], lookup: Lookup, name: str | None
) -> Any:
    """:func:`parse` with another registry: the webhooks module of each other
    API of the package (``<package>.<api>.webhooks``) calls it with its own."""
    return _parse(payload, lookup, name)


def _parse(
    payload: str | bytes | Mapping[str, Any], lookup: Lookup, name: str | None
) -> Any:
    if isinstance(payload, Mapping):
        obj: object = dict(payload)
    else:
        try:
            obj = json.loads(payload)
        except RecursionError:
            raise WebhookParseError("Webhook payload is nested too deeply") from None
        except ValueError as exc:
            raise WebhookParseError(
                f"Webhook payload is not valid JSON: {exc}"
            ) from exc
    if not isinstance(obj, dict):
        raise WebhookParseError(_shape_message(lookup.keys))
    if name is not None and name in lookup.names:
        return _first_match(obj, lookup.names[name], repr(name))
    for key in lookup.keys:
        value = obj.get(key)
        if not isinstance(value, str):
            continue
        model = lookup.models.get(value)
        if model is None:
            return _validate(UnknownWebhookEvent, {**obj, "event": value}, repr(value))
        return _validate(model, obj, repr(value))
    if lookup.keyless:
        return _first_match(obj, lookup.keyless, "")
    if lookup.keys:
        raise WebhookParseError(_shape_message(lookup.keys))
    return _validate(UnknownWebhookEvent, obj, "")


def _shape_message(keys: tuple[str, ...]) -> str:
    fields = " or ".join(f"`{key}`" for key in keys)
    if not fields:
        return "Webhook payload must be a JSON object"
    return f"Webhook payload must be a JSON object with a string {fields} field"


def _first_match(
    obj: dict[str, Any], models: tuple[type[pydantic.BaseModel], ...], what: str
) -> Any:
    """The first model (in spec order) the payload is valid for."""
    for model in models[:-1]:
        try:
            return model.model_validate(obj)
        except pydantic.ValidationError:
            continue
        except RecursionError:
            raise WebhookParseError("Webhook payload is nested too deeply") from None
    return _validate(models[-1], obj, what)


def _validate(model: type[pydantic.BaseModel], obj: dict[str, Any], what: str) -> Any:
    try:
        return model.model_validate(obj)
    except pydantic.ValidationError as exc:
        raise WebhookParseError(
            f"Webhook {what + ' ' if what else ''}payload does not match its model: "
            + describe_errors(exc)
        ) from None
    except RecursionError:
        raise WebhookParseError("Webhook payload is nested too deeply") from None


# >>> standard-webhooks
def unwrap(
    payload: str | bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
    name: str | None = None,
) -> WebhookEvent | UnknownWebhookEvent:
    """:func:`verify`, then :func:`parse`: the one call a webhook handler needs."""
    verify(payload, headers, secret, tolerance=tolerance, now=now)
    return parse(payload, name=name)


# <<< standard-webhooks
# >>> callback-secret
# The header a callback carries its secret in (from the generator's config).
CALLBACK_SECRET_HEADER = _constants.CALLBACK_SECRET_HEADER


def verify_callback(headers: Mapping[str, str], secret: str) -> None:
    """Check the secret header (``CALLBACK_SECRET_HEADER``) of a callback.

    Callbacks are not signed: the API echoes the secret configured for them
    verbatim in this header. Compared in constant time.
    """
    if not secret:
        # An empty secret would accept any callback sending an empty header.
        raise WebhookSecretError("Callback secret is empty; pass the bot's secret")
    lowered = {key.lower(): value for key, value in headers.items()}
    received = lowered.get(CALLBACK_SECRET_HEADER)
    if received is None:
        raise WebhookVerificationError(
            f"Missing required header: {CALLBACK_SECRET_HEADER}"
        )
    if not hmac.compare_digest(received.encode(), secret.encode()):
        raise WebhookVerificationError("Callback secret does not match")


# <<< callback-secret
# >>> standard-webhooks
def _header(lowered: Mapping[str, str], name: str) -> str:
    for prefix in _HEADER_PREFIXES:
        value = lowered.get(prefix + name)
        if value:
            return value
    raise WebhookVerificationError(
        f"Missing required header: webhook-{name} (or svix-{name})"
    )


def _decode_secret(secret: str) -> bytes:
    raw = secret.strip().removeprefix(_SECRET_PREFIX).rstrip("=")
    try:
        # Padding is optional, as for the `standardwebhooks` package.
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        # An empty key would make anyone's signature valid.
        raise WebhookSecretError(
            "Invalid webhook secret: expected 'whsec_' followed by non-empty base64"
        ) from None
    if len(key) < MIN_SECRET_BYTES or not key.strip(b"\0"):
        # Zeros only: HMAC pads keys with zeros, so this one verifies what an
        # empty key signed.
        raise WebhookSecretError(
            f"Invalid webhook secret: it decodes to {len(key)} bytes"
            + (" of zeros only" if not key.strip(b"\0") else "")
            + f"; a signing secret has at least {MIN_SECRET_BYTES} random bytes"
        )
    return key


# <<< standard-webhooks

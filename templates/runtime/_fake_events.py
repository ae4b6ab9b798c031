"""Webhook and callback requests for tests: the body the API sends, carrying
its proof of origin as the API sends it (see ``testing``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from ._fake import dump_json

__all__ = [
    # >>> callback-secret
    "callback_headers",
    # <<< callback-secret
    "event_body",
    # >>> standard-webhooks
    "sign",
    # <<< standard-webhooks
]


def event_body(examples: Mapping[str, Any], event: str, data: object) -> bytes:
    """The example payload of ``event`` as JSON bytes, its ``data`` replaced
    by ``data`` (a model or its JSON) unless that is None."""
    if event not in examples:
        known = ", ".join(sorted(examples)) or "none"
        raise ValueError(f"unknown event {event!r} (the spec's events: {known})")
    payload: Any = json.loads(json.dumps(examples[event]))  # a copy
    if data is not None and isinstance(payload, dict):
        payload["data"] = dump_json(data)
    return json.dumps(payload).encode()


# >>> standard-webhooks
def sign(
    body: bytes, secret: str, *, timestamp: int | None = None, msg_id: str
) -> dict[str, str]:
    """Standard Webhooks headers for ``body``, signed with ``secret``."""
    from .webhooks import _decode_secret  # here: only this SDK part signs

    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signed = f"{msg_id}.{stamp}.".encode() + body
    digest = hmac.new(_decode_secret(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
        "content-type": "application/json",
    }


# <<< standard-webhooks
# >>> callback-secret
def callback_headers(secret: str) -> dict[str, str]:
    """The headers a callback carries: its secret, echoed as configured."""
    from .webhooks import CALLBACK_SECRET_HEADER

    return {CALLBACK_SECRET_HEADER: secret, "content-type": "application/json"}


# <<< callback-secret

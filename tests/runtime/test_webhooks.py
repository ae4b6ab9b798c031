"""Webhook verification, checked against the reference `standardwebhooks` signer."""

from __future__ import annotations

import base64
import datetime as dt
import json
from types import ModuleType

import pydantic
import pytest

standardwebhooks = pytest.importorskip("standardwebhooks")

SECRET_BYTES = b"0123456789abcdef0123456789abcdef"
SECRET = "whsec_" + base64.b64encode(SECRET_BYTES).decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another-secret-entirely-32bytes!").decode()
NOW = 1_700_000_000
MSG_ID = "msg_2b6x9Q"
PAYLOAD = json.dumps(
    {"event": "bot.completed", "data": {"bot_id": "b1", "duration_seconds": 42}}
)


def sign(
    payload: str, secret: str = SECRET, ts: int = NOW, msg_id: str = MSG_ID
) -> str:
    timestamp = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    signature: str = standardwebhooks.Webhook(secret).sign(msg_id, timestamp, payload)
    return signature


def headers(
    payload: str = PAYLOAD,
    *,
    prefix: str = "webhook-",
    secret: str = SECRET,
    ts: int = NOW,
    signature: str | None = None,
) -> dict[str, str]:
    return {
        f"{prefix}id": MSG_ID,
        f"{prefix}timestamp": str(ts),
        f"{prefix}signature": signature or sign(payload, secret, ts),
    }


def test_reference_signature_verifies(rt: ModuleType) -> None:
    rt.webhooks.verify(PAYLOAD, headers(), SECRET, now=NOW)
    rt.webhooks.verify(PAYLOAD.encode(), headers(), SECRET, now=NOW)


def test_svix_prefixed_and_mixed_case_headers(rt: ModuleType) -> None:
    rt.webhooks.verify(PAYLOAD, headers(prefix="svix-"), SECRET, now=NOW)
    shouted = {k.title(): v for k, v in headers().items()}  # Webhook-Id, ...
    rt.webhooks.verify(PAYLOAD, shouted, SECRET, now=NOW)


def test_raw_base64_secret_accepted(rt: ModuleType) -> None:
    raw_secret = SECRET.removeprefix("whsec_")
    rt.webhooks.verify(PAYLOAD, headers(), raw_secret, now=NOW)


def test_non_ascii_payload(rt: ModuleType) -> None:
    payload = json.dumps(
        {"event": "bot.completed", "data": {"bot_id": "réunion-✓"}}, ensure_ascii=False
    )
    event = rt.webhooks.unwrap(payload.encode(), headers(payload), SECRET, now=NOW)
    assert event.data.bot_id == "réunion-✓"


def test_tampered_payload_rejected(rt: ModuleType) -> None:
    tampered = PAYLOAD.replace("42", "43")
    with pytest.raises(rt.WebhookVerificationError, match="No matching"):
        rt.webhooks.verify(tampered, headers(), SECRET, now=NOW)


def test_tampered_id_rejected(rt: ModuleType) -> None:
    forged = {**headers(), "webhook-id": "msg_other"}
    with pytest.raises(rt.WebhookVerificationError):
        rt.webhooks.verify(PAYLOAD, forged, SECRET, now=NOW)


def test_wrong_secret_rejected(rt: ModuleType) -> None:
    with pytest.raises(rt.WebhookVerificationError, match="No matching"):
        rt.webhooks.verify(PAYLOAD, headers(), OTHER_SECRET, now=NOW)


def test_expired_and_future_timestamps(rt: ModuleType) -> None:
    h = headers()
    rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW + 300)  # edge: still fine
    rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW - 300)
    with pytest.raises(rt.WebhookVerificationError, match="too old"):
        rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW + 301)
    with pytest.raises(rt.WebhookVerificationError, match="too new"):
        rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW - 301)
    # A wider tolerance accepts older messages.
    rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW + 1000, tolerance=1000)


def test_timestamp_checked_against_real_clock_by_default(rt: ModuleType) -> None:
    with pytest.raises(rt.WebhookVerificationError, match="too old"):
        rt.webhooks.verify(PAYLOAD, headers(), SECRET)


def test_multiple_signatures_any_may_match(rt: ModuleType) -> None:
    old = sign(PAYLOAD, OTHER_SECRET)
    new = sign(PAYLOAD, SECRET)
    combined = f"v1a,ignoredAsymmetricSig {old} {new}"
    rt.webhooks.verify(PAYLOAD, headers(signature=combined), SECRET, now=NOW)
    rt.webhooks.verify(PAYLOAD, headers(signature=combined), OTHER_SECRET, now=NOW)

    # The right bytes under another version tag do not count.
    relabelled = "v2," + new.split(",", 1)[1]
    with pytest.raises(rt.WebhookVerificationError):
        rt.webhooks.verify(PAYLOAD, headers(signature=relabelled), SECRET, now=NOW)


@pytest.mark.parametrize("missing", ["id", "timestamp", "signature"])
def test_missing_headers(rt: ModuleType, missing: str) -> None:
    h = headers()
    del h[f"webhook-{missing}"]
    with pytest.raises(rt.WebhookVerificationError, match=f"webhook-{missing}"):
        rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW)


def test_bad_timestamp_header(rt: ModuleType) -> None:
    h = {**headers(), "webhook-timestamp": "yesterday"}
    with pytest.raises(rt.WebhookVerificationError, match="timestamp"):
        rt.webhooks.verify(PAYLOAD, h, SECRET, now=NOW)


def test_invalid_secret_is_a_config_error(rt: ModuleType) -> None:
    with pytest.raises(rt.MeetingBaasError, match="secret") as info:
        rt.webhooks.verify(PAYLOAD, headers(), "whsec_not base64!!", now=NOW)
    assert not isinstance(info.value, rt.WebhookVerificationError)


def test_verification_error_hierarchy(rt: ModuleType) -> None:
    assert issubclass(rt.WebhookVerificationError, rt.MeetingBaasError)
    assert rt.webhooks.WebhookVerificationError is rt.WebhookVerificationError


def test_parse_known_events(rt: ModuleType) -> None:
    registry = rt._webhook_registry
    event = rt.webhooks.parse(PAYLOAD)
    assert isinstance(event, registry.BotCompletedEvent)
    assert event.data.duration_seconds == 42

    calendar = rt.webhooks.parse(
        {
            "event": "calendar.event_created",
            "data": {"calendar_id": "c", "event_id": "e"},
            "sent_at": "2024-01-01T00:00:00Z",
        }
    )
    assert isinstance(calendar, registry.CalendarEventCreatedEvent)
    assert calendar.data.event_id == "e"
    assert calendar.model_extra == {"sent_at": "2024-01-01T00:00:00Z"}


def test_parse_unknown_event(rt: ModuleType) -> None:
    event = rt.webhooks.parse(
        b'{"event": "bot.teleported", "data": {"to": "mars"}, "extra": 1}'
    )
    assert type(event) is rt.UnknownWebhookEvent
    assert event.event == "bot.teleported"
    assert event.data == {"to": "mars"}
    assert event.model_extra == {"extra": 1}


def test_parse_rejects_garbage(rt: ModuleType) -> None:
    for bad in ("not json", "[1, 2]", '{"data": {}}', '{"event": 5}'):
        with pytest.raises(rt.webhooks.WebhookParseError):
            rt.webhooks.parse(bad)
    # A known event with the wrong shape is a parse error, not "unknown", and
    # never a raw pydantic error.
    with pytest.raises(rt.webhooks.WebhookParseError, match="bot_id") as info:
        rt.webhooks.parse({"event": "bot.completed", "data": {}})
    assert isinstance(info.value, rt.MeetingBaasError)
    assert not isinstance(info.value, pydantic.ValidationError)


def test_unwrap_verifies_then_parses(rt: ModuleType) -> None:
    event = rt.webhooks.unwrap(PAYLOAD, headers(), SECRET, now=NOW)
    assert isinstance(event, rt._webhook_registry.BotCompletedEvent)
    assert event.data.bot_id == "b1"
    with pytest.raises(rt.WebhookVerificationError):
        rt.webhooks.unwrap(PAYLOAD, headers(), OTHER_SECRET, now=NOW)


def test_unwrap_unknown_event_after_verification(rt: ModuleType) -> None:
    payload = '{"event": "bot.new_thing", "data": null}'
    event = rt.webhooks.unwrap(payload, headers(payload), SECRET, now=NOW)
    assert isinstance(event, rt.UnknownWebhookEvent)
    assert event.data is None


def test_our_check_agrees_with_reference_verifier(rt: ModuleType) -> None:
    # Same inputs to both implementations: both accept, then both reject.
    now_ts = int(dt.datetime.now(tz=dt.UTC).timestamp())
    h = headers(ts=now_ts)
    standardwebhooks.Webhook(SECRET).verify(PAYLOAD, h)
    rt.webhooks.verify(PAYLOAD, h, SECRET)
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(OTHER_SECRET).verify(PAYLOAD, h)
    with pytest.raises(rt.WebhookVerificationError):
        rt.webhooks.verify(PAYLOAD, h, OTHER_SECRET)


def test_verify_callback_secret(rt: ModuleType) -> None:
    rt.webhooks.verify_callback({"X-MB-Secret": "s3cret"}, "s3cret")
    with pytest.raises(rt.WebhookVerificationError, match="does not match"):
        rt.webhooks.verify_callback({"x-mb-secret": "guess"}, "s3cret")
    with pytest.raises(rt.WebhookVerificationError, match="x-mb-secret"):
        rt.webhooks.verify_callback({}, "s3cret")


# -- secrets: unpadded base64, and keys too weak to sign with ----------------


@pytest.mark.parametrize("key_bytes", [16, 24, 32, 33, 64])
def test_unpadded_secret_interoperates_with_standardwebhooks(
    rt: ModuleType, key_bytes: int
) -> None:
    raw = bytes(range(1, key_bytes + 1))
    unpadded = "whsec_" + base64.b64encode(raw).decode().rstrip("=")
    # The reference signs with the unpadded secret; we verify with both forms.
    signed = headers(secret=unpadded)
    padded = "whsec_" + base64.b64encode(raw).decode()
    for secret in (unpadded, padded, unpadded.removeprefix("whsec_")):
        rt.webhooks.verify(PAYLOAD, signed, secret, now=NOW)
        rt.webhooks.Webhook(secret).verify(PAYLOAD, signed, now=NOW)
    # And the reference accepts what it signed with our decoding of the key.
    reference = standardwebhooks.Webhook(unpadded)
    assert reference._whsecret == raw
    with pytest.raises(rt.WebhookVerificationError):
        rt.webhooks.verify(PAYLOAD, signed, OTHER_SECRET, now=NOW)


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (b"short-key", "9 bytes"),
        (b"x" * 15, "15 bytes"),
        (bytes(32), "32 bytes of zeros only"),
        (bytes(16), "16 bytes of zeros only"),
    ],
)
def test_weak_secrets_are_refused_at_construction(
    rt: ModuleType, key: bytes, why: str
) -> None:
    secret = "whsec_" + base64.b64encode(key).decode()
    with pytest.raises(rt.webhooks.WebhookSecretError, match=why):
        rt.webhooks.Webhook(secret)
    with pytest.raises(rt.webhooks.WebhookSecretError, match=why):
        rt.webhooks.verify(PAYLOAD, headers(), secret, now=NOW)


def test_all_zero_key_would_verify_an_empty_key_signature(rt: ModuleType) -> None:
    # Why zeros are refused: HMAC pads keys with zeros, so both sign alike.
    import hashlib
    import hmac

    empty = hmac.new(b"", b"m", hashlib.sha256).digest()
    assert hmac.new(bytes(32), b"m", hashlib.sha256).digest() == empty


def test_webhook_object_unwraps_and_hides_its_secret(rt: ModuleType) -> None:
    hook = rt.webhooks.Webhook(SECRET, tolerance=10)
    event = hook.unwrap(PAYLOAD, headers(), now=NOW + 5)
    assert event.data.bot_id == "b1"
    with pytest.raises(rt.WebhookVerificationError, match="too old"):
        hook.verify(PAYLOAD, headers(), now=NOW + 11)
    assert SECRET.removeprefix("whsec_") not in repr(hook)

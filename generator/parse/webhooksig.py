"""Whether the spec says its webhooks are signed the Standard Webhooks way.

Only then can the SDK verify them: the helper checks ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature`` (or Svix's ``svix-`` names, the
same scheme). The spec says so when a webhook or callback request declares those
three headers as parameters, or when its description (or that of a tag it
carries) names all three.
"""

from __future__ import annotations

import re
from typing import Any

from .loader import HTTP_METHODS, deref_or_none
from .operations import raw_operations

STANDARD_WEBHOOKS = "standard-webhooks"
_PARTS = ("id", "timestamp", "signature")
_PREFIXES = ("webhook-", "svix-")


def webhook_signature(raw: dict[str, Any]) -> str:
    """``"standard-webhooks"`` when the spec describes those headers, else ""."""
    tags = _tag_texts(raw)
    for op in _payload_operations(raw):
        if _signed(raw, op, tags):
            return STANDARD_WEBHOOKS
    return ""


def _signed(raw: dict[str, Any], op: dict[str, Any], tags: dict[str, str]) -> bool:
    """A payload operation declares the signature headers, or its texts (its
    tags' too) name them all."""
    declared = {
        str(p.get("name", "")).lower()
        for p in _params(raw, op)
        if p.get("in") == "header"
    }
    texts = [str(op.get(k) or "") for k in ("summary", "description")]
    texts += [tags.get(str(t), "") for t in op.get("tags") or []]
    return _names_all(declared) or any(_names_all(_mentioned(t)) for t in texts)


def _names_all(headers: set[str]) -> bool:
    return any(all(p + part in headers for part in _PARTS) for p in _PREFIXES)


def _mentioned(text: str) -> set[str]:
    return {m.lower() for m in re.findall(r"\b(?:webhook|svix)-[a-z]+\b", text, re.I)}


def _tag_texts(raw: dict[str, Any]) -> dict[str, str]:
    tags = raw.get("tags")
    return {
        str(t.get("name")): str(t.get("description") or "")
        for t in (tags if isinstance(tags, list) else ())
        if isinstance(t, dict)
    }


def _payload_operations(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the ``webhooks`` section and of operations' callbacks,
    each with its path item's parameters under ``x-path-parameters``."""
    found: list[dict[str, Any]] = []
    for item in _payload_path_items(raw):
        item = deref_or_none(raw, item)
        if not isinstance(item, dict):
            continue
        shared = (
            item.get("parameters") if isinstance(item.get("parameters"), list) else []
        )
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict):
                found.append({**op, "x-path-parameters": shared})
    return found


def _payload_path_items(raw: dict[str, Any]) -> list[Any]:
    """The path items of the ``webhooks`` section, then of every operation's
    callbacks."""
    items: list[Any] = list((raw.get("webhooks") or {}).values())
    for r in raw_operations(raw):
        callbacks = r.op.get("callbacks") if isinstance(r.op, dict) else None
        for callback in deref_or_none(raw, callbacks or {}).values():
            items.extend((deref_or_none(raw, callback) or {}).values())
    return items


def _params(raw: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
    own = op.get("parameters") if isinstance(op.get("parameters"), list) else []
    shared: list[Any] = op["x-path-parameters"]
    params = [deref_or_none(raw, p) for p in [*shared, *(own or [])]]
    return [p for p in params if isinstance(p, dict)]

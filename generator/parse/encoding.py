"""A request body's media types: a form's ``encoding`` map, read as the spec
gives it (which rule applies to each field is decided in
``generator/emit/wirerules.py``), and the media types the SDK does not send."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.errors import escape_pointer_token


def form_encoding(found: Any) -> tuple[tuple[str, ir.Encoding], ...]:
    """A form's ``encoding`` map, its entries' kinds checked (others ignored)."""
    if not isinstance(found, dict):
        return ()
    out = []
    for name, entry in sorted(found.items()):
        if not isinstance(entry, dict):
            continue
        style, explode = entry.get("style"), entry.get("explode")
        content_type = entry.get("contentType")
        out.append(
            (
                str(name),
                ir.Encoding(
                    style=style if isinstance(style, str) else "",
                    explode=explode if isinstance(explode, bool) else None,
                    allow_reserved=entry.get("allowReserved") is True,
                    content_type=(
                        content_type.split(",")[0].strip()
                        if isinstance(content_type, str)
                        else ""
                    ),
                ),
            )
        )
    return tuple(out)


def unsent_media(content: Any, schema_where: str) -> list[tuple[str, str]]:
    """(pointer, warning) for each other media type of a body whose schema
    differs from the one sent (at ``schema_where``): its fields are no arguments."""
    if not isinstance(content, dict):
        return []
    where, _, token = schema_where.removesuffix("/schema").rpartition("/")
    chosen = token.replace("~1", "/").replace("~0", "~")
    sent = content.get(chosen)
    schema = sent.get("schema") if isinstance(sent, dict) else None
    return [
        (
            f"{where}/{escape_pointer_token(media)}",
            f"request body as {media!r} not generated: the SDK sends {chosen!r}",
        )
        for media, entry in content.items()
        if media != chosen
        and isinstance(entry, dict)
        and "schema" in entry
        and entry["schema"] != schema
    ]

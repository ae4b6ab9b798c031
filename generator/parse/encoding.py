"""A form body's ``encoding`` map, read from the spec as it is given; which
rule applies to each field is decided in ``generator/emit/wirerules.py``."""

from __future__ import annotations

from typing import Any

from generator import ir


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

"""The one error type for bad input: it always names where the problem is."""

from __future__ import annotations


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer such as ``#/paths/~1v2~1bots/post``."""
    return "#" + "".join("/" + escape_pointer_token(t) for t in tokens)


class SpecError(Exception):
    """Invalid or unsupported input. ``where`` is a JSON pointer or a source name."""

    def __init__(self, message: str, where: str = "#") -> None:
        super().__init__(f"{where}: {message}")
        self.message = message
        self.where = where

    def __reduce__(self) -> tuple[type[SpecError], tuple[str, str]]:
        # Rebuilt from its parts when it crosses a process boundary.
        return (SpecError, (self.message, self.where))

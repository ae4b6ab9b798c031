"""Final Python names decided in one place: a client method's arguments and an
enum's members, after clashes are resolved.

The emitter spells the SDK with these names and the diff quotes them, so a name
changed to avoid a clash (``timeout`` -> ``timeout_``) reads the same in both.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping

from . import ir
from .naming import enum_member, snake

# Keyword arguments every client method takes for itself.
OPTION_ARGS = ("extra_headers", "extra_query", "timeout")
# Names the generated method body uses for its own locals.
_RESERVED = ("self", "body", "params", "query", "headers")


def arg_name(name: str, taken: set[str]) -> str:
    """``name`` made safe as an argument next to ``taken`` (which it joins)."""
    if keyword.iskeyword(name) or name in OPTION_ARGS or name in _RESERVED:
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def call_arguments(
    op: ir.Operation, models: Mapping[str, ir.Model]
) -> dict[tuple[str, str], str]:
    """(``"param"`` or ``"body"``, wire name) -> argument name, in signature order:
    the parameters first, then the fields of a model body (flattened to keywords);
    any other body is the positional ``body`` argument, keyed ("body", "")."""
    taken: set[str] = set()
    out: dict[tuple[str, str], str] = {}
    for p in op.params:
        out[("param", p.wire_name)] = arg_name(p.python_name, taken)
    body = ir.unwrap_nullable(op.body.type) if op.body else None
    if isinstance(body, ir.ModelRef) and body.name in models:
        for f in models[body.name].fields:
            out[("body", f.wire_name)] = arg_name(f.python_name, taken)
    elif body is not None:
        out[("body", "")] = "body"  # reserved above: no parameter takes it
    return out


# The clients' own constructor arguments: a credential argument must not shadow one.
CLIENT_ARGS = (
    "api_key",
    "base_url",
    "timeout",
    "max_retries",
    "http_client",
    "default_headers",
    "strict_response_validation",
    "self",
    "options",
    "_sleep",
    "_random",
)


def sendable(a: ir.AuthScheme) -> bool:
    """Whether the client can send this scheme's credential (mutualTLS and http
    schemes other than bearer/basic it cannot)."""
    if a.kind == "apiKey":
        return a.location in ("header", "query", "cookie")
    if a.kind == "http":
        return a.scheme.lower() in ("bearer", "basic")
    return a.kind in ("oauth2", "openIdConnect")


def primary_scheme(schemes: tuple[ir.AuthScheme, ...]) -> ir.AuthScheme | None:
    """The scheme ``api_key=`` is the credential of: an apiKey header first,
    then any single-string credential, basic (a pair) last."""

    def rank(a: ir.AuthScheme) -> int:
        if a.kind == "apiKey" and a.location == "header":
            return 0
        return 2 if a.kind == "http" and a.scheme.lower() == "basic" else 1

    return next((a for a in sorted(schemes, key=rank) if sendable(a)), None)


def credential_arguments(schemes: tuple[ir.AuthScheme, ...]) -> dict[str, str]:
    """Scheme name -> the client constructor argument for its credential, for
    every scheme the client can send, in spec order: ``api_key`` for the
    primary one, the snake_case scheme name for the others (``timeout_``
    beside the client's own ``timeout``, as method arguments are renamed)."""
    primary = primary_scheme(schemes)
    taken = set(CLIENT_ARGS)
    out: dict[str, str] = {}
    for a in schemes:
        if not sendable(a):
            continue
        if a is primary:
            out[a.name] = "api_key"
            continue
        name = snake(a.name) or "credential"
        if name[0].isdigit():
            name = "n_" + name
        out[a.name] = arg_name(name, taken)
    return out


def member_names(values: tuple[str | int, ...]) -> list[str]:
    """The enum members for ``values``, in order; a clash gets a trailing ``_``."""
    out: list[str] = []
    for v in values:
        name = enum_member(v)
        while name in out:
            name += "_"
        out.append(name)
    return out

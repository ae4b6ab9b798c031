"""Security schemes as the client's credentials: where each goes, its argument
and environment variable."""

from __future__ import annotations

from dataclasses import dataclass

from ... import ir
from ...finalnames import credential_arguments, primary_scheme, scheme_use, sendable
from .types import one_line


@dataclass(frozen=True)
class AuthSchemeView:
    name: str  # the spec's scheme name
    arg: str  # the client's constructor argument for its credential
    location: str  # "header", "query" or "cookie"
    param: str  # header, query parameter or cookie name
    prefix: str  # "Bearer ", "Basic " or ""
    env: str  # the environment variable read when the argument is not given
    annotation: str = "str | None"  # the argument's type
    doc: str = ""  # its docstring line
    pair: bool = False  # http basic as a (username, password) tuple


# ``api_key_in`` of an API whose spec describes no credential: the client
# takes no key and sends none.
NO_KEY = "none"


def auth_placement(api: ir.Api) -> tuple[str, str, str]:
    """(name, "header"/"query"/"cookie", header prefix) of the key the client
    sends: the primary scheme's (finalnames.primary_scheme). OAuth2 and OpenID
    Connect tokens go as bearer tokens."""
    first = primary_scheme(api.auth, scheme_use(api))
    found = _placement(first) if first else None
    if found is None and not any(sendable(a) for a in api.auth):
        return "", NO_KEY, ""  # the spec describes no credential at all
    return found or ("Authorization", "header", "")


def _placement(a: ir.AuthScheme) -> tuple[str, str, str] | None:
    if not sendable(a):
        return None
    if a.kind == "apiKey":
        return one_line(a.param_name) or "Authorization", a.location, ""
    if a.kind == "http":
        return "Authorization", "header", a.scheme.capitalize() + " "
    return "Authorization", "header", "Bearer "  # OAuth 2 / OpenID Connect


def _per_scheme(api: ir.Api) -> bool:
    """Whether each call picks its credentials (``AUTH_SCHEMES``): several
    schemes, or one that some operation does without (``security: []``)."""
    usable = [a for a in api.auth if sendable(a)]
    anonymous = any(op.security == () for op in api.operations)
    return len(usable) > 1 or (len(usable) == 1 and anonymous)


def auth_scheme_views(api: ir.Api, env_prefix: str) -> list[AuthSchemeView]:
    """Every scheme the client can send, when each call picks its credentials
    (otherwise the ``API_KEY_*`` constants say it all)."""
    if not _per_scheme(api):
        return []
    args = credential_arguments(api.auth, scheme_use(api))
    views: list[AuthSchemeView] = []
    envs: set[str] = set()
    for a in api.auth:
        placed = _placement(a)
        if placed is None:
            continue
        param, where, prefix = placed
        arg = args[a.name]
        env = f"{env_prefix}_{arg.strip('_').upper()}"
        while env in envs:  # "timeout_" and "timeout__" want one variable
            env += "_"
        envs.add(env)
        pair = prefix == "Basic " and arg != "api_key"
        views.append(
            AuthSchemeView(
                name=a.name,
                arg=arg,
                location=where,
                param=param,
                prefix=prefix,
                env=env,
                annotation="tuple[str, str] | None" if pair else "str | None",
                doc=_credential_doc(a, param, arg == "api_key", env),
                pair=pair,
            )
        )
    views.sort(key=lambda v: v.arg != "api_key")  # api_key first, as on every client
    return views


def _credential_doc(a: ir.AuthScheme, param: str, primary: bool, env: str) -> str:
    """One docstring line: what the credential is, where it goes, its env var."""
    where = {"header": "header", "query": "query parameter", "cookie": "cookie"}
    fallback = f"``{env}``"
    if a.kind == "apiKey":
        what = f"API key sent in the ``{param}`` {where.get(a.location, '')}"
    elif a.kind == "http" and a.scheme.lower() == "basic":
        pair = "``user:password``" if primary else "``(username, password)``"
        what = f"{pair} for HTTP basic auth"
        fallback += " (``user:password``)"
    elif a.kind == "http":
        what = "bearer token"
    else:
        what = "access token, sent as a bearer token"
    return f"{what} (scheme ``{one_line(a.name)}``); else {fallback}."


def security_literal(
    security: tuple[tuple[str, ...], ...] | None, usable: set[str]
) -> str | None:
    """The alternatives the client can send, as a Python literal (a scheme it
    cannot send, such as mutualTLS, rules its alternative out); None for the
    default."""
    if security is None:
        return None
    kept = tuple(a for a in security if set(a) <= usable)
    return None if security and not kept else repr(kept)


def usable_schemes(api: ir.Api) -> set[str]:
    return {a.name for a in api.auth if _placement(a)}

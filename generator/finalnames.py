"""Final Python names decided in one place: where each operation sits on the
client (resource chain, method), each resource's class and module, the private
and TypedDict classes beside them, a client method's arguments and an enum's
members, after clashes are resolved.

The normaliser runs ``place_calls`` once, after the type names are final, and
the IR carries the result; the emitter spells the SDK with these names and the
diff quotes them, so a name changed to avoid a clash (``timeout`` ->
``timeout_``, a resource class ``Bot`` -> ``BotResource``) reads the same in both.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import replace

from . import ir
from .emit.importable import IMPORTABLE
from .emit.runtimeapi import client_attributes
from .naming import (
    action_name,
    enum_member,
    file_stem,
    identifier,
    pascal,
    sdk_names,
    snake,
)

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
    """(a parameter's location or ``"body"``, wire name) -> argument name, in
    signature order: the parameters first (a path and a query parameter may share
    a wire name), then the fields of a model body (flattened to keywords); any
    other body is the ``body`` argument, keyed ("body", "")."""
    taken: set[str] = set()
    out: dict[tuple[str, str], str] = {}
    for p in op.params:
        out[(p.location, p.wire_name)] = arg_name(p.python_name, taken)
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


def scheme_use(api: ir.Api) -> dict[str, int]:
    """Scheme name -> how many operations name it in their ``security`` (the
    API's default for an operation without its own)."""
    counts: dict[str, int] = {}
    for op in api.operations:
        required = op.security if op.security is not None else api.security or ()
        for name in {n for alternative in required for n in alternative}:
            counts[name] = counts.get(name, 0) + 1
    return counts


def primary_scheme(
    schemes: tuple[ir.AuthScheme, ...], use: Mapping[str, int] | None = None
) -> ir.AuthScheme | None:
    """The scheme ``api_key=`` is the credential of: an apiKey header first,
    then any single-string credential, basic (a pair) last; among equals the
    one most operations use (``use``, scheme_use), then the first."""

    def rank(a: ir.AuthScheme) -> tuple[int, int]:
        used = -(use or {}).get(a.name, 0)
        if a.kind == "apiKey" and a.location == "header":
            return 0, used
        return (2 if a.kind == "http" and a.scheme.lower() == "basic" else 1), used

    return next((a for a in sorted(schemes, key=rank) if sendable(a)), None)


def credential_arguments(
    schemes: tuple[ir.AuthScheme, ...], use: Mapping[str, int] | None = None
) -> dict[str, str]:
    """Scheme name -> the client constructor argument for its credential, for
    every scheme the client can send, in spec order: ``api_key`` for the
    primary one, the snake_case scheme name for the others (``timeout_``
    beside the client's own ``timeout``, as method arguments are renamed)."""
    primary = primary_scheme(schemes, use)
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


# -- where operations sit on the client --------------------------------------------

# Attributes of the client (the runtime's, read off its source) and of every
# resource (the templates'): a resource or method of that name would shadow them.
TAKEN_ATTRIBUTES = client_attributes() | {
    "with_raw_response",
    "with_streaming_response",
}
# Names a client or resource class body uses itself (a decorator, annotation
# types; ``list`` is spelled ``builtins.list`` there): an attribute of that name
# would hide them from the methods after it.
CLASS_SCOPE = frozenset(
    {
        "builtins",
        "cached_property",
        "datetime",
        "httpx",
        "tuple",
        "bool",
        "bytes",
        "dict",
        "float",
        "int",
        "object",
        "str",
    }
)
# Names the generated modules import or define beside the types, TypedDicts and
# resource classes (tests/test_final_names.py holds this to the emitter's table).
# (The client classes and the error base are named per API: reserved_type_names.)
MODULE_NAMES = frozenset(n for n in IMPORTABLE if n[:1].isupper())
# The emitter's type aliases (``DateTime``, ``Uuid2``, ...), imported beside them.
_ALIAS = re.compile(r"(?:DateTime|Uuid)\d*")
# Public names of the runtime the package exports (or webhooks.py imports)
# beside the types: a schema spelled like one would shadow it.
RUNTIME_NAMES = frozenset(
    {
        "API",  # _constants.API, which _client.py and testing.py import
        "APIConnectionError",
        "APIError",
        "APIResponse",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "CallbackEvent",
        "ClientClosedError",
        "ConfigDict",
        "ConflictError",
        "InternalServerError",
        "NamedTuple",
        "NotFoundError",
        "PaginationError",
        "PaymentRequiredError",
        "PermissionDeniedError",
        "RateLimitError",
        "RequestValidationError",
        "ResponseTooLargeError",
        "UnknownWebhookEvent",
        "UnprocessableEntityError",
        "UnsafeRedirectError",
        "UnsuccessfulResponseError",
        "WebhookEvent",
        "WebhookParseError",
        "WebhookSecretError",
        "WebhookVerificationError",
    }
)


def reserved_type_names(title: str, client: str = "") -> frozenset[str]:
    """Every name a type of the API called ``title`` must not take: what the
    generated modules import or define beside the types, including the client
    classes (``client``, else named after the title) and ``<Stem>Error``."""
    client = client or sdk_names(title)[1]
    stem = client.removesuffix("Client") or client
    return MODULE_NAMES | RUNTIME_NAMES | {client, f"Async{client}", f"{stem}Error"}


def is_reserved_type_name(name: str, reserved: frozenset[str]) -> bool:
    return name in reserved or _ALIAS.fullmatch(name) is not None


_CLASS_SUFFIXES = ("", "WithRawResponse", "WithStreamingResponse")


def _attribute(name: str) -> str:
    if name in TAKEN_ATTRIBUTES or name in CLASS_SCOPE or name.startswith("_"):
        return name + "_"
    return name


def place_calls(api: ir.Api, client: str = "") -> ir.Api:
    """``api`` with the final names of its calls: each operation's resource chain,
    method and private params model, each model's TypedDict, and every resource's
    class and module in ``resources`` (clear of ``client``, the client class,
    else the one named after the title). Clashes are resolved in spec order
    (methods, params models) and name/path order (TypedDicts, classes), so the
    same spec always gives the same names."""
    chains = [
        tuple(_attribute(identifier(part, "api")) for part in op.resource) or ("api",)
        for op in api.operations
    ]
    paths = sorted({chain[:n] for chain in chains for n in range(1, len(chain) + 1)})
    children: dict[tuple[str, ...], set[str]] = {}
    for path in paths:
        children.setdefault(path[:-1], set()).add(path[-1])
    taken: set[tuple[tuple[str, ...], str]] = set()
    params_models: set[tuple[str, str]] = set()  # (module, class)
    operations: list[ir.Operation] = []
    for op, chain in zip(api.operations, chains, strict=True):
        method = _method_name(op, chain, taken, children.get(chain, set()))
        taken.add((chain, method))
        # Two operationIds may spell one class (``getBot``, ``get_bot``).
        base = params = f"_{pascal(op.operation_id)}Params"
        n = 1
        while (chain[0], params) in params_models:
            n += 1
            params = f"{base}{n}"
        params_models.add((chain[0], params))
        operations.append(
            replace(op, resource=chain, method_name=method, params_model=params)
        )
    api = replace(api, models=_param_dicts(api))
    resources = _resources(api, paths, client or sdk_names(api.title)[1])
    return replace(api, operations=tuple(operations), resources=resources)


def _method_name(
    op: ir.Operation,
    chain: tuple[str, ...],
    taken: set[tuple[tuple[str, ...], str]],
    children: set[str],
) -> str:
    """The method's name on its resource: its proposal, else (taken by an earlier
    operation) its operationId's words with its HTTP method, else ``_`` added until
    it is free of methods and child resources."""
    method = _attribute(identifier(op.method_name))
    if (chain, method) in taken:
        fallback = action_name(op.operation_id, chain) + "_" + op.http_method.lower()
        method = _attribute(identifier(fallback))
    while (chain, method) in taken or method in children:
        method += "_"
    return method


def _param_dicts(api: ir.Api) -> tuple[ir.Model, ...]:
    """Each model's TypedDict (``{name}Param``), clear of the types and the names
    the types' module imports (a model may itself be called ``FooParam``)."""
    taken = set(MODULE_NAMES) | {m.name for m in api.models}
    taken.update(e.name for e in api.enums)
    out: list[ir.Model] = []
    for m in api.models:
        base = name = m.name + "Param"
        n = 1
        while name in taken or _ALIAS.fullmatch(name):
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        out.append(replace(m, param_dict=name))
    return tuple(out)


def _resources(
    api: ir.Api, paths: list[tuple[str, ...]], client: str
) -> tuple[ir.Resource, ...]:
    """A class per resource (its path in PascalCase), kept clear of every other
    name its modules hold: types, the runtime's, the clients, other resources."""
    taken = set(MODULE_NAMES)
    taken.update(m.name for m in api.models)
    taken.update(m.param_dict for m in api.models)
    taken.update(e.name for e in api.enums)
    taken.update((client, "Async" + client))
    out: list[ir.Resource] = []
    for path in paths:
        base = "".join(pascal(part) for part in path)
        name, n = base, 1
        while _clashes(name, taken):
            n += 1
            name = base + ("Resource" if n == 2 else f"Resource{n - 1}")
        taken.update(_family(name))
        out.append(ir.Resource(path, name, file_stem(path[0])))
    return tuple(out)


def _clashes(name: str, taken: set[str]) -> bool:
    return (
        keyword.iskeyword(name)  # a path segment "none"
        or _ALIAS.fullmatch(name) is not None
        or not _family(name).isdisjoint(taken)
    )


def _family(name: str) -> set[str]:
    """The classes a resource's module defines for it."""
    return {p + name + s for p in ("", "Async") for s in _CLASS_SUFFIXES}

"""The keys sdkgen.toml knows, and a warning for each one it does not.

A misspelt key (``[package] client_class``) would otherwise be read as absent
and its setting silently lost; each unknown key is named by its pointer in the
file, with the closest known key when there is one. ``--strict`` refuses them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .configcheck import pointer_token


@dataclass(frozen=True)
class Key:
    """One key of sdkgen.toml, as the configuration reference shows it."""

    name: str  # "<...>": the user's own names (a table of renames)
    type: str
    default: str  # as the reference shows it ("" = none)
    example: str  # a TOML value (or a table line for a user-keyed table)
    meaning: str  # one line


# The one schema: table -> (what the table is for, its keys). The loader's
# unknown-key check (TABLES, API_KEYS), docs/configuration.md and the commented
# sdkgen.toml `sdkgen init` writes (configdoc) all read it.
SCHEMA: dict[str, tuple[str, tuple[Key, ...]]] = {
    "package": (
        "The package sdkgen writes.",
        (
            Key(
                "name",
                "string",
                "`<title>_client`, from the spec's `info.title`",
                '"pets_client"',
                "Import name of the package (lower-case letters, digits, _).",
            ),
            Key(
                "distribution",
                "string",
                "`name`",
                '"pets-client"',
                "Project name on PyPI (PEP 508), in pyproject.toml.",
            ),
            Key(
                "version",
                "string",
                '"0.1.0"',
                '"1.2.0"',
                "The SDK's version (PEP 440); `sdkgen release` bumps it.",
            ),
            Key(
                "spec",
                "string",
                "none: `--spec`, else the bundled spec",
                '"pets.yaml"',
                "The spec, relative to this file's folder (and inside it), that "
                "generate, diff and release read when given none.",
            ),
            Key(
                "client",
                "string",
                "from the spec's title (`PetsClient`)",
                '"Pets"',
                "Class name of the client.",
            ),
            Key(
                "env_prefix",
                "string",
                "from the spec's title (`PETS`)",
                '"PETS"',
                "Prefix of the environment variables the client reads "
                "(`PETS_API_KEY`, `PETS_BASE_URL`).",
            ),
            Key(
                "readme",
                "string",
                "none: sdkgen's generic README",
                '"sdk-readme.md.j2"',
                "A Jinja template for the package's README.md, beside this file.",
            ),
            Key(
                "example",
                "string",
                "the first operation, with placeholders",
                "'client.pets.list()'",
                "The call the package docstring shows.",
            ),
        ),
    ),
    "type_names": (
        "Generated type names to replace.",
        (
            Key(
                "<TypeName>",
                "string",
                "none",
                'PetsList = "PetPage"',
                "The class name to use instead of a generated one; a key "
                'starting with "#" is the JSON pointer of the schema.',
            ),
        ),
    ),
    "operations": (
        "Methods to rename.",
        (
            Key(
                "<operationId>",
                "string",
                "from the path",
                'getPetById = "pets.retrieve"',
                "`resource.method` the operation becomes.",
            ),
        ),
    ),
    "webhooks": (
        "How the API signs webhooks and callbacks.",
        (
            Key(
                "signature",
                "string",
                "as the spec describes",
                '"standard-webhooks"',
                'How webhooks are signed: "standard-webhooks" or "none".',
            ),
            Key(
                "callback_secret_header",
                "string",
                "none: no `verify_callback`",
                '"x-pets-secret"',
                "The header callbacks echo their secret in.",
            ),
        ),
    ),
    "format": (
        "How the generated code is laid out.",
        (
            Key(
                "tool",
                "string",
                '"ruff"',
                '"black"',
                'The formatter: "ruff" or "black".',
            ),
        ),
    ),
    "conventions": (
        "Conventions of the Meeting BaaS spec, applied where a spec shows them.",
        (
            Key(
                "callback_names",
                "boolean",
                "true",
                "false",
                "A payload schema named `callback...` is a callback.",
            ),
            Key(
                "event_components",
                "boolean",
                "true",
                "false",
                "An unused component schema with a const `event` is a webhook payload.",
            ),
            Key(
                "input_twins",
                "boolean",
                "true",
                "false",
                "A component `XInput` beside an `X` (zod's twins) is named `X`.",
            ),
        ),
    ),
    "apis": (
        "More APIs in the same package, each a subpackage `<package>.<module>`.",
        (
            Key(
                "<module>",
                "table",
                "none",
                "[apis.v1]",
                "One more API; its keys are those of [apis.<module>].",
            ),
        ),
    ),
}
# The keys of one [apis.<module>] table.
API_SCHEMA: tuple[Key, ...] = (
    Key(
        "spec",
        "string",
        "required",
        '"pets-v1.yaml"',
        "The API's spec, beside this file.",
    ),
    Key(
        "client",
        "string",
        "the package's client + module (`PetsV1`)",
        '"PetsV1"',
        "Class name of the API's client.",
    ),
    Key(
        "type_names",
        "table",
        "none",
        'PetsList = "PetPage"',
        "As [type_names], for this API.",
    ),
    Key(
        "operations",
        "table",
        "none",
        'getPet = "pets.retrieve"',
        "As [operations], for this API.",
    ),
    Key(
        "webhooks",
        "table",
        "none",
        'signature = "none"',
        "As [webhooks], for this API.",
    ),
)


def _known(keys: tuple[Key, ...]) -> frozenset[str] | None:
    """The key names of a table; None: the keys are the user's own."""
    if any(key.name.startswith("<") for key in keys):
        return None
    return frozenset(key.name for key in keys)


# Table -> its keys; None: the keys are the user's own (names to rename).
TABLES: dict[str, frozenset[str] | None] = {
    table: _known(keys) for table, (_, keys) in SCHEMA.items()
}
# Keys of one [apis.<module>] table.
API_KEYS = frozenset(key.name for key in API_SCHEMA)


def unknown_keys(data: Mapping[str, Any], path: Path) -> tuple[tuple[str, str], ...]:
    """(where, warning) per key of ``data`` sdkgen does not read, in file order."""
    return tuple(_warning(path, *found) for found in _unknown(data))


def _unknown(data: Mapping[str, Any]) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(pointer of the table, key, the table's known keys) of each unknown key."""
    yield from _extra("", data, frozenset(TABLES))
    for table, known in TABLES.items():
        value = data.get(table)
        if isinstance(value, Mapping) and known is not None:
            yield from _extra(f"/{table}", value, known)
    apis = data.get("apis")
    for module, table in apis.items() if isinstance(apis, Mapping) else ():
        if isinstance(table, Mapping):
            yield from _extra(f"/apis/{pointer_token(module)}", table, API_KEYS)
            webhooks = table.get("webhooks")
            if isinstance(webhooks, Mapping):
                where = f"/apis/{pointer_token(module)}/webhooks"
                yield from _extra(where, webhooks, TABLES["webhooks"] or frozenset())


def _extra(
    where: str, table: Mapping[str, Any], known: frozenset[str]
) -> Iterator[tuple[str, str, frozenset[str]]]:
    for key in table:
        if key not in known:
            yield where, str(key), known


# What a warning says becomes of the key; a --strict refusal says nothing of it.
IGNORED = ", ignored"


def _warning(
    path: Path, where: str, key: str, known: frozenset[str]
) -> tuple[str, str]:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(sorted(known))
    message = f"unknown key {key!r}{IGNORED}{hint} (known here: {listed})"
    return f"{path}#{where}/{pointer_token(key)}", message

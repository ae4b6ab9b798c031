"""The keys sdkgen.toml knows, and a warning for each one it does not.

A misspelt key (``[package] client_class``) would otherwise be read as absent
and its setting silently lost; each unknown key is named by its pointer in the
file, with the closest known key when there is one. ``--strict`` refuses them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .configcheck import pointer_token

# Table -> its keys; None: the keys are the user's own (names to rename).
TABLES: dict[str, frozenset[str] | None] = {
    "package": frozenset(
        {"name", "distribution", "version", "client", "env_prefix", "readme", "example"}
    ),
    "type_names": None,
    "operations": None,
    "webhooks": frozenset({"signature", "callback_secret_header"}),
    "format": frozenset({"tool"}),
    "conventions": frozenset({"callback_names", "event_components"}),
    "apis": None,  # modules, each an API table (API_KEYS)
}
# Keys of one [apis.<module>] table.
API_KEYS = frozenset({"spec", "client", "type_names", "operations", "webhooks"})


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


def _warning(
    path: Path, where: str, key: str, known: frozenset[str]
) -> tuple[str, str]:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(sorted(known))
    message = f"unknown key {key!r}, ignored{hint} (known here: {listed})"
    return f"{path}#{where}/{pointer_token(key)}", message

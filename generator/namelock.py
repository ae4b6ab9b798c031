"""``sdkgen.lock``: the type names an SDK was released with, and where each came from.

JSON, sorted, one type per key::

    {"version": 1, "types": {"EventStatus": {"pointers": [...], "shape": "..."}}}

A type of a later spec met at any of a name's pointers claims that name; a type
whose structure is still ``shape`` wins it over one that changed (see
``typenames``). ``module`` is the module of ``types/`` it was released in: if
it moves, that module keeps it importable (``typegroups.moved_types``).
``sdkgen generate --update-lock`` rewrites it.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import SpecError, escape_pointer_token
from .ir import TypeIdentity

LOCK_VERSION = 1
# A module of ``types/`` (its file name; a lock is untrusted input).
_MODULE = re.compile(r"[a-z][a-z0-9_]{0,99}")
_NOTE = "Released type names and the spec pointers their types came from (sdkgen)."


def read_lock(path: Path) -> dict[str, TypeIdentity]:
    """Name -> identity; empty when there is no lock file."""
    if not path.is_file():
        return {}
    where = path.name
    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SpecError(f"invalid JSON: {exc}", where) from None
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
        raise SpecError(f"expected a version {LOCK_VERSION} lock", f"{where}#/version")
    types = data.get("types")
    if not isinstance(types, dict):
        raise SpecError("expected an object of name -> type", f"{where}#/types")
    return {
        str(name): _identity(
            name, entry, f"{where}#/types/{escape_pointer_token(name)}"
        )
        for name, entry in types.items()
    }


def _identity(name: str, entry: Any, at: str) -> TypeIdentity:
    """One entry of the lock (at pointer ``at``)."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise SpecError(f"{name!r} is not a usable type name", at)
    fields = entry if isinstance(entry, dict) else {}
    return TypeIdentity(_pointers(fields, at), _shape(fields, at), _module(fields, at))


def _pointers(entry: dict[str, Any], at: str) -> tuple[str, ...]:
    pointers = entry.get("pointers")
    if not isinstance(pointers, list) or not all(
        isinstance(p, str) and p.startswith("#") for p in pointers
    ):
        raise SpecError("expected a list of JSON pointers", f"{at}/pointers")
    return tuple(pointers)


def _shape(entry: dict[str, Any], at: str) -> str:
    shape = entry.get("shape", "")
    if not isinstance(shape, str):
        raise SpecError("expected a string", f"{at}/shape")
    return shape


def _module(entry: dict[str, Any], at: str) -> str:
    module = entry.get("module", "")
    if not isinstance(module, str) or not (module == "" or _MODULE.fullmatch(module)):
        raise SpecError("expected a module name (a-z, 0-9, _)", f"{at}/module")
    return module


def lock_text(
    identities: Mapping[str, TypeIdentity], homes: Mapping[str, str] | None = None
) -> str:
    """The lock file for these identities (same input, same bytes); ``homes``:
    each type's module of ``types/``, as emitted."""
    types: dict[str, dict[str, object]] = {}
    for name, t in identities.items():
        types[name] = {"pointers": sorted(set(t.pointers)), "shape": t.shape}
        if homes and name in homes:
            types[name]["module"] = homes[name]
    doc = {"comment": _NOTE, "types": types, "version": LOCK_VERSION}
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(
    path: Path,
    identities: Mapping[str, TypeIdentity],
    homes: Mapping[str, str] | None = None,
) -> bool:
    """Write the lock if it changed; True when it did."""
    text = lock_text(identities, homes)
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)
    return True

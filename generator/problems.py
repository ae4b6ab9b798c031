"""Broken or unsupported parts of a spec: skipped with a warning, or refused.

``generate`` checks the raw document here before anything is normalised or
emitted. Each problem names its JSON pointer and what was done about it; with
``--strict`` the first one is an error instead (exit 2, the same line).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import SpecError, escape_pointer_token
from .loader import (
    LoadedSpec,
    check_version,
    openapi_model,
    parse_text,
    read_source,
    validation_pointer,
)

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Problems:
    """Collects warnings; in strict mode raises on the first one."""

    strict: bool = False
    warnings: list[str] = field(default_factory=list)

    def skip(self, where: str, message: str) -> None:
        if self.strict:
            raise SpecError(message, where)
        line = f"{where}: {message}"
        if line not in self.warnings:
            self.warnings.append(line)


def load_lenient(source: str, problems: Problems) -> LoadedSpec | None:
    """Read a spec for ``generate``; None when nothing of it can be generated."""
    data = read_source(source)
    doc = parse_text(data, source)
    version = doc.get("openapi")
    if version is None and "swagger" in doc:
        problems.skip(
            "#/swagger",
            "Swagger 2.0 is not supported (need OpenAPI 3.0.x or 3.1.x): "
            "nothing generated",
        )
        return None
    check_version(doc)  # anything but 3.0/3.1 is refused, as by load_spec
    version = str(doc["openapi"])
    doc = repair(doc, problems)
    _validate(doc, version, problems)
    return LoadedSpec(
        source=source, sha256=hashlib.sha256(data).hexdigest(), raw=doc, document=None
    )


# -- references -------------------------------------------------------------------


def _walk(node: Any, where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every object of the document with its pointer; ``x-`` extensions are opaque."""
    stack: list[tuple[Any, str]] = [(node, where)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            yield current, at
            for key, value in current.items():
                if isinstance(value, dict | list) and not str(key).startswith("x-"):
                    stack.append((value, f"{at}/{escape_pointer_token(key)}"))
        elif isinstance(current, list):
            for i, value in enumerate(current):
                if isinstance(value, dict | list):
                    stack.append((value, f"{at}/{i}"))


def _lookup(doc: Any, ref: str) -> tuple[bool, Any]:
    if not ref.startswith("#"):
        return False, None
    node = doc
    for raw_token in ref[1:].split("/")[1:] if ref != "#" else []:
        token = raw_token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def _ref_problem(doc: Any, ref: str) -> str | None:
    """Why a ``$ref`` cannot be followed to a real node, or None when it can."""
    seen: list[str] = []
    while True:
        if ref in seen:
            return f"$ref cycle with nothing between ({' -> '.join([*seen, ref])})"
        seen.append(ref)
        if not ref.startswith("#"):
            return f"$ref {ref!r} is not local (multi-file specs are not supported)"
        found, node = _lookup(doc, ref)
        if not found:
            return f"$ref {ref!r} points to nothing"
        nxt = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(nxt, str):
            return None
        ref = nxt


def _operation_of(where: str) -> str | None:
    """The pointer of the operation a pointer lies in, if it lies in one."""
    parts = where.split("/")
    if len(parts) >= 4 and parts[1] == "paths" and parts[3] in _HTTP_METHODS:
        return "/".join(parts[:4])
    return None


def repair(doc: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """A copy of ``doc`` without unfollowable ``$ref``s: an operation using one is
    skipped; elsewhere the node becomes an empty schema (any value)."""
    broken: list[tuple[str, str]] = []
    for node, where in _walk(doc, "#"):
        ref = node.get("$ref")
        if isinstance(ref, str):
            why = _ref_problem(doc, ref)
            if why is not None:
                broken.append((where, why))
    if not broken:
        return doc
    doc = copy.deepcopy(doc)
    dropped: set[str] = set()
    for where, why in sorted(broken):
        operation = _operation_of(where)
        if operation is not None:
            if operation not in dropped:
                problems.skip(operation, f"operation skipped: {why} (at {where}/$ref)")
                dropped.add(operation)
            continue
        problems.skip(where, f"{why}: treated as any value")
        found, node = _lookup(doc, where)
        if found and isinstance(node, dict):
            node.clear()
    for operation in sorted(dropped, reverse=True):
        _, _, path_token, method = operation.split("/")
        path = path_token.replace("~1", "/").replace("~0", "~")
        item = doc["paths"][path]
        if isinstance(item, dict):
            item.pop(method, None)
    return doc


# -- openapi-pydantic ---------------------------------------------------------------


def _standard_view(node: Any, v30: bool) -> Any:
    """The document as openapi-pydantic reads it: valid JSON Schema it refuses
    (boolean ``items``, empty ``enum``/``required``, in 3.0 documents the common
    3.1 type list ``[X, "null"]``) and ``x-`` extensions taken out."""
    if isinstance(node, dict):
        kinds = node.get("type")
        if v30 and isinstance(kinds, list) and "null" in kinds and len(kinds) == 2:
            node = {**node, "type": next(k for k in kinds if k != "null")}
            node["nullable"] = True
        out: dict[str, Any] = {}
        for key, value in node.items():
            if str(key).startswith("x-"):
                continue
            if key == "items" and isinstance(value, bool):
                value = {} if value else {"not": {}}
            if key in ("enum", "required") and value == []:
                continue
            out[key] = _standard_view(value, v30)
        return out
    if isinstance(node, list):
        return [_standard_view(v, v30) for v in node]
    return node


def _validate(doc: dict[str, Any], version: str, problems: Problems) -> None:
    from pydantic import ValidationError

    view = _standard_view(doc, version.startswith("3.0."))
    try:
        openapi_model(version).model_validate(view)
    except ValidationError as exc:
        # Generation goes on from the raw document, which the normaliser checks
        # part by part; the warning names the deepest failure.
        best = max(exc.errors(), key=lambda e: len(validation_pointer(view, e["loc"])))
        where = validation_pointer(view, best["loc"])
        problems.skip(where, f"not valid OpenAPI: {best['msg']}")

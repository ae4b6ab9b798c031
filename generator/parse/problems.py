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

from ..errors import SpecError, escape_pointer_token
from .bundle import bundle
from .loader import (
    HTTP_METHODS,
    MAX_DEPTH,
    MAX_SPEC_BYTES,
    LoadedSpec,
    check_version,
    inner_nodes,
    lookup_pointer,
    parse_text,
    pointer_tokens,
    read_source,
    validation_pointer,
)
from .refs import shown
from .scrub import scrub
from .validator import validate


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


def load_lenient(
    source: str,
    problems: Problems,
    max_bytes: int = MAX_SPEC_BYTES,
    *,
    data: bytes | None = None,
) -> LoadedSpec | None:
    """Read a spec for ``generate``; None when nothing of it can be generated.
    ``data``: the spec's bytes, when already read."""
    if data is None:
        data = read_source(source, max_bytes)
    found = _lenient_document(data, source, problems, max_bytes)
    if found is None:
        return None
    doc, read = found
    doc = _validate(doc, str(doc["openapi"]), problems)
    return LoadedSpec(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        raw=doc,
        inputs=read,
    )


def _lenient_document(
    data: bytes, source: str, problems: Problems, max_bytes: int
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]] | None:
    """The bundled, repaired document (not validated) and the other files its
    refs read; None for Swagger 2.0."""
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
    read: dict[str, str] = {}
    doc = bundle(doc, source, max_bytes, problems.skip, read)
    scrub(doc, problems.skip)
    return repair(doc, problems), tuple(sorted(read.items()))


# -- references -------------------------------------------------------------------


def _walk(node: Any, where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every object of the document with its pointer; ``x-`` extensions are opaque.
    Deeper than the loader's bound is bad input (the normaliser recurses)."""
    stack: list[tuple[Any, str, int]] = [(node, where, 1)]
    while stack:
        current, at, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SpecError(f"nested more than {MAX_DEPTH} levels deep", at)
        if isinstance(current, dict):
            yield current, at
        stack.extend(
            (value, f"{at}/{escape_pointer_token(key)}", depth + 1)
            for key, value in inner_nodes(current)
        )


def _lookup(doc: Any, ref: str) -> tuple[bool, Any]:
    if not ref.startswith("#"):
        return False, None
    return lookup_pointer(doc, pointer_tokens(ref[1:]))


def _ref_problem(doc: Any, ref: str, where: str) -> str | None:
    """Why a ``$ref`` (in the object at ``where``) cannot be followed to a real
    node, or None when it can."""
    seen: list[str] = [where]
    while True:
        if ref in seen:
            cycle = [*seen[seen.index(ref) :], ref]
            return f"$ref cycle: {' -> '.join(cycle)}"
        seen.append(ref)
        if not ref.startswith("#"):
            return f"$ref {shown(ref)} is not local (only files on disk are followed)"
        found, node = _lookup(doc, ref)
        if not found:
            return f"$ref {shown(ref)} points to nothing"
        nxt = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(nxt, str):
            return None
        ref = nxt


def _operation_of(where: str) -> str | None:
    """The pointer of the operation a pointer lies in, if it lies in one."""
    parts = where.split("/")
    if len(parts) >= 4 and parts[1] == "paths" and parts[3] in HTTP_METHODS:
        return "/".join(parts[:4])
    return None


def repair(doc: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """A copy of ``doc`` without unfollowable ``$ref``s: an operation using one is
    skipped; elsewhere the node becomes an empty schema (any value)."""
    broken = _broken_refs(doc)
    if not broken:
        return doc
    doc = copy.deepcopy(doc)
    dropped: set[str] = set()
    for where, why in sorted(broken):
        operation = _operation_of(where)
        if operation is None:
            _any_value(doc, where, why, problems)
        elif operation not in dropped:
            problems.skip(operation, f"operation skipped: {why} (at {where}/$ref)")
            dropped.add(operation)
    for operation in sorted(dropped, reverse=True):
        _, _, path_token, method = operation.split("/")
        path = path_token.replace("~1", "/").replace("~0", "~")
        item = doc["paths"][path]
        if isinstance(item, dict):
            item.pop(method, None)
    return doc


def _broken_refs(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, why) of each ``$ref`` that cannot be followed."""
    broken: list[tuple[str, str]] = []
    for node, where in _walk(doc, "#"):
        ref = node.get("$ref")
        if isinstance(ref, str):
            why = _ref_problem(doc, ref, where)
            if why is not None:
                broken.append((where, why))
    return broken


def _any_value(doc: dict[str, Any], where: str, why: str, problems: Problems) -> None:
    """The node at ``where`` (outside operations) becomes an empty schema."""
    if where == "#":  # the OpenAPI object itself: no schema to treat as any
        raise SpecError(f"{why}: the document cannot be a $ref", "#/$ref")
    problems.skip(where, f"{why}: treated as any value")
    found, node = _lookup(doc, where)
    if found and isinstance(node, dict):
        node.clear()


# -- openapi-pydantic ---------------------------------------------------------------


# Where JSON Schema holds a schema, which may be ``true`` or ``false``.
_SCHEMA_KEYS = frozenset(
    {"items", "not", "contains", "propertyNames", "if", "then", "else"}
)
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "dependentSchemas"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _bool_schema(value: bool) -> dict[str, Any]:
    return {} if value else {"not": {}}


def _standard_view(node: Any, v30: bool) -> Any:
    """The document as openapi-pydantic reads it: valid JSON Schema it refuses
    (boolean schemas, empty ``enum``/``required``, in 3.0 documents the common
    3.1 type list ``[X, "null"]``) and ``x-`` extensions taken out."""
    if isinstance(node, list):
        return [_standard_view(v, v30) for v in node]
    if not isinstance(node, dict):
        return node
    if v30:
        node = _nullable_30(node)
    out: dict[str, Any] = {}
    for key, value in node.items():
        value = _schemas_of(key, value)
        if str(key).startswith("x-") or (key in ("enum", "required") and value == []):
            continue
        out[key] = _standard_view(value, v30)
    return out


def _nullable_30(node: dict[str, Any]) -> dict[str, Any]:
    """3.1's ``type: [X, "null"]`` as 3.0 spells it (``nullable``)."""
    kinds = node.get("type")
    if isinstance(kinds, list) and "null" in kinds and len(kinds) == 2:
        return {**node, "type": next(k for k in kinds if k != "null"), "nullable": True}
    return node


def _schemas_of(key: str, value: Any) -> Any:
    """``value`` of ``key`` with its boolean schemas spelled as objects."""
    if key in _SCHEMA_KEYS:
        return _spelled(value)
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {k: _spelled(v) for k, v in value.items()}
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [_spelled(v) for v in value]
    return value


def _spelled(schema: Any) -> Any:
    """A boolean schema as an object; any other as it is."""
    return _bool_schema(schema) if isinstance(schema, bool) else schema


def _validate(doc: dict[str, Any], version: str, problems: Problems) -> dict[str, Any]:
    """``doc`` with every part openapi-pydantic finds invalid taken out: an
    operation is skipped, a component schema becomes any value, another
    component is dropped (and what uses it skipped). Elsewhere the document is
    refused. The normaliser so only ever sees a valid document."""
    from pydantic_core import ValidationError

    before = len(problems.warnings)
    for _ in range(_MAX_FIXES):
        view = _standard_view(doc, version.startswith("3.0."))
        try:
            validate(version, view)
            return doc
        except ValidationError as exc:
            best = max(
                exc.errors(), key=lambda e: len(validation_pointer(view, e["loc"]))
            )
            where = validation_pointer(view, best["loc"])
            message = f"not valid OpenAPI: {best['msg']}"
        doc = _take_out(doc, where, message, problems)
    first = "; ".join(problems.warnings[before : before + 3])
    raise SpecError(f"more than {_MAX_FIXES} invalid parts; the first: {first}", "#")


_MAX_FIXES = 200


def _take_out(
    doc: dict[str, Any], where: str, message: str, problems: Problems
) -> dict[str, Any]:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in where.split("/")[1:]]
    operation = _operation_of(where)
    if operation is not None:
        problems.skip(operation, f"operation skipped: {message} (at {where})")
        doc = copy.deepcopy(doc)
        doc["paths"][tokens[1]].pop(tokens[2], None)
        return doc
    if _under(doc, tokens, "components", 3):
        taken = _take_out_component(doc, tokens, where, message, problems)
        if taken is not None:
            return taken
    if _under(doc, tokens, "paths", 2):
        problems.skip(
            child_pointer(tokens[:2]), f"path skipped: {message} (at {where})"
        )
        doc = copy.deepcopy(doc)
        doc["paths"].pop(tokens[1], None)
        return doc
    raise SpecError(
        message.replace("not valid OpenAPI:", "not a valid OpenAPI document:"), where
    )


def _under(doc: dict[str, Any], tokens: list[str], section: str, depth: int) -> bool:
    """Whether a pointer's tokens reach ``depth`` deep into ``section`` (an
    object of the document)."""
    return (
        len(tokens) >= depth
        and tokens[0] == section
        and isinstance(doc.get(section), dict)
    )


def child_pointer(tokens: list[str]) -> str:
    return "#" + "".join("/" + escape_pointer_token(t) for t in tokens)


def _take_out_component(
    doc: dict[str, Any],
    tokens: list[str],
    where: str,
    message: str,
    problems: Problems,
) -> dict[str, Any] | None:
    """A copy of ``doc`` with the component at ``tokens`` out: a schema
    becomes any value, another component is dropped and what uses it
    skipped; None when there is no such component."""
    doc = copy.deepcopy(doc)
    group = doc["components"].get(tokens[1])
    if not isinstance(group, dict) or tokens[2] not in group:
        return None
    if tokens[1] == "schemas":
        problems.skip(where, f"{message}: the schema is treated as any value")
        group[tokens[2]] = {}
        return doc
    problems.skip(where, f"{message}: the component is left out")
    del group[tokens[2]]
    return repair(doc, problems)  # what used it is skipped

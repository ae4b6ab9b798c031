"""openapi-pydantic's validation without importing openapi-pydantic.

Importing openapi-pydantic builds ~30 pydantic models (~0.08 s); validating a
spec with them takes ~0.01 s. What validates is pydantic-core's validator,
made from the models' core schema: plain data apart from the model and enum
classes it names. A run that has imported the models writes that schema,
classes described by name, to the user cache; a later run rebuilds the same
validator from it with stand-in classes of the same names (errors name them)
and imports only pydantic-core. The file is keyed by sdkgen's code stamp,
which covers the installed openapi-pydantic and pydantic, and by
pydantic-core's install; a missing or unreadable file, or one that does not
build, is a miss: the models are imported as before.

Only the verdict and the errors (location, message) are used, so the
stand-ins hold what the validator puts in them and nothing else, and a
default that is not plain data (one ``Server``) is left out.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

_FORMAT = 1


def validate(version: str, document: Any, *, remember: bool = True) -> None:
    """Validate ``document`` as openapi-pydantic's model for ``version`` does:
    raises the same ``pydantic_core.ValidationError``. ``remember``: write
    the cache now when the models had to be imported (else call ``remember``
    when there is time)."""
    found = _cached(version)
    if found is not None:
        found.validate_python(document)
        return
    from .loader import openapi_model

    model = openapi_model(version)
    if remember:
        _remember(version, model)
    model.model_validate(document)


def remember(version: str) -> None:
    """Write the cache for ``version`` if it is missing (imports the models
    if they are not yet)."""
    path = _path(version)
    if path is not None and not path.exists():
        from .loader import openapi_model

        _remember(version, openapi_model(version))


def describe(model: Any) -> dict[str, Any] | None:
    """The model's core schema and config as plain data; None when it holds
    something this module cannot describe."""
    schema = model.__pydantic_core_schema__
    config = _top_config(schema, model.__name__)
    try:
        return {"schema": _encode(schema, None), "config": _encode(config, None)}
    except _Undescribable:
        return None


def revive(described: dict[str, Any]) -> Any:
    """A ``SchemaValidator`` from what ``describe`` made."""
    from pydantic_core import SchemaValidator

    classes: dict[str, type] = {}
    return SchemaValidator(
        _decode(described["schema"], classes), _decode(described["config"], classes)
    )


class _Undescribable(Exception):
    pass


def _top_config(schema: Any, name: str) -> Any:
    """The config pydantic built the model's own validator with (that of its
    ``model`` schema, as pydantic embeds it)."""
    found = [
        node["config"]
        for node in _walk(schema)
        if node.get("type") == "model"
        and getattr(node.get("cls"), "__name__", None) == name
    ]
    if len(found) != 1:
        raise _Undescribable
    return found[0]


def _walk(node: Any) -> Any:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _encode(node: Any, key: str | None) -> Any:
    if isinstance(node, dict):
        if node.get("type") == "enum" and isinstance(node.get("cls"), enum.EnumMeta):
            return _encode_enum(node)
        return {k: _encode_value(k, v) for k, v in node.items() if k != "metadata"}
    if isinstance(node, tuple):
        return {"$tuple": [_encode(v, None) for v in node]}
    if isinstance(node, list):
        return [_encode(v, None) for v in node]
    if isinstance(node, type) and key == "cls":
        return {"$class": node.__name__}
    if node is None or isinstance(node, str | int | float | bool):
        if isinstance(node, enum.Enum):
            raise _Undescribable  # a member outside an enum schema
        return node
    raise _Undescribable


def _encode_value(key: str, value: Any) -> Any:
    try:
        return _encode(value, key)
    except _Undescribable:
        if key == "default":
            return None  # a default is output, never validated (validate_default off)
        raise


def _encode_enum(node: dict[str, Any]) -> dict[str, Any]:
    cls = node["cls"]
    members = node["members"]
    if not all(isinstance(m, cls) for m in members):
        raise _Undescribable
    mixin = "str" if issubclass(cls, str) else None
    if mixin is None and node.get("sub_type") is not None:
        raise _Undescribable
    rest = {
        k: _encode_value(k, v)
        for k, v in node.items()
        if k not in ("cls", "members", "metadata")
    }
    plain = [[m.name, m.value] for m in members]
    if not all(isinstance(v, str | int) for _, v in plain):
        raise _Undescribable
    return {**rest, "$enum": cls.__name__, "$mixin": mixin, "$members": plain}


def _decode(node: Any, classes: dict[str, type]) -> Any:
    if isinstance(node, dict):
        if "$tuple" in node:
            return tuple(_decode(v, classes) for v in node["$tuple"])
        if "$class" in node:
            name = node["$class"]
            if name not in classes:
                classes[name] = type(name, (), {})
            return classes[name]
        if "$enum" in node:
            return _decode_enum(node, classes)
        return {k: _decode(v, classes) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v, classes) for v in node]
    return node


def _decode_enum(node: dict[str, Any], classes: dict[str, type]) -> dict[str, Any]:
    pairs = [(name, value) for name, value in node["$members"]]
    make: Any = enum.Enum  # the functional API, with a name known only here
    cls: Any = make(node["$enum"], pairs, type=str if node["$mixin"] else None)
    rest = {
        k: _decode(v, classes)
        for k, v in node.items()
        if k not in ("$enum", "$mixin", "$members")
    }
    return {**rest, "cls": cls, "members": [cls[name] for name, _ in pairs]}


# -- the user cache ---------------------------------------------------------------


def _path(version: str) -> Path | None:
    from ..warm import _library, cache_root, code_stamp

    root = cache_root()
    if root is None:
        return None
    stamp = hashlib.sha256(
        f"{_FORMAT}\0{code_stamp()}\0{_library('pydantic_core')}\0{version[:4]}".encode()
    ).hexdigest()[:32]
    return root / f"openapi-validator-{stamp}.json"


@cache
def _cached(version: str) -> Any:
    path = _path(version)
    if path is None:
        return None
    try:
        described = json.loads(path.read_bytes())
        return revive(described)
    except Exception:  # missing, corrupt or from another pydantic-core: a miss
        return None


def _remember(version: str, model: Any) -> None:
    path = _path(version)
    if path is None or path.exists():
        return
    described = describe(model)
    if described is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(described), "utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written is only slower
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)

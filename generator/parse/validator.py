"""openapi-pydantic's validation without importing openapi-pydantic.

Importing openapi-pydantic builds ~30 pydantic models (~0.08 s); validating a
spec with them takes ~0.01 s. What validates is pydantic-core's validator,
made from the models' core schema: plain data apart from the model and enum
classes it names. That schema, classes described by name, is shipped with
sdkgen (``openapi_validator.json``, made by ``python -m
generator.parse.validator`` from the pinned libraries, held to them by
``tests/test_validator_cache.py``) and used when the installed pydantic,
pydantic-core and openapi-pydantic flavour are the ones it was made from
(their sources' hash). Otherwise a run that has imported the models writes
it to the user cache, keyed by sdkgen's code stamp (which covers the
installed openapi-pydantic and pydantic) and pydantic-core's install. Either
way the validator is rebuilt with stand-in classes of the same names (errors
name them) and only pydantic-core is imported; a missing, unreadable or
unbuildable description is a miss: the models are imported as before.

Only the verdict and the errors (location, message) are used, so the
stand-ins hold what the validator puts in them and nothing else, and a
default that is not plain data (one ``Server``) is left out.

What it saves (CPU time, fastest of 7, cold run of the bundled spec): 0.51 s
against 0.75 s with the models imported, -32%. Every command validates with
it (generate, diff, release): ``sdkgen diff`` of the two newest published
specs, no cache, takes 0.50 s (median of 7, wall) against 0.58 s importing
the models and 0.52 s validating them in a forked worker, which it replaced.
"""

from __future__ import annotations

import enum
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from .. import usercache
from .loader import FLAVOURS

_FORMAT = 1


def validate(version: str, document: Any) -> None:
    """Validate ``document`` as openapi-pydantic's model for ``version`` does:
    raises the same ``pydantic_core.ValidationError``. When the models had to
    be imported, their validator is kept for the next run."""
    found = _cached(version)
    if found is not None:
        found.validate_python(document)
        return
    from .loader import openapi_model

    model = openapi_model(version)
    _remember(version, model)
    model.model_validate(document)


def describe(model: Any) -> dict[str, Any] | None:
    """The model's core schema and config as plain data; None when it holds
    something this module cannot describe."""
    schema = model.__pydantic_core_schema__
    try:
        config = _top_config(schema, model.__name__)
        described = {"schema": _encode(schema, None), "config": _encode(config, None)}
    except _Undescribable:
        return None
    return _stable_refs(described)


def _stable_refs(described: dict[str, Any]) -> dict[str, Any]:
    """pydantic's definition refs end in ``:<id of the class>``, which changes
    from run to run: the same refs named by class and first appearance."""
    names: dict[str, str] = {}
    for node in _walk_in_order(described):
        for key in ("ref", "schema_ref"):
            ref = node.get(key)
            if isinstance(ref, str) and ref not in names:
                names[ref] = _stable_name(ref, set(names.values()))
    for node in _walk_in_order(described):
        for key in ("ref", "schema_ref"):
            if isinstance(node.get(key), str):
                node[key] = names[node[key]]
    return described


def _stable_name(ref: str, taken: set[str]) -> str:
    """``ref`` without its ``:<id>``, numbered past the names ``taken``."""
    head, _, tail = ref.rpartition(":")
    base = head if head and tail.isdigit() else ref
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}#{n}"
    return name


def _walk_in_order(node: Any) -> Any:
    """Every dict under ``node``, depth first in document order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk_in_order(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_in_order(value)


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
        return _encode_dict(node)
    if isinstance(node, tuple):
        return {"$tuple": [_encode(v, None) for v in node]}
    if isinstance(node, list):
        return [_encode(v, None) for v in node]
    if isinstance(node, type) and key == "cls":
        return {"$class": node.__name__}
    return _encode_scalar(node)


def _encode_dict(node: dict[str, Any]) -> dict[str, Any]:
    if node.get("type") == "enum" and isinstance(node.get("cls"), enum.EnumMeta):
        return _encode_enum(node)
    return {k: _encode_value(k, v) for k, v in node.items() if k != "metadata"}


def _encode_scalar(node: Any) -> Any:
    if isinstance(node, enum.Enum):
        raise _Undescribable  # a member outside an enum schema
    if node is None or isinstance(node, str | int | float | bool):
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
    mixin = _mixin(node)
    rest = {
        k: _encode_value(k, v)
        for k, v in node.items()
        if k not in ("cls", "members", "metadata")
    }
    plain = _plain_members(node["members"])
    return {**rest, "$enum": cls.__name__, "$mixin": mixin, "$members": plain}


def _mixin(node: dict[str, Any]) -> str | None:
    """ "str" for a str enum, None for a plain one; any other is undescribable."""
    cls = node["cls"]
    if not all(isinstance(m, cls) for m in node["members"]):
        raise _Undescribable
    mixin = "str" if issubclass(cls, str) else None
    if mixin is None and node.get("sub_type") is not None:
        raise _Undescribable
    return mixin


def _plain_members(members: list[Any]) -> list[list[Any]]:
    """[name, value] of each member; values other than str and int are
    undescribable."""
    plain = [[m.name, m.value] for m in members]
    if not all(isinstance(v, str | int) for _, v in plain):
        raise _Undescribable
    return plain


def _decode(node: Any, classes: dict[str, type]) -> Any:
    if isinstance(node, dict):
        return _decode_dict(node, classes)
    if isinstance(node, list):
        return [_decode(v, classes) for v in node]
    return node


def _decode_dict(node: dict[str, Any], classes: dict[str, type]) -> Any:
    """A tuple, a class (one per name), an enum schema or an object."""
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


STORE = usercache.Store("validator", 8 * usercache.MB)


def _key(version: str) -> str:
    stamp = usercache.code_stamp()
    core = usercache.library_stamp("pydantic_core")
    text = f"{_FORMAT}\0{stamp}\0{core}\0{version[:4]}"
    return f"openapi-validator-{hashlib.sha256(text.encode()).hexdigest()[:32]}.json"


@cache
def _cached(version: str) -> Any:
    shipped = _shipped(version)
    if shipped is not None:
        return shipped
    data = STORE.get(_key(version))
    if data is None:
        return None
    try:
        return revive(json.loads(data))
    except Exception:  # corrupt or from another pydantic-core: a miss
        return None


# -- shipped with sdkgen -------------------------------------------------------------

SHIPPED = Path(__file__).with_name("openapi_validator.json")


def library_stamp(flavour: str) -> str | None:
    """sha256 of what the flavour's core schema is made from: pydantic's
    version, pydantic-core's, and openapi-pydantic's sources for the flavour
    (read, not imported); None when they cannot be found."""
    import importlib.util

    import pydantic_core

    digest = hashlib.sha256(f"{_FORMAT}\0{pydantic_core.__version__}\0".encode())
    try:
        pydantic = importlib.util.find_spec("pydantic")
        found = importlib.util.find_spec("openapi_pydantic")
        if pydantic is None or found is None or not pydantic.origin:
            return None
        roots = list(found.submodule_search_locations or [])
        if len(roots) != 1:
            return None
        digest.update(Path(pydantic.origin).with_name("version.py").read_bytes())
        root = Path(roots[0])
        files = [root / "compat.py", root / "util.py", root / "v3" / "__init__.py"]
        files += sorted((root / "v3" / flavour).glob("*.py"))
        for file in files:
            digest.update(f"{file.relative_to(root).as_posix()}\0".encode())
            digest.update(file.read_bytes())
    except (OSError, ImportError, ValueError):
        return None
    return digest.hexdigest()


def _shipped(version: str) -> Any:
    flavour = FLAVOURS.get(version[:4])
    if flavour is None:
        return None
    try:
        data = json.loads(SHIPPED.read_bytes())
        entry = data[flavour]
        if entry["stamp"] != library_stamp(flavour):
            return None
        return revive(entry["validator"])
    except Exception:  # missing, corrupt, other libraries: the user cache's turn
        return None


def shipped_text() -> str:
    from .loader import openapi_model

    body = {}
    for prefix, flavour in sorted(FLAVOURS.items()):
        described = describe(openapi_model(prefix + "0"))
        assert described is not None, f"{flavour} cannot be described"
        body[flavour] = {"stamp": library_stamp(flavour), "validator": described}
    return json.dumps(body, indent=None, sort_keys=True) + "\n"


def main() -> None:
    SHIPPED.write_text(shipped_text(), "utf-8")
    print(f"{SHIPPED}: written")


if __name__ == "__main__":
    main()


def _remember(version: str, model: Any) -> None:
    path = STORE.path(_key(version))
    if path is None or path.exists():
        return
    described = describe(model)
    if described is not None:
        STORE.put(path.name, json.dumps(described).encode("utf-8"))

"""Read a spec (file or URL, JSON or YAML), check it is OpenAPI 3.0/3.1, resolve refs.

The result keeps the raw document, which the normaliser walks as JSON (with
pointers), and the typed openapi-pydantic object, whose validation vouches for the
document's shape.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import SpecError, escape_pointer_token, pointer

URL_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class LoadedSpec:
    source: str
    sha256: str
    raw: dict[str, Any]
    # openapi_pydantic OpenAPI (v3.0 or v3.1 flavour); None while it is being
    # validated elsewhere (the normaliser reads only ``raw``).
    document: Any

    def resolve(self, ref: str, where: str) -> Any:
        return resolve_pointer(self.raw, ref, where)


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        import urllib.error  # here, not at the top: few runs need it (and it is slow)
        import urllib.request

        try:
            with urllib.request.urlopen(source, timeout=URL_TIMEOUT_SECONDS) as resp:
                data: bytes = resp.read()
                return data
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SpecError(f"cannot download the spec: {exc}", source) from None
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise SpecError(
            f"cannot read the spec: {exc.strerror or exc}", source
        ) from None


def parse_text(data: bytes, source: str) -> dict[str, Any]:
    text = data.decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) or source.endswith(".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                source,
            ) from None
    else:
        doc = _parse_yaml(text, source)
    if not isinstance(doc, dict):
        raise SpecError("not an OpenAPI document: the top level is not an object", "#")
    return doc


def _parse_yaml(text: str, source: str) -> Any:
    import yaml  # here, not at the top: JSON specs (the published ones) skip it

    try:
        # The C loader is ~10x faster where libyaml is present.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(f"not valid YAML: {problem}{at}", source) from None


def check_version(doc: dict[str, Any]) -> None:
    version = doc.get("openapi")
    if version is None:
        hint = " (Swagger 2.0 is not supported)" if "swagger" in doc else ""
        raise SpecError(
            f"not an OpenAPI document: no 'openapi' version{hint}", "#/openapi"
        )
    if not isinstance(version, str) or not version.startswith(("3.0.", "3.1.")):
        raise SpecError(
            f"unsupported OpenAPI version {version!r} (need 3.0.x or 3.1.x)",
            "#/openapi",
        )


def resolve_pointer(doc: Any, ref: str, where: str) -> Any:
    """Follow a local ``#/a/b`` reference; a dangling one names where it was used."""
    if not ref.startswith("#"):
        raise SpecError(f"only local $refs are supported, got {ref!r}", where)
    node = doc
    for raw_token in ref[1:].split("/")[1:] if ref != "#" else []:
        token = raw_token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SpecError(f"$ref {ref!r} points to nothing", where)
    return node


def check_refs(doc: Any) -> None:
    """Every local $ref must resolve: fail early, naming the referring place."""
    # Each entry carries a (parent, key) chain; the pointer text is built only for
    # the error, which keeps this walk cheap on a spec of 10^5 nodes.
    Chain = tuple[Any, str | int] | None
    stack: list[tuple[Any, Chain]] = [(doc, None)]
    resolved: set[str] = set()
    while stack:
        node, chain = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in resolved:
                resolve_pointer(doc, ref, _chain_pointer((chain, "$ref")))
                resolved.add(ref)
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append((value, (chain, key)))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append((value, (chain, i)))


def _chain_pointer(chain: tuple[Any, str | int] | None) -> str:
    tokens: list[str | int] = []
    while chain is not None:
        chain, token = chain
        tokens.append(token)
    return pointer(*reversed(tokens))


def validation_pointer(doc: Any, loc: tuple[int | str, ...]) -> str:
    """Map a pydantic error location onto the document, skipping union tags."""
    node = doc
    tokens: list[str] = []
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            tokens.append(escape_pointer_token(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            tokens.append(str(part))
    return "#" + "".join("/" + t for t in tokens)


_FLAVOURS = {"3.0.": "v3_0", "3.1.": "v3_1"}


def openapi_model(version: str) -> type[BaseModel]:
    """openapi-pydantic's ``OpenAPI`` model for one flavour (3.0 or 3.1).

    ``import openapi_pydantic`` builds the models of both flavours plus a union of
    them: ~0.4 s here, most of a diff's run time. Importing just the flavour the spec
    declares costs a third of that. The package's own ``__init__`` files are stood in
    for while that one submodule loads, then taken away again, so a later plain
    ``import openapi_pydantic`` still gets the real package (reusing the submodule).
    """
    flavour = _FLAVOURS[version[:4]]
    name = f"openapi_pydantic.v3.{flavour}"
    if name not in sys.modules and "openapi_pydantic" not in sys.modules:
        _import_alone(name)
    module = importlib.import_module(name)
    model: type[BaseModel] = module.OpenAPI
    return model


def _import_alone(name: str) -> None:
    found = importlib.util.find_spec("openapi_pydantic")
    roots = list(found.submodule_search_locations or []) if found else []
    if len(roots) != 1:
        return  # an unfamiliar layout: the plain import will do
    stubs = {"openapi_pydantic": roots[0], "openapi_pydantic.v3": f"{roots[0]}/v3"}
    for stub, path in stubs.items():
        module = types.ModuleType(stub)
        module.__path__ = [path]
        sys.modules[stub] = module
    try:
        importlib.import_module(name)
    finally:
        for stub in stubs:
            del sys.modules[stub]


def parse_openapi(doc: dict[str, Any]) -> Any:
    """The typed document; ``check_version`` has vouched for ``doc["openapi"]``."""
    try:
        return openapi_model(str(doc["openapi"])).model_validate(doc)
    except ValidationError as exc:
        # Report the deepest failure: it is the most specific place.
        best = max(exc.errors(), key=lambda e: len(validation_pointer(doc, e["loc"])))
        where = validation_pointer(doc, best["loc"])
        raise SpecError(f"not a valid OpenAPI document: {best['msg']}", where) from None


def load_spec(source: str) -> LoadedSpec:
    data = read_source(source)
    return typed_spec(source, data, read_document(data, source))


def read_document(data: bytes, source: str) -> dict[str, Any]:
    """Bytes -> the raw document, checked to be OpenAPI 3.0/3.1."""
    doc = parse_text(data, source)
    check_version(doc)
    return doc


def typed_spec(source: str, data: bytes, doc: dict[str, Any]) -> LoadedSpec:
    """A read document -> the loaded spec: every $ref checked, the typed model."""
    check_refs(doc)
    return LoadedSpec(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        raw=doc,
        document=parse_openapi(doc),
    )

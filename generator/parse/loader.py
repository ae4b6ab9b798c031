"""Read a spec (file or URL, JSON or YAML), check it is OpenAPI 3.0/3.1, resolve refs.

The result keeps the raw document, which the normaliser walks as JSON (with
pointers), and the typed openapi-pydantic object, whose validation vouches for the
document's shape.
"""

from __future__ import annotations

import codecs
import hashlib
import importlib
import importlib.util
import json
import os
import stat
import sys
import time
import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SpecError, escape_pointer_token, pointer
from .refs import shown

if TYPE_CHECKING:
    from pydantic import BaseModel

URL_TIMEOUT_SECONDS = 30.0  # per network operation
URL_TOTAL_SECONDS = 300.0  # a whole download, so a trickling server ends too
# Far above the largest real spec (~1 MB), far below what hurts a machine.
MAX_SPEC_BYTES = 64 * 1024 * 1024
# Real specs nest ~15-40 levels; the normaliser recurses, so bound it well below
# Python's recursion limit (and libyaml's C composer, which crashes when too deep).
MAX_DEPTH = 200
# YAML aliases may add at most this many nodes beyond the document's own.
MAX_ALIAS_NODES = 1_000_000
_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class LoadedSpec:
    source: str
    sha256: str
    raw: dict[str, Any]  # validated as openapi-pydantic's model validates
    # Every other file the spec's $refs read: absolute path -> sha256.
    inputs: tuple[tuple[str, str], ...] = ()

    def resolve(self, ref: str, where: str) -> Any:
        return resolve_pointer(self.raw, ref, where)


def read_source(source: str, max_bytes: int = MAX_SPEC_BYTES) -> bytes:
    """A spec's bytes from a regular file or an http(s) URL, at most ``max_bytes``."""
    if source.startswith(("http://", "https://")):
        return _download(source, max_bytes)
    _check_size(_regular_file(source).st_size, max_bytes, source)
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise SpecError("not a regular file", source)
            return _read_bounded(fh, max_bytes, source)
    except OSError as exc:
        raise _unreadable(exc, source) from None


def _regular_file(source: str) -> os.stat_result:
    """The file's status; anything but a regular file is refused."""
    try:
        info = os.stat(source)
    except OSError as exc:
        raise _unreadable(exc, source) from None
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO blocks; a device such as /dev/zero never ends.
        raise SpecError("not a regular file (a folder, FIFO or device?)", source)
    return info


def _unreadable(exc: OSError, source: str) -> SpecError:
    return SpecError(f"cannot read the spec: {exc.strerror or exc}", source)


def _download(url: str, max_bytes: int) -> bytes:
    import urllib.error  # here, not at the top: few runs need it (and it is slow)
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=URL_TIMEOUT_SECONDS) as resp:
            length = resp.headers.get("Content-Length")
            if length is not None and length.strip().isdigit():
                _check_size(int(length), max_bytes, url)
            deadline = time.monotonic() + URL_TOTAL_SECONDS
            return _read_bounded(resp, max_bytes, url, deadline)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise SpecError(f"cannot download the spec: {exc}", url) from None


def _read_bounded(
    stream: Any, max_bytes: int, source: str, deadline: float | None = None
) -> bytes:
    """Read in chunks and stop as soon as the limit is passed (never buffer more)."""
    # read1 returns what has arrived, so the deadline is checked between pieces.
    read = getattr(stream, "read1", None) or stream.read
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = read(min(_READ_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        _check_size(total, max_bytes, source)
        if deadline is not None and time.monotonic() > deadline:
            raise SpecError(
                f"the download took longer than {URL_TOTAL_SECONDS:.0f} s", source
            )


def _check_size(size: int, max_bytes: int, source: str) -> None:
    if size > max_bytes:
        raise SpecError(
            f"the spec is larger than {max_bytes} bytes (raise --max-spec-bytes)",
            source,
        )


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_spec(data: bytes, source: str) -> str:
    """The spec's text: UTF-8, or UTF-16/32 where a byte order mark says so.
    Anything else is refused at its first bad byte, never read with
    replacement characters (which would change paths and names)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SpecError(
                    f"not valid {codec.upper()} (byte offset {exc.start})", source
                ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}"
            " (save the spec as UTF-8)",
            source,
        ) from None


def parse_text(data: bytes, source: str) -> dict[str, Any]:
    text = decode_spec(data, source)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) or source.endswith(".json"):
        try:
            doc = json.loads(text)
        except RecursionError:
            raise SpecError(
                f"nested more than {MAX_DEPTH} levels deep", source
            ) from None
        except json.JSONDecodeError as exc:
            raise SpecError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                source,
            ) from None
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            raise SpecError(f"not valid JSON: {exc}", source) from None
    else:
        doc = _parse_yaml(text, source)
    if not isinstance(doc, dict):
        raise SpecError("not an OpenAPI document: the top level is not an object", "#")
    return doc


def _parse_yaml(text: str, source: str) -> Any:
    import yaml  # here, not at the top: JSON specs (the published ones) skip it

    from .yamldoc import load

    try:
        return load(text, source, MAX_DEPTH, MAX_ALIAS_NODES)
    except ValueError as exc:  # a constructor's: a huge integer, a 13th month
        raise SpecError(f"not valid YAML: {exc}", source) from None
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


def pointer_tokens(fragment: str) -> list[str]:
    """The unescaped tokens of a JSON pointer (``/a/b~1c`` -> ``["a", "b/c"]``)."""
    return [t.replace("~1", "/").replace("~0", "~") for t in fragment.split("/")[1:]]


def lookup_pointer(doc: Any, tokens: list[str]) -> tuple[bool, Any]:
    """Walk ``tokens`` from ``doc``: (True, node) when every step exists."""
    node = doc
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def resolve_pointer(doc: Any, ref: str, where: str) -> Any:
    """Follow a local ``#/a/b`` reference; a dangling one names where it was used."""
    if not isinstance(ref, str):
        raise SpecError(f"$ref must be a string, got {type(ref).__name__}", where)
    if not ref.startswith("#"):
        raise SpecError(f"only local $refs are supported, got {shown(ref)}", where)
    found, node = lookup_pointer(doc, pointer_tokens(ref[1:]))
    if not found:
        raise SpecError(f"$ref {shown(ref)} points to nothing", where)
    return node


def deref(doc: Any, node: Any, where: str) -> tuple[Any, str]:
    """``node`` with its ``$ref``s followed, and the pointer where it ended
    (``where`` when it is no reference); a dangling one names its ``$ref``."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        where = ref if isinstance(ref, str) else where
        if where in seen:
            raise SpecError("$ref cycle", where)
        seen.add(where)
        node = resolve_pointer(doc, ref, where)
    return node, where


def deref_or_none(doc: Any, node: Any) -> Any:
    """``node`` with its ``$ref``s followed; None for one that leads nowhere
    (for readers of a document not checked yet)."""
    try:
        return deref(doc, node, "#")[0]
    except SpecError:
        return None


def check_refs(doc: Any) -> None:
    """Every local $ref must resolve and end somewhere; nesting is bounded.

    Fails early, naming the referring place. Each container is walked once even
    when the document shares it (YAML aliases), so the walk is linear.
    """
    # Each entry carries a (parent, key) chain; the pointer text is built only for
    # the error, which keeps this walk cheap on a spec of 10^5 nodes.
    Chain = tuple[Any, str | int] | None
    stack: list[tuple[Any, Chain, int]] = [(doc, None, 1)]
    resolved: set[str] = set()
    seen: set[int] = set()
    while stack:
        node, chain, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise SpecError(
                f"nested more than {MAX_DEPTH} levels deep", chain_pointer(chain)
            )
        ref = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(ref, str) and ref not in resolved:
            _follow_ref(doc, ref, chain_pointer((chain, "$ref")), resolved)
        stack.extend((value, (chain, key), depth + 1) for key, value in _inner(node))


def inner_nodes(node: Any) -> list[tuple[str | int, Any]]:
    """(key, value) of the objects and arrays right inside a node, but for
    those of ``x-`` extensions (opaque: their ``$ref``s are no schema's)."""
    return [(k, v) for k, v in _inner(node) if not str(k).startswith("x-")]


def _inner(node: Any) -> list[tuple[str | int, Any]]:
    """(key, value) of the objects and arrays right inside an object or array."""
    if isinstance(node, dict):
        items: Iterable[tuple[str | int, Any]] = node.items()
    else:
        items = enumerate(node) if isinstance(node, list) else ()
    return [(key, value) for key, value in items if isinstance(value, dict | list)]


def _follow_ref(doc: Any, ref: str, where: str, resolved: set[str]) -> None:
    """Resolve ``ref`` and every $ref it leads to; a chain back to itself is a cycle."""
    chain = [ref]
    while True:
        used_at = where if len(chain) == 1 else f"{chain[-2]}/$ref"
        target = resolve_pointer(doc, chain[-1], used_at)
        nxt = target.get("$ref") if isinstance(target, dict) else None
        if not isinstance(nxt, str) or nxt in resolved:
            break
        if nxt in chain:
            cycle = " -> ".join([*chain[chain.index(nxt) :], nxt])
            raise SpecError(f"$ref cycle: {cycle}", where)
        chain.append(nxt)
    resolved.update(chain)


def chain_pointer(chain: tuple[Any, str | int] | None) -> str:
    """The pointer of a (parent chain, key) chain, built only when needed."""
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
        if _indexes(node, part):
            node = node[part]
            tokens.append(escape_pointer_token(part))
    return "#" + "".join("/" + t for t in tokens)


def _indexes(node: Any, part: int | str) -> bool:
    """Whether a location part is a key of ``node`` (a union's tag is not)."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


# openapi-pydantic's module for each OpenAPI version prefix.
FLAVOURS = {"3.0.": "v3_0", "3.1.": "v3_1"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def openapi_model(version: str) -> type[BaseModel]:
    """openapi-pydantic's ``OpenAPI`` model for one flavour (3.0 or 3.1).

    ``import openapi_pydantic`` builds the models of both flavours plus a union of
    them: ~0.4 s here, most of a diff's run time. Importing just the flavour the spec
    declares costs a third of that. The package's own ``__init__`` files are stood in
    for while that one submodule loads, then taken away again, so a later plain
    ``import openapi_pydantic`` still gets the real package (reusing the submodule).
    """
    flavour = FLAVOURS[version[:4]]
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


def parse_openapi(doc: dict[str, Any]) -> None:
    """Validate ``doc`` as openapi-pydantic's model does (``validator.py``:
    its validator, shipped as data); ``check_version`` has vouched for
    ``doc["openapi"]``."""
    from pydantic_core import ValidationError

    from .validator import validate

    try:
        validate(str(doc["openapi"]), doc)
    except ValidationError as exc:
        # Report the deepest failure: it is the most specific place.
        best = max(exc.errors(), key=lambda e: len(validation_pointer(doc, e["loc"])))
        where = validation_pointer(doc, best["loc"])
        raise SpecError(f"not a valid OpenAPI document: {best['msg']}", where) from None


def load_spec(source: str, max_bytes: int = MAX_SPEC_BYTES) -> LoadedSpec:
    data = read_source(source, max_bytes)
    return typed_spec(source, data, read_document(data, source, max_bytes))


def read_document(
    data: bytes,
    source: str,
    max_bytes: int = MAX_SPEC_BYTES,
    files: bool = True,
    read: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Bytes -> the raw document, checked to be OpenAPI 3.0/3.1; with ``files``,
    refs to other local files (relative to ``source``) bundled in (``read``
    gets each one's path and sha256)."""
    from .. import notices
    from .bundle import bundle
    from .scrub import scrub

    doc = parse_text(data, source)
    check_version(doc)
    if files:
        doc = bundle(doc, source, max_bytes, read=read)
    scrub(doc, lambda where, message: notices.warn(f"{where}: {message}"))
    return doc


def typed_spec(source: str, data: bytes, doc: dict[str, Any]) -> LoadedSpec:
    """A read document -> the loaded spec: every $ref checked, validated."""
    check_refs(doc)
    parse_openapi(doc)
    return LoadedSpec(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        raw=doc,
    )

"""Multi-file specs: ``$ref``s to other local files, bundled into one document.

``other.yaml#/components/schemas/Pet`` becomes ``#/components/schemas/Pet``, the
schema copied into the root document (renamed ``Pet_2`` on a clash); a ref to any
other part of a file (or a whole file) is replaced by a copy of that part. Files
are read relative to the file that refers to them, only inside the folders
``refs.py`` allows, with the loader's depth bound and one byte budget for all of
them (``--max-spec-bytes``); URL refs are left alone (the problems pass warns
about them).
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Callable
from typing import Any

from ..errors import SpecError, escape_pointer_token
from .loader import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    inner_nodes,
    lookup_pointer,
    parse_text,
    pointer_tokens,
    read_source,
)
from .refs import shown, target_file


def is_file_ref(ref: str) -> bool:
    return not ref.startswith("#") and "://" not in ref.split("#", 1)[0]


def bundle(
    doc: dict[str, Any],
    source: str,
    max_bytes: int,
    on_error: Callable[[str, str], None] | None = None,
    read: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``doc`` (read from ``source``) with every relative-file ``$ref`` followed.

    A ref that cannot be followed raises, or with ``on_error`` given is
    reported there (pointer, why) and becomes an empty schema (any value).
    ``read`` receives each other file read (absolute path -> sha256 of its
    bytes), so a cache of the result can tell when one of them changes."""
    if source.startswith(("http://", "https://")) or not _has_file_ref(doc):
        return doc
    bundler = _Bundler(doc, os.path.abspath(source), max_bytes, on_error)
    try:
        return bundler.run()
    finally:
        if read is not None:
            read.update(bundler.read)


def _has_file_ref(node: Any) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        ref = current.get("$ref") if isinstance(current, dict) else None
        if isinstance(ref, str) and is_file_ref(ref):
            return True
        stack.extend(v for _, v in inner_nodes(current))
    return False


class _Bundler:
    def __init__(
        self,
        doc: dict[str, Any],
        root: str,
        max_bytes: int,
        on_error: Callable[[str, str], None] | None,
    ) -> None:
        self.root = root
        self.doc = copy.deepcopy(doc)
        self.files: dict[str, Any] = {root: self.doc}
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.on_error = on_error
        self.hoisted: dict[tuple[str, str], str] = {}  # (file, pointer) -> local ref
        self.inlining: list[str] = []  # file#pointer chain, for naming cycles
        self.copied = 0
        self.read: dict[str, str] = {}  # path -> sha256 of the bytes read

    def run(self) -> dict[str, Any]:
        self._rewrite(self.doc, self.root, "#", 1)
        return self.doc

    def _rewrite(self, node: Any, file: str, where: str, depth: int) -> Any:
        """Rewrite refs in ``node`` (from ``file``) in place; returns the node,
        or its replacement when the node itself is an inlined ref."""
        if depth > MAX_DEPTH:
            raise SpecError(f"nested more than {MAX_DEPTH} levels deep", where)
        if isinstance(node, dict):
            return self._rewrite_dict(node, file, where, depth)
        if isinstance(node, list):
            for i, value in enumerate(node):
                node[i] = self._rewrite(value, file, f"{where}/{i}", depth + 1)
        return node

    def _rewrite_dict(
        self, node: dict[Any, Any], file: str, where: str, depth: int
    ) -> Any:
        ref = node.get("$ref")
        if isinstance(ref, str) and (file != self.root or is_file_ref(ref)):
            found = self._follow_or_warn(ref, file, where, depth)
            if not isinstance(found, str):
                return found
            node["$ref"] = found
        for key in list(node):
            if key == "$ref" or str(key).startswith("x-"):
                continue
            token = escape_pointer_token(str(key))
            node[key] = self._rewrite(node[key], file, f"{where}/{token}", depth + 1)
        return node

    def _follow_or_warn(self, ref: str, file: str, where: str, depth: int) -> Any:
        """``_follow``; with ``on_error``, a ref that fails is warned about and
        stands for any value (``{}``)."""
        try:
            return self._follow(ref, file, where, depth)
        except SpecError as exc:
            if self.on_error is None:
                raise
            self.on_error(exc.where or where, f"{exc.message}: treated as any value")
            return {}

    def _follow(self, ref: str, file: str, where: str, depth: int) -> Any:
        """A local ref string for a hoisted component, or the inlined node."""
        path, _, frag = ref.partition("#")
        if "://" in path:
            return ref  # a URL: left for the problems pass to warn about
        target = target_file(path, file, self.root, where) if path else file
        pointer = frag or ""
        if target == self.root:
            return "#" + pointer
        tokens = pointer_tokens(pointer)
        key = (target, pointer)
        if key in self.hoisted:
            return self.hoisted[key]
        found, content = lookup_pointer(self._load(target, ref, where), tokens)
        if not found:
            raise SpecError(f"$ref {shown(ref)} points to nothing", where)
        local = self._as_component(tokens, content, key, where)
        if local is not None:
            return local
        return self._inline(content, key, where, depth)

    def _as_component(
        self, tokens: list[str], content: Any, key: tuple[str, str], where: str
    ) -> str | None:
        """A component of another file is hoisted into the root: its local
        ref. None for anything else, and for the root's own component of that
        name met at its place (inlined there)."""
        if len(tokens) != 3 or tokens[0] != "components":
            return None
        group, name = tokens[1], tokens[2]
        here = f"#/components/{escape_pointer_token(group)}/"
        if where == here + escape_pointer_token(name):
            self.hoisted[key] = where  # the root's component of that name: inlined
            return None
        local = self._hoist(group, name, content, key)
        section = self.doc["components"][group]
        final = local.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
        section[final] = self._rewrite(section[final], key[0], local, 1)
        return local

    def _inline(
        self, content: Any, key: tuple[str, str], where: str, depth: int
    ) -> Any:
        """A copy of ``content`` (at ``key``: file, pointer) in place of its
        ref, its own refs rewritten; a chain of inlined refs back to itself is
        a cycle."""
        target, pointer = key
        # By path from the root's folder: files sharing a base name
        # (responses/account.yml, models/account.yml) are no cycle.
        label = f"{os.path.relpath(target, os.path.dirname(self.root))}#{pointer}"
        if label in self.inlining:
            cycle = " -> ".join([*self.inlining[self.inlining.index(label) :], label])
            raise SpecError(f"$ref cycle across files: {cycle}", where)
        self._count(content, where)
        self.inlining.append(label)
        try:
            return self._rewrite(copy.deepcopy(content), target, where, depth)
        finally:
            self.inlining.pop()

    def _load(self, path: str, ref: str, where: str) -> Any:
        if path not in self.files:
            # Bounded by bytes (--max-spec-bytes over every file), not by count.
            try:
                data = read_source(path, self.max_bytes - self.read_bytes)
            except SpecError as exc:
                raise SpecError(
                    f"cannot follow $ref {shown(ref)}: {exc.message}", where
                ) from None
            self.read_bytes += len(data)
            self.read[path] = hashlib.sha256(data).hexdigest()
            self.files[path] = parse_text(data, path)
        return self.files[path]

    def _hoist(self, group: str, name: str, content: Any, key: tuple[str, str]) -> str:
        """Copy a component into the root under a free name; its local ref."""
        components = self.doc.setdefault("components", {})
        if not isinstance(components, dict):
            raise SpecError("components must be an object", "#/components")
        section = components.setdefault(group, {})
        if not isinstance(section, dict):
            raise SpecError(
                f"components/{group} must be an object", f"#/components/{group}"
            )
        final, n = name, 1
        while final in section:
            n += 1
            final = f"{name}_{n}"
        self._count(content, f"#/components/{group}/{final}")
        section[final] = copy.deepcopy(content)
        local = (
            f"#/components/{escape_pointer_token(group)}/{escape_pointer_token(final)}"
        )
        self.hoisted[key] = local
        return local

    def _count(self, node: Any, where: str) -> None:
        """Bound what copying adds, as YAML aliases are bounded."""
        stack = [node]
        while stack:
            current = stack.pop()
            self.copied += 1
            if isinstance(current, dict):
                stack.extend(current.values())
            elif isinstance(current, list):
                stack.extend(current)
        if self.copied > MAX_ALIAS_NODES:
            raise SpecError(
                f"files referenced expand to more than {MAX_ALIAS_NODES} nodes", where
            )

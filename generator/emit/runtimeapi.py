"""What the runtime (``templates/runtime/*.py``, copied into every SDK) offers,
read off its source, so lists of its names are derived, never kept by hand.
The package's public names are each module's ``_PACKAGE_EXPORTS``, not ``__all__``."""

from __future__ import annotations

import ast
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .sections import keep_sections

CLIENT_MODULE = "_base_client.py"
CLIENT_CLASSES = ("SyncAPIClient", "AsyncAPIClient")


def templates_dir() -> Path:
    """``templates/`` of the checkout, or the copy shipped inside the wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "templates", here / "templates"):
        if (candidate / "sdk").is_dir():
            return candidate
    raise FileNotFoundError("sdkgen templates are missing from this installation")


@cache
def runtime_text(name: str) -> str:
    return (templates_dir() / "runtime" / name).read_text("utf-8")


@cache
def runtime_tree(name: str) -> ast.Module:
    """The syntax tree of one runtime file, parsed once a run (both tables
    read ``_base_client.py``, 12 ms to parse)."""
    return ast.parse(runtime_text(name))


@cache
def client_attributes() -> frozenset[str]:
    """The public attributes of the runtime's client classes and the classes
    they derive from in the same module: methods, class attributes and what
    their methods assign to ``self``. A resource of one of these names would
    shadow it (or be shadowed)."""
    tree = runtime_tree(CLIENT_MODULE)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    names: set[str] = set()
    todo = list(CLIENT_CLASSES)
    while todo:
        node = classes[todo.pop()]
        names |= _attributes(node)
        for base in node.bases:
            if isinstance(base, ast.Subscript):  # Generic[...] or _Base[httpx.X]
                base = base.value
            if isinstance(base, ast.Name) and base.id in classes:
                todo.append(base.id)
    return frozenset(n for n in names if not n.startswith("_"))


def _attributes(node: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for item in node.body:
        names |= _top_level_names(item)
    for found in ast.walk(node):
        match found:
            case ast.Attribute(value=ast.Name(id="self"), attr=attr, ctx=ast.Store()):
                names.add(attr)
    return names


# The runtime modules generated code imports names from (the others are the
# package's public face, imported by the package ``__init__`` only).
IMPORTED_MODULES = (
    "_base_client",
    "_formats",
    "_models",
    "_pagination",
    "_response",
    "_serialize",
    "_types",
)

# The runtime modules the package ``__init__`` re-exports the
# ``_PACKAGE_EXPORTS`` of (and ``_exceptions``: see exception_classes).
PACKAGE_MODULES = (
    "_base_client",
    "_models",
    "_pagination",
    "_response",
    "_types",
    "webhooks",
)


@cache
def runtime_exports() -> dict[str, str]:
    """Name -> runtime module stem, for each name a module of
    ``IMPORTED_MODULES`` lists in ``__all__`` and defines itself (so a
    re-export is never taken for the definition)."""
    found: dict[str, str] = {}
    for stem in IMPORTED_MODULES:
        top = _top_level(runtime_tree(f"{stem}.py"))
        exported = top.lists.get("__all__", [])
        found.update((name, stem) for name in exported if name in top.defined)
    return found


class _TopLevel(NamedTuple):
    defined: set[str]  # by a def, a class or an assignment
    imported: set[str]  # by ``from x import y``
    lists: dict[str, list[str]]  # ``__all__`` and ``_PACKAGE_EXPORTS``: their strings


def _top_level(tree: ast.Module) -> _TopLevel:
    """What a runtime module's top level binds, and its lists of names."""
    top = _TopLevel(set(), set(), {})
    for node in tree.body:
        names = _top_level_names(node)
        top.defined.update(names)
        top.imported.update(_imported_names(node))
        for variable in {"__all__", "_PACKAGE_EXPORTS"} & names:
            top.lists[variable] = _string_list(node)
    return top


def _top_level_names(node: ast.stmt) -> set[str]:
    match node:
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name):
            return {name}
        case ast.ClassDef(name=name):
            return {name}
        case ast.AnnAssign(target=ast.Name(id=name)):
            return {name}
        case ast.Assign(targets=targets):
            return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()


def _string_list(node: ast.stmt) -> list[str]:
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    if not isinstance(value, ast.List | ast.Tuple):
        return []
    return [
        e.value
        for e in value.elts
        if isinstance(e, ast.Constant) and isinstance(e.value, str)
    ]


@cache
def exception_classes() -> tuple[str, ...]:
    """The exception classes the runtime's ``_exceptions.py`` lists in
    ``__all__``: every one is the package's too."""
    tree = runtime_tree("_exceptions.py")
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    listed = _top_level(tree).lists.get("__all__", [])
    return tuple(sorted(n for n in listed if n in classes))


def package_exports_of(features: Collection[str]) -> list[tuple[str, tuple[str, ...]]]:
    """``(".module", names)`` for each of ``PACKAGE_MODULES``: its
    ``_PACKAGE_EXPORTS`` in the file an SDK with ``features`` gets."""
    kept = frozenset(features)
    return [(f".{stem}", _package_exports(stem, kept)) for stem in PACKAGE_MODULES]


@cache
def _package_exports(stem: str, features: frozenset[str]) -> tuple[str, ...]:
    """One module's ``_PACKAGE_EXPORTS``, each name checked to be in its
    ``__all__`` and bound in it: a drift fails generation, not the SDK."""
    name = f"{stem}.py"
    text = runtime_text(name)
    kept = keep_sections(text, features)
    tree = runtime_tree(name) if kept == text else ast.parse(kept)
    top = _top_level(tree)
    bound, lists = top.defined | top.imported, top.lists
    if "_PACKAGE_EXPORTS" not in lists:
        raise RuntimeError(f"templates/runtime/{name} has no _PACKAGE_EXPORTS")
    for export in lists["_PACKAGE_EXPORTS"]:
        if export not in lists.get("__all__", []):
            missing = "its __all__ does not list"
        elif export not in bound:
            missing = "it does not define"
        else:
            continue
        raise RuntimeError(
            f"templates/runtime/{name}: _PACKAGE_EXPORTS names {export!r},"
            f" which {missing}"
        )
    return tuple(lists["_PACKAGE_EXPORTS"])


def _imported_names(node: ast.stmt) -> set[str]:
    """What a top-level ``from x import y`` binds (a re-export counts here)."""
    if not isinstance(node, ast.ImportFrom):
        return set()
    return {alias.asname or alias.name for alias in node.names}

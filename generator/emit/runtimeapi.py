"""What the runtime (``templates/runtime/*.py``, copied into every SDK) offers,
read off its source, so lists of its names are derived, never kept by hand."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

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
def client_attributes() -> frozenset[str]:
    """The public attributes of the runtime's client classes and the classes
    they derive from in the same module: methods, class attributes and what
    their methods assign to ``self``. A resource of one of these names would
    shadow it (or be shadowed)."""
    tree = ast.parse((templates_dir() / "runtime" / CLIENT_MODULE).read_text("utf-8"))
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
        match item:
            case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name):
                names.add(name)
            case ast.AnnAssign(target=ast.Name(id=name)):
                names.add(name)
            case ast.Assign(targets=targets):
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    for found in ast.walk(node):
        match found:
            case ast.Attribute(value=ast.Name(id="self"), attr=attr, ctx=ast.Store()):
                names.add(attr)
    return names

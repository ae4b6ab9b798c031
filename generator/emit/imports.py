"""The import block of a generated module, read off the names it uses.

Templates write module bodies and an ``IMPORTS_MARKER`` line (view.py); the imports
go there, in isort's order (what ruff's ``I`` rules check), so no template
has to know which names it ends up using.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .importable import IMPORTABLE, PLAIN_IMPORTS
from .piececache import PieceCache
from .usednames import used_names
from .view import IMPORTS_MARKER

_MARKER_LINE = re.compile(rf"^{re.escape(IMPORTS_MARKER)}$", re.M)


def split_at_marker(text: str) -> tuple[str, str] | None:
    """(what comes before the template's marker line, what follows it), or
    None without one (view.py escapes the marker in spec text; the template's
    is also the last one at the start of a line)."""
    found = list(_MARKER_LINE.finditer(text))
    if not found:
        return None
    return text[: found[-1].start()], text[found[-1].end() :]


def module_order(module: str) -> list[tuple[int, str]]:
    """isort's (natural) order of module names: ``_for_p2`` before ``_for_p10``."""
    return [
        (1, "") if not part else (0, part.zfill(20)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", module.lower())
    ]


def import_order(name: str) -> tuple[int, list[tuple[int, str]], str]:
    """isort's order inside one import: CONSTANTS, then Classes, then functions,
    each in natural order (``Error404`` before ``Error4002``)."""
    rank = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return rank, module_order(name), name


def import_block(
    source: str,
    filename: str,
    root: str,
    local: dict[str, str],
    cache: PieceCache | None = None,
    future: bool = True,
    quoted: frozenset[str] = frozenset(),
) -> str:
    """Import lines for the names ``source`` uses, and for ``quoted`` (names
    inside string annotations, which it does not define); ``local`` maps names
    to modules."""
    groups, plain = _sources(used_names(source, filename, cache) | quoted, root, local)

    def froms(keep: Callable[[str], bool]) -> list[str]:
        return [
            f"from {m} import {', '.join(groups[m])}" for m in sorted(groups) if keep(m)
        ]

    blocks = [
        ["from __future__ import annotations"] if future else [],
        [p for p in plain if p == _STDLIB_PLAIN] + froms(_is_stdlib),
        [p for p in plain if p != _STDLIB_PLAIN] + froms(lambda m: m == "pydantic"),
        froms(lambda m: m.startswith(".")),
    ]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"


_STDLIB_PLAIN = "import builtins"  # the only plain import of the standard library


def _is_stdlib(module: str) -> bool:
    return not module.startswith(".") and module != "pydantic"


def _sources(
    names: set[str], root: str, local: dict[str, str]
) -> tuple[dict[str, list[str]], list[str]]:
    """(module -> the names imported from it, plain ``import x`` lines)."""
    groups: dict[str, list[str]] = {}
    plain: list[str] = []
    for name in sorted(names, key=import_order):
        if name in local:
            groups.setdefault(local[name], []).append(name)
        elif name in IMPORTABLE:
            module, is_relative = IMPORTABLE[name]
            groups.setdefault(root + module if is_relative else module, []).append(name)
        elif name in PLAIN_IMPORTS:
            plain.append(PLAIN_IMPORTS[name])
    return groups, plain


def add_imports(
    text: str,
    filename: str,
    root: str,
    local: dict[str, str] | None = None,
    cache: PieceCache | None = None,
    future: bool = True,
    quoted: frozenset[str] = frozenset(),
) -> str:
    parts = split_at_marker(text)
    if parts is None:
        return text
    head, body = parts
    block = import_block(body, filename, root, local or {}, cache, future, quoted)
    body = body.lstrip("\n")  # one blank line after the imports, as isort wants
    return head + (block + "\n" if block.strip() else "") + body

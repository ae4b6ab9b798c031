"""Optional parts of a runtime file, kept or cut by what the API has.

A part runs from a line ``# >>> names`` to the line ``# <<< names`` (the same
text). ``names`` is ``a``, ``a|b`` (kept if the SDK has either feature) or
``!a`` (kept if it has not). The marker lines never reach the SDK. Markers sit
where cutting a part leaves black's layout intact: before a top-level ``def``
after its two blank lines, or around lines of a list or a docstring.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

_START, _END = "# >>> ", "# <<< "


def keep_sections(text: str, features: Collection[str]) -> str:
    """``text`` without the parts whose features the SDK lacks (and without
    the markers); plain imports nothing uses any more are dropped too."""
    if _START not in text and _END not in text:
        return text  # no marker: the line loop below would keep every line
    out: list[str] = []
    open_parts: list[tuple[str, bool]] = []  # (marker text, kept)
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        marker = line.strip()
        if marker.startswith((_START, _END)):
            _at_marker(marker, number, open_parts, features)
        elif all(kept for _, kept in open_parts):
            out.append(line)
    if open_parts:
        raise ValueError(f"part {open_parts[-1][0]!r} is never closed")
    if len(out) == len(text.splitlines()):
        return text  # nothing was marked
    return _drop_unused_imports("".join(out).rstrip("\n") + "\n")


def _at_marker(
    marker: str,
    number: int,
    open_parts: list[tuple[str, bool]],
    features: Collection[str],
) -> None:
    """Open or close a part at a marker line (line ``number``)."""
    if marker.startswith(_START):
        names = marker.removeprefix(_START)
        open_parts.append((names, _wanted(names, features)))
        return
    names = marker.removeprefix(_END)
    if not open_parts or open_parts[-1][0] != names:
        raise ValueError(f"line {number}: {marker!r} closes no open part")
    open_parts.pop()


def _wanted(names: str, features: Collection[str]) -> bool:
    if names.startswith("!"):
        return names[1:] not in features
    return any(name in features for name in names.split("|"))


def _drop_unused_imports(text: str) -> str:
    """Top-level ``import x`` lines for modules no kept line uses."""
    tree = ast.parse(text)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    unused = {node.lineno for node in tree.body if _unused_import(node, used)}
    lines = text.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines, 1) if i not in unused)


def _unused_import(node: ast.stmt, used: set[str]) -> bool:
    """A plain ``import x`` (one top-level module, no ``as``) of a name no
    code uses."""
    return (
        isinstance(node, ast.Import)
        and len(node.names) == 1
        and node.names[0].asname is None
        and "." not in node.names[0].name
        and node.names[0].name not in used
    )

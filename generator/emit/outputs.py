"""The table of generated files: one ``OutputFile`` row per file (where it
goes, the template that makes it and what the template is given, how its
imports are added), then one pass that renders every row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import jinja2

from .imports import add_imports
from .piececache import PieceCache


@dataclass(frozen=True)
class Imports:
    """How a module's imports are added (``imports.add_imports``): ``module``,
    its path in its API's folder; ``root``, the runtime as seen from it;
    ``local``, the package's names it may import and their modules;
    ``quoted``, names its annotations quote (forward references)."""

    module: str
    root: str
    local: dict[str, str] | None = None
    future: bool = True  # ``from __future__ import annotations``
    quoted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OutputFile:
    """One generated file, by its path in the distribution: the ``template``
    that renders it with ``context``, or (no template) its ``text``."""

    path: str
    template: str | None
    context: Mapping[str, object] = field(default_factory=dict)
    imports: Imports | None = None  # None: its imports are written out
    text: str = ""


def render_rows(
    rows: Iterable[OutputFile], env: jinja2.Environment, pieces: PieceCache
) -> dict[str, str]:
    """Path -> text of every row, each module's imports added."""
    out: dict[str, str] = {}
    for row in rows:
        text = row.text
        if row.template is not None:
            text = env.get_template(row.template).render(**row.context)
        if row.imports is not None:
            i = row.imports
            text = add_imports(
                text, i.module, i.root, i.local, pieces, i.future, i.quoted
            )
        out[row.path] = text
    return out

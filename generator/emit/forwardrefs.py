"""Annotations for a module that is not ``from __future__ import annotations``.

``types/models.py`` leaves that import out: pydantic then gets each field's
type as an object made when the class body runs, instead of compiling and
evaluating a string per field at import (a fifth of the module's import time).
An annotation that names a class not yet defined at that point (a recursive
model, or a TypedDict sorted after one it uses) is quoted, as before.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from .view import FieldView, ModelView, ParamDictView

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")


def names_in(annotation: str) -> set[str]:
    """The identifiers of an annotation, leaving out string literals' text."""
    return set(_NAME.findall(_STRING.sub("", annotation)))


def quoted(annotation: str) -> str:
    if '"' not in annotation:
        return f'"{annotation}"'
    return repr(annotation)


def _fields(fields: list[FieldView], pending: set[str]) -> list[FieldView]:
    return [
        replace(f, annotation=quoted(f.annotation))
        if names_in(f.annotation) & pending
        else f
        for f in fields
    ]


def forward_quoted(
    models: list[ModelView], dicts: list[ParamDictView]
) -> tuple[list[ModelView], list[ParamDictView]]:
    """``models`` then ``dicts`` (their order in the module), each field whose
    annotation names a class defined later (or the class itself) quoted."""
    pending = {m.name for m in models} | {d.name for d in dicts}
    out_models: list[ModelView] = []
    for m in models:
        out_models.append(replace(m, fields=_fields(m.fields, pending)))
        pending.discard(m.name)
    out_dicts: list[ParamDictView] = []
    for d in dicts:
        out_dicts.append(replace(d, fields=_fields(d.fields, pending)))
        pending.discard(d.name)
    return out_models, out_dicts


def quoted_names(models: list[ModelView], dicts: list[ParamDictView]) -> set[str]:
    """The identifiers inside the annotations ``forward_quoted`` quoted: the
    module's imports must cover them, as the symbol table sees no name in a
    string (a field naming a later class and one from another module)."""
    found: set[str] = set()
    fields = [f for m in models for f in m.fields] + [
        f for d in dicts for f in d.fields
    ]
    for f in fields:
        if f.annotation[:1] in ("'", '"'):
            tree = ast.parse(ast.literal_eval(f.annotation), mode="eval")
            found |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return found

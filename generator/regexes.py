"""Which regex engine reads a spec's ``pattern``.

The generated models check patterns with pydantic-core's own engine (Rust's
regex crate: linear time, but no look-around and no backreferences), which
refuses such a pattern when the model is first used: the SDK would break at
run time. A pattern only Python's ``re`` reads makes its model use that
engine (``regex_engine="python-re"``); one neither reads is dropped at parse
time with a warning naming it (``parse/shapes.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from pydantic_core import SchemaError, SchemaValidator, core_schema

from . import ir


@cache
def rust_reads(pattern: str) -> bool:
    """Whether pydantic-core's default engine compiles ``pattern``."""
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return False
    return True


@cache
def python_problem(pattern: str) -> str | None:
    """Why Python's ``re`` cannot compile ``pattern``, or None."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def unreadable(pattern: str) -> str | None:
    """Why no engine reads ``pattern``, or None when one does."""
    return None if rust_reads(pattern) else python_problem(pattern)


def needs_python_re(t: ir.TypeRef) -> bool:
    """Whether a value of ``t`` (not looking into the models it names) has a
    pattern only Python's ``re`` reads."""
    return any(not rust_reads(p) for p in _patterns(t))


def _patterns(t: ir.TypeRef) -> Iterator[str]:
    match t:
        case ir.Primitive():
            if t.constraints.pattern is not None:
                yield t.constraints.pattern
        case ir.ListType():
            yield from _patterns(t.item)
        case ir.DictType():
            yield from _patterns(t.value)
        case ir.Nullable():
            yield from _patterns(t.inner)
        case ir.UnionType():
            for option in t.options:
                yield from _patterns(option)
        case ir.ModelRef() | ir.EnumRef() | ir.LiteralType():
            return

"""Spelling values and IR types as Python text: literals, docstrings, annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import assert_never

from ... import ir

MAX_SAFE_INTEGER = 9007199254740991


# -- small value spellers -----------------------------------------------------------


_SURROGATE_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})"
)


def str_literal(text: str) -> str:
    """A Python string literal, ASCII only: JSON's escapes, except that a
    character beyond the BMP is one ``\\U`` escape (JSON's surrogate pair
    would be two lone surrogates in Python, which pydantic cannot encode)."""

    def one(m: re.Match[str]) -> str:
        high, low = int(m.group(2), 16), int(m.group(3), 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        return f"{m.group(1)}\\U{code:08x}"

    return _SURROGATE_PAIR.sub(one, json.dumps(text))


def py_literal(value: ir.JsonValue) -> str:
    """A Python expression for a JSON value (defaults, literals)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    pairs = ir.object_items(value)
    if pairs is not None:
        return (
            "{" + ", ".join(f"{json.dumps(k)}: {py_literal(v)}" for k, v in pairs) + "}"
        )
    return "[" + ", ".join(py_literal(v) for v in value) + "]"


# Where a template wants its module's imports (render.py fills it in). Spec text
# in a docstring or one-line string writes its last "#" as an escape instead,
# so no spec text can stand in for it.
IMPORTS_MARKER = "#-imports-#"
_MARKER_ESCAPED = IMPORTS_MARKER[:-1] + "\\u0023"  # valid in Python and TOML strings

# Control characters Python source cannot hold as they are (NUL) or that editors
# and black treat badly; line breaks are left to splitlines.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def doc_text(text: str) -> str:
    """Docstring-safe text: no closing quotes, trailing spaces or stray escapes."""
    escaped = _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}",
        text.replace("\\", "\\\\").replace('"""', "'''"),
    ).replace(IMPORTS_MARKER, _MARKER_ESCAPED)
    cleaned = "\n".join(line.rstrip() for line in escaped.splitlines())
    cleaned = cleaned.strip()
    # A quote right before the closing triple quote would end the string early.
    return cleaned[:-1] + '\\"' if cleaned.endswith('"') else cleaned


def tuple_literal(items: list[str]) -> str:
    if len(items) == 1:
        return f"({json.dumps(items[0])},)"
    return "(" + ", ".join(json.dumps(i) for i in items) + ")"


def regex_literal(pattern: str) -> str:
    """A raw string literal for a regex where possible, else an escaped one."""
    if '"' not in pattern and not pattern.endswith("\\"):
        return f'r"{pattern}"'
    return json.dumps(pattern)


# -- types --------------------------------------------------------------------------

PYTHON_CLASS = {"str": "str", "int": "int", "float": "float", "bool": "bool"}
# Bounds -> pydantic's Field arguments.
_BOUNDS = (
    ("minimum", "ge"),
    ("maximum", "le"),
    ("exclusive_minimum", "gt"),
    ("exclusive_maximum", "lt"),
    ("multiple_of", "multiple_of"),
)


def _field_args(c: ir.Constraints) -> list[str]:
    """The ``Field(...)`` arguments of a primitive's constraints."""
    args = [
        f"{name}={value}"
        for name, value in (("min_length", c.min_length), ("max_length", c.max_length))
        if value is not None
    ]
    if c.pattern is not None:
        args.append(f"pattern={regex_literal(c.pattern)}")
    for name, key in _BOUNDS:
        value = getattr(c, name)
        if value is None or (
            name in ("minimum", "maximum") and abs(value) == MAX_SAFE_INTEGER
        ):
            continue  # zod's "safe integer" bounds say nothing a user needs
        args.append(f"{key}={value!r}")
    return args


@dataclass
class TypeSpeller:
    """Spells IR types as annotations; remembers the aliases it used."""

    request_side: bool = False
    # Plain spelling (no constraints or format checks), for method signatures: the
    # request models behind them do the checking.
    plain: bool = False
    # Inside a class with a method called `list`, the builtin needs its full name.
    list_name: str = "list"
    # Enum name -> values: signatures also accept the plain literals.
    enum_literals: dict[str, tuple[str | int, ...]] | None = None
    # Models that signatures also accept as a TypedDict (collected here), and
    # each model's TypedDict (``ir.Model.param_dict``).
    param_dicts: set[str] | None = None
    param_names: Mapping[str, str] = field(default_factory=dict)
    # Where method signatures spelled by this speller's methods collect them.
    signature_param_dicts: set[str] | None = None
    aliases: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def spell(self, t: ir.TypeRef) -> str:
        match t:
            case ir.Nullable():
                return f"{self.spell(t.inner)} | None"
            case ir.ModelRef() | ir.EnumRef():
                return self._named(t)
            case ir.LiteralType():
                return _literal(t)
            case ir.ListType():
                return self._list(t)
            case ir.DictType():
                return f"dict[str, {self.spell(t.value)}]"
            case ir.UnionType():
                return self._union(t)
            case ir.Primitive():
                return self._primitive(t)
            case _:
                assert_never(t)

    def _union(self, t: ir.UnionType) -> str:
        if t.mapping and not self.plain:
            return self._tagged_union(t)
        return " | ".join(self.spell(o) for o in t.options)

    def _list(self, t: ir.ListType) -> str:
        inner = f"{self.list_name}[{self.spell(t.item)}]"
        if self.plain:
            return inner
        args = [
            f"{k}={v}"
            for k, v in (("min_length", t.min_items), ("max_length", t.max_items))
            if v is not None
        ]
        return self._annotated(inner, args)

    def _named(self, t: ir.ModelRef | ir.EnumRef) -> str:
        match t:
            case ir.EnumRef():
                values = (self.enum_literals or {}).get(t.name)
                if values:
                    literals = ", ".join(py_literal(v) for v in values)
                    return f"{t.name} | Literal[{literals}]"
            case ir.ModelRef():
                if self.param_dicts is not None:
                    self.param_dicts.add(t.name)
                    return f"{t.name} | {self.param_names[t.name]}"
            case _:
                assert_never(t)
        return t.name

    def _tagged_union(self, t: ir.UnionType) -> str:
        """The spec's discriminator: each option tagged by its spelling, picked by
        the discriminator property's value (``tagged`` in the runtime)."""
        options = [self.spell(o) for o in t.options]
        tagged = " | ".join(f"Annotated[{o}, Tag({json.dumps(o)})]" for o in options)
        table = ", ".join(
            f"{json.dumps(k)}: {json.dumps(self.spell(v))}" for k, v in t.mapping
        )
        return (
            f"Annotated[{tagged}, Discriminator(tagged("
            f"{json.dumps(t.discriminator)}, {{{table}}}))]"
        )

    def _primitive(self, t: ir.Primitive) -> str:
        special = self._special_primitive(t)
        if special is not None:
            return special
        annotated = self._annotated(PYTHON_CLASS[t.kind], _field_args(t.constraints))
        if t.kind == "str" and t.format == "uri" and self.request_side:
            return f"Annotated[{annotated}, UriFormat()]"
        return annotated

    def _special_primitive(self, t: ir.Primitive) -> str | None:
        """A primitive's spelling when it is not its Python class with
        ``Field`` constraints: Any, files, date-times, uuids and plain ones."""
        c = t.constraints
        match (t.kind, t.format):
            case ("any", _):
                return "Any"
            case ("str", "binary"):
                return self._file()
            case ("str", "date-time"):
                return "datetime" if self.plain else self._alias("DateTime", c.pattern)
            case _ if self.plain:
                return PYTHON_CLASS[t.kind]
            case ("str", "uuid") if c.pattern and c == ir.Constraints(
                pattern=c.pattern
            ):
                return self._alias("Uuid", c.pattern)
        return None

    def _file(self) -> str:
        """Files: uploads take bytes, a binary file or a (name, content[, type])
        tuple; downloads are bytes."""
        if self.plain:
            return "FileInput"
        if self.request_side:
            return "Any"
        return "bytes"

    def _annotated(self, base: str, args: list[str]) -> str:
        if not args:
            return base
        return f"Annotated[{base}, Field({', '.join(args)})]"

    def _alias(self, stem: str, pattern: str | None) -> str:
        key = (stem, pattern)
        if key not in self.aliases:
            same_stem = sum(1 for s, _ in self.aliases if s == stem)
            self.aliases[key] = stem if same_stem == 0 else f"{stem}{same_stem + 1}"
        return self.aliases[key]


def _literal(t: ir.LiteralType) -> str:
    if isinstance(t.value, float):
        return "float"  # typing.Literal takes no floats
    return f"Literal[{py_literal(t.value)}]"


def one_line(text: str) -> str:
    """Text safe inside a one-line string literal or docstring of any template."""
    plain = _CONTROL.sub(" ", text.replace("\\", "/").replace('"', "'"))
    return " ".join(plain.split()).replace(IMPORTS_MARKER, _MARKER_ESCAPED)

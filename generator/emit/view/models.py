"""Models, enums, TypedDicts and aliases as views for the type templates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ... import ir
from ...finalnames import member_names
from ...naming import enum_member, snake
from ...regexes import needs_python_re
from .types import TypeSpeller, doc_text, py_literal, str_literal


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str  # "" when required
    doc: str


@dataclass(frozen=True)
class ModelView:
    name: str
    base: str
    doc: str
    fields: list[FieldView]
    non_nullable: list[str]  # request side: explicit None is refused for these
    # Query strings documented as comma-separated lists: a sequence is joined.
    comma_lists: list[str] = field(default_factory=list)
    # Request side: sets of fields (Python names) of which one must be given.
    requires_any: str = ""
    # A field's pattern only Python's ``re`` reads (regexes.py).
    python_re: bool = False


@dataclass(frozen=True)
class MemberView:
    name: str
    value: str


@dataclass(frozen=True)
class EnumView:
    name: str
    doc: str
    members: list[MemberView]


@dataclass(frozen=True)
class ParamDictView:
    """A request model as a TypedDict, so plain dicts type-check as arguments."""

    name: str
    model: str
    fields: list[FieldView]  # default "required" or "" (not required)


def param_dict_views(
    wanted: set[str], models: dict[str, ir.Model], speller: TypeSpeller
) -> list[ParamDictView]:
    """TypedDicts for ``wanted`` models and every model their fields reach."""
    views: dict[str, ParamDictView] = {}
    while pending := sorted(wanted - set(views)):
        for name in pending:
            fields = [
                FieldView(
                    f.python_name,
                    speller.spell(f.type),
                    "required" if f.required else "",
                    doc_text(f.doc),
                )
                for f in models[name].fields
            ]
            views[name] = ParamDictView(models[name].param_dict, name, fields)
    return [views[n] for n in sorted(views)]


@dataclass(frozen=True)
class AliasView:
    name: str
    annotation: str


def holds_text(t: ir.TypeRef, text: str) -> bool:
    """Whether the Python type of ``t`` holds ``text`` as a ``str`` as it is."""
    match ir.unwrap_nullable(t):
        case ir.Primitive(kind="str", format=fmt):
            return fmt not in ("date-time", "binary")
        case ir.Primitive(kind="any"):
            return True
        case ir.LiteralType(value=value):
            return value == text
        case ir.UnionType(options=options):
            return any(holds_text(o, text) for o in options)
        case _:
            return False


def _field_default(f: ir.Field, annotation: str) -> str:
    """The ``= ...`` part of a field (empty when required)."""
    args: list[str] = []
    if f.python_name != f.wire_name:
        args.append(f"alias={str_literal(f.wire_name)}")
    if f.required:
        return f"Field({', '.join(args)})" if args else ""
    value, validate = _default_value(f) if f.has_default else ("None", False)
    if validate:
        args.append("validate_default=True")
    if not args:
        return value
    return f"Field({', '.join([f'default={value}', *args])})"


def _default_value(f: ir.Field) -> tuple[str, bool]:
    """(the Python text of a field's default, whether pydantic must validate
    it to make it the field's value)."""
    inner = ir.unwrap_nullable(f.type)
    if f.default is not None and isinstance(inner, ir.EnumRef):
        return f"{inner.name}.{enum_member(f.default)}", False  # type: ignore[arg-type]
    if isinstance(f.default, tuple):
        return py_literal(f.default), True
    if isinstance(f.default, str) and not holds_text(inner, f.default):
        # A string the field's type holds parsed (a datetime, an enum member of
        # a union): pydantic parses the text on first use.
        return f"cast(Any, {py_literal(f.default)})", True
    return py_literal(f.default), False


def model_view(m: ir.Model, speller: TypeSpeller, request_only: bool) -> ModelView:
    fields: list[FieldView] = []
    non_nullable: list[str] = []
    for f in m.fields:
        annotation = speller.spell(f.type)
        if _absent_reads_none(f):
            annotation = f"{annotation} | None"  # absent on the wire reads as None
            non_nullable.append(f.python_name)
        fields.append(
            FieldView(
                f.python_name,
                annotation,
                _field_default(f, annotation),
                doc_text(f.doc),
            )
        )
    base = "RequestModel" if request_only else "BaseModel"
    return ModelView(
        m.name,
        base,
        doc_text(m.doc) or _default_doc(m.name),
        fields,
        non_nullable if "request" in m.usage else [],
        requires_any=_requires_any(m) if "request" in m.usage else "",
        python_re=any(needs_python_re(f.type) for f in m.fields),
    )


def _absent_reads_none(f: ir.Field) -> bool:
    """An optional field that takes no None and has no other default: left
    out on the wire, it reads as None, so its annotation must allow it."""
    return (
        not f.required
        and not f.accepts_null
        and not (f.has_default and f.default is not None)
    )


def _requires_any(m: ir.Model) -> str:
    """The tuple literal of ``__requires_any__``, or ""."""
    names = {f.wire_name: f.python_name for f in m.fields}
    sets = [tuple(names[n] for n in group) for group in m.requires_any]
    return repr(tuple(sets)) if sets else ""


def _default_doc(name: str) -> str:
    return " ".join(snake(name).split("_")).capitalize() + "."


def enum_view(e: ir.Enum) -> EnumView:
    names = member_names(e.values)
    members = [
        MemberView(n, py_literal(v)) for n, v in zip(names, e.values, strict=True)
    ]
    return EnumView(e.name, doc_text(e.doc) or _default_doc(e.name), members)


def toposort_models(models: Iterable[ir.Model]) -> list[ir.Model]:
    """Dependencies first (alphabetical among equals), so no forward references."""
    by_name = {m.name: m for m in models}
    done: set[str] = set()
    out: list[ir.Model] = []

    def deps(m: ir.Model) -> list[str]:
        found: list[str] = []
        for f in m.fields:
            found.extend(
                n for n in ir.refs_in(f.type) if n in by_name and n not in found
            )
        return sorted(found)

    def visit(name: str, stack: set[str]) -> None:
        if name in done or name in stack:
            return
        stack.add(name)
        for d in deps(by_name[name]):
            visit(d, stack)
        stack.discard(name)
        done.add(name)
        out.append(by_name[name])

    for name in sorted(by_name):
        visit(name, set())
    return out

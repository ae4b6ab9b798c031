"""IR -> view: every decision about the Python text, so templates only lay it out.

A view holds ready strings (annotations, defaults, ``Field(...)`` arguments) and
plain lists; the Jinja templates loop over them and never decide anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, assert_never

from .. import ir
from ..config import Config
from ..finalnames import (
    call_arguments,
    credential_arguments,
    member_names,
    primary_scheme,
    sendable,
)
from ..naming import enum_member, sdk_names, singular, snake
from .wirerules import (
    Rule,
    field_rule,
    form_rules_literal,
    param_rule,
    rule_literal,
    styles_literal,
)

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
            case ir.LiteralType() if isinstance(t.value, float):
                return "float"  # typing.Literal takes no floats
            case ir.LiteralType():
                return f"Literal[{py_literal(t.value)}]"
            case ir.ListType():
                inner = f"{self.list_name}[{self.spell(t.item)}]"
                if self.plain:
                    return inner
                args = [
                    f"{k}={v}"
                    for k, v in (
                        ("min_length", t.min_items),
                        ("max_length", t.max_items),
                    )
                    if v is not None
                ]
                return self._annotated(inner, args)
            case ir.DictType():
                return f"dict[str, {self.spell(t.value)}]"
            case ir.UnionType() if t.mapping and not self.plain:
                return self._tagged_union(t)
            case ir.UnionType():
                return " | ".join(self.spell(o) for o in t.options)
            case ir.Primitive():
                return self._primitive(t)
            case _:
                assert_never(t)

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
        c = t.constraints
        if t.kind == "any":
            return "Any"
        if t.kind == "str" and t.format == "binary":
            # Files: uploads take bytes, a binary file or a (name, content[,
            # type]) tuple; downloads are bytes.
            if self.plain:
                return "FileInput"
            if self.request_side:
                return "Any"
            return "bytes"
        if t.kind == "str" and t.format == "date-time":
            return "datetime" if self.plain else self._alias("DateTime", c.pattern)
        if self.plain:
            return {"str": "str", "int": "int", "float": "float", "bool": "bool"}[
                t.kind
            ]
        if (
            t.kind == "str"
            and t.format == "uuid"
            and c.pattern
            and c == ir.Constraints(pattern=c.pattern)
        ):
            return self._alias("Uuid", c.pattern)
        base = {"str": "str", "int": "int", "float": "float", "bool": "bool"}[t.kind]
        args: list[str] = []
        if c.min_length is not None:
            args.append(f"min_length={c.min_length}")
        if c.max_length is not None:
            args.append(f"max_length={c.max_length}")
        if c.pattern is not None:
            args.append(f"pattern={regex_literal(c.pattern)}")
        for name in (
            "minimum",
            "maximum",
            "exclusive_minimum",
            "exclusive_maximum",
            "multiple_of",
        ):
            value = getattr(c, name)
            if value is None or (
                name in ("minimum", "maximum") and abs(value) == MAX_SAFE_INTEGER
            ):
                continue  # zod's "safe integer" bounds say nothing a user needs
            key = {
                "minimum": "ge",
                "maximum": "le",
                "exclusive_minimum": "gt",
                "exclusive_maximum": "lt",
            }.get(name, name)
            args.append(f"{key}={value!r}")
        annotated = self._annotated(base, args)
        if t.kind == "str" and t.format == "uri" and self.request_side:
            return f"Annotated[{annotated}, UriFormat()]"
        return annotated

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


# -- models and enums -----------------------------------------------------------------


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


def _holds_text(t: ir.TypeRef, text: str) -> bool:
    """Whether the Python type of ``t`` holds ``text`` as a ``str`` as it is."""
    match ir.unwrap_nullable(t):
        case ir.Primitive(kind="str", format=fmt):
            return fmt not in ("date-time", "binary")
        case ir.Primitive(kind="any"):
            return True
        case ir.LiteralType(value=value):
            return value == text
        case ir.UnionType(options=options):
            return any(_holds_text(o, text) for o in options)
        case _:
            return False


def _field_default(f: ir.Field, annotation: str) -> str:
    """The ``= ...`` part of a field (empty when required)."""
    args: list[str] = []
    if f.python_name != f.wire_name:
        args.append(f"alias={str_literal(f.wire_name)}")
    if f.required:
        return f"Field({', '.join(args)})" if args else ""
    inner = ir.unwrap_nullable(f.type)
    if f.has_default and f.default is not None and isinstance(inner, ir.EnumRef):
        value = f"{inner.name}.{enum_member(f.default)}"  # type: ignore[arg-type]
    elif f.has_default and (
        isinstance(f.default, tuple)
        or (isinstance(f.default, str) and not _holds_text(inner, f.default))
    ):
        # A list, or a string the field's type holds parsed (a datetime, an
        # enum member of a union): pydantic parses it into that type.
        value = py_literal(f.default)
        args.append("validate_default=True")
    elif f.has_default:
        value = py_literal(f.default)
    else:
        value = "None"
    if not args:
        return value
    return f"Field({', '.join([f'default={value}', *args])})"


def model_view(m: ir.Model, speller: TypeSpeller, request_only: bool) -> ModelView:
    fields: list[FieldView] = []
    non_nullable: list[str] = []
    for f in m.fields:
        annotation = speller.spell(f.type)
        if (
            not f.required
            and not f.nullable
            and not (f.has_default and f.default is not None)
        ):
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


# -- operations -----------------------------------------------------------------------


@dataclass(frozen=True)
class ArgView:
    name: str
    annotation: str  # including "| NotGiven" for optional ones
    default: str  # "" for required
    doc: str


@dataclass(frozen=True)
class AuthSchemeView:
    name: str  # the spec's scheme name
    arg: str  # the client's constructor argument for its credential
    location: str  # "header", "query" or "cookie"
    param: str  # header, query parameter or cookie name
    prefix: str  # "Bearer ", "Basic " or ""
    env: str  # the environment variable read when the argument is not given
    annotation: str = "str | None"  # the argument's type
    doc: str = ""  # its docstring line
    pair: bool = False  # http basic as a (username, password) tuple


@dataclass(frozen=True)
class MethodView:
    name: str
    http_method: str
    path_literal: str  # a string or f-string literal
    doc: str
    positional: list[ArgView]
    keyword: list[ArgView]
    params_model: ModelView | None  # validates path/query/header arguments
    param_args: list[str]
    query_names: str  # a tuple literal
    header_names: str
    split_extra: str  # more split_params arguments (cookies, styles), or ""
    body_model: str  # "" when there is no model body
    body_form: str  # form bodies: their media type, else "" (JSON)
    form_rules: str  # form bodies: FormBody's encoding argument, or ""
    body_plain: str  # other JSON bodies: the expression sent, else ""
    body_args: list[tuple[str, str]]  # (model field name, argument name)
    body_items_model: str  # batch bodies: the item model, else ""
    body_items_bounds: str  # batch bodies: ", min_items=1, max_items=100" or ""
    result_type: str
    return_annotation: str
    async_return_annotation: str
    unwrap: bool
    paginated: bool
    # The result type is no plain class (a union, list, literal): the runtime's
    # overloads give Any, so the call is cast to it.
    result_cast: str  # the type to cast to, else ""
    operation_id: str
    python_call: str
    signature: str  # for the README
    http_line: str  # "GET /v2/bots", for the README
    security: str = "None"  # its own requirement (a tuple literal), or None


@dataclass
class ResourceView:
    name: str  # attribute name, e.g. "events"
    class_name: str  # e.g. "CalendarsEvents"
    path: tuple[str, ...]
    module: str  # its file under resources/, e.g. "calendars"
    methods: list[MethodView] = field(default_factory=list)
    children: list[ResourceView] = field(default_factory=list)
    doc: str = ""


def _optional(annotation: str) -> str:
    return f"{annotation} | NotGiven"


@dataclass
class _Signature:
    """A method's arguments as they are gathered: their names, positional, keyword."""

    # (location or "body", wire name) -> the argument's final name (``finalnames``).
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    positional: list[ArgView] = field(default_factory=list)
    keyword: list[ArgView] = field(default_factory=list)


@dataclass
class _ParamsPart:
    """Where the operation's parameters go: path, query, header, cookie."""

    path_expr: str
    fields: list[ir.Field] = field(default_factory=list)
    query_names: list[str] = field(default_factory=list)
    header_names: list[str] = field(default_factory=list)
    cookie_names: list[str] = field(default_factory=list)
    styles: dict[str, Rule] = field(default_factory=dict)  # name -> wire rule
    # Python name -> wire name, where the params model cannot alias it (a clash).
    wire_names: dict[str, str] = field(default_factory=dict)
    model: ModelView | None = None


@dataclass
class _BodyPart:
    """How the request body is built from the arguments."""

    model: str = ""
    items_model: str = ""
    items_bounds: str = ""
    args: list[tuple[str, str]] = field(default_factory=list)
    plain: str = ""
    form_rules: str = ""


def method_view(
    op: ir.Operation, api: ir.Api, speller: TypeSpeller, models: dict[str, ir.Model]
) -> MethodView:
    sig = _Signature(call_arguments(op, models))
    signature = TypeSpeller(
        plain=True,
        list_name="builtins.list",
        enum_literals={e.name: e.values for e in api.enums},
        param_dicts=speller.signature_param_dicts,
        param_names={m.name: m.param_dict for m in api.models},
        aliases=speller.aliases,
    )
    params = _params_part(op, speller, signature, sig)
    body = _body_part(op, models, signature, sig)
    sig.keyword.sort(key=lambda a: a.default != "")  # required keywords first
    result_type, unwrap, paginated = _result(op, speller)
    args = [a.name for a in sig.positional] + [
        a.name + ("=..." if a.default else "") for a in sig.keyword
    ]
    return MethodView(
        name=op.method_name,
        http_method=op.http_method,
        path_literal=("f" if "{" in params.path_expr else "")
        + json.dumps(params.path_expr),
        doc=_method_doc(op) or op.operation_id,
        positional=sig.positional,
        keyword=sig.keyword,
        params_model=params.model,
        param_args=[f.python_name for f in params.fields],
        query_names=tuple_literal(params.query_names),
        header_names=tuple_literal(params.header_names),
        split_extra=_split_extra(params.cookie_names, params.styles, params.wire_names),
        body_model=body.model,
        body_form=_form_type(op.body),
        form_rules=body.form_rules,
        body_plain=body.plain,
        body_args=body.args,
        body_items_model=body.items_model,
        body_items_bounds=body.items_bounds,
        result_type=result_type,
        return_annotation=(
            f"SyncCursorPage[{result_type}]" if paginated else result_type
        ),
        async_return_annotation=(
            f"AsyncPaginator[{result_type}]" if paginated else result_type
        ),
        unwrap=unwrap,
        paginated=paginated,
        security=_security_literal(op.security, _usable_schemes(api)),
        result_cast=_result_cast(op, speller, result_type, paginated),
        operation_id=op.operation_id,
        python_call=op.python_call,
        signature=f"{op.python_call}({', '.join(args)})",
        http_line=f"{op.http_method} {op.path}",
    )


def _params_part(
    op: ir.Operation, speller: TypeSpeller, signature: TypeSpeller, sig: _Signature
) -> _ParamsPart:
    """One argument per parameter, and the params model that carries them."""
    part = _ParamsPart(path_expr=op.path)
    comma_lists: list[str] = []
    for p in op.params:
        name = sig.names[(p.location, p.wire_name)]
        annotation = signature.spell(p.type)
        if _is_comma_list(p):
            comma_lists.append(name)
            annotation = annotation.replace("str", "str | Sequence[str]", 1)
        # Two parameters with one wire name (a path and a query ``param``): the
        # private model keys them by their Python names, and split_params
        # learns the wire name of the query/header/cookie one.
        key = p.wire_name
        if sum(q.wire_name == p.wire_name for q in op.params) > 1:
            key = name
            if p.location != "path" and name != p.wire_name:
                part.wire_names[name] = p.wire_name
        part.fields.append(
            ir.Field(key, name, p.type, p.required, p.has_default, p.default, p.doc)
        )
        rule = param_rule(p)
        if p.location == "path":
            sig.positional.append(ArgView(name, annotation, "", doc_text(p.doc)))
            part.path_expr = part.path_expr.replace(
                "{" + p.wire_name + "}", "{" + _path_call(p, name, rule) + "}"
            )
            continue
        {
            "query": part.query_names,
            "header": part.header_names,
            "cookie": part.cookie_names,
        }[p.location].append(name)
        if rule is not None:
            part.styles[name] = rule
        if p.required:
            sig.keyword.append(ArgView(name, annotation, "", doc_text(p.doc)))
        elif _literal_default(p):
            # The SDK sends the spec's default, so the signature shows it.
            sig.keyword.append(
                ArgView(
                    name, annotation, _param_default(p, annotation), doc_text(p.doc)
                )
            )
        else:
            sig.keyword.append(
                ArgView(name, _optional(annotation), "NOT_GIVEN", doc_text(p.doc))
            )
    if part.fields:
        request = TypeSpeller(
            request_side=True,
            aliases=speller.aliases,
        )
        synthetic = ir.Model(op.params_model, tuple(part.fields), usage=("request",))
        part.model = replace(
            model_view(synthetic, request, request_only=True), comma_lists=comma_lists
        )
    return part


def _body_part(
    op: ir.Operation,
    models: dict[str, ir.Model],
    signature: TypeSpeller,
    sig: _Signature,
) -> _BodyPart:
    """The body's arguments: a model's fields, a list of items, or one ``body``."""
    if op.body is None:
        return _BodyPart()
    body_type = ir.unwrap_nullable(op.body.type)
    match body_type:
        case ir.ModelRef():
            return _model_body(op.body, models[body_type.name], signature, sig)
        case ir.ListType(item=ir.ModelRef(name=item)):
            return _items_body(body_type, item, sig)
        case (
            ir.ListType()
            | ir.Primitive()
            | ir.EnumRef()
            | ir.LiteralType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return _plain_body(op.body, body_type, signature, sig)
        case _:
            assert_never(body_type)


def _model_body(
    body: ir.RequestBody,
    model: ir.Model,
    signature: TypeSpeller,
    sig: _Signature,
) -> _BodyPart:
    """A model body: one keyword argument per field."""
    part = _BodyPart(model=model.name)
    if body.content_type in _FORMS:
        rules = {
            f.wire_name: field_rule(f.wire_name, f.type, body) for f in model.fields
        }
        part.form_rules = form_rules_literal({k: r for k, r in rules.items() if r})
    for f in model.fields:
        name = sig.names[("body", f.wire_name)]
        annotation = signature.spell(f.type)
        if f.required:
            sig.keyword.append(ArgView(name, annotation, "", doc_text(f.doc)))
        elif f.wire_name in body.send_defaults and _literal_default(f):
            # Always passed, so always sent: the API insists on the field.
            sig.keyword.append(
                ArgView(
                    name, annotation, _param_default(f, annotation), doc_text(f.doc)
                )
            )
        else:
            sig.keyword.append(
                ArgView(name, _optional(annotation), "NOT_GIVEN", doc_text(f.doc))
            )
        part.args.append((f.python_name, name))
    return part


def _items_body(body_type: ir.ListType, item: str, sig: _Signature) -> _BodyPart:
    """A list of models: one positional ``body`` of models or mappings."""
    bounds = "".join(
        f", {k}={v}"
        for k, v in (
            ("min_items", body_type.min_items),
            ("max_items", body_type.max_items),
        )
        if v is not None
    )
    annotation = f"Sequence[{item} | Mapping[str, Any]]"
    sig.positional.append(
        ArgView(
            "body", annotation, "", f"The items to create: {item} models or mappings."
        )
    )
    return _BodyPart(items_model=item, items_bounds=bounds)


def _plain_body(
    body: ir.RequestBody,
    body_type: ir.TypeRef,
    signature: TypeSpeller,
    sig: _Signature,
) -> _BodyPart:
    """Any other JSON shape (free-form object, map, array, union, scalar) is sent
    as given: one ``body`` argument typed by the schema."""
    annotation = signature.spell(body.type)
    if body.required:
        sig.positional.append(ArgView("body", annotation, "", "The request body."))
    else:
        sig.keyword.append(
            ArgView("body", f"{annotation} | None", "None", "The request body.")
        )
    plain = "body" if _fits_body(body_type) else "cast(Body, body)"
    media = json.dumps(body.content_type)
    if _form_type(body) and body.content_type not in _FORMS:
        plain = f"RawBody(body, {media})"
    elif _form_type(body):
        plain = f"FormBody(cast(Mapping[str, object], body), {media})"
    if _form_type(body) and not body.required:
        plain += " if body is not None else None"
    return _BodyPart(plain=plain)


def _result(op: ir.Operation, speller: TypeSpeller) -> tuple[str, bool, bool]:
    """The result's spelling, whether it is unwrapped, whether it is paginated."""
    if op.pagination is not None:
        return speller.spell(op.pagination.item_type), True, True
    if op.response is not None and op.response.type is not None:
        return speller.spell(op.response.type), op.response.unwrapped, False
    return "None", False, False


def _result_cast(
    op: ir.Operation, speller: TypeSpeller, result_type: str, paginated: bool
) -> str:
    """What the method returns, spelt with no literals or TypedDicts widening it,
    where the template must ``cast`` to it; else empty."""
    if (
        op.response is None
        or op.response.type is None
        or paginated
        or not (
            isinstance(op.response.type, ir.UnionType | ir.Nullable | ir.LiteralType)
            or result_type.startswith("Annotated[")
        )
        or _has_any_option(op.response.type)
    ):
        return ""
    return TypeSpeller(
        plain=True,
        list_name="builtins.list",
        aliases=speller.aliases,
    ).spell(op.response.type)


def _has_any_option(t: ir.TypeRef) -> bool:
    """A union with an any-value option: ``X | Any`` is what the request
    returns already, so mypy calls a cast to it redundant."""
    inner = ir.unwrap_nullable(t)
    return isinstance(inner, ir.UnionType) and ir.ANY in inner.options


def _method_doc(op: ir.Operation) -> str:
    doc = doc_text(op.summary)
    if op.doc:
        doc = (doc + "\n\n" + doc_text(op.doc)).strip()
    if op.deprecated:
        doc = ("Deprecated: the API may remove this operation.\n\n" + doc).strip()
    return doc


def _path_call(p: ir.Param, name: str, rule: Rule | None) -> str:
    if rule is None:
        return f"path_segment(params.{name})"
    # Inside an f-string: single quotes, and no backslash (Python 3.11).
    wire = p.wire_name
    spelled = (
        f"'{wire}'"
        if wire.isascii() and wire.isprintable() and not set(wire) & set("'\\\"{}")
        else f"''.join(map(chr, {tuple(map(ord, wire))}))"
    )
    rule_text = rule_literal(rule).replace('"', "'")
    return f"path_value(params.{name}, {spelled}, {rule_text})"


def _split_extra(
    cookies: list[str], styles: dict[str, Rule], wire_names: dict[str, str]
) -> str:
    cookie = f", cookie={tuple_literal(cookies)}" if cookies else ""
    names = ", ".join(
        f"{json.dumps(k)}: {str_literal(v)}" for k, v in wire_names.items()
    )
    return cookie + styles_literal(styles) + (f", names={{{names}}}" if names else "")


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _form_type(body: ir.RequestBody | None) -> str:
    if body is None or body.content_type == "application/json":
        return ""
    return body.content_type


def _fits_body(t: ir.TypeRef) -> bool:
    """Whether the runtime's ``Body`` (model, mapping, sequence) takes ``t`` as is."""
    match t:
        case ir.ModelRef() | ir.DictType() | ir.ListType():
            return True
        case ir.UnionType():
            return all(_fits_body(o) for o in t.options)
        case ir.Primitive():  # a str with a format may be a datetime, a date
            return t.kind == "any" or (t.kind == "str" and t.format is None)
        case ir.EnumRef() | ir.LiteralType() | ir.Nullable():
            return False
        case _:
            assert_never(t)


def _is_comma_list(p: ir.Param) -> bool:
    """A string query parameter whose spec text says it takes a comma-separated list."""
    inner = ir.unwrap_nullable(p.type)
    return (
        p.location == "query"
        and isinstance(inner, ir.Primitive)
        and inner.kind == "str"
        and inner.format is None
        and "comma-separated" in p.doc.lower()
    )


def _literal_default(p: ir.Param | ir.Field) -> bool:
    """A default the signature can show as a plain literal (not an object/list)."""
    enum = isinstance(ir.unwrap_nullable(p.type), ir.EnumRef)  # Enum.MEMBER
    if isinstance(p.default, str) and not enum and not _holds_text(p.type, p.default):
        return False  # a datetime, an enum of a union: the model parses it
    return p.has_default and p.default is not None and not isinstance(p.default, tuple)


def _param_default(p: ir.Param | ir.Field, annotation: str) -> str:
    inner = ir.unwrap_nullable(p.type)
    if isinstance(inner, ir.EnumRef) and isinstance(p.default, str | int):
        return f"{inner.name}.{enum_member(p.default)}"
    return py_literal(p.default)


def resource_tree(api: ir.Api, speller: TypeSpeller) -> list[ResourceView]:
    """The resources as the naming pass named them, each with its methods."""
    models = {m.name: m for m in api.models}
    by_path = {
        r.path: ResourceView(r.path[-1], r.class_name, r.path, module=r.module)
        for r in api.resources
    }
    for op in sorted(api.operations, key=lambda o: (o.resource, o.method_name)):
        by_path[op.resource].methods.append(method_view(op, api, speller, models))
    for path in sorted(by_path):
        view = by_path[path]
        if len(path) > 1:
            by_path[path[:-1]].children.append(view)
        words = [singular(p) for p in path[:-1]] + [path[-1].replace("_", " ")]
        view.doc = " ".join(["Operations on", *words]) + "."
    return [by_path[p] for p in sorted(by_path) if len(p) == 1]


def walk(resources: list[ResourceView]) -> Iterable[ResourceView]:
    for r in resources:
        yield r
        yield from walk(r.children)


@dataclass(frozen=True)
class SdkView:
    package: str
    distribution: str
    version: str
    generator_version: str
    spec_sha256: str
    title: str
    api_version: str
    base_url: str
    api_key_header: str
    models: list[ModelView]
    enums: list[EnumView]
    aliases: list[AliasView]
    resources: list[ResourceView]
    events: list[tuple[str, str, str]]  # (event, kind, model), const-keyed only
    event_models: list[str]
    # kind -> the properties whose const picks a model, in lookup order.
    event_keys: dict[str, list[str]] = field(default_factory=dict)
    # kind -> [(webhook/callback name, models tried in spec order)].
    event_names: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    # kind -> models with no const, tried in order when no key is in a payload.
    keyless_models: dict[str, list[str]] = field(default_factory=dict)
    callback_models: list[str] = field(default_factory=list)  # CallbackEvent
    env_prefix: str = "MEETING_BAAS"
    api_key_in: str = "header"
    api_key_prefix: str = ""
    client_name: str = "MeetingBaas"
    # The Meeting BaaS SDK keeps its hand-written README and examples.
    meeting_baas: bool = True
    example: str = ""  # a call of the first operation, for docs
    param_dicts: list[ParamDictView] = field(default_factory=list)
    # Several security schemes: each credential, and the default requirement.
    auth_schemes: list[AuthSchemeView] = field(default_factory=list)
    default_security: str = "None"
    # How webhooks are signed ("standard-webhooks": the SDK verifies them, or
    # "none"), and the header callbacks echo their secret in ("": none).
    webhook_signature: str = "none"
    callback_secret_header: str = ""


def build_view(
    api: ir.Api, config: Config, spec_sha256: str, generator_version: str
) -> SdkView:
    model_speller = TypeSpeller()
    enums = [enum_view(e) for e in api.enums]
    models = []
    for m in toposort_models(api.models):
        request_only = m.usage == ("request",)
        speller = TypeSpeller(
            request_side=request_only,
            aliases=model_speller.aliases,
        )
        models.append(model_view(m, speller, request_only))
    resource_speller = TypeSpeller(
        list_name="builtins.list",
        aliases=model_speller.aliases,
        signature_param_dicts=set(),
    )
    resources = resource_tree(api, resource_speller)
    dict_speller = TypeSpeller(
        plain=True,
        enum_literals={e.name: e.values for e in api.enums},
        param_dicts=resource_speller.signature_param_dicts,
        param_names={m.name: m.param_dict for m in api.models},
        aliases=model_speller.aliases,
    )
    param_dicts = param_dict_views(
        resource_speller.signature_param_dicts or set(),
        {m.name: m for m in api.models},
        dict_speller,
    )
    aliases = _alias_views(model_speller.aliases)
    header, key_in, key_prefix = _auth_placement(api.auth)
    meeting_baas = config.package == "meetingbaas"
    _, client_name, env_prefix = sdk_names(api.title)
    return SdkView(
        env_prefix="MEETING_BAAS" if meeting_baas else env_prefix,
        client_name="MeetingBaas" if meeting_baas else client_name,
        meeting_baas=meeting_baas,
        example=_example(resources),
        package=config.package,
        distribution=config.distribution,
        version=config.sdk_version,
        generator_version=generator_version,
        spec_sha256=spec_sha256,
        title=_one_line(api.title),
        api_version=_one_line(api.version),
        base_url=_one_line(api.servers[0].url) if api.servers else "http://localhost",
        api_key_header=header,
        api_key_in=key_in,
        api_key_prefix=key_prefix,
        models=models,
        enums=enums,
        aliases=aliases,
        resources=resources,
        events=[(e.event, e.kind, e.type.name) for e in api.events if e.key],
        **_event_lookups(api.events),
        event_models=sorted(
            {e.type.name for e in api.events}, key=lambda n: (n.lower(), n)
        ),
        param_dicts=param_dicts,
        auth_schemes=_auth_schemes(api, "MEETING_BAAS" if meeting_baas else env_prefix),
        default_security=_security_literal(api.security, _usable_schemes(api)),
        webhook_signature=config.webhook_signature or api.webhook_signature or "none",
        callback_secret_header=config.callback_secret_header,
    )


def _alias_views(aliases: dict[tuple[str, str | None], str]) -> list[AliasView]:
    out: list[AliasView] = []
    for (stem, pattern), name in sorted(aliases.items(), key=lambda kv: kv[1]):
        if stem == "DateTime":
            arg = f"pattern={regex_literal(pattern)}" if pattern else ""
            out.append(AliasView(name, f"Annotated[datetime, ZuluDateTime({arg})]"))
        else:
            out.append(
                AliasView(
                    name,
                    f"Annotated[str, Field(pattern={regex_literal(pattern or '')})]",
                )
            )
    return out


def _example(resources: list[ResourceView]) -> str:
    """The first operation (by name) as a call with placeholder arguments."""
    methods = sorted(
        (m for r in walk(resources) for m in r.methods), key=lambda m: m.python_call
    )
    if not methods:
        return ""
    m = methods[0]
    args = [a.name for a in m.positional] + [
        f"{a.name}=..." for a in m.keyword if not a.default
    ]
    return f"{m.python_call}({', '.join(args)})"


def _one_line(text: str) -> str:
    """Text safe inside a one-line string literal or docstring of any template."""
    plain = _CONTROL.sub(" ", text.replace("\\", "/").replace('"', "'"))
    return " ".join(plain.split()).replace(IMPORTS_MARKER, _MARKER_ESCAPED)


def _auth_placement(schemes: tuple[ir.AuthScheme, ...]) -> tuple[str, str, str]:
    """(name, "header"/"query"/"cookie", header prefix) of the key the client
    sends: the first apiKey header scheme, else the first scheme it can send.
    OAuth2 and OpenID Connect tokens go as bearer tokens."""
    first = _primary_scheme(schemes)
    found = _placement(first) if first else None
    return found or ("Authorization", "header", "")


def _primary_scheme(schemes: tuple[ir.AuthScheme, ...]) -> ir.AuthScheme | None:
    """The scheme ``api_key`` is the credential of."""
    return primary_scheme(schemes)


def _placement(a: ir.AuthScheme) -> tuple[str, str, str] | None:
    if not sendable(a):
        return None
    if a.kind == "apiKey":
        return _one_line(a.param_name) or "Authorization", a.location, ""
    if a.kind == "http":
        return "Authorization", "header", a.scheme.capitalize() + " "
    return "Authorization", "header", "Bearer "  # OAuth 2 / OpenID Connect


def _per_scheme(api: ir.Api) -> bool:
    """Whether each call picks its credentials (``AUTH_SCHEMES``): several
    schemes, or one that some operation does without (``security: []``)."""
    usable = [a for a in api.auth if sendable(a)]
    anonymous = any(op.security == () for op in api.operations)
    return len(usable) > 1 or (len(usable) == 1 and anonymous)


def _auth_schemes(api: ir.Api, env_prefix: str) -> list[AuthSchemeView]:
    """Every scheme the client can send, when each call picks its credentials
    (otherwise the ``API_KEY_*`` constants say it all)."""
    if not _per_scheme(api):
        return []
    args = credential_arguments(api.auth)
    views: list[AuthSchemeView] = []
    envs: set[str] = set()
    for a in api.auth:
        placed = _placement(a)
        if placed is None:
            continue
        param, where, prefix = placed
        arg = args[a.name]
        env = f"{env_prefix}_{arg.strip('_').upper()}"
        while env in envs:  # "timeout_" and "timeout__" want one variable
            env += "_"
        envs.add(env)
        pair = prefix == "Basic " and arg != "api_key"
        views.append(
            AuthSchemeView(
                name=a.name,
                arg=arg,
                location=where,
                param=param,
                prefix=prefix,
                env=env,
                annotation="tuple[str, str] | None" if pair else "str | None",
                doc=_credential_doc(a, param, arg == "api_key", env),
                pair=pair,
            )
        )
    views.sort(key=lambda v: v.arg != "api_key")  # api_key first, as on every client
    return views


def _credential_doc(a: ir.AuthScheme, param: str, primary: bool, env: str) -> str:
    """One docstring line: what the credential is, where it goes, its env var."""
    where = {"header": "header", "query": "query parameter", "cookie": "cookie"}
    fallback = f"``{env}``"
    if a.kind == "apiKey":
        what = f"API key sent in the ``{param}`` {where.get(a.location, '')}"
    elif a.kind == "http" and a.scheme.lower() == "basic":
        pair = "``user:password``" if primary else "``(username, password)``"
        what = f"{pair} for HTTP basic auth"
        fallback += " (``user:password``)"
    elif a.kind == "http":
        what = "bearer token"
    else:
        what = "access token, sent as a bearer token"
    return f"{what} (scheme ``{_one_line(a.name)}``); else {fallback}."


def _security_literal(
    security: tuple[tuple[str, ...], ...] | None, usable: set[str]
) -> str:
    """The alternatives the client can send (a scheme it cannot send, such as
    mutualTLS, rules its alternative out); "None" for the default."""
    if security is None:
        return "None"
    kept = tuple(a for a in security if set(a) <= usable)
    return "None" if security and not kept else repr(kept)


def _usable_schemes(api: ir.Api) -> set[str]:
    return {a.name for a in api.auth if _placement(a)}


def _event_lookups(events: tuple[ir.WebhookEvent, ...]) -> dict[str, Any]:
    """How ``webhooks.parse`` finds a payload's model, per kind: by a const
    property (``event`` first), by the name given, or by trying keyless ones."""
    keys: dict[str, list[str]] = {"webhook": [], "callback": []}
    names: dict[str, dict[str, list[str]]] = {"webhook": {}, "callback": {}}
    keyless: dict[str, list[str]] = {"webhook": [], "callback": []}
    for e in events:
        model = e.type.name
        if e.key and e.key not in keys[e.kind]:
            keys[e.kind].append(e.key)
        if e.name:
            named = names[e.kind].setdefault(e.name, [])
            if model not in named:
                named.append(model)
        if not e.key and model not in keyless[e.kind]:
            keyless[e.kind].append(model)
    for found in keys.values():
        found.sort(key=lambda k: (k != "event", k))
    return {
        "event_keys": keys,
        "event_names": {k: sorted(v.items()) for k, v in names.items()},
        "keyless_models": keyless,
        "callback_models": list(
            dict.fromkeys(e.type.name for e in events if e.kind == "callback")
        ),
    }

"""Operations as method views, and the resource tree that holds them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import assert_never

from ... import ir
from ...finalnames import call_arguments
from ...naming import enum_member, singular
from ..filters import comma_list_items
from ..wirerules import (
    Rule,
    field_rule,
    form_rules_literal,
    param_rule,
    rule_literal,
    styles_literal,
)
from .auth import security_literal, usable_schemes
from .models import ModelView, holds_text, model_view
from .types import TypeSpeller, doc_text, py_literal, str_literal, tuple_literal


@dataclass(frozen=True)
class ArgView:
    name: str
    annotation: str  # including "| NotGiven" for optional ones
    default: str  # "" for required
    doc: str


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
    security: str | None = None  # its own requirement (a tuple literal), or None

    @property
    def documented_args(self) -> list[ArgView]:
        """What the docstring's ``Args:`` lists: the arguments with a doc."""
        return [a for a in self.positional + self.keyword if a.doc]


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
    signature = _signature_speller(api, speller)
    params = _params_part(op, speller, signature, sig)
    body = _body_part(op, models, signature, sig)
    sig.keyword.sort(key=lambda a: a.default != "")  # required keywords first
    result_type, unwrap, paginated = _result(op, speller)
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
        security=security_literal(op.security, usable_schemes(api)),
        result_cast=_result_cast(op, speller, result_type, paginated),
        operation_id=op.operation_id,
        python_call=op.python_call,
        signature=_call_example(op, sig),
        http_line=f"{op.http_method} {op.path}",
    )


def _signature_speller(api: ir.Api, speller: TypeSpeller) -> TypeSpeller:
    """Spells a method's arguments: plain, and taking enums' literals and
    models' TypedDicts too."""
    return TypeSpeller(
        plain=True,
        list_name="builtins.list",
        enum_literals={e.name: e.values for e in api.enums},
        param_dicts=speller.signature_param_dicts,
        param_names={m.name: m.param_dict for m in api.models},
        aliases=speller.aliases,
    )


def _call_example(op: ir.Operation, sig: _Signature) -> str:
    """The call with its arguments' names (``=...`` for optional ones)."""
    args = [a.name for a in sig.positional] + [
        a.name + ("=..." if a.default else "") for a in sig.keyword
    ]
    return f"{op.python_call}({', '.join(args)})"


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
            annotation = _comma_list_annotation(p, annotation, signature)
        key = _model_key(p, name, op.params, part.wire_names)
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
        sig.keyword.append(_keyword_arg(p, name, annotation))
    if part.fields:
        part.model = _params_model(op, part.fields, speller, comma_lists)
    return part


def _model_key(
    p: ir.Param, name: str, params: tuple[ir.Param, ...], wire_names: dict[str, str]
) -> str:
    """The params model's key of ``p``: its wire name, unless two parameters
    share it (a path and a query ``param``); then the model keys them by their
    Python names, and split_params learns (in ``wire_names``) the wire name of
    the query/header/cookie one."""
    if sum(q.wire_name == p.wire_name for q in params) <= 1:
        return p.wire_name
    if p.location != "path" and name != p.wire_name:
        wire_names[name] = p.wire_name
    return name


def _params_model(
    op: ir.Operation,
    fields: list[ir.Field],
    speller: TypeSpeller,
    comma_lists: list[str],
) -> ModelView:
    """The private model that validates an operation's parameters."""
    request = TypeSpeller(
        request_side=True,
        aliases=speller.aliases,
    )
    synthetic = ir.Model(op.params_model, tuple(fields), usage=("request",))
    return replace(
        model_view(synthetic, request, request_only=True), comma_lists=comma_lists
    )


def _keyword_arg(p: ir.Param, name: str, annotation: str) -> ArgView:
    """The keyword argument of a query, header or cookie parameter."""
    if p.required:
        return ArgView(name, annotation, "", doc_text(p.doc))
    if _literal_default(p):
        # The SDK sends the spec's default, so the signature shows it.
        default = _param_default(p, annotation)
        return ArgView(name, annotation, default, doc_text(p.doc))
    return ArgView(name, _optional(annotation), "NOT_GIVEN", doc_text(p.doc))


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


def _comma_list_annotation(p: ir.Param, annotation: str, signature: TypeSpeller) -> str:
    """One item or a sequence of them: the named values when the spec's text
    names them all, else any string."""
    item_type = comma_list_items(p.doc, signature.enum_literals or {})
    if item_type is None:
        return annotation.replace("str", "str | Sequence[str]", 1)
    item = signature.spell(item_type)
    if isinstance(item_type, ir.UnionType):  # Literal["a"] | Literal["b"] as one
        item = "Literal[" + ", ".join(o[8:-1] for o in item.split(" | ")) + "]"
    return annotation.replace("str", f"{item} | Sequence[{item}]", 1)


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
    if isinstance(p.default, str) and not enum and not holds_text(p.type, p.default):
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

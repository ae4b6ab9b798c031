"""Which OpenAPI serialization rule each parameter and form field follows.

The runtime (``templates/runtime/_serialize.py``) applies a rule; this module
decides it from the spec, once: a parameter's ``style``/``explode``/
``allowReserved`` with the location's defaults, a form field's ``encoding``
entry with the media type's defaults. A value that is a plain scalar gets no
rule: every style sends it as its text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from .. import ir

# (style, explode, allowReserved)
Rule = tuple[str, bool, bool]
# (style, explode, allowReserved, contentType)
FieldRule = tuple[str, bool, bool, str]

_DEFAULT_STYLE = {
    "query": "form",
    "cookie": "form",
    "path": "simple",
    "header": "simple",
}
_FORM_URLENCODED = "application/x-www-form-urlencoded"
_JSON = "application/json"


def is_scalar(t: ir.TypeRef) -> bool:
    """A value every style sends as its text (a string, number, enum, file)."""
    match ir.unwrap_nullable(t):
        case ir.Primitive(kind=kind):
            return kind != "any"
        case ir.EnumRef() | ir.LiteralType():
            return True
        case ir.UnionType(options=options):
            return all(is_scalar(o) for o in options)
        case _:
            return False


def param_rule(p: ir.Param) -> Rule | None:
    """The rule of a parameter whose value is not a plain scalar, or that
    keeps reserved characters, or sits in a label/matrix path segment."""
    style = p.style or _DEFAULT_STYLE[p.location]
    explode = p.explode if p.explode is not None else style == "form"
    reserved = p.allow_reserved and p.location == "query"
    if is_scalar(p.type) and not reserved and style not in ("label", "matrix"):
        return None
    return (style, explode, reserved)


def field_rule(wire_name: str, t: ir.TypeRef, body: ir.RequestBody) -> FieldRule | None:
    """The rule of one form field: its ``encoding`` entry, else the media
    type's default (form-urlencoded: ``form``, exploded; multipart: objects
    as ``application/json`` parts, everything else as text or a file)."""
    given = dict(body.encoding).get(wire_name, ir.Encoding())
    if body.content_type == _FORM_URLENCODED:
        return _urlencoded_rule(t, given)
    if given.style:  # OpenAPI 3.1.1: style applies to multipart too
        explode = given.explode if given.explode is not None else given.style == "form"
        return (given.style, explode, False, "")
    if given.content_type:
        return ("", False, False, given.content_type)
    inner = ir.unwrap_nullable(t)
    if isinstance(inner, ir.ListType):
        inner = ir.unwrap_nullable(inner.item)  # one part per item (RFC 7578)
    return None if is_scalar(inner) else ("", False, False, _JSON)


def _urlencoded_rule(t: ir.TypeRef, given: ir.Encoding) -> FieldRule | None:
    """A form-urlencoded field's rule: ``form``, exploded, unless its
    ``encoding`` entry says otherwise."""
    if given.content_type and not given.style:
        return ("", False, given.allow_reserved, given.content_type)
    style = given.style or "form"
    explode = given.explode if given.explode is not None else style == "form"
    if is_scalar(t) and not given.allow_reserved:
        return None
    return (style, explode, given.allow_reserved, "")


def styles_literal(rules: Mapping[str, Rule]) -> str:
    """``split_params``'s ``styles=`` argument, or "" when none is needed."""
    if not rules:
        return ""
    return ", styles={" + ", ".join(_entry(k, v) for k, v in rules.items()) + "}"


def form_rules_literal(rules: Mapping[str, FieldRule]) -> str:
    """``FormBody``'s ``encoding`` argument, or "" when none is needed."""
    if not rules:
        return ""
    return ", {" + ", ".join(_entry(k, v) for k, v in rules.items()) + "}"


def rule_literal(rule: Rule | FieldRule) -> str:
    return (
        "("
        + ", ".join(json.dumps(x) if isinstance(x, str) else str(x) for x in rule)
        + ")"
    )


def _entry(key: str, rule: Rule | FieldRule) -> str:
    return f"{json.dumps(key)}: {rule_literal(rule)}"

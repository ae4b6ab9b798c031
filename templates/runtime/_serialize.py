"""OpenAPI's serialization rules: how a parameter or a form field goes on the wire.

Each value comes with its rule, decided by the generator from the spec:
``(style, explode, allow_reserved)`` for parameters and, for form fields, a
fourth item, the part's media type (``encoding.contentType``; "" for text or
a file). A value with no rule is a scalar and is sent as its text. Unset
fields are left out and ``None`` is never sent as text.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias
from urllib.parse import quote

import pydantic

from ._types import FormBody, NotGiven

__all__ = [
    "Encoded",
    "form_content",
    "path_value",
    "plain",
    "query_string",
    "split_params",
]

# (style, explode, allowReserved)
Rule: TypeAlias = tuple[str, bool, bool]
# (style, explode, allowReserved, contentType): a form field's rule
FieldRule: TypeAlias = tuple[str, bool, bool, str]

# RFC 3986's reserved characters that ``allowReserved`` leaves as they are;
# "#" would end the URL's query, so it is encoded even then.
_RESERVED = ":/?[]@!$&'()*+,;="
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}
_ENCODED_SEP = {" ": "%20"}


class Encoded(str):
    """A query value already percent-encoded (its delimiters are literal)."""

    __slots__ = ()


def _escape(text: str, allow_reserved: bool) -> str:
    return quote(text, safe=_RESERVED if allow_reserved else "")


def _skip(value: object) -> bool:
    return value is None or isinstance(value, NotGiven)


def plain(value: object) -> Any:
    """JSON-ready data: models by alias with only the fields set, enums as
    their values, date-times in UTC with ``Z``."""
    if isinstance(value, pydantic.BaseModel):
        fields = type(value).model_fields
        return {
            fields[n].alias or n: plain(getattr(value, n))
            for n in fields
            if n in value.model_fields_set
        }
    if isinstance(value, Mapping):
        return {
            str(k): plain(v) for k, v in value.items() if not isinstance(v, NotGiven)
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, dt.datetime):
        # A naive datetime is local time (as astimezone reads it), never UTC.
        text = value.astimezone(dt.UTC).isoformat()
        return text.removesuffix("+00:00") + "Z"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def text(value: object) -> str:
    """A scalar as the text the API reads: no JSON quotes, booleans lower case."""
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _flat(value: object) -> list[tuple[str, Any]]:
    """An object's (key, value) pairs, None values left out."""
    if isinstance(value, dict):
        return [(k, v) for k, v in value.items() if not _skip(v)]
    return []


def _items(value: list[Any]) -> list[Any]:
    return [v for v in value if not _skip(v)]


def _brackets(name: str, value: object) -> list[tuple[str, object]]:
    """``name[key]`` and ``name[0]`` pairs down to the scalars (deepObject;
    arrays by index, as Stripe and Rails read them)."""
    if isinstance(value, dict):
        return [p for k, v in _flat(value) for p in _brackets(f"{name}[{k}]", v)]
    if isinstance(value, list):
        return [
            p
            for i, v in enumerate(value)
            if not _skip(v)
            for p in _brackets(f"{name}[{i}]", v)
        ]
    return [(name, value)]


# A pair's key, its texts and what joins them (one text for most pairs).
Pair: TypeAlias = tuple[str, list[str], str]


def _nested(value: object) -> bool:
    inner = value.values() if isinstance(value, dict) else value
    return (
        isinstance(inner, Iterable)
        and not isinstance(inner, str)
        and any(isinstance(v, dict | list) for v in inner)
    )


def _pairs(name: str, data: object, style: str, explode: bool) -> list[Pair]:
    """The ``key=value`` pairs of one value in a query/form style, unencoded."""
    if _skip(data):
        return []
    sep = _DELIMITERS.get(style, ",")
    if style == "deepObject":
        return [(k, [text(v)], "") for k, v in _brackets(name, data)]
    if _nested(data):
        # Not defined by the spec for form styles: brackets keep them apart.
        return [(k, [text(v)], "") for k, v in _brackets(name, data)]
    if isinstance(data, list):
        if explode:
            return [(name, [text(v)], "") for v in _items(data)]
        return [(name, [text(v) for v in _items(data)], sep)]
    if isinstance(data, dict):
        if explode:
            return [(k, [text(v)], "") for k, v in _flat(data)]
        return [(name, [x for k, v in _flat(data) for x in (k, text(v))], sep)]
    return [(name, [text(data)], "")]


def form_pairs(name: str, value: object, rule: Rule) -> list[tuple[str, Encoded]]:
    """``name=value`` pairs of a query parameter or form field: keys raw,
    values percent-encoded with their delimiters left literal."""
    style, explode, reserved = rule
    return [
        (
            key,
            Encoded(
                _ENCODED_SEP.get(sep, sep).join(_escape(t, reserved) for t in texts)
            ),
        )
        for key, texts, sep in _pairs(name, plain(value), style, explode)
    ]


def query_string(items: Mapping[str, object]) -> str:
    """The query: ``Encoded`` values as they are, anything else encoded here
    (lists repeat their key; None and NOT_GIVEN are left out)."""
    out: list[str] = []
    for key, value in items.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if _skip(item):
                continue
            encoded = item if isinstance(item, Encoded) else _escape(text(item), False)
            out.append(f"{_escape(key, False)}={encoded}")
    return "&".join(out)


def simple_text(value: object, explode: bool, reserved: bool = False) -> str:
    """``simple`` style (headers, path): ``a,b``; objects ``k,v`` or ``k=v``."""
    data = plain(value)
    if isinstance(data, list):
        return ",".join(_escape_if(text(v), reserved) for v in data if not _skip(v))
    if isinstance(data, dict):
        sep = "=" if explode else ","
        return ",".join(
            f"{_escape_if(k, reserved)}{sep}{_escape_if(text(v), reserved)}"
            for k, v in _flat(data)
        )
    return _escape_if(text(data), reserved)


def _escape_if(text_: str, escape: bool) -> str:
    return quote(text_, safe="") if escape else text_


def path_value(value: object, name: str, rule: Rule) -> str:
    """A path parameter in its style (simple, label, matrix), percent-encoded
    so that it stays in its segment."""
    style, explode, _ = rule
    data = plain(value)
    if style == "label":
        sep = "." if explode else ","
        pieces = _pieces(data, explode)
        return "." + sep.join(pieces)
    if style == "matrix":
        if isinstance(data, list) and explode:
            return "".join(f";{name}={p}" for p in _pieces(data, False))
        if isinstance(data, dict) and explode:
            return "".join(f";{p}" for p in _pieces(data, True))
        return f";{name}=" + ",".join(_pieces(data, False))
    text_ = simple_text(data, explode, reserved=True)
    # "." and ".." alone would be read as "this" or "parent" folder.
    return text_.replace(".", "%2E") if text_ in (".", "..") else text_


def _pieces(data: object, pair: bool) -> list[str]:
    """Percent-encoded items of an array, ``k=v`` (pair) or ``k,v`` items of an
    object, or the one scalar."""
    if isinstance(data, list):
        return [quote(text(v), safe="") for v in data if not _skip(v)]
    if isinstance(data, dict):
        return [
            x
            for k, v in _flat(data)
            for x in (
                [f"{quote(k, safe='')}={quote(text(v), safe='')}"]
                if pair
                else [quote(k, safe=""), quote(text(v), safe="")]
            )
        ]
    return [quote(text(data), safe="")]


def split_params(
    params: pydantic.BaseModel,
    *,
    query: Iterable[str] = (),
    header: Iterable[str] = (),
    cookie: Iterable[str] = (),
    styles: Mapping[str, Rule] | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[dict[str, object], dict[str, str]]:
    """Query and header values of a params model, keyed by wire name.

    ``styles`` holds the rule of each argument that is not a plain scalar;
    ``names`` the wire names the model cannot alias (two parameters share one);
    ``cookie`` values join one ``Cookie`` header, ``; `` apart.
    """
    if not query and not header and not cookie:
        return {}, {}  # path parameters only
    fields = type(params).model_fields
    rules = styles or {}

    def wire(n: str) -> str:
        return (names or {}).get(n) or fields[n].alias or n

    def value(n: str) -> object:
        return getattr(params, n)  # a default the caller left is sent too

    query_values: dict[str, object] = {}
    for n in query:
        rule = rules.get(n, ("form", True, False))
        for key, item in form_pairs(wire(n), value(n), rule):
            if key in query_values:  # an exploded array: the key repeats
                before = query_values[key]
                query_values[key] = (
                    [*before, item] if isinstance(before, list) else [before, item]
                )
            else:
                query_values[key] = item
    headers = {
        wire(n): simple_text(value(n), rules.get(n, ("simple", False, False))[1])
        for n in header
        if value(n) is not None
    }
    cookies = [
        f"{k}={v}"
        for n in cookie
        for k, v in form_pairs(wire(n), value(n), rules.get(n, ("form", True, False)))
    ]
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return query_values, headers


def form_content(body: FormBody) -> tuple[bytes | None, list[tuple[str, Any]] | None]:
    """A form body: (urlencoded bytes, None), or (None, multipart parts in
    the fields' order, for httpx's ``files``)."""
    rules: Mapping[str, FieldRule] = body.encoding or {}
    fields = _fields(body.fields)
    if not body.content_type.startswith("multipart/"):
        pairs = [
            pair
            for name, value in fields
            for pair in _urlencoded(name, value, rules.get(name))
        ]
        return "&".join(f"{_escape(k, False)}={v}" for k, v in pairs).encode(), None
    return None, [part for n, v in fields for part in _parts(n, v, rules.get(n))]


def _fields(fields: pydantic.BaseModel | Mapping[str, object]) -> list[tuple[str, Any]]:
    if isinstance(fields, pydantic.BaseModel):
        # Attribute values, not a dump: open files must reach httpx as they are.
        model_fields = type(fields).model_fields
        return [
            (model_fields[n].alias or n, getattr(fields, n))
            for n in model_fields
            if n in fields.model_fields_set and not _skip(getattr(fields, n))
        ]
    return [(n, v) for n, v in fields.items() if not _skip(v)]


def _is_json(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _urlencoded(
    name: str, value: object, rule: FieldRule | None
) -> list[tuple[str, Encoded]]:
    style, explode, reserved, media = rule or ("form", True, False, "")
    if not style and _is_json(media):
        data = json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)
        return [(name, Encoded(_escape(data, reserved)))]
    return form_pairs(name, value, (style or "form", explode, reserved))


def _parts(name: str, value: object, rule: FieldRule | None) -> list[tuple[str, Any]]:
    """Multipart parts: files as given, JSON parts, text parts."""
    style, explode, _, media = rule or ("", True, False, "")
    if _is_file(value):
        if media and not isinstance(value, tuple):
            return [(name, ("upload", value, media))]
        return [(name, value)]
    if style:
        return [
            (key, (None, sep.join(texts).encode()))
            for key, texts, sep in _pairs(name, plain(value), style, explode)
        ]
    if isinstance(value, list | tuple):
        # RFC 7578: an array is one part per item, under the same name.
        return [p for item in _items(list(value)) for p in _parts(name, item, rule)]
    if _is_json(media):
        data = json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)
        return [(name, (None, data.encode(), media))]
    if media:
        return [(name, (None, text(value).encode(), media))]
    return [(name, (None, text(value).encode()))]


def _is_file(value: object) -> bool:
    if isinstance(value, bytes | bytearray) or hasattr(value, "read"):
        return True
    return (
        isinstance(value, tuple)
        and len(value) in (2, 3)
        and isinstance(value[0], str)
        and (isinstance(value[1], bytes) or hasattr(value[1], "read"))
    )

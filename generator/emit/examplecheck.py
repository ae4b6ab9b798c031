"""Whether a spec's example value fits its type in the IR, for the fake API.

An example the fake answers with must parse with the SDK under strict
validation and pass the spec's schema: the checks here are the IR's (kinds,
formats, constraints, enums, required fields, list bounds, union options),
so an example that fails one is left for generated values and warned about.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import math
import operator
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, time
from typing import Any

from .. import ir

_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)
_TIME = re.compile(r"(\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")
_HOSTNAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9-]+)*")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_time(text: str) -> bool:
    found = _TIME.fullmatch(text)
    if found is None:
        return False
    try:
        time.fromisoformat(found.group(1))
    except ValueError:
        return False
    return True


def _is_date_time(text: str) -> bool:
    found = _DATE_TIME.fullmatch(text)
    return found is not None and _is_date(found.group(1)) and _is_time(found.group(2))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def _is_ip(version: int) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            return ipaddress.ip_address(text).version == version
        except ValueError:
            return False

    return check


def _is_byte(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


# What a string of each format must look like (formats not here: any string).
FORMAT_CHECKS: Mapping[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "time": _is_time,
    "uuid": _is_uuid,
    "email": lambda t: _EMAIL.fullmatch(t) is not None,
    "uri": lambda t: _URI.fullmatch(t) is not None,
    "url": lambda t: _URI.fullmatch(t) is not None,
    "hostname": lambda t: _HOSTNAME.fullmatch(t) is not None,
    "ipv4": _is_ip(4),
    "ipv6": _is_ip(6),
    "byte": _is_byte,
}


class ExampleChecker:
    """Checks JSON values against the IR's types of one API."""

    def __init__(self, api: ir.Api) -> None:
        self._models = {m.name: m for m in api.models}
        self._enums = {e.name: e for e in api.enums}

    def problem(self, value: Any, t: ir.TypeRef, at: str = "") -> str | None:
        """Why ``value`` is no value of ``t`` (where in it, and what), or None."""
        match t:
            case ir.Nullable():
                return None if value is None else self.problem(value, t.inner, at)
            case ir.Primitive():
                return _primitive(value, t, at)
            case ir.LiteralType():
                return _literal(value, t, at)
            case ir.EnumRef():
                return self._enum(value, t.name, at)
            case ir.ListType():
                return self._list(value, t, at)
            case ir.DictType():
                return self._dict(value, t, at)
            case ir.UnionType():
                return self._union(value, t, at)
            case ir.ModelRef():
                return self._model(value, t.name, at)
        raise AssertionError(f"unknown type {t!r}")

    def _enum(self, value: Any, name: str, at: str) -> str | None:
        """An enum the API does not define accepts anything (as the SDK does)."""
        enum = self._enums.get(name)
        if enum is None or (value in enum.values and not isinstance(value, bool)):
            return None
        return f"{at or '/'}: {value!r:.60} is not one of {list(enum.values)}"

    def _dict(self, value: Any, t: ir.DictType, at: str) -> str | None:
        if not isinstance(value, dict):
            return f"{at or '/'}: expected an object"
        return self._first_problem(value.items(), t.value, at)

    def _list(self, value: Any, t: ir.ListType, at: str) -> str | None:
        if not isinstance(value, list):
            return f"{at or '/'}: expected an array"
        if t.min_items is not None and len(value) < t.min_items:
            return f"{at or '/'}: fewer than {t.min_items} items"
        if t.max_items is not None and len(value) > t.max_items:
            return f"{at or '/'}: more than {t.max_items} items"
        return self._first_problem(enumerate(value), t.item, at)

    def _first_problem(
        self, items: Iterable[tuple[object, Any]], t: ir.TypeRef, at: str
    ) -> str | None:
        """The first problem of the items (each at ``at``/its key or index)."""
        for key, item in items:
            found = self.problem(item, t, f"{at}/{key}")
            if found:
                return found
        return None

    def _union(self, value: Any, t: ir.UnionType, at: str) -> str | None:
        if t.discriminator and t.mapping and isinstance(value, dict):
            return self._tagged(value, t, t.discriminator, at)
        return self._some_option(value, t.options, at)

    def _tagged(
        self, value: dict[str, Any], t: ir.UnionType, discriminator: str, at: str
    ) -> str | None:
        """A discriminated union takes what an option its tag names takes."""
        tag = value.get(discriminator)
        chosen = tuple(option for key, option in t.mapping if key == tag)
        if not chosen:
            return f"{at}/{discriminator}: {tag!r:.60} names no option"
        return self._some_option(value, chosen, at)

    def _some_option(
        self, value: Any, options: tuple[ir.TypeRef, ...], at: str
    ) -> str | None:
        problems = [self.problem(value, option, at) for option in options]
        if any(p is None for p in problems):
            return None
        return problems[0] if len(problems) == 1 else f"{at or '/'}: fits no option"

    def _model(self, value: Any, name: str, at: str) -> str | None:
        model = self._models.get(name)
        if model is None:
            return None
        if not isinstance(value, dict):
            return f"{at or '/'}: expected an object"
        for f in model.fields:
            if f.wire_name not in value:
                if f.required:
                    return f"{at}/{f.wire_name}: is required"
                continue
            found = self.problem(value[f.wire_name], f.type, f"{at}/{f.wire_name}")
            if found:
                return found
        return None


def _literal(value: Any, t: ir.LiteralType, at: str) -> str | None:
    """Equal and of the same JSON kind: ``True`` is no ``1``, ``1.0`` no ``1``."""
    same = value == t.value and type(value) is type(t.value)
    return None if same else f"{at or '/'}: is not {t.value!r}"


def _primitive(value: Any, t: ir.Primitive, at: str) -> str | None:
    where = at or "/"
    kind = t.kind
    if kind == "any":
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else f"{where}: expected a boolean"
    if kind in ("int", "float"):
        return _number(value, t, where)
    return _string(value, t, where)


def _number(value: Any, t: ir.Primitive, where: str) -> str | None:
    """A bool is no number; an ``int`` may be a float with no fraction."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{where}: expected a number"
    if t.kind == "int" and not (
        isinstance(value, int) or (math.isfinite(value) and value.is_integer())
    ):
        return f"{where}: expected an integer"
    return _bounds(value, t.constraints, where)


def _string(value: Any, t: ir.Primitive, where: str) -> str | None:
    if not isinstance(value, str):
        return f"{where}: expected a string"
    return (
        _length(value, t.constraints, where)
        or _pattern(value, t.constraints.pattern, where)
        or _format(value, t.format, where)
    )


def _length(value: str, c: ir.Constraints, where: str) -> str | None:
    if c.min_length is not None and len(value) < c.min_length:
        return f"{where}: shorter than {c.min_length}"
    if c.max_length is not None and len(value) > c.max_length:
        return f"{where}: longer than {c.max_length}"
    return None


def _pattern(value: str, pattern: str | None, where: str) -> str | None:
    if pattern is None:
        return None
    try:
        if re.search(pattern, value) is None:
            return f"{where}: does not match {pattern!r}"
    except re.error:
        pass  # a pattern Python cannot read: the SDK does not check it
    return None


def _format(value: str, fmt: str | None, where: str) -> str | None:
    check = FORMAT_CHECKS.get(fmt or "")
    if check is not None and not check(value):
        return f"{where}: {value!r:.60} is no {fmt}"
    return None


def _bounds(value: float, c: ir.Constraints, where: str) -> str | None:
    limits = (
        (c.minimum, operator.lt, "below"),
        (c.maximum, operator.gt, "above"),
        (c.exclusive_minimum, operator.le, "not above"),
        (c.exclusive_maximum, operator.ge, "not below"),
    )
    for limit, beyond, words in limits:
        if limit is not None and beyond(value, limit):
            return f"{where}: {words} {limit}"
    if c.multiple_of:
        ratio = value / c.multiple_of
        if not math.isclose(ratio, round(ratio), rel_tol=1e-9, abs_tol=1e-9):
            return f"{where}: not a multiple of {c.multiple_of}"
    return None

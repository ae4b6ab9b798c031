"""Example values for the SDK's fake server (``<package>.testing``): one
deterministic JSON value per type of the IR that its schema accepts.

Every choice is made here, at generation time, so the generated module holds
plain data and a test sees the same values every run: the first enum value or
union option, the smallest list the bounds allow, a number inside its bounds,
a string of the format asked for, or built from the pattern.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from .. import ir
from .examplecheck import ExampleChecker

# The stdlib's own regex parser (typeshed has no stubs for it), to build a match.
sre: Any = importlib.import_module("re._parser")

# A value for each string format a spec may name; one a format checker and the
# SDK's models both accept.
FORMAT_EXAMPLES: Mapping[str, str] = {
    "date-time": "2024-01-15T09:30:00Z",
    "date": "2024-01-15",
    "time": "09:30:00Z",
    "uuid": "3f2a6b9e-1c4d-4e8f-9a7b-2c5d8e1f4a6b",
    "email": "user@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uri-reference": "https://example.com/resource",
    "uriref": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "duration": "PT1H",
}
PLAIN_STRING = "example"
_MAX_DEPTH = 6  # optional fields deeper than this are left out


class Examples:
    """Example JSON values of an API's types (models looked up by name)."""

    def __init__(self, api: ir.Api) -> None:
        self._models = {m.name: m for m in api.models}
        self._enums = {e.name: e for e in api.enums}
        self.enums: Mapping[str, ir.Enum] = self._enums
        self.checker = ExampleChecker(api)
        # The spec's examples that fit no value of their type: pointer -> why.
        self.invalid: dict[str, str] = {}

    def chosen(self, examples: tuple[ir.Example, ...], t: ir.TypeRef) -> Any:
        """The first of the spec's ``examples`` that is a value of ``t`` (a
        new copy each time), else NO_VALUE; the others are noted in
        ``invalid``."""
        for example in examples:
            value = json.loads(example.json)
            problem = self.checker.problem(value, t)
            if problem is None:
                return value
            self.invalid[example.pointer] = problem
        return NO_VALUE

    def value(self, t: ir.TypeRef | None) -> Any:
        return None if t is None else self._value(t, ())

    def _value(self, t: ir.TypeRef, stack: tuple[str, ...]) -> Any:
        match t:
            case ir.Primitive():
                return primitive_example(t)
            case ir.LiteralType():
                return t.value
            case ir.EnumRef():
                return self._enum(t.name)
            case ir.Nullable():
                return self._nullable(t, stack)
            case ir.ListType():
                return self._list(t, stack)
            case ir.DictType():
                return {}
            case ir.UnionType():
                return self._union(t, stack)
            case ir.ModelRef():
                return self._model(t.name, stack)
        raise AssertionError(f"unknown type {t!r}")

    def _enum(self, name: str) -> Any:
        """The enum's first value (any string for an enum not known)."""
        values = self._enums[name].values if name in self._enums else ()
        return values[0] if values else PLAIN_STRING

    def _nullable(self, t: ir.Nullable, stack: tuple[str, ...]) -> Any:
        """None where building the value would loop, else the value."""
        return None if self._loops(t.inner, stack) else self._value(t.inner, stack)

    def _loops(self, t: ir.TypeRef, stack: tuple[str, ...]) -> bool:
        """Whether building ``t`` would nest a model in itself, or too deeply."""
        return len(stack) >= _MAX_DEPTH or any(n in stack for n in ir.refs_in(t))

    def _list(self, t: ir.ListType, stack: tuple[str, ...]) -> list[Any]:
        count = max(t.min_items or 0, 1)
        if t.max_items is not None:
            count = min(count, t.max_items)
        if count and self._loops(t.item, stack) and not t.min_items:
            return []
        item = self._value(t.item, stack) if count else None
        return [item] * count

    def _union(self, t: ir.UnionType, stack: tuple[str, ...]) -> Any:
        options = [o for o in t.options if not self._loops(o, stack)]
        chosen = (options or list(t.options))[0]
        value = self._value(chosen, stack)
        if isinstance(value, dict) and isinstance(chosen, ir.ModelRef):
            self._pick(value, chosen, t)
        return value

    def _pick(
        self, value: dict[str, Any], chosen: ir.ModelRef, t: ir.UnionType
    ) -> None:
        """Make ``value`` (of option ``chosen``) pick that option of ``t``:
        its discriminator's tag, else refused by every other option."""
        for tag, option in t.mapping:
            if option == chosen and t.discriminator:
                value[t.discriminator] = tag
                return
        for other in t.options:
            if isinstance(other, ir.ModelRef) and other != chosen:
                self._refuse(value, chosen.name, other.name)

    def _refuse(self, value: dict[str, Any], own: str, other: str) -> None:
        """Make ``value`` (of model ``own``) invalid for model ``other`` where
        it could pass both (a oneOf wants exactly one): a field only ``other``
        declares gets a value of another type, which ``own`` keeps as extra."""
        theirs = self._models.get(other)
        mine = self._models.get(own)
        if theirs is None or mine is None:
            return
        if _refused(value, theirs):
            return
        declared = {f.wire_name for f in mine.fields}
        for f in theirs.fields:
            wrong = _wrong_value(f.type)
            if f.wire_name not in declared and wrong is not NO_VALUE:
                value[f.wire_name] = wrong
                return

    def _model(self, name: str, stack: tuple[str, ...]) -> dict[str, Any]:
        model = self._models.get(name)
        if model is None:
            return {}
        found: dict[str, Any] = self.chosen(model.examples, ir.ModelRef(name))
        if found is not NO_VALUE:
            return found
        inner = (*stack, name)
        out: dict[str, Any] = {}
        for f in model.fields:
            if not f.required and self._loops(f.type, inner):
                continue
            found = self.chosen(f.examples, f.type)
            out[f.wire_name] = (
                self._value(f.type, inner) if found is NO_VALUE else found
            )
        return out


NO_VALUE: Any = object()  # no value: the spec's examples do not fit


def _refused(value: dict[str, Any], model: ir.Model) -> bool:
    """``model`` refuses ``value`` already: a required field missing, or a
    const field with another value."""
    for f in model.fields:
        if f.required and f.wire_name not in value:
            return True
        if (
            isinstance(f.type, ir.LiteralType)
            and value.get(f.wire_name, f.type.value) != f.type.value
        ):
            return True
    return False


def _wrong_value(t: ir.TypeRef) -> Any:
    """A JSON value ``t`` refuses, or NO_VALUE when it takes anything."""
    inner = ir.unwrap_nullable(t)
    match inner:
        case ir.Primitive(kind="any") | ir.UnionType():
            return NO_VALUE
        case ir.Primitive(kind="str") | ir.EnumRef() | ir.LiteralType():
            return {}
        case _:
            return PLAIN_STRING


def primitive_example(t: ir.Primitive) -> Any:
    c = t.constraints
    if t.kind == "bool":
        return True
    if t.kind == "int":
        return _number(c, integer=True)
    if t.kind == "float":
        return _number(c, integer=False)
    if t.kind == "any":
        return PLAIN_STRING
    return string_example(t.format, c)


def _number(c: ir.Constraints, *, integer: bool) -> int | float:
    gap = 1 if integer else 0.5  # from an exclusive bound to the first value in
    low = _bound(c.minimum, c.exclusive_minimum, -math.inf, gap, max)
    high = _bound(c.maximum, c.exclusive_maximum, math.inf, -gap, min)
    step = c.multiple_of or 1
    # The smallest multiple of ``step`` from 1 (or from ``low``) up.
    start = 1 if low == -math.inf else max(low, 1 if high >= 1 else low)
    value: float = math.ceil(start / step) * step
    if value > high:  # no room above 1: the largest multiple under ``high``
        value = math.floor(high / step) * step
    return int(value) if integer else float(value)


def _bound(
    inclusive: float | None,
    exclusive: float | None,
    unbounded: float,
    gap: float,
    tighter: Callable[[float, float], float],
) -> float:
    """One end of the values a number may take."""
    bound = unbounded if inclusive is None else inclusive
    if exclusive is not None:
        bound = tighter(bound, exclusive + gap)
    return bound


def string_example(fmt: str | None, c: ir.Constraints) -> str:
    candidates = [FORMAT_EXAMPLES.get(fmt or "", PLAIN_STRING)]
    if c.pattern is not None:
        candidates.append(pattern_example(c.pattern))
    for text in candidates:
        text = _fit_length(text, c)
        if c.pattern is None or _matches(c.pattern, text):
            return text
    return candidates[-1]


def _fit_length(text: str, c: ir.Constraints) -> str:
    if c.min_length is not None and len(text) < c.min_length:
        text += "x" * (c.min_length - len(text))
    if c.max_length is not None and len(text) > c.max_length:
        text = text[: c.max_length]
    return text


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # a pattern Python cannot read: the SDK does not check it


def pattern_example(pattern: str) -> str:
    """A short string the pattern matches (searched, as JSON Schema does)."""
    try:
        parsed = sre.parse(pattern)
    except (re.error, RecursionError):
        return PLAIN_STRING
    groups: dict[int, str] = {}
    return _build(list(parsed), groups)


_CATEGORY = {
    sre.CATEGORY_DIGIT: "0",
    sre.CATEGORY_NOT_DIGIT: "a",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "a",
    sre.CATEGORY_WORD: "a",
    sre.CATEGORY_NOT_WORD: "-",
}


def _build(items: list[tuple[Any, Any]], groups: dict[int, str]) -> str:
    return "".join(_item(op, av, groups) for op, av in items)


def _item(op: Any, av: Any, groups: dict[int, str]) -> str:
    build = _ITEMS.get(op)
    if build is None:
        return ""  # anchors and lookarounds add no characters
    return build(av, groups)


def _subpattern(av: Any, groups: dict[int, str]) -> str:
    text = _build(list(av[3]), groups)
    if av[0] is not None:
        groups[av[0]] = text
    return text


def _repeat(av: Any, groups: dict[int, str]) -> str:
    low, _high, body = av
    return "".join(_build(list(body), groups) for _ in range(low))


# Regex opcode -> the text of one (op, argument) item, given the groups so far.
_ITEMS: dict[Any, Callable[[Any, dict[int, str]], str]] = {
    sre.LITERAL: lambda av, _: chr(av),
    sre.NOT_LITERAL: lambda av, _: "a" if av != ord("a") else "b",
    sre.ANY: lambda _av, _: "a",
    sre.IN: lambda av, _: _in_set(av),
    sre.BRANCH: lambda av, groups: _build(list(av[1][0]), groups),
    sre.SUBPATTERN: _subpattern,
    sre.MAX_REPEAT: _repeat,
    sre.MIN_REPEAT: _repeat,
    getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT): _repeat,
    sre.GROUPREF: lambda av, groups: groups.get(av, ""),
    sre.CATEGORY: lambda av, _: _CATEGORY.get(av, "a"),
    sre.ATOMIC_GROUP: lambda av, groups: _build(list(av), groups),
}


def _in_set(items: list[tuple[Any, Any]]) -> str:
    if items and items[0][0] is sre.NEGATE:
        return _not_in_set(items[1:])
    for op, av in items:
        if op is sre.LITERAL:
            return chr(av)
        if op is sre.RANGE:
            return chr(av[0])
        if op is sre.CATEGORY:
            return _CATEGORY.get(av, "a")
    return "a"


def _not_in_set(items: list[tuple[Any, Any]]) -> str:
    """A character a negated set (``[^...]``) takes."""
    excluded = set()
    for op, av in items:
        if op is sre.LITERAL:
            excluded.add(chr(av))
        elif op is sre.RANGE:
            excluded.update(chr(c) for c in range(av[0], min(av[1], 0x2FF) + 1))
    return next(
        c
        for c in "aZ0_-~" + "".join(map(chr, range(0x100, 0x200)))
        if c not in excluded
    )

"""Spelling rules for Python names: snake_case members, PascalCase types."""

from __future__ import annotations

import builtins
import keyword
import re

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Names that would shadow something a generated module or model needs.
_RESERVED_MEMBERS = frozenset(
    {
        "model_config",
        "model_fields",
        "model_dump",
        "model_validate",
        "model_copy",
        "schema",
        "json",
        "dict",
        "copy",
        "construct",
        "validate",
        "fields",
        "self",
    }
)
_BUILTINS = frozenset(dir(builtins))


def words(text: str) -> list[str]:
    """Split any spelling (camelCase, kebab-case, snake_case, spaces) into words."""
    out: list[str] = []
    for chunk in _WORD_SPLIT.split(text):
        out.extend(w for w in _CAMEL_BOUNDARY.split(chunk) if w)
    return out


def snake(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text))


def python_member(wire_name: str) -> str:
    """A safe attribute/argument name for a wire name (fields and params)."""
    name = snake(wire_name) or "value"
    if name[0].isdigit():
        name = "n_" + name
    if keyword.iskeyword(name) or name in _BUILTINS or name in _RESERVED_MEMBERS:
        name += "_"
    return name


def type_name(text: str) -> str:
    name = pascal(text) or "Model"
    if name[0].isdigit():
        name = "N" + name
    return name


def enum_member(value: str | int) -> str:
    """UPPER_CASE constant name for an enum value."""
    name = snake(str(value)).upper()
    if not name:
        name = "EMPTY"
    if name[0].isdigit():
        name = "V_" + name
    if keyword.iskeyword(name.lower()) and name.lower() == name:
        name += "_"
    return name


_IRREGULAR = {
    "series": "series",
    "status": "status",
    "data": "data",
    "people": "person",
}


def singular(word: str) -> str:
    lower = word.lower()
    if lower in _IRREGULAR:
        return _keep_case(word, _IRREGULAR[lower])
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "uses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return word[:-1]
    return word


def _keep_case(original: str, replacement: str) -> str:
    return (
        replacement[:1].upper() + replacement[1:]
        if original[:1].isupper()
        else replacement
    )


def plural(word: str) -> str:
    lower = word.lower()
    if lower.endswith(("s", "x", "ch", "sh")):
        return word if lower in _IRREGULAR else word + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"

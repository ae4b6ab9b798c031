"""What a query filter documented as a comma-separated list takes, item by item.

The spec types such filters as plain strings; their description names the
values: "a comma-separated list of bot status values" (an enum, by its name)
or "a comma-separated list of scheduled, cancelled, completed and failed".
When every item is named, the SDK's signature takes those literals (one, or a
sequence of them) instead of any string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .. import ir

_LIST_OF = re.compile(r"comma-separated list of ([^.;()]+)", re.IGNORECASE)
_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+")
_VALUE = re.compile(r"[a-z][a-z0-9_]*")


def comma_list_items(
    doc: str, enums: Mapping[str, tuple[str | int, ...]]
) -> ir.TypeRef | None:
    """The type of one item of the list ``doc`` describes, or None if unsure."""
    found = _LIST_OF.search(doc)
    if found is None:
        return None
    phrase = found[1].strip()
    if phrase.lower().endswith(" values"):
        return _named_enum(phrase[: -len(" values")], enums)
    return _listed_values(phrase)


def _named_enum(
    name: str, enums: Mapping[str, tuple[str | int, ...]]
) -> ir.EnumRef | None:
    """The one enum ``name`` ("bot status") spells, case and spacing aside."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    named = [n for n in enums if n.lower() == key]
    return ir.EnumRef(named[0]) if len(named) == 1 else None


def _listed_values(phrase: str) -> ir.UnionType | None:
    """The literals a phrase lists ("a, b and c"), when it lists plain values."""
    values = [v for v in _SPLIT.split(phrase) if v]
    if len(values) < 2 or not all(_VALUE.fullmatch(v) for v in values):
        return None
    return ir.UnionType(tuple(ir.LiteralType(v) for v in values))

"""Hypothesis settings and spec-driven strategies.

SDKGEN_EXAMPLES (default 10) is the number of examples per schema and per pattern;
`nox -s fuzz` runs 500 with the random `fuzz` profile. The default `ci` profile
(tests/conftest.py) is derandomized and uses no example database, so CI sees
the same examples every time.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from datetime import datetime, timedelta, timezone
from typing import Any

import jsonschema
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis_jsonschema import _from_schema, from_schema

EXAMPLES = int(os.environ.get("SDKGEN_EXAMPLES", "10"))

# Everything else (derandomized or not, database, deadline) comes from the
# hypothesis profile that tests/conftest.py loads: `ci` unless told otherwise.
SETTINGS = settings(max_examples=EXAMPLES)

FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A spec pattern as Python reads ECMA-262 (what JSON Schema means): `\\d`
    is [0-9] only, not every Unicode digit."""
    return re.compile(pattern, re.ASCII)


def ecma_search(pattern: str, text: str) -> bool:
    """ECMA-262 search; also, unlike Python's, its `$` does not match before a
    final newline."""
    found = ecma_regex(pattern).search(text)
    if found is None:
        return False
    anchored_end = pattern.endswith("$") and not pattern.endswith("\\$")
    return not anchored_end or found.end() == len(text)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Any:
    if isinstance(instance, str) and not ecma_search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


# The stock validator reads patterns with Python's rules (Unicode `\\d`, `$`
# before a newline), which accept strings the spec rejects.
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _pattern}
)


def validator(schema: dict[str, Any]) -> Any:
    """Draft 2020-12, ECMA patterns, format checks (date-time, uuid) switched on."""
    return _Validator(schema, format_checker=FORMAT_CHECKER)


def _format_patterns(raw: dict[str, Any]) -> dict[str, set[str | None]]:
    """format -> the patterns found beside it (None: a node with no pattern)."""
    found: dict[str, set[str | None]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.setdefault(node["format"], set()).add(node.get("pattern"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(raw)
    return found


def custom_formats(raw: dict[str, Any]) -> dict[str, st.SearchStrategy[str]]:
    """For a format the spec always pairs with one pattern (date-time, uuid):
    strings drawn from that pattern that also satisfy the format.

    hypothesis-jsonschema otherwise draws from the format and filters by the
    pattern, which rejects nearly every draw (offsets other than Z, random UUID
    versions).
    """
    out: dict[str, st.SearchStrategy[str]] = {}
    for fmt, pats in sorted(_format_patterns(raw).items()):
        if len(pats) == 1 and None not in pats:
            (pattern,) = pats
            assert pattern is not None
            out[fmt] = st.from_regex(ecma_regex(pattern), fullmatch=True).filter(
                lambda s, f=fmt: FORMAT_CHECKER.conforms(s, f)
            )
        elif fmt == "uuid":
            # hypothesis-jsonschema does not know `uuid` and would draw any text.
            out[fmt] = st.uuids().map(str)
    return out


def _memoise_string_strategies() -> None:
    """hypothesis-jsonschema builds a new strategy for every string it draws in
    an object (a regex strategy for each pattern), which made one object with
    many timestamps cost seconds per example; the strategies are pure functions
    of their arguments, so they are built once here."""
    module: Any = _from_schema
    if getattr(module, "_sdkgen_memoised", False):
        return
    cache: dict[tuple[Any, ...], Any] = {}
    string_schema, from_js_regex = module.string_schema, module.from_js_regex

    def cached_string_schema(formats: Any, alphabet: Any, schema: Any) -> Any:
        key = (id(formats), id(alphabet), json.dumps(schema, sort_keys=True))
        if key not in cache:
            # The arguments are kept with the result so that their ids stay theirs.
            cache[key] = (string_schema(formats, alphabet, schema), formats, alphabet)
        return cache[key][0]

    def cached_regex(pattern: str, alphabet: Any) -> Any:
        key = ("regex", pattern, id(alphabet))
        if key not in cache:
            cache[key] = (from_js_regex(pattern, alphabet=alphabet), alphabet)
        return cache[key][0]

    module.string_schema = cached_string_schema
    module.from_js_regex = cached_regex
    module._sdkgen_memoised = True


_memoise_string_strategies()


MAX_ITEMS = 2


def _small(node: Any) -> Any:
    """The schema with arrays capped at MAX_ITEMS items: still only valid
    documents, but nested lists of large objects stay cheap to draw."""
    if isinstance(node, list):
        return [_small(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _small(v) for k, v in node.items()}
    if out.get("type") == "array" or "items" in out:
        low = out.get("minItems", 0)
        out["maxItems"] = max(low, min(out.get("maxItems", MAX_ITEMS), MAX_ITEMS))
    return out


def closed(node: Any) -> Any:
    """The schema with objects that list properties refusing any other key.

    A deliberate difference: where the spec leaves a request object open, the
    SDK's request models still refuse unknown keys (a typo fails locally);
    test_oracle states it. Request round trips are drawn from this schema."""
    if isinstance(node, list):
        return [closed(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: closed(v) for k, v in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    branches = [b for b in out.get("allOf") or [] if "properties" in b]
    if branches:
        # Each closed branch must let through the keys the others declare.
        names = {n for b in [out, *branches] for n in b.get("properties") or {}}
        for b in branches:
            b["properties"] = {n: {} for n in names} | b["properties"]
        if "properties" in out:
            out["properties"] = {n: {} for n in names} | out["properties"]
    return out


def instances(
    schema: dict[str, Any], raw: dict[str, Any], *, request: bool = False
) -> st.SearchStrategy[Any]:
    """JSON documents valid for ``schema`` (arrays of at most MAX_ITEMS)."""
    drawn = _small(closed(schema) if request else schema)
    with warnings.catch_warnings():
        # We override the standard date-time and uuid formats on purpose.
        warnings.simplefilter("ignore")
        return from_schema(drawn, custom_formats=custom_formats(raw))


_OFFSET = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


def user_datetimes() -> st.SearchStrategy[datetime]:
    """What a user may pass: aware, with any offset (naive ones are refused)."""
    return st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=_OFFSET,
    )


def swap_datetimes(schema: Any, value: Any, draw: Any) -> Any:
    """``value`` with every date-time string replaced by a drawn ``datetime``."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, str) and schema.get("format") == "date-time":
        return draw(user_datetimes())
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            if validator(option).is_valid(value):
                value = swap_datetimes(option, value, draw)
                if key != "allOf":
                    return value
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        return {
            k: swap_datetimes(props[k], v, draw) if k in props else v
            for k, v in value.items()
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [swap_datetimes(schema["items"], v, draw) for v in value]
    return value


# RFC 3339 and the spec's date-time pattern allow the year 0000; Python's
# datetime starts at year 1. A stated difference: the SDK refuses such a value
# with a validation error naming the field (test_properties asserts it).
_YEAR_ZERO = re.compile(r"^0000-\d\d-\d\dT")


def year_zero_datetimes(value: Any) -> list[str]:
    """Every date-time string in ``value`` whose year Python cannot hold."""
    if isinstance(value, str):
        return [value] if _YEAR_ZERO.match(value) else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in year_zero_datetimes(v)]
    if isinstance(value, list):
        return [s for v in value for s in year_zero_datetimes(v)]
    return []


def shift_year_zero(value: Any) -> Any:
    """``value`` with the year 0000 written as 2000 (both are leap years, so the
    date stays valid for the pattern)."""
    if isinstance(value, str):
        return "2000" + value[4:] if _YEAR_ZERO.match(value) else value
    if isinstance(value, dict):
        return {k: shift_year_zero(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shift_year_zero(v) for v in value]
    return value

"""The fake API's check of a request's path, query and header parameters.

Each parameter's value is read back off the request as the SDK writes it
(its style: exploded repeats, comma, space or pipe lists) and the operation's
params model checks them, as the SDK checks the arguments it is given: a
missing required parameter, a value of the wrong type or an unknown enum
value is the API's 422, naming the parameter.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pydantic

from ._exceptions import RequestValidationError
from ._formats import build

__all__ = ["param_problem"]

_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


@functools.cache
def _model(path: str) -> type[pydantic.BaseModel]:
    """The params model ``resources.<module>.<class>`` of this package."""
    module, _, name = path.rpartition(".")
    found: type[pydantic.BaseModel] = getattr(
        importlib.import_module("." + module, __package__), name
    )
    return found


def _raw(
    request: httpx.Request, path_params: Mapping[str, str], wire: str, where: str
) -> list[str]:
    """Every value of one parameter as the request carries it."""
    if where == "path":
        return [path_params[wire]] if wire in path_params else []
    if where == "query":
        return request.url.params.get_list(wire)
    if where == "header":
        found = request.headers.get(wire)
        return [] if found is None else [found]
    return []  # cookies are not read back


def _value(
    items: list[str], shape: str, style: str, explode: bool, as_json: bool
) -> Any:
    if shape != "list":
        return _read(items[-1], as_json)
    if len(items) == 1 and not (style == "form" and explode):
        text = items[0]
        items = text.split(_DELIMITERS.get(style, ",")) if text else []
    return [_read(item, as_json) for item in items]


def _read(text: str, as_json: bool) -> Any:
    """The text of a number or boolean a literal or enum wants, as JSON."""
    if not as_json:
        return text
    try:
        found = json.loads(text)
    except ValueError:
        return text
    return found if isinstance(found, int | float | bool) else text


def param_problem(
    facts_params: Sequence[Sequence[Any]],
    model_path: str | None,
    request: httpx.Request,
    path_params: Mapping[str, str],
    skip: frozenset[str] = frozenset(),
) -> str | None:
    """Why the API would refuse these parameters (naming one), or None.

    ``facts_params``: [wire name, argument, location, shape, style, explode,
    nullable, json] each (see ``generator/emit/testkit.py``); ``skip``: the
    wire names whose values the fake itself made up (its page cursors)."""
    if model_path is None or not facts_params:
        return None
    values: dict[str, Any] = {}
    unchecked: set[str] = set()
    named: dict[str, tuple[str, str]] = {}  # argument -> (location, wire name)
    for wire, argument, where, shape, style, explode, nullable, as_json in facts_params:
        named[argument] = (where, wire)
        items = _raw(request, path_params, wire, where)
        if not shape or where == "cookie" or (wire in skip and where == "query"):
            unchecked.add(argument)
        elif items:
            values[argument] = _value(items, shape, style, explode, as_json)
        elif shape == "list" and style == "form" and explode:
            values[argument] = []  # no pair at all: no items (or only nulls)
        elif nullable:  # the SDK sends nothing for None
            values[argument] = None
    try:
        build(_model(model_path), values)
    except RequestValidationError as exc:
        return _message(exc, named, unchecked)
    return None


def _message(
    exc: RequestValidationError,
    named: Mapping[str, tuple[str, str]],
    unchecked: set[str],
) -> str | None:
    """The first problem with a parameter the fake checks, named as the API
    names it (``query parameter 'limit': ...``)."""
    errors = exc.errors
    aliases = {wire: argument for argument, (_, wire) in named.items()}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        argument = aliases.get(loc[0], loc[0]) if loc else ""
        if argument in unchecked or argument not in named:
            continue
        where, wire = named[argument]
        value = error.get("input")
        shown = "" if isinstance(value, dict | list) else f" (got {value!r:.80})"
        inner = "".join(f"[{p}]" for p in loc[1:])
        return f"{where} parameter {wire!r}{inner}: {error.get('msg')}{shown}"
    refused = exc.argument
    if errors or refused is None or refused in unchecked or refused not in named:
        return None
    where, wire = named[refused]
    text = str(exc)
    return f"{where} parameter {wire!r}: {text.partition(': ')[2] or text}"

"""Differential oracle: pydantic models that datamodel-code-generator makes from the
same schemas, mutations of valid documents, and the verdicts of three voices (our
SDK, datamodel-codegen's models, the spec's JSON Schema) on each document."""

from __future__ import annotations

import importlib
import json
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator import ir

from .schemas import SchemaCase
from .strategies import validator
from .targets import sdk_type

# Strict where the spec is: constraints as Field(...) kwargs (so they are enforced
# on the annotated type), `null` for a required key only where the spec allows it
# (an optional one still takes null: a stated difference), and
# additionalProperties:false kept as extra="forbid" (datamodel-codegen's default;
# open objects get pydantic's default, extra="ignore").
DMCG_OPTIONS: dict[str, Any] = {
    "field_constraints": True,
    "use_annotated": True,
    "strict_nullable": True,
    "disable_timestamp": True,
    "formatters": [],  # black adds seconds per spec and changes no behaviour
    # An email is a string held to the spec's pattern, as the SDK holds it (EmailStr
    # would need email-validator and apply its own rules instead).
    "type_mappings": ["email=string"],
}

PREFIX = "OracleCase"


def class_name(index: int) -> str:
    return f"{PREFIX}{index}"


def dmcg_source(cases: dict[int, SchemaCase]) -> str:
    """datamodel-codegen's models for ``cases``, one named `$defs` entry (so one
    class, ``OracleCase<index>``) per schema, in one run."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType

    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {class_name(i): case.schema for i, case in cases.items()},
    }
    with warnings.catch_warnings():
        # It warns for each pattern it drops beside a format (stated in the test).
        warnings.simplefilter("ignore")
        out = generate(
            json.dumps(doc),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            **DMCG_OPTIONS,
        )
    assert isinstance(out, str)
    return out


def import_source(source: str, name: str, workdir: Path) -> ModuleType:
    """``source`` imported as module ``name`` (a file in workdir)."""
    module = "dmcg_" + re.sub(r"\W", "_", name)
    (workdir / f"{module}.py").write_text(source)
    if str(workdir) not in sys.path:
        sys.path.insert(0, str(workdir))
    return importlib.import_module(module)


# --- verdicts ---------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    ok: bool
    errors: tuple[str, ...] = ()  # "loc: type: message", at most a few
    types: frozenset[str] = frozenset()  # every pydantic error type, or the exception's

    def __str__(self) -> str:
        return "accepts" if self.ok else "rejects: " + " | ".join(self.errors)


def verdict(validate: Callable[[Any], Any], doc: Any) -> Verdict:
    """Whether ``validate`` takes ``doc``; the SDK's request builders also raise
    ValueError/TypeError (item counts, unknown enum values, null where the spec
    does not allow it), pydantic raises ValidationError (a ValueError)."""
    try:
        validate(doc)
    except ValidationError as exc:
        found = exc.errors()
        return Verdict(
            False,
            tuple(
                f"{'.'.join(map(str, e['loc']))}: {e['type']}: {e['msg']}"
                for e in found[:4]
            ),
            frozenset(e["type"] for e in found),
        )
    except ValueError as exc:
        # The SDK's RequestValidationError carries pydantic's errors.
        found = getattr(exc, "errors", None)
        if not isinstance(found, list) or not found:
            name = type(exc).__name__
            return Verdict(False, (f"{name}: {exc}",), frozenset({name}))
        return Verdict(
            False,
            tuple(
                f"{'.'.join(map(str, e['loc']))}: {e['type']}: {e['msg']}"
                for e in found[:4]
            ),
            frozenset(e["type"] for e in found),
        )
    except (TypeError, AttributeError) as exc:
        # AttributeError: build_items() given a non-mapping item (e.g. None),
        # which its signature rules out; still a refusal, nothing is sent.
        name = type(exc).__name__
        return Verdict(False, (f"{name}: {exc}",), frozenset({name}))
    return Verdict(True)


def spec_verdict(check: Any, doc: Any) -> Verdict:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}"
        for e in check.iter_errors(doc)
    ]
    return Verdict(not errors, tuple(errors[:4]))


def ours_validator(case: SchemaCase, sdk: ModuleType) -> Callable[[Any], Any]:
    """What the SDK does with the document: responses and events are validated
    as the client does (TypeAdapter.validate_python of the parsed JSON); a
    request body goes through the request builder a resource method calls, which
    adds the checks the pydantic model alone does not make."""
    t = sdk_type(case.type, sdk.types)
    adapter = TypeAdapter(t).validate_python
    if case.side != "request":
        return adapter
    formats = importlib.import_module(f"{sdk.__name__}._formats")
    body = ir.unwrap_nullable(case.type)
    if isinstance(body, ir.ListType) and isinstance(body.item, ir.ModelRef):
        model = sdk_type(body.item, sdk.types)
        low, high = body.min_items, body.max_items

        def build_items(doc: Any) -> Any:
            return formats.build_items(model, doc, min_items=low, max_items=high)

        return build_items
    assert isinstance(body, ir.ModelRef), case.type
    model = sdk_type(body, sdk.types)

    def build(doc: Any) -> Any:
        # Object bodies are passed as keyword arguments: only a mapping can be.
        return formats.build(model, doc) if isinstance(doc, dict) else adapter(doc)

    return build


def theirs_validator(models: ModuleType, index: int) -> Callable[[Any], Any]:
    # A TypeAdapter: a schema may come out as an Enum or a RootModel class.
    return TypeAdapter(getattr(models, class_name(index))).validate_python


# --- mutations ----------------------------------------------------------------

Path_ = tuple[str | int, ...]
UNKNOWN_KEY = "x_oracle_unknown"
UNKNOWN_ENUM = "x_oracle_not_a_member"


@dataclass(frozen=True)
class Mutant:
    """A document derived from a valid one by changing one place."""

    kind: str  # "valid", "drop-required", "wrong-type", "null", ...
    path: Path_  # where in the document (the object, for key changes)
    nodes: tuple[dict[str, Any], ...]  # the schema nodes that apply there
    doc: Any
    detail: str = ""  # e.g. the key dropped or added


def _replace(doc: Any, path: Path_, value: Any) -> Any:
    """``doc`` with the value at ``path`` replaced (copies only along the path)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {**doc, head: _replace(doc[head], rest, value)}
    out = list(doc)
    assert isinstance(head, int)
    out[head] = _replace(doc[head], rest, value)
    return out


def _get(doc: Any, path: Path_) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@dataclass
class Walker:
    """Finds, in a valid document, each place and the schema nodes that apply
    to it (following allOf, and the anyOf/oneOf branch the value takes)."""

    schema: dict[str, Any]
    _checks: dict[int, Any] = field(default_factory=dict)

    def _valid(self, node: dict[str, Any], value: Any) -> bool:
        check = self._checks.get(id(node))
        if check is None:
            check = self._checks[id(node)] = validator(node)
        return bool(check.is_valid(value))

    def nodes(self, schema: dict[str, Any], value: Any) -> list[dict[str, Any]]:
        out = [schema]
        for branch in schema.get("allOf") or []:
            out += self.nodes(branch, value)
        for key in ("anyOf", "oneOf"):
            taken = [o for o in schema.get(key) or [] if self._valid(o, value)]
            if taken:
                out += self.nodes(taken[0], value)
        return out

    def sites(
        self, schema: dict[str, Any], value: Any, path: Path_ = ()
    ) -> Iterator[tuple[Path_, list[dict[str, Any]], Any]]:
        nodes = self.nodes(schema, value)
        yield path, nodes, value
        if isinstance(value, dict):
            props = _merged_properties(nodes)
            for key, v in value.items():
                for sub in props.get(key, [])[:1]:
                    yield from self.sites(sub, v, (*path, key))
        elif isinstance(value, list):
            items = [n["items"] for n in nodes if isinstance(n.get("items"), dict)]
            for i, v in enumerate(value):
                for sub in items[:1]:
                    yield from self.sites(sub, v, (*path, i))


def _merged_properties(nodes: list[dict[str, Any]]) -> dict[str, list[Any]]:
    props: dict[str, list[Any]] = {}
    for n in nodes:
        for k, v in (n.get("properties") or {}).items():
            props.setdefault(k, []).append(v)
    return props


def _first(nodes: list[dict[str, Any]], key: str) -> Any:
    return next((n[key] for n in nodes if key in n), None)


def _wrong_type(value: Any) -> Any:
    """A JSON value of another type, which pydantic's lax mode cannot coerce."""
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, int | float):
        return "not a number"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"a": 1}
    if isinstance(value, dict):
        return ["a"]
    return {"a": 1}  # None


_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

_BAD_FORMATS: dict[str, tuple[str, ...]] = {
    "date-time": ("2024-02-30T10:00:00Z", "2024-01-01T10:00:00+02:00", "tomorrow"),
    "uuid": ("not-a-uuid", "123e4567e89b12d3a456426614174000"),
    "uri": ("not a url", "/relative/path"),
}


def _scalar_mutants(
    nodes: list[dict[str, Any]], value: Any
) -> Iterator[tuple[str, Any]]:
    if isinstance(value, str):
        if _first(nodes, "enum") is not None or _first(nodes, "const") is not None:
            yield "unknown-enum", UNKNOWN_ENUM
        high, low = _first(nodes, "maxLength"), _first(nodes, "minLength")
        if high is not None:
            yield "too-long", value + "x" * (high - len(value) + 1)
        if low:
            yield "too-short", value[: low - 1]
        if _first(nodes, "pattern") is not None:
            yield "pattern", "!" + value
            # ECMA-262: `$` is the end of the text and `\d` is ASCII only.
            yield "pattern-newline", value + "\n"
            if any(c.isdigit() for c in value):
                yield "pattern-digits", value.translate(_ARABIC_DIGITS)
        for bad in _BAD_FORMATS.get(_first(nodes, "format") or "", ()):
            yield "format", bad
    elif isinstance(value, int | float) and not isinstance(value, bool):
        for key, delta, kind in (
            ("maximum", 1, "out-of-range"),
            ("minimum", -1, "out-of-range"),
            ("exclusiveMaximum", 0, "out-of-range"),
            ("exclusiveMinimum", 0, "out-of-range"),
        ):
            bound = _first(nodes, key)
            if bound is not None:
                yield kind, bound + delta
        if any(n.get("type") == "integer" for n in nodes):
            yield "fraction", value + 0.5
    elif isinstance(value, bool) and _first(nodes, "const") is not None:
        yield "unknown-enum", not value


def mutants(walker: Walker, doc: Any) -> Iterator[Mutant]:
    """``doc`` itself, then one change at a time at every place of it: a dropped
    required key, an unknown key, an absent optional key set to null or to a
    wrong type, and per value: null, a wrong type, an unknown enum value, a
    string too long or short or off its pattern or format, a number out of
    range, a fraction for an integer, too many or too few items."""
    schema = walker.schema
    yield Mutant("valid", (), (schema,), doc)
    for path, nodes, value in walker.sites(schema, doc):
        ns = tuple(nodes)

        def at(
            kind: str,
            new: Any,
            detail: str = "",
            p: Path_ = path,
            nodes_: tuple[dict[str, Any], ...] = ns,
        ) -> Mutant:
            return Mutant(kind, p, nodes_, _replace(doc, p, new), detail)

        if value is not None:
            yield at("null", None)
        yield at("wrong-type", _wrong_type(value))
        for kind, new in _scalar_mutants(nodes, value):
            yield at(kind, new)
        if isinstance(value, list):
            high, low = _first(nodes, "maxItems"), _first(nodes, "minItems")
            if high is not None and value:
                yield at("too-many-items", value + [value[0]] * (high - len(value) + 1))
            if low:
                yield at("too-few-items", value[: low - 1])
        if isinstance(value, dict):
            required = {r for n in nodes for r in n.get("required") or []}
            for key in sorted(required & value.keys()):
                rest = {k: v for k, v in value.items() if k != key}
                yield at("drop-required", rest, key)
            yield at("extra-key", {**value, UNKNOWN_KEY: "x"}, UNKNOWN_KEY)
            for key in sorted(_merged_properties(nodes).keys() - value.keys()):
                yield at("absent-optional-null", {**value, key: None}, key)
                yield at("absent-optional-wrong", {**value, key: []}, key)


@dataclass
class Observation:
    """One document and the verdicts of the SDK and of datamodel-codegen's
    model; the spec's verdict is computed only when asked (it is slower)."""

    case: SchemaCase
    mutant: Mutant
    ours: Verdict
    theirs: Verdict
    spec_check: Any

    @cached_property
    def spec(self) -> Verdict:
        return spec_verdict(self.spec_check, self.mutant.doc)

    @property
    def value(self) -> Any:
        return _get(self.mutant.doc, self.mutant.path)

    def node_has(self, key: str) -> bool:
        return any(key in n for n in self.mutant.nodes)

    def report(self) -> str:
        doc = json.dumps(self.mutant.doc, default=str)
        return (
            f"{self.case.label}: {self.mutant.kind} at "
            f"/{'/'.join(map(str, self.mutant.path))} {self.mutant.detail}\n"
            f"  document: {doc[:1500]}\n"
            f"  ours:  {self.ours}\n  dmcg:  {self.theirs}\n  spec:  {self.spec}"
        )

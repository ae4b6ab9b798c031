"""JSON Schema -> IR types, hoisting every object and enum into a deduplicated shape.

Each object or enum met anywhere in the spec becomes a *shape*, keyed by its structure
(fields, types, constraints, defaults; never its docs). Identical shapes share one id,
so the hundreds of repeated inline copies in the published spec collapse to one type
each. Shapes get their final names later (``typenames``); until then ``ModelRef`` and
``EnumRef`` carry the shape id.

zod's request/response twins differ only in two ways, both ignored here: output objects
say ``additionalProperties: false``, and list defaulted fields as required. A field
with a default is optional to send and always present when read, so it is recorded as
not required with its default, and the twins become one shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar, assert_never

from .. import ir
from ..errors import SpecError
from ..naming import python_member
from ..regexes import unreadable
from .allof import merge_all_of, single_part
from .loader import deref
from .schemaparts import required_sets, spec_discriminator
from .schemas import (
    NameHint,
    child,
    component_name,
    constraints_of,
    default_problem,
    describe,
    freeze,
    is_null_schema,
    is_one_of,
    item_hint,
    kind_problem,
    merge_defaults,
    resolve,
    unique,
)
from .typeparts import any_of, implied_type, literals, or_null

if TYPE_CHECKING:
    from .problems import Problems

T = TypeVar("T")

SHAPE_PREFIX = "§"
_PRIMITIVES: dict[str, ir.PrimitiveKind] = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
}


@dataclass
class Shape:
    id: str
    kind: str  # "model" or "enum"
    source: str
    doc: str = ""
    fields: list[ir.Field] = field(default_factory=list)
    values: tuple[str | int, ...] = ()
    hints: list[NameHint] = field(default_factory=list)
    # Every place the shape was met (JSON pointers, first met first): its identity
    # for name overrides and the names lock.
    wheres: list[str] = field(default_factory=list)
    # Sets of fields of which one must be given (``anyOf``/``oneOf`` of
    # ``required`` lists beside the properties), by wire name.
    requires_any: tuple[tuple[str, ...], ...] = ()


class ShapeBuilder:
    """Walks schemas of one document; call ``type_of`` for each schema met."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.shapes: dict[str, Shape] = {}
        self._ids_by_key: dict[tuple[Any, ...], str] = {}
        self.ref_types: dict[str, ir.TypeRef] = {}
        self._refs_in_progress: set[str] = set()
        # Each ``allOf`` schema met (by identity) -> it and the pointer first
        # met at.
        self._all_of_sites: dict[int, tuple[dict[str, Any], str]] = {}
        # Hints naming a parent object whose id is not known yet: placeholder ->
        # the (shape id, hint index) pairs to fix once it is.
        self._pending: dict[str, list[tuple[str, int]]] = {}
        # Recursive references met before their shape existed: placeholder -> ref.
        self.recursive_refs: dict[str, str] = {}
        self.occurrences = 0  # objects and enums met, before deduplication
        # Set by ``generate``: broken parts are skipped with a warning there.
        self.problems: Problems | None = None

    def guarded(self, where: str, build: Callable[[], T]) -> T | None:
        """Run ``build``; with ``problems`` set, a SpecError skips the part instead
        (None), leaving no half-walked reference behind."""
        if self.problems is None or self.problems.strict:
            return build()  # strict: the first problem is the error
        in_progress = set(self._refs_in_progress)
        try:
            return build()
        except (SpecError, RecursionError) as exc:
            self._refs_in_progress = in_progress
            message = exc.message if isinstance(exc, SpecError) else "nested too deep"
            at = exc.where if isinstance(exc, SpecError) else where
            self.problems.skip(where, f"skipped: {message} (at {at})")
            return None

    # -- entry point -------------------------------------------------------------

    def type_of(self, schema: Any, where: str, hint: NameHint) -> ir.TypeRef:
        if not isinstance(schema, dict):
            # ``false`` matches nothing: no value can come, so any type is as
            # good as none (unions drop it first).
            if isinstance(schema, bool) or schema is None:
                return ir.ANY
            raise SpecError("a schema must be an object", where)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref_type(ref, where, hint)
        return self._inline_type(schema, where, hint)

    def warn(self, where: str, message: str) -> None:
        """A problem the SDK can live with: reported by ``generate`` only."""
        if self.problems is not None:
            self.problems.skip(where, message)

    def default_of(
        self, schema: Any, where: str, t: ir.TypeRef | None = None
    ) -> tuple[bool, Any]:
        """(has a usable default, the default). A number default of a string is
        read as its text; any other default that does not fit its schema (or
        the enum or const ``t`` it refers to) is dropped (with a warning) rather
        than emitted as a value the model refuses."""
        if not isinstance(schema, dict) or "default" not in schema:
            return False, None
        value = schema["default"]
        if schema.get("type") == "string" and type(value) in (int, float):
            schema = {**schema, "default": str(value)}
        why = default_problem(schema)
        if why is None and t is not None:
            why = self._default_outside(schema["default"], ir.unwrap_nullable(t))
        if why is not None:
            self.warn(where, f"{why}: default ignored")
            return False, None
        return True, schema["default"]

    def _default_outside(self, value: Any, t: ir.TypeRef) -> str | None:
        """Why ``value`` is no value of ``t`` (the type a ``$ref``, ``allOf`` or
        ``anyOf`` beside the default stands for), or None where it may be."""
        if value is None:
            return None
        match t:
            case ir.EnumRef():
                return self._outside_enum(value, t)
            case ir.LiteralType():
                return _not_one_of(value, [t.value])
            case ir.UnionType():
                return self._outside_options(value, t.options)
            case ir.Nullable():
                return self._default_outside(value, t.inner)
            case ir.Primitive():
                return None if t.kind == "any" else kind_problem(value, t.kind)
            case ir.ListType():
                return kind_problem(value, "list")
            case ir.DictType() | ir.ModelRef():
                return kind_problem(value, "dict")
            case _:
                assert_never(t)

    def _outside_enum(self, value: Any, t: ir.EnumRef) -> str | None:
        """Why ``value`` is none of an enum's values; None while its shape is
        still being built (its values are not known)."""
        shape = self.shapes.get(t.name)
        return None if shape is None else _not_one_of(value, list(shape.values))

    def _outside_options(
        self, value: Any, options: tuple[ir.TypeRef, ...]
    ) -> str | None:
        """Why ``value`` is no value of a union (the first option's why), or
        None when an option may hold it."""
        whys = [self._default_outside(value, o) for o in options]
        return None if None in whys else whys[0]

    # -- references --------------------------------------------------------------

    def _ref_type(self, ref: str, where: str, hint: NameHint) -> ir.TypeRef:
        component = component_name(ref)
        # A component names its shape, as strongly as the caller allows: a request
        # body's component name yields to a concept name met elsewhere.
        strength = hint.priority if hint.name == component else 0
        named_hint = (
            NameHint(strength, component, component=True) if component else hint
        )
        if ref in self.ref_types:
            self._add_hint(self.ref_types[ref], named_hint)
            self._add_where(self.ref_types[ref], where)
            return self.ref_types[ref]
        if ref in self._refs_in_progress:
            # A recursive reference: point at the component by its ref; the shape
            # registered for it later takes this id (see _register).
            self.recursive_refs[SHAPE_PREFIX + ref] = ref
            return ir.ModelRef(SHAPE_PREFIX + ref)
        self._refs_in_progress.add(ref)
        target = resolve(self.raw, ref, where)
        result = self.type_of(target, ref, named_hint)
        self._refs_in_progress.discard(ref)
        self.ref_types[ref] = result
        self._add_where(result, where)
        return result

    def _all_of_type(
        self, schema: dict[str, Any], where: str, hint: NameHint
    ) -> ir.TypeRef:
        """A merged ``allOf``. Its parts' properties may lead back to this very
        ``allOf`` (``manager: {allOf: [Person, {since}]}`` inside ``Person``): the
        site is then a recursive reference, closed as a ``$ref``'s is."""
        # The schema is kept beside its pointer so that its id is never reused.
        # Keyed by the allOf's own pointer: the schema's may be a $ref in progress.
        at = child(where, "allOf")
        site = self._all_of_sites.setdefault(id(schema), (schema, at))[1]
        if site in self._refs_in_progress:
            self.recursive_refs[SHAPE_PREFIX + site] = site
            return ir.ModelRef(SHAPE_PREFIX + site)
        self._refs_in_progress.add(site)
        result = self.type_of(self.merge_all_of(schema, where), where, hint)
        self._refs_in_progress.discard(site)
        self.ref_types.setdefault(site, result)
        return result

    # -- inline schemas ----------------------------------------------------------

    def _inline_type(
        self, schema: dict[str, Any], where: str, hint: NameHint
    ) -> ir.TypeRef:
        single = single_part(schema)
        if single is not None:
            return self._single_part_type(schema, single, where, hint)
        composed = self._composed(schema, where, hint)
        if composed is not None:
            return composed
        return self._by_type(schema, where, hint)

    def _single_part_type(
        self,
        schema: dict[str, Any],
        single: tuple[int, dict[str, Any]],
        where: str,
        hint: NameHint,
    ) -> ir.TypeRef:
        """``allOf: [{$ref: X}]`` beside annotations is X itself (a way to
        describe a $ref), and so may recurse (``manager`` in ``Person``)."""
        index, part = single
        t = self.type_of(part, child(where, "allOf", index), hint)
        nullable = any(
            p.get("nullable") is True
            for p in (schema, *schema["allOf"])
            if isinstance(p, dict)
        )
        return or_null(t, nullable)

    def _composed(
        self, schema: dict[str, Any], where: str, hint: NameHint
    ) -> ir.TypeRef | None:
        """The type of an ``allOf``, ``anyOf``, ``oneOf``, ``const`` or
        ``enum`` schema; None for any other."""
        if "allOf" in schema:
            return self._all_of_type(schema, where, hint)
        for key in ("anyOf", "oneOf"):
            rule = required_sets(schema, key)
            if rule:  # an object plus "one of these must be given"
                return self._object(schema, where, hint, rule)
            if key in schema:
                return self._union(schema, key, where, hint)
        if "const" in schema:
            return ir.LiteralType(freeze(schema["const"]))  # type: ignore[arg-type]
        if "enum" in schema:
            return self._enum(schema, where, hint)
        return None

    def _by_type(
        self, schema: dict[str, Any], where: str, hint: NameHint
    ) -> ir.TypeRef:
        """The type its ``type`` names; a list of them (3.1) is a union, with
        "null" among them nullable."""
        types = schema.get("type")
        nullable = schema.get("nullable") is True  # OpenAPI 3.0 spelling
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            nullable = nullable or len(non_null) < len(types)
            if len(non_null) > 1:
                options = [
                    self._inline_type({**schema, "type": t}, where, hint)
                    for t in non_null
                ]
                return or_null(ir.UnionType(tuple(options)), nullable)
            types = non_null[0] if non_null else "null"
        return or_null(self._typed(schema, types, where, hint), nullable)

    def _typed(
        self, schema: dict[str, Any], kind: Any, where: str, hint: NameHint
    ) -> ir.TypeRef:
        if kind is None:
            kind = implied_type(schema)
        if kind == "null":
            return ir.Nullable(ir.ANY)
        if kind == "array":
            return self._array(schema, where, hint)
        if kind == "object":
            return self._object(schema, where, hint)
        if kind is None:
            return ir.ANY
        if kind not in _PRIMITIVES:
            raise SpecError(f"unsupported type {kind!r}", child(where, "type"))
        return self._primitive(schema, kind, where)

    def _primitive(self, schema: dict[str, Any], kind: str, where: str) -> ir.TypeRef:
        """A string, number or boolean, with its constraints (a pattern no
        regex engine reads left out)."""
        constraints = constraints_of(schema)
        if constraints.pattern is not None and not self._readable(
            constraints.pattern, child(where, "pattern")
        ):
            constraints = replace(constraints, pattern=None)
        return ir.Primitive(_PRIMITIVES[kind], schema.get("format"), constraints)

    def _readable(self, pattern: object, where: str) -> bool:
        """Whether a regex engine reads ``pattern``; if not, it is warned
        about and left unchecked rather than break the model at run time."""
        why = "not a string" if not isinstance(pattern, str) else unreadable(pattern)
        if why is not None:
            self.warn(where, f"a pattern no regex engine reads ({why}): not checked")
        return why is None

    def _array(self, schema: dict[str, Any], where: str, hint: NameHint) -> ir.TypeRef:
        """A list; 3.1 ``prefixItems`` (tuples) become a list of any of their
        item types, at most as long as the prefix when ``items`` is false."""
        prefix = schema.get("prefixItems")
        items = schema.get("items", True if isinstance(prefix, list) else {})
        max_items = schema.get("maxItems")
        options: list[ir.TypeRef] = []
        if isinstance(prefix, list):
            options = [
                self.type_of(p, child(where, "prefixItems", i), item_hint(hint))
                for i, p in enumerate(prefix)
            ]
        if items is False:
            bound = len(options)
            max_items = (
                bound if not isinstance(max_items, int) else min(max_items, bound)
            )
        else:
            options.append(self.type_of(items, child(where, "items"), item_hint(hint)))
        return ir.ListType(any_of(options), schema.get("minItems"), max_items)

    def _union(
        self, schema: dict[str, Any], key: str, where: str, hint: NameHint
    ) -> ir.TypeRef:
        options, met, nullable = self._union_options(schema, key, where, hint)
        if not options:
            result: ir.TypeRef = ir.ANY
        elif len(options) == 1:
            result = options[0]
        else:
            tagged = spec_discriminator(
                schema.get("discriminator"), met, self._literal_of
            )
            result = (
                ir.UnionType(tuple(options), tagged[0], tagged[1])
                if tagged
                else ir.UnionType(tuple(options), self._discriminator(options))
            )
        return ir.Nullable(result) if nullable else result

    def _union_options(
        self, schema: dict[str, Any], key: str, where: str, hint: NameHint
    ) -> tuple[list[ir.TypeRef], list[tuple[Any, ir.TypeRef]], bool]:
        """(the options, nested unions flattened and nulls pulled out; each
        option met with its type; whether null is one)."""
        options: list[ir.TypeRef] = []
        met: list[tuple[Any, ir.TypeRef]] = []
        nullable = schema.get("nullable") is True
        for i, option in enumerate(schema[key]):
            if option is False:
                continue  # matches nothing
            t = self.type_of(option, child(where, key, i), hint)
            met.append((option, t))
            if isinstance(t, ir.Nullable):
                nullable = True
                t = t.inner
            if t == ir.ANY and is_null_schema(option, self.raw):
                continue
            members = t.options if isinstance(t, ir.UnionType) else (t,)
            options.extend(m for m in members if m not in options)
        return options, met, nullable

    def _literal_of(self, t: ir.TypeRef, prop: str) -> str | None:
        """The const (or one-value enum) string a model declares for ``prop``."""
        shape = self.shapes.get(t.name) if isinstance(t, ir.ModelRef) else None
        for f in shape.fields if shape else ():
            if f.wire_name == prop and isinstance(f.type, ir.LiteralType):
                return f.type.value if isinstance(f.type.value, str) else None
        return None

    def _discriminator(self, options: list[ir.TypeRef]) -> str | None:
        """The first (by name) const property every option (all models) has."""
        models = [
            o for o in options if isinstance(o, ir.ModelRef) and o.name in self.shapes
        ]
        if len(models) != len(options):
            return None
        common = set.intersection(*(self._literal_fields(m.name) for m in models))
        return min(common) if common else None

    def _literal_fields(self, sid: str) -> set[str]:
        """The wire names of a model's const fields."""
        return {
            f.wire_name
            for f in self.shapes[sid].fields
            if isinstance(f.type, ir.LiteralType)
        }

    def _enum(self, schema: dict[str, Any], where: str, hint: NameHint) -> ir.TypeRef:
        raw_values = schema["enum"]
        if raw_values == []:
            return ir.ANY  # valid JSON Schema that no value matches: nothing to type
        if not isinstance(raw_values, list):
            raise SpecError("enum must be a non-empty list", child(where, "enum"))
        nullable = None in raw_values or schema.get("nullable") is True
        values = tuple(v for v in raw_values if v is not None)
        if len(values) == 1 or any(not isinstance(v, str) for v in values):
            result = literals(values, where)
        else:
            result = self._enum_shape(schema, values, where, hint)
        return or_null(result, nullable)

    def _enum_shape(
        self,
        schema: dict[str, Any],
        values: tuple[Any, ...],
        where: str,
        hint: NameHint,
    ) -> ir.TypeRef:
        """A string enum: a shape of its own, keyed by its values in any order."""
        key = ("enum", tuple(sorted(values, key=repr)))
        shape_id = self._register(key, "enum", where, schema, hint)
        self.shapes[shape_id].values = self.shapes[shape_id].values or values
        return ir.EnumRef(shape_id)

    def _object(
        self,
        schema: dict[str, Any],
        where: str,
        hint: NameHint,
        requires_any: tuple[tuple[str, ...], ...] = (),
    ) -> ir.TypeRef:
        properties = schema.get("properties") or {}
        if not properties:
            return self._dict(schema, where, hint)
        if not isinstance(properties, dict):
            raise SpecError("properties must be an object", child(where, "properties"))
        required = set(schema.get("required") or [])
        # The shape id of this object is not known until its fields are; children
        # name themselves after a placeholder parent that _register renames.
        placeholder = f"{SHAPE_PREFIX}pending:{where}"
        self._pending[placeholder] = []
        used_names: set[str] = set()
        fields = [
            self._field(
                wire,
                prop,
                wire in required,
                child(where, "properties", wire),
                NameHint(1, wire, placeholder),
                used_names,
            )
            for wire, prop in properties.items()
        ]
        # Defaults are no part of a type's identity: a default changed in one of
        # a shared object's copies keeps the one class (the first copy's default;
        # requests send only what the caller set, so the wire is unchanged).
        key = (
            "model",
            tuple(sorted((f.wire_name, f.type, f.required) for f in fields)),
            requires_any,
        )
        shape_id = self._register(key, "model", where, schema, hint)
        shape = self.shapes[shape_id]
        if not shape.fields:
            shape.fields = fields
            shape.requires_any = requires_any
        else:
            shape.fields = merge_defaults(shape.fields, fields)
        self._rehome_children(placeholder, shape_id)
        return ir.ModelRef(shape_id)

    def _dict(self, schema: dict[str, Any], where: str, hint: NameHint) -> ir.TypeRef:
        """An object with no properties: a dict of its additionalProperties."""
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            value = self.type_of(
                extra, child(where, "additionalProperties"), item_hint(hint)
            )
            return ir.DictType(value)
        return ir.DictType(ir.ANY)

    def _field(
        self,
        wire: str,
        prop: Any,
        required: bool,
        where: str,
        hint: NameHint,
        used_names: set[str],
    ) -> ir.Field:
        """One property of an object (its Python name unique in ``used_names``)."""
        t = self.type_of(prop, where, hint)
        has_default, default = self.default_of(prop, child(where, "default"), t)
        return ir.Field(
            wire_name=wire,
            python_name=unique(python_member(wire), used_names),
            type=t,
            required=required and not has_default,
            has_default=has_default,
            default=freeze(default) if has_default else None,
            doc=describe(prop, self.raw),
            deprecated=isinstance(prop, dict) and prop.get("deprecated") is True,
        )

    # -- bookkeeping -------------------------------------------------------------

    def _register(
        self,
        key: tuple[Any, ...],
        kind: str,
        where: str,
        schema: dict[str, Any],
        hint: NameHint,
    ) -> str:
        self.occurrences += 1
        shape_id = self._ids_by_key.get(key)
        if shape_id is None:
            shape_id = f"{SHAPE_PREFIX}{len(self._ids_by_key)}"
            self._ids_by_key[key] = shape_id
            self.shapes[shape_id] = Shape(shape_id, kind, where)
        shape = self.shapes[shape_id]
        if where not in shape.wheres:
            shape.wheres.append(where)
        self._append_hint(shape, hint)
        if not shape.doc:
            shape.doc = describe(schema, self.raw)
        return shape_id

    def _add_hint(self, t: ir.TypeRef, hint: NameHint) -> None:
        inner = ir.unwrap_nullable(t)
        if isinstance(inner, ir.ModelRef | ir.EnumRef) and inner.name in self.shapes:
            self._append_hint(self.shapes[inner.name], hint)

    def _add_where(self, t: ir.TypeRef, where: str) -> None:
        """A ``$ref`` names its type at the place of use too (for overrides)."""
        inner = ir.unwrap_nullable(t)
        if isinstance(inner, ir.ModelRef | ir.EnumRef) and inner.name in self.shapes:
            wheres = self.shapes[inner.name].wheres
            if where not in wheres:
                wheres.append(where)

    def _append_hint(self, shape: Shape, hint: NameHint) -> None:
        if hint.parent is not None and hint.parent in self._pending:
            self._pending[hint.parent].append((shape.id, len(shape.hints)))
        shape.hints.append(hint)

    def _rehome_children(self, placeholder: str, shape_id: str) -> None:
        for child_id, index in self._pending.pop(placeholder, []):
            old = self.shapes[child_id].hints[index]
            self.shapes[child_id].hints[index] = NameHint(
                old.priority, old.name, shape_id, old.component
            )

    def merge_all_of(self, schema: dict[str, Any], where: str) -> dict[str, Any]:
        """allOf -> one object (allof.merge_all_of)."""
        return merge_all_of(self.raw, schema, where)

    def merged(self, schema: Any, where: str) -> tuple[Any, str]:
        """``schema`` with its ``$ref``s followed and an ``allOf`` merged, and
        the pointer where it ended."""
        target, where = deref(self.raw, schema, where)
        if isinstance(target, dict) and "allOf" in target:
            target = self.merge_all_of(target, where)
        return target, where


def _not_one_of(value: Any, allowed: list[Any]) -> str | None:
    if is_one_of(value, allowed):
        return None
    return f"default {value!r} is not one of the allowed values"

"""Does one IR type accept every value of another, in SDK (Python) terms?

``accepts(wide, narrow)`` answers for a type of one version against a type of the
other. Models and enums met at the same place are *paired* (old name, new name) so the
caller can compare their fields and values once; their contents never decide the
answer here, so value changes are reported once, by the enum or model comparison.

Python types, not JSON: an ``int`` fits where a ``float`` is read, a ``date-time``
string is a ``datetime`` (not a ``str``), and a dict is no model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar, assert_never

from .. import ir


@dataclass(frozen=True)
class Tables:
    models: Mapping[str, ir.Model]
    enums: Mapping[str, ir.Enum]


@dataclass
class Pairs:
    """Models and enums met at the same place in both versions: (old, new) names."""

    models: set[tuple[str, str]] = field(default_factory=set)
    enums: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Relation:
    widened: bool  # the new type accepts every old value
    narrowed: bool  # the old type accepts every new value
    pairs: Pairs

    @property
    def same(self) -> bool:
        return self.widened and self.narrowed


def _literal_fits(p: ir.Primitive, value: ir.JsonScalar) -> bool:
    if isinstance(value, bool):
        return p.kind == "bool"
    if isinstance(value, int):
        return p.kind in ("int", "float")
    if isinstance(value, float):
        return p.kind == "float"
    return isinstance(value, str) and ir.python_class(p) == "str"


_Ref = TypeVar("_Ref", ir.ModelRef, ir.EnumRef)


class Comparer:
    """Type comparisons between an old and a new API, remembering what it paired."""

    def __init__(self, old: Tables, new: Tables) -> None:
        self.old = old
        self.new = new

    def _sides(self, wide_is_new: bool) -> tuple[Tables, Tables]:
        """The tables of the wide type's version, then of the narrow one's."""
        return (self.new, self.old) if wide_is_new else (self.old, self.new)

    def relate(self, old: ir.TypeRef, new: ir.TypeRef) -> Relation:
        pairs = Pairs()
        widened = self._accepts(new, old, wide_is_new=True, pairs=pairs)
        narrowed = self._accepts(old, new, wide_is_new=False, pairs=pairs)
        return Relation(widened, narrowed, pairs)

    # -- the relation ------------------------------------------------------------------

    def _accepts(
        self, wide: ir.TypeRef, narrow: ir.TypeRef, wide_is_new: bool, pairs: Pairs
    ) -> bool:
        if wide == ir.ANY:
            return True
        match narrow:
            case ir.Nullable():
                return isinstance(wide, ir.Nullable) and self._accepts(
                    wide.inner, narrow.inner, wide_is_new, pairs
                )
            case _ if isinstance(wide, ir.Nullable):
                return self._accepts(wide.inner, narrow, wide_is_new, pairs)
            case ir.UnionType():
                # A wide option that one narrow option names exactly stands for
                # that one only: a removed option is no rename of a kept one.
                claimed = _model_names(narrow) & _model_names(wide)
                return all(
                    self._option(wide, o, wide_is_new, pairs, claimed)
                    for o in narrow.options
                )
            case (
                ir.Primitive()
                | ir.ModelRef()
                | ir.EnumRef()
                | ir.LiteralType()
                | ir.ListType()
                | ir.DictType()
            ):
                return self._option(wide, narrow, wide_is_new, pairs)
            case _:
                assert_never(narrow)

    def _option(
        self,
        wide: ir.TypeRef,
        narrow: ir.TypeRef,
        wide_is_new: bool,
        pairs: Pairs,
        claimed: frozenset[str] = frozenset(),
    ) -> bool:
        """Does ``wide`` (maybe a union) accept ``narrow`` (no union, no null)?"""
        options = wide.options if isinstance(wide, ir.UnionType) else (wide,)
        match narrow:
            case ir.ModelRef():
                return self._model_option(options, narrow, wide_is_new, pairs, claimed)
            case ir.EnumRef():
                if self._enum_option(options, narrow, wide_is_new, pairs):
                    return True
            case (
                ir.Primitive()
                | ir.LiteralType()
                | ir.ListType()
                | ir.DictType()
                | ir.UnionType()
                | ir.Nullable()
            ):
                pass
            case _:
                assert_never(narrow)
        return any(self._simple(o, narrow, wide_is_new, pairs) for o in options)

    def _model_option(
        self,
        options: tuple[ir.TypeRef, ...],
        narrow: ir.ModelRef,
        wide_is_new: bool,
        pairs: Pairs,
        claimed: frozenset[str],
    ) -> bool:
        """A model of ``options`` (not ``claimed`` by another) pairs with
        ``narrow``: recorded in ``pairs``."""
        candidates = [
            o
            for o in options
            if isinstance(o, ir.ModelRef)
            and (o.name == narrow.name or o.name not in claimed)
        ]
        match = self._match_model(candidates, narrow, wide_is_new)
        if match is None:
            return False
        old, new = (narrow, match) if wide_is_new else (match, narrow)
        pairs.models.add((old.name, new.name))
        return True

    def _enum_option(
        self,
        options: tuple[ir.TypeRef, ...],
        narrow: ir.EnumRef,
        wide_is_new: bool,
        pairs: Pairs,
    ) -> bool:
        """An enum of ``options`` pairs with ``narrow``: recorded in ``pairs``."""
        enums = [o for o in options if isinstance(o, ir.EnumRef)]
        found = self._match_enum(enums, narrow, wide_is_new)
        if found is None:
            return False
        old, new = (narrow, found) if wide_is_new else (found, narrow)
        pairs.enums.add((old.name, new.name))
        return True

    def _simple(
        self, wide: ir.TypeRef, narrow: ir.TypeRef, wide_is_new: bool, pairs: Pairs
    ) -> bool:
        """Does ``wide`` (one option) accept ``narrow``, neither a model?"""
        wide_tables, narrow_tables = self._sides(wide_is_new)
        if wide == ir.ANY:
            return True
        match narrow:
            case ir.Primitive():
                return narrow.kind != "any" and _takes_primitive(wide, narrow)
            case ir.LiteralType():
                return _takes_literal(wide, narrow, wide_tables)
            case ir.EnumRef():
                values = _values(narrow_tables, narrow.name)
                return _takes_enum_values(wide, values, wide_tables)
            case ir.ListType() | ir.DictType():
                return self._contents(wide, narrow, wide_is_new, pairs)
            case ir.ModelRef() | ir.UnionType() | ir.Nullable():
                return False  # models pair in _option; unions and nulls in _accepts
            case _:
                assert_never(narrow)

    def _contents(
        self,
        wide: ir.TypeRef,
        narrow: ir.ListType | ir.DictType,
        wide_is_new: bool,
        pairs: Pairs,
    ) -> bool:
        """A container of the same kind whose items (or values) accept ``narrow``'s."""
        if isinstance(narrow, ir.ListType):
            return isinstance(wide, ir.ListType) and self._accepts(
                wide.item, narrow.item, wide_is_new, pairs
            )
        return isinstance(wide, ir.DictType) and self._accepts(
            wide.value, narrow.value, wide_is_new, pairs
        )

    # -- pairing models and enums inside unions ---------------------------------------

    def _match_enum(
        self, candidates: list[ir.EnumRef], narrow: ir.EnumRef, wide_is_new: bool
    ) -> ir.EnumRef | None:
        """The enum option standing for ``narrow``: same name, else the one sharing
        most values (None when no option or several share most)."""
        same = _named(candidates, narrow.name)
        if same is not None or not candidates:
            return same
        wide_tables, narrow_tables = self._sides(wide_is_new)
        values = set(_values(narrow_tables, narrow.name))
        shared = [len(values & set(_values(wide_tables, c.name))) for c in candidates]
        best = max(shared)
        if best == 0 or shared.count(best) > 1:
            return None
        return candidates[shared.index(best)]

    def _match_model(
        self, candidates: list[ir.ModelRef], narrow: ir.ModelRef, wide_is_new: bool
    ) -> ir.ModelRef | None:
        """The option standing for ``narrow``: same name, same tag, or the only one."""
        same = _named(candidates, narrow.name)
        if same is not None:
            return same
        wide_tables, narrow_tables = self._sides(wide_is_new)
        tags = _tags(narrow_tables, narrow.name)
        tagged = [c for c in candidates if tags & _tags(wide_tables, c.name)]
        if len(tagged) == 1:
            return tagged[0]
        return candidates[0] if len(candidates) == 1 else None


def _named(candidates: list[_Ref], name: str) -> _Ref | None:
    """The first candidate of that name."""
    return next((c for c in candidates if c.name == name), None)


def _takes_primitive(wide: ir.TypeRef, narrow: ir.Primitive) -> bool:
    match wide:
        case ir.Primitive():
            w, n = ir.python_class(wide), ir.python_class(narrow)
            return w == n or (w == "float" and n == "int")
        case (
            ir.ModelRef()
            | ir.EnumRef()
            | ir.LiteralType()
            | ir.ListType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return False
        case _:
            assert_never(wide)


def _takes_literal(wide: ir.TypeRef, narrow: ir.LiteralType, tables: Tables) -> bool:
    match wide:
        case ir.Primitive():
            return _literal_fits(wide, narrow.value)
        case ir.EnumRef():
            return narrow.value in _values(tables, wide.name)
        case ir.LiteralType():
            return wide.value == narrow.value and type(wide.value) is type(narrow.value)
        case (
            ir.ModelRef()
            | ir.ListType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return False
        case _:
            assert_never(wide)


def _takes_enum_values(
    wide: ir.TypeRef, values: tuple[str | int, ...], tables: Tables
) -> bool:
    """Does ``wide`` take every value of an enum? An enum option reaches here only
    when no one enum option stands for it (see _match_enum, which pairs them): the
    values decide, nothing is paired."""
    match wide:
        case ir.Primitive():
            return ir.python_class(wide) == "str" and all(
                isinstance(v, str) for v in values
            )
        case ir.EnumRef():
            return set(values) <= set(_values(tables, wide.name))
        case ir.LiteralType():
            return values == (wide.value,)
        case (
            ir.ModelRef()
            | ir.ListType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return False
        case _:
            assert_never(wide)


def _model_names(t: ir.TypeRef) -> frozenset[str]:
    """Names of the models a union (or a single type) offers as options."""
    options = t.options if isinstance(t, ir.UnionType) else (t,)
    return frozenset(o.name for o in options if isinstance(o, ir.ModelRef))


def _values(tables: Tables, name: str) -> tuple[str | int, ...]:
    found = tables.enums.get(name)
    return found.values if found else ()


def _tags(tables: Tables, name: str) -> set[tuple[str, ir.JsonScalar]]:
    """The const fields of a model (its discriminator values), as (field, value)."""
    model = tables.models.get(name)
    if model is None:
        return set()
    return {
        (f.wire_name, f.type.value)
        for f in model.fields
        if isinstance(f.type, ir.LiteralType)
    }

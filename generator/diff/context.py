"""The two versions being compared, and the collector the comparisons report to."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .. import ir
from .reach import SHARED, Reach, build_reach
from .report import Change, Side, SpecInfo
from .rules import LEVEL_RANK, rule
from .typecompat import Comparer, Relation, Tables


@dataclass(frozen=True)
class Version:
    info: SpecInfo
    api: ir.Api
    raw: dict[str, Any]
    tables: Tables
    reach: Reach


def make_version(info: SpecInfo, api: ir.Api, raw: dict[str, Any]) -> Version:
    tables = Tables(
        models={m.name: m for m in api.models}, enums={e.name: e for e in api.enums}
    )
    return Version(info, api, raw, tables, build_reach(api))


@dataclass
class Mapping:
    """Old type name -> new type name, for types present in both (maybe renamed)."""

    models: dict[str, str] = field(default_factory=dict)
    enums: dict[str, str] = field(default_factory=dict)

    def maps(self, old: str, new: str) -> bool:
        return self.models.get(old) == new or self.enums.get(old) == new

    def names(self) -> dict[str, str]:
        return {**self.models, **self.enums}


@dataclass(frozen=True)
class SlotRename:
    """A place where the type's class changed to one that is not its successor."""

    old_name: str
    new_name: str


class Context:
    def __init__(self, old: Version, new: Version) -> None:
        self.old = old
        self.new = new
        self.comparer = Comparer(old.tables, new.tables)
        self.mapping = Mapping()
        self._changes: dict[tuple[str, ...], Change] = {}

    # -- types -------------------------------------------------------------------------

    def relate(self, old: ir.TypeRef, new: ir.TypeRef) -> Relation:
        return self.comparer.relate(old, new)

    def slot_renames(self, relation: Relation) -> list[SlotRename]:
        """Classes met at one place whose names changed, not by a rename of the type."""
        found = relation.pairs.models | relation.pairs.enums
        return [
            SlotRename(o, n)
            for o, n in sorted(found)
            if o != n and not self.mapping.maps(o, n)
        ]

    def same_type(self, old: ir.TypeRef | None, new: ir.TypeRef | None) -> bool:
        """Equal once old names are replaced by their successors."""
        if old is None or new is None:
            return old is new
        names = {**_identity(self.old.api), **self.mapping.names()}
        try:
            return ir.rename(old, names) == new
        except KeyError:  # a type with no successor
            return False

    def resource_of(self, used_by: tuple[str, ...], fallback: str) -> str:
        """The one resource of the operations/events, else the shared types."""
        found = {
            self.new.reach.resource_of.get(u) or self.old.reach.resource_of.get(u)
            for u in used_by
        }
        if not found:
            return fallback
        return str(found.pop()) if len(found) == 1 else SHARED

    # -- collecting --------------------------------------------------------------------

    def add(
        self,
        rule_id: str,
        *,
        resource: str,
        subject: str,
        message: str,
        sdk: str,
        pointer: str,
        side: Side = "new",
        used_by: tuple[str, ...] = (),
        topic: str = "",
    ) -> None:
        """Record a change. Changes sharing a ``topic`` on one subject (a field met on
        both the request and the response side) are one change: the worst stays. A
        change met again (through other operations) adds to its ``used_by``."""
        change = Change(
            rule(rule_id), resource, subject, message, sdk, pointer, side, used_by
        )
        key = (subject, topic) if topic else (rule_id, subject, message)
        kept = self._changes.get(key)
        if kept is not None:
            both = tuple(sorted(set(kept.used_by) | set(used_by)))
            where = kept.resource if kept.resource == resource else SHARED
            winner = change if _worse(change, kept) else kept
            change = replace(winner, used_by=both, resource=where)
        self._changes[key] = change

    def changes(self) -> tuple[Change, ...]:
        return tuple(sorted(self._changes.values(), key=Change.sort_key))


def _worse(a: Change, b: Change) -> bool:
    return (LEVEL_RANK[a.rule.level], a.rule.id) < (LEVEL_RANK[b.rule.level], b.rule.id)


def _identity(api: ir.Api) -> dict[str, str]:
    names = {m.name: m.name for m in api.models}
    names.update({e.name: e.name for e in api.enums})
    return names

"""What a diff found: changes (one per rule hit) and the report around them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from .rules import LEVEL_RANK, LEVELS, Rule, worst_bump

Side = Literal["old", "new"]


@dataclass(frozen=True)
class Change:
    rule: Rule
    # Where the change shows in the SDK: "bots", "calendars.events", "webhooks", "api".
    resource: str
    # The API object it is about, by its IR name: "POST /v2/bots", "Bot.duration".
    subject: str
    # What changed, in API terms.
    message: str
    # What it means for code using the generated SDK.
    sdk: str
    # JSON pointer into the spec on ``side`` (the old spec for removals).
    pointer: str
    side: Side
    # Operations and events that reach the subject ("POST /v2/bots", "bot.completed").
    used_by: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        return self.rule.level

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (
            LEVEL_RANK[self.rule.level],
            self.resource,
            self.subject,
            self.rule.id,
            self.message,
        )


@dataclass(frozen=True)
class SpecInfo:
    source: str
    title: str
    version: str
    sha256: str


@dataclass(frozen=True)
class DiffReport:
    old: SpecInfo
    new: SpecInfo
    changes: tuple[Change, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        found = Counter(c.rule.level for c in self.changes)
        return {level: found.get(level, 0) for level in LEVELS}

    @property
    def bump(self) -> str:
        """Suggested SDK version bump: the largest any change implies."""
        return worst_bump([c.rule.bump for c in self.changes])

    def at_or_above(self, level: str) -> list[Change]:
        limit = LEVEL_RANK[level]
        return [c for c in self.changes if LEVEL_RANK[c.rule.level] <= limit]

    def resources(self) -> list[str]:
        return sorted({c.resource for c in self.changes})

"""``sdkgen diff``: what changes between two API versions for users of the SDK."""

from __future__ import annotations

from .engine import diff_sources, diff_specs, diff_versions
from .report import Change, DiffReport, SpecInfo
from .rules import RULES, Rule

__all__ = [
    "RULES",
    "Change",
    "DiffReport",
    "Rule",
    "SpecInfo",
    "diff_sources",
    "diff_specs",
    "diff_versions",
]

"""A diff report as text, markdown, json or GitHub Actions annotations.

Pure functions from a ``DiffReport`` to strings; the CLI decides where they go.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from .report import Change, DiffReport
from .rules import LEVELS

JSON_SCHEMA_VERSION = 1

# Resource labels as a user sees them in code.
_SPECIAL_RESOURCES = {
    "api": "the client",
    "webhooks": "webhooks and callbacks",
    "types": "types shared by several resources",
}


def fails(report: DiffReport, fail_on: str) -> bool:
    """Whether a change at or above ``fail_on`` was found (``never``: never)."""
    return fail_on != "never" and bool(report.at_or_above(fail_on))


def resource_label(resource: str) -> str:
    return _SPECIAL_RESOURCES.get(resource, f"client.{resource}")


def _title(report: DiffReport) -> str:
    return (
        f"{report.old.title} {report.old.version} ({report.old.source}) -> "
        f"{report.new.title} {report.new.version} ({report.new.source})"
    )


def _count_line(report: DiffReport) -> str:
    counts = report.counts()
    return ", ".join(f"{counts[level]} {level}" for level in LEVELS)


# -- text -----------------------------------------------------------------------------


def to_text(report: DiffReport) -> str:
    lines = [_title(report)]
    if not report.changes:
        lines.append("No changes that affect the SDK.")
        return "\n".join(lines) + "\n"
    lines.append(f"{_count_line(report)}; suggested SDK bump: {report.bump}")
    for level in LEVELS:
        found = [c for c in report.changes if c.level == level]
        if not found:
            continue
        lines += ["", f"{level.upper()} ({len(found)})"]
        for change in found:
            lines += _text_lines(change)
    return "\n".join(lines) + "\n"


def _text_lines(change: Change) -> list[str]:
    """One change in the text report: what, its SDK meaning, users, where."""
    lines = [
        f"  [{change.rule.id}] {change.subject}: {change.message}",
        f"      SDK: {change.sdk}",
    ]
    if change.used_by:
        lines.append(f"      used by: {', '.join(change.used_by)}")
    lines.append(f"      at: {change.side} spec {change.pointer}")
    return lines


# -- json -----------------------------------------------------------------------------


def _change_json(change: Change) -> dict[str, object]:
    return {
        "level": change.level,
        "rule": change.rule.id,
        "resource": change.resource,
        "subject": change.subject,
        "message": change.message,
        "sdk": change.sdk,
        "pointer": change.pointer,
        "side": change.side,
        "used_by": list(change.used_by),
        "bump": change.rule.bump,
    }


def to_json(report: DiffReport) -> str:
    def spec(info: object) -> dict[str, str]:
        return {k: getattr(info, k) for k in ("source", "title", "version", "sha256")}

    doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "old": spec(report.old),
        "new": spec(report.new),
        "summary": {**report.counts(), "bump": report.bump},
        "changes": [_change_json(c) for c in report.changes],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- markdown -------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    """Escape spec text for a table cell or a line of the markdown report (a PR
    comment): pipes everywhere; outside code spans, angle brackets, link
    brackets, and the ``@``/``#`` that would ping a person or team or link an
    issue. Unpaired backticks are escaped, so spec text cannot end a span."""
    text = text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    if text.count("`") % 2:
        return _md_prose(text.replace("`", "\\`"))
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside backticks
        parts[i] = _md_prose(parts[i])
    return "`".join(parts)


_LINK_BRACKETS = re.compile(r"([\[\]])")
_PING = re.compile(r"([@#])(?=[\w-])")


def _md_prose(text: str) -> str:
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _PING.sub("\\1\u200b", _LINK_BRACKETS.sub(r"\\\1", text))


def _md_code(text: str) -> str:
    """One-line ``text`` as a code span (escaped text, when it holds a
    backtick): nothing in a code span pings or links."""
    plain = text.replace("\r", " ").replace("\n", " ")
    return _md_cell(plain) if "`" in plain else f"`{plain}`"


def _by_resource(changes: Iterable[Change]) -> dict[str, list[Change]]:
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        grouped.setdefault(change.resource, []).append(change)
    return dict(sorted(grouped.items()))


def _md_label(resource: str) -> str:
    label = resource_label(resource)
    return f"`{label}`" if label.startswith("client.") else label


def to_markdown(report: DiffReport) -> str:
    old, new = report.old, report.new
    lines = [
        f"## API diff: {_md_cell(old.version)} -> {_md_cell(new.version)}",
        "",
        f"{_md_code(old.source)} -> {_md_code(new.source)}",
        "",
    ]
    if not report.changes:
        lines.append("No changes that affect the SDK.")
        return "\n".join(lines) + "\n"
    lines += [f"Suggested SDK version bump: **{report.bump}**", ""]
    lines += _md_counts(report)
    lines += _md_sections(report.changes)
    return "\n".join(lines)


def _md_sections(changes: tuple[Change, ...]) -> list[str]:
    """Breaking first, then warnings, open; the rest folded away, so the changes
    that fail CI never sit below dozens of additions."""
    lines: list[str] = []
    for level, heading in (("breaking", "Breaking"), ("warning", "Warnings")):
        found = [c for c in changes if c.level == level]
        if found:
            lines += [f"### {heading} ({len(found)})", ""]
            lines += _md_rows(found)
    rest = [c for c in changes if c.level not in ("breaking", "warning")]
    if rest:
        lines += [
            "<details>",
            f"<summary>Other changes ({len(rest)})</summary>",
            "",
            *_md_rows(rest),
            "</details>",
            "",
        ]
    return lines


def _md_counts(report: DiffReport) -> list[str]:
    """The table of how many changes of each level each resource has."""
    lines = ["| Where in the SDK | " + " | ".join(LEVELS) + " |"]
    lines += ["|---|" + "---:|" * len(LEVELS)]
    for resource, changes in _by_resource(report.changes).items():
        counts = [sum(c.level == level for c in changes) for level in LEVELS]
        cells = " | ".join(str(n) for n in counts)
        lines.append(f"| {_md_label(resource)} | {cells} |")
    totals = " | ".join(f"**{n}**" for n in report.counts().values())
    return [*lines, f"| **total** | {totals} |", ""]


def _md_rows(changes: Iterable[Change]) -> list[str]:
    """One table per resource: level, change (and who uses it), SDK meaning."""
    lines: list[str] = []
    for resource, group in _by_resource(changes).items():
        lines += [f"#### {_md_label(resource)}", ""]
        lines += ["| Level | Change | What it means in the SDK |", "|---|---|---|"]
        for c in group:
            what = _md_cell(f"{c.subject}: {c.message}")
            if c.used_by:
                what += "<br>used by: " + _md_cell(", ".join(c.used_by))
            lines.append(
                f"| {c.level} | {what} <br>`{c.rule.id}` | {_md_cell(c.sdk)} |"
            )
        lines.append("")
    return lines


# -- GitHub Actions -------------------------------------------------------------------

_ANNOTATION = {"breaking": "error", "warning": "warning"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: DiffReport) -> str:
    """Workflow commands: one ``::error``/``::warning`` per breaking/warning change.

    Info changes are left to the step summary: GitHub shows few annotations a step.
    """
    lines = []
    for change in report.changes:
        kind = _ANNOTATION.get(change.level)
        if kind is None:
            continue
        title = _escape_property(f"{change.rule.id}: {change.subject}")
        message = _escape_data(f"{change.message}. SDK: {change.sdk}")
        lines.append(f"::{kind} title={title}::{message}")
    lines.append(f"API diff: {_count_line(report)}; suggested SDK bump: {report.bump}")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[DiffReport], str]] = {
    "text": to_text,
    "markdown": to_markdown,
    "json": to_json,
    "github": to_github,
}

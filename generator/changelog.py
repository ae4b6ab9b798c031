"""The changelog ``sdkgen release`` keeps: an entry per release, written from
the API diff in the SDK's terms, on top of the ones before. Notes written by
hand under ``## Unreleased`` go into the next release's entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from . import ir
from .diff import Change, DiffReport
from .parse.loader import LoadedSpec

CHANGELOG_NAME = "CHANGELOG.md"
CHANGELOG_TITLE = "# Changelog"
SECTIONS = ("Breaking", "Added", "Changed", "Fixed")
# Rule ids where the SDK's types now describe the API more exactly.
_FIXED_RULES = frozenset(
    {
        "response-property-became-non-nullable",
        "response-property-became-required",
        "response-property-type-narrowed",
    }
)
_CALL = re.compile(r"`client\.[\w.]+\(\)`")
_STATUS = re.compile(r"\berror (\w+)")
UNRELEASED = "## Unreleased"


def section(change: Change) -> str:
    """The changelog section a change belongs in."""
    if change.level == "breaking":
        return "Breaking"
    if change.rule.id in _FIXED_RULES:
        return "Fixed"
    if change.rule.action in ("added", "value-added"):
        return "Added"
    return "Changed"


def entry_lines(report: DiffReport) -> dict[str, list[str]]:
    """Section -> one line per change, in the SDK's terms, deduplicated, in order.

    Error responses raise by status whatever the spec says, so their changes share
    one line naming each call and status.
    """
    lines: dict[str, list[str]] = {name: [] for name in SECTIONS}
    errors: list[str] = []
    for change in sorted(report.changes, key=Change.sort_key):
        if change.rule.area == "error" and change.level != "breaking":
            errors.append(error_item(change))
            continue
        line = change.sdk
        if line not in lines[section(change)]:
            lines[section(change)].append(line)
    if errors:
        lines["Changed"].append(
            "Error responses, no code change (errors are raised by status either "
            "way): " + ", ".join(dict.fromkeys(errors))
        )
    return lines


_ERROR_ACTION = {
    "added": "documented",
    "removed": "no longer documented",
    "type-changed": "body changed",
}


def error_item(change: Change) -> str:
    """``client.bots.list()`` 429 documented: one error-response change."""
    call = _CALL.search(change.sdk)
    status = _STATUS.search(change.message)
    where = call.group(0) if call else f"`{change.subject}`"
    code = status.group(1) if status else "?"
    return f"{where} {code} {_ERROR_ACTION.get(change.rule.action, change.rule.action)}"


def source_label(source: str) -> str:
    """A short, machine-independent name for where the spec came from."""
    if source.startswith("git:"):
        return source
    return PurePosixPath(source.split("?", 1)[0].replace("\\", "/")).name or source


def make_entry(
    version: str,
    date: str,
    report: DiffReport,
    docs_only: bool,
    unexplained: Sequence[str] = (),
    api: str = "",
) -> str:
    """The changelog entry; ``api``: the package's other API it is about, shown
    as ``The `v1` API (`package.v1`)``, and ``first`` release of it."""
    new = report.new
    out = [
        f"## {version} ({date})",
        "",
        f"{api}From `{source_label(new.source)}` ({new.title} {new.version}, spec "
        f"sha256 `{new.sha256[:12]}`). API diff: {counts_line(report)}; "
        f"suggested bump: {report.bump}.",
    ]
    lines = entry_lines(report)
    if docs_only:
        lines["Fixed"].append("Docstrings updated from the new spec; no code changes.")
    if unexplained:
        lines["Changed"].append(
            "Generated code changed with no API finding to explain it (a minor "
            f"release to be safe): {', '.join(f'`{f}`' for f in unexplained)}."
        )
    for name in SECTIONS:
        if lines[name]:
            out += ["", f"### {name}", ""]
            out += [f"- {line}" for line in lines[name]]
    return "\n".join(out) + "\n"


def counts_line(report: DiffReport) -> str:
    counts = report.counts()
    return ", ".join(f"{n} {level}" for level, n in counts.items())


def first_entry(version: str, api: ir.Api, spec: LoadedSpec) -> str:
    """The entry for the release a changelog starts from."""
    return (
        f"## {version}\n\nFirst release, from `{source_label(spec.source)}` "
        f"({api.title} {api.version}, spec sha256 `{spec.sha256[:12]}`): "
        f"{len(api.operations)} operations, {len(api.models)} models, "
        f"{len(api.enums)} enums, {len(api.events)} webhook events.\n"
    )


def prepend(changelog: str | None, entry: str, first: str) -> str:
    """The changelog with ``entry`` on top (started with ``first`` if new); the
    notes under ``## Unreleased``, if the changelog has them, join the entry."""
    if changelog is None:
        return f"{CHANGELOG_TITLE}\n\n{entry}\n{first}"
    head, sep, rest = changelog.partition("\n## ")
    if not sep:
        return f"{changelog.rstrip()}\n\n{entry}"
    notes, rest = _unreleased("## " + rest)
    if notes:
        entry = with_notes(entry, notes)
    return f"{head.rstrip()}\n\n{entry}" + (f"\n{rest}" if rest else "")


def _unreleased(sections: str) -> tuple[str, str]:
    """(the body of a leading ``## Unreleased`` section, the sections after)."""
    first, sep, rest = sections.partition("\n## ")
    title, _, body = first.partition("\n")
    if title.strip() != UNRELEASED:
        return "", sections
    return body.strip(), ("## " + rest if sep else "")


def with_notes(entry: str, notes: str) -> str:
    """``entry`` with hand-written ``notes`` added: the lines under a ``###``
    heading the entry has go at the end of its section, others after it."""
    blocks = _blocks(entry.rstrip("\n"))
    for title, lines in _blocks(notes).items():
        found = blocks.setdefault(title, [])
        if not title and found and lines:
            found.append("")  # a paragraph of its own below the summary
        found.extend(lines)
    out: list[str] = []
    for title, lines in blocks.items():
        if title:
            out += ["", title, ""]
        out += [line for line in lines if line.strip() or not title]
    return "\n".join(out).strip("\n") + "\n"


def _blocks(text: str) -> dict[str, list[str]]:
    """``### `` heading (``""`` for the text before the first) -> its lines."""
    blocks: dict[str, list[str]] = {"": []}
    title = ""
    for line in text.splitlines():
        if line.startswith("### "):
            title = line.strip()
            blocks.setdefault(title, [])
        else:
            blocks[title].append(line)
    blocks[""] = _trimmed(blocks[""])
    return blocks


def _trimmed(lines: list[str]) -> list[str]:
    """``lines`` without blank lines at either end."""
    text = "\n".join(lines).strip("\n")
    return text.split("\n") if text else []

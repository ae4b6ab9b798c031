"""The configuration reference (docs/configuration.md) and the commented
sdkgen.toml ``sdkgen init`` writes, both made from configkeys.SCHEMA, so neither
can list a key the loader does not know or miss one it does.

``python -m generator.configdoc`` rewrites the reference (``nox -s configdoc``);
``--check`` exits 1 when the committed one differs (tests/test_configdoc.py).
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from .configkeys import API_SCHEMA, SCHEMA, Key

DOC_PATH = Path("docs") / "configuration.md"
_GENERATED = (
    "<!-- Generated from generator/configkeys.py by `python -m generator.configdoc`"
    " (nox -s configdoc); edit that, not this file. -->"
)
_INTRO = """\
`sdkgen.toml` configures the SDK `sdkgen` makes from a spec. `generate` and
`diff` read the one beside the spec (or `--config`); `release` and a run without
`--spec` read `spec/sdkgen.toml` of the current folder. Every value that reaches
generated code is checked when the file loads (an error names the key, exit 2).
A key sdkgen does not know is a warning naming the closest known one;
`--strict` refuses it. `sdkgen init` writes a file with every key below, commented.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def example_line(key: Key) -> str:
    """The key as a line of TOML with its example value."""
    if key.name.startswith("<") or key.type == "table":
        return key.example
    return f"{key.name} = {key.example}"


def _table(keys: Sequence[Key]) -> list[str]:
    lines = [
        "| Key | Type | Default | Example | Meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key in keys:
        cells = (
            _code(key.name),
            key.type,
            key.default,
            _code(example_line(key)),
            key.meaning,
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def reference() -> str:
    """docs/configuration.md."""
    lines = ["# `sdkgen.toml` reference", "", _GENERATED, "", _INTRO.rstrip(), ""]
    for table, (about, keys) in SCHEMA.items():
        lines += [f"## `[{table}]`", "", about, "", *_table(keys), ""]
    lines += [
        "## `[apis.<module>]`",
        "",
        "One more API of the package, as `<package>.<module>`.",
        "",
        *_table(API_SCHEMA),
        "",
    ]
    return "\n".join(lines)


def commented_toml(values: Mapping[str, Mapping[str, str]], header: str) -> str:
    """An sdkgen.toml with every key: those in ``values`` (table -> key -> a
    TOML value) set, the others commented out with their example."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for table, (about, keys) in SCHEMA.items():
        own = values.get(table, {})
        lines += ["", *_comment(about)]
        if table == "apis":
            lines += _api_tables()
            continue
        lines.append(f"[{table}]" if own else f"# [{table}]")
        for key in keys:
            lines += _comment(f"{key.meaning} Default: {key.default}.")
            if key.name in own:
                lines.append(f"{key.name} = {own[key.name]}")
            else:
                lines.append(f"# {example_line(key)}")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, 88, initial_indent="# ", subsequent_indent="# ")


def _api_tables() -> list[str]:
    lines = ["# [apis.v1]"]
    for key in API_SCHEMA:
        if key.type != "table":
            lines += _comment(f"{key.meaning} Default: {key.default}.")
            lines.append(f"# {key.name} = {key.example}")
    for key in API_SCHEMA:
        if key.type == "table":
            lines += _comment(key.meaning)
            lines += [f"# [apis.v1.{key.name}]", f"# {key.example}"]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    root = Path(next((a for a in args if a != "--check"), "."))
    path = root / DOC_PATH
    text = reference()
    try:
        current = path.read_text("utf-8")
    except FileNotFoundError:
        current = None
    if current == text:
        print(f"{path}: up to date")
        return 0
    if check:
        print(f"{path}: out of date; run python -m generator.configdoc")
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    print(f"{path}: written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

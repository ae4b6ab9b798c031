"""Writes constraints.txt: the exact versions of everything `.[test]` and `.[dev]`
install, as found in the current environment.

Run it (`nox -s lock` or `python tools/lock.py`) after changing a dependency in
pyproject.toml and checking that the suite passes; the README's commands install
with `-c constraints.txt`, so a fresh machine gets the versions CI used.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "meetingbaas-sdkgen"
EXTRAS = ("test", "dev")


def _wanted(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    base = {k: str(v) for k, v in default_environment().items()}
    return any(
        req.marker.evaluate({**base, "extra": extra}) for extra in sorted(extras | {""})
    )


def closure() -> dict[str, str]:
    """canonical name -> installed version, for the project's extras' closure."""
    found: dict[str, str] = {}
    todo: list[tuple[str, set[str]]] = [(PROJECT, set(EXTRAS))]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), frozenset(extras))
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(name)
        if key[0] != PROJECT:
            found[key[0]] = dist.version
        for text in dist.requires or []:
            req = Requirement(text)
            if canonicalize_name(req.name) == PROJECT:
                todo.append((PROJECT, set(req.extras)))
            elif _wanted(req, extras):
                todo.append((req.name, set(req.extras)))
    return found


def main() -> int:
    pins = closure()
    lines = [
        "# Exact versions CI uses for `pip install -c constraints.txt -e '.[test]'`.",
        "# Written by tools/lock.py from a passing environment; do not edit by hand.",
        *(f"{name}=={version}" for name, version in sorted(pins.items())),
    ]
    (ROOT / "constraints.txt").write_text("\n".join(lines) + "\n")
    print(f"constraints.txt: {len(pins)} packages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``sdkgen init``: start a repository for another API's SDK.

Writes, under ``--dir``: the spec (a file or an http(s) URL, fetched with
urllib) into ``spec/``, ``spec/sdkgen.toml`` naming it in ``[package] spec``
with every other key commented (configdoc, from configkeys: it cannot drift), two
GitHub workflows (the API diff on pull requests, a scheduled release pull
request) and a README section; ``sdkgen generate`` then needs no flags there.

Nothing is ever overwritten: a file that is already there must hold what init
would write (then it is left alone, so a second run changes nothing), else
init refuses, naming it, before writing anything (exit 2). A README without
the section gets it appended; one with a different section is refused.
"""

from __future__ import annotations

import os
import re
import stat
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .configcheck import check_config
from .configdoc import commented_toml
from .errors import SpecError
from .scaffoldfiles import diff_workflow, release_workflow

_SPEC_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:ya?ml|json)")
README_BEGIN = "<!-- sdkgen init: begin -->"
README_END = "<!-- sdkgen init: end -->"
_HEADER = """\
sdkgen.toml: how `sdkgen` makes the Python SDK in generated/ from the spec in
this folder. Every key sdkgen reads is below; a commented one keeps its default.
Reference: docs/configuration.md in the meetingbaas-sdkgen repository.
`sdkgen release` bumps [package] version; `generate --strict` refuses a key it
does not know."""


@dataclass(frozen=True)
class Planned:
    """One file init writes: its path under the folder and its bytes."""

    rel: str
    data: bytes


def init(source: str, package: str | None, folder: Path, max_bytes: int) -> str:
    """Scaffold ``folder``; the summary printed (raises SpecError, exit 2)."""
    from .parse.loader import check_version, parse_text, read_source

    data = read_source(source, max_bytes)
    doc = parse_text(data, source)
    check_version(doc)
    name = _package_name(doc, package)
    spec_name = spec_file_name(source, data)
    files = planned_files(spec_name, data, name)
    readme = folder / "README.md"
    current = _read(readme)
    files.append(Planned("README.md", readme_text(current, name, readme)))
    written = [p.rel for p in files if _needs_writing(folder / p.rel, p.data)]
    for planned in files:
        if planned.rel in written:
            _write(folder / planned.rel, planned.data, planned.rel == "README.md")
    return _summary(folder, files, written, name)


def _package_name(doc: dict[str, Any], package: str | None) -> str:
    """``--package``, else one made of the spec's title; checked as the config
    checks ``package.name``."""
    info = doc.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    name = package or default_package(str(title or "api"))
    try:
        check_config({"package": {"name": name}}, Path("--package"))
    except SpecError as exc:
        raise SpecError(exc.message, "--package") from None
    return name


def _summary(folder: Path, files: list[Planned], written: list[str], name: str) -> str:
    """What init printed: each file written or unchanged, then the next step."""
    lines = [f"{folder / rel}: written" for rel in written]
    lines += [f"{folder / p.rel}: unchanged" for p in files if p.rel not in written]
    lines.append(
        f"next: cd {folder} && sdkgen generate  (package {name!r} in generated/)"
    )
    return "\n".join(lines) + "\n"


def default_package(title: str) -> str:
    """``<title>_client``: a name of its own, never the vendor's SDK's."""
    from .naming import sdk_names

    return sdk_names(title)[0]


def spec_file_name(source: str, data: bytes) -> str:
    """The spec's name in spec/: its own (a URL's last path segment) when that
    is a plain ``.yaml``/``.json`` name, else ``openapi.yaml``/``openapi.json``."""
    if source.startswith(("http://", "https://")):
        base = urllib.parse.unquote(urllib.parse.urlsplit(source).path)
    else:
        base = source
    name = base.replace("\\", "/").rsplit("/", 1)[-1]
    if _SPEC_FILE.fullmatch(name) and name != "sdkgen.toml":
        return name
    return "openapi.json" if data.lstrip()[:1] in (b"{", b"[") else "openapi.yaml"


def planned_files(spec_name: str, data: bytes, package: str) -> list[Planned]:
    """Everything but the README, in the order written."""
    values = {
        "name": f'"{package}"',
        "distribution": f'"{package.replace("_", "-")}"',
        "version": '"0.1.0"',
        "spec": f'"{spec_name}"',
    }
    config = commented_toml({"package": values}, _HEADER)
    return [
        Planned(f"spec/{spec_name}", data),
        Planned("spec/sdkgen.toml", config.encode("utf-8")),
        Planned(".github/workflows/sdk-diff.yml", diff_workflow(spec_name).encode()),
        Planned(
            ".github/workflows/sdk-release.yml", release_workflow(spec_name).encode()
        ),
    ]


def readme_section(package: str) -> str:
    return f"""{README_BEGIN}
## The Python SDK

`generated/` holds `{package}`, a typed Python SDK that sdkgen (the
`meetingbaas-sdkgen` package) makes from the spec in `spec/`
(`spec/sdkgen.toml` configures it: every key is listed there, commented).

    pip install "meetingbaas-sdkgen=={__version__}"
    sdkgen generate            # spec/ -> generated/
    sdkgen generate --check    # exit 1 if generated/ is out of date
    pip install ./generated    # the SDK (again after each generate)

- `.github/workflows/sdk-diff.yml`: on a pull request that changes `spec/`, says
  what changes for SDK users and fails on a breaking change unless the pull
  request carries the label `accept-breaking-api`.
- `.github/workflows/sdk-release.yml`: every weekday, fetches the spec from the
  repository variable `SDK_SPEC_URL` and opens a pull request made by
  `sdkgen release` (new spec, regenerated SDK, bumped version, changelog).
{README_END}
"""


def readme_text(current: bytes | None, package: str, path: Path) -> bytes:
    """The README with the section: appended to one without it."""
    section = readme_section(package)
    if current is None:
        return f"# {package}\n\n{section}".encode()
    text = current.decode("utf-8", errors="replace")
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 and end < 0:
        return (text.rstrip("\n") + "\n\n" + section).encode()
    if end > begin >= 0 and text[begin : end + len(README_END) + 1] == section:
        return current
    raise SpecError(
        f"its sdkgen section ({README_BEGIN} ... {README_END}) differs from the one "
        "init writes; init never overwrites it: remove the section to rewrite it",
        str(path),
    )


def _read(path: Path) -> bytes | None:
    """A file init may keep or extend: a regular file's bytes, None when
    absent; anything else there (a symlink, a folder) is refused."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise SpecError("in the way: not a regular file (a symlink?)", str(path))
    return path.read_bytes()


def _write(path: Path, data: bytes, extend: bool) -> None:
    """A new file (or the README, extended), never through a symlink."""
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    flags |= os.O_TRUNC if extend and path.exists() else os.O_CREAT | os.O_EXCL
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, flags, 0o644), "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise SpecError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def _needs_writing(path: Path, data: bytes) -> bool:
    """Whether ``path`` is absent (init writes it); refuses one that differs."""
    current = _read(path)
    if current is None:
        return True
    if current != data and path.name != "README.md":
        raise SpecError(
            "exists and differs from what init writes; init never overwrites a "
            "file: move it away to have it written",
            str(path),
        )
    return path.name == "README.md" and current != data

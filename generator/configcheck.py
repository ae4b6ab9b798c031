"""``sdkgen.toml`` values that reach generated code, checked when the config loads.

The config is untrusted input: its package name becomes a folder and ``import``
lines, its version a string in ``_version.py`` and ``pyproject.toml``, its type
and method names class and method names. Each is held to the rules of its place
(an error names the key, exit 2), so no value can carry code or TOML into the SDK.
A package may not shadow the standard library or the SDK's own dependencies:
``import json`` would then find the SDK, and the SDK would break.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# What the generated SDK imports besides the standard library (httpx and
# pydantic, and what they import), plus names every SDK needs free.
SDK_DEPENDENCIES = frozenset(
    {
        "httpx",
        "httpcore",
        "h11",
        "anyio",
        "sniffio",
        "certifi",
        "idna",
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "typing_extensions",
        "typing_inspection",
    }
)
_BUILTINS = frozenset(dir(builtins))
# PEP 508 project names.
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,98}[A-Za-z0-9])?")
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]{0,99}")
SHADOW_SUFFIX = "_client"


def shadows(package: str) -> bool:
    """Whether a top-level package of this name hides a module the SDK needs."""
    return package in sys.stdlib_module_names or package in SDK_DEPENDENCIES


def unshadowed(package: str) -> str:
    """A package name made from an API's title, suffixed if it would shadow."""
    return package + SHADOW_SUFFIX if shadows(package) else package


def shadow_warning(package: str) -> str | None:
    """The warning for a name ``unshadowed`` suffixed, or None."""
    stem = package.removesuffix(SHADOW_SUFFIX)
    if stem != package and shadows(stem):
        return (
            f"the package would be named {stem!r}, which shadows a "
            f"module the SDK needs; named {package!r} (set [package] name in "
            "sdkgen.toml to choose)"
        )
    return None


def check_config(data: Mapping[str, Any], path: Path) -> None:
    """Refuse a config whose values cannot stand in generated code."""
    _check_package(data.get("package", {}), path)
    for key, value in data.get("type_names", {}).items():
        if not isinstance(value, str) or not _is_name(value):
            where = f"{path}#/type_names/{pointer_token(key)}"
            _refuse(where, "a class name, not a keyword or builtin", value)
    for key, value in data.get("operations", {}).items():
        if not _is_call_path(value):
            where = f"{path}#/operations/{pointer_token(key)}"
            _refuse(where, "resource.method names, not keywords", value)


def _check_package(package: Mapping[str, Any], path: Path) -> None:
    """``[package]``: its name, distribution, spec and version."""
    at = f"{path}#/package"
    name = package.get("name", "meetingbaas")
    _check_package_name(name, f"{at}/name")
    distribution = package.get("distribution", name)
    if not isinstance(distribution, str) or not _DISTRIBUTION.fullmatch(distribution):
        _refuse(f"{at}/distribution", "a project name (PEP 508)", distribution)
    spec_setting(package, path)
    version = package.get("version", "0.1.0")
    if not isinstance(version, str) or not _is_version(version):
        _refuse(f"{at}/version", "a version (PEP 440), e.g. 1.2.0", version)


def _check_package_name(name: Any, where: str) -> None:
    if not isinstance(name, str) or not _PACKAGE.fullmatch(name):
        _refuse(where, "a package name: lower-case letters, digits, _", name)
    if keyword.iskeyword(name) or name in _BUILTINS or shadows(name):
        _refuse(
            where,
            "a name that shadows no keyword, builtin, standard library module or "
            "SDK dependency",
            name,
        )


def _is_call_path(value: object) -> bool:
    """``resource.method`` (or deeper): identifiers, no keywords."""
    parts = value.split(".") if isinstance(value, str) else [""]
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)


def spec_setting(package: Mapping[str, Any], path: Path) -> Path | None:
    """``[package] spec`` of the config at ``path``: a file relative to the
    config's folder and inside it (no absolute path, no ``..``, no symlink
    out), or None when unset."""
    value = package.get("spec")
    if value is None:
        return None
    where = f"{path}#/package/spec"
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        _refuse(where, "the spec's path, relative to the config's folder", value)
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or Path(value).is_absolute() or ".." in parts:
        _refuse(
            where, "a path inside the config's folder (no absolute path, no ..)", value
        )
    folder = path.parent
    if not _resolves_inside(folder, value):
        _refuse(
            where,
            "a path that stays inside the config's folder (a symlink leads out)",
            value,
        )
    return folder / value


def _resolves_inside(folder: Path, value: str) -> bool:
    """``folder / value`` stays in ``folder`` once symlinks are followed."""
    try:
        return (folder / value).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def configured_spec(config: Path | None) -> tuple[str, Path] | None:
    """(spec, config) for a command given no spec: ``[package] spec`` of
    ``config``, or without one of ``spec/sdkgen.toml`` in the current folder;
    None when that names no spec (then the bundled spec is meant)."""
    import tomllib

    from .errors import SpecError

    path = config if config is not None else Path("spec") / "sdkgen.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the config: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"invalid TOML: {exc}", str(path)) from None
    package = data.get("package")
    spec = spec_setting(package, path) if isinstance(package, dict) else None
    return None if spec is None else (str(spec), path)


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return text.isascii() and text == text.strip()


def _is_name(text: str) -> bool:
    return (
        text.isidentifier()
        and text.isascii()
        and not keyword.iskeyword(text)
        and not keyword.issoftkeyword(text)
        and text not in _BUILTINS
    )


def pointer_token(key: object) -> str:
    """``key`` as a JSON pointer token."""
    return str(key).replace("~", "~0").replace("/", "~1")


def _refuse(where: str, expected: str, got: object) -> None:
    from .errors import SpecError

    shown = repr(got) if len(repr(got)) <= 80 else repr(got)[:77] + "..."
    raise SpecError(f"expected {expected}, got {shown}", where)

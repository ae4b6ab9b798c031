"""``sdkgen release --api MODULE``: releasing one of the package's other APIs
(``[apis.<module>]`` in sdkgen.toml), and rendering the whole package whichever
API a release moves (the others as their specs on disk make them). An API's
first release (``generated/`` does not hold it yet) is diffed from no API."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from . import ir
from .config import Config, load_config, named_after, title_of
from .errors import SpecError
from .parse.loader import MAX_SPEC_BYTES, LoadedSpec, load_spec, typed_spec

Renderer = Callable[[ir.Api, Config], dict[str, str]]


def lock_for(api: ir.Api, files: Mapping[str, str], package: str, module: str) -> str:
    """The lock a release writes: the API's type names and the modules of
    ``types/`` the rendered SDK (``files``) defines them in."""
    from .emit.typegroups import homes_of
    from .namelock import lock_text

    return lock_text(dict(api.identities), homes_of(files, package, module))


def release_config(config_path: Path, default_spec: Path) -> Config:
    """The release's config. One naming no package is named after its current
    spec's title, as ``generate`` names it, so a release keeps the package."""
    config = load_config(config_path)
    spec = config.spec_path or default_spec
    if config.named or not spec.is_file():
        return config
    return named_after(config, title_of(load_spec(str(spec)).raw))


def find_api(package: Config, module: str, config_path: Path) -> tuple[str, str]:
    """(spec, lock) of ``[apis.<module>]``, relative to the config's folder."""
    for sub in package.apis:
        if sub.module == module:
            folder = config_path.parent
            lock = sub.config.lock_path or folder / f"sdkgen.{module}.lock"
            return os.path.relpath(sub.spec, folder), os.path.relpath(lock, folder)
    raise SpecError(f"no [apis.{module}] table names this API", str(config_path))


def empty_spec(new: LoadedSpec) -> LoadedSpec:
    """No API yet: what a first release is diffed from (all of it is added)."""
    found = new.raw.get("info")
    info = found if isinstance(found, dict) else {}
    doc = {
        "openapi": str(new.raw.get("openapi", "3.1.0")),
        "info": {"title": str(info.get("title", "")), "version": "none"},
        "paths": {},
    }
    return typed_spec("(none)", b"", doc)


def package_renderer(
    main_spec: Path, module: str, package: Config, released: LoadedSpec
) -> Renderer:
    """Renders the package with the released API (``module``, "" for the
    package's own) as given and every other API from its spec on disk."""
    from .emit.render import render
    from .multiapi import load_api
    from .parse.loader import load_spec
    from .parse.normalise import normalise

    others = {
        sub.module: load_api(sub, strict=False, max_bytes=MAX_SPEC_BYTES)
        for sub in package.apis
        if sub.module != module
    }
    main = load_spec(str(main_spec)) if module else None

    def rendered(api: ir.Api, config: Config) -> dict[str, str]:
        version = config.sdk_version
        extras: list[tuple[ir.Api, Config, str]] = []
        for sub in package.apis:
            if sub.module == module:
                extras.append((api, config, released.sha256))
            else:
                o = others[sub.module]
                extras.append((o.api, _versioned(o.config, version), o.spec.sha256))
        if main is None:
            return render(api, config, released.sha256, extras)
        own = _versioned(package, version)
        return render(normalise(main, own), own, main.sha256, extras)

    return rendered


def _versioned(config: Config, version: str) -> Config:
    return dataclasses.replace(config, sdk_version=version)


def api_label(module: str, first: bool, package: str) -> str:
    """How a changelog entry names the other API it is about ("" for the
    package's own)."""
    if not module:
        return ""
    what = f"the `{module}` API (`{package}.{module}`)"
    return f"First release of {what}. " if first else f"{what[0].upper()}{what[1:]}. "

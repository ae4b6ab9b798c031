"""The package's other APIs (``[apis.<module>]`` in sdkgen.toml, see apiconfig.py),
loaded and normalised for ``generate``, ``inspect``, ``diff`` and ``release``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import ir, notices
from .config import Config, SubApi
from .errors import SpecError
from .parse.loader import LoadedSpec


@dataclass(frozen=True)
class LoadedApi:
    """One more API of the package, ready to render."""

    module: str
    config: Config
    spec: LoadedSpec
    api: ir.Api

    @property
    def render_args(self) -> tuple[ir.Api, Config, str]:
        return self.api, self.config, self.spec.sha256


def load_apis(config: Config, *, strict: bool, max_bytes: int) -> list[LoadedApi]:
    """Every ``[apis.<module>]`` API of ``config``, its warnings named by module."""
    return [load_api(sub, strict=strict, max_bytes=max_bytes) for sub in config.apis]


def load_api(sub: SubApi, *, strict: bool, max_bytes: int) -> LoadedApi:
    from .parse.normalise import normalise
    from .parse.problems import Problems, load_lenient

    problems = Problems(strict=strict)
    spec = load_lenient(str(sub.spec), problems, max_bytes)
    if spec is None:
        raise SpecError("nothing of this spec can be generated", str(sub.spec))
    api = normalise(spec, sub.config, problems)
    found = [f"[apis.{sub.module}] {w}" for w in problems.warnings]
    if strict and api.warnings:
        raise SpecError(f"{api.warnings[0]} (--strict)", f"[apis.{sub.module}]")
    notices.warn(*(line.replace("\n", " ") for line in found))
    return LoadedApi(sub.module, sub.config, spec, api)


def spec_inputs(apis: Sequence[LoadedApi]) -> dict[str, str]:
    """The files the APIs were read from, with their hashes (for warm.py)."""
    import os

    found: dict[str, str] = {}
    for loaded in apis:
        found[os.path.abspath(loaded.spec.source)] = loaded.spec.sha256
        found.update(loaded.spec.inputs)
    return found

"""A *target* is one spec and the SDK generated from it, imported under its own
package name so that several versions can live in one process."""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from generator import ir
from generator.config import default_spec_path, load_config
from generator.emit.writer import write
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise

from ..conftest import GENERATED, shared_specs
from .schemas import SchemaCase, clean, patterns, schema_cases

COMMITTED = "committed"


@dataclass(frozen=True)
class Spec:
    """A spec file and what the generator makes of it (no SDK needed)."""

    name: str  # "committed" or the published file's stem
    path: Path

    @cached_property
    def loaded(self) -> Any:
        return load_spec(str(self.path))

    @cached_property
    def raw(self) -> dict[str, Any]:
        """The document as JSON, `$id`/`$schema` stripped (some published ones
        are wrong and would make validators resolve refs elsewhere)."""
        cleaned: dict[str, Any] = clean(self.loaded.raw)
        return cleaned

    @cached_property
    def api(self) -> ir.Api:
        return normalise(self.loaded, load_config())

    @cached_property
    def cases(self) -> list[SchemaCase]:
        return schema_cases(self.raw, self.api)

    @cached_property
    def patterns(self) -> list[str]:
        return patterns(self.raw)

    @property
    def package(self) -> str:
        return "meetingbaas" if self.name == COMMITTED else _package_name(self.name)


def _package_name(stem: str) -> str:
    return "mb_" + re.sub(r"\W", "_", stem)


def all_specs() -> list[Spec]:
    """The spec generated/ comes from, then every published version."""
    found = [Spec(COMMITTED, default_spec_path())]
    found.extend(Spec(p.stem, p) for p in shared_specs())
    return found


_SPECS = {s.name: s for s in all_specs()}


def spec_named(name: str) -> Spec:
    return _SPECS[name]


def import_sdk(spec: Spec, workdir: Path) -> ModuleType:
    """The SDK for ``spec``: the committed one, or freshly generated into workdir."""
    if spec.name == COMMITTED:
        root = GENERATED
    else:
        root = workdir / spec.package
        if not (root / spec.package).is_dir():
            files = _render(spec)
            renamed = {
                re.sub(r"^meetingbaas/", f"{spec.package}/", rel): text
                for rel, text in files.items()
            }
            write(renamed, root)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(spec.package)


def _render(spec: Spec) -> dict[str, str]:
    from generator.emit.render import render

    config = load_config()
    return render(spec.api, config, spec.loaded.sha256)


def sdk_type(t: ir.TypeRef, types: ModuleType) -> Any:
    """The Python type the SDK uses for an IR type (models and enums by name)."""
    from typing import Literal, Union

    if isinstance(t, ir.ModelRef | ir.EnumRef):
        return getattr(types, t.name)
    if isinstance(t, ir.Nullable):
        return sdk_type(t.inner, types) | None
    if isinstance(t, ir.ListType):
        return list[sdk_type(t.item, types)]  # type: ignore[misc]
    if isinstance(t, ir.DictType):
        return dict[str, sdk_type(t.value, types)]  # type: ignore[misc]
    if isinstance(t, ir.UnionType):
        return Union[tuple(sdk_type(o, types) for o in t.options)]  # noqa: UP007
    if isinstance(t, ir.LiteralType):
        return Literal[t.value]
    kinds: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool}
    return kinds.get(t.kind, Any)

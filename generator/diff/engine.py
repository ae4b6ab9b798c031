"""Two loaded specs -> a report of what changed for SDK users."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .. import ir, ircache, notices
from ..config import Config, config_path_for, load_config
from ..parse.loader import (
    MAX_SPEC_BYTES,
    LoadedSpec,
    typed_spec,
)
from ..parse.normalise import normalise
from .apidiff import (
    report_events,
    report_security,
    report_server_variables,
    report_servers,
)
from .catalogue import report_catalogue
from .context import Context, Version, make_version
from .enums import compare_enum
from .fields import compare_model, directions
from .opdiff import report_operations
from .pairing import build_mapping
from .report import DiffReport, SpecInfo
from .resources import report_resources
from .rules import Direction
from .sources import load_source, read_source_document
from .uses import collect_uses

_Typed = TypeVar("_Typed", ir.Model, ir.Enum)


def diff_specs(old: LoadedSpec, new: LoadedSpec, config: Config) -> DiffReport:
    return diff_versions(_version(old, config), _version(new, config))


def diff_sources(
    old: str, new: str, config: Config | None, *, max_bytes: int = MAX_SPEC_BYTES
) -> DiffReport:
    """Load, normalise and diff two specs named as ``sdkgen diff`` takes them.

    Each is validated (``parse.validator``), normalised and kept in the user
    cache (``ircache``); specs both seen before come from there.
    """
    others: list[dict[str, str]] = [{}, {}]  # files each spec's $refs read
    read = [
        (source, *read_source_document(source, max_bytes, files))
        for source, files in zip((old, new), others, strict=True)
    ]
    if config is None:
        config = _config_beside(new, read[1][2])
    keys = [
        ircache.key(_digest(data, files), config, source)
        for (source, data, _), files in zip(read, others, strict=True)
    ]
    cached = _diff_cached(keys)
    if cached is not None:
        return cached
    done = _versions_here(read, config)
    _remember(keys, done)
    return diff_versions(*(version for version, _ in done))


def _config_beside(new: str, new_doc: dict[str, Any]) -> Config:
    """The config of the new spec, as ``generate`` would find it."""
    from ..apiconfig import config_for_spec

    return config_for_spec(load_config(config_path_for(new, new_doc)), new)


def _diff_cached(keys: list[str]) -> DiffReport | None:
    """The diff of two specs both seen (and validated) before, from their cached
    normalised forms, their warnings repeated; None unless both are cached."""
    hits = [_cached(k) for k in keys]
    if hits[0] is None or hits[1] is None:
        return None
    for _, warnings in (hits[0], hits[1]):
        notices.warn(*warnings)
    return diff_versions(hits[0][0], hits[1][0])


def _versions_here(
    read: list[tuple[str, bytes, dict[str, Any]]], config: Config
) -> list[tuple[Version, list[str]]]:
    """Both versions with their warnings, validated in this process."""
    specs = [typed_spec(*item) for item in read]
    return [_version_warned(spec, config) for spec in specs]


def _digest(data: bytes, files: dict[str, str]) -> str:
    """The spec's sha256, and the other files it refers to when there are any."""
    digest = hashlib.sha256(data).hexdigest()
    if not files:
        return digest
    listed = "".join(f"{path}\0{sha}\0" for path, sha in sorted(files.items()))
    return hashlib.sha256(f"{digest}\0{listed}".encode()).hexdigest()


def _version_warned(spec: LoadedSpec, config: Config) -> tuple[Version, list[str]]:
    with notices.captured() as warnings:
        version = _version(spec, config)
    notices.warn(*warnings)
    return version, list(warnings)


def _cached(entry: str) -> tuple[Version, list[str]] | None:
    hit = ircache.get(entry)
    if (
        isinstance(hit, tuple)
        and len(hit) == 2
        and isinstance(hit[0], Version)
        and isinstance(hit[1], list)
    ):
        return hit[0], hit[1]
    return None


def _remember(keys: list[str], done: list[tuple[Version, list[str]]]) -> None:
    for entry, value in zip(keys, done, strict=True):
        ircache.put(entry, value)


def _load(source: str, config: Config) -> Version:
    return _version(load_source(source), config)


def _version(spec: LoadedSpec, config: Config) -> Version:
    api = normalise(spec, config)
    info = SpecInfo(spec.source, api.title, api.version, spec.sha256)
    return make_version(info, api, spec.raw)


def compare_types(ctx: Context) -> None:
    """Models and enums by use: each pair met at the same place, on each side it is
    met on; then renamed or kept types no operation or event reaches, by name."""
    uses = collect_uses(ctx)
    old, new = ctx.old.tables, ctx.new.tables
    for (o, n, side), labels in sorted(uses.models.items()):
        compare_model(ctx, old.models[o], new.models[n], side, tuple(sorted(labels)))
    for (o, n, side), labels in sorted(uses.enums.items()):
        compare_enum(ctx, old.enums[o], new.enums[n], side, tuple(sorted(labels)))
    met = {(o, n) for o, n, _ in uses.models} | {(o, n) for o, n, _ in uses.enums}
    models = (old.models, new.models)
    _compare_unmet(ctx, met, ctx.mapping.models, models, compare_model)
    _compare_unmet(ctx, met, ctx.mapping.enums, (old.enums, new.enums), compare_enum)


def _compare_unmet(
    ctx: Context,
    met: set[tuple[str, str]],
    mapping: dict[str, str],
    tables: tuple[Mapping[str, _Typed], Mapping[str, _Typed]],
    compare: Callable[[Context, _Typed, _Typed, Direction, tuple[str, ...]], None],
) -> None:
    """Compare the renamed or kept types of one kind (models or enums) that no
    operation or event meets, on each side they are used on."""
    old, new = tables
    for o, n in _unmet(mapping, met):
        for side in directions(old[o].usage, new[n].usage):
            compare(ctx, old[o], new[n], side, ctx.new.reach.used_by(n))


def _unmet(mapping: dict[str, str], met: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (old, new) name pairs no operation or event meets, in name order."""
    return [(o, n) for o, n in sorted(mapping.items()) if (o, n) not in met]


def diff_versions(old: Version, new: Version) -> DiffReport:
    ctx = Context(old, new)
    # Successors first: every later comparison reads them.
    ctx.mapping = build_mapping(ctx)
    report_operations(ctx)
    report_resources(ctx)
    report_events(ctx)
    compare_types(ctx)
    report_catalogue(ctx)
    report_servers(ctx)
    report_server_variables(ctx)
    report_security(ctx)
    return DiffReport(old.info, new.info, ctx.changes())

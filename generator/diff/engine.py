"""Two loaded specs -> a report of what changed for SDK users."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from ..config import Config
from ..loader import LoadedSpec
from ..normalise import normalise
from .apidiff import report_events, report_security, report_servers
from .catalogue import report_catalogue
from .context import Context, Version, make_version
from .enums import compare_enum
from .fields import compare_model
from .opdiff import report_operations
from .pairing import build_mapping
from .report import DiffReport, SpecInfo
from .sources import load_source


def diff_specs(old: LoadedSpec, new: LoadedSpec, config: Config) -> DiffReport:
    return diff_versions(_version(old, config), _version(new, config))


def diff_sources(old: str, new: str, config: Config) -> DiffReport:
    """Load, normalise and diff two specs named as ``sdkgen diff`` takes them.

    The new spec is read in a forked worker while this process reads the old one:
    loading and normalising is most of the work, and the two are independent.
    """
    if not _can_fork():
        return diff_versions(_load(old, config), _load(new, config))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pending = pool.submit(_load, new, config)
        old_version = _load(old, config)
        return diff_versions(old_version, pending.result())


def _can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1
    )


def _load(source: str, config: Config) -> Version:
    return _version(load_source(source), config)


def _version(spec: LoadedSpec, config: Config) -> Version:
    api = normalise(spec, config)
    info = SpecInfo(spec.source, api.title, api.version, spec.sha256)
    return make_version(info, api, spec.raw)


def diff_versions(old: Version, new: Version) -> DiffReport:
    ctx = Context(old, new)
    # Successors first: every later comparison reads them.
    ctx.mapping = build_mapping(ctx)
    report_operations(ctx)
    report_events(ctx)
    for old_name, new_name in sorted(ctx.mapping.models.items()):
        compare_model(ctx, old.tables.models[old_name], new.tables.models[new_name])
    for old_name, new_name in sorted(ctx.mapping.enums.items()):
        compare_enum(ctx, old.tables.enums[old_name], new.tables.enums[new_name])
    report_catalogue(ctx)
    report_servers(ctx)
    report_security(ctx)
    return DiffReport(old.info, new.info, ctx.changes())

"""Two loaded specs -> a report of what changed for SDK users."""

from __future__ import annotations

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


def diff_specs(old: LoadedSpec, new: LoadedSpec, config: Config) -> DiffReport:
    return diff_versions(_version(old, config), _version(new, config))


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

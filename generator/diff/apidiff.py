"""Whole-API changes: webhook/callback events, servers, authentication."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ir
from ..errors import pointer
from ..finalnames import credential_arguments, scheme_use
from .context import Context
from .reach import WEBHOOKS, event_label
from .report import Side
from .sdktext import code


def report_events(ctx: Context) -> None:
    old = {(e.kind, e.event): e for e in ctx.old.api.events}
    new = {(e.kind, e.event): e for e in ctx.new.api.events}
    for key in sorted(new.keys() - old.keys()):
        e = new[key]
        ctx.add(
            "webhook-event-added",
            resource=WEBHOOKS,
            subject=event_label(e),
            message=f"{e.kind} event {e.event!r} added ({e.schema_name})",
            sdk=f"new payload class {code(e.type.name)}; handlers that match every "
            "event type miss it",
            pointer=_event_pointer(ctx.new.tables.models, e),
            used_by=(event_label(e),),
        )
    for key in sorted(old.keys() - new.keys()):
        e = old[key]
        ctx.add(
            "webhook-event-removed",
            resource=WEBHOOKS,
            subject=event_label(e),
            message=f"{e.kind} event {e.event!r} removed ({e.schema_name})",
            sdk=f"{code(e.type.name)} is no longer sent",
            pointer=_event_pointer(ctx.old.tables.models, e),
            side="old",
            used_by=(event_label(e),),
        )
    for key in sorted(old.keys() & new.keys()):
        o, n = old[key], new[key]
        relation = ctx.relate(o.type, n.type)
        for rename in ctx.slot_renames(relation):
            ctx.add(
                "response-property-type-renamed",
                resource=WEBHOOKS,
                subject=event_label(n),
                message=f"{n.kind} {n.event!r} payload {rename.old_name} -> "
                f"{rename.new_name}",
                sdk=f"the {n.event!r} payload is a {code(rename.new_name)}, not "
                f"{code(rename.old_name)}",
                pointer=_event_pointer(ctx.new.tables.models, n),
                used_by=(event_label(n),),
            )


def _event_pointer(models: Mapping[str, ir.Model], e: ir.WebhookEvent) -> str:
    model = models.get(e.type.name)
    return model.source if model else pointer("components", "schemas", e.schema_name)


def report_servers(ctx: Context) -> None:
    old = [s.url for s in ctx.old.api.servers]
    new = [s.url for s in ctx.new.api.servers]
    old_default = old[0] if old else ""
    new_default = new[0] if new else ""
    if old_default != new_default:
        _default_server_changed(ctx, old_default, new_default)
    for i, url in _other_servers(new, old):
        ctx.add(
            "server-added",
            resource="api",
            subject="servers",
            message=f"server {url} added",
            sdk="none (pass it as base_url to use it)",
            pointer=pointer("servers", i),
        )
    for i, url in _other_servers(old, new):
        ctx.add(
            "server-removed",
            resource="api",
            subject="servers",
            message=f"server {url} removed",
            sdk="clients given this base_url stop working",
            pointer=pointer("servers", i),
            side="old",
        )


def _other_servers(urls: list[str], others: list[str]) -> list[tuple[int, str]]:
    """(index, url) of the servers of ``urls`` that ``others`` lacks, but the
    first (the default: its change is reported on its own)."""
    return [(i, u) for i, u in enumerate(urls) if u not in others and u != urls[0]]


def _default_server_changed(ctx: Context, old: str, new: str) -> None:
    ctx.add(
        "server-default-changed",
        resource="api",
        subject="servers",
        message=f"first server {old or 'none'} -> {new or 'none'}",
        sdk=f"the client's default base URL is {new or 'unset'} (was "
        f"{old or 'unset'}); clients given base_url are unaffected",
        pointer=pointer("servers", 0) if new else pointer("servers"),
    )


def report_server_variables(ctx: Context) -> None:
    """Variables of a server URL kept in both versions: added, removed, changed."""
    old = _servers(ctx.old.raw)
    new = _servers(ctx.new.raw)
    for url in sorted(old.keys() & new.keys()):
        index, new_vars = new[url]
        _, old_vars = old[url]
        for name in sorted(old_vars.keys() | new_vars.keys()):
            was, now = old_vars.get(name), new_vars.get(name)
            if was == now:
                continue
            ctx.add(
                "server-variable-changed",
                resource="api",
                subject=f"server {url}",
                message=f"variable {name!r}: {_variable(was)} -> {_variable(now)}",
                sdk="the base URL the SDK builds from this server may change; "
                "clients given base_url are unaffected",
                pointer=pointer("servers", index, "variables", name),
                side="new" if now is not None else "old",
            )


def _servers(raw: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    """Server URL -> (its index, its variables)."""
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, server in enumerate(raw.get("servers") or []):
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            variables = server.get("variables")
            found.setdefault(
                server["url"], (i, variables if isinstance(variables, dict) else {})
            )
    return found


def _variable(spec: object) -> str:
    if not isinstance(spec, dict):
        return "none"
    text = f"default {spec.get('default')!r}"
    values = spec.get("enum")
    return f"{text}, one of {values!r}" if isinstance(values, list) else text


def report_security(ctx: Context) -> None:
    _report_schemes(ctx)
    old_req, new_req = _requirement(ctx.old.raw), _requirement(ctx.new.raw)
    if old_req != new_req:
        ctx.add(
            "security-requirement-changed",
            resource="api",
            subject="security",
            message=f"global security {old_req or 'none'} -> {new_req or 'none'}",
            sdk="the credentials every call needs changed",
            pointer=pointer("security"),
        )


def _report_schemes(ctx: Context) -> None:
    """Security schemes added, removed or changed (by name)."""
    old = {a.name: a for a in ctx.old.api.auth}
    new = {a.name: a for a in ctx.new.api.auth}
    for name in sorted(new.keys() - old.keys()):
        _scheme(
            ctx, "security-scheme-added", new[name], f"scheme {name!r} added", "new"
        )
    for name in sorted(old.keys() - new.keys()):
        _scheme(
            ctx, "security-scheme-removed", old[name], f"scheme {name!r} removed", "old"
        )
    for name in sorted(old.keys() & new.keys()):
        if old[name] != new[name]:
            _scheme(
                ctx,
                "security-scheme-changed",
                new[name],
                f"scheme {name!r}: {_spell(old[name])} -> {_spell(new[name])}",
                "new",
            )


def _scheme(
    ctx: Context, rule_id: str, a: ir.AuthScheme, message: str, side: Side
) -> None:
    version = ctx.old if side == "old" else ctx.new
    arg = credential_arguments(version.api.auth, scheme_use(version.api)).get(a.name)
    where = f" (client argument {code(arg + '=')})" if arg else ""
    ctx.add(
        rule_id,
        resource="api",
        subject=f"security scheme {a.name}",
        message=message,
        sdk=f"credentials: {_spell(a)}{where}",
        pointer=pointer("components", "securitySchemes", a.name),
        side=side,
    )


def _spell(a: ir.AuthScheme) -> str:
    if a.kind == "apiKey":
        return f"API key in {a.location} {a.param_name!r}"
    return f"{a.kind} {a.scheme}".strip()


def _requirement(raw: dict[str, Any]) -> list[list[str]]:
    """The global requirement as sorted scheme-name lists (alternatives sorted)."""
    found = raw.get("security") or []
    out = [sorted(item) for item in found if isinstance(item, dict)]
    return sorted(out)

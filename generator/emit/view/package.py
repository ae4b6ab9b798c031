"""The whole SDK's view: names, the API's facts, its models, resources and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ... import ir
from ...config import Config
from ...naming import sdk_names
from .auth import (
    AuthSchemeView,
    auth_placement,
    auth_scheme_views,
    security_literal,
    usable_schemes,
)
from .methods import ResourceView, resource_tree, walk
from .models import (
    AliasView,
    EnumView,
    ModelView,
    ParamDictView,
    enum_view,
    model_view,
    param_dict_views,
    toposort_models,
)
from .types import TypeSpeller, one_line, regex_literal


@dataclass(frozen=True)
class SdkView:
    package: str
    distribution: str
    version: str
    generator_version: str
    spec_sha256: str
    title: str
    api_version: str
    base_url: str
    api_key_header: str
    models: list[ModelView]
    enums: list[EnumView]
    aliases: list[AliasView]
    resources: list[ResourceView]
    events: list[tuple[str, str, str]]  # (event, kind, model), const-keyed only
    event_models: list[str]
    # kind -> the properties whose const picks a model, in lookup order.
    event_keys: dict[str, list[str]] = field(default_factory=dict)
    # kind -> [(webhook/callback name, models tried in spec order)].
    event_names: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    # kind -> models with no const, tried in order when no key is in a payload.
    keyless_models: dict[str, list[str]] = field(default_factory=dict)
    callback_models: list[str] = field(default_factory=list)  # CallbackEvent
    env_prefix: str = "MEETING_BAAS"
    api_key_in: str = "header"
    api_key_prefix: str = ""
    client_name: str = "MeetingBaas"
    # The package's base error class (``<client stem>Error``), the logger's
    # name and the User-Agent's product token.
    error_base: str = "MeetingBaasError"
    user_agent: str = "meetingbaas-python"
    # The subpackage this API lives in ("" = the package itself).
    module: str = ""
    example: str = ""  # a call for docs: the config's, else the first operation
    param_dicts: list[ParamDictView] = field(default_factory=list)
    # Several security schemes: each credential, and the default requirement.
    auth_schemes: list[AuthSchemeView] = field(default_factory=list)
    default_security: str | None = None  # a tuple literal; None: the default
    # How webhooks are signed ("standard-webhooks": the SDK verifies them, or
    # "none"), and the header callbacks echo their secret in ("": none).
    webhook_signature: str = "none"
    callback_secret_header: str = ""


def build_view(
    api: ir.Api, config: Config, spec_sha256: str, generator_version: str
) -> SdkView:
    aliases: dict[tuple[str, str | None], str] = {}  # shared by every speller
    models = _model_views(api, aliases)
    resource_speller = TypeSpeller(
        list_name="builtins.list",
        aliases=aliases,
        signature_param_dicts=set(),
    )
    resources = resource_tree(api, resource_speller)
    header, key_in, key_prefix = auth_placement(api)
    names = _names(api, config)
    # Param dicts may spell new aliases: they are listed after.
    param_dicts = _param_dict_views(api, resource_speller, aliases)
    return SdkView(
        **names,
        module=config.module,
        example=config.example or _example(resources),
        package=config.package,
        distribution=config.distribution,
        version=config.sdk_version,
        generator_version=generator_version,
        spec_sha256=spec_sha256,
        api_key_header=header,
        api_key_in=key_in,
        api_key_prefix=key_prefix,
        models=models,
        enums=[enum_view(e) for e in api.enums],
        aliases=_alias_views(aliases),
        resources=resources,
        **_event_fields(api.events),
        param_dicts=param_dicts,
        auth_schemes=auth_scheme_views(api, names["env_prefix"]),
        default_security=security_literal(api.security, usable_schemes(api)),
        webhook_signature=config.webhook_signature or api.webhook_signature or "none",
        callback_secret_header=config.callback_secret_header,
    )


def _model_views(
    api: ir.Api, aliases: dict[tuple[str, str | None], str]
) -> list[ModelView]:
    """The models, each before those that use it; a model only sent is
    spelled for the request side."""
    models = []
    for m in toposort_models(api.models):
        request_only = m.usage == ("request",)
        speller = TypeSpeller(request_side=request_only, aliases=aliases)
        models.append(model_view(m, speller, request_only))
    return models


def _param_dict_views(
    api: ir.Api,
    resource_speller: TypeSpeller,
    aliases: dict[tuple[str, str | None], str],
) -> list[ParamDictView]:
    """The TypedDict of each model the method signatures also accept as one."""
    dict_speller = TypeSpeller(
        plain=True,
        enum_literals={e.name: e.values for e in api.enums},
        param_dicts=resource_speller.signature_param_dicts,
        param_names={m.name: m.param_dict for m in api.models},
        aliases=aliases,
    )
    return param_dict_views(
        resource_speller.signature_param_dicts or set(),
        {m.name: m for m in api.models},
        dict_speller,
    )


def _names(api: ir.Api, config: Config) -> dict[str, Any]:
    """The client's names (the config's, else from the API's title) and the
    API's one-line facts."""
    _, title_client, title_env = sdk_names(api.title)
    client_name = config.client_name or title_client
    return {
        "env_prefix": config.env_prefix or title_env,
        "client_name": client_name,
        "error_base": (client_name.removesuffix("Client") or client_name) + "Error",
        "user_agent": f"{config.distribution}-python",
        "title": one_line(api.title),
        "api_version": one_line(api.version),
        "base_url": (
            one_line(api.servers[0].url) if api.servers else "http://localhost"
        ),
    }


def _event_fields(events: tuple[ir.WebhookEvent, ...]) -> dict[str, Any]:
    """The view's webhook and callback fields."""
    lookups = _event_lookups(events)
    return {
        "events": [(e.event, e.kind, e.type.name) for e in events if e.key],
        "event_keys": lookups.event_keys,
        "event_names": lookups.event_names,
        "keyless_models": lookups.keyless_models,
        "callback_models": lookups.callback_models,
        "event_models": sorted(
            {e.type.name for e in events}, key=lambda n: (n.lower(), n)
        ),
    }


def _alias_views(aliases: dict[tuple[str, str | None], str]) -> list[AliasView]:
    out: list[AliasView] = []
    for (stem, pattern), name in sorted(aliases.items(), key=lambda kv: kv[1]):
        if stem == "DateTime":
            arg = f"pattern={regex_literal(pattern)}" if pattern else ""
            out.append(AliasView(name, f"Annotated[datetime, ZuluDateTime({arg})]"))
        else:
            out.append(
                AliasView(
                    name,
                    f"Annotated[str, Field(pattern={regex_literal(pattern or '')})]",
                )
            )
    return out


def _example(resources: list[ResourceView]) -> str:
    """The first operation (by name) as a call with placeholder arguments."""
    methods = sorted(
        (m for r in walk(resources) for m in r.methods), key=lambda m: m.python_call
    )
    if not methods:
        return ""
    m = methods[0]
    args = [a.name for a in m.positional] + [
        f"{a.name}=..." for a in m.keyword if not a.default
    ]
    return f"{m.python_call}({', '.join(args)})"


@dataclass(frozen=True)
class EventLookups:
    """How ``webhooks.parse`` finds a payload's model, per kind ("webhook",
    "callback"): by a const property (``event`` first), by the name given, or
    by trying the keyless ones."""

    event_keys: dict[str, list[str]]
    event_names: dict[str, list[tuple[str, list[str]]]]
    keyless_models: dict[str, list[str]]
    callback_models: list[str]  # what CallbackEvent is a union of


def _event_lookups(events: tuple[ir.WebhookEvent, ...]) -> EventLookups:
    """The ``EventLookups`` of these events."""
    keys: dict[str, list[str]] = {"webhook": [], "callback": []}
    names: dict[str, dict[str, list[str]]] = {"webhook": {}, "callback": {}}
    keyless: dict[str, list[str]] = {"webhook": [], "callback": []}
    for e in events:
        model = e.type.name
        if e.key:
            _add_new(keys[e.kind], e.key)
        else:
            _add_new(keyless[e.kind], model)
        if e.name:
            _add_new(names[e.kind].setdefault(e.name, []), model)
    for found in keys.values():
        found.sort(key=lambda k: (k != "event", k))
    return EventLookups(
        event_keys=keys,
        event_names={k: sorted(v.items()) for k, v in names.items()},
        keyless_models=keyless,
        callback_models=list(
            dict.fromkeys(e.type.name for e in events if e.kind == "callback")
        ),
    )


def _add_new(found: list[str], item: str) -> None:
    if item not in found:
        found.append(item)

"""Generator configuration: ``spec/sdkgen.toml`` beside the spec."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .configcheck import check_config, spec_setting
from .configkeys import unknown_keys
from .emit.formatting import FORMATTERS
from .errors import SpecError
from .ir import TypeIdentity
from .namelock import read_lock

CONFIG_NAME = "sdkgen.toml"
LOCK_NAME = "sdkgen.lock"
DEFAULT_SPEC_NAME = "meeting-baas-v2.yaml"


@dataclass(frozen=True)
class Config:
    package: str = "meetingbaas"
    distribution: str = "meetingbaas"
    sdk_version: str = "0.1.0"
    # Generated type name -> the name to use instead.
    type_names: dict[str, str] = field(default_factory=dict)
    # JSON pointer of a schema the type comes from -> its name ([type_names] keys
    # starting with "#"): says which type is meant in a way that survives changes.
    pointer_names: dict[str, str] = field(default_factory=dict)
    # Released name -> the pointers its type came from (sdkgen.lock beside the
    # config): keeps names put across spec changes.
    locked_names: dict[str, TypeIdentity] = field(default_factory=dict)
    lock_path: Path | None = None
    # operationId -> "resource.sub.method" where the path rules pick a poor name.
    operations: dict[str, str] = field(default_factory=dict)
    # [webhooks] signature: how the API signs webhooks ("standard-webhooks" or
    # "none"); "" = as the spec describes (see parse/webhooksig.py).
    webhook_signature: str = ""
    # [webhooks] callback_secret_header: the header callbacks echo their secret
    # in (Meeting BaaS: x-mb-secret); "" = no such header, no verify_callback.
    callback_secret_header: str = ""
    # [package] client / env_prefix: the client class and the environment
    # variables' prefix; "" = named after the spec's title (naming.sdk_names).
    client_name: str = ""
    env_prefix: str = ""
    # [package] readme: a Jinja template (beside the config) for README.md;
    # None = sdkgen's generic README.
    readme_template: Path | None = None
    # [package] example: the call the package docstring shows; "" = the first
    # operation with placeholders.
    example: str = ""
    # [apis.<module>]: the package's other APIs, each in its own subpackage.
    apis: tuple[SubApi, ...] = ()
    # The subpackage this config's API lives in ("" = the package itself).
    module: str = ""
    # [conventions]: spec conventions of the published Meeting BaaS spec, each
    # applied only where a spec shows it (names that match); false: never.
    # callback_names: a payload schema named ``callback...`` is a callback.
    callback_names: bool = True
    # event_components: a component schema no path uses, with a const
    # ``event`` property, is a webhook payload.
    event_components: bool = True
    # input_twins: a component ``XInput`` beside an ``X`` is named ``X``.
    input_twins: bool = True

    # [package] spec: the spec commands given none read (beside the config).
    spec_path: Path | None = None
    # Whether [package] name was given; if not, ``named_after`` names the
    # package (and a distribution not given either) after the spec's title.
    named: bool = True
    # [format] tool: what lays out the generated code ("ruff" or "black").
    formatter: str = "ruff"
    # (where, warning) of each key of the file sdkgen does not read (configkeys).
    unknown_keys: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SubApi:
    """One more API of the package: ``<package>.<module>`` from ``spec``."""

    module: str
    spec: Path
    config: Config


WEBHOOK_SIGNATURES = ("standard-webhooks", "none")
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")


def bundled_spec_dir() -> Path:
    """``spec/`` of the checkout, or the copy shipped inside the wheel."""
    checkout = Path(__file__).resolve().parent.parent / "spec"
    if (checkout / DEFAULT_SPEC_NAME).is_file():
        return checkout
    return Path(str(resources.files("generator") / "spec"))


def default_spec_path() -> Path:
    return bundled_spec_dir() / DEFAULT_SPEC_NAME


MEETING_BAAS = "Meeting BaaS API"  # info.title of the API this project is for


def title_of(document: Any) -> str:
    """A spec document's ``info.title`` as the IR's ``Api.title`` holds it
    ("" when it has none)."""
    info = document.get("info") if isinstance(document, dict) else None
    return str(info.get("title", "")) if isinstance(info, dict) else ""


def named_after(config: Config, title: str) -> Config:
    """``config`` with its package named after the API's title
    (``<title>_client``) when it names none."""
    if config.named:
        return config
    from .naming import sdk_names

    package = sdk_names(title)[0]
    return replace(config, package=package, distribution=config.distribution or package)


def config_path_for(spec: str | None, document: Any) -> Path | None:
    """The sdkgen.toml for a spec: the one beside it (``git:REV:path`` specs
    look beside ``path``); without one, the bundled one (None) for a Meeting
    BaaS spec, and none (a path that does not exist) for any other API, whose
    names then come from its title."""
    if spec is None:
        return None
    local = spec
    if spec.startswith("git:"):
        local = spec.split(":", 2)[-1]
    beside = Path(local).parent / CONFIG_NAME
    if not spec.startswith(("http://", "https://")) and beside.is_file():
        return beside
    info = document.get("info") if isinstance(document, dict) else None
    if isinstance(info, dict) and info.get("title") == MEETING_BAAS:
        return None
    return beside


def load_config(path: Path | None = None) -> Config:
    path = path or bundled_spec_dir() / CONFIG_NAME
    if not path.is_file():
        lock_path = path.parent / LOCK_NAME
        return Config(
            locked_names=read_lock(lock_path),
            lock_path=lock_path,
            distribution="",
            named=False,
        )
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the config: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"invalid TOML: {exc}", str(path)) from None
    tables: tuple[str, ...] = ("package", "type_names", "operations", "webhooks")
    tables += ("format", "apis", "conventions")
    for table in tables:
        if not isinstance(data.get(table, {}), dict):
            raise SpecError(f"[{table}] must be a table", str(path))
    check_config(data, path)
    package = data.get("package", {})
    signature, callback_header = webhook_settings(data.get("webhooks", {}), path)
    config = Config(
        package=str(package.get("name", "meetingbaas")),
        distribution=str(package.get("distribution", package.get("name", ""))),
        named="name" in package,
        sdk_version=str(package.get("version", "0.1.0")),
        webhook_signature=signature,
        callback_secret_header=callback_header,
        formatter=_formatter(data.get("format", {}), path),
        spec_path=spec_setting(package, path),
        **package_names(package, path),
        **conventions(data.get("conventions", {}), path),
        **api_names(data, path.parent / LOCK_NAME),
        unknown_keys=unknown_keys(data, path),
    )
    from .apiconfig import sub_apis

    return replace(config, apis=sub_apis(data.get("apis", {}), config, path))


_CONVENTIONS = ("callback_names", "event_components", "input_twins")


def conventions(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """[conventions]: each a boolean (Config's fields of the same names). An
    unknown key is warned about with the others (configkeys.unknown_keys)."""
    for key, value in table.items():
        if key in _CONVENTIONS and not isinstance(value, bool):
            raise SpecError(f"[conventions] {key} must be true or false", str(path))
    return {key: bool(table.get(key, True)) for key in _CONVENTIONS}


def api_names(table: dict[str, Any], lock_path: Path) -> dict[str, Any]:
    """The per-API settings of a config table: [type_names], [operations], the
    lock (Config's keyword arguments)."""
    names = {str(k): str(v) for k, v in table.get("type_names", {}).items()}
    return {
        "type_names": {k: v for k, v in names.items() if not k.startswith("#")},
        "pointer_names": {k: v for k, v in names.items() if k.startswith("#")},
        "locked_names": read_lock(lock_path),
        "lock_path": lock_path,
        "operations": {str(k): str(v) for k, v in table.get("operations", {}).items()},
    }


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENV_PREFIX = re.compile(r"[A-Z][A-Z0-9_]*")
# One line that cannot end the docstring it is shown in: no backslash, no """.
_EXAMPLE = re.compile(r'[\w.]+\((?:[^\n\\"]|"(?!""))*\)')


def package_names(package: dict[str, Any], path: Path) -> dict[str, Any]:
    """[package] client, env_prefix, readme and example, checked."""
    checks = (
        ("client", _IDENTIFIER, "a Python class name"),
        ("env_prefix", _ENV_PREFIX, "upper-case letters, digits and _"),
        ("example", _EXAMPLE, "one call, e.g. client.bots.list()"),
    )
    found: dict[str, str] = {}
    for key, pattern, what in checks:
        value = package.get(key, "")
        if not isinstance(value, str) or (value and not pattern.fullmatch(value)):
            message = f"[package] {key} must be {what} (got {value!r})"
            raise SpecError(message, str(path))
        found[key] = value
    return {
        "client_name": found["client"],
        "env_prefix": found["env_prefix"],
        "example": found["example"],
        "readme_template": _readme_template(package.get("readme"), path),
    }


def _readme_template(readme: object, path: Path) -> Path | None:
    """[package] readme: a template file beside the config, checked."""
    if readme is None:
        return None
    if not (isinstance(readme, str) and readme):
        raise SpecError(
            f"[package] readme must name a template file beside {CONFIG_NAME}"
            f" (got {readme!r})",
            str(path),
        )
    return path.parent / readme


def _formatter(table: dict[str, object], path: Path) -> str:
    """[format] ``tool``, checked."""
    tool = table.get("tool", FORMATTERS[0])
    if tool not in FORMATTERS:
        raise SpecError(
            f"[format] tool must be one of {', '.join(FORMATTERS)} (got {tool!r})",
            str(path),
        )
    return str(tool)


def webhook_settings(table: dict[str, object], path: Path) -> tuple[str, str]:
    """[webhooks] ``signature`` and ``callback_secret_header``, checked."""
    signature = table.get("signature", "")
    if signature != "" and signature not in WEBHOOK_SIGNATURES:
        raise SpecError(
            f"[webhooks] signature must be one of {', '.join(WEBHOOK_SIGNATURES)}"
            f" (got {signature!r})",
            str(path),
        )
    header = table.get("callback_secret_header", "")
    if not isinstance(header, str) or (header and not _HEADER_NAME.fullmatch(header)):
        raise SpecError(
            f"[webhooks] callback_secret_header must be an HTTP header name"
            f" (got {header!r})",
            str(path),
        )
    return str(signature), header.lower()

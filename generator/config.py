"""Generator configuration: ``spec/sdkgen.toml`` beside the spec."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .configcheck import check_config
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
    # [format] tool: what lays out the generated code ("ruff" or "black").
    formatter: str = "ruff"


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
        return Config(locked_names=read_lock(lock_path), lock_path=lock_path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the config: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"invalid TOML: {exc}", str(path)) from None
    for table in ("package", "type_names", "operations", "webhooks", "format"):
        if not isinstance(data.get(table, {}), dict):
            raise SpecError(f"[{table}] must be a table", str(path))
    check_config(data, path)
    package = data.get("package", {})
    names = {str(k): str(v) for k, v in data.get("type_names", {}).items()}
    lock_path = path.parent / LOCK_NAME
    signature, callback_header = _webhook_settings(data.get("webhooks", {}), path)
    return Config(
        package=str(package.get("name", "meetingbaas")),
        distribution=str(
            package.get("distribution", package.get("name", "meetingbaas"))
        ),
        sdk_version=str(package.get("version", "0.1.0")),
        type_names={k: v for k, v in names.items() if not k.startswith("#")},
        pointer_names={k: v for k, v in names.items() if k.startswith("#")},
        locked_names=read_lock(lock_path),
        lock_path=lock_path,
        operations={str(k): str(v) for k, v in data.get("operations", {}).items()},
        webhook_signature=signature,
        callback_secret_header=callback_header,
        formatter=_formatter(data.get("format", {}), path),
    )


def _formatter(table: dict[str, object], path: Path) -> str:
    """[format] ``tool``, checked."""
    tool = table.get("tool", FORMATTERS[0])
    if tool not in FORMATTERS:
        raise SpecError(
            f"[format] tool must be one of {', '.join(FORMATTERS)} (got {tool!r})",
            str(path),
        )
    return str(tool)


def _webhook_settings(table: dict[str, object], path: Path) -> tuple[str, str]:
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

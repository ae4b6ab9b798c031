"""Generator configuration: ``spec/sdkgen.toml`` beside the spec."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import SpecError

CONFIG_NAME = "sdkgen.toml"
DEFAULT_SPEC_NAME = "meeting-baas-v2.yaml"


@dataclass(frozen=True)
class Config:
    package: str = "meetingbaas"
    distribution: str = "meetingbaas"
    sdk_version: str = "0.1.0"
    # Generated type name -> the name to use instead.
    type_names: dict[str, str] = field(default_factory=dict)
    # operationId -> "resource.sub.method" where the path rules pick a poor name.
    operations: dict[str, str] = field(default_factory=dict)


def bundled_spec_dir() -> Path:
    """``spec/`` of the checkout, or the copy shipped inside the wheel."""
    checkout = Path(__file__).resolve().parent.parent / "spec"
    if (checkout / DEFAULT_SPEC_NAME).is_file():
        return checkout
    return Path(str(resources.files("generator") / "spec"))


def default_spec_path() -> Path:
    return bundled_spec_dir() / DEFAULT_SPEC_NAME


def load_config(path: Path | None = None) -> Config:
    path = path or bundled_spec_dir() / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the config: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"invalid TOML: {exc}", str(path)) from None
    for table in ("package", "type_names", "operations"):
        if not isinstance(data.get(table, {}), dict):
            raise SpecError(f"[{table}] must be a table", str(path))
    package = data.get("package", {})
    return Config(
        package=str(package.get("name", "meetingbaas")),
        distribution=str(
            package.get("distribution", package.get("name", "meetingbaas"))
        ),
        sdk_version=str(package.get("version", "0.1.0")),
        type_names={str(k): str(v) for k, v in data.get("type_names", {}).items()},
        operations={str(k): str(v) for k, v in data.get("operations", {}).items()},
    )

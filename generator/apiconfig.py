"""``[apis.<module>]`` tables of sdkgen.toml: the other APIs one package holds.

The spec ``generate`` is given (``spec/meeting-baas-v2.yaml`` by default) makes the
package itself; each table adds one API as the subpackage ``<package>.<module>``,
with its own client, resources and types and the package's one runtime::

    [apis.v1]
    spec = "meeting-baas-v1.yaml"   # beside sdkgen.toml
    client = "MeetingBaasV1"        # default: the package's client + "V1"

    [apis.v1.type_names]            # [apis.v1.operations], [apis.v1.webhooks]:
                                    # as the package's own tables
"""

from __future__ import annotations

import keyword
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Config, SubApi, api_names, webhook_settings
from .configcheck import check_config
from .errors import SpecError

# Modules of the package a subpackage must not shadow.
_TAKEN = frozenset({"types", "resources", "webhooks"})
_MODULE = re.compile(r"[a-z][a-z0-9_]*")
_CLASS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def sub_apis(tables: dict[str, Any], package: Config, path: Path) -> tuple[SubApi, ...]:
    """Each ``[apis.<module>]`` table, checked (errors name the key)."""
    found: list[SubApi] = []
    for module, table in sorted(tables.items()):
        where = f"{path}#/apis/{module}"
        if not _MODULE.fullmatch(module) or keyword.iskeyword(module):
            raise SpecError("an API's module must be a lower-case identifier", where)
        if module in _TAKEN:
            raise SpecError(f"the module name {module!r} is the package's own", where)
        if not isinstance(table, dict):
            raise SpecError("must be a table", where)
        found.append(_sub_api(module, table, package, path, where))
    return tuple(found)


def _sub_api(
    module: str, table: dict[str, Any], package: Config, path: Path, where: str
) -> SubApi:
    spec = table.get("spec")
    if not isinstance(spec, str) or not spec:
        # A file that is not there yet is only an error where it is read: the
        # API's first ``sdkgen release --api`` writes it.
        raise SpecError(f"spec must name the API's spec file beside {path.name}", where)
    client = table.get("client", "")
    if not isinstance(client, str) or (client and not _CLASS.fullmatch(client)):
        raise SpecError(f"client must be a Python class name (got {client!r})", where)
    for name in ("type_names", "operations", "webhooks"):
        if not isinstance(table.get(name, {}), dict):
            raise SpecError(f"{name} must be a table", where)
    # Its names reach generated code as the package's do: the same checks.
    names = {k: table.get(k, {}) for k in ("type_names", "operations")}
    check_config(names, Path(f"{path}#/apis/{module}"))
    signature, callback_header = webhook_settings(table.get("webhooks", {}), path)
    config = replace(
        package,
        client_name=client or _default_client(package, module),
        readme_template=None,
        example="",
        apis=(),
        spec_path=None,
        module=module,
        webhook_signature=signature,
        callback_secret_header=callback_header,
        **api_names(table, path.parent / f"sdkgen.{module}.lock"),
    )
    return SubApi(module, path.parent / spec, config)


def _default_client(package: Config, module: str) -> str:
    """The package's client name with the module's: ``MeetingBaas`` + ``V1``."""
    stem = package.client_name or "Client"
    return stem + "".join(part.capitalize() for part in module.split("_"))


def config_for_spec(config: Config, spec: str | None) -> Config:
    """The config of the API ``spec`` is: one of the package's ``[apis.<module>]``
    when it names that file (its type names, operations and client), else
    ``config`` itself. ``git:REV:path`` specs are matched by their path."""
    if spec is None or spec.startswith(("http://", "https://")):
        return config
    path = Path(spec.split(":", 2)[-1] if spec.startswith("git:") else spec)
    for sub in config.apis:
        if _same_file(path, sub.spec):
            # Alone (generate --spec): a package of its own, not a subpackage.
            return replace(sub.config, module="")
    return config


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False

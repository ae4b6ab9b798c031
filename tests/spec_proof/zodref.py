"""The official TypeScript SDK (../shared/reference/, an independent
implementation generated from the live spec) as an oracle: its zod schemas run
under Node (zodref.cjs, one process per test run) to judge what our SDK sends
and what our spec says the API answers, and make documents for our models.

zod is pinned to the version the reference's published package depends on
(@meeting-baas/sdk on npm: zod 3.24.2); typescript only transpiles the
reference's .ts files; @anatine/zod-mock (with faker) makes documents from the
zod schemas. All are installed by the test itself, like Prism (npmcache)."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.config import load_config
from generator.parse.normalise import normalise

from ..conftest import ROOT
from .npmcache import node_and_npm, npm_install
from .targets import Spec

PACKAGES = (
    "zod@3.24.2",
    "typescript@5.9.3",
    "@anatine/zod-mock@3.14.0",
    "@faker-js/faker@9.9.0",
)
REFERENCE = ROOT.parent / "shared" / "reference" / "meeting-baas-ts-sdk-6.2.4"
REFERENCE_REASON = f"../shared/reference/{REFERENCE.name} is absent (the official SDK)"
_RUNNER = Path(__file__).with_name("zodref.cjs")


@dataclass(frozen=True)
class ApiUnderTest:
    """One API of our package and where the reference keeps the same API."""

    name: str  # the reference's folder: "v1", "v2"
    spec: Path
    module: str  # the Python module holding its client
    client: str  # the sync client's class name
    reference_count: int  # operations the reference documents (issue #24)


APIS = (
    ApiUnderTest(
        "v2", ROOT / "spec" / "meeting-baas-v2.yaml", "meetingbaas", "MeetingBaas", 66
    ),
    ApiUnderTest(
        "v1",
        ROOT / "spec" / "meeting-baas-v1.yaml",
        "meetingbaas.v1",
        "MeetingBaasV1",
        26,
    ),
)


def _config(api: ApiUnderTest) -> Any:
    """The sdkgen config the API is generated with: the package's own, or its
    `[apis.<module>]` one; None when sdkgen.toml does not name the API."""
    config = load_config()
    if "." not in api.module:
        return config
    wanted = api.module.split(".", 1)[1]
    subs = getattr(config, "apis", ())
    return next((s.config for s in subs if s.module == wanted), None)


def api_params() -> list[Any]:
    """Every API whose spec, config and generated package are in the repository."""
    out: list[Any] = []
    for api in APIS:
        package = ROOT / "generated" / Path(*api.module.split("."))
        if api.spec.is_file() and package.is_dir() and _config(api) is not None:
            out.append(pytest.param(api, id=api.name))
        else:
            why = (
                f"{api.spec.name}, its sdkgen.toml entry or "
                f"generated/{api.module.replace('.', '/')} absent"
            )
            skip = pytest.mark.skip(reason=why)
            out.append(pytest.param(api, id=api.name, marks=skip))
    return out


@dataclass(frozen=True)
class ApiSpec(Spec):
    """A spec normalised with its API's own config (targets.Spec uses the
    package's)."""

    config: Any = None

    @cached_property
    def api(self) -> ir.Api:
        return normalise(self.loaded, self.config)


def api_spec(api: ApiUnderTest) -> ApiSpec:
    return ApiSpec(api.name, api.spec, _config(api))


def client_class(api: ApiUnderTest) -> tuple[Any, Any]:
    """(the package's top module, the API's sync client class)."""
    module = importlib.import_module(api.module)
    return importlib.import_module(api.module.split(".")[0]), getattr(
        module, api.client
    )


def path_key(method: str, path: str) -> str:
    """An operation's identity in both SDKs: method and path, parameters unnamed."""
    return f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path)}"


class ZodReference:
    """The Node process that loaded the reference; ``ask`` sends one request."""

    def __init__(self, modules: Path) -> None:
        node, _ = node_and_npm("zod")
        self._proc = subprocess.Popen(
            [node, str(_RUNNER), str(modules), str(REFERENCE / "src" / "generated")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, cmd: str, **fields: Any) -> Any:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps({"cmd": cmd, **fields}) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            pytest.fail(f"the zod runner exited with {self._proc.wait()}")
        answer = json.loads(line)
        if "error" in answer:
            pytest.fail(f"the zod runner failed on {cmd}: {answer['error']}")
        return answer["ok"]

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


@contextmanager
def zod_reference() -> Iterator[ZodReference]:
    if not REFERENCE.is_dir():
        pytest.skip(REFERENCE_REASON)
    modules = npm_install("zodref", PACKAGES, "zod and typescript")
    runner = ZodReference(modules)
    try:
        yield runner
    finally:
        runner.close()


@dataclass(frozen=True)
class RefOperation:
    name: str  # the reference's function name; its zod schemas are named after it
    key: str  # path_key
    documented: bool  # false: the live spec's internal, untagged operations


def reference_operations(zod: ZodReference, api: str) -> dict[str, RefOperation]:
    found = zod.ask("operations", api=api)
    out: dict[str, RefOperation] = {}
    for op in found:
        key = path_key(op["method"], op["path"])
        assert key not in out, f"two reference operations at {key}"
        out[key] = RefOperation(op["name"], key, op["documented"])
    return out

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles. `ci` (the default, used by the README's test command and
# .ci/run) draws the same examples on every run and machine: derandomized, no
# example database, no deadline (a timing limit on a shared 2-core machine is a
# source of luck, not of information). `fuzz` (nox -s fuzz) draws at random and
# remembers failures in .hypothesis/; each bug it finds becomes an @example.
_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=_QUIET,
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=_QUIET,
)
settings.load_profile(os.environ.get("SDKGEN_HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent


def sdkgen_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``sdkgen ARGS`` as its own process, on this checkout's generator."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


SHARED_SPECS = ROOT.parent / "shared" / "specs" / "meeting-baas-v2"
SHARED_REASON = (
    "../shared/specs/meeting-baas-v2 is absent (it holds the published specs)"
)


def as_a_terminal_starts(ignoring: tuple[int, ...] = ()) -> Callable[[], None]:
    """A ``preexec_fn`` giving a child SIGINT and SIGTERM as a terminal does
    (their defaults), whatever this test run inherited (a CI runner may start
    it with SIGINT ignored, which children inherit), or ``ignoring`` ignored."""

    def dispositions() -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            ignored = signum in ignoring
            signal.signal(signum, signal.SIG_IGN if ignored else signal.SIG_DFL)

    return dispositions


def shared_specs() -> list[Path]:
    return sorted(SHARED_SPECS.glob("*.json")) if SHARED_SPECS.is_dir() else []


def shared_spec(name: str) -> Path:
    path = SHARED_SPECS / name
    if not path.is_file():
        pytest.skip(SHARED_REASON)
    return path


def spec_params() -> list[Any]:
    """One pytest param per published spec, or one skipped param when absent."""
    found = shared_specs()
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SHARED_REASON))]
    return [pytest.param(p, id=p.stem) for p in found]


def make_spec(
    schemas: dict[str, Any] | None = None,
    paths: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Test API", "version": "1.0.0"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }
    doc.update(top)
    return doc


def json_op(
    response: Any,
    *,
    body: Any | None = None,
    params: list[Any] | None = None,
    op_id: str = "doThing",
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": op_id,
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": response}},
            }
        },
    }
    if body is not None:
        op["requestBody"] = {"content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


@pytest.fixture(scope="session", autouse=True)
def _own_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """sdkgen's caches (warm records, pieces, compiled templates, normalised
    specs) in a folder of this test run's, not the user's: every run starts
    as cold as a fresh CI machine, and leaves the user's cache alone."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def write_spec(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(doc: dict[str, Any], name: str = "spec.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(doc))
        return path

    return write


GENERATED = ROOT / "generated"


@pytest.fixture(scope="session")
def sdk() -> Any:
    """The committed SDK package (generated/meetingbaas), imported from its folder."""
    import importlib
    import sys

    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    return importlib.import_module("meetingbaas")


def key_for(cls: Any, key: str = "k") -> dict[str, str]:
    """``api_key=key`` for a client class that takes one; an API whose spec
    describes no credential takes none."""
    import inspect

    takes = "api_key" in inspect.signature(cls.__init__).parameters
    return {"api_key": key} if takes else {}

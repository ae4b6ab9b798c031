"""Several APIs in one package (``[apis.<module>]`` in sdkgen.toml): the Meeting
BaaS v2 and v1 APIs as ``meetingbaas`` and ``meetingbaas.v1`` against a loopback
server, and two unrelated corpus specs as one package."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import key_for, sdkgen_process
from .runtime._loopback import Reply, Seen, Server

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
PUBLISHED_V1 = ROOT.parent / "shared/specs/meeting-baas-v1/2026-04-10-b092869.json"
CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
KEY = "sk-multi-api-test"

pytestmark = pytest.mark.slow


def _v1_spec() -> Path:
    """spec/'s v1 description once it is there, else the published one."""
    ours = SPEC_DIR / "meeting-baas-v1.yaml"
    if ours.is_file():
        return ours
    if not PUBLISHED_V1.is_file():
        pytest.skip("no v1 spec: ../shared/specs/meeting-baas-v1 is absent")
    return PUBLISHED_V1


def _project(folder: Path) -> Path:
    """spec/ with v1 as ``[apis.v1]`` (whether or not spec/sdkgen.toml has it)."""
    folder.mkdir()
    for name in ("meeting-baas-v2.yaml", "sdkgen.lock", "sdk-readme.md.j2"):
        shutil.copy(SPEC_DIR / name, folder / name)
    v1 = _v1_spec()
    shutil.copy(v1, folder / f"v1{v1.suffix}")
    config = (SPEC_DIR / "sdkgen.toml").read_text()
    if "[apis.v1]" in config:
        config = config.replace(f'spec = "{v1.name}"', f'spec = "v1{v1.suffix}"')
    else:
        config += (
            f'\n[apis.v1]\nspec = "v1{v1.suffix}"\nclient = "MeetingBaasV1"\n\n'
            '[apis.v1.operations]\njoin = "bots.join"\nleave = "bots.leave"\n'
        )
    (folder / "sdkgen.toml").write_text(config)
    return folder / "meeting-baas-v2.yaml"


def _generate(spec: Path, out: Path) -> None:
    done = sdkgen_process("generate", "--spec", str(spec), "--out", str(out))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the project's v2 spec, the generated distribution) with v1 beside v2."""
    base = tmp_path_factory.mktemp("multi")
    spec = _project(base / "spec")
    _generate(spec, base / "out")
    return spec, base / "out"


def _own_modules(name: str) -> dict[str, ModuleType]:
    """Take ``name`` and its submodules out of ``sys.modules``."""
    return {m: sys.modules.pop(m) for m in list(sys.modules) if m.split(".")[0] == name}


def _imported(folder: Path, name: str) -> Iterator[ModuleType]:
    """``name`` imported from ``folder``; the copy other tests imported comes back
    afterwards, so their classes stay the ones their objects were made with."""
    before = _own_modules(name)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))
        _own_modules(name)
        sys.modules.update(before)


@pytest.fixture(scope="module")
def mb(made: tuple[Path, Path]) -> Iterator[ModuleType]:
    yield from _imported(made[1], "meetingbaas")


@pytest.fixture
def server() -> Iterator[Server]:
    def answer(seen: Seen) -> Reply:
        if seen.path == "/bots/" and seen.method == "POST":
            return Reply(200, {"bot_id": "6c1c8a4e-9b6a-4bd8-9e0c-2a1b1f7c5d10"})
        if seen.path.startswith("/bots/") and seen.method == "DELETE":
            return Reply(404, {"error": "no such bot"})
        return Reply(200, {"success": True, "data": []})

    running = Server(answer).start()
    try:
        yield running
    finally:
        running.stop()


JOIN: dict[str, Any] = {
    "bot_name": "Notetaker",
    "meeting_url": "https://meet.google.com/abc-defg-hij",
    "reserved": False,
}


def test_v1_joins_a_meeting_sync_with_the_packages_key(
    mb: ModuleType, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One environment variable serves both APIs; v1 sends the key in the same
    header, to its own paths, through the one runtime."""
    from meetingbaas.v1 import MeetingBaasV1  # type: ignore[import-not-found]

    monkeypatch.setenv("MEETING_BAAS_API_KEY", KEY)
    with MeetingBaasV1(base_url=server.url, max_retries=0) as client:
        joined = client.bots.join(**JOIN)
    assert str(joined.bot_id) == "6c1c8a4e-9b6a-4bd8-9e0c-2a1b1f7c5d10"
    sent = server.seen[-1]
    assert (sent.method, sent.path) == ("POST", "/bots/")
    assert sent.headers["x-meeting-baas-api-key"] == KEY
    assert sent.json()["meeting_url"] == "https://meet.google.com/abc-defg-hij"
    assert sent.headers["user-agent"].startswith("meetingbaas-python/")


def test_v1_errors_are_the_packages_errors_async(
    mb: ModuleType, server: Server
) -> None:
    """A v1 call's 404 raises the package's NotFoundError (one set of errors)."""
    from meetingbaas.v1 import AsyncMeetingBaasV1

    async def leave() -> None:
        async with AsyncMeetingBaasV1(api_key=KEY, base_url=server.url) as client:
            await client.bots.leave("6c1c8a4e-9b6a-4bd8-9e0c-2a1b1f7c5d10")

    with pytest.raises(mb.NotFoundError) as info:
        asyncio.run(leave())
    assert isinstance(info.value, mb.MeetingBaasError)
    sent = server.seen[-1]
    assert sent.method == "DELETE" and sent.path.startswith("/bots/6c1c8a4e")
    assert sent.headers["x-meeting-baas-api-key"] == KEY


def test_v2_client_and_imports_are_unchanged(mb: ModuleType, server: Server) -> None:
    from meetingbaas import AsyncMeetingBaas, MeetingBaas
    from meetingbaas.types import CreateBotRequestBody  # noqa: F401

    with MeetingBaas(api_key=KEY, base_url=server.url) as client:
        client.bots.list()
    assert server.seen[-1].path == "/v2/bots"
    assert AsyncMeetingBaas.__module__ == "meetingbaas._client"
    assert importlib.import_module("meetingbaas.v1._client").__name__ == (
        "meetingbaas.v1._client"
    )


def test_v1_webhooks_parse_with_v1_models(mb: ModuleType) -> None:
    """v1's webhooks module: the package's parser with v1's payload models
    (v2's are not v1's), unknown events and bad payloads as the package's."""
    from meetingbaas.v1 import webhooks
    from meetingbaas.v1.types import FailedWebhook  # type: ignore[import-not-found]

    body = {
        "event": "failed",
        "data": {"bot_id": "b-1", "error": "meeting_not_found", "message": "gone"},
    }
    event = webhooks.parse(json.dumps(body))
    assert isinstance(event, FailedWebhook) and event.data.error == "meeting_not_found"
    unknown = webhooks.parse({"event": "bot.completed", "data": {}})
    assert isinstance(unknown, mb.webhooks.UnknownWebhookEvent)
    with pytest.raises(mb.webhooks.WebhookParseError):
        webhooks.parse({"event": "failed", "data": {}})
    assert not hasattr(webhooks, "verify")  # [apis.v1.webhooks] signature = "none"
    assert hasattr(mb.webhooks, "verify")  # v2's are signed


def test_one_runtime(made: tuple[Path, Path]) -> None:
    """v1 has its own client, resources, types and testing kit, and no runtime
    module."""
    v1 = made[1] / "meetingbaas" / "v1"
    assert sorted(p.name for p in v1.glob("*.py")) == [
        "__init__.py",
        "_client.py",
        "_constants.py",
        "_webhook_registry.py",
        "testing.py",
        "webhooks.py",
    ]
    assert (v1 / "resources").is_dir() and (v1 / "types").is_dir()
    client = (v1 / "_client.py").read_text()
    assert "from .._base_client import (" in client  # the package's one runtime
    assert "AsyncAPIClient," in client and "SyncAPIClient," in client


def _hashes(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".sdkgen")
    }


def test_a_change_to_v1_regenerates_only_v1(
    made: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = made
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = _hashes(copy)
    v1 = next(spec.parent.glob("v1.*"))
    text = v1.read_text()
    v1.write_text(text.replace("Meeting BaaS API", "Meeting BaaS API (edited)", 1))
    try:
        _generate(spec, copy)
    finally:
        v1.write_text(text)
    after = _hashes(copy)
    changed = sorted(p for p in after if after[p] != before.get(p))
    assert changed, "the edit changed nothing"
    assert all(p.startswith("meetingbaas/v1/") for p in changed), changed
    assert set(after) == set(before)


def test_check_sees_a_stale_v1(made: tuple[Path, Path]) -> None:
    spec, out = made
    v1_client = out / "meetingbaas" / "v1" / "_client.py"
    text = v1_client.read_text()
    v1_client.write_text(text + "# edited\n")
    try:
        done = sdkgen_process(
            "generate", "--check", "--spec", str(spec), "--out", str(out)
        )
    finally:
        v1_client.write_text(text)
    assert done.returncode == 1
    assert "meetingbaas/v1/_client.py" in done.stdout


# -- two unrelated corpus specs as one package -------------------------------------

MAIN, OTHER = "oai_v30_petstore-expanded.json", "resend.yaml"


@pytest.fixture(scope="module")
def corpus_pair(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (CORPUS / MAIN).is_file() or not (CORPUS / OTHER).is_file():
        pytest.skip("../shared/specs/corpus is absent")
    base = tmp_path_factory.mktemp("pair")
    (base / "spec").mkdir()
    shutil.copy(CORPUS / MAIN, base / "spec" / MAIN)
    shutil.copy(CORPUS / OTHER, base / "spec" / OTHER)
    (base / "spec" / "sdkgen.toml").write_text(
        '[package]\nname = "pair"\nclient = "Pets"\nenv_prefix = "PAIR"\n\n'
        f'[apis.mail]\nspec = "{OTHER}"\n'
    )
    _generate(base / "spec" / MAIN, base / "out")
    return base / "out"


def test_two_corpus_specs_one_package(corpus_pair: Path) -> None:
    """Both clients import and make one call each against a loopback server,
    with the package's one key variable."""
    seen: list[Seen] = []

    def answer(request: Seen) -> Reply:
        seen.append(request)
        # Each its own kind of body: a list of pets, a page object of domains
        # (a body wholly of the wrong kind raises, in either mode).
        return Reply(200, [] if request.path == "/pets" else {})

    server = Server(answer).start()
    try:
        for pair in _imported(corpus_pair, "pair"):
            from pair import Pets  # type: ignore[import-not-found]
            from pair.mail import PetsMail  # type: ignore[import-not-found]

            pets = Pets(**key_for(Pets, KEY), base_url=server.url, max_retries=0)
            assert pets.pets.list() == []
            mail = PetsMail(api_key=KEY, base_url=server.url, max_retries=0)
            mail.domains.list()
            assert issubclass(pair.APIError, pair.PetsError)
    finally:
        server.stop()
    assert [(s.method, s.path) for s in seen] == [("GET", "/pets"), ("GET", "/domains")]
    assert seen[1].headers["authorization"] == f"Bearer {KEY}"


def test_two_corpus_specs_pass_mypy_and_ruff(corpus_pair: Path) -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "pair"],
        capture_output=True,
        text=True,
        cwd=corpus_pair,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "-q", "pair"],
        capture_output=True,
        text=True,
        cwd=corpus_pair,
        timeout=300,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]


# -- inspect and diff know the package's APIs ---------------------------------------


def test_inspect_lists_each_api_of_the_package() -> None:
    done = sdkgen_process("inspect", "--format", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    v1 = found["apis"]["v1"]
    assert len(v1["operations"]) == 26
    assert {op["python"] for op in v1["operations"]} >= {
        "client.bots.join",
        "client.bots.leave",
    }
    text = sdkgen_process("inspect").stdout
    assert "\n== meetingbaas.v1 ==\n" in text


def test_diff_of_v1_specs_uses_v1s_names(tmp_path: Path) -> None:
    """NEW is [apis.v1]'s spec: the diff reads v1's tables (``leave``, not the
    path rules' ``delete``)."""
    import yaml

    v1 = SPEC_DIR / "meeting-baas-v1.yaml"
    if not v1.is_file():
        pytest.skip("spec/meeting-baas-v1.yaml is not there yet")
    doc = yaml.safe_load(v1.read_text("utf-8"))
    for item in doc["paths"].values():
        for method, op in list(item.items()):
            if isinstance(op, dict) and op.get("operationId") == "leave":
                del item[method]
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(doc), "utf-8")
    done = sdkgen_process("diff", str(old), str(v1), "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert "new method `client.bots.leave()`" in done.stdout


def test_generating_v1_alone_makes_a_package_of_its_own(tmp_path: Path) -> None:
    """``--spec`` naming [apis.v1]'s spec: that API as a whole package (its own
    names from the config), not a subpackage without its parent."""
    v1 = SPEC_DIR / "meeting-baas-v1.yaml"
    if not v1.is_file():
        pytest.skip("spec/meeting-baas-v1.yaml is not there yet")
    _generate(v1, tmp_path / "out")
    package = tmp_path / "out" / "meetingbaas"
    assert (package / "_base_client.py").is_file() and not (package / "v1").exists()
    client = (package / "_client.py").read_text("utf-8")
    assert "class MeetingBaasV1(SyncAPIClient):" in client
    assert "def join(" in (package / "resources" / "bots.py").read_text("utf-8")

"""Several security schemes as typed client arguments, each operation sending
what its ``security`` lists; webhook verification only where the API says how
webhooks are signed (tests/fragments.py: THREE_AUTH, WEBHOOKS, SIGNED_WEBHOOKS)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib
import inspect
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator import ir
from generator.config import Config, load_config
from generator.emit.render import render
from generator.emit.sections import keep_sections
from generator.errors import SpecError
from generator.finalnames import CLIENT_ARGS, credential_arguments
from generator.parse.loader import LoadedSpec
from generator.parse.normalise import normalise
from generator.parse.problems import Problems
from generator.parse.webhooksig import webhook_signature

from .conftest import sdkgen_process
from .fragments import FRAGMENTS
from .runtime._loopback import Reply, Seen, serving

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
NAMES = ("three_auth", "webhooks", "signed_webhooks")


_sdkgen = sdkgen_process


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("security")
    for name in NAMES:
        spec = folder / "specs" / name / "openapi.json"
        spec.parent.mkdir(parents=True)
        spec.write_text(json.dumps(FRAGMENTS[name]))
        done = _sdkgen("generate", "--spec", str(spec), "--out", str(folder / name))
        assert done.returncode == 0 and done.stderr == "", done.stderr
    sys.path[:0] = [str(folder / name) for name in NAMES]
    yield folder
    for name in NAMES:
        sys.path.remove(str(folder / name))


def _module(out: Path, name: str, sub: str = "") -> ModuleType:
    (package,) = [
        p.name for p in (out / name).iterdir() if (p / "__init__.py").is_file()
    ]
    return importlib.import_module(package + sub)


# -- credential arguments ------------------------------------------------------------


def _scheme(name: str, kind: str = "apiKey", **extra: str) -> ir.AuthScheme:
    return ir.AuthScheme(name=name, kind=kind, **extra)


def test_credential_arguments_are_valid_unique_and_clear_of_client_args() -> None:
    schemes = (
        _scheme("Main", location="header", param_name="X-Key"),
        _scheme("timeout", location="query", param_name="t"),
        _scheme("http-client", kind="http", scheme="bearer"),
        _scheme("class", kind="oauth2"),
        _scheme("3d", location="cookie", param_name="c"),
        _scheme("tls", kind="mutualTLS"),  # the client cannot send it
        _scheme("digest", kind="http", scheme="digest"),  # nor this
    )
    args = credential_arguments(schemes)
    assert args == {
        "Main": "api_key",  # the apiKey header scheme is the primary one
        "timeout": "timeout_",  # as a method's ``timeout`` argument is renamed
        "http-client": "http_client_",
        "class": "class_",
        "3d": "n_3d",
    }
    assert all(a.isidentifier() for a in args.values())
    assert len(set(args.values())) == len(args)
    assert not (set(args.values()) - {"api_key"}) & set(CLIENT_ARGS)


def test_primary_credential_prefers_a_single_string_over_basic() -> None:
    schemes = (
        _scheme("a_basic", kind="http", scheme="basic"),
        _scheme("b_query", location="query", param_name="k"),
    )
    assert credential_arguments(schemes) == {"a_basic": "a_basic", "b_query": "api_key"}


def test_diff_names_the_client_argument_of_a_scheme() -> None:
    import copy

    from .diff_fixtures import diff_docs

    old = copy.deepcopy(FRAGMENTS["three_auth"])
    new = copy.deepcopy(old)
    new["components"]["securitySchemes"]["timeout"] = {"type": "oauth2"}
    del new["components"]["securitySchemes"]["queryKey"]
    changes = {c.rule.id: c for c in diff_docs(old, new).changes}
    added = changes["security-scheme-added"]
    assert added.sdk.endswith("(client argument `timeout_=`)")
    assert changes["security-scheme-removed"].sdk.endswith(
        "(client argument `query_key=`)"
    )


# -- what each operation sends, over a real loopback server ----------------------------


def _echo(seen: Seen) -> Reply:
    return Reply(200, {})


def _auth(seen: Seen) -> tuple[str | None, list[str] | None]:
    return seen.headers.get("authorization"), seen.query.get("key")


def test_each_operation_sends_its_schemes_to_a_loopback_server(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = _module(out, "three_auth")
    for var in ("API_KEY", "BASIC", "QUERY_KEY"):
        monkeypatch.delenv(f"THREE_AUTH_{var}", raising=False)
    basic = "Basic " + base64.b64encode(b"ann:s3:cret").decode()
    with serving(_echo) as (server,):
        client = pkg.ThreeAuthClient(
            api_key="TOK",
            basic=("ann", "s3:cret"),
            query_key="QK",
            base_url=server.url,
            max_retries=0,
        )
        client.me.list()  # the default requirement: bearer only
        client.both.list()  # query key AND basic
        client.either.list()  # the first alternative it can meet
        client.public.list()  # security: [] sends nothing
        # Without the query key: the bearer alternative; `both` cannot be met.
        partial = pkg.ThreeAuthClient(
            api_key="TOK", basic=("ann", "s3:cret"), base_url=server.url
        )
        partial.either.list()

        async def async_call() -> None:
            aclient = pkg.AsyncThreeAuthClient(
                basic=("ann", "s3:cret"), query_key="QK", base_url=server.url
            )
            await aclient.both.list()
            await aclient.close()

        asyncio.run(async_call())
        client.close()
        partial.close()
    assert [(s.path, _auth(s)) for s in server.seen] == [
        ("/me", ("Bearer TOK", None)),
        ("/both", (basic, ["QK"])),
        ("/either", (basic, ["QK"])),
        ("/public", (None, None)),
        ("/either", ("Bearer TOK", None)),
        ("/both", (basic, ["QK"])),
    ]
    assert all("cookie" not in s.headers for s in server.seen)


def test_one_scheme_and_an_open_operation_sends_nothing_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = json.loads(json.dumps(FRAGMENTS["auth_query"]))
    doc["info"]["title"] = "Open Door"
    doc["paths"]["/open"] = {
        "get": {**doc["paths"]["/me"]["get"], "operationId": "getOpen", "security": []}
    }
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(doc))
    done = _sdkgen("generate", "--spec", str(spec), "--out", str(tmp_path / "sdk"))
    assert done.returncode == 0, done.stderr
    monkeypatch.syspath_prepend(str(tmp_path / "sdk"))
    monkeypatch.delenv("OPEN_DOOR_API_KEY", raising=False)
    pkg = importlib.import_module("open_door_client")
    with serving(_echo) as (server,):
        client = pkg.OpenDoorClient(api_key="K", base_url=server.url)
        client.me.list()
        client.open.list()
        client.close()
    me, opened = server.seen
    assert me.query == {"api_key": ["K"]}
    assert opened.query == {}


def test_an_api_with_no_security_takes_no_key_and_sends_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No scheme in the spec: the client needs no key (none is invented as an
    Authorization header), has no ``api_key`` argument, and its fake works."""
    doc = json.loads(json.dumps(FRAGMENTS["auth_query"]))
    doc["info"]["title"] = "No Lock"
    doc.pop("security", None)
    doc.get("components", {}).pop("securitySchemes", None)
    for item in doc["paths"].values():
        for op in item.values():
            op.pop("security", None)
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(doc))
    done = _sdkgen("generate", "--spec", str(spec), "--out", str(tmp_path / "sdk"))
    assert done.returncode == 0, done.stderr
    monkeypatch.syspath_prepend(str(tmp_path / "sdk"))
    monkeypatch.setenv("NO_LOCK_API_KEY", "from-env")  # never sent
    pkg = importlib.import_module("no_lock_client")
    for cls in (pkg.NoLockClient, pkg.AsyncNoLockClient):
        assert "api_key" not in inspect.signature(cls.__init__).parameters
    with serving(_echo) as (server,):
        client = pkg.NoLockClient(base_url=server.url)
        client.me.list()
        # A copy takes no key either; one given is refused, not dropped.
        client.with_options(max_retries=0).me.list()
        with pytest.raises(TypeError, match="takes no api_key"):
            client.with_options(api_key="K")
        client.close()
    for me in server.seen:
        assert "authorization" not in me.headers and me.query == {}
    assert len(server.seen) == 2
    # No credential header is redacted from logs: there is none.
    constants = importlib.import_module("no_lock_client._constants")
    assert not constants.CREDENTIAL_HEADERS
    testing = importlib.import_module("no_lock_client.testing")
    testing.fake_client().me.list()


def test_credentials_default_to_environment_variables(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = _module(out, "three_auth")
    monkeypatch.setenv("THREE_AUTH_API_KEY", "ENV-TOK")
    monkeypatch.setenv("THREE_AUTH_BASIC", "env:pw")
    monkeypatch.setenv("THREE_AUTH_QUERY_KEY", "ENV-QK")
    with serving(_echo) as (server,):
        client = pkg.ThreeAuthClient(base_url=server.url, max_retries=0)
        client.me.list()
        client.both.list()
        client.close()
    me, both = server.seen
    assert me.headers["authorization"] == "Bearer ENV-TOK"
    assert (
        both.headers["authorization"] == "Basic " + base64.b64encode(b"env:pw").decode()
    )
    assert both.query["key"] == ["ENV-QK"]


def test_constructor_takes_typed_credentials_and_nothing_else(out: Path) -> None:
    pkg = _module(out, "three_auth")
    for cls in (pkg.ThreeAuthClient, pkg.AsyncThreeAuthClient):
        params = inspect.signature(cls.__init__).parameters
        assert not any(p.kind is p.VAR_KEYWORD for p in params.values())
        assert params["basic"].annotation == "tuple[str, str] | None"
        assert params["api_key"].annotation == "str | None"
        assert params["query_key"].annotation == "str | None"
        doc = cls.__init__.__doc__ or ""
        for arg in ("api_key", "basic", "query_key"):
            assert f"``{arg}``:" in doc
        assert "THREE_AUTH_QUERY_KEY" in doc and "THREE_AUTH_BASIC" in doc
        with pytest.raises(TypeError, match="bearer"):
            cls(api_key="k", bearer="t")


@pytest.mark.slow
def test_an_unknown_keyword_fails_mypy(out: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(
        "from three_auth_client import ThreeAuthClient\n"
        "ok = ThreeAuthClient(api_key='t', basic=('u', 'p'), query_key='q')\n"
        "bad = ThreeAuthClient(api_key='t', bearer='t')\n"
        "pair = ThreeAuthClient(basic='u:p')\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(out / "three_auth")},
        cwd=tmp_path,
        timeout=600,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, done.stdout
    assert 'user.py:3: error: Unexpected keyword argument "bearer"' in errors[0]
    assert 'user.py:4: error: Argument "basic"' in errors[1]


# -- webhook signatures ----------------------------------------------------------------


def _hook_doc(**post: Any) -> dict[str, Any]:
    return {"webhooks": {"w": {"post": {"responses": {}, **post}}}}


def _headers(*names: str) -> list[dict[str, str]]:
    return [{"name": n, "in": "header"} for n in names]


def test_standard_webhooks_detected_only_from_what_the_spec_says() -> None:
    full = ("webhook-id", "webhook-timestamp", "webhook-signature")
    assert webhook_signature(_hook_doc(parameters=_headers(*full))) == (
        "standard-webhooks"
    )
    assert webhook_signature(_hook_doc(parameters=_headers(*full[:2]))) == ""
    assert webhook_signature(_hook_doc()) == ""
    # Svix's names, said in the description of a tag the webhook carries.
    tagged = _hook_doc(tags=["Events"])
    tagged["tags"] = [
        {"name": "Events", "description": "Signed: svix-id, svix-timestamp and"},
        {"name": "Other", "description": "svix-signature"},
    ]
    assert webhook_signature(tagged) == ""  # one header is in another tag
    tagged["tags"][0]["description"] += " svix-signature headers."
    assert webhook_signature(tagged) == "standard-webhooks"
    # Headers on an ordinary operation say nothing about webhooks.
    plain = {"paths": {"/x": {"post": {"parameters": _headers(*full)}}}}
    assert webhook_signature(plain) == ""
    # A callback's path item parameters, by $ref.
    callback = {
        "paths": {
            "/s": {
                "post": {
                    "callbacks": {
                        "c": {"{$url}": {"parameters": _headers(*full), "post": {}}}
                    }
                }
            }
        }
    }
    assert webhook_signature(callback) == "standard-webhooks"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("resend.yaml", "standard-webhooks"),  # Svix headers, said in a tag
        ("oai_v31_webhook-example.yaml", ""),
        ("oai_v30_callback-example.yaml", ""),
        ("gladia.json", ""),
    ],
)
def test_corpus_webhook_signatures(name: str, expected: str) -> None:
    import yaml

    text = (CORPUS / name).read_text("utf-8")
    raw = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    assert webhook_signature(raw) == expected


def test_unsigned_webhooks_parse_without_a_verifier(out: Path) -> None:
    hooks = _module(out, "webhooks", ".webhooks")
    pkg = _module(out, "webhooks")
    for gone in ("verify", "unwrap", "verify_callback", "WebhookVerificationError"):
        assert not hasattr(hooks, gone), gone
        assert gone not in hooks.__all__
    for gone in ("WebhookSecretError", "WebhookVerificationError"):
        assert not hasattr(pkg, gone) and gone not in pkg.__all__, gone
    paid = hooks.parse({"type": "order.paid", "amount": 5})
    assert type(paid).__name__ == "OrderPaid" and paid.amount == 5
    readme = (out / "webhooks" / "README.md").read_text()
    assert "does not say how webhooks are signed" in readme
    assert "unwrap" not in readme and "x-mb-secret" not in hooks.__doc__ + readme


def _signed(body: str, secret: bytes, stamp: str) -> dict[str, str]:
    mac = hmac.new(secret, f"m1.{stamp}.{body}".encode(), hashlib.sha256)
    return {
        "webhook-id": "m1",
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(mac.digest()).decode(),
    }


def test_signed_webhooks_get_a_verifier_that_verifies(out: Path) -> None:
    hooks = _module(out, "signed_webhooks", ".webhooks")
    assert not hasattr(hooks, "verify_callback")  # no callback secret header
    pkg = _module(out, "signed_webhooks")
    for error in ("WebhookSecretError", "WebhookVerificationError"):
        assert getattr(pkg, error) is getattr(hooks, error) and error in pkg.__all__
    secret = b"k" * 24
    body, stamp = '{"type": "order.paid", "amount": 3}', str(int(time.time()))
    headers = _signed(body, secret, stamp)
    key = "whsec_" + base64.b64encode(secret).decode()
    event = hooks.unwrap(body, headers, key)
    assert type(event).__name__ == "OrderPaid" and event.amount == 3
    with pytest.raises(hooks.WebhookVerificationError):
        hooks.unwrap(body.replace("3", "4"), headers, key)
    readme = (out / "signed_webhooks" / "README.md").read_text()
    assert "Standard Webhooks" in readme


def _render_webhooks(doc: dict[str, Any], config: Config) -> str:
    api = normalise(LoadedSpec("x", "0" * 64, doc), config, Problems())
    return render(api, config, "0" * 64)[f"{config.package}/webhooks.py"]


@pytest.mark.parametrize(
    ("fragment", "setting", "verifies"),
    [
        ("signed_webhooks", "none", False),
        ("webhooks", "standard-webhooks", True),
        ("webhooks", "", False),
        ("signed_webhooks", "", True),
    ],
)
def test_config_overrides_detection(
    tmp_path: Path, fragment: str, setting: str, verifies: bool
) -> None:
    toml = tmp_path / "sdkgen.toml"
    table = f'[webhooks]\nsignature = "{setting}"\n' if setting else ""
    toml.write_text(f'[package]\nname = "hooks"\n{table}')
    text = _render_webhooks(FRAGMENTS[fragment], load_config(toml))
    assert ("\ndef verify(" in text) is verifies
    assert ("\ndef unwrap(" in text) is verifies
    assert "# >>>" not in text and "# <<<" not in text
    compile(text, "webhooks.py", "exec")


def test_callback_secret_header_comes_from_the_config(tmp_path: Path) -> None:
    toml = tmp_path / "sdkgen.toml"
    toml.write_text(
        '[package]\nname = "hooks"\n'
        '[webhooks]\ncallback_secret_header = "X-Cb-Secret"\n'
    )
    config = load_config(toml)
    api = normalise(LoadedSpec("x", "0" * 64, FRAGMENTS["webhooks"]), config)
    files = render(api, config, "0" * 64)
    text = files["hooks/webhooks.py"]
    assert 'CALLBACK_SECRET_HEADER = "x-cb-secret"' in files["hooks/_constants.py"]
    assert "CALLBACK_SECRET_HEADER = _constants.CALLBACK_SECRET_HEADER" in text
    assert "\ndef verify_callback(" in text and "\ndef verify(" not in text


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('signature = "hmac"', "[webhooks] signature must be one of"),
        ('callback_secret_header = "a b"', "[webhooks] callback_secret_header"),
        ("callback_secret_header = 3", "[webhooks] callback_secret_header"),
    ],
)
def test_bad_webhooks_config_is_refused_naming_the_setting(
    tmp_path: Path, table: str, message: str
) -> None:
    toml = tmp_path / "sdkgen.toml"
    toml.write_text(f"[webhooks]\n{table}\n")
    with pytest.raises(SpecError, match=message.replace("[", r"\[")):
        load_config(toml)


def test_bad_webhooks_config_exits_2_with_one_line(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(FRAGMENTS["webhooks"]))
    (tmp_path / "sdkgen.toml").write_text('[webhooks]\nsignature = "hmac"\n')
    done = _sdkgen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "[webhooks] signature" in done.stderr and "sdkgen.toml" in done.stderr


def test_meeting_baas_keeps_its_verifiers(sdk: Any) -> None:
    webhooks = importlib.import_module(sdk.__name__ + ".webhooks")
    assert webhooks.CALLBACK_SECRET_HEADER == "x-mb-secret"
    secret = b"s" * 32
    body, stamp = '{"event": "bot.status_change"}', str(int(time.time()))
    key = "whsec_" + base64.b64encode(secret).decode()
    webhooks.verify(body, _signed(body, secret, stamp), key)
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.verify(body + " ", _signed(body, secret, stamp), key)
    webhooks.verify_callback({"X-MB-Secret": "cb"}, "cb")


# -- the section markers ------------------------------------------------------------


def test_sections_are_cut_or_kept_and_their_markers_dropped() -> None:
    text = (
        "import hmac\nimport json\n\n\n"
        "# >>> a\ndef f() -> object:\n    return hmac\n\n\n# <<< a\n"
        "# >>> !a\nX = 1\n# <<< !a\n"
        "def g() -> object:\n    return json\n"
    )
    kept = keep_sections(text, {"a"})
    assert kept == (
        "import hmac\nimport json\n\n\ndef f() -> object:\n    return hmac\n\n\n"
        "def g() -> object:\n    return json\n"
    )
    cut = keep_sections(text, set())
    assert cut == "import json\n\n\nX = 1\ndef g() -> object:\n    return json\n"
    assert keep_sections("x = 1\n", set()) == "x = 1\n"
    with pytest.raises(ValueError, match="never closed"):
        keep_sections("# >>> a\nx = 1\n", set())
    with pytest.raises(ValueError, match="closes no open part"):
        keep_sections("# <<< a\n", set())


def test_a_package_exports_the_webhook_errors_any_of_its_apis_has(
    tmp_path: Path,
) -> None:
    """The runtime is the package's: when only a second API's webhooks are
    signed, its ``webhooks`` module has the errors and the package exports them."""
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "main.json").write_text(json.dumps(FRAGMENTS["webhooks"]))
    (spec / "signed.json").write_text(json.dumps(FRAGMENTS["signed_webhooks"]))
    (spec / "sdkgen.toml").write_text(
        '[package]\nname = "mixedhooks"\nclient = "Mixed"\n\n'
        '[apis.signed]\nspec = "signed.json"\n'
    )
    out = tmp_path / "out"
    done = _sdkgen("generate", "--spec", str(spec / "main.json"), "--out", str(out))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    sys.path.insert(0, str(out))
    try:
        pkg = importlib.import_module("mixedhooks")
        hooks = importlib.import_module("mixedhooks.webhooks")
        for error in ("WebhookSecretError", "WebhookVerificationError"):
            assert getattr(pkg, error) is getattr(hooks, error), error
            assert error in pkg.__all__, error
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "mixedhooks"]:
            del sys.modules[name]

"""With several apiKey schemes, ``api_key=`` is the credential of the scheme
most operations use (an admin key listed first keeps its own argument), so
ordinary calls need no unexpected keyword."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

from generator import ir
from generator.finalnames import credential_arguments, primary_scheme, scheme_use

from .conftest import sdkgen_process
from .fragments import _doc, _get
from .runtime._loopback import Reply, Seen, serving

# The admin key comes first in the spec; one operation uses it, three the user key.
TWO_KEYS = _doc(
    "Key Ring",
    {
        "/pets": _get("listPets"),
        "/owners": _get("listOwners"),
        "/toys": _get("listToys", security=[{"userKey": []}]),
        "/admin": _get("getAdmin", security=[{"adminKey": []}]),
    },
    components={
        "schemas": {},
        "securitySchemes": {
            "adminKey": {"type": "apiKey", "in": "header", "name": "X-Admin-Key"},
            "userKey": {"type": "apiKey", "in": "header", "name": "X-User-Key"},
        },
    },
    security=[{"userKey": []}],
)


def _key(name: str, header: str) -> ir.AuthScheme:
    return ir.AuthScheme(name=name, kind="apiKey", location="header", param_name=header)


def test_the_most_used_key_is_api_key_and_a_tie_keeps_spec_order() -> None:
    schemes = (_key("adminKey", "X-Admin-Key"), _key("userKey", "X-User-Key"))
    assert credential_arguments(schemes, {"adminKey": 1, "userKey": 3}) == {
        "adminKey": "admin_key",
        "userKey": "api_key",
    }
    assert credential_arguments(schemes, {"adminKey": 2, "userKey": 2}) == {
        "adminKey": "api_key",
        "userKey": "user_key",
    }
    assert credential_arguments(schemes) == {  # no counts: the first, as before
        "adminKey": "api_key",
        "userKey": "user_key",
    }
    # Use never lifts a query key or basic above a header key.
    query = ir.AuthScheme(name="q", kind="apiKey", location="query", param_name="k")
    chosen = primary_scheme((query, schemes[0]), {"q": 9, "adminKey": 1})
    assert chosen is schemes[0]


def test_operations_count_the_default_requirement_too() -> None:
    from generator.config import Config
    from generator.parse.loader import typed_spec
    from generator.parse.normalise import normalise

    data = json.dumps(TWO_KEYS).encode()
    api = normalise(typed_spec("two.json", data, json.loads(data)), Config())
    assert scheme_use(api) == {"userKey": 3, "adminKey": 1}


def test_the_generated_client_binds_api_key_to_the_user_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(TWO_KEYS), "utf-8")
    out = str(tmp_path / "sdk")
    done = sdkgen_process("generate", "--spec", str(spec), "--out", out)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    monkeypatch.syspath_prepend(str(tmp_path / "sdk"))
    for var in ("API_KEY", "ADMIN_KEY", "USER_KEY"):
        monkeypatch.delenv(f"KEY_RING_{var}", raising=False)
    pkg = importlib.import_module("key_ring_client")
    params = inspect.signature(pkg.KeyRingClient.__init__).parameters
    assert "admin_key" in params and "user_key" not in params
    doc = pkg.KeyRingClient.__init__.__doc__ or ""
    assert "KEY_RING_ADMIN_KEY" in doc and "X-User-Key" in doc

    def echo(seen: Seen) -> Reply:
        return Reply(200, {})

    with serving(echo) as (server,):
        client = pkg.KeyRingClient(api_key="U", admin_key="A", base_url=server.url)
        client.pets.list()
        client.admin.list()
        client.close()
        monkeypatch.setenv("KEY_RING_API_KEY", "ENV-U")
        from_env = pkg.KeyRingClient(base_url=server.url)
        from_env.toys.list()
        from_env.close()
    sent = [
        (s.path, s.headers.get("x-user-key"), s.headers.get("x-admin-key"))
        for s in server.seen
    ]
    assert sent == [
        ("/pets", "U", None),
        ("/admin", None, "A"),
        ("/toys", "ENV-U", None),
    ]

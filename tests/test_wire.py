"""What the generated SDK sends, as bytes, for each OpenAPI serialization rule
(tests/wire_fragments.py), on a loopback server; and a valid response parsed.

Each row of the README's "Wire format" table is checked here."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from .conftest import key_for, sdkgen_process
from .runtime._loopback import Reply, Seen, Server, serving
from .wire_fragments import WIRE

WHEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
RECEIPT = {"id": "r1", "sent_at": "2030-01-02T03:04:05.123456789+00:00"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("wire")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(WIRE))
    done = sdkgen_process("generate", "--spec", str(spec), "--out", str(folder / "sdk"))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    sys.path.insert(0, str(folder / "sdk"))
    yield folder
    sys.path.remove(str(folder / "sdk"))


@pytest.fixture(scope="module")
def wire(out: Path) -> ModuleType:
    return importlib.import_module("wire_client")


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(lambda seen: Reply(200, RECEIPT)) as (one,):
        yield one


def _client(wire: ModuleType, server: Server) -> Any:
    cls = wire.WireClient
    return cls(**key_for(cls), base_url=server.url, max_retries=0)


def _received(server: Server) -> Seen:
    (seen,) = server.seen
    return seen


def _check_receipt(receipt: Any) -> None:
    assert receipt.id_ == "r1"
    # String defaults parsed into the field's type: a datetime, an enum member.
    assert receipt.due == datetime(2025, 9, 23, 15, 0, 14, 534988, tzinfo=UTC)
    assert receipt.mode == "fast" and type(receipt.mode).__name__ != "str"
    # nanoseconds are cut to what a datetime holds
    assert receipt.sent_at == datetime(2030, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


ORDER = {
    "name": "Ann Lee",
    "send_at": WHEN,
    "count": 3,
    "paid": True,
    "note": None,  # nullable, explicitly None: nothing to send in a form
    "address": {"line1": "1 Main St", "city": "Paris"},
    "items": [{"price": "p_1", "quantity": 2}, {"price": "p_2"}],
    "tags": ["a", "b"],
    "codes": ["x", "y z"],
    "extra": {"k": "v"},
}


def test_form_fields_follow_their_encoding(wire: ModuleType, server: Server) -> None:
    """deepObject objects and arrays of objects, a non-exploded array, a JSON
    field, unquoted date-time and booleans, None left out."""
    _check_receipt(_client(wire, server).orders.create(**ORDER))
    seen = _received(server)
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen.body == (
        b"name=Ann%20Lee&send_at=2030-01-02T03%3A04%3A05Z&count=3&paid=true"
        b"&address%5Bline1%5D=1%20Main%20St&address%5Bcity%5D=Paris"
        b"&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2"
        b"&items%5B1%5D%5Bprice%5D=p_2"
        b"&tags=a&tags=b&codes=x,y%20z&extra=%7B%22k%22%3A%22v%22%7D"
    )


def test_models_and_dicts_send_the_same_form(wire: ModuleType, server: Server) -> None:
    types = wire.types
    as_models = {
        **ORDER,
        "address": types.Address(line1="1 Main St", city="Paris"),
        "items": [types.Item(price="p_1", quantity=2), types.Item(price="p_2")],
        "extra": types.Extra(k="v"),
    }
    client = _client(wire, server)
    client.orders.create(**ORDER)
    client.orders.create(**as_models)
    first, second = server.seen
    assert first.body == second.body
    assert b"null" not in first.body and b"zip" not in first.body  # unset: left out


def test_form_defaults_without_encoding(wire: ModuleType, server: Server) -> None:
    """No ``encoding``: every field is ``form``, exploded: arrays repeat, an
    object's properties become keys, nested values keep brackets."""
    client = _client(wire, server)
    client.orders.create_plain(
        name="n",
        address={"line1": "1", "zip_": "75001"},
        items=[{"price": "p"}],
        codes=["x", "y"],
        extra={"k": "v"},
    )
    assert _received(server).body == (
        b"name=n&line1=1&zip=75001&items%5B0%5D%5Bprice%5D=p&codes=x&codes=y&k=v"
    )


def _normalised(seen: Seen) -> bytes:
    boundary = re.search(r"boundary=(\S+)", seen.headers["content-type"])
    assert boundary is not None
    return seen.body.replace(boundary.group(1).encode(), b"B")


def test_multipart_parts_and_their_content_types(
    wire: ModuleType, server: Server
) -> None:
    _check_receipt(
        _client(wire, server).uploads.create(
            name="n",
            send_at=WHEN,
            count=2,
            note=None,
            address={"line1": "l"},
            items=[{"price": "p", "quantity": 1}],
            tags=["a", "b"],
            extra={"k": "v"},
            file=b"PNG",
        )
    )
    seen = _received(server)
    assert seen.headers["content-type"].startswith("multipart/form-data; boundary=")

    def part(name: str, value: str, media: str = "", file: str = "") -> bytes:
        head = f'--B\r\nContent-Disposition: form-data; name="{name}"'
        head += f'; filename="{file}"' if file else ""
        head += f"\r\nContent-Type: {media}" if media else ""
        return f"{head}\r\n\r\n{value}\r\n".encode()

    assert _normalised(seen) == b"".join(
        [
            part("name", "n"),
            part("send_at", "2030-01-02T03:04:05Z"),  # text, no JSON quotes
            part("count", "2"),
            part("address", '{"line1":"l"}', "application/json"),  # object: JSON
            part("items[0][price]", "p"),  # encoding: deepObject
            part("items[0][quantity]", "1"),
            part("tags", "a"),  # an array: one part per item (RFC 7578)
            part("tags", "b"),
            part("extra", '{"k":"v"}', "application/vnd.api+json"),
            part("file", "PNG", "image/png", file="upload"),
            b"--B--\r\n",
        ]
    )


def test_parameters_in_every_location_and_style(
    wire: ModuleType, server: Server
) -> None:
    _check_receipt(
        _client(wire, server).styles.retrieve(
            ["a", "b/c"],
            ["c", "d"],
            {"R": 1, "G": 2},
            tags=["a", "b"],
            ids=["1", "2"],
            space=["a", "b"],
            pipe=["a", "b"],
            colour={"R": 1, "G": 2},
            rgb={"R": 1, "G": 2},
            filter_={"R": 1},
            since=WHEN,
            redirect="http://x/y?z=1",
            x_ids=["a", "b"],
            x_colour={"R": 1, "G": 2},
            session="s1",
            prefs=["a", "b"],
        )
    )
    seen = _received(server)
    path, query = seen.target.split("?", 1)
    assert path == "/styles/a,b%2Fc/.c,d/;R=1;G=2"
    assert query.split("&") == [
        "tags=a",
        "tags=b",
        "ids=1,2",
        "space=a%20b",
        "pipe=a|b",
        "R=1",  # form, exploded object: its properties are the keys
        "G=2",
        "rgb=R,1,G,2",
        "filter%5BR%5D=1",
        "since=2030-01-02T03%3A04%3A05Z",
        "until=2031-01-01T00%3A00%3A00Z",  # the spec's default, sent
        "redirect=http://x/y?z=1",  # allowReserved
    ]
    assert seen.headers["x-ids"] == "a,b"
    assert seen.headers["x-colour"] == "R=1,G=2"
    assert seen.headers["cookie"] == "session=s1; prefs=a,b"


def test_async_client_sends_the_same_bytes(wire: ModuleType, server: Server) -> None:
    async def call() -> None:
        cls = wire.AsyncWireClient
        async with cls(**key_for(cls), base_url=server.url, max_retries=0) as client:
            await client.orders.create(**ORDER)

    _client(wire, server).orders.create(**ORDER)
    asyncio.run(call())
    first, second = server.seen
    assert first.body == second.body


def test_at_least_one_of_keeps_the_properties_and_checks_the_rule(
    wire: ModuleType, server: Server
) -> None:
    client = _client(wire, server)
    _check_receipt(client.things.create(b=2, c="x"))
    assert _received(server).body == b'{"b":2,"c":"x"}'
    with pytest.raises(
        wire.RequestValidationError, match=r"at least one of \(a\) or \(b\)"
    ):
        client.things.create(c="x")
    assert len(server.seen) == 1  # refused before anything was sent


def test_discriminator_without_mapping_tags_by_const(wire: ModuleType) -> None:
    """A dict is accepted by the const each option declares for ``role``, and
    the response parses to the option its ``role`` names."""
    with serving(lambda seen: Reply(200, seen.json())) as (echo,):
        client = _client(wire, echo)
        user = client.messages.create(body={"role": "user", "content": "hi"})
        system = client.messages.create(body={"role": "system", "content": "be"})
    assert type(user) is wire.types.UserMessage and user.content == "hi"
    assert type(system) is wire.types.SystemMessage
    assert [s.body for s in echo.seen] == [
        b'{"role":"user","content":"hi"}',
        b'{"role":"system","content":"be"}',
    ]


def test_recursion_through_all_of_generates_and_parses(wire: ModuleType) -> None:
    chain = {
        "name": "a",
        "\U0001f600 mood": "fine",
        "manager": {"name": "b", "manager": {"name": "c"}},
        "mentor": {"name": "m", "mentor": {"name": "n"}},
        "deputy": {
            "name": "d",
            "since": "2030-01-02T03:04:05Z",
            "deputy": {"name": "e", "since": "2031-01-02T03:04:05Z"},
            "mentor": {"name": "f"},
        },
    }
    with serving(lambda seen: Reply(200, chain)) as (one,):
        boss = _client(wire, one).people.list()
    assert type(boss.manager.manager) is wire.types.Person
    assert boss.manager.manager.name == "c" and boss.manager.manager.manager is None
    # allOf of a $ref and an annotation is the $ref; with more properties it is
    # a type of its own, recursive the same way.
    assert type(boss.mentor.mentor) is wire.types.Person
    deputy = boss.deputy
    assert type(deputy) is not wire.types.Person
    assert type(deputy.deputy) is type(deputy)
    assert deputy.deputy.since.year == 2031 and type(deputy.mentor) is wire.types.Person
    # A property name beyond the BMP: its alias is one character, not two
    # lone surrogates pydantic cannot build.
    assert boss.mood == "fine"


def test_webhook_events_told_apart_by_the_const_that_differs(
    wire: ModuleType,
) -> None:
    hooks = importlib.import_module("wire_client.webhooks")
    done = hooks.parse({"object": "event", "type": "batch.completed", "output": "o"})
    failed = hooks.parse('{"object": "event", "type": "batch.failed", "error": "e"}')
    assert (done.output, failed.error) == ("o", "e")
    assert type(done).__name__ != type(failed).__name__


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (("form", True, False), ["a", "b"], [("c", "a"), ("c", "b")]),
        (("form", False, False), ["a", "b"], [("c", "a,b")]),
        (("spaceDelimited", False, False), ["a", "b"], [("c", "a%20b")]),
        (("pipeDelimited", False, False), ["a", "b"], [("c", "a|b")]),
        (("form", True, False), {"R": 1, "G": 2}, [("R", "1"), ("G", "2")]),
        (("form", False, False), {"R": 1, "G": 2}, [("c", "R,1,G,2")]),
        (("spaceDelimited", False, False), {"R": 1}, [("c", "R%201")]),
        (("pipeDelimited", False, False), {"R": 1}, [("c", "R|1")]),
        (("deepObject", True, False), {"R": 1, "G": 2}, [("c[R]", "1"), ("c[G]", "2")]),
        (("deepObject", True, False), [{"p": 1}], [("c[0][p]", "1")]),
        (("form", True, False), "a b,c", [("c", "a%20b%2Cc")]),
        (("form", True, True), "a/b?c", [("c", "a/b?c")]),
        (("form", True, False), True, [("c", "true")]),
        (("form", True, False), None, []),
    ],
)
def test_query_and_form_styles(
    wire: ModuleType, rule: tuple[str, bool, bool], value: Any, expected: Any
) -> None:
    serialize = importlib.import_module("wire_client._serialize")
    assert serialize.form_pairs("c", value, rule) == expected


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (("simple", False, False), ["a", "b"], "a,b"),
        (("simple", False, False), {"R": 1, "G": 2}, "R,1,G,2"),
        (("simple", True, False), {"R": 1, "G": 2}, "R=1,G=2"),
        (("label", False, False), ["a", "b"], ".a,b"),
        (("label", True, False), ["a", "b"], ".a.b"),
        (("label", True, False), {"R": 1, "G": 2}, ".R=1.G=2"),
        (("matrix", False, False), ["a", "b"], ";id=a,b"),
        (("matrix", True, False), ["a", "b"], ";id=a;id=b"),
        (("matrix", False, False), {"R": 1}, ";id=R,1"),
        (("matrix", True, False), {"R": 1, "G": 2}, ";R=1;G=2"),
        (("simple", False, False), "..", "%2E%2E"),
        (("simple", False, False), "a/b", "a%2Fb"),
    ],
)
def test_path_styles(
    wire: ModuleType, rule: tuple[str, bool, bool], value: Any, expected: str
) -> None:
    serialize = importlib.import_module("wire_client._serialize")
    assert serialize.path_value(value, "id", rule) == expected


@pytest.mark.slow
def test_wire_sdk_passes_mypy_strict(out: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "-p",
            "wire_client",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(out / "sdk")},
        cwd=out,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:]


def test_httpx_keeps_the_query_as_encoded() -> None:
    """The runtime encodes the query itself; httpx must not encode it again."""
    url = "http://h/p?a%5Bb%5D=1&ids=1,2&p=a|b&r=http://x/y?z=1"
    request = httpx.Client().build_request("GET", url)
    assert request.url.raw_path == url.removeprefix("http://h").encode()


def test_a_body_of_any_value_is_warned_about() -> None:
    from generator.config import Config
    from generator.parse.loader import LoadedSpec
    from generator.parse.normalise import normalise
    from generator.parse.problems import Problems

    body = {"content": {"application/json": {"schema": {}}}}
    op = {
        "operationId": "put",
        "requestBody": body,
        "responses": {"204": {"description": "ok"}},
    }
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/x": {"put": op}},
    }
    problems = Problems()
    normalise(LoadedSpec("x", "0" * 64, doc), Config(), problems)
    assert problems.warnings == [
        "#/paths/~1x/put/requestBody/content/application~1json/schema: "
        "request body accepts any value: no body argument"
    ]

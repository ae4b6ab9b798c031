"""The fake API of ``<package>.testing`` on a hand-made spec
(tests/fake_fragments.py, issue 28): the spec's examples as default
responses (an invalid one warned about by its pointer, generated values
instead), path/query/header parameters checked as the API would, ``returns``
of a mapping merged onto the default, and routing below a base path."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.cli import _lenient_api
from generator.parse.loader import MAX_SPEC_BYTES

from .conftest import key_for, sdkgen_process
from .fake_checks import call_every_operation, fake_ops, schema_problems
from .fake_fragments import (
    CREATED,
    KIT,
    LISTED,
    OWNER_POINTER,
    PET_EXAMPLE,
    SERVER,
    STATS_POINTER,
    TWIN,
)

BROKEN_POINTER = (
    "#/paths/~1pets/get/responses/200/content/application~1json/examples/broken/value"
)


class Made:
    def __init__(self, folder: Path, stderr: str) -> None:
        self.folder = folder
        self.stderr = stderr
        self.spec = folder / "openapi.json"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    folder = tmp_path_factory.mktemp("kit")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(KIT))
    done = sdkgen_process("generate", "--spec", str(spec), "--out", str(folder / "sdk"))
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(folder / "sdk"))
    yield Made(folder, done.stderr)
    sys.path.remove(str(folder / "sdk"))


@pytest.fixture(scope="module")
def kit(made: Made) -> ModuleType:
    return importlib.import_module("fake_kit_client")


@pytest.fixture(scope="module")
def testing(made: Made) -> ModuleType:
    return importlib.import_module("fake_kit_client.testing")


# --- examples -----------------------------------------------------------------


def test_valid_examples_are_the_default_responses(testing: ModuleType) -> None:
    client = testing.fake_client()
    pet = client.pets.retrieve(7)  # the schema's own example
    assert pet.to_dict(mode="json") == PET_EXAMPLE
    # examples.{name}.value: the first that fits ("broken" does not)
    listed = client.pets.list(kind="cat")
    assert [p.to_dict(mode="json") for p in listed] == LISTED
    assert client.pets.create(name="Cleo").to_dict(mode="json") == CREATED
    twin = client.pets.get_twin(8)  # a whole envelope: the SDK reads its data
    assert twin.to_dict(mode="json") == TWIN["data"]


def test_an_invalid_example_is_warned_about_by_its_pointer(
    made: Made, testing: ModuleType
) -> None:
    warnings = [ln for ln in made.stderr.splitlines() if "example" in ln]
    assert [w.split(": ")[2] for w in warnings] == sorted(
        [OWNER_POINTER, BROKEN_POINTER, STATS_POINTER]
    )
    client = testing.fake_client()
    assert client.stats.list().count == 1  # generated, not "many"
    owner = client.owners.retrieve("o1")
    # the model's example lacks ``name``: generated values, with the
    # property's own example
    assert owner.to_dict(mode="json") == {"name": "example", "email": "ann@example.com"}


def test_every_default_parses_and_fits_its_schema(
    made: Made, kit: ModuleType, testing: ModuleType
) -> None:
    loaded, _, api = _lenient_api(str(made.spec), None, False, MAX_SPEC_BYTES)
    assert call_every_operation(api, kit, testing) == ([], [])
    ops = fake_ops(testing.FakeTransport()).values()
    assert schema_problems(loaded.raw, api, ops) == (len(api.operations), [])


def test_the_data_is_the_same_every_run(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "again"
    done = sdkgen_process("generate", "--spec", str(made.spec), "--out", str(out))
    assert done.returncode == 0 and done.stderr == made.stderr
    name = "fake_kit_client/testing_data.json"
    assert (out / name).read_bytes() == (made.folder / "sdk" / name).read_bytes()


# --- parameters ---------------------------------------------------------------


def _get(testing: ModuleType, path: str, **kwargs: Any) -> httpx.Response:
    """A request the SDK would refuse to send, straight to the fake."""
    fake = testing.FakeTransport()
    with httpx.Client(transport=fake) as http:
        return http.get(SERVER + path, **kwargs)


@pytest.mark.parametrize(
    ("path", "kwargs", "named"),
    [
        ("/pets", {"params": {"limit": "5"}}, "query parameter 'kind'"),
        ("/pets", {"params": {"kind": "bird"}}, "query parameter 'kind'"),
        ("/pets", {"params": {"kind": "cat", "limit": "many"}}, "'limit'"),
        ("/pets", {"params": {"kind": "cat", "limit": "500"}}, "'limit'"),
        ("/pets", {"params": {"kind": "cat", "tags": ["1", "x"]}}, "'tags'[1]"),
        (
            "/pets",
            {"params": {"kind": "cat"}, "headers": {"X-Budget": "lots"}},
            "header parameter 'X-Budget'",
        ),
        ("/pets/seven", {}, "path parameter 'pet_id'"),
        ("/pets", {"params": {"kind": "cat", "level": "3"}}, "'level'"),
    ],
)
def test_a_parameter_the_api_refuses_is_a_422_naming_it(
    testing: ModuleType, path: str, kwargs: dict[str, Any], named: str
) -> None:
    response = _get(testing, path, **kwargs)
    assert response.status_code == 422, response.text
    assert named in response.json()["message"]


def test_parameters_the_sdk_sends_pass(testing: ModuleType) -> None:
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    client.pets.list(kind="dog", limit=100, tags=[1, 2], x_budget=3, level=2)
    (call,) = fake.pets.list.calls
    assert call.request.url.params.get_list("tags") == ["1", "2"]
    assert call.headers["X-Budget"] == "3"
    ok = _get(testing, "/pets", params={"kind": "cat", "unknown": "x"})
    assert ok.status_code == 200  # a parameter the spec does not declare
    unchecked = testing.FakeTransport(check_requests=False)
    with httpx.Client(transport=unchecked) as http:
        assert http.get(SERVER + "/pets").status_code == 200


# --- returns ------------------------------------------------------------------


def test_returns_a_mapping_merges_it_onto_the_default(
    kit: ModuleType, testing: ModuleType
) -> None:
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    fake.pets.retrieve.returns({"profile": {"zip": "69000"}, "tags": ["z"]})
    pet = client.pets.retrieve(7).to_dict(mode="json")
    assert pet == {
        "id": 7,
        "name": "Rex",
        "profile": {"city": "Paris", "zip": "69000"},  # merged
        "tags": ["z"],  # replaced
    }
    fake.pets.get_twin.returns({"name": "Roxanne"})  # inside the envelope's data
    assert client.pets.get_twin(8).to_dict(mode="json") == {"id": 8, "name": "Roxanne"}
    fake.pets.retrieve.returns(kit.types.Pet(id=1, name="Solo"))  # a model replaces
    assert client.pets.retrieve(1).to_dict(mode="json") == {"id": 1, "name": "Solo"}


def test_a_merged_response_must_fit_its_schema(testing: ModuleType) -> None:
    fake = testing.FakeTransport()
    with pytest.raises(ValueError, match=r"pets\.retrieve\.returns.*\bid\b"):
        fake.pets.retrieve.returns({"id": "seven"})
    with pytest.raises(ValueError, match=r"profile\.city"):
        fake.pets.retrieve.returns({"profile": {"city": None}})


# --- base paths ---------------------------------------------------------------


def test_routes_below_the_servers_path(testing: ModuleType) -> None:
    fake = testing.FakeTransport()
    assert testing.BASE_URL == SERVER
    testing.fake_client(fake).pets.retrieve(7)
    (call,) = fake.pets.retrieve.calls
    assert call.path == "/v1/pets/7" and call.path_params == {"pet_id": "7"}
    assert _get(testing, "/stats").status_code == 200
    assert _get(testing, "/nothing").status_code == 404


def test_routes_below_a_clients_own_base_url(
    kit: ModuleType, testing: ModuleType
) -> None:
    fake = testing.FakeTransport()
    client = kit.FakeKitClient(
        **key_for(kit.FakeKitClient),
        base_url="https://gateway.test/proxy/kit",
        http_client=httpx.Client(transport=fake),
        max_retries=0,
    )
    assert client.pets.retrieve(7).name == "Rex"
    assert client.pets.get_twin(8).name == "Rox"  # not /pets/{pet_id} below /pets/8
    assert [c.operation for c in fake.calls] == ["pets.retrieve", "pets.get_twin"]
    assert fake.calls[0].path == "/proxy/kit/pets/7"


def test_a_server_url_of_only_a_path(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    relative = {
        **KIT,
        "info": {"title": "Fake Kit Relative", "version": "1.0"},
        "servers": [{"url": "/v1"}],
    }
    spec.write_text(json.dumps(relative))
    out = tmp_path / "sdk"
    done = sdkgen_process("generate", "--spec", str(spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(out))
    try:
        testing = importlib.import_module("fake_kit_relative_client.testing")
    finally:
        sys.path.remove(str(out))
    assert testing.BASE_URL == "http://fake.invalid/v1"
    fake = testing.FakeTransport()
    assert testing.fake_client(fake).pets.retrieve(7).name == "Rex"
    assert fake.calls[0].path == "/v1/pets/7"


def test_strict_refuses_an_invalid_example(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "strict"
    done = sdkgen_process(
        "generate", "--strict", "--spec", str(made.spec), "--out", str(out)
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"sdkgen: error: {OWNER_POINTER}: ")
    assert done.stderr.rstrip().endswith("(and 2 more) (--strict)")
    assert not out.exists()

"""Every API of the package gets its own testing kit: ``meetingbaas.v1.testing``
answers every v1 operation with a default response the SDK parses strictly,
and records the calls, as the v2 kit does."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from generator.config import load_config
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise

from .conftest import ROOT
from .spec_proof.calls import calls
from .spec_v1_driver import _method


def test_the_v1_fake_answers_every_v1_operation(sdk: Any) -> None:
    v1 = importlib.import_module("meetingbaas.v1")
    testing = importlib.import_module("meetingbaas.v1.testing")
    spec = ROOT / "spec"
    config = next(s.config for s in load_config(spec / "sdkgen.toml").apis)
    api = normalise(load_spec(str(Path(spec / "meeting-baas-v1.yaml"))), config)
    todo = calls(api, v1.types)
    assert len(todo) == 26
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)  # strict_response_validation=True
    assert type(client) is v1.MeetingBaasV1
    for call in todo:
        _method(client, call)(*call.args, **call.kwargs)
    assert len(fake.calls) == len(todo)

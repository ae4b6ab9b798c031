"""``[conventions]`` in sdkgen.toml: the published Meeting BaaS spec's conventions
(an unused component with a const ``event`` is a webhook; a payload named
``callback...`` is a callback) apply where a spec's names show them, and each
can be turned off."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.config import Config, load_config
from generator.errors import SpecError
from generator.parse.loader import LoadedSpec
from generator.parse.normalise import normalise
from generator.parse.problems import Problems

from .conftest import json_op, make_spec


def _event(value: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["event"],
        "properties": {"event": {"const": value}, "id": {"type": "string"}},
    }


def _spec() -> dict[str, Any]:
    return make_spec(
        schemas={
            "CallbackDone": _event("done"),
            "ThingHappened": _event("thing.happened"),
            "Thing": {"type": "object", "properties": {"id": {"type": "string"}}},
        },
        paths={"/things": {"get": json_op({"$ref": "#/components/schemas/Thing"})}},
    )


def _events(config: Config) -> set[tuple[str, str]]:
    api = normalise(LoadedSpec("x", "0" * 64, _spec()), config, Problems())
    return {(e.event, e.kind) for e in api.events}


def _config(tmp_path: Path, table: str) -> Config:
    path = tmp_path / "sdkgen.toml"
    path.write_text(f'[package]\nname = "things"\n\n[conventions]\n{table}\n')
    return load_config(path)


def test_conventions_apply_where_the_names_show_them(tmp_path: Path) -> None:
    assert _events(_config(tmp_path, "")) == {
        ("done", "callback"),
        ("thing.happened", "webhook"),
    }


def test_callback_names_off(tmp_path: Path) -> None:
    config = _config(tmp_path, "callback_names = false")
    assert _events(config) == {("done", "webhook"), ("thing.happened", "webhook")}


def test_event_components_off(tmp_path: Path) -> None:
    assert _events(_config(tmp_path, "event_components = false")) == set()


def test_a_bad_convention_value_names_the_key(tmp_path: Path) -> None:
    message = "[conventions] callback_names must be true or false"
    with pytest.raises(SpecError, match=re.escape(message)):
        _config(tmp_path, 'callback_names = "no"')


def test_an_unknown_convention_is_warned_about_like_any_key(tmp_path: Path) -> None:
    """As in every table: a warning naming the key and the closest known one
    (``--strict`` refuses it), not a refusal of its own."""
    config = _config(tmp_path, "input_twin = false")
    ((where, message),) = config.unknown_keys
    assert where.endswith("sdkgen.toml#/conventions/input_twin")
    assert "input_twins" in message
    assert config.input_twins is True  # the misspelt key changes nothing

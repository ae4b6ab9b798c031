"""The normaliser on every published spec version."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest

from generator import ir
from generator.config import load_config
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise

from .conftest import shared_spec, shared_specs, spec_params


@functools.cache
def api_of(path: Path) -> ir.Api:
    return normalise(load_spec(str(path)), load_config())


def shape_key(m: ir.Model) -> tuple[object, ...]:
    return tuple(sorted((f.wire_name, f.type, f.required, f.default) for f in m.fields))


@pytest.mark.parametrize("path", spec_params())
def test_every_version_normalises_cleanly(path: Path) -> None:
    api = api_of(path)
    assert len(api.operations) >= 30
    model_shapes = [shape_key(m) for m in api.models]
    assert len(set(model_shapes)) == len(model_shapes), "two models with one shape"
    enum_sets = [frozenset(e.values) for e in api.enums]
    assert len(set(enum_sets)) == len(enum_sets), "two enums with one value set"
    names = [m.name for m in api.models] + [e.name for e in api.enums]
    assert len(set(names)) == len(names)
    assert not [n for n in names if n.endswith("Input")]
    assert all(n.isidentifier() and n[0].isupper() for n in names)
    calls = [op.python_call for op in api.operations]
    assert len(set(calls)) == len(calls), "two operations share one Python call"
    # Every referenced type exists.
    known = {m.name for m in api.models} | {e.name for e in api.enums}
    for m in api.models:
        for f in m.fields:
            inner = ir.unwrap_nullable(f.type)
            if isinstance(inner, ir.ModelRef | ir.EnumRef):
                assert inner.name in known


def test_2025_12_03_has_one_type_per_concept() -> None:
    api = api_of(shared_spec("2025-12-03-45770ed.json"))
    enums = {e.name: set(e.values) for e in api.enums}
    assert enums["RecordingMode"] == {"audio_only", "speaker_view", "gallery_view"}
    assert enums["MeetingPlatform"] == {"zoom", "meet", "teams"}
    assert [n for n, v in enums.items() if "speaker_view" in v] == ["RecordingMode"]
    assert [n for n, v in enums.items() if "in_waiting_room" in v] == ["BotStatus"]
    # The request-side timeout config: defaults make every field optional.
    timeout = api.model("TimeoutConfig")
    assert {f.wire_name for f in timeout.fields} == {
        "waiting_room_timeout",
        "no_one_joined_timeout",
        "silence_timeout",
    }
    assert all(f.has_default and not f.required for f in timeout.fields)
    stats = dict(api.stats)
    assert stats["raw_schemas"] == 110
    assert stats["occurrences"] > 2 * stats["shapes"]  # most shapes were repeated
    events = {(e.event, e.kind) for e in api.events}
    assert ("bot.completed", "webhook") in events and (
        "bot.completed",
        "callback",
    ) in events
    assert len({e.event for e in api.events}) == 10
    ops = {op.operation_id: op for op in api.operations}
    assert ops["createBot"].python_call == "client.bots.create"
    assert ops["listEvents"].python_call == "client.calendars.events.list"
    assert ops["listBots"].pagination is not None
    limit = next(p for p in ops["listBots"].params if p.wire_name == "limit")
    assert not limit.required and limit.default == 50


def test_unchanged_types_keep_their_names_across_versions() -> None:
    paths = shared_specs()
    if len(paths) < 2:
        pytest.skip("needs two published spec versions in ../shared")
    renamed: list[str] = []
    for old_path, new_path in itertools.pairwise(paths):
        old, new = api_of(old_path), api_of(new_path)
        new_by_shape = {shape_key(m): m.name for m in new.models}
        for m in old.models:
            other = new_by_shape.get(shape_key(m))
            # Compare only where the type's own fields and the names it points at
            # are unchanged, i.e. the concept really is the same.
            if other is None or other == m.name:
                continue
            # The one allowed reason: a type that is new in this version took the
            # name (e.g. a new list operation's items are called what the spec says).
            old_shapes = {shape_key(x) for x in old.models}
            taker = next((x for x in new.models if x.name == m.name), None)
            if taker is None or shape_key(taker) in old_shapes:
                renamed.append(f"{old_path.stem}->{new_path.stem}: {m.name} -> {other}")
    assert not renamed, "\n".join(renamed)

"""Type names that survive spec changes: pointer-keyed overrides, the names lock,
clashes that warn instead of failing, dead override entries."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.cli import main
from generator.config import LOCK_NAME, Config, default_spec_path, load_config
from generator.diff import diff_specs
from generator.emit.typegroups import homes_in
from generator.errors import SpecError
from generator.namelock import lock_text, read_lock, write_lock
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise
from generator.parse.typenames import verbless

from .conftest import GENERATED, json_op, make_spec, shared_spec
from .diff_fixtures import base, loaded
from .test_normalise_rules import build

LATEST = "2026-05-11-5ec0cc7.json"
LIST_EVENTS_STATUS = (
    "components",
    "schemas",
    "ListEventsResponse",
    "properties",
    "data",
    "items",
    "properties",
    "status",
)


def thing_spec() -> dict[str, Any]:
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {
                "timeout_config": {
                    "type": "object",
                    "properties": {"a": {"type": "integer"}},
                },
                "retry_config": {
                    "type": "object",
                    "properties": {"b": {"type": "integer"}},
                },
            },
        }
    }
    paths = {"/t": {"get": json_op({"$ref": "#/components/schemas/Thing"})}}
    return make_spec(schemas, paths)


TIMEOUT_AT = "#/components/schemas/Thing/properties/timeout_config"
RETRY_AT = "#/components/schemas/Thing/properties/retry_config"


def names(api: ir.Api) -> set[str]:
    return {m.name for m in api.models} | {e.name for e in api.enums}


def field_type(api: ir.Api, model: str, wire: str) -> ir.TypeRef:
    return next(f.type for f in api.model(model).fields if f.wire_name == wire)


def list_events_enum_added() -> dict[str, Any]:
    """The issue's reproduction: one value added to list-events' ``status`` enum."""
    doc: dict[str, Any] = json.loads(shared_spec(LATEST).read_text("utf-8"))
    node: Any = doc
    for token in LIST_EVENTS_STATUS:
        node = node[token]
    node["enum"].append("rescheduled")
    return doc


# -- the reproduction ---------------------------------------------------


def test_enum_value_added_to_a_shared_shape_still_generates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "later.json"
    spec.write_text(json.dumps(list_events_enum_added()))
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    # The shape split in two; the override's type keeps EventStatus, the warning
    # names the other one and where both sit.
    assert "EventStatus" in (out / "meetingbaas/types/enums.py").read_text()
    warning = [line for line in err.splitlines() if "'EventStatus'" in line]
    assert len(warning) == 1 and warning[0].startswith("sdkgen: warning: ")
    assert "sdkgen.toml#/type_names/InstanceStatus" in warning[0]
    assert "#/components/schemas/ListEventsResponse/properties/data" in warning[0]
    new_name = re.search(r"is named '(\w+)'", warning[0])
    assert new_name is not None
    assert new_name.group(1) in (out / "meetingbaas/types/enums.py").read_text()


def test_strict_turns_the_warning_into_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "later.json"
    spec.write_text(json.dumps(list_events_enum_added()))
    out = tmp_path / "out"
    args = ["generate", "--spec", str(spec), "--out", str(out), "--strict"]
    assert main(args) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "'EventStatus'" in err and "(--strict)" in err
    assert len(err.splitlines()) == 1
    latest = str(shared_spec(LATEST))
    assert main(["diff", latest, str(spec), "--fail-on", "never"]) == 0
    capsys.readouterr()
    assert main(["diff", latest, str(spec), "--fail-on", "never", "--strict"]) == 2


def test_diff_of_the_reproduction_reports_instead_of_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "later.json"
    spec.write_text(json.dumps(list_events_enum_added()))
    code = main(["diff", str(shared_spec(LATEST)), str(spec), "--format", "json"])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    report = json.loads(captured.out)
    assert report["changes"], "the added enum value is reported"
    assert "sdkgen: error" not in captured.err


# -- overrides by pointer ---------------------------------------------------------


def test_pointer_override_names_the_type_it_points_at() -> None:
    api = build(thing_spec(), Config(pointer_names={TIMEOUT_AT: "Timeouts"}))
    assert field_type(api, "Thing", "timeout_config") == ir.ModelRef("Timeouts")
    assert api.warnings == ()


def test_pointer_override_survives_a_change_that_renames_by_the_rules() -> None:
    doc = thing_spec()
    config = Config(pointer_names={TIMEOUT_AT: "Timeouts"})
    # The property's shape gains a field: the same place, still the same type.
    props = doc["components"]["schemas"]["Thing"]["properties"]
    props["timeout_config"]["properties"]["c"] = {"type": "string"}
    api = build(doc, config)
    assert field_type(api, "Thing", "timeout_config") == ir.ModelRef("Timeouts")


def test_pointer_override_beats_a_name_override_for_the_same_name() -> None:
    config = Config(
        type_names={"RetryConfig": "Timing"}, pointer_names={TIMEOUT_AT: "Timing"}
    )
    api = build(thing_spec(), config)
    assert field_type(api, "Thing", "timeout_config") == ir.ModelRef("Timing")
    loser = field_type(api, "Thing", "retry_config")
    assert loser != ir.ModelRef("Timing") and isinstance(loser, ir.ModelRef)
    assert len(api.warnings) == 1
    assert api.warnings[0].startswith("sdkgen.toml#/type_names/#~1components")
    assert RETRY_AT in api.warnings[0] and repr(loser.name) in api.warnings[0]


def test_two_name_overrides_wanting_one_name_never_fail() -> None:
    config = Config(type_names={"RetryConfig": "Same", "TimeoutConfig": "Same"})
    first = build(thing_spec(), config)
    again = build(thing_spec(), config)
    assert first == again and first.warnings == again.warnings  # deterministic
    kinds = {field_type(first, "Thing", w) for w in ("timeout_config", "retry_config")}
    assert ir.ModelRef("Same") in kinds and len(kinds) == 2
    assert len(first.warnings) == 1 and "'Same'" in first.warnings[0]


# -- dead entries -------------------------------------------------------------------


def test_dead_override_entries_warn_with_their_place() -> None:
    config = Config(
        type_names={"NoSuchType": "Whatever", "TimeoutConfig": "Timeouts"},
        pointer_names={"#/components/schemas/Gone": "Gone"},
    )
    api = build(thing_spec(), config)
    assert "Timeouts" in names(api) and "Whatever" not in names(api)
    assert sorted(api.warnings) == [
        "sdkgen.toml#/type_names/#~1components~1schemas~1Gone: matches no type of "
        "this spec (dead entry)",
        "sdkgen.toml#/type_names/NoSuchType: matches no type of this spec (dead entry)",
    ]


def test_an_entry_whose_name_the_spec_gives_anyway_is_not_dead() -> None:
    # One config serves several spellings of the spec: one may name the type itself.
    api = build(thing_spec(), Config(type_names={"OtherSpelling": "TimeoutConfig"}))
    assert "TimeoutConfig" in names(api) and api.warnings == ()


def test_the_project_config_has_no_dead_entries_for_its_own_spec() -> None:
    api = normalise(load_spec(str(default_spec_path())), load_config())
    assert api.warnings == ()


# -- the lock ---------------------------------------------------------------------


def test_lock_keeps_a_released_name_that_the_rules_would_change() -> None:
    released = build(thing_spec(), Config(type_names={"TimeoutConfig": "Timeouts"}))
    lock = dict(released.identities)
    # Next release: the override is gone, the lock still holds the name.
    api = build(thing_spec(), Config(locked_names=lock))
    assert field_type(api, "Thing", "timeout_config") == ir.ModelRef("Timeouts")
    # An override still wins over the lock.
    renamed = build(
        thing_spec(), Config(type_names={"Timeouts": "Limits"}, locked_names=lock)
    )
    assert field_type(renamed, "Thing", "timeout_config") == ir.ModelRef("Limits")


def test_a_split_shape_leaves_the_locked_name_with_the_unchanged_half() -> None:
    doc = thing_spec()
    props = doc["components"]["schemas"]["Thing"]["properties"]
    props["retry_config"] = copy.deepcopy(props["timeout_config"])  # one shared shape
    released = build(doc, Config())
    (shared,) = {field_type(released, "Thing", w) for w in props}
    assert isinstance(shared, ir.ModelRef)
    lock = dict(released.identities)
    for changed, unchanged in (
        ("timeout_config", "retry_config"),
        ("retry_config", "timeout_config"),
    ):
        later = copy.deepcopy(doc)
        later_props = later["components"]["schemas"]["Thing"]["properties"]
        later_props[changed]["properties"]["extra"] = {"type": "string"}
        api = build(later, Config(locked_names=lock))
        assert field_type(api, "Thing", unchanged) == shared
        assert field_type(api, "Thing", changed) != shared
        assert len(api.warnings) == 1 and "sdkgen.lock#/types/" in api.warnings[0]


def test_lock_file_round_trips_and_is_deterministic(tmp_path: Path) -> None:
    api = build(thing_spec(), Config())
    identities = dict(api.identities)
    path = tmp_path / LOCK_NAME
    assert write_lock(path, identities) is True
    assert write_lock(path, dict(reversed(list(identities.items())))) is False
    assert read_lock(path) == {
        k: ir.TypeIdentity(tuple(sorted(v.pointers)), v.shape)
        for k, v in identities.items()
    }
    assert path.read_text() == lock_text(identities)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("{", "sdkgen.lock"),
        ('{"version": 9, "types": {}}', "sdkgen.lock#/version"),
        ('{"version": 1, "types": []}', "sdkgen.lock#/types"),
        (
            '{"version": 1, "types": {"A": {"pointers": ["x"]}}}',
            "sdkgen.lock#/types/A/pointers",
        ),
        (
            '{"version": 1, "types": {"A/B": {"pointers": []}}}',
            "sdkgen.lock#/types/A~1B",
        ),
        (
            '{"version": 1, "types": {"class": {"pointers": []}}}',
            "sdkgen.lock#/types/class",
        ),
    ],
)
def test_a_bad_lock_is_one_line_naming_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str
) -> None:
    (tmp_path / LOCK_NAME).write_text(text)
    with pytest.raises(SpecError) as found:
        read_lock(tmp_path / LOCK_NAME)
    assert found.value.where == where
    config = tmp_path / "sdkgen.toml"
    config.write_text("")
    assert main(["inspect", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"sdkgen: error: {where}: ")


def test_the_committed_lock_matches_the_bundled_spec() -> None:
    config = load_config()
    assert config.lock_path is not None and config.lock_path.is_file()
    api = normalise(load_spec(str(default_spec_path())), config)
    # With the module each type is defined in, as the committed SDK has it.
    init = (GENERATED / "meetingbaas" / "types" / "__init__.py").read_text("utf-8")
    wanted = lock_text(dict(api.identities), homes_in(init))
    assert config.lock_path.read_text("utf-8") == wanted
    # And it keeps released names only: the rules give the same names today,
    # but where they now drop a leading verb from merged shapes' names
    # (CreateCalendarBotResponse, also returned by an update call).
    unlocked = normalise(
        load_spec(str(default_spec_path())), Config(type_names=config.type_names)
    )
    kept = names(api) - names(unlocked)
    assert {verbless(name) for name in kept} == names(unlocked) - names(api)


def test_generate_update_lock_writes_the_lock_beside_the_config(
    tmp_path: Path, write_spec: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(base())  # (a spec without webhooks trips the emitter today)
    config = tmp_path / "cfg" / "sdkgen.toml"
    config.parent.mkdir()
    config.write_text('[type_names]\nThingWebhookCompletedData = "Timeouts"\n')
    args = ["generate", "--spec", str(spec), "--config", str(config)]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    lock = config.parent / LOCK_NAME
    assert not lock.exists(), "only --update-lock writes the lock"
    assert main([*args, "--out", str(tmp_path / "a"), "--update-lock"]) == 0
    assert "Timeouts" in read_lock(lock)
    first = lock.read_bytes()
    # The override is dropped: the released name stays, from the lock.
    config.write_text("")
    assert main([*args, "--out", str(tmp_path / "b"), "--update-lock"]) == 0
    assert lock.read_bytes() == first
    types = (tmp_path / "b").glob("*/types/*.py")  # the package of the title
    assert any("class Timeouts(" in path.read_text() for path in types)
    capsys.readouterr()


# -- diff -----------------------------------------------------------------------------


def test_diff_says_which_override_keeps_a_renamed_types_old_name() -> None:
    old = base()
    new = copy.deepcopy(old)
    new_schemas = new["components"]["schemas"]
    new_schemas["Widget"] = new_schemas.pop("Thing")
    text = json.dumps(new).replace(
        '"#/components/schemas/Thing"', '"#/components/schemas/Widget"'
    )
    new = json.loads(text)
    report = diff_specs(loaded(old, "old.json"), loaded(new, "new.json"), Config())
    (renamed,) = [c for c in report.changes if c.rule.id == "model-renamed"]
    assert renamed.level == "breaking"
    found = re.search(r'`"(#[^"]+)" = "(\w+)"`', renamed.sdk)
    assert found is not None, renamed.sdk
    pointer, name = found.groups()
    assert (pointer, name) == ("#/components/schemas/Widget", "Thing")
    # Following the advice keeps the name: no rename left.
    kept = diff_specs(
        loaded(old, "old.json"),
        loaded(new, "new.json"),
        Config(pointer_names={pointer: name}),
    )
    assert not [c for c in kept.changes if c.rule.id == "model-renamed"]


def test_spec_dir_copy_keeps_config_and_lock_together(tmp_path: Path) -> None:
    # load_config reads the lock beside the toml it is given, wherever that is.
    here = Path(default_spec_path()).parent
    shutil.copy(here / "sdkgen.toml", tmp_path / "sdkgen.toml")
    shutil.copy(here / LOCK_NAME, tmp_path / LOCK_NAME)
    config = load_config(tmp_path / "sdkgen.toml")
    assert config.locked_names == load_config().locked_names
    assert config.lock_path == tmp_path / LOCK_NAME


def test_pointer_override_may_name_a_ref_at_its_place_of_use() -> None:
    doc = base()
    use = "#/components/schemas/Thing/properties/status"  # {"$ref": ThingStatus}
    api = build(doc, Config(pointer_names={use: "Condition"}))
    assert field_type(api, "Thing", "status") == ir.EnumRef("Condition")
    assert "ThingStatus" not in names(api) and api.warnings == ()

"""One small inline spec per normaliser rule."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.config import Config
from generator.parse.loader import LoadedSpec, check_refs, check_version
from generator.parse.normalise import normalise
from generator.parse.problems import Problems

from .conftest import json_op, make_spec
from .diff_fixtures import validated


def build(doc: dict[str, Any], config: Config | None = None) -> ir.Api:
    check_version(doc)
    check_refs(doc)
    return normalise(LoadedSpec("test", "0" * 64, validated(doc)), config)


def envelope(data: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"success": {"type": "boolean", "const": True}, "data": data},
        "required": ["success", "data"],
    }


def body_model(api: ir.Api) -> ir.Model:
    op = api.operations[0]
    assert op.body is not None and isinstance(op.body.type, ir.ModelRef)
    return api.model(op.body.type.name)


def fields(model: ir.Model) -> dict[str, ir.Field]:
    return {f.wire_name: f for f in model.fields}


def test_anyof_null_becomes_nullable_and_30_nullable_too() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}]},
            "b": {"type": "integer", "nullable": True},
            "c": {"type": ["string", "null"]},
        },
    }
    api = build(
        make_spec(paths={"/x": {"post": json_op({"type": "string"}, body=schema)}})
    )
    f = fields(body_model(api))
    assert f["a"].type == ir.Nullable(
        ir.Primitive("str", constraints=ir.Constraints(max_length=5))
    )
    assert f["a"].constraints.max_length == 5 and f["a"].nullable
    assert f["b"].type == ir.Nullable(ir.Primitive("int"))
    assert f["c"].type == ir.Nullable(ir.Primitive("str"))


def test_anyof_of_objects_is_a_union_with_const_discriminator() -> None:
    a = {
        "type": "object",
        "properties": {"kind": {"const": "a"}, "x": {"type": "string"}},
    }
    b = {
        "type": "object",
        "properties": {"kind": {"const": "b"}, "y": {"type": "integer"}},
    }
    body = {"type": "object", "properties": {"shape": {"anyOf": [a, b]}}}
    api = build(
        make_spec(paths={"/x": {"post": json_op({"type": "string"}, body=body)}})
    )
    union = fields(body_model(api))["shape"].type
    assert isinstance(union, ir.UnionType) and len(union.options) == 2
    assert union.discriminator == "kind"
    kinds = {
        fields(api.model(o.name))["kind"].type
        for o in union.options
        if isinstance(o, ir.ModelRef)
    }
    assert kinds == {ir.LiteralType("a"), ir.LiteralType("b")}


def test_allof_merges_fields_and_required() -> None:
    schemas = {
        "Base": {
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "required": ["id"],
        },
        "Thing": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {
                    "type": "object",
                    "properties": {"n": {"type": "integer"}},
                    "required": ["n"],
                },
            ]
        },
    }
    api = build(
        make_spec(
            schemas, {"/x": {"get": json_op({"$ref": "#/components/schemas/Thing"})}}
        )
    )
    thing = api.model("Thing")
    assert [(f.wire_name, f.required) for f in thing.fields] == [
        ("id", True),
        ("n", True),
    ]


def test_input_output_twins_become_one_model_and_empty_twin_is_dropped() -> None:
    mode = {"type": "string", "enum": ["a", "b"], "default": "a"}
    schemas = {
        "ThingInput": {
            "type": "object",
            "properties": {"mode": mode, "name": {"type": "string"}},
            "required": ["name"],
        },
        "Thing": {
            "type": "object",
            "properties": {"mode": mode, "name": {"type": "string"}},
            "required": ["mode", "name"],
            "additionalProperties": False,
        },
        "CreateThingBody": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "#/x",
        },
    }
    paths = {
        "/things": {
            "post": json_op(
                envelope({"$ref": "#/components/schemas/Thing"}),
                body={"$ref": "#/components/schemas/ThingInput"},
                op_id="createThing",
            )
        },
        "/other": {
            "post": json_op(
                {"type": "string"},
                body={"$ref": "#/components/schemas/CreateThingBody"},
                op_id="other",
            )
        },
    }
    api = build(make_spec(schemas, paths))
    assert [m.name for m in api.models] == ["Thing"]
    thing = api.model("Thing")
    assert set(thing.usage) == {"request", "response"}
    mode_field = fields(thing)["mode"]
    assert (
        not mode_field.required and mode_field.has_default and mode_field.default == "a"
    )
    assert fields(thing)["name"].required
    assert api.operations[1].body is None  # the empty twin carries nothing
    assert not any(m.name.endswith("Input") for m in api.models)


def test_inline_objects_and_enums_are_hoisted_and_deduplicated() -> None:
    timeout = {
        "type": "object",
        "properties": {"wait": {"type": "integer", "minimum": 1}},
    }
    mode = {"type": "string", "enum": ["x", "y"]}
    body_a = {
        "type": "object",
        "properties": {"timeout_config": timeout, "recording_mode": mode},
    }
    body_b = {
        "type": "object",
        "properties": {
            "timeout_config": dict(timeout),
            "recording_mode": {"type": "string", "enum": ["y", "x"]},
        },
    }
    paths = {
        "/a": {"post": json_op({"type": "string"}, body=body_a, op_id="a")},
        "/b": {"post": json_op({"type": "string"}, body=body_b, op_id="b")},
    }
    api = build(make_spec(paths=paths))
    assert [e.name for e in api.enums] == ["RecordingMode"]
    assert api.enum("RecordingMode").values == ("x", "y")
    assert "TimeoutConfig" in [m.name for m in api.models]
    assert sum(1 for m in api.models if "Timeout" in m.name) == 1


def test_different_shapes_with_one_name_are_qualified_deterministically() -> None:
    cfg_a = {"type": "object", "properties": {"a": {"type": "string"}}}
    cfg_b = {"type": "object", "properties": {"b": {"type": "string"}}}
    schemas = {
        "Alpha": {
            "type": "object",
            "properties": {
                "config": cfg_a,
                "more": {"type": "object", "properties": {"config": cfg_a}},
            },
        },
        "Beta": {"type": "object", "properties": {"config": cfg_b}},
    }
    paths = {
        "/a": {"get": json_op({"$ref": "#/components/schemas/Alpha"}, op_id="a")},
        "/b": {"get": json_op({"$ref": "#/components/schemas/Beta"}, op_id="b")},
    }
    api = build(make_spec(schemas, paths))
    alpha_cfg = fields(api.model("Alpha"))["config"].type
    beta_cfg = fields(api.model("Beta"))["config"].type
    assert isinstance(alpha_cfg, ir.ModelRef) and isinstance(beta_cfg, ir.ModelRef)
    # "Config" alone is too vague: both are named after their parent.
    assert alpha_cfg.name == "AlphaConfig" and beta_cfg.name == "BetaConfig"


def test_contested_name_goes_to_the_most_used_shape() -> None:
    common = {"type": "object", "properties": {"x": {"type": "string"}}}
    rare = {"type": "object", "properties": {"y": {"type": "string"}}}
    schemas = {
        "One": {"type": "object", "properties": {"settings_block": common}},
        "Two": {"type": "object", "properties": {"settings_block": common}},
        "Three": {"type": "object", "properties": {"settings_block": rare}},
    }
    paths = {
        f"/{n}": {"get": json_op({"$ref": f"#/components/schemas/{n}"}, op_id=n)}
        for n in schemas
    }
    api = build(make_spec(schemas, paths))
    assert fields(api.model("One"))["settings_block"].type == ir.ModelRef(
        "SettingsBlock"
    )
    assert fields(api.model("Three"))["settings_block"].type == ir.ModelRef(
        "ThreeSettingsBlock"
    )


def test_name_overrides_from_config() -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {
                "timeout_config": {
                    "type": "object",
                    "properties": {"a": {"type": "integer"}},
                }
            },
        }
    }
    paths = {"/t": {"get": json_op({"$ref": "#/components/schemas/Thing"})}}
    api = build(
        make_spec(schemas, paths), Config(type_names={"TimeoutConfig": "Timeouts"})
    )
    assert fields(api.model("Thing"))["timeout_config"].type == ir.ModelRef("Timeouts")
    # A clash never stops generation: the override keeps the name, with a warning.
    clash = Config(type_names={"TimeoutConfig": "Thing"})
    api = build(make_spec(schemas, paths), clash)
    assert fields(api.model("Thing2"))["timeout_config"].type == ir.ModelRef("Thing")
    assert len(api.warnings) == 1
    assert "sdkgen.toml#/type_names/TimeoutConfig" in api.warnings[0]
    assert "'Thing2'" in api.warnings[0]


def test_python_safe_identifiers_keep_wire_alias() -> None:
    body = {
        "type": "object",
        "properties": {
            "statusCode": {"type": "integer"},
            "class": {"type": "string"},
            "2fa": {"type": "boolean"},
            "content-type": {"type": "string"},
            "id": {"type": "string"},
        },
    }
    api = build(
        make_spec(paths={"/x": {"post": json_op({"type": "string"}, body=body)}})
    )
    names = {f.wire_name: f.python_name for f in body_model(api).fields}
    assert names == {
        "statusCode": "status_code",
        "class": "class_",
        "2fa": "n_2fa",
        "content-type": "content_type",
        "id": "id_",
    }


def test_required_query_param_with_default_becomes_optional() -> None:
    params = [
        {
            "in": "query",
            "name": "limit",
            "required": True,
            "schema": {"type": "integer", "default": 50, "maximum": 250},
        },
        {"in": "query", "name": "q", "required": True, "schema": {"type": "string"}},
        {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}},
    ]
    api = build(
        make_spec(
            paths={"/x/{id}": {"get": json_op({"type": "string"}, params=params)}}
        )
    )
    p = {x.wire_name: x for x in api.operations[0].params}
    assert api.operations[0].params[0].wire_name == "id"
    assert (
        not p["limit"].required and p["limit"].has_default and p["limit"].default == 50
    )
    assert p["q"].required and p["id"].required


def test_envelope_unwrapped_and_cursor_pagination_detected() -> None:
    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    page = {
        "type": "object",
        "properties": {
            "success": {"const": True},
            "data": {"type": "array", "items": item},
            "cursor": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "prev_cursor": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    }
    schemas = {"ListWidgetsResponse": page}
    params = [{"in": "query", "name": "cursor", "schema": {"type": "string"}}]
    paths = {
        "/v2/widgets": {
            "get": json_op(
                {"$ref": "#/components/schemas/ListWidgetsResponse"},
                params=params,
                op_id="listWidgets",
            )
        }
    }
    api = build(make_spec(schemas, paths))
    op = api.operations[0]
    assert op.python_call == "client.widgets.list"
    assert op.response is not None and op.response.unwrapped
    assert op.pagination is not None and op.pagination.item_type == ir.ModelRef(
        "Widget"
    )


def test_const_event_payloads_are_webhook_events() -> None:
    data = {"type": "object", "properties": {"bot_id": {"type": "string"}}}
    schemas = {
        "BotWebhookDone": {
            "type": "object",
            "properties": {
                "event": {"type": "string", "const": "bot.done"},
                "data": data,
            },
        },
        "CallbackDone": {
            "type": "object",
            "properties": {
                "event": {"type": "string", "const": "bot.done"},
                "data": data,
                "extra": {"type": "string"},
            },
        },
    }
    api = build(make_spec(schemas))
    assert [(e.event, e.kind, e.type.name) for e in api.events] == [
        ("bot.done", "callback", "CallbackDone"),
        ("bot.done", "webhook", "BotWebhookDone"),
    ]
    assert fields(api.model("CallbackDone"))["event"].type == ir.LiteralType("bot.done")


def test_a_schema_used_by_a_path_level_parameter_is_not_a_webhook() -> None:
    """Found in review: path-level parameters were added to the walk for used
    schemas after it ended, so their schemas counted as unused, and one with
    a const ``event`` became a webhook event."""
    schemas = {
        "Filter": {
            "type": "object",
            "properties": {"event": {"const": "bot.done"}, "q": {"type": "string"}},
        }
    }
    doc = make_spec(schemas, {"/a": {"get": json_op({"type": "object"})}})
    doc["paths"]["/a"]["parameters"] = [
        {
            "name": "filter",
            "in": "query",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Filter"}}
            },
        }
    ]
    api = build(doc)
    assert api.events == ()
    unused = make_spec(schemas, {"/a": {"get": json_op({"type": "object"})}})
    assert [e.type.name for e in build(unused).events] == ["Filter"]


def test_an_event_value_picks_one_model_and_the_others_are_skipped() -> None:
    """Found by fuzzing: an unused component that allOf's a webhook payload has
    its const too, and the registry got the value twice (a duplicate dict key)."""
    done = {
        "type": "object",
        "properties": {"event": {"const": "bot.done"}, "n": {"type": "integer"}},
    }
    schemas = {
        "Done": done,
        "DoneCopy": {"allOf": [{"$ref": "#/components/schemas/Done"}]},
        "Left": {**done, "properties": {"event": {"const": "bot.left"}}},
        "LeftToo": {**done, "properties": {"event": {"const": "bot.left"}}},
    }
    doc = make_spec(schemas)
    doc["openapi"] = "3.1.0"
    body = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Done"}}
        }
    }
    doc["webhooks"] = {
        "done": {
            "post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}
        }
    }
    problems = Problems()
    api = normalise(LoadedSpec("test", "0" * 64, validated(doc)), None, problems)
    assert [(e.event, e.kind, e.type.name) for e in api.events] == [
        ("bot.done", "webhook", "Done"),
        ("bot.left", "webhook", "Left"),
    ]
    assert problems.warnings == [
        "#/components/schemas/DoneCopy: webhook skipped: its event 'bot.done' "
        "already picks Done",
        "#/components/schemas/LeftToo: webhook skipped: its event 'bot.left' "
        "already picks Left",
    ]


def _recursive(schemas: dict[str, Any], problems: Problems) -> ir.Api:
    holder = {
        "type": "object",
        "properties": {"tree": {"$ref": "#/components/schemas/A"}},
    }
    doc = make_spec(
        {**schemas, "Holder": holder},
        {"/h": {"get": json_op({"$ref": "#/components/schemas/Holder"})}},
    )
    return normalise(LoadedSpec("t", "0" * 64, validated(doc)), None, problems)


def test_a_tree_as_an_array_component_refers_to_its_own_type() -> None:
    """Found by fuzzing (a KeyError, exit 3): a recursive $ref to a component
    that is an array, not a model, had no name to point at."""
    node = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"$ref": "#/components/schemas/A"},
        },
    }
    problems = Problems()
    api = _recursive({"A": {"type": "array", "items": node}}, problems)
    assert fields(api.model("Holder"))["tree"].type == ir.ListType(ir.ModelRef("A"))
    assert fields(api.model("A"))["children"].type == ir.ListType(ir.ModelRef("A"))
    assert problems.warnings == []


def test_a_cycle_of_arrays_and_maps_alone_ends_in_any_with_a_warning() -> None:
    def list_of_maps_of(name: str) -> dict[str, Any]:
        ref = {"$ref": f"#/components/schemas/{name}"}
        return {
            "type": "array",
            "items": {"type": "object", "additionalProperties": ref},
        }

    problems = Problems()
    api = _recursive({"A": list_of_maps_of("B"), "B": list_of_maps_of("A")}, problems)
    # A's type holds B's, which holds the reference back to A: unrolled once.
    level: ir.TypeRef = ir.ANY
    for _ in range(4):
        level = ir.ListType(ir.DictType(level))
    assert fields(api.model("Holder"))["tree"].type == level
    assert problems.warnings == [
        "#/components/schemas/A: recursive through arrays and maps only, with no "
        "object between: the inner reference is treated as any value"
    ]


def test_resource_layout_from_paths() -> None:
    ok = json_op({"type": "string"})
    ids = {"in": "path", "required": True, "schema": {"type": "string"}}
    paths = {
        "/v2/bots": {
            "get": {**ok, "operationId": "listBots"},
            "post": {**ok, "operationId": "createBot"},
        },
        "/v2/bots/{bot_id}": {
            "get": {
                **ok,
                "operationId": "getBot",
                "parameters": [{**ids, "name": "bot_id"}],
            }
        },
        "/v2/bots/{bot_id}/leave": {
            "post": {
                **ok,
                "operationId": "leaveBot",
                "parameters": [{**ids, "name": "bot_id"}],
            }
        },
        "/v2/bots/batch": {"post": {**ok, "operationId": "batchCreateBots"}},
        "/v2/bots/scheduled": {
            "get": {**ok, "operationId": "listScheduledBots"},
            "post": {**ok, "operationId": "createScheduledBot"},
        },
        "/v2/bots/scheduled/{bot_id}": {
            "patch": {
                **ok,
                "operationId": "updateScheduledBot",
                "parameters": [{**ids, "name": "bot_id"}],
            }
        },
        "/v2/calendars/{calendar_id}/events/{event_id}": {
            "get": {
                **ok,
                "operationId": "getEvent",
                "parameters": [
                    {**ids, "name": "calendar_id"},
                    {**ids, "name": "event_id"},
                ],
            }
        },
    }
    api = build(make_spec(paths=paths))
    calls = {op.operation_id: op.python_call for op in api.operations}
    assert calls == {
        "listBots": "client.bots.list",
        "createBot": "client.bots.create",
        "getBot": "client.bots.retrieve",
        "leaveBot": "client.bots.leave",
        "batchCreateBots": "client.bots.batch_create",
        "listScheduledBots": "client.scheduled_bots.list",
        "createScheduledBot": "client.scheduled_bots.create",
        "updateScheduledBot": "client.scheduled_bots.update",
        "getEvent": "client.calendars.events.retrieve",
    }


def test_recursive_schema_does_not_loop() -> None:
    schemas = {
        "Node": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Node"},
                },
            },
        }
    }
    api = build(
        make_spec(
            schemas, {"/n": {"get": json_op({"$ref": "#/components/schemas/Node"})}}
        )
    )
    assert fields(api.model("Node"))["children"].type == ir.ListType(
        ir.ModelRef("Node")
    )


def test_required_body_fields_with_a_default_are_sent_by_the_sdk() -> None:
    base = {
        "type": "object",
        "properties": {
            "all": {"type": "boolean", "default": False},
            "name": {"type": "string"},
            "mode": {"type": "string", "default": "a"},
        },
        "required": ["name"],
    }
    extension = {
        "allOf": [base, {"type": "object", "required": ["all"], "properties": {}}]
    }
    api = build(
        make_spec(paths={"/x": {"post": json_op({"type": "string"}, body=extension)}})
    )
    body = api.operations[0].body
    assert body is not None and body.send_defaults == ("all",)
    f = fields(body_model(api))
    # Optional in the model (the default applies), but the body must carry it.
    assert not f["all"].required and f["all"].has_default
    assert not f["mode"].required and f["name"].required


def test_a_default_outside_the_enum_or_const_is_dropped_with_a_warning() -> None:
    """Found by fuzzing: ``default: "abc"`` on an enum without that value was
    emitted as ``Kind.ABC``, a member that does not exist (import failed)."""
    thing = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["a", "b"], "default": "abc"},
            "flag": {"const": 1, "default": True},
            "fine": {"type": "string", "enum": ["a", "b"], "default": "b"},
            # beside a $ref (3.1) or in an allOf: the enum is the referred one's
            "ref": {"$ref": "#/components/schemas/Kind", "default": "zzz"},
            "all": {"allOf": [{"$ref": "#/components/schemas/Kind"}], "default": "b"},
            # an anyOf or a $ref beside the default: its type is theirs
            "count": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": "x"},
            "many": {"$ref": "#/components/schemas/Many", "default": 7},
            "ok": {"anyOf": [{"type": "integer"}, {"type": "string"}], "default": "x"},
            # 3.1's nullable spelling let any default through ("null" fitted all)
            "when": {"type": ["string", "null"], "default": -1},
        },
    }
    doc = make_spec(
        {
            "Thing": thing,
            "Kind": {"enum": ["a", "b"]},
            "Many": {"type": "array", "items": {"type": "integer"}},
        },
        {"/t": {"get": json_op({"$ref": "#/components/schemas/Thing"})}},
    )
    problems = Problems()
    api = normalise(LoadedSpec("t", "0" * 64, validated(doc)), None, problems)
    f = fields(api.model("Thing"))
    assert not f["kind"].has_default and not f["flag"].has_default
    assert not f["when"].has_default and not f["ref"].has_default
    assert f["all"].has_default and f["all"].default == "b"
    assert not f["count"].has_default and not f["many"].has_default
    assert f["ok"].has_default
    assert f["fine"].has_default and f["fine"].default == "b"
    where = "#/components/schemas/Thing/properties"
    assert problems.warnings == [
        f"{where}/kind/default: default 'abc' is not one of the allowed values: "
        "default ignored",
        f"{where}/flag/default: default True is not one of the allowed values: "
        "default ignored",
        f"{where}/ref/default: default 'zzz' is not one of the allowed values: "
        "default ignored",
        f"{where}/count/default: default 'x' is not of type integer: default ignored",
        f"{where}/many/default: default 7 is not of type array: default ignored",
        f"{where}/when/default: default -1 is not of type string/null: default ignored",
    ]


def test_a_mapped_value_picks_its_schema_over_a_component_of_that_name() -> None:
    """Found by fuzzing: options ``pet`` (no mapping entry, so tagged by its
    name) and ``Pet`` (mapped from "pet") gave the value "pet" twice."""

    def pet(n: str) -> dict[str, Any]:
        return {"type": "object", "properties": {"kind": {"type": "string"}, n: {}}}

    union = {
        "oneOf": [
            {"$ref": "#/components/schemas/pet"},
            {"$ref": "#/components/schemas/Pet"},
        ],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"pet": "#/components/schemas/Pet"},
        },
    }
    api = build(
        make_spec({"pet": pet("a"), "Pet": pet("b")}, {"/p": {"get": json_op(union)}})
    )
    t = api.operations[0].response
    assert t is not None and isinstance(t.type, ir.UnionType)
    [(value, chosen)] = t.type.mapping
    assert value == "pet" and isinstance(chosen, ir.ModelRef)
    assert "b" in fields(api.model(chosen.name))

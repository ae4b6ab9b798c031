"""``sdkgen diff`` on the published history of the Meeting BaaS spec.

Each expectation below was checked by reading the two published files (noted beside
it); the test re-checks that fact on the raw JSON before checking the diff's finding,
so a wrong expectation cannot pass by accident.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Any

import pytest

from generator.config import load_config
from generator.diff import Change, DiffReport, diff_sources
from generator.diff.output import to_json

from .conftest import shared_spec, shared_specs

V1201 = "2025-12-01-d2839a3.json"
V1203 = "2025-12-03-45770ed.json"
V0119 = "2026-01-19-aa79305.json"
V0313 = "2026-03-13-3fa3094.json"
V0511 = "2026-05-11-5ec0cc7.json"


@cache
def raw(name: str) -> Any:
    return json.loads(shared_spec(name).read_text("utf-8"))


@cache
def report(old: str, new: str) -> DiffReport:
    return diff_sources(str(shared_spec(old)), str(shared_spec(new)), load_config())


def find(found: DiffReport, rule_id: str, subject: str) -> Change:
    hits = [c for c in found.changes if c.rule.id == rule_id and c.subject == subject]
    assert len(hits) == 1, [(c.rule.id, c.subject) for c in found.changes]
    return hits[0]


def test_default_server_moved_from_pre_prod_to_production() -> None:
    # 2025-12-01 served https://api.pre-prod-meetingbaas.com; 2025-12-03 the API.
    assert "pre-prod" in raw(V1201)["servers"][0]["url"]
    assert raw(V1203)["servers"][0]["url"] == "https://api.meetingbaas.com"
    change = find(report(V1201, V1203), "server-default-changed", "servers")
    assert change.level == "warning"
    assert "https://api.meetingbaas.com" in change.sdk


def test_update_config_operation_added_in_january() -> None:
    path = "/v2/bots/{bot_id}/update-config"
    assert path not in raw(V1203)["paths"] and "patch" in raw(V0119)["paths"][path]
    found = report(V1203, V0119)
    change = find(found, "operation-added", f"PATCH {path}")
    assert change.level == "info" and "client.bots.update_config()" in change.sdk
    assert [c.subject for c in found.changes if c.rule.id == "operation-added"] == [
        f"PATCH {path}"
    ]


def test_participants_changed_from_names_to_objects_in_january() -> None:
    # bot.completed's data.participants: nullable list of strings, then a list of
    # participant objects.
    def participants(name: str) -> Any:
        schema = raw(name)["components"]["schemas"]["BotWebhookCompleted"]
        return schema["properties"]["data"]["properties"]["participants"]

    old_items = participants(V1203)["anyOf"][0]["items"]
    assert old_items == {"type": "string"}
    assert participants(V0119)["items"]["type"] == "object"
    found = report(V1203, V0119)
    change = find(
        found, "response-property-type-changed", "BotCompletedData.participants"
    )
    assert change.level == "breaking" and change.resource == "webhooks"
    assert "list[str]" in change.message and "list[Participant]" in change.message
    assert "webhook bot.completed" in change.used_by
    assert found.bump == "major"


def test_zoom_access_token_url_removed_in_march() -> None:
    def has_field(name: str) -> bool:
        body = raw(name)["components"]["schemas"]["CreateBotRequestBodyInput"]
        return "zoom_access_token_url" in body["properties"]

    assert has_field(V0119) and not has_field(V0313)
    found = report(V0119, V0313)
    change = find(
        found, "request-property-removed", "CreateBotRequestBody.zoom_access_token_url"
    )
    assert change.level == "breaking" and change.side == "old"
    assert "client.bots.create(..., zoom_access_token_url=...)" in change.sdk


def test_zoom_credentials_resource_arrives_in_march() -> None:
    new_paths = sorted(
        (method.upper(), path)
        for path, item in raw(V0313)["paths"].items()
        if path.startswith("/v2/zoom-credentials")
        for method in item
        if method in ("get", "post", "patch", "delete", "put")
    )
    assert len(new_paths) == 5
    assert not any(p.startswith("/v2/zoom-credentials") for p in raw(V0119)["paths"])
    added = [c for c in report(V0119, V0313).changes if c.rule.id == "operation-added"]
    assert sorted(tuple(c.subject.split(" ", 1)) for c in added) == new_paths
    assert all(c.resource == "zoom_credentials" for c in added)


def test_may_release_is_additive_with_a_new_bot_status_and_event() -> None:
    def statuses(name: str) -> list[str]:
        items = raw(name)["components"]["schemas"]["ListBotsResponse"]["properties"]
        result: list[str] = items["data"]["items"]["properties"]["status"]["enum"]
        return result

    assert "pickup_delayed" in set(statuses(V0511)) - set(statuses(V0313))
    assert "BotWebhookChatMessage" in raw(V0511)["components"]["schemas"]
    found = report(V0313, V0511)
    status = find(found, "response-enum-value-added", "BotStatus")
    assert status.level == "warning" and "BotStatus.PICKUP_DELAYED" in status.sdk
    event = find(found, "webhook-event-added", "webhook bot.chat_message")
    assert event.level == "warning"
    assert found.counts()["breaking"] == 0 and found.bump == "minor"


def consecutive_pairs() -> list[Any]:
    names = [p.name for p in shared_specs()]
    if len(names) < 2:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="no specs"))]
    return [
        pytest.param(a, b, id=f"{a[:10]}..{b[:10]}")
        for a, b in itertools.pairwise(names)
    ]


@pytest.mark.parametrize(("old", "new"), consecutive_pairs())
def test_every_consecutive_pair_diffs_cleanly(old: str, new: str) -> None:
    found = report(old, new)
    assert found.changes, "every published release changed something"
    for change in found.changes:
        assert change.pointer.startswith("#/") and change.sdk and change.message
        side = raw(old) if change.side == "old" else raw(new)
        assert _resolves(side, change.pointer), change
    again = diff_sources(str(shared_spec(old)), str(shared_spec(new)), load_config())
    assert to_json(again) == to_json(found)


def test_a_version_against_itself_is_empty() -> None:
    assert report(V0511, V0511).changes == ()


def _resolves(doc: Any, pointer: str) -> bool:
    node = doc
    for token in pointer.removeprefix("#/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return False
    return True


def test_resolves_helper_rejects_a_wrong_pointer() -> None:
    assert _resolves({"a": [{"b/c": 1}]}, "#/a/0/b~1c")
    assert not _resolves({"a": [{"b/c": 1}]}, "#/a/1")

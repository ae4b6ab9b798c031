"""Base models, request models, open enums and small shared types."""

from __future__ import annotations

import copy
import pickle
from types import ModuleType

import pydantic
import pytest


def test_response_model_keeps_unknown_fields(rt: ModuleType) -> None:
    bot = rt._client.Bot.model_validate({"bot_id": "b", "future": {"x": 1}})
    assert bot.future == {"x": 1}
    assert bot.model_extra == {"future": {"x": 1}}
    assert bot.to_dict() == {"bot_id": "b", "future": {"x": 1}}
    assert '"future"' in bot.to_json()


def test_models_accept_field_names_and_aliases(rt: ModuleType) -> None:
    by_alias = rt._client.CreateBotRequest(
        meeting_url="u", bot_name="n", extraData={"k": 1}
    )
    by_name = rt._client.CreateBotRequest(
        meeting_url="u", bot_name="n", extra_data={"k": 1}
    )
    assert by_alias == by_name


def test_request_model_forbids_unknown_fields(rt: ModuleType) -> None:
    with pytest.raises(pydantic.ValidationError, match="bot_nmae"):
        rt._client.CreateBotRequest(meeting_url="u", bot_nmae="typo")


def test_request_model_validates_assignment(rt: ModuleType) -> None:
    req = rt._client.CreateBotRequest(meeting_url="u", bot_name="n")
    with pytest.raises(pydantic.ValidationError):
        req.bot_name = 123
    req.recording_mode = "audio_only"
    assert req.recording_mode is rt._client.RecordingMode.AUDIO_ONLY
    # Assigned fields count as set and are therefore sent.
    assert req.model_dump(exclude_unset=True) == {
        "meeting_url": "u",
        "bot_name": "n",
        "recording_mode": "audio_only",
    }


def test_open_enum(rt: ModuleType) -> None:
    mode = rt._client.RecordingMode
    assert mode("speaker_view") is mode.SPEAKER_VIEW
    assert mode.SPEAKER_VIEW.is_known

    unknown = mode("hologram")
    assert unknown == "hologram"
    assert unknown.value == "hologram"
    assert str(unknown) == "hologram"
    assert f"{unknown}" == "hologram"
    assert not unknown.is_known
    assert isinstance(unknown, mode)
    assert mode("hologram") is unknown  # cached pseudo-member
    assert list(mode) == [mode.SPEAKER_VIEW, mode.AUDIO_ONLY]
    # A pseudo-member named like a real member is still unknown.
    assert not mode("SPEAKER_VIEW").is_known
    with pytest.raises(ValueError):
        mode(42)


def test_open_enum_in_models_round_trips(rt: ModuleType) -> None:
    bot = rt._client.Bot.model_validate({"bot_id": "b", "recording_mode": "new_mode"})
    assert bot.recording_mode == "new_mode"
    assert bot.model_dump(mode="json")["recording_mode"] == "new_mode"
    assert '"recording_mode":"new_mode"' in bot.model_dump_json()


def test_not_given_sentinel(rt: ModuleType) -> None:
    assert not rt.NOT_GIVEN
    assert repr(rt.NOT_GIVEN) == "NOT_GIVEN"
    assert rt.NotGiven() is rt.NOT_GIVEN
    assert copy.deepcopy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert pickle.loads(pickle.dumps(rt.NOT_GIVEN)) is rt.NOT_GIVEN


def test_request_options_are_immutable(rt: ModuleType) -> None:
    options = rt.RequestOptions(extra_headers={"a": "b"})
    assert options.timeout is rt.NOT_GIVEN
    assert options.extra_query is None
    with pytest.raises(AttributeError):
        options.timeout = 1.0

"""Resource and method names where path segments read badly: version and
date segments and file extensions are no names, nor are an operationId's
version date and NestJS ``Controller`` prefix."""

from __future__ import annotations

from typing import Any

from generator.config import Config
from generator.parse.loader import LoadedSpec
from generator.parse.normalise import normalise


def _op(operation_id: str, method: str = "post", *params: str) -> dict[str, Any]:
    declared = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in params
    ]
    return {
        method: {
            "operationId": operation_id,
            "parameters": declared,
            "responses": {"204": {"description": "ok"}},
        }
    }


def _calls(paths: dict[str, Any]) -> set[str]:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    api = normalise(LoadedSpec("x", "0" * 64, doc), Config())
    return {op.python_call for op in api.operations}


def test_version_dates_and_extensions_are_no_resource_names() -> None:
    calls = _calls(
        {
            "/2010-04-01/Accounts/{AccountSid}/Messages.json": {
                **_op("CreateMessage", "post", "AccountSid"),
                **_op("ListMessage", "get", "AccountSid"),
            },
            "/v1.2/albums.xml": _op("listAlbums", "get"),
        }
    )
    assert calls == {
        "client.accounts.messages.create",
        "client.accounts.messages.list",
        "client.albums.list",
    }


def test_operation_id_version_and_controller_are_no_method_names() -> None:
    calls = _calls(
        {
            "/v2/bookings/{uid}/cancel": _op(
                "BookingsController_2024-08-13_cancel", "post", "uid"
            )
        }
    )
    assert calls == {"client.bookings.cancel"}

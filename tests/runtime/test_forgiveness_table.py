"""Each row of the generated README's forgiveness table, run against the
committed SDK on a loopback server in both modes.

The rows are read from ``generated/README.md``. A cell that names an error
(`` `XError` ...``) expects that error; "the same" expects what the lenient
cell says; any other cell is checked by the row's own function below. A row
without a scenario here, or a scenario without a row, fails the test.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ._fake_api import Examples
from ._loopback import Reply, Seen, ok, serving

README = Path(__file__).resolve().parents[2] / "generated" / "README.md"
MARK = "<!-- forgiveness-table -->"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"


def table_rows() -> dict[str, tuple[str, str]]:
    text = README.read_text("utf-8")
    _, table, _ = text.split(MARK)
    rows: dict[str, tuple[str, str]] = {}
    for line in table.strip().splitlines()[2:]:  # past the header and rule
        deviation, lenient, strict = (c.strip() for c in line.strip("|").split("|"))
        rows[deviation] = (lenient, strict)
    return rows


ROWS = table_rows()


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None
    log: str = ""
    sleeps: tuple[float, ...] = ()


def status_body(sdk: Any, **over: Any) -> dict[str, Any]:
    return {**Examples(sdk.types).model("BotStatusDetails", bot_id=BOT_ID), **over}


def call(
    sdk: Any,
    strict: bool,
    handler: Callable[[Seen], Reply],
    method: Callable[[Any], Any] = lambda c: c.bots.get_status(BOT_ID),
    caplog: pytest.LogCaptureFixture | None = None,
) -> Outcome:
    sleeps: list[float] = []
    with serving(handler) as (api,):
        client = sdk.MeetingBaas(
            api_key="mb-table-key-0123456789",
            base_url=api.url,
            max_retries=1,
            strict_response_validation=strict,
            _sleep=sleeps.append,
        )
        try:
            result = method(client)
        except Exception as exc:  # the outcome is checked by the caller
            return Outcome(error=exc, sleeps=tuple(sleeps))
    log = caplog.text if caplog is not None else ""
    return Outcome(result=result, log=log, sleeps=tuple(sleeps))


# -- one scenario per row: (sdk, strict, caplog) -> Outcome -------------------


def offset(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    body = status_body(sdk, updated_at="2026-05-11T11:00:00.5+02:00")
    return call(sdk, strict, lambda s: ok(body))


def check_offset(o: Outcome) -> None:
    when = o.result.updated_at
    assert when.utcoffset() is not None
    assert json.loads(o.result.to_json())["updated_at"] == "2026-05-11T09:00:00.500000Z"


def unknown_field(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    body = status_body(sdk, brand_new={"x": 1})
    return call(sdk, strict, lambda s: ok(body))


def check_unknown_field(o: Outcome) -> None:
    assert o.result.model_extra == {"brand_new": {"x": 1}}


def unknown_enum(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    body = status_body(sdk, status="teleporting")
    return call(sdk, strict, lambda s: ok(body))


def check_unknown_enum(o: Outcome) -> None:
    assert o.result.status == "teleporting" and o.result.status.is_known is False


def wrong_type(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    body = status_body(sdk, updated_at=1_700_000_000)
    with caplog.at_level(logging.WARNING, logger="meetingbaas"):
        return call(sdk, strict, lambda s: ok(body), caplog=caplog)


def check_wrong_type(o: Outcome) -> None:
    assert o.result.updated_at == 1_700_000_000
    assert "updated_at" in o.log and "strict_response_validation" in o.log


def missing(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    body = status_body(sdk)
    del body["updated_at"]
    return call(sdk, strict, lambda s: ok(body))


def check_missing(o: Outcome) -> None:
    assert o.result.updated_at is None
    assert "updated_at" not in o.result.model_fields_set


def wholly_wrong(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    return call(sdk, strict, lambda s: ok(None))


def list_item(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    bot = Examples(sdk.types).model("Bot")
    return call(
        sdk, strict, lambda s: ok([bot, None], cursor=None), lambda c: c.bots.list()
    )


def unsuccessful(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    body = {"success": False, "data": status_body(sdk), "message": "nope"}
    return call(sdk, strict, lambda s: Reply(200, body))


def not_json(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    return call(sdk, strict, lambda s: Reply(200, "<html>gateway</html>"))


def retry_after(sdk: Any, strict: bool, caplog: Any) -> Outcome:
    replies = iter(
        [Reply(429, {"success": False, "code": "R", "retryAfter": 3})]
        + [ok(status_body(sdk))] * 2
    )
    first = call(sdk, strict, lambda s: next(replies))
    longer = call(sdk, strict, lambda s: Reply(429, {"retryAfter": 3600}))
    return Outcome(result=(first, longer))


def check_retry_after(o: Outcome) -> None:
    first, longer = o.result
    assert first.error is None and first.sleeps == (3.0,)
    assert type(longer.error).__name__ == "RateLimitError"
    assert longer.error.retry_after == 3600.0 and longer.sleeps == ()


SCENARIOS: dict[str, tuple[Callable[..., Outcome], Callable[[Outcome], None]]] = {
    "A date-time with another offset": (offset, check_offset),
    "A field this SDK does not know": (unknown_field, check_unknown_field),
    "An enum value this SDK does not know": (unknown_enum, check_unknown_enum),
    "A field of the wrong type": (wrong_type, check_wrong_type),
    "A required field missing": (missing, check_missing),
    "`data` wholly not the declared type": (wholly_wrong, lambda o: None),
    "A list item that is not an object": (list_item, lambda o: None),
    '`"success": false` on a 2xx': (unsuccessful, lambda o: None),
    "A 2xx body that is not JSON": (not_json, lambda o: None),
    "A 429 with `retryAfter` in its body": (retry_after, check_retry_after),
}


def scenario(row: str) -> tuple[Callable[..., Outcome], Callable[[Outcome], None]]:
    (key,) = [k for k in SCENARIOS if row.startswith(k)]
    return SCENARIOS[key]


def test_every_row_has_a_scenario_and_every_scenario_a_row() -> None:
    assert len(ROWS) == len(SCENARIOS)
    for row in ROWS:
        scenario(row)


def expect(cell: str, outcome: Outcome, check: Callable[[Outcome], None]) -> None:
    named = re.match(r"`(\w+Error)`", cell)
    if named:
        assert outcome.error is not None, f"expected {named[1]}"
        assert type(outcome.error).__name__ == named[1] or any(
            c.__name__ == named[1] for c in type(outcome.error).__mro__
        )
    else:
        assert outcome.error is None, repr(outcome.error)
        check(outcome)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("row", sorted(ROWS))
def test_forgiveness_row(
    sdk: Any, row: str, strict: bool, caplog: pytest.LogCaptureFixture
) -> None:
    run, check = scenario(row)
    lenient_cell, strict_cell = ROWS[row]
    cell = lenient_cell if not strict or strict_cell == "the same" else strict_cell
    expect(cell, run(sdk, strict, caplog), check)

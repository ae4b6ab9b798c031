"""Every README example type-checks under ``mypy --strict`` against the committed SDK.

test_readme_examples runs the blocks; this checks them statically, as a user's
editor and CI would. Each block is a complete program, checked as it is written
(nothing is declared for it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_readme_examples import README, readme_blocks

GENERATED = README.parent


@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy not installed")
def test_every_readme_example_passes_mypy_strict(tmp_path: Path) -> None:
    blocks = readme_blocks(README.read_text("utf-8"))
    assert len(blocks) >= 10
    files = []
    for name, code in blocks.items():
        path = tmp_path / f"readme_{name.replace('-', '_')}.py"
        path.write_text(code)
        files.append(str(path))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--config-file",
            str(GENERATED / "pyproject.toml"),
            *files,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"MYPYPATH": str(GENERATED), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


GOOD = """\
import asyncio

from meetingbaas import AsyncMeetingBaas, MeetingBaas, WebhookEvent, webhooks
from meetingbaas.types import Bot, TimeoutConfigParam

client = MeetingBaas(api_key="k")
timeouts: TimeoutConfigParam = {"waiting_room_timeout": 600}
client.bots.create(
    bot_name="N",
    meeting_url="https://meet.google.com/abc-defg-hij",
    recording_mode="audio_only",
    timeout_config=timeouts,
    streaming_config={"output_url": "wss://example.com/out"},
)


client.bots.list(status=["queued", "joining_call"], meeting_platform="zoom")
client.calendars.events.list(
    "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", status=("confirmed", "tentative")
)


async def names() -> list[str | None]:
    aclient = AsyncMeetingBaas(api_key="k")
    return [bot.bot_name async for bot in aclient.bots.list()]


async def first() -> list[Bot]:
    page = await AsyncMeetingBaas(api_key="k").bots.list()
    return page.data


asyncio.run(names())


def completed_bot(event: WebhookEvent) -> str | None:
    if event.event == "bot.completed":
        return event.data.bot_id  # narrowed by the event name
    return None


def handle(body: bytes, headers: dict[str, str]) -> str | None:
    event = webhooks.unwrap(body, headers, "whsec_c2VjcmV0")
    if isinstance(event, webhooks.UnknownWebhookEvent):
        return None
    return completed_bot(event)
"""

BAD = """\
from meetingbaas import MeetingBaas

client = MeetingBaas(api_key="k")
client.bots.create(
    bot_name="N",
    meeting_url="https://meet.google.com/abc-defg-hij",
    recording_mode="4k",
    timeout_config={"waiting_room_timeot": 600},
)
client.bots.list(status=["queud"])
client.bots.list(meeting_platform="skype")
"""


@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy not installed")
def test_literals_and_typeddicts_type_check_and_typos_do_not(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "bad.py").write_text(BAD)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--config-file",
            str(GENERATED / "pyproject.toml"),
            "good.py",
            "bad.py",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"MYPYPATH": str(GENERATED), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if e.startswith("good.py")], result.stdout
    bad = "\n".join(e for e in errors if e.startswith("bad.py"))
    assert '"recording_mode"' in bad
    assert '"timeout_config"' in bad  # the misspelt key
    # The list filters (lines 10 and 11): a misspelt value, in a list or alone.
    assert "bad.py:10: error" in bad and "bad.py:11: error" in bad

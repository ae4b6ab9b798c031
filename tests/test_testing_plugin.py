"""The pytest plugin of ``meetingbaas.testing`` (issue 28): declared as a
``pytest11`` entry point in the generated pyproject.toml, giving fixtures in a
user's test run, and never imported by the SDK itself."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from .conftest import GENERATED

USER_TESTS = """
import asyncio

from meetingbaas import AsyncMeetingBaas, MeetingBaas, NotFoundError
from meetingbaas.testing import FakeTransport
import pytest


def test_fixtures(
    meetingbaas_fake: FakeTransport, meetingbaas_client: MeetingBaas
) -> None:
    meetingbaas_fake.bots.retrieve.raises(status=404, code="bot_not_found")
    with pytest.raises(NotFoundError):
        meetingbaas_client.bots.retrieve("3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09")
    assert len(meetingbaas_fake.bots.retrieve.calls) == 1


def test_async(
    meetingbaas_fake: FakeTransport, meetingbaas_async_client: AsyncMeetingBaas
) -> None:
    bot_id = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
    asyncio.run(meetingbaas_async_client.bots.get_status(bot_id))
    assert [c.operation for c in meetingbaas_fake.calls] == ["bots.get_status"]


def test_a_new_fake_per_test(meetingbaas_fake: FakeTransport) -> None:
    assert meetingbaas_fake.calls == []
"""


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(GENERATED)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_the_entry_point_names_the_plugin_module() -> None:
    project = tomllib.loads((GENERATED / "pyproject.toml").read_text("utf-8"))
    entry = project["project"]["entry-points"]["pytest11"]
    assert entry == {"meetingbaas": "meetingbaas.pytest_plugin"}
    assert (GENERATED / "meetingbaas" / "pytest_plugin.py").is_file()


def test_the_fixtures_in_a_users_test_run(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    done = _pytest(tmp_path, "-p", "meetingbaas.pytest_plugin", "test_user.py")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout
    # Without the plugin the fixtures are unknown: the test above needs it.
    done = _pytest(tmp_path, "test_user.py")
    assert "fixture 'meetingbaas_fake' not found" in done.stdout


def test_the_sdk_and_its_fake_never_import_pytest() -> None:
    script = (
        "import sys; import meetingbaas, meetingbaas.testing;"
        " meetingbaas.testing.fake_client().bots;"
        " sys.exit('pytest' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(GENERATED)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr

"""pytest fixtures for testing code that uses the SDK, with no network.

pytest loads this module through the ``pytest11`` entry point the package
declares; nothing else imports it, so the SDK itself never needs pytest::

    def test_sends_a_bot(meetingbaas_fake, meetingbaas_client):
        my_code(meetingbaas_client)
        assert meetingbaas_fake.calls
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._client import AsyncMeetingBaas, MeetingBaas
from .testing import FakeTransport, fake_async_client, fake_client

__all__ = ["meetingbaas_async_client", "meetingbaas_client", "meetingbaas_fake"]


@pytest.fixture
def meetingbaas_fake() -> FakeTransport:
    """A new fake API for each test (see ``testing.FakeTransport``)."""
    return FakeTransport()


@pytest.fixture
def meetingbaas_client(meetingbaas_fake: FakeTransport) -> Iterator[MeetingBaas]:
    """A client whose requests ``meetingbaas_fake`` answers."""
    with fake_client(meetingbaas_fake) as client:
        yield client


@pytest.fixture
def meetingbaas_async_client(
    meetingbaas_fake: FakeTransport,
) -> AsyncMeetingBaas:
    """An async client whose requests ``meetingbaas_fake`` answers."""
    return fake_async_client(meetingbaas_fake)

"""Assemble the runtime templates into a scratch package and import it.

The generator copies ``templates/runtime/*`` verbatim (plus a one-line header)
into the SDK and emits ``_constants.py``, ``_version.py``,
``_webhook_registry.py``, the resources and the clients. Small stand-ins for
those generated modules are written here, shaped like the generator's output,
so the runtime is tested exactly as it will be imported.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import API_KEY, BASE_URL, RUNTIME_DIR, Recorder, Sleeps

PACKAGE = "meetingbaas_rt"

STANDINS: dict[str, str] = {
    "_constants.py": """
        from ._types import APIFacts

        LOGGER_NAME = "meetingbaas"
        USER_AGENT = "meetingbaas-python"
        LOG_ENV = "MEETING_BAAS_LOG"
        CALLBACK_SECRET_HEADER = "x-mb-secret"
        CREDENTIAL_HEADERS = frozenset(["x-meeting-baas-api-key"])


        class MeetingBaasError(Exception):
            \"\"\"Base class of every error raised by this package.\"\"\"


        SDKError = MeetingBaasError

        API = APIFacts(
            api_key_header="x-meeting-baas-api-key",
            api_key_in="header",
            api_key_prefix="",
            api_key_env="MEETING_BAAS_API_KEY",
            auth_schemes={},
            default_security=None,
            base_url_env="MEETING_BAAS_BASE_URL",
            default_base_url="https://api.meetingbaas.com",
        )
    """,
    "_version.py": """
        __version__ = "1.2.3"
    """,
    "_webhook_registry.py": """
        from collections.abc import Mapping
        from typing import Literal, TypeAlias

        import pydantic

        from ._models import BaseModel


        class BotCompletedData(BaseModel):
            bot_id: str
            duration_seconds: int | None = None


        class BotCompletedEvent(BaseModel):
            event: Literal["bot.completed"]
            data: BotCompletedData


        class CalendarEventCreatedData(BaseModel):
            calendar_id: str
            event_id: str


        class CalendarEventCreatedEvent(BaseModel):
            event: Literal["calendar.event_created"]
            data: CalendarEventCreatedData


        EVENT_KEYS: tuple[str, ...] = ("event",)
        EVENT_NAMES: Mapping[str, tuple[type[pydantic.BaseModel], ...]] = {}
        EVENT_KEYLESS: tuple[type[pydantic.BaseModel], ...] = ()
        EVENT_MODELS: Mapping[str, type[pydantic.BaseModel]] = {
            "bot.completed": BotCompletedEvent,
            "calendar.event_created": CalendarEventCreatedEvent,
        }

        WebhookEvent: TypeAlias = BotCompletedEvent | CalendarEventCreatedEvent

        CALLBACK_KEYS: tuple[str, ...] = ("event",)
        CALLBACK_NAMES: Mapping[str, tuple[type[pydantic.BaseModel], ...]] = {}
        CALLBACK_KEYLESS: tuple[type[pydantic.BaseModel], ...] = ()
        CALLBACK_MODELS: Mapping[str, type[pydantic.BaseModel]] = {
            "bot.completed": BotCompletedEvent,
        }

        CallbackEvent: TypeAlias = BotCompletedEvent
    """,
    # What generated models, resources and clients are expected to look like.
    "_client.py": """
        from __future__ import annotations

        from functools import cached_property
        from typing import Any
        from urllib.parse import quote

        from pydantic import Field

        from ._base_client import (
            APIResponse,
            AsyncAPIClient,
            SyncAPIClient,
            async_to_raw_response_wrapper,
            to_raw_response_wrapper,
        )
        from ._models import BaseModel, OpenEnum, RequestModel
        from ._pagination import AsyncCursorPage, AsyncPaginator, SyncCursorPage
        from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout


        class RecordingMode(OpenEnum):
            SPEAKER_VIEW = "speaker_view"
            AUDIO_ONLY = "audio_only"


        class Bot(BaseModel):
            bot_id: str
            bot_name: str | None = None
            recording_mode: RecordingMode | None = None


        class CreateBotRequest(RequestModel):
            meeting_url: str
            bot_name: str
            recording_mode: RecordingMode | None = None
            extra_data: dict[str, Any] | None = Field(default=None, alias="extraData")


        class BatchCreateResult(BaseModel):
            success: bool
            data: list[Bot]
            errors: list[dict[str, Any]]


        def _options(
            extra_headers: dict[str, str] | None,
            extra_query: dict[str, object] | None,
            timeout: Timeout | NotGiven,
        ) -> RequestOptions:
            return RequestOptions(
                extra_headers=extra_headers, extra_query=extra_query, timeout=timeout
            )


        class Bots:
            def __init__(self, client: SyncAPIClient) -> None:
                self._client = client

            def create(
                self,
                *,
                meeting_url: str,
                bot_name: str,
                recording_mode: RecordingMode | NotGiven = NOT_GIVEN,
                extra_data: dict[str, Any] | NotGiven = NOT_GIVEN,
                extra_headers: dict[str, str] | None = None,
                extra_query: dict[str, object] | None = None,
                timeout: Timeout | NotGiven = NOT_GIVEN,
            ) -> Bot:
                fields: dict[str, Any] = {
                    "meeting_url": meeting_url,
                    "bot_name": bot_name,
                    "recording_mode": recording_mode,
                    "extra_data": extra_data,
                }
                body = CreateBotRequest(
                    **{k: v for k, v in fields.items() if v is not NOT_GIVEN}
                )
                return self._client._request(
                    "POST",
                    "/v2/bots",
                    result_type=Bot,
                    body=body,
                    options=_options(extra_headers, extra_query, timeout),
                )

            def retrieve(
                self,
                bot_id: str,
                *,
                extra_headers: dict[str, str] | None = None,
                extra_query: dict[str, object] | None = None,
                timeout: Timeout | NotGiven = NOT_GIVEN,
            ) -> Bot:
                return self._client._request(
                    "GET",
                    f"/v2/bots/{quote(bot_id, safe='')}",
                    result_type=Bot,
                    options=_options(extra_headers, extra_query, timeout),
                )

            def delete(self, bot_id: str) -> None:
                self._client._request(
                    "DELETE", f"/v2/bots/{quote(bot_id, safe='')}", result_type=None
                )

            def batch_create(self, bots: list[dict[str, Any]]) -> BatchCreateResult:
                return self._client._request(
                    "POST",
                    "/v2/bots/batch",
                    result_type=BatchCreateResult,
                    body={"bots": bots},
                    unwrap=False,
                )

            def list(
                self,
                *,
                limit: int | NotGiven = NOT_GIVEN,
                cursor: str | None = None,
                extra_headers: dict[str, str] | None = None,
                extra_query: dict[str, object] | None = None,
                timeout: Timeout | NotGiven = NOT_GIVEN,
            ) -> SyncCursorPage[Bot]:
                return self._client._get_page(
                    "/v2/bots",
                    item_type=Bot,
                    query={"limit": limit, "cursor": cursor},
                    options=_options(extra_headers, extra_query, timeout),
                )

            @cached_property
            def with_raw_response(self) -> BotsWithRawResponse:
                return BotsWithRawResponse(self)


        class BotsWithRawResponse:
            def __init__(self, bots: Bots) -> None:
                self.create = to_raw_response_wrapper(bots.create)
                self.retrieve = to_raw_response_wrapper(bots.retrieve)
                self.list = to_raw_response_wrapper(bots.list)


        class AsyncBots:
            def __init__(self, client: AsyncAPIClient) -> None:
                self._client = client

            async def create(self, *, meeting_url: str, bot_name: str) -> Bot:
                body = CreateBotRequest(meeting_url=meeting_url, bot_name=bot_name)
                return await self._client._request(
                    "POST", "/v2/bots", result_type=Bot, body=body
                )

            async def retrieve(self, bot_id: str) -> Bot:
                return await self._client._request(
                    "GET", f"/v2/bots/{quote(bot_id, safe='')}", result_type=Bot
                )

            def list(
                self, *, limit: int | NotGiven = NOT_GIVEN
            ) -> AsyncPaginator[Bot]:
                return self._client._get_page(
                    "/v2/bots", item_type=Bot, query={"limit": limit}
                )

            @cached_property
            def with_raw_response(self) -> AsyncBotsWithRawResponse:
                return AsyncBotsWithRawResponse(self)


        class AsyncBotsWithRawResponse:
            def __init__(self, bots: AsyncBots) -> None:
                self.create = async_to_raw_response_wrapper(bots.create)
                self.retrieve = async_to_raw_response_wrapper(bots.retrieve)
                self.list = async_to_raw_response_wrapper(bots.list)


        class MeetingBaas(SyncAPIClient):
            @cached_property
            def bots(self) -> Bots:
                return Bots(self)


        class AsyncMeetingBaas(AsyncAPIClient):
            @cached_property
            def bots(self) -> AsyncBots:
                return AsyncBots(self)


        # Static checks of the typed contract (run by mypy in test_typing.py).
        def _typing_contract(client: MeetingBaas) -> None:
            bot: Bot = client.bots.retrieve("x")
            raw: APIResponse[Bot] = client.bots.with_raw_response.retrieve("x")
            parsed: Bot = raw.parse()
            page: SyncCursorPage[Bot] = client.bots.list()
            first: Bot = next(iter(page))
            del bot, parsed, first
    """,
    "__init__.py": """
        from . import _formats, webhooks
        from ._base_client import (
            DEFAULT_MAX_RETRIES,
            DEFAULT_TIMEOUT,
            APIResponse,
            AsyncAPIClient,
            SyncAPIClient,
        )
        from ._client import AsyncMeetingBaas, MeetingBaas
        from ._constants import MeetingBaasError
        from ._exceptions import (
            APIConnectionError,
            APIError,
            APIResponseValidationError,
            APIStatusError,
            APITimeoutError,
            AuthenticationError,
            BadRequestError,
            ClientClosedError,
            ConflictError,
            InternalServerError,
            NotFoundError,
            PaginationError,
            PaymentRequiredError,
            PermissionDeniedError,
            RateLimitError,
            RequestValidationError,
            UnprocessableEntityError,
            UnsafeRedirectError,
            UnsuccessfulResponseError,
        )
        from ._models import BaseModel, OpenEnum, RequestModel
        from ._pagination import AsyncCursorPage, SyncCursorPage
        from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout
        from ._version import __version__
        from .webhooks import UnknownWebhookEvent, WebhookVerificationError

        __all__ = [
            "DEFAULT_MAX_RETRIES",
            "DEFAULT_TIMEOUT",
            "NOT_GIVEN",
            "APIConnectionError",
            "APIError",
            "APIResponse",
            "APIResponseValidationError",
            "APIStatusError",
            "APITimeoutError",
            "AsyncAPIClient",
            "AsyncCursorPage",
            "AsyncMeetingBaas",
            "AuthenticationError",
            "BadRequestError",
            "BaseModel",
            "ClientClosedError",
            "ConflictError",
            "InternalServerError",
            "MeetingBaas",
            "MeetingBaasError",
            "NotFoundError",
            "NotGiven",
            "OpenEnum",
            "PaginationError",
            "PaymentRequiredError",
            "PermissionDeniedError",
            "RateLimitError",
            "RequestModel",
            "RequestOptions",
            "RequestValidationError",
            "SyncAPIClient",
            "SyncCursorPage",
            "Timeout",
            "UnknownWebhookEvent",
            "UnprocessableEntityError",
            "UnsafeRedirectError",
            "UnsuccessfulResponseError",
            "WebhookVerificationError",
            "__version__",
            "_formats",
            "webhooks",
        ]
    """,
}


def assemble_package(dest: Path, name: str = PACKAGE) -> Path:
    """Write the runtime templates plus stand-ins into ``dest/name``."""
    pkg = dest / name
    pkg.mkdir(parents=True)
    for src in sorted(RUNTIME_DIR.iterdir()):
        if src.is_file() and src.suffix == ".py":
            # Same header the generator prepends.
            header = "# File generated from templates/runtime; do not edit.\n"
            (pkg / src.name).write_text(header + src.read_text())
    for filename, source in STANDINS.items():
        (pkg / filename).write_text(textwrap.dedent(source).lstrip())
    (pkg / "py.typed").write_text("")
    return pkg


@pytest.fixture(scope="session")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble_package(tmp_path_factory.mktemp("rt"))


@pytest.fixture(scope="session")
def rt(package_dir: Path) -> Iterator[ModuleType]:
    """The assembled package, imported."""
    sys.path.insert(0, str(package_dir.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(package_dir.parent))
        for mod in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[mod]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The developer's real credentials must never leak into a test.
    monkeypatch.delenv("MEETING_BAAS_API_KEY", raising=False)
    monkeypatch.delenv("MEETING_BAAS_BASE_URL", raising=False)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(rt: ModuleType, sleeps: Sleeps) -> Callable[..., Any]:
    """Build a sync client whose transport is a Recorder (no network)."""

    def factory(recorder: Recorder, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        kwargs.setdefault("_sleep", sleeps)
        kwargs.setdefault("_random", lambda: 0.0)  # jitter factor 1.0
        transport = httpx.MockTransport(recorder)
        kwargs.setdefault("http_client", httpx.Client(transport=transport))
        return rt.MeetingBaas(**kwargs)

    return factory


@pytest.fixture
def make_async_client(rt: ModuleType, sleeps: Sleeps) -> Callable[..., Any]:
    def factory(recorder: Recorder, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        kwargs.setdefault("_sleep", sleeps.async_sleep)
        kwargs.setdefault("_random", lambda: 0.0)
        transport = httpx.MockTransport(recorder)
        kwargs.setdefault("http_client", httpx.AsyncClient(transport=transport))
        return rt.AsyncMeetingBaas(**kwargs)

    return factory

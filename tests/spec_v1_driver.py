"""Run in a fresh process by tests/test_spec_v1.py: imports the SDK generated
from spec/meeting-baas-v1.yaml, calls every operation once sync and once async
against BASE_URL and parses each webhook payload of WEBHOOKS (a JSON file of
name -> payload), then prints a JSON report on stdout. The report also lists
every `sl-violations` header a response carried (Prism's verdict on a request).

Usage: python -m tests.spec_v1_driver SDK_DIR PACKAGE SPEC CONFIG BASE_URL WEBHOOKS
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx

from generator.config import load_config
from generator.parse.loader import load_spec
from generator.parse.normalise import normalise
from tests.spec_proof.calls import Call, calls


def _method(client: Any, call: Call) -> Any:
    target = client
    for part in call.operation.resource:
        target = getattr(target, part)
    return getattr(target, call.operation.method_name)


def _outcome(result: Any) -> Any:
    """What a call returned, as JSON: a model as it would be sent back."""
    if result is None:
        return None
    if isinstance(result, list):
        return [_outcome(r) for r in result]
    dump = getattr(result, "model_dump", None)
    if dump is not None:
        return {
            "class": type(result).__name__,
            "json": dump(mode="json", by_alias=True, exclude_unset=True),
        }
    return {"class": type(result).__name__, "json": result}


def main(
    sdk_dir: str, package: str, spec: str, config: str, url: str, webhooks: str
) -> None:
    sys.path.insert(0, sdk_dir)
    sdk = importlib.import_module(package)
    client_module = importlib.import_module(f"{package}._client")
    names = list(client_module.__all__)
    sync_name = next(n for n in names if not n.startswith("Async"))
    async_name = next(n for n in names if n.startswith("Async"))
    api = normalise(load_spec(spec), load_config(Path(config)))
    todo = calls(api, sdk.types)
    report: dict[str, Any] = {"sync": {}, "async": {}, "violations": []}

    def record(response: httpx.Response) -> None:
        found = response.headers.get("sl-violations")
        if found:
            report["violations"].append(f"{response.request.url}: {found}")

    async def record_async(response: httpx.Response) -> None:
        record(response)

    sync_http = httpx.Client(event_hooks={"response": [record]})
    with getattr(sdk, sync_name)(
        api_key="k", base_url=url, max_retries=0, http_client=sync_http
    ) as c:
        for call in todo:
            result = _method(c, call)(*call.args, **call.kwargs)
            report["sync"][call.operation.operation_id] = _outcome(result)

    async def run_async() -> None:
        async_http = httpx.AsyncClient(event_hooks={"response": [record_async]})
        async with getattr(sdk, async_name)(
            api_key="k", base_url=url, max_retries=0, http_client=async_http
        ) as c:
            for call in todo:
                result = await _method(c, call)(*call.args, **call.kwargs)
                report["async"][call.operation.operation_id] = _outcome(result)

    asyncio.run(run_async())
    payloads = json.loads(Path(webhooks).read_text("utf-8"))
    report["webhooks"] = {
        name: _outcome(sdk.webhooks.parse(json.dumps(body)))
        for name, body in payloads.items()
    }
    json.dump(report, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(*sys.argv[1:7])

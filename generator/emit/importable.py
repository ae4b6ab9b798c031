"""Where the names generated modules use come from: the emitter writes their
imports from this table, and the naming pass keeps type and resource names
clear of it (one list for both)."""

from __future__ import annotations

# name -> (module, relative?) ; relative modules are joined to the file's package root.
IMPORTABLE: dict[str, tuple[str, bool]] = {
    **{
        n: ("typing", False)
        for n in (
            "Any",
            "Annotated",
            "ClassVar",
            "Literal",
            "Required",
            "TYPE_CHECKING",
            "TypeAlias",
            "TypedDict",
            "cast",
        )
    },
    **{
        n: ("collections.abc", False)
        for n in ("Awaitable", "Callable", "Mapping", "Sequence")
    },
    "datetime": ("datetime", False),
    "cached_property": ("functools", False),
    "Field": ("pydantic", False),
    "Tag": ("pydantic", False),
    "Discriminator": ("pydantic", False),
    **{
        n: ("_formats", True)
        for n in (
            "UriFormat",
            "ZuluDateTime",
            "build",
            "build_items",
            "path_segment",
            "tagged",
        )
    },
    **{n: ("_models", True) for n in ("BaseModel", "RequestModel", "OpenEnum")},
    **{n: ("_serialize", True) for n in ("path_value", "split_params")},
    **{
        n: ("_pagination", True)
        for n in ("SyncCursorPage", "AsyncCursorPage", "AsyncPaginator")
    },
    **{
        n: ("_response", True)
        for n in (
            "to_raw_response_wrapper",
            "async_to_raw_response_wrapper",
            "to_streamed_response_wrapper",
            "async_to_streamed_response_wrapper",
            "StreamedResponse",
            "AsyncStreamedResponse",
        )
    },
    **{
        n: ("_types", True)
        for n in (
            "NOT_GIVEN",
            "APIFacts",
            "NotGiven",
            "RequestOptions",
            "Timeout",
            "Body",
            "FormBody",
            "RawBody",
            "FileInput",
        )
    },
    **{
        n: ("_base_client", True)
        for n in (
            "SyncAPIClient",
            "AsyncAPIClient",
            "DEFAULT_MAX_RESPONSE_BYTES",
            "DEFAULT_MAX_RETRIES",
            "DEFAULT_TIMEOUT",
        )
    },
}
PLAIN_IMPORTS = {
    "builtins": "import builtins",
    "httpx": "import httpx",
    "pydantic": "import pydantic",
}

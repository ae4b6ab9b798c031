"""Where the names generated modules use come from: the emitter writes their
imports from this table, and the naming pass keeps type and resource names
clear of it (one list for both)."""

from __future__ import annotations

from .runtimeapi import runtime_exports

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
    "ConfigDict": ("pydantic", False),
    "Tag": ("pydantic", False),
    "Discriminator": ("pydantic", False),
    # The runtime modules' own names, read off their ``__all__``.
    **{n: (stem, True) for n, stem in runtime_exports().items()},
}
PLAIN_IMPORTS = {
    "builtins": "import builtins",
    "httpx": "import httpx",
    "importlib": "import importlib",
    "pydantic": "import pydantic",
}

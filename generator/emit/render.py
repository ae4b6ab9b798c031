"""View -> file texts: a table of rows (outputs.py), one per file: each
API's (apifiles.py), the runtime's, written once for the package, and the
distribution's README and pyproject; then the rows rendered and the Python
laid out by the formatter (formatting.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import jinja2

from .. import __version__, ir, usercache
from ..config import Config
from ..errors import SpecError
from .apifiles import api_rows, common_context, header_text, webhook_features
from .formatting import format_modules
from .outputs import OutputFile, render_rows
from .piececache import open_cache
from .runtimeapi import templates_dir
from .sections import keep_sections
from .view import MethodView, SdkView, build_view, walk


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: compiled code comes from the copy shipped
    with sdkgen where it matches, else from the user cache, else Jinja."""
    from .precompiled import ShippedFirst

    return plain_environment(ShippedFirst(_template_cache()))


def plain_environment(
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=bytecode_cache,
    )


TEMPLATES = usercache.Store(f"jinja-{jinja2.__version__}", 8 * usercache.MB)


def _template_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user cache (jinja checks each against its
    source), so a run after the first does not compile them again."""
    folder = TEMPLATES.folder
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    TEMPLATES.prune()
    return jinja2.FileSystemBytecodeCache(str(folder))


def render(
    api: ir.Api,
    config: Config,
    spec_sha256: str,
    extras: Sequence[tuple[ir.Api, Config, str]] | None = None,
) -> dict[str, str]:
    """Every file of the SDK distribution: relative path -> text. ``extras``
    are the package's other APIs (``[apis.<module>]``), each with its config
    and spec hash: a subpackage apiece, one runtime for all (None: the
    config's, read from their specs)."""
    if extras is None:
        from ..multiapi import load_apis
        from ..parse.loader import MAX_SPEC_BYTES

        loaded = load_apis(config, strict=False, max_bytes=MAX_SPEC_BYTES)
        extras = [e.render_args for e in loaded]
    sdk = build_view(api, config, spec_sha256, __version__)
    subs = [build_view(a, c, sha, __version__) for a, c, sha in extras]
    env = environment()
    pieces = open_cache()
    # The runtime is the package's: it has what any of its APIs needs.
    features = frozenset().union(*(webhook_features(v) for v in [sdk, *subs]))
    package = {
        "submodules": sorted(["types", "webhooks", *(s.module for s in subs)]),
        "credential_headers": _credential_headers([sdk, *subs]),
        "runtime_features": features,
    }
    rows = api_rows(sdk, env, pieces, package, config.locked_names, api)
    for view, (sub_api, sub_config, _) in zip(subs, extras, strict=True):
        rows += api_rows(view, env, pieces, package, sub_config.locked_names, sub_api)
    rows += _runtime_rows(sdk.package, header_text(spec_sha256), features)
    context = {
        **common_context(sdk),
        "apis": subs,
        "methods": _methods(sdk),
        "api_methods": {s.module: _methods(s) for s in subs},
    }
    rows += [
        OutputFile(f"{sdk.package}/py.typed", None),
        _readme(config, context),
        OutputFile("pyproject.toml", "dist/pyproject.toml.j2", context),
    ]
    files = render_rows(rows, env, pieces)
    pieces.save()
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    files.update(format_modules(python, config.formatter))
    return dict(sorted(files.items()))


def _runtime_rows(
    package: str, header: str, features: frozenset[str]
) -> list[OutputFile]:
    """The runtime, written once for any API: its files with the sections for
    ``features`` (sections.py) the package's APIs have."""
    return [
        OutputFile(
            f"{package}/{path.name}",
            None,
            text=f"# {header}\n" + keep_sections(path.read_text("utf-8"), features),
        )
        for path in sorted((templates_dir() / "runtime").glob("*.py"))
    ]


def _methods(sdk: SdkView) -> list[MethodView]:
    return sorted(_all_methods(sdk), key=lambda m: m.python_call)


def _readme(config: Config, context: dict[str, Any]) -> OutputFile:
    """README.md: the config's template (``[package] readme``, sandboxed: it
    is input), else sdkgen's generic one."""
    if config.readme_template is None:
        return OutputFile("README.md", "dist/README_generic.md.j2", context)
    from jinja2.sandbox import SandboxedEnvironment

    try:
        source = config.readme_template.read_text("utf-8")
        sandbox = SandboxedEnvironment(
            undefined=jinja2.StrictUndefined, keep_trailing_newline=True
        )
        text = sandbox.from_string(source).render(**context)
    except (OSError, UnicodeDecodeError, jinja2.TemplateError) as exc:
        raise SpecError(
            f"[package] readme: {type(exc).__name__}: {exc}",
            str(config.readme_template),
        ) from None
    return OutputFile("README.md", None, text=text)


def _credential_headers(views: list[SdkView]) -> list[str]:
    """Every header a credential of one of the package's APIs goes in."""
    found = {v.api_key_header.lower() for v in views if v.api_key_in == "header"}
    found.update(
        a.param.lower() for v in views for a in v.auth_schemes if a.location == "header"
    )
    return sorted(found)


def _all_methods(sdk: SdkView) -> Iterable[MethodView]:
    for r in walk(sdk.resources):
        yield from r.methods

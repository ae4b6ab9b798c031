"""The ``sdkgen`` command line. Exit codes: 0 ok, 1 a check/diff found something,
2 bad input or usage (one line on stderr, no traceback), 3 a bug in sdkgen itself
(one line; ``--debug`` prints the traceback), 128+N stopped by signal N."""

from __future__ import annotations

import os
import sys

from .interrupts import exit_on_signal, flush_output

if __name__ == "__main__" or os.path.basename(sys.argv[0]) == "sdkgen":
    exit_on_signal()  # before anything slow: a signal at start-up is 128+N too

import argparse
import gc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__, notices
from .errors import SpecError
from .interrupts import Interrupted, pause_at, raising

EXIT_OK, EXIT_FOUND, EXIT_BAD_INPUT, EXIT_GENERATOR_BUG = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"sdkgen: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


_SPEC_HELP = (
    "spec file or http(s) URL (default: [package] spec of --config or of "
    "./spec/sdkgen.toml, else the bundled spec/)"
)
_CONFIG_HELP = "sdkgen.toml (default: the one beside the spec)"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sdkgen", description="Meeting BaaS OpenAPI -> typed Python SDK"
    )
    parser.add_argument("--version", action="version", version=f"sdkgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    debug = _Parser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", help="show the traceback of an sdkgen bug"
    )
    ref_options = _Parser(add_help=False)
    ref_options.add_argument(
        "--ref-root",
        action="append",
        metavar="DIR",
        help="also follow $refs to files under DIR (default: only the spec's "
        "own folder tree); may be repeated",
    )
    ref_options.add_argument(
        "--allow-absolute-refs",
        action="store_true",
        help="follow $refs to absolute paths (still only inside allowed folders)",
    )
    common = _Parser(add_help=False, parents=[debug, ref_options])
    common.add_argument(
        "--max-spec-bytes",
        type=_positive_int,
        default=None,
        metavar="N",
        help="refuse a spec larger than N bytes (default: 64 MB)",
    )

    inspect = sub.add_parser(
        "inspect", help="show what the normaliser makes of a spec", parents=[common]
    )
    inspect.add_argument("--spec", help=_SPEC_HELP)
    inspect.add_argument("--config", type=Path, help=_CONFIG_HELP)
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    inspect.add_argument(
        "--strict", action="store_true", help="exit 2 on the first warning"
    )

    generate = sub.add_parser(
        "generate", help="write the SDK package from a spec", parents=[common]
    )
    generate.add_argument("--spec", help=_SPEC_HELP)
    generate.add_argument("--config", type=Path, help=_CONFIG_HELP)
    generate.add_argument(
        "--out",
        type=Path,
        default=Path("generated"),
        help="output folder (default: generated/)",
    )
    generate.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output is out of date",
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="write into a folder without a manifest, and over owned files you "
        "edited (files sdkgen does not own are never touched)",
    )
    generate.add_argument(
        "--update-lock",
        action="store_true",
        help="record the generated type names in sdkgen.lock beside the config",
    )
    generate.add_argument(
        "--strict",
        action="store_true",
        help="exit 2 on any warning (a spec part that would be skipped, a name "
        "clash), writing nothing",
    )

    diff = sub.add_parser(
        "diff",
        help="what changes for SDK users between two API versions",
        parents=[common],
    )
    diff.add_argument("old", help="old spec: file, http(s) URL or git:REV:path")
    diff.add_argument(
        "new",
        nargs="?",
        help="new spec: file, http(s) URL or git:REV:path (default: [package] "
        "spec of --config or of ./spec/sdkgen.toml)",
    )
    diff.add_argument(
        "--format", choices=("text", "markdown", "json", "github"), default="text"
    )
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "warning", "never"),
        default="breaking",
        help="exit 1 when a change at or above this level is found (default: breaking)",
    )
    diff.add_argument(
        "--config",
        type=Path,
        help="sdkgen.toml (default: the one beside NEW; the bundled one for a "
        "Meeting BaaS spec)",
    )
    diff.add_argument("--strict", action="store_true", help="exit 2 on any warning")
    release = sub.add_parser(
        "release",
        help="move spec/ and generated/ to a new spec, bump, changelog",
        parents=[debug, ref_options],
    )
    release.add_argument(
        "--spec", required=True, help="new spec: file, URL or git:REV:path"
    )
    release.add_argument(
        "--dry-run", action="store_true", help="write nothing; print what would change"
    )
    release.add_argument(
        "--strict", action="store_true", help="fail on any release warning"
    )
    release.add_argument(
        "--date", help="date of the changelog entry, YYYY-MM-DD (default: today, UTC)"
    )
    release.add_argument(
        "--root", type=Path, default=Path("."), help="repository root (default: .)"
    )
    release.add_argument(
        "--api",
        default="",
        metavar="MODULE",
        help="release the package's [apis.MODULE] API (default: the package's own)",
    )
    init = sub.add_parser(
        "init",
        help="start a repository for another API's SDK (spec/, sdkgen.toml, "
        "workflows, README section)",
        parents=[debug],
    )
    init.add_argument("--spec", required=True, help="spec file or http(s) URL")
    init.add_argument(
        "--package", help="the SDK's package name (default: <title>_client)"
    )
    init.add_argument(
        "--dir", type=Path, default=Path("."), help="the repository (default: .)"
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _max_bytes(args: argparse.Namespace) -> int:
    from .parse.loader import MAX_SPEC_BYTES

    return int(args.max_spec_bytes or MAX_SPEC_BYTES)


def cmd_inspect(args: argparse.Namespace) -> int:
    from .describe import apis_to_json, apis_to_text

    # As generate: broken parts are warnings (exit 0); --strict makes them exit 2.
    _, config, api = _lenient_api(args.spec, args.config, args.strict, _max_bytes(args))
    if args.strict and config.unknown_keys:
        return _strict_refusal(_unknown_keys(config, refused=True))
    notices.warn(*_unknown_keys(config))
    if api is None:
        return EXIT_OK  # nothing usable; the warning says why
    apis = {"": api}
    if args.spec is None or args.configured:  # the package: each of its APIs
        apis.update((e.module, e.api) for e in _extras(args, config))
    if args.format == "json":
        sys.stdout.write(apis_to_json(apis))
    else:
        sys.stdout.write(apis_to_text(apis, config.package))
    return EXIT_OK


def _lenient_api(  # type: ignore[no-untyped-def]
    spec_arg: str | None, config_arg: Path | None, strict: bool, max_bytes: int
):
    """(loaded spec, config, IR) for ``generate`` and ``inspect``: broken parts of
    the spec skipped with warnings (``strict``: the first is the error); spec and
    IR None when nothing of it can be used (Swagger 2.0)."""
    from .parse.problems import Problems

    problems = Problems(strict=strict)
    spec = _load(spec_arg, problems, max_bytes)
    config, api = _normalised(spec, spec_arg, config_arg, problems)
    return spec, config, api


def _load(  # type: ignore[no-untyped-def]
    spec_arg: str | None, problems: Any, max_bytes: int
):
    from .config import default_spec_path
    from .parse.problems import load_lenient

    source = spec_arg or str(default_spec_path())
    return load_lenient(source, problems, max_bytes)


def _normalised(  # type: ignore[no-untyped-def]
    spec: Any, spec_arg: str | None, config_arg: Path | None, problems: Any
):
    """(config, IR) of a loaded spec; the problems found are warned about."""
    from .apiconfig import config_for_spec
    from .config import config_path_for, load_config, named_after
    from .parse.normalise import normalise

    raw = spec.raw if spec is not None else None
    config_path = config_arg or config_path_for(spec_arg, raw)
    config = config_for_spec(load_config(config_path), spec_arg)
    api = normalise(spec, config, problems) if spec is not None else None
    if api is not None and not config.named:
        # No [package] name: the package is named after the API.
        from .configcheck import shadow_warning

        config = named_after(config, api.title)
        shadowing = shadow_warning(config.package)
        if shadowing is not None:
            problems.skip("#/info/title", shadowing)
    notices.warn(*(line.replace("\n", " ") for line in problems.warnings))
    return config, api


def cmd_generate(args: argparse.Namespace) -> int:
    from . import warm

    warm_key = None
    if warm.usable(args.spec, update_lock=args.update_lock):
        warm_key = warm.key(args.spec, args.config, args.out, args.max_spec_bytes)
        hit = warm.lookup(warm_key, args.out, strict=args.strict)
        if hit is not None:  # inputs, code and output as the last run left them
            count, warnings = hit
            notices.warn(*warnings)
            if args.check:
                print(f"{args.out}: up to date ({count} files)")
            else:
                print(f"{args.out}: 0 written, {count} unchanged, 0 removed")
            return EXIT_OK
    # Hashed before they are read: an edit during this run is a miss next time.
    inputs = _config_inputs(args) if warm_key is not None else {}
    # A run makes millions of short-lived objects and few cycles: collecting
    # cycles rarely saves ~10% (more on large specs) at the same peak memory.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        code, spec, package_inputs = _generate(args)
    finally:
        gc.set_threshold(*thresholds)
    if spec is not None and warm_key is not None:
        inputs[os.path.abspath(spec.source)] = spec.sha256
        inputs.update(spec.inputs)
        inputs.update(package_inputs)
        warm.remember(warm_key, args.out, inputs, list(notices.pending()))
    return code


def _config_inputs(args: argparse.Namespace) -> dict[str, str | None]:
    """Every config and lock file a full run may read, with its hash (None:
    absent), so that adding one is noticed too."""
    from . import warm
    from .config import CONFIG_NAME, LOCK_NAME, bundled_spec_dir

    folders = [bundled_spec_dir()]
    if args.spec is not None:
        folders.append(Path(args.spec).parent)
    candidates = [f / name for f in folders for name in (CONFIG_NAME, LOCK_NAME)]
    if args.config is not None:
        candidates += [args.config, args.config.parent / LOCK_NAME]
    return {str(p.absolute()): warm.file_hash(str(p)) for p in candidates}


def _generate(
    args: argparse.Namespace,
) -> tuple[int, Any, dict[str, str | None]]:
    """The full run: its exit code, and the loaded spec (and the other files
    the package was made from, with their hashes) when it left the output up
    to date (None otherwise)."""
    from .emit.writer import write_tree

    rendered = _rendered(args)
    if isinstance(rendered, int):
        return rendered, None, {}
    spec, config, api, files, extras = rendered
    pause_at("rendered")
    if args.check:
        result = write_tree(args.out, files, check=True)
        if result.up_to_date:
            print(f"{args.out}: up to date ({result.unchanged} files)")
            return EXIT_OK, spec, _package_inputs(config, extras)
        for label, rels in (
            ("differs", result.changed),
            ("stale", result.stale),
            ("edited", result.edited),
            ("in the way", result.blocked),
        ):
            for rel in rels:
                print(f"{label}: {args.out / rel}")
        return EXIT_FOUND, None, {}
    result = write_tree(args.out, files, force=args.force)
    if args.update_lock:
        _update_locks([(config, api), *((e.config, e.api) for e in extras)], files)
    print(
        f"{args.out}: {len(result.changed)} written, {result.unchanged} unchanged, "
        f"{len(result.stale)} removed"
    )
    return EXIT_OK, spec, _package_inputs(config, extras)


def _package_inputs(config: Any, extras: list[Any]) -> dict[str, str | None]:
    """The package's files besides its spec and config (warm.py): the other
    APIs' specs and locks, the README template."""
    from . import warm
    from .multiapi import spec_inputs

    found: dict[str, str | None] = dict(spec_inputs(extras))
    paths = [config.readme_template, *(e.config.lock_path for e in extras)]
    found.update((str(p.absolute()), warm.file_hash(str(p))) for p in paths if p)
    return found


def _update_locks(apis: list[tuple[Any, Any]], files: dict[str, str]) -> None:
    """``--update-lock``: each API's names, and the modules of ``types/`` the
    SDK defines them in, into its lock file."""
    from .emit.typegroups import homes_of
    from .namelock import write_lock

    for config, api in apis:
        homes = homes_of(files, config.package, config.module)
        if config.lock_path is not None and write_lock(
            config.lock_path, dict(api.identities), homes
        ):
            print(f"{config.lock_path}: updated")


def _rendered(args: argparse.Namespace) -> Any:
    """(spec, config, IR, files, the package's other APIs), or the exit code
    of a run that ends here."""
    from .emit.render import render

    spec, config, api = _lenient_api(
        args.spec, args.config, args.strict, _max_bytes(args)
    )
    if args.strict and config.unknown_keys:
        return _strict_refusal(_unknown_keys(config, refused=True))
    notices.warn(*_unknown_keys(config))
    if spec is None:
        pause_at("loaded")
        return EXIT_OK  # nothing usable; the warning says why
    extras = _extras(args, config)
    pause_at("loaded")
    if args.strict and api.warnings:
        return _strict_refusal(list(api.warnings))
    files = render(api, config, spec.sha256, [e.render_args for e in extras])
    if args.strict and notices.pending():  # what rendering found (examples)
        return _strict_refusal(list(notices.pending()))
    return spec, config, api, files, extras


def _extras(args: argparse.Namespace, config: Any) -> list[Any]:
    """The package's other APIs (``[apis.<module>]``), loaded."""
    from .multiapi import load_apis

    strict = getattr(args, "strict", True)  # inspect: as strict as for its spec
    return load_apis(config, strict=strict, max_bytes=_max_bytes(args))


def cmd_diff(args: argparse.Namespace) -> int:
    from .config import load_config
    from .diff import diff_sources
    from .diff.output import RENDERERS, fails, to_markdown

    warned = notices.pending()
    # Without --config, each run reads the sdkgen.toml beside the new spec (or
    # the bundled one for Meeting BaaS), as ``generate`` does.
    config = load_config(args.config) if args.config else None
    if config is not None:
        from .apiconfig import config_for_spec

        notices.warn(*_unknown_keys(config))
        config = config_for_spec(config, args.new)
    report = diff_sources(args.old, args.new, config, max_bytes=_max_bytes(args))
    sys.stdout.write(RENDERERS[args.format](report))
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_path:
        _append_summary(summary_path, to_markdown(report))
    if args.strict and warned:
        return _strict_refusal(list(warned))
    return EXIT_FOUND if fails(report, args.fail_on) else EXIT_OK


def _append_summary(path: str, markdown: str) -> None:
    """Add the report to the job summary; a summary that cannot be written is a
    warning, never a reason to hide the diff's own exit code."""
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as exc:
        print(
            f"sdkgen: warning: $GITHUB_STEP_SUMMARY: cannot append the report "
            f"({exc.strerror or type(exc).__name__})",
            file=sys.stderr,
        )


def _unknown_keys(config: Any, refused: bool = False) -> list[str]:
    """The warning lines of the keys of sdkgen.toml sdkgen does not read
    (``refused``: as --strict refuses them, not ignored)."""
    from .configkeys import IGNORED

    return [
        f"{where}: {text.replace(IGNORED, '', 1) if refused else text}"
        for where, text in config.unknown_keys
    ]


def _strict_refusal(warnings: list[str]) -> int:
    """--strict: the first warning is the one error line (exit 2)."""
    more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
    print(f"sdkgen: error: {warnings[0]}{more} (--strict)", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_release(args: argparse.Namespace) -> int:
    from .release import GeneratorBug, apply, prepare, summary

    try:
        planned = prepare(
            args.root,
            args.spec,
            date=args.date,
            strict=args.strict,
            api_module=args.api,
        )
        if not args.dry_run:
            apply(planned)
    except GeneratorBug as exc:
        print(f"sdkgen: generator bug: {exc}", file=sys.stderr)
        return EXIT_GENERATOR_BUG
    sys.stdout.write(summary(planned, args.dry_run))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from .parse.loader import MAX_SPEC_BYTES
    from .scaffold import init

    sys.stdout.write(init(args.spec, args.package, args.dir, MAX_SPEC_BYTES))
    return EXIT_OK


def _configured_spec(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """No spec given: the one ``[package] spec`` names (configcheck), with its
    config; ``args.configured`` says the spec came from there."""
    from .configcheck import configured_spec

    name = "new" if args.command == "diff" else "spec"
    args.configured = False
    if args.command in ("release", "init") or getattr(args, name) is not None:
        return
    found = configured_spec(args.config)
    if found is not None:
        setattr(args, name, found[0])
        args.config, args.configured = (args.config or found[1]), True
    elif name == "new":
        parser.error("NEW is required without [package] spec in the config")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "inspect": cmd_inspect,
        "generate": cmd_generate,
        "diff": cmd_diff,
        "release": cmd_release,
        "init": cmd_init,
    }
    from .parse import refs

    ref_roots = getattr(args, "ref_root", None)
    chosen = refs.policy(ref_roots, getattr(args, "allow_absolute_refs", False))
    try:
        with raising(), refs.allowing(chosen), notices.collecting() as warnings:
            _configured_spec(args, parser)
            code = handlers[args.command](args)
            if code >= EXIT_BAD_INPUT:
                warnings.clear()  # a failure is one line on stderr
            return code
    except SpecError as exc:
        print(f"sdkgen: error: {exc}".replace("\n", " "), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Interrupted as exc:
        return 128 + exc.signum
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # anything else is sdkgen's own bug
        if args.debug:
            import traceback  # only here: its imports cost every run ~1 ms

            traceback.print_exc()
        text = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
        print(
            f"sdkgen: internal error (a bug in sdkgen, not in your input): {text}; "
            "rerun with --debug for the traceback",
            file=sys.stderr,
        )
        return EXIT_GENERATOR_BUG


def run() -> None:
    """The console script: ``main``, then an exit with no interpreter shutdown
    after the output is flushed, so no late signal is lost or ends it as -N."""
    exit_on_signal()
    code = main()
    flush_output()
    os._exit(code)


if __name__ == "__main__":
    run()

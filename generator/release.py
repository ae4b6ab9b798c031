"""``sdkgen release``: move the repository to a new spec in one step.

Reads the new spec, diffs it with the current ``spec/``, renders the SDK with the
bumped version and writes a changelog entry from the diff. Everything is computed in
memory first; only then are spec, ``sdkgen.toml``, ``generated/`` and the changelog
written, and if any write fails the files already replaced are put back, so a
release either happens completely or not at all.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import ir, releaseapis
from .changelog import CHANGELOG_NAME, counts_line, first_entry, make_entry, prepend
from .config import CONFIG_NAME, DEFAULT_SPEC_NAME, LOCK_NAME, Config
from .diff import DiffReport, diff_specs
from .errors import SpecError
from .parse.loader import LoadedSpec, load_spec
from .releaseapis import api_label, empty_spec, find_api, package_renderer

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_PACKAGE_VERSION = re.compile(r'(?ms)^(\[package\][^\[]*?^version\s*=\s*")([^"]*)(")')


@dataclass(frozen=True)
class Paths:
    """Where a release reads and writes, from the repository root; ``api``: the
    package's ``[apis.<api>]`` is released (its spec and lock, beside the
    config), else the package's own API."""

    root: Path
    api: str = ""
    spec_name: str = DEFAULT_SPEC_NAME
    lock_name: str = LOCK_NAME

    @property
    def spec(self) -> Path:
        return self.root / "spec" / self.spec_name

    @property
    def config(self) -> Path:
        return self.root / "spec" / CONFIG_NAME

    @property
    def out(self) -> Path:
        return self.root / "generated"

    @property
    def changelog(self) -> Path:
        return self.out / CHANGELOG_NAME

    @property
    def lock(self) -> Path:
        return self.root / "spec" / self.lock_name


@dataclass(frozen=True)
class Release:
    """A release worked out in memory: nothing has been written yet."""

    paths: Paths
    report: DiffReport
    old_version: str
    new_version: str
    bump: str  # the diff's suggestion (patch when only docstrings changed)
    warnings: tuple[str, ...]
    spec_bytes: bytes
    config_text: str
    files: dict[str, str]  # the rendered SDK, relative to generated/
    changed_files: tuple[str, ...]  # of generated/, new or different
    stale_files: tuple[str, ...]  # of generated/, no longer generated
    entry: str  # the new changelog entry
    changelog: str  # the whole new changelog
    lock: str  # sdkgen.lock with the released names of the new spec

    @property
    def changes_anything(self) -> bool:
        return self.new_version != self.old_version


def next_version(version: str, bump: str) -> str:
    """The version after ``bump``; below 1.0 a breaking change bumps the minor."""
    found = _VERSION.match(version)
    if not found:
        raise SpecError(
            f"version {version!r} is not MAJOR.MINOR.PATCH", "package.version"
        )
    major, minor, patch = (int(part) for part in found.groups())
    if bump == "major" and major == 0:
        bump = "minor"
    bumped = {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }
    return bumped.get(bump, version)


def set_version(config_text: str, version: str, where: Path) -> str:
    """``sdkgen.toml`` text with ``[package].version`` replaced, all else kept."""
    new, count = _PACKAGE_VERSION.subn(rf"\g<1>{version}\g<3>", config_text, count=1)
    if count != 1:
        raise SpecError("no [package] version to bump", str(where))
    return new


def warnings_for(api: ir.Api, config: Config) -> list[str]:
    """Overrides in sdkgen.toml that the new spec no longer uses."""
    found: list[str] = []
    op_ids = {op.operation_id for op in api.operations}
    for op_id in sorted(set(config.operations) - op_ids):
        found.append(f"[operations] {op_id}: no such operation in the new spec")
    names = {m.name for m in api.models} | {e.name for e in api.enums}
    for old, new in sorted(config.type_names.items()):
        if new not in names:
            found.append(f"[type_names] {old} = {new!r}: no such type in the new spec")
    return found


def prepare(
    root: Path,
    new_source: str,
    *,
    date: str | None = None,
    strict: bool = False,
    api_module: str = "",
) -> Release:
    """Work the release out in memory; raises SpecError on anything wrong.
    ``api_module``: release the package's ``[apis.<module>]`` API instead of its
    own (the first time, from no spec: every operation is an addition)."""
    from .emit.writer import plan
    from .parse.normalise import normalise

    _check_date(date)
    config_text = _read_text(Paths(root).config)
    paths, package, config, main_spec = _locate(root, api_module)
    spec_bytes, new_spec = _load_new(new_source)
    first = _is_first(paths, package.package, api_module)
    old_spec = _old_spec(paths, new_spec, first)
    report = diff_specs(old_spec, new_spec, config)

    new_version = next_version(config.sdk_version, report.bump)
    new_config = dataclasses.replace(config, sdk_version=new_version)
    api = normalise(new_spec, new_config)
    warnings = warnings_for(api, new_config)
    if strict and warnings:
        raise SpecError(f"{warnings[0]} (--strict)", str(paths.config))
    render = package_renderer(main_spec, api_module, package, new_spec)
    files = render(api, new_config)
    _check_python(files)

    docs_only = False
    unexplained: list[str] = []
    bump = report.bump
    if new_version == config.sdk_version:
        # The diff found nothing. Whether the code changed is read off the
        # generated files, never inferred from the (absent) findings: new
        # docstrings alone make a patch, other code changes at least a minor,
        # and a spec whose bytes differ only where the SDK never shows is none.
        # (Same version, so new_config is config and `files` is the new render.)
        old_render = package_renderer(main_spec, api_module, package, old_spec)
        old_files = old_render(normalise(old_spec, config), config)
        if _same_but_hash(old_files, files, old_spec.sha256, new_spec.sha256):
            return _nothing(paths, report, config, config_text, files)
        unexplained = _unexplained(old_files, files, old_spec, new_spec, strict)
        docs_only = not unexplained
        bump = "minor" if unexplained else "patch"
        new_version = next_version(config.sdk_version, bump)
        new_config = dataclasses.replace(config, sdk_version=new_version)
        files = render(api, new_config)
        _check_python(files)

    result = plan(files, paths.out)
    entry = make_entry(
        new_version,
        date or _today(),
        report,
        docs_only,
        unexplained,
        api_label(api_module, first, package.package),
    )
    old_changelog = _read_optional(paths.changelog)
    start = _changelog_start(old_changelog, old_spec, config)
    return Release(
        paths=paths,
        report=report,
        old_version=config.sdk_version,
        new_version=new_version,
        bump=bump,
        warnings=tuple(warnings),
        spec_bytes=spec_bytes,
        config_text=set_version(config_text, new_version, paths.config),
        files=files,
        changed_files=tuple(result.changed),
        stale_files=tuple(result.stale),
        entry=entry,
        changelog=prepend(old_changelog, entry, start),
        lock=releaseapis.lock_for(api, files, package.package, api_module),
    )


def _check_date(date: str | None) -> None:
    if date is not None and not _is_date(date):
        raise SpecError(f"expected a date YYYY-MM-DD, got {date!r}", "--date")


def _locate(root: Path, api_module: str) -> tuple[Paths, Config, Config, Path]:
    """The release's paths, the package's config, the released API's config
    (the package's own unless ``api_module``) and the package's main spec."""
    paths = Paths(root)
    package = config = releaseapis.release_config(paths.config, paths.spec)
    if package.spec_path is not None:  # [package] spec, else DEFAULT_SPEC_NAME
        spec_name = os.path.relpath(package.spec_path, paths.config.parent)
        paths = Paths(root, spec_name=spec_name)
    main_spec = paths.spec
    if api_module:
        spec_name, lock_name = find_api(package, api_module, paths.config)
        paths = Paths(root, api_module, spec_name, lock_name)
        config = next(s.config for s in package.apis if s.module == api_module)
    return paths, package, config, main_spec


def _is_first(paths: Paths, package: str, api_module: str) -> bool:
    """An API the SDK does not hold yet: its spec may already be in spec/."""
    return (
        api_module != ""
        and not (paths.out / package / api_module / "__init__.py").is_file()
    )


def _old_spec(paths: Paths, new_spec: LoadedSpec, first: bool) -> LoadedSpec:
    """The spec released from: none (an empty one) for an API's first release."""
    if not first and not paths.spec.is_file():
        raise SpecError("no current spec to release from", str(paths.spec))
    return empty_spec(new_spec) if first else load_spec(str(paths.spec))


def _unexplained(
    old_files: Mapping[str, str],
    files: Mapping[str, str],
    old_spec: LoadedSpec,
    new_spec: LoadedSpec,
    strict: bool,
) -> list[str]:
    """Files whose code changed though the diff found nothing (refused with
    ``strict``: nothing in the API explains them)."""
    unexplained = code_changes(old_files, files, old_spec.sha256, new_spec.sha256)
    if unexplained and strict:
        raise SpecError(
            f"the generated code changes ({', '.join(unexplained[:3])}) with no "
            "API finding to explain it (--strict)",
            new_spec.source,
        )
    return unexplained


def _changelog_start(
    old_changelog: str | None, old_spec: LoadedSpec, config: Config
) -> str:
    """The first entry, describing the old spec, of a changelog not started."""
    from .parse.normalise import normalise

    if old_changelog is not None:
        return ""
    return first_entry(config.sdk_version, normalise(old_spec, config), old_spec)


def _same_but_hash(
    old: Mapping[str, str], new: Mapping[str, str], old_sha: str, new_sha: str
) -> bool:
    """Equal files once the spec hash in their headers is set aside."""
    if old.keys() != new.keys():
        return False
    return all(new[k].replace(new_sha, old_sha) == old[k] for k in old)


def code_changes(
    old: Mapping[str, str], new: Mapping[str, str], old_sha: str, new_sha: str
) -> list[str]:
    """Generated files whose code differs, docstrings and comments set aside.

    Python files are compared as syntax trees without docstrings; other files
    (pyproject.toml) as text, except the README, which is documentation."""
    changed: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before is None or after is None:
            changed.append(name)
        elif name.endswith(".py"):
            if _code_of(before) != _code_of(after.replace(new_sha, old_sha)):
                changed.append(name)
        elif not name.endswith(".md") and after.replace(new_sha, old_sha) != before:
            changed.append(name)
    return changed


def _code_of(source: str) -> str:
    """A module's syntax tree without docstrings (bare string statements, which
    include the attribute docstrings under model fields)."""
    tree = _NoDocstrings().visit(ast.parse(source))
    return ast.dump(tree)


class _NoDocstrings(ast.NodeTransformer):
    def visit_Expr(self, node: ast.Expr) -> ast.AST | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None  # an emptied body only matters to compile, not to compare
        return node


def _nothing(
    paths: Paths,
    report: DiffReport,
    config: Config,
    config_text: str,
    files: dict[str, str],
) -> Release:
    return Release(
        paths=paths,
        report=report,
        old_version=config.sdk_version,
        new_version=config.sdk_version,
        bump="none",
        warnings=(),
        spec_bytes=b"",
        config_text=config_text,
        files=files,
        changed_files=(),
        stale_files=(),
        entry="",
        changelog="",
        lock="",
    )


def _load_new(source: str) -> tuple[bytes, LoadedSpec]:
    """The new spec's bytes (the SDK's headers carry their sha256) and the spec."""
    from .diff.sources import read_source_document
    from .parse.loader import typed_spec

    data, doc = read_source_document(source)
    return data, typed_spec(source, data, doc)


class GeneratorBug(Exception):
    """The generator made something unusable from a valid spec."""


def _check_python(files: Mapping[str, str]) -> None:
    """Every rendered module compiles; a release never ships invalid Python."""
    for rel, text in sorted(files.items()):
        if rel.endswith(".py"):
            try:
                compile(text, rel, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise GeneratorBug(
                    f"{rel}:{exc.lineno}: invalid Python rendered"
                ) from exc


def _is_date(text: str) -> bool:
    try:
        return bool(_DATE.match(text)) and bool(datetime.date.fromisoformat(text))
    except ValueError:
        return False


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _read_text(path: Path) -> str:
    """A file the release rewrites, read only when it is a regular file: its
    text is published (the changelog in a pull request), so never through a
    symlink to something else."""
    from .emit.writer import read_regular

    if os.path.islink(path):
        raise SpecError("a symlink: release reads only regular files", str(path))
    try:
        return read_regular(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not a regular UTF-8 file (a symlink?)"
        raise SpecError(f"cannot read: {why}", str(path)) from None


def _read_optional(path: Path) -> str | None:
    return _read_text(path) if os.path.lexists(path) else None


def write_sdk(files: Mapping[str, str], out: Path) -> None:
    """The one place a release writes generated/ (the writer may be swapped)."""
    from .emit.writer import write

    write(files, out)


def apply(release: Release) -> None:
    """Write the release; on any failure put back every file as it was."""
    from .emit.writer import plan

    if not release.changes_anything:
        return
    paths = release.paths
    touched = [paths.spec, paths.config, paths.changelog, paths.lock]
    touched += [paths.out / rel for rel in release.changed_files + release.stale_files]
    snapshot = {path: _read_existing(path) for path in touched}
    try:
        write_sdk(release.files, paths.out)
        if not plan(release.files, paths.out).up_to_date:
            raise SpecError(
                "the SDK on disk differs from the one rendered", str(paths.out)
            )
        _replace(paths.changelog, release.changelog.encode("utf-8"))
        _replace(paths.config, release.config_text.encode("utf-8"))
        _replace(paths.lock, release.lock.encode("utf-8"))
        _replace(paths.spec, release.spec_bytes)
    except BaseException:
        _restore(snapshot)
        raise


def _read_existing(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` by rename from a temporary file beside it. A leftover
    temporary file is removed only when it is a regular file of this user;
    anything else there (a planted symlink) is refused, never written through."""
    tmp = path.with_name(path.name + ".sdkgen-release")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        _remove_leftover(tmp)
        fd = os.open(tmp, flags, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if _own_regular(tmp):
                tmp.unlink()
        raise SpecError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def _own_regular(path: Path) -> bool:
    info = os.lstat(path)
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


def _remove_leftover(tmp: Path) -> None:
    try:
        own = _own_regular(tmp)
    except FileNotFoundError:
        return
    if not own:
        raise SpecError(
            "in the way, and not a file sdkgen left (a symlink?): move it away",
            str(tmp),
        )
    tmp.unlink()


def _restore(snapshot: Mapping[Path, bytes | None]) -> None:
    for path, data in snapshot.items():
        try:
            if data is None:
                path.unlink(missing_ok=True)
            elif not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        except OSError:
            continue  # best effort: put back as much as possible


def summary(release: Release, dry_run: bool) -> str:
    """What the release did (or, with --dry-run, would do)."""
    verb = "would" if dry_run else "did"
    if not release.changes_anything:
        return "nothing to release: the new spec changes neither the API nor the SDK\n"
    r = release
    lines = [
        f"release {r.old_version} -> {r.new_version} (diff suggests {r.report.bump}; "
        f"{counts_line(r.report)})",
        *(f"warning: {w}" for w in r.warnings),
        f"{verb} write {r.paths.spec.relative_to(r.paths.root)}",
        f"{verb} set {r.paths.config.relative_to(r.paths.root)} "
        f"[package].version = {r.new_version!r}",
        f"{verb} write {len(r.changed_files)} and remove {len(r.stale_files)} files "
        f"in {r.paths.out.relative_to(r.paths.root)}/",
        *(f"  {rel}" for rel in r.changed_files),
        *(f"  removed: {rel}" for rel in r.stale_files),
        f"{verb} prepend to {r.paths.changelog.relative_to(r.paths.root)}:",
        "",
        r.entry,
    ]
    return "\n".join(lines)

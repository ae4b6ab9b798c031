"""``sdkgen release``: version bumps, changelog entries, all-or-nothing writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import release
from generator.changelog import UNRELEASED
from generator.config import load_config
from generator.diff import DiffReport, diff_sources

from .conftest import GENERATED, ROOT, SHARED_REASON, shared_specs

CACHES = shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache")
SPEC = Path("spec/meeting-baas-v2.yaml")
TOML = Path("spec/sdkgen.toml")
LOCK = Path("spec/sdkgen.lock")
CHANGELOG = Path("generated/CHANGELOG.md")


def sdkgen(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file a release may touch, by path."""
    files = [repo / SPEC, repo / TOML, repo / LOCK]
    files += [p for p in (repo / "generated").rglob("*") if p.is_file()]
    rels = [p.relative_to(repo) for p in files]
    return {
        rel.as_posix(): (repo / rel).read_bytes()
        for rel in rels
        # Tool caches (__pycache__, .mypy_cache, ...) are not the release's.
        if not any(part.startswith((".", "__pycache__")) for part in rel.parts)
    }


def version(repo: Path) -> str:
    return load_config(repo / TOML).sdk_version


def expected_version(current: str, bump: str) -> str:
    major, minor, patch = (int(x) for x in current.split("."))
    if bump == "major":
        return f"{major}.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return current


# Where spec/sdkgen.toml's tables of the package's other (v1) API start.
V1_TABLES = "\n[apis.v1]\n"


def copy_repo(tmp_path: Path, spec_bytes: bytes | None = None) -> Path:
    """spec/ and generated/ of this checkout (what a release reads and writes)."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "spec", repo / "spec", ignore=CACHES)
    shutil.copytree(GENERATED, repo / "generated", ignore=CACHES)
    if spec_bytes is not None:  # the v2 API alone, as before v1 was released
        (repo / SPEC).write_bytes(spec_bytes)
        text = (repo / TOML).read_text("utf-8").split(V1_TABLES)[0]
        (repo / TOML).write_text(release.set_version(text, "0.1.0", TOML), "utf-8")
        (repo / CHANGELOG).unlink(missing_ok=True)
        done = sdkgen(
            repo,
            "generate",
            "--spec",
            str(SPEC),
            "--config",
            str(TOML),
            "--update-lock",
        )
        assert done.returncode == 0, done.stderr
    return repo


def newest_entry(changelog: str) -> str:
    return changelog.split("\n## ")[1]


def assert_entry_lists(entry: str, report: DiffReport) -> None:
    for change in report.changes:
        if change.rule.area == "error":
            # Error responses share one line: each call with its status.
            call = re.search(r"`client\.[\w.]+\(\)`", change.sdk)
            status = re.search(r"error (\w+)", change.message)
            assert call and status, change
            assert f"{call.group(0)} {status.group(1)}" in entry, change
        else:
            assert f"- {change.sdk}\n" in entry, change.sdk


@pytest.mark.slow  # five releases, each regenerating the SDK
def test_release_walks_the_published_history(tmp_path: Path) -> None:
    specs = shared_specs()
    if len(specs) < 2:
        pytest.skip(SHARED_REASON)
    repo = copy_repo(tmp_path, specs[0].read_bytes())
    config = load_config(repo / TOML)
    releases = 0
    for new in specs[1:]:
        old_copy = tmp_path / "old.yaml"
        old_copy.write_bytes((repo / SPEC).read_bytes())
        report = diff_sources(str(old_copy), str(new), config)
        before = version(repo)
        date = new.name[:10]
        done = sdkgen(repo, "release", "--spec", str(new), "--date", date)
        assert done.returncode == 0, done.stderr
        after = version(repo)
        assert after == expected_version(before, report.bump)
        assert (repo / SPEC).read_bytes() == new.read_bytes()
        if after == before:
            continue
        releases += 1
        entry = newest_entry((repo / CHANGELOG).read_text("utf-8"))
        assert entry.startswith(f"{after} ({date})")
        assert f"suggested bump: {report.bump}." in entry
        assert_entry_lists(entry, report)
        check = sdkgen(repo, "generate", "--check", "--spec", str(SPEC),
                       "--config", str(TOML))  # fmt: skip
        assert check.returncode == 0, check.stdout
        released_lock = (repo / LOCK).read_bytes()
        relock = sdkgen(repo, "generate", "--spec", str(SPEC), "--config", str(TOML),
                        "--update-lock")  # fmt: skip
        assert relock.returncode == 0, relock.stderr
        assert (repo / LOCK).read_bytes() == released_lock  # the release's names
        assert f'version = "{after}"' in (repo / "generated/pyproject.toml").read_text()
    assert releases == len(specs) - 1
    changelog = (repo / CHANGELOG).read_text("utf-8")
    assert changelog.count("\n## ") == releases + 1  # and the first release
    assert "\n## 0.1.0\n\nFirst release" in changelog

    # A new spec with a broken $ref changes nothing at all.
    broken = json.loads(specs[-1].read_text("utf-8"))
    broken["paths"]["/v2/bots"]["post"]["responses"]["400"]["content"][
        "application/json"
    ]["schema"] = {"$ref": "#/components/schemas/NoSuchSchema"}
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken), "utf-8")
    untouched = snapshot(repo)
    failed = sdkgen(repo, "release", "--spec", str(bad))
    assert failed.returncode == 2
    assert "NoSuchSchema" in failed.stderr and len(failed.stderr.splitlines()) == 1
    assert "Traceback" not in failed.stderr
    assert snapshot(repo) == untouched


def test_next_version_follows_the_suggestion() -> None:
    assert release.next_version("0.3.1", "major") == "0.4.0"
    assert release.next_version("1.3.1", "major") == "2.0.0"
    assert release.next_version("0.3.1", "minor") == "0.4.0"
    assert release.next_version("0.3.1", "patch") == "0.3.2"
    assert release.next_version("0.3.1", "none") == "0.3.1"


def test_set_version_touches_only_the_package_version() -> None:
    text = '[package]\nname = "x"\nversion = "0.1.0"\n\n[other]\nversion = "9"\n'
    new = release.set_version(text, "0.2.0", TOML)
    assert new == text.replace('"0.1.0"', '"0.2.0"')


@pytest.fixture
def older_repo(tmp_path: Path) -> Path:
    """This checkout with spec/ one published version behind the bundled one."""
    specs = shared_specs()
    if len(specs) < 2:
        pytest.skip(SHARED_REASON)
    return copy_repo(tmp_path, specs[-2].read_bytes())


def test_dry_run_prints_the_entry_and_writes_nothing(older_repo: Path) -> None:
    untouched = snapshot(older_repo)
    done = sdkgen(older_repo, "release", "--spec", str(ROOT / SPEC), "--dry-run",
                  "--date", "2026-05-11")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "release 0.1.0 -> 0.2.0" in done.stdout
    assert "would prepend to generated/CHANGELOG.md" in done.stdout
    assert "new method `client.bots.pause_recording()`" in done.stdout
    assert snapshot(older_repo) == untouched


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_a_failed_write_puts_everything_back(
    older_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    untouched = snapshot(older_repo)
    planned = release.prepare(older_repo, str(ROOT / SPEC), date="2026-05-11")
    assert planned.changed_files

    def half_written(files: dict[str, str], out: Path) -> None:
        (out / planned.changed_files[0]).write_text("partial", "utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(release, "write_sdk", half_written)
    with pytest.raises(OSError):
        release.apply(planned)
    assert snapshot(older_repo) == untouched


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_a_failed_metadata_write_puts_the_sdk_back(
    older_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    untouched = snapshot(older_repo)
    planned = release.prepare(older_repo, str(ROOT / SPEC), date="2026-05-11")
    real = release._replace

    def fail_on_spec(path: Path, data: bytes) -> None:
        if path.name.endswith(".yaml"):
            raise OSError("read-only")
        real(path, data)

    monkeypatch.setattr(release, "_replace", fail_on_spec)
    with pytest.raises(OSError):
        release.apply(planned)
    assert snapshot(older_repo) == untouched


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_strict_refuses_an_override_the_new_spec_does_not_use(
    older_repo: Path,
) -> None:
    toml = older_repo / TOML
    text = toml.read_text("utf-8")  # into the package's own [operations]
    text = text.replace(
        "\n[operations]\n", '\n[operations]\nnoSuchOp = "bots.nothing"\n'
    )
    toml.write_text(text, "utf-8")
    untouched = snapshot(older_repo)
    done = sdkgen(older_repo, "release", "--spec", str(ROOT / SPEC), "--strict")
    assert done.returncode == 2
    assert "noSuchOp" in done.stderr and "--strict" in done.stderr
    assert snapshot(older_repo) == untouched
    # Without --strict it is a warning in the summary.
    done = sdkgen(older_repo, "release", "--spec", str(ROOT / SPEC), "--dry-run")
    assert done.returncode == 0 and "warning: [operations] noSuchOp" in done.stdout


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_releasing_the_current_spec_changes_nothing(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    untouched = snapshot(repo)
    done = sdkgen(repo, "release", "--spec", str(SPEC))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("nothing to release")
    assert snapshot(repo) == untouched


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_bad_date_is_bad_input(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    done = sdkgen(repo, "release", "--spec", str(SPEC), "--date", "May 11")
    assert done.returncode == 2
    assert done.stderr.startswith("sdkgen: error: --date:")


def released_part(changelog: str) -> str:
    """The changelog without its hand-written ``## Unreleased`` notes."""
    head, _, rest = changelog.partition(f"\n{UNRELEASED}\n")
    return head + ("\n## " + rest.split("\n## ", 1)[1] if rest else "")


def test_committed_changelog_matches_the_committed_sdk() -> None:
    text = released_part((GENERATED / "CHANGELOG.md").read_text("utf-8"))
    newest = text.split("\n## ")[1].split(" ")[0]
    assert newest == load_config().sdk_version
    assert [line.split()[1] for line in text.splitlines() if line.startswith("## ")] \
        == ["0.6.0", "0.5.0", "0.4.0", "0.3.0", "0.2.0", "0.1.0"]  # fmt: skip


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_the_sdk_wheel_carries_the_changelog(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="the SDK builds with hatchling")
    build = tmp_path / "sdk"
    shutil.copytree(GENERATED, build, ignore=CACHES)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "--no-build-isolation", str(build), "-w", str(wheels)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("meetingbaas-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.endswith("/CHANGELOG.md")]
        assert len(names) == 1
        shipped = archive.read(names[0])
    assert shipped == (GENERATED / "CHANGELOG.md").read_bytes()


def _sdkgen_commands(workflow: Path) -> list[list[str]]:
    import shlex

    import yaml

    doc = yaml.safe_load(workflow.read_text("utf-8"))
    found: list[list[str]] = []
    for job in doc["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                line = line.split("|")[0].split(">")[0].strip()
                if line.startswith("sdkgen "):
                    # $FAIL_ON is 'breaking' or 'never' (see the step's env).
                    words = shlex.split(line.replace("$FAIL_ON", "breaking"))
                    found.append(words[1:])
    return found


def test_the_example_workflows_call_sdkgen_as_it_parses() -> None:
    from generator.cli import build_parser

    workflows = ROOT / ".github" / "workflows"
    commands = _sdkgen_commands(workflows / "api-release.yml")
    commands += _sdkgen_commands(workflows / "api-diff.yml")
    assert any(c[0] == "release" for c in commands)
    for command in commands:
        build_parser().parse_args(command)  # exits 2 on an unknown flag
    # The PR check honours the label that accepts breaking changes.
    assert "accept-breaking-api" in (workflows / "api-diff.yml").read_text("utf-8")
    assert "labeled" in (workflows / "api-diff.yml").read_text("utf-8")


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_new_docstrings_alone_make_a_patch_release(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    text = (ROOT / SPEC).read_text("utf-8")
    old_doc = "summary: Send a bot to a meeting now"
    assert text.count(old_doc) == 1
    new = tmp_path / "new.yaml"
    new.write_text(text.replace(old_doc, "summary: Send a bot into a meeting"), "utf-8")
    before = version(repo)
    done = sdkgen(repo, "release", "--spec", str(new), "--date", "2026-06-01")
    assert done.returncode == 0, done.stderr
    assert version(repo) == expected_version(before, "patch")
    entry = newest_entry((repo / CHANGELOG).read_text("utf-8"))
    assert "### Fixed\n\n- Docstrings updated from the new spec" in entry
    assert "Send a bot into a meeting" in (
        repo / "generated/meetingbaas/resources/bots.py"
    ).read_text("utf-8")


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_a_spec_rewritten_without_meaning_changes_is_no_release(
    tmp_path: Path,
) -> None:
    import yaml

    repo = copy_repo(tmp_path)
    same = tmp_path / "same.json"
    doc = yaml.safe_load((ROOT / SPEC).read_text("utf-8"))
    same.write_text(json.dumps(doc, indent=1), "utf-8")  # other bytes, same API
    untouched = snapshot(repo)
    done = sdkgen(repo, "release", "--spec", str(same))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("nothing to release")
    assert snapshot(repo) == untouched


def test_invalid_python_from_the_generator_is_exit_3_and_no_release(
    older_repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from generator import cli
    from generator.emit import render

    monkeypatch.setattr(render, "render", lambda *a: {"meetingbaas/x.py": "def (:"})
    untouched = snapshot(older_repo)
    code = cli.main(["release", "--root", str(older_repo), "--spec", str(ROOT / SPEC)])
    assert code == 3
    err = capsys.readouterr().err
    assert err.startswith("sdkgen: generator bug: meetingbaas/x.py:1")
    assert len(err.splitlines()) == 1
    assert snapshot(older_repo) == untouched


# The commit whose spec/ was release 0.4.0 (our own description of the 2026-05-11
# spec), and the day spec/ moved to the live API (release 0.5.0).
LIVE_RELEASE = ("6774a9f", "2026-12-04")


@pytest.mark.slow  # replays every release
def test_committed_changelog_is_what_releasing_the_history_makes(
    tmp_path: Path,
) -> None:
    """0.1.0 is our own 2025-12-03 spec (git history); then each later published
    version, then our own description of the newest one (git history), and last
    the live API (spec/ now), released on LIVE_RELEASE's date."""
    path = "spec/meeting-baas-v2.yaml"
    first, own_newest = (
        subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, check=False
        )
        for rev in ("96ca0ff", LIVE_RELEASE[0])
    )
    if first.returncode != 0 or own_newest.returncode != 0:
        pytest.skip("git history with 96ca0ff and the 0.4.0 spec is not available here")
    later = [p for p in shared_specs() if p.name[:10] > "2025-12-03"]
    if not later:
        pytest.skip(SHARED_REASON)
    repo = copy_repo(tmp_path, first.stdout)
    own = tmp_path / "own" / "meeting-baas-v2.yaml"  # the name the entry quotes
    own.parent.mkdir()
    own.write_bytes(own_newest.stdout)
    steps = [(str(p), p.name[:10]) for p in later[:-1]]
    steps.append((str(own), later[-1].name[:10]))
    steps.append((str(ROOT / SPEC), LIVE_RELEASE[1]))
    for spec, date in steps:
        done = sdkgen(repo, "release", "--spec", spec, "--date", date)
        assert done.returncode == 0, done.stderr
    # Then the v1 API joins the package: its tables, its own (first) release.
    toml = (ROOT / TOML).read_text("utf-8")
    with (repo / TOML).open("a", encoding="utf-8") as config:
        config.write(V1_TABLES + toml.split(V1_TABLES)[1])
    v1 = str(ROOT / "spec" / "meeting-baas-v1.yaml")
    done = sdkgen(repo, "release", "--api", "v1", "--spec", v1, "--date", "2026-12-04")
    assert done.returncode == 0, done.stderr
    committed = (GENERATED / "CHANGELOG.md").read_text("utf-8")
    assert (repo / CHANGELOG).read_text("utf-8") == released_part(committed)
    assert version(repo) == load_config().sdk_version
    (repo / CHANGELOG).write_text(committed, "utf-8")  # and the notes by hand
    assert snapshot(repo) == snapshot(ROOT)


@pytest.mark.slow  # a release
def test_unreleased_notes_join_the_release_entry(older_repo: Path) -> None:
    changelog = older_repo / CHANGELOG
    rest = "0.1.0 (2026-01-01)\n\nThe release before.\n"
    notes = f"{UNRELEASED}\n\n### Changed\n\n- the types moved (by hand)\n\n"
    changelog.write_text(f"# Changelog\n\n{notes}## {rest}", "utf-8")
    done = sdkgen(older_repo, "release", "--spec", str(ROOT / SPEC),
                  "--date", "2026-05-11")  # fmt: skip
    assert done.returncode == 0, done.stderr
    after = changelog.read_text("utf-8")
    assert UNRELEASED not in after
    entry = newest_entry(after)
    assert entry.startswith("0.2.0 (2026-05-11)")
    changed = entry.split("### Changed\n\n")[1].split("\n\n")[0].splitlines()
    assert changed[-1] == "- the types moved (by hand)"
    assert after.endswith("## " + rest)  # the releases before, as they were


@pytest.mark.slow  # a git repository and a release
def test_release_reads_a_spec_from_git(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "release", "--root", str(repo),
         "--spec", "git:HEAD:spec/meeting-baas-v2.yaml"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if "cannot read the spec from git" in done.stderr:
        pytest.skip("this checkout has no git history")
    assert done.returncode == 0, done.stderr
    head = subprocess.run(
        ["git", "show", "HEAD:spec/meeting-baas-v2.yaml"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert (repo / SPEC).read_bytes() == head
    untouched = snapshot(repo)
    bad = subprocess.run(
        [sys.executable, "-m", "generator.cli", "release", "--root", str(repo),
         "--spec", "git:no-such-rev:spec/meeting-baas-v2.yaml"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("sdkgen: error: git:")
    assert snapshot(repo) == untouched


@pytest.mark.slow  # copies spec/ and generated/ and regenerates
def test_a_writer_that_writes_nothing_fails_the_release(
    older_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.errors import SpecError

    untouched = snapshot(older_repo)
    planned = release.prepare(older_repo, str(ROOT / SPEC), date="2026-05-11")
    monkeypatch.setattr(release, "write_sdk", lambda files, out: None)
    with pytest.raises(SpecError, match="differs from the one rendered"):
        release.apply(planned)
    assert snapshot(older_repo) == untouched

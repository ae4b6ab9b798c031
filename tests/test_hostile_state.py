"""Planted state files (issue 21): a ``.sdkgen-journal.json`` or ``.sdkgen-stage``
left in ``--out`` by someone else, and a ``spec/*.sdkgen-release`` symlink, are
trusted only when every path in them is a regular, owned file inside the
folder. Everything is planted by the test in its own temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator import release

from .conftest import ROOT, SHARED_REASON, SHARED_SPECS, as_a_terminal_starts
from .hostile import sdkgen, snapshot, spec_with, write_json

JOURNAL, STAGE = ".sdkgen-journal.json", ".sdkgen-stage"


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, Path]:
    """(spec, out): an SDK generated into ``out``, with a file of the user's
    beside it and an outside folder with a file of its own."""
    spec = write_json(tmp_path / "spec.json", spec_with({"type": "object"}))
    out = tmp_path / "out"
    assert sdkgen("generate", "--spec", spec, "--out", out).code == 0
    (out / "notes.txt").write_text("the user's\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside\n")
    return spec, out


def _plant_journal(out: Path, write: list[str], delete: list[str]) -> None:
    (out / JOURNAL).write_text(json.dumps({"write": write, "delete": delete}))


def _refused(spec: Path, out: Path, tmp_path: Path) -> None:
    """The next run refuses, naming the journal, and touches nothing."""
    before = snapshot(tmp_path)
    error = sdkgen("generate", "--spec", spec, "--out", out).one_line_error()
    assert JOURNAL in error and "not trusted" in error
    assert snapshot(tmp_path) == before


def test_a_journal_deleting_a_file_sdkgen_does_not_own_is_refused(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = generated
    _plant_journal(out, [], ["notes.txt"])
    _refused(spec, out, tmp_path)


def test_a_journal_overwriting_a_file_sdkgen_does_not_own_is_refused(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = generated
    (out / STAGE).mkdir()
    (out / STAGE / "notes.txt").write_text("planted\n")
    _plant_journal(out, ["notes.txt"], [])
    _refused(spec, out, tmp_path)


def test_a_symlinked_stage_never_moves_outside_files_in(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = generated
    (out / STAGE).symlink_to(tmp_path / "outside")
    _plant_journal(out, ["secret.txt"], [])
    _refused(spec, out, tmp_path)
    assert (tmp_path / "outside" / "secret.txt").read_text() == "outside\n"


def test_a_symlink_inside_the_stage_is_not_followed(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = generated
    (out / STAGE).mkdir()
    (out / STAGE / "sub").symlink_to(tmp_path / "outside")
    _plant_journal(out, ["sub/secret.txt"], [])
    _refused(spec, out, tmp_path)


def test_a_delete_through_a_symlinked_folder_is_refused(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = generated
    (out / "link").symlink_to(tmp_path / "outside")
    _plant_journal(out, [], ["link/secret.txt"])
    _refused(spec, out, tmp_path)
    assert (tmp_path / "outside" / "secret.txt").exists()


def test_a_journal_naming_only_owned_files_is_completed(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    """What an interrupted run leaves is still completed: trust is not refusal."""
    spec, out = generated
    owned = "probe_client/_version.py"
    (out / STAGE / "probe_client").mkdir(parents=True)
    (out / STAGE / owned).write_text("__version__ = '9'\n")
    _plant_journal(out, [owned], [])
    edited = sdkgen("generate", "--spec", spec, "--out", out)  # moved in, then seen
    assert "probe_client/_version.py) edited" in edited.one_line_error()
    assert (out / owned).read_text() == "__version__ = '9'\n"
    done = sdkgen("generate", "--spec", spec, "--out", out, "--force")
    assert done.code == 0, done.err
    assert not (out / JOURNAL).exists() and not (out / STAGE).exists()
    assert (out / "notes.txt").read_text() == "the user's\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if not SHARED_SPECS.is_dir():
        pytest.skip(SHARED_REASON)
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "spec", root / "spec")
    shutil.copytree(ROOT / "generated", root / "generated")
    return root


def _older_spec() -> Path:
    return sorted(SHARED_SPECS.glob("*.json"))[0]


@pytest.mark.slow
def test_a_planted_release_temp_symlink_is_refused_and_all_put_back(
    repo: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (repo / "spec" / "sdkgen.toml.sdkgen-release").symlink_to(victim)
    before = snapshot(repo)
    done = sdkgen(
        "release", "--root", repo, "--spec", _older_spec(), "--date", "2026-01-02"
    )
    assert "sdkgen.toml.sdkgen-release" in done.one_line_error()
    assert victim.read_text() == "precious\n"
    assert snapshot(repo) == before


@pytest.mark.slow
def test_a_read_only_spec_folder_is_one_line_and_all_put_back(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores permissions, so the refusal is the file system's, as
    ``os.replace`` into a read-only folder gives it."""
    real = os.replace

    def read_only(src: Any, dst: Any) -> None:
        if Path(dst).parent == repo / "spec":
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(release.os, "replace", read_only)
    before = snapshot(repo)
    done = sdkgen(
        "release", "--root", repo, "--spec", _older_spec(), "--date", "2026-01-02"
    )
    assert "Permission denied" in done.one_line_error()
    assert snapshot(repo) == before


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "0000-00-00", "2026-1-2"])
def test_release_refuses_a_date_that_is_not_one(tmp_path: Path, date: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "spec", root / "spec")
    spec = root / "spec" / "meeting-baas-v2.yaml"
    done = sdkgen("release", "--root", root, "--spec", spec, "--date", date)
    assert "--date" in done.one_line_error()


def _cli(*args: str, ignoring: tuple[int, ...] = ()) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        preexec_fn=as_a_terminal_starts(ignoring),
    )


def _caught_signals(pid: int) -> int | None:
    """The signals a process has handlers for (Linux), None where unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    caught = [line for line in status.splitlines() if line.startswith("SigCgt:")]
    return int(caught[0].split()[1], 16) if caught else None


def _wait_for_handlers(process: subprocess.Popen[str], latest: float) -> None:
    """Until sdkgen's own code has set its SIGTERM handler (the interpreter
    never does): before that, only the interpreter decides what a signal does.
    Where /proc cannot tell, the caller's start-up allowance has to do."""
    bit = 1 << (signal.SIGTERM - 1)
    while time.monotonic() < latest and process.poll() is None:
        caught = _caught_signals(process.pid)
        if caught is None or caught & bit:
            return
        time.sleep(0.001)


ARGS = ("inspect", "--spec", "spec/meeting-baas-v2.yaml")


@pytest.mark.slow
def test_a_signal_at_any_moment_of_a_run_exits_130_or_143() -> None:
    """From sdkgen's first line to its exit: 128+N, never -N, never a
    traceback, never swallowed (a run the signal reached is not exit 0 unless
    it had already finished). Each delay counts from the moment sdkgen set its
    handlers (on Linux; elsewhere from past the interpreter's start-up)."""
    bare = max(_timed([sys.executable, "-c", "pass"]) for _ in range(3))
    whole = min(
        _timed([sys.executable, "-m", "generator.cli", *ARGS]) for _ in range(2)
    )
    delays = [whole * 1.2 * i / 11 for i in range(12)]
    for i, delay in enumerate(delays):
        signum = (signal.SIGINT, signal.SIGTERM)[i % 2]
        began = time.monotonic()
        process = _cli(*ARGS)
        _wait_for_handlers(process, began + bare + 0.15)
        ready = time.monotonic() - began
        time.sleep(max(0.0, delay - ready))
        sent = process.poll() is None
        process.send_signal(signum)
        _, err = process.communicate(timeout=120)
        assert "Traceback" not in err, err
        # Well before the run's end it must stop; near it, it may have ended.
        stops = (
            (128 + signum,) if max(delay, ready) < whole * 0.8 else (0, 128 + signum)
        )
        assert process.returncode in (stops if sent else (0,)), (
            delay, ready, process.returncode, err,
        )  # fmt: skip


@pytest.mark.slow
def test_a_signal_ignored_from_the_start_stays_ignored() -> None:
    """A background job of a shell without job control starts with SIGINT
    ignored, so a Ctrl-C meant for the foreground leaves it running: sdkgen
    keeps it so. SIGTERM, not ignored, still stops it with 143."""
    process = _cli(*ARGS, ignoring=(signal.SIGINT,))
    _wait_for_handlers(process, time.monotonic() + 30)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, "")
    process = _cli(*ARGS, ignoring=(signal.SIGINT,))
    _wait_for_handlers(process, time.monotonic() + 30)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, "Traceback" in err) == (128 + signal.SIGTERM, False)


def _timed(command: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(
        command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, check=True,
    )  # fmt: skip
    return time.monotonic() - start


@pytest.mark.slow
def test_a_symlinked_changelog_is_never_read_into_the_release(
    repo: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "environ"
    secret.write_text("TOKEN=OUTSIDE-MARKER-7731\n")
    changelog = repo / "generated" / "CHANGELOG.md"
    changelog.unlink()
    changelog.symlink_to(secret)
    before = snapshot(repo)
    done = sdkgen(
        "release", "--root", repo, "--spec", _older_spec(), "--date", "2026-01-02",
        "--dry-run",
    )  # fmt: skip
    assert "CHANGELOG.md" in done.one_line_error()
    assert "OUTSIDE-MARKER" not in done.out + done.err
    assert snapshot(repo) == before

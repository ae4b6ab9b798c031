"""``sdkgen init``: a repository for another API in one command; ``generate``
then needs no flags, a second run changes nothing, and no file a user edited is
ever overwritten (exit 2, naming it, nothing written)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.configkeys import API_KEYS, TABLES
from generator.scaffold import README_BEGIN, README_END

from .test_config_spec import OWNERS, PETS, sdkgen

WRITTEN = [
    ".github/workflows/sdk-diff.yml",
    ".github/workflows/sdk-release.yml",
    "README.md",
    "spec/pets.yaml",
    "spec/sdkgen.toml",
]


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def pets_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "src" / "pets.yaml"
    spec.parent.mkdir()
    spec.write_text(PETS, "utf-8")
    return spec


def test_init_then_generate_without_flags_then_release(
    tmp_path: Path, pets_spec: Path
) -> None:
    repo = tmp_path / "repo"
    done = sdkgen(tmp_path, "init", "--spec", str(pets_spec), "--dir", "repo")
    assert done.returncode == 0, done.stderr
    assert sorted(_files(repo)) == WRITTEN
    assert (repo / "spec" / "pets.yaml").read_text("utf-8") == PETS
    config = tomllib.loads((repo / "spec" / "sdkgen.toml").read_text("utf-8"))
    assert config == {
        "package": {
            "name": "pets_client",
            "distribution": "pets-client",
            "version": "0.1.0",
            "spec": "pets.yaml",
        }
    }
    for workflow in ("sdk-diff.yml", "sdk-release.yml"):
        loaded = yaml.safe_load((repo / ".github" / "workflows" / workflow).read_text())
        assert loaded["jobs"] and "spec/pets.yaml" in str(loaded)
    generated = sdkgen(repo, "generate", "--strict")
    assert generated.returncode == 0, generated.stderr
    assert (repo / "generated" / "pets_client" / "_client.py").is_file()
    assert sdkgen(repo, "generate", "--check").returncode == 0
    (tmp_path / "new.yaml").write_text(PETS + OWNERS, "utf-8")
    released = sdkgen(repo, "release", "--spec", "../new.yaml", "--date", "2026-01-03")
    assert released.returncode == 0, released.stderr
    assert (repo / "spec" / "pets.yaml").read_text("utf-8") == PETS + OWNERS
    assert (repo / "generated" / "pets_client" / "resources" / "owners.py").is_file()


def test_the_config_lists_every_key_and_uncommented_it_loads_clean(
    tmp_path: Path, pets_spec: Path
) -> None:
    from generator.config import load_config

    assert sdkgen(tmp_path, "init", "--spec", str(pets_spec)).returncode == 0
    text = (tmp_path / "spec" / "sdkgen.toml").read_text("utf-8")
    keys = set(re.findall(r"^(?:# )?([A-Za-z_<>]+) = ", text, flags=re.M))
    tables = set(re.findall(r"^(?:# )?\[([a-z_.0-9]+)\]$", text, flags=re.M))
    assert {f"{t}" for t in TABLES} - {"apis"} <= tables
    assert {"apis.v1", "apis.v1.type_names", "apis.v1.operations"} <= tables
    fixed = {k for known in TABLES.values() if known for k in known}
    assert (
        fixed | {"spec", "client"} <= keys
        and keys | tables | {k.split(".")[-1] for k in tables} >= API_KEYS
    )
    # Every example is a valid setting: uncommented, the file loads, no warning.
    lines = [
        line[2:] if re.match(r"# (\[|[A-Za-z_]+ = )", line) else line
        for line in text.splitlines()
    ]
    full = tmp_path / "spec" / "full.toml"
    full.write_text("\n".join(lines), "utf-8")
    loaded = load_config(full)
    assert loaded.unknown_keys == ()
    assert loaded.formatter == "black" and loaded.client_name == "Pets"
    assert [api.module for api in loaded.apis] == ["v1"]


def test_a_second_run_changes_nothing(tmp_path: Path, pets_spec: Path) -> None:
    (tmp_path / "README.md").write_text("# My API\n\nMine.\n", "utf-8")
    assert sdkgen(tmp_path, "init", "--spec", str(pets_spec)).returncode == 0
    readme = (tmp_path / "README.md").read_text("utf-8")
    assert readme.startswith("# My API\n\nMine.\n\n" + README_BEGIN)
    first = _files(tmp_path)
    again = sdkgen(tmp_path, "init", "--spec", str(pets_spec))
    assert again.returncode == 0, again.stderr
    assert again.stdout.count(": unchanged") == 5 and ": written" not in again.stdout
    assert _files(tmp_path) == first


@pytest.mark.parametrize(
    ("rel", "edit"),
    [
        ("spec/sdkgen.toml", lambda t: t.replace('"0.1.0"', '"0.2.0"')),
        ("spec/pets.yaml", lambda t: t + "# mine\n"),
        (".github/workflows/sdk-diff.yml", lambda t: t + "# mine\n"),
        ("README.md", lambda t: t.replace("## The Python SDK", "## Our SDK")),
    ],
)
def test_an_edited_file_is_never_overwritten(
    tmp_path: Path, pets_spec: Path, rel: str, edit: object
) -> None:
    assert sdkgen(tmp_path, "init", "--spec", str(pets_spec)).returncode == 0
    path = tmp_path / rel
    path.write_text(edit(path.read_text("utf-8")), "utf-8")  # type: ignore[operator]
    (tmp_path / ".github" / "workflows" / "sdk-release.yml").unlink()
    before = _files(tmp_path)
    done = sdkgen(tmp_path, "init", "--spec", str(pets_spec))
    assert done.returncode == 2
    assert done.stderr.startswith(f"sdkgen: error: {rel}: ") and "never" in done.stderr
    assert _files(tmp_path) == before  # not even the missing workflow came back


def test_a_symlink_in_the_way_is_refused(tmp_path: Path, pets_spec: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text("", "utf-8")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "sdkgen.toml").symlink_to(target)
    done = sdkgen(tmp_path, "init", "--spec", str(pets_spec))
    assert done.returncode == 2 and "spec/sdkgen.toml" in done.stderr
    assert target.read_text("utf-8") == ""
    assert not (tmp_path / "spec" / "pets.yaml").exists()


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("--package", "json"), "--package"),
        (("--package", "Pets-SDK"), "--package"),
        (("--spec", "missing.yaml"), "missing.yaml"),
    ],
)
def test_bad_input_exits_2(
    tmp_path: Path, pets_spec: Path, args: tuple[str, str], where: str
) -> None:
    full = ("--spec", str(pets_spec), *args) if args[0] != "--spec" else args
    done = sdkgen(tmp_path, "init", *full)
    assert done.returncode == 2
    assert done.stderr.startswith(f"sdkgen: error: {where}: ")
    assert list(tmp_path.iterdir()) == [pets_spec.parent]


def test_not_an_openapi_document_exits_2(tmp_path: Path) -> None:
    (tmp_path / "swagger.json").write_text('{"swagger": "2.0"}', "utf-8")
    done = sdkgen(tmp_path, "init", "--spec", "swagger.json", "--dir", "out")
    assert done.returncode == 2 and "Swagger 2.0" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "www"
    folder.mkdir()
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(folder)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_is_fetched(tmp_path: Path, served: tuple[str, Path]) -> None:
    root, folder = served
    (folder / "pets.json").write_text(
        '{"openapi": "3.1.0", "info": {"title": "Pet Store", "version": "1"},'
        ' "paths": {}}',
        "utf-8",
    )
    (folder / "openapi").write_text(PETS, "utf-8")
    repo = tmp_path / "repo"
    done = sdkgen(tmp_path, "init", "--spec", f"{root}/pets.json", "--dir", "repo")
    assert done.returncode == 0, done.stderr
    fetched = (repo / "spec" / "pets.json").read_bytes()
    assert fetched == (folder / "pets.json").read_bytes()
    assert 'name = "pet_store_client"' in (repo / "spec" / "sdkgen.toml").read_text()
    other = tmp_path / "other"
    done = sdkgen(tmp_path, "init", "--spec", f"{root}/openapi", "--dir", "other")
    assert done.returncode == 0, done.stderr
    assert (other / "spec" / "openapi.yaml").read_text("utf-8") == PETS
    missing = sdkgen(tmp_path, "init", "--spec", f"{root}/nope.yaml", "--dir", "x")
    assert missing.returncode == 2 and not (tmp_path / "x").exists()
    assert README_END in (other / "README.md").read_text("utf-8")


def test_the_workflows_sdkgen_commands_work(tmp_path: Path, pets_spec: Path) -> None:
    """Each ``sdkgen`` line of the two workflows, run as CI would (a git
    checkout, $RUNNER_TEMP, the base branch) on a spec that adds an operation."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    repo = tmp_path / "repo"
    assert (
        sdkgen(tmp_path, "init", "--spec", str(pets_spec), "--dir", "repo").returncode
        == 0
    )
    assert sdkgen(repo, "generate").returncode == 0
    shim = tmp_path / "bin" / "sdkgen"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator.cli "$@"\n')
    shim.chmod(0o755)
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "live.spec").write_text(PETS + OWNERS, "utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner),
        "FAIL_ON": "breaking",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True
        )

    assert (
        run("git init -q -b base && git add -A && git commit -qm init").returncode == 0
    )
    workflows = repo / ".github" / "workflows"
    diff_lines = [
        line.split("run: ", 1)[-1].strip()
        for line in (workflows / "sdk-diff.yml").read_text("utf-8").splitlines()
        if "sdkgen " in line and not line.lstrip().startswith("#")
    ]
    assert len(diff_lines) == 2  # the diff, generate --check
    (repo / "spec" / "pets.yaml").write_text(PETS + OWNERS, "utf-8")  # the PR
    assert sdkgen(repo, "generate").returncode == 0
    commands = [
        line.replace("origin/${{ github.base_ref }}", "base") for line in diff_lines
    ]
    outputs = [run(command) for command in commands]
    assert [o.returncode for o in outputs] == [0, 0], [o.stderr for o in outputs]
    assert "0 breaking, 0 warning, 1 info" in outputs[0].stdout
    assert run("git checkout -q -- . && git clean -qfd").returncode == 0
    release_lines = [
        line.strip().split(" | tee")[0]
        for line in (workflows / "sdk-release.yml").read_text("utf-8").splitlines()
        if line.strip().startswith("sdkgen ")
    ]
    assert [line.split()[1] for line in release_lines] == ["diff", "release"]
    for command in release_lines:
        done = run(command)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert "client.owners.list()" in (runner / "diff.md").read_text("utf-8")
    assert (repo / "spec" / "pets.yaml").read_text("utf-8") == PETS + OWNERS
    assert 'version = "0.2.0"' in (repo / "spec" / "sdkgen.toml").read_text("utf-8")


def test_the_workflows_install_sdkgen_from_where_the_repository_says(
    tmp_path: Path, pets_spec: Path
) -> None:
    """``vars.SDKGEN_INSTALL`` (a pip requirement such as a git URL) when set,
    else the published distribution of this version."""
    import subprocess

    from generator import __version__

    assert sdkgen(tmp_path, "init", "--spec", str(pets_spec)).returncode == 0
    for name in ("sdk-diff.yml", "sdk-release.yml"):
        flow = yaml.safe_load((tmp_path / ".github" / "workflows" / name).read_text())
        (job,) = flow["jobs"].values()
        (step,) = [s for s in job["steps"] if s.get("name") == "Install sdkgen"]
        assert step["env"] == {"SDKGEN_INSTALL": "${{ vars.SDKGEN_INSTALL }}"}
        line = step["run"].replace("python3 -m pip install -q", "printf %s")
        for given, wanted in (
            ("", f"meetingbaas-sdkgen=={__version__}"),
            (
                "git+https://example.test/sdkgen@v1",
                "git+https://example.test/sdkgen@v1",
            ),
        ):
            env = {"PATH": "/usr/bin:/bin", "SDKGEN_INSTALL": given}
            done = subprocess.run(
                ["bash", "-c", line], env=env, capture_output=True, text=True
            )
            assert done.stdout == wanted, (name, done.stderr)

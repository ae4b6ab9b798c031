"""``sdkgen diff`` as a command: formats, exit codes, sources, bad input."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.diff.output import to_markdown

from .conftest import ROOT
from .diff_fixtures import base, diff_docs

Doc = dict[str, Any]
WriteSpec = Callable[..., Path]


def breaking_and_warning() -> tuple[Doc, Doc]:
    old = base()
    new = copy.deepcopy(old)
    new["components"]["schemas"]["CreateThingRequest"]["properties"].pop("size")
    new["components"]["schemas"]["ThingStatus"]["enum"].append("paused")
    return old, new


def warning_only() -> tuple[Doc, Doc]:
    old = base()
    new = copy.deepcopy(old)
    new["components"]["schemas"]["ThingStatus"]["enum"].append("paused")
    return old, new


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def pair(write_spec: WriteSpec, docs: tuple[Doc, Doc]) -> tuple[str, str]:
    return str(write_spec(docs[0], "old.json")), str(write_spec(docs[1], "new.json"))


def test_no_changes_exits_0(write_spec: WriteSpec, capsys: Any) -> None:
    old, new = pair(write_spec, (base(), base()))
    code, out, _ = run(capsys, old, new)
    assert code == 0 and "No changes that affect the SDK." in out


@pytest.mark.parametrize(
    ("docs", "fail_on", "expected"),
    [
        (breaking_and_warning, "breaking", 1),
        (breaking_and_warning, "warning", 1),
        (breaking_and_warning, "never", 0),
        (warning_only, "breaking", 0),
        (warning_only, "warning", 1),
        (warning_only, "never", 0),
    ],
)
def test_fail_on_levels(
    write_spec: WriteSpec,
    capsys: Any,
    docs: Callable[[], tuple[Doc, Doc]],
    fail_on: str,
    expected: int,
) -> None:
    old, new = pair(write_spec, docs())
    code, _, _ = run(capsys, old, new, "--fail-on", fail_on)
    assert code == expected


def test_default_fail_on_is_breaking(write_spec: WriteSpec, capsys: Any) -> None:
    old, new = pair(write_spec, warning_only())
    assert run(capsys, old, new)[0] == 0
    old, new = pair(write_spec, breaking_and_warning())
    assert run(capsys, old, new)[0] == 1


def test_text_groups_by_level_with_sdk_meaning(
    write_spec: WriteSpec, capsys: Any
) -> None:
    old, new = pair(write_spec, breaking_and_warning())
    _, out, _ = run(capsys, old, new)
    assert "1 breaking, 1 warning" in out and "suggested SDK bump: major" in out
    assert out.index("BREAKING (1)") < out.index("WARNING (1)")
    assert "[request-property-removed] CreateThingRequest.size" in out
    assert "client.things.create(..., size=...)" in out
    assert "at: old spec #/components/schemas/CreateThingRequest/properties/size" in out


def test_json_is_sorted_complete_and_stable(write_spec: WriteSpec, capsys: Any) -> None:
    old, new = pair(write_spec, breaking_and_warning())
    _, out, _ = run(capsys, old, new, "--format", "json")
    doc = json.loads(out)
    assert out == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert doc["summary"] == {"breaking": 1, "warning": 1, "info": 0, "bump": "major"}
    assert [c["rule"] for c in doc["changes"]] == [
        "request-property-removed",
        "response-enum-value-added",
    ]
    first = doc["changes"][0]
    assert set(first) == {
        "level", "rule", "resource", "subject", "message", "sdk",
        "pointer", "side", "used_by", "bump",
    }  # fmt: skip
    assert first["used_by"] == ["POST /v2/things"] and first["side"] == "old"
    assert doc["old"]["source"] == old and len(doc["new"]["sha256"]) == 64


def test_json_identical_across_hash_seeds(write_spec: WriteSpec) -> None:
    old, new = pair(write_spec, breaking_and_warning())
    outputs = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "diff",
                old,
                new,
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert result.returncode == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_markdown_has_summary_table_then_details_by_resource(
    write_spec: WriteSpec, capsys: Any
) -> None:
    old, new = pair(write_spec, breaking_and_warning())
    _, out, _ = run(capsys, old, new, "--format", "markdown")
    assert "Suggested SDK version bump: **major**" in out
    assert "| `client.things` | 1 | 1 | 0 |" in out
    assert out.index("| **total** |") < out.index("#### `client.things`")
    assert "| breaking | CreateThingRequest.size: " in out


def test_markdown_escapes_table_cells() -> None:
    old = base()
    new = copy.deepcopy(old)
    props = new["components"]["schemas"]["Thing"]["properties"]
    props["duration"] = {
        "anyOf": [{"type": "number"}, {"type": "string", "format": "uri"}]
    }
    text = to_markdown(diff_docs(old, new))
    rows = [line for line in text.splitlines() if line.startswith("| breaking")]
    assert len(rows) == 1
    # The message holds "float | str<uri>": its pipe must not split the cell, and
    # outside code spans "<uri>" must not read as an HTML tag.
    assert "float \\| str&lt;uri&gt;" in rows[0]
    assert rows[0].replace("\\|", "").count("|") == 4


def test_github_annotations_and_step_summary(
    write_spec: WriteSpec, capsys: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    old, new = pair(write_spec, breaking_and_warning())
    code, out, _ = run(capsys, old, new, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(
        "::error title=request-property-removed%3A CreateThingRequest.size::"
    )
    assert lines[1].startswith("::warning title=response-enum-value-added%3A ")
    assert lines[-1].startswith("API diff: 1 breaking, 1 warning, 0 info")
    written = summary.read_text()
    assert written.startswith("earlier step\n## API diff")  # appended, not replaced
    assert "| `client.things` | 1 | 1 | 0 |" in written


def test_github_escapes_newlines_and_percent() -> None:
    from generator.diff.output import _escape_data, _escape_property

    assert _escape_data("50%\nnext") == "50%25%0Anext"
    assert _escape_property("a: b, c") == "a%3A b%2C c"


def test_git_sources_read_committed_specs(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]

    def commit(doc: Doc) -> None:
        (repo / "spec.json").write_text(json.dumps(doc))
        subprocess.run([*git, "add", "spec.json"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "spec"], cwd=repo, check=True)

    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    old, new = breaking_and_warning()
    commit(old)
    commit(new)
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "git:HEAD~1:spec.json", "git:HEAD:spec.json")
    assert code == 1 and "CreateThingRequest.size" in out
    code, out, err = run(capsys, "git:HEAD~5:spec.json", "git:HEAD:spec.json")
    assert code == 2 and "git:HEAD~5:spec.json" in err and "\n" not in err.strip()
    code, _, err = run(capsys, "git:HEAD", "spec.json")
    assert code == 2 and "expected git:REV:path" in err
    # An oversized blob is refused by its size, before git show reads it.
    ran: list[list[str]] = []
    real_run = subprocess.run

    def recording(args: list[str], *rest: Any, **kw: Any) -> Any:
        ran.append(list(args))
        return real_run(args, *rest, **kw)

    monkeypatch.setattr(subprocess, "run", recording)
    args = ["git:HEAD~1:spec.json", "git:HEAD:spec.json", "--max-spec-bytes", "100"]
    code, _, err = run(capsys, *args)
    assert code == 2 and "larger than 100 bytes" in err
    assert not [a for a in ran if a[:2] == ["git", "show"]], ran


def test_bad_input_exits_2_with_one_line(
    write_spec: WriteSpec, capsys: Any, tmp_path: Path
) -> None:
    good = str(write_spec(base(), "good.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    dangling = base()
    dangling["paths"]["/v2/things"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"] = {"$ref": "#/components/schemas/Missing"}
    # Valid JSON with a ref that resolves, but not a valid OpenAPI document: the
    # (concurrent) openapi-pydantic validation must still be what is reported.
    not_openapi = base()
    not_openapi["info"]["title"] = 3
    cases = [
        (str(write_spec(not_openapi, "bad_title.json")), "#/info/title"),
        (str(tmp_path / "missing.json"), "cannot read the spec"),
        (str(broken), "broken.json"),
        (str(write_spec(dangling, "dangling.json")), "#/components/schemas/Missing"),
    ]
    for source, expected in cases:
        for old, new in ((good, source), (source, good)):
            code, out, err = run(capsys, old, new)
            assert code == 2 and out == ""
            assert expected in err and err.count("\n") == 1, err
            assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diff", "a.json", "b.json", "--format", "xml"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["diff", "a.json"])
    assert exc.value.code == 2


def test_url_sources_on_loopback(
    write_spec: WriteSpec, capsys: Any, tmp_path: Path
) -> None:
    import functools
    import http.server
    import threading

    pair(write_spec, breaking_and_warning())
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        found = run(capsys, f"{root}/old.json", f"{root}/new.json", "--format", "json")
        missing = run(capsys, f"{root}/old.json", f"{root}/gone.json")
    finally:
        server.shutdown()
    assert found[0] == 1
    assert json.loads(found[1])["new"]["source"] == f"{root}/new.json"
    assert missing[0] == 2 and "404" in missing[2]


def test_an_invalid_spec_is_refused_with_its_pointer(
    write_spec: WriteSpec, capsys: Any
) -> None:
    old, _ = pair(write_spec, breaking_and_warning())
    bad = base()
    bad["info"]["title"] = 3
    code, _, err = run(capsys, old, str(write_spec(bad, "bad.json")))
    assert code == 2 and "#/info/title" in err


def test_config_is_the_one_beside_the_new_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --config, another API's diff reads no Meeting BaaS names (no dead
    entries warned about); a sdkgen.toml beside the new spec is read."""
    from .conftest import json_op, make_spec

    doc = make_spec(
        schemas={"A": {"type": "object", "properties": {"x": {"type": "string"}}}},
        paths={"/a": {"get": json_op({"$ref": "#/components/schemas/A"})}},
    )
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old, new = tmp_path / "old" / "api.json", tmp_path / "new" / "api.json"
    old.write_text(json.dumps(doc))
    new.write_text(json.dumps(doc))
    code, out, err = run(capsys, str(old), str(new))
    assert (code, err) == (0, "") and "No changes" in out
    (tmp_path / "new" / "sdkgen.toml").write_text('[type_names]\nGone = "Kept"\n')
    code, _, err = run(capsys, str(old), str(new))
    assert code == 0 and "type_names/Gone" in err and "dead entry" in err

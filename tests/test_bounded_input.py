"""Hostile specs end fast with one line and exit 2; sdkgen's own bugs exit 3."""

from __future__ import annotations

import http.server
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.config import default_spec_path
from generator.errors import SpecError
from generator.parse import loader
from generator.parse.loader import check_refs, parse_text

from .conftest import ROOT, json_op, make_spec

COMMANDS = ["generate", "inspect", "diff"]


class _Hostile(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        if self.path == "/huge-length":
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
            return
        self.end_headers()
        if self.path == "/trickle":  # one byte at a time, never finishing
            try:
                while True:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                return
        # No length: a stream that never ends (the client must stop reading).
        chunk = b"[" * 65536
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            pass

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def alias_bomb() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "openapi: 3.1.0\n" + "\n".join(lines) + "\n"


def _fifo(tmp: Path) -> str:
    path = tmp / "spec.fifo"
    os.mkfifo(path)
    return str(path)


def _write(name: str, text: str | bytes) -> Callable[[Path], str]:
    def make(tmp: Path) -> str:
        path = tmp / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return str(path)

    return make


def _sparse(tmp: Path) -> str:
    path = tmp / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(loader.MAX_SPEC_BYTES + 1)
    return str(path)


CYCLE = make_spec(
    schemas={
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"$ref": "#/components/schemas/A"},
    },
    paths={"/a": {"get": json_op({"$ref": "#/components/schemas/A"})}},
)

# name -> (make the source, expected words in the one line)
HOSTILE: dict[str, tuple[Callable[[Path], str], str]] = {
    "dev-zero": (lambda tmp: "/dev/zero", "not a regular file"),
    "fifo": (_fifo, "not a regular file"),
    "oversized-file": (_sparse, "larger than"),
    "alias-bomb": (_write("bomb.yaml", alias_bomb()), "aliases expand"),
    "deep-json": (_write("deep.json", "[" * 100_000 + "]" * 100_000), "nested"),
    "deep-yaml": (_write("deep.yaml", "x: " + "[" * 100_000 + "]" * 100_000), "nested"),
    "deep-yaml-block": (
        _write("deep2.yaml", "- " * 100_000 + "x\n"),
        "nested",
    ),
    "self-alias": (_write("self.yaml", "openapi: 3.1.0\na: &x [*x]\n"), "alias"),
    "ref-cycle": (
        _write("cycle.json", json.dumps(CYCLE)),
        "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
    ),
}


def run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    return result, time.monotonic() - start


def command_args(command: str, source: str, tmp: Path) -> list[str]:
    if command == "generate":
        return ["generate", "--spec", source, "--out", str(tmp / "out")]
    if command == "inspect":  # --strict: warnings are errors, as before
        return ["inspect", "--strict", "--spec", source]
    return ["diff", source, str(default_spec_path())]


def assert_one_line_exit_2(
    result: subprocess.CompletedProcess[str], seconds: float, words: str
) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert words in lines[0]
    assert seconds < 5, seconds


@pytest.mark.slow  # an sdkgen process per hostile input and command
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_ends_fast_with_one_line(
    tmp_path: Path, case: str, command: str
) -> None:
    make, words = HOSTILE[case]
    args = command_args(command, make(tmp_path), tmp_path)
    if case == "ref-cycle" and command == "generate":
        args.append("--strict")  # else skipped with a warning (issue 10)
    result, seconds = run(*args)
    assert_one_line_exit_2(result, seconds, words)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # an sdkgen process per download and command
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("path", ["/huge-length", "/endless"])
def test_oversized_download_is_refused_while_reading(
    server: str, tmp_path: Path, path: str, command: str
) -> None:
    result, seconds = run(*command_args(command, server + path, tmp_path))
    assert_one_line_exit_2(result, seconds, "larger than 67108864 bytes")


def test_max_spec_bytes_lowers_the_limit(tmp_path: Path) -> None:
    spec = str(default_spec_path())
    size = Path(spec).stat().st_size
    ok, _ = run("inspect", "--spec", spec, "--max-spec-bytes", str(size))
    assert ok.returncode == 0, ok.stderr
    result, seconds = run("inspect", "--spec", spec, "--max-spec-bytes", str(size - 1))
    assert_one_line_exit_2(result, seconds, f"larger than {size - 1} bytes")
    bad, _ = run("inspect", "--max-spec-bytes", "0")
    assert bad.returncode == 2 and "must be positive" in bad.stderr


def test_a_trickling_download_ends_at_the_total_deadline(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "URL_TOTAL_SECONDS", 0.3)
    with pytest.raises(SpecError, match="took longer than"):
        loader.read_source(server + "/trickle")


class _Endless(io.RawIOBase):
    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "must never read without a bound"
        self.served += size
        return b"x" * size


def test_reading_stops_just_past_the_limit() -> None:
    stream = _Endless()
    with pytest.raises(SpecError, match="larger than 1000 bytes"):
        loader._read_bounded(stream, 1000, "s")
    assert stream.served == 1001


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'{"a": ' + b"1" * 5000 + b"}", "a.json"),
        (b"a: " + b"1" * 5000, "a.yaml"),
        (b"a: 2001-13-45", "a.yaml"),
    ],
    ids=["json-huge-int", "yaml-huge-int", "yaml-13th-month"],
)
def test_values_python_refuses_to_build_are_bad_input(data: bytes, name: str) -> None:
    with pytest.raises(SpecError, match="not valid"):
        parse_text(data, name)


def test_yaml_with_a_few_aliases_still_loads() -> None:
    doc = parse_text(b"openapi: 3.1.0\nx: &s {type: string}\ny: [*s, *s]\n", "a.yaml")
    assert doc["y"] == [{"type": "string"}, {"type": "string"}]


def test_nesting_at_the_limit_loads_and_one_deeper_is_refused() -> None:
    def lists(levels: int) -> str:
        return "[" * levels + "]" * levels

    inner = loader.MAX_DEPTH - 1  # the top-level object is one level
    check_refs(parse_text(f'{{"x": {lists(inner)}}}'.encode(), "a.json"))
    check_refs(parse_text(f"x: {lists(inner)}".encode(), "a.yaml"))
    with pytest.raises(SpecError, match="nested more than"):
        check_refs(parse_text(f'{{"x": {lists(inner + 1)}}}'.encode(), "a.json"))
    with pytest.raises(SpecError, match="nested more than"):
        parse_text(f"x: {lists(inner + 1)}".encode(), "a.yaml")


def test_ref_chains_resolve_and_a_self_reference_is_a_cycle() -> None:
    chain = make_spec(
        schemas={
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {
                "type": "object",
                "properties": {"a": {"$ref": "#/components/schemas/A"}},
            },
        }
    )
    check_refs(chain)  # recursion through a property is not a $ref cycle
    selfref = make_spec(schemas={"A": {"$ref": "#/components/schemas/A"}})
    with pytest.raises(
        SpecError, match="cycle: #/components/schemas/A -> #/components/schemas/A"
    ):
        check_refs(selfref)


class _CountingDict(dict[str, Any]):
    walks = 0

    def items(self) -> Any:
        type(self).walks += 1
        return super().items()


def test_ref_checker_walks_a_shared_node_once() -> None:
    """YAML aliases make one node appear many times; it is walked once."""
    node: Any = _CountingDict({"$ref": "#/leaf"})
    for _ in range(30):  # 2**30 paths if expanded
        node = [node, node]
    _CountingDict.walks = 0
    check_refs({"leaf": {}, "tree": node})
    assert _CountingDict.walks == 1


def test_sdkgen_bug_is_one_line_exit_3_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.parse.normalise

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(generator.parse.normalise, "normalise", broken)
    assert main(["inspect"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (
        "bug in sdkgen" in err and "ZeroDivisionError: oops" in err and "--debug" in err
    )
    assert main(["inspect", "--debug"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "in broken" in err


def test_corpus_spec_with_a_self_referencing_body_ends_with_the_cycle() -> None:
    path = ROOT.parent / "shared" / "specs" / "corpus" / "opcerr_circular-body-ref.yaml"
    if not path.is_file():
        pytest.skip("../shared/specs/corpus is absent")
    result, seconds = run("inspect", "--strict", "--spec", str(path))
    body = "#/components/requestBodies/body"
    assert_one_line_exit_2(result, seconds, f"$ref cycle: {body} -> {body}")


def _depth(node: Any) -> int:
    children = node.values() if isinstance(node, dict) else node
    inner = [_depth(c) for c in children if isinstance(c, dict | list)]
    return 1 + max(inner, default=0)


def _nest(kind: str, levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        if kind == "items":
            schema = {"type": "array", "items": schema}
        else:
            schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


@pytest.mark.parametrize("kind", ["items", "anyOf"])
def test_schemas_nested_to_the_limit_generate_and_one_deeper_is_refused(
    tmp_path: Path, kind: str
) -> None:
    """The bound sits below what the normaliser's recursion can take."""
    from .conftest import shared_spec

    doc = json.loads(shared_spec("2026-05-11-5ec0cc7.json").read_text())
    response = doc["paths"]["/v2/bots"]["post"]["responses"]["201"]
    response["content"] = {"application/json": {"schema": _nest(kind, 1)}}
    per_level = 1 if kind == "items" else 2
    at = len(["paths", "/v2/bots", "post", "responses", "201", "content", "json"])
    levels = (loader.MAX_DEPTH - at - 2) // per_level  # root and the schema: 2
    for extra, expected in ((0, 0), (1, 2)):
        response["content"]["application/json"]["schema"] = _nest(kind, levels + extra)
        spec = tmp_path / f"deep{extra}.json"
        spec.write_text(json.dumps(doc))
        depth = _depth(doc)
        if extra:
            assert depth > loader.MAX_DEPTH
        else:
            assert loader.MAX_DEPTH - per_level < depth <= loader.MAX_DEPTH
        result, _ = run("generate", "--spec", str(spec), "--out", str(tmp_path / "o"))
        assert result.returncode == expected, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (b"\xff\xfe not utf-8", "cannot read the config"),
        (b'package = "meetingbaas"\n', "[package] must be a table"),
        (b"[package\n", "invalid TOML"),
    ],
    ids=["binary", "package-not-a-table", "bad-toml"],
)
def test_bad_config_is_one_line_exit_2(tmp_path: Path, text: bytes, words: str) -> None:
    config = tmp_path / "sdkgen.toml"
    config.write_bytes(text)
    result, seconds = run("inspect", "--config", str(config))
    assert_one_line_exit_2(result, seconds, words)

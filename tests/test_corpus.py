"""Every public spec of ../shared/specs/corpus/: a working SDK, or a clear warning.

Each spec is generated into a temporary folder (as its own package), then every
module is imported, the whole output type-checked with ``mypy --strict`` in one
run and checked with ``ruff format --check``. The ``opcerr_*`` documents (broken on
purpose) and Swagger 2.0 give a warning naming a JSON pointer (exit 0); with
``--strict`` the same line is an error (exit 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .signature_cover import expected, normalised, taken

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
SPECS = (
    sorted(p for p in CORPUS.glob("*") if p.suffix in (".json", ".yaml", ".yml"))
    if CORPUS.is_dir()
    else []
)

# Specs that are broken although published: the part skipped, by its pointer.
KNOWN_BROKEN = {
    # allOf $ref to a schema the document does not define
    "attendee_openapi": "#/components/schemas/ZoomOAuthConnection/properties/state"
    "/allOf/0",
}

# Bodies offered in several media types with different schemas: the one the SDK
# does not send is warned about (its fields are no arguments).
UNSENT_MEDIA = {
    "gladia": "#/paths/~1v2~1upload/post/requestBody/content/multipart~1form-data: "
    "request body as 'multipart/form-data' not generated: the SDK sends "
    "'application/json'",
    **{
        stem: "#/paths/~1bodies~1multiple/post/requestBody/content/"
        "application~1octet-stream: request body as 'application/octet-stream' "
        "not generated: the SDK sends 'application/json'"
        for stem in ("opc_baseline_openapi_3.0", "opc_baseline_openapi_3.1")
    },
}

# Response examples that do not fit their schemas (issue 28: the fake answers
# with generated values instead): how many each spec has, each warned about by
# its pointer.
BAD_EXAMPLES = {"attendee_openapi": 8, "gladia": 4, "plaid": 3, "twilio_lookups_v2": 8}
_BAD_EXAMPLE = "the example does not fit its schema"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SPECS, reason=f"{CORPUS} is absent (the public corpus)"),
]


def _refused(stem: str) -> bool:
    return stem.startswith("opcerr_") or stem == "oai_v20_petstore"


def package_of(spec: Path) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in spec.stem.lower())
    return f"corpus_{stem}"


@dataclass(frozen=True)
class Run:
    returncode: int
    stderr: str

    @property
    def warnings(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.startswith("sdkgen: ")]


def sdkgen(*args: str) -> Run:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return Run(done.returncode, done.stderr)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Run]]:
    out = tmp_path_factory.mktemp("corpus")
    runs: dict[str, Run] = {}
    for spec in SPECS:
        config = out / f"{spec.stem}.toml"
        config.write_text(f'[package]\nname = "{package_of(spec)}"\n')
        runs[spec.stem] = sdkgen(
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(out / spec.stem),
            "--config",
            str(config),
        )
    return out, runs


def _generated(out: Path) -> list[tuple[Path, str]]:
    """(output folder, package) of every spec that produced an SDK."""
    return [
        (out / s.stem, package_of(s))
        for s in SPECS
        if (out / s.stem / package_of(s)).is_dir()
    ]


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_generates_or_warns(spec: Path, corpus: tuple[Path, dict[str, Run]]) -> None:
    out, runs = corpus
    run = runs[spec.stem]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    examples = [w for w in run.warnings if _BAD_EXAMPLE in w]
    assert len(examples) == BAD_EXAMPLES.get(spec.stem, 0)
    assert all(w.startswith("sdkgen: warning: #/") for w in examples)
    run = Run(
        run.returncode,
        "\n".join(ln for ln in run.stderr.splitlines() if _BAD_EXAMPLE not in ln),
    )
    if _refused(spec.stem):
        assert run.warnings, "a broken document must be warned about"
        for line in run.warnings:
            assert line.startswith("sdkgen: warning: #/"), line
    elif spec.stem in KNOWN_BROKEN:
        assert run.warnings == [
            f"sdkgen: warning: {KNOWN_BROKEN[spec.stem]}: $ref "
            f"'#/components/schemas/StateFeeEnum' points to nothing: "
            "treated as any value"
        ]
    elif spec.stem in UNSENT_MEDIA:
        assert run.warnings == [f"sdkgen: warning: {UNSENT_MEDIA[spec.stem]}"]
    else:
        assert run.warnings == []
    made = (out / spec.stem / package_of(spec)).is_dir()
    assert made == (spec.stem != "oai_v20_petstore")


@pytest.mark.parametrize(
    "spec",
    [s for s in SPECS if _refused(s.stem)],
    ids=[s.stem for s in SPECS if _refused(s.stem)],
)
def test_strict_refuses_with_the_same_line(
    spec: Path, corpus: tuple[Path, dict[str, Run]], tmp_path: Path
) -> None:
    _, runs = corpus
    run = sdkgen("generate", "--strict", "--spec", str(spec), "--out", str(tmp_path))
    assert run.returncode == 2
    first = runs[spec.stem].warnings[0]
    assert run.stderr.strip() == first.replace("sdkgen: warning:", "sdkgen: error:")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "spec",
    [s for s in SPECS if s.stem != "oai_v20_petstore"],
    ids=[s.stem for s in SPECS if s.stem != "oai_v20_petstore"],
)
def test_every_input_is_an_argument_or_warned_about(spec: Path) -> None:
    """Each operation's parameters and top-level body properties (every media
    type) are arguments of its method, or a warning names their pointer (or the
    operation's, when it is skipped): nothing is dropped silently."""
    api, raw, warnings = normalised(spec)
    assert api is not None
    have = taken(api)
    silent = []
    for where, method, path, name in expected(raw):
        op_where = "/".join(where.split("/")[:4])
        got = have.get((method, path), set())
        if name in got or (name.startswith("body:") and "body:*" in got):
            continue
        if not any(w.startswith((where, op_where + ":")) for w in warnings):
            silent.append(f"{method} {path} {name}")
    assert silent == []


def test_every_module_imports(corpus: tuple[Path, dict[str, Run]]) -> None:
    out, _ = corpus
    made = _generated(out)
    script = (
        "import importlib, inspect, pkgutil, sys\n"
        "for name in sys.argv[1:]:\n"
        "    pkg = importlib.import_module(name)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, name + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "    clients = importlib.import_module(name + '._client').__all__\n"
        "    sync = [n for n in clients if not n.startswith('Async')][0]\n"
        "    cls = getattr(pkg, sync)\n"
        "    takes = 'api_key' in inspect.signature(cls).parameters\n"
        "    key = {'api_key': 'k'} if takes else {}\n"
        "    cls(**key, base_url='http://127.0.0.1:9').close()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(d) for d, _ in made)}
    done = subprocess.run(
        [sys.executable, "-c", script, *(p for _, p in made)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


CALL_ONE = """
import importlib, inspect, pathlib, re, sys
import httpx
seen = []
def handler(request):
    seen.append((request.method, request.url.path))
    return httpx.Response(200, json={})
def arguments(fn):
    # Path parameters only (given as "1"); None when a keyword is required.
    args = []
    for p in inspect.signature(fn).parameters.values():
        if p.default is not inspect.Parameter.empty:
            continue
        if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD or p.name == "body":
            return None
        args.append("1")
    return args
for folder, name in zip(sys.argv[1::2], sys.argv[2::2]):
    readme = (pathlib.Path(folder) / "README.md").read_text()
    pkg = importlib.import_module(name)
    sync = [n for n in importlib.import_module(name + "._client").__all__
            if not n.startswith("Async")][0]
    http = httpx.Client(transport=httpx.MockTransport(handler))
    # Every credential argument (one per security scheme): each call can be made.
    credentials = {}
    for p in inspect.signature(getattr(pkg, sync).__init__).parameters.values():
        if p.kind is p.KEYWORD_ONLY and p.default is None and p.name not in (
            "base_url", "http_client", "default_headers", "timeout",
            "attempt_timeout",
        ):
            credentials[p.name] = ("u", "p") if "tuple" in str(p.annotation) else "k"
    client = getattr(pkg, sync)(
        **credentials,
        base_url="http://127.0.0.1:9", http_client=http, max_retries=0,
    )
    for chain, method, path in re.findall(
        r"^\\| `client\\.([\\w.]+)\\(.*?\\)` \\| `(\\w+) (\\S+)`", readme, re.M
    ):
        *resources, method_name = chain.split(".")
        target = client
        for r in resources:
            target = getattr(target, r)
        args = arguments(getattr(target, method_name))
        if args is None:
            continue
        getattr(target.with_raw_response, method_name)(*args)
        expected = re.sub(r"\\{[^}]+\\}", "1", path)
        assert seen[-1] == (method, expected), (name, seen[-1], method, expected)
        print(name, "called", method, path)
        break
    else:
        print(name, "has no operation callable without a body")
"""


def test_one_call_per_spec_reaches_the_server(
    corpus: tuple[Path, dict[str, Run]],
) -> None:
    """The first operation of each SDK needing no body or required keyword, with
    "1" for its path parameters, through a mock transport: the request has the
    operation's method and path."""
    out, _ = corpus
    made = _generated(out)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(d) for d, _ in made)}
    args = [a for d, p in made for a in (str(d), p)]
    done = subprocess.run(
        [sys.executable, "-c", CALL_ONE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    uncalled = {
        line.split()[0] for line in done.stdout.splitlines() if "has no" in line
    }
    # Every operation of these needs a body or a required keyword, or there is
    # none (webhooks only; the opcerr ones were skipped as broken).
    assert uncalled == {
        "corpus_deepgram",
        "corpus_oai_v30_callback_example",
        "corpus_oai_v31_webhook_example",
        "corpus_opc_docstrings_on_attributes",
        "corpus_opcerr_circular_body_ref",
        "corpus_opcerr_missing_body_ref",
    }, done.stdout
    assert done.stdout.count(" called ") == len(made) - len(uncalled)


def test_every_method_of_every_sdk_reaches_a_loopback_server(
    corpus: tuple[Path, dict[str, Run]],
) -> None:
    """Each generated method, called once with a value of each required
    argument's type (tests/call_every.py), sends its method and path to a
    server on 127.0.0.1; none is refused client-side."""
    out, _ = corpus
    made = _generated(out)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(d) for d, _ in made)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "call_every.py")]
        + [a for d, p in made for a in (str(d), p)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    problems = [ln for ln in done.stdout.splitlines() if not ln.startswith("{")]
    assert done.returncode == 0 and problems == [], done.stdout[-3000:] + done.stderr
    calls = sum(
        json.loads(ln)["calls"] for ln in done.stdout.splitlines() if ln[:1] == "{"
    )
    assert calls > 600  # every operation of the 27 SDKs


def test_mypy_strict(corpus: tuple[Path, dict[str, Run]]) -> None:
    out, _ = corpus
    made = _generated(out)
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(d) for d, _ in made)}
    args = [arg for _, p in made for arg in ("-p", p)]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=out,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-5000:]


def test_ruff_format_check(corpus: tuple[Path, dict[str, Run]]) -> None:
    out, _ = corpus
    made = _generated(out)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            "--check",
            *(str(d / p) for d, p in made),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_ruff_check(corpus: tuple[Path, dict[str, Run]]) -> None:
    """Each SDK passes ruff with the settings its own pyproject.toml ships
    (import order included, after the runtime's names are rebranded)."""
    out, _ = corpus
    made = _generated(out)
    for folder, package in made:
        done = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "-q", package],
            capture_output=True,
            text=True,
            cwd=folder,
            timeout=300,
        )
        assert done.returncode == 0, f"{folder.name}: {done.stdout[-2000:]}"

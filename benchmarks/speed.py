"""The speed table of issue 17: sdkgen against its peers, measured in one run.

``nox -s bench`` runs this. Every figure is the median of several runs; CLI commands
are timed as subprocesses (process start included). openapi-python-client and
orval are installed into their own folders under the user cache on first use and
timed on the same spec in the same run. Prints a markdown table, writes it as JSON
(``--json``) and, with ``--readme``, into the README between ``<!-- speed-table -->``
markers.

sdkgen is timed as installed: pip compiles an installed package's modules to
bytecode (``__pycache__``), and the peers' venvs have theirs, so the bench
compiles ``generator/`` the same way (``compileall``) before timing and runs
sdkgen without ``PYTHONDONTWRITEBYTECODE`` (a sandbox that sets it would
otherwise recompile every module on every run). "Cold" is an empty output
folder and an empty user cache (``XDG_CACHE_HOME``).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_spec import build as build_synthetic  # noqa: E402

SPEC = ROOT / "spec" / "meeting-baas-v2.yaml"
SHARED = ROOT.parent / "shared" / "specs"
PEERS = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
PEERS = PEERS / "meetingbaas-sdkgen" / "bench-peers"
OPC_VERSION, ORVAL_VERSION = "0.29.1", "7.13.2"
MARK = "<!-- speed-table -->"


def median(fn: Callable[[], float], rounds: int) -> float:
    return statistics.median(fn() for _ in range(rounds))


def timed(args: list[str], env: dict[str, str] | None = None, ok=(0,)) -> float:
    # Bytecode as an installed package has it (see the module docstring).
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(
        args, capture_output=True, cwd=ROOT, env={**base, **(env or {})}
    )
    took = time.perf_counter() - start
    if done.returncode not in ok:
        raise RuntimeError(
            f"{args[:4]} exited {done.returncode}: {done.stderr[-500:]!r}"
        )
    return took


def sdkgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", *args]


def env_for(cache: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}


# -- peers -------------------------------------------------------------------


def opc() -> Path | None:
    venv = PEERS / f"opc-{OPC_VERSION}"
    exe = venv / "bin" / "openapi-python-client"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pkgs = [f"openapi-python-client=={OPC_VERSION}", "attrs", "python-dateutil"]
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *pkgs], check=True)
    return exe


def orval() -> tuple[Path | None, str]:
    if shutil.which("npm") is None:
        return None, "npm is not installed"
    folder = PEERS / "orval"
    exe = folder / "node_modules" / ".bin" / "orval"
    if not exe.exists():
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", f"orval@{ORVAL_VERSION}"],
            cwd=folder,
            capture_output=True,
        )
        if done.returncode != 0:
            return None, "npm install orval failed (offline?)"
    return exe, ""


# -- generation --------------------------------------------------------------


def cold(spec: Path, config: Path | None, rounds: int) -> float:
    def once() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            extra = ["--config", str(config)] if config else []
            args = sdkgen("generate", "--spec", str(spec), "--out", f"{tmp}/o", *extra)
            return timed(args, env_for(Path(tmp) / "cache"))

    return median(once, rounds)


def v2_config(tmp: Path) -> Path:
    """``spec/sdkgen.toml`` without the package's other APIs (``[apis.*]``, at
    its end): the v2 API alone, the same SDK the peers make from SPEC."""
    folder = tmp / "v2-config"
    folder.mkdir()
    text = (ROOT / "spec" / "sdkgen.toml").read_text("utf-8")
    (folder / "sdkgen.toml").write_text(text.split("\n[apis.", 1)[0] + "\n")
    for name in ("sdkgen.lock", "sdk-readme.md.j2"):
        shutil.copy(ROOT / "spec" / name, folder / name)
    return folder / "sdkgen.toml"


def generation_rows(rounds: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        return _generation_rows(rounds, v2_config(Path(tmp)))


def _generation_rows(rounds: int, config: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    ours_cold = cold(SPEC, config, rounds)
    exe = opc()
    assert exe is not None

    def opc_once() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            args = [
                str(exe),
                "generate",
                "--path",
                str(SPEC),
                "--output-path",
                tmp + "/o",
            ]
            return timed(args)

    opc_time = median(opc_once, rounds)
    rows.append(
        row("cold generate vs openapi-python-client", ours_cold, opc_time, 0.25)
    )
    orval_exe, why = orval()
    if orval_exe is not None:

        def orval_once() -> float:
            with tempfile.TemporaryDirectory() as tmp:
                args = [
                    str(orval_exe),
                    "--input",
                    str(SPEC),
                    "--output",
                    tmp + "/o/api.ts",
                ]
                return timed(args)

        rows.append(
            row("cold generate vs orval", ours_cold, median(orval_once, rounds))
        )
    else:
        rows.append({"name": "cold generate vs orval", "skipped": why})

    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(Path(tmp) / "cache")
        out = f"{tmp}/o"
        args = sdkgen("generate", "--spec", str(SPEC), "--config", str(config))
        timed([*args, "--out", out], env)
        warm = median(lambda: timed([*args, "--out", out], env), rounds)
        rows.append(
            row(
                "warm generate (nothing changed) vs openapi-python-client",
                warm,
                opc_time,
                0.12,
            )
        )
        changed = changed_field_time(Path(tmp), env, out, rounds, config)
        rows.append(
            row("one field changed vs openapi-python-client", changed, opc_time, 0.15)
        )
    # The whole package (v2 and v1, each with its testing kit), for the record.
    rows.append(
        {"name": "cold generate, the package (v2 + v1 APIs) (s)",
         "ours": cold(SPEC, None, rounds)}
    )  # fmt: skip
    return rows


def changed_field_time(
    tmp: Path, env: dict[str, str], out: str, rounds: int, config: Path
) -> float:
    """Each round adds a new field to one schema, over an SDK made from the spec."""
    import yaml

    spec = yaml.safe_load(SPEC.read_text("utf-8"))
    schema = next(
        s for s in spec["components"]["schemas"].values() if "properties" in s
    )
    times = []
    for n in range(rounds):
        schema["properties"][f"bench_field_{n}"] = {"type": "string"}
        changed = tmp / f"changed{n}.json"
        changed.write_text(json.dumps(spec))
        with_config = ["--config", str(config), "--out", out]
        timed(sdkgen("generate", "--spec", str(SPEC), *with_config), env)
        times.append(
            timed(sdkgen("generate", "--spec", str(changed), *with_config), env)
        )
        del schema["properties"][f"bench_field_{n}"]
    return statistics.median(times)


# -- the SDK -----------------------------------------------------------------


def sdk_rows(rounds: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "generated"))
    import httpx
    import pydantic
    from meetingbaas import Bot, MeetingBaas

    bot = {
        "bot_id": "123e4567-e89b-42d3-a456-426614174000",
        "bot_name": "Notetaker",
        "meeting_url": "https://meet.google.com/abc-defg-hij",
        "meeting_platform": "meet",
        "extra": {"customer": "acme"},
        "duration": 1234.5,
        "created_at": "2025-12-01T10:00:00Z",
        "ended_at": "2025-12-01T11:00:00Z",
        "joined_at": "2025-12-01T10:01:00Z",
        "exited_at": "2025-12-01T11:00:00Z",
        "status": "completed",
        "error_code": None,
        "error_message": None,
        "tokens": None,
    }
    page = json.dumps(
        {"data": [bot] * 1000, "cursor": None, "prev_cursor": None}
    ).encode()
    status = json.dumps(
        {
            "success": True,
            "data": {
                "bot_id": bot["bot_id"],
                "status": "completed",
                "transcription_status": "done",
                "updated_at": "2025-12-01T11:00:00Z",
            },
        }
    ).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        body = page if request.url.path == "/v2/bots" else status
        return httpx.Response(
            200, content=body, headers={"content-type": "application/json"}
        )

    transport = httpx.MockTransport(handler)
    client = MeetingBaas(
        api_key="k", http_client=httpx.Client(transport=transport), max_retries=0
    )
    raw = httpx.Client(transport=transport, base_url="https://api.meetingbaas.com")

    class Page(pydantic.BaseModel):
        data: list[Bot]
        cursor: str | None = None
        prev_cursor: str | None = None

    floor = pydantic.TypeAdapter(Page)

    def per_call(fn: Callable[[], object], n: int) -> float:
        fn()
        start = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - start) / n

    def paired(
        ours: Callable[[], object], peer: Callable[[], object], n: int
    ) -> tuple[float, float]:
        # Rounds alternate between the two sides, so a load change on this
        # shared machine hits both alike; each side's median is reported.
        times = [(per_call(ours, n), per_call(peer, n)) for _ in range(rounds * 4)]
        return (
            statistics.median(t[0] for t in times),
            statistics.median(t[1] for t in times),
        )

    parse, floor_t = paired(
        lambda: client.bots.list(), lambda: floor.validate_json(page), 20
    )
    bot_id = bot["bot_id"]
    small, raw_t = paired(
        lambda: client.bots.get_status(bot_id),
        lambda: json.loads(raw.get(f"/v2/bots/{bot_id}/status").content),
        300,
    )
    return [
        row(
            "bots.list() 1,000-bot page vs TypeAdapter.validate_json",
            parse,
            floor_t,
            1.15,
        ),
        row(
            "small request (bots.get_status) vs raw httpx + json.loads",
            small,
            raw_t,
            1.2,
        ),
    ]


# What any SDK built on pydantic models pays at import: the model machinery
# (pydantic.main, pydantic.fields) that ``import pydantic`` alone defers.
ONE_MODEL = (
    "import pydantic, httpx\n"
    "class M(pydantic.BaseModel):\n"
    "    model_config = pydantic.ConfigDict(defer_build=True)\n"
    "    x: int\n"
)


def import_rows(rounds: int) -> list[dict[str, Any]]:
    """Interpreter start is subtracted from both sides.

    The SDK is imported from compiled bytecode, as an installed wheel is
    (pydantic and httpx are): a pycache folder of our own, filled by a first
    run, so PYTHONDONTWRITEBYTECODE in the environment does not make every
    round compile the generated source again.
    """
    with tempfile.TemporaryDirectory() as pycache:
        env = {"PYTHONPATH": str(ROOT / "generated"), "PYTHONPYCACHEPREFIX": pycache}
        env_base = {k: v for k, v in os.environ.items()}
        env_base.pop("PYTHONDONTWRITEBYTECODE", None)

        def run(code: str) -> float:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code], env={**env_base, **env}, check=True
            )
            return time.perf_counter() - start

        # The modules one call needs: the package, its client, one resource
        # (which imports its models); creating an httpx.Client is not an import.
        ours = "import meetingbaas, meetingbaas._client, meetingbaas.resources.bots"
        codes = ("pass", ours, "import pydantic, httpx", ONE_MODEL)
        for code in codes:
            run(code)  # fills the pycache
        # Interleaved, so that a load change on this shared machine hits all.
        times = [[run(code) for code in codes] for _ in range(rounds * 4)]
        columns = zip(*times, strict=True)
        bare, sdk, base, floor = (statistics.median(c) for c in columns)
    return [
        row(
            "import meetingbaas + one call's modules vs import pydantic, httpx",
            sdk - bare,
            base - bare,
            1.3,
        ),
        row(
            "import pydantic, httpx + one pydantic model vs import pydantic, httpx",
            floor - bare,
            base - bare,
        ),
    ]


# -- diff and scaling ---------------------------------------------------------


def diff_rows(rounds: int) -> list[dict[str, Any]]:
    """First run (empty user cache) and a repeated run (normalised specs cached)."""
    found = sorted(
        (SHARED / "meeting-baas-v2").glob("*.json"), key=lambda p: p.stat().st_size
    )
    name = "sdkgen diff, two largest published specs"
    if len(found) < 2:
        return [{"name": name, "skipped": "../shared absent"}]
    old, new = sorted(found[-2:])
    args = sdkgen("diff", str(old), str(new), "--format", "json")

    def first() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            return timed(args, env_for(Path(tmp) / "cache"), ok=(0, 1))

    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(Path(tmp) / "cache")
        timed(args, env, ok=(0, 1))
        again = median(lambda: timed(args, env, ok=(0, 1)), rounds)
    return [
        {"name": f"{name}, first run (s)", "ours": median(first, rounds)},
        {"name": f"{name}, specs seen before (s)", "ours": again, "target": 0.5},
    ]


def scaling_rows() -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "sdkgen.toml"
        config.write_text('[package]\nname = "synthetic"\n')
        for target in (100_000, 1_000_000, 4_000_000):
            spec = build_synthetic(target)
            path = Path(tmp) / f"synthetic-{target}.json"
            path.write_text(json.dumps(spec))
            ops = sum(len(v) for v in spec["paths"].values())
            took = cold(path, config, 3 if target < 2_000_000 else 1)
            size = path.stat().st_size / 1e6
            rows.append(
                {
                    "name": f"cold generate, synthetic {size:.2f} MB, {ops} ops (s)",
                    "ours": took,
                    "per_mb": took / size,
                }
            )
        corpus = sorted(
            SHARED.joinpath("corpus").glob("*"), key=lambda p: p.stat().st_size
        )
        if corpus:
            big = corpus[-1]
            config.write_text('[package]\nname = "corpus_spec"\n')
            took = cold(big, config, 3)
            size = big.stat().st_size / 1e6
            rows.append(
                {
                    "name": f"cold generate, corpus {big.name} {size:.2f} MB (s)",
                    "ours": took,
                    "per_mb": took / size,
                }
            )
    return rows


# -- output -------------------------------------------------------------------


def row(
    name: str, ours: float, peer: float, target: float | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "ours": ours,
        "peer": peer,
        "ratio": ours / peer,
        "target": target,
    }


def merged(path: Path, new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in ``path`` with ``new`` ones replacing those of the same name
    (rows not there yet go after the last SDK row)."""
    old = json.loads(path.read_text("utf-8"))["rows"] if path.exists() else []
    by_name = {r["name"]: r for r in new}
    rows = [by_name.pop(r["name"], r) for r in old]
    last_sdk = max(
        (i for i, r in enumerate(rows) if r["name"] in {n["name"] for n in new}),
        default=len(rows) - 1,
    )
    return rows[: last_sdk + 1] + list(by_name.values()) + rows[last_sdk + 1 :]


def fmt_time(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    return f"{s * 1e3:.1f} ms" if s < 0.1 else f"{s:.2f} s"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| measurement | sdkgen / SDK | peer (or s per MB) | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['name']} | skipped: {r['skipped']} | | | |")
            continue
        peer = (
            fmt_time(r["peer"])
            if "peer" in r
            else (f"{r['per_mb']:.2f} s/MB" if "per_mb" in r else "")
        )
        ratio = f"{r['ratio']:.2f}x" if "ratio" in r else ""
        target = r.get("target")
        goal = (
            ""
            if target is None
            else (f"<= {target}x" if "ratio" in r else f"<= {target} s")
        )
        lines.append(
            f"| {r['name']} | {fmt_time(r['ours'])} | {peer} | {ratio} | {goal} |"
        )
    return "\n".join(lines) + "\n"


def compile_installed() -> None:
    """sdkgen's modules compiled as ``pip install`` compiles them."""
    if not compileall.compile_dir(ROOT / "generator", quiet=1):
        raise RuntimeError("compileall of generator/ failed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--json", type=Path, default=ROOT / "benchmarks" / "results.json"
    )
    parser.add_argument("--readme", type=Path)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument(
        "--only",
        choices=["sdk"],
        help="measure only these rows; the others are kept from --json",
    )
    args = parser.parse_args()
    compile_installed()
    if args.only == "sdk":
        rows = merged(args.json, sdk_rows(args.rounds) + import_rows(args.rounds))
    else:
        rows = generation_rows(args.rounds)
        rows += sdk_rows(args.rounds)
        rows += import_rows(args.rounds)
        rows += diff_rows(args.rounds)
        if not args.skip_scaling:
            rows += scaling_rows()
    text = table(rows)
    print(text)
    meta = {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "rounds": args.rounds,
    }
    args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    if args.readme:
        readme = args.readme.read_text("utf-8")
        pattern = re.compile(re.escape(MARK) + ".*?" + re.escape(MARK), re.S)
        args.readme.write_text(pattern.sub(lambda _: f"{MARK}\n{text}{MARK}", readme))


if __name__ == "__main__":
    main()

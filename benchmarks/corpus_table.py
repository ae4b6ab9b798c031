"""The corpus table of the README: every spec of ../shared/specs/corpus/ through
sdkgen and through openapi-python-client (``nox -s corpus`` installs it).

For each spec: did it generate (and with how many warnings), does every module
import, does ``mypy --strict`` pass. ``--readme PATH`` rewrites the table between
the ``<!-- corpus-table -->`` markers of that file; otherwise it is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
MARK = "<!-- corpus-table -->"
IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "pkg = importlib.import_module(sys.argv[1])\n"
    "for m in pkgutil.walk_packages(pkg.__path__, sys.argv[1] + '.'):\n"
    "    importlib.import_module(m.name)\n"
)


def run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        args, capture_output=True, text=True, timeout=600, **kw
    )


def imports(folder: Path, package: str) -> bool:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return run([sys.executable, "-c", IMPORT_ALL, package], env=env).returncode == 0


def typed(folder: Path, package: str) -> bool:
    done = run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package],
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(folder)},
    )
    return done.returncode == 0


def ours(spec: Path, work: Path) -> tuple[str, bool, bool]:
    package = "c_" + re.sub(r"\W", "_", spec.stem.lower())
    config = work / f"{package}.toml"
    config.write_text(f'[package]\nname = "{package}"\n')
    out = work / "ours" / spec.stem
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(out),
            "--config",
            str(config),
        ],
        env=env,
    )
    warnings = done.stderr.count("sdkgen: warning:")
    if done.returncode != 0:
        return f"error (exit {done.returncode})", False, False
    if not (out / package).is_dir():
        return f"refused, {warnings} warning(s)", False, False
    status = "generated" + (f", {warnings} warning(s)" if warnings else "")
    ok = imports(out, package)
    return status, ok, ok and typed(out, package)


def theirs(spec: Path, work: Path) -> tuple[str, bool, bool]:
    tool = shutil.which("openapi-python-client")
    if tool is None:
        return "not installed", False, False
    out = work / "opc" / spec.stem
    try:
        done = run(
            [
                tool,
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(out),
                "--meta",
                "none",
            ]
        )
    except subprocess.TimeoutExpired:
        return "timed out", False, False
    if done.returncode != 0 or not (out / "__init__.py").is_file():
        return "failed", False, False
    warned = "Warning" in done.stdout or "warning" in done.stderr.lower()
    shutil.move(str(out), str(out.parent / "opc_pkg"))
    package_dir = out.parent / spec.stem
    package_dir.mkdir()
    shutil.move(str(out.parent / "opc_pkg"), str(package_dir / "opc_pkg"))
    ok = imports(package_dir, "opc_pkg")
    status = "generated" + (", with warnings" if warned else "")
    return status, ok, ok and typed(package_dir, "opc_pkg")


def table() -> str:
    specs = sorted(
        p for p in CORPUS.glob("*") if p.suffix in (".json", ".yaml", ".yml")
    )
    lines = [
        "| spec | sdkgen | imports | mypy --strict | openapi-python-client | imports "
        "| mypy --strict |",
        "|---|---|---|---|---|---|---|",
    ]
    totals = [0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for spec in specs:
            a, ai, at = ours(spec, work)
            b, bi, bt = theirs(spec, work)
            for i, ok in enumerate((ai, at, bi, bt)):
                totals[i] += ok
            mark = {True: "yes", False: "no"}
            lines.append(
                f"| {spec.name} | {a} | {mark[ai]} | {mark[at]} | {b} | {mark[bi]} "
                f"| {mark[bt]} |"
            )
    lines.append(
        f"| **{len(specs)} specs** | | **{totals[0]}** | **{totals[1]}** | "
        f"| **{totals[2]}** | **{totals[3]}** |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readme", type=Path)
    args = parser.parse_args()
    text = table()
    if args.readme is None:
        sys.stdout.write(text)
        return
    readme = args.readme.read_text("utf-8")
    head, _, rest = readme.partition(MARK)
    _, _, tail = rest.partition(MARK)
    args.readme.write_text(f"{head}{MARK}\n{text}{MARK}{tail}", "utf-8")


if __name__ == "__main__":
    main()

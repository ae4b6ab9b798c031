"""Developer sessions: tests, lint, typecheck, generate, check, bench, fuzz."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "check", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run(
        "ruff", "check", "generator", "tests", "templates/runtime", "noxfile.py"
    )
    session.run("ruff", "check", "generated")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("mypy", "generator")
    session.run(
        "mypy",
        "--strict",
        "generated/meetingbaas",
        "--config-file",
        "generated/pyproject.toml",
    )


@nox.session
def generate(session: nox.Session) -> None:
    session.install("-e", ".")
    session.run("sdkgen", "generate", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """generated/ is exactly what the generator makes from spec/."""
    session.install("-e", ".")
    session.run("sdkgen", "generate", "--check")


@nox.session
def bench(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run(
        "pytest",
        "-q",
        "benchmarks",
        "-o",
        "python_files=bench_*.py",
        "--benchmark-only",
        *session.posargs,
    )


@nox.session
def fuzz(session: nox.Session) -> None:
    """Property tests with many more examples than the default run."""
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        "-q",
        "-m",
        "property",
        *session.posargs,
        env={"SDKGEN_EXAMPLES": "500"},
    )


@nox.session
def corpus(session: nox.Session) -> None:
    """The README's corpus table: sdkgen vs openapi-python-client (own venv)."""
    session.install("-e", ".[test]")
    session.install("openapi-python-client==0.29.1", "attrs", "python-dateutil")
    session.run("python", "benchmarks/corpus_table.py", "--readme", "README.md")

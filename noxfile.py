"""Developer sessions: tests, lint, typecheck, generate, check, metrics, bench, fuzz,
lock.

Every install uses constraints.txt, so nox runs the versions CI uses."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "check", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-c", "constraints.txt", "-e", ".[test]")
    session.run("pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("-c", "constraints.txt", "ruff")
    session.run(
        "ruff",
        "check",
        "generator",
        "tests",
        "templates/runtime",
        "tools",
        "noxfile.py",
    )
    session.run("ruff", "check", "generated")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-c", "constraints.txt", "-e", ".[test]")
    session.run("mypy", "generator")
    session.run(
        "mypy",
        "--strict",
        "generated/meetingbaas",
        "--config-file",
        "generated/pyproject.toml",
    )


@nox.session
def metrics(session: nox.Session) -> None:
    """The generator's size and complexity (tools/metrics.py; radon)."""
    session.install("-c", "constraints.txt", "radon")
    session.run("python", "tools/metrics.py")


@nox.session
def generate(session: nox.Session) -> None:
    session.install("-c", "constraints.txt", "-e", ".")
    session.run("sdkgen", "generate", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """generated/ is exactly what the generator makes from spec/."""
    session.install("-c", "constraints.txt", "-e", ".")
    session.run("sdkgen", "generate", "--check")


@nox.session
def configdoc(session: nox.Session) -> None:
    """Rewrites docs/configuration.md from generator/configkeys.py (the tests
    fail while the committed one differs)."""
    session.install("-c", "constraints.txt", "-e", ".")
    session.run("python", "-m", "generator.configdoc", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The speed table (benchmarks/speed.py): sdkgen and the SDK against peers
    (openapi-python-client, orval) installed into their own folders, one run."""
    session.install("-c", "constraints.txt", "-e", ".[dev]")
    session.run(
        "python", "benchmarks/speed.py", "--readme", "README.md", *session.posargs
    )


@nox.session
def fuzz(session: nox.Session) -> None:
    """Property tests with many more examples than the default run."""
    session.install("-c", "constraints.txt", "-e", ".[test]")
    session.run(
        "pytest",
        "-q",
        "-m",
        "property",
        *session.posargs,
        env={"SDKGEN_EXAMPLES": "500", "SDKGEN_HYPOTHESIS_PROFILE": "fuzz"},
    )


@nox.session
def quick(session: nox.Session) -> None:
    """The fast developer loop: everything but the tests marked slow."""
    session.install("-c", "constraints.txt", "-e", ".[test]")
    session.run("pytest", "-q", "-m", "not slow", *session.posargs)


@nox.session
def lock(session: nox.Session) -> None:
    """Rewrites constraints.txt from a fresh install of the newest allowed
    versions; run the suite before committing it."""
    session.install("-e", ".[dev]")
    session.run("python", "tools/lock.py")


@nox.session
def corpus(session: nox.Session) -> None:
    """The README's corpus table: sdkgen vs openapi-python-client (own venv)."""
    session.install("-e", ".[test]")
    session.install("openapi-python-client==0.29.1", "attrs", "python-dateutil")
    session.run("python", "benchmarks/corpus_table.py", "--readme", "README.md")

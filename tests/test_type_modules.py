"""Public, stable modules of ``types/``: a type released in one module stays
importable from it (for imports, type checkers and pickles) once a later spec
makes the SDK define it in another; the lock remembers where each was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, json_op, make_spec

OWNER = {
    "type": "object",
    "required": ["key"],
    "properties": {"key": {"type": "string"}},
}
OWNER_REF = {"$ref": "#/components/schemas/Owner"}


def _spec(calendars_have_owners: bool) -> dict[str, Any]:
    calendar: dict[str, Any] = {
        "type": "object",
        "properties": {"id": {"type": "string"}},
    }
    if calendars_have_owners:
        calendar["properties"]["owner"] = OWNER_REF
    bot = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "owner": OWNER_REF},
    }
    return make_spec(
        {"Owner": OWNER, "Bot": bot, "Calendar": calendar},
        {
            "/bots": {
                "get": json_op({"$ref": "#/components/schemas/Bot"}, op_id="getBot")
            },
            "/calendars": {
                "get": json_op(
                    {"$ref": "#/components/schemas/Calendar"}, op_id="getCal"
                )
            },
        },
    )


def _sdkgen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _python(code: str, out: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def moved(tmp_path: Path) -> tuple[Path, Path]:
    """(out, a pickle of an Owner made by the first release): Owner released
    in ``types/bots.py``, then used by calendars too (so defined in shared)."""
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir()
    (spec.parent / "sdkgen.toml").write_text('[package]\nname = "movers"\n')
    spec.write_text(json.dumps(_spec(calendars_have_owners=False)))
    out = tmp_path / "out"
    first = _sdkgen(
        tmp_path, "generate", "--spec", str(spec), "--out", str(out), "--update-lock"
    )
    assert first.returncode == 0, first.stderr
    lock = json.loads((spec.parent / "sdkgen.lock").read_text())
    assert lock["types"]["Owner"]["module"] == "bots"
    pickled = tmp_path / "owner.pickle"
    _python(
        "import pickle, sys; from movers.types.bots import Owner\n"
        "open(sys.argv[1], 'wb').write(pickle.dumps(Owner(key='k1')))",
        out,
        str(pickled),
    )
    spec.write_text(json.dumps(_spec(calendars_have_owners=True)))
    again = _sdkgen(tmp_path, "generate", "--spec", str(spec), "--out", str(out))
    assert again.returncode == 0, again.stderr
    return out, pickled


def test_a_moved_type_stays_importable_where_it_was_released(
    moved: tuple[Path, Path],
) -> None:
    out, pickled = moved
    code = (
        "import pickle, sys\n"
        "import movers.types as t\n"
        "from movers.types.bots import Owner\n"
        "from movers.types.shared import Owner as Defined\n"
        "assert Owner is Defined is t.Owner, Owner\n"
        "print(Owner.__module__)\n"
        "print(pickle.loads(open(sys.argv[1], 'rb').read()).key)\n"
        "import movers.types.bots as bots\n"
        "try:\n"
        "    bots.Nothing\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    lines = _python(code, out, str(pickled)).splitlines()
    assert lines[:2] == ["movers.types.shared", "k1"]
    assert "has no attribute 'Nothing'" in lines[2]


@pytest.mark.slow  # mypy
def test_type_checkers_see_the_moved_type_where_it_was_released(
    moved: tuple[Path, Path], tmp_path: Path
) -> None:
    out, _ = moved
    user = tmp_path / "user.py"
    user.write_text(
        "from movers.types.bots import Owner\n\nowner: Owner = Owner(key='k')\n"
        "key: str = owner.key\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout


def test_a_lock_naming_a_module_that_is_no_module_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "spec" / "openapi.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(_spec(calendars_have_owners=False)))
    (spec.parent / "sdkgen.toml").write_text('[package]\nname = "movers"\n')
    lock = {
        "version": 1,
        "types": {
            "Owner": {"pointers": ["#/components/schemas/Owner"], "module": "../x"}
        },
    }
    (spec.parent / "sdkgen.lock").write_text(json.dumps(lock))
    done = _sdkgen(
        tmp_path, "generate", "--spec", str(spec), "--out", str(tmp_path / "o")
    )
    assert done.returncode == 2
    assert "sdkgen.lock#/types/Owner/module" in done.stderr
    assert not (tmp_path / "o").exists()
